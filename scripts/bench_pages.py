"""Benchmark each dashboard page's rerun against an empty Streamlit script's (prints figures, asserts
nothing).

    .venv/bin/python scripts/bench_pages.py [--national PATH] [--orgs 8300 --years 3] [--runs 7]
        [--warmups 2] [--budget 120] [--profile-page ROW] [--no-profile] [--apptest-default] [--signed-in]

In one process, through Streamlit's AppTest (as tests/test_pages.py drives the app):
  - the empty script: AppTest.from_string("import streamlit as st"), rerun in a block before the
    pages, once before each timed page rerun, and in a block after (the median of them all);
  - every page of pages/ (scores, measures, divisions, timeline, data, meeting, and the admin's:
    next_plan, users, audit), plus a few one-click states of a page (VARIANTS: the data page with
    every warning), opened from dashboard.py as the public reads them (the admin's pages, or every
    page with --signed-in, after the sidebar's sign-in as an admin) (at.run(), then
    at.switch_page(page).run()) and then rerun on the same AppTest, which is what a user's click
    on the page costs; on (a) a database built from the seed report as the app builds it on first
    start, with the seed agency's 2568 and 2569 score sheets, and (b) a national database, 8,300
    organizations x 3 years of the seed's shape and 3 years of full score sheets, built into a
    temporary directory by scripts/make_national_db.py unless --national gives one.
A rerun is timed as a server runs it: dashboard.py (page config, the sidebar's organization and year
choice, the live-update fragment) and then the page, with the scripts' compiled code cached. (AppTest
by default compiles every script on every run; --apptest-default measures that instead.)
Each figure is the median of --runs reruns after --warmups reruns; a page whose runs cost more than
--budget seconds gets fewer (at least one; the table says how many).
Targets: every page within 10x the empty script on the seed and within 20x at national size. Then
one rerun of the slowest page at national size runs under cProfile (in the script thread) and the
top 15 cumulative entries are printed, and the top 15 of the project's own code."""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import duckdb  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit import config as streamlit_config  # noqa: E402
from streamlit import logger as streamlit_logger  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from streamlit.testing.v1 import app_test as app_test_module  # noqa: E402
from streamlit.testing.v1.local_script_runner import LocalScriptRunner  # noqa: E402

import make_national_db  # noqa: E402
from ita_data import store  # noqa: E402
from ita_data.importers import read_report  # noqa: E402

TARGET_SEED, TARGET_NATIONAL = 10.0, 20.0
PAGE_ORDER = ("scores", "measures", "divisions", "timeline", "data", "meeting")
TIMEOUT = 3600.0  # AppTest's own default is 3 s; a national-size page may take minutes


# a page in another state a user reaches with one click: (page, label, what the click sets); the
# row is skipped when the page has no such widget
VARIANTS = (
    ("pages/data.py", "all warnings", lambda at: at.toggle(key="all_warnings").set_value(True)),
)


def pages() -> list[str]:
    """pages/*.py: the known pages in the menu's order (meeting when it exists), then any others,
    and the variants of those pages."""
    found = {p.stem for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_")}
    ordered = [*[n for n in PAGE_ORDER if n in found], *sorted(found - set(PAGE_ORDER))]
    names = [f"pages/{name}.py" for name in ordered]
    out = []
    for name in names:
        out.append(name)
        out.extend(f"{name} [{label}]" for page, label, _ in VARIANTS if page == name)
    return out


def _variant(row: str):
    """(page file, the click that makes the variant, or None) of a table row."""
    for page, label, action in VARIANTS:
        if row == f"{page} [{label}]":
            return page, action
    return row, None


@dataclass
class Timing:
    load_ms: float | None = None  # the switch_page run: opening the page
    runs_ms: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs_ms) if self.runs_ms else None


def _run(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = 1000 * (time.perf_counter() - start)
    if at.exception:
        raise RuntimeError("; ".join(str(e.value)[:200] for e in at.exception))
    return elapsed


class Baseline:
    """The empty script, rerun in a block before the pages, once before every timed page rerun
    (so that its figure spans the same load on the machine as the pages'), and in a block after."""

    def __init__(self) -> None:
        self.at = AppTest.from_string("import streamlit as st", default_timeout=TIMEOUT)
        self.timing = Timing()
        self.timing.load_ms = _run(self.at)

    def block(self, warmups: int, runs: int) -> float:
        block = Timing()
        sample(self.at, block, warmups, runs, budget_s=60, last_ms=None)
        self.timing.runs_ms += block.runs_ms
        return block.median

    def tick(self) -> None:
        self.timing.runs_ms.append(_run(self.at))


def sample(at: AppTest, timing: Timing, warmups: int, runs: int, budget_s: float, last_ms: float | None,
           baseline: Baseline | None = None) -> None:
    """Warm-ups (skipped once one run alone costs more than the budget), then up to `runs` timed
    reruns, stopping once they have spent the budget (at least one)."""
    for _ in range(warmups):
        if last_ms is not None and last_ms > 1000 * budget_s:
            break
        last_ms = _run(at)
    spent = 0.0
    while len(timing.runs_ms) < runs and (not timing.runs_ms or spent < 1000 * budget_s):
        if baseline is not None:
            baseline.tick()
        timing.runs_ms.append(_run(at))
        spent += timing.runs_ms[-1]


BENCH_ADMIN, BENCH_PASSWORD = "bench", "bench-password-1"
ADMIN_PAGES = ("pages/next_plan.py", "pages/users.py", "pages/audit.py")  # opened signed in as an admin
SIGNED_IN = False  # --signed-in: every page signed in as an admin (its write widgets too)


def prepare(path: Path, score_years: list[int]) -> None:
    """What the admin's pages need on a database: full score sheets of `score_years` for every
    organization (as imports would make them: the next plan is drafted from the latest) and an
    admin account to sign in with."""
    con = store.connect(path)
    try:
        has_scores = con.cursor().execute("SELECT count(*) FROM score_imports").fetchone()[0] > 0
        if store.users.get_user(con, BENCH_ADMIN) is None:
            store.users.add_user(con, BENCH_ADMIN, "admin", BENCH_PASSWORD, by="bench")
    finally:
        con.close()
    if not has_scores:
        make_national_db.add_score_sheets(path, score_years, quiet=True)


def use_database(path: Path) -> None:
    """As a new server process on that file: ITA_DB, and no cached connection or data."""
    os.environ["ITA_DB"] = str(path)
    st.cache_resource.clear()
    st.cache_data.clear()


@contextmanager
def server_mode(on: bool):
    """Rerun pages as a server does: as a server keeps one ScriptCache (the scripts' compiled code)
    for the process, where AppTest compiles every script on every run, every AppTest here shares one
    (the empty script's too). Every run goes through dashboard.py's st.navigation either way: AppTest
    resets Streamlit's pages-directory mode before each run, and that reset lands on a subclass here,
    so the mode stays off as on a server after its first run (as tests/conftest.py does)."""
    PagesManager.uses_pages_directory = False
    app_test_module.PagesManager = type("ServerPagesManager", (PagesManager,), {})
    if not on:
        yield
        return
    shared_cache = ScriptCache()
    app_test_module.ScriptCache = lambda: shared_cache
    try:
        yield
    finally:
        app_test_module.ScriptCache = ScriptCache


class NoVariant(Exception):
    """The page has no widget for this variant (any more)."""


def open_page(row: str) -> tuple[AppTest, float]:
    page, action = _variant(row)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    _run(at)
    if page in ADMIN_PAGES or SIGNED_IN:  # sign in: the admin's pages (the others as the public reads them)
        inputs = {t.label: t for t in at.sidebar.text_input}
        inputs["ชื่อผู้ใช้"].input(BENCH_ADMIN)
        inputs["รหัสผ่าน"].input(BENCH_PASSWORD)
        next(b for b in at.sidebar.button if b.label == "เข้าสู่ระบบ").click()
        _run(at)
    at.switch_page(page)
    elapsed = _run(at)
    if action is not None:
        try:
            action(at)
        except (KeyError, IndexError, ValueError) as e:
            raise NoVariant(str(e)) from None
        elapsed = _run(at)
    if not at.title:
        raise RuntimeError("the page drew no title")
    if not (at.sidebar.selectbox or at.sidebar.info):
        raise RuntimeError("dashboard.py's sidebar did not run")
    return at, elapsed


def bench_pages(label: str, path: Path, page_list: list[str], args,
                baseline: Baseline) -> tuple[dict[str, Timing], dict[str, AppTest]]:
    use_database(path)
    timings, apps = {}, {}
    for page in page_list:
        timing = timings[page] = Timing()
        start = time.perf_counter()
        try:
            at, timing.load_ms = open_page(page)
            sample(at, timing, args.warmups, args.runs, args.budget, last_ms=timing.load_ms, baseline=baseline)
            apps[page] = at
        except NoVariant:
            del timings[page]
            print(f"  {label:8} {page:32} skipped: the page has no such widget")
            continue
        except Exception as e:  # noqa: BLE001 - a failing page is reported in the table
            timing.error = f"{type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}"
        print(f"  {label:8} {page:32} open {_ms(timing.load_ms)}, rerun median {_ms(timing.median)} "
              f"of {len(timing.runs_ms)} ({time.perf_counter() - start:.1f} s)"
              + (f"  ERROR {timing.error}" if timing.error else ""), flush=True)
    return timings, apps


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f} ms"


def _cell(timing: Timing | None, empty: float, target: float) -> tuple[str, str, str, bool | None]:
    if timing is None or timing.median is None:
        return "error" if timing and timing.error else "-", "-", "", None
    ratio = timing.median / empty
    return f"{timing.median:,.1f}", f"{ratio:,.1f}x", f"{len(timing.runs_ms)}", ratio <= target


def print_table(empty: Timing, seed: dict[str, Timing], national: dict[str, Timing], page_list: list[str]) -> None:
    base = empty.median
    header = (f"{'page':<32} {'seed ms':>10} {'/empty':>8} {'n':>3}   {'national ms':>12} {'/empty':>8} {'n':>3}   "
              f"target (<= {TARGET_SEED:g}x seed, <= {TARGET_NATIONAL:g}x national)")
    print(header)
    print("-" * len(header))
    print(f"{'(empty script)':<32} {base:>10,.1f} {'1.0x':>8} {len(empty.runs_ms):>3}   {base:>12,.1f} {'1.0x':>8} "
          f"{len(empty.runs_ms):>3}")
    met_all = True
    for page in page_list:
        if page not in seed and page not in national:
            continue
        s_ms, s_ratio, s_n, s_ok = _cell(seed.get(page), base, TARGET_SEED)
        n_ms, n_ratio, n_n, n_ok = _cell(national.get(page), base, TARGET_NATIONAL)
        verdict = ", ".join([f"seed {'met' if s_ok else 'MISSED'}" if s_ok is not None else "seed n/a",
                             f"national {'met' if n_ok else 'MISSED'}" if n_ok is not None else "national n/a"])
        met_all &= bool(s_ok) and bool(n_ok)
        print(f"{page:<32} {s_ms:>10} {s_ratio:>8} {s_n:>3}   {n_ms:>12} {n_ratio:>8} {n_n:>3}   {verdict}")
    print(f"all targets {'met' if met_all else 'NOT met'}")
    for label, timings in (("seed", seed), ("national", national)):
        for page, timing in timings.items():
            if timing.error:
                print(f"  {label} {page}: {timing.error}")


@contextmanager
def profiled_script_thread(profiler: cProfile.Profile):
    """AppTest runs the script in its own thread: enable the profiler there."""
    original = LocalScriptRunner._run_script_thread

    def run_profiled(self):
        profiler.enable()
        try:
            return original(self)
        finally:
            profiler.disable()

    LocalScriptRunner._run_script_thread = run_profiled
    try:
        yield
    finally:
        LocalScriptRunner._run_script_thread = original


OWN_CODE = (r"^(store|views|ui|figures|tables|meeting|pdf|pptx|thai|framework|dashboard|scores|measures|divisions"
            r"|timeline|data)\.py:")


def profile_page(at: AppTest, page: str) -> None:
    profiler = cProfile.Profile()
    with profiled_script_thread(profiler):
        elapsed = _run(at)
    print(f"\ncProfile of one rerun of {page} at national size: {elapsed:,.0f} ms with the profiler on "
          f"(script thread only)")
    for title, restriction in (("top 15 by cumulative time", ()),
                               ("the project's own functions, top 15 by cumulative time", (OWN_CODE,))):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
        stats.print_stats(*restriction, 15)
        text = out.getvalue()
        body = text[text.index("   ncalls"):] if "   ncalls" in text else text
        print(f"\n{title}:\n{body.rstrip()}")


def counts(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        found = [con.execute("SELECT count(*) FROM query_table(?)", [t]).fetchone()[0] for t in make_national_db.TABLES]
    finally:
        con.close()
    return ", ".join(f"{t} {n:,}" for t, n in zip(make_national_db.TABLES, found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=Path, help="a national database to use instead of building one")
    parser.add_argument("--orgs", type=int, default=8300)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--warmups", type=int, default=2)
    parser.add_argument("--budget", type=float, default=120.0, help="seconds of timed reruns per page (min one)")
    parser.add_argument("--profile-page", help="profile this page (e.g. pages/data.py) instead of the slowest")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--apptest-default", action="store_true",
                        help="rerun pages as AppTest does by default: every script compiled on every run")
    parser.add_argument("--signed-in", action="store_true",
                        help="open every page signed in as an admin (default: only the admin's pages)")
    args = parser.parse_args()
    global SIGNED_IN
    SIGNED_IN = args.signed_in
    streamlit_config.set_option("logger.level", "error")  # AppTest outside a server warns on every clear
    streamlit_logger.set_log_level("error")
    page_list = pages()

    print(f"python {platform.python_version()}, streamlit {st.__version__}, duckdb {duckdb.__version__}, "
          f"{os.cpu_count()} CPUs, load average {_load()}; pages: {', '.join(page_list)}")
    with tempfile.TemporaryDirectory(prefix="ita-bench-pages-") as tmp:
        tmp = Path(tmp)
        seed_db = tmp / "seed.duckdb"  # as ui.connection() fills a new database on first start
        con = store.connect(seed_db)
        store.save_reports(con, [read_report(store.SEED_REPORT, name=store.SEED_REPORT.name)])
        con.close()
        prepare(seed_db, [2568, 2569])  # the seed's agency: the year its plan came from and the next
        print(f"seed database: {counts(seed_db)}")
        if args.national:
            national_db = args.national
        else:
            national_db = tmp / "national.duckdb"
            start = time.perf_counter()
            make_national_db.build(national_db, args.orgs, args.years, quiet=True)
            print(f"national database built in {time.perf_counter() - start:.1f} s")
        prepare(national_db, list(range(2569 - args.years + 1, 2570)))  # 3 years of full score sheets
        print(f"national database {national_db}: {counts(national_db)}\n", flush=True)

        with server_mode(not args.apptest_default):
            baseline = Baseline()
            first = baseline.block(args.warmups, 3 * args.runs)
            print(f"  empty script: rerun median {_ms(first)} of {3 * args.runs}", flush=True)
            seed, _ = bench_pages("seed", seed_db, page_list, args, baseline)
            national, apps = bench_pages("national", national_db, page_list, args, baseline)
            last = baseline.block(0, 3 * args.runs)
            empty = baseline.timing
            print(f"  empty script after the pages: rerun median {_ms(last)} of {3 * args.runs}; "
                  f"over the whole run (before, between and after the pages): {_ms(empty.median)} of "
                  f"{len(empty.runs_ms)}", flush=True)

            mode = ("AppTest's default: dashboard.py + the page, compiled on every run" if args.apptest_default
                    else "as a server reruns it: dashboard.py + the page, compiled code cached")
            print(f"\nrerun of a loaded page ({mode}), median ms; /empty = ratio to the empty script's rerun "
                  f"(median of its {len(empty.runs_ms)} runs over the whole run)\n")
            print_table(empty, seed, national, page_list)

            if not args.no_profile:
                measured = {p: t.median for p, t in national.items() if t.median is not None and p in apps}
                page = args.profile_page or (max(measured, key=measured.get) if measured else None)
                if page in apps:  # the national connection is still the cached one
                    profile_page(apps[page], page)
                else:
                    print(f"\nno profile: {page or 'no page'} did not run at national size")
        st.cache_resource.clear()  # close the connections before the directory goes
    print(f"\nload average at the end: {_load()} (other processes on the machine inflate every figure)")


if __name__ == "__main__":
    main()
