"""Importers: one module per source format, all producing the same plain records.

    read_report(path) / read_bytes(data, name) -> Report
    read_any(path) / read_any_bytes(data, name) -> Report or ScoreSheet (a year's scores)
    raises ReportError (one line naming the file, and the row and column where there is one)

Limits (records.py): a report over MAX_FILE_MB is refused before it is read (a score sheet, which
may hold every agency of the country, up to MAX_SCORE_FILE_MB from the command line); a .docx/.xlsx
whose XML unpacks to more than MAX_XML_MB before it is parsed; every report reader stops at the
first table row past MAX_ROWS. So what an accepted file costs is bounded by those.

The row reading, repairs and warnings shared by every format live in `rows.py`."""
from __future__ import annotations

from pathlib import Path

from .records import (COLUMNS, MAX_FILE_MB, MAX_ROWS, MAX_SCORE_FILE_MB, MAX_XML_MB, Finding, Report, ReportError,
                      ScoreRow, ScoreSheet, YearScores, too_large)

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
    from .scores import is_score_sheet
    from .table import report_from_records, table_records
    if is_score_sheet(table_records(data, name, suffix, head=True)):
        raise ReportError(name, "เป็นแผ่นคะแนน ITA ไม่ใช่รายงาน: นำเข้าเป็นแผ่นคะแนนที่หน้า ข้อมูล")
    return report_from_records(table_records(data, name, suffix), name)


# ---------------------------------------------------------------- reports and score sheets

def read_any(path: str | Path, *, name: str | None = None) -> Report | ScoreSheet:
    """A report or a score sheet (importers/scores.py: told apart by its columns), from a file."""
    path = Path(path)
    shown = name or str(path)
    if not path.exists():
        raise ReportError(shown, "ไม่พบไฟล์")
    if path.is_dir():
        raise ReportError(shown, "เป็นโฟลเดอร์ ไม่ใช่ไฟล์รายงาน")
    size = path.stat().st_size
    if size > MAX_FILE_MB * 1024 * 1024 and (SUFFIXES.get(path.suffix.lower()) != "table"
                                             or size > MAX_SCORE_FILE_MB * 1024 * 1024):
        raise ReportError(shown, too_large(size, MAX_SCORE_FILE_MB if SUFFIXES.get(path.suffix.lower()) == "table"
                                            else MAX_FILE_MB))
    return read_any_bytes(path.read_bytes(), shown)


def read_any_bytes(data: bytes, name: str) -> Report | ScoreSheet:
    """A report or a score sheet from its bytes (an upload); a .csv or .xlsx is a score sheet when
    its header says so (scores.is_score_sheet), anything else is read as read_bytes reads it."""
    suffix = Path(name).suffix.lower()
    if SUFFIXES.get(suffix) == "table" and data.strip() and len(data) <= MAX_SCORE_FILE_MB * 1024 * 1024:
        from .scores import read_score_records
        if is_score_file(data, name):  # its header says so: read it with a score sheet's limits
            from .table import table_records
            return read_score_records(table_records(data, name, suffix, scores=True), name)
    return read_bytes(data, name)  # a report, with a report's limits


def is_score_file(data: bytes, name: str) -> bool:
    """Whether an upload is a score sheet (a .csv or .xlsx whose header says so); False for anything
    that cannot be read as a table, which read_bytes then refuses with its reason."""
    if SUFFIXES.get(Path(name).suffix.lower()) != "table" or not data.strip():
        return False
    from .scores import is_score_sheet
    from .table import table_records
    try:
        return is_score_sheet(table_records(data, name, Path(name).suffix.lower(), scores=True, head=True))
    except ReportError:
        return False


__all__ = ["MAX_FILE_MB", "MAX_ROWS", "MAX_SCORE_FILE_MB", "MAX_XML_MB", "COLUMNS", "Finding", "Report", "ReportError", "ScoreRow", "ScoreSheet", "YearScores",
           "is_score_file", "read_any", "read_any_bytes", "read_bytes", "read_report"]
