"""The audit log: every write (a status report, an import, a score sheet, a carry-over, an account
change, a sign-in) as one row: when, who, what, on which organization/assessment, and a detail line.
`record` is called by the write functions inside their own transaction, so the row and the change
are committed together or not at all. Rows are only ever added."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from . import _rows, now

REPORT = "report"  # a division's progress report on a measure
IMPORT = "import"  # a report file imported
SCORE_IMPORT = "score_import"  # a year's score sheet imported (store/scores.py)
CARRY = "carry"  # the next fiscal year started, unfinished measures carried over
USER_ADD, USER_UPDATE, USER_DISABLE, USER_ENABLE, USER_PASSWORD = (
    "user_add", "user_update", "user_disable", "user_enable", "user_password")
SIGN_IN, SIGN_IN_FAILED, LOCKED, SIGN_OUT = "sign_in", "sign_in_failed", "locked", "sign_out"

ACTION_TH = {
    REPORT: "รายงานความคืบหน้า", IMPORT: "นำเข้ารายงาน", SCORE_IMPORT: "นำเข้าคะแนน",
    CARRY: "เริ่มปีงบประมาณถัดไป", USER_ADD: "เพิ่มผู้ใช้", USER_UPDATE: "แก้ไขผู้ใช้",
    USER_DISABLE: "ปิดใช้งานผู้ใช้", USER_ENABLE: "เปิดใช้งาน/ปลดล็อกผู้ใช้", USER_PASSWORD: "ตั้งรหัสผ่าน",
    SIGN_IN: "เข้าสู่ระบบ", SIGN_IN_FAILED: "เข้าสู่ระบบไม่สำเร็จ", LOCKED: "ล็อกชื่อผู้ใช้", SIGN_OUT: "ออกจากระบบ",
}
MAX_DETAIL = 2000  # a detail longer than this is cut (a note is kept whole in status_history)


def record(cur, user, action: str, *, organization_id: int | None = None, assessment_id: int | None = None,
           target: str | None = None, detail: str | None = None, at: datetime | None = None) -> None:
    """One audit row, written on the caller's transaction cursor. `user`: a users.User."""
    if action not in ACTION_TH:
        raise ValueError(f"unknown audit action {action!r}")
    if detail is not None and len(detail) > MAX_DETAIL:
        detail = detail[:MAX_DETAIL] + "…"
    cur.execute("INSERT INTO audit_log (done_at, user_name, action, organization_id, assessment_id, target, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [at or now(), user.name, action, organization_id, assessment_id, target, detail])


SHOWN = 10_000  # rows the audit page draws; the count and the XLSX cover every row that matches


def _where(user_name, actions, since, until, organization_id, text) -> tuple[str, list]:
    """The filters as one WHERE clause of bound parameters (entries and count share it)."""
    start = _utc(since) if since else None
    end = _utc(until + timedelta(days=1)) if until else None
    actions = [a for a in actions if a in ACTION_TH]
    text = text.strip().lower() if text and text.strip() else None  # a plain substring, no LIKE wildcards
    return """
        WHERE (? IS NULL OR a.user_name = ?)
          AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], a.action))
          AND (? IS NULL OR a.done_at >= ?) AND (? IS NULL OR a.done_at < ?)
          AND (? IS NULL OR a.organization_id = ?)
          AND (? IS NULL OR contains(lower(coalesce(a.target, '')), ?) OR contains(lower(coalesce(a.detail, '')), ?))""", \
        [user_name, user_name, actions, actions, start, start, end, end, organization_id, organization_id,
         text, text, text]


def entries(con, *, user_name: str | None = None, actions=(), since: date | None = None,
            until: date | None = None, organization_id: int | None = None, text: str | None = None,
            limit: int | None = None) -> list[dict]:
    """Audit rows, newest first, with the organization's name: filtered by user, actions, Thai-time
    days (since/until inclusive; timestamps are UTC), organization and a text in the target or
    detail; the newest `limit` of them (None: all). Every filter is a bound parameter."""
    where, params = _where(user_name, actions, since, until, organization_id, text)
    return _rows(con, f"""
        SELECT a.id, a.done_at, a.user_name, coalesce(u.display_name, a.user_name) AS display_name, a.action,
               a.organization_id, o.name AS organization, a.assessment_id, a.target, a.detail
        FROM audit_log a LEFT JOIN organizations o ON o.id = a.organization_id
        LEFT JOIN users u ON u.name = a.user_name {where}
        ORDER BY a.done_at DESC, a.id DESC LIMIT ?""", [*params, limit])


def count(con, *, user_name: str | None = None, actions=(), since: date | None = None,
          until: date | None = None, organization_id: int | None = None, text: str | None = None) -> int:
    """How many audit rows the same filters as entries() match."""
    where, params = _where(user_name, actions, since, until, organization_id, text)
    return con.cursor().execute(f"SELECT count(*) FROM audit_log a {where}", params).fetchone()[0]


def organizations(con) -> dict[int, str]:
    """The organizations the log names (id -> name), by name: the audit page's filter offers these,
    not every organization of the country."""
    return {r["id"]: r["name"] for r in _rows(con, """
        SELECT o.id, o.name FROM organizations o
        WHERE o.id IN (SELECT organization_id FROM audit_log WHERE organization_id IS NOT NULL)
        ORDER BY o.name, o.id""")}


def user_names(con) -> list[str]:
    """Everyone the log names, accounts first."""
    return [r["user_name"] for r in _rows(con, "SELECT DISTINCT user_name FROM audit_log ORDER BY user_name")]


def _utc(day: date) -> datetime:
    """Midnight of a Thai-time day, as the naive UTC the log stores."""
    return datetime.combine(day, time()) - timedelta(hours=7)
