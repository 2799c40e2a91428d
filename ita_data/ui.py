"""The thin Streamlit layer the pages share: the database connection, the sidebar's organization/year
choice, sign-in and what the signed-in person may do, each page's data (views' typed values) cached
per state of the data, live updates between sessions, and Markdown escaping. The only module of
ita_data that imports streamlit."""
from __future__ import annotations

import os
import re
import shutil

import pandas as pd
import streamlit as st

from . import store, views
from .errors import BadInput
from .exports import meeting
from .importers import read_report
from .store import ROOT
from .store import users

STATIC = ROOT / "static"
FONT_FILES = ("Sarabun-Regular.ttf", "Sarabun-Medium.ttf", "Sarabun-SemiBold.ttf", "Sarabun-Bold.ttf")


def install_fonts() -> None:
    """Copy Sarabun from the fontpkg-sarabun package to static/, where Streamlit serves it."""
    if all((STATIC / name).exists() for name in FONT_FILES):
        return
    from .fonts import sarabun_dir
    STATIC.mkdir(exist_ok=True)
    for name in FONT_FILES:
        shutil.copyfile(sarabun_dir() / name, STATIC / name)


@st.cache_resource(show_spinner=False)
def connection():
    """One DuckDB connection for the server process; every query takes its own cursor. A new
    database is filled from the seed report, so a fresh clone shows real data."""
    con = store.connect()
    if store.is_empty(con) and store.SEED_REPORT.exists():
        store.save_reports(con, [read_report(store.SEED_REPORT, name=store.SEED_REPORT.name)])
    return con


# ---------------------------------------------------------------- cached reads
# The data change only through imports and status updates, and store.last_change(con) says when (its
# value is opaque: only compared). Each page's data are one typed value (views.ScoresData, ...),
# cached on (database path, assessment, that stamp, today, the page's options), so every session
# sees a change on its next rerun while reruns without a change cost nothing to rebuild. Cached
# values are shared between sessions: callers read them, never modify them.

def _stamp(con, *, fresh: bool = False):
    """The data stamp, read once per script run: by the sidebar (dashboard.py), or by start_page when
    a page runs without dashboard.py."""
    if fresh or "_stamp" not in st.session_state:
        st.session_state._stamp = store.last_change(con)
    return st.session_state._stamp


@st.cache_resource(max_entries=4, show_spinner=False)
def _index(path: str, stamp) -> dict:
    """The organizations (by id) and their assessments, for the sidebar's choice."""
    con = connection()
    by_org: dict[int, list[dict]] = {}
    for a in store.assessments(con):
        by_org.setdefault(a["organization_id"], []).append(a)
    province_of = {o["id"]: o["province"] for o in store.organizations(con)}
    organizations = [{"id": oid, "name": rows[0]["organization"],
                      "province": rows[0].get("province") or province_of.get(oid) or "ไม่ระบุจังหวัด"}
                     for oid, rows in by_org.items()]
    by_province: dict[str, list[int]] = {}
    for o in organizations:
        by_province.setdefault(o["province"], []).append(o["id"])
    return {"by_org": by_org, "by_province": dict(sorted(by_province.items())),
            "labels": views.organization_labels(organizations),
            "link_names": views.organization_link_names(organizations)}


def _key(chosen: dict) -> tuple:
    """What a cached value of the chosen assessment is keyed on."""
    return str(store.db_path()), chosen["id"], chosen["plan_year"], _stamp(connection()), views.today()


@st.cache_resource(max_entries=16, show_spinner=False)
def _assessment_data(path: str, assessment_id: int, plan_year: int, stamp, today) -> views.AssessmentData:
    con = connection()
    return views.assessment_data(views.findings_frame(con, assessment_id),
                                 views.measures_frame(con, assessment_id, on=today), store.division_list(con),
                                 on=today, plan_year=plan_year)


@st.cache_resource(max_entries=64, show_spinner=False)
def _built(_build, name: str, key: tuple, options: tuple):
    return _build(_assessment_data(*key), *options)


def _page_data(build, key: tuple, options: tuple):
    """build(the assessment's data, *options), one of views' page-data builders, cached under its
    name (Streamlit does not hash functions)."""
    return _built(build, f"{build.__module__}.{build.__qualname__}", key, options)


def assessment_data(chosen: dict) -> views.AssessmentData:
    """The chosen assessment's frames as of today, and what the pages' filters offer."""
    return _assessment_data(*_key(chosen))


def scores_data(chosen: dict) -> views.ScoresData:
    """The scores page, with the official scores of the assessed year where a score sheet gives them."""
    return _scores_view(*_key(chosen), chosen["organization_id"], chosen["assessed_year"], "scores")


def measures_data(chosen: dict, chosen_filter: views.MeasureFilter) -> views.MeasuresData:
    return _page_data(views.measures_data, _key(chosen), (chosen_filter,))


def divisions_data(chosen: dict) -> views.DivisionsData:
    return _page_data(views.divisions_data, _key(chosen), ())


def timeline_data(chosen: dict, divisions: tuple[str, ...]) -> views.TimelineData:
    return _page_data(views.timeline_data, _key(chosen), (tuple(divisions),))


@st.cache_resource(max_entries=8, show_spinner=False)
def _deck(path: str, assessment_id: int, plan_year: int, stamp, today, month) -> meeting.Deck:
    return meeting.build_deck(connection(), assessment_id, month, today)


def meeting_deck(chosen: dict, month) -> meeting.Deck:
    """The monthly meeting's deck of the chosen assessment, as of today."""
    return _deck(*_key(chosen), month)


@st.cache_resource(max_entries=8, show_spinner=False)
def _warnings(path: str, assessment_id: int | None, stamp):
    con = connection()
    return views.warnings_frame(con, assessment_id) if assessment_id else views.warning_counts_frame(con)


def assessment_warnings(chosen: dict):
    """Every import warning of the chosen assessment, one per row."""
    return _warnings(str(store.db_path()), chosen["id"], _stamp(connection()))


def warning_counts():
    """Import warnings per organization and plan year, over the whole database."""
    return _warnings(str(store.db_path()), None, _stamp(connection()))


# ---------------------------------------------------------------- a whole year's official scores
# (score sheets): the organization's current scores, cached on the data stamp like the rest.

@st.cache_resource(max_entries=16, show_spinner=False)
def _organization_scores(path: str, organization_id: int, stamp) -> pd.DataFrame:
    return views.organization_scores(connection(), organization_id)


@st.cache_resource(max_entries=32, show_spinner=False)
def _scores_view(path: str, assessment_id: int, plan_year: int, stamp, today, organization_id: int,
                 assessed_year: int, which: str):
    data = _assessment_data(path, assessment_id, plan_year, stamp, today)
    scores = _organization_scores(path, organization_id, stamp)
    if which == "scores":
        return views.official_scores_data(data, scores, assessed_year)
    return views.score_change_data(data, scores, assessed_year)


def organization_scores(chosen: dict) -> pd.DataFrame:
    """The chosen organization's current official scores, every year it has (views.organization_scores)."""
    return _organization_scores(str(store.db_path()), chosen["organization_id"], _stamp(connection()))


@st.cache_resource(max_entries=16, show_spinner=False)
def _next_plan_draft(path: str, assessment_id: int, plan_year: int, stamp, today, organization_id: int,
                     rule: str, count: int, below: float):
    from . import plans
    scores = _organization_scores(path, organization_id, stamp)
    questions = scores[scores["question_code"] != ""]
    year_scores = questions[questions["assessed_year"] == plan_year]
    previous = questions[questions["assessed_year"] == plan_year - 1]
    if year_scores.empty:
        return None
    data = _assessment_data(path, assessment_id, plan_year, stamp, today)
    return plans.draft_next_plan(data.findings, data.measures, year_scores, previous if len(previous) else None,
                                 plan_year=plan_year, rule=rule, count=count, below=below), len(year_scores)


def next_plan_draft(chosen: dict, rule: str, count: int, below: float):
    """(plans.Draft of the next fiscal year's plan, how many questions the year's scores have), or
    None when the chosen plan's year has no question scores yet; cached per state of the data."""
    return _next_plan_draft(*_key(chosen), chosen["organization_id"], rule, int(count), float(below))


def score_change_data(chosen: dict) -> views.ScoreChangeData:
    """The year-over-year view of the chosen assessment: its assessed year against the next."""
    return _scores_view(*_key(chosen), chosen["organization_id"], chosen["assessed_year"], "change")


@st.cache_resource(max_entries=32, show_spinner=False)
def _trend_figure(path: str, organization_id: int, stamp, series: tuple[int, ...]):
    from .figures import score_trend_figure
    return score_trend_figure(views.trend_frame(_organization_scores(path, organization_id, stamp)), series)


def score_trend_figure(chosen: dict, series: tuple[int, ...]):
    """The organization's trend chart over every year it has, for the chosen series (0 = overall)."""
    return _trend_figure(str(store.db_path()), chosen["organization_id"], _stamp(connection()), tuple(series))


@st.cache_resource(max_entries=8, show_spinner=False)
def _score_imports(path: str, organization_id: int | None, stamp) -> pd.DataFrame:
    return views.score_imports_frame(store.scores.score_imports(connection(), organization_id))


def score_imports(chosen: dict | None) -> pd.DataFrame:
    """The score sheets imported for the chosen organization (every organization: None)."""
    return _score_imports(str(store.db_path()), chosen["organization_id"] if chosen else None, _stamp(connection()))


# ---------------------------------------------------------------- organization and year

MANY_ORGANIZATIONS = 60  # above this, the sidebar asks for the province first


def choose_assessment(con) -> dict | None:
    """The sidebar's organization and plan-year choice, shared by every page and always written to the
    URL (?province=...&org=...&year=...; org is the short name, with the province when two
    organizations share a name), so a link opens the same data whatever is imported later. Without
    them in the URL: the organization imported first and its latest plan year. A URL naming what the
    database does not have gets a warning above the page (a phone's sidebar is folded) and the default. Returns the chosen
    assessment or None when there is none."""
    index = _index(str(store.db_path()), _stamp(con, fresh=True))
    st.session_state._entry_ran = True  # this run has read the stamp: start_page needn't again
    if not index["by_org"]:
        st.sidebar.info("ยังไม่มีข้อมูล: นำเข้ารายงานที่หน้า ข้อมูล", icon=":material/info:")
        return None
    labels = index["labels"]
    default_org = min(index["by_org"])  # the first imported: stable whatever comes later
    wanted = st.query_params.get("org")
    linked = follow_url("org", index["link_names"], "หน่วยงาน", default_org, labels[default_org])
    if linked and wanted not in labels.values():  # a name two organizations now share: a link made before
        st.session_state._shared_name_link = (wanted, st.session_state.org)  # said while it stays chosen
    orgs = list(index["by_org"])
    if len(orgs) > MANY_ORGANIZATIONS:
        province_of = {oid: p for p, ids in index["by_province"].items() for oid in ids}
        if linked:  # the organization a link names decides the province
            st.session_state.province = st.session_state._url_province = province_of[st.session_state.org]
        follow_url("province", {p: p for p in index["by_province"]}, "จังหวัด", province_of[default_org])
        if st.session_state.get("province") not in index["by_province"]:
            st.session_state.province = province_of[default_org]
        province = st.sidebar.selectbox("จังหวัด", list(index["by_province"]), key="province")
        orgs = index["by_province"][province]
        st.query_params["province"] = st.session_state._url_province = province
    if st.session_state.get("org") not in orgs:
        st.session_state.org = default_org if default_org in orgs else orgs[0]
    org = st.sidebar.selectbox("หน่วยงาน", orgs, key="org", format_func=labels.get)
    shared = st.session_state.get("_shared_name_link")
    if shared and shared[1] != org:  # another was chosen: the link is behind us
        del st.session_state._shared_name_link
    elif shared:
        st.info(f"ลิงก์นี้ระบุ \"{md_escape(shared[0])}\" ซึ่งตอนนี้มีมากกว่าหนึ่งแห่ง: แสดง {md_escape(labels[org])} "
                f"(ที่นำเข้าก่อน) เลือกแห่งอื่นได้ที่ หน่วยงาน ในแถบด้านซ้าย", icon=":material/info:")
    st.query_params["org"] = st.session_state._url_org = labels[org]
    items = index["by_org"][org]
    years = [a["plan_year"] for a in items]  # newest first
    follow_url("year", {str(y): y for y in years}, "ปีงบประมาณ", years[0])
    if st.session_state.get("year") not in years:
        st.session_state.year = years[0]
    year = st.sidebar.selectbox("ปีงบประมาณ (แผน)", years, key="year")
    st.query_params["year"] = st.session_state._url_year = str(year)
    chosen = next(a for a in items if a["plan_year"] == year)
    st.sidebar.caption(f"{md_escape(chosen['organization'])} · ผลการประเมิน ITA ปี {chosen['assessed_year']} · "
                       f"{chosen['findings']} ประเด็น")
    return chosen


def follow_url(param: str, values: dict, noun: str, default, default_label: str | None = None) -> bool:
    """Take the choice `param` (a widget's key, not bound to the URL by Streamlit) from the URL when
    the URL says something this session did not write there itself (a link was opened); values: URL
    text -> widget value. Unknown text: a warning and the default. True when the URL decided. The
    caller writes the choice back: st.query_params[param] = st.session_state[f"_url_{param}"] = text,
    on every run, so the URL names it even when it is the default (Streamlit's bind="query-params"
    leaves out a value equal to the widget's default, and writes nothing until the person changes it)."""
    wanted = st.query_params.get(param)
    if wanted is None or wanted == st.session_state.get(f"_url_{param}"):
        return False  # nothing asked, or what this session wrote: the widget's own value stands
    st.session_state[f"_url_{param}"] = wanted
    if wanted in values:
        st.session_state[param] = values[wanted]
        return True
    st.session_state[param] = default
    st.warning(f"ไม่พบ{noun} \"{md_escape(wanted)}\" ในฐานข้อมูล: แสดง "
                       f"{md_escape(default_label or str(default))} แทน", icon=":material/warning:")
    return False


def url_segmented(label: str, options: dict, key: str, default: str) -> str:
    """A segmented control (options: value -> its words) whose choice is always in the URL as its
    words, the default too (follow_url): a link names the view it shows. A click on the chosen
    segment (which clears it) keeps the default."""
    follow_url(key, {words: value for value, words in options.items()}, label, default, options[default])
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
    value = st.segmented_control(label, list(options), key=key, format_func=options.get) or default
    st.query_params[key] = st.session_state[f"_url_{key}"] = options[value]
    return value


def listed_assessments(chosen: dict | None) -> tuple[list[dict], int]:
    """(assessments to list, organizations in the database): every assessment, or the chosen
    organization's alone when there are many organizations."""
    by_org = _index(str(store.db_path()), _stamp(connection()))["by_org"]
    if chosen is not None and len(by_org) > MANY_ORGANIZATIONS:
        return by_org[chosen["organization_id"]], len(by_org)
    return [a for items in by_org.values() for a in items], len(by_org)


def selection_params(chosen: dict) -> dict:
    """The assessment as URL parameters, for links that open another page on the same data (the
    organization's label names its province too, when it must)."""
    labels = _index(str(store.db_path()), _stamp(connection()))["labels"]
    return {"org": labels[chosen["organization_id"]], "year": str(chosen["plan_year"])}


def assessment_params(assessment_id: int) -> dict | None:
    """URL parameters that open one assessment (for a link to an organization just imported), or
    None when the database has no such assessment."""
    for items in _index(str(store.db_path()), _stamp(connection()))["by_org"].values():
        for a in items:
            if a["id"] == assessment_id:
                return selection_params(a)
    return None


def plan_of_year(chosen: dict, plan_year: int) -> dict | None:
    """The chosen organization's assessment whose plan is for `plan_year`, or None."""
    items = _index(str(store.db_path()), _stamp(connection()))["by_org"].get(chosen["organization_id"], [])
    return next((a for a in items if a["plan_year"] == plan_year), None)


def current_assessment() -> dict | None:
    return st.session_state.get("assessment")


def choose_in_sidebar(con) -> None:
    """The sidebar every page shares: the organization and year choice (session_state.assessment)
    and the live updates. dashboard.py draws it on every run."""
    st.session_state.assessment = choose_assessment(con)
    with st.sidebar:
        follow_changes(con)


def start_page(*, needs_assessment: bool = True) -> tuple:
    """What every page calls first: (connection, chosen assessment). With needs_assessment, a page
    without data shows a message and stops."""
    con = connection()
    if not st.session_state.pop("_entry_ran", False):  # this page runs without dashboard.py
        _leave_pages_directory_mode()
    chosen = require_assessment() if needs_assessment else current_assessment()
    return con, chosen


def _leave_pages_directory_mode() -> None:
    """A page runs without dashboard.py only in Streamlit's older pages-directory mode (a pages/
    folder beside the main script), which lasts until a run of dashboard.py calls st.navigation:
    on a fresh server whose first visitor opens a page's URL (/measures). Leave it and run again:
    dashboard.py then runs, with its sidebar and navigation, on the page asked for."""
    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False  # what st.navigation itself sets
    st.rerun()


def require_assessment() -> dict:
    """The chosen assessment, or a message and a stop when there is none."""
    chosen = current_assessment()
    if chosen is None:
        st.info("ยังไม่มีข้อมูลการประเมิน: นำเข้ารายงานที่หน้า ข้อมูล", icon=":material/info:")
        st.page_link("pages/data.py", label="ไปหน้าข้อมูล", icon=":material/upload_file:")
        st.stop()
    return chosen


# ---------------------------------------------------------------- sign-in and roles
# The signed-in person is session_state.user (a users.User) for that browser session alone. It is
# read again from the database on every run, so an account disabled meanwhile is signed out; the
# write functions check the account themselves, inside their transaction (users.require), so what
# a page shows or hides is convenience, never the protection.

_OFF = {"0", "false", "no", "off", "ปิด"}
_ON = {"1", "true", "yes", "on", "เปิด"}


def public_read() -> bool:
    """$ITA_PUBLIC_READ: may people read the dashboard without signing in (default on, so a fresh
    clone shows the seed to anyone)? Writing always needs sign-in."""
    text = os.environ.get("ITA_PUBLIC_READ", "").strip().lower()
    if not text or text in _ON:
        return True
    if text in _OFF:
        return False
    raise BadInput(f'ITA_PUBLIC_READ="{text}" ต้องเป็น 1 (เปิดให้อ่านโดยไม่เข้าสู่ระบบ) หรือ 0 (ปิด)')


def signed_in(con) -> users.User | None:
    """The session's signed-in account as the database has it now (None: nobody, or an account
    disabled since it signed in, which is signed out with a message)."""
    user = st.session_state.get("user")
    if user is None:
        return None
    fresh = users.get_user(con, user.name)
    if fresh is None or fresh.id != user.id:
        del st.session_state["user"]
        st.session_state._sign_in_message = f"บัญชี {user.name} ถูกปิดใช้งาน: ออกจากระบบแล้ว"
        return None
    st.session_state.user = fresh
    return fresh


def current_user() -> users.User | None:
    """Who is signed in on this session (as of this run's start)."""
    return st.session_state.get("user")


def may(action: str) -> bool:
    """The signed-in person's role allows `action` (users.READ, REPORT, IMPORT, BACKUP, USERS, AUDIT...);
    reading is allowed to anyone when public_read()."""
    user = current_user()
    if user is None:
        return action == users.READ and public_read()
    return user.may(action)


def require_permission(action: str) -> users.User | None:
    """A page only some roles may see: the signed-in user, or a message and a stop."""
    if not may(action):
        st.error(f"ต้องเข้าสู่ระบบด้วยบัญชีที่มีสิทธิ์{users.ACTION_TH[action]}", icon=":material/lock:")
        st.stop()
    return current_user()


def account_in_sidebar(con) -> None:
    """The sidebar's sign-in form (ชื่อผู้ใช้, รหัสผ่าน, เข้าสู่ระบบ), or who is signed in and the
    sign-out button."""
    box = st.sidebar.container(border=True, key="account")
    user = current_user()
    message = st.session_state.pop("_sign_in_message", None)
    if user is not None:
        box.markdown(f"**{md_escape(user.display_name)}**")
        where = f" · {md_escape(', '.join(user.divisions))}" if user.divisions else ""
        box.caption(f"{md_escape(user.name)} · {users.ROLE_TH[user.role]}{where}")
        if box.button("ออกจากระบบ", icon=":material/logout:", key="sign_out"):
            users.record_sign_out(con, user)
            for key in ("user", "measure_pick"):
                st.session_state.pop(key, None)
            st.rerun()
        return
    if message:
        box.warning(message, icon=":material/lock:")
    with box.form("sign_in", clear_on_submit=True, border=False):
        st.markdown("**เข้าสู่ระบบ**")
        name = st.text_input("ชื่อผู้ใช้", autocomplete="username")
        password = st.text_input("รหัสผ่าน", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("เข้าสู่ระบบ", icon=":material/login:", type="primary")
    if submitted:
        try:
            st.session_state.user = users.authenticate(con, name, password)
        except users.SignInError as e:
            st.session_state._sign_in_message = str(e)
        st.session_state.pop("measure_pick", None)
        st.rerun()


def sign_in_required() -> None:
    """What an anonymous visitor sees when the dashboard is not public ($ITA_PUBLIC_READ=0)."""
    st.title("ITA แดชบอร์ด")
    st.info("เข้าสู่ระบบที่แถบด้านซ้ายเพื่อดูข้อมูล", icon=":material/lock:")


# ---------------------------------------------------------------- live updates

def live_seconds() -> float:
    """How often an idle session checks for changes: $ITA_LIVE_SECONDS (default 10; tests use 1)."""
    text = os.environ.get("ITA_LIVE_SECONDS", "").strip() or "10"
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0
    if not seconds > 0:
        raise BadInput(f'ITA_LIVE_SECONDS="{text}" ต้องเป็นจำนวนวินาทีที่มากกว่า 0 เช่น 10')
    return seconds


@st.fragment(run_every=live_seconds())
def follow_changes(con) -> None:
    """Rerun this session when the data changed since it last drew them (a status update or an
    import, in any session); checked every live_seconds()."""
    if st.session_state.get("_entry_ran"):  # a whole run: it draws the data as they are now
        st.session_state.seen_change = _stamp(con)
        return
    stamp = store.last_change(con)  # this fragment's own run, every live_seconds()
    if stamp != st.session_state.get("seen_change"):
        st.session_state.seen_change = stamp
        st.rerun(scope="app")


def scroll_into_view(key: str) -> None:
    """Scroll the browser to the container made with st.container(key=key) once it is drawn: a
    constant script (the key is ours, never user text; Streamlit has no scrolling of its own)."""
    if not key.replace("_", "").isalnum():
        raise ValueError(f"container key {key!r}")
    st.session_state._scrolls = st.session_state.get("_scrolls", 0) + 1  # a new element runs again
    st.html(f"""<script data-run="{st.session_state._scrolls}">
setTimeout(() => {{ const el = document.querySelector(".st-key-{key}"); if (!el) return;
  el.style.scrollMarginTop = "4.5rem";  /* clear of Streamlit's fixed top bar */
  el.scrollIntoView({{behavior: "smooth", block: "start"}}); }}, 150);
</script>""", unsafe_allow_javascript=True, width=1)


def md_escape(text) -> str:
    """Report text for st.markdown/st.table/st.caption, which read Markdown: every character that
    Markdown, Streamlit's directives (:red[...]), LaTeX ($$) or GitHub's autolinks (https://...,
    www., a@b) would act on is backslash-escaped, so the text shows as written and makes no element."""
    out = str(text)
    for ch in "\\`*_{}[]<>()#+-.!|~$:@&":
        out = out.replace(ch, "\\" + ch)
    # GitHub's autolinks are found in the text after escapes are read: a zero-width space inside
    # "https://", after "www" and after "@" (invisible) keeps the text from becoming a link
    out = _AUTOLINK.sub("\u200b", out)
    return out


_AUTOLINK = re.compile(r"(?<=[hH][tT][tT][pP]\\:)|(?<=[hH][tT][tT][pP][sS]\\:)|(?<=[wW][wW][wW])(?=\\\.)|(?<=\\@)")


def plain_table(frame: pd.DataFrame, **kwargs) -> None:
    """st.table (which reads each cell as Markdown) of data shown as written: every cell and header
    through md_escape, empty cells empty."""
    shown = frame.copy()
    for column in shown.columns:
        shown[column] = ["" if v is None or (isinstance(v, float) and v != v) else md_escape(v) for v in shown[column]]
    shown.columns = [md_escape(c) for c in frame.columns]
    st.table(shown, **kwargs)
