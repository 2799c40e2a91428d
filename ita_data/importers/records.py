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
# what a .docx or .xlsx unpacks to: its XML parts (the text and tables) must stay under this before
# any of it is parsed (a small zip can unpack to gigabytes); its other parts (pictures, packed
# already) under the file's own limit
MAX_XML_MB = 40
# a score sheet of every agency in the country (8,300 x about 60 scores) is larger than a report: the
# command line reads one up to this size (the Data page's upload stays within MAX_FILE_MB)
MAX_SCORE_FILE_MB = 200
MAX_SCORE_ROWS = 1_000_000  # rows of a score sheet (8,300 agencies x up to about 100 scores each)
MAX_SCORE_XML_MB = 2_000  # what a score sheet's .xlsx may unpack to

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


def too_large(size: int, limit: int = MAX_FILE_MB) -> str:
    what = "ไฟล์รายงาน" if limit == MAX_FILE_MB else "แผ่นคะแนน"
    return f"ไฟล์ขนาด {size / 1024 / 1024:.1f} MB ใหญ่เกินไป: รับ{what}ไม่เกิน {limit} MB"


def too_many_rows(file: str, where: str | None = None, limit: int = MAX_ROWS) -> ReportError:
    """The error of a report with more than MAX_ROWS table rows (or a score sheet past
    MAX_SCORE_ROWS), raised at the first row past it."""
    if limit != MAX_ROWS:
        return ReportError(file, f"มีแถวเกิน {limit:,} แถว: ใหญ่เกินกว่าแผ่นคะแนนของทุกหน่วยงานในประเทศ", row=where)
    return ReportError(file, f"มีแถวในตารางเกิน {MAX_ROWS} แถว: รายงานหนึ่งฉบับมีไม่เกิน {MAX_ROWS} แถว "
                             f"(หนึ่งแถวต่อหนึ่งข้อคำถาม) ตรวจว่าเลือกไฟล์ถูกต้อง", row=where)


def check_unpacked(data: bytes, file: str, what: str, limit_mb: int = MAX_XML_MB,
                   other_mb: int = MAX_FILE_MB) -> None:
    """A .docx/.xlsx (a zip) that would unpack to more than it may is refused before it is parsed:
    its XML parts past `limit_mb`, or its other parts (pictures, or a part of any other name, which
    the readers may load all the same) past `other_mb`, since those are packed already and weigh
    about what the file itself may weigh. The sizes come from the zip's directory; nothing is
    unpacked here. Not a zip at all: left to the format's reader, which says what the file seems to be."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    xml = sum(info.file_size for info in parts if info.filename.lower().endswith((".xml", ".rels")))
    other = sum(info.file_size for info in parts) - xml
    for unpacked, limit, kind in ((xml, limit_mb, "มีเนื้อหา"), (other, other_mb, "มีรูปภาพและส่วนอื่น")):
        if unpacked > limit * 1024 * 1024:
            raise ReportError(file, f"{what}{kind}เมื่อแตกไฟล์ {unpacked / 1024 / 1024:.0f} MB เกิน {limit} MB: "
                                    + ("ใหญ่เกินกว่าจะเป็นรายงานของหน่วยงานเดียว" if limit_mb == MAX_XML_MB
                                       else "ใหญ่เกินกว่าแผ่นคะแนนทั้งประเทศ"))


# ---------------------------------------------------------------- a year's scores (importers/scores.py)

@dataclass
class ScoreRow:
    """One score of a score sheet: a question's (question_code "i4"), an indicator's official score
    (question_code ""), or the overall ITA score (indicator_no 0, question_code "")."""
    indicator_no: int  # 0 = the overall ITA score, 1-10 the indicators
    question_code: str  # "" for an indicator's (or the overall) score
    score: float
    row: str = ""  # where in the file ("แถวที่ 3 (Excel แถว 4)")


@dataclass
class YearScores:
    """One organization's scores of one assessed year, as a score sheet gives them."""
    organization: str
    district: str | None
    province: str | None
    agency_code: str | None
    assessed_year: int  # BE
    source_file: str
    rows: list[ScoreRow]
    warnings: list[str] = field(default_factory=list)

    @property
    def overall(self) -> float | None:
        return next((r.score for r in self.rows if r.indicator_no == 0), None)

    @property
    def indicators(self) -> dict[int, float]:
        """Official indicator scores by number."""
        return {r.indicator_no: r.score for r in self.rows if r.indicator_no and not r.question_code}

    @property
    def questions(self) -> dict[str, float]:
        return {r.question_code: r.score for r in self.rows if r.question_code}


@dataclass
class ScoreSheet:
    """A score sheet file: one YearScores per organization and year it holds, in the file's order."""
    source_file: str
    years: list[YearScores]
    warnings: list[str] = field(default_factory=list)  # about the file (unknown columns), then every row's (codes outside the year's question set)
