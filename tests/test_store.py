"""The DuckDB store: migrations, re-imports that keep status and history, validation, restarts,
all-or-nothing saves, and many organizations and years side by side."""
from __future__ import annotations

import copy
import json
from datetime import datetime

import duckdb
import pytest

from ita_data import divisions, framework, store
from ita_data.importers import read_report


def counts(con) -> dict[str, int]:
    tables = ("schema_version", "organizations", "assessments", "indicators", "question_ranges", "findings",
              "finding_lists", "measures", "divisions", "division_aliases", "finding_divisions", "status_history")
    cur = con.cursor()
    return {t: cur.execute("SELECT count(*) FROM query_table(?)", [t]).fetchone()[0] for t in tables}


def as_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


@pytest.fixture(scope="module")
def seed_report():
    from conftest import SEED
    return read_report(SEED)


@pytest.fixture
def seed(seed_report):
    return copy.deepcopy(seed_report)


def measure_id(con, finding_seq: int, seq: int) -> int:
    return con.cursor().execute(
        "SELECT m.id FROM measures m JOIN findings f ON f.id = m.finding_id WHERE f.seq = ? AND m.seq = ?",
        [finding_seq, seq]).fetchone()[0]


def dumped_finding(data, seq, org=0, assessment=0):
    return next(f for f in data["organizations"][org]["assessments"][assessment]["findings"] if f["seq"] == seq)


# ---------------------------------------------------------------- migrations

def _check_fresh(con):
    assert store.schema_version(con) == 4 == store.SCHEMA_VERSION
    c = counts(con)
    assert c["schema_version"] == 4  # one row per version applied
    assert c["indicators"] == 10
    assert c["question_ranges"] == len(framework.QUESTION_RANGES)
    assert c["divisions"] == len(divisions.DIVISIONS) == 10
    assert c["division_aliases"] == len(divisions.ALIASES)
    assert c["organizations"] == c["assessments"] == c["findings"] == c["measures"] == 0
    assert store.indicators(con)[7] == {"no": 8, "name_th": "การปรับปรุงระบบการทำงาน",
                                        "name_en": "Work-system improvement", "tool": "EIT"}
    assert store.is_empty(con)


def test_migrate_new_path(tmp_db):
    con = store.connect(tmp_db)
    try:
        _check_fresh(con)
    finally:
        con.close()


def test_migrate_empty_file(tmp_db):
    tmp_db.write_bytes(b"")
    con = store.connect(tmp_db)
    try:
        _check_fresh(con)
    finally:
        con.close()
    assert tmp_db.stat().st_size > 0


def test_migrate_duckdb_file_without_tables(tmp_db):
    duckdb.connect(str(tmp_db)).close()
    con = store.connect(tmp_db)
    try:
        _check_fresh(con)
    finally:
        con.close()


def test_open_twice_does_not_migrate_again(tmp_db, seed):
    con = store.connect(tmp_db)
    store.save_reports(con, [seed])
    first = counts(con)
    applied = con.cursor().execute("SELECT applied_at FROM schema_version").fetchall()
    con.close()
    for _ in range(2):
        con = store.connect(tmp_db)
        try:
            assert counts(con) == first
            assert con.cursor().execute("SELECT applied_at FROM schema_version").fetchall() == applied
            assert store.migrate(con) == 4 and counts(con) == first
        finally:
            con.close()


def test_newer_schema_is_refused(tmp_db):
    con = store.connect(tmp_db)
    con.cursor().execute("INSERT INTO schema_version VALUES (?, ?)", [store.SCHEMA_VERSION + 1, datetime(2030, 1, 1)])
    con.close()
    with pytest.raises(store.StoreError):
        store.connect(tmp_db)


def test_not_a_database(tmp_db):
    tmp_db.write_bytes(b"this is not a duckdb file\n" * 100)
    with pytest.raises(store.StoreError) as e:
        store.connect(tmp_db)
    assert "\n" not in str(e.value) and str(tmp_db) in str(e.value)


def test_must_exist_creates_nothing(tmp_db, seed):
    with pytest.raises(store.StoreError, match="ไม่พบฐานข้อมูล"):
        store.connect(tmp_db, must_exist=True)
    assert not tmp_db.exists() and not tmp_db.parent.joinpath(tmp_db.name + ".wal").exists()
    store.connect(tmp_db).close()
    con = store.connect(tmp_db, must_exist=True)  # there now: opened read-write as usual
    try:
        store.save_reports(con, [seed])
    finally:
        con.close()


def test_read_only_missing(tmp_db):
    with pytest.raises(store.StoreError):
        store.connect(tmp_db, read_only=True)
    assert not tmp_db.exists()


# ---------------------------------------------------------------- re-import

def test_reimport_replaces_and_keeps_status_and_history(tmp_db, seed, seed_report):
    con = store.connect(tmp_db)
    try:
        [first] = store.save_reports(con, [seed])
        assert (first.findings, first.measures, first.replaced) == (10, 23, False)
        before = counts(con)
        assert (before["findings"], before["measures"], before["finding_divisions"]) == (10, 23, 5 * 5 + 2 * 2 + 3 * 1)
        m = measure_id(con, 7, 3)
        store.update_measure(con, m, "in_progress", 40, "เริ่มแล้ว", "สมชาย", at=datetime(2025, 11, 1, 9))
        store.update_measure(con, m, "done", 70, None, "สมหญิง", at=datetime(2026, 2, 1, 9))

        [again] = store.save_reports(con, [copy.deepcopy(seed_report)])
        assert (again.findings, again.measures, again.replaced) == (10, 23, True)
        assert again.assessment_id == first.assessment_id
        after = counts(con)
        assert after == {**before, "status_history": 2}

        data = store.dump(con)
        [measure] = [x for x in dumped_finding(data, 7)["measures"] if x["seq"] == 3]
        assert measure["title"] == "จัดทำ Infographic และ FAQ เพื่อสรุป ข้อมูลสำคัญ ให้ประชาชนเข้าใจได้ รวดเร็ว"
        assert (measure["status"], measure["progress"]) == ("done", 100)  # done means 100
        assert [(h["status"], h["progress"], h["note"], h["editor"]) for h in measure["history"]] == [
            ("in_progress", 40, "เริ่มแล้ว", "สมชาย"), ("done", 100, None, "สมหญิง")]
        assert measure["history"][0]["at"].startswith("2025-11-01T09:00:00")
        # nothing else changed status
        others = [x for f in data["organizations"][0]["assessments"][0]["findings"] for x in f["measures"]
                  if x is not measure]
        assert len(others) == 22 and all(x["status"] == "not_started" and not x["history"] for x in others)
    finally:
        con.close()


def test_reimport_of_a_changed_report(tmp_db, seed, seed_report):
    con = store.connect(tmp_db)
    try:
        store.save_reports(con, [seed])
        kept = measure_id(con, 2, 1)
        gone = measure_id(con, 5, 2)
        store.update_measure(con, kept, "in_progress", 30, "ส่งร่างแล้ว", "สมชาย")
        store.update_measure(con, gone, "in_progress", 10, None, "สมชาย")
        before = counts(con)

        changed = copy.deepcopy(seed_report)
        changed.findings = [f for f in changed.findings if f.seq != 5]  # row 5 left the report
        changed.findings[1].measures[0] = "โครงการติดตามและประเมินผลการใช้งบประมาณ (ปรับชื่อ)"
        [result] = store.save_reports(con, [changed])
        assert (result.findings, result.measures, result.replaced) == (9, 21, True)

        after = counts(con)
        assert after["findings"] == before["findings"] == 10  # marked, not deleted
        assert after["measures"] == before["measures"] == 23
        assert after["status_history"] == 2

        data = store.dump(con)
        row5 = dumped_finding(data, 5)
        assert row5["removed_at"] and row5["question_code"] == "e1"
        assert all(m.get("removed_at") for m in row5["measures"])
        assert row5["measures"][1]["history"][0]["progress"] == 10
        row2 = dumped_finding(data, 2)
        assert "removed_at" not in row2
        assert row2["measures"][0]["title"] == "โครงการติดตามและประเมินผลการใช้งบประมาณ (ปรับชื่อ)"
        assert (row2["measures"][0]["status"], row2["measures"][0]["progress"]) == ("in_progress", 30)
        assert row2["measures"][0]["history"][0]["note"] == "ส่งร่างแล้ว"
        assert all("removed_at" not in f for f in data["organizations"][0]["assessments"][0]["findings"]
                   if f["seq"] != 5)

        # the reading queries leave the removed row out
        [a] = store.assessments(con)
        assert a["findings"] == 9
        assert [f["seq"] for f in store.findings(con, a["id"])] == [1, 2, 3, 4, 6, 7, 8, 9, 10]
        assert len(store.measures(con, a["id"])) == 21
        assert len(store.history(con, a["id"])) == 2

        # the row comes back: the same finding, unmarked, its history still there
        [back] = store.save_reports(con, [copy.deepcopy(seed_report)])
        assert back.findings == 10 and counts(con)["findings"] == 10
        data = store.dump(con)
        row5 = dumped_finding(data, 5)
        assert "removed_at" not in row5 and all("removed_at" not in m for m in row5["measures"])
        assert row5["measures"][1]["status"] == "in_progress"
    finally:
        con.close()


def test_history_survives_a_restart(tmp_db, seed):
    con = store.connect(tmp_db)
    store.save_reports(con, [seed])
    m = measure_id(con, 1, 2)
    store.update_measure(con, m, "in_progress", 55, "ครึ่งทาง", "ผู้ทดสอบ", at=datetime(2026, 1, 15, 10, 30))
    before = store.dump(con)
    con.close()

    con = store.connect(tmp_db)
    try:
        after = store.dump(con)
        assert as_json(after) == as_json(before)
        [h] = store.history(con, measure_id=m)
        assert (h["status"], h["progress"], h["note"], h["editor"]) == ("in_progress", 55, "ครึ่งทาง", "ผู้ทดสอบ")
        assert h["changed_at"] == datetime(2026, 1, 15, 10, 30)
    finally:
        con.close()
    ro = store.connect(tmp_db, read_only=True)
    try:
        assert as_json(store.dump(ro)) == as_json(before)
    finally:
        ro.close()


# ---------------------------------------------------------------- update_measure validates

@pytest.mark.parametrize("status, progress, editor", [
    ("finished", 50, "สมชาย"),
    ("", 50, "สมชาย"),
    ("in_progress", 101, "สมชาย"),
    ("in_progress", -1, "สมชาย"),
    ("in_progress", 50.5, "สมชาย"),
    ("in_progress", "50", "สมชาย"),
    ("in_progress", True, "สมชาย"),  # True is not 1%
    ("in_progress", False, "สมชาย"),
    ("in_progress", 50, ""),
    ("in_progress", 50, "   "),
    ("in_progress", 50, None),
])
def test_update_measure_rejects(tmp_db, seed, status, progress, editor):
    con = store.connect(tmp_db)
    try:
        store.save_reports(con, [seed])
        before = as_json(store.dump(con))
        with pytest.raises(ValueError):
            store.update_measure(con, measure_id(con, 1, 1), status, progress, "x", editor)
        assert as_json(store.dump(con)) == before
    finally:
        con.close()


def test_update_measure_accepts_numpy_and_pandas_integers(tmp_db, seed):
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    con = store.connect(tmp_db)
    try:
        store.save_reports(con, [seed])
        m = measure_id(con, 1, 1)
        store.update_measure(con, m, "in_progress", np.int64(40), None, "สมชาย", at=datetime(2026, 1, 1))
        store.update_measure(con, m, "in_progress", pd.Series([55])[0], None, "สมชาย", at=datetime(2026, 1, 2))
        store.update_measure(con, m, "in_progress", np.uint8(60), None, "สมชาย", at=datetime(2026, 1, 3))
        assert [h["progress"] for h in store.history(con, measure_id=m)] == [60, 55, 40]
        assert all(type(h["progress"]) is int for h in store.history(con, measure_id=m))
        with pytest.raises(ValueError):
            store.update_measure(con, m, "in_progress", np.bool_(True), None, "สมชาย")
        with pytest.raises(ValueError):
            store.update_measure(con, m, "in_progress", np.float64(50.0), None, "สมชาย")
    finally:
        con.close()


def test_update_missing_measure(tmp_db, seed):
    con = store.connect(tmp_db)
    try:
        store.save_reports(con, [seed])
        before = as_json(store.dump(con))
        with pytest.raises(ValueError):
            store.update_measure(con, 999_999, "done", 100, None, "สมชาย")
        assert as_json(store.dump(con)) == before
    finally:
        con.close()


def test_update_measure_accepts_every_status(tmp_db, seed):
    con = store.connect(tmp_db)
    try:
        store.save_reports(con, [seed])
        m = measure_id(con, 3, 1)
        for i, status in enumerate(framework.STATUSES):
            store.update_measure(con, m, status, 0, None, " สมชาย ", at=datetime(2026, 1, 1 + i))
        history = store.history(con, measure_id=m)
        assert [h["status"] for h in history] == list(reversed(framework.STATUSES))  # newest first
        assert all(h["editor"] == "สมชาย" for h in history)
    finally:
        con.close()


# ---------------------------------------------------------------- all or nothing

def test_save_reports_failing_midway_leaves_the_db_as_it_was(tmp_db, seed, seed_report):
    con = store.connect(tmp_db)
    try:
        store.save_reports(con, [seed])
        store.update_measure(con, measure_id(con, 4, 1), "in_progress", 20, None, "สมชาย")
        before = as_json(store.dump(con))
        before_counts = counts(con)

        good = copy.deepcopy(seed_report)
        good.organization = "องค์การบริหารส่วนตำบลอื่น"
        bad = copy.deepcopy(seed_report)
        bad.findings[0].measures[0] = None  # a NOT NULL title: fails inside the second report
        changed = copy.deepcopy(seed_report)
        changed.findings = changed.findings[:3]  # would mark seven findings removed
        with pytest.raises(Exception):
            store.save_reports(con, [good, changed, bad])
        assert as_json(store.dump(con)) == before
        assert counts(con) == before_counts

        # and the connection still works
        [r] = store.save_reports(con, [good])
        assert r.replaced is False
    finally:
        con.close()


def test_save_reports_failing_in_python_midway(tmp_db, seed, seed_report, monkeypatch):
    con = store.connect(tmp_db)
    try:
        store.save_reports(con, [seed])
        before = as_json(store.dump(con))
        real = store._save_report
        calls = []

        def flaky(cur, plan, *args):
            calls.append(plan.report.organization)
            if len(calls) == 2:
                raise RuntimeError("boom")
            return real(cur, plan, *args)

        monkeypatch.setattr(store, "_save_report", flaky)
        other = copy.deepcopy(seed_report)
        other.organization = "เทศบาลตำบลทดสอบ"
        with pytest.raises(RuntimeError):
            store.save_reports(con, [other, copy.deepcopy(seed_report)])
        assert len(calls) == 2
        assert as_json(store.dump(con)) == before
    finally:
        con.close()


# ---------------------------------------------------------------- many organizations and years

def test_many_organizations_and_years(tmp_db, seed_path, tmp_path):
    text = seed_path.read_text(encoding="utf-8")
    other = (text.replace("มวกเหล็ก", "หนองแค").replace("จังหวัดสระบุรี", "จังหวัดนครนายก")
             .replace("ประจำปี พ.ศ. 2568", "ประจำปี พ.ศ. 2567").replace("ในปี ๒๕๖๘", "ในปี ๒๕๖๗")
             .replace("ประจำปีงบประมาณ พ.ศ. ๒๕๖๙", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"))
    other_path = tmp_path / "nongkhae-2568.txt"
    other_path.write_text(other, encoding="utf-8")
    older = text.replace("ในปี ๒๕๖๘", "ในปี ๒๕๖๗").replace("ประจำปี พ.ศ. 2568", "ประจำปี พ.ศ. 2567") \
        .replace("ประจำปีงบประมาณ พ.ศ. ๒๕๖๙", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘")
    older_path = tmp_path / "muaklek-2568.txt"
    older_path.write_text(older, encoding="utf-8")

    reports = [read_report(p) for p in (seed_path, other_path, older_path)]
    assert [(r.organization, r.assessed_year, r.plan_year) for r in reports] == [
        ("องค์การบริหารส่วนตำบลมวกเหล็ก", 2568, 2569),
        ("องค์การบริหารส่วนตำบลหนองแค", 2567, 2568),
        ("องค์การบริหารส่วนตำบลมวกเหล็ก", 2567, 2568),
    ]
    con = store.connect(tmp_db)
    try:
        results = store.save_reports(con, reports)
        assert [r.replaced for r in results] == [False, False, False]
        c = counts(con)
        assert (c["organizations"], c["assessments"], c["findings"], c["measures"]) == (2, 3, 30, 69)
        data = store.dump(con)
        orgs = {o["name"]: o for o in data["organizations"]}
        assert orgs["องค์การบริหารส่วนตำบลหนองแค"]["province"] == "นครนายก"
        assert orgs["องค์การบริหารส่วนตำบลหนองแค"]["district"] == "หนองแค"
        assert [(a["assessed_year"], a["plan_year"]) for a in orgs["องค์การบริหารส่วนตำบลมวกเหล็ก"]["assessments"]] \
            == [(2567, 2568), (2568, 2569)]
        assert len(store.assessments(con)) == 3

        # a status set in one organization's year does not touch the others
        a2569 = next(a for a in store.assessments(con)
                     if a["organization"].endswith("มวกเหล็ก") and a["plan_year"] == 2569)
        m = store.measures(con, a2569["id"])[0]["id"]
        store.update_measure(con, m, "done", 100, None, "สมชาย")
        touched = [(o["name"], a["plan_year"]) for o in store.dump(con)["organizations"] for a in o["assessments"]
                   if any(x["history"] for f in a["findings"] for x in f["measures"])]
        assert touched == [("องค์การบริหารส่วนตำบลมวกเหล็ก", 2569)]

        # re-importing one of them replaces only that one
        [again] = store.save_reports(con, [read_report(other_path)])
        assert again.replaced is True and counts(con) == {**c, "status_history": 1}
    finally:
        con.close()


# ---------------------------------------------------------------- unknown division names

def test_unknown_division_keeps_its_spacing_and_is_one_division(tmp_db, write_report):
    from conftest import row
    first = read_report(write_report([row(divisions="สำนักปลัด คณะทำงาน ITA")]))
    other = first.organization.replace("ทดสอบ", "ทดสอบสอง")
    second = copy.deepcopy(first)
    second.organization = other
    second.findings[0].divisions = ["คณะทำงานITA"]  # as an older import stored it
    assert first.findings[0].divisions == ["สำนักปลัด", "คณะทำงาน ITA"]
    con = store.connect(tmp_db)
    try:
        store.save_reports(con, [first, second])
        assert store.division_list(con)[-1] == "คณะทำงาน ITA"
        assert len(store.division_list(con)) == len(divisions.DIVISIONS) + 1
        [a, b] = sorted(store.assessments(con), key=lambda a: a["organization"])
        assert store.findings(con, a["id"])[0]["divisions"] == ["สำนักปลัด", "คณะทำงาน ITA"]
        assert store.findings(con, b["id"])[0]["divisions"] == ["คณะทำงาน ITA"]
    finally:
        con.close()
