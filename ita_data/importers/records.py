"""The plain records every importer produces, the one error they raise, and the limits of what
they read."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date

# ---- limits: bad input of any size is refused at once, and an accepted file's memory stays bounded.
# One agency's report is a few pages (the seed: 14 kB as text, 10 rows; tens of kB as Word); a Word
# file with pictures may reach a few MB; the longest ITA framework has 88 questions, one row each.
MAX_FILE_MB = 20  # a file larger than this is refused before it is read
MAX_ROWS = 500  # table rows of one report: the readers stop at the first row past it
# what a .docx or .xlsx unpacks to: its XML parts (the text and tables; pictures are not read) must
# stay under this before any of it is parsed (a small zip can unpack to gigabytes)
MAX_XML_MB = 40

# the eight columns of the report table, in order: (key, Thai header)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("indicator", "ประเด็น/ตัวชี้วัด"),
    ("question", "ข้อคำถาม ITA"),
    ("analysis", "ผลการวิเคราะห์ประเมิน"),
    ("measures", "มาตรการ/โครงการ/กิจกรรม"),
    ("rationale", "ผลการวิเคราะห์ตัวชี้วัดที่สอดคล้องกับมาตรการ"),
    ("steps", "ขั้นตอน/วิธีการดำเนินการ"),
    ("period", "ระยะเวลาดำเนินการ"),
    ("divisions", "ผู้รับผิดชอบ"),
)
COLUMN_TH = dict(COLUMNS)
# Finding's fields that say how the report wrote its cells rather than what they mean: they differ
# between formats of one report (a template has the score in a column of its own; Word's own list
# numbering is not in the text), the other fields do not
WRITTEN_FORMS = ("indicator_cell", "question_code_text", "measures_mark", "steps_mark")


@dataclass
class Finding:
    seq: int
    indicator_no: int
    indicator_text: str  # as the report wrote it
    question_code: str | None
    question: str
    score: float | None
    analysis: str
    rationale: str
    measures: list[str]
    steps: list[str]
    period_text: str
    period_start: date | None
    period_end: date | None
    divisions: list[str]
    warnings: list[str] = field(default_factory=list)
    # how the report wrote what the fields above hold as values (see WRITTEN_FORMS): the written
    # report (exports/report.py) gives them back as they were
    indicator_cell: str | None = None  # "๒. การใช้ งบประมาณ (๙๗.๔๕ คะแนน)"; None: number and score in columns of their own
    question_code_text: str | None = None  # "i๔" (a slip of the letter repaired: "1๒" -> "i๒")
    measures_mark: str | None = None  # the first item's mark: "๑." "1)" "-" or "" (none); see fields.list_mark
    steps_mark: str | None = None


@dataclass
class Report:
    organization: str
    district: str | None
    province: str | None
    assessed_year: int  # BE
    plan_year: int  # BE fiscal year of the measures
    source_file: str
    findings: list[Finding]
    warnings: list[str] = field(default_factory=list)  # about the report as a whole
    agency_code: str | None = None  # the DLA code of the organization, where a sheet gives it


class ReportError(ValueError):
    """A file that is not a report we can read. str() is one line naming the file, and the row
    and column where there is one."""

    def __init__(self, file: str, reason: str, *, row: str | None = None, column: str | None = None):
        self.file, self.reason, self.row, self.column = file, reason, row, column
        where = ", ".join(x for x in (row, f"คอลัมน์ {column}" if column else None) if x)
        super().__init__(f"{file}: {where + ': ' if where else ''}{reason}")


def too_large(size: int) -> str:
    return f"ไฟล์ขนาด {size / 1024 / 1024:.1f} MB ใหญ่เกินไป: รับไฟล์รายงานไม่เกิน {MAX_FILE_MB} MB"


def too_many_rows(file: str, where: str | None = None) -> ReportError:
    """The error of a report with more than MAX_ROWS table rows, raised at the first row past it."""
    return ReportError(file, f"มีแถวในตารางเกิน {MAX_ROWS} แถว: รายงานหนึ่งฉบับมีไม่เกิน {MAX_ROWS} แถว "
                             f"(หนึ่งแถวต่อหนึ่งข้อคำถาม) ตรวจว่าเลือกไฟล์ถูกต้อง", row=where)


def check_unpacked(data: bytes, file: str, what: str) -> None:
    """A .docx/.xlsx (a zip) whose XML parts unpack to more than MAX_XML_MB is refused before it is
    parsed; the sizes come from the zip's directory, nothing is unpacked here. Not a zip at all:
    left to the format's reader, which says what the file seems to be."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist()
                           if info.filename.lower().endswith((".xml", ".rels")))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if unpacked > MAX_XML_MB * 1024 * 1024:
        raise ReportError(file, f"{what}มีเนื้อหาเมื่อแตกไฟล์ {unpacked / 1024 / 1024:.0f} MB เกิน {MAX_XML_MB} MB: "
                                f"ใหญ่เกินกว่าจะเป็นรายงานของหน่วยงานเดียว")
