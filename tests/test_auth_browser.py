"""Sign-in, roles, lockout, inert report text and load, through the real server and headless
Chromium (helpers from test_browser.py): each role signs in through the sidebar form and sees what
it may do; five wrong passwords lock the name; report text full of HTML, Markdown and LaTeX shows
as text on every page and slide; a few browser sessions save reports at once as different editors."""
from __future__ import annotations

import csv
import io
import re
import sys
from datetime import datetime
from pathlib import Path

import pytest

from accounts import PASSWORDS, browser_sign_in
from ita_data import store, views
from ita_data.store import users
from test_browser import CHROMIUM, IDLE, SHOTS, open_page, running_server

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (scripts/setup.sh)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("auth"), people=True) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    from test_browser import FLAGS
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def nav(page) -> str:
    return page.locator('[data-testid="stSidebarNav"]').inner_text()


def pick_measure(page, ref: str) -> None:
    page.get_by_role("combobox", name="มาตรการ", exact=True).click()
    page.get_by_role("option", name=re.compile(rf"^(★ )?{re.escape(ref)} ")).first.click()
    page.wait_for_selector("text=ประวัติการรายงาน", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=30_000)


def test_anonymous_and_viewer_read_but_see_no_write_widgets(server, browser):
    page = open_page(browser, f"{server}/measures")
    try:
        sidebar = page.locator('[data-testid="stSidebar"]')
        for label in ("ชื่อผู้ใช้", "รหัสผ่าน"):
            assert sidebar.get_by_label(label).count() == 1
        assert sidebar.get_by_role("button", name="เข้าสู่ระบบ").count() == 1
        assert "ผู้ใช้" not in nav(page) and "บันทึกการใช้งาน" not in nav(page)
        pick_measure(page, "8.1")
        assert page.locator(".st-key-report_form").count() == 0
        assert "เข้าสู่ระบบที่แถบด้านซ้ายเพื่อรายงานความคืบหน้า" in page.inner_text('[data-testid="stMain"]')
        page.screenshot(path=str(SHOTS / "auth-anonymous-measures.png"), full_page=True)
        browser_sign_in(page, "reader")
        page.wait_for_selector(IDLE, timeout=30_000)
        assert "reader · ผู้อ่าน" in sidebar.inner_text()
        assert page.locator(".st-key-report_form").count() == 0
        assert "ดูได้อย่างเดียว" in page.inner_text('[data-testid="stMain"]')
        page.locator('[data-testid="stSidebarNav"] a[href$="/data"]').click()
        page.wait_for_selector('h1 span:text-is("ข้อมูล")', timeout=30_000)
        page.wait_for_selector(IDLE, timeout=30_000)
        main = page.locator('[data-testid="stMain"]')
        assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0
        assert "นำเข้ารายงานและแผ่นคะแนนได้เฉพาะผู้ดูแลระบบ" in main.inner_text()
        assert main.get_by_role("button", name=re.compile("สำรองข้อมูล")).count() == 0
        assert main.get_by_role("button", name=re.compile("แบบฟอร์มเปล่า")).count() == 2  # the blank form: anyone
    finally:
        page.close()


def test_an_editor_reports_only_for_its_division_and_the_history_names_it(server, browser):
    page = open_page(browser, f"{server}/measures")
    try:
        browser_sign_in(page, "klang")
        page.wait_for_selector(IDLE, timeout=30_000)
        main = page.locator('[data-testid="stMain"]')
        assert "ผู้ใช้" not in nav(page)
        assert "มาตรการของหน่วยงานฉัน (กองคลัง)" in main.inner_text()  # its measures first, filtered on
        assert "div=" in page.url
        pick_measure(page, "1.1")  # five divisions, กองคลัง one of them
        form = page.locator(".st-key-report_form")
        division = form.get_by_role("combobox", name="รายงานในนามหน่วยงาน")
        assert division.input_value() == "กองคลัง"
        division.click()
        assert [o.strip() for o in page.get_by_role("option").all_inner_texts()] == ["กองคลัง"]
        page.keyboard.press("Escape")
        form.get_by_role("combobox", name="สถานะ").click()
        page.get_by_role("option", name="กำลังดำเนินการ").click()
        page.wait_for_selector(IDLE, timeout=30_000)
        form.locator("textarea").fill("คลังเริ่มแล้ว")
        form.locator("textarea").press("Tab")
        page.wait_for_selector(IDLE, timeout=30_000)
        assert "ผู้รายงาน: สมศรี คลัง (klang)" in form.inner_text()
        assert form.get_by_label("ผู้บันทึก").count() == 0  # no free-text reporter any more
        form.get_by_role("button", name="บันทึก").click()
        page.locator('[data-testid="stText"]', has_text="คลังเริ่มแล้ว").wait_for(timeout=30_000)
        assert "สมศรี คลัง (klang)" in main.inner_text()
        page.screenshot(path=str(SHOTS / "auth-editor-report.png"), full_page=True)
        # a measure of another division (สำนักปลัด's 8.1, added to the filter): its history, no form
        page.get_by_role("combobox", name="หน่วยงานรับผิดชอบ").click()
        page.get_by_role("option", name="สำนักปลัด", exact=True).click()
        page.keyboard.press("Escape")
        page.wait_for_selector(IDLE, timeout=30_000)
        pick_measure(page, "8.1")
        page.wait_for_function("!document.querySelector('.st-key-report_form')", timeout=30_000)
        main.get_by_text("ไม่ใช่ของ กองคลัง").wait_for(timeout=30_000)
    finally:
        page.close()


def test_an_admin_sees_users_audit_import_and_backups(server, browser):
    page = open_page(browser, f"{server}/data", width=1440)
    try:
        browser_sign_in(page, "boss")
        page.wait_for_selector(IDLE, timeout=30_000)
        assert "ผู้ใช้" in nav(page) and "บันทึกการใช้งาน" in nav(page)
        assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 1
        main = page.locator('[data-testid="stMain"]')
        assert main.get_by_role("button", name="สำรองข้อมูล (JSON)").count() == 1
        page.locator('[data-testid="stSidebarNav"] a[href$="/users"]').click()
        page.wait_for_selector('h1 span:text-is("ผู้ใช้")', timeout=30_000)
        page.wait_for_selector(IDLE, timeout=30_000)
        for width in (390, 1440, 1920):
            page.set_viewport_size({"width": width, "height": 1400})
            page.wait_for_timeout(300)
            page.screenshot(path=str(SHOTS / f"auth-users-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1440, "height": 1400})
        page.locator('[data-testid="stSidebarNav"] a[href$="/audit"]').click()
        page.wait_for_selector('h1 span:text-is("บันทึกการใช้งาน")', timeout=30_000)
        page.wait_for_selector(IDLE, timeout=30_000)
        assert re.search(r"\d+ รายการ", main.inner_text())
        assert main.get_by_role("button", name="ดาวน์โหลด XLSX").count() == 1
        page.screenshot(path=str(SHOTS / "auth-audit.png"), full_page=True)
        # signing out takes the admin pages away
        page.locator('[data-testid="stSidebar"]').get_by_role("button", name="ออกจากระบบ").click()
        page.locator('[data-testid="stSidebar"]').get_by_role("button", name="เข้าสู่ระบบ").wait_for(timeout=30_000)
        assert "บันทึกการใช้งาน" not in nav(page)
    finally:
        page.close()


def test_five_wrong_passwords_lock_the_name(server, browser):
    """Each try in a new browser session (the count is the account's, not the session's)."""
    def attempt(password: str, expected: str) -> None:
        page = open_page(browser, f"{server}/", width=1440)
        try:
            browser_sign_in(page, "chang", password, expect_ok=False)
            sidebar = page.locator('[data-testid="stSidebar"]')
            sidebar.get_by_text(re.compile(expected)).wait_for(timeout=60_000)
            assert sidebar.get_by_role("button", name="ออกจากระบบ").count() == 0
            if "นาที" in expected:
                page.screenshot(path=str(SHOTS / "auth-locked.png"))
        finally:
            page.close()

    # one message for a wrong password, the lock and an unknown name: it tells no one which names exist
    refused = re.escape(users.REFUSED)
    for n in range(1, users.MAX_FAILED_SIGN_INS):
        attempt(f"wrong-{n}", refused)
    attempt("wrong-5", refused)
    attempt(PASSWORDS["chang"], refused)  # the right password: refused, the name is locked
    # the lock is real: the admin sees chang locked, unlocks it, and the right password then signs in
    page = open_page(browser, f"{server}/", width=1440)
    try:
        browser_sign_in(page, "boss")
        page.wait_for_selector(IDLE, timeout=30_000)
        page.locator('[data-testid="stSidebarNav"] a[href$="/users"]').click()
        page.wait_for_selector('h1 span:text-is("ผู้ใช้")', timeout=60_000)
        page.wait_for_selector(IDLE, timeout=30_000)
        main = page.locator('[data-testid="stMain"]')
        main.get_by_role("combobox", name="ผู้ใช้", exact=True).click()
        option = page.get_by_role("option", name=re.compile(r"^chang · "))
        assert option.inner_text().strip().endswith(views.USER_STATE_TH["locked"])
        option.click()
        main.get_by_role("button", name="เปิดใช้งาน / ปลดล็อก").click()
        main.get_by_text("เปิดใช้งาน chang แล้ว").wait_for(timeout=30_000)
    finally:
        page.close()
    page = open_page(browser, f"{server}/", width=1440)
    try:
        browser_sign_in(page, "chang")  # waits for the sign-out button: signed in
    finally:
        page.close()


def test_an_unknown_name_gets_the_same_message(server, browser):
    page = open_page(browser, f"{server}/", width=1440)
    try:
        browser_sign_in(page, "no-such-name", "whatever-1", expect_ok=False)
        page.locator('[data-testid="stSidebar"]').get_by_text(users.REFUSED).wait_for(timeout=60_000)
    finally:
        page.close()


# ---------------------------------------------------------------- inert report text

PAYLOAD = ('<script>window.__xss=1</script><img src=x onerror="window.__xss=2"><a href="https://evil.example/">ก</a>'
           '[ลิงก์](https://evil.example/)![รูป](https://evil.example/x.png):red[แดง]$$x^2$$**หนา** www.evil.example '
           'a@evil.example')
HEAD = ["หน่วยงาน", "อำเภอ", "จังหวัด", "ปีที่ประเมิน", "ปีงบประมาณ", "ลำดับ", "ตัวชี้วัด", "คะแนน", "ข้อคำถาม",
        "ผลการวิเคราะห์", "มาตรการ", "ความสอดคล้องกับตัวชี้วัด", "ขั้นตอน", "ระยะเวลา", "ผู้รับผิดชอบ"]


def payload_report() -> bytes:
    """A report whose every free-text cell carries the payload (and a formula-looking measure)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEAD)
    # the organization's name is read up to its first space: the Markdown goes before it
    w.writerow([f"องค์การบริหารส่วนตำบลทดสอบ[ลิงก์](https://evil.example/):red[แดง]$$x^2$$**หนา**{PAYLOAD}", f"เมือง{PAYLOAD}", f"สระบุรี{PAYLOAD}", 2568, 2569, 1,
                "การปฏิบัติหน้าที่", 60, f"i1 {PAYLOAD}", f"วิเคราะห์ {PAYLOAD}", f"1. มาตรการ {PAYLOAD}\n2. =1+1",
                f"สอดคล้อง {PAYLOAD}", f"1. ขั้นตอน {PAYLOAD}", f"ม.ค. - มี.ค. 2569 {PAYLOAD}", f"สำนักปลัด, กอง{PAYLOAD}"])
    w.writerow(["", "", "", "", "", 2, "การใช้งบประมาณ", 70, "i4 ข้อคำถาม", "x", "@SUM(A1) มาตรการ", "", "",
                "ตลอดปีงบประมาณ 2569", "กองคลัง"])
    return out.getvalue().encode("utf-8")


def payload_db(path: Path) -> None:
    from ita_data.importers import read_bytes
    con = store.connect(path)
    try:
        boss = users.add_user(con, "boss", "admin", PASSWORDS["boss"], display_name=f"ผู้ดูแล{PAYLOAD}", by="setup")
        store.save_reports(con, [read_bytes(payload_report(), "payload.csv")], imported_by=boss)
        assessment = store.assessments(con)[0]["id"]
        first = store.measures(con, assessment)[0]
        store.update_measure(con, first["id"], "in_progress", 40, f"บันทึก {PAYLOAD}", boss, division="สำนักปลัด",
                             at=datetime(2026, 3, 10, 3))
    finally:
        con.close()


CHECK = """() => ({
    xss: window.__xss ?? null,
    images: document.querySelectorAll('img[src="x"], img[src^="https://evil"]').length,
    links: document.querySelectorAll('a[href^="https://evil"], a[href^="http://www.evil"], a[href^="mailto:"]').length,
    katex: document.querySelectorAll('.katex').length,
    bold: [...document.querySelectorAll('strong')].filter(e => e.innerText === 'หนา').length,
    red: [...document.querySelectorAll('.stMarkdownColoredText')].filter(e => e.innerText === 'แดง').length,
})"""


def assert_inert(page, where: str) -> str:
    found = page.evaluate(CHECK)
    assert found == {"xss": None, "images": 0, "links": 0, "katex": 0, "bold": 0, "red": 0}, (where, found)
    return page.inner_text("body")


def test_report_text_stays_text_on_every_page_and_slide(browser, tmp_path):
    payload_db(tmp_path / "ita.duckdb")
    literal = [":red[แดง]", "$$x^2$$", "**หนา**", "[ลิงก์](https://evil.example/)", "<script>window.__xss=1</script>"]
    with running_server(tmp_path) as url:
        seen = ""
        for path in ("", "measures", "divisions", "timeline", "data"):
            page = open_page(browser, f"{url}/{path}")
            try:
                if path == "":
                    page.get_by_role("button", name="ดูรายละเอียด").click()  # the weakest: the payload's row
                    page.wait_for_selector("text=ผลการวิเคราะห์", timeout=30_000)
                if path == "measures":
                    pick_measure(page, "1.1")
                page.wait_for_selector(IDLE, timeout=30_000)
                text = assert_inert(page, path or "scores")
                seen += text
                if path in ("", "measures"):  # the report's own cells are shown in full on these pages
                    for piece in literal:
                        assert piece in text, (path, piece)
                page.screenshot(path=str(SHOTS / f"inert-{path or 'scores'}.png"), full_page=True)
            finally:
                page.close()
        page = open_page(browser, f"{url}/meeting?slide=1")
        try:
            total = int(re.search(r"สไลด์ \d+ จาก (\d+)", page.inner_text('[data-testid="stMain"]')).group(1))
            for number in range(1, total + 1):
                page.goto(f"{url}/meeting?slide={number}")
                page.wait_for_selector(IDLE, timeout=30_000)
                page.wait_for_selector(".st-key-slide_view", timeout=30_000)
                seen += assert_inert(page, f"slide {number}")
            assert "บันทึก " + literal[0] in seen or literal[0] in seen
        finally:
            page.close()
        page = open_page(browser, f"{url}/")
        try:
            browser_sign_in(page, "boss")
            assert_inert(page, "signed in")
            for name in ("users", "audit"):
                page.locator(f'[data-testid="stSidebarNav"] a[href$="/{name}"]').click()
                page.wait_for_selector(IDLE, timeout=30_000)
                page.wait_for_timeout(500)
                assert_inert(page, name)
        finally:
            page.close()


# ---------------------------------------------------------------- load

def test_sessions_at_once_lose_and_misattribute_nothing(tmp_path):
    """A small run of scripts/load_sessions.py (the full one: 10 sessions): every report in the
    history once, under its editor's name, in the audit log too; the CLI meanwhile says in one line
    that the server holds the database."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import load_sessions
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool:  # its own thread: the sync Playwright of this module holds a loop here
        figures = pool.submit(load_sessions.run, sessions=3, reports=2, folder=tmp_path, impatient=True).result()
    print("\n".join(figures.lines()))
    assert (figures.clicked, figures.in_history, figures.lost, figures.doubled, figures.misattributed,
            figures.misplaced, figures.audited, figures.strays) == (6, 6, 0, 0, 0, 0, 6, [])
    assert figures.cli_returncode == 2 and "ฐานข้อมูลถูกใช้งานอยู่โดยโปรแกรมอื่น" in figures.cli_stderr
    assert len(figures.cli_stderr.strip().splitlines()) == 1
    assert figures.ok, figures.errors
