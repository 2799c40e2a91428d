"""Every page through Streamlit's AppTest from the entry point, on the seed data in a real DuckDB file."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from accounts import add_people, app_sign_in
from ita_data import store

ROOT = Path(__file__).resolve().parent.parent
THAI = re.compile(r"[\u0e00-\u0e7f]")
PAGES = ["pages/scores.py", "pages/measures.py", "pages/divisions.py", "pages/timeline.py", "pages/data.py"]


def start(page: str | None = None, *, user: str | None = None, **query) -> AppTest:
    """The app on $ITA_DB, run once; with `user`, the test people added (tests/accounts.py) and
    that one signed in before the page opens."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    if user:
        con = store.connect(store.db_path())
        if not store.users.has_users(con):
            add_people(con)
        con.close()
    at.run()
    if user:
        app_sign_in(at, user)
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def finding_id(db: Path, seq: int) -> int:
    con = store.connect(db)
    return next(f["id"] for f in store.findings(con, store.assessments(con)[0]["id"]) if f["seq"] == seq)


def measure_id(db: Path, ref: str) -> int:
    con = store.connect(db)
    return next(m["id"] for m in store.measures(con, store.assessments(con)[0]["id"])
                if f"{m['finding_seq']}.{m['seq']}" == ref)


def shown(markdown: str) -> str:
    """Markdown as the reader sees it: backslash escapes (ui.md_escape) dropped."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "text", "caption", "title", "subheader", "info", "error", "warning")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_seed(app_db, page):
    at = start(page)
    assert at.title[0].value  # the page drew its title
    assert "องค์การบริหารส่วนตำบลมวกเหล็ก" in texts(at) or page == "pages/data.py"


def test_first_start_builds_the_database_from_the_seed(app_db, tmp_path, monkeypatch):
    fresh = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("ITA_DB", str(fresh))
    start()
    con = store.connect(fresh)
    assert [a["plan_year"] for a in store.assessments(con)] == [2569]
    assert len(store.findings(con, store.assessments(con)[0]["id"])) == 10


def test_scores_page_shows_ten_findings_and_the_cards(app_db):
    at = start("pages/scores.py")
    strip = [m.value for m in at.markdown]
    # the executive strip: the mean of the reported questions with its grade (not an official score),
    # nothing under the pass mark, the measures by state, the weakest question named with its gap
    assert "#### 96.44 (ระดับ\u00a0AA)" in strip  # the grade's words kept together
    assert any("ไม่ใช่คะแนน ITA รวมทางการ" in c.value for c in at.caption)
    assert "#### :green[ไม่มี]" in strip
    assert "#### เสร็จ 0 จาก 23" in strip
    assert "#### 87.87" in strip
    assert any("3\\. i5 การใช้งบประมาณ" in m and "ห่างจาก 100 = 12.13" in m for m in strip)
    assert len(at.get("plotly_chart")) == 1
    picker = at.selectbox(key="score_pick_finding")
    assert len(picker.options) == 10
    picker.set_value(finding_id(app_db, seq=3)).run()  # row 3, i5, the lowest score
    assert not at.exception
    shown = texts(at)
    assert "เจ้าหน้าที่ใน หน่วยงานของท่าน มี การเบิกจ่ายเงินเป็น เท็จ" in shown
    assert "จัดทำแผนบริหารความเสี่ยง การทุจริตของหน่วยงาน" in at.table[0].value.to_string()
    assert any("๖๕" in t for t in shown.splitlines())  # the import warning about the repaired code


def test_scores_page_indicator_level(app_db):
    at = start("pages/scores.py")
    at.segmented_control(key="score_level").set_value("indicator").run()
    assert not at.exception
    picker = at.selectbox(key="score_pick_indicator")
    assert len(picker.options) == 6  # the six indicators reported
    picker.set_value(7).run()
    assert not at.exception
    assert "e4" in texts(at) and "e5" in texts(at)


def test_division_filter_leaves_the_fourteen_measures_of_kong_chang(app_db):
    at = start("pages/measures.py")
    table = at.dataframe[0].value
    assert len(table) == 23
    at.multiselect(key="div").set_value(["กองช่าง"]).run()
    table = at.dataframe[0].value
    assert len(table) == 14
    assert sorted({ref.split(".")[0] for ref in table["ที่"]}, key=int) == ["1", "4", "5", "6", "7"]


def test_measure_table_number_status_and_percent_first_and_pinned(app_db):
    """The on-screen register leads with ที่, สถานะ and % (pinned: they stay while the table scrolls
    sideways) and its rows are taller than 4rem, above which Streamlit wraps text: a title reads in
    full over three lines. What a browser draws of it: tests/test_browser.py."""
    import json
    at = start("pages/measures.py")
    table = at.dataframe[0]
    assert list(table.proto.column_order[:3]) == ["ที่", "สถานะ", "ความคืบหน้า (%)"]
    assert set(table.proto.column_order) == set(table.value.columns)  # every column still shown
    config = json.loads(table.proto.columns)
    assert [name for name, c in config.items() if c.get("pinned")] == ["ที่", "สถานะ", "ความคืบหน้า (%)"]
    assert table.proto.row_height > 4 * 17  # 4rem at the theme's 17 px base font


def test_filters_come_from_the_url(app_db):
    at = start()
    at.query_params["div"] = "กองช่าง"  # as a shared link carries them
    at.query_params["ind"] = "7. ประสิทธิภาพการสื่อสาร"
    at.switch_page("pages/measures.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["ที่"]) == ["7.1", "7.2", "7.3", "7.4", "7.5"]


def test_text_search_and_overdue(app_db):
    at = start("pages/measures.py")
    at.text_input(key="q").set_value("Infographic").run()
    assert list(at.dataframe[0].value["ที่"]) == ["7.3"]
    at.text_input(key="q").set_value("").run()
    at.toggle(key="overdue").set_value(True).run()
    assert not at.dataframe  # 16 March 2026: no measure is past its end yet
    assert any("ไม่มีมาตรการที่ตรงกับตัวกรอง" in i.value for i in at.info)


def test_after_the_fiscal_year_every_open_measure_is_overdue(app_db, monkeypatch):
    monkeypatch.setenv("ITA_TODAY", "2026-10-01")  # the seed's fiscal year 2569 ended on 30 Sep 2026
    at = start("pages/measures.py")
    at.toggle(key="overdue").set_value(True).run()
    table = at.dataframe[0].value
    assert len(table) == 23 and set(table["เกินกำหนด"]) == {"เกินกำหนด"}


def report_form(at: AppTest, division: str | None = None):
    """The report form's widgets (status, percent, note, save) for the measure picked, after
    choosing the reporting division when one is given (the reporter is the signed-in account)."""
    if division is not None:
        at.selectbox(key=f"report_division_{at.selectbox(key='measure_pick').value}").set_value(division).run()
    status = [s for s in at.selectbox if s.label == "สถานะ"][0]
    progress = next((s for s in at.slider if s.label == "ความคืบหน้า (%)"), None)  # asked while in progress
    save = [b for b in at.button if b.label == "บันทึก"][0]
    return status, progress, at.text_area[0], save


def test_status_update_shows_in_history_and_survives_a_restart(app_db):
    at = start("pages/measures.py", user="chang")  # the editor of กองช่าง
    at.selectbox(key="measure_pick").set_value(measure_id(app_db, "1.1")).run()
    status, progress, note, save = report_form(at, "กองช่าง")
    status.set_value("in_progress").run()
    status, progress, note, save = report_form(at)
    progress.set_value(40).run()
    status, progress, note, save = report_form(at)
    note.input("ร่างคู่มือแล้ว รอผู้บริหารอนุมัติ")
    save.click().run()
    assert not at.exception
    assert "ร่างคู่มือแล้ว รอผู้บริหารอนุมัติ" in texts(at)
    assert [h["editor"] for h in store.history(store.connect(app_db))] == ["chang"]

    # a restart: a new server process state, the same database file
    st.cache_resource.clear()
    at = start("pages/measures.py")
    table = at.dataframe[0].value
    first = table[table["ที่"] == "1.1"].iloc[0]
    # one of five divisions at 40%: the measure is in progress at the mean, 8%
    assert (first["สถานะ"], first["ความคืบหน้า (%)"]) == ("กำลังดำเนินการ", 8)
    at.selectbox(key="measure_pick").set_value(measure_id(app_db, "1.1")).run()
    assert "ร่างคู่มือแล้ว รอผู้บริหารอนุมัติ" in texts(at)
    divisions = at.dataframe[1].value  # each division where it stands
    assert divisions.set_index("หน่วยงาน").loc["กองช่าง", "ความคืบหน้า (%)"] == 40
    assert divisions.set_index("หน่วยงาน").loc["กองคลัง", "สถานะ"] == "ยังไม่เริ่ม"


def test_each_division_reports_its_own_status_of_a_shared_measure(app_db):
    """กองช่าง marks 1.1 done: done for กองช่าง alone; the measure is done only when all five are."""
    at = start("pages/measures.py", user="boss", div="กองช่าง")
    at.selectbox(key="measure_pick").set_value(measure_id(app_db, "1.1")).run()
    status, progress, note, save = report_form(at)  # กองช่าง is the division filtered on
    status.set_value("done").run()
    status, progress, note, save = report_form(at)
    assert progress is None and "ความคืบหน้า 100%" in texts(at)  # done is 100%: no percent to pick
    save.click().run()
    assert not at.exception
    own = at.dataframe[0].value.set_index("ที่")
    assert (own.loc["1.1", "สถานะ"], own.loc["1.1", "ความคืบหน้า (%)"]) == ("เสร็จแล้ว", 100)
    assert "สถานะและความคืบหน้าในตารางเป็นของ กองช่าง เอง" in texts(at)
    st.cache_resource.clear()
    everyone = start("pages/measures.py").dataframe[0].value.set_index("ที่")
    assert (everyone.loc["1.1", "สถานะ"], everyone.loc["1.1", "ความคืบหน้า (%)"]) == ("กำลังดำเนินการ", 20)
    st.cache_resource.clear()
    other = start("pages/measures.py", div="กองคลัง").dataframe[0].value.set_index("ที่")
    assert (other.loc["1.1", "สถานะ"], other.loc["1.1", "ความคืบหน้า (%)"]) == ("ยังไม่เริ่ม", 0)


def test_the_report_form_keeps_status_and_percent_in_agreement(app_db):
    """The percent is asked only while in progress (0-95%); not started is 0%, done 100%, a cancelled
    measure keeps what it reached: what is saved always agrees (not "not started" at 50%)."""
    at = start("pages/measures.py", user="boss")
    at.selectbox(key="measure_pick").set_value(measure_id(app_db, "8.1")).run()  # สำนักปลัด alone
    status, progress, *_ = report_form(at)
    assert (status.value, progress) == ("not_started", None) and "ความคืบหน้า 0%" in texts(at)
    status.set_value("in_progress").run()
    status, progress, *_ = report_form(at)
    assert (progress.value, progress.min, progress.max) == (0, 0, 95)  # 100% is "done", not a percent here
    progress.set_value(50).run()
    status, progress, note, save = report_form(at)
    save.click().run()
    status, progress, note, save = report_form(at)  # a fresh form: where the division now stands
    assert (status.value, progress.value) == ("in_progress", 50)
    status.set_value("cancelled").run()
    status, progress, note, save = report_form(at)
    assert progress is None and "ความคืบหน้า 50%" in texts(at)  # cancelled keeps what it reached
    save.click().run()
    status, progress, note, save = report_form(at)
    status.set_value("done").run()
    report_form(at)[3].click().run()
    assert not at.exception
    con = store.connect(app_db)
    assert [(h["status"], h["progress"]) for h in store.history(con)] == \
        [("done", 100), ("cancelled", 50), ("in_progress", 50)]


def test_the_report_form_is_only_there_for_those_who_may_report(app_db):
    """Nobody signed in, a viewer, and an editor on another division's measure see the history but
    no report form; an editor gets its own divisions' measures first and reports only as them."""
    def has_form(at: AppTest) -> bool:
        return any(b.label == "บันทึก" for b in at.button)

    at = start("pages/measures.py")
    at.selectbox(key="measure_pick").set_value(measure_id(app_db, "8.1")).run()
    assert not has_form(at) and "เข้าสู่ระบบที่แถบด้านซ้ายเพื่อรายงานความคืบหน้า" in texts(at)
    at = start("pages/measures.py", user="reader")
    at.selectbox(key="measure_pick").set_value(measure_id(app_db, "8.1")).run()
    assert not has_form(at) and "ดูได้อย่างเดียว" in texts(at)
    at = start("pages/measures.py", user="klang")  # กองคลัง: its measures first, filtered on at first
    assert at.multiselect(key="div").value == ["กองคลัง"]
    picker = at.selectbox(key="measure_pick")
    mine = [m for m in store.measures(store.connect(app_db), store.assessments(store.connect(app_db))[0]["id"])
            if "กองคลัง" in m["divisions"]]
    assert picker.options[:len(mine)] == [f"★ {m['finding_seq']}.{m['seq']} {m['title']}" for m in mine]
    at.multiselect(key="div").set_value([]).run()  # the whole register: others' measures after its own
    at.selectbox(key="measure_pick").set_value(measure_id(app_db, "8.1")).run()  # สำนักปลัด's alone
    assert not has_form(at) and "ไม่ใช่ของ กองคลัง" in texts(at)
    at.selectbox(key="measure_pick").set_value(measure_id(app_db, "1.1")).run()  # five divisions, กองคลัง one
    assert [s for s in at.selectbox if s.label == "รายงานในนามหน่วยงาน"][0].options == ["กองคลัง"]
    con = store.connect(app_db)
    assert store.history(con) == []


def test_divisions_page_lists_divisions_with_links(app_db):
    at = start("pages/divisions.py")
    shown = texts(at)
    assert "สำนักปลัด" in shown and "กองช่าง" in shown
    assert "14 มาตรการ" in shown  # กองช่าง
    links = [p for p in at.get("page_link")]
    assert len(links) == 5
    assert len(at.get("plotly_chart")) == 2


def test_timeline_page_draws_the_gantt(app_db):
    at = start("pages/timeline.py")
    assert len(at.get("plotly_chart")) == 1


def other_agency(name: str = "หนองน้ำใส", province: str = "นครราชสีมา") -> str:
    """The seed's report as another agency's (an อบต. whose name sorts before มวกเหล็ก by default)."""
    seed = (ROOT / "data" / "muaklek-ita-report-2569.txt").read_text(encoding="utf-8")
    return seed.replace("มวกเหล็ก", name).replace("สระบุรี", province)


def import_other(db: Path, name: str = "กกแก้ว", province: str = "นครนายก") -> None:
    from ita_data.importers import read_bytes
    con = store.connect(db)
    try:
        store.save_reports(con, [read_bytes(other_agency(name, province).encode("utf-8"), f"{name}.txt")])
    finally:
        con.close()


def url_warnings(at: AppTest) -> list[str]:
    """Warnings about what a link names: above the page, where a phone (its sidebar folded) shows them."""
    return [shown(w.value) for w in at.main.warning]


def test_data_page_upload_preview_and_import(app_db, tmp_path):
    at = start("pages/data.py", user="boss")
    at.file_uploader[0].upload("หนองน้ำใส.txt", other_agency().encode("utf-8"), "text/plain").run()
    assert not at.exception
    assert "องค์การบริหารส่วนตำบลหนองน้ำใส" in texts(at)
    assert len(at.dataframe[0].value) == 10  # the preview
    con = store.connect(app_db)
    assert len(store.organizations(con)) == 1  # nothing written before confirming
    [b for b in at.button if b.label == "ยืนยันนำเข้า"][0].click().run()
    assert not at.exception
    assert "นำเข้าแล้ว: องค์การบริหารส่วนตำบลหนองน้ำใส ปีงบประมาณ 2569" in shown(at.success[0].value)
    assert sorted(o["name"] for o in store.organizations(con)) == [
        "องค์การบริหารส่วนตำบลมวกเหล็ก", "องค์การบริหารส่วนตำบลหนองน้ำใส"]
    # the same run already lists it: the sidebar, and the assessments on this page
    [org_box] = [s for s in at.sidebar.selectbox if s.label == "หน่วยงาน"]
    assert org_box.options == ["อบต.มวกเหล็ก", "อบต.หนองน้ำใส"]
    assert org_box.value == next(o["id"] for o in store.organizations(con) if "มวกเหล็ก" in o["name"])  # stays
    listed = next(d.value for d in at.dataframe if "ไฟล์ล่าสุด" in d.value)
    assert list(listed["หน่วยงาน"]) == ["องค์การบริหารส่วนตำบลมวกเหล็ก", "องค์การบริหารส่วนตำบลหนองน้ำใส"]
    # a link opens the new agency
    [link] = [e for e in at.get("page_link") if "หนองน้ำใส" in e.proto.label]
    assert shown(link.proto.label) == "เปิด อบต.หนองน้ำใส ปีงบประมาณ 2569"
    assert "org=" in link.proto.query_string and "year=2569" in link.proto.query_string
    # the imported file is gone from the uploader: no second confirm of it
    assert at.file_uploader[0].value is None
    assert not [b for b in at.button if b.label == "ยืนยันนำเข้า"]
    assert len(store.imports(con)) == 2
    con.close()


def test_the_url_always_names_the_organization_and_year(app_db):
    at = start()
    assert (at.query_params["org"], at.query_params["year"]) == ("อบต.มวกเหล็ก", "2569")
    import_other(app_db)  # sorts first by name, and is imported later
    st.cache_resource.clear()
    at = start("pages/measures.py")
    assert (at.query_params["org"], at.query_params["year"]) == ("อบต.มวกเหล็ก", "2569")  # default kept
    assert "องค์การบริหารส่วนตำบลมวกเหล็ก" in texts(at)
    assert not url_warnings(at)


def test_a_link_opens_the_organization_it_names(app_db):
    import_other(app_db)
    at = start("pages/measures.py", org="อบต.กกแก้ว", year="2569", div="กองช่าง")
    assert "องค์การบริหารส่วนตำบลกกแก้ว" in texts(at)
    assert len(at.dataframe[0].value) == 14  # กองช่าง's measures
    assert at.query_params["org"] == "อบต.กกแก้ว"
    # choosing in the sidebar afterwards wins over the URL the session was opened with
    [org_box] = [s for s in at.sidebar.selectbox if s.label == "หน่วยงาน"]
    con = store.connect(app_db)
    muaklek = next(o["id"] for o in store.organizations(con) if o["name"].endswith("มวกเหล็ก"))
    con.close()
    org_box.set_value(muaklek).run()
    assert "องค์การบริหารส่วนตำบลมวกเหล็ก" in texts(at) and at.query_params["org"] == "อบต.มวกเหล็ก"


def test_a_link_made_before_a_namesake_came_still_opens_its_agency(app_db):
    """A link to อบต.กกแก้ว made while there was one; another กกแก้ว (another province) imported
    since: the link still opens the first, says so above the page, and the URL names it in full."""
    import_other(app_db)
    import_other(app_db, province="ปราจีนบุรี")
    at = start("pages/measures.py", org="อบต.กกแก้ว", year="2569", div="กองช่าง")
    assert at.query_params["org"] == "อบต.กกแก้ว (นครนายก)"
    assert "องค์การบริหารส่วนตำบลกกแก้ว" in texts(at) and len(at.dataframe[0].value) == 14
    assert any("ซึ่งตอนนี้มีมากกว่าหนึ่งแห่ง: แสดง อบต.กกแก้ว (นครนายก) (ที่นำเข้าก่อน)" in shown(i.value)
               for i in at.main.info)
    assert not url_warnings(at)


def test_a_link_to_what_the_database_lacks_says_so(app_db):
    at = start(org="อบต.ไม่มี", year="2569")
    assert url_warnings(at) == ['ไม่พบหน่วยงาน "อบต.ไม่มี" ในฐานข้อมูล: แสดง อบต.มวกเหล็ก แทน']
    assert at.query_params["org"] == "อบต.มวกเหล็ก"
    at = start(year="2570")
    assert url_warnings(at) == ['ไม่พบปีงบประมาณ "2570" ในฐานข้อมูล: แสดง 2569 แทน']
    assert at.query_params["year"] == "2569"


def test_scores_level_and_timeline_divisions_come_from_the_url(app_db):
    at = start(score_level="รายตัวชี้วัด")
    assert at.segmented_control(key="score_level").value == "indicator"
    at = start()  # opened plainly: the defaults are named in the URL all the same
    assert (at.query_params["score_view"], at.query_params["score_level"]) == ("คะแนนและช่องว่าง", "รายข้อคำถาม")
    at.segmented_control(key="score_level").set_value("indicator").run()
    assert at.query_params["score_level"] == "รายตัวชี้วัด"
    at = start("pages/timeline.py", div="กองคลัง")
    assert at.multiselect(key="div").value == ["กองคลัง"]


def test_data_page_refuses_a_bad_upload(app_db):
    at = start("pages/data.py", user="boss")
    # a file name Markdown would read as emphasis and a link: shown as it is named
    at.file_uploader[0].upload("รูป*ปก*_[1].docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                               "application/octet-stream").run()
    assert not at.exception
    assert at.error and "รูป*ปก*_[1].docx: เป็นไฟล์รูปภาพ: ไม่ใช่เอกสาร Word (.docx)" in shown(at.error[0].value)
    assert "รูป\\*ปก\\*\\_\\[1\\]" in at.error[0].value


def test_data_page_warnings_for_the_assessment_and_for_everyone(app_db):
    at = start("pages/data.py")
    table = at.table[0].value  # the chosen assessment's warnings, wrapped
    assert len(table) == 24
    # st.table reads Markdown: the warnings (quoting the report) read as they were written
    con = store.connect(app_db)
    written = [w["warning"] for w in store.warnings(con, store.assessments(con)[0]["id"])]
    assert [shown(w) for w in table["คำเตือน"]] == written
    assert any("97.60" in shown(w) and "99.79" in shown(w) for w in table["คำเตือน"])  # row 7's inconsistency
    at.toggle(key="all_warnings").set_value(True).run()
    assert not at.exception
    counts = at.dataframe[-1].value
    assert list(counts["คำเตือน"]) == [24]


# Latin words a Thai message may hold: names of formats, programs and keys, and units
NAMES = {"ITA", "CSV", "PDF", "PPTX", "XLSX", "JSON", "Excel", "Word", "PowerPoint", "DuckDB", "Chromium", "UTF",
         "TIS", "NUL", "README", "UTC", "MB", "PageUp", "PageDown", "Esc", "ITA_TODAY", "ITA_LIVE_SECONDS", "YYYY",
         "txt", "docx", "doc", "csv", "xlsx", "xls", "pptx", "pdf", "json"}
MESSAGE_CALLS = {"error", "warning", "info", "success", "toast", "caption", "markdown", "title", "header",
                 "subheader", "text", "button", "download_button", "link_button", "page_link", "selectbox",
                 "multiselect", "text_input", "text_area", "number_input", "slider", "toggle", "checkbox",
                 "radio", "file_uploader", "form_submit_button", "expander", "metric", "spinner", "status"}


def test_messages_a_page_can_show_are_thai():
    """Every message of ours a page can show (raised to the user, an import warning, or handed to a
    Streamlit element as its text, label, help or placeholder) is Thai: Latin only for the names in NAMES. The command line
    (cli.py) is not a page. Streamlit's own strings (the uploader's "Upload", the table menus) are
    not ours and cannot be changed in 1.67."""
    import ast
    latin = re.compile(r"[A-Za-z_]{3,}")
    found = []
    files = [*sorted((ROOT / "ita_data").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "dashboard.py"]
    for path in files:
        if path.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            texts = []
            warning = (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                       and node.func.attr == "append" and "warnings" in ast.unparse(node.func.value))
            if warning or isinstance(node, ast.Raise) and node.exc is not None:  # messages: those with Thai
                texts = [c for c in ast.walk(node if warning else node.exc)
                         if isinstance(c, ast.Constant) and isinstance(c.value, str) and THAI.search(c.value)]
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in MESSAGE_CALLS and "log" not in ast.unparse(node.func.value)):
                parts = ([] if node.func.attr == "page_link" else node.args[:1]) + \
                    [k.value for k in node.keywords if k.arg in ("help", "placeholder", "label")]
                keys = {id(sub.slice) for part in parts for sub in ast.walk(part) if isinstance(sub, ast.Subscript)}
                texts = [c for part in parts for c in ast.walk(part)
                         if isinstance(c, ast.Constant) and isinstance(c.value, str) and id(c) not in keys]
            for constant in texts:
                text = re.sub(r":[a-z]+\[|:material/[a-z_]+:", "", constant.value)  # Streamlit's colour and icon codes
                words = [w for w in latin.findall(text) if w not in NAMES]
                if words:
                    found.append(f"{path.relative_to(ROOT)}:{constant.lineno}: {words} in {constant.value!r}")
    assert not found, "\n".join(found)
