"""Evidence file storage: types judged by content, content-addressed, outside the web root.

Files are written to a temporary file in the store and renamed into place, so a crash
never leaves half a file under a real name; the same content is stored once.
"""

import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from workflow.core.errors import RuleError

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
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]|\.\.")


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    content_type: str
    name: str


def store_upload(stream: BinaryIO, filename: str, folder: str, max_bytes: int) -> StoredFile:
    """Check an upload and keep it in the store; raise RuleError with the reason if refused."""
    name = clean_name(filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in CONTENT_TYPES:
        raise RuleError(f"The selected file must be a {ACCEPTED}", "file")
    store = Path(folder)
    store.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=store, prefix=".upload-")
    try:
        digest, size = _copy_limited(stream, handle, max_bytes)
        _check_content(Path(temporary), extension)
        final = path_for(folder, digest)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, final)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return StoredFile(digest, size, CONTENT_TYPES[extension], name)


def path_for(folder: str, sha256: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
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
