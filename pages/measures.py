"""มาตรการ: every measure with filters kept in the URL, exports of the filtered table, and progress
reporting with each measure's history."""
import streamlit as st

from ita_data import framework, store, ui, views
from ita_data.exports import tables
from ita_data.thai import thai_date

chosen = ui.require_assessment()
con = ui.connection()
measures = views.measures_frame(con, chosen["id"])

st.title("มาตรการ")
st.caption(f"{chosen['organization']} · ปีงบประมาณ {chosen['plan_year']} · ข้อมูล ณ วันที่ "
           f"{thai_date(views.today())}")
if measures.empty:
    st.info("การประเมินนี้ยังไม่มีมาตรการ", icon=":material/info:")
    st.stop()

known_order = {name: i for i, name in enumerate(store.division_list(con))}
division_options = sorted({d for names in measures["divisions"] for d in names},
                          key=lambda d: known_order.get(d, len(known_order)))
indicator_options = sorted(set(measures["indicator_no"]))
indicator_names = dict(zip(measures["indicator_no"], measures["indicator"]))

ui.url_state("div", [], many=True)
ui.url_state("ind", None, cast=int)
ui.url_state("status", [], many=True)
ui.url_state("overdue", False, cast=lambda v: v == "1")
ui.url_state("q", "")
st.session_state.div = [d for d in st.session_state.div if d in division_options]
if st.session_state.ind not in indicator_options:
    st.session_state.ind = None
st.session_state.status = [s for s in st.session_state.status if s in framework.STATUSES]

with st.container(border=True):
    c1, c2, c3 = st.columns([3, 2, 2])
    c1.multiselect("หน่วยงานรับผิดชอบ", division_options, key="div", placeholder="ทุกหน่วยงาน")
    c2.selectbox("ตัวชี้วัด", [None, *indicator_options], key="ind",
                 format_func=lambda n: "ทุกตัวชี้วัด" if n is None else f"{n}. {indicator_names[n]}")
    c3.multiselect("สถานะ", list(framework.STATUSES), key="status", placeholder="ทุกสถานะ",
                   format_func=framework.STATUS_TH.get)
    c4, c5 = st.columns([5, 2])
    c4.text_input("ค้นหา", key="q", placeholder="คำในมาตรการ ข้อคำถาม ตัวชี้วัด หรือหน่วยงาน")
    c5.toggle("เฉพาะที่เกินกำหนด", key="overdue")

chosen_filter = views.MeasureFilter(divisions=tuple(st.session_state.div), indicator_no=st.session_state.ind,
                                    statuses=tuple(st.session_state.status),
                                    overdue_only=st.session_state.overdue, text=st.session_state.q)
ui.write_url(div=st.session_state.div, ind=st.session_state.ind, status=st.session_state.status,
             overdue=st.session_state.overdue, q=st.session_state.q.strip())
shown = views.filter_measures(measures, chosen_filter)

done = int((shown["status"] == "done").sum())
st.markdown(f"**{len(shown)}** จาก {len(measures)} มาตรการ · เสร็จแล้ว {done} · "
            f"เกินกำหนด {int(shown['overdue'].sum())}")
if shown.empty:
    st.info("ไม่มีมาตรการที่ตรงกับตัวกรอง: ลองเอาตัวกรองบางตัวออก", icon=":material/filter_alt_off:")
    st.stop()

table = views.measure_table(shown)
event = st.dataframe(
    table, hide_index=True, on_select="rerun", selection_mode="single-row", key="measure_table",
    column_config={
        "ความคืบหน้า (%)": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%"),
        "มาตรการ/โครงการ/กิจกรรม": st.column_config.TextColumn(width="large"),
        "ข้อคำถาม": st.column_config.TextColumn(width="medium"),
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
measure_id = st.selectbox("มาตรการ", [None, *options], key="measure_pick",
                          format_func=lambda i: "— เลือกมาตรการ (หรือคลิกแถวในตาราง) —" if i is None else labels[i])
if measure_id is not None:
    row = shown[shown["id"] == measure_id].iloc[0]
    left, right = st.columns([3, 2])
    with left:
        with st.form("update_measure", border=True):
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
                    ui.mark_seen(con)
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
