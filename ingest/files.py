"""Opening a report file so that no file can hang, flood or redirect a build.

A file is opened once, with `O_NOFOLLOW | O_NONBLOCK`, and checked with `fstat` to be a regular file
before a byte is read: a name swapped for a pipe after the folder scan fails at once instead of blocking
the reader forever, and a name swapped for a link (to /dev/zero, to a file outside the reports folder)
is refused instead of read. At most `max_bytes + 1` bytes are read into memory, and the hash is taken
from the bytes actually read, so everything downstream describes the same bytes.

Paths longer than the OS allows (`ENAMETOOLONG`, a folder nested a thousand deep) are opened one
component at a time relative to directory file descriptors.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

# Files larger than this are quarantined unread (JIEDAO_MAX_FILE_BYTES sets it for a build); archive
# members are held to it too (ingest.formats).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_CHUNK = 1 << 20

# What `fstat` says a path is, for the quarantine reason of an entry that is not a regular file.
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class UnreadableFile(OSError):
    """The path cannot be read as a report file; `strerror` says why, in words a person can act on."""


@dataclass(frozen=True, slots=True)
class FileBytes:
    data: bytes | None  # None when the file is over the limit: it was hashed, not kept
    sha256: str
    size: int


def read_file(
    path: Path, max_bytes: int, *, dir_fd: int | None = None, name: str | None = None, no_links: bool = False
) -> FileBytes:
    """The bytes of one regular file, read once; raises UnreadableFile (an OSError) for anything else.

    With `dir_fd` and `name`, the file is opened relative to that open folder (the scan's way, which
    works at any depth); otherwise `path` is opened, its folder component by component if the path is
    too long for the OS. `no_links` refuses a link anywhere on the path, not only as its last component:
    for a path the scan resolved (the pipeline), so that a folder swapped for a link after the scan
    cannot lead the parse out of the reports folder.
    """
    fd, size = _open_regular(path, dir_fd, name, no_links)
    try:
        if size > max_bytes:
            # Hashed (so a change is seen) but not kept; bounded by the size fstat gave.
            return FileBytes(None, *_hash_fd(fd, size))
        data = _read_fd(fd, max_bytes + 1)
    finally:
        os.close(fd)
    # A file that grew past the limit after fstat is too large all the same.
    return FileBytes(None if len(data) > max_bytes else data, hashlib.sha256(data).hexdigest(), len(data))


def hash_file(path: Path, *, dir_fd: int | None = None, name: str | None = None) -> tuple[str, int]:
    """(sha256, size) of one regular file, opened as `read_file` does; bounded by the size fstat gave."""
    fd, size = _open_regular(path, dir_fd, name)
    try:
        return _hash_fd(fd, size)
    finally:
        os.close(fd)


def _open_regular(
    path: Path, dir_fd: int | None, name: str | None, no_links: bool = False
) -> tuple[int, int]:
    """An open file descriptor of a regular file and its size; anything else raises UnreadableFile."""
    fd = _open_file(path, dir_fd, name, no_links)
    try:
        info = os.fstat(fd)
    except BaseException:
        os.close(fd)
        raise
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise UnreadableFile(errno.EINVAL, f"not a regular file ({_kind(info.st_mode)})")
    return fd, info.st_size


def describe_error(exc: OSError) -> str:
    """An OS error as a quarantine reason ("unreadable: Permission denied")."""
    if isinstance(exc, UnreadableFile):  # ours: already in words a person can act on
        return f"unreadable: {exc.strerror}"
    if exc.errno == errno.ELOOP:
        return "unreadable: a symbolic link where the scan saw a file or folder (not followed)"
    return f"unreadable: {exc.strerror or type(exc).__name__}"


def _kind(mode: int) -> str:
    return next((label for test, label in _KINDS if test(mode)), "not a file")


def _open_file(path: Path, dir_fd: int | None, name: str | None, no_links: bool) -> int:
    if dir_fd is not None and name is not None:
        return os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    if not no_links:
        try:
            return os.open(path, _FILE_FLAGS)
        except OSError as exc:
            if exc.errno != errno.ENAMETOOLONG:
                raise
    parent = open_folder(Path(os.path.abspath(path)).parent, no_links=no_links)
    try:
        return os.open(os.fsencode(Path(path).name), _FILE_FLAGS, dir_fd=parent)
    finally:
        os.close(parent)


def open_folder(folder: Path, *, no_links: bool = False) -> int:
    """A file descriptor of `folder`; opened component by component when its path is too long, or when
    `no_links` refuses links on the way (each component opened with O_NOFOLLOW)."""
    if not no_links:
        try:
            return os.open(folder, _DIR_FLAGS)
        except OSError as exc:
            if exc.errno != errno.ENAMETOOLONG:
                raise
    flags = _DIR_FLAGS | (os.O_NOFOLLOW if no_links else 0)
    parts = Path(os.path.abspath(folder)).parts
    fd = os.open(parts[0], _DIR_FLAGS)
    try:
        for part in parts[1:]:
            child = _open_component(os.fsencode(part), flags, fd)
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_component(name: bytes, flags: int, parent: int) -> int:
    try:
        return os.open(name, flags, dir_fd=parent)
    except NotADirectoryError:
        # O_DIRECTORY | O_NOFOLLOW on a link says "not a directory": say what it is.
        if stat.S_ISLNK(os.lstat(name, dir_fd=parent).st_mode):
            reason = "a folder on the way is a symbolic link (not followed)"
            raise UnreadableFile(errno.ELOOP, reason) from None
        raise


def _read_fd(fd: int, limit: int) -> bytes:
    chunks, total = [], 0
    while total < limit:
        chunk = os.read(fd, min(_CHUNK, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _hash_fd(fd: int, limit: int) -> tuple[str, int]:
    digest, total = hashlib.sha256(), 0
    while total < limit:
        chunk = os.read(fd, min(_CHUNK, limit - total))
        if not chunk:
            break
        digest.update(chunk)
        total += len(chunk)
    return digest.hexdigest(), total
