"""Entry point: page config, Thai font, navigation over pages/ (the admin pages only for admins), the
sidebar's organization and year choice shared by every page, and sign-in. Run: streamlit run dashboard.py"""
import streamlit as st

from ita_data import ui
from ita_data.store import users

st.set_page_config(page_title="ITA แดชบอร์ด", page_icon=":material/fact_check:", layout="wide")
ui.install_fonts()
# phones: page titles that fit a 360-390 px screen (at Streamlit's 2.75rem they break inside words)
st.html("<style>@media (max-width: 640px) { [data-testid='stMain'] [data-testid='stHeading'] h1 "
        "{ font-size: 2rem; } }</style>")
con = ui.connection()
user = ui.signed_in(con)

pages = [
    st.Page("pages/scores.py", title="ภาพรวมคะแนน", icon=":material/leaderboard:", default=True),
    st.Page("pages/measures.py", title="มาตรการ", icon=":material/checklist:"),
    st.Page("pages/divisions.py", title="หน่วยงานรับผิดชอบ", icon=":material/groups:"),
    st.Page("pages/timeline.py", title="แผนดำเนินงาน", icon=":material/calendar_month:"),
    st.Page("pages/meeting.py", title="ประชุมประจำเดือน", icon=":material/co_present:"),
    st.Page("pages/data.py", title="ข้อมูล", icon=":material/database:"),
]
# ---- pages for some roles only (a page left out here cannot be opened by its URL either)
if ui.may(users.USERS):
    pages.append(st.Page("pages/users.py", title="ผู้ใช้", icon=":material/manage_accounts:"))
if ui.may(users.AUDIT):
    pages.append(st.Page("pages/audit.py", title="บันทึกการใช้งาน", icon=":material/history:"))
readable = ui.may(users.READ)
navigation = st.navigation(pages, position="sidebar" if readable else "hidden")
if not readable:  # $ITA_PUBLIC_READ=0 and nobody signed in: the sign-in form alone
    ui.account_in_sidebar(con)
    ui.sign_in_required()
    st.stop()
ui.choose_in_sidebar(con)
ui.account_in_sidebar(con)
navigation.run()
