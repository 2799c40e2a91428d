"""DuckDB: where the database is, connections, schema and migrations, and every query.

Each query function takes a connection and works on its own `cursor()`, so one connection can
serve every Streamlit session thread. SQL takes bound parameters only. Nothing here deletes data:
a re-import marks findings and measures that left the report as removed and keeps their history."""
from __future__ import annotations

import numbers
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb

from . import divisions as division_names
from . import framework
from .importers.records import Report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "ita.duckdb"
SEED_REPORT = ROOT / "data" / "muaklek-ita-report-2569.txt"
SCHEMA_VERSION = 1


class StoreError(RuntimeError):
    """A database that cannot be used as asked; the message says why in one line."""


def db_path(path: str | os.PathLike | None = None) -> Path:
    """The database file: the argument, else $ITA_DB, else data/ita.duckdb."""
    return Path(path or os.environ.get("ITA_DB") or DEFAULT_DB)


def now() -> datetime:
    """Timestamps are stored as naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


# ---------------------------------------------------------------- connection and schema

def connect(path: str | os.PathLike | None = None, *, read_only: bool = False,
            must_exist: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database, creating and migrating it as needed; with `must_exist` (or read_only) a
    missing file is a StoreError and nothing is created."""
    path = db_path(path)
    if must_exist and not path.exists():
        raise StoreError(f"{path}: ไม่พบฐานข้อมูล (database not found)")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size == 0:
            path.unlink()  # an empty file holds nothing: start a database in its place
    elif not path.exists():
        raise StoreError(f"{path}: ไม่พบฐานข้อมูล (database not found)")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as e:
        text = str(e)
        if "lock" in text.lower():
            raise StoreError(f"{path}: ฐานข้อมูลถูกใช้งานอยู่โดยโปรแกรมอื่น (เช่น dashboard ที่เปิดอยู่) "
                             f"(database is locked by another process)") from None
        raise StoreError(f"{path}: ไม่ใช่ไฟล์ฐานข้อมูล DuckDB ที่ใช้ได้ ({text.splitlines()[0]})") from None
    if not read_only:
        migrate(con)
    return con


def schema_version(con) -> int:
    cur = con.cursor()
    exists = cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
                         ).fetchone()[0]
    if not exists:
        return 0
    return cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con) -> int:
    """Bring the schema up to SCHEMA_VERSION, one version per transaction. Migrations only add."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise StoreError(f"ฐานข้อมูลนี้สร้างโดยโปรแกรมรุ่นใหม่กว่า (schema {current} > {SCHEMA_VERSION})")
    for version, step in MIGRATIONS:
        if version <= current:
            continue
        with _transaction(con) as cur:
            step(cur)
            cur.execute("INSERT INTO schema_version VALUES (?, ?)", [version, now()])
    return SCHEMA_VERSION


def _v1(cur) -> None:
    statements = """
    CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL);
    CREATE SEQUENCE organization_ids; CREATE SEQUENCE assessment_ids; CREATE SEQUENCE finding_ids;
    CREATE SEQUENCE measure_ids; CREATE SEQUENCE division_ids; CREATE SEQUENCE history_ids;
    CREATE TABLE organizations (
        id INTEGER PRIMARY KEY DEFAULT nextval('organization_ids'),
        name VARCHAR NOT NULL UNIQUE, district VARCHAR, province VARCHAR);
    CREATE TABLE assessments (
        id INTEGER PRIMARY KEY DEFAULT nextval('assessment_ids'),
        organization_id INTEGER NOT NULL, assessed_year INTEGER NOT NULL, plan_year INTEGER NOT NULL,
        source_file VARCHAR, imported_at TIMESTAMP NOT NULL, report_warnings VARCHAR[],
        UNIQUE (organization_id, assessed_year, plan_year));
    CREATE TABLE indicators (
        no INTEGER PRIMARY KEY, name_th VARCHAR NOT NULL, name_en VARCHAR NOT NULL, tool VARCHAR NOT NULL);
    CREATE TABLE question_ranges (
        first_year INTEGER NOT NULL, last_year INTEGER NOT NULL, letter VARCHAR NOT NULL,
        low INTEGER NOT NULL, high INTEGER NOT NULL, indicator_no INTEGER NOT NULL);
    CREATE TABLE findings (
        id INTEGER PRIMARY KEY DEFAULT nextval('finding_ids'),
        assessment_id INTEGER NOT NULL, seq INTEGER NOT NULL, indicator_no INTEGER NOT NULL,
        indicator_text VARCHAR, question_code VARCHAR, question VARCHAR, score DOUBLE,
        analysis VARCHAR, rationale VARCHAR, period_text VARCHAR, period_start DATE, period_end DATE,
        steps VARCHAR[], warnings VARCHAR[], removed_at TIMESTAMP,
        UNIQUE (assessment_id, seq));
    CREATE TABLE measures (
        id INTEGER PRIMARY KEY DEFAULT nextval('measure_ids'),
        finding_id INTEGER NOT NULL, seq INTEGER NOT NULL, title VARCHAR NOT NULL,
        status VARCHAR NOT NULL DEFAULT 'not_started'
            CHECK (status IN ('not_started', 'in_progress', 'done', 'cancelled')),
        progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        updated_at TIMESTAMP, removed_at TIMESTAMP,
        UNIQUE (finding_id, seq));
    CREATE TABLE divisions (
        id INTEGER PRIMARY KEY DEFAULT nextval('division_ids'), name VARCHAR NOT NULL UNIQUE);
    CREATE TABLE division_aliases (alias VARCHAR PRIMARY KEY, division_id INTEGER NOT NULL);
    CREATE TABLE finding_divisions (
        finding_id INTEGER NOT NULL, division_id INTEGER NOT NULL, seq INTEGER NOT NULL,
        PRIMARY KEY (finding_id, division_id));
    CREATE TABLE status_history (
        id INTEGER PRIMARY KEY DEFAULT nextval('history_ids'),
        measure_id INTEGER NOT NULL, status VARCHAR NOT NULL, progress INTEGER NOT NULL,
        note VARCHAR, editor VARCHAR NOT NULL, changed_at TIMESTAMP NOT NULL);
    """
    for statement in statements.split(";"):
        if statement.strip():
            cur.execute(statement)
    cur.executemany("INSERT INTO indicators VALUES (?, ?, ?, ?)",
                    [[i.no, i.name_th, i.name_en, i.tool] for i in framework.INDICATORS])
    cur.executemany("INSERT INTO question_ranges VALUES (?, ?, ?, ?, ?, ?)",
                    [[r.first_year, r.last_year, r.letter, r.low, r.high, r.indicator_no]
                     for r in framework.QUESTION_RANGES])
    for name in division_names.DIVISIONS:
        cur.execute("INSERT INTO divisions (name) VALUES (?)", [name])
    cur.executemany(
        "INSERT INTO division_aliases SELECT ?, id FROM divisions WHERE name = ?",
        [[alias, name] for alias, name in division_names.ALIASES.items()])


MIGRATIONS = [(1, _v1)]


# ---------------------------------------------------------------- import

@dataclass
class ImportResult:
    assessment_id: int
    organization: str
    assessed_year: int
    plan_year: int
    findings: int
    measures: int
    replaced: bool  # the assessment was there before
    warnings: int


# Writers in one process take turns: two sessions saving the same measure at the same moment would
# otherwise make DuckDB refuse one of them ("Conflict on tuple deletion").
_WRITE_LOCK = threading.Lock()


@contextmanager
def _transaction(con):
    """A cursor in a write transaction: committed at the end, rolled back on any error."""
    with _WRITE_LOCK:
        cur = con.cursor()
        cur.begin()
        try:
            yield cur
            cur.commit()
        except BaseException:
            cur.rollback()
            raise


def save_reports(con, reports: list[Report]) -> list[ImportResult]:
    """Write reports in one transaction: all of them or, on any error, none."""
    with _transaction(con) as cur:
        division_ids = _division_ids(cur)
        return [_save_report(cur, report, division_ids) for report in reports]


def _division_ids(cur) -> dict[str, int]:
    return dict(cur.execute("SELECT name, id FROM divisions").fetchall())


def _division_id(cur, name: str, known: dict[str, int]) -> int:
    """The division `name` is: a known spelling, or a division already stored under the same name
    spaced otherwise ("คณะทำงาน ITA" and "คณะทำงานITA" are one), or a new division."""
    if name not in known:
        name_key = division_names.key(name)
        alias = cur.execute("SELECT division_id FROM division_aliases WHERE alias = ?", [name_key]).fetchone()
        same = alias or next(((i,) for n, i in known.items() if division_names.key(n) == name_key), None)
        known[name] = same[0] if same else \
            cur.execute("INSERT INTO divisions (name) VALUES (?) RETURNING id", [name]).fetchone()[0]
    return known[name]


_FINDING_COLUMNS = ("indicator_no", "indicator_text", "question_code", "question", "score", "analysis",
                    "rationale", "period_text", "period_start", "period_end", "steps", "warnings")


def _marks(n: int) -> str:
    return ", ".join(["?"] * n)


def _rows_of(rows: list[list]) -> str:
    """"(?, ?), (?, ?)" for a multi-row VALUES of `rows`."""
    return ", ".join([f"({_marks(len(rows[0]))})"] * len(rows))


def _flat(rows: list[list]) -> list:
    return [value for row in rows for value in row]


def _save_report(cur, report: Report, division_ids: dict[str, int]) -> ImportResult:
    stamp = now()
    row = cur.execute("SELECT id FROM organizations WHERE name = ?", [report.organization]).fetchone()
    if row:
        org_id = row[0]
        cur.execute("UPDATE organizations SET district = coalesce(?, district), province = coalesce(?, province) "
                    "WHERE id = ?", [report.district, report.province, org_id])
    else:
        org_id = cur.execute("INSERT INTO organizations (name, district, province) VALUES (?, ?, ?) RETURNING id",
                             [report.organization, report.district, report.province]).fetchone()[0]
    row = cur.execute("SELECT id FROM assessments WHERE organization_id = ? AND assessed_year = ? AND plan_year = ?",
                      [org_id, report.assessed_year, report.plan_year]).fetchone()
    replaced = row is not None
    if replaced:
        assessment_id = row[0]
        cur.execute("UPDATE assessments SET source_file = ?, imported_at = ?, report_warnings = ? WHERE id = ?",
                    [report.source_file, stamp, report.warnings, assessment_id])
    else:
        assessment_id = cur.execute(
            "INSERT INTO assessments (organization_id, assessed_year, plan_year, source_file, imported_at, "
            "report_warnings) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            [org_id, report.assessed_year, report.plan_year, report.source_file, stamp, report.warnings]
        ).fetchone()[0]

    existing = dict(cur.execute("SELECT seq, id FROM findings WHERE assessment_id = ?", [assessment_id]).fetchall())
    measures_before: dict[tuple[int, int], int] = {
        (finding_id, seq): measure_id for finding_id, seq, measure_id in cur.execute(
            "SELECT m.finding_id, m.seq, m.id FROM measures m JOIN findings f ON f.id = m.finding_id "
            "WHERE f.assessment_id = ?", [assessment_id]).fetchall()}

    # A statement costs about as much as a row, so every table gets one statement per report.
    new_findings, changed_findings = [], []
    finding_ids: dict[int, int] = {}
    for f in report.findings:
        values = [f.indicator_no, f.indicator_text, f.question_code, f.question, f.score, f.analysis,
                  f.rationale, f.period_text, f.period_start, f.period_end, f.steps, f.warnings]
        finding_id = existing.get(f.seq)
        if finding_id is None:
            new_findings.append([assessment_id, f.seq, *values])
        else:
            changed_findings.append([finding_id, *values])
            finding_ids[f.seq] = finding_id
    if changed_findings:
        columns = ", ".join(f"{c} = v.{c}" for c in _FINDING_COLUMNS)
        cur.execute(f"UPDATE findings SET {columns}, removed_at = NULL "
                    f"FROM (VALUES {_rows_of(changed_findings)}) AS v(id, {', '.join(_FINDING_COLUMNS)}) "
                    f"WHERE findings.id = v.id", _flat(changed_findings))
        cur.execute(f"DELETE FROM finding_divisions WHERE finding_id IN ({_marks(len(changed_findings))})",
                    [row[0] for row in changed_findings])
    if new_findings:
        finding_ids.update(cur.execute(
            f"INSERT INTO findings (assessment_id, seq, {', '.join(_FINDING_COLUMNS)}) "
            f"VALUES {_rows_of(new_findings)} RETURNING seq, id", _flat(new_findings)).fetchall())

    links, new_measures, changed_measures = [], [], []
    kept_findings: set[int] = set()
    kept_measures: set[int] = set()
    measure_count = 0
    for f in report.findings:
        finding_id = finding_ids[f.seq]
        kept_findings.add(finding_id)
        seen = set()
        for i, name in enumerate(f.divisions, start=1):
            division_id = _division_id(cur, name, division_ids)
            if division_id not in seen:
                seen.add(division_id)
                links.append([finding_id, division_id, i])
        for seq, title in enumerate(f.measures, start=1):
            measure_id = measures_before.get((finding_id, seq))
            if measure_id is None:
                new_measures.append([finding_id, seq, title])
            else:
                changed_measures.append([measure_id, title])
                kept_measures.add(measure_id)
            measure_count += 1
    if links:
        cur.execute(f"INSERT INTO finding_divisions VALUES {_rows_of(links)}", _flat(links))
    if changed_measures:
        cur.execute(f"UPDATE measures SET title = v.title, removed_at = NULL "
                    f"FROM (VALUES {_rows_of(changed_measures)}) AS v(id, title) WHERE measures.id = v.id",
                    _flat(changed_measures))
    if new_measures:
        cur.execute(f"INSERT INTO measures (finding_id, seq, title) VALUES {_rows_of(new_measures)}",
                    _flat(new_measures))
    for table, gone in (("findings", set(existing.values()) - kept_findings),
                        ("measures", set(measures_before.values()) - kept_measures)):
        if gone:
            cur.execute(f"UPDATE {table} SET removed_at = coalesce(removed_at, ?) WHERE id IN ({_marks(len(gone))})",
                        [stamp, *sorted(gone)])
    return ImportResult(assessment_id, report.organization, report.assessed_year, report.plan_year,
                        len(report.findings), measure_count, replaced,
                        sum(len(f.warnings) for f in report.findings) + len(report.warnings))


# ---------------------------------------------------------------- measure status

def update_measure(con, measure_id: int, status: str, progress: int, note: str | None, editor: str,
                   at: datetime | None = None) -> None:
    """Set a measure's status and progress and append the change to its history."""
    if status not in framework.STATUSES:
        raise ValueError(f'สถานะ "{status}" ไม่ถูกต้อง: ใช้ {", ".join(framework.STATUSES)}')
    # an integer of any kind (a numpy/pandas one from a table too), but not True/False
    if not isinstance(progress, numbers.Integral) or isinstance(progress, bool) or not 0 <= progress <= 100:
        raise ValueError(f"ความคืบหน้า {progress!r} ต้องเป็นจำนวนเต็ม 0-100")
    progress = int(progress)
    editor = (editor or "").strip()
    if not editor:
        raise ValueError("ต้องระบุชื่อผู้บันทึก (editor)")
    if status == "done":
        progress = 100
    at = at or now()
    with _transaction(con) as cur:
        found = cur.execute("UPDATE measures SET status = ?, progress = ?, updated_at = ? WHERE id = ? RETURNING id",
                            [status, progress, at, measure_id]).fetchone()
        if not found:
            raise ValueError(f"ไม่พบมาตรการหมายเลข {measure_id}")
        cur.execute("INSERT INTO status_history (measure_id, status, progress, note, editor, changed_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", [measure_id, status, progress, (note or "").strip() or None,
                                                   editor, at])


# ---------------------------------------------------------------- reading

def _rows(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.cursor()
    result = cur.execute(sql, params or [])
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def organizations(con) -> list[dict]:
    return _rows(con, "SELECT id, name, district, province FROM organizations ORDER BY name")


def assessments(con, organization_id: int | None = None) -> list[dict]:
    """Assessments with their organization, newest plan year first."""
    return _rows(con, """
        SELECT a.id, a.organization_id, o.name AS organization, a.assessed_year, a.plan_year,
               a.source_file, a.imported_at, a.report_warnings, coalesce(n.findings, 0) AS findings
        FROM assessments a JOIN organizations o ON o.id = a.organization_id
        LEFT JOIN (SELECT assessment_id, count(*) AS findings FROM findings WHERE removed_at IS NULL
                   GROUP BY assessment_id) n ON n.assessment_id = a.id
        WHERE ? IS NULL OR a.organization_id = ?
        ORDER BY o.name, a.plan_year DESC""", [organization_id, organization_id])


def findings(con, assessment_id: int) -> list[dict]:
    """The current findings of an assessment with their divisions, in report order."""
    return _rows(con, """
        SELECT f.id, f.seq, f.indicator_no, i.name_th AS indicator, i.tool, f.indicator_text,
               f.question_code, f.question, f.score, f.analysis, f.rationale, f.period_text,
               f.period_start, f.period_end, f.steps, f.warnings,
               coalesce((SELECT list(d.name ORDER BY fd.seq) FROM finding_divisions fd
                         JOIN divisions d ON d.id = fd.division_id WHERE fd.finding_id = f.id), []) AS divisions
        FROM findings f JOIN indicators i ON i.no = f.indicator_no
        WHERE f.assessment_id = ? AND f.removed_at IS NULL
        ORDER BY f.seq""", [assessment_id])


def measures(con, assessment_id: int) -> list[dict]:
    """The current measures of an assessment with their finding's indicator, question, period and
    divisions, and the time of their last status change."""
    return _rows(con, """
        SELECT m.id, m.finding_id, f.seq AS finding_seq, m.seq, m.title, m.status, m.progress, m.updated_at,
               f.indicator_no, i.name_th AS indicator, f.question_code, f.question, f.score,
               f.period_start, f.period_end, f.steps,
               coalesce((SELECT list(d.name ORDER BY fd.seq) FROM finding_divisions fd
                         JOIN divisions d ON d.id = fd.division_id WHERE fd.finding_id = f.id), []) AS divisions
        FROM measures m JOIN findings f ON f.id = m.finding_id JOIN indicators i ON i.no = f.indicator_no
        WHERE f.assessment_id = ? AND f.removed_at IS NULL AND m.removed_at IS NULL
        ORDER BY f.seq, m.seq""", [assessment_id])


def history(con, assessment_id: int | None = None, measure_id: int | None = None) -> list[dict]:
    """Status changes, newest first, for one measure or every measure of an assessment."""
    return _rows(con, """
        SELECT h.id, h.measure_id, m.title, f.seq AS finding_seq, m.seq AS measure_seq, h.status,
               h.progress, h.note, h.editor, h.changed_at
        FROM status_history h JOIN measures m ON m.id = h.measure_id JOIN findings f ON f.id = m.finding_id
        WHERE (? IS NULL OR f.assessment_id = ?) AND (? IS NULL OR h.measure_id = ?)
        ORDER BY h.changed_at DESC, h.id DESC""", [assessment_id, assessment_id, measure_id, measure_id])


def indicators(con) -> list[dict]:
    return _rows(con, "SELECT no, name_th, name_en, tool FROM indicators ORDER BY no")


def division_list(con) -> list[str]:
    return [r["name"] for r in _rows(con, "SELECT name FROM divisions ORDER BY id")]


def last_change(con) -> str:
    """A stamp that changes whenever an import or a status update was saved."""
    row = con.cursor().execute(
        "SELECT greatest((SELECT max(imported_at) FROM assessments), (SELECT max(changed_at) FROM status_history)), "
        "(SELECT count(*) FROM status_history)").fetchone()
    return f"{row[0]}|{row[1]}"


def is_empty(con) -> bool:
    return con.cursor().execute("SELECT count(*) FROM assessments").fetchone()[0] == 0


# ---------------------------------------------------------------- dump

def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def dump(con) -> dict:
    """The whole database as plain data (the shape other tools read; keep its keys)."""
    history_rows = _rows(con, "SELECT measure_id, status, progress, note, editor, changed_at "
                              "FROM status_history ORDER BY changed_at, id")
    history_by_measure: dict[int, list] = {}
    for h in history_rows:
        history_by_measure.setdefault(h["measure_id"], []).append(
            {"status": h["status"], "progress": h["progress"], "note": h["note"], "editor": h["editor"],
             "at": _iso(h["changed_at"])})
    measure_rows = _rows(con, "SELECT id, finding_id, seq, title, status, progress, updated_at, removed_at "
                              "FROM measures ORDER BY finding_id, seq")
    measures_by_finding: dict[int, list] = {}
    for m in measure_rows:
        item = {"seq": m["seq"], "title": m["title"], "status": m["status"], "progress": m["progress"],
                "updated_at": _iso(m["updated_at"]), "history": history_by_measure.get(m["id"], [])}
        if m["removed_at"]:
            item["removed_at"] = _iso(m["removed_at"])
        measures_by_finding.setdefault(m["finding_id"], []).append(item)
    finding_rows = _rows(con, """
        SELECT f.*, i.name_th AS indicator,
               coalesce((SELECT list(d.name ORDER BY fd.seq) FROM finding_divisions fd
                         JOIN divisions d ON d.id = fd.division_id WHERE fd.finding_id = f.id), []) AS divisions
        FROM findings f JOIN indicators i ON i.no = f.indicator_no ORDER BY f.assessment_id, f.seq""")
    findings_by_assessment: dict[int, list] = {}
    for f in finding_rows:
        item = {"seq": f["seq"], "indicator_no": f["indicator_no"], "indicator": f["indicator"],
                "indicator_text": f["indicator_text"], "question_code": f["question_code"],
                "question": f["question"], "score": f["score"], "analysis": f["analysis"],
                "rationale": f["rationale"], "period_text": f["period_text"],
                "period_start": _iso(f["period_start"]), "period_end": _iso(f["period_end"]),
                "divisions": list(f["divisions"]), "measures": measures_by_finding.get(f["id"], []),
                "steps": list(f["steps"] or []), "warnings": list(f["warnings"] or [])}
        if f["removed_at"]:
            item["removed_at"] = _iso(f["removed_at"])
        findings_by_assessment.setdefault(f["assessment_id"], []).append(item)
    orgs = []
    for org in organizations(con):
        items = []
        for a in _rows(con, "SELECT * FROM assessments WHERE organization_id = ? ORDER BY assessed_year, plan_year",
                       [org["id"]]):
            items.append({"assessed_year": a["assessed_year"], "plan_year": a["plan_year"],
                          "source_file": a["source_file"], "imported_at": _iso(a["imported_at"]),
                          "warnings": list(a["report_warnings"] or []),
                          "findings": findings_by_assessment.get(a["id"], [])})
        orgs.append({"name": org["name"], "district": org["district"], "province": org["province"],
                     "assessments": items})
    return {"schema_version": schema_version(con), "organizations": orgs}


def warnings(con, assessment_id: int | None = None) -> list[dict]:
    """Every import warning (of the report as a whole, row "", and of each current finding), for
    one assessment or all, in one query."""
    return _rows(con, """
        SELECT o.name AS organization, a.plan_year, '' AS seq, unnest(a.report_warnings) AS warning,
               generate_subscripts(a.report_warnings, 1) AS k
        FROM assessments a JOIN organizations o ON o.id = a.organization_id
        WHERE ? IS NULL OR a.id = ?
        UNION ALL
        SELECT o.name, a.plan_year, CAST(f.seq AS VARCHAR), unnest(f.warnings), generate_subscripts(f.warnings, 1)
        FROM findings f JOIN assessments a ON a.id = f.assessment_id
        JOIN organizations o ON o.id = a.organization_id
        WHERE (? IS NULL OR a.id = ?) AND f.removed_at IS NULL
        ORDER BY 1, 2 DESC, try_cast(seq AS INTEGER) NULLS FIRST, k""",
                 [assessment_id, assessment_id, assessment_id, assessment_id])


def warning_counts(con) -> list[dict]:
    """Import warnings counted per organization and plan year."""
    return _rows(con, """
        SELECT o.name AS organization, a.plan_year,
               coalesce(len(a.report_warnings), 0)
               + coalesce((SELECT sum(len(f.warnings)) FROM findings f
                           WHERE f.assessment_id = a.id AND f.removed_at IS NULL), 0) AS warnings
        FROM assessments a JOIN organizations o ON o.id = a.organization_id
        ORDER BY warnings DESC, o.name, a.plan_year DESC""")
