"""มาตรการ: every measure with filters kept in the URL, exports of the filtered table, and progress
reporting with each measure's history."""
import streamlit as st

from ita_data import framework, store, ui, views
from ita_data.exports import tables
from ita_data.thai import thai_date

con, chosen = ui.start_page()
base = ui.assessment_data(chosen)

st.title("มาตรการ")
st.caption(f"{ui.md_escape(chosen['organization'])} · ปีงบประมาณ {chosen['plan_year']} · ข้อมูล ณ วันที่ "
           f"{thai_date(views.today())}")
if base.measures.empty:
    st.info("การประเมินนี้ยังไม่มีมาตรการ", icon=":material/info:")
    st.stop()

with st.container(border=True):  # every filter is bound to the URL: a link reproduces the view
    c1, c2, c3 = st.columns([3, 2, 2])
    divisions = c1.multiselect("หน่วยงานรับผิดชอบ", base.division_options, key="div", bind="query-params",
                               placeholder="ทุกหน่วยงาน")
    indicator_no = c2.selectbox("ตัวชี้วัด", list(base.indicator_names), index=None, key="ind", bind="query-params",
                                placeholder="ทุกตัวชี้วัด", format_func=lambda n: f"{n}. {base.indicator_names[n]}")
    statuses = c3.multiselect("สถานะ", list(framework.STATUSES), key="status", bind="query-params",
                              placeholder="ทุกสถานะ", format_func=framework.STATUS_TH.get)
    c4, c5 = st.columns([5, 2], vertical_alignment="bottom")
    text = c4.text_input("ค้นหา", key="q", bind="query-params",
                         placeholder="คำในมาตรการ ข้อคำถาม ตัวชี้วัด หรือหน่วยงาน")
    overdue_only = c5.toggle("เฉพาะที่เกินกำหนด", key="overdue", bind="query-params")

chosen_filter = views.MeasureFilter(divisions=tuple(divisions), indicator_no=indicator_no,
                                    statuses=tuple(statuses), overdue_only=overdue_only, text=text)
data = ui.measures_data(chosen, chosen_filter)
shown = data.shown
st.markdown(f"**{len(shown)}** จาก {data.total} มาตรการ · เสร็จแล้ว {data.done} · เกินกำหนด {data.overdue}")
if shown.empty:
    st.info("ไม่มีมาตรการที่ตรงกับตัวกรอง: ลองเอาตัวกรองบางตัวออก", icon=":material/filter_alt_off:")
    st.stop()

event = st.dataframe(
    data.table, hide_index=True, on_select="rerun", selection_mode="single-row", key="measure_table",
    height=min(len(data.table), 18) * 35 + 38,
    column_config={
        "ที่": st.column_config.TextColumn(width=48),
        "มาตรการ/โครงการ/กิจกรรม": st.column_config.TextColumn(width="large"),
        "ข้อคำถาม": st.column_config.TextColumn("ข้อ", width=48),
        "ความคืบหน้า (%)": st.column_config.ProgressColumn("ความคืบหน้า", min_value=0, max_value=100,
                                                           format="%d%%", width=110),
    })

d1, d2, _ = st.columns([1, 1, 3])
stem = f"มาตรการ-{chosen['plan_year']}"
d1.download_button("ดาวน์โหลด XLSX", lambda: tables.measures_xlsx(shown), file_name=f"{stem}.xlsx",
                   mime=tables.XLSX_MIME, icon=":material/table_view:", on_click="ignore")
d2.download_button("ดาวน์โหลด CSV", lambda: tables.measures_csv(shown), file_name=f"{stem}.csv",
                   mime="text/csv", icon=":material/download:", on_click="ignore")

# ---------------------------------------------------------------- progress report for one measure
rows = event.selection.rows if event else []
options = list(shown["id"])
labels = {row.id: f"{row.ref} {row.title}" for row in shown.itertuples()}
if rows:
    st.session_state.measure_pick = options[rows[0]]
if st.session_state.get("measure_pick") not in options:
    st.session_state.measure_pick = None
st.divider()
st.subheader("รายงานความคืบหน้า")
measure_id = st.selectbox("มาตรการ", options, index=None, key="measure_pick", format_func=labels.get,
                          placeholder="เลือกมาตรการ หรือคลิกแถวในตาราง")
if measure_id is not None:
    row = shown[shown["id"] == measure_id].iloc[0]
    left, right = st.columns([3, 2])
    with left:
        # a saved report starts a fresh form; a refused one keeps what was typed
        with st.form(f"update_measure_{st.session_state.setdefault('saved_reports', 0)}", border=True):
            st.markdown(f"**{row['ref']}** · {row['indicator_no']}. {row['indicator']} · "
                        f"{row['question_code'] or ''}")
            st.text(row["title"])
            statuses = list(framework.STATUSES)
            status = st.selectbox("สถานะ", statuses, index=statuses.index(row["status"]),
                                  format_func=framework.STATUS_TH.get)
            progress = st.slider("ความคืบหน้า (%)", 0, 100, int(row["progress"]), step=5,
                                 help="เมื่อเลือกสถานะ เสร็จแล้ว ความคืบหน้าจะเป็น 100%")
            note = st.text_area("บันทึก", placeholder="ทำอะไรไปแล้ว มีอุปสรรคอะไร")
            editor = st.text_input("ผู้บันทึก", value=st.session_state.get("editor", ""),
                                   placeholder="ชื่อ-สกุล / กอง")
            if st.form_submit_button("บันทึก", type="primary", icon=":material/save:"):
                try:
                    store.update_measure(con, int(measure_id), status, int(progress), note, editor)
                except ValueError as e:
                    st.error(str(e), icon=":material/error:")
                else:
                    st.session_state.editor = editor.strip()
                    st.session_state.saved_reports += 1
                    st.toast("บันทึกแล้ว", icon=":material/check_circle:")
                    st.rerun()
    with right:
        st.markdown("**ประวัติการรายงาน**")
        history = store.history(con, measure_id=int(measure_id))
        if not history:
            st.caption("ยังไม่มีการรายงาน")
        for h in history:
            with st.container(border=True):
                st.markdown(f"**{framework.STATUS_TH[h['status']]}** · {h['progress']}%")
                st.caption(f"{views.thai_datetime(h['changed_at'])} · {h['editor']}")
                if h["note"]:
                    st.text(h["note"])
