"""Importers: one module per source format, all producing the same plain records.

    read_report(path) / read_bytes(data, name) -> Report
    raises ReportError (one line naming the file, and the row and column where there is one)

Limits (records.py): a file over MAX_FILE_MB is refused before it is read; a .docx/.xlsx whose XML
unpacks to more than MAX_XML_MB before it is parsed; every reader stops at the first table row past
MAX_ROWS. So what an accepted file costs is bounded by those three.

The row reading, repairs and warnings shared by every format live in `rows.py`."""
from __future__ import annotations

from pathlib import Path

from .records import COLUMNS, MAX_FILE_MB, MAX_ROWS, MAX_XML_MB, Finding, Report, ReportError, too_large

SUFFIXES = {".txt": "text", ".text": "text", ".docx": "docx", ".csv": "table", ".xlsx": "table"}


def read_report(path: str | Path, *, name: str | None = None) -> Report:
    """Read one report file of any supported format. `name` is what messages call the file."""
    path = Path(path)
    shown = name or str(path)
    if not path.exists():
        raise ReportError(shown, "ไม่พบไฟล์")
    if path.is_dir():
        raise ReportError(shown, "เป็นโฟลเดอร์ ไม่ใช่ไฟล์รายงาน")
    if path.stat().st_size > MAX_FILE_MB * 1024 * 1024:
        raise ReportError(shown, too_large(path.stat().st_size))
    return read_bytes(path.read_bytes(), shown)


def read_bytes(data: bytes, name: str) -> Report:
    """Read a report from its bytes (an upload); `name` gives the format by its suffix."""
    suffix = Path(name).suffix.lower()
    kind = SUFFIXES.get(suffix)
    if kind is None:
        raise ReportError(name, f'ไม่รองรับไฟล์ชนิด "{suffix or "(ไม่มีนามสกุล)"}": ใช้ .txt .docx .csv หรือ .xlsx')
    if len(data) > MAX_FILE_MB * 1024 * 1024:
        raise ReportError(name, too_large(len(data)))
    if not data.strip():
        raise ReportError(name, "ไฟล์ว่างเปล่า")
    if kind == "text":
        from .text import read_text
        return read_text(data, name)
    if kind == "docx":
        from .docx import read_docx
        return read_docx(data, name)
    from .table import read_table
    return read_table(data, name, suffix)


__all__ = ["MAX_FILE_MB", "MAX_ROWS", "MAX_XML_MB", "COLUMNS", "Finding", "Report", "ReportError", "read_bytes", "read_report"]
