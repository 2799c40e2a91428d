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
def running_server(folder: Path):
    """`streamlit run dashboard.py` on a free port with its own database in `folder`: its URL."""
    port = free_port()
    env = {**os.environ, "ITA_DB": str(folder / "ita.duckdb"), "ITA_TODAY": TODAY.isoformat(),
           "ITA_LIVE_SECONDS": str(LIVE_SECONDS)}
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
    with running_server(tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


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
        a.get_by_role("combobox", name="มาตรการ", exact=True).click()
        a.get_by_role("option", name=re.compile(r"^8\.1 ")).click()  # one division: its report is the measure's
        form = a.locator(".st-key-report_form")
        form.get_by_role("combobox", name="สถานะ").click()
        a.get_by_role("option", name="เสร็จแล้ว").click()
        a.wait_for_selector(IDLE, timeout=30_000)
        form.get_by_label("ผู้บันทึก").fill("สมศรี ใจดี")
        form.get_by_role("button", name="บันทึก").click()
        a.wait_for_selector("text=สมศรี ใจดี", timeout=30_000)  # A's history shows the report
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
    with running_server(tmp_path) as url:
        page = open_page(browser, f"{url}/")
        try:
            assert unquote(page.url).endswith("/?org=อบต.มวกเหล็ก&year=2569")
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
