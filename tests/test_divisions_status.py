"""Shared measures: each responsible division reports its own status and percent; the measure's own
status is derived (done when every division is); status and percent must agree; re-imports that
change a finding's divisions, the workload per division, statuses as of a day, the v2 -> v3
migration, and the dump."""
from __future__ import annotations

import shutil
from datetime import date, datetime

import duckdb
import pytest

from ita_data import framework, store, views
from ita_data.importers import read_report

from conftest import SEED

FIVE = ["สำนักปลัด", "กองช่าง", "กองคลัง", "กองสวัสดิการสังคม", "กองสาธารณสุขและสิ่งแวดล้อม"]


@pytest.fixture
def con(seeded_copy):
    con = store.connect(seeded_copy)
    yield con
    con.close()


def mid(con, ref: str) -> int:
    finding_seq, seq = (int(x) for x in ref.split("."))
    return con.cursor().execute(
        "SELECT m.id FROM measures m JOIN findings f ON f.id = m.finding_id WHERE f.seq = ? AND m.seq = ? "
        "AND m.removed_at IS NULL", [finding_seq, seq]).fetchone()[0]


def measure(con, ref: str) -> dict:
    assessment = store.assessments(con)[0]["id"]
    return next(m for m in store.measures(con, assessment) if m["id"] == mid(con, ref))


def own(con, ref: str) -> dict[str, tuple[str, int]]:
    return {d["division"]: (d["status"], d["progress"]) for d in measure(con, ref)["division_status"]}


def test_one_division_done_is_not_the_measure_done(con):
    m = mid(con, "1.1")
    store.update_measure(con, m, "done", 100, "ส่งคู่มือแล้ว", "สมชาย", division="กองช่าง", at=datetime(2026, 1, 5))
    state = measure(con, "1.1")
    assert (state["status"], state["progress"]) == ("in_progress", 20)  # one of five at 100%
    assert own(con, "1.1") == {**{d: ("not_started", 0) for d in FIVE}, "กองช่าง": ("done", 100)}
    for i, division in enumerate(FIVE):
        if division != "กองช่าง":
            store.update_measure(con, m, "done", 100, None, "สมชาย", division=division, at=datetime(2026, 1, 6 + i))
    assert (measure(con, "1.1")["status"], measure(con, "1.1")["progress"]) == ("done", 100)
    # the history says who reported for which division, and what the measure became
    [last, *_, first] = store.history(con, measure_id=m)
    assert (first["division"], first["status"], first["measure_status"], first["measure_progress"]) == \
        ("กองช่าง", "done", "in_progress", 20)
    assert (last["measure_status"], last["measure_progress"]) == ("done", 100)


def test_cancelled_divisions_are_set_aside_and_the_mean_is_of_the_others(con):
    m = mid(con, "2.1")  # สำนักปลัด and กองคลัง
    store.update_measure(con, m, "cancelled", 0, "ไม่เกี่ยวข้อง", "สมชาย", division="กองคลัง")
    assert measure(con, "2.1")["status"] == "not_started"
    store.update_measure(con, m, "in_progress", 60, None, "สมหญิง", division="สำนักปลัด")
    assert (measure(con, "2.1")["status"], measure(con, "2.1")["progress"]) == ("in_progress", 60)
    store.update_measure(con, m, "done", 100, None, "สมหญิง", division="สำนักปลัด")
    assert measure(con, "2.1")["status"] == "done"
    store.update_measure(con, m, "cancelled", 100, None, "สมหญิง", division="สำนักปลัด")
    assert measure(con, "2.1")["status"] == "cancelled"


def test_a_report_for_the_whole_measure_sets_every_division(con):
    m = mid(con, "2.2")
    store.update_measure(con, m, "in_progress", 30, None, "ผู้ดูแลระบบ")
    assert own(con, "2.2") == {"สำนักปลัด": ("in_progress", 30), "กองคลัง": ("in_progress", 30)}
    assert measure(con, "2.2")["progress"] == 30
    assert store.history(con, measure_id=m)[0]["division"] is None


@pytest.mark.parametrize("status, progress, words", [
    ("not_started", 50, "ต้องมีความคืบหน้า 0%"),
    ("in_progress", 100, "เลือกสถานะ เสร็จแล้ว"),
])
def test_status_and_percent_must_agree(con, status, progress, words):
    before = store.dump(con)
    with pytest.raises(ValueError, match=words):
        store.update_measure(con, mid(con, "8.1"), status, progress, None, "สมชาย")
    assert store.dump(con) == before


def test_only_a_responsible_division_reports(con):
    before = store.dump(con)
    with pytest.raises(ValueError, match="ไม่ใช่หน่วยงานรับผิดชอบ"):
        store.update_measure(con, mid(con, "8.1"), "in_progress", 10, None, "สมชาย", division="กองช่าง")
    assert store.dump(con) == before
    # another spelling of a responsible division is that division
    store.update_measure(con, mid(con, "8.1"), "in_progress", 10, None, "สมชาย", division="สำนักงานปลัด")
    assert own(con, "8.1") == {"สำนักปลัด": ("in_progress", 10)}


def test_a_reimport_that_drops_a_division_recomputes_the_measure(con, tmp_path):
    m = mid(con, "2.1")
    store.update_measure(con, m, "done", 100, None, "สมชาย", division="กองคลัง")
    assert measure(con, "2.1")["status"] == "in_progress"
    text = SEED.read_text(encoding="utf-8")
    row2 = next(line for line in text.splitlines() if line.startswith("๒. การใช้ งบประมาณ"))
    # row 2 given to กองคลัง alone: the measure is then done, and สำนักปลัด's row stays on record
    changed = text.replace(row2, row2.rsplit("\t", 1)[0] + "\tกองคลัง")
    path = tmp_path / "row2.txt"
    path.write_text(changed, encoding="utf-8")
    store.save_reports(con, [read_report(path)])
    assert measure(con, "2.1")["divisions"] == ["กองคลัง"]
    assert (measure(con, "2.1")["status"], measure(con, "2.1")["progress"]) == ("done", 100)


def test_the_workload_counts_each_division_by_its_own_status(con):
    store.update_measure(con, mid(con, "1.1"), "done", 100, None, "สมชาย", division="กองช่าง")
    assessment = store.assessments(con)[0]["id"]
    measures = views.measures_frame(con, assessment, on=date(2026, 3, 16))
    findings = views.findings_frame(con, assessment)
    workload = views.division_workload(measures, findings).set_index("division")
    assert workload.loc["กองช่าง", "done"] == 1 and workload.loc["กองคลัง", "done"] == 0
    assert workload.loc["กองช่าง", "measures"] == 14
    # after the year ended, every open division's measure is overdue for it, not กองช่าง's done one
    late = views.measures_frame(con, assessment, on=date(2026, 10, 5))
    workload = views.division_workload(late, findings).set_index("division")
    assert workload.loc["กองช่าง", "overdue"] == 13 and workload.loc["กองคลัง", "overdue"] == 17
    mine = views.division_view(late, "กองช่าง", date(2026, 10, 5)).set_index("ref")
    assert (mine.loc["1.1", "status"], bool(mine.loc["1.1", "overdue"])) == ("done", False)
    assert (mine.loc["1.1", "measure_status"], bool(late.set_index("ref").loc["1.1", "overdue"])) == ("in_progress", True)


def test_statuses_as_of_a_day_follow_each_division(con):
    m = mid(con, "2.1")
    store.update_measure(con, m, "done", 100, None, "ก", division="กองคลัง", at=datetime(2026, 1, 10, 3))
    store.update_measure(con, m, "in_progress", 50, None, "ข", division="สำนักปลัด", at=datetime(2026, 2, 10, 3))
    assessment = store.assessments(con)[0]["id"]
    measures = views.measures_frame(con, assessment, on=date(2026, 3, 16))
    history = views.history_frame(con, assessment)
    january = views.measures_as_of(measures, history, date(2026, 1, 31)).set_index("ref")
    assert (january.loc["2.1", "status"], january.loc["2.1", "progress"]) == ("in_progress", 50)
    assert {d["division"]: d["status"] for d in january.loc["2.1", "division_status"]} == \
        {"สำนักปลัด": "not_started", "กองคลัง": "done"}
    changes = views.changes_between(history, measures, date(2026, 2, 1), date(2026, 2, 28))
    [row] = changes.to_dict("records")
    assert (row["status_before"], row["progress_before"], row["status"], row["progress"]) == \
        ("in_progress", 50, "in_progress", 75)
    assert row["editor"] == "ข (สำนักปลัด)"


def test_dump_holds_each_division_and_the_division_of_each_report(con):
    store.update_measure(con, mid(con, "1.1"), "in_progress", 40, "เริ่มแล้ว", "สมชาย", division="กองช่าง",
                         at=datetime(2026, 1, 5))
    finding = store.dump(con)["organizations"][0]["assessments"][0]["findings"][0]
    first = finding["measures"][0]
    assert first["division_status"] == [{"division": "กองช่าง", "status": "in_progress", "progress": 40,
                                         "updated_at": "2026-01-05T00:00:00+00:00"}]
    assert first["history"][0]["division"] == "กองช่าง" and first["history"][0]["measure_progress"] == 8


V2_TABLES = ("organizations", "assessments", "imports", "findings", "finding_lists", "measures",
             "finding_divisions")


def test_a_v2_database_keeps_its_statuses_per_division(seeded_db, tmp_path):
    """Statuses reported before v3 (one per measure) become every responsible division's, so nothing
    a division reported is lost and the measure keeps its status; a status and percent that
    disagreed are made to agree."""
    path = tmp_path / "v2.duckdb"
    con = duckdb.connect(str(path))
    store.migrate(con, target=2)  # the seed's rows copied into a database of schema 2
    cur = con.cursor()
    cur.execute("ATTACH ? AS seeded (READ_ONLY)", [str(seeded_db)])
    assert cur.execute("SELECT count(*) FROM seeded.divisions WHERE id NOT IN (SELECT id FROM divisions)"
                       ).fetchone()[0] == 0
    for table in V2_TABLES:  # the v2 columns of each; names from the constant above and the catalog
        columns = ", ".join(name for name, in cur.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND table_name = ? "
            "ORDER BY column_index", [table]).fetchall())
        cur.execute(f"INSERT INTO {table} SELECT {columns} FROM seeded.{table}")
    cur.execute("DETACH seeded")
    ids = dict(cur.execute("SELECT f.seq || '.' || m.seq, m.id FROM measures m JOIN findings f ON f.id = m.finding_id"
                           ).fetchall())
    for ref, status, progress in (("2.1", "done", 100), ("8.1", "not_started", 40), ("1.2", "in_progress", 30)):
        cur.execute("UPDATE measures SET status = ?, progress = ?, updated_at = ? WHERE id = ?",
                    [status, progress, datetime(2026, 1, 2), ids[ref]])
        cur.execute("INSERT INTO status_history (measure_id, status, progress, note, editor, changed_at) "
                    "VALUES (?, ?, ?, 'ก่อน v3', 'สมชาย', ?)", [ids[ref], status, progress, datetime(2026, 1, 2)])
    con.close()
    con = store.connect(path)
    try:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        assert own(con, "2.1") == {"สำนักปลัด": ("done", 100), "กองคลัง": ("done", 100)}
        assert own(con, "8.1") == {"สำนักปลัด": ("in_progress", 40)}  # no longer "not started" at 40%
        assert set(own(con, "1.2").values()) == {("in_progress", 30)}
        assert (measure(con, "2.1")["status"], measure(con, "1.2")["progress"]) == ("done", 30)
        assert own(con, "3.1") == {"สำนักปลัด": ("not_started", 0), "กองคลัง": ("not_started", 0)}
        [h] = store.history(con, measure_id=ids["8.1"])
        assert (h["status"], h["progress"], h["division"], h["measure_status"]) == ("not_started", 40, None, "not_started")
    finally:
        con.close()


def test_combined_status_rules():
    assert framework.combined_status([]) == ("not_started", 0)
    assert framework.combined_status([("done", 100), ("not_started", 0)]) == ("in_progress", 50)
    assert framework.combined_status([("done", 100), ("cancelled", 10)]) == ("done", 100)
    assert framework.combined_status([("cancelled", 10), ("cancelled", 30)]) == ("cancelled", 20)
    assert framework.combined_status([("in_progress", 0), ("not_started", 0)]) == ("in_progress", 0)
    assert framework.combined_status([("in_progress", 99), ("done", 100)]) == ("in_progress", 99)


def test_the_changes_slide_keeps_a_note_with_its_writer(con):
    """A note and a later report without one by another division: the note is not shown as the
    later reporter's (it names its own writer)."""
    m = mid(con, "1.1")
    store.update_measure(con, m, "done", 100, "กองช่างทำส่วนของตนเสร็จ", "ช่าง", division="กองช่าง",
                         at=datetime(2026, 2, 5, 3))
    store.update_measure(con, m, "in_progress", 30, None, "คลัง", division="กองคลัง", at=datetime(2026, 2, 9, 3))
    assessment = store.assessments(con)[0]["id"]
    measures = views.measures_frame(con, assessment, on=date(2026, 3, 16))
    history = views.history_frame(con, assessment)
    [row] = views.changes_between(history, measures, date(2026, 2, 1), date(2026, 2, 28)).to_dict("records")
    assert row["editor"] == "คลัง (กองคลัง)"
    assert row["note"] == "กองช่างทำส่วนของตนเสร็จ — ช่าง (กองช่าง)"
    store.update_measure(con, m, "in_progress", 40, "คลังเริ่มแล้ว", "คลัง", division="กองคลัง", at=datetime(2026, 2, 12, 3))
    history = views.history_frame(con, assessment)
    [row] = views.changes_between(history, measures, date(2026, 2, 1), date(2026, 2, 28)).to_dict("records")
    assert row["note"] == "คลังเริ่มแล้ว"  # its writer reported last: said once, in the reporter column


def test_the_timeline_of_one_division_shows_its_own_status(con):
    """กองช่าง done with its part of 1.1 (five divisions): its timeline shows 1.1 done; the whole
    timeline shows the measure in progress."""
    store.update_measure(con, mid(con, "1.1"), "done", 100, None, "ช่าง", division="กองช่าง",
                         at=datetime(2026, 2, 5, 3))
    assessment = store.assessments(con)[0]["id"]
    on = date(2026, 3, 16)
    data = views.assessment_data(views.findings_frame(con, assessment), views.measures_frame(con, assessment, on=on),
                                 store.division_list(con), on=on, plan_year=2569)
    mine = views.timeline_data(data, ("กองช่าง",))
    everyone = views.timeline_data(data, ())
    assert mine.own_division == "กองช่าง" and everyone.own_division is None
    assert mine.timeline.set_index("ref").loc["1.1", "status"] == "done"
    assert everyone.timeline.set_index("ref").loc["1.1", "status"] == "in_progress"
