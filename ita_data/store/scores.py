"""A whole year's official ITA scores (score sheets, importers/scores.py): the import plan, the
write, and the queries.

An import of a score sheet writes one `score_imports` row per organization and assessed year it
holds, and that year's `scores` under it. The current scores of an (organization, year) are those
of its latest import (the highest id); an older import is never changed or deleted: it is the record
of what the scores were before, and `changes` tells the difference between two imports.

Organizations are matched exactly as reports are (store._choose_organization): the same agency
code, else the same name in the same province with districts that agree; a sheet's organization
that matches none is created. What an import will do is worked out by `plan_scores` (reading
only); `save_scores` writes that same plan, worked out again inside its transaction."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from ..importers.records import Report, ReportError, ScoreSheet, YearScores
from . import _choose_organization, _dicts, _rows, _transaction, audit, now, users

SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"
CHANGE_TH = {CHANGED: "เปลี่ยน", ADDED: "เพิ่ม", REMOVED: "ไม่มีในแผ่นใหม่", SAME: "เท่าเดิม"}


def _choose_for_sheet(candidates: list[dict], scores: YearScores) -> tuple[dict | None, str]:
    """store._choose_organization, its words (written for a report) said of a score sheet."""
    def sheet_words(text: str) -> str:
        return text.replace("ในรายงาน", "ในแผ่นคะแนน").replace("รายงานไม่ระบุ", "แผ่นคะแนนไม่ระบุ")
    try:
        org, note = _choose_organization(candidates, scores)
    except ReportError as e:
        raise ReportError(e.file, sheet_words(e.reason), row=e.row, column=e.column) from None
    return org, sheet_words(note)


def score_key_label(indicator_no: int, question_code: str) -> str:
    """What a score is, in Thai: "ITA รวม", "ตัวชี้วัดที่ 3", "i4"."""
    if question_code:
        return question_code
    return "ITA รวม" if indicator_no == 0 else f"ตัวชี้วัดที่ {indicator_no}"


class ScoreChange(NamedTuple):  # a tuple: a national re-import compares half a million scores
    indicator_no: int
    question_code: str
    old: float | None  # None: not in the earlier import
    new: float | None  # None: not in the later one

    @property
    def kind(self) -> str:
        if self.old is None:
            return ADDED
        if self.new is None:
            return REMOVED
        return SAME if abs(self.old - self.new) < 1e-9 else CHANGED

    @property
    def label(self) -> str:
        return score_key_label(self.indicator_no, self.question_code)

    def text(self) -> str:
        """'i4: 97.45 -> 98.10 (+0.65)' for the CLI and the Data page."""
        if self.kind == ADDED:
            return f"{self.label}: เพิ่ม {self.new:.2f}"
        if self.kind == REMOVED:
            return f"{self.label}: ไม่มีในแผ่นใหม่ (เดิม {self.old:.2f})"
        return f"{self.label}: {self.old:.2f} -> {self.new:.2f} ({self.new - self.old:+.2f})"


def compare(old: dict[tuple[int, str], float], new: dict[tuple[int, str], float]) -> list[ScoreChange]:
    """Every score of either import, keyed (indicator_no, question_code), in the framework's order."""
    keys = sorted(set(old) | set(new), key=_order)
    return [ScoreChange(no, code, old.get((no, code)), new.get((no, code))) for no, code in keys]


def _order(key: tuple[int, str]) -> tuple:
    no, code = key
    return (no, code != "", code[:1], int(code[1:]) if code[1:].isdigit() else 0, code)


@dataclass
class ScorePlan:
    """What importing one organization's scores of one year will do (plan_scores)."""
    scores: YearScores
    organization: str  # as stored (or as the sheet gives it, when new)
    organization_id: int | None  # None: a new organization
    organization_note: str  # which organization and why, one line in Thai
    organization_fill: dict[str, str]  # district/province/agency_code the stored organization lacks
    same_organization_as: int | None  # the plan (index in the batch) whose new organization this is
    previous: dict | None  # the import whose scores these replace: id, source_file, imported_at
    changes: list[ScoreChange] = field(default_factory=list)  # against `previous`; empty when new
    import_id: int | None = None  # the score_imports row written (save_scores)
    org_record: dict | None = field(default=None, repr=False, compare=False)  # the batch's organization

    @property
    def replaced(self) -> bool:
        return self.previous is not None

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for c in self.changes if c.kind == kind) for kind in (CHANGED, ADDED, REMOVED, SAME)}

    def summary(self) -> str:
        """'แทนที่คะแนนเดิม: เปลี่ยน 3, เพิ่ม 0, ไม่มีในแผ่นใหม่ 0, เท่าเดิม 54' or 'คะแนนปีใหม่'."""
        if not self.replaced:
            return "คะแนนใหม่ของปีนี้"
        counts = self.counts()
        return "แทนที่คะแนนเดิม: " + ", ".join(f"{CHANGE_TH[k]} {counts[k]}" for k in (CHANGED, ADDED, REMOVED, SAME))

    def contents(self) -> str:
        """'57 คะแนน: ITA รวม 96.12, 10 ตัวชี้วัด, 46 ข้อคำถาม'."""
        s = self.scores
        overall = f"ITA รวม {s.overall:.2f}" if s.overall is not None else "ไม่มีคะแนน ITA รวม"
        return f"{len(s.rows)} คะแนน: {overall}, {len(s.indicators)} ตัวชี้วัด, {len(s.questions)} ข้อคำถาม"


# ---------------------------------------------------------------- plan

def plan_scores(con, sheets: list[ScoreSheet], *, after: list | None = None) -> list[ScorePlan]:
    """What saving `sheets` (as one batch) would change; reads only. `after`: the import plans of
    reports saved in the same batch before the sheets (store.plan_import), whose new organizations
    and filled-in places the sheets see."""
    return _plan(con.cursor(), sheets, after or [])


def _plan(cur, sheets: list[ScoreSheet], after: list) -> list[ScorePlan]:
    orgs = _dicts(cur, "SELECT id, name, district, province, agency_code FROM organizations ORDER BY id")
    by_id = {o["id"]: o for o in orgs}
    for report_plan in after:  # the batch's reports come first: their organizations as they will be
        if report_plan.organization_id is not None:
            by_id[report_plan.organization_id].update(report_plan.organization_fill)
        elif report_plan.same_organization_as is None:
            r = report_plan.report
            orgs.append({"id": None, "name": r.organization, "district": r.district, "province": r.province,
                         "agency_code": r.agency_code, "report": report_plan})
    by_name: dict[str, list[dict]] = {}
    by_code: dict[str, dict] = {}
    for o in orgs:
        _index(o, by_name, by_code)

    plans: list[ScorePlan] = []
    seen: dict[tuple, str] = {}  # (organization, year) -> the file and row that has it
    for sheet in sheets:
        for scores in sheet.years:
            candidates = list(by_name.get(scores.organization, ()))
            coded = by_code.get(scores.agency_code) if scores.agency_code else None
            if coded is not None and all(coded is not o for o in candidates):
                candidates.append(coded)
            org, note = _choose_for_sheet(candidates, scores)
            if org is None:
                org = {"id": None, "name": scores.organization, "district": scores.district,
                       "province": scores.province, "agency_code": scores.agency_code, "batch": len(plans)}
                _index(org, by_name, by_code)
                fill, same_as = {}, None
            else:
                fill = {key: getattr(scores, key) for key in ("district", "province", "agency_code")
                        if getattr(scores, key) and not org[key]}
                org.update(fill)
                if fill.get("agency_code"):
                    by_code[fill["agency_code"]] = org
                same_as = org.get("batch")
                if same_as is not None:
                    note = f"หน่วยงานใหม่เดียวกับ{plans[same_as].scores.organization} ในแผ่นนี้: {note}"
                elif "report" in org:
                    note = f"หน่วยงานใหม่จากรายงาน {org['report'].report.source_file} ที่นำเข้าพร้อมกัน: {note}"
            key = (id(org), scores.assessed_year)
            first_row = scores.rows[0].row
            if key in seen:
                raise ReportError(scores.source_file,
                                  f"คะแนนของ{scores.organization} ปี {scores.assessed_year} ซ้ำกับ{seen[key]}: "
                                  f"หนึ่งหน่วยงานหนึ่งปีนำเข้าได้ครั้งละหนึ่งชุด", row=first_row)
            seen[key] = f"{scores.source_file} {first_row}"
            plans.append(ScorePlan(scores, org["name"], org["id"], note, fill, same_as, None, org_record=org))

    known = sorted({p.organization_id for p in plans if p.organization_id is not None})
    if known:
        latest = {(r["organization_id"], r["assessed_year"]): r for r in _dicts(cur, """
            SELECT si.id, si.organization_id, si.assessed_year, si.source_file, si.imported_at
            FROM score_imports si
            JOIN (SELECT organization_id, assessed_year, max(id) AS id FROM score_imports
                  WHERE organization_id IN (SELECT unnest(?::INTEGER[])) GROUP BY ALL) l ON l.id = si.id""",
            [known])}
        old_scores: dict[int, dict] = {}
        if latest:
            for import_id, no, code, score in cur.execute(
                    "SELECT score_import_id, indicator_no, question_code, score FROM scores "
                    "WHERE score_import_id IN (SELECT unnest(?::INTEGER[]))",
                    [sorted(r["id"] for r in latest.values())]).fetchall():
                old_scores.setdefault(import_id, {})[(no, code)] = score
        for plan in plans:
            previous = latest.get((plan.organization_id, plan.scores.assessed_year))
            if previous is not None:
                plan.previous = previous
                plan.changes = compare(old_scores.get(previous["id"], {}), _keyed(plan.scores))
    return plans


def _index(org: dict, by_name: dict, by_code: dict) -> None:
    by_name.setdefault(org["name"], []).append(org)
    if org["agency_code"]:
        by_code.setdefault(org["agency_code"], org)


def _keyed(scores: YearScores) -> dict[tuple[int, str], float]:
    return {(r.indicator_no, r.question_code): r.score for r in scores.rows}


# ---------------------------------------------------------------- write

def save_scores(con, sheets: list[ScoreSheet], *, imported_by: "users.User | str | None" = None) -> list[ScorePlan]:
    """Write score sheets in one transaction: all of them or, on any error, none. Returns the plans
    written (plan_scores, worked out again inside the transaction). `imported_by` as for
    store.save_reports: an admin (users.require), a local process's name, or None (the system)."""
    with _transaction(con) as cur:
        return write_scores(cur, sheets, imported_by=imported_by)


def save_batch(con, reports: list[Report], sheets: list[ScoreSheet], *,
               imported_by: "users.User | str | None" = None):
    """Reports and score sheets in one transaction (reports first): all of it or none.
    Returns (store.ImportResult list, ScorePlan list)."""
    from . import write_reports
    with _transaction(con) as cur:
        stamp = now()
        results = write_reports(cur, reports, imported_by, stamp) if reports else []
        return results, write_scores(cur, sheets, imported_by=imported_by, stamp=stamp)


def write_scores(cur, sheets: list[ScoreSheet], *, imported_by: str | None,
                 stamp: datetime | None = None) -> list[ScorePlan]:
    """The write itself, on a cursor inside a write transaction (store._transaction): the check of
    who imports (users.require), the scores, and one audit row per sheet."""
    who = users.require(cur, users.actor(imported_by), users.SCORES)
    imported_by = None if imported_by is None else who.name
    plans = _plan(cur, sheets, [])
    stamp = stamp or now()
    new_orgs = [p for p in plans if p.organization_id is None and p.same_organization_as is None]
    if new_orgs:
        ids = _new_ids(cur, "organization_ids", len(new_orgs))
        for plan, org_id in zip(new_orgs, ids):
            plan.organization_id = plan.org_record["id"] = org_id
        _insert(cur, "organizations", {
            "id": ids, "name": [p.scores.organization for p in new_orgs],
            "district": [p.scores.district for p in new_orgs], "province": [p.scores.province for p in new_orgs],
            "agency_code": [p.scores.agency_code for p in new_orgs]},
            "id::INTEGER, name::VARCHAR, district::VARCHAR, province::VARCHAR, agency_code::VARCHAR")
    for plan in plans:
        if plan.organization_id is None:  # a new organization an earlier plan of the batch created
            plan.organization_id = plan.org_record["id"]
    fills = {}
    for plan in plans:
        if plan.organization_fill and plan.organization_id not in fills:
            fills[plan.organization_id] = plan.organization_fill
    for org_id, fill in fills.items():  # only what the organization lacks: a sheet never moves an organization
        cur.execute("UPDATE organizations SET district = coalesce(district, ?), province = coalesce(province, ?), "
                    "agency_code = coalesce(agency_code, ?) WHERE id = ?",
                    [fill.get("district"), fill.get("province"), fill.get("agency_code"), org_id])
    import_ids = _new_ids(cur, "score_import_ids", len(plans))
    _insert(cur, "score_imports", {
        "id": import_ids, "organization_id": [p.organization_id for p in plans],
        "assessed_year": [p.scores.assessed_year for p in plans],
        "source_file": [p.scores.source_file for p in plans], "imported_by": [imported_by] * len(plans),
        "imported_at": [stamp] * len(plans), "warnings": [list(p.scores.warnings) for p in plans]},
        "id::INTEGER, organization_id::INTEGER, assessed_year::INTEGER, source_file::VARCHAR, "
        "imported_by::VARCHAR, imported_at::TIMESTAMP, CAST(warnings AS VARCHAR[])")
    for plan, import_id in zip(plans, import_ids):
        plan.import_id = import_id
    for sheet in sheets:
        mine = [p for p in plans if p.scores.source_file == sheet.source_file]
        organizations = {p.organization_id for p in mine}
        years = sorted({p.scores.assessed_year for p in mine})
        audit.record(cur, who, audit.SCORE_IMPORT,
                     organization_id=next(iter(organizations)) if len(organizations) == 1 else None,
                     target=sheet.source_file,
                     detail=f"{len(organizations):,} หน่วยงาน ปีที่ประเมิน {', '.join(map(str, years))}: "
                            f"{sum(len(p.scores.rows) for p in mine):,} คะแนน, แทนที่ {sum(p.replaced for p in mine):,} ชุด",
                     at=stamp)
    _insert(cur, "scores", {
        "score_import_id": [i for p, i in zip(plans, import_ids) for _ in p.scores.rows],
        "indicator_no": [r.indicator_no for p in plans for r in p.scores.rows],
        "question_code": [r.question_code for p in plans for r in p.scores.rows],
        "score": [float(r.score) for p in plans for r in p.scores.rows]},
        "score_import_id::INTEGER, indicator_no::INTEGER, question_code::VARCHAR, score::DOUBLE")
    return plans


def _new_ids(cur, sequence: str, n: int) -> list[int]:
    """n ids from one of the schema's sequences (a constant name, never input)."""
    return [row[0] for row in cur.execute(f"SELECT nextval('{sequence}') FROM range(?)", [n]).fetchall()]


# Up to this many rows go in as one INSERT ... VALUES (one agency's sheet: no pandas to load, which
# costs more than the whole import); more (a national sheet) through a DataFrame DuckDB scans.
_VALUES_ROWS = 2000


def _insert(cur, table: str, columns: dict[str, list], select: str) -> None:
    """INSERT INTO `table` the rows of `columns` (name -> values; table and select are constants of
    this module; `select` is the SELECT list over those names)."""
    names = list(columns)
    n = len(columns[names[0]])
    if n <= _VALUES_ROWS:
        rows = [[columns[c][i] for c in names] for i in range(n)]
        marks = ", ".join(["(" + ", ".join(["?"] * len(names)) + ")"] * n)
        cur.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {select} FROM (VALUES {marks}) "
                    f"AS v({', '.join(names)})", [value for row in rows for value in row])
        return
    import pandas as pd
    name = f"new_{table}"
    cur.register(name, pd.DataFrame(columns, dtype=object) if table == "organizations" else pd.DataFrame(columns))
    try:
        cur.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {select} FROM {name}")
    finally:
        cur.unregister(name)


# ---------------------------------------------------------------- reading

# the current import of each (organization, year): the latest
_CURRENT = """(SELECT organization_id, assessed_year, max(id) AS id FROM score_imports
               WHERE ? IS NULL OR organization_id = ? GROUP BY ALL)"""


def current_scores(con, organization_id: int) -> list[dict]:
    """The current scores of an organization, every year it has: assessed_year, indicator_no (0 =
    overall), question_code ('' = the indicator's or overall official score), score, and the import
    they come from (score_import_id, source_file, imported_at, imported_by)."""
    return _rows(con, f"""
        SELECT si.assessed_year, s.indicator_no, s.question_code, s.score, si.id AS score_import_id,
               si.source_file, si.imported_at, si.imported_by
        FROM {_CURRENT} c JOIN score_imports si ON si.id = c.id JOIN scores s ON s.score_import_id = si.id
        ORDER BY si.assessed_year, s.indicator_no, s.question_code = '' DESC,
                 left(s.question_code, 1), try_cast(substr(s.question_code, 2) AS INTEGER), s.question_code""",
                 [organization_id, organization_id])


def score_imports(con, organization_id: int | None = None) -> list[dict]:
    """Every score import, oldest first, with its organization, how many scores it holds and whether
    it is the current one of its (organization, year)."""
    return _rows(con, f"""
        SELECT si.id, si.organization_id, o.name AS organization, o.province, si.assessed_year, si.source_file,
               si.imported_by, si.imported_at, si.warnings,
               (SELECT count(*) FROM scores s WHERE s.score_import_id = si.id) AS scores,
               si.id = c.id AS current
        FROM score_imports si JOIN organizations o ON o.id = si.organization_id
        JOIN {_CURRENT} c ON c.organization_id = si.organization_id AND c.assessed_year = si.assessed_year
        WHERE ? IS NULL OR si.organization_id = ?
        ORDER BY si.id""", [organization_id, organization_id, organization_id, organization_id])


def import_scores(con, score_import_id: int) -> dict[tuple[int, str], float]:
    """The scores of one import, keyed (indicator_no, question_code)."""
    rows = con.cursor().execute("SELECT indicator_no, question_code, score FROM scores WHERE score_import_id = ?",
                                [score_import_id]).fetchall()
    return {(no, code): score for no, code, score in rows}


def changes(con, old_import_id: int, new_import_id: int) -> list[ScoreChange]:
    """What changed from one import to another (of the same organization and year, normally)."""
    return compare(import_scores(con, old_import_id), import_scores(con, new_import_id))


def dump_scores(con) -> dict[int, dict]:
    """Per organization id: its current scores (`scores`) and every import of its scores, oldest
    first (`score_imports`: file, who, when, warnings, how many scores (`rows`), whether current, what
    it changed from the import of the same year before it (`changes`); an import no longer current
    lists its own `scores`, so nothing saved is lost from a backup)."""
    imports = score_imports(con)
    rows = con.cursor().execute("SELECT score_import_id, indicator_no, question_code, score FROM scores").fetchall()
    by_import: dict[int, dict] = {}
    for import_id, no, code, score in rows:
        by_import.setdefault(import_id, {})[(no, code)] = score
    out: dict[int, dict] = {}
    before: dict[tuple, int] = {}  # (organization, year) -> the import before
    from . import _iso
    for i in imports:
        org = out.setdefault(i["organization_id"], {"scores": [], "score_imports": []})
        own = by_import.get(i["id"], {})
        listed = [{"assessed_year": i["assessed_year"], "indicator_no": no, "question_code": code, "score": score}
                  for (no, code), score in sorted(own.items(), key=lambda kv: _order(kv[0]))]
        item = {"assessed_year": i["assessed_year"], "source_file": i["source_file"], "imported_by": i["imported_by"],
                "imported_at": _iso(i["imported_at"]), "warnings": list(i["warnings"]), "rows": i["scores"],
                "current": bool(i["current"])}
        previous = before.get((i["organization_id"], i["assessed_year"]))
        if previous is not None:
            found = compare(by_import.get(previous, {}), own)
            item["changes"] = [{"indicator_no": c.indicator_no, "question_code": c.question_code, "old": c.old,
                                "new": c.new} for c in found if c.kind != SAME]
        if i["current"]:
            org["scores"] += listed
        else:
            item["scores"] = [{k: v for k, v in s.items() if k != "assessed_year"} for s in listed]
        org["score_imports"].append(item)
        before[(i["organization_id"], i["assessed_year"])] = i["id"]
    for org in out.values():
        org["scores"].sort(key=lambda s: (s["assessed_year"], *_order((s["indicator_no"], s["question_code"]))))
    return out
