"""Load: the real server with many browser sessions at once, each signed in as a different editor
and saving progress reports on its own division's measures, while the command line tries to import
into the database the server holds. Afterwards every report must be in status_history exactly once
under the name of the editor who saved it. Prints the figures; exit status 1 when a report was lost,
doubled or attributed to someone else, or the command line did not answer in one line.

    .venv/bin/python scripts/load_sessions.py [--sessions 10] [--reports 3]

tests/test_auth_browser.py runs a small version (3 sessions, 2 reports each)."""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ita_data import store  # noqa: E402
from ita_data.importers import read_report  # noqa: E402
from ita_data.store import users  # noqa: E402
from playwright.async_api import async_playwright, expect  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PASSWORD = "load-test-pass-1"
WAIT = 300_000  # ms: ten sessions on a small shared machine; a run may take a while
STATUSES = ("in_progress", "done", "in_progress")
STATUS_TH = {"in_progress": "กำลังดำเนินการ", "done": "เสร็จแล้ว"}


@dataclass
class Editor:
    name: str
    division: str
    refs: list[str]  # its division's measures, "row.position"
    clicked: list[str] = field(default_factory=list)  # the notes of the reports whose save was clicked
    meant: dict[str, tuple[str, str]] = field(default_factory=dict)  # note: (measure "row.position", status)
    saved: list[tuple[str, str, float]] = field(default_factory=list)  # (ref, note, seconds to see it saved)
    errors: list[str] = field(default_factory=list)


@dataclass
class Figures:
    sessions: int
    reports_per_session: int
    attempted: int
    clicked: int
    confirmed_in_browser: int
    in_history: int
    lost: int
    doubled: int
    misattributed: int
    misplaced: int  # stored on another measure, or with another status, than the session chose on screen
    audited: int
    seconds: float
    latencies: list[float]
    cli_returncode: int
    cli_stderr: str
    errors: list[str]
    strays: list[tuple] = field(default_factory=list)  # history rows no session wrote (note, editor)
    impatient: bool = False

    @property
    def ok(self) -> bool:
        return (self.lost == self.doubled == self.misattributed == self.misplaced == 0 and self.in_history == self.attempted
                and self.clicked == self.attempted and not self.strays
                and (self.impatient or self.confirmed_in_browser == self.attempted)
                and self.audited == self.attempted and self.cli_returncode == 2
                and len(self.cli_stderr.strip().splitlines()) == 1 and not self.errors)

    def lines(self) -> list[str]:
        lat = sorted(self.latencies) or [0.0]
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
        return [
            f"sessions at once: {self.sessions} (each a different editor), reports per session: "
            f"{self.reports_per_session}",
            f"save clicked: {self.clicked} of {self.attempted}; reports seen saved in the browsers: "
            f"{'not waited for (--impatient)' if self.impatient else self.confirmed_in_browser} of {self.attempted}",
            f"in status_history: {self.in_history}; lost (clicked, not stored): {self.lost}; doubled: "
            f"{self.doubled}; attributed to someone else: {self.misattributed}; on another measure or status "
            f"than chosen: {self.misplaced}; rows no session wrote: "
            f"{len(self.strays)}; in the audit log: {self.audited}",
            f"time: {self.seconds:.1f} s for everything" + ("" if self.impatient else
                                                             f"; save to seen in the history: median "
                                                             f"{statistics.median(lat):.2f} s, 95th percentile "
                                                             f"{p95:.2f} s, max {lat[-1]:.2f} s"),
            f"command line importing meanwhile: exit {self.cli_returncode}, "
            f"{len(self.cli_stderr.strip().splitlines())} line: {self.cli_stderr.strip()}",
            *(f"error: {e}" for e in self.errors),
            "OK" if self.ok else "FAILED",
        ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(db: Path, sessions: int) -> list[Editor]:
    """The seed and one editor per session, each bound to a division that has measures (in turn)."""
    con = store.connect(db)
    try:
        store.save_reports(con, [read_report(store.SEED_REPORT, name=store.SEED_REPORT.name)])
        assessment = store.assessments(con)[0]["id"]
        by_division: dict[str, list[str]] = {}
        for m in store.measures(con, assessment):
            for d in m["divisions"]:
                by_division.setdefault(d, []).append(f"{m['finding_seq']}.{m['seq']}")
        divisions = sorted(by_division, key=lambda d: -len(by_division[d]))
        editors = []
        for k in range(sessions):
            division = divisions[k % len(divisions)]
            name = f"load{k + 1:02d}"
            users.add_user(con, name, "editor", PASSWORD, display_name=f"ผู้ทดสอบ {k + 1}", divisions=[division],
                           by="load-script")
            editors.append(Editor(name, division, by_division[division]))
        return editors
    finally:
        con.close()


def start_server(folder: Path, db: Path):
    port = free_port()
    env = {**os.environ, "ITA_DB": str(db), "ITA_TODAY": os.environ.get("ITA_TODAY", "2026-03-16"),
           "ITA_LIVE_SECONDS": "10"}  # the default: every session redraws within 10 s of anyone's write
    log = open(folder / "streamlit.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return process, log, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("streamlit did not start: " + (folder / "streamlit.log").read_text(errors="replace")[-2000:])


async def choose(page, combobox, option) -> None:
    """Open a selectbox and pick an option (the list may not open on a click that lands while the
    script reruns: try again)."""
    for attempt in range(20):
        await page.wait_for_selector(IDLE, timeout=WAIT)
        try:
            await combobox.click(timeout=10_000)
            target = page.get_by_role("option", name=option).first
            await target.click(timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - the list did not open, or a rerun redrew it: close it, again
            await page.keyboard.press("Escape")
    raise TimeoutError(f"the list of {option!r} did not open")


class Gate:
    """Every session signs in first; the reports start when all have (or have failed)."""

    def __init__(self, expected: int):
        self.expected, self.arrived, self.open = expected, 0, asyncio.Event()

    def arrive(self) -> None:
        self.arrived += 1
        if self.arrived >= self.expected:
            self.open.set()


async def one_session(browser, url: str, editor: Editor, reports: int, gate: Gate, impatient: bool,
                      keep: Path | None = None) -> None:
    context = await browser.new_context(viewport={"width": 1440, "height": 1600}, locale="th-TH")
    context.set_default_timeout(WAIT)
    page = await context.new_page()
    step = "sign in"
    try:
        await page.goto(f"{url}/measures", wait_until="domcontentloaded", timeout=WAIT)
        await page.wait_for_selector(IDLE, timeout=WAIT)
        sidebar = page.locator('[data-testid="stSidebar"]')
        await sidebar.get_by_label("ชื่อผู้ใช้").fill(editor.name)
        await sidebar.get_by_label("รหัสผ่าน").fill(PASSWORD)
        await sidebar.get_by_role("button", name="เข้าสู่ระบบ").click()
        await sidebar.get_by_role("button", name="ออกจากระบบ").wait_for(timeout=WAIT)
        await page.wait_for_selector(IDLE, timeout=WAIT)
        gate.arrive()
        await gate.open.wait()  # every session signed in: the reports go at once
        for i in range(reports):
            ref = editor.refs[i % len(editor.refs)]
            note = f"{editor.name} รายงานครั้งที่ {i + 1} มาตรการ {ref}"
            step = f"pick {ref}"
            picker = page.get_by_role("combobox", name="มาตรการ", exact=True)
            await choose(page, picker, re.compile(rf"^★ {re.escape(ref)} "))
            form = page.locator(".st-key-report_form")
            # as a person would: the chosen measure's form on screen before anything is typed into it
            heading = form.get_by_text(re.compile(rf"^{re.escape(ref)} · ")).first
            await heading.wait_for(timeout=WAIT)
            await page.wait_for_selector(IDLE, timeout=WAIT)
            step = "status"
            status = STATUSES[i % len(STATUSES)]
            status_box = form.get_by_role("combobox", name="สถานะ")
            await choose(page, status_box, re.compile(rf"^{STATUS_TH[status]}$"))
            await page.wait_for_selector(IDLE, timeout=WAIT)
            await heading.wait_for(timeout=WAIT)
            await expect(status_box).to_have_value(STATUS_TH[status], timeout=WAIT)
            step = "note"
            await form.locator("textarea").fill(note)
            await form.locator("textarea").press("Tab")  # the note reaches the server before the click
            await page.wait_for_selector(IDLE, timeout=WAIT)
            started = time.perf_counter()
            step = "save"
            await form.get_by_role("button", name="บันทึก").click()
            editor.clicked.append(note)
            editor.meant[note] = (ref, status)
            if impatient:  # on to the next measure at once, as a hurried person would: the store must still have it
                continue
            step = "see it in the history"
            # the history (st.text) shows it: saved, as this session's account
            await page.locator('[data-testid="stText"]', has_text=note).first.wait_for(timeout=WAIT)
            editor.saved.append((ref, note, time.perf_counter() - started))
            await page.wait_for_selector(IDLE, timeout=WAIT)
        if impatient:
            await page.wait_for_timeout(3_000)
            await page.wait_for_selector(IDLE, timeout=WAIT)
    except Exception as e:  # noqa: BLE001 - reported in the figures
        editor.errors.append(f"{editor.name} at {step}: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
        if keep is not None:  # what the person would have seen: the page and its text
            try:
                await page.screenshot(path=str(keep / f"{editor.name}.png"), full_page=True, timeout=30_000)
                (keep / f"{editor.name}.txt").write_text(await page.inner_text("body", timeout=30_000))
            except Exception:  # noqa: BLE001 - the page itself may be gone
                pass
        if not gate.open.is_set():
            gate.arrive()  # the others do not wait for a session that failed
    finally:
        await context.close()


async def sessions_at_once(url: str, editors: list[Editor], reports: int, db: Path,
                           impatient: bool = False, keep: Path | None = None) -> subprocess.CompletedProcess:
    """The sessions at once; meanwhile the command line tries to import into the database the server
    holds. Returns the command line's result."""
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        gate = Gate(len(editors))
        tasks = [asyncio.create_task(one_session(browser, url, e, reports, gate, impatient, keep)) for e in editors]
        await gate.open.wait()
        cli = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "ita_data", "import", str(store.SEED_REPORT), "--db", str(db)],
            cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
        await asyncio.gather(*tasks)
        await browser.close()
        return cli


def check(db: Path, editors: list[Editor], reports: int, seconds: float, cli) -> Figures:
    """Every clicked report in status_history exactly once, under its editor's name."""
    con = store.connect(db, read_only=True)
    try:
        rows = con.cursor().execute(
            "SELECT h.note, h.editor, f.seq || '.' || m.seq, h.status FROM status_history h "
            "JOIN measures m ON m.id = h.measure_id JOIN findings f ON f.id = m.finding_id").fetchall()
        # an audit row per report, under the same account, its detail ending with the note
        logged = con.cursor().execute("SELECT user_name, detail FROM audit_log WHERE action = 'report'").fetchall()
    finally:
        con.close()
    by_note: dict[str, list[str]] = {}
    stored: dict[str, list[tuple[str, str]]] = {}
    for note, editor, ref, status in rows:
        by_note.setdefault(note, []).append(editor)
        stored.setdefault(note, []).append((ref, status))
    lost = doubled = wrong = found = misplaced = 0
    written = set()
    for e in editors:
        for note in e.clicked:
            written.add(note)
            names = by_note.get(note, [])
            found += len(names) == 1
            lost += not names
            doubled += len(names) > 1
            wrong += any(n != e.name for n in names)
            misplaced += any(got != e.meant[note] for got in stored.get(note, []))
    strays = [(note, editor) for note, editor, _, _ in rows if note not in written]
    by_account = {e.name: e for e in editors}
    audited = sum(1 for name, detail in logged
                  if name in by_account and any(detail.endswith(f" · {note}") for note in by_account[name].clicked))
    return Figures(len(editors), reports, len(editors) * reports, sum(len(e.clicked) for e in editors),
                   sum(len(e.saved) for e in editors), found, lost, doubled, wrong, misplaced, audited, seconds,
                   [s for e in editors for _, _, s in e.saved], cli.returncode, cli.stderr,
                   [err for e in editors for err in e.errors], strays)


def run(sessions: int = 10, reports: int = 3, folder: Path | None = None, impatient: bool = False) -> Figures:
    """folder: where the database, the server's log and a screenshot of every failed session stay (a
    temporary folder, removed afterwards, when none)."""
    with tempfile.TemporaryDirectory() as tmp:
        keep = Path(folder) if folder else None
        folder = Path(folder or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "load.duckdb"
        editors = prepare(db, sessions)
        process, log, url = start_server(folder, db)
        started = time.perf_counter()
        try:
            cli = asyncio.run(sessions_at_once(url, editors, reports, db, impatient, keep))
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()
        seconds = time.perf_counter() - started
        figures = check(db, editors, reports, seconds, cli)
        figures.impatient = impatient
        return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--reports", type=int, default=3, help="reports each session saves")
    parser.add_argument("--impatient", action="store_true",
                        help="each session picks the next measure right after clicking save, without waiting "
                             "to see the report in the history (the database is checked afterwards all the same)")
    parser.add_argument("--keep", type=Path, help="a folder to keep the database, the server's log and a screenshot "
                                                  "and the text of every session that failed")
    args = parser.parse_args()
    figures = run(args.sessions, args.reports, folder=args.keep, impatient=args.impatient)
    print("\n".join(figures.lines()))
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.exit(main())
