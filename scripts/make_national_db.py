"""Build a national-size database for benchmarks (prints figures, asserts nothing about speed).

    .venv/bin/python scripts/make_national_db.py PATH [--orgs 8300] [--years 3] [--scores 3] [--force] [--no-check]

With --scores N, every organization also gets N years of full score sheets (score_imports + scores:
the overall score, ten indicators and every question), as importing them would leave them.

PATH becomes a DuckDB file of the project's schema (created and migrated by ita_data.store.connect)
holding `--orgs` organizations x `--years` assessments (plan years up to the seed's, 2567-2569 by
default), each of the seed report's shape: its 10 findings with their texts, steps, periods (moved to
the plan year), import warnings and division links, and its 23 measures. Organization 1 is the seed's
own (with the seed's scores in the seed's year); the others get generated names, districts and
provinces. Scores vary; measures get statuses by year (older years further along, a quarter of the
organizations never report progress), and every reported measure 1-3 status-history entries whose
last one matches the measure's status, progress and updated_at, as store.update_measure leaves them.

The seed is read once; every table is then filled by one set-based INSERT ... SELECT (cross joins of
the organizations, years and the seed's rows; pseudo-random values from hash()), and ids come from the
schema's sequences through the columns' DEFAULT nextval, so the sequences stay past every id and the
dashboard, the CLI and later imports keep working on the file.

Unless --no-check, the dashboard's queries are then run on the result (store.assessments, findings,
measures, history, last_change, with their times), and store.dump, a re-import and a status update
on a small copy built the same way; the seed organization's findings in that copy are compared with a
database that imported the seed report."""
from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ita_data import store  # noqa: E402
from ita_data.importers import read_report  # noqa: E402
from ita_data.importers.records import Report  # noqa: E402
from ita_data.thai import fiscal_year_range  # noqa: E402

SEED = ROOT / "data" / "muaklek-ita-report-2569.txt"

ORG_TYPES = (  # (prefix, weight): roughly the national mix of local administrations
    ("องค์การบริหารส่วนตำบล", 64), ("เทศบาลตำบล", 30), ("เทศบาลเมือง", 3), ("เทศบาลนคร", 1),
    ("องค์การบริหารส่วนจังหวัด", 2))
NAME_HEADS = ("หนอง", "บ้าน", "วัง", "โคก", "ดอน", "ท่า", "บาง", "ห้วย", "นา", "คลอง", "ทุ่ง", "โนน", "เขา",
              "ลำ", "สระ", "บึง", "ป่า", "เวียง", "แม่", "ศรี", "ไผ่", "หัว", "กุด", "ปาก")
NAME_MIDS = ("น้ำ", "ทราย", "ไม้", "หิน", "ดิน", "ม่วง", "ตะเคียน", "ยาง", "มะม่วง", "ขาม", "บัว", "ตาล", "โพธิ์",
             "กระทุ่ม", "แก", "ปรือ", "จิก", "เตย", "มะขาม", "สะแก", "ขี้เหล็ก", "ตูม", "กอก", "แค")
NAME_TAILS = ("", "ใส", "ใหญ่", "น้อย", "แดง", "หลวง", "ทอง", "งาม", "สูง", "กลาง", "เหนือ", "ใต้", "ดี", "เงิน",
              "คำ", "ขาว", "เขียว", "พัฒนา", "สามัคคี", "เจริญ")
DISTRICTS = ("เมือง", "หนองแค", "แก่งคอย", "เสาไห้", "พระพุทธบาท", "บ้านหมอ", "ดอนพุด", "วิหารแดง", "หนองแซง",
             "วังม่วง", "เฉลิมพระเกียรติ", "หนองโดน", "บ้านนา", "ปากช่อง", "สีคิ้ว", "ด่านขุนทด", "พิมาย", "ชุมพวง",
             "บัวใหญ่", "ครบุรี", "เชียงดาว", "ฝาง", "สันทราย", "แม่ริม", "หางดง", "ท่าศาลา", "ทุ่งสง", "ปากพนัง")
PROVINCES = ("สระบุรี", "ลพบุรี", "นครนายก", "พระนครศรีอยุธยา", "นครราชสีมา", "ปราจีนบุรี", "ขอนแก่น", "อุดรธานี",
             "อุบลราชธานี", "บุรีรัมย์", "สุรินทร์", "ศรีสะเกษ", "ร้อยเอ็ด", "มหาสารคาม", "กาฬสินธุ์", "ชัยภูมิ",
             "เชียงใหม่", "เชียงราย", "ลำปาง", "พิษณุโลก", "นครสวรรค์", "สุพรรณบุรี", "กาญจนบุรี", "ราชบุรี",
             "นครศรีธรรมราช", "สงขลา", "สุราษฎร์ธานี", "ชลบุรี", "ระยอง", "จันทบุรี")
EDITORS = ("สมศรี กองช่าง", "สมชาย สำนักปลัด", "วิไล กองคลัง", "ประเสริฐ กองสาธารณสุขฯ", "นิตยา กองสวัสดิการสังคม",
           "อรุณี สำนักปลัด")
NOTES = ("ดำเนินการตามแผน", "ประชุมชี้แจงเจ้าหน้าที่แล้ว", "อยู่ระหว่างจัดซื้อจัดจ้าง", "เผยแพร่บนเว็บไซต์แล้ว",
         "รอผู้บริหารอนุมัติ", "จัดทำคู่มือเสร็จแล้ว", "ติดตามผลรายไตรมาส")
REPORT_WARNING = 'ไม่รู้จักคอลัมน์ "หมายเหตุ": ไม่ได้นำเข้า'
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_TWO_DIGIT_YEAR = re.compile(r"(?<=\.)[๐-๙]{2}(?![๐-๙])")  # "ต.ค.๖๘": a year after a month's dot
TABLES = ("organizations", "assessments", "imports", "findings", "finding_lists", "measures", "finding_divisions",
          "status_history")


def organization_frame(seed: Report, count: int, rng: random.Random) -> pd.DataFrame:
    """Organization 1 is the seed's; the others get unique generated names of every kind."""
    stems = [h + m + t for h in NAME_HEADS for m in NAME_MIDS for t in NAME_TAILS]
    rng.shuffle(stems)
    kinds = rng.choices([k for k, _ in ORG_TYPES], weights=[w for _, w in ORG_TYPES], k=count)
    rows, used = [(seed.organization, seed.district, seed.province)], {seed.organization}
    for i in range(count - 1):
        stem = stems[i % len(stems)] + (str(i // len(stems) + 1).translate(THAI_DIGITS) if i >= len(stems) else "")
        province = rng.choice(PROVINCES)
        name = kinds[i] + (province if kinds[i] == "องค์การบริหารส่วนจังหวัด" and rng.random() < 0.5 else stem)
        if name in used:
            name = kinds[i] + stem
        used.add(name)
        rows.append((name, rng.choice(DISTRICTS), province))
    return pd.DataFrame({"n": range(1, count + 1), "name": [r[0] for r in rows],
                         "district": [r[1] for r in rows], "province": [r[2] for r in rows]})


def _moved(day, years: int):
    return None if day is None else day.replace(year=day.year + years)


def _period_text(text: str, years: int) -> str:
    """The seed's period text with its two-digit BE years moved (ต.ค.๖๘ -> ต.ค.๖๗ ...)."""
    def move(m: re.Match) -> str:
        year = int(m.group(0).translate(ARABIC_DIGITS)) + years
        return str(year % 100).zfill(2).translate(THAI_DIGITS)
    return _TWO_DIGIT_YEAR.sub(move, text) if years else text


def create_seed_tables(cur, seed: Report, plan_years: list[int]) -> None:
    """Temporary tables of the seed's rows (one copy of the findings per plan year), division ids
    resolved as an import resolves them."""
    cur.execute("""CREATE TEMP TABLE seed_findings (
        plan_year INTEGER, seq INTEGER, indicator_no INTEGER, indicator_text VARCHAR, question_code VARCHAR,
        question VARCHAR, score DOUBLE, analysis VARCHAR, rationale VARCHAR, period_text VARCHAR,
        period_start DATE, period_end DATE, steps VARCHAR[], warnings VARCHAR[])""")
    cur.executemany("INSERT INTO seed_findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        [year, f.seq, f.indicator_no, f.indicator_text, f.question_code, f.question, f.score, f.analysis,
         f.rationale, _period_text(f.period_text, year - seed.plan_year),
         _moved(f.period_start, year - seed.plan_year), _moved(f.period_end, year - seed.plan_year),
         f.steps, [_period_text(w, year - seed.plan_year) if w.startswith("ระยะเวลา") else w for w in f.warnings]]
        for year in plan_years for f in seed.findings])
    cur.execute("CREATE TEMP TABLE seed_measures (finding_seq INTEGER, seq INTEGER, title VARCHAR)")
    cur.executemany("INSERT INTO seed_measures VALUES (?, ?, ?)",
                    [[f.seq, i, title] for f in seed.findings for i, title in enumerate(f.measures, start=1)])
    known = store._division_ids(cur)
    links = []
    for f in seed.findings:
        seen = set()
        for i, name in enumerate(f.divisions, start=1):
            division_id = store._division_id(cur, name, known)
            if division_id not in seen:
                seen.add(division_id)
                links.append([f.seq, division_id, i])
    cur.execute("CREATE TEMP TABLE seed_links (finding_seq INTEGER, division_id INTEGER, seq INTEGER)")
    cur.executemany("INSERT INTO seed_links VALUES (?, ?, ?)", links)


def build(path: Path, orgs: int, years: int, *, seed: Report | None = None, quiet: bool = False) -> dict[str, int]:
    """Fill a new database at `path`; returns the row count of each table."""
    seed = seed or read_report(SEED, name=SEED.name)
    plan_years = list(range(seed.plan_year - years + 1, seed.plan_year + 1))
    offset = seed.plan_year - seed.assessed_year
    rng = random.Random(2569)
    orgs_df = organization_frame(seed, orgs, rng)
    years_df = pd.DataFrame({"plan_year": plan_years,
                             "fiscal_start": [fiscal_year_range(y)[0] for y in plan_years]})
    now = store.now()

    con = store.connect(path)
    cur = con.cursor()
    steps: list[tuple[str, float]] = []

    def step(name: str, sql: str, params: list | None = None) -> None:
        start = time.perf_counter()
        cur.execute(sql, params or [])
        steps.append((name, time.perf_counter() - start))

    cur.begin()
    try:
        create_seed_tables(cur, seed, plan_years)
        cur.register("orgs_df", orgs_df)
        cur.register("years_df", years_df)
        step("organizations", """
            INSERT INTO organizations (name, district, province)
            SELECT name, district, province FROM orgs_df ORDER BY n""")
        # one import per organization and year, a few weeks into the fiscal year; 2% from a form
        # with an extra column (a report-level warning)
        step("assessments", """
            INSERT INTO assessments (organization_id, assessed_year, plan_year, created_at)
            SELECT o.id, y.plan_year - ?, y.plan_year,
                   y.fiscal_start::TIMESTAMP + INTERVAL 20 DAY
                       + to_seconds((hash(g.n, y.plan_year, 'imported') % (60 * 86400))::BIGINT)
            FROM orgs_df g JOIN organizations o ON o.name = g.name CROSS JOIN years_df y
            ORDER BY g.n, y.plan_year""", [offset])
        step("imports", """
            INSERT INTO imports (assessment_id, source_file, imported_at, findings_kept, findings_new,
                                 findings_removed, measures_kept, measures_new, measures_removed,
                                 measures_renamed, measures_revived, warnings, report_warnings, match_warnings)
            SELECT a.id,
                   CASE WHEN g.n = 1 AND a.plan_year = ? THEN ?
                        WHEN hash(g.n, a.plan_year, 'form') % 50 = 0
                        THEN 'แบบฟอร์มรายงาน-ITA-' || a.plan_year || '-' || lpad(g.n::VARCHAR, 4, '0') || '.xlsx'
                        ELSE 'รายงาน-ITA-' || a.plan_year || '-' || lpad(g.n::VARCHAR, 4, '0') || '.txt' END,
                   a.created_at, 0, ?, 0, 0, ?, 0, 0, 0, NULL,
                   CASE WHEN hash(g.n, a.plan_year, 'form') % 50 = 0 AND NOT (g.n = 1 AND a.plan_year = ?)
                        THEN [?] ELSE []::VARCHAR[] END, []::VARCHAR[]
            FROM assessments a JOIN organizations o ON o.id = a.organization_id JOIN orgs_df g ON g.name = o.name
            ORDER BY g.n, a.plan_year""", [seed.plan_year, seed.source_file, len(seed.findings),
                                           sum(len(f.measures) for f in seed.findings), seed.plan_year,
                                           REPORT_WARNING])
        # scores skewed towards 100 (median about 95, a tenth below 71, a tenth exactly 100);
        # the seed organization keeps the seed's scores in the seed's year
        step("findings", """
            INSERT INTO findings (assessment_id, seq, indicator_no, indicator_text, question_code, question,
                                  score, analysis, rationale, period_text, period_start, period_end)
            SELECT a.id, sf.seq, sf.indicator_no, sf.indicator_text, sf.question_code, sf.question,
                   CASE WHEN sf.score IS NULL OR (a.organization_id = (SELECT min(id) FROM organizations)
                                                  AND a.plan_year = ?) THEN sf.score
                        WHEN hash(a.id, sf.seq, 'score') % 10 = 0 THEN 100.0
                        ELSE round(100 - 40 * pow((hash(a.id, sf.seq, 'u') % 1000000) / 1000000.0, 3), 2) END,
                   sf.analysis, sf.rationale, sf.period_text, sf.period_start, sf.period_end
            FROM assessments a JOIN seed_findings sf ON sf.plan_year = a.plan_year
            ORDER BY a.id, sf.seq""", [seed.plan_year])
        step("finding_lists", """
            INSERT INTO finding_lists (finding_id, steps, warnings)
            SELECT f.id, sf.steps, sf.warnings
            FROM findings f JOIN assessments a ON a.id = f.assessment_id
            JOIN seed_findings sf ON sf.plan_year = a.plan_year AND sf.seq = f.seq
            ORDER BY f.id""")
        step("finding_divisions", """
            INSERT INTO finding_divisions (finding_id, division_id, seq)
            SELECT f.id, l.division_id, l.seq FROM findings f JOIN seed_links l ON l.finding_seq = f.seq
            ORDER BY f.id, l.seq""")
        # statuses by year (the older, the further along); a quarter of the organizations never
        # report progress; updated_at somewhere in the measure's period, before now
        step("measures", """
            INSERT INTO measures (finding_id, seq, title, status, progress, updated_at)
            WITH base AS (
                SELECT f.id AS finding_id, sm.seq, sm.title, f.period_start, f.period_end,
                       ? - a.plan_year AS age, hash(f.id, sm.seq, 'status') % 100 AS u,
                       hash(a.organization_id, 'active') % 4 <> 0 AS active
                FROM findings f JOIN assessments a ON a.id = f.assessment_id
                JOIN seed_measures sm ON sm.finding_seq = f.seq),
            chosen AS (
                SELECT *, CASE
                    WHEN NOT active THEN 'not_started'
                    WHEN u < [10, 45, 70][least(age, 2) + 1] THEN 'done'
                    WHEN u < [11, 48, 75][least(age, 2) + 1] THEN 'cancelled'
                    WHEN u < [40, 75, 90][least(age, 2) + 1] THEN 'in_progress'
                    ELSE 'not_started' END AS status
                FROM base)
            SELECT finding_id, seq, title, status,
                   CASE status WHEN 'done' THEN 100 WHEN 'not_started' THEN 0
                               WHEN 'cancelled' THEN (hash(finding_id, seq, 'p') % 12 * 5)::INTEGER
                               ELSE (5 + hash(finding_id, seq, 'p') % 19 * 5)::INTEGER END,
                   CASE WHEN status = 'not_started' THEN NULL
                        ELSE period_start::TIMESTAMP + to_seconds((hash(finding_id, seq, 't') % greatest(86400,
                             epoch(least(period_end::TIMESTAMP + INTERVAL 1 DAY, ?::TIMESTAMP))
                             - epoch(period_start::TIMESTAMP))::UBIGINT)::BIGINT) END
            FROM chosen ORDER BY finding_id, seq""", [seed.plan_year, now])
        # 1-3 reports per measure that moved: in progress, then the measure's status; the last one
        # is the measure's status, progress and updated_at
        step("status_history", """
            INSERT INTO status_history (measure_id, status, progress, note, editor, changed_at)
            WITH moved AS (
                SELECT m.id, m.status, m.progress, m.updated_at, f.period_start::TIMESTAMP AS start,
                       1 + (hash(m.id, 'n') % 3)::INTEGER AS n,
                       CASE m.status WHEN 'done' THEN 100 WHEN 'cancelled' THEN greatest(m.progress, 20)
                                     ELSE m.progress END AS target
                FROM measures m JOIN findings f ON f.id = m.finding_id
                WHERE m.status <> 'not_started')
            SELECT id, CASE WHEN k = n THEN status ELSE 'in_progress' END,
                   CASE WHEN k = n THEN progress ELSE greatest(5, target * k // n // 5 * 5) END,
                   CASE WHEN hash(id, k, 'note') % 3 = 0 THEN NULL
                        ELSE ?[1 + (hash(id, k, 'note') % ?)::INTEGER] END,
                   ?[1 + (hash(id, 'editor') % ?)::INTEGER],
                   start + to_seconds(((epoch(updated_at) - epoch(start)) * k / n)::BIGINT)
            FROM moved JOIN range(1, 4) r(k) ON r.k <= moved.n
            ORDER BY 6, id, k""", [list(NOTES), len(NOTES), list(EDITORS), len(EDITORS)])
        cur.unregister("orgs_df")
        cur.unregister("years_df")
        for table in ("seed_findings", "seed_measures", "seed_links"):
            cur.execute(f"DROP TABLE {table}")
        cur.execute("UPDATE data_version SET version = version + 1")  # a write, as store._transaction does
        start = time.perf_counter()
        cur.commit()
        steps.append(("commit", time.perf_counter() - start))
    except Exception:
        cur.rollback()
        raise
    start = time.perf_counter()
    cur.execute("CHECKPOINT")
    steps.append(("checkpoint", time.perf_counter() - start))
    counts = {t: cur.execute("SELECT count(*) FROM query_table(?)", [t]).fetchone()[0] for t in TABLES}
    con.close()
    if not quiet:
        print("  " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps))
    return counts


# ---------------------------------------------------------------- score sheets (a whole year's ITA scores)

def score_questions(year: int) -> list[tuple[int, str]]:
    """(indicator, question code) of a full year's sheet: the i and e codes of the framework's
    ranges for `year`; the o-items, which the 2567-2569 framework gives no ranges, split o1-o16
    (indicator 9) and o17-o22 (indicator 10), an assumption of these benchmarks [U]."""
    from ita_data import framework
    known = max(r.last_year for r in framework.QUESTION_RANGES)
    year = min(year, known)  # a year after the framework's ranges: the latest framework's questions
    out = [(r.indicator_no, f"{r.letter}{k}") for r in framework.QUESTION_RANGES
           if r.first_year <= year <= r.last_year and r.letter in "ie" for k in range(r.low, r.high + 1)]
    return sorted(out) + [(9, f"o{k}") for k in range(1, 17)] + [(10, f"o{k}") for k in range(17, 23)]


def sheet_scores(key: str, year: int, questions: list[tuple[int, str]],
                 fixed: dict[str, float] | None = None) -> list[tuple[int, str, float]]:
    """One organization's full year: (indicator, code, score) rows, the overall (0, "") first, then
    per indicator its score (the mean of its questions) and its questions; scores skewed towards 100
    and varied by `key` and year; `fixed` sets some question scores."""
    from ita_data import framework
    rng = random.Random(f"{key}-{year}")
    scores = {code: 100.0 if rng.random() < 0.1 else round(100 - 30 * rng.random() ** 3, 2) for _, code in questions}
    scores.update(fixed or {})
    by_indicator: dict[int, list[str]] = {}
    for no, code in questions:
        by_indicator.setdefault(no, []).append(code)
    means = {no: round(sum(scores[c] for c in codes) / len(codes), 2) for no, codes in by_indicator.items()}
    rows = [(0, "", round(framework.overall_score(means), 2))]
    for no, codes in sorted(by_indicator.items()):
        rows.append((no, "", means[no]))
        rows += [(no, code, scores[code]) for code in codes]
    return rows


def add_score_sheets(path: Path, years: list[int], *, seed: Report | None = None, quiet: bool = False) -> dict:
    """Give every organization of the database at `path` a full score sheet for each of `years`, as
    importing one would (one score_imports row per organization and year, its scores under it),
    set-based like build(); the seed's organization (the first) has the seed's question scores in
    the seed's assessed year. Returns the row counts of score_imports and scores."""
    seed = seed or read_report(SEED, name=SEED.name)
    fixed = {f.question_code: f.score for f in seed.findings if f.question_code and f.score is not None}
    con = store.connect(path)
    cur = con.cursor()
    start = time.perf_counter()
    cur.begin()
    try:
        questions = pd.DataFrame([(year, no, code) for year in years for no, code in score_questions(year)],
                                 columns=["year", "indicator_no", "code"])
        fixed_df = pd.DataFrame({"code": list(fixed), "score": list(fixed.values())})
        years_df = pd.DataFrame({"year": years, "imported_at": [pd.Timestamp(y - 543, 8, 20, 3) for y in years]})
        for name, frame in (("bench_questions", questions), ("bench_fixed", fixed_df), ("bench_years", years_df)):
            cur.register(name, frame)
        cur.execute("""
            INSERT INTO score_imports (organization_id, assessed_year, source_file, imported_by, imported_at, warnings)
            SELECT o.id, y.year, 'คะแนน-ITA-' || y.year || '.xlsx', 'benchmark',
                   y.imported_at::TIMESTAMP + to_seconds((hash(o.id, y.year) % 86400)::BIGINT), []::VARCHAR[]
            FROM organizations o CROSS JOIN bench_years y
            WHERE NOT EXISTS (SELECT 1 FROM score_imports si WHERE si.organization_id = o.id AND si.assessed_year = y.year)
            ORDER BY o.id, y.year""")
        seed_org = cur.execute("SELECT min(id) FROM organizations").fetchone()[0]
        cur.execute("""
            CREATE TEMP TABLE bench_scores AS
            SELECT si.id AS sid, q.indicator_no, q.code,
                   CASE WHEN si.organization_id = ? AND si.assessed_year = ? AND f.score IS NOT NULL THEN f.score
                        WHEN hash(si.id, q.code, 'top') % 10 = 0 THEN 100.0
                        ELSE round(100 - 30 * pow((hash(si.id, q.code, 'u') % 1000000) / 1000000.0, 3), 2) END AS score
            FROM score_imports si JOIN bench_questions q ON q.year = si.assessed_year
            LEFT JOIN bench_fixed f ON f.code = q.code
            WHERE si.imported_by = 'benchmark'""", [seed_org, seed.assessed_year])
        cur.execute("""
            INSERT INTO scores (score_import_id, indicator_no, question_code, score)
            SELECT sid, indicator_no, code, score FROM bench_scores ORDER BY sid, indicator_no, code""")
        cur.execute("""
            CREATE TEMP TABLE bench_indicators AS
            SELECT sid, indicator_no, round(avg(score), 2) AS score FROM bench_scores GROUP BY sid, indicator_no""")
        cur.execute("""
            INSERT INTO scores (score_import_id, indicator_no, question_code, score)
            SELECT sid, indicator_no, '', score FROM bench_indicators
            UNION ALL
            SELECT sid, 0, '', round(0.3 * avg(score) FILTER (WHERE indicator_no <= 5)
                                     + 0.3 * avg(score) FILTER (WHERE indicator_no BETWEEN 6 AND 8)
                                     + 0.4 * avg(score) FILTER (WHERE indicator_no >= 9), 2)
            FROM bench_indicators GROUP BY sid""")
        for name in ("bench_questions", "bench_fixed", "bench_years"):
            cur.unregister(name)
        cur.execute("DROP TABLE bench_scores")
        cur.execute("DROP TABLE bench_indicators")
        cur.execute("UPDATE data_version SET version = version + 1")  # a write, as store._transaction does
        cur.commit()
    except Exception:
        cur.rollback()
        raise
    cur.execute("CHECKPOINT")
    counts = {t: cur.execute("SELECT count(*) FROM query_table(?)", [t]).fetchone()[0]
              for t in ("score_imports", "scores")}
    con.close()
    if not quiet:
        print(f"  score sheets for {', '.join(map(str, years))}: " + ", ".join(f"{t} {n:,}" for t, n in counts.items())
              + f" in {time.perf_counter() - start:.2f} s")
    return counts


# ---------------------------------------------------------------- checks

def _timed(label: str, fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"  {label}: {1000 * (time.perf_counter() - start):.1f} ms")
    return result


def check_national(path: Path, orgs: int, years: int, seed: Report) -> None:
    """The dashboard's queries on the built file, with their times."""
    con = store.connect(path, read_only=True)
    items = _timed("store.assessments(con) (the sidebar and the data page, every rerun)", store.assessments, con)
    assert len(items) == orgs * years, len(items)
    assert all(a["findings"] == len(seed.findings) for a in items[:50])
    ours = [a for a in items if a["organization"] == seed.organization]
    assert [a["plan_year"] for a in ours] == list(range(seed.plan_year, seed.plan_year - years, -1)), ours
    one = ours[0]
    found = _timed("store.findings(con, seed org's latest)", store.findings, con, one["id"])
    assert [f["seq"] for f in found] == [f.seq for f in seed.findings]
    assert [f["score"] for f in found] == [f.score for f in seed.findings]
    other = items[len(items) // 2]
    measures = _timed("store.measures(con, a middle assessment)", store.measures, con, other["id"])
    assert len(measures) == sum(len(f.measures) for f in seed.findings)
    history = _timed("store.history(con, assessment_id=...)", store.history, con, assessment_id=other["id"])
    moved = [m for m in measures if m["status"] != "not_started"]
    assert {h["measure_id"] for h in history} == {m["id"] for m in moved}
    for m in moved:  # the newest entry is the measure's state, as update_measure leaves it
        newest = next(h for h in history if h["measure_id"] == m["id"])
        assert (newest["status"], newest["progress"], newest["changed_at"]) == (m["status"], m["progress"],
                                                                                m["updated_at"]), (newest, m)
    if moved:
        _timed("store.history(con, measure_id=...)", store.history, con, measure_id=moved[0]["id"])
    _timed("store.last_change(con)", store.last_change, con)
    cur = con.cursor()
    for table, sequence in (("organizations", "organization_ids"), ("assessments", "assessment_ids"),
                            ("findings", "finding_ids"), ("measures", "measure_ids"),
                            ("status_history", "history_ids")):
        top = cur.execute("SELECT coalesce(max(id), 0) FROM query_table(?)", [table]).fetchone()[0]
        current = cur.execute("SELECT currval(?)", [sequence]).fetchone()[0] if top else 0
        assert current >= top, (sequence, current, top)
    con.close()
    print("  national file: queries ok, sequences past every id")


def _without_progress(org: dict) -> dict:
    """An organization of a dump without what the generator varies (measure states, import stamps)."""
    return {**org, "assessments": [
        {**a, "imported_at": None, "imports": None, "findings": [
            {**f, "measures": [{"seq": m["seq"], "title": m["title"]} for m in f["measures"]]}
            for f in a["findings"]]}
        for a in org["assessments"]]}


def check_small_copy(seed: Report, years: int) -> None:
    """store.dump, a re-import and a status update on a small database built the same way; its seed
    organization in the seed's year equals a database that imported the seed report."""
    with tempfile.TemporaryDirectory(prefix="ita-national-check-") as tmp:
        small, reference = Path(tmp) / "small.duckdb", Path(tmp) / "reference.duckdb"
        counts = build(small, 30, years, seed=seed, quiet=True)
        con = store.connect(small)
        data = _timed("store.dump(con) on a copy of 30 organizations", store.dump, con)
        assert data["schema_version"] == store.SCHEMA_VERSION
        assert len(data["organizations"]) == 30
        assert sum(len(f["measures"]) for o in data["organizations"] for a in o["assessments"]
                   for f in a["findings"]) == counts["measures"]
        assert sum(len(m["history"]) for o in data["organizations"] for a in o["assessments"]
                   for f in a["findings"] for m in f["measures"]) == counts["status_history"]
        ref_con = store.connect(reference)
        store.save_reports(ref_con, [seed])
        expected = _without_progress(store.dump(ref_con)["organizations"][0])
        ref_con.close()
        ours = next(o for o in data["organizations"] if o["name"] == seed.organization)
        ours = _without_progress({**ours, "assessments": [a for a in ours["assessments"]
                                                          if a["plan_year"] == seed.plan_year]})
        assert ours == expected, "the seed organization differs from an import of the seed"
        # the sequences are past the generated ids: a re-import, a new organization, a status update
        result = store.save_reports(con, [seed])[0]
        assert result.replaced and result.findings == len(seed.findings)
        other = Report(**{**seed.__dict__, "organization": "องค์การบริหารส่วนตำบลตรวจสอบลำดับ"})
        assert not store.save_reports(con, [other])[0].replaced
        new_measure = store.measures(con, store.assessments(con)[0]["id"])[0]
        store.update_measure(con, new_measure["id"], "in_progress", 10, "ตรวจสอบ", "benchmark")
        con.close()
    print("  small copy: dump, re-import, new organization and status update ok; "
          "seed organization equals an import of the seed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--orgs", type=int, default=8300)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument("--no-check", action="store_true", help="skip the query checks")
    parser.add_argument("--scores", type=int, default=0, metavar="N",
                        help="also N years of full score sheets for every organization, ending the year after the "
                             "seed's assessed year (e.g. 3: 2567-2569)")
    args = parser.parse_args()
    if args.path.exists() and args.path.stat().st_size:
        if not args.force:
            sys.exit(f"{args.path}: exists (use --force to replace it)")
        args.path.unlink()
        Path(f"{args.path}.wal").unlink(missing_ok=True)

    start = time.perf_counter()
    seed = read_report(SEED, name=SEED.name)
    print(f"building {args.path}: {args.orgs} organizations x {args.years} years of the seed's shape")
    counts = build(args.path, args.orgs, args.years, seed=seed)
    elapsed = time.perf_counter() - start
    print("  " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    print(f"  built in {elapsed:.2f} s; file {args.path.stat().st_size / 2**20:.1f} MiB")
    if args.scores:
        add_score_sheets(args.path, list(range(seed.assessed_year + 2 - args.scores, seed.assessed_year + 2)), seed=seed)
    if not args.no_check:
        check_national(args.path, args.orgs, args.years, seed)
        check_small_copy(seed, args.years)


if __name__ == "__main__":
    main()
