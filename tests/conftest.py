"""Shared fixtures: a frozen today, the seed report and a database with it imported once, a
database path, the command line in-process, the app's database, and small text reports written the
way real reports are (page title, two-line header, tab-separated rows)."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "muaklek-ita-report-2569.txt"
# every test runs on this day ($ITA_TODAY, which views.today() honours): inside fiscal year 2569
# (1 Oct 2025 - 30 Sep 2026), before any of the seed's measures is due. A test about another day
# sets ITA_TODAY itself (monkeypatch.setenv).
TODAY = date(2026, 3, 16)

# the two header lines of the seed's table, as the seed writes them
HEADER = (
    "ประเด็น/ตัวชี้วัด\tการวิเคราะห์ผลการประเมินในปี ๒๕๖๘\t\tการนำผลประเมิน ITA ไปสู่การพัฒนาองค์กร "
    "(การนำผลการวิเคราะห์ไปสู่การปรับปรุง หรือพัฒนาองค์กร หรือรักษาระดับ)\t\t\t\t\n"
    "\tข้อคำถาม ITA\tผลการวิเคราะห์ประเมิน\tมาตรการ/โครงการ/กิจกรรม\tผลการวิเคราะห์ตัวชี้วัดที่สอดคล้องกับ "
    "มาตรการ/โครงการ/กิจกรรม\tขั้นตอน/วิธีการดำเนินการ\tระยะเวลา ดำเนินการ\tผู้รับผิดชอบ\n"
)
TITLES = (
    "รายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ประจำปีงบประมาณ พ.ศ. ๒๕๖๙",
    "ขององค์การบริหารส่วนตำบลทดสอบ อำเภอเมืองสระบุรี จังหวัดสระบุรี",
)
ROW_DEFAULTS = {
    "indicator": "๑. การปฏิบัติหน้าที่ (๙๐.๕๐ คะแนน)",
    "question": "i๑ เจ้าหน้าที่ปฏิบัติงานตามขั้นตอน",
    "analysis": "ผลการประเมินสะท้อนว่ายังไม่ครบถ้วน",
    "measures": "๑. จัดทำคู่มือ",
    "rationale": "จึงต้องจัดทำคู่มือ",
    "steps": "๑. ร่างคู่มือ ๒. ประกาศใช้",
    "period": "๑ ต.ค. ๖๘ - ๓๐ ก.ย. ๖๙",
    "divisions": "สำนักปลัด",
}
ORDER = ("indicator", "question", "analysis", "measures", "rationale", "steps", "period", "divisions")


def row(**cells: str) -> dict:
    """One table row: the defaults with some cells replaced."""
    unknown = set(cells) - set(ORDER)
    assert not unknown, unknown
    return {**ROW_DEFAULTS, **cells}


def report_text(rows: list[dict], titles: tuple[str, ...] | list[str] = TITLES, *, repeat_header: bool = True) -> str:
    """A whole text report: every row under the page title and the header, like the seed."""
    parts = ["\n\n"]
    for i, r in enumerate(rows):
        if i == 0 or repeat_header:
            parts.append("\n\n".join(titles) + "\n\n" + HEADER)
        parts.append("\t".join(r[k] for k in ORDER) + "\n\n")
    return "".join(parts)


@pytest.fixture(scope="session", autouse=True)
def frozen_today():
    """$ITA_TODAY for the whole run (the browser tests' server inherits it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ITA_TODAY", TODAY.isoformat())
        yield TODAY


@pytest.fixture(scope="session", autouse=True)
def apptest_runs_as_a_server():
    """AppTest runs every run through dashboard.py, as a running server does. AppTest resets
    Streamlit's PagesManager.uses_pages_directory before each run, so with a pages/ folder every
    run would start in the older pages-directory mode (the page alone), which a server leaves on
    its first run (ui.start_page; a browser test covers it). Here AppTest's reset lands on a
    subclass, and the mode stays off."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class ServerPagesManager(PagesManager):
        pass

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PagesManager, "uses_pages_directory", False)
        patch.setattr(app_test, "PagesManager", ServerPagesManager)
        yield


@pytest.fixture
def seed_path() -> Path:
    assert SEED.is_file(), SEED
    return SEED


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory) -> Path:
    """The seed imported once for the run, as the app imports it on its first start. The file is
    read-only: open it with store.connect(path, read_only=True), or take seeded_copy to write."""
    from ita_data import store
    from ita_data.importers import read_report
    path = tmp_path_factory.mktemp("seeded") / "seed.duckdb"
    con = store.connect(path)
    store.save_reports(con, [read_report(SEED, name=SEED.name)])
    con.close()
    path.chmod(0o444)
    return path


@pytest.fixture
def seeded_copy(seeded_db, tmp_path) -> Path:
    """A writable copy of seeded_db of this test's own (a file copy: fast)."""
    path = tmp_path / "seeded.duckdb"
    shutil.copyfile(seeded_db, path)
    return path


@pytest.fixture
def tmp_db(tmp_path) -> Path:
    """A database path that does not exist yet."""
    return tmp_path / "ita.duckdb"


@pytest.fixture
def write_report(tmp_path):
    """write_report(rows, titles=..., name=...) -> the path of a text report in tmp_path."""
    counter = iter(range(1, 10_000))

    def write(rows: list[dict], titles=TITLES, *, name: str | None = None, **kw) -> Path:
        path = tmp_path / (name or f"report{next(counter)}.txt")
        path.write_text(report_text(rows, titles, **kw), encoding="utf-8")
        return path

    return write


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """cli(*args) runs `python -m ita_data *args` in this process (ita_data.cli.main) and returns
    its exit status and output as a CompletedProcess; stdout/stderr are decoded strictly as UTF-8
    (output that is not UTF-8 fails the test). $ITA_DB points into tmp_path so a command without
    --db never touches data/ita.duckdb. A bug in the command raises in the test, as it would print
    its traceback and exit 1 in a real process (tests/test_cli.py runs one of those)."""
    from ita_data.cli import main
    monkeypatch.setenv("ITA_DB", str(tmp_path / "default.duckdb"))

    def run(*args, timeout: float | None = None) -> subprocess.CompletedProcess:
        argv = [str(a) for a in args]
        capsys.readouterr()  # what the test printed before is not the command's
        try:
            code = main(argv)
        except SystemExit as e:  # argparse: --help (0) or a bad argument (2)
            code = e.code if isinstance(e.code, int) else int(e.code is not None)
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["python", "-m", "ita_data", *argv], code, out, err)

    return run


@pytest.fixture
def app_db(seeded_db, tmp_path, monkeypatch):
    """The app's database for AppTest ($ITA_DB): a copy of seeded_db, which is what the app builds
    from the seed on its first start. Streamlit's caches are cleared around each test, as a server
    restart would."""
    import streamlit as st
    path = tmp_path / "app.duckdb"
    shutil.copyfile(seeded_db, path)
    monkeypatch.setenv("ITA_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()
