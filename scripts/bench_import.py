"""Benchmark the import path as a user runs it (prints figures, asserts nothing).

    .venv/bin/python scripts/bench_import.py [--reports 1000] [--runs 5] [--profile]

(a) `python -m ita_data import data/muaklek-ita-report-2569.txt --db <tmp>`: median wall time of
    `--runs` runs, each into a new database (target < 1 s);
(b) `--reports` generated reports of the seed's shape (organizations "องค์การบริหารส่วนตำบลทดสอบ{n}",
    varied districts, provinces, scores, Thai or Arabic digits) imported by one
    `python -m ita_data import` (target < 60 s).
With --profile, (b) also runs in-process under cProfile and prints where the time goes."""
from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "muaklek-ita-report-2569.txt"
TARGET_ONE, TARGET_MANY = 1.0, 60.0

DISTRICTS = ("เมืองสระบุรี", "หนองแค", "แก่งคอย", "เสาไห้", "พระพุทธบาท", "บ้านหมอ", "ดอนพุด", "วิหารแดง",
             "หนองแซง", "วังม่วง", "เฉลิมพระเกียรติ", "หนองโดน")
PROVINCES = ("สระบุรี", "ลพบุรี", "นครนายก", "พระนครศรีอยุธยา", "นครราชสีมา", "ปราจีนบุรี")
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_SCORE = re.compile(r"\((?:คะแนน )?[๐-๙.]+(?: คะแนน)?\)")


def generate(n: int, seed_text: str, rng: random.Random) -> str:
    """Report n: the seed with another organization, place, scores, and digit style."""
    district, province = rng.choice(DISTRICTS), rng.choice(PROVINCES)
    text = (seed_text.replace("อำเภอมวกเหล็ก", f"อำเภอ{district}")
            .replace("จังหวัดสระบุรี", f"จังหวัด{province}")
            .replace("มวกเหล็ก", f"ทดสอบ{n}"))
    lines = text.split("\n")
    for i, line in enumerate(lines):
        cells = line.split("\t")
        if len(cells) == 8 and cells[0][:1] in "๑๒๓๔๕๖๗๘๙":
            score = rng.choice([100, rng.randint(70, 99), round(rng.uniform(70, 100), 2)])
            written = rng.choice(["({} คะแนน)", "(คะแนน {})"]).format(f"{score:.2f}" if score % 1 else score)
            cells[0] = _SCORE.sub(written.translate(THAI), cells[0], count=1)
            lines[i] = "\t".join(cells)
    text = "\n".join(lines)
    return text.translate(ARABIC) if n % 2 else text  # odd reports in Arabic digits throughout


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ita_data", *args], cwd=ROOT, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"import failed ({done.returncode}): {done.stderr.decode()[:500]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ita-bench-") as tmp:
        tmp = Path(tmp)
        times = [timed(["import", str(SEED), "--db", str(tmp / f"one{i}.duckdb"), "--quiet"])
                 for i in range(args.runs)]
        replace = [timed(["import", str(SEED), "--db", str(tmp / "one0.duckdb"), "--quiet"])
                   for _ in range(args.runs)]
        baseline = [timed(["--help"]) for _ in range(args.runs)]
        one = statistics.median(times)
        print(f"(a) import of the seed, new database: median {one:.3f} s of {args.runs} "
              f"(min {min(times):.3f}, max {max(times):.3f}); target < {TARGET_ONE:.0f} s: "
              f"{'met' if one < TARGET_ONE else 'MISSED'}")
        print(f"    re-import into the same database: median {statistics.median(replace):.3f} s; "
              f"`python -m ita_data --help` alone: median {statistics.median(baseline):.3f} s")

        folder = tmp / "reports"
        folder.mkdir()
        rng = random.Random(2569)
        seed_text = SEED.read_text(encoding="utf-8")
        paths = []
        for n in range(1, args.reports + 1):
            path = folder / f"ita-{n:04d}.txt"
            path.write_text(generate(n, seed_text, rng), encoding="utf-8")
            paths.append(path)
        many_db = tmp / "many.duckdb"
        elapsed = timed(["import", *map(str, paths), "--db", str(many_db), "--quiet"])
        print(f"(b) one import of {args.reports} generated reports: {elapsed:.2f} s "
              f"({1000 * elapsed / args.reports:.1f} ms a report); target < {TARGET_MANY:.0f} s: "
              f"{'met' if elapsed < TARGET_MANY else 'MISSED'}")

        sys.path.insert(0, str(ROOT))
        from ita_data import store
        con = store.connect(many_db, read_only=True)
        cur = con.cursor()
        found = [cur.execute("SELECT count(*) FROM query_table(?)", [t]).fetchone()[0]
                 for t in ("organizations", "assessments", "findings", "measures", "finding_divisions")]
        con.close()
        print(f"    stored: {found[0]} organizations, {found[1]} assessments, {found[2]} findings, "
              f"{found[3]} measures, {found[4]} finding-division links")

        if args.profile:
            profile(paths, tmp / "profiled.duckdb")


def profile(paths: list[Path], db: Path) -> None:
    import cProfile
    import pstats

    from ita_data import store
    from ita_data.importers import read_report

    timings = {}
    profiler = cProfile.Profile()
    profiler.enable()
    start = time.perf_counter()
    reports = [read_report(p) for p in paths]
    timings["read"] = time.perf_counter() - start
    con = store.connect(db)
    start = time.perf_counter()
    store.save_reports(con, reports)
    timings["save"] = time.perf_counter() - start
    con.close()
    profiler.disable()
    print(f"    in-process: reading {timings['read']:.2f} s, saving {timings['save']:.2f} s")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
