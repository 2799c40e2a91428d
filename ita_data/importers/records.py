"""The plain records every importer produces, and the one error they raise."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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
    warnings: list[str] = field(default_factory=list)  # about the file as a whole (unknown columns)
