"""Benchmark score sheets: their import, and the pages and views that show them (prints figures,
asserts nothing).

    .venv/bin/python scripts/bench_scores.py [--national PATH] [--runs 5] [--page-runs 7] [--warmups 2]
        [--budget 60] [--xlsx-national] [--no-national-sheet] [--no-pages]

(a) One agency's full sheet (the overall score, ten indicators, 46 questions: 57 rows), as .xlsx and
    .csv, imported by `python -m ita_data import FILE --db <the seed's database>`: a new year, and a
    re-import of that year; median wall time of --runs runs, against `python -m ita_data --help`
    (the interpreter and imports alone). Target < 1 s.
(b) A national sheet: every one of the national database's 8,300 agencies, a full year each
    (473,100 rows; the organization named on each agency's first row only, as a sheet with merged
    cells gives it), as .csv (and .xlsx with --xlsx-national): one `python -m ita_data import --quiet`
    of a new year into a copy of the national database, then in-process: read, plan, save, each timed.
(c) The new page and views, rerun against an empty script as scripts/bench_pages.py measures pages
    (it does the timing): the scores page with official scores, its indicator level, its year-over-
    year view (the plan's questions, every question, the indicators) and the Data page (which lists
    score sheets); on the seed with its agency's 2568 and 2569 sheets (target 10x) and on the national
    database with 3 years of full score sheets (make_national_db.py --scores 3; target 20x)."""
from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import make_national_db  # noqa: E402
from ita_data import store  # noqa: E402
from ita_data.importers import read_any, read_report  # noqa: E402

TARGET_ONE = 1.0
HEADER = ["หน่วยงาน", "อำเภอ", "จังหวัด", "ปีที่ประเมิน", "ตัวชี้วัดที่", "รหัสข้อคำถาม", "คะแนน"]
CHANGE_VIEW = "ผลของมาตรการ (ปีต่อปี)"

# the new page and views: (page, label, the clicks that reach it); bench_pages times them
VARIANTS = (
    ("pages/scores.py", "official, indicators",
     lambda at: at.segmented_control(key="score_level").set_value("indicator")),
    ("pages/scores.py", "year over year",
     lambda at: at.segmented_control(key="score_view").set_value("change")),
    ("pages/scores.py", "year over year, every question",
     lambda at: (at.segmented_control(key="score_view").set_value("change").run(),
                 at.toggle(key="change_all").set_value(True))),
    ("pages/scores.py", "year over year, indicators",
     lambda at: (at.segmented_control(key="score_view").set_value("change").run(),
                 at.segmented_control(key="change_level").set_value("indicator"))),
    ("pages/scores.py", "trend", lambda at: at.segmented_control(key="score_view").set_value("trend")),
)


def sheet_rows(orgs: list[tuple[str, str | None, str | None]], year: int, fixed: dict | None = None,
               *, merged: bool = False) -> list[list]:
    """Full-year sheet rows for each organization (name, district, province); `merged`: the
    organization only on its first row."""
    questions = make_national_db.score_questions(year)
    rows = []
    for name, district, province in orgs:
        for i, (no, code, score) in enumerate(make_national_db.sheet_scores(name, year, questions, fixed)):
            first = not merged or i == 0
            rows.append([name if first else "", (district or "") if first else "", (province or "") if first else "",
                         year if first else "", "ITA" if no == 0 else no, code, score])
    return rows


def write_sheet(path: Path, rows: list[list]) -> Path:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook
        book = Workbook(write_only=True)
        sheet = book.create_sheet("คะแนน")
        sheet.append(HEADER)
        for row in rows:
            sheet.append([None if v == "" else v for v in row])
        book.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(HEADER)
            writer.writerows(rows)
    return path


CPU: list[float] = []  # the CPU seconds (user + system) of each cli() run, beside its wall time


def cli(*args: str) -> float:
    """Wall seconds of `python -m ita_data *args`; its CPU seconds go to CPU (on a loaded machine the
    wall time is mostly waiting for a core)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ita_data", *args], cwd=ROOT, capture_output=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        sys.exit(f"`python -m ita_data {' '.join(args)[:120]}` failed ({done.returncode}): "
                 f"{done.stderr.decode()[:500]}")
    return elapsed


def _cpu(n: int) -> str:
    return f"cpu median {statistics.median(CPU[-n:]):.3f} s"


def seed_database(path: Path, seed) -> None:
    """The seed as the app builds it, with its agency's 2568 sheet (the seed's question scores) and
    a 2569 sheet, as a user would import them."""
    con = store.connect(path)
    store.save_reports(con, [seed])
    con.close()
    fixed = {f.question_code: f.score for f in seed.findings if f.question_code and f.score is not None}
    org = [(seed.organization, seed.district, seed.province)]
    with tempfile.TemporaryDirectory() as tmp:
        for year, scores in ((seed.assessed_year, fixed), (seed.assessed_year + 1, None)):
            sheet = write_sheet(Path(tmp) / f"{year}.csv", sheet_rows(org, year, scores))
            con = store.connect(path)
            store.scores.save_scores(con, [read_any(sheet)])
            con.close()


def bench_one(tmp: Path, seed, runs: int) -> None:
    org = [(seed.organization, seed.district, seed.province)]
    year = seed.assessed_year + 1
    base = tmp / "one-base.duckdb"
    con = store.connect(base)
    store.save_reports(con, [seed])
    con.close()
    help_times = [cli("--help") for _ in range(runs)]
    print(f"(a) one agency's full sheet ({len(sheet_rows(org, year))} rows); `python -m ita_data --help` alone: "
          f"median {statistics.median(help_times):.3f} s ({_cpu(runs)})")
    for suffix in (".xlsx", ".csv"):
        sheet = write_sheet(tmp / f"one{suffix}", sheet_rows(org, year))
        new, again, new_cpu, again_cpu = [], [], [], []
        for i in range(runs):
            db = tmp / f"one{i}{suffix}.duckdb"
            shutil.copyfile(base, db)
            new.append(cli("import", str(sheet), "--db", str(db), "--quiet"))
            new_cpu.append(CPU[-1])
            again.append(cli("import", str(sheet), "--db", str(db), "--quiet"))
            again_cpu.append(CPU[-1])
        one = statistics.median(new)
        print(f"    {suffix}: new year median {one:.3f} s (min {min(new):.3f}, max {max(new):.3f}; cpu median "
              f"{statistics.median(new_cpu):.3f} s), re-import median {statistics.median(again):.3f} s (cpu "
              f"{statistics.median(again_cpu):.3f} s); target < {TARGET_ONE:.0f} s: "
              f"{'met' if max(one, statistics.median(again)) < TARGET_ONE else 'MISSED'} (wall)")
        start = time.perf_counter()
        parsed = read_any(sheet)
        read_s = time.perf_counter() - start
        con = store.connect(tmp / f"one0{suffix}.duckdb")
        start = time.perf_counter()
        store.scores.save_scores(con, [parsed])
        save_s = time.perf_counter() - start
        con.close()
        print(f"      in-process: read {1000 * read_s:.1f} ms, plan + save (a re-import) {1000 * save_s:.1f} ms")


def bench_national_sheet(tmp: Path, national: Path, seed, xlsx: bool) -> None:
    con = store.connect(national, read_only=True)
    orgs = [(o["name"], o["district"], o["province"]) for o in store.organizations(con)]
    con.close()
    year = max(seed.assessed_year + 2, 2570)  # a year the national database has no sheet for
    rows = sheet_rows(orgs, year, merged=True)
    for suffix in (".csv", ".xlsx") if xlsx else (".csv",):
        start = time.perf_counter()
        sheet = write_sheet(tmp / f"national{suffix}", rows)
        written = time.perf_counter() - start
        db = tmp / f"national-copy{suffix}.duckdb"
        shutil.copyfile(national, db)
        elapsed = cli("import", str(sheet), "--db", str(db), "--quiet")
        print(f"(b) national sheet {suffix}: {len(orgs):,} agencies, {len(rows):,} rows, "
              f"{sheet.stat().st_size / 2**20:.1f} MiB (written in {written:.1f} s): `python -m ita_data import --quiet` "
              f"{elapsed:.2f} s, cpu {CPU[-1]:.2f} s ({1e6 * elapsed / len(rows):.1f} µs a row)")
        db = tmp / f"national-inproc{suffix}.duckdb"
        shutil.copyfile(national, db)
        def timed(fn, *a, **kw):
            start, cpu = time.perf_counter(), time.process_time()
            result = fn(*a, **kw)
            return result, f"{time.perf_counter() - start:.2f} s (cpu {time.process_time() - cpu:.2f})"

        parsed, read_t = timed(read_any, sheet)
        con = store.connect(db)
        plans, plan_t = timed(store.scores.plan_scores, con, [parsed])
        _, save_t = timed(store.scores.save_scores, con, [parsed])
        again, replan_t = timed(store.scores.plan_scores, con, [parsed])
        con.close()
        print(f"    in-process: read {read_t}, plan {plan_t} ({len(plans):,} organization-years, "
              f"{sum(p.organization_id is None for p in plans)} new organizations), plan + save {save_t}; "
              f"planning a re-import of it {replan_t} ({sum(p.replaced for p in again):,} replaced)")
        os.remove(db)


def bench_views(tmp: Path, national: Path, seed, args) -> None:
    import bench_pages
    from streamlit import config as streamlit_config
    from streamlit import logger as streamlit_logger
    import streamlit as st

    streamlit_config.set_option("logger.level", "error")
    streamlit_logger.set_log_level("error")
    bench_pages.VARIANTS = VARIANTS  # the new views only (bench_pages.py times every page)
    page_list = ["pages/scores.py", *[f"pages/scores.py [{label}]" for _, label, _ in VARIANTS], "pages/data.py"]
    seed_db = tmp / "seed-scores.duckdb"
    seed_database(seed_db, seed)
    print(f"\n(c) seed database (the seed, its agency's {seed.assessed_year} and {seed.assessed_year + 1} sheets): "
          f"{bench_pages.counts(seed_db)}")
    con = store.connect(national, read_only=True)
    imports, scores = (con.cursor().execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                       for t in ("score_imports", "scores"))
    con.close()
    print(f"    national database: {bench_pages.counts(national)}; score_imports {imports:,}, scores {scores:,}")
    page_args = argparse.Namespace(warmups=args.warmups, runs=args.page_runs, budget=args.budget)
    with bench_pages.server_mode(True):
        baseline = bench_pages.Baseline()
        first = baseline.block(args.warmups, 3 * args.page_runs)
        print(f"  empty script: rerun median {bench_pages._ms(first)} of {3 * args.page_runs}", flush=True)
        on_seed, _ = bench_pages.bench_pages("seed", seed_db, page_list, page_args, baseline)
        on_national, _ = bench_pages.bench_pages("national", national, page_list, page_args, baseline)
        baseline.block(0, 3 * args.page_runs)
        print("\nrerun of a loaded page or view (as a server reruns it), median ms; /empty = ratio to the "
              "empty script's rerun\n")
        bench_pages.print_table(baseline.timing, on_seed, on_national, page_list)
    st.cache_resource.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=Path,
                        help="a national database with score sheets (make_national_db.py PATH --scores 3) to use "
                             "instead of building one")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page-runs", type=int, default=7)
    parser.add_argument("--warmups", type=int, default=2)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds of timed reruns per page (min one)")
    parser.add_argument("--xlsx-national", action="store_true", help="(b) as .xlsx too (slow to write and read)")
    parser.add_argument("--no-national-sheet", action="store_true")
    parser.add_argument("--no-pages", action="store_true")
    args = parser.parse_args()
    seed = read_report(store.SEED_REPORT, name=store.SEED_REPORT.name)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="ita-bench-scores-") as tmp:
        tmp = Path(tmp)
        bench_one(tmp, seed, args.runs)
        national = args.national
        if national is None and not (args.no_national_sheet and args.no_pages):
            national = tmp / "national.duckdb"
            start = time.perf_counter()
            make_national_db.build(national, 8300, 3, seed=seed, quiet=True)
            make_national_db.add_score_sheets(national, [seed.assessed_year - 1, seed.assessed_year,
                                                         seed.assessed_year + 1], seed=seed, quiet=True)
            print(f"national database with 3 years of score sheets built in {time.perf_counter() - start:.1f} s")
        if not args.no_national_sheet:
            bench_national_sheet(tmp, national, seed, args.xlsx_national)
        if not args.no_pages:
            bench_views(tmp, national, seed, args)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
