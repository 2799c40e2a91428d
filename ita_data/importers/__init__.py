"""Importers: one module per source format, all producing the same plain records.

    read_report(path) -> Report      raises ReportError (one line naming file, row, column)

The row reading, repairs and warnings shared by every format live in `rows.py`."""
from __future__ import annotations

from pathlib import Path

from .records import COLUMNS, Finding, Report, ReportError

SUFFIXES = {".txt": "text", ".text": "text", ".docx": "docx", ".csv": "table", ".xlsx": "table"}


def read_report(path: str | Path, *, name: str | None = None) -> Report:
    """Read one report file of any supported format. `name` is what messages call the file
    (an uploaded file's own name rather than a temporary path)."""
    path = Path(path)
    shown = name or str(path)
    suffix = Path(shown).suffix.lower() or path.suffix.lower()
    if not path.exists():
        raise ReportError(shown, "ไม่พบไฟล์ (file not found)")
    if path.is_dir():
        raise ReportError(shown, "เป็นโฟลเดอร์ ไม่ใช่ไฟล์รายงาน (a folder, not a report file)")
    kind = SUFFIXES.get(suffix)
    if kind is None:
        raise ReportError(shown, f'ไม่รองรับไฟล์ชนิด "{suffix or "(ไม่มีนามสกุล)"}": '
                                 f'ใช้ .txt .docx .csv หรือ .xlsx')
    data = path.read_bytes()
    if not data.strip():
        raise ReportError(shown, "ไฟล์ว่างเปล่า (empty file)")
    if kind == "text":
        from .text import read_text
        return read_text(data, shown)
    if kind == "docx":
        from .docx import read_docx
        return read_docx(data, shown)
    from .table import read_table
    return read_table(data, shown, suffix)


__all__ = ["COLUMNS", "Finding", "Report", "ReportError", "read_report"]
