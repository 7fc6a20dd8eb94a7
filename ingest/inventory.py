"""What is in the reports folder, and what changed since the last build.

Documents are identified by content hash: a file whose bytes and parser are unchanged is not parsed
again; a changed file replaces its old rows; a removed file takes its rows with it; a second file with
the same bytes as another is kept as a quarantined duplicate so no file goes unaccounted for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class InboxFile:
    source_file: str  # path relative to the reports folder, POSIX style
    path: Path
    content_sha256: str
    size_bytes: int
    duplicate_of: str | None = None  # the first file (by name) with the same bytes

    @property
    def document_id(self) -> str:
        return document_id(self.source_file, self.content_sha256)


@dataclass(frozen=True, slots=True)
class KnownDocument:
    """What the warehouse already holds for one source file."""

    document_id: str
    parser_version: str
    duplicate_of: str | None


@dataclass(frozen=True, slots=True)
class InboxDiff:
    new: list[InboxFile]
    changed: list[InboxFile]
    unchanged: list[InboxFile]
    removed: list[str]  # source files that are gone from the folder
    delete_ids: list[str]  # document_ids whose rows go: removed files and the old versions of changed ones

    @property
    def to_parse(self) -> list[InboxFile]:
        return self.new + self.changed


def document_id(source_file: str, content_sha256: str) -> str:
    """Stable id of one version of one file: the same bytes under the same name give the same id."""
    return hashlib.sha256(f"{source_file}\0{content_sha256}".encode()).hexdigest()[:16]


def sha256_file(path: Path, chunk_size: int = 1 << 20) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def is_report_file(path: Path, root: Path) -> bool:
    """Regular files inside the folder. Hidden files and folders are not reports (editor swap files,
    .DS_Store, and the `.name.tmp` files that rsync and editors write before renaming), nor links that
    lead out of the folder."""
    if any(part.startswith(".") for part in path.relative_to(root).parts):
        return False
    if path.is_symlink():
        # A link may point anywhere; follow it only when the target stays inside the reports folder.
        try:
            path.resolve(strict=True).relative_to(root.resolve())
        except (OSError, RuntimeError, ValueError):  # RuntimeError: a symlink loop (Python < 3.13)
            return False
    return path.is_file()


def scan_folder(root: Path) -> list[InboxFile]:
    """Every report file under `root`, hashed, sorted by name, with duplicates marked."""
    files: list[InboxFile] = []
    first_by_hash: dict[str, str] = {}
    for path in sorted(p for p in root.rglob("*") if is_report_file(p, root)):
        try:
            sha, size = sha256_file(path)
        except OSError:
            continue  # vanished or unreadable between listing and reading; the next scan sees it again
        # Stored as valid UTF-8: bytes of a name that are not UTF-8 become U+FFFD (as document.display_name).
        name = path.relative_to(root).as_posix().encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        duplicate_of = first_by_hash.setdefault(sha, name)
        files.append(InboxFile(name, path, sha, size, None if duplicate_of == name else duplicate_of))
    return files


def diff_inbox(
    files: Iterable[InboxFile], known: Mapping[str, KnownDocument], parser_version: str
) -> InboxDiff:
    """Compare the folder with what the warehouse holds (keyed by source_file)."""
    new, changed, unchanged = [], [], []
    seen: set[str] = set()
    for inbox_file in files:
        seen.add(inbox_file.source_file)
        previous = known.get(inbox_file.source_file)
        if previous is None:
            new.append(inbox_file)
        elif (
            previous.document_id != inbox_file.document_id
            or previous.parser_version != parser_version
            or previous.duplicate_of != inbox_file.duplicate_of
        ):
            changed.append(inbox_file)
        else:
            unchanged.append(inbox_file)
    removed = sorted(name for name in known if name not in seen)
    delete_ids = [known[name].document_id for name in removed]
    delete_ids += [known[changed_file.source_file].document_id for changed_file in changed]
    return InboxDiff(new, changed, unchanged, removed, delete_ids)
