"""Importers: one module per source format, all producing the same plain records.

    read_report(path) / read_bytes(data, name) -> Report
    raises ReportError (one line naming the file, and the row and column where there is one)

The row reading, repairs and warnings shared by every format live in `rows.py`."""
from __future__ import annotations

from pathlib import Path

from .records import COLUMNS, Finding, Report, ReportError, ScoreRow, ScoreSheet, YearScores

# One agency's report is a few pages (the seed: 14 kB as text, tens of kB as Word); a Word file with
# pictures may reach a few MB. Anything larger is refused before it is read.
MAX_FILE_MB = 20
# A score sheet of every agency in the country (8,300 x about 60 scores) is larger; the command line
# reads one up to this size (the Data page's upload stays within MAX_FILE_MB).
MAX_SCORE_FILE_MB = 200
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
        raise ReportError(shown, _too_large(path.stat().st_size))
    return read_bytes(path.read_bytes(), shown)


def read_bytes(data: bytes, name: str) -> Report:
    """Read a report from its bytes (an upload); `name` gives the format by its suffix."""
    suffix = Path(name).suffix.lower()
    kind = SUFFIXES.get(suffix)
    if kind is None:
        raise ReportError(name, f'ไม่รองรับไฟล์ชนิด "{suffix or "(ไม่มีนามสกุล)"}": ใช้ .txt .docx .csv หรือ .xlsx')
    if len(data) > MAX_FILE_MB * 1024 * 1024:
        raise ReportError(name, _too_large(len(data)))
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
    records = table_records(data, name, suffix)
    if is_score_sheet(records):
        raise ReportError(name, "เป็นแผ่นคะแนน ITA ไม่ใช่รายงาน: นำเข้าเป็นแผ่นคะแนนที่หน้า ข้อมูล")
    return report_from_records(records, name)


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
        raise ReportError(shown, _too_large(size, MAX_SCORE_FILE_MB if SUFFIXES.get(path.suffix.lower()) == "table"
                                            else MAX_FILE_MB))
    return read_any_bytes(path.read_bytes(), shown)


def read_any_bytes(data: bytes, name: str) -> Report | ScoreSheet:
    """A report or a score sheet from its bytes (an upload); a .csv or .xlsx is a score sheet when
    its header says so (scores.is_score_sheet), anything else is read as read_bytes reads it."""
    suffix = Path(name).suffix.lower()
    if SUFFIXES.get(suffix) == "table" and data.strip() and len(data) <= MAX_SCORE_FILE_MB * 1024 * 1024:
        from .scores import is_score_sheet, read_score_records
        from .table import report_from_records, table_records
        records = table_records(data, name, suffix)
        if is_score_sheet(records):
            return read_score_records(records, name)
        if len(data) > MAX_FILE_MB * 1024 * 1024:  # a report that large is no report
            raise ReportError(name, _too_large(len(data)))
        return report_from_records(records, name)
    return read_bytes(data, name)


def is_score_file(data: bytes, name: str) -> bool:
    """Whether an upload is a score sheet (a .csv or .xlsx whose header says so); False for anything
    that cannot be read as a table, which read_bytes then refuses with its reason."""
    if SUFFIXES.get(Path(name).suffix.lower()) != "table" or not data.strip():
        return False
    from .scores import is_score_sheet
    from .table import table_records
    try:
        return is_score_sheet(table_records(data, name, Path(name).suffix.lower()))
    except ReportError:
        return False


def _too_large(size: int, limit: int = MAX_FILE_MB) -> str:
    what = "ไฟล์รายงาน" if limit == MAX_FILE_MB else "แผ่นคะแนน"
    return f"ไฟล์ขนาด {size / 1024 / 1024:.1f} MB ใหญ่เกินไป: รับ{what}ไม่เกิน {limit} MB"


__all__ = ["MAX_FILE_MB", "COLUMNS", "Finding", "Report", "ReportError", "ScoreRow", "ScoreSheet", "YearScores",
           "is_score_file", "read_any", "read_any_bytes", "read_bytes", "read_report"]
