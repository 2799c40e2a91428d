"""Benchmark the report written back for the seed (prints figures, asserts nothing).

    .venv/bin/python scripts/bench_report.py [--runs 5]

(a) in a running process (as the dashboard's download buttons do): the plan's and the results'
    content from the database, then the .docx and the PDF, median of --runs, the first run
    (imports) apart;
(b) `python -m ita_data report --out F.docx|F.pdf --db <tmp>`: a new process each time (imports,
    content, file), median of --runs.
Target: the plan's .docx under 2 s. The machine is shared: the load average is printed alongside."""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_DOCX = 2.0


def load() -> str:
    try:
        return " ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:  # pragma: no cover
        return "?"


def seed_database(path: Path) -> None:
    from ita_data import store
    from ita_data.importers import read_report
    con = store.connect(path)
    store.save_reports(con, [read_report(store.SEED_REPORT)])
    assessment_id = store.assessments(con)[0]["id"]
    first, second = store.measures(con, assessment_id)[:2]
    store.update_measure(con, first["id"], "in_progress", 40, "ร่างคู่มือแล้ว", "bench", at=datetime(2026, 3, 1, 3))
    store.update_measure(con, second["id"], "done", 100, None, "bench", at=datetime(2026, 3, 5, 3))
    con.close()


def timed(call, runs: int) -> tuple[float, float, float, object]:
    times, value = [], None
    for _ in range(runs):
        start = time.perf_counter()
        value = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times), value


def in_process(db: Path, runs: int) -> None:
    from ita_data import store
    from ita_data.exports import meeting, report, report_docx, report_pdf
    con = store.connect(db, read_only=True)
    assessment_id = meeting.find_assessment(con)["id"]
    start = time.perf_counter()
    report_docx.report_docx(report.build(con, assessment_id, report.PLAN))
    print(f"(a) first plan .docx in this process (imports of python-docx, pandas views): "
          f"{time.perf_counter() - start:.2f} s")
    for kind in report.KINDS:
        median, low, high, doc = timed(lambda: report.build(con, assessment_id, kind), runs)
        rows = sum(len(t.body) for t in doc.tables())
        print(f"    {kind} content: median {median:.3f} s (min {low:.3f}, max {high:.3f}) · {rows} table rows")
        median, low, high, data = timed(lambda: report_docx.report_docx(doc), runs)
        verdict = f"; target < {TARGET_DOCX:.0f} s: {'met' if median < TARGET_DOCX else 'MISSED'}" if kind == "plan" else ""
        print(f"    {kind} .docx: median {median:.3f} s (min {low:.3f}, max {high:.3f}) · "
              f"{len(data) / 1024:.0f} KiB{verdict}")
        median, low, high, data = timed(lambda: report_pdf.report_pdf(doc), max(1, runs // 2))
        print(f"    {kind} .pdf (HTML + Chromium --print-to-pdf): median {median:.2f} s (min {low:.2f}, "
              f"max {high:.2f}) · {len(data) / 1024:.0f} KiB")
    con.close()


def command_line(db: Path, runs: int, folder: Path) -> None:
    for kind, suffix in (("plan", "docx"), ("plan", "pdf"), ("results", "docx")):
        times = []
        for i in range(runs):
            out = folder / f"{kind}{i}.{suffix}"
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "ita_data", "report", "--out", str(out), "--db", str(db),
                                   "--kind", kind], cwd=ROOT, capture_output=True)
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                sys.exit(f"report failed ({done.returncode}): {done.stderr.decode()[:500]}")
        median = statistics.median(times)
        verdict = (f"; target < {TARGET_DOCX:.0f} s: {'met' if median < TARGET_DOCX else 'MISSED'}"
                   if (kind, suffix) == ("plan", "docx") else "")
        print(f"(b) python -m ita_data report --kind {kind} --out F.{suffix}: median {median:.2f} s of {runs} "
              f"(min {min(times):.2f}, max {max(times):.2f}){verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"cores {os.cpu_count()}, load average {load()} (before)")
    with tempfile.TemporaryDirectory(prefix="ita-bench-report-") as tmp:
        db = Path(tmp) / "ita.duckdb"
        seed_database(db)
        in_process(db, args.runs)
        command_line(db, max(1, args.runs // 2), Path(tmp))
    print(f"load average {load()} (after)")


if __name__ == "__main__":
    main()
