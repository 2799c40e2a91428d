"""What every format shares: reading the titles, turning one table row into a Finding, and the
checks over the whole report. Warnings and errors are made here and nowhere else."""
from __future__ import annotations

import re

from .. import framework
from ..divisions import split_divisions
from ..thai import full_be_year, to_arabic
from . import fields
from .records import COLUMN_TH, COLUMNS, Finding, Report, ReportError

Cell = str | list[str]

HEADER_WORDS = ("ข้อคำถาม", "ประเด็น/ตัวชี้วัด", "ผู้รับผิดชอบ", "มาตรการ/โครงการ", "ขั้นตอน/วิธีการ",
                "การวิเคราะห์ผลการประเมิน", "การนำผลประเมิน", "ผลการวิเคราะห์ประเมิน", "ระยะเวลา")

_ORG_TYPES = ("องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนจังหวัด", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร")
_ORG_ABBR = {"อบต.": "องค์การบริหารส่วนตำบล", "อบจ.": "องค์การบริหารส่วนจังหวัด", "ทต.": "เทศบาลตำบล",
             "ทม.": "เทศบาลเมือง", "ทน.": "เทศบาลนคร"}
_ORG = re.compile(rf"({'|'.join(_ORG_TYPES)})\s*([^\s*]+)")
_ORG_SHORT = re.compile(rf"({'|'.join(map(re.escape, _ORG_ABBR))})\s*([^\s*]+)")
_DISTRICT = re.compile(r"(?:อำเภอ|เขต|(?<![ก-๙])อ\.)\s*([^\s*]+)")  # อ.เมือง
_PROVINCE = re.compile(r"(?:จังหวัด|(?<![ก-๙])จ\.)\s*([^\s*]+)")  # จ.สระบุรี
_PLAN_YEAR = re.compile(r"ปีงบประมาณ\s*(?:พ\.\s*ศ\.)?\s*(\d{4})")
_ASSESSED_YEAR = re.compile(r"ผลการประเมิน\S*?\s*(?:ใน)?\s*ปี\s*(?:พ\.\s*ศ\.)?\s*(\d{4})")
_COVER_YEAR = re.compile(r"ประจำปี\s*(?:พ\.\s*ศ\.)\s*(\d{4})")


def is_header(cells: list[str]) -> bool:
    """A header row: at least two of its cells start with a column title."""
    starts = sum(1 for cell in cells if fields.clean(_text(cell)).startswith(HEADER_WORDS))
    return starts >= 2


def parse_titles(lines: list[str], file: str) -> dict:
    """Organization, district, province, assessed and plan year from the report's title lines."""
    text = to_arabic(" ".join(line.replace("*", " ") for line in lines))
    found: dict = {"warnings": []}
    m = _ORG.search(text)
    if m:
        found["organization"] = m.group(1) + m.group(2)
    else:
        m = _ORG_SHORT.search(text)
        if not m:
            raise ReportError(file, "ไม่พบชื่อหน่วยงาน (องค์การบริหารส่วนตำบล/เทศบาล...) ในหัวรายงาน")
        found["organization"] = _ORG_ABBR[m.group(1)] + m.group(2)
    rest = text[:m.start()] + " " + text[m.end():]
    district = _DISTRICT.search(rest)
    province = _PROVINCE.search(rest)
    found["district"] = district.group(1) if district else None
    if province:
        found["province"] = province.group(1)
    elif found["organization"].startswith("องค์การบริหารส่วนจังหวัด"):
        found["province"] = m.group(2)
    else:
        found["province"] = None
    plan = _PLAN_YEAR.search(text)
    assessed = _ASSESSED_YEAR.search(text) or _COVER_YEAR.search(text)
    plan_year = full_be_year(int(plan.group(1))) if plan else None
    assessed_year = full_be_year(int(assessed.group(1))) if assessed else None
    if plan_year is None and assessed_year is None:
        raise ReportError(file, "ไม่พบปีงบประมาณหรือปีที่ประเมินในหัวรายงาน")
    if plan_year is None:
        plan_year = assessed_year + 1
        found["warnings"].append(f"ไม่พบปีงบประมาณในหัวรายงาน: ถือเป็นปี {plan_year} (ปีถัดจากปีที่ประเมิน)")
    if assessed_year is None:
        assessed_year = plan_year - 1
        found["warnings"].append(f"ไม่พบปีที่ประเมินในหัวรายงาน: ถือเป็นปี {assessed_year} (ปีก่อนปีงบประมาณ)")
    found["plan_year"], found["assessed_year"] = plan_year, assessed_year
    return found


def check_columns(cells: list, file: str, row_label: str) -> list:
    """Exactly the eight report columns (empty trailing cells beyond them are dropped)."""
    cells = list(cells)
    while len(cells) > len(COLUMNS) and not fields.clean(_text(cells[-1])):
        cells.pop()
    if len(cells) != len(COLUMNS):
        missing = ", ".join(th for _, th in COLUMNS[len(cells):]) if len(cells) < len(COLUMNS) else ""
        detail = f"ขาดคอลัมน์ {missing}" if missing else "มีคอลัมน์เกิน"
        raise ReportError(file, f"มี {len(cells)} คอลัมน์ แต่ตารางรายงานต้องมี {len(COLUMNS)} คอลัมน์ ({detail})",
                          row=row_label)
    return cells


def _text(cell: Cell) -> str:
    return " ".join(cell) if isinstance(cell, list) else (cell or "")


def build_finding(cells: dict[str, Cell], position: int, assessed_year: int, plan_year: int,
                  file: str, row_label: str, *, score: float | None = None,
                  question_code: str | None = None) -> Finding:
    """One report row -> Finding. `score`/`question_code` come from their own columns where a
    format has them (the template); otherwise they are read out of the indicator/question cells."""
    try:
        return _build(cells, position, assessed_year, plan_year, score, question_code)
    except fields.CellError as e:
        raise ReportError(file, e.reason, row=row_label, column=e.column) from None


def _build(cells, position, assessed_year, plan_year, score_given, code_given) -> Finding:
    warnings: list[str] = []
    col = COLUMN_TH
    seq, indicator_text, score = fields.parse_indicator_cell(_text(cells.get("indicator")))
    if score_given is not None:
        score = score_given
    fields.check_score(score, col["indicator"])
    if seq is None:
        seq = position
    indicator_no = framework.match_indicator(indicator_text)

    question_cell = _text(cells.get("question"))
    if code_given:
        code, code_warnings = _given_code(code_given)
        question = fields.clean(question_cell)
    else:
        code, question, code_warnings = fields.parse_question_cell(question_cell, indicator_no, assessed_year)
    warnings += code_warnings
    if indicator_no is None:
        from_code = framework.indicator_of_code(code[0], int(code[1:]), assessed_year) if code else None
        if from_code is None:
            what = f'"{indicator_text}"' if indicator_text else "(ว่าง)"
            raise fields.CellError(col["indicator"], f"ไม่รู้จักตัวชี้วัด {what}")
        indicator_no = from_code
        warnings.append(f'ไม่รู้จักชื่อตัวชี้วัด "{indicator_text}": ใช้ตัวชี้วัดที่ {from_code} '
                        f'{framework.INDICATOR_BY_NO[from_code].name_th} ตามรหัสข้อคำถาม {code}')
    elif re.sub(r"\s", "", indicator_text) != framework.INDICATOR_BY_NO[indicator_no].name_th:
        warnings.append(f'ตัวชี้วัด "{indicator_text}" อ่านเป็นตัวชี้วัดที่ {indicator_no} '
                        f'{framework.INDICATOR_BY_NO[indicator_no].name_th}')
    warnings += fields.check_code_fits(code, indicator_no, assessed_year)
    if score is None:
        warnings.append("ไม่พบคะแนนในช่องตัวชี้วัด")

    analysis, w1 = fields.repair_broken_numbers(fields.clean(_text(cells.get("analysis"))), col["analysis"])
    rationale, w2 = fields.repair_broken_numbers(fields.clean(_text(cells.get("rationale"))), col["rationale"])
    warnings += w1 + w2
    warnings += fields.check_score_mentions(score, {col["analysis"]: analysis, col["rationale"]: rationale})

    measures = fields.split_items(cells.get("measures") or "")
    if not measures:
        warnings.append("ไม่มีมาตรการ/โครงการ/กิจกรรม")
    steps = fields.split_items(cells.get("steps") or "")
    period_text = fields.clean(_text(cells.get("period")))
    start, end, period_warnings = fields.parse_period(period_text, plan_year)
    warnings += period_warnings
    divisions, division_warnings = split_divisions(_text(cells.get("divisions")))
    warnings += division_warnings
    if not divisions:
        warnings.append("ไม่ได้ระบุผู้รับผิดชอบ")
    return Finding(seq=seq, indicator_no=indicator_no, indicator_text=indicator_text, question_code=code,
                   question=question, score=score, analysis=analysis, rationale=rationale,
                   measures=measures, steps=steps, period_text=period_text, period_start=start,
                   period_end=end, divisions=divisions, warnings=warnings)


def _given_code(text: str) -> tuple[str | None, list[str]]:
    m = re.fullmatch(r"\s*([ieoIEO])\s*([0-9๐-๙]{1,2})\s*", text)
    if not m:
        raise fields.CellError("รหัสข้อคำถาม", f'รหัสข้อคำถาม "{text}" ต้องเป็นตัวอักษร i, e หรือ o ตามด้วยตัวเลข')
    return f"{m.group(1).lower()}{int(to_arabic(m.group(2)))}", []


def make_report(titles: dict, findings: list[Finding], file: str, row_labels: list[str]) -> Report:
    """The checks over the whole report: at least one row, row numbers not repeated."""
    if not findings:
        raise ReportError(file, "ไม่พบแถวของตารางรายงาน (ต้องมีคอลัมน์: "
                                + " | ".join(th for _, th in COLUMNS) + ")")
    seen: dict[int, str] = {}
    for finding, label in zip(findings, row_labels):
        if finding.seq in seen:
            raise ReportError(file, f"ลำดับแถว {finding.seq} ซ้ำกับ{seen[finding.seq]}", row=label,
                              column=COLUMN_TH["indicator"])
        seen[finding.seq] = label
    return Report(organization=titles["organization"], district=titles.get("district"),
                  province=titles.get("province"), assessed_year=titles["assessed_year"],
                  plan_year=titles["plan_year"], source_file=file, findings=findings,
                  warnings=titles.get("warnings", []))
