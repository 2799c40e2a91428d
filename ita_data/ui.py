"""The thin Streamlit layer the pages share: the database connection, the sidebar's organization/year
choice, cached frames and charts, live updates between sessions, and Markdown escaping. The only
module of ita_data that imports streamlit."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import streamlit as st

from . import figures, store, views
from .exports import meeting
from .importers import read_report
from .store import ROOT
from .thai import short_org_name

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
# The data change only through imports and status updates, and store.last_change(con) says when:
# cached results are keyed on that stamp (and on the database path and today's date), so every
# session sees a change on its next rerun while reruns without a change cost nothing to rebuild.
# Cached frames and figures are shared between sessions: callers read them, never modify them.

def _stamp(con, *, fresh: bool = False) -> str:
    """The data stamp, read once per script run: by the sidebar (dashboard.py), or by start_page when
    a page runs without dashboard.py (AppTest)."""
    if fresh or "_stamp" not in st.session_state:
        st.session_state._stamp = store.last_change(con)
    return st.session_state._stamp


@st.cache_resource(max_entries=4, show_spinner=False)
def _index(path: str, stamp: str) -> dict:
    """The organizations and their assessments, for the sidebar's choice."""
    con = connection()
    by_org: dict[str, list[dict]] = {}
    for a in store.assessments(con):
        by_org.setdefault(a["organization"], []).append(a)
    province_of = {o["name"]: o["province"] or "ไม่ระบุจังหวัด" for o in store.organizations(con)}
    by_province: dict[str, list[str]] = {}
    for name in by_org:
        by_province.setdefault(province_of.get(name, "ไม่ระบุจังหวัด"), []).append(name)
    return {"by_org": by_org, "by_province": dict(sorted(by_province.items())),
            "short": {name: short_org_name(name) for name in by_org}}


@st.cache_resource(max_entries=16, show_spinner=False)
def _frames(path: str, assessment_id: int, stamp: str, on) -> tuple:
    con = connection()
    return views.findings_frame(con, assessment_id), views.measures_frame(con, assessment_id, on=on)


def frames(chosen: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(findings, measures) of the chosen assessment, as views.findings_frame/measures_frame give
    them for today."""
    return _frames(str(store.db_path()), chosen["id"], _stamp(connection()), views.today())


# what a cached chart or table is made from: (findings, measures, today, chosen, *options) -> value
_DERIVED = {
    "summary": lambda f, m, today, chosen: views.summary(f, m),
    "division_options": lambda f, m, today, chosen: views.division_options(m, store.division_list(connection())),
    "warnings": lambda f, m, today, chosen: views.warnings_frame(connection(), chosen["id"]),
    "score_frame": lambda f, m, today, chosen, level: views.score_chart_frame(f, level),
    "measures": lambda f, m, today, chosen, fil: views.filter_measures(m, fil),
    "measure_table": lambda f, m, today, chosen, fil: views.measure_table(views.filter_measures(m, fil), compact=True),
    "workload": lambda f, m, today, chosen: views.division_workload(m, f),
    "scores": lambda f, m, today, chosen, level: figures.score_gap_figure(views.score_chart_frame(f, level)),
    "workload_chart": lambda f, m, today, chosen: figures.division_workload_figure(views.division_workload(m, f)),
    "heatmap": lambda f, m, today, chosen: figures.division_heatmap(views.division_indicator_matrix(m)),
    "deck": lambda f, m, today, chosen, month: meeting.build_deck(connection(), chosen["id"], month, today),
    "timeline": lambda f, m, today, chosen, divisions: figures.timeline_figure(
        views.timeline_frame(views.filter_measures(m, views.MeasureFilter(divisions=divisions))),
        today, chosen["plan_year"]),
}


@st.cache_resource(max_entries=64, show_spinner=False)
def _derived(name: str, path: str, assessment_id: int, stamp: str, on, options: tuple):
    findings, measures = _frames(path, assessment_id, stamp, on)
    chosen = next(a for rows in _index(path, stamp)["by_org"].values() for a in rows if a["id"] == assessment_id)
    return _DERIVED[name](findings, measures, on, chosen, *options)


def cached(name: str, chosen: dict, *options):
    """A page's chart or table (see _DERIVED), made once per state of the data."""
    return _derived(name, str(store.db_path()), chosen["id"], _stamp(connection()), views.today(), options)


# what the whole database's cached lists are read with: (con) -> value
_WHOLE = {
    "warning_counts": views.warning_counts_frame,
}


@st.cache_resource(max_entries=8, show_spinner=False)
def _whole(name: str, path: str, stamp: str):
    return _WHOLE[name](connection())


def whole(name: str):
    """A list about the whole database (see _WHOLE), read once per state of the data."""
    return _whole(name, str(store.db_path()), _stamp(connection()))


# ---------------------------------------------------------------- organization and year

MANY_ORGANIZATIONS = 60  # above this, the sidebar asks for the province first


def choose_assessment(con) -> dict | None:
    """The sidebar's organization and plan-year choice, shared by every page and bound to the URL
    (?province=...&org=...&year=...). Returns the chosen assessment or None when there is none."""
    index = _index(str(store.db_path()), _stamp(con, fresh=True))
    st.session_state._entry_ran = True  # this run has read the stamp: start_page needn't again
    if not index["by_org"]:
        st.sidebar.info("ยังไม่มีข้อมูล: นำเข้ารายงานที่หน้า ข้อมูล", icon=":material/info:")
        return None
    orgs = list(index["by_org"])
    if len(orgs) > MANY_ORGANIZATIONS:
        province = st.sidebar.selectbox("จังหวัด", list(index["by_province"]), key="province",
                                        bind="query-params")
        orgs = index["by_province"][province]
    short = index["short"]
    org = st.sidebar.selectbox("หน่วยงาน", orgs, key="org", bind="query-params",
                               format_func=lambda name: short.get(name, name))
    items = index["by_org"][org]
    year = st.sidebar.selectbox("ปีงบประมาณ (แผน)", [a["plan_year"] for a in items], key="year",
                                bind="query-params")
    chosen = next(a for a in items if a["plan_year"] == year)
    st.sidebar.caption(f"{org} · ผลการประเมิน ITA ปี {chosen['assessed_year']} · {chosen['findings']} ประเด็น")
    return chosen


def listed_assessments(chosen: dict | None) -> tuple[list[dict], int]:
    """(assessments to list, organizations in the database): every assessment, or the chosen
    organization's alone when there are many organizations."""
    by_org = _index(str(store.db_path()), _stamp(connection()))["by_org"]
    if chosen is not None and len(by_org) > MANY_ORGANIZATIONS:
        return by_org[chosen["organization"]], len(by_org)
    return [a for items in by_org.values() for a in items], len(by_org)


def selection_params(chosen: dict) -> dict:
    """The sidebar's choice as URL parameters, for links that open another page on the same data."""
    params = {"org": short_org_name(chosen["organization"]), "year": str(chosen["plan_year"])}
    if "province" in st.session_state:
        params["province"] = st.session_state.province
    return params


def current_assessment() -> dict | None:
    return st.session_state.get("assessment")


def start_page(*, needs_assessment: bool = True) -> tuple:
    """What every page calls first: (connection, chosen assessment). With needs_assessment, a page
    without data shows a message and stops."""
    _leave_pages_directory_mode()
    con = connection()
    if not st.session_state.pop("_entry_ran", False):
        _stamp(con, fresh=True)
    chosen = require_assessment() if needs_assessment else current_assessment()
    return con, chosen


def _leave_pages_directory_mode() -> None:
    """When the first visitor of a fresh server opens a page URL directly, Streamlit runs that page
    in its old pages/-directory mode, without dashboard.py (its navigation and the sidebar's data
    choice). On such a first run of a session, turn that mode off and rerun, so that dashboard.py's
    st.navigation takes over. (AppTest runs pages in that mode after the entry point's first run;
    the session then already holds the choice, and nothing is rerun.)"""
    from streamlit.runtime.pages_manager import PagesManager
    if PagesManager.uses_pages_directory and "assessment" not in st.session_state:
        PagesManager.uses_pages_directory = False
        st.rerun()


def require_assessment() -> dict:
    """The chosen assessment, or a message and a stop when there is none."""
    chosen = current_assessment()
    if chosen is None:
        st.info("ยังไม่มีข้อมูลการประเมิน: นำเข้ารายงานที่หน้า ข้อมูล", icon=":material/info:")
        st.page_link("pages/data.py", label="ไปหน้าข้อมูล", icon=":material/upload_file:")
        st.stop()
    return chosen


# ---------------------------------------------------------------- live updates

@st.fragment(run_every="10s")
def follow_changes(con) -> None:
    """Rerun this session when the data changed since it last drew them (a status update or an
    import, in any session)."""
    if st.session_state.get("_entry_ran"):  # a whole run: it draws the data as they are now
        st.session_state.seen_change = _stamp(con)
        return
    stamp = store.last_change(con)  # this fragment's own run, every 10 s
    if stamp != st.session_state.get("seen_change"):
        st.session_state.seen_change = stamp
        st.rerun(scope="app")


def md_escape(text) -> str:
    """Report text for st.markdown/st.table, which read Markdown: special characters kept as they are."""
    out = str(text)
    for ch in "\\`*_{}[]<>()#+-.!|~$":
        out = out.replace(ch, "\\" + ch)
    return out
