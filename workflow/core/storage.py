"""File storage: evidence and issued plans' frozen files, content-addressed, outside the web root.

One interface, two backends: a folder on this server (the default) or S3-compatible object
storage (``STORAGE_BACKEND=s3``, see object_storage.py), which several app servers share.
An upload is first written to a staging file and checked there, whole; only a file that
passed is handed to the store under its SHA-256, so a failed or refused upload leaves no
object behind, and the same content is stored once. The folder renames the staging file
into place, so a crash never leaves half a file under a real name.

A disk that is full, or read-only, is the store's problem, not the file's: it is told as
StorageFull or StorageUnavailable (never a bare OSError), and nothing is kept.

The files the app makes itself (an issued plan version's DOCX, PDF, ...) are kept the same
way, and read back whole and checked against their SHA-256 before they are served.
"""

import errno
import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

from workflow.core.errors import (
    AlteredFile,
    MissingFile,
    RuleError,
    StorageError,
    StorageFull,
    StorageUnavailable,
)

CHUNK = 64 * 1024
# Office files are zip archives: refuse ones that would unpack to something huge.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 5_000

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
ACCEPTED = "PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), CSV, text, PNG or JPEG"
# What the operating system says when a disk has no room, and when it will not be written.
FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
UNWRITABLE = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
# Staging files, named so: an upload (or a copy, a restore, a rendered file being kept) cut
# off leaves one behind.
UPLOAD_PREFIX, COPY_PREFIX, RESTORE_PREFIX = ".upload-", ".copy-", ".restore-"
RENDER_PREFIX = ".render-"
STAGING_PREFIXES = (UPLOAD_PREFIX, COPY_PREFIX, RESTORE_PREFIX, RENDER_PREFIX)
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]|\.\.")
DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    content_type: str
    name: str


@dataclass(frozen=True)
class Kept:
    """A file in the store: its name, size, and when it was last written."""

    sha256: str
    size: int
    written: datetime  # UTC


class Store(Protocol):
    """Where files are kept, by SHA-256. Files are never changed; one is removed only
    by the storage sweep, once no row names it (core/sweep.py)."""

    def staging_folder(self) -> Path: ...
    def put(self, sha256: str, staged: Path, content_type: str) -> None: ...
    def exists(self, sha256: str) -> bool: ...
    def open(self, sha256: str) -> BinaryIO: ...
    def digests(self) -> Iterator[str]: ...
    def listing(self) -> Iterator[Kept]: ...
    def remove(self, sha256: str, written_before: datetime) -> bool: ...
    def check(self) -> None: ...


class FolderStore:
    """Files under ``folder/ab/abcdef…``: the default, for one server."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"folder {self.folder}"

    def staging_folder(self) -> Path:
        # In the store itself, so moving a checked file into place is one atomic rename.
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder

    def put(self, sha256: str, staged: Path, content_type: str) -> None:
        final = path_for(self.folder, sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, final)

    def exists(self, sha256: str) -> bool:
        return path_for(self.folder, sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        try:
            with storage_errors():
                return path_for(self.folder, sha256).open("rb")
        except FileNotFoundError:
            raise MissingFile(sha256) from None

    def digests(self) -> Iterator[str]:
        for path in sorted(self.folder.glob("??/*")):
            if DIGEST.fullmatch(path.name) and path.parent.name == path.name[:2]:
                yield path.name

    def listing(self) -> Iterator[Kept]:
        for digest in self.digests():
            facts = path_for(self.folder, digest).stat()
            yield Kept(digest, facts.st_size, datetime.fromtimestamp(facts.st_mtime, UTC))

    def remove(self, sha256: str, written_before: datetime) -> bool:
        """Delete the file if it was still last written before then (storing the same bytes
        again writes it afresh, so a file just named again is never removed)."""
        path = path_for(self.folder, sha256)
        with storage_errors():
            try:
                if datetime.fromtimestamp(path.stat().st_mtime, UTC) >= written_before:
                    return False
                path.unlink()
            except FileNotFoundError:
                return False
        return True

    def check(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if not os.access(self.folder, os.W_OK):
            raise PermissionError(f"cannot write to {self.folder}")


def make_store(config) -> Store:
    backend = config.get("STORAGE_BACKEND", "folder")
    if backend == "s3":
        from workflow.core.object_storage import S3Store  # boto3 loads only when used

        return S3Store.from_config(config)
    if backend != "folder":
        raise ValueError(f"STORAGE_BACKEND must be folder or s3, not {backend!r}")
    return FolderStore(config["UPLOAD_FOLDER"])


def current_store() -> Store:
    """The app's store, made once per app from its settings."""
    extensions = current_app.extensions
    if "workflow.store" not in extensions:
        extensions["workflow.store"] = make_store(current_app.config)
    return extensions["workflow.store"]


def store_upload(
    stream: BinaryIO, filename: str, store: "Store | str | Path", max_bytes: int
) -> StoredFile:
    """Check an upload and keep it in the store; raise RuleError with the reason if refused.

    ``store`` may be a folder's path, for the folder store."""
    if isinstance(store, str | Path):
        store = FolderStore(store)
    name = clean_name(filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in CONTENT_TYPES:
        raise RuleError(f"The selected file must be a {ACCEPTED}", "file")
    with storage_errors():
        handle, temporary = tempfile.mkstemp(dir=store.staging_folder(), prefix=UPLOAD_PREFIX)
        try:
            digest, size = _copy_limited(stream, handle, max_bytes)
            _check_content(Path(temporary), extension)
            store.put(digest, Path(temporary), CONTENT_TYPES[extension])
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return StoredFile(digest, size, CONTENT_TYPES[extension], name)


def store_bytes(data: bytes, store: Store, content_type: str) -> str:
    """Keep bytes the app made itself (not an upload: nothing to check) under their SHA-256,
    which is returned. Staged and synced first, like an upload, so no half file is kept."""
    digest = hashlib.sha256(data).hexdigest()
    with storage_errors():
        handle, temporary = tempfile.mkstemp(dir=store.staging_folder(), prefix=RENDER_PREFIX)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            store.put(digest, Path(temporary), content_type)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return digest


def read_checked(store: Store, sha256: str) -> bytes:
    """The whole file, once its bytes are found to match its SHA-256: AlteredFile if they do
    not, so a changed file is refused rather than served as the one kept."""
    with store.open(sha256) as stream:
        data = stream.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise AlteredFile(sha256)
    return data


def refusal_for(error: OSError) -> StorageError | None:
    """The store's refusal an operating-system error amounts to, if it is a disk's: full, or
    not writable. Other errors (a connection dropped mid-upload) are not the store's."""
    if error.errno in FULL:
        return StorageFull()
    if error.errno in UNWRITABLE:
        return StorageUnavailable()
    return None


@contextmanager
def storage_errors() -> Iterator[None]:
    """Raise a disk's refusal as the store's (StorageFull, StorageUnavailable)."""
    try:
        yield
    except OSError as error:
        refusal = refusal_for(error)
        if refusal is None:
            raise
        raise refusal from error


def file_sha256(stream: BinaryIO) -> str:
    """The SHA-256 of a stream read to its end, a chunk at a time."""
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def path_for(folder: str | Path, sha256: str) -> Path:
    if not DIGEST.fullmatch(sha256):
        raise ValueError("not a SHA-256 digest")
    return Path(folder) / sha256[:2] / sha256


def clean_name(filename: str) -> str:
    """The original name as safe metadata, or a RuleError for names meant to trick."""
    name = unicodedata.normalize("NFC", filename or "").strip()
    if not name:
        raise RuleError("Select a file", "file")
    if _UNSAFE_NAME.search(name) or any(unicodedata.category(c) == "Cf" for c in name):
        raise RuleError("The file name contains characters that are not allowed: rename it", "file")
    return name[-150:]


def _copy_limited(stream: BinaryIO, handle: int, max_bytes: int) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with os.fdopen(handle, "wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise RuleError(
                    f"The selected file must be smaller than {_size(max_bytes)}", "file"
                )
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if size == 0:
        raise RuleError("The selected file is empty", "file")
    return digest.hexdigest(), size


def _size(limit: int) -> str:
    return f"{limit // 1048576} MB" if limit >= 1048576 else f"{limit // 1024} KB"


def _check_content(path: Path, extension: str) -> None:
    with path.open("rb") as file:
        head = file.read(8192)
        file.seek(max(0, path.stat().st_size - 65536))
        tail = file.read()
    kind = _sniff(head)
    expected = {"jpeg": "jpg"}.get(extension, extension)
    if kind == "zip":
        kind = _office_kind(path)
    if kind != expected and not (kind == "text" and expected in ("csv", "txt")):
        raise RuleError(
            f"The selected file is not a real .{extension} file: its content does not match",
            "file",
        )
    if kind not in ("docx", "xlsx", "pptx") and b"PK\x05\x06" in tail:
        raise RuleError("The selected file has another file hidden inside it", "file")
    if kind in ("pdf", "png", "jpg") and re.search(rb"<(script|html|svg)", head, re.I):
        raise RuleError("The selected file has another file hidden inside it", "file")


def _sniff(head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if b"\x00" not in head and _is_text(head):
        return "text"
    return "unknown"


def _is_text(head: bytes) -> bool:
    for encoding in ("utf-8", "cp1252"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Allow a multi-byte character cut at the end of the sample.
        printable = sum(c.isprintable() or c in "\r\n\t" for c in text)
        return printable >= 0.95 * len(text)
    return False


def _office_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            packed = sum(entry.compress_size for entry in entries) or 1
            if (
                len(entries) > MAX_ZIP_ENTRIES
                or unpacked > MAX_UNPACKED_BYTES
                or unpacked / packed > MAX_COMPRESSION_RATIO
            ):
                raise RuleError(
                    "The selected file unpacks to something far too large (a zip bomb)", "file"
                )
            names = {entry.filename for entry in entries}
    except zipfile.BadZipFile:
        return "unknown"
    if "[Content_Types].xml" not in names:
        return "zip"
    for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if any(name.startswith(prefix) for name in names):
            return kind
    return "zip"


@dataclass
class CopyReport:
    copied: int = 0
    already_there: int = 0
    verified: int = 0
    problems: list[str] | None = None


def copy_store(source: Store, target: Store, content_types: dict[str, str]) -> CopyReport:
    """Copy every file of one store into another, then read each back and check its SHA-256.

    ``content_types`` gives each digest's type (from the rows that name it). A file whose bytes
    no longer match its name is reported, never copied."""
    report = CopyReport(problems=[])
    for digest in list(source.digests()):
        with source.open(digest) as stream:
            if file_sha256(stream) != digest:
                report.problems.append(f"{digest}: the source file does not match its SHA-256")
                continue
        if target.exists(digest):
            report.already_there += 1
        else:
            _copy_one(source, target, digest, content_types.get(digest, "application/octet-stream"))
            report.copied += 1
        with target.open(digest) as stream:
            if file_sha256(stream) == digest:
                report.verified += 1
            else:
                report.problems.append(f"{digest}: the copy does not match its SHA-256")
    return report


def _copy_one(source: Store, target: Store, digest: str, content_type: str) -> None:
    with storage_errors():
        handle, temporary = tempfile.mkstemp(dir=target.staging_folder(), prefix=COPY_PREFIX)
        try:
            with os.fdopen(handle, "wb") as out, source.open(digest) as stream:
                while chunk := stream.read(CHUNK):
                    out.write(chunk)
            target.put(digest, Path(temporary), content_type)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
