"""What every format shares: reading the titles, turning one table row into a Finding, and the
checks over the whole report. Warnings and errors are made here and nowhere else."""
from __future__ import annotations

import re
from collections.abc import Collection

from .. import framework
from ..divisions import completions, split_divisions
from ..thai import ORG_ABBREVIATIONS, full_be_year, to_arabic
from . import fields
from .records import COLUMN_TH, COLUMNS, Finding, Report, ReportError

Cell = str | list[str]

HEADER_WORDS = ("ข้อคำถาม", "ประเด็น/ตัวชี้วัด", "ผู้รับผิดชอบ", "มาตรการ/โครงการ", "ขั้นตอน/วิธีการ",
                "การวิเคราะห์ผลการประเมิน", "การนำผลประเมิน", "ผลการวิเคราะห์ประเมิน", "ระยะเวลา")

# the kind of local administration written in full, or abbreviated (thai.ORG_ABBREVIATIONS), then its name
_ORG = re.compile(rf"({'|'.join(ORG_ABBREVIATIONS.values())})\s*([^\s*]+)")
_ORG_SHORT = re.compile(rf"({'|'.join(map(re.escape, ORG_ABBREVIATIONS))})\s*([^\s*]+)")
_DISTRICT = re.compile(r"(?:อำเภอ|เขต|(?<![ก-๙])อ\.)\s*([^\s*]+)")  # อ.เมือง
_PROVINCE = re.compile(r"(?:จังหวัด|(?<![ก-๙])จ\.)\s*([^\s*]+)")  # จ.สระบุรี
_PLAN_YEAR = re.compile(r"ปีงบประมาณ\s*(?:พ\.\s*ศ\.)?\s*(\d{4})")
_ASSESSED_YEAR = re.compile(r"ผลการประเมิน\S*?\s*(?:ใน)?\s*ปี\s*(?:พ\.\s*ศ\.)?\s*(\d{4})")
_COVER_YEAR = re.compile(r"ประจำปี\s*(?:พ\.\s*ศ\.)\s*(\d{4})")


def is_header(cells: list[str]) -> bool:
    """A header row: at least two of its cells start with a column title."""
    starts = sum(1 for cell in cells if fields.clean(_text(cell)).startswith(HEADER_WORDS))
    return starts >= 2


def organization_name(text: str) -> str | None:
    """The organization a text names, as its full name: the kind written in full or abbreviated
    (อบต. อบจ. ทต. ทม. ทน.), then the one word after it. 'ของ อบต. ท่าช้าง อ.เมือง' ->
    'องค์การบริหารส่วนตำบลท่าช้าง'; None when the text names no kind of local administration.
    A full kind anywhere in the text wins over an abbreviation."""
    found = _find_organization(text)
    return found[0] if found else None


def _find_organization(text: str) -> tuple[str, re.Match] | None:
    m = _ORG.search(text)
    if m:
        return m.group(1) + m.group(2), m
    m = _ORG_SHORT.search(text)
    if m:
        return ORG_ABBREVIATIONS[m.group(1)] + m.group(2), m
    return None


def complete_years(assessed: int | None, plan: int | None, *,
                   missing: str = "ไม่พบ{}ในหัวรายงาน") -> tuple[int, int, list[str]]:
    """(assessed, plan, warnings): a missing year is the other one -/+ 1 (results of year N, measures
    in fiscal year N+1), with a warning; `missing` words what was not found ("{}" = the year's name).
    The caller refuses a report without either year (ValueError here)."""
    if assessed is None and plan is None:
        raise ValueError("no assessed year and no plan year")
    warnings = []
    if plan is None:
        plan = assessed + 1
        warnings.append(f"{missing.format('ปีงบประมาณ')}: ถือเป็นปี {plan} (ปีถัดจากปีที่ประเมิน)")
    if assessed is None:
        assessed = plan - 1
        warnings.append(f"{missing.format('ปีที่ประเมิน')}: ถือเป็นปี {assessed} (ปีก่อนปีงบประมาณ)")
    return assessed, plan, warnings


def parse_titles(lines: list[str], file: str) -> dict:
    """Organization, district, province, assessed and plan year from the report's title lines."""
    text = to_arabic(" ".join(line.replace("*", " ") for line in lines))
    found: dict = {"warnings": []}
    organization = _find_organization(text)
    if organization is None:
        raise ReportError(file, "ไม่พบชื่อหน่วยงาน (องค์การบริหารส่วนตำบล/เทศบาล...) ในหัวรายงาน")
    found["organization"], m = organization
    rest = text[:m.start()] + " " + text[m.end():]
    district = _DISTRICT.search(rest)
    province = _PROVINCE.search(rest)
    found["district"] = district.group(1) if district else None
    if province:
        found["province"] = province.group(1)
    elif found["organization"].startswith(ORG_ABBREVIATIONS["อบจ."]):
        found["province"] = m.group(2)
    else:
        found["province"] = None
    plan = _PLAN_YEAR.search(text)
    assessed = _ASSESSED_YEAR.search(text) or _COVER_YEAR.search(text)
    plan_year = full_be_year(int(plan.group(1))) if plan else None
    assessed_year = full_be_year(int(assessed.group(1))) if assessed else None
    if plan_year is None and assessed_year is None:
        raise ReportError(file, "ไม่พบปีงบประมาณหรือปีที่ประเมินในหัวรายงาน")
    found["assessed_year"], found["plan_year"], warnings = complete_years(assessed_year, plan_year)
    found["warnings"] += warnings
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
    col = COLUMN_TH
    # a score broken by the PDF's line wrap ("(๙ ๙.๕๗ คะแนน)") is read whole, with a warning
    indicator_cell, warnings = fields.repair_broken_numbers(fields.clean(_text(cells.get("indicator"))),
                                                            col["indicator"])
    seq, indicator_text, score = fields.parse_indicator_cell(indicator_cell)
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
        code_text = fields.clean(code_given)
    else:
        code, question, code_warnings = fields.parse_question_cell(question_cell, indicator_no, assessed_year)
        code_text = fields.written_code(question_cell, code)
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
    measures_mark = fields.list_mark(cells.get("measures") or "")
    if not measures:
        warnings.append("ไม่มีมาตรการ/โครงการ/กิจกรรม")
    steps = fields.split_items(cells.get("steps") or "")
    steps_mark = fields.list_mark(cells.get("steps") or "")
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
                   period_end=end, divisions=divisions, warnings=warnings,
                   # the cell as written, when the score is in it (not in a column of its own)
                   indicator_cell=indicator_cell if score_given is None else None,
                   question_code_text=code_text, measures_mark=measures_mark, steps_mark=steps_mark)


def _given_code(text: str) -> tuple[str | None, list[str]]:
    m = re.fullmatch(r"\s*([ieoIEO])\s*([0-9๐-๙]{1,2})\s*", text)
    if not m:
        raise fields.CellError("รหัสข้อคำถาม", f'รหัสข้อคำถาม "{text}" ต้องเป็นตัวอักษร i, e หรือ o ตามด้วยตัวเลข')
    return f"{m.group(1).lower()}{int(to_arabic(m.group(2)))}", []


def read_rows(title_lines: list[str], rows: list[tuple[str, list[Cell]]], file: str, *,
              merged: Collection[str] = ()) -> Report:
    """The report from its title lines and its table rows, (label, the row's cells) in order: the
    loop the text and Word formats share. `merged` holds the labels of rows whose indicator cell is
    the cell of the row above merged down over them (see make_report)."""
    info = parse_titles(title_lines, file)
    findings, labels = [], []
    for position, (label, cells) in enumerate(rows, start=1):
        cells = check_columns(cells, file, label)
        named = {key: cell for (key, _), cell in zip(COLUMNS, cells)}
        findings.append(build_finding(named, position, info["assessed_year"], info["plan_year"], file, label))
        labels.append(label)
    return make_report(info, findings, file, labels, merged=merged)


def make_report(titles: dict, findings: list[Finding], file: str, row_labels: list[str], *,
                seq_column: str = COLUMN_TH["indicator"], merged: Collection[str] = ()) -> Report:
    """The checks over the whole report: at least one row, row numbers not repeated (a repeat is
    refused naming `seq_column`, the column the number was read from), and a last row that looks cut.

    A row repeating the indicator cell of the row above (a cell merged down over several question
    rows, which Word gives again for each row, or the same text written again) with another question
    continues the numbering: it takes the next free number, with a warning; a later row whose number
    that took moves on too. The same number with the same question is refused."""
    if not findings:
        raise ReportError(file, "ไม่พบแถวของตารางรายงาน (ต้องมีคอลัมน์: "
                                + " | ".join(th for _, th in COLUMNS) + ")")
    written: dict[int, list[tuple[str, Finding]]] = {}  # number as written -> (label, row) that wrote it
    used: set[int] = set()
    previous: tuple[int, Finding] | None = None  # the row above: its written number, the row
    last = 0  # the number the row above was given
    for finding, label in zip(findings, row_labels):
        number = finding.seq
        earlier = written.get(number, [])
        if earlier:
            same = next((where for where, other in earlier if _same_question(other, finding)), None)
            continues = (same is None and previous is not None and previous[0] == number
                         and (label in merged or _same_indicator_cell(previous[1], finding)))
            if not continues:
                raise ReportError(file, f"ลำดับแถว {number} ซ้ำกับ{same or earlier[0][0]}", row=label,
                                  column=seq_column)
            seq = _next_free(last, used)
            how = "เซลล์ตัวชี้วัดที่ผสานต่อลงมา" if label in merged else "ช่องตัวชี้วัดเขียนเหมือนแถวก่อนหน้า"
            finding.warnings.append(
                f"ลำดับ {number} ซ้ำกับแถวก่อนหน้า ({how}) แต่เป็นข้อคำถามอื่น "
                f"({finding.question_code or finding.question[:40]}): ถือเป็นแถวต่อเนื่อง บันทึกเป็นลำดับ {seq}")
        elif number in used:  # taken by a row that continued numbering above
            seq = _next_free(last, used)
            finding.warnings.append(f"ลำดับ {number} ถูกใช้แล้วโดยแถวต่อเนื่องก่อนหน้า: บันทึกเป็นลำดับ {seq}")
        else:
            seq = number
        written.setdefault(number, []).append((label, finding))
        used.add(seq)
        finding.seq = last = seq
        previous = (number, finding)
    _check_cut_divisions(findings[-1])
    return Report(organization=titles["organization"], district=titles.get("district"),
                  province=titles.get("province"), assessed_year=titles["assessed_year"],
                  plan_year=titles["plan_year"], source_file=file, findings=findings,
                  warnings=titles.get("warnings", []), agency_code=titles.get("agency_code"))


def _next_free(after: int, used: set[int]) -> int:
    seq = after + 1
    while seq in used:
        seq += 1
    return seq


def _same_question(a: Finding, b: Finding) -> bool:
    if a.question_code or b.question_code:
        return a.question_code == b.question_code
    return a.question == b.question


def _same_indicator_cell(above: Finding, row: Finding) -> bool:
    """The row's indicator cell says what the one above says: name and score (the caller compares
    the written numbers; `above.seq` may already be renumbered)."""
    return (above.indicator_text, above.score, above.indicator_no) == (row.indicator_text, row.score,
                                                                       row.indicator_no)


def _check_cut_divisions(finding: Finding) -> None:
    """A file cut inside its last column ends in part of a division name: "กองสาธารณสุ". Flag the
    last row whose last division is no known name but the start of one (a cut that ends on a whole
    name cannot be told from a complete row)."""
    if not finding.divisions:
        return
    name = finding.divisions[-1]
    whole = completions(name)
    if whole:
        finding.warnings.append(f'ผู้รับผิดชอบ "{name}" ในแถวสุดท้ายเป็นเพียงส่วนต้นของชื่อ '
                                f'{" หรือ ".join(whole)}: ไฟล์อาจถูกตัดท้าย ตรวจสอบว่าได้ไฟล์ครบ')
