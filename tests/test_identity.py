"""Data identity on re-import: measures matched by their text (then by position, with a warning),
organizations by name + province (+ district, agency code), every import recorded, foreign keys,
the data version, the plan shown before writing, and the v1 -> v2 migration. On the seed report and
on reordered, reworded and shortened copies of its text."""
from __future__ import annotations

import copy
import json
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from conftest import SEED
from ita_data import store
from ita_data.importers import ReportError, read_report

ORG = "องค์การบริหารส่วนตำบลมวกเหล็ก"
SEED_TEXT = SEED.read_text(encoding="utf-8")

# row 1's two measures, row 2's first, row 4's three and row 7's five, as the seed's cells write them
R1 = ("จัดทำคู่มือหรือมาตรฐานการปฏิบัติงานและเผยแพร่ประชาสัมพันธ์ให้ผู้มาติดต่อหรือรับบริการได้รับทราบ",
      "จัดทำคู่มือหรือมาตรฐานการให้บริการและเผยแพร่ประชาสัมพันธ์ให้ผู้มาติดต่อหรือรับบริการได้รับทราบ")
R2_1 = "โครงการติดตาม และ ประเมินผลการใช้งบประมาณ"


def table_rows(text: str) -> list[int]:
    """Line indices of the seed's table rows (eight tab-separated cells, a Thai row number first)."""
    lines = text.split("\n")
    return [i for i, line in enumerate(lines) if line.count("\t") == 7 and line[:1] in "๑๒๓๔๕๖๗๘๙"]


def with_measures(row: int, items: list[str], text: str = SEED_TEXT) -> str:
    """The seed's text with the measures cell of table row `row` (1-based) listing `items`."""
    lines = text.split("\n")
    i = table_rows(text)[row - 1]
    cells = lines[i].split("\t")
    cells[3] = " ".join(f"{'๑๒๓๔๕๖๗๘๙'[k]}. {item}" for k, item in enumerate(items))
    lines[i] = "\t".join(cells)
    return "\n".join(lines)


def measures_of(row: int, text: str = SEED_TEXT) -> list[str]:
    return read_report_text(text).findings[row - 1].measures


def read_report_text(text: str, name: str = "copy.txt"):
    from ita_data.importers import read_bytes
    return read_bytes(text.encode("utf-8"), name)


@pytest.fixture
def con(tmp_db):
    con = store.connect(tmp_db)
    yield con
    con.close()


def seeded(con):
    [result] = store.save_reports(con, [read_report(SEED)])
    return result


def stored_measure(con, measure_id: int) -> dict:
    return store._rows(con, "SELECT * FROM measures WHERE id = ?", [measure_id])[0]


def current(con, finding_seq: int) -> list[dict]:
    """The current measures of a row of the (only) assessment, in order."""
    a = store.assessments(con)[0]
    return [m for m in store.measures(con, a["id"]) if m["finding_seq"] == finding_seq]


def as_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


# ---------------------------------------------------------------- measures

def test_swapped_measures_keep_their_status_note_and_history(con):
    seeded(con)
    first, second = current(con, 1)
    assert (first["title"], second["title"]) == R1
    store.update_measure(con, first["id"], "done", 100, "ประกาศใช้แล้ว", "สมชาย", at=datetime(2026, 1, 5, 9))

    swapped = read_report_text(with_measures(1, [R1[1], R1[0]]), "swapped.txt")
    [plan] = store.plan_import(con, [swapped])
    row1 = [m for m in plan.measures if m.finding_seq == 1]
    assert [(m.change, m.seq, m.old_seq, m.measure_id) for m in row1] == [
        ("kept", 1, 2, second["id"]), ("kept", 2, 1, first["id"])]
    assert plan.counts() == {"kept": 23, "new": 0, "removed": 0, "renamed": 0, "revived": 0}
    assert plan.warnings == []

    store.save_reports(con, [swapped])
    now_first, now_second = current(con, 1)
    assert (now_first["id"], now_first["title"], now_first["status"]) == (second["id"], R1[1], "not_started")
    assert (now_second["id"], now_second["title"], now_second["status"]) == (first["id"], R1[0], "done")
    [h] = store.history(con, measure_id=first["id"])
    assert (h["title"], h["note"], h["status"]) == (R1[0], "ประกาศใช้แล้ว", "done")
    assert store.history(con, measure_id=second["id"]) == []


def test_respaced_and_renumbered_text_is_the_same_measure(con):
    seeded(con)
    [m1, m2] = current(con, 2)
    store.update_measure(con, m1["id"], "in_progress", 30, "ส่งร่างแล้ว", "สมชาย")
    respaced = ["โครงการติดตามและประเมินผล การใช้งบประมาณ", "จัดทำประกาศมาตรการ เปิดเผยข้อมูลด้านงบประมาณ"]
    [plan] = store.plan_import(con, [read_report_text(with_measures(2, respaced))])
    assert [m.change for m in plan.measures if m.finding_seq == 2] == ["kept", "kept"]
    assert plan.warnings == []


def test_renamed_measure_keeps_its_history_with_a_warning_naming_both(con):
    seeded(con)
    [m1, m2] = current(con, 2)
    store.update_measure(con, m1["id"], "in_progress", 30, "ส่งร่างแล้ว", "สมชาย")
    new_text = "โครงการติดตามและประเมินผลการใช้จ่ายงบประมาณประจำปี"
    renamed = read_report_text(with_measures(2, [new_text, measures_of(2)[1]]), "renamed.txt")

    [plan] = store.plan_import(con, [renamed])
    [change] = [m for m in plan.measures if m.change == "renamed"]
    assert (change.finding_seq, change.seq, change.measure_id, change.old_title, change.title) == (
        2, 1, m1["id"], R2_1, new_text)
    [warning] = plan.warnings
    assert R2_1 in warning and new_text in warning and "แถว 2" in warning and "ตามลำดับ" in warning

    [result] = store.save_reports(con, [renamed], imported_by="สมหญิง")
    assert result.plan.warnings == plan.warnings
    after = stored_measure(con, m1["id"])
    assert (after["title"], after["status"], after["progress"], after["removed_at"]) == (
        new_text, "in_progress", 30, None)
    [h] = store.history(con, measure_id=m1["id"])
    assert h["note"] == "ส่งร่างแล้ว"
    last = store.imports(con)[-1]
    assert (last["measures_renamed"], last["measures_kept"], last["imported_by"]) == (1, 22, "สมหญิง")
    assert last["match_warnings"] == [warning]


def test_unequal_leftovers_are_new_and_removed_not_renamed(con):
    """Row 7 loses two measures and gains one: which old one the new text replaces cannot be told,
    so no history moves to it."""
    seeded(con)
    old = measures_of(7)
    items = [old[0], old[1], "จัดทำแอปพลิเคชันสำหรับประชาชน", old[4]]
    [plan] = store.plan_import(con, [read_report_text(with_measures(7, items))])
    row7 = [(m.change, m.title) for m in plan.measures if m.finding_seq == 7]
    assert sorted(row7) == sorted([("kept", old[0]), ("kept", old[1]), ("new", "จัดทำแอปพลิเคชันสำหรับประชาชน"),
                                   ("kept", old[4]), ("removed", old[2]), ("removed", old[3])])
    assert plan.warnings == []


def test_removed_measure_is_marked_keeps_history_and_is_revived(con, tmp_path):
    seeded(con)
    a = store.assessments(con)[0]
    gone = current(con, 4)[1]
    store.update_measure(con, gone["id"], "in_progress", 20, "นัดประชุมแล้ว", "สมชาย", at=datetime(2026, 1, 9))
    old = measures_of(4)
    shorter = read_report_text(with_measures(4, [old[0], old[2]]), "shorter.txt")

    [plan] = store.plan_import(con, [shorter])
    row4 = [(m.change, m.seq, m.old_seq) for m in plan.measures if m.finding_seq == 4]
    assert row4 == [("kept", 1, 1), ("kept", 2, 3), ("removed", None, 2)]
    store.save_reports(con, [shorter])

    assert [m["title"] for m in current(con, 4)] == [old[0], old[2]]
    assert len(store.measures(con, a["id"])) == 22
    dumped = next(f for f in store.dump(con)["organizations"][0]["assessments"][0]["findings"] if f["seq"] == 4)
    [kept_gone] = [m for m in dumped["measures"] if m.get("removed_at")]
    assert kept_gone["title"] == old[1] and kept_gone["history"][0]["note"] == "นัดประชุมแล้ว"
    assert store.history(con, measure_id=gone["id"])[0]["note"] == "นัดประชุมแล้ว"

    # the measure comes back with the same text: the same measure, its status and history with it
    [plan] = store.plan_import(con, [read_report(SEED)])
    assert [(m.change, m.measure_id) for m in plan.measures if m.change != "kept"] == [("revived", gone["id"])]
    store.save_reports(con, [read_report(SEED)])
    back = current(con, 4)[1]
    assert (back["id"], back["seq"], back["status"], back["progress"]) == (gone["id"], 2, "in_progress", 20)
    assert stored_measure(con, gone["id"])["removed_at"] is None
    assert store.imports(con)[-1]["measures_revived"] == 1


def test_a_row_that_leaves_and_comes_back(con):
    seeded(con)
    m = current(con, 5)[1]
    store.update_measure(con, m["id"], "in_progress", 10, None, "สมชาย")
    shorter = read_report(SEED)
    shorter.findings = [f for f in shorter.findings if f.seq != 5]
    [plan] = store.plan_import(con, [shorter])
    assert [f.seq for f in plan.findings if f.change == "removed"] == [5]
    assert plan.counts()["removed"] == 2
    store.save_reports(con, [shorter])
    [plan] = store.plan_import(con, [read_report(SEED)])
    assert [f.change for f in plan.findings if f.seq == 5] == ["revived"]
    assert [m2.change for m2 in plan.measures if m2.finding_seq == 5] == ["revived", "revived"]
    store.save_reports(con, [read_report(SEED)])
    assert current(con, 5)[1]["id"] == m["id"] and current(con, 5)[1]["status"] == "in_progress"


# ---------------------------------------------------------------- the plan is what is written

def test_plan_shown_is_what_save_reports_writes(con):
    seeded(con)
    old = measures_of(7)
    text = with_measures(1, [R1[1], R1[0]])
    text = with_measures(2, ["โครงการใหม่ทั้งหมด", measures_of(2)[1]], text)
    text = with_measures(7, [old[4], old[0], "มาตรการเพิ่มเติม", old[1]], text)
    changed = read_report_text(text, "changed.txt")
    before = as_json(store.dump(con))
    [plan] = store.plan_import(con, [changed])
    assert as_json(store.dump(con)) == before  # planning wrote nothing
    [result] = store.save_reports(con, [changed])
    assert result.plan == plan
    a = store.assessments(con)[0]
    written = {m["id"]: m for m in store.measures(con, a["id"])}
    for m in plan.measures:
        if m.change == "new":
            assert any((w["finding_seq"], w["seq"], w["title"]) == (m.finding_seq, m.seq, m.title)
                       for w in written.values())
        elif m.change == "removed":
            assert m.measure_id not in written and stored_measure(con, m.measure_id)["removed_at"]
        else:
            w = written[m.measure_id]
            assert (w["finding_seq"], w["seq"], w["title"]) == (m.finding_seq, m.seq, m.title)
    assert len(written) == sum(1 for m in plan.measures if m.change != "removed")
    counts = plan.counts()
    last = store.imports(con)[-1]
    assert (last["measures_kept"], last["measures_new"], last["measures_removed"], last["measures_renamed"]) == (
        counts["kept"], counts["new"], counts["removed"], counts["renamed"])
    assert counts["renamed"] == 1 and counts["new"] == 1 and counts["removed"] == 2


def test_two_files_for_one_assessment_are_refused(con):
    before = as_json(store.dump(con))
    with pytest.raises(ReportError, match="b.txt.*a.txt"):
        store.save_reports(con, [read_report_text(SEED_TEXT, "a.txt"), read_report_text(SEED_TEXT, "b.txt")])
    assert as_json(store.dump(con)) == before


# ---------------------------------------------------------------- organizations

def elsewhere(text: str = SEED_TEXT, province: str = "ลพบุรี", district: str | None = "เมืองลพบุรี") -> str:
    out = text.replace("จังหวัดสระบุรี", f"จังหวัด{province}")
    return out.replace("อำเภอมวกเหล็ก", f"อำเภอ{district}") if district else out


def test_same_name_in_another_province_is_another_organization(con):
    seeded(con)
    m = current(con, 1)[0]
    store.update_measure(con, m["id"], "done", 100, "เสร็จ", "สมชาย")
    saraburi = as_json(store.dump(con)["organizations"][0])

    other = read_report_text(elsewhere(), "lopburi.txt")
    [plan] = store.plan_import(con, [other])
    assert plan.organization_id is None and plan.assessment_id is None
    assert "คนละแห่ง" in plan.organization_note and "สระบุรี" in plan.organization_note
    [result] = store.save_reports(con, [other])
    assert result.replaced is False

    orgs = store.organizations(con)
    assert [(o["name"], o["province"], o["district"]) for o in orgs] == [
        (ORG, "ลพบุรี", "เมืองลพบุรี"), (ORG, "สระบุรี", "มวกเหล็ก")]
    data = store.dump(con)
    assert as_json(next(o for o in data["organizations"] if o["province"] == "สระบุรี")) == saraburi
    rows = store.assessments(con)
    assert sorted((a["province"], a["district"]) for a in rows) == [("ลพบุรี", "เมืองลพบุรี"), ("สระบุรี", "มวกเหล็ก")]
    assert len({a["organization_id"] for a in rows}) == 2


def test_same_name_and_province_with_a_missing_district_is_the_same_organization(con):
    seeded(con)
    no_district = read_report(SEED)
    no_district.district = None
    [plan] = store.plan_import(con, [no_district])
    assert plan.organization_id == store.organizations(con)[0]["id"] and plan.replaced
    other_district = read_report(SEED)
    other_district.district = "แก่งคอย"
    [plan] = store.plan_import(con, [other_district])
    assert plan.organization_id is None  # same name and province, another district: another one


def test_a_report_without_a_province(con, tmp_path):
    seeded(con)
    bare = read_report(SEED)
    bare.province = bare.district = None
    [plan] = store.plan_import(con, [bare])
    assert plan.organization_id == store.organizations(con)[0]["id"]
    assert "ไม่ระบุจังหวัด" in plan.organization_note and "สระบุรี" in plan.organization_note
    store.save_reports(con, [read_report_text(elsewhere(), "lopburi.txt")])
    before = as_json(store.dump(con))
    bare.source_file = "ไม่มีจังหวัด.txt"
    with pytest.raises(ReportError) as e:
        store.save_reports(con, [bare])
    message = str(e.value)
    assert "\n" not in message and message.startswith("ไม่มีจังหวัด.txt: ")
    assert "สระบุรี" in message and "ลพบุรี" in message and "ระบุจังหวัด" in message
    assert as_json(store.dump(con)) == before


def _write_table(path: Path, code: str | None, province: str | None = "สระบุรี", name="อบต.มวกเหล็ก") -> Path:
    from ita_data.importers.table import EXAMPLE_ROWS, HEADER
    rows = [{**row, "organization": name, "province": province, "agency_code": code} for row in EXAMPLE_ROWS]
    if path.suffix == ".xlsx":
        from openpyxl import Workbook
        book = Workbook()
        book.active.append(list(HEADER.values()))
        for row in rows:
            book.active.append([row.get(key) for key in HEADER])
        book.save(path)
    else:
        import csv
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(HEADER.values())
            for row in rows:
                writer.writerow(["" if row.get(key) is None else row.get(key) for key in HEADER])
    return path


def test_agency_code_from_a_sheet_is_kept_and_identifies(con, tmp_path):
    pytest.importorskip("openpyxl")
    seeded(con)
    sheet = read_report(_write_table(tmp_path / "แบบฟอร์ม.xlsx", "6190401"))
    assert (sheet.organization, sheet.agency_code, sheet.plan_year) == (ORG, "6190401", 2569)
    [plan] = store.plan_import(con, [sheet])
    assert plan.organization_id == store.organizations(con)[0]["id"]  # name + province: the seed's
    assert plan.organization_fill == {"agency_code": "6190401"}
    store.save_reports(con, [sheet])
    [org] = store.organizations(con)
    assert org["agency_code"] == "6190401" and org["province"] == "สระบุรี"
    assert store.dump(con)["organizations"][0]["agency_code"] == "6190401"

    # the code alone finds it, whatever province a later sheet gives
    moved = read_report(_write_table(tmp_path / "moved.csv", "๖๑๙๐๔๐๑", province="ลพบุรี"))
    assert moved.agency_code == "6190401"
    [plan] = store.plan_import(con, [moved])
    assert plan.organization_id == org["id"] and "6190401" in plan.organization_note
    # another code with the same name and province: another organization
    [plan] = store.plan_import(con, [read_report(_write_table(tmp_path / "other.csv", "6190499"))])
    assert plan.organization_id is None


def test_a_bad_agency_code_is_refused_naming_the_cell(tmp_path):
    with pytest.raises(ReportError) as e:
        read_report(_write_table(tmp_path / "bad.csv", "61-90x"))
    assert "bad.csv" in str(e.value) and "รหัสหน่วยงาน" in str(e.value) and "61-90x" in str(e.value)


# ---------------------------------------------------------------- imports, keys, version

def test_every_import_is_a_row_of_its_own(con):
    seeded(con)
    store.save_reports(con, [read_report_text(with_measures(1, [R1[1], R1[0]]), "swapped.txt")],
                       imported_by="สมหญิง")
    store.save_reports(con, [read_report(SEED)])
    rows = store.imports(con)
    assert [(Path(r["source_file"]).name, r["imported_by"]) for r in rows] == [
        (SEED.name, None), ("swapped.txt", "สมหญิง"), (SEED.name, None)]
    assert [(r["findings_new"], r["measures_new"], r["measures_kept"]) for r in rows] == [(10, 23, 0), (0, 0, 23),
                                                                                         (0, 0, 23)]
    assert all(r["warnings"] == 24 for r in rows)
    assert rows[0]["imported_at"] <= rows[1]["imported_at"] <= rows[2]["imported_at"]
    [a] = store.dump(con)["organizations"][0]["assessments"]
    assert len(a["imports"]) == 3 and a["imports"][1]["imported_by"] == "สมหญิง"
    assert a["source_file"] == rows[-1]["source_file"]  # the latest import's, as before
    assert store.assessments(con)[0]["imports"] == 3


@pytest.mark.parametrize("sql, params", [
    ("INSERT INTO findings (assessment_id, seq, indicator_no) VALUES (?, 1, 1)", [999_999]),
    ("INSERT INTO measures (finding_id, seq, title) VALUES (?, 1, 'x')", [999_999]),
    ("INSERT INTO status_history (measure_id, status, progress, editor, changed_at) "
     "VALUES (?, 'done', 100, 'x', now())", [999_999]),
    ("INSERT INTO assessments (organization_id, assessed_year, plan_year, created_at) VALUES (?, 2568, 2569, now())",
     [999_999]),
    ("INSERT INTO imports (assessment_id, imported_at, report_warnings, match_warnings) VALUES (?, now(), [], [])",
     [999_999]),
    ("INSERT INTO finding_divisions VALUES (?, 1, 1)", [999_999]),
    ("INSERT INTO finding_lists VALUES (?, [], [])", [999_999]),
])
def test_foreign_keys_refuse_an_orphan(con, sql, params):
    seeded(con)
    with pytest.raises(duckdb.ConstraintException, match="foreign key"):
        con.cursor().execute(sql, params)


def test_foreign_keys_refuse_deleting_what_is_referenced(con):
    seeded(con)
    with pytest.raises(duckdb.ConstraintException):
        con.cursor().execute("DELETE FROM assessments")


def test_the_data_version_moves_on_writes_only(con):
    start = store.last_change(con)
    seeded(con)
    imported = store.last_change(con)
    assert imported != start
    a = store.assessments(con)[0]
    for read in (lambda: store.dump(con), lambda: store.plan_import(con, [read_report(SEED)]),
                 lambda: store.measures(con, a["id"]), lambda: store.warnings(con), lambda: store.assessments(con)):
        read()
    assert store.last_change(con) == imported
    m = store.measures(con, a["id"])[0]["id"]
    store.update_measure(con, m, "in_progress", 10, None, "สมชาย")
    updated = store.last_change(con)
    assert updated != imported
    with pytest.raises(ValueError):
        store.update_measure(con, 999_999, "done", 100, None, "สมชาย")  # rolled back
    bad = read_report(SEED)
    bad.findings[0].measures[0] = None
    with pytest.raises(Exception):
        store.save_reports(con, [bad])
    assert store.last_change(con) == updated
    versions = [int(s.split(":")[1]) for s in (start, imported, updated)]
    assert versions == [versions[0], versions[0] + 1, versions[0] + 2]


def test_two_databases_never_share_a_stamp(tmp_path):
    one, two = store.connect(tmp_path / "one.duckdb"), store.connect(tmp_path / "two.duckdb")
    try:
        assert store.last_change(one) != store.last_change(two)
    finally:
        one.close()
        two.close()


# ---------------------------------------------------------------- v1 databases

def _write_v1(path: Path, report) -> None:
    """A database of schema 1, as the v1 code wrote it: the v1 DDL (store._v1), one report."""
    con = duckdb.connect(str(path))
    store.migrate(con, target=1)
    cur = con.cursor()
    cur.execute("INSERT INTO organizations (name, district, province) VALUES (?, ?, ?)",
                [report.organization, report.district, report.province])
    cur.execute("INSERT INTO assessments (organization_id, assessed_year, plan_year, source_file, imported_at, "
                "report_warnings) VALUES (1, ?, ?, ?, ?, ?)",
                [report.assessed_year, report.plan_year, report.source_file, datetime(2025, 11, 3, 4, 5),
                 ["คำเตือนของรายงาน"]])
    divisions = dict(cur.execute("SELECT name, id FROM divisions").fetchall())
    for f in report.findings:
        finding_id = cur.execute(
            "INSERT INTO findings (assessment_id, seq, indicator_no, indicator_text, question_code, question, "
            "score, analysis, rationale, period_text, period_start, period_end, steps, warnings) "
            "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [f.seq, f.indicator_no, f.indicator_text, f.question_code, f.question, f.score, f.analysis,
             f.rationale, f.period_text, f.period_start, f.period_end, f.steps, f.warnings]).fetchone()[0]
        for i, name in enumerate(dict.fromkeys(f.divisions), start=1):
            if name in divisions:
                cur.execute("INSERT INTO finding_divisions VALUES (?, ?, ?)", [finding_id, divisions[name], i])
        for seq, title in enumerate(f.measures, start=1):
            cur.execute("INSERT INTO measures (finding_id, seq, title) VALUES (?, ?, ?)", [finding_id, seq, title])
    cur.execute("UPDATE measures SET status = 'done', progress = 100, updated_at = ? WHERE id = 3",
                [datetime(2026, 1, 2)])
    cur.execute("INSERT INTO status_history (measure_id, status, progress, note, editor, changed_at) "
                "VALUES (3, 'done', 100, 'เสร็จแล้ว', 'สมชาย', ?)", [datetime(2026, 1, 2)])
    cur.execute("UPDATE measures SET removed_at = ? WHERE id = 4", [datetime(2026, 1, 3)])
    con.close()


def test_a_v1_database_migrates_and_keeps_its_data(tmp_path):
    path = tmp_path / "v1.duckdb"
    report = read_report(SEED)
    _write_v1(path, report)
    con = duckdb.connect(str(path))
    assert store.schema_version(con) == 1
    v1 = {t: con.execute("SELECT * FROM query_table(?) ORDER BY ALL", [t]).fetchall()
          for t in ("organizations", "measures", "status_history", "finding_divisions", "divisions")}
    v1_findings = con.execute("SELECT id, seq, question, steps, warnings FROM findings ORDER BY id").fetchall()
    con.close()

    con = store.connect(path)
    try:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        cur = con.cursor()
        assert [row[:4] for row in cur.execute("SELECT * FROM organizations ORDER BY id").fetchall()] \
            == v1["organizations"]
        for table in ("measures", "finding_divisions", "divisions"):
            assert cur.execute("SELECT * FROM query_table(?) ORDER BY ALL", [table]).fetchall() == v1[table], table
        assert cur.execute("SELECT id, measure_id, status, progress, note, editor, changed_at FROM status_history "
                           "ORDER BY ALL").fetchall() == v1["status_history"]
        assert cur.execute("SELECT f.id, f.seq, f.question, fl.steps, fl.warnings FROM findings f "
                           "JOIN finding_lists fl ON fl.finding_id = f.id ORDER BY f.id").fetchall() == v1_findings
        [imported] = store.imports(con)
        assert (imported["source_file"], imported["imported_at"], imported["report_warnings"]) == (
            report.source_file, datetime(2025, 11, 3, 4, 5), ["คำเตือนของรายงาน"])
        [a] = store.assessments(con)
        assert (a["province"], a["source_file"], a["imports"]) == ("สระบุรี", report.source_file, 1)
        assert store.warnings(con)[0]["warning"] == "คำเตือนของรายงาน"
        assert store.history(con, measure_id=3)[0]["note"] == "เสร็จแล้ว"
        with pytest.raises(duckdb.ConstraintException):  # the keys are there now
            cur.execute("INSERT INTO measures (finding_id, seq, title) VALUES (999999, 1, 'x')")

        # and a re-import works on it: ids go on from the copied ones, status and history stay
        [result] = store.save_reports(con, [read_report(SEED)])
        assert result.replaced and result.plan.counts()["revived"] == 1  # measure 4 was removed
        assert stored_measure(con, 3)["status"] == "done"
        assert result.import_id == 2
    finally:
        con.close()
    con = store.connect(path)  # opening again migrates nothing
    try:
        assert [v for v, in con.cursor().execute("SELECT version FROM schema_version ORDER BY 1").fetchall()] == [1, 2, 3, 4]
    finally:
        con.close()


def test_a_v1_database_with_an_orphan_stays_v1_and_says_why(tmp_path):
    path = tmp_path / "v1.duckdb"
    _write_v1(path, read_report(SEED))
    raw = duckdb.connect(str(path))
    raw.execute("INSERT INTO measures (finding_id, seq, title) VALUES (999999, 1, 'กำพร้า')")
    raw.close()
    with pytest.raises(store.StoreError, match="ปรับฐานข้อมูลเป็นรุ่น 2 ไม่ได้"):
        store.connect(path)
    raw = duckdb.connect(str(path))
    try:
        assert store.schema_version(raw) == 1
        assert raw.execute("SELECT count(*) FROM measures").fetchone()[0] == 24  # nothing lost
    finally:
        raw.close()


# ---------------------------------------------------------------- command line

@pytest.fixture
def seeded_db(tmp_path):
    path = tmp_path / "seeded.duckdb"
    con = store.connect(path)
    seeded(con)
    store.update_measure(con, current(con, 1)[0]["id"], "done", 100, "เสร็จ", "สมชาย")
    con.close()
    return path


def test_cli_dry_run_prints_the_plan_and_writes_nothing(cli, seeded_db, tmp_path):
    before = cli("dump", "--db", seeded_db).stdout
    bytes_before = seeded_db.read_bytes()
    changed = tmp_path / "changed.txt"
    text = with_measures(1, [R1[1], R1[0]])
    text = with_measures(2, ["โครงการใหม่ทั้งหมด", measures_of(2)[1]], text)
    changed.write_text(with_measures(4, measures_of(4)[:2], text), encoding="utf-8")
    done = cli("import", changed, "--db", seeded_db, "--dry-run")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "จะแทนที่" in lines[0] and "มาตรการ: คงเดิม 21, ใหม่ 0, นำออก 1, เปลี่ยนข้อความ 1" in lines[0]
    assert lines[1].startswith("  หน่วยงาน: ชื่อและจังหวัดตรงกับ")
    assert f'  แถว 2 มาตรการที่ 1: เปลี่ยนข้อความ "{R2_1}" เป็น "โครงการใหม่ทั้งหมด" (จับคู่ตามลำดับ)' in lines
    assert any(line.startswith("  แถว 4 มาตรการที่ 3: นำออก ") for line in lines)
    assert lines[-1].startswith("ทดลองเท่านั้น")
    assert cli("dump", "--db", seeded_db).stdout == before
    assert seeded_db.read_bytes() == bytes_before

    real = cli("import", changed, "--db", seeded_db)  # the same plan, written
    assert real.returncode == 0, real.stderr
    assert real.stdout.splitlines()[0] == lines[0].replace("จะแทนที่", "แทนที่")
    assert real.stdout.splitlines()[1:] == lines[1:-1]
    con = store.connect(seeded_db)
    try:
        assert store.imports(con)[-1]["imported_by"]  # the OS user
    finally:
        con.close()


def test_cli_dry_run_without_a_database_creates_none(cli, tmp_path):
    path = tmp_path / "none.duckdb"
    done = cli("import", SEED, "--db", path, "--dry-run", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "จะนำเข้า" in done.stdout and "ใหม่ 23" in done.stdout
    assert not path.exists()


def test_cli_refuses_an_ambiguous_organization(cli, seeded_db, tmp_path):
    other = tmp_path / "lopburi.txt"
    other.write_text(elsewhere(), encoding="utf-8")
    assert cli("import", other, "--db", seeded_db).returncode == 0
    before = cli("dump", "--db", seeded_db).stdout
    bare = tmp_path / "bare.txt"
    bare.write_text(SEED_TEXT.replace("จังหวัดสระบุรี", "").replace("อำเภอมวกเหล็ก", ""), encoding="utf-8")
    done = cli("import", bare, "--db", seeded_db)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert str(bare) in done.stderr and "หลายแห่ง" in done.stderr
    assert cli("dump", "--db", seeded_db).stdout == before


# ---------------------------------------------------------------- the data page

def test_data_page_shows_the_changes_before_confirming(app_db):
    from streamlit.testing.v1 import AppTest
    from conftest import ROOT
    from accounts import add_people, app_sign_in
    con = store.connect(app_db)
    add_people(con)  # importing needs an admin signed in
    con.close()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    app_sign_in(at, "boss")
    at.switch_page("pages/data.py").run()
    renamed = with_measures(2, ["โครงการใหม่ทั้งหมด", measures_of(2)[1]])
    at.file_uploader[0].upload("renamed.txt", renamed.encode("utf-8"), "text/plain").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = "\n".join(str(e.value) for e in list(at.markdown) + list(at.warning))
    assert "หน่วยงานที่มีอยู่แล้ว" in shown and "เปลี่ยนข้อความ 1" in shown
    changes = at.dataframe[1].value
    [row] = changes[changes["การเปลี่ยนแปลง"] == "เปลี่ยนข้อความ"].to_dict("records")
    assert (row["แถว"], row["มาตรการที่"], row["ข้อความ"], row["ข้อความเดิม"]) == (2, 1, "โครงการใหม่ทั้งหมด", R2_1)
    assert any(R2_1 in str(w.value) for w in at.warning)
    con = store.connect(app_db)
    try:
        assert len(store.imports(con)) == 1  # the seed's, nothing written yet
        [b for b in at.button if b.label == "ยืนยันนำเข้า"][0].click().run()
        assert not at.exception
        last = store.imports(con)[-1]
        assert (len(store.imports(con)), last["measures_renamed"], last["imported_by"]) == (2, 1, "boss")
    finally:
        con.close()


def test_one_batch_creates_an_organization_once_and_fills_in_what_it_lacks(con):
    first = read_report_text(elsewhere(district=None).replace("อำเภอมวกเหล็ก", ""), "a.txt")
    second = read_report_text(elsewhere().replace("ในปี ๒๕๖๘", "ในปี ๒๕๖๗")
                              .replace("ประจำปี พ.ศ. 2568", "ประจำปี พ.ศ. 2567")
                              .replace("ประจำปีงบประมาณ พ.ศ. ๒๕๖๙", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"), "b.txt")
    assert (first.district, second.district, second.plan_year) == (None, "เมืองลพบุรี", 2568)
    plans = store.plan_import(con, [first, second])
    assert plans[1].same_organization_as == 0 and "a.txt" in plans[1].organization_note
    results = store.save_reports(con, [first, second])
    assert [r.plan for r in results] == plans
    [org] = store.organizations(con)
    assert (org["province"], org["district"]) == ("ลพบุรี", "เมืองลพบุรี")
    assert len(store.assessments(con)) == 2


def test_read_only_and_dry_run_refuse_a_v1_database_and_leave_it(cli, tmp_path):
    path = tmp_path / "v1.duckdb"
    _write_v1(path, read_report(SEED))
    data = path.read_bytes()
    with pytest.raises(store.StoreError, match="ฐานข้อมูลรุ่น 1 ไม่ใช่รุ่น"):
        store.connect(path, read_only=True)
    done = cli("import", SEED, "--db", path, "--dry-run")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and "ฐานข้อมูลรุ่น 1 ไม่ใช่รุ่น" in done.stderr
    assert path.read_bytes() == data
