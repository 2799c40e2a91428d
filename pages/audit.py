"""บันทึกการใช้งาน (admins only): every write and sign-in, who and when, filtered by person, action,
days, organization and a text; the filtered log as XLSX."""
import streamlit as st

from ita_data import ui, views
from ita_data.exports import tables
from ita_data.store import audit, users

con, _ = ui.start_page(needs_assessment=False)
ui.require_permission(users.AUDIT)
st.title("บันทึกการใช้งาน")
st.caption("ทุกการบันทึก: รายงานความคืบหน้า นำเข้า เริ่มปีงบประมาณใหม่ การเปลี่ยนแปลงผู้ใช้ และการเข้าสู่ระบบ "
           "(เวลาประเทศไทย)")

today = views.today()
organizations = audit.organizations(con)  # those the log names
with st.container(border=True):
    c1, c2, c3 = st.columns([2, 3, 3])
    who = c1.selectbox("ผู้ใช้", audit.user_names(con), index=None, key="audit_user", placeholder="ทุกคน")
    actions = c2.multiselect("การกระทำ", list(audit.ACTION_TH), key="audit_actions", placeholder="ทุกการกระทำ",
                             format_func=audit.ACTION_TH.get)
    days = c3.date_input("ช่วงวันที่", [], key="audit_days", format="DD/MM/YYYY", help="ว่างไว้: ทุกวัน")
    c4, c5 = st.columns([3, 5])
    organization = c4.selectbox("หน่วยงาน", list(organizations), index=None, key="audit_org",
                                placeholder="ทุกหน่วยงาน", format_func=organizations.get)
    text = c5.text_input("ค้นหา", key="audit_text", placeholder="คำในรายการหรือรายละเอียด")

since, until = (days[0], days[-1]) if isinstance(days, (tuple, list)) and days else (None, None)
chosen = dict(user_name=who, actions=actions, since=since, until=until, organization_id=organization, text=text)
total = audit.count(con, **chosen)
frame = views.audit_frame(audit.entries(con, **chosen, limit=audit.SHOWN))
st.markdown(f"**{total:,}** รายการ" + (f" · แสดง {len(frame):,} รายการล่าสุด: กรองให้แคบลงเพื่อดูรายการเก่ากว่า "
                                      f"(ไฟล์ XLSX มีครบทุกรายการ)" if total > len(frame) else ""))
st.dataframe(frame, hide_index=True, column_config={"รายละเอียด": st.column_config.TextColumn(width="large")})
st.download_button("ดาวน์โหลด XLSX", lambda: tables.audit_xlsx(views.audit_frame(audit.entries(con, **chosen))),
                   file_name=f"บันทึกการใช้งาน-{today}.xlsx", mime=tables.XLSX_MIME, icon=":material/table_view:",
                   on_click="ignore", disabled=frame.empty)
