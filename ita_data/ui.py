"""The thin Streamlit layer the pages share: the database connection, the organization/year choice,
filters kept in the URL, and small display helpers. The only module of ita_data that imports
streamlit."""
from __future__ import annotations

import shutil
from pathlib import Path

import streamlit as st

from . import store
from .importers import read_report
from .store import ROOT
from .thai import short_org_name

STATIC = ROOT / "static"
FONT_FILES = ("Sarabun-Regular.ttf", "Sarabun-Medium.ttf", "Sarabun-SemiBold.ttf", "Sarabun-Bold.ttf")


def install_fonts() -> None:
    """Copy Sarabun from the fontpkg-sarabun package to static/, where Streamlit serves it."""
    if all((STATIC / name).exists() for name in FONT_FILES):
        return
    import fontpkg_sarabun
    source = Path(fontpkg_sarabun.__file__).parent / "files"
    STATIC.mkdir(exist_ok=True)
    for name in FONT_FILES:
        shutil.copyfile(source / name, STATIC / name)


@st.cache_resource(show_spinner=False)
def connection():
    """One DuckDB connection for the server process; every query takes its own cursor. A new
    database is filled from the seed report, so a fresh clone shows real data."""
    con = store.connect()
    if store.is_empty(con) and store.SEED_REPORT.exists():
        store.save_reports(con, [read_report(store.SEED_REPORT, name=store.SEED_REPORT.name)])
    return con


# ---------------------------------------------------------------- organization and year

def choose_assessment(con) -> dict | None:
    """The sidebar's organization and plan-year choice, shared by every page and bound to the URL
    (?org=...&year=...). Returns the chosen assessment or None when the database is empty."""
    items = store.assessments(con)
    if not items:
        st.sidebar.info("ยังไม่มีข้อมูล: นำเข้ารายงานที่หน้า ข้อมูล", icon=":material/info:")
        return None
    orgs = list(dict.fromkeys(a["organization"] for a in items))
    org = st.sidebar.selectbox("หน่วยงาน", orgs, key="org", bind="query-params", format_func=short_org_name)
    years = [a["plan_year"] for a in items if a["organization"] == org]
    year = st.sidebar.selectbox("ปีงบประมาณ (แผน)", years, key="year", bind="query-params")
    chosen = next(a for a in items if a["organization"] == org and a["plan_year"] == year)
    st.sidebar.caption(f"{org} · ผลการประเมิน ITA ปี {chosen['assessed_year']} · {chosen['findings']} ประเด็น")
    return chosen


def current_assessment() -> dict | None:
    return st.session_state.get("assessment")


def start_page(*, needs_assessment: bool = True) -> tuple:
    """What every page calls first: (connection, chosen assessment). With needs_assessment, a page
    without data shows a message and stops."""
    _leave_pages_directory_mode()
    con = connection()
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
    """Rerun this session when another session changed the data (a status update, an import)."""
    stamp = store.last_change(con)
    seen = st.session_state.setdefault("seen_change", stamp)
    if stamp != seen:
        st.session_state.seen_change = stamp
        st.rerun(scope="app")


def mark_seen(con) -> None:
    """After this session's own change: no need to rerun for it again."""
    st.session_state.seen_change = store.last_change(con)
