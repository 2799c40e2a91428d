"""The monthly meeting: the months (thai.py) and the deck's content (exports/meeting.py, views.py's
statuses as of a day) on the real seed with status updates at chosen times, the slide layout
(exports/layout.py), the charts and the printing (exports/browser.py), the PPTX read back with
python-pptx, the PDF read back with poppler, the command line, and the meeting page through AppTest."""
from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, SEED
from ita_data import fonts, store, thai
from ita_data.exports import browser, layout, meeting
from ita_data.importers import read_report

ORG = "องค์การบริหารส่วนตำบลมวกเหล็ก"
KINDS = ["cover", "scores", "progress", "divisions", "changes", "overdue", "due"]
MARCH, TODAY = date(2026, 3, 1), date(2026, 3, 15)  # inside FY2569: nothing overdue yet

# (measure ref, status, progress, note, editor, when in UTC). Thai time is UTC+7: 16:30 UTC on
# 14 Feb is 23:30 on 14 Feb in Thailand, 17:30 UTC is 00:30 on 15 Feb, the previous meeting's day.
UPDATES = [
    ("4.3", "in_progress", 10, "เริ่มร่างแนวทางแล้ว", "สมหญิง กองคลัง", datetime(2026, 1, 5, 3)),
    ("6.1", "in_progress", 20, None, "สมชาย", datetime(2026, 2, 14, 16, 30)),
    ("6.2", "in_progress", 20, "ประชุมทีมงาน", "สมชาย", datetime(2026, 2, 14, 17, 30)),
    ("1.1", "in_progress", 30, "ร่างคู่มือแล้ว", "สมศรี กองช่าง", datetime(2026, 2, 20, 3)),
    ("4.1", "done", 100, "", "สมชาย กองคลัง", datetime(2026, 3, 1, 3)),
    ("1.1", "in_progress", 60, "เสนอผู้บริหาร <b>รออนุมัติ</b> & ประกาศใช้", "สมศรี กองช่าง",
     datetime(2026, 3, 10, 3)),
    ("5.1", "done", 100, "ประกาศแล้ว", "สมศรี กองช่าง", datetime(2026, 3, 20, 3)),  # after the March meeting
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    path = tmp_path_factory.mktemp("meeting") / "ita.duckdb"
    con = store.connect(path)
    store.save_reports(con, [read_report(SEED)])
    assessment_id = store.assessments(con)[0]["id"]
    ids = {f"{m['finding_seq']}.{m['seq']}": m["id"] for m in store.measures(con, assessment_id)}
    for ref, status, progress, note, editor, at in UPDATES:
        store.update_measure(con, ids[ref], status, progress, note, editor, at=at)
    yield {"con": con, "id": assessment_id, "path": path}
    con.close()


def deck(seeded, month: date, today: date) -> meeting.Deck:
    return meeting.build_deck(seeded["con"], seeded["id"], month, today)


def refs(slides: list[meeting.Slide]) -> list[str]:
    """Every row's ref over a table split across slides."""
    return [ref for s in slides for ref in s.table["ที่"]]


# ---------------------------------------------------------------- months and dates

def test_months():
    assert thai.parse_month("2026-03") == thai.parse_month("2569-03") == date(2026, 3, 1)
    assert thai.parse_month("๒๕๖๙-๐๓") == thai.parse_month("2569/03") == date(2026, 3, 1)
    for bad in ("2026-13", "2026-00", "03-2026", "26-03", "abc", "", "2026-3x", "0026-03", "2399-01", "2201-01"):
        with pytest.raises(ValueError):
            thai.parse_month(bad)
    assert thai.month_label(date(2026, 3, 1)) == "มีนาคม 2569" == thai.thai_month(3, 2026, short=False)
    # calendar months: clamped to the month's length, a datetime stays a datetime
    assert thai.add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert thai.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert thai.add_months(date(2025, 11, 15), 14) == date(2027, 1, 15)
    assert thai.add_months(datetime(2026, 12, 31, 9), 2) == datetime(2027, 2, 28, 9)
    assert thai.first_of(date(2026, 3, 15)) == date(2026, 3, 1)
    assert thai.month_starts(date(2025, 10, 1), date(2026, 1, 1)) == [date(2025, 10, 1), date(2025, 11, 1),
                                                                     date(2025, 12, 1)]
    assert thai.month_starts(datetime(2025, 10, 2), datetime(2025, 12, 1)) == [datetime(2025, 11, 1)]
    assert thai.month_starts(date(2026, 1, 1), date(2026, 1, 1)) == []
    # the meeting date: today in the current month, else the month's last (past) or first (ahead) day
    assert meeting.meeting_date_of(MARCH, TODAY) == TODAY
    assert meeting.meeting_date_of(date(2026, 2, 1), TODAY) == date(2026, 2, 28)
    assert meeting.meeting_date_of(date(2026, 11, 1), TODAY) == date(2026, 11, 1)
    assert meeting.previous_meeting_of(TODAY) == date(2026, 2, 15)
    assert meeting.previous_meeting_of(date(2026, 3, 31)) == date(2026, 2, 28)
    assert meeting.previous_meeting_of(date(2026, 1, 10)) == date(2025, 12, 10)
    months = meeting.month_options(2569, TODAY)
    assert months[0] == date(2025, 10, 1) and months[-1] == date(2026, 9, 1) and len(months) == 12
    assert meeting.month_options(2569, date(2026, 11, 20))[-1] == date(2026, 11, 1)  # after the year


# ---------------------------------------------------------------- deck content

def test_march_deck(seeded):
    d = deck(seeded, MARCH, TODAY)
    assert [s.kind for s in d.slides] == KINDS
    assert (d.meeting_date, d.previous_meeting) == (TODAY, date(2026, 2, 15))
    assert d.organization == ORG and d.plan_year == 2569 and d.assessed_year == 2568
    cover = d.slides[0]
    assert ORG in cover.lines and "ประชุมประจำเดือนมีนาคม 2569" in cover.lines
    assert "วันที่ 15 มีนาคม 2569" in cover.lines
    # the figures come from ita_data.figures, sized for the slide
    for s in d.slides[1:4]:
        assert s.figure is not None and s.figure.layout.height == s.figure_px[1]
        assert s.figure.layout.font.family.startswith("Sarabun")

    # statuses as of the meeting date: 5.1 was done on 20 March, after it
    by_ref = d.measures.set_index("ref")
    assert by_ref.loc["5.1", "status"] == "not_started"
    assert by_ref.loc["1.1", ["status", "progress"]].tolist() == ["in_progress", 60]
    assert by_ref.loc["4.1", "status"] == "done"
    facts = {f.label: f.value for f in d.of_kind("progress")[0].facts}
    assert facts == {"เสร็จแล้ว": "1 จาก 23", "กำลังดำเนินการ": "4", "ยังไม่เริ่ม": "18", "เกินกำหนด": "0"}

    # changes from the previous meeting's day (15 Feb, Thai time) through the meeting date
    [changes] = d.of_kind("changes")
    assert list(changes.table["ที่"]) == ["1.1", "4.1", "6.2"]  # not 6.1 (14 Feb), 4.3 (Jan), 5.1 (20 Mar)
    first = changes.table.iloc[0]
    assert first["เดิม"] == "ยังไม่เริ่ม 0%" and first["ล่าสุด"] == "กำลังดำเนินการ 60%"
    assert first["บันทึกล่าสุด"] == "เสนอผู้บริหาร <b>รออนุมัติ</b> & ประกาศใช้"
    assert first["ผู้รายงาน"] == "สมศรี กองช่าง\n10 มี.ค. 2569"
    assert d.changes.set_index("ref").loc["1.1", "reports"] == 2
    assert "รายงานความคืบหน้า 4 ครั้ง ใน 3 มาตรการ" in changes.subtitle

    # nothing overdue in March, nothing due in April
    [overdue] = d.of_kind("overdue")
    assert overdue.table.empty and "ไม่มีมาตรการที่เกินกำหนด" in overdue.empty
    [due] = d.of_kind("due")
    assert due.table.empty and "เมษายน 2569" in due.title and "เมษายน 2569" in due.empty


def test_november_deck_every_open_measure_is_overdue(seeded):
    for today in (TODAY, date(2026, 11, 20)):  # prepared in advance, or in the month itself
        d = deck(seeded, date(2026, 11, 1), today)
        assert d.meeting_date == (date(2026, 11, 1) if today == TODAY else today)
        overdue = d.of_kind("overdue")
        assert len(overdue) > 1  # split across slides
        assert [s.part for s in overdue] == [(i, len(overdue)) for i in range(1, len(overdue) + 1)]
        assert all(f"({i}/{len(overdue)})" in s.title for i, s in enumerate(overdue, start=1))
        done = {"4.1", "5.1"}
        expected = [r for r in d.measures["ref"] if r not in done]
        assert refs(overdue) == expected and len(expected) == 21
        assert d.of_kind("due")[0].table.empty  # nothing ends in December
        assert d.of_kind("changes")[0].table.empty
        assert [s.kind for s in d.slides] == KINDS[:5] + ["overdue"] * len(overdue) + ["due"]


def test_august_deck_lists_what_is_due_in_september(seeded):
    d = deck(seeded, date(2026, 8, 1), date(2026, 8, 20))
    assert d.of_kind("overdue")[0].table.empty
    due = d.of_kind("due")
    assert "กันยายน 2569" in due[0].title
    assert refs(due) == [r for r in d.measures["ref"] if r not in {"4.1", "5.1"}]
    assert all(end.startswith("30 ก.ย. 2569\n(อีก 41 วัน)") for s in due for end in s.table["สิ้นสุด"])


def test_february_deck_as_it_was(seeded):
    d = deck(seeded, date(2026, 2, 1), TODAY)  # a past month: as of its last day
    assert (d.meeting_date, d.previous_meeting) == (date(2026, 2, 28), date(2026, 1, 28))
    by_ref = d.measures.set_index("ref")
    assert by_ref.loc["1.1", ["status", "progress"]].tolist() == ["in_progress", 30]
    assert by_ref.loc["4.1", "status"] == "not_started"  # done on 1 March
    assert list(d.of_kind("changes")[0].table["ที่"]) == ["1.1", "6.1", "6.2"]


def test_long_tables_fit_their_slides(seeded):
    d = deck(seeded, date(2026, 11, 1), date(2026, 11, 20))
    for s in d.slides:
        if s.table is None or s.table.empty:
            continue
        height = layout.row_height(s.table.columns, s.widths, bold=True) + sum(
            layout.row_height(row, s.widths, lists=s.lists) for row in s.table.itertuples(index=False))
        assert height <= layout.CONTENT_H - (layout.NOTE_H if s.note else 0), s.title
    # a list of divisions breaks after its commas, not inside a name
    lines = layout.wrap_lines("สำนักปลัด, กองช่าง, กองคลัง, กองสวัสดิการสังคม, กองสาธารณสุขและสิ่งแวดล้อม", 3.0, 14,
                               as_list=True)
    assert lines == ["สำนักปลัด, กองช่าง, กองคลัง,", "กองสวัสดิการสังคม,", "กองสาธารณสุขและสิ่งแวดล้อม"]
    # Thai text breaks between words only: nothing lost, every line a run of whole words
    text = "จัดประชุมผู้บริหาร และ พนักงานส่วนตำบล เพื่อรับทราบแนวทางการใช้คู่มือการขอยืมทรัพย์สินของทางราชการ"
    wrapped = layout.wrap_lines(text, 2.0, 14)
    assert len(wrapped) > 2 and "".join(wrapped).replace(" ", "") == text.replace(" ", "")
    assert all(thai.text_width(line, 14) <= 2.0 for line in wrapped)


def test_cover_fits_for_the_pptx_and_the_pdf(seeded):
    """One fitting for both covers: the title in at most two lines, every line on one line."""
    cover = deck(seeded, MARCH, TODAY).slides[0]
    fit = layout.fit_cover(cover.title, cover.lines)
    assert 24 <= fit.title_size <= 34 and 1 <= len(fit.title_lines) <= 2
    assert "".join(fit.title_lines).replace(" ", "") == cover.title.replace(" ", "")
    assert [text for text, *_ in fit.lines] == [line for line in cover.lines if line]
    for text, size, bold, colour in fit.lines:
        assert 14 <= size <= 30 and colour.startswith("#")
        assert size == 14 or thai.text_width(text, size, bold) <= layout.COVER_W
    long = layout.fit_cover("ก" * 400, ["ข" * 300])
    assert long.title_size == 24 and long.lines[0][1] == 14  # as small as allowed, never smaller


def test_deck_for_finds_organization_and_year(seeded):
    d = meeting.deck_for(seeded["con"], organization="อบต.มวกเหล็ก", plan_year=2569, month=MARCH, today=TODAY)
    assert d.assessment_id == seeded["id"]
    with pytest.raises(ValueError, match="ไม่พบหน่วยงาน"):
        meeting.find_assessment(seeded["con"], "อบต.ไม่มี")
    with pytest.raises(ValueError, match="2570"):
        meeting.find_assessment(seeded["con"], None, 2570)


# ---------------------------------------------------------------- files

@pytest.fixture(scope="module")
def files(seeded, tmp_path_factory):
    """The March deck as PPTX and PDF, the charts from one chart server: (deck, pptx bytes, pdf path,
    images)."""
    from ita_data.exports import pdf, pptx
    d = deck(seeded, MARCH, TODAY)
    with browser.chart_server():
        images = browser.chart_images(d.slides)
        pptx_bytes = pptx.deck_pptx(d, images=images)
        pdf_bytes = pdf.deck_pdf(d, images=images)
    path = tmp_path_factory.mktemp("files") / "deck.pdf"
    path.write_bytes(pdf_bytes)
    return d, pptx_bytes, path, images


def test_chart_images_are_png_at_twice_the_slide_size(files):
    from PIL import Image
    d, _, _, images = files
    assert len(images) == 3
    for s in meeting.figure_slides(d):
        image = Image.open(io.BytesIO(images[id(s)]))
        assert image.format == "PNG"
        assert image.size == (s.figure_px[0] * browser.PNG_SCALE, s.figure_px[1] * browser.PNG_SCALE)


def test_charts_are_drawn_in_sarabun():
    """The chart server's Chromium finds Sarabun (through fontconfig, in its own environment): Thai
    text asked for in Sarabun comes out unlike the same text in the browser's default font."""
    import plotly.graph_objects as go

    def figure(family: str) -> go.Figure:
        fig = go.Figure()
        fig.add_annotation(text="ตำบลมวกเหล็ก ผู้บริหาร ๒๕๖๙", x=0.5, y=0.5, showarrow=False,
                           font=dict(family=family, size=40))
        return fig.update_layout(width=500, height=120, xaxis_visible=False, yaxis_visible=False)

    sarabun, default = browser.png_images([(figure("Sarabun"), 500, 120), (figure("sans-serif"), 500, 120)])
    assert sarabun != default


def test_no_environment_change_while_exporting(seeded):
    """Sarabun reaches Chromium in the browser process's own environment: os.environ stays as it
    was before, while the chart server runs and after."""
    from ita_data.exports import pdf, pptx
    before = dict(os.environ)
    d = deck(seeded, date(2026, 11, 1), TODAY)
    with browser.chart_server():
        images = browser.chart_images(d.slides)
        assert dict(os.environ) == before
        pdf_bytes = pdf.deck_pdf(d, images=images)
        assert dict(os.environ) == before
    assert pptx.deck_pptx(d)[:2] == b"PK" and pdf_bytes[:5] == b"%PDF-"  # a server of its own
    assert dict(os.environ) == before
    env = browser.chromium_env()
    assert env["FONTCONFIG_FILE"] != os.environ.get("FONTCONFIG_FILE")
    assert str(fonts.sarabun_dir()) in Path(env["FONTCONFIG_FILE"]).read_text(encoding="utf-8")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pptx_reads_back(files):
    from pptx import Presentation
    from pptx.oxml.ns import qn
    from pptx.util import Inches
    d, data, _, _ = files
    prs = Presentation(io.BytesIO(data))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))  # 16:9
    assert len(prs.slides) == len(d.slides) == 7
    pictures = 0
    for slide, content in zip(prs.slides, d.slides):
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        assert _squash(content.title) in [_squash(t) for t in texts]
        assert not slide.has_notes_slide  # speaker-free
        pictures += sum(shape.shape_type == 13 for shape in slide.shapes)  # MSO_SHAPE_TYPE.PICTURE
        # every run: Sarabun for latin, east-asian and complex-script (Thai) text
        runs = list(slide._element.iter(qn("a:r")))
        assert runs
        for run in runs:
            rpr = run.find(qn("a:rPr"))
            for tag in ("a:latin", "a:ea", "a:cs"):
                assert rpr.find(qn(tag)).get("typeface") == "Sarabun", (content.title, tag)
        # nothing below the content area
        for shape in slide.shapes:
            assert shape.top + shape.height <= Inches(7.5)
            if shape.has_table:
                assert shape.top + shape.height <= Inches(layout.FOOTER_TOP)
    assert pictures == 3
    cover = " ".join(shape.text_frame.text for shape in prs.slides[0].shapes if shape.has_text_frame)
    assert ORG in cover and "ประชุมประจำเดือนมีนาคม 2569" in cover
    # the changes table: Thai headers, the rows' text (lines broken between words) kept whole
    [table] = [shape.table for shape in prs.slides[4].shapes if shape.has_table]
    assert [table.cell(0, j).text for j in range(len(table.columns))] == list(meeting.CHANGE_COLUMNS)
    expected = d.of_kind("changes")[0].table
    for i, row in enumerate(expected.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            assert _squash(table.cell(i, j).text) == _squash(value)
    # the file is a plain pptx zip with PNG media
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(n.startswith("ppt/media/") and n.endswith(".png") for n in names) == 3


def _pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext, page by page)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True,
                           text=True, check=True).stdout for n in range(1, count + 1)]


def _each_slide_on_its_page(d: meeting.Deck, path: Path) -> None:
    """One page per slide, each 16:9 at the slide's size (13.333 x 7.5 in = 960 x 540 pt), holding its
    own title, its table's last row and its footer (the slide's bottom edge: nothing cut off)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+960(\.\d+)? x 540(\.\d+)? pts", info), info  # 16:9, as the PPTX
    pages = _pdf_pages(path)
    total = len(d.slides)
    assert len(pages) == total
    for n, (s, text) in enumerate(zip(d.slides, pages), start=1):
        squashed = _squash(text)
        assert _squash(s.title) in squashed, (n, s.title)
        assert re.search(rf"(?<!\d){n}\s*/\s*{total}(?!\d)", text), (n, text[-200:])
        if s.table is not None and not s.table.empty:
            last = s.table.iloc[-1]
            assert _squash(last.iloc[0]) in squashed and _squash(last.iloc[-1]) in squashed, (n, list(last))


def test_pdf_reads_back_and_renders(files, tmp_path):
    from PIL import Image, ImageStat
    d, _, path, _ = files
    _each_slide_on_its_page(d, path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert ORG in text  # ตำบล reads back whole (SARA AM drawn with two glyphs)
    squashed = _squash(text)
    for s in d.slides:
        assert _squash(s.title) in squashed, s.title
    assert _squash("เสนอผู้บริหาร <b>รออนุมัติ</b> & ประกาศใช้") in squashed  # escaped: shown as typed
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    embedded = listed.splitlines()[2:]  # after the header and its rule
    assert embedded and all("Sarabun" in line and " yes " in line for line in embedded), listed  # no fallback font
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 7
    for page in pages:
        image = Image.open(page)
        assert abs(image.width / image.height - 16 / 9) < 0.01, image.size
        stat = ImageStat.Stat(image.convert("L"))
        assert stat.stddev[0] > 10, page.name  # not blank


def test_pdf_of_a_deck_with_long_tables(seeded, tmp_path):
    """August: every measure is due the month after, a table split over several slides; each slide
    still prints on a page of its own (charts left out: the pages' text is what is checked here)."""
    from ita_data.exports import pdf
    d = deck(seeded, date(2026, 8, 1), TODAY)
    assert len(d.of_kind("due")) > 1
    path = tmp_path / "august.pdf"
    path.write_bytes(pdf.deck_pdf(d, images={}))
    _each_slide_on_its_page(d, path)


# ---------------------------------------------------------------- command line

@pytest.fixture
def meeting_db(cli, tmp_path, seed_path):
    """The seed in the database the cli fixture's $ITA_DB names (used when --db is not given)."""
    done = cli("import", seed_path, "--db", tmp_path / "default.duckdb", "--quiet")
    assert done.returncode == 0, done.stderr
    return tmp_path / "default.duckdb"


def test_cli_meeting_pptx_with_defaults(cli, meeting_db, tmp_path):
    from pptx import Presentation
    out = tmp_path / "deck.pptx"
    done = cli("meeting", "--out", out, timeout=180)
    assert done.returncode == 0, done.stderr
    assert ORG in done.stdout and "ปีงบประมาณ 2569" in done.stdout
    prs = Presentation(str(out))
    assert len(prs.slides) >= 7
    assert ORG in " ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)


def test_cli_meeting_pdf_for_a_month(cli, meeting_db, tmp_path):
    out = tmp_path / "deck.pdf"
    done = cli("meeting", "--out", out, "--db", meeting_db, "--org", "อบต.มวกเหล็ก", "--plan-year", "2569",
               "--month", "2569-03", timeout=180)
    assert done.returncode == 0, done.stderr
    assert "ประชุมประจำเดือนมีนาคม 2569" in done.stdout
    assert out.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "ประชุมประจำเดือนมีนาคม 2569" in text and ORG in text


def test_cli_meeting_xlsx_register(cli, meeting_db, tmp_path):
    import openpyxl
    out = tmp_path / "register.xlsx"
    done = cli("meeting", "--out", out, "--month", "2026-03")
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(out).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert [c.value for c in sheet[1]][:2] == ["ที่", "มาตรการ/โครงการ/กิจกรรม"]
    assert sheet.max_row == 24


@pytest.mark.parametrize("case,args,words", [
    ("org", ["--org", "อบต.ไม่มีจริง"], ["ไม่พบหน่วยงาน", "อบต.ไม่มีจริง"]),
    ("year", ["--plan-year", "2570"], ["2570"]),
    ("month", ["--month", "2026-13"], ["2026-13"]),
    ("month-text", ["--month", "มีนาคม"], ["YYYY-MM"]),
    ("kind", [], [".pptx", ".pdf"]),
    ("db", [], ["ไม่พบฐานข้อมูล"]),
])
def test_cli_meeting_bad_input(cli, meeting_db, tmp_path, case, args, words):
    out = tmp_path / ("deck.docx" if case == "kind" else "deck.pdf")
    if case == "db":
        args = ["--db", tmp_path / "no-such.duckdb"]
    done = cli("meeting", "--out", out, *args, timeout=120)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    for word in words:
        assert word in done.stderr
    assert not out.exists() and done.stdout == ""


# ---------------------------------------------------------------- the page

def start_meeting(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_meeting_page_steps_through_the_slides(app_db):
    at = start_meeting()
    assert at.title[0].value == "ประชุมประจำเดือน"
    assert at.number_input(key="slide").value == 1
    assert ORG in "\n".join(m.value for m in at.markdown)  # the cover
    assert len(at.get("plotly_chart")) == 0
    assert len(at.get("download_button")) == 3 + 4  # the deck, the register; the report (plan, results: .docx, .pdf)
    at.button(key="next_slide").click().run()
    assert not at.exception
    assert at.number_input(key="slide").value == 2
    # the scores: the slide's chart, and its phone version (the page shows one of them by width)
    assert [c.key for c in at.get("plotly_chart")] == ["slide_chart_2", "slide_phone_chart_2"]
    assert any("คะแนน ITA รายข้อคำถาม" in m.value for m in at.markdown)
    at.button(key="next_slide").click().run()
    at.button(key="previous_slide").click().run()
    assert at.number_input(key="slide").value == 2
    at.button(key="previous_slide").click().run()
    at.button(key="previous_slide").click().run()  # stays on the first
    assert at.number_input(key="slide").value == 1 and not at.exception


def test_meeting_page_month_and_tables(app_db):
    at = start_meeting()
    at.selectbox(key="month").set_value(MARCH).run()
    assert not at.exception
    total = at.number_input(key="slide").max
    assert total == 7  # the March deck: every table fits one slide
    at.number_input(key="slide").set_value(6).run()  # overdue: none yet (as of 31 March 2569 at the latest)
    assert not at.exception
    assert any("ไม่มีมาตรการที่เกินกำหนด" in m.value for m in at.info)


def test_meeting_page_from_the_url(app_db):
    at = start_meeting(slide="3")
    assert at.number_input(key="slide").value == 3
    assert len(at.get("plotly_chart")) == 1  # progress of all measures
    assert [m.value for m in at.metric][:1] and at.metric[0].label == "เสร็จแล้ว"
    at.selectbox(key="month").set_value(date(2026, 8, 1)).run()  # measures end in September: due next month
    table_slide = None
    for n in range(4, int(at.number_input(key="slide").max) + 1):
        at.number_input(key="slide").set_value(n).run()
        assert not at.exception
        if at.table:
            table_slide = at.table[0].value
            break
    assert isinstance(table_slide, pd.DataFrame) and "ที่" in table_slide.columns  # a slide has a table


def test_screen_tables_wrap_in_the_browser_not_at_the_pptx_breaks(seeded):
    """The overdue slides' long measure titles: one line each on screen (the browser wraps them),
    while the end-date cell keeps its own second line "(เกิน N วัน)" as a Markdown break."""
    d = deck(seeded, date(2026, 11, 1), date(2026, 11, 20))
    slide = d.of_kind("overdue")[0]
    shown = meeting.screen_table(slide, lambda text: text)
    titles = shown["มาตรการ/โครงการ/กิจกรรม"]
    assert max(len(t) for t in titles) > 60  # long enough that the PPTX breaks it into lines
    assert not any("\n" in t for t in titles)
    ends = shown["สิ้นสุด"]
    assert all("  \n(เกิน " in e for e in ends), list(ends)


def test_presenter_view_steps_with_keys_and_keeps_the_slide_in_the_url(app_db):
    """?present=1: the presenter's own buttons carry the keys (arrows, a clicker's PageUp/PageDown,
    Esc to leave); the page's buttons give theirs up, so one key press is one step; no downloads.
    What is hidden (Streamlit's header and sidebar, the page's controls) only a browser shows:
    tests/test_browser.py."""
    at = start_meeting(present="1", slide="2")
    keys = {b.key: b.proto.shortcut for b in at.button}
    assert keys["presenter_next"] == "right" and keys["presenter_page_down"] == "pagedown"
    assert keys["presenter_previous"] == "left" and keys["presenter_page_up"] == "pageup"
    assert keys["presenter_exit"] == "escape"
    assert (keys["presenter_space"], keys["presenter_home"], keys["presenter_end"]) == ("space", "home", "end")
    assert keys["next_slide"] == keys["previous_slide"] == ""  # hidden, and without keys here
    assert len(at.get("download_button")) == 0
    at.button(key="presenter_page_down").click().run()
    assert at.number_input(key="slide").value == 3 and at.query_params["slide"] == "3"
    at.button(key="presenter_previous").click().run()
    at.button(key="presenter_previous").click().run()
    at.button(key="presenter_previous").click().run()  # stays on the first
    assert at.number_input(key="slide").value == 1
    at.button(key="presenter_end").click().run()
    assert at.number_input(key="slide").value == at.number_input(key="slide").max
    at.button(key="presenter_home").click().run()
    assert at.number_input(key="slide").value == 1
    at.button(key="presenter_space").click().run()
    assert at.number_input(key="slide").value == 2
    at.button(key="presenter_home").click().run()
    at.button(key="presenter_next").click().run()
    at.button(key="presenter_exit").click().run()
    assert not at.exception
    assert "present" not in at.query_params and at.query_params["slide"] == "2"
    assert len(at.get("download_button")) == 3 + 4  # the deck, the register, and the four reports
    keys = {b.key: b.proto.shortcut for b in at.button}
    assert keys["next_slide"] == "right" and keys["previous_slide"] == "left"  # the page's arrows
    assert "presenter_next" not in keys
    at.button(key="start_presenting").click().run()
    assert at.query_params["present"] == "1" and at.number_input(key="slide").value == 2


# ---------------------------------------------------------------- the agency's trend (two years of score sheets or more)

def _trend_deck(db: Path) -> meeting.Deck:
    con = store.connect(db, read_only=True)
    try:
        return meeting.build_deck(con, store.assessments(con)[0]["id"], MARCH, TODAY)
    finally:
        con.close()


def _panel_values(figure) -> dict[str, list[str]]:
    """Each panel's series name -> the scores written above its points, in year order."""
    return {t.name: [re.sub(r"<[^>]+>", "", v) for v in t.text] for t in figure.data
            if t.name not in ("years", "label")}


def test_trend_slide_from_two_and_three_years_of_score_sheets(seeded_copy, tmp_path):
    from score_sheets import CHANGES_2569, expected_means, write_sheet, year_rows
    from ita_data import framework
    from ita_data.importers import read_any

    def save(year, changes=None):
        con = store.connect(seeded_copy)
        try:
            store.scores.save_scores(con, [read_any(write_sheet(tmp_path / f"{year}.csv", year_rows(year, changes)))])
        finally:
            con.close()

    def expected(year, changes=None) -> dict[str, list[str]]:
        means = expected_means(year, changes)
        return {"คะแนน ITA รวม": f"{round(framework.overall_score(means), 2):.2f}",
                **{f"{no}. {framework.INDICATOR_BY_NO[no].name_th}": f"{score:.2f}" for no, score in means.items()}}

    save(2568)  # one year: no trend slide
    one = _trend_deck(seeded_copy)
    assert one.of_kind("trend") == [] and one.score_change is not None

    save(2569, CHANGES_2569)
    d = _trend_deck(seeded_copy)
    [trend] = d.of_kind("trend")
    assert [s.kind for s in d.slides][:6] == ["cover", "scores", "effect", "fallen", "trend", "progress"]
    assert trend.title == "แนวโน้มคะแนน ITA ปี 2568 ถึง 2569"
    e68, e69 = expected(2568), expected(2569, CHANGES_2569)
    assert f"คะแนน ITA รวม {e68['คะแนน ITA รวม']} → {e69['คะแนน ITA รวม']}" in trend.subtitle
    for figure in (trend.figure, trend.phone_figure):  # the slide's (four across) and the phone's (two across)
        values = _panel_values(figure)
        assert list(values) == list(e68)  # the overall first, then the ten indicators in order
        assert values == {name: [e68[name], e69[name]] for name in e68}
        years = [list(t.text) for t in figure.data if t.name == "years"]
        assert years == [["2568", "2569"]] * 11
    # 2569 against 2568 by the sheets: i2 (indicator 1) and e5 (7) down, i5 (2) up
    assert float(e69["1. การปฏิบัติหน้าที่"]) < float(e68["1. การปฏิบัติหน้าที่"])
    assert _panel_values(trend.figure)["2. การใช้งบประมาณ"] == ["93.77", "95.52"]
    assert trend.figure_size == (layout.CONTENT_W, layout.CONTENT_H - layout.NOTE_H) and trend.note

    save(2567, {"i2": 80.0})  # an earlier year: three points a panel, the phone's panels still two across
    [trend] = _trend_deck(seeded_copy).of_kind("trend")
    e67 = expected(2567, {"i2": 80.0})
    assert trend.title == "แนวโน้มคะแนน ITA ปี 2567 ถึง 2569"
    assert _panel_values(trend.phone_figure) == {name: [e67[name], e68[name], e69[name]] for name in e68}


def test_trend_slide_in_the_pptx_and_the_pdf(seeded_copy, tmp_path):
    """The trend slide in both files: its title and its chart picture, Thai in Sarabun for every
    script in the PPTX; its title read back from the PDF's page."""
    from pptx import Presentation
    from pptx.oxml.ns import qn
    from score_sheets import CHANGES_2569, write_sheet, year_rows
    from ita_data.exports import pdf, pptx
    from ita_data.importers import read_any
    con = store.connect(seeded_copy)
    try:
        for year, changes in ((2568, None), (2569, CHANGES_2569)):
            store.scores.save_scores(con, [read_any(write_sheet(tmp_path / f"{year}.csv", year_rows(year, changes)))])
    finally:
        con.close()
    d = _trend_deck(seeded_copy)
    [trend] = d.of_kind("trend")
    number = d.slides.index(trend) + 1
    with browser.chart_server():
        images = browser.chart_images([trend])  # the other slides' charts are not this test's
        prs = Presentation(io.BytesIO(pptx.deck_pptx(d, images)))
        (tmp_path / "deck.pdf").write_bytes(pdf.deck_pdf(d, images))
    slide = prs.slides[number - 1]
    texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    assert trend.title in texts and trend.note in texts
    assert sum(shape.shape_type == 13 for shape in slide.shapes) == 1  # the chart's picture
    for run in slide._element.iter(qn("a:r")):
        rpr = run.find(qn("a:rPr"))
        assert rpr.get("lang") == "th-TH"
        assert [rpr.find(qn(tag)).get("typeface") for tag in ("a:latin", "a:ea", "a:cs")] == ["Sarabun"] * 3
    page = _pdf_pages(tmp_path / "deck.pdf")[number - 1]
    assert _squash(trend.title) in _squash(page) and _squash(d.footer) in _squash(page)


def test_phone_rows_give_every_cell_of_a_table_slide(seeded):
    """A phone shows a table slide as one block per row (pages/meeting.py): the ref and the title in
    bold, every other cell as "column: value", a cell's own lines as Markdown breaks, escaped."""
    from ita_data import ui
    d = deck(seeded, date(2026, 11, 1), date(2026, 11, 20))
    slides = d.of_kind("overdue")
    blocks = [b for s in slides for b in meeting.phone_rows(s, ui.md_escape)]
    rows = [r for s in slides for r in s.table.itertuples(index=False)]
    assert len(blocks) == len(rows) > 10
    for block, row in zip(blocks, rows):
        lines = block.split("  \n")
        assert lines[0] == f"**{ui.md_escape(row[0])} {ui.md_escape(row[1])}**"
        assert lines[1] == f"ผู้รับผิดชอบ: {ui.md_escape(row[2])}"
        end, days = row[3].split("\n")  # "30 ก.ย. 2569" then "(เกิน N วัน)": a line each
        assert lines[2:4] == [f"สิ้นสุด: {ui.md_escape(end)}", ui.md_escape(days)]
        assert lines[4] == f"สถานะ: {ui.md_escape(row[4])}"
