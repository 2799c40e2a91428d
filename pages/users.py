"""ผู้ใช้ (admins only): the accounts, adding one, and changing, disabling, re-enabling (unlocking)
or setting the password of one. Every change goes through store.users, which checks the signed-in
admin again and writes the audit log."""
import streamlit as st

from ita_data import store, ui, views
from ita_data.store import users

con, _ = ui.start_page(needs_assessment=False)
me = ui.require_permission(users.USERS)
st.title("ผู้ใช้")
st.caption(f"บทบาท: {users.ROLE_TH['admin']} (นำเข้า สำรองข้อมูล ผู้ใช้ ทุกมาตรการ) · "
           f"{users.ROLE_TH['editor']} (รายงานความคืบหน้าเฉพาะมาตรการของหน่วยงานตน ในองค์กรที่กำหนด) · "
           f"{users.ROLE_TH['viewer']} (อ่านอย่างเดียว) · ใส่รหัสผ่านผิด {users.MAX_FAILED_SIGN_INS} ครั้งติดต่อกัน "
           f"ชื่อนั้นจะถูกล็อก {users.LOCK_MINUTES} นาที")

done = st.session_state.pop("users_done", None)
if done:
    st.success(done, icon=":material/check_circle:")

accounts = users.list_users(con)
st.dataframe(views.users_frame(accounts), hide_index=True)
division_options = store.division_list(con)
organization_labels = views.organization_labels(store.organizations(con))  # id -> อบต.มวกเหล็ก (สระบุรี)
ORGANIZATIONS_LABEL = f"องค์กร (สำหรับ{users.ROLE_TH['editor']})"
ORGANIZATIONS_HELP = ("ผู้รายงานรายงานได้เฉพาะมาตรการขององค์กรที่เลือก; ไม่เลือก: รายงานได้เฉพาะเมื่อฐานข้อมูลมีองค์กรเดียว "
                      f"(ตอนนี้มี {len(organization_labels)} องค์กร)")


def run(change, message: str, *args, **kwargs) -> None:
    """Do one account change as the signed-in admin; a refusal is shown, a success reruns."""
    try:
        change(con, *args, by=me, **kwargs)
    except (ValueError, users.PermissionDenied) as e:
        st.error(ui.md_escape(str(e)), icon=":material/error:")  # the message may hold the name typed
    else:
        st.session_state.users_done = message
        st.session_state.users_forms = st.session_state.get("users_forms", 0) + 1  # fresh, empty forms
        st.rerun()


forms = st.session_state.setdefault("users_forms", 0)
add, manage = st.columns(2)
with add:
    st.subheader("เพิ่มผู้ใช้")
    with st.form(f"add_user_{forms}"):
        name = st.text_input("ชื่อผู้ใช้ (ใช้เข้าสู่ระบบ)", max_chars=users.MAX_NAME)
        display = st.text_input("ชื่อที่แสดง", placeholder="ชื่อ-สกุล")
        role = st.selectbox("บทบาท", users.ROLES, index=1, format_func=users.ROLE_TH.get)
        divisions = st.multiselect(f"หน่วยงาน (สำหรับ{users.ROLE_TH['editor']})", division_options, placeholder="เลือกหน่วยงาน")
        organizations = st.multiselect(ORGANIZATIONS_LABEL, list(organization_labels), key=f"add_orgs_{forms}",
                                       format_func=organization_labels.get, placeholder="เลือกองค์กร",
                                       default=list(organization_labels) if len(organization_labels) == 1 else [],
                                       help=ORGANIZATIONS_HELP)
        password = st.text_input("รหัสผ่าน", type="password", autocomplete="new-password",
                                 help=f"อย่างน้อย {users.MIN_PASSWORD} ตัวอักษร")
        again = st.text_input("รหัสผ่านอีกครั้ง", type="password", autocomplete="new-password")
        if st.form_submit_button("เพิ่มผู้ใช้", type="primary", icon=":material/person_add:"):
            if password != again:
                st.error("รหัสผ่านสองครั้งไม่ตรงกัน", icon=":material/error:")
            else:
                run(users.add_user, f"เพิ่มผู้ใช้ {name.strip()} แล้ว", name, role, password, display_name=display,
                    divisions=divisions if role == "editor" else [],
                    organizations=organizations if role == "editor" else [])

with manage:
    st.subheader("แก้ไขผู้ใช้")
    by_name = {u["name"]: u for u in accounts}
    picked = st.selectbox("ผู้ใช้", list(by_name), index=None, key="user_pick", placeholder="เลือกผู้ใช้",
                          format_func=lambda n: f"{n} · {users.ROLE_TH[by_name[n]['role']]} · "
                                                f"{views.USER_STATE_TH[by_name[n]['state']]}")
    if picked:
        account = by_name[picked]
        with st.form(f"edit_user_{forms}_{picked}"):
            display = st.text_input("ชื่อที่แสดง", value=account["display_name"] or picked)
            role = st.selectbox("บทบาท", users.ROLES, index=users.ROLES.index(account["role"]),
                                format_func=users.ROLE_TH.get)
            divisions = st.multiselect(f"หน่วยงาน (สำหรับ{users.ROLE_TH['editor']})", division_options,
                                       default=[d for d in account["divisions"] if d in division_options])
            organizations = st.multiselect(ORGANIZATIONS_LABEL, list(organization_labels),
                                           key=f"edit_orgs_{forms}_{picked}", format_func=organization_labels.get,
                                           default=[i for i in account["organization_ids"] if i in organization_labels],
                                           placeholder="ไม่ได้กำหนดองค์กร", help=ORGANIZATIONS_HELP)
            if st.form_submit_button("บันทึกการแก้ไข", icon=":material/save:"):
                run(users.update_user, f"แก้ไขผู้ใช้ {picked} แล้ว", picked, role=role, display_name=display,
                    divisions=divisions if role == "editor" else [],
                    organizations=organizations if role == "editor" else [])
        with st.form(f"password_{forms}_{picked}"):
            password = st.text_input("รหัสผ่านใหม่", type="password", autocomplete="new-password")
            again = st.text_input("รหัสผ่านใหม่อีกครั้ง", type="password", autocomplete="new-password")
            if st.form_submit_button("ตั้งรหัสผ่านใหม่", icon=":material/key:"):
                if password != again:
                    st.error("รหัสผ่านสองครั้งไม่ตรงกัน", icon=":material/error:")
                else:
                    run(users.set_password, f"ตั้งรหัสผ่านใหม่ของ {picked} แล้ว (ปลดล็อกแล้ว)", picked, password)
        if account["state"] == "active":
            if st.button("ปิดใช้งานผู้ใช้นี้", icon=":material/person_off:", disabled=picked == me.name,
                         help="เข้าสู่ระบบและบันทึกไม่ได้อีก ประวัติการรายงานยังอยู่ครบ"):
                run(users.disable_user, f"ปิดใช้งาน {picked} แล้ว", picked)
        elif st.button("เปิดใช้งาน / ปลดล็อก", icon=":material/lock_open:"):
            run(users.enable_user, f"เปิดใช้งาน {picked} แล้ว", picked)
