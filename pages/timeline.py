"""แผนดำเนินงาน: the measures over the fiscal year (October to September) as a Gantt chart with Thai
months, today's line, colour by status and overdue marked."""
import streamlit as st

from ita_data import ui, views
from ita_data.thai import thai_date

con, chosen = ui.start_page()

st.title("แผนดำเนินงาน")
st.caption(f"{ui.md_escape(chosen['organization'])} · ปีงบประมาณ {chosen['plan_year']} (1 ต.ค. {chosen['plan_year'] - 1} "
           f"- 30 ก.ย. {chosen['plan_year']}) · วันนี้ {thai_date(views.today())}")
division_options = ui.assessment_data(chosen).division_options
picked = st.multiselect("หน่วยงานรับผิดชอบ", division_options, placeholder="ทุกหน่วยงาน", key="div",
                        bind="query-params")
data = ui.timeline_data(chosen, tuple(picked))
if data.timeline.empty:
    st.info("ไม่มีมาตรการที่มีระยะเวลาดำเนินการ", icon=":material/info:")
    st.stop()
if data.own_division:
    st.caption(f"สถานะในแผนภูมิเป็นของ {ui.md_escape(data.own_division)} เอง "
               f"(มาตรการที่มีหลายหน่วยงานรับผิดชอบ แต่ละหน่วยงานรายงานของตน)")
if data.overdue:
    st.error(f"เกินกำหนด {data.overdue} มาตรการ: สิ้นสุดระยะเวลาแล้วแต่ยังไม่เสร็จ", icon=":material/schedule:")
st.plotly_chart(data.figure, key="timeline_chart", config={"displayModeBar": False})
if data.without_period:
    st.caption(f"อีก {data.without_period} มาตรการไม่มีระยะเวลาดำเนินการในรายงาน จึงไม่แสดงในแผนภูมิ")
