"""The .docx importer reads a Word copy of the seed report exactly as the text importer reads the seed."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import asdict
from pathlib import Path

import pytest
from docx import Document

from ita_data.importers import ReportError, read_report
from ita_data.importers.fields import split_items
from ita_data.importers.records import COLUMNS
from ita_data.importers.rows import is_header

SEED = Path(__file__).resolve().parents[1] / "data" / "muaklek-ita-report-2569.txt"
KEYS = [key for key, _ in COLUMNS]


def seed_pages() -> tuple[list[list[str]], list[tuple[list[str], list[str]]]]:
    """The seed's two header rows, and its pages: (title lines, the data row's eight cells)."""
    headers, pages, titles = [], [], []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            if line.strip():
                titles.append(line.replace("*", "").strip())
        elif is_header(line.split("\t")):
            if len(headers) < 2:
                headers.append(line.split("\t"))
        else:
            pages.append((titles, line.split("\t")))
            titles = []
    return headers, pages


def cell_paragraphs(key: str, text: str, split: bool) -> list[list[str]]:
    """A cell as paragraphs, each a list of lines (joined by line breaks). Split: the indicator's
    score on its own paragraph, a line break after the question code, and list items one paragraph
    each (no numbers, as Word's own numbering leaves them) with "-" sub-items on their own lines."""
    if not split:
        return [[text]]
    if key == "indicator" and "(" in text:
        at = text.index("(")
        return [[text[:at].strip()], [text[at:]]]
    if key == "question" and " " in text:
        code, rest = text.split(" ", 1)
        return [[code, rest]]
    if key in ("measures", "steps"):
        paragraphs = []
        for item in split_items(text):
            first, *subs = item.split(" - ")
            paragraphs += [[first]] + [[f"- {sub}"] for sub in subs]
        return paragraphs
    return [[text]]


def fill(cell, paragraphs: list[list[str]]) -> None:
    for i, lines in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        for j, line in enumerate(lines):
            run = paragraph.add_run(line)
            if j < len(lines) - 1:
                run.add_break()


def add_report_table(doc, headers: list[list[str]], rows: list[list[str]], split: bool):
    """The report table as the seed's PDF drew it: two header rows with merged cells, then data."""
    table = doc.add_table(rows=2 + len(rows), cols=8)
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(0, 3).merge(table.cell(0, 7))
    for col in (0, 1, 3):
        table.cell(0, col).text = headers[0][col]
    for col in range(1, 8):
        table.cell(1, col).text = headers[1][col]
    for r, cells in enumerate(rows, start=2):
        for c, (key, text) in enumerate(zip(KEYS, cells)):
            fill(table.cell(r, c), cell_paragraphs(key, text, split))
    return table


def make_docx(path: Path, *, split: bool = True, pages=None) -> Path:
    headers, seed = seed_pages()
    doc = Document()
    for titles, cells in pages or seed:
        for line in titles:
            doc.add_paragraph().add_run(line).bold = True
        add_report_table(doc, headers, [cells], split)
        doc.add_page_break()
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def seed_report():
    return read_report(SEED)


def assert_same(report, expected, *, split: bool = False):
    for field in ("organization", "district", "province", "assessed_year", "plan_year", "warnings"):
        assert getattr(report, field) == getattr(expected, field), field
    assert len(report.findings) == len(expected.findings) == 10
    for got, want in zip(report.findings, expected.findings):
        got_fields, want_fields = asdict(got), asdict(want)
        if split:  # list items one a paragraph without their numbers (as Word's own numbering leaves the
            # text): the items are the same, written unmarked
            assert (got.measures_mark, got.steps_mark) == ("", ""), f"row {want.seq}"
            for key in ("measures_mark", "steps_mark"):
                got_fields.pop(key), want_fields.pop(key)
        assert got_fields == want_fields, f"row {want.seq}"


@pytest.mark.parametrize("split", [True, False], ids=["paragraph-items", "numbered-one-paragraph"])
def test_docx_reads_like_the_text_seed(tmp_path, seed_report, split):
    report = read_report(make_docx(tmp_path / "muaklek.docx", split=split))
    assert_same(report, seed_report, split=split)
    assert report.source_file.endswith("muaklek.docx")
    first = report.findings[0]
    assert (first.seq, first.indicator_no, first.question_code, first.score) == (1, 1, "i2", 97.87)
    assert len(first.measures) == 2 and len(first.steps) == 4
    assert any("99.79" in w for w in report.findings[6].warnings)


def test_one_long_table_and_captions(tmp_path, seed_report):
    """All rows in one table, a caption row (one merged cell) and an empty row in between."""
    headers, pages = seed_pages()
    doc = Document()
    for titles in (pages[0][0],):
        for line in titles:
            doc.add_paragraph(line)
    rows = [cells for _, cells in pages]
    table = add_report_table(doc, headers, rows[:5] + [[""] * 8, ["IIT"] * 8] + rows[5:], split=True)
    caption = table.rows[8].cells
    caption[0].merge(caption[7]).text = "แบบวัด EIT"
    doc.save(tmp_path / "long.docx")
    assert_same(read_report(tmp_path / "long.docx"), seed_report, split=True)


def test_titles_in_page_header_and_layout_table(tmp_path):
    """The organization only in the page header, the year in a one-column layout table."""
    headers, pages = seed_pages()
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "องค์การบริหารส่วนตำบลหนองน้ำ อำเภอเมือง จังหวัดสระบุรี"
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "รายงานการนำผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๙"
    add_report_table(doc, headers, [pages[1][1]], split=True)
    doc.save(tmp_path / "header.docx")
    report = read_report(tmp_path / "header.docx")
    assert (report.organization, report.district, report.province) == ("องค์การบริหารส่วนตำบลหนองน้ำ", "เมือง", "สระบุรี")
    assert (report.assessed_year, report.plan_year) == (2568, 2569)
    assert [f.seq for f in report.findings] == [2]


def one_line_error(path: Path, name: str | None = None) -> ReportError:
    with pytest.raises(ReportError) as caught:
        read_report(path, name=name)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{name or path}:")
    return caught.value


def good_docx_bytes(tmp_path: Path) -> bytes:
    return make_docx(tmp_path / "good.docx").read_bytes()


@pytest.mark.parametrize("kind", ["empty", "binary", "png", "truncated", "zip-without-document", "xlsx", "old-doc"])
def test_not_a_docx(tmp_path, kind):
    good = good_docx_bytes(tmp_path)
    if kind == "zip-without-document":
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
            for name in src.namelist():
                if name != "word/document.xml":
                    dst.writestr(name, src.read(name))
        data = out.getvalue()
    elif kind == "xlsx":
        from openpyxl import Workbook
        out = io.BytesIO()
        Workbook().save(out)
        data = out.getvalue()
    else:
        data = {"empty": b"", "binary": bytes(range(256)) * 8,
                "png": b"\x89PNG\r\n\x1a\n" + bytes(200), "truncated": good[: len(good) // 2],
                "old-doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)}[kind]
    path = tmp_path / "report.docx"
    path.write_bytes(data)
    error = one_line_error(path)
    if kind == "empty":
        assert "ว่างเปล่า" in error.reason
    else:
        assert "ไม่ใช่เอกสาร Word (.docx)" in error.reason
    if kind == "png":
        assert "รูปภาพ" in error.reason
    if kind == "old-doc":
        assert ".doc" in error.reason


def test_uploaded_name_is_what_messages_show(tmp_path):
    path = tmp_path / "upload-123.tmp"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(50))
    one_line_error(path, name="รายงาน.docx")


def test_row_with_six_cells(tmp_path):
    headers, pages = seed_pages()
    doc = Document()
    for line in pages[0][0]:
        doc.add_paragraph(line)
    add_report_table(doc, headers, [pages[0][1]], split=False)
    short = add_report_table(doc, headers, [pages[1][1]], split=False).rows[2]._tr
    for tc in short.tc_lst[6:]:
        short.remove(tc)
    doc.save(tmp_path / "six.docx")
    error = one_line_error(tmp_path / "six.docx")
    assert error.row == "ตารางที่ 2 แถวที่ 3"
    assert "มี 6 คอลัมน์" in error.reason and "ตารางที่ 2 แถวที่ 3" in str(error)


def test_no_report_table(tmp_path):
    doc = Document()
    doc.add_paragraph("องค์การบริหารส่วนตำบลมวกเหล็ก ประจำปีงบประมาณ พ.ศ. ๒๕๖๙")
    doc.save(tmp_path / "notable.docx")
    assert "ไม่พบตารางรายงาน" in one_line_error(tmp_path / "notable.docx").reason


def test_bad_cell_names_row_and_column(tmp_path):
    headers, pages = seed_pages()
    titles, cells = pages[0]
    bad = list(cells)
    bad[0] = "๑. การปฏิบัติหน้าที่ (๑๒๓ คะแนน)"
    make_docx(tmp_path / "bad.docx", pages=[(titles, bad)])
    error = one_line_error(tmp_path / "bad.docx")
    assert error.row == "ตารางที่ 1 แถวที่ 3" and error.column == "ประเด็น/ตัวชี้วัด"
    assert re.search(r"123", error.reason)


# ---------------------------------------------------------------- an indicator cell merged down over question rows

def merged_docx(path: Path, questions: list[str], *, merge: bool = True) -> Path:
    """Seed row 1's indicator cell merged down (python-docx `a.merge(b)`) over one row per question,
    then seed row 2. Without `merge` the indicator text is written again in every row."""
    headers, pages = seed_pages()
    titles, cells = pages[0]
    doc = Document()
    for line in titles:
        doc.add_paragraph(line)
    rows = [[cells[0] if not merge else ""] + [question] + cells[2:] for question in questions]
    table = add_report_table(doc, headers, rows + [pages[1][1]], split=False)
    if merge:
        top = table.cell(2, 0).merge(table.cell(1 + len(questions), 0))
        top.text = cells[0]
        assert table.cell(3, 0)._tc is top._tc and table.cell(3, 0).text == cells[0]
    doc.save(path)
    return path


@pytest.mark.parametrize("merge", [True, False], ids=["merged-cell", "text-repeated"])
def test_indicator_cell_merged_down_continues_numbering(tmp_path, merge):
    questions = ["i๑ เจ้าหน้าที่ปฏิบัติงานตามขั้นตอน", "i๒ เจ้าหน้าที่เลือกปฏิบัติ", "i๓ เจ้าหน้าที่ให้ข้อมูล"]
    report = read_report(merged_docx(tmp_path / "merged.docx", questions, merge=merge))
    assert [(f.seq, f.indicator_no, f.question_code, f.score) for f in report.findings] == [
        (1, 1, "i1", 97.87), (2, 1, "i2", 97.87), (3, 1, "i3", 97.87), (4, 2, "i4", 97.45)]
    how = "ผสานต่อลงมา" if merge else "เขียนเหมือนแถวก่อนหน้า"
    assert not any("ลำดับ" in w for w in report.findings[0].warnings)
    for f in report.findings[1:3]:
        [w] = [w for w in f.warnings if "ถือเป็นแถวต่อเนื่อง" in w]
        assert how in w and "ลำดับ 1 ซ้ำ" in w and f"บันทึกเป็นลำดับ {f.seq}" in w
    assert any("ลำดับ 2 ถูกใช้แล้ว" in w and "ลำดับ 4" in w for w in report.findings[3].warnings)

    from ita_data import store
    con = store.connect(tmp_path / "ita.duckdb")
    try:
        [result] = store.save_reports(con, [report])
        assert result.findings == 4
        assert [f["seq"] for f in store.findings(con, result.assessment_id)] == [1, 2, 3, 4]
    finally:
        con.close()


def test_merged_indicator_cell_over_the_same_question_is_refused(tmp_path):
    path = merged_docx(tmp_path / "twice.docx", ["i๑ เจ้าหน้าที่ปฏิบัติงาน", "I1 เจ้าหน้าที่ปฏิบัติงาน (ต่อ)"])
    error = one_line_error(path)
    assert (error.row, error.column) == ("ตารางที่ 1 แถวที่ 4", "ประเด็น/ตัวชี้วัด")
    assert "ลำดับแถว 1 ซ้ำกับตารางที่ 1 แถวที่ 3" in error.reason
