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
c1, c2, c3, c4 = st.columns(4)
c1.metric("ประเด็นที่รายงาน", f"{cards['findings']}", border=True,
          help="ข้อคำถาม ITA ที่หน่วยงานนำมาวิเคราะห์และกำหนดมาตรการ")
c2.metric("คะแนนต่ำสุด", "-" if cards["lowest_score"] is None else f"{cards['lowest_score']:.2f}",
          border=True, help=cards["lowest_label"] or "")
c3.metric("ช่องว่างมากที่สุดถึง 100", "-" if cards["largest_gap"] is None else f"{cards['largest_gap']:.2f}",
          border=True, help=cards["lowest_label"] or "")
c4.metric("มาตรการที่เสร็จแล้ว", f"{cards['done_share']:.0%}", border=True,
          help=f"{cards['done']} จาก {cards['measures']} มาตรการ (ไม่นับที่ยกเลิก)")
if cards["below_pass"]:
    st.warning(f"มี {cards['below_pass']} ข้อคำถามที่คะแนนต่ำกว่าเกณฑ์ผ่าน {framework.PASS_MARK:g}",
               icon=":material/warning:")

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
choice = st.selectbox(noun, chart.pick_options, index=None, key=key, format_func=chart.pick_labels.get,
                      placeholder=f"เลือก{noun}")
shown = findings[findings[chart.pick_column] == choice] if choice else findings.iloc[0:0]

for finding in shown.itertuples():
    with st.container(border=True):
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
