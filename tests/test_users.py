"""Accounts, roles, sign-in and the audit log: the store on a real DuckDB file, the command line, and
the sign-in form, Users and audit pages through AppTest."""
from __future__ import annotations

import io
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from ita_data import store
from accounts import PASSWORDS, add_people, app_sign_in
from ita_data.store import audit, users

ROOT = Path(__file__).resolve().parent.parent
@pytest.fixture
def people_db(seeded_copy):
    con = store.connect(seeded_copy)
    try:
        add_people(con)
    finally:
        con.close()
    return seeded_copy


@pytest.fixture
def con(people_db):
    con = store.connect(people_db)
    yield con
    con.close()


# ---------------------------------------------------------------- accounts and passwords

def test_passwords_are_stored_as_argon2_hashes_only(con, people_db):
    hashes = dict(con.cursor().execute("SELECT name, password_hash FROM users").fetchall())
    assert set(hashes) == set(PASSWORDS)
    for name, password in PASSWORDS.items():
        assert hashes[name].startswith("$argon2id$")
        assert password not in hashes[name]
    con.close()
    raw = people_db.read_bytes()
    assert not any(p.encode() in raw for p in PASSWORDS.values())  # nowhere in the file
    assert all(p not in row for row in audit.entries(store.connect(people_db, read_only=True))
               for p in PASSWORDS.values() for row in [str(row)])


def test_no_hash_or_password_in_the_dump_or_the_backups(people_db):
    """The dump (and the JSON backup made of it) and the XLSX backup carry the accounts without
    their password hashes, and no password anywhere."""
    from ita_data.exports import tables
    con = store.connect(people_db, read_only=True)
    try:
        hashes = [h for (h,) in con.cursor().execute("SELECT password_hash FROM users").fetchall()]
        dumped = str(store.dump(con))
        boss = users.get_user(con, "boss")
        book = openpyxl.load_workbook(io.BytesIO(tables.backup_xlsx(con, by=boss)))
    finally:
        con.close()
    cells = " ".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
    assert "klang" in dumped  # the accounts are there
    for text in (dumped, cells):
        assert "$argon2" not in text and not any(h in text for h in hashes)
        assert not any(p in text for p in PASSWORDS.values())


def test_an_editor_is_bound_to_stored_divisions(con):
    klang = users.get_user(con, "klang")
    assert (klang.role, klang.divisions, klang.display_name) == ("editor", ("กองคลัง",), "สมศรี คลัง")
    assert users.get_user(con, "chang").divisions == ("กองช่าง",)  # ส่วนโยธา is กองช่าง's other name
    boss = users.get_user(con, "boss")
    with pytest.raises(ValueError, match="ต้องระบุหน่วยงาน"):
        users.add_user(con, "nodiv", "editor", "long-enough-1", by=boss)
    with pytest.raises(ValueError, match="ไม่พบหน่วยงาน"):
        users.add_user(con, "nodiv", "editor", "long-enough-1", divisions=["กองที่ไม่มี"], by=boss)
    with pytest.raises(ValueError, match="เฉพาะบทบาทผู้รายงานของหน่วยงาน"):
        users.add_user(con, "v2", "viewer", "long-enough-1", divisions=["กองคลัง"], by=boss)
    with pytest.raises(ValueError, match="อย่างน้อย 8"):
        users.add_user(con, "short", "viewer", "short", by=boss)
    with pytest.raises(ValueError, match="มีผู้ใช้ชื่อ boss อยู่แล้ว"):
        users.add_user(con, "boss", "viewer", "long-enough-1", by=boss)
    with pytest.raises(ValueError, match="ใช้ไม่ได้"):
        users.add_user(con, "two words", "viewer", "long-enough-1", by=boss)
    assert users.get_user(con, "nodiv") is None and users.get_user(con, "short") is None


@pytest.mark.parametrize("who", ["klang", "reader"])
def test_only_an_admin_changes_accounts(con, who):
    person = users.get_user(con, who)
    before = users.list_users(con)
    for change in (lambda: users.add_user(con, "x1", "admin", "long-enough-1", by=person),
                   lambda: users.disable_user(con, "boss", by=person),
                   lambda: users.set_password(con, "boss", "long-enough-2", by=person),
                   lambda: users.update_user(con, who, role="admin", by=person)):
        with pytest.raises(users.PermissionDenied, match="ไม่มีสิทธิ์จัดการผู้ใช้"):
            change()
    assert users.list_users(con) == before
    users.set_password(con, who, "my-own-new-1", by=person)  # one's own password: allowed
    assert users.authenticate(con, who, "my-own-new-1").name == who


def test_the_last_admin_stays(con):
    boss = users.get_user(con, "boss")
    with pytest.raises(ValueError, match="ปิดใช้งานบัญชีของตนเองไม่ได้"):
        users.disable_user(con, "boss", by=boss)
    with pytest.raises(ValueError, match="อย่างน้อยหนึ่งบัญชี"):
        users.update_user(con, "boss", role="viewer", by=boss)
    with pytest.raises(ValueError, match="อย่างน้อยหนึ่งบัญชี"):
        users.disable_user(con, "boss", by="cli-user")


# ---------------------------------------------------------------- sign-in and lockout

def test_sign_in_and_the_lockout(con):
    assert users.authenticate(con, "klang", PASSWORDS["klang"]).divisions == ("กองคลัง",)
    start = store.now()
    for attempt in range(1, users.MAX_FAILED_SIGN_INS):
        with pytest.raises(users.SignInError, match="ไม่ถูกต้อง"):
            users.authenticate(con, "klang", f"wrong-{attempt}", at=start)
    with pytest.raises(users.SignInError, match=f"ล็อกชั่วคราว.*{users.LOCK_MINUTES} นาที"):
        users.authenticate(con, "klang", "wrong-5", at=start)
    # locked: even the right password is refused, until LOCK_MINUTES have passed
    with pytest.raises(users.SignInError, match="ล็อกชั่วคราว"):
        users.authenticate(con, "klang", PASSWORDS["klang"], at=start + timedelta(minutes=users.LOCK_MINUTES - 1))
    assert audit.entries(con, user_name="klang")[0]["detail"] == "ถูกล็อกอยู่"  # refused for the lock, not the password
    assert [u["state"] for u in users.list_users(con, at=start) if u["name"] == "klang"] == ["locked"]
    later = start + timedelta(minutes=users.LOCK_MINUTES, seconds=1)
    assert users.authenticate(con, "klang", PASSWORDS["klang"], at=later).name == "klang"
    # the count starts again after a success: four wrong ones do not lock
    for attempt in range(users.MAX_FAILED_SIGN_INS - 1):
        with pytest.raises(users.SignInError, match="ไม่ถูกต้อง"):
            users.authenticate(con, "klang", "wrong", at=later)
    assert users.authenticate(con, "klang", PASSWORDS["klang"], at=later).name == "klang"
    actions = [r["action"] for r in audit.entries(con, user_name="klang")]
    assert actions.count(audit.LOCKED) == 1 and actions.count(audit.SIGN_IN) == 3
    assert actions.count(audit.SIGN_IN_FAILED) == 4 + 1 + 4


def test_an_admin_unlocks_and_unknown_wrong_and_locked_get_one_message(con):
    messages = set()
    for _ in range(users.MAX_FAILED_SIGN_INS):
        with pytest.raises(users.SignInError) as wrong:
            users.authenticate(con, "reader", "wrong")
        messages.add(str(wrong.value))
    with pytest.raises(users.SignInError) as locked:  # locked: the right password is refused, and says the same
        users.authenticate(con, "reader", PASSWORDS["reader"])
    for _ in range(users.MAX_FAILED_SIGN_INS + 1):  # an unknown name: the same, however often it is tried
        with pytest.raises(users.SignInError) as unknown:
            users.authenticate(con, "nobody", "whatever1")
        messages.add(str(unknown.value))
    messages.add(str(locked.value))
    assert messages == {users.REFUSED} == \
        {"ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง หรือบัญชีถูกล็อกชั่วคราว (ใส่ผิด 5 ครั้งล็อก 15 นาที)"}
    assert [u["state"] for u in users.list_users(con) if u["name"] == "reader"] == ["locked"]
    users.enable_user(con, "reader", by=users.get_user(con, "boss"))
    assert users.authenticate(con, "reader", PASSWORDS["reader"]).role == "viewer"
    # a disabled account is told so only when its password is right (a wrong one: the same message)
    users.disable_user(con, "reader", by=users.get_user(con, "boss"))
    with pytest.raises(users.SignInError) as wrong:
        users.authenticate(con, "reader", "whatever1")
    assert str(wrong.value) == users.REFUSED
    with pytest.raises(users.SignInError, match="ถูกปิดใช้งาน"):
        users.authenticate(con, "reader", PASSWORDS["reader"])


def test_a_failed_sign_in_under_an_unknown_name_keeps_no_typed_text(con):
    typed = "Secret-Pass-typed-as-name"  # a password typed into the name box
    with pytest.raises(users.SignInError):
        users.authenticate(con, typed, "anything-1")
    with pytest.raises(users.SignInError):
        users.authenticate(con, "klang", "wrong-pass-1")  # an account's name is kept
    from ita_data.exports import tables
    for text in (str(audit.entries(con)), str(store.dump(con)),
                 tables.backup_json(con, by=users.get_user(con, "boss")).decode("utf-8")):
        assert typed not in text and typed.lower() not in text.lower()
    [unknown, known] = [r for r in reversed(audit.entries(con, actions=[audit.SIGN_IN_FAILED]))]
    assert (unknown["user_name"], unknown["target"], unknown["detail"]) == (users.UNKNOWN_NAME, None, "ไม่พบชื่อผู้ใช้")
    assert (known["user_name"], known["target"]) == ("klang", "klang")
    # a look-alike of an account's name is that account: recorded under the account's own name
    with pytest.raises(users.SignInError):
        users.authenticate(con, "ＫＬＡＮＧ", "wrong-pass-2")
    assert audit.entries(con, actions=[audit.SIGN_IN_FAILED])[0]["user_name"] == "klang"


def test_a_disabled_account_cannot_sign_in_nor_write(con):
    klang = users.authenticate(con, "klang", PASSWORDS["klang"])  # signed in before it is disabled
    users.disable_user(con, "klang", by=users.get_user(con, "boss"))
    with pytest.raises(users.SignInError, match="ถูกปิดใช้งาน"):
        users.authenticate(con, "klang", PASSWORDS["klang"])
    with pytest.raises(users.PermissionDenied, match="ถูกปิดใช้งาน"):
        users.require(con.cursor(), klang, users.REPORT, divisions=["กองคลัง"])
    assert users.get_user(con, "klang") is None
    users.enable_user(con, "klang", by=users.get_user(con, "boss"))
    assert users.require(con.cursor(), klang, users.REPORT, divisions=["กองคลัง"]).name == "klang"


def test_require_reads_the_account_as_it_is_now(con):
    klang = users.get_user(con, "klang")
    assert users.require(con.cursor(), klang, users.REPORT, divisions=["กองคลัง", "กองช่าง"]) == klang
    with pytest.raises(users.PermissionDenied, match="เฉพาะมาตรการของหน่วยงานตนเอง"):
        users.require(con.cursor(), klang, users.REPORT, divisions=["กองช่าง"])
    with pytest.raises(users.PermissionDenied, match="ไม่มีสิทธิ์นำเข้ารายงาน"):
        users.require(con.cursor(), klang, users.IMPORT)
    with pytest.raises(users.PermissionDenied, match="ต้องเข้าสู่ระบบ"):
        users.require(con.cursor(), None, users.REPORT)
    # a session that claims more than the database says gets what the database says
    forged = users.User("klang", "x", "admin", ("กองช่าง",), klang.id)
    with pytest.raises(users.PermissionDenied, match="ไม่มีสิทธิ์นำเข้ารายงาน"):
        users.require(con.cursor(), forged, users.IMPORT)
    with pytest.raises(users.PermissionDenied, match="ไม่พบบัญชี"):
        users.require(con.cursor(), users.User("ghost", "ghost", "admin", (), 999), users.IMPORT)
    users.update_user(con, "klang", divisions=["กองช่าง"], by=users.get_user(con, "boss"))
    assert users.require(con.cursor(), klang, users.REPORT, divisions=["กองช่าง"]).divisions == ("กองช่าง",)


# ---------------------------------------------------------------- audit log

def test_account_changes_are_in_the_audit_log_with_filters(con):
    rows = audit.entries(con)
    assert [r["user_name"] for r in rows if r["action"] == audit.IMPORT] == ["ระบบ"]  # the seed of seeded_db
    adds = [r for r in rows if r["action"] == audit.USER_ADD]
    assert [r["target"] for r in reversed(adds)] == ["boss", "klang", "chang", "reader"]
    assert [r["user_name"] for r in reversed(adds)] == ["setup", "boss", "boss", "boss"]
    assert [r["target"] for r in audit.entries(con, user_name="boss", actions=[audit.USER_ADD])] == \
        ["reader", "chang", "klang"]
    assert [r["target"] for r in audit.entries(con, text="กองช่าง")] == ["chang"]
    # filter values that look like SQL or LIKE patterns are plain text
    for value in ("' OR 1=1 --", "%", "_", "boss'; DROP TABLE audit_log; --"):
        assert audit.entries(con, text=value) == []
        assert audit.entries(con, user_name=value) == []
    assert audit.entries(con, actions=["'; DELETE FROM users; --"]) == rows  # unknown actions: no filter
    assert len(audit.entries(con)) == len(rows) and len(users.list_users(con)) == 4


# ---------------------------------------------------------------- command line

def run_cli(*args, password: str | None = None) -> subprocess.CompletedProcess:
    """The command line as a real process (stdin is the password, as a script would give it)."""
    return subprocess.run([sys.executable, "-m", "ita_data", *map(str, args)], cwd=ROOT, input=password,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_cli_user_verbs(seeded_copy):
    db = seeded_copy
    # an unknown organization, or one for an admin: one Thai line, exit 2, nothing written
    for args, refusal in (
            (["somsri", "--role", "editor", "--division", "กองคลัง", "--org", "อบต.ไม่มีจริง"],
             'error: ไม่พบองค์กร "อบต.ไม่มีจริง": ใช้ชื่อองค์กรที่มีในฐานข้อมูล เช่น องค์การบริหารส่วนตำบลมวกเหล็ก'),
            (["admin", "--role", "admin", "--org", "อบต.มวกเหล็ก"],
             "error: กำหนดองค์กรได้เฉพาะบทบาทผู้รายงานของหน่วยงาน")):
        bad = run_cli("user", "add", *args, "--password-stdin", "--db", db, password="s3cret-pass\n")
        assert (bad.returncode, bad.stderr.strip(), bad.stdout) == (2, refusal, "")
    assert run_cli("user", "list", "--db", db).stdout == ""
    done = run_cli("user", "add", "somsri", "--role", "editor", "--division", "กองคลัง", "--division", "สำนักปลัด",
                   "--org", "อบต.มวกเหล็ก", "--display-name", "สมศรี ใจดี", "--password-stdin", "--db", db,
                   password="s3cret-pass\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("เพิ่มผู้ใช้ somsri บทบาท editor (ผู้รายงานของหน่วยงาน) หน่วยงาน สำนักปลัด, กองคลัง "
                                   "องค์กร องค์การบริหารส่วนตำบลมวกเหล็ก (สระบุรี)")
    assert "s3cret" not in done.stdout + done.stderr
    done = run_cli("user", "add", "admin", "--role", "admin", "--password-stdin", "--db", db, password="adm1n-pass\n")
    assert done.returncode == 0, done.stderr
    listed = run_cli("user", "list", "--db", db)
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == ["admin\tadmin\tใช้งานได้\t-\tadmin\t-",
                                          "somsri\teditor\tใช้งานได้\tสำนักปลัด, กองคลัง\tสมศรี ใจดี\t"
                                          "องค์การบริหารส่วนตำบลมวกเหล็ก (สระบุรี)"]
    assert "argon2" not in listed.stdout
    bad = run_cli("user", "password", "somsri", "--password-stdin", "--db", db, password="short\n")
    assert (bad.returncode, bad.stderr.strip()) == (2, "error: รหัสผ่านต้องยาวอย่างน้อย 8 ตัวอักษร")
    assert run_cli("user", "password", "somsri", "--password-stdin", "--db", db,
                   password="n3w-password\r\n").returncode == 0
    assert run_cli("user", "disable", "somsri", "--db", db).stdout.strip() == "ปิดใช้งานผู้ใช้ somsri แล้ว"
    assert run_cli("user", "list", "--db", db).stdout.splitlines()[1].split("\t")[2] == "ปิดใช้งาน"
    nobody = run_cli("user", "disable", "nobody", "--db", db)
    assert (nobody.returncode, nobody.stderr.strip()) == (2, "error: ไม่พบผู้ใช้ nobody")
    no_password = run_cli("user", "add", "x", "--role", "viewer", "--db", db, password="")
    assert no_password.returncode == 2 and "--password-stdin" in no_password.stderr
    con = store.connect(db)
    try:
        rows = audit.entries(con, actions=[a for a in audit.ACTION_TH if a.startswith("user_")])
        assert [r["action"] for r in reversed(rows)] == [audit.USER_ADD, audit.USER_ADD, audit.USER_PASSWORD,
                                                         audit.USER_DISABLE]
        assert len({r["user_name"] for r in rows}) == 1  # the operating system's user, never an account's name
        assert rows[0]["user_name"].endswith(" (บรรทัดคำสั่ง)")
        with pytest.raises(users.SignInError, match="ถูกปิดใช้งาน"):
            users.authenticate(con, "somsri", "n3w-password")
    finally:
        con.close()
    missing = run_cli("user", "list", "--db", db.parent / "none.duckdb")
    assert missing.returncode == 2 and not (db.parent / "none.duckdb").exists()


def test_cli_password_from_stdin_in_process(cli, seeded_copy, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("from-stdin-1\n"))
    done = cli("user", "add", "viewer1", "--role", "viewer", "--password-stdin", "--db", seeded_copy)
    assert done.returncode == 0, done.stderr
    con = store.connect(seeded_copy)
    try:
        assert users.authenticate(con, "viewer1", "from-stdin-1").role == "viewer"
    finally:
        con.close()


# ---------------------------------------------------------------- pages (AppTest)

@pytest.fixture
def app_people(app_db):
    con = store.connect(app_db)
    try:
        add_people(con)
    finally:
        con.close()
    return app_db


def start(page: str | None = None, *, user: str | None = None, password: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    if user:
        app_sign_in(at, user, password)
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_sign_in_form_and_sign_out(app_people):
    at = start()
    assert {t.label for t in at.sidebar.text_input} == {"ชื่อผู้ใช้", "รหัสผ่าน"}
    app_sign_in(at, "klang", "wrong-password")
    assert at.sidebar.warning[0].value == users.REFUSED
    assert "user" not in at.session_state
    app_sign_in(at, "klang")
    assert at.session_state.user.name == "klang"
    assert any("สมศรี คลัง" in m.value for m in at.sidebar.markdown)
    assert any("กองคลัง" in c.value for c in at.sidebar.caption)
    assert all(t.label != "รหัสผ่าน" for t in at.sidebar.text_input)  # the form is gone
    next(b for b in at.sidebar.button if b.label == "ออกจากระบบ").click().run()
    assert "user" not in at.session_state
    assert {t.label for t in at.sidebar.text_input} == {"ชื่อผู้ใช้", "รหัสผ่าน"}
    con = store.connect(app_people)
    try:
        assert [r["action"] for r in audit.entries(con, user_name="klang")][:3] == \
            [audit.SIGN_OUT, audit.SIGN_IN, audit.SIGN_IN_FAILED]
    finally:
        con.close()


@pytest.mark.parametrize("who", [None, "reader", "klang"])
def test_admin_pages_are_not_there_for_others(app_people, who):
    at = start(user=who)
    for page in ("pages/users.py", "pages/audit.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_a_disabled_account_is_signed_out_at_its_next_run(app_people):
    at = start(user="klang")
    con = store.connect(app_people)
    try:
        users.disable_user(con, "klang", by=users.get_user(con, "boss"))
    finally:
        con.close()
    at.run()
    assert "user" not in at.session_state
    assert any("ถูกปิดใช้งาน" in w.value for w in at.sidebar.warning)


def test_users_page_adds_and_disables_an_account(app_people):
    at = start("pages/users.py", user="boss")
    table = at.dataframe[0].value
    assert set(table["ชื่อผู้ใช้"]) == set(PASSWORDS) and "password_hash" not in " ".join(table.columns)
    form = {t.label: t for t in at.text_input}
    form["ชื่อผู้ใช้ (ใช้เข้าสู่ระบบ)"].input("noi")
    form["ชื่อที่แสดง"].input("น้อย สาธารณสุข")
    form["รหัสผ่าน"].input("noi-pass-12")
    form["รหัสผ่านอีกครั้ง"].input("noi-pass-12")
    at.multiselect[0].set_value(["กองสาธารณสุขและสิ่งแวดล้อม"])
    next(b for b in at.button if b.label == "เพิ่มผู้ใช้").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success[0].value == "เพิ่มผู้ใช้ noi แล้ว"
    at.selectbox(key="user_pick").set_value("noi").run()
    next(b for b in at.button if b.label == "ปิดใช้งานผู้ใช้นี้").click().run()
    assert at.success[0].value == "ปิดใช้งาน noi แล้ว"
    con = store.connect(app_people)
    try:
        [noi] = [u for u in users.list_users(con) if u["name"] == "noi"]
        assert (noi["role"], noi["divisions"], noi["state"]) == ("editor", ["กองสาธารณสุขและสิ่งแวดล้อม"], "disabled")
        assert [(r["action"], r["user_name"]) for r in audit.entries(con, text="noi")][:2] == \
            [(audit.USER_DISABLE, "boss"), (audit.USER_ADD, "boss")]
    finally:
        con.close()


def test_audit_page_filters_and_exports_xlsx(app_people):
    at = start("pages/audit.py", user="boss")
    frame = at.dataframe[0].value
    assert {"เพิ่มผู้ใช้", "เข้าสู่ระบบ"} <= set(frame["การกระทำ"])
    at.multiselect(key="audit_actions").set_value([audit.USER_ADD]).run()
    frame = at.dataframe[0].value
    assert list(frame["รายการ"]) == ["reader", "chang", "klang", "boss"]
    at.text_input(key="audit_text").input("' OR '1'='1").run()
    assert not at.exception and at.dataframe[0].value.empty
    at.text_input(key="audit_text").input("klang").run()
    frame = at.dataframe[0].value
    assert list(frame["รายการ"]) == ["klang"]
    from ita_data.exports import tables
    book = openpyxl.load_workbook(io.BytesIO(tables.audit_xlsx(frame)))
    sheet = book.active
    assert [c.value for c in sheet[1]] == list(frame.columns)
    assert sheet.cell(2, 2).value == "boss" and sheet.cell(2, 6).value == "klang"


def test_audit_page_says_when_it_shows_only_the_newest(app_people, monkeypatch):
    """The page draws the newest audit.SHOWN rows; its count is every row that matches, and it says
    that older ones are left out (the XLSX has them all)."""
    con = store.connect(app_people, read_only=True)
    everything = audit.count(con)
    assert everything == len(audit.entries(con)) > 3
    assert audit.count(con, actions=[audit.USER_ADD]) == 4 == len(audit.entries(con, actions=[audit.USER_ADD]))
    con.close()
    monkeypatch.setattr(audit, "SHOWN", 3)
    at = start("pages/audit.py", user="boss")
    assert len(at.dataframe[0].value) == 3
    said = " ".join(m.value for m in at.markdown)
    assert f"**{everything + 1:,}** รายการ · แสดง 3 รายการล่าสุด" in said  # + boss's own sign-in


# ---------------------------------------------------------------- refused in the function that writes

def seed_measure(con, ref: str) -> dict:
    assessment = store.assessments(con)[0]["id"]
    return next(m for m in store.measures(con, assessment) if f"{m['finding_seq']}.{m['seq']}" == ref)


def test_update_measure_refuses_whom_the_role_does_not_allow(con):
    """Called directly, as a page's widget trick would: nothing written, the reason in Thai."""
    before = store.dump(con)
    shared = seed_measure(con, "1.1")  # five divisions, กองคลัง and กองช่าง among them
    alone = seed_measure(con, "8.1")  # สำนักปลัด alone
    assert "กองคลัง" in shared["divisions"] and alone["divisions"] == ["สำนักปลัด"]
    klang, reader, boss = (users.get_user(con, n) for n in ("klang", "reader", "boss"))
    refusals = [
        (reader, shared, "กองคลัง", "ไม่มีสิทธิ์รายงานความคืบหน้า"),
        (None, shared, "กองคลัง", "ชื่อผู้บันทึก"),  # nobody: the store asks who
        (klang, alone, "สำนักปลัด", "เฉพาะมาตรการของหน่วยงานตนเอง"),  # another division's measure
        (klang, shared, "กองช่าง", "เฉพาะมาตรการของหน่วยงานตนเอง"),  # its measure, as another division
        (klang, alone, None, "เฉพาะมาตรการของหน่วยงานตนเอง"),
    ]
    for who, measure, division, reason in refusals:
        with pytest.raises((users.PermissionDenied, ValueError), match=reason):
            store.update_measure(con, measure["id"], "done", 100, "x", who, division=division)
    users.disable_user(con, "klang", by=boss)
    with pytest.raises(users.PermissionDenied, match="ถูกปิดใช้งาน"):
        store.update_measure(con, shared["id"], "done", 100, "x", klang, division="กองคลัง")
    after = store.dump(con)
    assert after["organizations"] == before["organizations"]  # no status, no history
    assert not [r for r in audit.entries(con) if r["action"] == audit.REPORT]


def test_an_editor_reports_for_its_own_division_and_it_is_audited(con):
    klang = users.get_user(con, "klang")
    shared = seed_measure(con, "1.1")
    store.update_measure(con, shared["id"], "in_progress", 30, "เริ่มแล้ว", klang)  # its one division: implied
    store.update_measure(con, shared["id"], "in_progress", 50, None, klang, division="ส่วนการคลัง")  # an alias
    history = store.history(con, measure_id=shared["id"])
    assert [(h["editor"], h["editor_label"], h["division"], h["progress"]) for h in history] == [
        ("klang", "สมศรี คลัง (klang)", "กองคลัง", 50), ("klang", "สมศรี คลัง (klang)", "กองคลัง", 30)]
    [latest, first] = audit.entries(con, actions=[audit.REPORT])
    assert (latest["user_name"], latest["organization"], latest["assessment_id"]) == \
        ("klang", "องค์การบริหารส่วนตำบลมวกเหล็ก", store.assessments(con)[0]["id"])
    assert latest["target"] == f"มาตรการ 1.1 {shared['title']}"
    assert first["detail"] == "กองคลัง: กำลังดำเนินการ 30% · เริ่มแล้ว"
    dumped = store.dump(con)["organizations"][0]["assessments"][0]["findings"][0]["measures"][0]["history"]
    assert [h["editor"] for h in dumped] == ["klang", "klang"]  # the backup keeps who


def test_only_an_admin_imports_or_starts_a_plan(con, seed_path):
    from ita_data.importers import read_report
    before = store.dump(con)
    for who in ("klang", "reader"):
        with pytest.raises(users.PermissionDenied, match="ไม่มีสิทธิ์นำเข้ารายงาน"):
            store.save_reports(con, [read_report(seed_path)], imported_by=users.get_user(con, who))
        with pytest.raises(users.PermissionDenied, match="ไม่มีสิทธิ์เริ่มปีงบประมาณถัดไป"):
            store.start_plan(con, read_report(seed_path), {}, started_by=users.get_user(con, who))
    assert store.dump(con) == before
    [result] = store.save_reports(con, [read_report(seed_path)], imported_by=users.get_user(con, "boss"))
    assert store.imports(con)[-1]["imported_by"] == "boss"
    [row] = audit.entries(con, user_name="boss", actions=[audit.IMPORT])
    assert row["assessment_id"] == result.assessment_id and row["target"] == str(seed_path)


def test_backups_need_an_admin(con):
    from ita_data.exports import tables
    with pytest.raises(users.PermissionDenied, match="ไม่มีสิทธิ์ดาวน์โหลดสำรองข้อมูล"):
        tables.backup_json(con, by=users.get_user(con, "klang"))
    assert tables.backup_json(con, by=users.get_user(con, "boss")).startswith(b"{")


def test_public_read_off_shows_only_the_sign_in(app_people, monkeypatch):
    monkeypatch.setenv("ITA_PUBLIC_READ", "0")
    at = start()
    assert [t.value for t in at.title] == ["ITA แดชบอร์ด"]
    assert "เข้าสู่ระบบที่แถบด้านซ้ายเพื่อดูข้อมูล" in at.info[0].value
    assert not at.dataframe and not at.get("plotly_chart")  # no data at all
    assert not at.sidebar.selectbox  # not even the organizations' names
    app_sign_in(at, "reader")
    at.switch_page("pages/measures.py").run()
    assert not at.exception and len(at.dataframe[0].value) == 23
    assert not any(b.label == "บันทึก" for b in at.button)
    monkeypatch.setenv("ITA_PUBLIC_READ", "1")
    assert start("pages/measures.py").dataframe[0].value is not None  # the default: anyone reads


# ---------------------------------------------------------------- organizations: an editor of one agency only

SEED_TEXT = (ROOT / "data" / "muaklek-ita-report-2569.txt").read_text(encoding="utf-8")
MUAKLEK = "องค์การบริหารส่วนตำบลมวกเหล็ก"


def import_agency(con, name: str, province: str = "นครนายก") -> int:
    """The seed's report as another agency's (its own กองคลัง measures); the new organization's id."""
    from ita_data.importers import read_bytes
    text = SEED_TEXT.replace("มวกเหล็ก", name).replace("สระบุรี", province)
    [result] = store.save_reports(con, [read_bytes(text.encode("utf-8"), f"{name}.txt")])
    return next(a["organization_id"] for a in store.assessments(con) if a["id"] == result.assessment_id)


def klang_measure(con, organization_id: int) -> dict:
    a = next(a for a in store.assessments(con) if a["organization_id"] == organization_id)
    return next(m for m in store.measures(con, a["id"]) if m["divisions"] == ["สำนักปลัด", "กองคลัง"])


def test_an_editor_reports_only_for_its_own_organization(con):
    boss = users.get_user(con, "boss")
    muaklek = store.organizations(con)[0]["id"]
    # one organization: an editor bound to none reports (a one-agency install needs no setup)
    klang = users.get_user(con, "klang")
    assert klang.organizations == ()
    store.update_measure(con, klang_measure(con, muaklek)["id"], "in_progress", 10, None, klang, division="กองคลัง")
    other = import_agency(con, "หินซ้อน")
    theirs = klang_measure(con, other)
    # two organizations: unbound, it is refused on both, and told to have its organization set
    for org in (muaklek, other):
        with pytest.raises(users.PermissionDenied, match="บัญชี klang ยังไม่ได้กำหนดองค์กร.*ให้ผู้ดูแลระบบกำหนดองค์กร"):
            store.update_measure(con, klang_measure(con, org)["id"], "done", 100, None, klang, division="กองคลัง")
    assert users.may_report_in(con, klang, muaklek) is False
    # bound to มวกเหล็ก: its own agency's กองคลัง, never the other agency's
    klang = users.update_user(con, "klang", organizations=[muaklek], by=boss)
    assert klang.organizations == (muaklek,) and klang.divisions == ("กองคลัง",)  # divisions kept
    store.update_measure(con, klang_measure(con, muaklek)["id"], "in_progress", 20, None, klang, division="กองคลัง")
    before = store.dump(con)
    with pytest.raises(users.PermissionDenied) as refused:
        store.update_measure(con, theirs["id"], "done", 100, None, klang, division="กองคลัง")
    assert str(refused.value) == (f"บัญชี klang รายงานได้เฉพาะมาตรการขององค์กรที่ผูกไว้ ({MUAKLEK} (สระบุรี)): "
                                  f"มาตรการนี้เป็นขององค์กร องค์การบริหารส่วนตำบลหินซ้อน (นครนายก)")
    with pytest.raises(users.PermissionDenied, match="เฉพาะมาตรการขององค์กรที่ผูกไว้"):  # the whole measure too
        store.update_measure(con, theirs["id"], "done", 100, None, klang)
    assert store.dump(con)["organizations"] == before["organizations"]  # nothing written
    assert store.history(con, measure_id=theirs["id"]) == []
    assert (users.may_report_in(con, klang, muaklek), users.may_report_in(con, klang, other)) == (True, False)
    # an admin still reports anywhere
    store.update_measure(con, theirs["id"], "in_progress", 5, None, boss, division="กองคลัง")
    # the binding change is in the audit log like any account change
    [change] = audit.entries(con, actions=[audit.USER_UPDATE])
    assert (change["user_name"], change["target"]) == ("boss", "klang")
    assert change["detail"] == f"บทบาท ผู้รายงานของหน่วยงาน หน่วยงาน กองคลัง องค์กร {MUAKLEK} (สระบุรี) (องค์กรเดิม ไม่ได้กำหนด)"
    [listed] = [u for u in users.list_users(con) if u["name"] == "klang"]
    assert (listed["organization_ids"], listed["organizations"]) == ([muaklek], [f"{MUAKLEK} (สระบุรี)"])
    assert next(u for u in store.dump(con)["users"] if u["name"] == "klang")["organizations"] == \
        [f"{MUAKLEK} (สระบุรี)"]
    # a session signed in before the binding changed is checked as the account is now
    users.update_user(con, "klang", organizations=[other], by=boss)
    with pytest.raises(users.PermissionDenied, match="เฉพาะมาตรการขององค์กรที่ผูกไว้"):
        store.update_measure(con, klang_measure(con, muaklek)["id"], "done", 100, None, klang, division="กองคลัง")


def test_organizations_are_named_as_people_write_them(con):
    boss = users.get_user(con, "boss")
    import_agency(con, "มวกเหล็ก", province="ลพบุรี")  # the same name in another province
    made = users.add_user(con, "somsri", "editor", "long-enough-1", divisions=["กองคลัง"],
                          organizations=["อบต.มวกเหล็ก (สระบุรี)"], by=boss)
    saraburi = next(o["id"] for o in store.organizations(con) if o["province"] == "สระบุรี")
    assert made.organizations == (saraburi,) == users.get_user(con, "somsri").organizations
    for wanted, refusal in ((["อบต.มวกเหล็ก"], 'มีองค์กรชื่อ "อบต.มวกเหล็ก" หลายแห่ง: ระบุจังหวัดในวงเล็บ'),
                            (["อบต.ไม่มีจริง"], 'ไม่พบองค์กร "อบต.ไม่มีจริง"')):
        with pytest.raises(ValueError, match=refusal):
            users.add_user(con, "noi", "editor", "long-enough-1", divisions=["กองคลัง"], organizations=wanted, by=boss)
    for role in ("admin", "viewer"):
        with pytest.raises(ValueError, match="กำหนดองค์กรได้เฉพาะบทบาทผู้รายงานของหน่วยงาน"):
            users.add_user(con, "noi", role, "long-enough-1", organizations=[saraburi], by=boss)
    assert users.get_user(con, "noi") is None
    # no longer an editor: no organization either
    assert users.update_user(con, "somsri", role="viewer", by=boss).organizations == ()
    assert con.cursor().execute("SELECT count(*) FROM user_organizations").fetchone()[0] == 0


def test_schema_4_keeps_a_v3_database_and_binds_no_one(tmp_path):
    import duckdb
    from ita_data.importers import read_report
    path = tmp_path / "v3.duckdb"
    raw = duckdb.connect(str(path))
    store.migrate(raw, target=3)
    store.save_reports(raw, [read_report(ROOT / "data" / "muaklek-ita-report-2569.txt")])
    users.add_user(raw, "boss", "admin", "boss-pass-1", by="setup")
    users.add_user(raw, "klang", "editor", "klang-pass-1", divisions=["กองคลัง"], by="setup")
    v3 = {t: raw.execute("SELECT * FROM query_table(?) ORDER BY ALL", [t]).fetchall()
          for t in ("users", "user_divisions", "audit_log", "measures", "organizations")}
    assert store.schema_version(raw) == 3
    raw.close()
    con = store.connect(path)
    try:
        assert store.schema_version(con) == 4 == store.SCHEMA_VERSION
        for table, rows in v3.items():
            assert con.execute("SELECT * FROM query_table(?) ORDER BY ALL", [table]).fetchall() == rows, table
        assert con.execute("SELECT count(*) FROM user_organizations").fetchone()[0] == 0
        klang = users.authenticate(con, "klang", "klang-pass-1")
        assert klang.organizations == ()
        store.update_measure(con, klang_measure(con, store.organizations(con)[0]["id"])["id"], "done", 100, None,
                             klang, division="กองคลัง")  # one agency: it reports as before
        with pytest.raises(duckdb.ConstraintException):  # the keys are there
            con.execute("INSERT INTO user_organizations VALUES (?, 999999)", [klang.id])
    finally:
        con.close()


# ---------------------------------------------------------------- an account acts only as its User

def test_an_account_name_as_a_string_is_refused(con, seed_path):
    from ita_data.importers import read_report
    before = (store.dump(con), len(audit.entries(con)))
    measure = seed_measure(con, "1.1")
    for name in ("reader", "READER", "ｒｅａｄｅｒ", " klang ", "boss"):
        with pytest.raises(users.PermissionDenied, match="เป็นชื่อบัญชีผู้ใช้"):
            store.save_reports(con, [read_report(seed_path)], imported_by=name)
        with pytest.raises(users.PermissionDenied, match="เป็นชื่อบัญชีผู้ใช้"):
            store.update_measure(con, measure["id"], "done", 100, None, name, division="กองคลัง")
        with pytest.raises(users.PermissionDenied, match="เป็นชื่อบัญชีผู้ใช้"):
            users.add_user(con, "x1", "admin", "long-enough-1", by=name)
        with pytest.raises(users.PermissionDenied, match="เป็นชื่อบัญชีผู้ใช้"):  # nor a User without an id
            users.enable_user(con, "reader", by=users.system(name))
    assert (store.dump(con), len(audit.entries(con))) == before
    # a local process under a name no account has writes, and is recorded under that name
    store.save_reports(con, [read_report(seed_path)], imported_by="สคริปต์นำเข้า")
    assert store.imports(con)[-1]["imported_by"] == "สคริปต์นำเข้า"
    assert audit.entries(con, actions=[audit.IMPORT])[0]["user_name"] == "สคริปต์นำเข้า"
    assert users.command_line_name().endswith(" (บรรทัดคำสั่ง)")  # no account's name holds a space


# ---------------------------------------------------------------- locked while signed in

def test_a_signed_in_account_cannot_write_while_locked(con):
    klang = users.authenticate(con, "klang", PASSWORDS["klang"])  # signed in, then its name is locked
    measure = seed_measure(con, "1.1")
    for attempt in range(users.MAX_FAILED_SIGN_INS):
        with pytest.raises(users.SignInError):
            users.authenticate(con, "klang", f"wrong-{attempt}")
    with pytest.raises(users.PermissionDenied, match="บัญชี klang ถูกล็อกชั่วคราว"):
        store.update_measure(con, measure["id"], "in_progress", 10, None, klang, division="กองคลัง")
    with pytest.raises(users.PermissionDenied, match="ถูกล็อกชั่วคราว"):
        users.set_password(con, "klang", "my-own-new-1", by=klang)
    assert store.history(con, measure_id=measure["id"]) == []
    users.enable_user(con, "klang", by=users.get_user(con, "boss"))  # unlocked: it writes again
    store.update_measure(con, measure["id"], "in_progress", 10, None, klang, division="กองคลัง")
    # a lock that has ended does not count: five wrong passwords 16 minutes ago
    long_ago = store.now() - timedelta(minutes=users.LOCK_MINUTES + 1)
    for attempt in range(users.MAX_FAILED_SIGN_INS):
        with pytest.raises(users.SignInError):
            users.authenticate(con, "klang", f"wrong-{attempt}", at=long_ago)
    store.update_measure(con, measure["id"], "in_progress", 20, None, klang, division="กองคลัง")
    assert [h["progress"] for h in store.history(con, measure_id=measure["id"])] == [20, 10]


# ---------------------------------------------------------------- look-alike names

def test_look_alike_names_are_one_name(con):
    boss = users.get_user(con, "boss")
    for name, refusal in (("READER", 'ชื่อผู้ใช้ "READER" ซ้ำกับผู้ใช้ reader ที่มีอยู่แล้ว'),
                          ("Klang", 'ชื่อผู้ใช้ "Klang" ซ้ำกับผู้ใช้ klang ที่มีอยู่แล้ว'),
                          ("ＲＥＡＤＥＲ", 'ชื่อผู้ใช้ "READER" ซ้ำกับผู้ใช้ reader'),  # full width, upper case
                          ("ｒｅａｄｅｒ", "มีผู้ใช้ชื่อ reader อยู่แล้ว"),  # full width: reader itself
                          (" reader ", "มีผู้ใช้ชื่อ reader อยู่แล้ว")):
        with pytest.raises(ValueError, match=refusal):
            users.add_user(con, name, "viewer", "long-enough-1", by=boss)
    with pytest.raises(ValueError, match="เป็นชื่อที่ระบบใช้"):
        users.add_user(con, "ระบบ", "viewer", "long-enough-1", by=boss)
    made = users.add_user(con, "ａｄｍ", "viewer", "long-enough-1", by=boss)  # full width: stored as plain
    assert made.name == "adm"
    for typed in ("adm", "ADM", "ａｄｍ", " Adm "):  # sign-in finds it the same way
        assert users.authenticate(con, typed, "long-enough-1").name == "adm"
    assert len(users.list_users(con)) == 5


# ---------------------------------------------------------------- pages: organizations, messages shown as written

def test_users_page_sets_an_editors_organizations(app_people):
    con = store.connect(app_people)
    try:
        muaklek = store.organizations(con)[0]["id"]
        other = import_agency(con, "หินซ้อน")
    finally:
        con.close()
    at = start("pages/users.py", user="boss")
    add_orgs = at.multiselect(key="add_orgs_0")
    assert add_orgs.options == ["อบต.มวกเหล็ก", "อบต.หินซ้อน"] and add_orgs.value == []  # two: none chosen for one
    assert list(at.dataframe[0].value.set_index("ชื่อผู้ใช้").loc[["klang", "boss"], "องค์กร"]) == ["ไม่ได้กำหนด", ""]
    form = {t.label: t for t in at.text_input}
    form["ชื่อผู้ใช้ (ใช้เข้าสู่ระบบ)"].input("noi")
    form["รหัสผ่าน"].input("noi-pass-12")
    form["รหัสผ่านอีกครั้ง"].input("noi-pass-12")
    at.multiselect[0].set_value(["กองคลัง"])
    add_orgs.set_value([other])
    next(b for b in at.button if b.label == "เพิ่มผู้ใช้").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.selectbox(key="user_pick").set_value("klang").run()
    edit_orgs = next(m for m in at.multiselect if m.label.startswith("องค์กร") and m.key.startswith("edit_orgs"))
    assert edit_orgs.value == []
    edit_orgs.set_value([muaklek])
    next(b for b in at.button if b.label == "บันทึกการแก้ไข").click().run()
    assert at.success[0].value == "แก้ไขผู้ใช้ klang แล้ว"
    con = store.connect(app_people)
    try:
        listed = {u["name"]: u for u in users.list_users(con)}
        assert (listed["noi"]["organization_ids"], listed["klang"]["organization_ids"]) == ([other], [muaklek])
        assert [r["detail"] for r in audit.entries(con, user_name="boss", actions=[audit.USER_ADD, audit.USER_UPDATE])][:2] \
            == [f"บทบาท ผู้รายงานของหน่วยงาน หน่วยงาน กองคลัง องค์กร {MUAKLEK} (สระบุรี) (องค์กรเดิม ไม่ได้กำหนด)",
                "บทบาท ผู้รายงานของหน่วยงาน หน่วยงาน กองคลัง องค์กร องค์การบริหารส่วนตำบลหินซ้อน (นครนายก)"]
    finally:
        con.close()


def test_users_page_shows_a_refused_name_as_written(app_people):
    from ita_data import ui
    at = start("pages/users.py", user="boss")
    typed = "[ลิงก์](https://evil.example/)**หนา**"
    form = {t.label: t for t in at.text_input}
    form["ชื่อผู้ใช้ (ใช้เข้าสู่ระบบ)"].input(typed)
    form["รหัสผ่าน"].input("long-enough-1")
    form["รหัสผ่านอีกครั้ง"].input("long-enough-1")
    at.selectbox[0].set_value("viewer")
    next(b for b in at.button if b.label == "เพิ่มผู้ใช้").click().run()
    [error] = at.error
    with pytest.raises(ValueError) as refused:
        users.check_name(typed)
    assert typed in str(refused.value)
    assert error.value == ui.md_escape(str(refused.value))  # Markdown characters escaped: shown as typed


def star_options(at: AppTest) -> list[str]:
    return [o for o in at.selectbox(key="measure_pick").options if o.startswith("★")]


def test_my_measures_first_only_in_the_editors_organization(app_people):
    con = store.connect(app_people)
    try:
        muaklek = store.organizations(con)[0]["id"]
        other = import_agency(con, "หินซ้อน")
        theirs = klang_measure(con, other)["id"]
    finally:
        con.close()

    def open_org(at: AppTest, organization_id: int) -> AppTest:
        next(s for s in at.sidebar.selectbox if s.label == "หน่วยงาน").set_value(organization_id).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    # not bound, two organizations: no ★ anywhere, and it is told it reports nowhere yet
    at = start("pages/measures.py", user="klang")
    assert star_options(at) == [] and "ดูได้อย่างเดียว" in " ".join(c.value for c in at.caption)
    con = store.connect(app_people)
    try:
        users.update_user(con, "klang", organizations=[muaklek], by=users.get_user(con, "boss"))
    finally:
        con.close()
    at = start("pages/measures.py", user="klang")  # bound to มวกเหล็ก: its กองคลัง measures first, ★
    assert at.multiselect(key="div").value == ["กองคลัง"]
    assert len(star_options(at)) == len(at.dataframe[0].value) > 0
    open_org(at, other)  # the other agency's กองคลัง: not this editor's
    assert star_options(at) == []
    assert any("อบต.หินซ้อน" in c.value or "หินซ้อน" in c.value for c in at.caption if "ดูได้อย่างเดียว" in c.value)
    at.selectbox(key="measure_pick").set_value(theirs).run()
    assert not [s for s in at.selectbox if s.label == "รายงานในนามหน่วยงาน"]  # no report form
    assert not any(b.label == "บันทึก" for b in at.button)
    open_org(at, muaklek)
    assert len(star_options(at)) > 0
