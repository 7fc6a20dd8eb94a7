"""A fingerprint of the parser itself, so a changed extractor re-parses documents it parsed before."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    """Hash of every source and data file the extraction depends on (16 hex characters), as this process
    loaded them (computed once: the files may change on disk, the imported code does not)."""
    return current_parser_fingerprint()


def current_parser_fingerprint() -> str:
    """The same hash of the files as they are on disk now."""
    digest = hashlib.sha256()
    files = sorted(_PACKAGE_DIR.rglob("*.py")) + sorted((_PACKAGE_DIR / "data").rglob("*"))
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(_PACKAGE_DIR.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
