"""The next fiscal year's plan: drafted from a year's scores and the plan before it, edited, saved
as a new plan with the measures not done carried over and linked; the old plan unchanged."""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from ita_data import plans, store, views
from ita_data.importers import ReportError


@pytest.fixture
def con(seeded_copy):
    con = store.connect(seeded_copy)
    yield con
    con.close()


def old_plan(con):
    chosen = store.assessments(con)[0]
    return chosen, views.findings_frame(con, chosen["id"]), views.measures_frame(con, chosen["id"], on=date(2026, 8, 1))


def scores_2569(findings: pd.DataFrame) -> pd.DataFrame:
    """A whole year's question scores: the seed's ten questions moved a little (i5 up to 90.10, e7
    down to 93.00), and five more questions the report did not take up."""
    rows = [{"question_code": c.lower(), "indicator_no": int(n), "score": float(s)}
            for c, n, s in zip(findings["question_code"], findings["indicator_no"], findings["score"])]
    moved = {"i5": 90.10, "e7": 93.00}
    for row in rows:
        row["score"] = moved.get(row["question_code"], min(100.0, row["score"] + 0.5))
    rows += [{"question_code": c, "indicator_no": n, "score": s} for c, n, s in (
        ("i1", 1, 99.0), ("i7", 3, 91.5), ("e3", 6, 98.2), ("o1", 9, 100.0), ("o30", 10, 80.0))]
    return pd.DataFrame(rows)


def test_the_weakest_ten_or_every_question_under_a_score():
    scores = pd.DataFrame({"question_code": [f"i{k}" for k in range(1, 13)] + [""],
                           "indicator_no": [1] * 12 + [1], "score": [90 + k / 2 for k in range(12)] + [50.0]})
    assert list(plans.pick_questions(scores)["question_code"]) == [f"i{k}" for k in range(1, 11)]
    assert list(plans.pick_questions(scores, plans.BELOW, below=91.5)["question_code"]) == ["i1", "i2", "i3"]
    tied = scores.assign(score=[90.0] * 13)  # ties at the cut stay: no question dropped by its name
    assert len(plans.pick_questions(tied, count=3)) == 12
    assert plans.pick_questions(scores, count=0).empty


def test_the_draft_takes_weak_questions_and_carries_open_measures(con):
    chosen, findings, measures = old_plan(con)
    store.update_measure(con, measures.set_index("ref").loc["8.1", "id"], "done", 100, None, "สมชาย")
    chosen, findings, measures = old_plan(con)
    scores = scores_2569(findings)
    draft = plans.draft_next_plan(findings, measures, scores, None, plan_year=2569, rule=plans.BELOW, below=92)
    assert (draft.assessed_year, draft.plan_year) == (2569, 2570)
    rows = draft.rows.set_index("question_code")
    # under 92: o30 80, i5 90.10, i7 91.5; then the questions of the 22 open measures (8.1 is done)
    assert list(draft.rows["question_code"])[:3] == ["o30", "i5", "i7"]
    assert set(draft.rows["question_code"]) == {"o30", "i5", "i7", *(c.lower() for c in findings["question_code"])} - {"e5"}
    assert len(draft.carried) == 22 and measures.set_index("ref").loc["8.1", "id"] not in set(draft.carried["from_measure_id"])
    # a question of the old plan keeps its text, its divisions and its steps; the period is fiscal year 2570
    i5 = rows.loc["i5"]
    old_i5 = findings[findings["question_code"].str.lower() == "i5"].iloc[0]
    assert i5["question"] == old_i5["question"] and i5["divisions"] == " ".join(old_i5["divisions"])
    assert i5["period"] == "1 ตุลาคม 2569 - 30 กันยายน 2570"
    assert "ได้ 90.10 คะแนน (เพิ่มขึ้นจากปี 2568 ที่ได้ 87.87 2.23 คะแนน)" in i5["analysis"]
    assert "ต่ำกว่าเกณฑ์ผ่าน 85" in rows.loc["o30", "analysis"]
    assert any("o30" in note for note in draft.notes)  # no text or divisions for a question new to the plan


def test_the_edited_plan_is_saved_with_carried_measures_linked_and_the_old_plan_unchanged(con):
    chosen, findings, measures = old_plan(con)
    before = store.dump(con)["organizations"][0]["assessments"]
    draft = plans.draft_next_plan(findings, measures, scores_2569(findings), None, plan_year=2569)
    rows = draft.rows.copy()
    rows.loc[rows["question_code"] == "i5", "measures"] = "1. โครงการใหม่ปี 2570\n2. อบรมเจ้าหน้าที่"
    rows.loc[rows["question_code"] == "i1", "include"] = False  # a weak question left out
    carried = draft.carried.copy()
    carried.loc[carried["ref"] == "9.3", "include"] = False  # a measure not carried
    row_o30 = rows["question_code"] == "o30"
    rows.loc[row_o30, ["question", "divisions"]] = ["มีการเปิดเผยข้อมูลการจัดซื้อจัดจ้าง", "กองคลัง"]
    org = store.organizations(con)[0]
    report, links = plans.build_report(draft, rows, carried, organization=org["name"], district=org["district"],
                                       province=org["province"])
    assert (report.assessed_year, report.plan_year) == (2569, 2570)
    assert len(links) == 22  # the 23 open measures but 9.3
    result = store.start_plan(con, report, links, started_by="สมชาย")
    new = store.measures(con, result.assessment_id)
    assert len(new) == 22 + 2
    carried_rows = [m for m in new if m["carried_from"]]
    assert len(carried_rows) == 22 and carried_rows[0]["carried_from"] == "2569 ข้อ 3.1"  # i5, the weakest first
    linked = store.carried_from(con, result.assessment_id)
    assert {v["ref"] for v in linked.values()} == set(draft.carried["ref"]) - {"9.3"}
    i5 = next(f for f in store.findings(con, result.assessment_id) if f["question_code"] == "i5")
    i5_measures = [m["title"] for m in new if m["finding_id"] == i5["id"]]
    old_i5 = measures[measures["question_code"].str.lower() == "i5"]["title"].tolist()
    assert i5_measures == old_i5 + ["โครงการใหม่ปี 2570", "อบรมเจ้าหน้าที่"]
    assert i5["score"] == pytest.approx(90.10) and i5["period_start"] == date(2025 + 1, 10, 1)
    # the plan before is as it was, and the sidebar lists the new year first
    after = store.dump(con)["organizations"][0]["assessments"]
    assert after[0] == before[0] and [a["plan_year"] for a in after] == [2569, 2570]
    assert [a["plan_year"] for a in store.assessments(con)] == [2570, 2569]
    assert store.imports(con, result.assessment_id)[0]["imported_by"] == "สมชาย"


def carried_plan_report(con):
    """The seed's plan 2569 drafted into plan 2570 as drafted (the 2569 scores, every open measure
    carried): (report, carry links, the old plan's measures)."""
    chosen, findings, measures = old_plan(con)
    draft = plans.draft_next_plan(findings, measures, scores_2569(findings), None, plan_year=2569)
    org = store.organizations(con)[0]
    report, links = plans.build_report(draft, draft.rows, draft.carried, organization=org["name"],
                                       district=org["district"], province=org["province"])
    return report, links, measures


def test_a_second_plan_for_the_year_or_a_foreign_measure_is_refused(con):
    report, links, _ = carried_plan_report(con)
    snapshot = store.dump(con)
    with pytest.raises(ReportError, match="ไม่ใช่มาตรการที่ยังไม่เสร็จ"):
        store.start_plan(con, report, {**links, (1, 99): 999_999})
    assert store.dump(con) == snapshot
    store.start_plan(con, report, links)
    with pytest.raises(ReportError, match="มีแผนปีงบประมาณ 2570 อยู่แล้ว"):
        store.start_plan(con, report, links)


def test_a_bad_cell_in_the_edited_plan_names_its_row_and_column(con):
    chosen, findings, measures = old_plan(con)
    draft = plans.draft_next_plan(findings, measures, scores_2569(findings), None, plan_year=2569)
    rows = draft.rows.copy()
    rows.loc[2, "question_code"] = "x9"
    org = store.organizations(con)[0]
    with pytest.raises(ReportError) as caught:
        plans.build_report(draft, rows, draft.carried.iloc[0:0], organization=org["name"],
                           district=org["district"], province=org["province"])
    assert "แถว 3" in str(caught.value) and "รหัสข้อคำถาม" in str(caught.value)
    # a carried measure whose row is left out is refused, not dropped
    rows = draft.rows.copy()
    rows.loc[rows["question_code"] == "i5", "include"] = False
    with pytest.raises(ReportError, match="i5"):
        plans.build_report(draft, rows, draft.carried, organization=org["name"], district=org["district"],
                           province=org["province"])


# ---------------------------------------------------------------- the page

def test_the_next_plan_page_drafts_and_saves_for_an_admin(app_db, tmp_path):
    from score_sheets import CHANGES_2569
    from test_pages import start, texts
    from test_scores import save_sheets
    # no scores of 2569 yet: the page says where to get them
    at = start("pages/next_plan.py", user="boss")
    assert not at.exception
    assert "ยังไม่มีคะแนนรายข้อคำถามของผลการประเมิน ITA ปี 2569" in texts(at)
    save_sheets(app_db, tmp_path, (2569, CHANGES_2569))
    st_clear()
    at = start("pages/next_plan.py", user="boss")
    assert not at.exception, [e.value for e in at.exception]
    assert "เริ่มแผนปีงบประมาณ 2570" in [t.value for t in at.title]
    rows, carried = at.dataframe[0].value, at.dataframe[1].value  # the two editors
    from score_sheets import QUESTIONS, question_scores
    sheet = pd.DataFrame([{"question_code": code, "indicator_no": no, "score": question_scores(2569, CHANGES_2569)[code]}
                          for no, codes in QUESTIONS.items() for code in codes])
    weakest = list(plans.pick_questions(sheet)["question_code"])
    assert list(rows["question_code"][:len(weakest)]) == weakest and rows["include"].all()
    assert len(carried) == 23 and carried["include"].all()
    [save] = [b for b in at.button if b.label == "บันทึกแผนปีงบประมาณ 2570"]
    save.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("บันทึกแผนปีงบประมาณ 2570 แล้ว" in s.value for s in at.success)
    assert "มีแผนปีงบประมาณ 2570 แล้ว" in texts(at)  # and a link to it, not a second draft
    con = store.connect(app_db)
    try:
        new = next(a for a in store.assessments(con) if a["plan_year"] == 2570)
        assert (new["assessed_year"], new["imported_by"]) == (2569, "boss")
        assert len(store.carried_from(con, new["id"])) == 23
        [entry] = store.audit.entries(con, actions=[store.audit.CARRY])
        assert entry["user_name"] == "boss"
    finally:
        con.close()


def test_the_next_plan_page_is_an_admins(app_db):
    from test_pages import start
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in an editor's navigation
        start("pages/next_plan.py", user="chang")


def st_clear():
    import streamlit as st
    st.cache_resource.clear()
    st.cache_data.clear()


# ---------------------------------------------------------------- the carry link kept in backups and shown

def start_carried_plan(con):
    """Plan 2570 started from the seed's plan 2569 with the 2569 scores: all 23 open measures carried."""
    report, links, measures = carried_plan_report(con)
    return store.start_plan(con, report, links), measures


def test_dump_and_backup_keep_where_a_measure_was_carried_from(con):
    import io

    from openpyxl import load_workbook

    from ita_data.exports import tables
    result, old = start_carried_plan(con)
    old_by_ref = dict(zip(old["ref"], old["title"]))
    [before, after] = store.dump(con)["organizations"][0]["assessments"]
    assert (before["plan_year"], after["plan_year"]) == (2569, 2570)
    assert not [m for f in before["findings"] for m in f["measures"] if "carried_from" in m]
    carried = [m for f in after["findings"] for m in f["measures"] if "carried_from" in m]
    assert len(carried) == 23 == len(store.carried_from(con, result.assessment_id))
    assert {m["carried_from"]["ref"] for m in carried} == set(old_by_ref)
    for m in carried:  # the plan, the old measure's "row.position" there and its title; the text carried as it was
        link = m["carried_from"]
        assert set(link) == {"plan_year", "ref", "title"} and link["plan_year"] == 2569
        assert link["title"] == old_by_ref[link["ref"]] == m["title"]
    book = load_workbook(io.BytesIO(tables.backup_xlsx(con)))
    sheet = book["มาตรการ"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert "ยกมาจาก" in header
    assert all(r["ยกมาจาก"] is None for r in rows if r["ปีงบประมาณ"] == 2569)
    links = [r["ยกมาจาก"] for r in rows if r["ปีงบประมาณ"] == 2570 and r["ยกมาจาก"]]
    first = next(m for f in after["findings"] for m in f["measures"] if "carried_from" in m)
    assert len(links) == 23 and (f"แผนปี 2569 ข้อ {first['carried_from']['ref']} {first['title']}") in links


def test_the_measures_page_says_where_a_carried_measure_came_from(app_db):
    from test_pages import start
    con = store.connect(app_db)
    try:
        result, old = start_carried_plan(con)
        expected = {f"แผนปี 2569 ข้อ {v['ref']}" for v in store.carried_from(con, result.assessment_id).values()}
    finally:
        con.close()
    st_clear()
    at = start("pages/measures.py")
    assert any("ปีงบประมาณ 2570" in c.value for c in at.caption), [c.value for c in at.caption]
    table = at.dataframe[0].value
    assert set(table["ยกมาจาก"]) - {""} == expected and (table["ยกมาจาก"] != "").sum() == 23
    st_clear()
    at = start("pages/measures.py", year="2569")  # the plan before: nothing carried into it
    assert any("ปีงบประมาณ 2569" in c.value for c in at.caption)
    assert set(at.dataframe[0].value["ยกมาจาก"]) == {""}
