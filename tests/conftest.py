"""Shared fixtures: the seed report, a database path, the command line, and small text reports
written the way real reports are (page title, two-line header, tab-separated rows)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "muaklek-ita-report-2569.txt"

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


@pytest.fixture
def seed_path() -> Path:
    assert SEED.is_file(), SEED
    return SEED


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
def cli(tmp_path):
    """cli(*args) runs `python -m ita_data *args` in /work/main; stdout/stderr decoded as UTF-8
    (strictly: output that is not UTF-8 fails the test). $ITA_DB points into tmp_path so a
    command without --db never touches data/ita.duckdb."""
    env = {**os.environ, "ITA_DB": str(tmp_path / "default.duckdb"), "PYTHONIOENCODING": "utf-8"}

    def run(*args: str | os.PathLike, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ita_data", *map(str, args)], cwd=ROOT, env=env,
                              capture_output=True, encoding="utf-8", errors="strict", timeout=timeout)

    return run


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """A fresh database path for AppTest; the app fills it from the seed on its first start.
    Streamlit's caches are cleared around each test, as a server restart would."""
    import streamlit as st
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("ITA_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()
    st.cache_data.clear()
