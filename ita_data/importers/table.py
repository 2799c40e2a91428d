"""The report as a filled-in template (.xlsx or .csv): one row per finding, one column per field;
and the blank template itself. TEMPLATE_COLUMNS is the one place documenting the columns."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from .. import framework
from ..thai import full_be_year, to_arabic
from . import fields
from .fields import CellError
from .records import (COLUMN_TH, COLUMNS, MAX_FILE_MB, MAX_ROWS, MAX_SCORE_FILE_MB, MAX_SCORE_ROWS, MAX_SCORE_XML_MB, MAX_XML_MB, Report,
                      ReportError, check_unpacked, too_many_rows)
from .rows import build_finding, complete_years, make_report, organization_name
from .text import decode


class TemplateColumn(NamedTuple):
    key: str  # English key, also accepted as the header
    header: str  # Thai header written in the template
    required: bool  # the column must be there (of the two years, at least one: see YEAR_KEYS)
    description: str


TEMPLATE_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn("organization", "หน่วยงาน", True,
                   "ชื่อเต็มของหน่วยงาน (เขียนย่อ อบต. ทต. ทม. ทน. อบจ. ได้) ทุกแถวต้องเป็นหน่วยงานเดียวกัน "
                   "กรอกเฉพาะแถวแรกก็ได้"),
    TemplateColumn("district", "อำเภอ", False, "อำเภอที่ตั้งของหน่วยงาน"),
    TemplateColumn("province", "จังหวัด", False, "จังหวัดที่ตั้งของหน่วยงาน"),
    TemplateColumn("agency_code", "รหัสหน่วยงาน", False,
                   "รหัสหน่วยงานของกรมส่งเสริมการปกครองท้องถิ่น (ตัวเลข 7-8 หลัก) ถ้ามี: "
                   "ใช้แยกหน่วยงานชื่อซ้ำกันในจังหวัดอื่น"),
    TemplateColumn("assessed_year", "ปีที่ประเมิน", False,
                   "ปี พ.ศ. ของผลการประเมิน ITA ที่นำมาวิเคราะห์ เช่น 2568 (เลขไทยหรืออารบิก, 68 หรือ ค.ศ. 2025 ก็ได้)"),
    TemplateColumn("plan_year", "ปีงบประมาณ", False,
                   "ปีงบประมาณ พ.ศ. ที่ดำเนินมาตรการ ปกติคือปีถัดจากปีที่ประเมิน เช่น 2569"),
    TemplateColumn("seq", "ลำดับ", False, "ลำดับแถวในรายงาน 1, 2, 3 ... (ว่างไว้ได้: ใช้ลำดับแถวในตาราง)"),
    TemplateColumn("indicator", "ตัวชี้วัด", True,
                   "ชื่อตัวชี้วัด ITA เช่น การปฏิบัติหน้าที่ หรือเลขตัวชี้วัด 1-10"),
    TemplateColumn("score", "คะแนน", False, "คะแนนที่ได้ 0-100 เช่น 97.87 หรือ ๙๗.๘๗"),
    TemplateColumn("question_code", "รหัสข้อคำถาม", False,
                   "รหัสข้อคำถาม เช่น i2, e4, o12 (ว่างไว้ได้: อ่านจากต้นข้อความในคอลัมน์ข้อคำถาม)"),
    TemplateColumn("question", "ข้อคำถาม", False, "ข้อความของข้อคำถาม ITA"),
    TemplateColumn("analysis", "ผลการวิเคราะห์", False, "ผลการวิเคราะห์ผลการประเมินของข้อคำถามนี้"),
    TemplateColumn("measures", "มาตรการ", True,
                   "มาตรการ/โครงการ/กิจกรรม หลายข้อ: ขึ้นบรรทัดใหม่ในเซลล์ทีละข้อ (Alt+Enter) หรือใส่เลข 1. 2. 3. "
                   "นำหน้าแต่ละข้อ; บรรทัดที่ขึ้นต้นด้วย - เป็นข้อย่อยของข้อก่อนหน้า"),
    TemplateColumn("rationale", "ความสอดคล้องกับตัวชี้วัด", False,
                   "ผลการวิเคราะห์ว่ามาตรการสอดคล้องกับตัวชี้วัดอย่างไร"),
    TemplateColumn("steps", "ขั้นตอน", False, "ขั้นตอน/วิธีการดำเนินการ หลายข้อเขียนแบบเดียวกับมาตรการ"),
    TemplateColumn("period", "ระยะเวลา", False,
                   "ระยะเวลาดำเนินการ เช่น 1 ต.ค. 2568 - 30 ก.ย. 2569, ม.ค. - มิ.ย. 2569, "
                   "ตลอดปีงบประมาณ 2569 หรือวันที่ของ Excel"),
    TemplateColumn("divisions", "ผู้รับผิดชอบ", False,
                   "กอง/สำนักที่รับผิดชอบ หลายหน่วยคั่นด้วยการขึ้นบรรทัดใหม่ เว้นวรรค หรือจุลภาค"),
)
HEADER = {column.key: column.header for column in TEMPLATE_COLUMNS}
YEAR_KEYS = ("assessed_year", "plan_year")
TITLE_KEYS = ("organization", "district", "province", "agency_code", *YEAR_KEYS)
# a row is a finding when one of these is filled (not the row number or the titles alone)
FINDING_KEYS = tuple(key for key, _ in COLUMNS) + ("score", "question_code")

SHEET_REPORT, SHEET_GUIDE, SHEET_EXAMPLE = "รายงาน", "คำอธิบาย", "ตัวอย่าง"
SHEET_SCORES = "คะแนน"  # the score sheet's (importers/scores.py)

EXAMPLE_ROWS: tuple[dict, ...] = (
    {"organization": "องค์การบริหารส่วนตำบลมวกเหล็ก", "district": "มวกเหล็ก", "province": "สระบุรี",
     "assessed_year": 2568, "plan_year": 2569, "seq": 1, "indicator": "การปฏิบัติหน้าที่", "score": 97.87,
     "question_code": "i2",
     "question": "เจ้าหน้าที่ในหน่วยงานของท่าน มีการเลือกปฏิบัติอย่างไม่เป็นธรรม ต่อผู้มาติดต่อหรือผู้รับบริการมากน้อยเพียงใด",
     "analysis": "ผลการประเมินสะท้อนให้เห็นว่ายังมีการบริการแก่ประชาชนภายนอกไม่เป็นไปตามระยะที่กำหนด",
     "measures": "จัดทำคู่มือหรือมาตรฐานการปฏิบัติงานและเผยแพร่ให้ผู้มาติดต่อได้รับทราบ\n"
                 "จัดทำคู่มือหรือมาตรฐานการให้บริการและเผยแพร่ให้ผู้รับบริการได้รับทราบ",
     "rationale": "ขั้นตอนการบริการยังไม่ครอบคลุม และเจ้าหน้าที่บางท่านยังไม่ทราบขั้นตอน "
                  "จึงจำเป็นต้องจัดทำคู่มือหรือมาตรฐานการปฏิบัติงาน",
     "steps": "1. สำนักปลัดจัดทำคู่มือหรือมาตรฐานการปฏิบัติงาน\n2. ผู้บริหารอนุมัติประกาศใช้คู่มือ\n"
              "3. แจ้งเวียนให้เจ้าหน้าที่ทราบและถือปฏิบัติ\n4. เผยแพร่คู่มือในช่องทางต่าง ๆ\n"
              "- เว็บไซต์ของหน่วยงาน\n- การประชุมประจำเดือน",
     "period": "1 ต.ค. 2568 - 30 ก.ย. 2569", "divisions": "สำนักปลัด\nกองช่าง\nกองคลัง"},
    {"organization": "องค์การบริหารส่วนตำบลมวกเหล็ก", "district": "มวกเหล็ก", "province": "สระบุรี",
     "assessed_year": 2568, "plan_year": 2569, "seq": 2, "indicator": "การใช้งบประมาณ", "score": 97.45,
     "question_code": "i4", "question": "หน่วยงานของท่าน ใช้จ่ายงบประมาณ เป็นไปตามวัตถุประสงค์ มากน้อยเพียงใด",
     "analysis": "มีการใช้งบประมาณไม่เป็นไปตามวัตถุประสงค์ ควรให้บุคลากรมีส่วนร่วมในการจัดทำแผนการใช้จ่ายงบประมาณ",
     "measures": "1. โครงการติดตามและประเมินผลการใช้งบประมาณ 2. จัดทำประกาศมาตรการเปิดเผยข้อมูลด้านงบประมาณ",
     "rationale": "มีการใช้งบประมาณไม่เป็นไปตามวัตถุประสงค์ จึงต้องติดตามและเปิดเผยข้อมูลการใช้งบประมาณ",
     "steps": "จัดทำแผนการใช้จ่ายงบประมาณและกำกับติดตามให้เป็นไปตามวัตถุประสงค์",
     "period": "ตลอดปีงบประมาณ 2569", "divisions": "สำนักปลัด, กองคลัง"},
)

Record = tuple[str, list]  # where in the file ("บรรทัด 4", "Excel แถว 4"), the row's values
_TITLE_ROWS = 20  # filled rows above the header (titles, notes) and the header, at most


def _bounded(records, file: str, max_rows: int = MAX_ROWS):
    """The records as read, stopping at the first filled one past `max_rows` data rows and the title
    rows: a file longer than any report (or score sheet) is refused without reading the rest."""
    filled = 0
    for where, values in records:
        if any(_lines(value) for value in values):
            filled += 1
            if filled > max_rows + _TITLE_ROWS:
                raise too_many_rows(file, where, max_rows)
        yield where, values


# ---------------------------------------------------------------- reading

def read_table(data: bytes, file: str, suffix: str) -> Report:
    return report_from_records(table_records(data, file, suffix), file)


def table_records(data: bytes, file: str, suffix: str, *, scores: bool = False, head: bool = False) -> list[Record]:
    """The rows of a .csv or .xlsx file (the report sheet of a workbook: "รายงาน", else the first
    sheet that is not the guide or the example), each with where it is in the file: at most a
    report's rows (MAX_ROWS), or a score sheet's (MAX_SCORE_ROWS) with `scores`; with `head`, only
    the rows above and at the header (enough to tell a score sheet from a report)."""
    limits = (MAX_SCORE_ROWS, MAX_SCORE_XML_MB) if scores else (MAX_ROWS, MAX_XML_MB)
    read = _read_csv if suffix.lower() == ".csv" else _read_xlsx
    return read(data, file, *limits, head=head)


def report_from_records(records: list[Record], file: str) -> Report:
    start, columns, warnings = _header(records, file)
    # messages name a column as the file's header does
    names = {**HEADER, **{key: _text(records[start][1][i]) for i, key in columns.items()}}
    rows: list[tuple[str, dict]] = []
    for where, values in records[start + 1:]:
        row = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        if any(_lines(value) for value in row.values()):
            if len(rows) == MAX_ROWS:
                raise too_many_rows(file, where)
            rows.append((f"แถวที่ {len(rows) + 1} ({where})", row))
    finding_rows = [(label, row) for label, row in rows if any(_lines(row.get(key)) for key in FINDING_KEYS)]
    if not finding_rows:
        raise ReportError(file, "ไม่พบแถวข้อมูลใต้หัวตาราง: กรอกหนึ่งแถวต่อหนึ่งข้อคำถาม")
    titles = _titles(rows, names, file)
    titles["warnings"] = warnings + titles["warnings"]
    findings = [_finding(row, position, titles, names, file, label)
                for position, (label, row) in enumerate(finding_rows, start=1)]
    # a repeated number is the file's ลำดับ column's (the indicator cell's when the file has none)
    seq_column = names["seq"] if "seq" in columns.values() else names["indicator"]
    return make_report(titles, findings, file, [label for label, _ in finding_rows], seq_column=seq_column)


def _read_csv(data: bytes, file: str, max_rows: int, max_xml_mb: int, *, head: bool = False) -> list[Record]:
    text = decode(data, file)
    first = next((line for line in io.StringIO(text) if line.strip()), "")  # lazily: not every line
    delimiter = max(",;\t", key=first.count)  # the header row's separator; "," when none
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, line = [], 1

    def read():
        nonlocal line
        for values in reader:
            yield f"บรรทัด {line}", values
            line = reader.line_num + 1

    try:
        for record in _bounded(read(), file, max_rows):
            records.append(record)
            if head and len(records) > _TITLE_ROWS:
                break
    except csv.Error as e:
        raise ReportError(file, f"อ่านไฟล์ CSV ไม่ได้: {_csv_problem(e)}", row=f"บรรทัด {line}") from None
    return records


def _csv_problem(error: Exception) -> str:
    """What Python's csv reader found wrong, in Thai (its own message is English)."""
    text = str(error)
    if "NUL" in text:
        return "มีอักขระว่าง (NUL) ซึ่งไฟล์ข้อความไม่มี: ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ CSV"
    if "field larger than field limit" in text:
        return "ช่องข้อมูลยาวเกินกว่าที่อ่านได้: อาจมีเครื่องหมายคำพูด (\") ที่ไม่ปิด"
    return "รูปแบบไม่ถูกต้อง: ตรวจเครื่องหมายคำพูด (\") และตัวคั่นคอลัมน์"


def _read_xlsx(data: bytes, file: str, max_rows: int, max_xml_mb: int, *, head: bool = False) -> list[Record]:
    import itertools

    import openpyxl

    check_unpacked(data, file, "สมุดงาน Excel ", max_xml_mb,  # before openpyxl reads any of it
                   MAX_SCORE_FILE_MB if max_xml_mb == MAX_SCORE_XML_MB else MAX_FILE_MB)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl fails in many ways on a bad file: zip, XML, content type
        what = ("เป็นไฟล์ Excel รุ่นเก่า (.xls) หรือไฟล์ที่ตั้งรหัสผ่าน: บันทึกเป็น .xlsx ที่ไม่มีรหัสผ่าน"
                if data.startswith(b"\xd0\xcf\x11\xe0") else "ไฟล์เสียหายหรือไม่ใช่สมุดงาน Excel")
        raise ReportError(file, what) from None
    try:
        sheets = [sheet for sheet in book.worksheets if sheet.title not in (SHEET_GUIDE, SHEET_EXAMPLE)]
        sheet = next((s for s in sheets if s.title in (SHEET_REPORT, SHEET_SCORES)), sheets[0] if sheets else None)
        if sheet is None:
            raise ReportError(file, f'ไม่พบแผ่นงาน "{SHEET_REPORT}"')
        sheet.reset_dimensions()  # the stored size may be wrong: read every row
        try:
            rows = _bounded(((f"Excel แถว {number}", list(values))
                             for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)),
                            file, max_rows)
            return list(itertools.islice(rows, _TITLE_ROWS + 1) if head else rows)
        except ReportError:
            raise
        except Exception:
            raise ReportError(file, f'อ่านแผ่นงาน "{sheet.title}" ไม่ได้: ไฟล์เสียหาย') from None
    finally:
        book.close()


def _header_key(name) -> str:
    return re.sub(r"[\s_\-*]+", "", fields.clean(str(name or ""))).lower()


# every accepted header -> key: the English key, the template's Thai header, the report's column title
_KEYS_BY_HEADER = {_header_key(name): column.key
                   for column in TEMPLATE_COLUMNS
                   for name in (column.key, column.header, COLUMN_TH.get(column.key)) if name}


def _header(records: list[Record], file: str) -> tuple[int, dict[int, str], list[str]]:
    """The header row: its index, the key of each known column by position, and warnings about
    columns it does not know."""
    def first(test) -> int | None:
        return next((i for i, (_, values) in enumerate(records) if any(map(test, values))), None)

    start = first(lambda value: _header_key(value) in _KEYS_BY_HEADER)
    if start is None:
        start = first(_lines)
    if start is None:
        raise ReportError(file, "ตารางว่างเปล่า: ไม่มีหัวตารางและข้อมูล")
    where, values = records[start]
    columns: dict[int, str] = {}
    warnings = []
    for i, value in enumerate(values):
        key = _KEYS_BY_HEADER.get(_header_key(value))
        if key is None:
            if _text(value):
                warnings.append(f'ไม่รู้จักคอลัมน์ "{_text(value)}": ไม่ได้นำเข้า')
        elif key in columns.values():
            raise ReportError(file, f'คอลัมน์ "{_text(value)}" ซ้ำ: มีคอลัมน์{HEADER[key]}อยู่แล้ว', row=where)
        else:
            columns[i] = key
    missing = [c.header for c in TEMPLATE_COLUMNS if c.required and c.key not in columns.values()]
    if not set(YEAR_KEYS) & set(columns.values()):
        missing.append(" หรือ ".join(HEADER[key] for key in YEAR_KEYS))
    if missing:
        raise ReportError(file, f"ไม่พบคอลัมน์ {', '.join(missing)} ในหัวตาราง "
                                "(ใช้หัวตารางตามแบบฟอร์มเปล่า ดาวน์โหลดได้ที่หน้า ข้อมูล)",
                          row=where)
    return start, columns, warnings


def _titles(rows: list[tuple[str, dict]], names: dict[str, str], file: str) -> dict:
    """Organization, district, province and years: the same in every row that gives them."""
    readers = {"organization": _organization, "district": _district, "province": _province,
               "agency_code": _agency_code, "assessed_year": _year, "plan_year": _year}
    found: dict[str, tuple] = {}
    for label, row in rows:
        for key in TITLE_KEYS:
            try:
                value = readers[key](row.get(key), names[key])
            except CellError as e:
                raise ReportError(file, e.reason, row=label, column=e.column) from None
            if value is None:
                continue
            if key in found and found[key][0] != value:
                first, first_label = found[key]
                raise ReportError(file, f'{names[key]} "{value}" ไม่ตรงกับ "{first}" ใน{first_label}: '
                                        f"หนึ่งไฟล์ต้องเป็นรายงานของหน่วยงานเดียวและปีเดียว",
                                  row=label, column=names[key])
            found.setdefault(key, (value, label))
    titles = {key: value for key, (value, _) in found.items()}
    titles["warnings"] = []
    if "organization" not in titles:
        raise ReportError(file, "ไม่ได้กรอกชื่อหน่วยงาน", column=names["organization"])
    assessed, plan = titles.get("assessed_year"), titles.get("plan_year")
    if assessed is None and plan is None:
        raise ReportError(file, "ไม่ได้กรอกปีที่ประเมินหรือปีงบประมาณ", column=names["assessed_year"])
    titles["assessed_year"], titles["plan_year"], titles["warnings"] = complete_years(
        assessed, plan, missing="ไม่ได้กรอก{}")
    return titles


def _finding(row: dict, position: int, titles: dict, names: dict[str, str], file: str, label: str):
    try:
        score = _score(row.get("score"), names["score"])
        seq = _seq(row.get("seq"), names["seq"])
    except CellError as e:
        raise ReportError(file, e.reason, row=label, column=e.column) from None
    cells = {key: _lines(row.get(key)) for key, _ in COLUMNS}
    cells["indicator"] = _indicator(cells["indicator"])
    try:
        return build_finding(cells, seq or position, titles["assessed_year"], titles["plan_year"], file, label,
                             score=score, question_code=_text(row.get("question_code")) or None)
    except ReportError as e:  # rows.py names the report's columns; name the file's own
        column = next((names[key] for key, th in COLUMN_TH.items() if th == e.column), e.column)
        raise ReportError(file, e.reason, row=e.row, column=column) from None


# ---------------------------------------------------------------- cell values

def _lines(value) -> list[str]:
    """A cell as its non-blank lines; an Excel date as ISO text ("2025-10-01")."""
    if value is None:
        return []
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return [value.isoformat()]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return [line for line in str(value).splitlines() if line.strip()]


def _text(value) -> str:
    return fields.clean(" ".join(_lines(value)))


def _organization(value, column: str) -> str | None:
    """'อบต. มวกเหล็ก' -> 'องค์การบริหารส่วนตำบลมวกเหล็ก', the name a report's title gives
    (rows.organization_name); a name without a kind of local administration is kept as written."""
    text = _text(value)
    return organization_name(text) or text or None


def _district(value, column: str) -> str | None:
    return re.sub(r"^(?:อำเภอ|อ\.|เขต)\s*", "", _text(value)) or None


def _province(value, column: str) -> str | None:
    return re.sub(r"^(?:จังหวัด|จ\.)\s*", "", _text(value)) or None


def _agency_code(value, column: str) -> str | None:
    """A DLA code: digits (Thai or Arabic), spaces and dashes between them dropped."""
    text = _text(value)
    if not text:
        return None
    digits = re.sub(r"[\s\-]", "", to_arabic(text))
    if not re.fullmatch(r"\d{4,10}", digits):
        raise CellError(column, f'รหัสหน่วยงาน "{text}" ต้องเป็นตัวเลข 4-10 หลัก เช่น 6190401')
    return digits


def _year(value, column: str) -> int | None:
    """A BE year written '2568', '๒๕๖๘', '68', 'พ.ศ. 2568' or as a CE year."""
    text = _text(value)
    if not text:
        return None
    digits = re.sub(r"^(?:พ\.?\s*ศ\.?|ค\.?\s*ศ\.?)\s*", "", to_arabic(text))
    year = full_be_year(int(digits)) if re.fullmatch(r"\d{2}|\d{4}", digits) else None
    if year is None or not 2500 <= year <= 2700:
        raise CellError(column, f'"{text}" ไม่ใช่ปี พ.ศ. (เช่น 2568)')
    return year


def _score(value, column: str) -> float | None:
    """A score as a number or text: '96.80', '๙๖.๘๐', '96,8' (decimal comma)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        score = float(value)
    else:
        text = _text(value)
        if not text:
            return None
        # a sign (hyphen, minus, en dash) makes a number out of range, not "not a number"
        m = re.fullmatch(r"([-\u2212\u2013]?)(\d+)(?:[.,](\d+))?", re.sub(r"คะแนน|\s", "", to_arabic(text)))
        if not m:
            raise CellError(column, f'คะแนน "{text}" ไม่ใช่ตัวเลข')
        score = float(f"{'-' if m.group(1) else ''}{m.group(2)}.{m.group(3) or 0}")
    fields.check_score(score, column)
    return score


def _seq(value, column: str) -> int | None:
    text = _text(value)
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,3})\.?", to_arabic(text))
    if not m or int(m.group(1)) == 0:
        raise CellError(column, f'ลำดับ "{text}" ต้องเป็นเลขจำนวนเต็ม เช่น 1, 2, 3')
    return int(m.group(1))


def _indicator(lines: list[str]) -> list[str]:
    """The indicator cell; a bare indicator number (1-10) becomes the indicator's name."""
    text = to_arabic(fields.clean(" ".join(lines)))
    if text.isdigit() and int(text) in framework.INDICATOR_BY_NO:
        return [framework.INDICATOR_BY_NO[int(text)].name_th]
    return lines


# ---------------------------------------------------------------- blank sheets to hand out

class Blank(NamedTuple):
    """A blank sheet people fill in: the report template (here) or the score sheet (scores.py)."""
    noun: str  # what it is called in messages: แบบฟอร์ม, แผ่นคะแนน
    sheet: str  # the sheet people fill in
    columns: tuple  # (key, header, required, description, ...) each: TemplateColumn, scores.ScoreColumn
    widths: dict[str, int]  # column widths by key
    notes: tuple[str, ...]  # the guide's lines
    examples: tuple[dict, ...]  # the example sheet's rows (by key)
    required_text: object  # column -> what the guide says of whether it must be there
    formats: dict[str, str] = {}  # number formats by key (for rows typed in later too)
    guide_widths: tuple[int, ...] = (24, 18, 22, 70, 50)


def write_blank(path: str | Path, blank: Blank) -> Path:
    """A blank sheet: .xlsx (the sheet, a guide, an example) or .csv (the header row)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import Workbook
        book = Workbook()
        _table_sheet(book.active, blank, blank.sheet, ())
        _guide_sheet(book.create_sheet(), blank)
        _table_sheet(book.create_sheet(), blank, SHEET_EXAMPLE, blank.examples)
        book.save(path)
    elif suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            csv.writer(out).writerow([column.header for column in blank.columns])
    else:
        raise ValueError(f'{blank.noun}ต้องเป็นไฟล์ .xlsx หรือ .csv ไม่ใช่ "{path.name}"')
    return path


def _table_sheet(sheet, blank: Blank, title: str, rows) -> None:
    """A sheet with the header row (bold, frozen, filtered; required columns orange), wrapping
    columns and `rows`."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.title = title
    sheet.append([column.header for column in blank.columns])
    for row in rows:
        sheet.append([row.get(column.key) for column in blank.columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, column in enumerate(blank.columns, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = blank.widths.get(column.key, 14)
        sheet.column_dimensions[letter].alignment = wrap  # also for rows typed in later
        number_format = blank.formats.get(column.key)
        for cell in sheet[letter]:
            cell.alignment = wrap
            if number_format and cell.row > 1:
                cell.number_format = number_format
        header = sheet.cell(row=1, column=number)
        header.font = Font(bold=True)
        header.fill = PatternFill("solid", fgColor="F4B183" if column.required else "DDEBF7")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(blank.columns))}{max(sheet.max_row, 2)}"


def _guide_sheet(sheet, blank: Blank) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.title = SHEET_GUIDE
    for note in blank.notes:
        sheet.append([note])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(["คอลัมน์", "ชื่อภาษาอังกฤษ", "ต้องมี", "คำอธิบาย", "ตัวอย่าง"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in blank.columns:
        example = next((row[column.key] for row in blank.examples if row.get(column.key) is not None), None)
        sheet.append([column.header, column.key, blank.required_text(column), column.description, example])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=len(blank.notes) + 2):
        for cell in row:
            cell.alignment = wrap
    for letter, width in zip("ABCDE", blank.guide_widths):
        sheet.column_dimensions[letter].width = width


def _required_text(column: TemplateColumn) -> str:
    if column.key in YEAR_KEYS:
        return "อย่างน้อยหนึ่งในปีที่ประเมิน/ปีงบประมาณ"
    return "ต้องมี" if column.required else "ไม่บังคับ"


TEMPLATE = Blank(
    noun="แบบฟอร์ม", sheet=SHEET_REPORT, columns=TEMPLATE_COLUMNS,
    widths={"organization": 30, "indicator": 24, "question": 40, "analysis": 45, "measures": 50,
            "rationale": 45, "steps": 50, "period": 26, "divisions": 26},
    notes=(
        "วิธีกรอกแบบฟอร์มรายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร",
        f'กรอกในแผ่นงาน "{SHEET_REPORT}" หนึ่งแถวต่อหนึ่งข้อคำถาม/ประเด็น หัวคอลัมน์ต้องตรงตามแบบฟอร์ม '
        "(ชื่อภาษาไทยหรือชื่อภาษาอังกฤษด้านล่าง) คอลัมน์ที่ไม่บังคับลบออกได้",
        "หนึ่งไฟล์คือรายงานของหน่วยงานเดียว ปีเดียว: หน่วยงานและปีต้องเหมือนกันทุกแถว (กรอกเฉพาะแถวแรกก็ได้)",
        "มาตรการหรือขั้นตอนหลายข้อ: ขึ้นบรรทัดใหม่ในเซลล์ทีละข้อ (Alt+Enter) หรือใส่เลข 1. 2. 3. นำหน้าแต่ละข้อ; "
        "บรรทัดที่ขึ้นต้นด้วย - เป็นข้อย่อยของข้อก่อนหน้า",
        f'แผ่นงาน "{SHEET_EXAMPLE}" เป็นตัวอย่างเท่านั้น ไม่ถูกนำเข้า; หัวคอลัมน์สีส้มคือคอลัมน์ที่ต้องมี',
        "บันทึกเป็น .xlsx หรือ CSV UTF-8 แล้วนำเข้าที่หน้า ข้อมูล ของแดชบอร์ด (ตรวจดูก่อนกดยืนยันนำเข้า)",
    ),
    examples=EXAMPLE_ROWS, required_text=_required_text)


def write_template(path: str | Path) -> Path:
    """The blank report template: .xlsx (report sheet, explanations, examples) or .csv (the header row)."""
    return write_blank(path, TEMPLATE)
