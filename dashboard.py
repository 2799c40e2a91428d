"""Entry point: page config, Thai font, navigation over pages/, and the sidebar's organization and
year choice shared by every page. Run: streamlit run dashboard.py"""
import streamlit as st

from ita_data import ui

st.set_page_config(page_title="ITA แดชบอร์ด", page_icon=":material/fact_check:", layout="wide")
ui.install_fonts()
# phones: page titles that fit a 360-390 px screen (at Streamlit's 2.75rem they break inside words)
st.html("<style>@media (max-width: 640px) { [data-testid='stMain'] [data-testid='stHeading'] h1 "
        "{ font-size: 2rem; } }</style>")
con = ui.connection()

navigation = st.navigation([
    st.Page("pages/scores.py", title="ภาพรวมคะแนน", icon=":material/leaderboard:", default=True),
    st.Page("pages/measures.py", title="มาตรการ", icon=":material/checklist:"),
    st.Page("pages/divisions.py", title="หน่วยงานรับผิดชอบ", icon=":material/groups:"),
    st.Page("pages/timeline.py", title="แผนดำเนินงาน", icon=":material/calendar_month:"),
    st.Page("pages/meeting.py", title="ประชุมประจำเดือน", icon=":material/co_present:"),
    st.Page("pages/data.py", title="ข้อมูล", icon=":material/database:"),
])
ui.choose_in_sidebar(con)
navigation.run()
