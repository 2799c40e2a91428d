"""People: accounts, roles, passwords (argon2 hashes only), sign-in with lockout, and the one
permission check every write function calls.

Roles:
  - admin:  everything (import, score sheets, carry-over, backups, users, the audit log, every measure);
  - editor: bound to one or more divisions and, where the database holds several organizations, to
            one or more organizations; reports progress only for one of its own divisions, on a
            measure of its own organization whose finding names that division (the `divisions`
            table is shared by every organization: กองคลัง of one agency is the row of every
            agency's กองคลัง, so the organization binding is what keeps agencies apart). An editor
            bound to no organization reports only while the database holds exactly one;
  - viewer: reads.

A `User` is who does a write. Write functions take one and call `require` inside their own
transaction: it reads the account again from the database, so an account disabled while its
browser session is signed in is refused at its next write, and no widget state can widen a role.
A local process (the command line, a script) that holds the database file writes as `system(name)`:
whoever can open the file can change it anyway; its name is recorded like anyone's. A local
process never writes under an account's name: `require` refuses a system user (or a plain string)
whose name is an account's (compared as `name_key` compares), so a page that passed `user.name`
instead of the User could not act as an admin under a viewer's name.

Names are compared as `name_key` does (NFKC, case folded): "VW" and full-width "ｖｗ" are "vw";
`add_user` refuses a name that collides with an account's, and sign-in finds the account by it.

Passwords are never stored or logged: only argon2id hashes (argon2-cffi's defaults). Five wrong
passwords in a row lock the name for LOCK_MINUTES minutes; a correct password resets the count.
A refused sign-in says one and the same thing (REFUSED) for an unknown name, a wrong password and a
locked account, so no one can learn which names exist or are locked; only a disabled account given
its right password is told that it is disabled. A locked account that is already signed in cannot
write until the lock ends (`require`). Every account change and every sign-in (and failed one) is
written to audit_log in the same transaction; a failed sign-in under a name that is no account is
recorded as UNKNOWN_NAME, never with the text typed (it may be a password typed in the wrong box)."""
from __future__ import annotations

import getpass
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .. import divisions as division_names
from . import _dicts, _rows, _transaction, now
from . import audit

ROLES = ("admin", "editor", "viewer")
ROLE_TH = {"admin": "ผู้ดูแลระบบ", "editor": "ผู้รายงานของหน่วยงาน", "viewer": "ผู้อ่าน"}

# what each role may do; "report" for an editor is further bound to its divisions (see require)
READ, REPORT, IMPORT, SCORES, CARRY, BACKUP, USERS, AUDIT = (
    "read", "report", "import", "scores", "carry", "backup", "users", "audit")
ACTION_TH = {READ: "ดูข้อมูล", REPORT: "รายงานความคืบหน้าของมาตรการ", IMPORT: "นำเข้ารายงาน",
             SCORES: "นำเข้าคะแนน", CARRY: "เริ่มปีงบประมาณถัดไป (ยกมาตรการ)", BACKUP: "ดาวน์โหลดสำรองข้อมูล",
             USERS: "จัดการผู้ใช้", AUDIT: "ดูบันทึกการใช้งาน"}
PERMISSIONS = {"admin": frozenset(ACTION_TH), "editor": frozenset({READ, REPORT}), "viewer": frozenset({READ})}

MAX_FAILED_SIGN_INS = 5  # wrong passwords in a row that lock the name
LOCK_MINUTES = 15  # how long
MIN_PASSWORD = 8
MAX_PASSWORD = 200
MAX_NAME = 64
_NAME_MARKS = "._@+-"  # besides letters (Thai with its vowel and tone marks) and digits; no spaces

# argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): ten people signing in at once
# on a small server take 190 MiB, not argon2-cffi's default 64 MiB each; stored hashes carry their
# parameters, and a hash made with others is re-made at its next successful sign-in
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# verified when the name is unknown, so an unknown name costs the time a known one does
_DUMMY_HASH = _HASHER.hash("not a password of anyone")

SYSTEM_NAME = "ระบบ"  # the system itself as the one who writes (the first start's seed); no account's name
UNKNOWN_NAME = "(ชื่อผู้ใช้ที่ไม่มีในระบบ)"  # a failed sign-in under a name that is no account, in the audit log
COMMAND_LINE = "บรรทัดคำสั่ง"  # the command line writes as "<OS user> (บรรทัดคำสั่ง)": never an account's name


class PermissionDenied(PermissionError):
    """A write the user may not do; str() is one line in Thai saying who, what and why."""


class SignInError(ValueError):
    """A sign-in refused: wrong name or password, a locked name, or a disabled account (Thai, one line)."""


@dataclass(frozen=True)
class User:
    """Who does something. id None: a local process (system()), not an account."""
    name: str
    display_name: str
    role: str
    divisions: tuple[str, ...] = ()
    id: int | None = None
    organizations: tuple[int, ...] = ()  # an editor's organizations (ids); () = not bound to any

    @property
    def label(self) -> str:
        """"สมชาย ใจดี (somchai)", or the name alone when it is the display name too."""
        return self.name if self.display_name == self.name else f"{self.display_name} ({self.name})"

    @property
    def is_system(self) -> bool:
        return self.id is None

    def may(self, action: str) -> bool:
        """The role allows `action` (an editor's report still depends on the measure's divisions)."""
        return action in PERMISSIONS[self.role]


def system(name: str | None = None) -> User:
    """A local process as the one who writes: the command line (the operating system's user), a
    script, the first start's seed import. `require` refuses it when its name is an account's."""
    if name is None:
        try:
            name = getpass.getuser()
        except Exception:  # no user name in the environment or the password database
            name = SYSTEM_NAME
    return User(name, name, "admin")


def command_line_name() -> str:
    """Who the command line writes as: "<the operating system's user> (บรรทัดคำสั่ง)", a name no
    account can have (account names hold no spaces), so it never collides with one."""
    try:
        name = getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        name = SYSTEM_NAME
    return f"{name} ({COMMAND_LINE})"


def name_key(name: str | None) -> str:
    """How names are compared: NFKC (full-width "ａｄｍ" is "adm"), spaces around dropped, case folded."""
    return unicodedata.normalize("NFKC", name or "").strip().casefold()


def actor(who: "User | str | None", *, none_is_system: bool = True) -> User:
    """A write function's `who`: a User as it is; a plain name is a local process (system(name));
    None is the system itself (unless none_is_system is False: then, like an empty name, refused)."""
    if isinstance(who, User):
        return who
    if who is None and none_is_system:
        return system(SYSTEM_NAME)
    if not isinstance(who, str) or not who.strip():
        raise ValueError("ต้องระบุชื่อผู้บันทึก")
    return system(who.strip())  # require refuses it when it is an account's name


# ---------------------------------------------------------------- checks

def require(cur, user: User | None, action: str, *, divisions=None, organization_id: int | None = None) -> User:
    """The permission check: `user` may do `action` now, else PermissionDenied (one Thai line).

    The account is read again from the database through `cur` (the write's own transaction
    cursor; elsewhere a fresh con.cursor()): a disabled, locked (locked_until still ahead) or
    deleted account, or a role, divisions or organizations changed since sign-in, count as they
    are now. A local process (a User without id, a plain string made one by `actor`) whose name is
    an account's is refused: an account acts only as its User. For REPORT by an editor,
    `divisions` are the divisions the report is for (the reporting division, or the measure's
    finding's divisions): at least one must be the editor's; and `organization_id` (the measure's
    organization) must be one of the editor's organizations, or, for an editor bound to none, the
    only organization the database holds.
    Returns the user as the database has it (a local process: as given)."""
    if action not in ACTION_TH:
        raise ValueError(f"unknown action {action!r}")
    if user is None:
        raise PermissionDenied(f"ต้องเข้าสู่ระบบก่อน{ACTION_TH[action]}")
    if user.is_system:
        if _find_account(cur, user.name) is not None:
            raise PermissionDenied(f"ชื่อ {user.name} เป็นชื่อบัญชีผู้ใช้: บันทึกในนามบัญชีได้เฉพาะเมื่อเข้าสู่ระบบด้วยบัญชีนั้น")
    else:
        user = _current(cur, user)
    if not user.may(action):
        raise PermissionDenied(f"บัญชี {user.name} ({ROLE_TH[user.role]}) ไม่มีสิทธิ์{ACTION_TH[action]}")
    if action == REPORT and user.role == "editor":
        wanted = [d for d in (divisions or ()) if d]
        if not set(wanted) & set(user.divisions):
            mine = ", ".join(user.divisions) or "ไม่มี"
            theirs = ", ".join(wanted) or "ไม่ระบุหน่วยงาน"
            raise PermissionDenied(f"บัญชี {user.name} รายงานได้เฉพาะมาตรการของหน่วยงานตนเอง ({mine}): "
                                   f"รายการนี้เป็นของ {theirs}")
        _check_organization(cur, user, organization_id)
    return user


def _check_organization(cur, user: User, organization_id: int | None) -> None:
    """An editor reports only on its own organizations' measures (see require)."""
    if user.organizations:
        if organization_id not in user.organizations:
            raise PermissionDenied(f"บัญชี {user.name} รายงานได้เฉพาะมาตรการขององค์กรที่ผูกไว้ "
                                   f"({', '.join(_organization_labels(cur, user.organizations))}): "
                                   f"มาตรการนี้เป็นขององค์กร {_organization_label(cur, organization_id)}")
        return
    if _organization_count(cur) > 1:
        raise PermissionDenied(f"บัญชี {user.name} ยังไม่ได้กำหนดองค์กร และฐานข้อมูลมีหลายองค์กร: "
                               f"ให้ผู้ดูแลระบบกำหนดองค์กรของบัญชีนี้ (ที่หน้า ผู้ใช้ หรือทางบรรทัดคำสั่ง) "
                               f"จึงรายงานมาตรการขององค์กร {_organization_label(cur, organization_id)} ได้")


def may_report_in(con, user: User | None, organization_id: int | None) -> bool:
    """Whether `user`'s reports on the measures of `organization_id` would pass require's
    organization check (for pages: an editor's ★ measures, the report form); any admin: True."""
    if user is None or not user.may(REPORT):
        return False
    if user.role != "editor":
        return True
    if user.organizations:
        return organization_id in user.organizations
    return _organization_count(con.cursor()) <= 1


def _organization_count(cur) -> int:
    return cur.execute("SELECT count(*) FROM organizations").fetchone()[0]


def _organization_label(cur, organization_id: int | None) -> str:
    labels = _organization_labels(cur, [organization_id]) if organization_id is not None else []
    return labels[0] if labels else "ที่ไม่ระบุ"


def _organization_labels(cur, ids) -> list[str]:
    """"องค์การบริหารส่วนตำบลมวกเหล็ก (สระบุรี)": the name with its province, in the order of `ids`."""
    ids = [int(i) for i in ids]
    if not ids:
        return []
    rows = {r[0]: r[1] + (f" ({r[2]})" if r[2] else "") for r in cur.execute(
        f"SELECT id, name, province FROM organizations WHERE id IN ({', '.join('?' * len(ids))})", ids).fetchall()}
    return [rows.get(i, f"หมายเลข {i}") for i in ids]


def _current(cur, user: User) -> User:
    row = _dicts(cur, "SELECT id, name, display_name, role, disabled_at, locked_until FROM users WHERE name = ?",
                 [user.name])
    if not row or row[0]["id"] != user.id:
        raise PermissionDenied(f"ไม่พบบัญชี {user.name}: เข้าสู่ระบบใหม่")
    row = row[0]
    if row["disabled_at"] is not None:
        raise PermissionDenied(f"บัญชี {user.name} ถูกปิดใช้งานแล้ว: ติดต่อผู้ดูแลระบบ")
    if row["locked_until"] is not None and row["locked_until"] > now():
        raise PermissionDenied(f"บัญชี {user.name} ถูกล็อกชั่วคราว (ใส่รหัสผ่านผิด {MAX_FAILED_SIGN_INS} ครั้งติดต่อกัน): "
                               f"บันทึกไม่ได้จนกว่าจะพ้น {LOCK_MINUTES} นาที หรือผู้ดูแลระบบปลดล็อก")
    return User(row["name"], row["display_name"] or row["name"], row["role"], _divisions_of(cur, row["id"]), row["id"],
                _organizations_of(cur, row["id"]))


def _organizations_of(cur, user_id: int) -> tuple[int, ...]:
    return tuple(r[0] for r in cur.execute(
        "SELECT organization_id FROM user_organizations WHERE user_id = ? ORDER BY organization_id",
        [user_id]).fetchall())


def _find_account(cur, name: str | None) -> dict | None:
    """The account `name` is: the one of exactly that name, else the one whose name_key is the
    same (None: none, or several such, which add_user no longer lets happen)."""
    typed = unicodedata.normalize("NFC", (name or "").strip())
    rows = _dicts(cur, "SELECT * FROM users WHERE name = ?", [typed])
    if rows:
        return rows[0]
    key = name_key(name)
    if not key:
        return None
    same = [i for i, stored in cur.execute("SELECT id, name FROM users").fetchall() if name_key(stored) == key]
    return _dicts(cur, "SELECT * FROM users WHERE id = ?", [same[0]])[0] if len(same) == 1 else None


def _divisions_of(cur, user_id: int) -> tuple[str, ...]:
    return tuple(r[0] for r in cur.execute(
        "SELECT d.name FROM user_divisions ud JOIN divisions d ON d.id = ud.division_id "
        "WHERE ud.user_id = ? ORDER BY d.id", [user_id]).fetchall())


# ---------------------------------------------------------------- validation

def check_name(name: str) -> str:
    """A new account's name as it is stored: NFKC (full-width letters as plain ones), spaces around
    dropped; letters, digits and . _ @ + - only; never the system's own name."""
    name = unicodedata.normalize("NFKC", (name or "").strip()).strip()
    if not name:
        raise ValueError("ต้องระบุชื่อผู้ใช้")
    if len(name) > MAX_NAME or not all(unicodedata.category(c)[0] in "LMN" or c in _NAME_MARKS for c in name):
        raise ValueError(f'ชื่อผู้ใช้ "{name[:MAX_NAME]}" ใช้ไม่ได้: ใช้ตัวอักษร ตัวเลข และ . _ @ + - '
                         f"ไม่เกิน {MAX_NAME} ตัว ไม่มีช่องว่าง")
    if name_key(name) == name_key(SYSTEM_NAME):
        raise ValueError(f'ชื่อผู้ใช้ "{name}" ใช้ไม่ได้: เป็นชื่อที่ระบบใช้บันทึกงานของตนเอง')
    return name


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValueError(f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD} ตัวอักษร")
    if len(password) > MAX_PASSWORD:
        raise ValueError(f"รหัสผ่านยาวเกิน {MAX_PASSWORD} ตัวอักษร")
    if password != password.strip() or any(unicodedata.category(c) == "Cc" for c in password):
        raise ValueError("รหัสผ่านต้องไม่ขึ้นต้นหรือลงท้ายด้วยช่องว่าง และไม่มีอักขระควบคุม")
    return password


def _role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f'บทบาท "{role}" ไม่ถูกต้อง: ใช้ {", ".join(ROLES)}')
    return role


def _division_ids(cur, role: str, names) -> list[tuple[int, str]]:
    """An editor's divisions as (id, name) of stored divisions (known spellings accepted); other
    roles have none."""
    names = [n.strip() for n in (names or ()) if n and n.strip()]
    if role != "editor":
        if names:
            raise ValueError(f"กำหนดหน่วยงานได้เฉพาะบทบาท{ROLE_TH['editor']}")
        return []
    if not names:
        raise ValueError(f"บทบาท{ROLE_TH['editor']} ต้องระบุหน่วยงานอย่างน้อยหนึ่งหน่วยงาน")
    stored = dict(cur.execute("SELECT name, id FROM divisions").fetchall())
    by_key = {division_names.key(n): n for n in stored}
    found = []
    for name in names:
        canonical = division_names.ALIASES.get(division_names.key(name))
        hit = name if name in stored else by_key.get(division_names.key(canonical or name))
        if hit is None:
            raise ValueError(f'ไม่พบหน่วยงาน "{name}": ใช้ชื่อหน่วยงานที่มีในฐานข้อมูล เช่น '
                             + ", ".join(list(stored)[:4]))
        if (stored[hit], hit) not in found:
            found.append((stored[hit], hit))
    return sorted(found)  # in the divisions' order, as _divisions_of reads them


def _organization_ids(cur, role: str, wanted) -> list[int]:
    """An editor's organizations as ids of stored organizations: ids, or names as people write them
    (the full name, the short one such as อบต.มวกเหล็ก, either with its province in brackets when
    two organizations share a name); other roles have none."""
    from ..thai import short_org_name
    wanted = [w.strip() if isinstance(w, str) else w for w in (wanted or ()) if w is not None and w != ""]
    wanted = [w for w in wanted if w != ""]
    if role != "editor":
        if wanted:
            raise ValueError(f"กำหนดองค์กรได้เฉพาะบทบาท{ROLE_TH['editor']}")
        return []
    stored = _dicts(cur, "SELECT id, name, province FROM organizations ORDER BY id")
    by_id = {o["id"]: o for o in stored}
    found: list[int] = []
    for item in wanted:
        if not isinstance(item, str):
            hits = [int(item)] if int(item) in by_id else []
            if not hits:
                raise ValueError(f"ไม่พบองค์กรหมายเลข {item}")
        else:
            key = unicodedata.normalize("NFC", " ".join(item.split()))
            hits = [o["id"] for o in stored
                    if key in {f"{n}{p}" for n in (o["name"], short_org_name(o["name"]))
                               for p in ("", f" ({o['province'] or 'ไม่ระบุจังหวัด'})")}]
            if not hits:
                names = ", ".join(o["name"] for o in stored[:4]) or "ยังไม่มีองค์กร: นำเข้ารายงานก่อน"
                raise ValueError(f'ไม่พบองค์กร "{item}": ใช้ชื่อองค์กรที่มีในฐานข้อมูล เช่น {names}')
            if len(hits) > 1:
                places = ", ".join(f'"{item} ({by_id[i]["province"] or "ไม่ระบุจังหวัด"})"' for i in hits)
                raise ValueError(f'มีองค์กรชื่อ "{item}" หลายแห่ง: ระบุจังหวัดในวงเล็บ เช่น {places}')
        if hits[0] not in found:
            found.append(hits[0])
    return sorted(found)


def _binding_detail(cur, role: str, division_ids, organization_ids) -> str:
    """The audit detail of an account's role and bindings."""
    detail = f"บทบาท {ROLE_TH[role]}"
    if division_ids:
        detail += f" หน่วยงาน {', '.join(n for _, n in division_ids)}"
    if role == "editor":
        detail += " องค์กร " + (", ".join(_organization_labels(cur, organization_ids)) if organization_ids
                               else "ไม่ได้กำหนด")
    return detail


# ---------------------------------------------------------------- accounts

def hash_password(password: str) -> str:
    return _HASHER.hash(check_password(password))


def add_user(con, name: str, role: str, password: str, *, display_name: str | None = None,
             divisions=(), organizations=(), by: User | str | None = None) -> User:
    """A new account; by: who adds it (an admin, or a local process). An editor's `organizations`
    (ids or names, see _organization_ids) bind it to those organizations; none: see require.
    A name that is an existing account's once compared as name_key compares is refused."""
    name, role = check_name(name), _role(role)
    password_hash = hash_password(password)  # before the write lock: hashing takes a while
    display_name = (display_name or "").strip() or name
    by = actor(by)
    with _transaction(con, bump=False) as cur:
        require(cur, by, USERS)
        same = [stored for stored, in cur.execute("SELECT name FROM users").fetchall()
                if name_key(stored) == name_key(name)]
        if same:
            raise ValueError(f"มีผู้ใช้ชื่อ {same[0]} อยู่แล้ว" if same[0] == name else
                             f'ชื่อผู้ใช้ "{name}" ซ้ำกับผู้ใช้ {same[0]} ที่มีอยู่แล้ว (ตัวพิมพ์เล็ก/ใหญ่ หรือตัวอักษรเต็มความกว้าง '
                             f"ถือเป็นชื่อเดียวกัน): ใช้ชื่ออื่น")
        ids = _division_ids(cur, role, divisions)
        org_ids = _organization_ids(cur, role, organizations)
        user_id = cur.execute("INSERT INTO users (name, display_name, role, password_hash, created_at) "
                              "VALUES (?, ?, ?, ?, ?) RETURNING id",
                              [name, display_name, role, password_hash, now()]).fetchone()[0]
        if ids:
            cur.executemany("INSERT INTO user_divisions VALUES (?, ?)", [[user_id, i] for i, _ in ids])
        if org_ids:
            cur.executemany("INSERT INTO user_organizations VALUES (?, ?)", [[user_id, i] for i in org_ids])
        audit.record(cur, by, audit.USER_ADD, target=name, detail=_binding_detail(cur, role, ids, org_ids))
    return User(name, display_name, role, tuple(n for _, n in ids), user_id, tuple(org_ids))


def _account(cur, name: str) -> dict:
    row = _find_account(cur, name)
    if row is None:
        raise ValueError(f"ไม่พบผู้ใช้ {name}")
    return row


def update_user(con, name: str, *, role: str | None = None, divisions=None, organizations=None,
                display_name: str | None = None, by: User | str | None = None) -> User:
    """Change an account's role, divisions, organizations (an editor's; None: as they are) or
    display name. An account that is no longer an editor keeps no divisions or organizations."""
    by = actor(by)
    with _transaction(con, bump=False) as cur:
        require(cur, by, USERS)
        row = _account(cur, name)
        role = _role(role) if role else row["role"]
        current = list(_divisions_of(cur, row["id"]))
        ids = _division_ids(cur, role, current if divisions is None and role == "editor" else
                            (divisions or []) if role == "editor" else [])
        current_orgs = list(_organizations_of(cur, row["id"]))
        org_ids = _organization_ids(cur, role, current_orgs if organizations is None and role == "editor" else
                                    (organizations or []) if role == "editor" else [])
        if row["role"] == "admin" and role != "admin":
            _keep_an_admin(cur, row["id"])
        display_name = (display_name or "").strip() or row["display_name"] or row["name"]
        cur.execute("UPDATE users SET role = ?, display_name = ? WHERE id = ?", [role, display_name, row["id"]])
        cur.execute("DELETE FROM user_divisions WHERE user_id = ?", [row["id"]])
        if ids:
            cur.executemany("INSERT INTO user_divisions VALUES (?, ?)", [[row["id"], i] for i, _ in ids])
        cur.execute("DELETE FROM user_organizations WHERE user_id = ?", [row["id"]])
        if org_ids:
            cur.executemany("INSERT INTO user_organizations VALUES (?, ?)", [[row["id"], i] for i in org_ids])
        detail = _binding_detail(cur, role, ids, org_ids)
        if role == "editor" and org_ids != current_orgs:
            detail += " (องค์กรเดิม " + (", ".join(_organization_labels(cur, current_orgs)) or "ไม่ได้กำหนด") + ")"
        audit.record(cur, by, audit.USER_UPDATE, target=row["name"], detail=detail)
    return User(row["name"], display_name, role, tuple(n for _, n in ids), row["id"], tuple(org_ids))


def _keep_an_admin(cur, user_id: int) -> None:
    others = cur.execute("SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?",
                         [user_id]).fetchone()[0]
    if not others:
        raise ValueError("ต้องมีผู้ดูแลระบบที่ใช้งานได้อย่างน้อยหนึ่งบัญชี")


def set_password(con, name: str, password: str, *, by: User | str | None = None) -> None:
    """A new password (an admin for anyone, a person for their own account); the lock and the count
    of wrong passwords are cleared."""
    password_hash = hash_password(password)
    by = actor(by)
    with _transaction(con, bump=False) as cur:
        row = _account(cur, name)
        if by.is_system or by.name != row["name"]:
            require(cur, by, USERS)
        else:
            require(cur, by, READ)  # one's own password: any active account
        cur.execute("UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?",
                    [password_hash, row["id"]])
        audit.record(cur, by, audit.USER_PASSWORD, target=row["name"], detail="ตั้งรหัสผ่านใหม่")


def disable_user(con, name: str, *, by: User | str | None = None) -> None:
    """The account can no longer sign in or write (kept, with everything it did)."""
    by = actor(by)
    with _transaction(con, bump=False) as cur:
        require(cur, by, USERS)
        row = _account(cur, name)
        if row["disabled_at"] is not None:
            raise ValueError(f"บัญชี {row['name']} ถูกปิดใช้งานอยู่แล้ว")
        if not by.is_system and by.name == row["name"]:
            raise ValueError("ปิดใช้งานบัญชีของตนเองไม่ได้")
        if row["role"] == "admin":
            _keep_an_admin(cur, row["id"])
        cur.execute("UPDATE users SET disabled_at = ? WHERE id = ?", [now(), row["id"]])
        audit.record(cur, by, audit.USER_DISABLE, target=row["name"])


def enable_user(con, name: str, *, by: User | str | None = None) -> None:
    """Open a disabled or locked account again (the lock and the count of wrong passwords cleared)."""
    by = actor(by)
    with _transaction(con, bump=False) as cur:
        require(cur, by, USERS)
        row = _account(cur, name)
        cur.execute("UPDATE users SET disabled_at = NULL, failed_logins = 0, locked_until = NULL WHERE id = ?",
                    [row["id"]])
        audit.record(cur, by, audit.USER_ENABLE, target=row["name"])


def get_user(con, name: str) -> User | None:
    """The account as it is now, or None (unknown or disabled)."""
    rows = _dicts(con.cursor(), """
        SELECT u.id, u.name, u.display_name, u.role,
               coalesce((SELECT list(d.name ORDER BY d.id) FROM user_divisions ud JOIN divisions d
                         ON d.id = ud.division_id WHERE ud.user_id = u.id), []) AS divisions,
               coalesce((SELECT list(uo.organization_id ORDER BY uo.organization_id) FROM user_organizations uo
                         WHERE uo.user_id = u.id), []) AS organizations
        FROM users u WHERE u.name = ? AND u.disabled_at IS NULL""", [(name or "").strip()])  # one query: every run
    if not rows:
        return None
    r = rows[0]
    return User(r["name"], r["display_name"] or r["name"], r["role"], tuple(r["divisions"]), r["id"],
                tuple(r["organizations"]))


def list_users(con, *, at: datetime | None = None) -> list[dict]:
    """Every account (never its hash): name, display name, role, divisions, organization_ids and
    organizations (an editor's, as "name (province)"), created, disabled, locked until, state
    (active / disabled / locked)."""
    at = at or now()
    rows = _rows(con, """
        SELECT u.id, u.name, u.display_name, u.role, u.created_at, u.disabled_at, u.failed_logins, u.locked_until,
               coalesce((SELECT list(d.name ORDER BY d.id) FROM user_divisions ud JOIN divisions d
                         ON d.id = ud.division_id WHERE ud.user_id = u.id), []) AS divisions,
               coalesce((SELECT list(uo.organization_id ORDER BY uo.organization_id) FROM user_organizations uo
                         WHERE uo.user_id = u.id), []) AS organization_ids,
               coalesce((SELECT list(o.name || coalesce(' (' || o.province || ')', '') ORDER BY o.id)
                         FROM user_organizations uo JOIN organizations o ON o.id = uo.organization_id
                         WHERE uo.user_id = u.id), []) AS organizations
        FROM users u ORDER BY u.disabled_at IS NOT NULL, u.role, u.name""")
    for r in rows:
        r["divisions"] = list(r["divisions"])
        r["organization_ids"] = list(r["organization_ids"])
        r["organizations"] = list(r["organizations"])
        r["state"] = ("disabled" if r["disabled_at"] else
                      "locked" if r["locked_until"] and r["locked_until"] > at else "active")
    return rows


def has_users(con) -> bool:
    return con.cursor().execute("SELECT count(*) FROM users").fetchone()[0] > 0


# ---------------------------------------------------------------- sign-in

def authenticate(con, name: str, password: str, *, at: datetime | None = None) -> User:
    """The account whose password this is, or SignInError. A wrong password counts; the
    MAX_FAILED_SIGN_INS-th in a row locks the name for LOCK_MINUTES; a locked or disabled account
    is refused whatever the password. The name is found as name_key compares names ("KLANG" is
    klang). An unknown name, a wrong password and a locked account get one and the same message
    (REFUSED); a disabled account is told so only when its password is right. Each outcome is
    written to the audit log: under the account's own name, or, for a name that is no account's,
    under UNKNOWN_NAME, without the text typed."""
    at = at or now()
    name = (name or "")[:4 * MAX_NAME]
    password = password or ""
    row = _find_account(con.cursor(), name)
    ok = _verify(row["password_hash"] if row else _DUMMY_HASH, password) and row is not None
    with _transaction(con, bump=False) as cur:
        row = _dicts(cur, "SELECT * FROM users WHERE id = ?", [row["id"]]) if row else []
        row = row[0] if row else None
        name = row["name"] if row else UNKNOWN_NAME  # never the text typed when it is no account's name
        who = User(name, name, "viewer", (), row["id"] if row else -1)
        if row is None:
            audit.record(cur, who, audit.SIGN_IN_FAILED, detail="ไม่พบชื่อผู้ใช้", at=at)
            failure = REFUSED
        elif row["disabled_at"] is not None:
            audit.record(cur, who, audit.SIGN_IN_FAILED, target=name, detail="บัญชีถูกปิดใช้งาน", at=at)
            failure = f"บัญชี {name} ถูกปิดใช้งาน: ติดต่อผู้ดูแลระบบ" if ok else REFUSED
        elif row["locked_until"] is not None and row["locked_until"] > at:
            audit.record(cur, who, audit.SIGN_IN_FAILED, target=name, detail="ถูกล็อกอยู่", at=at)
            failure = REFUSED
        elif not ok:
            failed = (row["failed_logins"] if row["locked_until"] is None or row["locked_until"] > at else 0) + 1
            if failed >= MAX_FAILED_SIGN_INS:
                until = at + timedelta(minutes=LOCK_MINUTES)
                cur.execute("UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?", [until, row["id"]])
                audit.record(cur, who, audit.LOCKED, target=name,
                             detail=f"รหัสผ่านผิด {failed} ครั้งติดต่อกัน: ล็อก {LOCK_MINUTES} นาที", at=at)
                failure = REFUSED
            else:
                cur.execute("UPDATE users SET failed_logins = ?, locked_until = NULL WHERE id = ?",
                            [failed, row["id"]])
                audit.record(cur, who, audit.SIGN_IN_FAILED, target=name, detail=f"รหัสผ่านผิดครั้งที่ {failed}",
                             at=at)
                failure = REFUSED
        else:
            cur.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", [row["id"]])
            if _HASHER.check_needs_rehash(row["password_hash"]):
                cur.execute("UPDATE users SET password_hash = ? WHERE id = ?", [_HASHER.hash(password), row["id"]])
            user = User(row["name"], row["display_name"] or row["name"], row["role"],
                        _divisions_of(cur, row["id"]), row["id"], _organizations_of(cur, row["id"]))
            audit.record(cur, user, audit.SIGN_IN, target=name, at=at)
            failure = None
    if failure:
        raise SignInError(failure)
    return user


# one message for an unknown name, a wrong password and a locked account: it tells no one which names exist
REFUSED = (f"ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง หรือบัญชีถูกล็อกชั่วคราว "
           f"(ใส่ผิด {MAX_FAILED_SIGN_INS} ครั้งล็อก {LOCK_MINUTES} นาที)")



def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def record_sign_out(con, user: User) -> None:
    with _transaction(con, bump=False) as cur:
        audit.record(cur, user, audit.SIGN_OUT, target=user.name)
