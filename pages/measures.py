"""มาตรการ: every measure with filters kept in the URL, exports of the filtered table, and progress
reporting with each measure's history."""
import streamlit as st

from ita_data import framework, store, ui, views
from ita_data.exports import tables
from ita_data.store import users
from ita_data.thai import thai_date

con, chosen = ui.start_page()
base = ui.assessment_data(chosen)
user = ui.current_user()
# an editor's own divisions (those this assessment has), in an organization it reports for: its measures come
# first (divisions are shared by every organization: another agency's กองคลัง is not this editor's)
reports_here = users.may_report_in(con, user, chosen["organization_id"])
mine = [d for d in user.divisions if d in base.division_options] \
    if user and user.role == "editor" and reports_here else []
if mine and st.session_state.get("_my_divisions_shown") != user.name:
    if "div" not in st.query_params:  # once per sign-in: the editor's measures first (the filter can be cleared)
        st.session_state.div = mine
    st.session_state._my_divisions_shown = user.name

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
if data.own_division:
    st.caption(f"สถานะและความคืบหน้าในตารางเป็นของ {ui.md_escape(data.own_division)} เอง "
               f"(มาตรการที่มีหลายหน่วยงานรับผิดชอบ แต่ละหน่วยงานรายงานของตน)")
if shown.empty:
    st.info("ไม่มีมาตรการที่ตรงกับตัวกรอง: ลองเอาตัวกรองบางตัวออก", icon=":material/filter_alt_off:")
    st.stop()

HEADER_PX, SCROLLBAR_PX = 40, 16
ROW_PX = 80  # three lines of a title (Streamlit wraps text in rows taller than 4rem)
first = ["ที่", "สถานะ", "ความคืบหน้า (%)"]  # always in view: pinned at the left
in_table = list(shown["id"])


def pick_from_table(ids: list[int] = in_table) -> None:
    """A row clicked in the table picks its measure for the report form, once: the picker stays
    free to choose another while the row is still ticked (ids: the rows of the table clicked)."""
    rows = st.session_state.measure_table.selection.rows
    if rows and rows[0] < len(ids):
        st.session_state.measure_pick = ids[rows[0]]


st.dataframe(
    data.table, hide_index=True, on_select=pick_from_table, selection_mode="single-row", key="measure_table",
    column_order=first + [c for c in data.table.columns if c not in first], row_height=ROW_PX,
    height=HEADER_PX + min(len(data.table), 8) * ROW_PX + SCROLLBAR_PX,
    column_config={
        "ที่": st.column_config.TextColumn(width=50, pinned=True),
        "สถานะ": st.column_config.TextColumn(width=112, pinned=True),
        "ความคืบหน้า (%)": st.column_config.ProgressColumn("%", help="ความคืบหน้า (%)", min_value=0,
                                                           max_value=100, format="%d%%", width=64, pinned=True),
        "มาตรการ/โครงการ/กิจกรรม": st.column_config.TextColumn(width=420),
        "ข้อคำถาม": st.column_config.TextColumn("ข้อ", width=48),
    })

d1, d2, _ = st.columns([1, 1, 3])
stem = f"มาตรการ-{chosen['plan_year']}"
d1.download_button("ดาวน์โหลด XLSX", lambda: tables.measures_xlsx(shown), file_name=f"{stem}.xlsx",
                   mime=tables.XLSX_MIME, icon=":material/table_view:", on_click="ignore")
d2.download_button("ดาวน์โหลด CSV", lambda: tables.measures_csv(shown), file_name=f"{stem}.csv",
                   mime="text/csv", icon=":material/download:", on_click="ignore")

# ---------------------------------------------------------------- progress report for one measure
own = [row.id for row in shown.itertuples() if set(mine) & set(row.divisions)]
options = own + [i for i in in_table if i not in own]  # an editor's own measures first
labels = {row.id: f"{row.ref} {row.title}" for row in shown.itertuples()}
if st.session_state.get("measure_pick") not in options:
    st.session_state.measure_pick = None
st.divider()
st.subheader("รายงานความคืบหน้า")
if user is None:
    st.caption("เข้าสู่ระบบที่แถบด้านซ้ายเพื่อรายงานความคืบหน้า (ดูประวัติได้โดยไม่ต้องเข้าสู่ระบบ)")
elif not user.may(users.REPORT):
    st.caption(f"บัญชี {ui.md_escape(user.name)} ({users.ROLE_TH[user.role]}) ดูได้อย่างเดียว")
elif not reports_here:
    st.caption(f"บัญชี {ui.md_escape(user.name)} รายงานได้เฉพาะมาตรการขององค์กรที่ผู้ดูแลระบบกำหนดให้: "
               f"{ui.md_escape(chosen['organization'])} ดูได้อย่างเดียว")
elif mine:
    st.caption(f"มาตรการของหน่วยงานฉัน ({ui.md_escape(', '.join(mine))}): {len(own)} มาตรการในตาราง "
               f"อยู่ต้นรายการ; รายงานได้เฉพาะในนามหน่วยงานของตน")
measure_id = st.selectbox("มาตรการ", options, index=None, key="measure_pick",
                          format_func=lambda i: ("★ " if i in own else "") + labels[i],
                          placeholder="เลือกมาตรการ หรือคลิกแถวในตาราง")
if measure_id is not None:
    row = shown[shown["id"] == measure_id].iloc[0]
    left, right = st.columns([3, 2])
    # who may report here: an admin for any division, an editor for its own (store.update_measure checks it again)
    reporters = [d["division"] for d in row["division_status"]]
    if user is not None and user.role == "editor":
        reporters = [d for d in reporters if d in user.divisions] if reports_here else []
    if user is None or not user.may(users.REPORT) or (user.role == "editor" and not reporters):
        with left:  # where each division stands, without the form
            st.text(f"{row['ref']} {row['title']}")
            if row["division_status"]:
                st.dataframe(views.division_status_frame(row["division_status"]), hide_index=True,
                             column_config={"ความคืบหน้า (%)": st.column_config.ProgressColumn(
                                 "ความคืบหน้า", min_value=0, max_value=100, format="%d%%")})
            if user is not None and user.role == "editor" and reports_here:
                st.caption(f"มาตรการนี้ไม่ใช่ของ {ui.md_escape(', '.join(user.divisions))}: รายงานไม่ได้")
    else:
        with left, st.container(border=True, key="report_form"):
            st.markdown(f"**{row['ref']}** · {row['indicator_no']}. {ui.md_escape(row['indicator'])} · "
                        f"{ui.md_escape(row['question_code'] or '')}")
            st.text(row["title"])
            states = {d["division"]: d for d in row["division_status"]}
            if states:
                st.dataframe(views.division_status_frame(row["division_status"]), hide_index=True,
                             column_config={"ความคืบหน้า (%)": st.column_config.ProgressColumn(
                                 "ความคืบหน้า", min_value=0, max_value=100, format="%d%%")})
                choices = reporters  # an editor: its own divisions among the measure's
                division = st.selectbox("รายงานในนามหน่วยงาน", choices, key=f"report_division_{measure_id}",
                                        index=choices.index(data.own_division) if data.own_division in choices else 0,
                                        help="แต่ละหน่วยงานรายงานสถานะของตนเอง มาตรการเสร็จเมื่อทุกหน่วยงานเสร็จ")
                current = states[division]
            else:  # a measure without a responsible division: reported as a whole
                division, current = None, {"status": row["status"], "progress": int(row["progress"])}
            # the percent is asked only while the work is in progress: done is 100%, not started 0%, a
            # cancelled measure keeps what it reached; no widget writes another's value, so a redraw that
            # comes late (a busy server) can never turn a status back
            form = f"report_{measure_id}_{division}_{st.session_state.setdefault('saved_reports', 0)}"
            reached = int(current["progress"])
            st.session_state.setdefault(f"{form}_status", current["status"])
            status = st.selectbox("สถานะ", list(framework.STATUSES), key=f"{form}_status",
                                  format_func=framework.STATUS_TH.get)
            if status == "in_progress":
                st.session_state.setdefault(f"{form}_progress", framework.progress_for(status, reached))
                st.slider("ความคืบหน้า (%)", 0, framework.IN_PROGRESS_MAX, key=f"{form}_progress", step=5,
                          help=f"เมื่อเสร็จ เลือกสถานะ {framework.STATUS_TH['done']} (100%)")
            else:
                st.caption(f"ความคืบหน้า {framework.progress_for(status, reached)}%")
            note = st.text_area("บันทึก", placeholder="ทำอะไรไปแล้ว มีอุปสรรคอะไร", key=f"{form}_note")
            st.caption(f"ผู้รายงาน: {ui.md_escape(user.label)}")

            def save(measure: int, division: str | None, form: str, reached: int) -> None:
                """Saved in the button's callback: it runs even when the next run no longer draws this
                form (another measure picked right after the click), so a click is never lost."""
                chosen_status = st.session_state[f"{form}_status"]
                progress = st.session_state.get(f"{form}_progress") if chosen_status == "in_progress" else None
                try:  # who reports is the signed-in account, checked again by the store
                    store.update_measure(con, measure, chosen_status,
                                         framework.progress_for(chosen_status, reached) if progress is None
                                         else int(progress),
                                         st.session_state.get(f"{form}_note"), user, division=division)
                except (ValueError, users.PermissionDenied) as e:
                    st.session_state._report_error = str(e)
                else:
                    st.session_state.saved_reports += 1  # a fresh form after a save
                    st.session_state._report_saved = True

            st.button("บันทึก", type="primary", icon=":material/save:", key=f"{form}_save", on_click=save,
                      args=(int(measure_id), division, form, reached))
    refused = st.session_state.pop("_report_error", None)  # the save callback's message
    if refused:
        left.error(ui.md_escape(refused), icon=":material/error:")
    if st.session_state.pop("_report_saved", False):
        st.toast("บันทึกแล้ว", icon=":material/check_circle:")
    with right:
        st.markdown("**ประวัติการรายงาน**")
        history = store.history(con, measure_id=int(measure_id))
        if not history:
            st.caption("ยังไม่มีการรายงาน")
        for h in history:
            with st.container(border=True):
                st.markdown(f"**{framework.STATUS_TH[h['status']]}** · {h['progress']}%" +
                            (f" · {ui.md_escape(h['division'])}" if h["division"] else " · ทุกหน่วยงาน"))
                st.caption(f"{views.thai_datetime(h['changed_at'])} · {ui.md_escape(h['editor_label'])}")
                if h["note"]:
                    st.text(h["note"])
