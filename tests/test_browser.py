"""The real thing: `streamlit run dashboard.py` on loopback, every page opened in headless Chromium.
Screenshots go to artifacts/screenshots/ for a person to look at. No fixed waits: each step waits
for what it needs (the script run finished, a chart drawn, a text shown); the server checks for
changes every LIVE_SECONDS ($ITA_LIVE_SECONDS) rather than every 10 s."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from accounts import browser_sign_in
from conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
THAI = re.compile(r"[\u0e00-\u0e7f]")
LIVE_SECONDS = 1
# the app's script run has finished (Streamlit marks its root element)
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# page url, the Thai that must be in a chart's SVG, charts expected
PAGES = [
    ("", "การใช้งบประมาณ", 1),  # the scores page is the default, at the root
    ("measures", None, 0),
    ("divisions", "กองช่าง", 2),
    ("timeline", "ต.ค.", 1),
    ("meeting?slide=3", "ยังไม่เริ่ม", 1),  # the meeting deck's third slide: progress of all measures
    ("data", None, 0),
]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/setup.sh)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(folder: Path, *, people: bool = False, env_extra: dict | None = None):
    """`streamlit run dashboard.py` on a free port with its own database in `folder`: its URL. With
    `people`, the database is made first: the seed and the test accounts (tests/accounts.py)."""
    if people:
        from accounts import add_people
        from ita_data import store
        from ita_data.importers import read_report
        con = store.connect(folder / "ita.duckdb")
        try:
            if store.is_empty(con):
                store.save_reports(con, [read_report(store.SEED_REPORT, name=store.SEED_REPORT.name)])
            if not store.users.has_users(con):
                add_people(con)
        finally:
            con.close()
    port = free_port()
    env = {**os.environ, "ITA_DB": str(folder / "ita.duckdb"), "ITA_TODAY": TODAY.isoformat(),
           "ITA_LIVE_SECONDS": str(LIVE_SECONDS), **(env_extra or {})}
    log = open(folder / "streamlit.log", "wb")  # a file, not a pipe: a full pipe would stall the server
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("streamlit did not start: " + (folder / "streamlit.log").read_text(errors="replace")[-2000:])
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("browser"), people=True) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        # with scrollbars that take room, as on a desktop (Playwright hides them by default)
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, ignore_default_args=["--hide-scrollbars"])
        yield b
        b.close()


def write_scored_db(folder: Path) -> None:
    """folder/ita.duckdb: the seed with its agency's 2568 and 2569 score sheets."""
    from score_sheets import CHANGES_2569, write_sheet, year_rows
    from ita_data import store
    from ita_data.importers import read_any, read_report
    con = store.connect(folder / "ita.duckdb")
    try:
        store.save_reports(con, [read_report(ROOT / "data" / "muaklek-ita-report-2569.txt")])
        for year, changes in ((2568, None), (2569, CHANGES_2569)):
            store.scores.save_scores(con, [read_any(write_sheet(folder / f"{year}.csv", year_rows(year, changes)))])
    finally:
        con.close()


def open_page(browser, url: str, width: int = 1600, height: int = 2400):
    page = browser.new_page(viewport={"width": width, "height": height}, locale="th-TH")
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    # tables and buttons drawn after the run show skeletons until they are: wait them out
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
                           timeout=30_000)
    return page


def test_a_page_url_opened_first_on_a_fresh_server(browser, tmp_path):
    """The first visitor of a new server opens /measures directly: the page runs inside
    dashboard.py's navigation, with the sidebar's organization and year choice."""
    with running_server(tmp_path) as url:
        page = open_page(browser, f"{url}/measures")
        try:
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.locator("h1").first.inner_text() == "มาตรการ"
            sidebar = page.locator('[data-testid="stSidebar"]')
            assert sidebar.get_by_role("combobox", name="หน่วยงาน").input_value() == "อบต.มวกเหล็ก"
            assert sidebar.get_by_role("combobox", name="ปีงบประมาณ (แผน)").input_value() == "2569"
            assert "องค์การบริหารส่วนตำบลมวกเหล็ก · ผลการประเมิน ITA ปี 2568" in sidebar.inner_text()
            nav = sidebar.locator('[data-testid="stSidebarNav"]').inner_text()
            for title in ("ภาพรวมคะแนน", "มาตรการ", "หน่วยงานรับผิดชอบ", "แผนดำเนินงาน", "ประชุมประจำเดือน", "ข้อมูล"):
                assert title in nav, nav
        finally:
            page.close()


@pytest.mark.parametrize("path,thai_in_chart,charts", PAGES)
def test_page_opens_with_charts_and_thai(server, browser, path, thai_in_chart, charts):
    page = open_page(browser, f"{server}/{path}")
    try:
        assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]
        assert THAI.search(page.locator("h1").first.inner_text())
        # every chart drawn (a page without charts has none)
        page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
                               timeout=30_000)
        assert page.locator(".js-plotly-plot").count() == charts
        svg_text = " ".join(page.locator(".js-plotly-plot svg text").all_text_contents())
        assert thai_in_chart is None or thai_in_chart in svg_text, svg_text[:500]
        # the interface font is Sarabun, served from static/
        family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
        assert "Sarabun" in family
        loaded = page.evaluate("document.fonts.ready.then(() => document.fonts.check('16px Sarabun', 'ก'))")
        assert loaded
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{path or 'scores'}.png"), full_page=True)
    finally:
        page.close()


def test_division_link_opens_measures_filtered(server, browser):
    page = open_page(browser, f"{server}/divisions")
    try:
        page.get_by_role("link", name="ดูมาตรการ").nth(2).click()  # the third busiest: กองช่าง
        page.wait_for_url(re.compile(r"/measures\?"), timeout=30_000)
        page.wait_for_selector('[data-testid="stMain"] strong:text-is("14")', timeout=30_000)
        assert "div=" in page.url
        assert "14 จาก 23" in page.inner_text('[data-testid="stMain"]')
        page.screenshot(path=str(SHOTS / "measures-filtered.png"), full_page=True)
    finally:
        page.close()


def test_a_status_update_reaches_every_open_session(server, browser):
    """Session A reports a measure done; session B, open on the scores page and left alone, redraws
    its "done" card by itself (ui.follow_changes checks every LIVE_SECONDS here)."""
    a = open_page(browser, f"{server}/measures")
    b = open_page(browser, f"{server}/")
    try:
        def done_card() -> str:
            return b.locator(".st-key-strip_measures h4").inner_text()

        assert done_card() == "เสร็จ 0 จาก 23"
        browser_sign_in(a, "boss")  # the admin reports for สำนักปลัด, 8.1's one division
        a.wait_for_selector(IDLE, timeout=30_000)
        a.get_by_role("combobox", name="มาตรการ", exact=True).click()
        a.get_by_role("option", name=re.compile(r"^8\.1 ")).click()  # one division: its report is the measure's
        form = a.locator(".st-key-report_form")
        form.get_by_role("combobox", name="สถานะ").click()
        a.get_by_role("option", name="เสร็จแล้ว").click()
        a.wait_for_selector(IDLE, timeout=30_000)
        form.get_by_role("button", name="บันทึก").click()
        a.wait_for_selector("text=ผู้ดูแล ระบบ (boss)", timeout=30_000)  # A's history names the reporter
        b.wait_for_function("document.querySelector('.st-key-strip_measures h4')"
                            "?.innerText === 'เสร็จ 1 จาก 23'", timeout=1000 * (10 * LIVE_SECONDS + 20))
        assert done_card() == "เสร็จ 1 จาก 23"
    finally:
        a.close()
        b.close()


def test_links_name_the_agency_and_an_import_opens_at_once(browser, tmp_path):
    """The URL always carries org and year; an upload confirmed on the Data page is listed in the
    sidebar at once and its button opens it; moving between pages keeps the choice in the URL."""
    from urllib.parse import unquote
    seed = (ROOT / "data" / "muaklek-ita-report-2569.txt").read_text(encoding="utf-8")
    other = tmp_path / "กกแก้ว.txt"
    other.write_text(seed.replace("มวกเหล็ก", "กกแก้ว").replace("สระบุรี", "นครนายก"), encoding="utf-8")
    with running_server(tmp_path, people=True) as url:
        page = open_page(browser, f"{url}/")
        try:
            assert "/?org=อบต.มวกเหล็ก&year=2569&score_view=" in unquote(page.url)  # the view named too
            browser_sign_in(page, "boss")  # importing is an admin's
            page.locator('[data-testid="stSidebarNav"] a[href$="/data"]').click()
            page.wait_for_selector('h1 span:text-is("ข้อมูล")', timeout=30_000)
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(other))
            page.get_by_role("button", name="ยืนยันนำเข้า").click()
            link = page.get_by_role("link", name="เปิด อบต.กกแก้ว ปีงบประมาณ 2569")
            link.wait_for(timeout=30_000)
            assert page.get_by_role("button", name="ยืนยันนำเข้า").count() == 0  # the file is gone
            sidebar = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="หน่วยงาน")
            assert sidebar.input_value() == "อบต.มวกเหล็ก"  # the choice stays; the new one is listed
            sidebar.click()
            assert page.get_by_role("option", name="อบต.กกแก้ว").count() == 1
            page.keyboard.press("Escape")
            page.screenshot(path=str(SHOTS / "data-after-import.png"), full_page=True)
            link.click()
            page.wait_for_selector('text=องค์การบริหารส่วนตำบลกกแก้ว · ผลการประเมินปี 2568', timeout=30_000)
            assert "org=อบต.กกแก้ว" in unquote(page.url)
            page.locator('[data-testid="stSidebarNav"] a[href$="/timeline"]').click()
            page.wait_for_selector('h1 span:text-is("แผนดำเนินงาน")', timeout=30_000)
            page.wait_for_selector(IDLE, timeout=30_000)
            assert "องค์การบริหารส่วนตำบลกกแก้ว" in page.inner_text('[data-testid="stMain"]')
            page.get_by_role("combobox", name="หน่วยงานรับผิดชอบ").click()
            page.get_by_role("option", name="กองคลัง").click()
            page.wait_for_url(re.compile("div="), timeout=30_000)
            assert "/timeline?" in page.url and "org=อบต.กกแก้ว" in unquote(page.url)
        finally:
            page.close()


# ---------------------------------------------------------------- the measures table

GRID = '[data-testid="stDataFrame"] .dvn-scroller'  # the table's scrolling area (Glide data grid)


def grid_headers(page) -> list[str]:
    """The column headers the table has in view (Glide keeps an accessible table of what it draws)."""
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stDataFrame\"] thead th').length > 0",
                           timeout=30_000)
    return page.locator('[data-testid="stDataFrame"] thead th').all_inner_texts()


def test_measure_table_keeps_its_first_columns_and_shows_its_last_row(server, browser):
    """ที่, สถานะ and % stay in view when the table scrolls sideways; a short table shows every row
    without scrolling, the horizontal scrollbar under its last row; the long one scrolled to its end
    shows its last measure, which a click can pick."""
    page = open_page(browser, f"{server}/measures?ind=7.+ประสิทธิภาพการสื่อสาร", width=1440, height=900)
    try:
        page.wait_for_selector(GRID, timeout=30_000)
        size = page.evaluate(f"(s => ({{sh: s.scrollHeight, ch: s.clientHeight, sw: s.scrollWidth, "
                             f"cw: s.clientWidth}}))(document.querySelector('{GRID}'))")
        assert size["sw"] > size["cw"]  # wider than the page: a horizontal scrollbar takes room
        assert size["sh"] <= size["ch"], size  # yet all five rows are in view, none under it
    finally:
        page.close()
    page = open_page(browser, f"{server}/measures", width=1440, height=900)
    try:
        page.wait_for_selector(GRID, timeout=30_000)
        assert grid_headers(page)[:4] == ["ที่", "สถานะ", "%", "มาตรการ/โครงการ/กิจกรรม"]
        page.evaluate(f"(s => {{ s.scrollLeft = s.scrollWidth; }})(document.querySelector('{GRID}'))")
        page.wait_for_function(f"[...document.querySelectorAll('[data-testid=\"stDataFrame\"] thead th')]"
                               f".some(th => th.innerText === 'ปรับปรุงล่าสุด')", timeout=10_000)
        headers = grid_headers(page)
        assert headers[:3] == ["ที่", "สถานะ", "%"] and "มาตรการ/โครงการ/กิจกรรม" not in headers, headers
        page.evaluate(f"(s => {{ s.scrollLeft = 0; s.scrollTop = s.scrollHeight; }})(document.querySelector('{GRID}'))")
        last = page.locator('[data-testid="stDataFrame"] tbody tr').last
        page.wait_for_function("document.querySelector('[data-testid=\"stDataFrame\"] tbody tr:last-child')"
                               "?.innerText.startsWith('10.2')", timeout=10_000)
        assert "ยังไม่เริ่ม" in last.inner_text()
        # a click in the row's checkbox, just above the table's bottom edge, picks the last measure
        page.locator(GRID).scroll_into_view_if_needed()
        box = page.locator(GRID).bounding_box()
        visible_bottom = box["y"] + page.evaluate(f"document.querySelector('{GRID}').clientHeight")
        page.mouse.click(box["x"] + 16, visible_bottom - 20)
        picked = page.get_by_role("combobox", name="มาตรการ", exact=True)
        page.wait_for_function("document.querySelector('[data-testid=\"stApp\"]')"
                               ".innerText.includes('รายงานความคืบหน้า')", timeout=30_000)
        page.wait_for_selector(IDLE, timeout=30_000)
        page.wait_for_function("[...document.querySelectorAll('input[role=\"combobox\"]')]"
                               ".some(i => i.value.startsWith('10.2 '))", timeout=30_000)
        assert picked.input_value().startswith("10.2 ")
        # the row stays ticked, yet the picker chooses another measure, which stays chosen
        picked.click()
        page.keyboard.type("3.1 ")  # the list is drawn a screenful at a time: narrow it to the one wanted
        page.get_by_role("option", name=re.compile(r"^3\.1 ")).click()
        page.wait_for_selector(IDLE, timeout=30_000)
        page.locator('[data-testid="stText"]', has_text=re.compile(r"^3\.1 ")).first.wait_for(timeout=30_000)
        page.wait_for_timeout(1_500)
        page.wait_for_selector(IDLE, timeout=30_000)
        assert picked.input_value().startswith("3.1 ")
    finally:
        page.close()


# ---------------------------------------------------------------- the presenter view

def open_presenter(browser, url: str, width: int = 1920, height: int = 1080):
    page = browser.new_page(viewport={"width": width, "height": height}, locale="th-TH")
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(".st-key-slide_view", timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    return page


def slide_footer(page) -> str:
    return page.locator(".st-key-slide_view").inner_text().strip().splitlines()[-1]


def test_urls_always_name_every_choice_even_the_defaults(server, browser):
    """A link copied from the meeting page opened plainly names its month, today's (which would be
    another one next month); a month in a link opens that month."""
    from urllib.parse import parse_qs, urlsplit
    for path, wanted in (("meeting", {"org", "year", "month"}),):
        page = open_page(browser, f"{server}/{path}")
        try:
            page.wait_for_selector(IDLE, timeout=30_000)
            page.wait_for_function(f"{sorted(wanted)}.every(k => new URLSearchParams(location.search).has(k))",
                                   timeout=15_000)
            query = parse_qs(urlsplit(page.url).query)
            assert wanted <= set(query), (path, page.url)
            if path == "meeting":
                assert query["month"] == ["2026-03-01"], page.url  # ITA_TODAY's month
        finally:
            page.close()
    page = open_page(browser, f"{server}/meeting?month=2026-01-01&slide=2")
    try:
        page.wait_for_selector(IDLE, timeout=30_000)
        assert page.get_by_role("combobox", name="เดือนที่ประชุม").input_value() == "มกราคม 2569"
        assert "month=2026-01-01" in page.url and "slide=2" in page.url
    finally:
        page.close()


def test_the_weakest_items_button_scrolls_its_detail_into_view_on_a_phone(server, browser):
    """On a 390 px phone the strip's "ดูรายละเอียด" brings the detail's heading into view below
    Streamlit's fixed top bar, not under it."""
    page = open_page(browser, f"{server}/", width=390, height=844)
    try:
        page.get_by_role("button", name="ดูรายละเอียด").click()
        page.wait_for_selector(IDLE, timeout=30_000)
        heading = page.locator('.st-key-score_detail h3').first
        heading.wait_for(timeout=30_000)
        page.wait_for_function("(() => { const h = document.querySelector('.st-key-score_detail h3');"
                               " const r = h && h.getBoundingClientRect(); return r && r.top > 0 && r.top < 400; })()",
                               timeout=15_000)
        page.wait_for_timeout(800)  # the smooth scroll settles
        bar = page.locator('[data-testid="stHeader"]').bounding_box()
        top = heading.bounding_box()["y"]
        assert bar["y"] + bar["height"] <= top < 844, (bar, top)
        page.screenshot(path=str(SHOTS / "scores-detail-scrolled-390.png"))
    finally:
        page.close()


def test_presenter_view_shows_the_slide_alone_and_keys_step_it(server, browser):
    page = open_page(browser, f"{server}/meeting?slide=2", width=1920, height=1080)
    try:
        page.get_by_role("button", name="นำเสนอเต็มจอ").click()
        page.wait_for_url(re.compile(r"present=1"), timeout=30_000)
        page.wait_for_selector('[data-testid="stHeader"]', state="hidden", timeout=30_000)
        page.wait_for_selector(IDLE, timeout=30_000)
        assert re.search(r"[?&]slide=2\b", page.url)
        # nothing but the slide: no Streamlit header or sidebar, none of the page's own controls
        for hidden in ('[data-testid="stHeader"]', '[data-testid="stSidebar"]', '[data-testid="stExpandSidebarButton"]',
                       '[data-testid="stSidebarCollapsedControl"]', ".st-key-meeting_controls"):
            assert page.locator(hidden).count() == 0 or not page.locator(hidden).first.is_visible(), hidden
        assert not page.get_by_text("ดาวน์โหลด").count()
        assert not page.get_by_role("combobox", name="เดือนที่ประชุม").is_visible()
        box = page.locator(".st-key-slide_view").bounding_box()
        assert box["width"] > 0.95 * 1920 and box["height"] > 0.85 * 1080, box  # the screen is the slide's
        assert slide_footer(page).endswith("2 / 7")
        for key, number in (("ArrowRight", 3), ("PageDown", 4), ("PageUp", 3), ("ArrowLeft", 2), ("PageDown", 3)):
            page.keyboard.press(key)
            page.wait_for_url(re.compile(rf"[?&]slide={number}\b"), timeout=30_000)
            page.wait_for_selector(IDLE, timeout=30_000)
            page.wait_for_function(f"document.querySelector('.st-key-slide_view').innerText.trim()"
                                   f".endsWith('{number} / 7')", timeout=30_000)
        assert "present=1" in page.url
        page.keyboard.press("Escape")  # back to the page, on the same slide
        page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=30_000)
        page.wait_for_selector(IDLE, timeout=30_000)
        assert "present=" not in page.url and re.search(r"[?&]slide=3\b", page.url)
        assert page.get_by_role("combobox", name="เดือนที่ประชุม").is_visible()
        assert page.locator('[data-testid="stSidebar"]').is_visible()
    finally:
        page.close()


@pytest.mark.parametrize("width", [390, 1440, 1920])
def test_screenshots_of_measures_meeting_and_presenter(server, browser, width):
    """For a person to look at: artifacts/screenshots/{measures,meeting,presenter}-<width>.png."""
    height = {390: 844, 1440: 900, 1920: 1080}[width]
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("measures", "measures"), ("meeting", "meeting?slide=3")):
        page = open_page(browser, f"{server}/{path}", width=width, height=height)
        try:
            assert page.locator('[data-testid="stException"]').count() == 0
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        finally:
            page.close()
    page = open_presenter(browser, f"{server}/meeting?present=1&slide=3", width, height)
    try:
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1", timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(SHOTS / f"presenter-{width}.png"))
    finally:
        page.close()


# the chart's own texts with their names, as the browser lays them out: Plotly annotations (the score
# chart's labels and gaps) and the texts of text traces (the change chart's labels and changes)
_CHART_TEXTS = """(chart) => {
    const el = document.querySelectorAll('.js-plotly-plot')[chart];
    const fig = el.getBoundingClientRect();
    const box = (name, node) => {
        const b = node.getBoundingClientRect();
        return {name, text: node.textContent, left: b.left, right: b.right, top: b.top, bottom: b.bottom};
    };
    const notes = el._fullLayout.annotations.map((a, i) =>
        box(a.name, el.querySelector(`.annotation[data-index="${i}"] .annotation-text-g`)));
    for (const group of el.querySelectorAll('.scatterlayer .trace')) {
        const name = group.__data__[0].trace.name;
        if (name === 'label' || name === 'change') {
            group.querySelectorAll('.textpoint text').forEach(node => notes.push(box(name, node)));
        }
    }
    const title = el.querySelector('.g-xtitle').getBoundingClientRect();
    return {fig: {left: fig.left, right: fig.right, top: fig.top, bottom: fig.bottom}, notes,
            title: {left: title.left, right: title.right}};
}"""


def test_score_charts_read_on_a_390_px_phone(browser, tmp_path):
    """On a phone, with a whole year's official scores: the score chart at the indicator level (every
    indicator, official) and the year-over-year chart; each row's label ends before its gap or change
    text, and every text and the axis title lie inside the chart (nothing cut, nothing overlapping)."""
    write_scored_db(tmp_path)
    with running_server(tmp_path) as url:
        for query, shot, pair in (("?score_level=รายตัวชี้วัด", "scores-indicators-390", "gap"),
                                  ("?score_view=ผลของมาตรการ (ปีต่อปี)", "scores-change-390", "change"),
                                  ("?score_view=ผลของมาตรการ (ปีต่อปี)&change_level=รายตัวชี้วัด",
                                   "scores-change-indicators-390", "change")):
            page = open_page(browser, f"{url}/{query}", width=390, height=5000)
            try:
                page.wait_for_function("document.querySelectorAll('.js-plotly-plot .annotation').length"
                                       " + document.querySelectorAll('.js-plotly-plot .textpoint').length > 10",
                                       timeout=30_000)
                page.evaluate("document.fonts.ready")
                found = page.evaluate(_CHART_TEXTS, 0)
                labels = [n for n in found["notes"] if n["name"] == "label"]
                others = [n for n in found["notes"] if n["name"] == pair]
                assert len(labels) == len(others) >= 10, found["notes"][:4]
                for label, other in zip(labels, others):
                    assert label["right"] <= other["left"], (label["text"], other["text"])
                fig = found["fig"]
                for note in found["notes"]:
                    assert fig["left"] <= note["left"] and note["right"] <= fig["right"], note
                assert fig["left"] <= found["title"]["left"] and found["title"]["right"] <= fig["right"]
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
            finally:
                page.close()


# ---------------------------------------------------------------- every page on a phone, a desk and a big screen
# Each page at 390 px (a phone), 1440 and 1920 (a desk, a projector): a full screenshot each for a
# person to look at (artifacts/screenshots/<page>-<width>.png), and in the page itself: no chart text
# (tick labels, annotations, legend, axis titles, numbers on bars) cut at its chart's edge or
# overlapping another, no text cut short by an ellipsis, and no sideways scrolling on the phone.

WIDTHS = (390, 1440, 1920)
WIDTH_PAGES = [  # url path, screenshot name, charts shown (a chart CSS hides at this width not counted)
    ("", "scores", 1),
    ("measures", "measures", 0),
    ("divisions", "divisions", 2),
    ("timeline", "timeline", 1),
    ("meeting?slide=1", "meeting-cover", 0),
    ("meeting?slide=2", "meeting-scores", 1),  # the slide's chart, or on a phone its phone version
    ("meeting?slide=3", "meeting-progress", 1),
    ("meeting?slide=4", "meeting-divisions", 1),
    ("meeting?slide=5", "meeting-changes", 0),
    ("data", "data", 0),
]
SLACK_PX = 2  # what rounding may leave: a text this far over an edge or into another is not counted

# every visible Plotly chart drawn: its axes and text laid out
CHARTS_DRAWN = """(count) => {
  const shown = Array.from(document.querySelectorAll('.js-plotly-plot')).filter(p => p.checkVisibility());
  return shown.length === count && shown.every(p => p._fullLayout && p.querySelector('.main-svg .infolayer')
                                                && p.querySelectorAll('svg text').length > 0);
}"""

# what the test asserts on, measured in the page: per visible chart its texts and their problems
LAYOUT_PROBLEMS = """(slack) => {
  const charts = [];
  document.querySelectorAll('.js-plotly-plot').forEach(plot => {
    if (!plot.checkVisibility()) return;  // hidden on purpose (the phone or wide version of a chart)
    const box = plot.querySelector('.main-svg').getBoundingClientRect();
    const texts = [];
    plot.querySelectorAll('svg text').forEach(el => {
      if (el.closest('.hoverlayer') || !el.textContent.trim()) return;
      if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return;  // hidden by Plotly
      const r = el.getBoundingClientRect();
      if (r.width < 0.5 || r.height < 0.5) return;
      const group = el.closest('.annotation, .xtick, .ytick, .x2tick, .legend, .gtitle, .g-xtitle, .g-ytitle, .point');
      texts.push({text: el.textContent.slice(0, 50), kind: group ? group.getAttribute('class').split(' ')[0] : 'text',
                  x0: r.left, y0: r.top, x1: r.right, y1: r.bottom});
    });
    const problems = [];
    for (const t of texts)
      if (t.x0 < box.left - slack || t.x1 > box.right + slack || t.y0 < box.top - slack || t.y1 > box.bottom + slack)
        problems.push(`cut at the edge: "${t.text}" (${t.kind}) at x ${Math.round(t.x0 - box.left)} to ` +
                      `${Math.round(t.x1 - box.left)}, y ${Math.round(t.y0 - box.top)} to ${Math.round(t.y1 - box.top)} ` +
                      `of ${Math.round(box.width)} x ${Math.round(box.height)}`);
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i], b = texts[j];
        const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0), h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
        if (w > slack && h > slack)
          problems.push(`overlap ${Math.round(w)} x ${Math.round(h)} px: "${a.text}" (${a.kind}) and "${b.text}" (${b.kind})`);
      }
    charts.push({width: Math.round(box.width), texts: texts.length, problems});
  });
  const clipped = [];  // text an ellipsis cuts short (a metric, a label), in the part of the page on screen
  document.querySelectorAll('[data-testid="stAppViewContainer"] *').forEach(el => {
    if (!el.textContent.trim() || !el.checkVisibility() || el.clientWidth === 0) return;
    const r = el.getBoundingClientRect();
    if (r.right <= 0 || r.left >= innerWidth) return;  // off screen: the closed sidebar of a phone
    if (getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1)
      clipped.push(el.textContent.trim().slice(0, 60));
  });
  const main = document.querySelector('[data-testid="stMain"]');
  return {charts, clipped, page: [document.scrollingElement.scrollWidth, innerWidth],
          main: [main.scrollWidth, main.clientWidth], height: main.scrollHeight};
}"""


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda width: f"{width}px")
def wide_page(request, browser):
    """One page object per width, shared by the pages opened at that width."""
    page = browser.new_page(viewport={"width": request.param, "height": 900}, locale="th-TH")
    yield page
    page.close()


@pytest.mark.parametrize("path,name,charts", WIDTH_PAGES, ids=[name for _, name, _ in WIDTH_PAGES])
def test_every_page_at_phone_desk_and_big_screen_widths(server, wide_page, path, name, charts):
    page, width = wide_page, wide_page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0", timeout=30_000)
    page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=30_000)
    assert page.evaluate("document.fonts.ready.then(() => document.fonts.check('16px Sarabun', 'ก'))")
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]
    found = page.evaluate(LAYOUT_PROBLEMS, SLACK_PX)

    SHOTS.mkdir(parents=True, exist_ok=True)  # the whole page: as tall as what the main block holds
    page.set_viewport_size({"width": width, "height": max(900, found["height"])})
    page.wait_for_function("h => document.querySelector('[data-testid=\"stMain\"]').clientHeight >= h",
                           arg=min(found["height"], 30_000), timeout=10_000)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"))

    assert len(found["charts"]) == charts
    for chart in found["charts"]:
        assert chart["texts"] >= 5, chart  # a drawn chart, with its ticks and labels
        assert not chart["problems"], f"{name} at {width} px, chart {chart['width']} px wide:\n" + \
            "\n".join(chart["problems"])
    assert not found["clipped"], f"{name} at {width} px: text cut short: {found['clipped']}"
    if width <= 640:  # a phone scrolls down only
        assert found["page"][0] <= found["page"][1], f"{name}: the page scrolls sideways {found['page']}"
        assert found["main"][0] <= found["main"][1], f"{name}: the main block scrolls sideways {found['main']}"


def test_the_sidebar_on_a_phone(server, browser):
    """At 390 px the sidebar opens over the page: the pages' names and the agency choice whole."""
    page = open_page(browser, f"{server}/divisions", width=390, height=844)
    try:
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert sidebar.get_attribute("data-collapsed") == "true" and sidebar.bounding_box()["x"] < 0  # closed
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.wait_for_function("document.querySelector('[data-testid=\"stSidebar\"]')"
                               ".getBoundingClientRect().left >= 0", timeout=10_000)
        box = sidebar.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        for title in ("ภาพรวมคะแนน", "หน่วยงานรับผิดชอบ", "ประชุมประจำเดือน"):
            link = sidebar.get_by_role("link", name=title)
            assert link.is_visible()
            inner = link.bounding_box()
            assert inner["x"] >= box["x"] and inner["x"] + inner["width"] <= box["x"] + box["width"]
        found = page.evaluate(LAYOUT_PROBLEMS, SLACK_PX)
        assert not found["clipped"], found["clipped"]
        assert sidebar.get_by_role("combobox", name="หน่วยงาน").input_value() == "อบต.มวกเหล็ก"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "sidebar-390.png"))
    finally:
        page.close()


@pytest.fixture(scope="module")
def scored_server(tmp_path_factory):
    """A server on the seed with its agency's 2568 and 2569 score sheets (official scores, the year
    over year, the trend)."""
    folder = tmp_path_factory.mktemp("scored")
    write_scored_db(folder)
    with running_server(folder) as url:
        yield url


SCORE_VIEWS = [  # the scores page's views with official scores: url query, screenshot name, charts shown
    ("?score_level=รายตัวชี้วัด", "scores-official-indicators", 1),
    ("?score_view=ผลของมาตรการ (ปีต่อปี)", "scores-change", 1),
    ("?score_view=ผลของมาตรการ (ปีต่อปี)&change_level=รายตัวชี้วัด", "scores-change-indicators", 1),
    ("?score_view=แนวโน้มทุกปี", "scores-trend", 1),
]


@pytest.mark.parametrize("query,name,charts", SCORE_VIEWS, ids=[name for _, name, _ in SCORE_VIEWS])
def test_score_views_at_phone_desk_and_big_screen_widths(scored_server, wide_page, query, name, charts):
    """The views of a whole year's scores, each width: no chart text cut or overlapping another, no
    text cut short, no sideways scrolling on a phone (the same measures as every page's)."""
    page, width = wide_page, wide_page.viewport_size["width"]
    page.goto(f"{scored_server}/{query}", wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=30_000)
    page.evaluate("document.fonts.ready")
    found = page.evaluate(LAYOUT_PROBLEMS, SLACK_PX)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert [c["problems"] for c in found["charts"]] == [[]] * charts, found["charts"]
    assert found["clipped"] == []
    if width == 390:
        assert found["page"][0] <= found["page"][1] and found["main"][0] <= found["main"][1] + SLACK_PX
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": max(900, min(found["height"] + 200, 12000))})
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": width, "height": 900})



# the deck over the scored server (seed + 2568 + 2569 sheets, March 2026): every slide, charts shown
SCORED_SLIDES = [("cover", 0), ("scores", 1), ("effect", 1), ("fallen", 0), ("trend", 1), ("progress", 1),
                 ("divisions", 1), ("changes", 0), ("overdue", 0), ("due", 0)]


# on a phone, a part of the slide that scrolls sideways inside itself (a table wider than the screen):
# what it holds past its right edge is out of sight
INNER_SCROLL = """(slack) => {
  const out = [];
  document.querySelectorAll('.st-key-slide_view *').forEach(el => {
    if (!el.checkVisibility() || el.clientWidth === 0) return;
    if (el.scrollWidth > el.clientWidth + slack && getComputedStyle(el).overflowX !== 'visible')
      out.push(`scrolls sideways inside the slide: ${el.scrollWidth} px in ${el.clientWidth}: ` +
               `"${el.textContent.trim().slice(0, 40)}"`);
  });
  return out;
}"""


def test_every_meeting_slide_with_scores_at_phone_desk_and_big_screen_widths(scored_server, wide_page):
    """Each slide of the meeting page (the on-screen slide view, ?slide=N) of a deck with the year
    over year ("did the measures work", the questions that fell) and the trend, at each width: no
    chart text cut or overlapping another, no text cut short, no sideways scrolling on a phone.
    Screenshots: artifacts/screenshots/meeting-scored-<n>-<kind>-<width>.png."""
    page, width = wide_page, wide_page.viewport_size["width"]
    total = len(SCORED_SLIDES)
    problems = []
    for number, (kind, charts) in enumerate(SCORED_SLIDES, start=1):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{scored_server}/meeting?slide={number}", wait_until="domcontentloaded")
        page.wait_for_selector(".st-key-slide_view", timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        page.wait_for_function(f"document.querySelector('.st-key-slide_view').innerText.trim()"
                               f".endsWith('{number} / {total}')", timeout=30_000)
        page.wait_for_function(CHARTS_DRAWN, arg=charts, timeout=30_000)
        page.evaluate("document.fonts.ready")
        assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]
        found = page.evaluate(LAYOUT_PROBLEMS, SLACK_PX)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": width, "height": max(900, min(found["height"] + 200, 12000))})
        page.screenshot(path=str(SHOTS / f"meeting-scored-{number}-{kind}-{width}.png"), full_page=True)
        assert len(found["charts"]) == charts, (kind, found["charts"])
        for chart in found["charts"]:
            assert chart["texts"] >= 5, (kind, chart)
            problems += [f"{kind}: {p}" for p in chart["problems"]]
        problems += [f"{kind}: text cut short: {c}" for c in found["clipped"]]
        if width <= 640:
            if found["page"][0] > found["page"][1] or found["main"][0] > found["main"][1] + SLACK_PX:
                problems.append(f"{kind}: scrolls sideways, page {found['page']}, main {found['main']}")
            problems += [f"{kind}: {p}" for p in page.evaluate(INNER_SCROLL, SLACK_PX)]
    page.set_viewport_size({"width": width, "height": 900})
    assert not problems, f"at {width} px:\n" + "\n".join(problems)


# ---------------------------------------------------------------- the admin's pages at every width
# The pages an admin signs in for (the next fiscal year's plan, users, the audit log), on a server whose
# agency has its 2569 score sheet (the next plan is drafted from it), measured as every page is above.

ADMIN_PAGES = [("next_plan", "next-plan", 0), ("users", "users", 0), ("audit", "audit", 0)]


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    from score_sheets import CHANGES_2569, write_sheet, year_rows
    folder = tmp_path_factory.mktemp("admin")
    with running_server(folder, people=True) as url:  # the server holds the file: the sheet goes in through it
        yield url, folder, write_sheet(folder / "2569.csv", year_rows(2569, CHANGES_2569))


def set_sidebar(page, opened: bool) -> None:
    """Open or close the sidebar (on a phone it lies over the page)."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    if (sidebar.bounding_box()["x"] >= 0) == opened:
        return
    button = '[data-testid="stExpandSidebarButton"]' if opened else '[data-testid="stSidebarCollapseButton"] button'
    page.locator(button).first.click()
    page.wait_for_function("o => { const box = document.querySelector('[data-testid=\"stSidebar\"]')"
                           ".getBoundingClientRect(); return o ? box.left >= 0 : box.right <= 0; }",
                           arg=opened, timeout=10_000)  # all the way: not measured halfway through


@pytest.mark.parametrize("width", WIDTHS)
def test_the_admin_pages_at_phone_desk_and_big_screen_widths(admin_server, browser, width):
    from accounts import browser_sign_in
    url, folder, sheet = admin_server
    phone = width <= 640
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="th-TH")
    try:
        page.goto(f"{url}/data", wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=60_000)
        set_sidebar(page, True)
        browser_sign_in(page, "boss")
        if width == WIDTHS[0]:  # once: the year's score sheet, imported through the Data page as an admin does
            set_sidebar(page, not phone)
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(sheet))
            page.get_by_role("button", name="ยืนยันนำเข้าคะแนน").click()
            page.wait_for_selector("text=นำเข้าคะแนนแล้ว", timeout=60_000)
        for path, name, charts in ADMIN_PAGES:
            set_sidebar(page, True)
            page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').click()
            page.wait_for_url(re.compile(f"/{path}"), timeout=30_000)
            page.wait_for_selector(IDLE, timeout=60_000)
            page.wait_for_function("document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
                                   timeout=30_000)
            set_sidebar(page, not phone)  # a phone: closed, to look at the page
            assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]
            if path == "next_plan":
                page.get_by_role("button", name="บันทึกแผนปีงบประมาณ 2570").wait_for(timeout=30_000)
            found = page.evaluate(LAYOUT_PROBLEMS, SLACK_PX)
            page.set_viewport_size({"width": width, "height": max(900, found["height"])})
            page.screenshot(path=str(SHOTS / f"{name}-{width}.png"))
            page.set_viewport_size({"width": width, "height": 900})
            assert len(found["charts"]) == charts
            assert not found["clipped"], f"{name} at {width} px: text cut short: {found['clipped']}"
            if phone:
                assert found["page"][0] <= found["page"][1], f"{name}: the page scrolls sideways {found['page']}"
                assert found["main"][0] <= found["main"][1], f"{name}: the main block scrolls sideways {found['main']}"
    finally:
        page.close()
