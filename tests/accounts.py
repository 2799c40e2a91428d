"""People for the tests: an admin, two editors (กองคลัง; กองช่าง, given by its other name) and a
viewer, added to a real database; signing in through AppTest's sidebar form or a real browser's."""
from __future__ import annotations

from ita_data.store import users

PASSWORDS = {"boss": "boss-pass-1", "klang": "klang-pass-1", "chang": "chang-pass-1", "reader": "reader-pass-1"}


def add_people(con) -> dict[str, users.User]:
    made = {"boss": users.add_user(con, "boss", "admin", PASSWORDS["boss"], display_name="ผู้ดูแล ระบบ", by="setup")}
    made["klang"] = users.add_user(con, "klang", "editor", PASSWORDS["klang"], display_name="สมศรี คลัง",
                                   divisions=["กองคลัง"], by=made["boss"])
    made["chang"] = users.add_user(con, "chang", "editor", PASSWORDS["chang"], divisions=["ส่วนโยธา"], by=made["boss"])
    made["reader"] = users.add_user(con, "reader", "viewer", PASSWORDS["reader"], by=made["boss"])
    return made


def app_sign_in(at, name: str, password: str | None = None):
    """Sign in through the sidebar form of an AppTest that has run."""
    inputs = {t.label: t for t in at.sidebar.text_input}
    inputs["ชื่อผู้ใช้"].input(name)
    inputs["รหัสผ่าน"].input(PASSWORDS[name] if password is None else password)
    next(b for b in at.sidebar.button if b.label == "เข้าสู่ระบบ").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def browser_sign_in(page, name: str, password: str | None = None, *, expect_ok: bool = True) -> None:
    """Sign in through the sidebar form of a real browser page."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_label("ชื่อผู้ใช้").fill(name)
    sidebar.get_by_label("รหัสผ่าน").fill(PASSWORDS.get(name, "") if password is None else password)
    sidebar.get_by_role("button", name="เข้าสู่ระบบ").click()
    if expect_ok:
        sidebar.get_by_role("button", name="ออกจากระบบ").wait_for(timeout=60_000)
