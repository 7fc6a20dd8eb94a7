"""Document metadata: reporting unit, parent unit, publication date, review and plan years, title."""

from __future__ import annotations

from ingest.models import DocumentMetadata


def extract_metadata(text: str) -> DocumentMetadata:
    """Read what a report says about itself. (First version: title line only.)"""
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return DocumentMetadata(title=first_line[:200] or None)
