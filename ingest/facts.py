"""Quantitative facts from report text, following shared/gold/GUIDELINE.md."""

from __future__ import annotations

from ingest.models import DocumentMetadata, Fact


def extract_facts(text: str, metadata: DocumentMetadata | None = None) -> list[Fact]:
    """Every quantitative fact of `text`. (Placeholder until the extractor lands.)"""
    return []
