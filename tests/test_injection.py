"""Injection stays inert outside the browser too (the browser: tests/test_auth_browser.py): report
text with HTML, Markdown and LaTeX goes into the slides (PPTX, the PDF's HTML) as the same text;
spreadsheet cells that look like formulas are written as text in XLSX and CSV; filter values that
look like SQL or Markdown change nothing."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from ita_data import store, ui, views
from ita_data.exports import meeting, pdf, pptx, tables
from ita_data.store import users
from test_auth_browser import PAYLOAD, payload_db
from test_pages import ROOT, start


@pytest.fixture
def payload(tmp_path):
    path = tmp_path / "payload.duckdb"
    payload_db(path)
    con = store.connect(path)
    yield con, store.assessments(con)[0]["id"]
    con.close()


def test_slides_carry_the_text_as_written(payload):
    con, assessment = payload
    deck = meeting.build_deck(con, assessment, date(2026, 3, 1), date(2026, 3, 16))
    html = pdf.deck_html(deck, {})
    assert "<script>window" not in html and "<img src=x" not in html and 'href="https://evil' not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert ":red[แดง]$$x^2$$**หนา**" in html  # as text: the PDF is HTML, not Markdown
    with zipfile.ZipFile(io.BytesIO(pptx.deck_pptx(deck, {}))) as deck_file:
        slides = "".join(deck_file.read(n).decode("utf-8") for n in deck_file.namelist()
                         if n.startswith("ppt/slides/slide"))
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in slides  # XML-escaped text runs, nothing else
    assert ":red[แดง]$$x^2$$**หนา**" in slides
    assert "hlinkClick" not in slides  # no link was made of the text


def test_spreadsheet_cells_that_look_like_formulas_are_text(payload):
    con, assessment = payload
    frame = views.measures_frame(con, assessment)
    sheet = openpyxl.load_workbook(io.BytesIO(tables.measures_xlsx(frame))).active
    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    for text in ("=1+1", "@SUM(A1) มาตรการ"):
        assert text in cells, sorted(cells)[:5]
        assert (cells[text].data_type, cells[text].quotePrefix) == ("s", True)
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    rows = list(csv.reader(io.StringIO(tables.measures_csv(frame).decode("utf-8-sig"))))
    column = rows[0].index("มาตรการ/โครงการ/กิจกรรม")
    assert ["'=1+1", "'@SUM(A1) มาตรการ"] == [r[column] for r in rows[1:] if r[column][1:] in ("=1+1", "@SUM(A1) มาตรการ")]
    assert not any(cell[:1] in "=+-@" for r in rows[1:] for cell in r if cell)
    backup = openpyxl.load_workbook(io.BytesIO(tables.backup_xlsx(con, by=users.get_user(con, "boss"))))
    assert [c.coordinate for s in backup.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"] == []


def test_md_escape_leaves_no_markdown_link_or_directive():
    escaped = ui.md_escape(PAYLOAD)
    for raw in ("](", ":red[", "$$", "**", "https://", "www.e", "a@e"):
        assert raw not in escaped, raw
    assert "\\<script\\>" in escaped
    assert escaped.replace("\\", "").replace("\u200b", "") == PAYLOAD  # shown as written


@pytest.mark.parametrize("value", ["'; DROP TABLE measures; --", "x' OR '1'='1", "%", "[a](javascript:alert(1))"])
def test_filter_values_that_look_like_sql_change_nothing(app_db, value):
    at = start("pages/measures.py", q=value)
    assert not at.exception
    assert "ไม่มีมาตรการที่ตรงกับตัวกรอง" in " ".join(str(i.value) for i in at.info)
    at = start("pages/measures.py", div=value, org=value, year=value)
    assert not at.exception
    assert len(at.dataframe[0].value) == 23  # an unknown division or organization filters nothing away
    con = store.connect(app_db)
    assert len(store.measures(con, store.assessments(con)[0]["id"])) == 23
