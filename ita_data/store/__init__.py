"""DuckDB: where the database is, connections, schema and migrations, and every query.

Each query function takes a connection and works on its own `cursor()`, so one connection can
serve every Streamlit session thread. SQL takes bound parameters only. Nothing here deletes data:
a re-import marks findings and measures that left the report as removed and keeps their history.

What an import will change is worked out once, by `plan_import` (it only reads): the organization
the report goes to, and per row and measure what is kept, new, removed or renamed. `save_reports`
writes exactly that plan, so what the Data page and the CLI show is what is written."""
from __future__ import annotations

import numbers
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb

from .. import divisions as division_names
from .. import framework
from ..importers.fields import text_key
from ..importers.records import WRITTEN_FORMS, Finding, Report, ReportError

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DB = ROOT / "data" / "ita.duckdb"
SEED_REPORT = ROOT / "data" / "muaklek-ita-report-2569.txt"
SCHEMA_VERSION = 4


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
        raise StoreError(f"{path}: ไม่พบฐานข้อมูล")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size == 0:
            path.unlink()  # an empty file holds nothing: start a database in its place
    elif not path.exists():
        raise StoreError(f"{path}: ไม่พบฐานข้อมูล")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as e:
        text = str(e)
        if "lock" in text.lower():
            raise StoreError(f"{path}: ฐานข้อมูลถูกใช้งานอยู่โดยโปรแกรมอื่น (เช่น แดชบอร์ดที่เปิดอยู่): "
                             f"นำเข้าผ่านหน้า ข้อมูล ของแดชบอร์ด หรือปิดแดชบอร์ดก่อน") from None
        if "permission denied" in text.lower():
            raise StoreError(f"{path}: ไม่มีสิทธิ์เปิดไฟล์ฐานข้อมูล") from None
        raise StoreError(f"{path}: ไม่ใช่ไฟล์ฐานข้อมูล DuckDB ที่ใช้ได้") from None
    if not read_only:
        migrate(con)
    elif schema_version(con) != SCHEMA_VERSION:  # read-only cannot migrate: say so, not a query error
        version = schema_version(con)
        con.close()
        raise StoreError(f"{path}: ฐานข้อมูลรุ่น {version} ไม่ใช่รุ่น {SCHEMA_VERSION}: นำเข้ารายงานหรือเปิดแดชบอร์ด"
                         f"หนึ่งครั้งเพื่อปรับรุ่นก่อน")
    return con


def connect_for_planning(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """A connection that cannot write, for showing what an import would change: the database
    read-only, or, when there is no database yet, an empty one in memory (nothing is created)."""
    path = db_path(path)
    if not path.exists() or path.stat().st_size == 0:
        con = duckdb.connect()
        migrate(con)
        return con
    return connect(path, read_only=True)  # refuses a database of another schema version


def schema_version(con) -> int:
    cur = con.cursor()
    exists = cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
                         ).fetchone()[0]
    if not exists:
        return 0
    return cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to `target` (SCHEMA_VERSION), one version per transaction: all of a
    version or, on any error, none of it. Data are never dropped: a version that rebuilds tables
    copies every row and keeps every id."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise StoreError(f"ฐานข้อมูลนี้สร้างโดยโปรแกรมรุ่นใหม่กว่า (ฐานข้อมูลรุ่น {current}; โปรแกรมนี้รู้จักถึงรุ่น "
                         f"{SCHEMA_VERSION}): ใช้โปรแกรมรุ่นล่าสุด")
    for version, step in MIGRATIONS:
        if version <= current or version > target:
            continue
        try:
            with _transaction(con, bump=False) as cur:
                step(cur)
                cur.execute("INSERT INTO schema_version VALUES (?, ?)", [version, now()])
        except duckdb.ConstraintException:
            raise StoreError(f"ปรับฐานข้อมูลเป็นรุ่น {version} ไม่ได้: ข้อมูลเดิมไม่ครบถ้วน (มีแถวที่อ้างถึงข้อมูลที่ไม่มีอยู่ "
                             f"หรือขาดค่าที่รุ่น {version} ต้องมี); ฐานข้อมูลยังเป็นรุ่น {current} ตามเดิม") from None
    return min(target, SCHEMA_VERSION)


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




# Schema 2. DuckDB (2.0.1) cannot add a foreign key to an existing table, so version 2 rebuilds
# the tables: the v1 tables are renamed, the new ones created under the old names with their keys,
# every row copied with its id, and the v1 tables dropped, in one transaction.
#
# DuckDB checks a foreign key by the referenced row's index, and rewrites a row as delete + insert
# when an UPDATE touches an indexed column (a key, UNIQUE or foreign-key column) or a LIST column;
# such an update of a row that another table references fails ("still referenced by a foreign
# key"), and so does any UPDATE ... RETURNING of such a row. Updating other columns of a referenced
# row, without RETURNING, works. So in tables that others reference:
#   - LIST columns live elsewhere: a finding's steps and warnings in `finding_lists` (1:1, nothing
#     references it), a report's own warnings on each `imports` row;
#   - nothing that changes is indexed: organizations carry no UNIQUE on their identity (name,
#     province, district: a missing district matches any, which no UNIQUE can say; plan_import
#     decides, under the write lock), measures no UNIQUE (finding_id, seq) (seq is the position in
#     the latest report and moves), and findings.indicator_no is not a foreign key (a re-import may
#     correct it) but CHECKed against the framework's indicator numbers.
_V1_TABLES = ("organizations", "assessments", "indicators", "question_ranges", "findings", "measures",
              "divisions", "division_aliases", "finding_divisions", "status_history")

_V2_TABLES = f"""
CREATE SEQUENCE import_ids;
CREATE TABLE organizations (
    id INTEGER PRIMARY KEY DEFAULT nextval('organization_ids'),
    name VARCHAR NOT NULL, district VARCHAR, province VARCHAR, agency_code VARCHAR);
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY DEFAULT nextval('assessment_ids'),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    assessed_year INTEGER NOT NULL, plan_year INTEGER NOT NULL, created_at TIMESTAMP NOT NULL,
    UNIQUE (organization_id, assessed_year, plan_year));
CREATE TABLE imports (
    id INTEGER PRIMARY KEY DEFAULT nextval('import_ids'),
    assessment_id INTEGER NOT NULL REFERENCES assessments (id),
    source_file VARCHAR, imported_by VARCHAR, imported_at TIMESTAMP NOT NULL,
    findings_kept INTEGER, findings_new INTEGER, findings_removed INTEGER,
    measures_kept INTEGER, measures_new INTEGER, measures_removed INTEGER, measures_renamed INTEGER,
    measures_revived INTEGER, warnings INTEGER,
    report_warnings VARCHAR[] NOT NULL, match_warnings VARCHAR[] NOT NULL);
CREATE TABLE indicators (
    no INTEGER PRIMARY KEY, name_th VARCHAR NOT NULL, name_en VARCHAR NOT NULL, tool VARCHAR NOT NULL);
CREATE TABLE question_ranges (
    first_year INTEGER NOT NULL, last_year INTEGER NOT NULL, letter VARCHAR NOT NULL,
    low INTEGER NOT NULL, high INTEGER NOT NULL, indicator_no INTEGER NOT NULL REFERENCES indicators (no));
CREATE TABLE findings (
    id INTEGER PRIMARY KEY DEFAULT nextval('finding_ids'),
    assessment_id INTEGER NOT NULL REFERENCES assessments (id), seq INTEGER NOT NULL,
    indicator_no INTEGER NOT NULL CHECK (indicator_no BETWEEN {min(framework.INDICATOR_BY_NO)}
                                                        AND {max(framework.INDICATOR_BY_NO)}),
    indicator_text VARCHAR, question_code VARCHAR, question VARCHAR, score DOUBLE,
    analysis VARCHAR, rationale VARCHAR, period_text VARCHAR, period_start DATE, period_end DATE,
    removed_at TIMESTAMP,
    UNIQUE (assessment_id, seq));
CREATE TABLE finding_lists (
    finding_id INTEGER PRIMARY KEY REFERENCES findings (id), steps VARCHAR[] NOT NULL,
    warnings VARCHAR[] NOT NULL);
CREATE TABLE measures (
    id INTEGER PRIMARY KEY DEFAULT nextval('measure_ids'),
    finding_id INTEGER NOT NULL REFERENCES findings (id), seq INTEGER NOT NULL, title VARCHAR NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started', 'in_progress', 'done', 'cancelled')),
    progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    updated_at TIMESTAMP, removed_at TIMESTAMP);
CREATE TABLE divisions (
    id INTEGER PRIMARY KEY DEFAULT nextval('division_ids'), name VARCHAR NOT NULL UNIQUE);
CREATE TABLE division_aliases (
    alias VARCHAR PRIMARY KEY, division_id INTEGER NOT NULL REFERENCES divisions (id));
CREATE TABLE finding_divisions (
    finding_id INTEGER NOT NULL REFERENCES findings (id),
    division_id INTEGER NOT NULL REFERENCES divisions (id), seq INTEGER NOT NULL,
    PRIMARY KEY (finding_id, division_id));
CREATE TABLE status_history (
    id INTEGER PRIMARY KEY DEFAULT nextval('history_ids'),
    measure_id INTEGER NOT NULL REFERENCES measures (id), status VARCHAR NOT NULL, progress INTEGER NOT NULL,
    note VARCHAR, editor VARCHAR NOT NULL, changed_at TIMESTAMP NOT NULL);
CREATE TABLE data_version (version BIGINT NOT NULL, database_id UUID NOT NULL)
"""

_V2_COPY = """
INSERT INTO indicators SELECT no, name_th, name_en, tool FROM indicators_v1;
INSERT INTO question_ranges SELECT first_year, last_year, letter, low, high, indicator_no FROM question_ranges_v1;
INSERT INTO divisions SELECT id, name FROM divisions_v1;
INSERT INTO division_aliases SELECT alias, division_id FROM division_aliases_v1;
INSERT INTO organizations (id, name, district, province) SELECT id, name, district, province FROM organizations_v1;
INSERT INTO assessments SELECT id, organization_id, assessed_year, plan_year, imported_at FROM assessments_v1;
INSERT INTO imports (assessment_id, source_file, imported_at, report_warnings, match_warnings)
    SELECT id, source_file, imported_at, coalesce(report_warnings, []), [] FROM assessments_v1
    ORDER BY imported_at, id;
INSERT INTO findings SELECT id, assessment_id, seq, indicator_no, indicator_text, question_code, question, score,
    analysis, rationale, period_text, period_start, period_end, removed_at FROM findings_v1;
INSERT INTO finding_lists SELECT id, coalesce(steps, []), coalesce(warnings, []) FROM findings_v1;
INSERT INTO measures SELECT id, finding_id, seq, title, status, progress, updated_at, removed_at FROM measures_v1;
INSERT INTO finding_divisions SELECT finding_id, division_id, seq FROM finding_divisions_v1;
INSERT INTO status_history SELECT id, measure_id, status, progress, note, editor, changed_at FROM status_history_v1;
INSERT INTO data_version VALUES (1, gen_random_uuid())
"""


def _v2(cur) -> None:
    for table in _V1_TABLES:  # names from the constant above, never from input
        cur.execute(f"ALTER TABLE {table} RENAME TO {table}_v1")
    for script in (_V2_TABLES, _V2_COPY):
        for statement in script.split(";"):
            if statement.strip():
                cur.execute(statement)
    for table in _V1_TABLES:
        cur.execute(f"DROP TABLE {table}_v1")


# Schema 3: the agency's whole year and its people.
#   - measure_divisions: each responsible division's own status and percent of a measure (one
#     measure given to five divisions is reported by each); the measure's own status and progress
#     are derived from them (framework.combined_status) and kept on `measures` for readers.
#     status_history says which division reported (division_id; NULL: the measure as a whole, as
#     before v3) and what the measure's derived status became (measure_status, measure_progress).
#   - score_imports + scores: a whole year's official ITA scores per organization, per question,
#     per indicator (question_code '') and overall (indicator_no 0); a re-import is a new
#     score_imports row, and the current scores of an (organization, year) are its latest import's:
#     nothing is overwritten, the record of the change is the imports themselves.
#   - measure_carries: a measure of a new plan carried over from a measure not done in the plan before.
#   - users (argon2 hashes only), user_divisions (an editor's divisions), audit_log (every write: who, when).
#   - findings keep how the report wrote what they hold as values (importers.records.WRITTEN_FORMS):
#     the indicator cell with its row number and score, the question code, the mark of the measures'
#     and the steps' items; the report written back (exports/report.py) gives them as they were.
# Nothing here references a table whose rows are updated through an indexed or LIST column.
_V3 = f"""
CREATE TABLE measure_divisions (
    measure_id INTEGER NOT NULL REFERENCES measures (id),
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    status VARCHAR NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started', 'in_progress', 'done', 'cancelled')),
    progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    updated_at TIMESTAMP,
    PRIMARY KEY (measure_id, division_id));
ALTER TABLE findings ADD COLUMN indicator_cell VARCHAR;
ALTER TABLE findings ADD COLUMN question_code_text VARCHAR;
ALTER TABLE findings ADD COLUMN measures_mark VARCHAR;
ALTER TABLE findings ADD COLUMN steps_mark VARCHAR;
ALTER TABLE status_history ADD COLUMN division_id INTEGER;
ALTER TABLE status_history ADD COLUMN measure_status VARCHAR;
ALTER TABLE status_history ADD COLUMN measure_progress INTEGER;
UPDATE status_history SET measure_status = status, measure_progress = progress;
UPDATE measures SET status = 'in_progress' WHERE status = 'not_started' AND progress > 0;
UPDATE measures SET status = 'done' WHERE status = 'in_progress' AND progress = 100;
UPDATE measures SET progress = 100 WHERE status = 'done';
INSERT INTO measure_divisions
    SELECT m.id, fd.division_id, m.status, m.progress, m.updated_at
    FROM measures m JOIN finding_divisions fd ON fd.finding_id = m.finding_id
    WHERE m.status <> 'not_started' OR m.updated_at IS NOT NULL;
CREATE SEQUENCE score_import_ids;
CREATE TABLE score_imports (
    id INTEGER PRIMARY KEY DEFAULT nextval('score_import_ids'),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    assessed_year INTEGER NOT NULL, source_file VARCHAR, imported_by VARCHAR, imported_at TIMESTAMP NOT NULL,
    warnings VARCHAR[] NOT NULL);
CREATE TABLE scores (
    score_import_id INTEGER NOT NULL REFERENCES score_imports (id),
    indicator_no INTEGER NOT NULL CHECK (indicator_no BETWEEN 0 AND {max(framework.INDICATOR_BY_NO)}),
    question_code VARCHAR NOT NULL,
    score DOUBLE NOT NULL CHECK (score BETWEEN 0 AND 100),
    PRIMARY KEY (score_import_id, indicator_no, question_code));
CREATE TABLE measure_carries (
    measure_id INTEGER PRIMARY KEY REFERENCES measures (id),
    from_measure_id INTEGER NOT NULL REFERENCES measures (id));
CREATE SEQUENCE user_ids;
CREATE TABLE users (
    id INTEGER PRIMARY KEY DEFAULT nextval('user_ids'),
    name VARCHAR NOT NULL UNIQUE, display_name VARCHAR,
    role VARCHAR NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    password_hash VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, disabled_at TIMESTAMP,
    failed_logins INTEGER NOT NULL DEFAULT 0, locked_until TIMESTAMP);
CREATE TABLE user_divisions (
    user_id INTEGER NOT NULL REFERENCES users (id),
    division_id INTEGER NOT NULL REFERENCES divisions (id),
    PRIMARY KEY (user_id, division_id));
CREATE SEQUENCE audit_ids;
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY DEFAULT nextval('audit_ids'),
    done_at TIMESTAMP NOT NULL, user_name VARCHAR NOT NULL, action VARCHAR NOT NULL,
    organization_id INTEGER, assessment_id INTEGER, target VARCHAR, detail VARCHAR)
"""


def _v3(cur) -> None:
    for statement in _V3.split(";"):
        if statement.strip():
            cur.execute(statement)


# Schema 4: an editor bound to organizations. `divisions` is one table for every organization (the
# กองคลัง of one agency is the row of every agency's กองคลัง), so divisions alone cannot keep an
# editor of one agency off another agency's measures: user_organizations says which organizations an
# editor reports for (users.require). A new table, not a column: users and organizations are
# referenced by other tables, which DuckDB 2.0.1 cannot ALTER to add a key. Existing editors get no
# binding: an editor bound to none reports while the database holds one organization, so a one-agency
# install keeps working as it did; with several, an admin sets each editor's organization.
_V4 = """
CREATE TABLE user_organizations (
    user_id INTEGER NOT NULL REFERENCES users (id),
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (user_id, organization_id))
"""


def _v4(cur) -> None:
    cur.execute(_V4)


MIGRATIONS = [(1, _v1), (2, _v2), (3, _v3), (4, _v4)]


# ---------------------------------------------------------------- writes

# Writers in one process take turns: two sessions saving the same measure at the same moment would
# otherwise make DuckDB refuse one of them ("Conflict on tuple deletion").
_WRITE_LOCK = threading.Lock()


@contextmanager
def _transaction(con, *, bump: bool = True):
    """A cursor in a write transaction: committed at the end, rolled back on any error. Every write
    moves the data version (see last_change) in the same transaction: a write rolled back leaves it
    where it was."""
    with _WRITE_LOCK:
        cur = con.cursor()
        cur.begin()
        try:
            yield cur
            if bump:
                cur.execute("UPDATE data_version SET version = version + 1")
            cur.commit()
        except BaseException:
            cur.rollback()
            raise


# ---------------------------------------------------------------- import plan

KEPT, NEW, REMOVED, RENAMED, REVIVED = "kept", "new", "removed", "renamed", "revived"
CHANGES = (KEPT, NEW, REMOVED, RENAMED, REVIVED)
CHANGE_TH = {KEPT: "คงเดิม", NEW: "ใหม่", REMOVED: "นำออก", RENAMED: "เปลี่ยนข้อความ", REVIVED: "กลับมา"}


@dataclass
class MeasurePlan:
    """What a re-import does to one measure. `title` is the text the report gives (a removed
    measure's stored text); `old_title` and `old_seq` are what was stored."""
    change: str  # one of CHANGES
    finding_seq: int
    seq: int | None  # the position in the report; None when removed
    title: str
    measure_id: int | None = None  # the stored measure; None when new
    old_title: str | None = None
    old_seq: int | None = None


@dataclass
class FindingPlan:
    seq: int
    change: str  # KEPT, NEW, REMOVED or REVIVED
    finding_id: int | None = None  # None when new
    finding: Finding | None = None  # None when removed


@dataclass
class ImportPlan:
    """What importing `report` will do, worked out without writing (plan_import)."""
    report: Report
    organization: str  # the organization's name as stored (or as the report gives it, when new)
    organization_id: int | None  # None: a new organization
    organization_note: str  # which organization and why, one line in Thai
    organization_fill: dict[str, str]  # district/province/agency_code the stored organization lacks
    same_organization_as: int | None  # a new organization an earlier report of the batch creates
    assessment_id: int | None  # None: a new assessment
    findings: list[FindingPlan]
    measures: list[MeasurePlan]
    warnings: list[str] = field(default_factory=list)  # about matching: renamed by position

    @property
    def replaced(self) -> bool:
        return self.assessment_id is not None

    def counts(self, what: str = "measures") -> dict[str, int]:
        items = self.measures if what == "measures" else self.findings
        return {change: sum(1 for x in items if x.change == change) for change in CHANGES}

    def summary(self) -> str:
        """'มาตรการ: คงเดิม 21, ใหม่ 1, นำออก 1, เปลี่ยนข้อความ 0, กลับมา 0'"""
        counts = self.counts()
        return "มาตรการ: " + ", ".join(f"{CHANGE_TH[c]} {counts[c]}" for c in CHANGES)


def plan_import(con, reports: list[Report]) -> list[ImportPlan]:
    """What saving `reports` (in this order, as one batch) would change; reads only."""
    return _plan(con.cursor(), reports)


def _plan(cur, reports: list[Report]) -> list[ImportPlan]:
    orgs = _dicts(cur, "SELECT id, name, district, province, agency_code FROM organizations ORDER BY id")
    plans: list[ImportPlan] = []
    seen: dict[tuple, str] = {}  # (organization, assessed year, plan year) -> the file that has it
    for index, report in enumerate(reports):
        org, note = _choose_organization(orgs, report)
        if org is None:
            org = {"id": None, "name": report.organization, "district": report.district,
                   "province": report.province, "agency_code": report.agency_code, "batch": index}
            orgs.append(org)
            fill, same_as = {}, None
        else:
            fill = {key: getattr(report, key) for key in ("district", "province", "agency_code")
                    if getattr(report, key) and not org[key]}
            org.update(fill)  # the batch's later reports see the organization as it will be
            same_as = org.get("batch")
            if same_as is not None:
                note = f"หน่วยงานใหม่เดียวกับไฟล์ {reports[same_as].source_file}: {note}"
        key = (id(org), report.assessed_year, report.plan_year)
        if key in seen:
            raise ReportError(report.source_file, f"เป็นรายงานของหน่วยงานและปีเดียวกับไฟล์ {seen[key]}: "
                                                  f"นำเข้าทีละไฟล์")
        seen[key] = report.source_file
        assessment_id = None
        if org["id"] is not None:
            row = cur.execute("SELECT id FROM assessments WHERE organization_id = ? AND assessed_year = ? "
                              "AND plan_year = ?", [org["id"], report.assessed_year, report.plan_year]).fetchone()
            assessment_id = row[0] if row else None
        plan = ImportPlan(report, org["name"], org["id"], note, fill, same_as, assessment_id, [], [])
        _plan_rows(cur, plan)
        plans.append(plan)
    return plans


def _place(org: dict) -> str:
    parts = [f"อำเภอ{org['district']}" if org["district"] else "",
             f"จังหวัด{org['province']}" if org["province"] else "ไม่ระบุจังหวัด"]
    return " ".join(p for p in parts if p)


def _choose_organization(orgs: list[dict], report: Report) -> tuple[dict | None, str]:
    """The stored organization a report belongs to, and why; None for a new one.
    The same agency code is the same organization. Otherwise the same name in the same province,
    with districts that agree (equal, or one of them not given); the same name in another province
    is another organization. A report without a province goes to the one organization of its name;
    when there are several it is refused."""
    name, province, district, code = report.organization, report.province, report.district, report.agency_code
    if code:
        coded = next((o for o in orgs if o["agency_code"] == code), None)
        if coded:
            return coded, f"รหัสหน่วยงาน {code} ตรงกับ {coded['name']} {_place(coded)} ที่มีอยู่"
    named = [o for o in orgs if o["name"] == name and not (code and o["agency_code"])]

    def districts_agree(o: dict) -> bool:
        return not district or not o["district"] or o["district"] == district

    def one_of(found: list[dict]) -> dict | None:
        if len(found) > 1:  # a district given in the report tells them apart
            found = [o for o in found if o["district"] == district] or found
        if len(found) > 1:
            raise ReportError(report.source_file,
                              f'มีหน่วยงานชื่อ "{name}" หลายแห่ง ({", ".join(_place(o) for o in found)}): '
                              f"ระบุจังหวัดและอำเภอในรายงาน")
        return found[0] if found else None

    if province:
        same = one_of([o for o in named if o["province"] == province and districts_agree(o)])
        if same:
            return same, f"ชื่อและจังหวัดตรงกับหน่วยงานที่มีอยู่ ({_place(same)})"
        unplaced = one_of([o for o in named if not o["province"] and districts_agree(o)])
        if unplaced:
            return unplaced, f"ชื่อตรงกับหน่วยงานที่มีอยู่ซึ่งยังไม่ระบุจังหวัด: บันทึกจังหวัด{province}"
        others = [o for o in named if o["province"] and o["province"] != province]
        elsewhere = f" (หน่วยงานชื่อเดียวกันใน{', '.join(_place(o) for o in others)} เป็นคนละแห่ง)" if others else ""
        return None, f"หน่วยงานใหม่{elsewhere}"
    same = one_of([o for o in named if districts_agree(o)])
    if same:
        return same, f"รายงานไม่ระบุจังหวัด: ใช้หน่วยงานชื่อเดียวกันที่มีอยู่แห่งเดียว ({_place(same)})"
    return None, "หน่วยงานใหม่ (รายงานไม่ระบุจังหวัด)"


def _plan_rows(cur, plan: ImportPlan) -> None:
    """Rows by their number; measures of a row by their text, then by position (see _match_measures)."""
    stored_findings: dict[int, dict] = {}
    stored_measures: dict[int, list[dict]] = {}
    if plan.assessment_id is not None:
        for f in _dicts(cur, "SELECT id, seq, removed_at FROM findings WHERE assessment_id = ?", [plan.assessment_id]):
            stored_findings[f["seq"]] = f
        for m in _dicts(cur, "SELECT m.id, m.finding_id, m.seq, m.title, m.removed_at FROM measures m "
                            "JOIN findings f ON f.id = m.finding_id WHERE f.assessment_id = ? ORDER BY m.seq, m.id",
                       [plan.assessment_id]):
            stored_measures.setdefault(m["finding_id"], []).append(m)
    for f in plan.report.findings:
        stored = stored_findings.pop(f.seq, None)
        if stored is None:
            plan.findings.append(FindingPlan(f.seq, NEW, None, f))
            plan.measures += [MeasurePlan(NEW, f.seq, i, title) for i, title in enumerate(f.measures, start=1)]
            continue
        plan.findings.append(FindingPlan(f.seq, REVIVED if stored["removed_at"] else KEPT, stored["id"], f))
        plan.measures += _match_measures(f.seq, stored_measures.get(stored["id"], []), f.measures, plan.warnings)
    for seq, stored in sorted(stored_findings.items()):  # rows that left the report
        if stored["removed_at"] is None:
            plan.findings.append(FindingPlan(seq, REMOVED, stored["id"]))
            plan.measures += [MeasurePlan(REMOVED, seq, None, m["title"], m["id"], m["title"], m["seq"])
                              for m in stored_measures.get(stored["id"], []) if m["removed_at"] is None]
    plan.findings.sort(key=lambda x: x.seq)
    plan.measures.sort(key=lambda x: (x.finding_seq, x.seq is None, x.seq or x.old_seq or 0))


def _match_measures(finding_seq: int, stored: list[dict], titles: list[str], warnings: list[str]) -> list[MeasurePlan]:
    """The measures of one row: the report's `titles` against the stored ones.

    1. The same text (fields.text_key: numbering, spacing, digits and case aside) is the same measure,
       wherever it now stands: kept, or revived when it had been removed. A text never takes over
       another text's measure this way.
    2. Then by position, only when the row has as many unmatched stored measures as unmatched new
       texts (one measure reworded, say): the i-th unmatched stored measure is renamed to the i-th
       unmatched text, with a warning naming both; its status and history stay with it.
    3. Anything else unmatched is new, or removed (marked, never deleted)."""
    plans: list[MeasurePlan | None] = [None] * len(titles)
    by_text: dict[str, list[dict]] = {}
    for m in sorted(stored, key=lambda m: (m["removed_at"] is not None, m["seq"], m["id"])):
        by_text.setdefault(text_key(m["title"]), []).append(m)
    used: set[int] = set()
    for i, title in enumerate(titles):
        same = by_text.get(text_key(title))
        if same:
            m = same.pop(0)
            used.add(m["id"])
            plans[i] = MeasurePlan(REVIVED if m["removed_at"] else KEPT, finding_seq, i + 1, title, m["id"],
                                   m["title"], m["seq"])
    left = [m for m in stored if m["id"] not in used and m["removed_at"] is None]
    open_places = [i for i, p in enumerate(plans) if p is None]
    if left and len(left) == len(open_places):
        for m, i in zip(left, open_places):
            plans[i] = MeasurePlan(RENAMED, finding_seq, i + 1, titles[i], m["id"], m["title"], m["seq"])
            warnings.append(f'มาตรการที่ {i + 1} ของแถว {finding_seq}: "{m["title"]}" เปลี่ยนเป็น "{titles[i]}" '
                            f"(จับคู่ตามลำดับ: สถานะและประวัติอยู่กับมาตรการเดิม)")
        left = []
    for i in open_places:
        if plans[i] is None:
            plans[i] = MeasurePlan(NEW, finding_seq, i + 1, titles[i])
    return plans + [MeasurePlan(REMOVED, finding_seq, None, m["title"], m["id"], m["title"], m["seq"]) for m in left]


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
    import_id: int | None = None
    plan: ImportPlan | None = None  # what was written


def save_reports(con, reports: list[Report], *, imported_by: "users.User | str | None" = None) -> list[ImportResult]:
    """Write reports in one transaction: all of them or, on any error, none. What is written is
    plan_import's plan, worked out again inside the transaction; each report gets an `imports` row
    (file, who, when, counts) and an audit row. `imported_by`: who imports, a users.User (checked:
    only an admin may, users.require) or the name of a local process (the command line's OS user);
    None: the system itself (the first start's seed)."""
    with _transaction(con) as cur:
        return write_reports(cur, reports, imported_by)


def write_reports(cur, reports: list[Report], imported_by: "users.User | str | None",
                  stamp: datetime | None = None) -> list[ImportResult]:
    """save_reports' write, on a cursor inside a write transaction (store._transaction): the check
    of who imports, the reports and their audit rows."""
    who = users.require(cur, users.actor(imported_by), users.IMPORT)
    plans = _plan(cur, reports)
    division_ids = _division_ids(cur)
    new_organizations: dict[int, int] = {}  # batch index of the plan that creates it -> id
    stamp = stamp or now()
    results = [_save_report(cur, plan, division_ids, new_organizations, index, stamp,
                            None if imported_by is None else who.name)
               for index, plan in enumerate(plans)]
    for result in results:
        organization_id = cur.execute("SELECT organization_id FROM assessments WHERE id = ?",
                                      [result.assessment_id]).fetchone()[0]
        audit.record(cur, who, audit.IMPORT, organization_id=organization_id, assessment_id=result.assessment_id,
                     target=result.plan.report.source_file,
                     detail=f"{'แทนที่' if result.replaced else 'นำเข้า'} ปีงบประมาณ {result.plan_year}: "
                            f"{result.findings} ประเด็น {result.measures} มาตรการ; {result.plan.summary()}",
                     at=stamp)
    return results


def start_plan(con, report: Report, carried: dict[tuple[int, int], int], *,
               started_by: "users.User | str | None" = None) -> ImportResult:
    """Save a plan drafted in the app (plans.build_report) as a new assessment, in one transaction,
    with each carried measure ((finding seq, position) -> the measure it came from) linked in
    measure_carries. Refused (ReportError, nothing written) when the organization already has a plan
    for that fiscal year, or when a measure to carry is not an open measure of its plan of the year
    before. The plan before is not changed. `started_by`: an admin (users.require), a local
    process's name, or None (the system); written to the import and the audit log."""
    who = users.actor(started_by)
    with _transaction(con) as cur:
        who = users.require(cur, who, users.CARRY)
        [plan] = _plan(cur, [report])
        if plan.organization_id is None:
            raise ReportError(report.source_file, f"ไม่พบหน่วยงาน {report.organization} ในฐานข้อมูล")
        existing = cur.execute("SELECT assessed_year FROM assessments WHERE organization_id = ? AND plan_year = ?",
                               [plan.organization_id, report.plan_year]).fetchone()
        if existing:
            raise ReportError(report.source_file, f"{plan.organization} มีแผนปีงบประมาณ {report.plan_year} อยู่แล้ว "
                                                  f"(จากผลการประเมินปี {existing[0]}): เปิดแผนนั้นแทน")
        open_before = {row[0] for row in cur.execute(
            "SELECT m.id FROM measures m JOIN findings f ON f.id = m.finding_id JOIN assessments a ON a.id = "
            "f.assessment_id WHERE a.organization_id = ? AND a.plan_year = ? AND m.removed_at IS NULL AND "
            "f.removed_at IS NULL AND m.status IN ('not_started', 'in_progress')",
            [plan.organization_id, report.plan_year - 1]).fetchall()}
        strangers = sorted(set(carried.values()) - open_before)
        if strangers:
            raise ReportError(report.source_file, f"มาตรการหมายเลข {', '.join(map(str, strangers))} ไม่ใช่มาตรการที่ยังไม่เสร็จ"
                                                  f"ของแผนปีงบประมาณ {report.plan_year - 1}: ยกมาไม่ได้")
        result = _save_report(cur, plan, _division_ids(cur), {}, 0, now(), None if started_by is None else who.name)
        new_ids = {(finding_seq, seq): measure_id for finding_seq, seq, measure_id in cur.execute(
            "SELECT f.seq, m.seq, m.id FROM measures m JOIN findings f ON f.id = m.finding_id "
            "WHERE f.assessment_id = ?", [result.assessment_id]).fetchall()}
        links = [[new_ids[place], old] for place, old in carried.items()]
        if links:
            cur.executemany("INSERT INTO measure_carries (measure_id, from_measure_id) VALUES (?, ?)", links)
        audit.record(cur, who, audit.CARRY, organization_id=plan.organization_id, assessment_id=result.assessment_id,
                     target=f"แผนปีงบประมาณ {report.plan_year}",
                     detail=f"{result.findings} ประเด็น {result.measures} มาตรการ ยกมาจากปีก่อน {len(links)} มาตรการ")
        return result


def carried_from(con, assessment_id: int) -> dict[int, dict]:
    """The measures of a plan carried over from the plan before: measure id -> the old measure
    (id, its reference "row.position", title, status, progress, plan year)."""
    rows = _rows(con, """
        SELECT c.measure_id, o.id, f.seq || '.' || o.seq AS ref, o.title, o.status, o.progress, a.plan_year
        FROM measure_carries c JOIN measures m ON m.id = c.measure_id JOIN findings nf ON nf.id = m.finding_id
        JOIN measures o ON o.id = c.from_measure_id JOIN findings f ON f.id = o.finding_id
        JOIN assessments a ON a.id = f.assessment_id
        WHERE nf.assessment_id = ?""", [assessment_id])
    return {r["measure_id"]: {k: r[k] for k in ("id", "ref", "title", "status", "progress", "plan_year")}
            for r in rows}


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
                    "rationale", "period_text", "period_start", "period_end", "indicator_cell",
                    "question_code_text", "measures_mark", "steps_mark")  # steps, warnings: finding_lists


def _marks(n: int) -> str:
    return ", ".join(["?"] * n)


def _rows_of(rows: list[list]) -> str:
    """"(?, ?), (?, ?)" for a multi-row VALUES of `rows`."""
    return ", ".join([f"({_marks(len(rows[0]))})"] * len(rows))


def _flat(rows: list[list]) -> list:
    return [value for row in rows for value in row]



def _save_report(cur, plan: ImportPlan, division_ids: dict[str, int], new_organizations: dict[int, int],
                 index: int, stamp: datetime, imported_by: str | None) -> ImportResult:
    report = plan.report
    if plan.organization_id is not None:
        org_id = plan.organization_id
    elif plan.same_organization_as is not None:  # created by an earlier report of this batch
        org_id = new_organizations[plan.same_organization_as]
    else:
        org_id = new_organizations[index] = cur.execute(
            "INSERT INTO organizations (name, district, province, agency_code) VALUES (?, ?, ?, ?) RETURNING id",
            [report.organization, report.district, report.province, report.agency_code]).fetchone()[0]
    if plan.organization_fill:  # only what the organization lacks: a report never moves it
        fill = plan.organization_fill
        cur.execute("UPDATE organizations SET district = coalesce(district, ?), province = coalesce(province, ?), "
                    "agency_code = coalesce(agency_code, ?) WHERE id = ?",
                    [fill.get("district"), fill.get("province"), fill.get("agency_code"), org_id])
    assessment_id = plan.assessment_id
    if assessment_id is None:
        assessment_id = cur.execute(
            "INSERT INTO assessments (organization_id, assessed_year, plan_year, created_at) VALUES (?, ?, ?, ?) "
            "RETURNING id", [org_id, report.assessed_year, report.plan_year, stamp]).fetchone()[0]

    # A statement costs about as much as a row, so every table gets one statement per report.
    new_findings, changed_findings = [], []
    finding_ids: dict[int, int] = {}
    for fp in plan.findings:
        if fp.change == REMOVED:
            continue
        f = fp.finding
        values = [getattr(f, column) for column in _FINDING_COLUMNS]
        if fp.change == NEW:
            new_findings.append([assessment_id, f.seq, *values])
        else:
            changed_findings.append([fp.finding_id, *values])
            finding_ids[f.seq] = fp.finding_id
    if changed_findings:
        columns = ", ".join(f"{c} = v.{c}" for c in _FINDING_COLUMNS)
        cur.execute(f"UPDATE findings SET {columns}, removed_at = NULL "
                    f"FROM (VALUES {_rows_of(changed_findings)}) AS v(id, {', '.join(_FINDING_COLUMNS)}) "
                    f"WHERE findings.id = v.id", _flat(changed_findings))
        changed_ids = [row[0] for row in changed_findings]
        cur.execute(f"DELETE FROM finding_divisions WHERE finding_id IN ({_marks(len(changed_ids))})", changed_ids)
        cur.execute(f"DELETE FROM finding_lists WHERE finding_id IN ({_marks(len(changed_ids))})", changed_ids)
    if new_findings:
        finding_ids.update(cur.execute(
            f"INSERT INTO findings (assessment_id, seq, {', '.join(_FINDING_COLUMNS)}) "
            f"VALUES {_rows_of(new_findings)} RETURNING seq, id", _flat(new_findings)).fetchall())
    lists = [[finding_ids[f.seq], f.steps, f.warnings] for f in report.findings]
    cur.execute(f"INSERT INTO finding_lists VALUES {_rows_of(lists)}", _flat(lists))
    gone_findings = [fp.finding_id for fp in plan.findings if fp.change == REMOVED]
    if gone_findings:
        cur.execute(f"UPDATE findings SET removed_at = coalesce(removed_at, ?) "
                    f"WHERE id IN ({_marks(len(gone_findings))})", [stamp, *gone_findings])

    links = []
    for f in report.findings:
        seen = set()
        for i, name in enumerate(f.divisions, start=1):
            division_id = _division_id(cur, name, division_ids)
            if division_id not in seen:
                seen.add(division_id)
                links.append([finding_ids[f.seq], division_id, i])
    if links:
        cur.execute(f"INSERT INTO finding_divisions VALUES {_rows_of(links)}", _flat(links))

    new_measures = [[finding_ids[m.finding_seq], m.seq, m.title] for m in plan.measures if m.change == NEW]
    moved = [[m.measure_id, m.seq, m.title] for m in plan.measures if m.change in (KEPT, RENAMED, REVIVED)]
    gone = [m.measure_id for m in plan.measures if m.change == REMOVED]
    if moved:
        cur.execute(f"UPDATE measures SET seq = v.seq, title = v.title, removed_at = NULL "
                    f"FROM (VALUES {_rows_of(moved)}) AS v(id, seq, title) WHERE measures.id = v.id", _flat(moved))
    if new_measures:
        cur.execute(f"INSERT INTO measures (finding_id, seq, title) VALUES {_rows_of(new_measures)}",
                    _flat(new_measures))
    if gone:
        cur.execute(f"UPDATE measures SET removed_at = coalesce(removed_at, ?) WHERE id IN ({_marks(len(gone))})",
                    [stamp, *gone])

    # the responsible divisions may have changed: the shared measures' own status follows them
    _refresh_status(cur, [row[0] for row in cur.execute(
        "SELECT DISTINCT md.measure_id FROM measure_divisions md JOIN measures m ON m.id = md.measure_id "
        "JOIN findings f ON f.id = m.finding_id WHERE f.assessment_id = ?", [assessment_id]).fetchall()])

    warning_count = sum(len(f.warnings) for f in report.findings) + len(report.warnings)
    fc, mc = plan.counts("findings"), plan.counts()
    import_id = cur.execute(
        "INSERT INTO imports (assessment_id, source_file, imported_by, imported_at, findings_kept, findings_new, "
        "findings_removed, measures_kept, measures_new, measures_removed, measures_renamed, measures_revived, "
        "warnings, report_warnings, match_warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [assessment_id, report.source_file, imported_by, stamp, fc[KEPT] + fc[REVIVED], fc[NEW], fc[REMOVED],
         mc[KEPT], mc[NEW], mc[REMOVED], mc[RENAMED], mc[REVIVED], warning_count, report.warnings,
         plan.warnings]).fetchone()[0]
    return ImportResult(assessment_id, report.organization, report.assessed_year, report.plan_year,
                        len(report.findings), sum(len(f.measures) for f in report.findings), plan.replaced,
                        warning_count, import_id, plan)


# ---------------------------------------------------------------- measure status

def update_measure(con, measure_id: int, status: str, progress: int, note: str | None,
                   editor: "users.User | str", *, division: str | None = None, at: datetime | None = None) -> None:
    """A progress report: `division` (a name the measure's finding gives, or an alias of it) reports
    its own status and percent of the measure; None reports for the measure as a whole (every
    responsible division alike: an administrator's report, or a measure without divisions). The
    measure's own status and percent are then derived from its divisions' (framework.combined_status),
    and the history keeps who reported what, for which division, and what the measure became.
    A status and a percent that disagree are refused (framework.agreeing_progress).

    `editor` is who reports: a users.User, checked here, in the write's transaction (users.require:
    a viewer, a disabled or locked account, an editor of another division or of another organization
    is refused with PermissionDenied, whatever a page let through), or the name of a local process (a
    script, the command line; never an account's name: refused too). An
    editor reports only for one of its own divisions: `division`, or, when None, the one division of
    its own the measure has. The history and the audit log keep the reporter's name."""
    if status not in framework.STATUSES:
        raise ValueError(f'สถานะ "{status}" ไม่ถูกต้อง: ใช้ {", ".join(framework.STATUS_TH.values())}')
    # an integer of any kind (a numpy/pandas one from a table too), but not True/False
    if not isinstance(progress, numbers.Integral) or isinstance(progress, bool) or not 0 <= progress <= 100:
        raise ValueError(f"ความคืบหน้า {progress!r} ต้องเป็นจำนวนเต็ม 0-100")
    progress = framework.agreeing_progress(status, int(progress))
    who = users.actor(editor, none_is_system=False)  # no one or an empty name: ValueError
    measure_id = int(measure_id)  # a numpy/pandas integer from a table, too
    at = at or now()
    with _transaction(con) as cur:
        found = cur.execute("SELECT m.finding_id, f.seq || '.' || m.seq, m.title, a.id, a.organization_id "
                            "FROM measures m JOIN findings f ON f.id = m.finding_id "
                            "JOIN assessments a ON a.id = f.assessment_id WHERE m.id = ? AND m.removed_at IS NULL",
                            [measure_id]).fetchone()
        if not found:
            raise ValueError(f"ไม่พบมาตรการหมายเลข {measure_id}")
        responsible = dict(cur.execute(
            "SELECT d.name, d.id FROM finding_divisions fd JOIN divisions d ON d.id = fd.division_id "
            "WHERE fd.finding_id = ? ORDER BY fd.seq", [found[0]]).fetchall())
        # the permission check, on this transaction: the divisions the report is for
        wanted = None if division is None else (responsible.get(division) or _responsible_id(cur, division, responsible))
        who = users.require(cur, who, users.REPORT, divisions=list(responsible) if division is None else
                            [name for name, i in responsible.items() if i == wanted] or [division],
                            organization_id=found[4])
        if who.role == "editor" and division is None:  # an editor reports for its own division only
            own = [name for name in responsible if name in who.divisions]
            if len(own) != 1:
                raise ValueError(f"ระบุหน่วยงานที่รายงาน: {', '.join(own)}")
            division = own[0]
        if division is None:
            reporting = list(responsible.values())
            division_id = None
        else:
            division_id = responsible.get(division) or _responsible_id(cur, division, responsible)
            if division_id is None:
                raise ValueError(f'"{division}" ไม่ใช่หน่วยงานรับผิดชอบของมาตรการนี้ '
                                 f'(ผู้รับผิดชอบ: {", ".join(responsible) or "ไม่ระบุ"})')
            reporting = [division_id]
        if reporting:
            cur.executemany(
                "INSERT INTO measure_divisions (measure_id, division_id, status, progress, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (measure_id, division_id) DO UPDATE SET "
                "status = excluded.status, progress = excluded.progress, updated_at = excluded.updated_at",
                [[measure_id, d, status, progress, at] for d in reporting])
        measure_status, measure_progress = _refresh_status(cur, [measure_id], at)[measure_id] if reporting \
            else _set_status(cur, measure_id, status, progress, at)
        note = (note or "").strip() or None
        cur.execute("INSERT INTO status_history (measure_id, status, progress, note, editor, changed_at, "
                    "division_id, measure_status, measure_progress) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [measure_id, status, progress, note, who.name, at, division_id,
                     measure_status, measure_progress])
        for_whom = next((name for name, i in responsible.items() if i == division_id), None) or "ทุกหน่วยงาน"
        audit.record(cur, who, audit.REPORT, organization_id=found[4], assessment_id=found[3],
                     target=f"มาตรการ {found[1]} {found[2]}",
                     detail=f"{for_whom}: {framework.STATUS_TH[status]} {progress}%" + (f" · {note}" if note else ""),
                     at=at)


def _responsible_id(cur, name: str, responsible: dict[str, int]) -> int | None:
    """The id of the responsible division `name` means (another spelling of it), or None."""
    wanted = division_names.key(division_names.canonical(name))
    alias = cur.execute("SELECT division_id FROM division_aliases WHERE alias = ?", [division_names.key(name)]
                        ).fetchone()
    for known, division_id in responsible.items():
        if division_names.key(known) == wanted or (alias and alias[0] == division_id):
            return division_id
    return None


def _set_status(cur, measure_id: int, status: str, progress: int, at: datetime) -> tuple[str, int]:
    # no UPDATE ... RETURNING: DuckDB runs it as delete + insert, which the history's foreign key refuses
    cur.execute("UPDATE measures SET status = ?, progress = ?, updated_at = ? WHERE id = ?",
                [status, progress, at, measure_id])
    return status, progress


def _refresh_status(cur, measure_ids: list[int], at: datetime | None = None) -> dict[int, tuple[str, int]]:
    """Derive each measure's own status and percent from its responsible divisions' (a division that
    has not reported counts as not started; a division no longer on the finding no longer counts)
    and store it; `at` moves updated_at (None: a re-import, which leaves it). Returns id -> state.
    Measures none of whose divisions ever reported keep the status they have."""
    if not measure_ids:
        return {}
    rows = cur.execute(f"""
        SELECT m.id, list(struct_pack(s := coalesce(md.status, 'not_started'), p := coalesce(md.progress, 0))),
               count(md.measure_id), m.status, m.progress
        FROM measures m JOIN finding_divisions fd ON fd.finding_id = m.finding_id
        LEFT JOIN measure_divisions md ON md.measure_id = m.id AND md.division_id = fd.division_id
        WHERE m.id IN ({_marks(len(measure_ids))}) GROUP BY m.id, m.status, m.progress""", measure_ids).fetchall()
    states = {}
    for measure_id, divisions_states, reported, old_status, old_progress in rows:
        if not reported:
            states[measure_id] = (old_status, old_progress)
            continue
        state = framework.combined_status([(d["s"], d["p"]) for d in divisions_states])
        states[measure_id] = state
        if state != (old_status, old_progress) or at is not None:
            cur.execute("UPDATE measures SET status = ?, progress = ?, updated_at = coalesce(?, updated_at) "
                        "WHERE id = ?", [*state, at, measure_id])
    return states


# ---------------------------------------------------------------- reading

def _dicts(cur, sql: str, params: list | None = None) -> list[dict]:
    """Rows as dicts, read on `cur` itself (inside its transaction, when it has one)."""
    result = cur.execute(sql, params or [])
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def _rows(con, sql: str, params: list | None = None) -> list[dict]:
    return _dicts(con.cursor(), sql, params)


def organizations(con) -> list[dict]:
    return _rows(con, "SELECT id, name, district, province, agency_code FROM organizations "
                      "ORDER BY name, province NULLS LAST, district NULLS LAST, id")


# the latest import of each assessment: its file, time, who, and the report's own warnings
_LATEST_IMPORT = """
    LEFT JOIN (SELECT assessment_id, max(id) AS import_id, count(*) AS imports FROM imports
               GROUP BY assessment_id) li ON li.assessment_id = a.id
    LEFT JOIN imports i ON i.id = li.import_id"""


def assessments(con, organization_id: int | None = None) -> list[dict]:
    """Assessments with their organization (name, district, province), newest plan year first;
    source_file, imported_at and imported_by are those of the latest import (store.imports: all)."""
    return _rows(con, f"""
        SELECT a.id, a.organization_id, o.name AS organization, o.district, o.province, o.agency_code,
               a.assessed_year, a.plan_year, i.source_file, i.imported_at, i.imported_by,
               coalesce(li.imports, 0) AS imports,
               coalesce(n.findings, 0) AS findings
        FROM assessments a JOIN organizations o ON o.id = a.organization_id {_LATEST_IMPORT}
        LEFT JOIN (SELECT assessment_id, count(*) AS findings FROM findings WHERE removed_at IS NULL
                   GROUP BY assessment_id) n ON n.assessment_id = a.id
        WHERE ? IS NULL OR a.organization_id = ?
        ORDER BY o.name, o.province NULLS LAST, o.district NULLS LAST, o.id, a.plan_year DESC""",
                 [organization_id, organization_id])


def imports(con, assessment_id: int | None = None) -> list[dict]:
    """Every import, oldest first: file, who, when, and what it kept, added, removed and renamed."""
    return _rows(con, """
        SELECT id, assessment_id, source_file, imported_by, imported_at, findings_kept, findings_new,
               findings_removed, measures_kept, measures_new, measures_removed, measures_renamed,
               measures_revived, warnings, report_warnings, match_warnings
        FROM imports WHERE ? IS NULL OR assessment_id = ? ORDER BY id""", [assessment_id, assessment_id])


def findings(con, assessment_id: int) -> list[dict]:
    """The current findings of an assessment with their divisions, in report order."""
    return _rows(con, """
        SELECT f.id, f.seq, f.indicator_no, i.name_th AS indicator, i.tool, f.indicator_text,
               f.question_code, f.question, f.score, f.analysis, f.rationale, f.period_text,
               f.period_start, f.period_end, fl.steps, fl.warnings,
               coalesce((SELECT list(d.name ORDER BY fd.seq) FROM finding_divisions fd
                         JOIN divisions d ON d.id = fd.division_id WHERE fd.finding_id = f.id), []) AS divisions
        FROM findings f JOIN indicators i ON i.no = f.indicator_no JOIN finding_lists fl ON fl.finding_id = f.id
        WHERE f.assessment_id = ? AND f.removed_at IS NULL
        ORDER BY f.seq""", [assessment_id])


def measures(con, assessment_id: int) -> list[dict]:
    """The current measures of an assessment with their finding's indicator, question, period and
    divisions, the time of their last status change, and each responsible division's own status
    (division_status: division, status, progress, updated_at; a division that has not reported is
    not started), and for a measure carried over from the plan before, where it came from
    (carried_from: "2569 ข้อ 1.1"; None otherwise)."""
    return _rows(con, """
        SELECT m.id, m.finding_id, f.seq AS finding_seq, m.seq, m.title, m.status, m.progress, m.updated_at,
               f.indicator_no, i.name_th AS indicator, f.question_code, f.question, f.score,
               f.period_start, f.period_end, fl.steps,
               coalesce((SELECT list(d.name ORDER BY fd.seq) FROM finding_divisions fd
                         JOIN divisions d ON d.id = fd.division_id WHERE fd.finding_id = f.id), []) AS divisions,
               coalesce((SELECT list(struct_pack(division := d.name,
                                                 status := coalesce(md.status, 'not_started'),
                                                 progress := coalesce(md.progress, 0),
                                                 updated_at := md.updated_at) ORDER BY fd.seq)
                         FROM finding_divisions fd JOIN divisions d ON d.id = fd.division_id
                         LEFT JOIN measure_divisions md ON md.measure_id = m.id AND md.division_id = fd.division_id
                         WHERE fd.finding_id = f.id), []) AS division_status,
               (SELECT oa.plan_year || ' ข้อ ' || of.seq || '.' || o.seq FROM measure_carries c
                JOIN measures o ON o.id = c.from_measure_id JOIN findings of ON of.id = o.finding_id
                JOIN assessments oa ON oa.id = of.assessment_id WHERE c.measure_id = m.id) AS carried_from
        FROM measures m JOIN findings f ON f.id = m.finding_id JOIN indicators i ON i.no = f.indicator_no
        JOIN finding_lists fl ON fl.finding_id = f.id
        WHERE f.assessment_id = ? AND f.removed_at IS NULL AND m.removed_at IS NULL
        ORDER BY f.seq, m.seq""", [assessment_id])


def history(con, assessment_id: int | None = None, measure_id: int | None = None) -> list[dict]:
    """Status changes, newest first, for one measure or every measure of an assessment: what was
    reported (status, progress, note, editor: the reporter's user name, editor_label: with the account's
    display name, and the division it was for: None for the measure as a
    whole) and what the measure's own status became (measure_status, measure_progress)."""
    return _rows(con, """
        SELECT h.id, h.measure_id, m.title, f.seq AS finding_seq, m.seq AS measure_seq, h.status,
               h.progress, h.note, h.editor, h.changed_at, d.name AS division,
               CASE WHEN u.display_name IS NULL OR u.display_name = h.editor THEN h.editor
                    ELSE u.display_name || ' (' || h.editor || ')' END AS editor_label,
               coalesce(h.measure_status, h.status) AS measure_status,
               coalesce(h.measure_progress, h.progress) AS measure_progress
        FROM status_history h JOIN measures m ON m.id = h.measure_id JOIN findings f ON f.id = m.finding_id
        LEFT JOIN divisions d ON d.id = h.division_id LEFT JOIN users u ON u.name = h.editor
        WHERE (? IS NULL OR f.assessment_id = ?) AND (? IS NULL OR h.measure_id = ?)
        ORDER BY h.changed_at DESC, h.id DESC""", [assessment_id, assessment_id, measure_id, measure_id])


def indicators(con) -> list[dict]:
    return _rows(con, "SELECT no, name_th, name_en, tool FROM indicators ORDER BY no")


def division_list(con) -> list[str]:
    return [r["name"] for r in _rows(con, "SELECT name FROM divisions ORDER BY id")]


def last_change(con) -> str:
    """The data stamp: the database's id and its version counter, which every write (import, status
    update) moves by one inside its own transaction. Reads never move it; a rolled-back write
    leaves it as it was. Caches key on it."""
    version, database_id = con.cursor().execute("SELECT version, database_id FROM data_version").fetchone()
    return f"{database_id}:{version}"


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


_IMPORT_COUNTS = ("findings_kept", "findings_new", "findings_removed", "measures_kept", "measures_new",
                  "measures_removed", "measures_renamed", "measures_revived", "warnings")


def dump(con) -> dict:
    """The whole database as plain data (the shape other tools read; keep its keys)."""
    history_rows = _rows(con, "SELECT h.measure_id, h.status, h.progress, h.note, h.editor, h.changed_at, "
                              "d.name AS division, h.measure_status, h.measure_progress FROM status_history h "
                              "LEFT JOIN divisions d ON d.id = h.division_id ORDER BY h.changed_at, h.id")
    history_by_measure: dict[int, list] = {}
    for h in history_rows:
        history_by_measure.setdefault(h["measure_id"], []).append(
            {"status": h["status"], "progress": h["progress"], "note": h["note"], "editor": h["editor"],
             "at": _iso(h["changed_at"]), "division": h["division"], "measure_status": h["measure_status"],
             "measure_progress": h["measure_progress"]})
    division_rows = _rows(con, "SELECT md.measure_id, d.name AS division, md.status, md.progress, md.updated_at "
                               "FROM measure_divisions md JOIN divisions d ON d.id = md.division_id "
                               "ORDER BY md.measure_id, d.id")
    divisions_by_measure: dict[int, list] = {}
    for r in division_rows:
        divisions_by_measure.setdefault(r["measure_id"], []).append(
            {"division": r["division"], "status": r["status"], "progress": r["progress"],
             "updated_at": _iso(r["updated_at"])})
    # a measure carried over from the plan before (measure_carries): that plan's year, the old
    # measure's reference "row.position" there and its title
    carried = {r["measure_id"]: {"plan_year": r["plan_year"], "ref": r["ref"], "title": r["title"]}
               for r in _rows(con, "SELECT c.measure_id, a.plan_year, f.seq || '.' || o.seq AS ref, o.title "
                                   "FROM measure_carries c JOIN measures o ON o.id = c.from_measure_id "
                                   "JOIN findings f ON f.id = o.finding_id JOIN assessments a ON a.id = f.assessment_id")}
    measure_rows = _rows(con, "SELECT id, finding_id, seq, title, status, progress, updated_at, removed_at "
                              "FROM measures ORDER BY finding_id, removed_at IS NOT NULL, seq, id")
    measures_by_finding: dict[int, list] = {}
    for m in measure_rows:
        item = {"seq": m["seq"], "title": m["title"], "status": m["status"], "progress": m["progress"],
                "updated_at": _iso(m["updated_at"]), "division_status": divisions_by_measure.get(m["id"], []),
                "history": history_by_measure.get(m["id"], [])}
        if m["removed_at"]:
            item["removed_at"] = _iso(m["removed_at"])
        if m["id"] in carried:
            item["carried_from"] = carried[m["id"]]
        measures_by_finding.setdefault(m["finding_id"], []).append(item)
    finding_rows = _rows(con, """
        SELECT f.*, fl.steps, fl.warnings, i.name_th AS indicator,
               coalesce((SELECT list(d.name ORDER BY fd.seq) FROM finding_divisions fd
                         JOIN divisions d ON d.id = fd.division_id WHERE fd.finding_id = f.id), []) AS divisions
        FROM findings f JOIN indicators i ON i.no = f.indicator_no JOIN finding_lists fl ON fl.finding_id = f.id
        ORDER BY f.assessment_id, f.seq""")
    findings_by_assessment: dict[int, list] = {}
    for f in finding_rows:
        item = {"seq": f["seq"], "indicator_no": f["indicator_no"], "indicator": f["indicator"],
                "indicator_text": f["indicator_text"], "question_code": f["question_code"],
                "question": f["question"], "score": f["score"], "analysis": f["analysis"],
                "rationale": f["rationale"], "period_text": f["period_text"],
                "period_start": _iso(f["period_start"]), "period_end": _iso(f["period_end"]),
                "divisions": list(f["divisions"]), "measures": measures_by_finding.get(f["id"], []),
                "steps": list(f["steps"] or []), "warnings": list(f["warnings"] or []),
                **{key: f[key] for key in WRITTEN_FORMS}}
        if f["removed_at"]:
            item["removed_at"] = _iso(f["removed_at"])
        findings_by_assessment.setdefault(f["assessment_id"], []).append(item)
    imports_by_assessment: dict[int, list] = {}
    for i in imports(con):
        imports_by_assessment.setdefault(i["assessment_id"], []).append(
            {"source_file": i["source_file"], "imported_by": i["imported_by"], "imported_at": _iso(i["imported_at"]),
             **{key: i[key] for key in _IMPORT_COUNTS},
             "report_warnings": list(i["report_warnings"]), "match_warnings": list(i["match_warnings"])})
    by_org: dict[int, list] = {}
    for a in assessments(con):
        by_org.setdefault(a["organization_id"], []).append(a)
    score_dump = scores.dump_scores(con)  # per organization: current scores and every score import
    orgs = []
    for org in organizations(con):
        items = []
        for a in sorted(by_org.get(org["id"], []), key=lambda a: (a["assessed_year"], a["plan_year"])):
            items.append({"assessed_year": a["assessed_year"], "plan_year": a["plan_year"],
                          "source_file": a["source_file"], "imported_at": _iso(a["imported_at"]),
                          "warnings": list(imports_by_assessment.get(a["id"], [{}])[-1].get("report_warnings", [])),
                          "findings": findings_by_assessment.get(a["id"], []),
                          "imports": imports_by_assessment.get(a["id"], [])})
        orgs.append({"name": org["name"], "district": org["district"], "province": org["province"],
                     "agency_code": org["agency_code"], "assessments": items,
                     **score_dump.get(org["id"], {"scores": [], "score_imports": []})})
    # the accounts (never a password hash) and the audit log, oldest first: who did what, when
    accounts = [{"name": u["name"], "display_name": u["display_name"], "role": u["role"], "divisions": u["divisions"],
                 "organizations": u["organizations"],
                 "created_at": _iso(u["created_at"]), "disabled_at": _iso(u["disabled_at"])}
                for u in users.list_users(con)]
    log = [{"at": _iso(r["done_at"]), "user": r["user_name"], "action": r["action"],
            "organization": r["organization"], "target": r["target"], "detail": r["detail"]}
           for r in reversed(audit.entries(con))]
    return {"schema_version": schema_version(con), "organizations": orgs, "users": accounts, "audit_log": log}


def warnings(con, assessment_id: int | None = None) -> list[dict]:
    """Every import warning (of the report as a whole, row "", from its latest import, and of each
    current finding), for one assessment or all, in one query."""
    return _rows(con, f"""
        SELECT o.name AS organization, a.plan_year, '' AS seq, unnest(i.report_warnings) AS warning,
               generate_subscripts(i.report_warnings, 1) AS k
        FROM assessments a JOIN organizations o ON o.id = a.organization_id {_LATEST_IMPORT}
        WHERE ? IS NULL OR a.id = ?
        UNION ALL
        SELECT o.name, a.plan_year, CAST(f.seq AS VARCHAR), unnest(fl.warnings), generate_subscripts(fl.warnings, 1)
        FROM findings f JOIN finding_lists fl ON fl.finding_id = f.id JOIN assessments a ON a.id = f.assessment_id
        JOIN organizations o ON o.id = a.organization_id
        WHERE (? IS NULL OR a.id = ?) AND f.removed_at IS NULL
        ORDER BY 1, 2 DESC, try_cast(seq AS INTEGER) NULLS FIRST, k""",
                 [assessment_id, assessment_id, assessment_id, assessment_id])


def warning_counts(con) -> list[dict]:
    """Import warnings counted per organization and plan year."""
    return _rows(con, f"""
        SELECT o.name AS organization, a.plan_year,
               coalesce(len(i.report_warnings), 0)
               + coalesce((SELECT sum(len(fl.warnings)) FROM findings f JOIN finding_lists fl ON fl.finding_id = f.id
                           WHERE f.assessment_id = a.id AND f.removed_at IS NULL), 0) AS warnings
        FROM assessments a JOIN organizations o ON o.id = a.organization_id {_LATEST_IMPORT}
        ORDER BY warnings DESC, o.name, a.plan_year DESC""")


# ---------------------------------------------------------------- areas with modules of their own

from . import report  # noqa: E402  (the report written back; imports the helpers above)
from . import scores  # noqa: E402  (a whole year's official ITA scores: score sheets)
from . import audit, users  # noqa: E402,F401  (accounts, the permission check, the audit log)
