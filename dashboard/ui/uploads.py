"""Checks on an uploaded file before it reaches the import (#7): size, extension, content.

The extension says what the user *thinks* the file is; the first bytes say what it is.
A file is refused with one clear message when:

* it is larger than the upload limit (``server.maxUploadSize`` in .streamlit/config.toml,
  in MB; Streamlit enforces it in the browser, this repeats it on the server side);
* its extension is not an export we read (csv, txt, tsv, xlsx, xlsm, parquet);
* an .xlsx/.xlsm is not a ZIP package with a workbook inside (an old .xls, a renamed CSV);
* a .parquet lacks the ``PAR1`` marker at its start and end;
* a .csv/.txt/.tsv is binary: a known binary signature (ZIP, PDF, program, ...) or many
  control bytes. UTF-16 text (with its byte-order mark) is text; a stray NUL in an
  otherwise normal CSV is left to the import, which rejects that row with its line.

Nothing here (or in the import) executes anything: files are only parsed as data.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

UPLOAD_TYPES = ("csv", "txt", "tsv", "xlsx", "xlsm", "parquet")
DEFAULT_LIMIT_MB = 200
SNIFF_BYTES = 64 * 1024

# Signatures of formats that are certainly not a text export (first bytes of the file).
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),  # OLE2: old .xls, .doc
    (b"PAR1", "parquet"),
    (b"%PDF", "pdf"),
    (b"\x7fELF", "program"),
    (b"MZ", "program"),
    (b"\x1f\x8b", "gzip"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"SQLite format 3\x00", "database"),
)
# Control bytes that never occur in text (tab, LF, FF, CR and ESC excluded).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class UploadProblem:
    """Why a file is refused: an i18n key (``upload_<code>``) and its values."""

    code: str  # too_big | bad_type | not_xlsx | not_parquet | truncated_parquet | binary | empty
    values: dict[str, str] = field(default_factory=dict)


def display_name(name: str) -> str:
    """The user's file name as recorded: base name only, no control characters, <= 200."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (cleaned or "upload")[:200]


def extension(name: str) -> str:
    return PurePath(display_name(name)).suffix.lower().lstrip(".")


def sniff(head: bytes) -> str | None:
    """The format named by the file's first bytes, or None (no known signature)."""
    for magic, found in SIGNATURES:
        if head.startswith(magic):
            return found
    return None


def _is_binary(head: bytes) -> bool:
    if head.startswith(_UTF16_BOMS):
        return False
    return len(_CONTROL.findall(head)) > max(8, len(head) // 20)  # > 5 % control bytes


def _is_workbook(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "xl/workbook.xml" in names or "xl/workbook.bin" in names


def check_upload(
    name: str, data: bytes, limit_mb: float = DEFAULT_LIMIT_MB
) -> UploadProblem | None:
    """None when ``data`` may go to the import, else the reason it may not."""
    shown = display_name(name)
    ext = extension(name)
    size_mb = len(data) / (1024 * 1024)
    if size_mb > limit_mb:
        return UploadProblem(
            "too_big", {"file": shown, "size": f"{size_mb:,.1f}", "limit": f"{limit_mb:g}"}
        )
    if ext not in UPLOAD_TYPES:
        return UploadProblem("bad_type", {"file": shown, "ext": ext or "-"})
    if not data:
        return UploadProblem("empty", {"file": shown})
    head = data[:SNIFF_BYTES]
    found = sniff(head)
    if ext in ("xlsx", "xlsm"):
        if found != "zip" or not _is_workbook(data):
            return UploadProblem("not_xlsx", {"file": shown, "found": found or "text"})
    elif ext == "parquet":
        if data.startswith(b"PAR1") and not data.endswith(b"PAR1"):
            # starts like Parquet, does not end like it: cut short (an interrupted copy)
            return UploadProblem("truncated_parquet", {"file": shown})
        if not data.startswith(b"PAR1"):
            return UploadProblem("not_parquet", {"file": shown, "found": found or "other"})
    elif found is not None or _is_binary(head):
        return UploadProblem("binary", {"file": shown, "found": found or "binary"})
    return None


__all__ = [
    "DEFAULT_LIMIT_MB",
    "UPLOAD_TYPES",
    "UploadProblem",
    "check_upload",
    "display_name",
    "extension",
    "sniff",
]
