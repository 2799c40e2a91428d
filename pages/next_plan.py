"""แผนปีถัดไป: start the next fiscal year's plan from the chosen plan and the ITA scores of its year:
findings drafted for the weakest questions, every measure not done carried over, all of it edited
here before it is saved as a new plan. The plan before is not changed. The drafting is plans.py's."""
import streamlit as st

from ita_data import framework, plans, store, ui, views
from ita_data.importers import ReportError
from ita_data.store import users

con, chosen = ui.start_page()
me = ui.require_permission(users.CARRY)  # an admin's (store.start_plan checks it again)
year, next_year = chosen["plan_year"], chosen["plan_year"] + 1

st.title(f"เริ่มแผนปีงบประมาณ {next_year}")
st.caption(f"{ui.md_escape(chosen['organization'])} · จากแผนปีงบประมาณ {year} (ผลการประเมินปี {chosen['assessed_year']}) "
           f"และผลการประเมิน ITA ปี {year}")

saved = st.session_state.pop("plan_saved", None)
if saved is not None:
    st.success(f"บันทึกแผนปีงบประมาณ {next_year} แล้ว: มาตรการที่ยกมาเชื่อมกับมาตรการเดิม แผนปี {year} ไม่เปลี่ยน"
               + (f" · คำเตือน {saved} รายการ ดูได้ที่หน้า ข้อมูล" if saved else ""), icon=":material/check_circle:")
existing = ui.plan_of_year(chosen, next_year)
if existing is not None:
    st.info(f"{ui.md_escape(chosen['organization'])} มีแผนปีงบประมาณ {next_year} แล้ว "
            f"(บันทึกเมื่อ {views.thai_datetime(existing['imported_at'])})", icon=":material/info:")
    st.page_link("pages/measures.py", label=f"เปิดมาตรการของแผนปีงบประมาณ {next_year}", icon=":material/open_in_new:",
                 query_params={**ui.selection_params(chosen), "year": str(next_year)})
    st.stop()


# ---------------------------------------------------------------- which questions
left, right = st.columns([2, 3], vertical_alignment="bottom")
rule = left.segmented_control("ข้อคำถามที่นำมาวิเคราะห์", [plans.WEAKEST, plans.BELOW], default=plans.WEAKEST,
                              key="plan_rule", format_func={plans.WEAKEST: "คะแนนต่ำสุด",
                                                            plans.BELOW: "ทุกข้อที่ต่ำกว่า"}.get)
if rule == plans.BELOW:
    below = right.number_input("คะแนนต่ำกว่า", 0.0, 100.0, plans.DEFAULT_BELOW, step=1.0, key="plan_below")
    count = plans.DEFAULT_COUNT
else:
    count = int(right.number_input("จำนวนข้อ", 1, 100, plans.DEFAULT_COUNT, step=1, key="plan_count"))
    below = plans.DEFAULT_BELOW
drafted = ui.next_plan_draft(chosen, rule or plans.WEAKEST, count, below)
if drafted is None:
    st.warning(f"ยังไม่มีคะแนนรายข้อคำถามของผลการประเมิน ITA ปี {year}: นำเข้าแผ่นคะแนนที่หน้า ข้อมูล "
               f"แล้วกลับมาที่หน้านี้", icon=":material/warning:")
    st.page_link("pages/data.py", label="ไปหน้าข้อมูล", icon=":material/upload_file:")
    st.stop()
draft, scored = drafted
st.caption(f"{scored} ข้อคำถามมีคะแนนปี {year}: ร่างประเด็น {int(draft.rows['include'].sum())} ข้อ "
           f"และยกมาตรการที่ยังไม่เสร็จมา {len(draft.carried)} มาตรการ. เปลี่ยนเกณฑ์แล้วร่างใหม่ "
           f"(สิ่งที่แก้ไว้ด้านล่างจะเริ่มใหม่)")
for note in draft.notes:
    st.caption(f"• {ui.md_escape(note)}")

# ---------------------------------------------------------------- the rows and the carried measures
edit_key = f"{chosen['id']}_{rule}_{count}_{below}"
st.subheader("ประเด็นของแผนใหม่")
st.caption("แก้ไขได้ทุกช่องที่ไม่ใช่สีเทา: มาตรการใหม่ ขั้นตอน ใส่บรรทัดละข้อ; ระยะเวลาเขียนแบบรายงาน "
           "(เช่น 1 ต.ค. 2569 - 31 มี.ค. 2570); ผู้รับผิดชอบคั่นด้วยช่องว่างหรือจุลภาค")
rows = st.data_editor(
    draft.rows, key=f"plan_rows_{edit_key}", hide_index=True, num_rows="fixed",
    column_order=["include", "question_code", "indicator_no", "score", "previous", "question", "analysis",
                  "measures", "rationale", "steps", "period", "divisions"],
    column_config={
        "include": st.column_config.CheckboxColumn("ใช้", width=48, pinned=True),
        "question_code": st.column_config.TextColumn("ข้อ", disabled=True, width=56, pinned=True),
        "indicator_no": st.column_config.SelectboxColumn(
            "ตัวชี้วัด", options=list(framework.INDICATOR_BY_NO), disabled=True, width="medium",
            format_func=lambda n: f"{n}. {framework.INDICATOR_BY_NO[n].name_th}"),
        "score": st.column_config.NumberColumn(f"คะแนน {year}", disabled=True, format="%.2f", width=90),
        "previous": st.column_config.NumberColumn(f"คะแนน {year - 1}", disabled=True, format="%.2f", width=90),
        "question": st.column_config.TextColumn("ข้อคำถาม", width="large"),
        "analysis": st.column_config.TextColumn("ผลการวิเคราะห์", width="large"),
        "measures": st.column_config.TextColumn("มาตรการใหม่ (บรรทัดละข้อ)", width="large"),
        "rationale": st.column_config.TextColumn("ความสอดคล้องกับตัวชี้วัด", width="large"),
        "steps": st.column_config.TextColumn("ขั้นตอน (บรรทัดละข้อ)", width="large"),
        "period": st.column_config.TextColumn("ระยะเวลา", width="medium"),
        "divisions": st.column_config.TextColumn("ผู้รับผิดชอบ", width="medium"),
    })
st.subheader("มาตรการที่ยกมาจากแผนปี " + str(year))
st.caption("มาตรการที่ยังไม่เสร็จทุกข้อยกมาที่ประเด็นของข้อคำถามเดิม (ย้ายไปข้ออื่นได้) และเชื่อมกับมาตรการเดิม; "
           "แผนปีเดิมไม่เปลี่ยน")
codes = [c for c in draft.rows["question_code"]]
carried = st.data_editor(
    draft.carried.assign(status=draft.carried["status"].map(framework.STATUS_TH)),
    key=f"plan_carried_{edit_key}", hide_index=True, num_rows="fixed",
    column_order=["include", "ref", "title", "status", "progress", "question_code"],
    column_config={
        "include": st.column_config.CheckboxColumn("ยกมา", width=56, pinned=True),
        "ref": st.column_config.TextColumn(f"ที่ (แผน {year})", disabled=True, width=80, pinned=True),
        "title": st.column_config.TextColumn("มาตรการ", width="large"),
        "status": st.column_config.TextColumn("สถานะเดิม", disabled=True, width=110),
        "progress": st.column_config.ProgressColumn("ความคืบหน้าเดิม", min_value=0, max_value=100, format="%d%%",
                                                    width=110),
        "question_code": st.column_config.SelectboxColumn("ไปที่ข้อ", options=codes, required=True, width=80),
    })

# ---------------------------------------------------------------- check and save
# The rows are read (the importer's own cell readers) only when saving: every edit reruns the page
st.caption("เมื่อกดบันทึก โปรแกรมอ่านทุกแถวแบบเดียวกับการนำเข้ารายงาน: ช่องที่อ่านไม่ได้จะแจ้งแถวและคอลัมน์ "
           "และยังไม่บันทึกสิ่งใด")
if st.button(f"บันทึกแผนปีงบประมาณ {next_year}", type="primary", icon=":material/save:", key="save_plan"):
    carried = carried.assign(status=draft.carried["status"])  # the status keys again, not their Thai
    try:
        report, links = plans.build_report(draft, rows, carried, organization=chosen["organization"],
                                           district=chosen["district"], province=chosen["province"],
                                           agency_code=chosen["agency_code"])
        store.start_plan(con, report, links, started_by=me)
    except (ReportError, PermissionError) as e:
        st.error(f"บันทึกไม่ได้: {ui.md_escape(e)}", icon=":material/error:")
    else:
        st.session_state.plan_saved = sum(len(f.warnings) for f in report.findings)
        st.rerun()
