"""ภาพรวมคะแนน: question and indicator scores with their gaps to 100, the pass mark and grade bands,
headline cards, and the detail of the chosen finding."""
import streamlit as st

from ita_data import framework, ui, views
from ita_data.thai import thai_date

con, chosen = ui.start_page()
base = ui.assessment_data(chosen)
findings, measures = base.findings, base.measures

st.title("ภาพรวมคะแนน ITA")
st.caption(f"{chosen['organization']} · ผลการประเมินปี {chosen['assessed_year']} · "
           f"มาตรการปีงบประมาณ {chosen['plan_year']}")
if findings.empty:
    st.info("การประเมินนี้ยังไม่มีประเด็น", icon=":material/info:")
    st.stop()

data = ui.scores_data(chosen)
cards = data.summary


def show_weakest() -> None:
    st.session_state.score_level = "question"
    st.session_state.score_pick_finding = cards["lowest_id"]
    st.session_state.scroll_to_detail = True


# ---------------------------------------------------------------- the executive strip
# four across on a wide screen; two by two where four would leave a card under 200 px (a laptop with
# the sidebar, a tablet); one under the other on a phone. Sized by the strip's own width (static CSS).
st.html("""<style>
[data-testid="stHorizontalBlock"]:has(.st-key-strip_overall) {
  container-type: inline-size; flex-wrap: wrap; }
@container (max-width: 860px) {
  [data-testid="stColumn"]:has(.st-key-strip_overall, .st-key-strip_below, .st-key-strip_measures, .st-key-strip_weakest) {
    flex: 1 1 calc(50% - 1rem) !important; min-width: calc(50% - 1rem) !important; } }
@container (max-width: 480px) {
  [data-testid="stColumn"]:has(.st-key-strip_overall, .st-key-strip_below, .st-key-strip_measures, .st-key-strip_weakest) {
    flex: 1 1 100% !important; min-width: 100% !important; } }
</style>""")
strip = st.columns(4)
with strip[0].container(border=True, height="stretch", key="strip_overall"):
    st.caption("คะแนนเฉลี่ยข้อที่รายงาน")
    st.markdown("#### -" if cards["mean_score"] is None  # the grade's words kept together on a narrow card
                else f"#### {cards['mean_score']:.2f} (ระดับ\u00a0{cards['mean_grade']})")
    st.caption(f"เฉลี่ยจาก {cards['scored']} ข้อคำถามในรายงาน ไม่ใช่คะแนน ITA รวมทางการ")
with strip[1].container(border=True, height="stretch", key="strip_below"):
    st.caption(f"ข้อที่ต่ำกว่าเกณฑ์ผ่าน {framework.PASS_MARK:g}")
    if cards["below_pass"]:
        st.markdown(f"#### :red[{cards['below_pass']} ข้อ]")
        st.markdown("  \n".join(f":red[{ui.md_escape(label)}]" for label in cards["below_pass_labels"][:3]) +
                    (f"  \nและอีก {cards['below_pass'] - 3} ข้อ" if cards["below_pass"] > 3 else ""))
    else:
        st.markdown("#### :green[ไม่มี]")
        st.caption(f"ทุกข้อที่รายงานได้ {framework.PASS_MARK:g} ขึ้นไป")
with strip[2].container(border=True, height="stretch", key="strip_measures"):
    st.caption("มาตรการ (ไม่นับที่ยกเลิก)")
    st.markdown(f"#### เสร็จ {cards['done']} จาก {cards['active']}")
    st.markdown(f":blue[กำลังดำเนินการ {cards['in_progress']}]  \n" +
                (f":red[**เกินกำหนด {cards['overdue']}**]" if cards["overdue"] else ":green[ไม่มีที่เกินกำหนด]") +
                f"  \nยังไม่เริ่ม {cards['not_started']}")
with strip[3].container(border=True, height="stretch", key="strip_weakest"):
    st.caption("ข้อที่คะแนนต่ำสุด")
    if cards["lowest_id"] is None:
        st.markdown("#### -")
    else:
        score_text = f"{cards['lowest_score']:.2f}"
        if cards["lowest_score"] < framework.PASS_MARK:
            score_text = f":red[{score_text}]"
        st.markdown(f"#### {score_text}")
        st.markdown(f"{ui.md_escape(cards['lowest_label'])}  \nห่างจาก 100 = {cards['largest_gap']:.2f}")
        st.button("ดูรายละเอียด", icon=":material/arrow_downward:", on_click=show_weakest, type="tertiary",
                  key="show_weakest")

level = st.segmented_control("ระดับ", ["question", "indicator"], default="question", key="score_level",
                             bind="query-params", format_func={"question": "รายข้อคำถาม", "indicator": "รายตัวชี้วัด"}.get)
chart = data.charts[level or "question"]
event = st.plotly_chart(chart.figure, key=f"score_chart_{level}", on_select="rerun",
                        selection_mode="points", config={"displayModeBar": False})
if level == "indicator":
    st.caption("คะแนนรายตัวชี้วัด = ค่าเฉลี่ยของข้อคำถามที่รายงานไว้ในตัวชี้วัดนั้น "
               "(รายงานระบุคะแนนรายข้อคำถาม ไม่ใช่คะแนนทางการของตัวชี้วัด)")
st.caption("คลิกแท่งกราฟเพื่อดูรายละเอียด หรือเลือกจากรายการด้านล่าง")

# the finding chosen by a click on the chart or in the list
picked = [p.get("customdata") for p in (event.selection.points if event else [])]
picked = [c[0] if isinstance(c, (list, tuple)) else c for c in picked if c is not None]
# the findings shown in detail: one question, or every question of one indicator
noun = "ตัวชี้วัด" if chart.pick_column == "indicator_no" else "ประเด็น"
key = f"score_pick_{'indicator' if chart.pick_column == 'indicator_no' else 'finding'}"
if picked:
    st.session_state[key] = int(picked[0])
    st.session_state.scroll_to_detail = True
choice = st.selectbox(noun, chart.pick_options, index=None, key=key, format_func=chart.pick_labels.get,
                      placeholder=f"เลือก{noun}")
shown = findings[findings[chart.pick_column] == choice] if choice else findings.iloc[0:0]

detail = st.container(key="score_detail")
for finding in shown.itertuples():
    with detail.container(border=True):
        st.subheader(f"{finding.seq}. {finding.indicator} · {finding.question_code or ''}")
        score_text = "ไม่ระบุ" if finding.score != finding.score else f"{finding.score:.2f} (ระดับ {finding.grade})"
        st.markdown(f"**คะแนน:** {score_text}")
        st.markdown("**ข้อคำถาม**")
        st.text(finding.question)
        left, right = st.columns(2)
        with left:
            st.markdown("**ผลการวิเคราะห์**")
            st.text(finding.analysis)
        with right:
            st.markdown("**ความสอดคล้องของมาตรการกับตัวชี้วัด**")
            st.text(finding.rationale)
        st.markdown("**มาตรการ**")
        st.table(views.finding_measure_table(measures, finding.id), hide_index=True)
        st.markdown("**ขั้นตอน/วิธีการดำเนินการ**")
        st.text("\n".join(f"{i}. {step}" for i, step in enumerate(finding.steps, start=1)) or "-")
        st.markdown(f"**ระยะเวลา:** {thai_date(finding.period_start)} ถึง {thai_date(finding.period_end)} "
                    f"(ตามรายงาน: {ui.md_escape(finding.period_text)})" if finding.period_start else
                    f"**ระยะเวลา:** {ui.md_escape(finding.period_text or 'ไม่ระบุ')}")
        st.markdown("**ผู้รับผิดชอบ:** " + ui.md_escape(", ".join(finding.divisions) or "ไม่ระบุ"))
        if len(finding.warnings):
            with st.expander(f"คำเตือนจากการนำเข้า ({len(finding.warnings)})", icon=":material/report:"):
                for w in finding.warnings:
                    st.text(f"• {w}")
if st.session_state.pop("scroll_to_detail", False) and len(shown):
    ui.scroll_into_view("score_detail")
