"""A whole year's ITA scores as a sheet (.csv or .xlsx): one row per score, for one or several
organizations and years; and the blank score sheet. SCORE_COLUMNS is the one place documenting
the columns.

    organization | district | province | agency_code | assessed_year | indicator_no | question_code | score

A row with a question code is that question's score; a row with an empty question code is the
indicator's official score; indicator 0 (or the word ITA) is the overall ITA score. Headers in Thai
or English, digits Thai or Arabic, codes in either case ("I๔" -> i4). An empty organization (or
year) cell takes the row above's, as a sheet with merged cells gives it; so does an empty district,
province or agency code of a row naming the same organization as the row above.

A table is a score sheet, not a report template (importers/table.py), when its header has a score
column and none of the report's own columns (measures, question text, analysis, ...): see
`is_score_sheet`. Anything that cannot be used is a ReportError naming the file, row and column,
and nothing is read."""
from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from .. import framework
from ..thai import to_arabic
from .fields import CellError
from .records import ReportError, ScoreRow, ScoreSheet, YearScores
from .table import (_KEYS_BY_HEADER, SHEET_EXAMPLE, SHEET_SCORES, Blank, Record, _agency_code, _district,
                    _header_key, _lines, _organization, _province, _score, _text, _year, write_blank)


class ScoreColumn(NamedTuple):
    key: str  # English key, also accepted as the header
    header: str  # Thai header written in the blank sheet
    required: bool
    description: str
    aliases: tuple[str, ...] = ()  # other headers accepted


SCORE_COLUMNS: tuple[ScoreColumn, ...] = (
    ScoreColumn("organization", "หน่วยงาน", True,
                "ชื่อเต็มของหน่วยงาน (เขียนย่อ อบต. ทต. ทม. ทน. อบจ. ได้) หลายหน่วยงานในแผ่นเดียวได้; "
                "เว้นว่าง = หน่วยงานเดียวกับแถวก่อนหน้า", ("ชื่อหน่วยงาน", "ชื่อองค์กรปกครองส่วนท้องถิ่น")),
    ScoreColumn("district", "อำเภอ", False, "อำเภอที่ตั้งของหน่วยงาน"),
    ScoreColumn("province", "จังหวัด", False, "จังหวัดที่ตั้งของหน่วยงาน (แยกหน่วยงานชื่อซ้ำกันในจังหวัดอื่น)"),
    ScoreColumn("agency_code", "รหัสหน่วยงาน", False,
                "รหัสหน่วยงานของกรมส่งเสริมการปกครองท้องถิ่น (ตัวเลข 4-10 หลัก) ถ้ามี"),
    ScoreColumn("assessed_year", "ปีที่ประเมิน", True,
                "ปี พ.ศ. ของการประเมิน ITA เช่น 2568 (เลขไทยหรืออารบิก) หลายปีในแผ่นเดียวได้; "
                "เว้นว่าง = ปีเดียวกับแถวก่อนหน้า", ("ปีประเมิน", "ปี")),
    ScoreColumn("indicator_no", "ตัวชี้วัดที่", True,
                "เลขตัวชี้วัด 1-10 (หรือชื่อตัวชี้วัด); 0 หรือคำว่า ITA = คะแนน ITA รวมของหน่วยงาน",
                ("ตัวชี้วัด", "เลขตัวชี้วัด", "indicator", "indicator no")),
    ScoreColumn("question_code", "รหัสข้อคำถาม", True,
                "รหัสข้อคำถาม เช่น i4, e3, o22 (ตัวพิมพ์เล็กหรือใหญ่ เลขไทยหรืออารบิก); "
                "เว้นว่าง = คะแนนทางการของตัวชี้วัดทั้งตัว", ("รหัสข้อ", "ข้อ", "code", "question")),
    ScoreColumn("score", "คะแนน", True, "คะแนน 0-100 เช่น 96.80 หรือ ๙๖.๘๐", ("คะแนนที่ได้",)),
)
SCORE_HEADER = {column.key: column.header for column in SCORE_COLUMNS}
IDENTITY_KEYS = ("organization", "district", "province", "agency_code")
OVERALL_WORDS = ("ita", "รวม", "ภาพรวม", "คะแนนรวม", "คะแนนita", "ita รวม")

_SCORE_KEYS = {_header_key(name): column.key
               for column in SCORE_COLUMNS for name in (column.key, column.header, *column.aliases)}
# columns only a report has: a table with one of them is a report template, not a score sheet
_REPORT_ONLY = {"question", "analysis", "measures", "rationale", "steps", "period", "divisions", "plan_year",
                "seq"}

EXAMPLE_ROWS: tuple[dict, ...] = (
    {"organization": "องค์การบริหารส่วนตำบลมวกเหล็ก", "district": "มวกเหล็ก", "province": "สระบุรี",
     "assessed_year": 2568, "indicator_no": "ITA", "question_code": None, "score": 96.12},
    {"assessed_year": 2568, "indicator_no": 1, "question_code": None, "score": 98.05},
    {"assessed_year": 2568, "indicator_no": 1, "question_code": "i1", "score": 98.40},
    {"assessed_year": 2568, "indicator_no": 1, "question_code": "i2", "score": 97.87},
    {"assessed_year": 2568, "indicator_no": 1, "question_code": "i3", "score": 97.90},
    {"assessed_year": 2568, "indicator_no": 2, "question_code": None, "score": 94.10},
    {"assessed_year": 2568, "indicator_no": 2, "question_code": "i4", "score": 97.45},
    {"assessed_year": 2568, "indicator_no": 2, "question_code": "i5", "score": 87.87},
)


# ---------------------------------------------------------------- telling a score sheet from a report

def _header_row(records: list[Record]) -> int | None:
    """The first row with a header either kind of table knows."""
    for i, (_, values) in enumerate(records):
        if any(_header_key(v) in _SCORE_KEYS or _header_key(v) in _KEYS_BY_HEADER for v in values if v is not None):
            return i
    return None


def is_score_sheet(records: list[Record]) -> bool:
    """A score sheet's header has a score column (or an indicator-number one) and none of the columns
    only a report has (measures, question text, analysis, steps, period, divisions, plan year, row
    number)."""
    start = _header_row(records)
    if start is None:
        return False
    keys = [_header_key(v) for v in records[start][1] if v is not None]
    if any(_KEYS_BY_HEADER.get(k) in _REPORT_ONLY for k in keys):
        return False
    score_keys = {_SCORE_KEYS.get(k) for k in keys}
    return "score" in score_keys or "indicator_no" in score_keys


# ---------------------------------------------------------------- reading

def read_score_records(records: list[Record], file: str) -> ScoreSheet:
    """The sheet's scores, one YearScores per organization and year in the order they first appear."""
    start = _header_row(records)
    if start is None:
        raise ReportError(file, "ไม่พบหัวตารางของแผ่นคะแนน (หน่วยงาน ปีที่ประเมิน ตัวชี้วัดที่ รหัสข้อคำถาม คะแนน)")
    where, values = records[start]
    columns: dict[int, str] = {}
    warnings: list[str] = []
    for i, value in enumerate(values):
        key = _SCORE_KEYS.get(_header_key(value))
        if key is None:
            if _text(value):
                warnings.append(f'ไม่รู้จักคอลัมน์ "{_text(value)}": ไม่ได้นำเข้า')
        elif key in columns.values():
            raise ReportError(file, f'คอลัมน์ "{_text(value)}" ซ้ำ: มีคอลัมน์{SCORE_HEADER[key]}อยู่แล้ว', row=where)
        else:
            columns[i] = key
    missing = [c.header for c in SCORE_COLUMNS if c.required and c.key not in columns.values()]
    if missing:
        raise ReportError(file, f"ไม่พบคอลัมน์ {', '.join(missing)} ในหัวตารางแผ่นคะแนน "
                                "(ใช้หัวตารางตามแผ่นคะแนนเปล่า ดาวน์โหลดได้ที่หน้า ข้อมูล)", row=where)
    # messages name a column as the file's header does
    names = {**SCORE_HEADER, **{key: _text(values[i]) for i, key in columns.items()}}

    groups: dict[tuple, YearScores] = {}
    seen: dict[tuple, str] = {}  # (identity, year, indicator or code) -> the row that has it
    previous: dict[str, object] = {}  # the identity and year of the row above
    # a national sheet repeats its cells (indicators, codes, years, blanks): each distinct one is read once
    indicators: dict = {}
    codes: dict = {}
    scores: dict = {}
    outside: dict = {}  # (code, indicator, year) -> why it is outside the year's question set, or ""
    row_warnings: dict[tuple, list[str]] = {}  # (identity, year) -> its rows' warnings
    carried = ("organization", "district", "province", "agency_code", "assessed_year")
    identity = year = None
    number = 0
    for place, cells in records[start + 1:]:
        row = {key: cells[i] if i < len(cells) else None for i, key in columns.items()}
        if all(_blank(value) for value in row.values()) or not any(_lines(value) for value in row.values()):
            continue
        number += 1
        label = f"แถวที่ {number} ({place})"
        try:
            if identity is None or not all(_blank(row.get(key)) for key in carried):
                identity, year = _identity(row, previous, names)
            raw = row.get("indicator_no")
            indicator_no = indicators.get(raw) if _hashable(raw) else None
            if indicator_no is None:
                indicator_no = _indicator_no(raw, names["indicator_no"])
                if _hashable(raw):
                    indicators[raw] = indicator_no
            raw = row.get("question_code")
            key = (raw, indicator_no, year)
            code = codes.get(key) if _hashable(raw) else None
            if code is None:
                code = codes[key] = _question_code(raw, indicator_no, year, names)
            if code and (code, indicator_no, year) not in outside:
                outside[(code, indicator_no, year)] = _outside_question_set(code, indicator_no, year)
            doubt = outside.get((code, indicator_no, year)) if code else None
            raw = row.get("score")
            score = scores.get(raw) if _hashable(raw) else None
            if score is None:
                score = _score(raw, names["score"])
                if score is None:
                    raise CellError(names["score"], "ไม่ได้กรอกคะแนน")
                if _hashable(raw):
                    scores[raw] = score
        except CellError as e:
            raise ReportError(file, e.reason, row=label, column=e.column) from None
        key = (identity, year, code or indicator_no)
        if key in seen:
            what = (f"ข้อคำถาม {code}" if code else
                    "คะแนน ITA รวม" if indicator_no == 0 else f"คะแนนตัวชี้วัดที่ {indicator_no}")
            raise ReportError(file, f"{what} ของ{identity[0]} ปี {year} ซ้ำกับ{seen[key]}",
                              row=label, column=names["question_code" if code else "indicator_no"])
        seen[key] = label
        group = groups.get((identity, year))
        if group is None:
            group = groups[(identity, year)] = YearScores(*identity, year, file, [])
        group.rows.append(ScoreRow(indicator_no, code, score, label))
        if doubt:  # imported, but said: the framework's question sets are an assumption
            row_warnings.setdefault((identity, year), []).append(f"{label}, คอลัมน์ {names['question_code']}: {doubt}")
    if not groups:
        raise ReportError(file, "ไม่พบแถวคะแนนใต้หัวตาราง: กรอกหนึ่งแถวต่อหนึ่งคะแนน", row=where)
    for key, group in groups.items():  # what the file's header said, and its own rows' doubts, kept with each import
        group.warnings = [*warnings, *row_warnings.get(key, [])]
    return ScoreSheet(file, list(groups.values()), [*warnings, *(w for ws in row_warnings.values() for w in ws)])


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _hashable(value) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _identity(row: dict, previous: dict, names: dict[str, str]) -> tuple[tuple, int]:
    """(organization, district, province, agency code) and the year of a row; empty cells from the row
    above (see the module docstring)."""
    name = _organization(row.get("organization"), names["organization"])
    if name is not None and not re.search(r"[ก-ฮA-Za-z]", name):
        raise CellError(names["organization"], f'"{name}" ไม่ใช่ชื่อหน่วยงาน (เช่น องค์การบริหารส่วนตำบลมวกเหล็ก)')
    readers = {"district": _district, "province": _province, "agency_code": _agency_code}
    given = {key: readers[key](row.get(key), names[key]) for key in readers}
    if name is None:
        if "organization" not in previous:
            raise CellError(names["organization"], "ไม่ได้กรอกชื่อหน่วยงาน")
        name = previous["organization"]
    if name == previous.get("organization"):  # the same organization: what it left empty is the above's
        given = {key: value if value is not None else previous.get(key) for key, value in given.items()}
    year = _year(row.get("assessed_year"), names["assessed_year"])
    if year is None:
        if "assessed_year" not in previous:
            raise CellError(names["assessed_year"], "ไม่ได้กรอกปีที่ประเมิน")
        year = previous["assessed_year"]
    previous.update(organization=name, assessed_year=year, **given)
    return (name, given["district"], given["province"], given["agency_code"]), year


def _indicator_no(value, column: str) -> int:
    """0-10 written as a number (Thai or Arabic digits), "ตัวชี้วัดที่ 3", "3. การใช้อำนาจ", the
    indicator's name, or ITA / รวม for the overall score (0)."""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 0 <= value <= max(framework.INDICATOR_BY_NO):
            return int(value)
        raise CellError(column, f"ตัวชี้วัดที่ {value:g} ไม่มี: ใช้ 1-10 หรือ 0 (ITA) สำหรับคะแนนรวม")
    text = to_arabic(_text(value))
    if not text:
        raise CellError(column, "ไม่ได้กรอกตัวชี้วัด (1-10 หรือ ITA สำหรับคะแนนรวม)")
    if re.sub(r"\s+", "", text).casefold() in {re.sub(r"\s+", "", w) for w in OVERALL_WORDS}:
        return 0
    m = re.fullmatch(r"(?:ตัวชี้วัด(?:ที่)?\s*)?(\d{1,2})(?:\s*[.)]\s*(.*))?", text)
    if m:
        no = int(m.group(1))
        if no > max(framework.INDICATOR_BY_NO):
            raise CellError(column, f"ตัวชี้วัดที่ {no} ไม่มี: ใช้ 1-10 หรือ 0 (ITA) สำหรับคะแนนรวม")
        named = framework.match_indicator(m.group(2)) if m.group(2) else None
        if m.group(2) and named is not None and named != no:
            raise CellError(column, f'"{text}": เลข {no} ไม่ตรงกับชื่อตัวชี้วัดที่ {named}')
        return no
    named = framework.match_indicator(text)
    if named is None:
        raise CellError(column, f'ไม่รู้จักตัวชี้วัด "{text}": ใช้เลข 1-10 หรือ ITA สำหรับคะแนนรวม')
    return named


_CODE = re.compile(r"([A-Za-z])\s*[-.]?\s*(\d{1,3})")


def _question_code(value, indicator_no: int, year: int, names: dict[str, str]) -> str:
    """'I๔' -> 'i4'; "" for an empty cell. The letter must be the indicator's tool (i: 1-5, e: 6-8,
    o: 9-10), and the number within the indicator's range in the framework of `year` where the
    framework has ranges (framework.indicator_of_code)."""
    column = names["question_code"]
    text = to_arabic(_text(value))
    if not text:
        return ""
    m = _CODE.fullmatch(text)
    if not m or m.group(1).lower() not in framework.TOOLS.values() or int(m.group(2)) == 0:
        raise CellError(column, f'รหัสข้อคำถาม "{_text(value)}" อ่านไม่ได้: ใช้ตัวอักษร i e หรือ o ตามด้วยเลขข้อ '
                                f'เช่น i4, e3, o22')
    letter, number = m.group(1).lower(), int(m.group(2))
    code = f"{letter}{number}"
    if indicator_no == 0:
        raise CellError(column, f"คะแนน ITA รวม (ตัวชี้วัด 0) ไม่มีข้อคำถาม: ลบรหัส {code} "
                                f"หรือระบุตัวชี้วัดของข้อนี้")
    tool = framework.tool_of(indicator_no)
    if letter != framework.TOOLS[tool]:
        own = [no for no in framework.INDICATOR_BY_NO if framework.TOOLS[framework.tool_of(no)] == letter]
        raise CellError(column, f"ข้อ {code} เป็นข้อของ {letter.upper()}IT (ตัวชี้วัดที่ {own[0]}-{own[-1]}) "
                                f"แต่แถวนี้ระบุตัวชี้วัดที่ {indicator_no} "
                                f"{framework.INDICATOR_BY_NO[indicator_no].name_th}")
    belongs = framework.indicator_of_code(letter, number, year)
    if belongs is not None and belongs != indicator_no:
        raise CellError(column, f"ข้อ {code} ของปี {year} เป็นข้อของตัวชี้วัดที่ {belongs} "
                                f"{framework.INDICATOR_BY_NO[belongs].name_th} แต่แถวนี้ระบุตัวชี้วัดที่ "
                                f"{indicator_no} {framework.INDICATOR_BY_NO[indicator_no].name_th}")
    return code


def _outside_question_set(code: str, indicator_no: int, year: int) -> str:
    """Why `code` is not among the questions of the indicator in the framework of `year` as
    framework.py knows it ("" when it is, or when the framework knows no set for that year)."""
    letter, number = code[0], int(code[1:])
    ranges = framework.question_set(letter, indicator_no, year)
    if ranges is None or any(low <= number <= high for low, high in ranges):
        return ""
    known = ", ".join(f"{letter}{low}-{letter}{high}" for low, high in ranges)
    return (f"ข้อ {code} ไม่อยู่ในข้อคำถามของตัวชี้วัดที่ {indicator_no} "
            f"{framework.INDICATOR_BY_NO[indicator_no].name_th} ปี {year} ที่โปรแกรมรู้จัก ({known}): "
            f"นำเข้าไว้แล้ว ตรวจรหัสข้ออีกครั้ง")


# ---------------------------------------------------------------- the blank score sheet

SCORE_BLANK = Blank(
    noun="แผ่นคะแนน", sheet=SHEET_SCORES, columns=SCORE_COLUMNS,
    widths={"organization": 34, "district": 16, "province": 16, "agency_code": 16, "assessed_year": 14,
            "indicator_no": 14, "question_code": 16, "score": 12},
    notes=(
        "วิธีกรอกแผ่นคะแนน ITA ทั้งปี (คะแนนรายข้อคำถาม รายตัวชี้วัด และคะแนนรวม)",
        f'กรอกในแผ่นงาน "{SHEET_SCORES}" หนึ่งแถวต่อหนึ่งคะแนน หัวคอลัมน์ต้องตรงตามแผ่นนี้ '
        "(ชื่อภาษาไทยหรือชื่อภาษาอังกฤษด้านล่าง) คอลัมน์ที่ไม่บังคับลบออกได้",
        "แถวที่มีรหัสข้อคำถาม = คะแนนของข้อนั้น; แถวที่ไม่มีรหัสข้อคำถาม = คะแนนทางการของตัวชี้วัดทั้งตัว; "
        "ตัวชี้วัด 0 หรือ ITA = คะแนน ITA รวมของหน่วยงาน",
        "หนึ่งแผ่นมีได้หลายหน่วยงานและหลายปี; นำเข้าปีเดิมของหน่วยงานเดิมซ้ำ = แทนที่คะแนนของปีนั้น "
        "(คะแนนเดิมเก็บไว้เป็นประวัติ)",
        f'แผ่นงาน "{SHEET_EXAMPLE}" เป็นตัวอย่างเท่านั้น ไม่ถูกนำเข้า; หัวคอลัมน์สีส้มคือคอลัมน์ที่ต้องมี',
        "บันทึกเป็น .xlsx หรือ CSV UTF-8 แล้วนำเข้าที่หน้า ข้อมูล ของแดชบอร์ด (ตรวจดูก่อนกดยืนยันนำเข้า)",
    ),
    examples=EXAMPLE_ROWS, required_text=lambda column: "ต้องมี" if column.required else "ไม่บังคับ",
    formats={"score": "0.00"}, guide_widths=(18, 16, 12, 70, 34))


def write_score_template(path: str | Path) -> Path:
    """The blank score sheet: .xlsx (the sheet, explanations, examples) or .csv (the header row)."""
    return write_blank(path, SCORE_BLANK)
