"""Benchmark the monthly meeting deck for the seed (prints figures, asserts nothing).

    .venv/bin/python scripts/bench_meeting.py [--runs 3] [--month 2026-11]

(a) in a running process (as the dashboard's download buttons do, after a first deck warmed
    pythainlp's dictionary and plotly): the deck's content, then the PPTX and the PDF, each with a
    new chart server (kaleido's sync server, started while the content is built; the PDF is
    printed by a Chromium of its own), median of --runs, with where the time goes;
(b) `python -m ita_data meeting --out deck.pptx|deck.pdf --db <tmp>` as a scheduled job runs it:
    a new process each time (imports, content, Chromium, file), median of --runs.
Target: each file under 10 s. The machine is shared: the load average is printed alongside."""
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
TARGET = 10.0


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


def in_process(db: Path, month, runs: int) -> None:
    from ita_data import store
    from ita_data.exports import browser, meeting, pdf, pptx
    con = store.connect(db, read_only=True)
    assessment_id = meeting.find_assessment(con)["id"]
    start = time.perf_counter()
    meeting.build_deck(con, assessment_id, month)
    print(f"(a) first deck content in this process (pythainlp dictionary, imports): "
          f"{time.perf_counter() - start:.2f} s")
    for name in ("pptx", "pdf"):
        totals, parts = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            with browser.chart_server():  # Chromium starts while the content is built
                deck = meeting.build_deck(con, assessment_id, month)
                t1 = time.perf_counter()
                images = browser.chart_images(deck.slides)  # waits for Chromium first
                t2 = time.perf_counter()
                data = pptx.deck_pptx(deck, images=images) if name == "pptx" else pdf.deck_pdf(deck, images=images)
                t3 = time.perf_counter()
            t4 = time.perf_counter()
            totals.append(t4 - t0)
            parts.append((t1 - t0, t2 - t0, t3 - t2, t4 - t3, len(data), len(deck.slides), len(images)))
        median = statistics.median(totals)
        p = parts[totals.index(sorted(totals)[len(totals) // 2])]
        print(f"    {name.upper()}: median {median:.2f} s of {runs} (min {min(totals):.2f}, max {max(totals):.2f}); "
              f"target < {TARGET:.0f} s: {'met' if median < TARGET else 'MISSED'}")
        print(f"      content {p[0]:.2f} s · Chromium started and {p[6]} charts drawn {p[1]:.2f} s after start · "
              f"{'assembly' if name == 'pptx' else 'HTML + print (a second Chromium)'} {p[2]:.2f} s · "
              f"closing {p[3]:.2f} s · {p[5]} slides, {p[4] / 1024:.0f} KiB")
    con.close()


def command_line(db: Path, month_text: str, runs: int, folder: Path) -> None:
    for suffix in ("pptx", "pdf"):
        times = []
        for i in range(runs):
            out = folder / f"deck{i}.{suffix}"
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "ita_data", "meeting", "--out", str(out), "--db", str(db),
                                   "--month", month_text], cwd=ROOT, capture_output=True)
            times.append(time.perf_counter() - start)
            if done.returncode != 0:
                sys.exit(f"meeting failed ({done.returncode}): {done.stderr.decode()[:500]}")
        median = statistics.median(times)
        print(f"(b) python -m ita_data meeting --out deck.{suffix}: median {median:.2f} s of {runs} "
              f"(min {min(times):.2f}, max {max(times):.2f}); target < {TARGET:.0f} s: "
              f"{'met' if median < TARGET else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--month", default="2026-11", help="YYYY-MM (2026-11: every open measure overdue)")
    args = parser.parse_args()
    from ita_data.thai import parse_month
    month = parse_month(args.month)
    print(f"cores {os.cpu_count()}, load average {load()} (before)")
    with tempfile.TemporaryDirectory(prefix="ita-bench-meeting-") as tmp:
        db = Path(tmp) / "ita.duckdb"
        seed_database(db)
        in_process(db, month, args.runs)
        command_line(db, args.month, args.runs, Path(tmp))
    print(f"load average {load()} (after)")


if __name__ == "__main__":
    main()
