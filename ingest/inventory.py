"""What is in the reports folder, and what changed since the last build.

Documents are identified by content hash: a file whose bytes and parser are unchanged is not parsed
again; a changed file replaces its old rows; a removed file takes its rows with it. (Which files repeat
another's text is decided after parsing, over the whole warehouse: ingest.duplicates.) A file or
folder that cannot be read gets a row saying why; one the warehouse already holds keeps its rows (it is
"unreadable", not removed). The folder is walked without recursion, relative to folder descriptors, so
no depth or path length stops a scan.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ingest.files import describe_error, hash_file, open_folder

# Subfolders: never through a link (a link to a folder is not entered), never a pipe.
_SUBFOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


@dataclass(frozen=True, slots=True)
class InboxFile:
    source_file: str  # path relative to the reports folder, POSIX style; a folder's ends with "/"
    path: Path  # what parsing opens: the file itself, or the target of a link inside the folder
    content_sha256: str  # "" when the scan could not read it
    size_bytes: int
    error: str | None = None  # why the scan could not read this file or folder (it is not parsed)

    @property
    def document_id(self) -> str:
        return document_id(self.source_file, self.content_sha256)


@dataclass(frozen=True, slots=True)
class KnownDocument:
    """What the warehouse already holds for one source file."""

    document_id: str
    parser_version: str


@dataclass(frozen=True, slots=True)
class InboxDiff:
    new: list[InboxFile]
    changed: list[InboxFile]
    unchanged: list[InboxFile]
    removed: list[str]  # source files that are gone from the folder
    delete_ids: list[str]  # document_ids whose rows go: removed files and the old versions of changed ones
    # Files the warehouse holds that cannot be read now (or sit in a folder that cannot): their rows stay.
    unreadable: list[str] = field(default_factory=list)

    @property
    def to_parse(self) -> list[InboxFile]:
        return self.new + self.changed


def document_id(source_file: str, content_sha256: str) -> str:
    """Stable id of one version of one file: the same bytes under the same name give the same id."""
    return hashlib.sha256(f"{source_file}\0{content_sha256}".encode()).hexdigest()[:16]


def is_report_file(path: Path, root: Path) -> bool:
    """Regular files inside the folder. Hidden files and folders are not reports (editor swap files,
    .DS_Store, and the `.name.tmp` files that rsync and editors write before renaming), nor links that
    lead out of the folder."""
    if any(part.startswith(".") for part in path.relative_to(root).parts):
        return False
    if path.is_symlink():
        return _link_target(path, root) is not None
    return path.is_file()


def _link_target(link: Path, root: Path) -> Path | None:
    """The regular file a link leads to, if it stays inside the reports folder; else None."""
    try:
        target = link.resolve(strict=True)
        target.relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symlink loop (Python < 3.13)
        return None
    return target if target.is_file() else None


@dataclass(frozen=True, slots=True)
class FolderEntry:
    """One entry below the reports folder, as the walk meets it."""

    parts: tuple[str, ...]  # names from the reports folder down (OS strings: may hold surrogate escapes)
    dir_fd: int  # the open folder that holds it: valid only while the entry is handled
    entry: os.DirEntry | None  # None for a folder that could not be opened or listed
    error: OSError | None = None


class _OpenFolder:
    """A folder's descriptor, closed once each of its subfolders has been opened from it."""

    def __init__(self, fd: int) -> None:
        self.fd, self.pending = fd, 0

    def release(self) -> None:
        self.pending -= 1
        if self.pending <= 0:
            os.close(self.fd)


def walk_folder(root: Path) -> Iterator[FolderEntry]:
    """Every entry below `root` that is not a folder, hidden names left out, links to folders not entered.

    No recursion, and no path longer than one name: each folder is opened relative to its parent's file
    descriptor, so a folder nested 1,100 deep or a path beyond PATH_MAX is walked like any other. A
    parent's descriptor stays open only until its last subfolder is opened, so a chain of nested folders
    holds two at a time. A folder that cannot be opened or listed is yielded with its error; one bad
    entry never stops the walk.
    """
    stack: list[tuple[_OpenFolder | None, tuple[str, ...]]] = [(None, ())]
    root_fd = open_folder(root)  # the reports folder itself must open: without it there is no build
    try:
        while stack:
            parent, parts = stack.pop()
            try:
                fd = root_fd if parent is None else os.open(parts[-1], _SUBFOLDER_FLAGS, dir_fd=parent.fd)
            except OSError as exc:
                yield FolderEntry(parts, parent.fd, None, exc)
                continue
            finally:
                if parent is not None:
                    parent.release()
            folder = _OpenFolder(fd)
            try:
                with os.scandir(fd) as listing:
                    entries = list(listing)  # in the OS's order: the callers sort what they keep
            except OSError as exc:
                yield FolderEntry(parts, fd, None, exc)
                entries = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    is_folder = entry.is_dir(follow_symlinks=False)
                except OSError as exc:
                    yield FolderEntry((*parts, entry.name), fd, None, exc)
                    continue
                if is_folder:
                    folder.pending += 1
                    stack.append((folder, (*parts, entry.name)))
                else:
                    yield FolderEntry((*parts, entry.name), fd, entry)
            if folder.pending == 0:
                os.close(fd)
    finally:
        for parent, _ in stack:  # the walk was abandoned: close what its pending subfolders held
            if parent is not None:
                parent.release()


def stored_name(parts: tuple[str, ...]) -> str:
    """A path relative to the folder as valid UTF-8: bytes of a name that are not UTF-8 become U+FFFD
    (as document.display_name)."""
    return "/".join(parts).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _scan_entry(root: Path, item: FolderEntry) -> InboxFile | None:
    """The inventory row of one entry; None for what is not a report file by design (links out of the
    folder, pipes, devices) and for a file that vanished while listed."""
    name, path = stored_name(item.parts), root.joinpath(*item.parts)
    if item.entry is None:  # a folder that cannot be opened or listed: one row says so
        reason = f"unreadable folder: {item.error.strerror if item.error else 'unknown error'}"
        return InboxFile(name + "/", path, "", 0, error=reason)
    try:
        if item.entry.is_symlink():
            target = _link_target(path, root)
            if target is None:
                return None
            return InboxFile(name, target, *hash_file(target))
        if not item.entry.is_file(follow_symlinks=False):
            return None
        sha, size = hash_file(path, dir_fd=item.dir_fd, name=item.entry.name)
    except FileNotFoundError:
        return None  # gone between listing and reading: the folder no longer holds it
    except OSError as exc:
        return InboxFile(name, path, "", 0, error=describe_error(exc))
    return InboxFile(name, path, sha, size)


def scan_folder(root: Path) -> list[InboxFile]:
    """Every report file under `root`, hashed, sorted by name. Files and folders that cannot be read are
    listed too, with the error (a row each, never a silent gap)."""
    root = root.resolve()
    found = [row for item in walk_folder(root) if (row := _scan_entry(root, item)) is not None]
    found.sort(key=lambda row: row.source_file.split("/"))  # Path order: folder by folder
    return found


def diff_inbox(
    files: Iterable[InboxFile], known: Mapping[str, KnownDocument], parser_version: str
) -> InboxDiff:
    """Compare the folder with what the warehouse holds (keyed by source_file).

    A file the warehouse holds that cannot be read now keeps its rows (a permission gone wrong must not
    delete a report): it is listed as unreadable, not removed. So are the files of a folder that cannot
    be listed. A file never seen before that cannot be read is new: it gets a quarantine row."""
    new, changed, unchanged, unreadable = [], [], [], []
    seen: set[str] = set()
    blind_folders = [f.source_file for f in files if f.error and f.source_file.endswith("/")]
    for inbox_file in files:
        seen.add(inbox_file.source_file)
        previous = known.get(inbox_file.source_file)
        if previous is None:
            new.append(inbox_file)
        elif inbox_file.error and previous.document_id != inbox_file.document_id:
            unreadable.append(inbox_file.source_file)
        elif previous.document_id != inbox_file.document_id or previous.parser_version != parser_version:
            changed.append(inbox_file)
        else:
            unchanged.append(inbox_file)
    unreadable += [name for name in known if name not in seen and name.startswith(tuple(blind_folders))]
    removed = sorted(name for name in known if name not in seen and name not in unreadable)
    delete_ids = [known[name].document_id for name in removed]
    delete_ids += [known[changed_file.source_file].document_id for changed_file in changed]
    return InboxDiff(new, changed, unchanged, removed, delete_ids, sorted(unreadable))
