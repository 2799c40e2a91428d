"""The template importer (.xlsx, .csv) and the blank template: the seed's findings typed into the
template read back as the text importer reads the seed."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from ita_data.importers import ReportError, read_report
from ita_data.importers.records import COLUMN_TH, COLUMNS, WRITTEN_FORMS
from ita_data.importers.rows import is_header
from ita_data.importers.table import EXAMPLE_ROWS, HEADER, TEMPLATE_COLUMNS, write_template
from ita_data.thai import ORG_ABBREVIATIONS

SEED = Path(__file__).resolve().parents[1] / "data" / "muaklek-ita-report-2569.txt"
KEYS = list(HEADER)


@pytest.fixture(scope="module")
def seed_report():
    return read_report(SEED)


def seed_rows(report) -> list[dict]:
    """The seed's findings as template rows, as a person would type them."""
    return [{"organization": report.organization, "district": report.district, "province": report.province,
             "assessed_year": report.assessed_year, "plan_year": report.plan_year, "seq": f.seq,
             "indicator": f.indicator_text, "score": f.score, "question_code": f.question_code,
             "question": f.question, "analysis": f.analysis, "measures": "\n".join(f.measures),
             "rationale": f.rationale, "steps": "\n".join(f.steps), "period": f.period_text,
             "divisions": "\n".join(f.divisions)} for f in report.findings]


def write_csv(path: Path, header: list[str], rows: list[list], *, encoding="utf-8-sig", delimiter=",") -> Path:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list], *, title="รายงาน") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def template_csv(path: Path, rows: list[dict], **kwargs) -> Path:
    return write_csv(path, [HEADER[k] for k in KEYS], [[row.get(k) for k in KEYS] for row in rows], **kwargs)


def template_xlsx(path: Path, rows: list[dict]) -> Path:
    return write_xlsx(path, [HEADER[k] for k in KEYS], [[row.get(k) for k in KEYS] for row in rows])


def row_one(**changes) -> dict:
    return {**EXAMPLE_ROWS[0], **changes}


def assert_same_as_seed(report, seed):
    for field in ("organization", "district", "province", "assessed_year", "plan_year"):
        assert getattr(report, field) == getattr(seed, field), field
    assert len(report.findings) == len(seed.findings) == 10
    for got, want in zip(report.findings, seed.findings):
        got_fields, want_fields = asdict(got), asdict(want)
        got_warnings, want_warnings = got_fields.pop("warnings"), want_fields.pop("warnings")
        for key in WRITTEN_FORMS:  # the template writes cells its own way: score and code in columns
            got_fields.pop(key), want_fields.pop(key)
        assert got_fields == want_fields, f"row {want.seq}"
        # the template gives clean codes and division names, so only the repairs of those are gone
        assert set(got_warnings) <= set(want_warnings), f"row {want.seq}"
    assert any("99.79" in w for w in report.findings[6].warnings)  # the seed's real inconsistency stays


# ---------------------------------------------------------------- round trips

@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_seed_round_trip(tmp_path, seed_report, suffix):
    rows = seed_rows(seed_report)
    writer = template_xlsx if suffix == ".xlsx" else template_csv
    report = read_report(writer(tmp_path / f"seed{suffix}", rows))
    assert_same_as_seed(report, seed_report)
    assert report.warnings == []


def test_report_columns_and_raw_cells_read_exactly_like_the_text(tmp_path, seed_report):
    """The report's own column titles, the seed's raw cells (codes in the question text, scores in
    the indicator cell), years given once: the same findings and warnings as the text importer."""
    cells = [line.split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()
             if "\t" in line and not is_header(line.split("\t"))]
    header = ["หน่วยงาน", "อำเภอ", "จังหวัด", "ปีที่ประเมิน"] + [th for _, th in COLUMNS]
    titles = ["องค์การบริหารส่วนตำบล มวกเหล็ก", "อำเภอมวกเหล็ก", "จ.สระบุรี", "๒๕๖๘"]
    rows = [(titles if i == 0 else [""] * 4) + row for i, row in enumerate(cells)]
    report = read_report(write_csv(tmp_path / "raw.csv", header, rows))
    for field in ("organization", "district", "province", "assessed_year", "plan_year"):
        assert getattr(report, field) == getattr(seed_report, field), field
    assert [asdict(f) for f in report.findings] == [asdict(f) for f in seed_report.findings]
    assert report.warnings == ["ไม่ได้กรอกปีงบประมาณ: ถือเป็นปี 2569 (ปีถัดจากปีที่ประเมิน)"]


def test_excel_native_values(tmp_path):
    """Numbers as numbers, a period as an Excel date, the indicator as its number."""
    rows = [row_one(seq=1, score=96, assessed_year=2568.0, period=datetime(2026, 3, 31), indicator=1),
            row_one(seq=2, score=87.5, indicator="ประสิทธิภาพการสื่อสาร", question_code="E4",
                    period="2025-10-01 - 2026-03-31")]
    report = read_report(template_xlsx(tmp_path / "native.xlsx", rows))
    first, second = report.findings
    assert (first.indicator_no, first.score, first.period_start, first.period_end) == \
           (1, 96.0, date(2026, 3, 31), date(2026, 3, 31))
    assert (second.indicator_no, second.question_code, second.period_start, second.period_end) == \
           (7, "e4", date(2025, 10, 1), date(2026, 3, 31))


@pytest.mark.parametrize("score, expected", [("๙๖.๘๐", 96.8), ("96,8", 96.8), ("96.80 คะแนน", 96.8),
                                             ("100", 100.0), ("0", 0.0), ("", None)])
def test_score_variants(tmp_path, score, expected):
    report = read_report(template_csv(tmp_path / "s.csv", [row_one(score=score)]))
    assert report.findings[0].score == expected


@pytest.mark.parametrize("assessed, plan", [("๒๕๖๘", "๒๕๖๙"), ("68", "69"), ("2025", "2026"),
                                            ("พ.ศ. 2568", ""), ("", "2569")])
def test_year_variants(tmp_path, assessed, plan):
    report = read_report(template_csv(tmp_path / "y.csv", [row_one(assessed_year=assessed, plan_year=plan)]))
    assert (report.assessed_year, report.plan_year) == (2568, 2569)
    assert len(report.warnings) == (0 if assessed and plan else 1)


def test_thai_digits_and_indicator_number(tmp_path):
    report = read_report(template_csv(tmp_path / "d.csv", [row_one(seq="๓", indicator="๒", question_code="i๔")]))
    finding = report.findings[0]
    assert (finding.seq, finding.indicator_no, finding.question_code) == (3, 2, "i4")


@pytest.mark.parametrize("encoding, delimiter", [("utf-8", ","), ("utf-8-sig", ";"), ("cp874", "\t")])
def test_csv_encodings_and_separators(tmp_path, encoding, delimiter):
    path = template_csv(tmp_path / "e.csv", list(EXAMPLE_ROWS), encoding=encoding, delimiter=delimiter)
    report = read_report(path)
    assert report.organization == "องค์การบริหารส่วนตำบลมวกเหล็ก"
    assert [f.measures for f in report.findings][1] == ["โครงการติดตามและประเมินผลการใช้งบประมาณ",
                                                       "จัดทำประกาศมาตรการเปิดเผยข้อมูลด้านงบประมาณ"]


def test_english_headers_in_any_order_and_case(tmp_path):
    header = ["Measures", "INDICATOR", "Assessed Year", "organization", "plan_year", "หมายเหตุ"]
    row = ["1. ทำคู่มือ\n2. เผยแพร่คู่มือ", "การปฏิบัติหน้าที่", "2568", "อบต.มวกเหล็ก", "", "ไม่นำเข้า"]
    report = read_report(write_xlsx(tmp_path / "en.xlsx", header, [row]))
    assert report.organization == "องค์การบริหารส่วนตำบลมวกเหล็ก"
    assert report.findings[0].measures == ["ทำคู่มือ", "เผยแพร่คู่มือ"]
    assert any('"หมายเหตุ"' in w for w in report.warnings)


def test_titles_once_and_numbered_blank_rows(tmp_path):
    """Organization and years only in the first row; rows with nothing but a number are left out."""
    second = {k: v for k, v in EXAMPLE_ROWS[1].items() if k not in ("organization", "assessed_year", "plan_year")}
    rows = [EXAMPLE_ROWS[0], second, {"seq": 3}, {"seq": 4}]
    report = read_report(template_xlsx(tmp_path / "once.xlsx", rows))
    assert [f.seq for f in report.findings] == [1, 2]


def test_sheet_choice(tmp_path):
    """The sheet named รายงาน wherever it is; otherwise the first sheet that is not the guide or examples."""
    path = template_xlsx(tmp_path / "named.xlsx", [EXAMPLE_ROWS[0]])
    book = load_workbook(path)
    book.create_sheet("อื่น", 0).append(["ไม่ใช่รายงาน"])
    book.save(path)
    assert len(read_report(path).findings) == 1
    path = write_xlsx(tmp_path / "sheet1.xlsx", [HEADER[k] for k in KEYS], [[EXAMPLE_ROWS[1].get(k) for k in KEYS]],
                      title="Sheet1")
    assert read_report(path).findings[0].seq == 2


# ---------------------------------------------------------------- bad input

def one_line_error(path: Path) -> ReportError:
    with pytest.raises(ReportError) as caught:
        read_report(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}:")
    return caught.value


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_empty_file(tmp_path, suffix):
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    assert "ว่างเปล่า" in one_line_error(path).reason


def test_unrelated_csv_names_missing_columns(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    error = one_line_error(path)
    for name in ("หน่วยงาน", "ตัวชี้วัด", "มาตรการ", "ปีที่ประเมิน หรือ ปีงบประมาณ"):
        assert name in error.reason
    assert error.row == "บรรทัด 1"


@pytest.mark.parametrize("score, words", [("123", "นอกช่วง"), ("ดีมาก", "ไม่ใช่ตัวเลข"), ("-5", "อยู่นอกช่วง 0-100")])
def test_bad_score(tmp_path, score, words):
    error = one_line_error(template_csv(tmp_path / "score.csv", [row_one(score=score)]))
    assert (error.row, error.column) == ("แถวที่ 1 (บรรทัด 2)", "คะแนน")
    assert words in error.reason
    assert "แถวที่ 1 (บรรทัด 2), คอลัมน์ คะแนน" in str(error)


def test_bad_score_in_excel_after_multiline_rows(tmp_path):
    error = one_line_error(template_xlsx(tmp_path / "score.xlsx", [EXAMPLE_ROWS[0], row_one(seq=2, score=101.5)]))
    assert (error.row, error.column) == ("แถวที่ 2 (Excel แถว 3)", "คะแนน")


def test_csv_line_numbers_count_multiline_cells(tmp_path):
    """Row 1 spans several lines (multi-line cells); row 2's label names the line it starts on."""
    path = template_csv(tmp_path / "lines.csv", [EXAMPLE_ROWS[0], row_one(seq=2, score="x")])
    starts = 1 + 1 + EXAMPLE_ROWS[0]["steps"].count("\n") + EXAMPLE_ROWS[0]["measures"].count("\n") \
        + EXAMPLE_ROWS[0]["divisions"].count("\n")
    assert one_line_error(path).row == f"แถวที่ 2 (บรรทัด {starts + 1})"


@pytest.mark.parametrize("key, value, column", [("organization", "เทศบาลตำบลหนองน้ำ", "หน่วยงาน"),
                                                ("assessed_year", "2567", "ปีที่ประเมิน"),
                                                ("province", "ลพบุรี", "จังหวัด")])
def test_mixed_titles(tmp_path, key, value, column):
    rows = [EXAMPLE_ROWS[0], {**EXAMPLE_ROWS[1], key: value}]
    error = one_line_error(template_csv(tmp_path / "mixed.csv", rows))
    assert error.row.startswith("แถวที่ 2 (บรรทัด") and error.column == column
    assert value in error.reason and "แถวที่ 1 (บรรทัด 2)" in error.reason  # where the first value is


@pytest.mark.parametrize("changes, column", [({"assessed_year": "25x8"}, "ปีที่ประเมิน"),
                                             ({"seq": "ก"}, "ลำดับ"),
                                             ({"question_code": "x9"}, "รหัสข้อคำถาม"),
                                             ({"indicator": "ความสุข", "question_code": ""}, "ตัวชี้วัด")])
def test_bad_cells(tmp_path, changes, column):
    error = one_line_error(template_csv(tmp_path / "bad.csv", [row_one(**changes)]))
    assert (error.row, error.column) == ("แถวที่ 1 (บรรทัด 2)", column)


def test_missing_titles_and_repeated_rows(tmp_path):
    error = one_line_error(template_csv(tmp_path / "noorg.csv", [row_one(organization="")]))
    assert error.column == "หน่วยงาน"
    error = one_line_error(template_csv(tmp_path / "noyear.csv", [row_one(assessed_year="", plan_year="")]))
    assert "ปี" in error.reason
    error = one_line_error(template_csv(tmp_path / "twice.csv", [row_one(), row_one()]))
    assert error.row.startswith("แถวที่ 2") and "ซ้ำ" in error.reason
    assert error.column == "ลำดับ"  # the template's number is the ลำดับ column's


def test_repeated_header(tmp_path):
    error = one_line_error(write_csv(tmp_path / "dup.csv", ["หน่วยงาน", "organization", "ตัวชี้วัด", "มาตรการ",
                                                             "ปีงบประมาณ"], [["อบต.ก", "อบต.ก", "1", "x", "2569"]]))
    assert "ซ้ำ" in error.reason


@pytest.mark.parametrize("kind", ["random", "docx", "truncated", "old-xls"])
def test_not_an_xlsx(tmp_path, kind):
    good = template_xlsx(tmp_path / "good.xlsx", [EXAMPLE_ROWS[0]]).read_bytes()
    if kind == "docx":
        from docx import Document
        out = io.BytesIO()
        Document().save(out)
        data = out.getvalue()
    else:
        data = {"random": bytes(range(256)) * 8, "truncated": good[: len(good) // 2],
                "old-xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)}[kind]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(data)
    reason = one_line_error(path).reason
    assert ("ไม่ใช่สมุดงาน Excel" if kind != "old-xls" else "Excel รุ่นเก่า (.xls)") in reason
    assert not re.search(r"[A-Za-z]{3,}", re.sub(r"Excel|\.xlsx?\b", "", reason)), reason  # Thai (a page shows it)


def test_binary_csv(tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    one_line_error(path)


# ---------------------------------------------------------------- the blank template

def test_template_columns_document_every_report_column():
    keys = [c.key for c in TEMPLATE_COLUMNS]
    assert len(set(keys)) == len(keys) and all(key in keys for key in COLUMN_TH)
    assert {c.key for c in TEMPLATE_COLUMNS if c.required} == {"organization", "indicator", "measures"}
    assert all(c.header and c.description for c in TEMPLATE_COLUMNS)


def test_write_xlsx_template(tmp_path):
    path = write_template(tmp_path / "แบบฟอร์ม.xlsx")
    assert path == tmp_path / "แบบฟอร์ม.xlsx"
    book = load_workbook(path)
    assert book.sheetnames == ["รายงาน", "คำอธิบาย", "ตัวอย่าง"]
    sheet = book["รายงาน"]
    header = [cell.value for cell in sheet[1]]
    assert header == [c.header for c in TEMPLATE_COLUMNS] and sheet.max_row == 1
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["L"].width >= 40  # measures
    guide = "\n".join(str(cell.value) for row in book["คำอธิบาย"].iter_rows() for cell in row if cell.value)
    assert all(c.header in guide and c.description in guide for c in TEMPLATE_COLUMNS)
    assert "1. 2." in guide and "Alt+Enter" in guide
    examples = book["ตัวอย่าง"]
    assert examples.max_row == 3 and [c.value for c in examples[1]] == header
    # the blank template (examples included) has no rows to import
    assert one_line_error(path).reason == "ไม่พบแถวข้อมูลใต้หัวตาราง: กรอกหนึ่งแถวต่อหนึ่งข้อคำถาม"


def test_filled_xlsx_template_imports(tmp_path):
    path = write_template(tmp_path / "filled.xlsx")
    book = load_workbook(path)
    for row in EXAMPLE_ROWS:
        book["รายงาน"].append([row.get(k) for k in KEYS])
    book.save(path)
    report = read_report(path)
    assert [(f.seq, f.indicator_no, f.question_code) for f in report.findings] == [(1, 1, "i2"), (2, 2, "i4")]
    assert report.findings[0].steps[-1].endswith("- เว็บไซต์ของหน่วยงาน - การประชุมประจำเดือน")
    assert all(not f.warnings for f in report.findings)


def test_csv_template(tmp_path):
    path = write_template(tmp_path / "แบบฟอร์ม.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [",".join(c.header for c in TEMPLATE_COLUMNS)]
    assert one_line_error(path).reason == "ไม่พบแถวข้อมูลใต้หัวตาราง: กรอกหนึ่งแถวต่อหนึ่งข้อคำถาม"
    with path.open("a", encoding="utf-8", newline="") as out:
        csv.writer(out).writerow([EXAMPLE_ROWS[0].get(k) for k in KEYS])
    assert read_report(path).findings[0].question_code == "i2"


@pytest.mark.parametrize("name", ["แบบฟอร์ม.docx", "แบบฟอร์ม"])
def test_template_other_suffix(tmp_path, name):
    with pytest.raises(ValueError, match="ต้องเป็นไฟล์ .xlsx หรือ .csv"):
        write_template(tmp_path / name)
    assert not (tmp_path / name).exists()


# ---------------------------------------------------------------- shared with the other formats (rows.py)

def test_repeated_number_without_a_seq_column_names_the_indicator_column(tmp_path):
    """No ลำดับ column: the number is read from the indicator cell, and the error names that column."""
    header = ["หน่วยงาน", "ปีที่ประเมิน", "ตัวชี้วัด", "ข้อคำถาม", "มาตรการ"]
    rows = [["อบต.มวกเหล็ก", "2568", "1. การปฏิบัติหน้าที่", "i1 ข้อหนึ่ง", "ทำคู่มือ"],
            ["", "", "1. การใช้งบประมาณ", "i4 ข้อสี่", "ทำแผน"]]
    error = one_line_error(write_csv(tmp_path / "noseq.csv", header, rows))
    assert (error.row, error.column) == ("แถวที่ 2 (บรรทัด 3)", "ตัวชี้วัด")


def test_repeated_seq_for_the_questions_of_one_indicator_continues(tmp_path):
    rows = [row_one(seq=1, question_code="i1"), row_one(seq=1, question_code="i2"),
            row_one(seq=2, indicator="การใช้งบประมาณ", question_code="i4")]
    report = read_report(template_csv(tmp_path / "group.csv", rows))
    assert [(f.seq, f.question_code) for f in report.findings] == [(1, "i1"), (2, "i2"), (3, "i4")]
    assert any("ถือเป็นแถวต่อเนื่อง" in w for w in report.findings[1].warnings)
    assert any("ลำดับ 2 ถูกใช้แล้ว" in w for w in report.findings[2].warnings)


@pytest.mark.parametrize("cell, name", [
    *[(f"{short} มวกเหล็ก", f"{full}มวกเหล็ก") for short, full in ORG_ABBREVIATIONS.items()],
    ("องค์การบริหารส่วนตำบล มวกเหล็ก", "องค์การบริหารส่วนตำบลมวกเหล็ก"),
    ("อบต.มวกเหล็ก อ.มวกเหล็ก จ.สระบุรี", "องค์การบริหารส่วนตำบลมวกเหล็ก"),  # the name, as in a title
    ("มวกเหล็ก", "มวกเหล็ก"),  # no kind: kept as written
])
def test_organization_cell(tmp_path, cell, name):
    report = read_report(template_csv(tmp_path / "org.csv", [row_one(organization=cell)]))
    assert report.organization == name


def test_header_score_cell_with_a_broken_number(tmp_path):
    """No score column, the score in the indicator cell broken by a space, as the text reads it."""
    header = ["หน่วยงาน", "ปีที่ประเมิน", "ตัวชี้วัด", "มาตรการ"]
    rows = [["อบต.มวกเหล็ก", "2568", "4. การใช้ทรัพย์สินของราชการ (9 9.57 คะแนน)", "ทำคู่มือ"]]
    [f] = read_report(write_csv(tmp_path / "broken.csv", header, rows)).findings
    assert (f.indicator_no, f.score) == (4, 99.57)
    assert any('"9 9.57"' in w for w in f.warnings)


def test_csv_the_reader_refuses_is_named_in_thai(tmp_path):
    """Python's csv reader says what is wrong in English; the message a page shows is Thai, with the line."""
    path = tmp_path / "quote.csv"
    header = ",".join(c.header for c in TEMPLATE_COLUMNS)
    path.write_text(header + '\n"' + "ก" * 140_000 + "\n", encoding="utf-8")  # a quote never closed
    error = one_line_error(path)
    assert error.reason.startswith("อ่านไฟล์ CSV ไม่ได้: ช่องข้อมูลยาวเกิน") and error.row == "บรรทัด 2"
    assert not re.search(r"[A-Za-z]{3,}", error.reason.replace("CSV", "")), error.reason
