"""แผนดำเนินงาน: the measures over the fiscal year (October to September) as a Gantt chart with Thai
months, today's line, colour by status and overdue marked."""
import streamlit as st

from ita_data import ui, views
from ita_data.thai import thai_date

con, chosen = ui.start_page()
_, measures = ui.frames(chosen)

st.title("แผนดำเนินงาน")
st.caption(f"{chosen['organization']} · ปีงบประมาณ {chosen['plan_year']} (1 ต.ค. {chosen['plan_year'] - 1} "
           f"- 30 ก.ย. {chosen['plan_year']}) · วันนี้ {thai_date(views.today())}")
division_options = ui.cached("division_options", chosen)
picked = st.multiselect("หน่วยงานรับผิดชอบ", division_options, placeholder="ทุกหน่วยงาน", key="timeline_div")
shown = views.filter_measures(measures, views.MeasureFilter(divisions=tuple(picked)))
timeline = views.timeline_frame(shown)
if timeline.empty:
    st.info("ไม่มีมาตรการที่มีระยะเวลาดำเนินการ", icon=":material/info:")
    st.stop()
overdue = int(timeline["overdue"].sum())
if overdue:
    st.error(f"เกินกำหนด {overdue} มาตรการ: สิ้นสุดระยะเวลาแล้วแต่ยังไม่เสร็จ", icon=":material/schedule:")
st.plotly_chart(ui.cached("timeline", chosen, tuple(picked)), key="timeline_chart",
                config={"displayModeBar": False})
missing = len(shown) - len(timeline)
if missing:
    st.caption(f"อีก {missing} มาตรการไม่มีระยะเวลาดำเนินการในรายงาน จึงไม่แสดงในแผนภูมิ")
