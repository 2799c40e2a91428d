"""The report written back (exports/report.py, report_docx.py, report_pdf.py): the plan in the seed's
official shape, which our own importer reads back to every field of the report it came from (the
seed, a Word report, a filled-in template, a report with unusual content); its .docx structure and
its PDF read back; the year's results against what views compute; the command line and the page."""
from __future__ import annotations

import csv
import io
import re
import subprocess
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.enum.section import WD_ORIENT
from streamlit.testing.v1 import AppTest

from conftest import HEADER, ROOT, SEED, row
from ita_data import store, views
from ita_data.exports import report, report_docx, report_pdf
from ita_data.importers import read_bytes, read_report
from ita_data.importers.records import WRITTEN_FORMS
from ita_data.importers.table import HEADER as TEMPLATE_HEADER
from ita_data.thai import to_thai_digits

ORG = "องค์การบริหารส่วนตำบลมวกเหล็ก"
# warnings about slips the importer repaired: a report written from the repaired values has none
REPAIRS = (r'^รหัสข้อคำถาม ".+" (อ่านเป็น|บันทึกเป็น) ', r'ตัวเลข ".+" ถูกแยกด้วยช่องว่าง',
           r'^หน่วยงานรับผิดชอบ ".+" อ่านเป็น "')


def saved(con, source) -> int:
    """Import a Report into `con`; its assessment id."""
    [result] = store.save_reports(con, [source])
    return result.assessment_id


def fresh() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    store.migrate(con)
    return con


def written_back(con, assessment_id: int, name: str = "written.docx"):
    """The plan written as .docx and read back by our importer: (the Report, the .docx bytes)."""
    data = report_docx.report_docx(report.build(con, assessment_id, report.PLAN))
    return read_bytes(data, name), data


def assert_round_trip(back, source, *, written: bool = True) -> None:
    """Every field of every finding the same, the warnings about content too; only warnings about
    repaired slips may be gone. `written`: the source wrote its cells as a report does (not a
    template), so how it wrote them (WRITTEN_FORMS) comes back too."""
    for key in ("organization", "district", "province", "assessed_year", "plan_year", "warnings"):
        assert getattr(back, key) == getattr(source, key), key
    assert len(back.findings) == len(source.findings)
    for got, want in zip(back.findings, source.findings):
        got_fields, want_fields = asdict(got), asdict(want)
        got_warnings, want_warnings = got_fields.pop("warnings"), want_fields.pop("warnings")
        if not written:
            for key in WRITTEN_FORMS:
                got_fields.pop(key), want_fields.pop(key)
        assert got_fields == want_fields, f"row {want.seq}"
        assert set(got_warnings) <= set(want_warnings), f"row {want.seq}: {set(got_warnings) - set(want_warnings)}"
        for gone in set(want_warnings) - set(got_warnings):
            assert any(re.search(p, gone) for p in REPAIRS), f"row {want.seq}: {gone}"


def assert_nothing_changes(con, back) -> None:
    """Importing the written report over the stored one keeps every row and measure as it is."""
    [plan] = store.plan_import(con, [back])
    assert plan.replaced
    assert {f.change for f in plan.findings} == {store.KEPT}
    assert {m.change for m in plan.measures} == {store.KEPT}
    assert all(m.title == m.old_title and m.seq == m.old_seq for m in plan.measures)


# ---------------------------------------------------------------- round trips

@pytest.fixture(scope="module")
def seed_report():
    return read_report(SEED)


@pytest.fixture
def seed_con(seeded_db):
    con = store.connect(seeded_db, read_only=True)
    yield con
    con.close()


def test_seed_round_trip(seed_con, seed_report):
    assessment_id = store.assessments(seed_con)[0]["id"]
    back, _ = written_back(seed_con, assessment_id)
    assert_round_trip(back, seed_report)
    assert back.findings[0].question_code_text == "i๒"  # "1๒" repaired, the digit as written
    assert back.findings[4].indicator_cell == "๕.คุณภาพการดำเนินงาน (๑๐๐ คะแนน)"  # as the agency wrote it
    assert back.findings[5].indicator_cell == "๖. คุณภาพการดำเนินงาน (คะแนน ๙๖.๘๐)"
    assert (back.findings[2].measures_mark, back.findings[7].measures_mark) == ("๑.", "")  # numbered / not
    assert back.findings[3].analysis == seed_report.findings[3].analysis  # the number "๙ ๙.๕๗" stays repaired
    assert any("99.79" in w for w in back.findings[6].warnings)  # the real inconsistency stays
    assert_nothing_changes(seed_con, back)


def word_report(path: Path) -> Path:
    """A Word report as an agency makes one: Arabic digits, the indicator cell merged down over two
    question rows, Word-numbered lists (items one a paragraph, no numbers in the text), a row
    without a score numbered again "2." after the merged rows, an o-question, several divisions."""
    doc = Document()
    doc.add_paragraph("รายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ประจำปีงบประมาณ พ.ศ. 2569")
    doc.add_paragraph("ของเทศบาลตำบลหนองแค อำเภอหนองแค จังหวัดสระบุรี")
    head = [line.split("\t") for line in HEADER.strip("\n").split("\n")]
    rows = [
        ["1. การปฏิบัติหน้าที่ (91.25 คะแนน)", "i1 เจ้าหน้าที่ปฏิบัติงานตามขั้นตอน", "ยังมีขั้นตอนที่ไม่ชัดเจน",
         ["จัดทำคู่มือการปฏิบัติงาน", "ประชุมชี้แจงเจ้าหน้าที่"], "คู่มือช่วยให้ปฏิบัติงานตามขั้นตอน",
         ["1) ร่างคู่มือ", "2) ประกาศใช้"], "1 ต.ค. 2568 - 31 มี.ค. 2569", ["สำนักปลัด", "กองคลัง"]],
        [None, "I2 เจ้าหน้าที่ให้บริการอย่างเท่าเทียม", "ผู้รับบริการบางส่วนรอนาน",
         ["จัดระบบบัตรคิว"], "ลดการรอคอย", ["- ติดตั้งเครื่องออกบัตรคิว", "- ประชาสัมพันธ์"],
         "ม.ค. - มิ.ย. 2569", ["กองช่าง กองการศึกษา ศาสนาและวัฒนธรรม หน่วยตรวจสอบภายใน"]],
        ["2. การใช้อำนาจ", "i7 ผู้บังคับบัญชามอบหมายงานอย่างเป็นธรรม", "ควรกำหนดหลักเกณฑ์การมอบหมายงาน",
         ["ออกประกาศหลักเกณฑ์การมอบหมายงาน"], "หลักเกณฑ์ที่ชัดเจนลดข้อสงสัย", ["ร่างประกาศ"],
         "ตลอดปีงบประมาณ พ.ศ. 2569", ["สำนักปลัด"]],
        ["3. การเปิดเผยข้อมูล (88.00 คะแนน)", "o12 การเปิดเผยข้อมูลการจัดซื้อจัดจ้าง", "ข้อมูลบางรายการไม่เป็นปัจจุบัน",
         ["1. ปรับปรุงเว็บไซต์ 2. แต่งตั้งผู้รับผิดชอบข้อมูล"], "ข้อมูลครบและเป็นปัจจุบัน", ["ตรวจทุกเดือน"],
         "1 ต.ค. 2568 - 30 ก.ย. 2569", ["คณะทำงาน ITA, กองคลัง"]],
    ]
    table = doc.add_table(rows=2 + len(rows), cols=8)
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(0, 3).merge(table.cell(0, 7))
    for col in (0, 1, 3):
        table.cell(0, col).text = head[0][col]
    for col in range(1, 8):
        table.cell(1, col).text = head[1][col]
    for r, cells in enumerate(rows, start=2):
        for c, value in enumerate(cells):
            if value is None:
                continue
            target = table.cell(r, c)
            for k, text in enumerate([value] if isinstance(value, str) else value):
                (target.paragraphs[0] if k == 0 else target.add_paragraph()).add_run(text)
    table.cell(2, 0).merge(table.cell(3, 0))
    doc.save(path)
    return path


def test_word_report_round_trip(tmp_path):
    source = read_report(word_report(tmp_path / "nongkhae.docx"))
    assert [(f.seq, f.question_code, f.score) for f in source.findings] == [
        (1, "i1", 91.25), (2, "i2", 91.25), (3, "i7", None), (4, "o12", 88.0)]
    assert any("ผสานต่อลงมา" in w for w in source.findings[1].warnings)
    con = fresh()
    back, data = written_back(con, saved(con, source))
    assert_round_trip(back, source)
    assert back.findings[0].measures_mark == "" and back.findings[0].steps_mark == "1)"
    assert back.findings[1].steps_mark == "-"
    assert back.findings[3].divisions == ["คณะทำงาน ITA", "กองคลัง"]
    # the indicator cell merged down over its two questions, as in the source
    table = Document(io.BytesIO(data)).tables[0]
    assert table.cell(2, 0)._tc is table.cell(3, 0)._tc
    assert table.cell(4, 0).text == "2. การใช้อำนาจ"
    assert_nothing_changes(con, back)


def template_csv(path: Path, rows: list[dict]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADER.values())
    writer.writerows([[r.get(key) for key in TEMPLATE_HEADER] for r in rows])
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return path


def test_template_round_trip(tmp_path):
    """A filled-in template: number, name and score in columns of their own (the cell is written
    as the seed writes one), measures one a line, an empty score, an o-question."""
    base = {"organization": "อบต.ท่าช้าง", "district": "เมืองนครนายก", "province": "นครนายก", "assessed_year": "2568",
            "plan_year": "2569"}
    rows = [
        {**base, "seq": 1, "indicator": "การใช้งบประมาณ", "score": "87.125", "question_code": "i4",
         "question": "หน่วยงานใช้จ่ายงบประมาณตามวัตถุประสงค์", "analysis": "มีการใช้งบประมาณล่าช้า",
         "measures": "ติดตามการใช้งบประมาณรายไตรมาส\nเปิดเผยรายงานการใช้งบประมาณ", "rationale": "เพิ่มความโปร่งใส",
         "steps": "1. จัดทำแผน\n2. รายงานผล\n- ทุกไตรมาส", "period": "1 ต.ค. 2568 - 30 ก.ย. 2569",
         "divisions": "กองคลัง\nสำนักปลัด"},
        {**base, "seq": 2, "indicator": "การป้องกันการทุจริต", "score": "", "question_code": "O36",
         "question": "มาตรการส่งเสริมคุณธรรม", "analysis": "", "measures": "จัดอบรมคุณธรรม",
         "rationale": "", "steps": "", "period": "ม.ค. - มิ.ย. 2569", "divisions": "หน่วยตรวจสอบภายใน, กองช่าง"},
    ]
    source = read_report(template_csv(tmp_path / "thachang.csv", rows))
    con = fresh()
    back, _ = written_back(con, saved(con, source))
    assert_round_trip(back, source, written=False)
    assert back.findings[0].score == 87.125 and back.findings[1].score is None
    # written from the values, in the sheet's own (Arabic) digits
    assert back.findings[0].indicator_cell == "1. การใช้งบประมาณ (87.125 คะแนน)"
    for got, want in zip(back.findings, source.findings):  # the code and the lists' marks as the sheet gave them
        assert (got.question_code_text, got.measures_mark, got.steps_mark) == (
            want.question_code_text, want.measures_mark, want.steps_mark)
    assert_nothing_changes(con, back)


def test_unusual_content_round_trip(write_report):
    """A text report: a measure with no number, a bulleted list, Arabic "1)" numbering, several
    divisions (one not known), an o-question, a row without a score, a whole-year period."""
    path = write_report([
        row(measures="ปรับปรุงช่องทางการสื่อสารให้เข้าถึงง่าย", divisions="สำนักปลัด กองคลัง กองช่าง กองสวัสดิการสังคม"),
        row(indicator="๒. การใช้อำนาจ", question="i๘ ผู้บังคับบัญชามอบหมายงานอย่างเป็นธรรม",
            measures="- ออกประกาศหลักเกณฑ์ - ประชุมชี้แจง", steps="1) ร่างประกาศ 2) เสนอผู้บริหาร 3) แจ้งเวียน",
            period="ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙", divisions="งานบุคคล, กองการศึกษาฯ"),
        row(indicator="๓. การเปิดเผยข้อมูล (๘๐.๕๐ คะแนน)", question="o๑๒ การเปิดเผยข้อมูลการจัดซื้อจัดจ้าง",
            measures="๑. ปรับปรุงเว็บไซต์ให้เป็นปัจจุบัน ๒. แต่งตั้งผู้รับผิดชอบ - ผู้รับผิดชอบหลัก - ผู้รับผิดชอบรอง",
            analysis="คะแนน ๗๐.๒๕ ยังต่ำกว่าเกณฑ์", divisions="สำนักปลัด"),
    ])
    source = read_report(path)
    assert source.findings[1].score is None and source.findings[2].question_code == "o12"
    assert any("คะแนนไม่ตรงกัน" in w for w in source.findings[2].warnings)
    assert any("ไม่อยู่ในรายชื่อ" in w for w in source.findings[1].warnings)
    con = fresh()
    back, _ = written_back(con, saved(con, source))
    assert_round_trip(back, source)
    assert any("คะแนนไม่ตรงกัน" in w for w in back.findings[2].warnings)  # content: still flagged
    assert any("ไม่พบคะแนน" in w for w in back.findings[1].warnings)
    assert back.findings[2].measures == ["ปรับปรุงเว็บไซต์ให้เป็นปัจจุบัน",
                                         "แต่งตั้งผู้รับผิดชอบ - ผู้รับผิดชอบหลัก - ผู้รับผิดชอบรอง"]
    assert_nothing_changes(con, back)


def test_list_cells_read_back():
    """list_paragraphs gives lines the importer reads to the same items and mark, for each kind of mark."""
    from ita_data.importers import fields
    items = ["ตั้งคณะทำงาน", "ประชาสัมพันธ์ทางช่องทางดังนี้ - เว็บไซต์ - Line", "ติดตามผล"]
    for mark in ("๑.", "1.", "1)", "-", ""):
        paragraphs = report.list_paragraphs(items, mark, thai=True)
        lines = [line for p in paragraphs for line in p]
        assert fields.split_items(lines) == items and fields.list_mark(lines) == mark, (mark, lines)
    numbered = report.list_paragraphs(items, "๑.", thai=True)
    assert numbered[1] == ("๒. ประชาสัมพันธ์ทางช่องทางดังนี้", "- เว็บไซต์", "- Line")  # sub-items on lines
    assert report.list_paragraphs(["หนึ่ง"], None, thai=True) == (("หนึ่ง",),)
    assert report.list_paragraphs(["หนึ่ง", "สอง"], None, thai=False) == (("1. หนึ่ง",), ("2. สอง",))


# ---------------------------------------------------------------- the .docx

@pytest.fixture(scope="module")
def seed_files(seeded_db, tmp_path_factory):
    """The seed's plan as .docx and .pdf, and its results as .pdf."""
    folder = tmp_path_factory.mktemp("report")
    con = store.connect(seeded_db, read_only=True)
    try:
        assessment_id = store.assessments(con)[0]["id"]
        plan = report.build(con, assessment_id, report.PLAN)
        results = report.build(con, assessment_id, report.RESULTS)
    finally:
        con.close()
    paths = {"plan.docx": report_docx.report_docx(plan), "plan.pdf": report_pdf.report_pdf(plan),
             "results.pdf": report_pdf.report_pdf(results)}
    for name, data in paths.items():
        (folder / name).write_bytes(data)
    return plan, results, folder


def test_docx_structure(seed_files):
    plan, _, folder = seed_files
    document = Document(folder / "plan.docx")
    [section] = document.sections
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)  # A4 landscape
    assert [p.text for p in document.paragraphs[:2]] == [
        "รายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ประจำปีงบประมาณ พ.ศ. ๒๕๖๙",
        "ขององค์การบริหารส่วนตำบลมวกเหล็ก อำเภอมวกเหล็ก จังหวัดสระบุรี"]
    [table] = document.tables
    assert len(table.columns) == 8 and len(table.rows) == 2 + 10
    marked = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
    assert marked == [True, True] + [False] * 10  # the two header rows repeat on every page
    header = [line.split("\t") for line in HEADER.strip("\n").split("\n")]
    first = [c.text.replace("\u200b", "") for c in table.rows[0].cells]  # optional breaks after "/"
    second = [c.text.replace("\u200b", "") for c in table.rows[1].cells]
    assert first[0] == header[0][0] and first[1] == first[2] == header[0][1] and set(first[3:]) == {header[0][3]}
    assert second[1:] == header[1][1:]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.tag.split("}")[1]: b.get(qn("w:val")) for b in borders} == {
        side: "single" for side in ("top", "left", "bottom", "right", "insideH", "insideV")}
    # Sarabun for Latin, East Asian and complex-script (Thai) text, with the Thai size, in th-TH
    styles = document.styles.element
    for rpr in (styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")),
                document.styles["Normal"].element.rPr):
        fonts = rpr.find(qn("w:rFonts"))
        assert {a: fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == dict.fromkeys(
            ("ascii", "hAnsi", "eastAsia", "cs"), "Sarabun")
        assert not any("Theme" in key or "theme" in key for key in fonts.keys())
        assert rpr.find(qn("w:szCs")) is not None and rpr.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"
    bold_runs = [r for r in document.paragraphs[0].runs]
    assert bold_runs and all(r._r.rPr.find(qn("w:bCs")) is not None for r in bold_runs)  # Thai bold


# ---------------------------------------------------------------- the PDF

def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdf_pages(path: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 59[45]\.\d+ pts", info), info  # A4 landscape
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [subprocess.run(["pdftotext", "-raw", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True,
                           check=True).stdout for n in range(1, count + 1)]


def _header_text(table: report.Table) -> str:
    """The header rows' text as the PDF reads back (cell by cell), spaces and optional breaks gone."""
    return _squash("".join(c.text for row in table.header for c in row).replace("\u200b", ""))


def _reads_back(text: str, whole: str, pieces: int = 3) -> bool:
    """`text` is in `whole`, whole or in up to `pieces` pieces of at least 8 characters (a row
    split at page breaks: the rest of a cell comes after the other cells' parts and the next page's
    header), each the longest that reads back."""
    t = _squash(text)
    for _ in range(pieces):
        if t in whole:
            return True
        k = max((k for k in range(8, len(t)) if t[:k] in whole), default=0)
        if not k:
            return False
        t = t[k:]
    return False


def test_plan_pdf_reads_back(seed_files, seed_report):
    plan, _, folder = seed_files
    pages = [_squash(text) for text in _pdf_pages(folder / "plan.pdf")]
    assert len(pages) > 1
    header = _header_text(plan.tables("plan")[0])
    for n, text in enumerate(pages, start=1):  # the two-line header on every page, and its number
        assert header in text, n
        assert f"หน้า{to_thai_digits(n)}" in text, n
    whole = "".join(pages)
    assert _squash(plan.title_lines[0]) in pages[0] and _squash(plan.title_lines[1]) in pages[0]
    # the report's Thai, tone marks and SARA AM intact
    for f in seed_report.findings:
        for text in (f.indicator_cell, f"{f.question_code_text} {f.question}", f.analysis, *f.measures,
                     f.rationale, *f.steps, f.period_text):
            assert _reads_back(text, whole), text
    for phrase in ("ผู้บริหารอนุมัติประกาศใช้คู่มือการปฏิบัติงาน", "เจ้าหน้าที่ขององค์การบริหารส่วนตำบลมวกเหล็ก",
                   "กองสาธารณสุขและสิ่งแวดล้อม", "ค่าทำงานล่วงเวลา"):
        assert phrase in whole, phrase
    listed = subprocess.run(["pdffonts", str(folder / "plan.pdf")], capture_output=True, text=True, check=True).stdout
    embedded = listed.splitlines()[2:]
    assert embedded and all("Sarabun" in line and " yes " in line for line in embedded), listed


def test_results_pdf_reads_back(seed_files):
    _, results, folder = seed_files
    pages = [_squash(text) for text in _pdf_pages(folder / "results.pdf")]
    whole = "".join(pages)
    for line in results.title_lines:
        assert _squash(line) in pages[0]
    for heading in ("สรุปรายตัวชี้วัด", "สรุปรายหน่วยงาน", "ผลการดำเนินงานรายมาตรการ"):
        assert heading in whole
    [measures] = results.tables("results")
    for row in measures.body:
        if len(row) == 8:  # a measure's line: its text reads back
            assert _reads_back(row[1].text, whole), row[1].text
    header = _header_text(measures)
    first = next(n for n, text in enumerate(pages) if "ผลการดำเนินงานรายมาตรการ" in text)
    for text in pages[first:]:  # the measures' table header on every page it runs over
        assert header in text


# ---------------------------------------------------------------- the year's results

@pytest.fixture
def reported(seeded_copy):
    """The seed with reports made: one measure done (two reports), one in progress without a note,
    one cancelled."""
    con = store.connect(seeded_copy)
    assessment_id = store.assessments(con)[0]["id"]
    ms = store.measures(con, assessment_id)
    store.update_measure(con, ms[0]["id"], "in_progress", 40, "ร่างคู่มือแล้ว", "สมชาย", at=datetime(2026, 1, 10, 3))
    store.update_measure(con, ms[0]["id"], "done", 100, "ประกาศใช้คู่มือแล้ว", "สมหญิง", at=datetime(2026, 3, 2, 3))
    store.update_measure(con, ms[3]["id"], "in_progress", 20, None, "สมชาย", at=datetime(2026, 2, 1, 3))
    store.update_measure(con, ms[5]["id"], "cancelled", 0, "ซ้ำกับมาตรการข้อ ๑.๑", "ปลัด", at=datetime(2026, 2, 5, 3))
    yield con, assessment_id, ms
    con.close()


def _table_values(t: report.Table) -> list[list[str]]:
    return [[c.text for c in r] for r in t.body]


def test_results_numbers_are_views(reported):
    con, assessment_id, ms = reported
    on = date(2026, 10, 15)  # after the year: every open measure overdue
    doc = report.build(con, assessment_id, report.RESULTS, on=on)
    findings = views.findings_frame(con, assessment_id)
    measures = views.measures_frame(con, assessment_id, on=on)
    digits = to_thai_digits

    [indicators] = doc.tables("indicators")
    expected = views.indicator_progress(measures, findings)
    assert len(indicators.body) == len(expected) == findings["indicator_no"].nunique()
    for cells, r in zip(_table_values(indicators), expected.itertuples(index=False)):
        assert cells[0] == f"{digits(r.indicator_no)}. {r.indicator}"
        assert cells[2:8] == [digits(v) for v in (r.measures, r.not_started, r.in_progress, r.done, r.cancelled,
                                                   r.overdue)]
    assert sum(r.measures for r in expected.itertuples()) == len(ms)
    assert expected.loc[expected["indicator_no"] == 1, "done"].item() == 1

    [divisions] = doc.tables("divisions")
    workload = views.division_workload(measures, findings)  # no per-division statuses: the measures' own
    assert [c[0] for c in _table_values(divisions)] == list(workload["division"])
    for cells, w in zip(_table_values(divisions), workload.itertuples(index=False)):
        assert cells[1:8] == [digits(v) for v in (w.findings, w.measures, w.not_started, w.in_progress, w.done,
                                                  w.cancelled)] + [digits(w.overdue)]

    [results] = doc.tables("results")
    lines = [cells for cells in _table_values(results) if len(cells) == 8]
    assert len(lines) == len(ms)  # one line per measure
    by_ref = {cells[0]: cells for cells in lines}
    first = by_ref[digits(f"{ms[0]['finding_seq']}.{ms[0]['seq']}")]
    assert first[3].startswith("เสร็จแล้ว") and first[4] == "๑๐๐"
    assert (first[5], first[6], first[7]) == ("ประกาศใช้คู่มือแล้ว", "๒ มี.ค. ๒๕๖๙", "สมหญิง")
    quiet = by_ref[digits(f"{ms[3]['finding_seq']}.{ms[3]['seq']}")]
    assert quiet[3].startswith("กำลังดำเนินการ") and "เกินกำหนด" in quiet[3] and quiet[5] == "-" and quiet[7] == "สมชาย"
    untouched = by_ref[digits(f"{ms[1]['finding_seq']}.{ms[1]['seq']}")]
    assert untouched[3].startswith("ยังไม่เริ่ม") and untouched[5:] == ["-", "-", "-"]
    text = " ".join(p.text for p in doc.blocks if isinstance(p, report.Paragraph))
    cards = views.summary(findings, measures)
    assert f"ทั้งหมด {digits(cards['measures'])} รายการ" in text and f"เกินกำหนด {digits(cards['overdue'])}" in text


def test_results_by_division(reported):
    """A measure each of its divisions reports on (store.update_measure with a division): one line per
    division with its own status and last report; the per-division summary counts each division by
    its own status."""
    con, assessment_id, ms = reported
    m = ms[1]
    own, other = m["divisions"][0], m["divisions"][1]
    store.update_measure(con, m["id"], "done", 100, "เผยแพร่แล้ว", "ธุรการ", division=own, at=datetime(2026, 3, 1, 3))
    store.update_measure(con, m["id"], "in_progress", 50, None, "นายช่าง", division=other, at=datetime(2026, 3, 3, 3))
    shared = ms[2]  # every division holds the same status and none reported on its own: one line
    on = date(2026, 3, 16)
    doc = report.build(con, assessment_id, report.RESULTS, on=on)
    [results] = doc.tables("results")
    shared_ref = to_thai_digits(f"{shared['finding_seq']}.{shared['seq']}")
    [shared_line] = [r for r in results.body if r[0].text == shared_ref]
    assert shared_line[0].rowspan == 1 and shared_line[2].text == ", ".join(shared["divisions"])
    ref = to_thai_digits(f"{m['finding_seq']}.{m['seq']}")
    at = next(i for i, r in enumerate(results.body) if r and r[0].text == ref)
    assert results.body[at][0].rowspan == len(m["divisions"])
    assert [c.text for c in results.body[at][2:]] == [own, "เสร็จแล้ว", "๑๐๐", "เผยแพร่แล้ว", "๑ มี.ค. ๒๕๖๙", "ธุรการ"]
    assert [c.text for c in results.body[at + 1]] == [other, "กำลังดำเนินการ", "๕๐", "-", "๓ มี.ค. ๒๕๖๙", "นายช่าง"]
    assert [c.text for c in results.body[at + 2]][:3] == [m["divisions"][2], "ยังไม่เริ่ม", "๐"]  # not reported yet
    # the lines stay on one page, with the row's line above the first measure
    sizes = [len(g) for g in results.row_groups()]
    assert sum(sizes) == len(results.body) and len(m["divisions"]) in sizes

    measures = views.measures_frame(con, assessment_id, on=on)
    workload = views.division_workload(measures, views.findings_frame(con, assessment_id)).set_index("division")
    [divisions] = doc.tables("divisions")
    row_of = {r[0].text: [c.text for c in r] for r in divisions.body}
    assert row_of[own][5] == to_thai_digits(workload.loc[own, "done"])
    assert row_of[other][4] == to_thai_digits(workload.loc[other, "in_progress"])
    # the measure counts as done for its first division alone
    ref = f"{m['finding_seq']}.{m['seq']}"
    assert views.division_view(measures, own, on).set_index("ref").loc[ref, "status"] == "done"
    assert views.division_view(measures, m["divisions"][2], on).set_index("ref").loc[ref, "status"] == "not_started"


# ---------------------------------------------------------------- command line and page

@pytest.fixture
def report_db(cli, tmp_path, seed_path):
    db = tmp_path / "report.duckdb"
    assert cli("import", seed_path, "--db", db, "--quiet").returncode == 0
    return db


def test_cli_report_docx_with_defaults(cli, report_db, tmp_path, seed_report):
    out = tmp_path / "รายงาน.docx"
    done = cli("report", "--out", out, "--db", report_db)
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and ORG in done.stdout
    assert_round_trip(read_report(out), seed_report)


def test_cli_report_results_pdf(cli, report_db, tmp_path):
    out = tmp_path / "results.pdf"
    done = cli("report", "--out", out, "--db", report_db, "--kind", "results", "--org", "อบต.มวกเหล็ก",
               "--plan-year", "2569")
    assert done.returncode == 0, done.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "ผลการดำเนินงานรายมาตรการ" in _squash(text) and ORG in text


@pytest.mark.parametrize("case,args,words", [
    ("suffix", ["--out", "{tmp}/r.txt"], [".docx หรือ .pdf"]),
    ("kind", ["--out", "{tmp}/r.docx", "--kind", "yearly"], ["--kind", "plan", "results"]),
    ("org", ["--out", "{tmp}/r.docx", "--org", "อบต.ไม่มี"], ["ไม่พบหน่วยงาน", "อบต.ไม่มี"]),
    ("year", ["--out", "{tmp}/r.docx", "--plan-year", "2570"], ["ไม่มีแผนปีงบประมาณ 2570", "2569"]),
    ("folder", ["--out", "{tmp}/none/r.docx"], ["ไม่พบโฟลเดอร์"]),
])
def test_cli_report_bad_input(cli, report_db, tmp_path, case, args, words):
    args = [a.format(tmp=tmp_path) for a in args]
    done = cli("report", *args, "--db", report_db)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert len(done.stderr.splitlines()) == 1, done.stderr
    for word in words:
        assert word in done.stderr
    assert done.stdout == "" and not Path(args[1]).exists()


def test_cli_report_without_database(cli, tmp_path):
    done = cli("report", "--out", tmp_path / "r.docx", "--db", tmp_path / "none.duckdb")
    assert done.returncode == 2 and "ไม่พบฐานข้อมูล" in done.stderr and not (tmp_path / "none.duckdb").exists()


def test_meeting_page_offers_the_reports(app_db):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = {b.key: b for b in at.get("download_button") if (b.key or "").startswith("report_")}
    assert set(buttons) == {"report_plan.docx", "report_plan.pdf", "report_results.docx", "report_results.pdf"}
    assert any("รายงานประจำปี" in h.value for h in at.subheader)



# ---------------------------------------------------------------- official indicator scores in the results

def _indicator_cells(con) -> tuple[dict[int, str], str, str]:
    """The results report's indicator table (number -> score cell), the note under it, the summary."""
    doc = report.build(con, store.assessments(con)[0]["id"], report.RESULTS)
    [table] = doc.tables("indicators")
    paragraphs = [b.text for b in doc.blocks if isinstance(b, report.Paragraph)]
    note = next(p for p in paragraphs if p.startswith("คะแนน = "))
    numbers = {int(re.sub(r"\D", "", to_arabic(cells[0].split(".")[0]))): cells[1] for cells in _table_values(table)}
    return numbers, note, paragraphs[0]


def to_arabic(text: str) -> str:
    from ita_data.thai import to_arabic as arabic
    return arabic(text)


def test_results_use_the_official_indicator_scores_and_say_so(seeded_copy, tmp_path):
    from score_sheets import expected_means, write_sheet, year_rows
    from ita_data.importers import read_any
    con = store.connect(seeded_copy)
    try:
        findings = views.findings_frame(con, store.assessments(con)[0]["id"])
        means = findings.groupby("indicator_no")["score"].mean()
        # no score sheet: the mean of the report's questions, said to be that
        cells, note, summary = _indicator_cells(con)
        assert cells[2] == to_thai_digits(f"{means[2]:.2f}") == "๙๒.๖๖"
        assert note == ("คะแนน = ค่าเฉลี่ยของคะแนนข้อคำถามที่รายงานไว้ในตัวชี้วัดนั้น ไม่ใช่คะแนนทางการของตัวชี้วัด "
                        "(ยังไม่ได้นำเข้าแผ่นคะแนนปี ๒๕๖๘ ที่มีคะแนนรายตัวชี้วัด)")
        assert "คะแนนทางการ" not in summary
        # the 2568 sheet with indicators 1-5 only: those official, 6-8 the report's mean, marked
        part = [r for r in year_rows(2568) if r[4] == "ITA" or (isinstance(r[4], int) and r[4] <= 5 and not r[5])]
        store.scores.save_scores(con, [read_any(write_sheet(tmp_path / "part.csv", part))])
        official = expected_means(2568)
        cells, note, summary = _indicator_cells(con)
        assert official[2] != pytest.approx(means[2], abs=0.005)  # the sheet's score is another number
        assert cells[2] == to_thai_digits(f"{official[2]:.2f}") and cells[1] == to_thai_digits(f"{official[1]:.2f}")
        assert cells[7] == to_thai_digits(f"{means[7]:.2f}") + "*"
        assert note == ("คะแนน = คะแนนทางการของตัวชี้วัด ผลการประเมิน ITA ปี ๒๕๖๘ จากแผ่นคะแนนที่นำเข้า · "
                        "* = ค่าเฉลี่ยของคะแนนข้อคำถามที่รายงานไว้ในตัวชี้วัดนั้น ไม่ใช่คะแนนทางการของตัวชี้วัด "
                        "(แผ่นคะแนนไม่มีคะแนนของตัวชี้วัดนี้)")
        overall = part[0][6]
        assert summary.endswith(f"คะแนน ITA ปี ๒๕๖๘ (คะแนนทางการ) {to_thai_digits(f'{overall:.2f}')} ระดับ AA.")
        # the whole sheet: every indicator official, no mark
        store.scores.save_scores(con, [read_any(write_sheet(tmp_path / "whole.csv", year_rows(2568)))])
        cells, note, _ = _indicator_cells(con)
        assert {no: cell for no, cell in cells.items()} == {no: to_thai_digits(f"{official[no]:.2f}") for no in cells}
        assert note == "คะแนน = คะแนนทางการของตัวชี้วัด ผลการประเมิน ITA ปี ๒๕๖๘ จากแผ่นคะแนนที่นำเข้า"
        doc = report.build(con, store.assessments(con)[0]["id"], report.RESULTS)
        docx_text = "\n".join(p.text for p in Document(io.BytesIO(report_docx.report_docx(doc))).paragraphs)
        assert note in docx_text
        (tmp_path / "results.pdf").write_bytes(report_pdf.report_pdf(doc))
        whole = "".join(_squash(page) for page in _pdf_pages(tmp_path / "results.pdf"))
        assert _squash(note) in whole and _squash(to_thai_digits(f"{official[2]:.2f}")) in whole
        # the plan's report is the report as written, whatever the sheet says
        back, _ = written_back(con, store.assessments(con)[0]["id"])
        assert_round_trip(back, read_report(SEED))
    finally:
        con.close()
