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
    """The sidebar's organization and plan-year choice, shared by every page and kept in the URL
    (?org=...&year=...). Returns the chosen assessment or None when the database is empty."""
    items = store.assessments(con)
    if not items:
        st.sidebar.info("ยังไม่มีข้อมูล: นำเข้ารายงานที่หน้า ข้อมูล", icon=":material/info:")
        return None
    orgs = list(dict.fromkeys(a["organization"] for a in items))
    wanted_org = st.query_params.get("org")
    if "org" not in st.session_state or st.session_state.org not in orgs:
        st.session_state.org = wanted_org if wanted_org in orgs else orgs[0]
    org = st.sidebar.selectbox("หน่วยงาน", orgs, key="org")
    years = [a["plan_year"] for a in items if a["organization"] == org]
    wanted_year = st.query_params.get("year")
    if "year" not in st.session_state or st.session_state.year not in years:
        st.session_state.year = int(wanted_year) if wanted_year and wanted_year.isdigit() \
            and int(wanted_year) in years else years[0]
    year = st.sidebar.selectbox("ปีงบประมาณ (แผน)", years, key="year", format_func=lambda y: f"พ.ศ. {y}")
    st.query_params["org"], st.query_params["year"] = org, str(year)
    chosen = next(a for a in items if a["organization"] == org and a["plan_year"] == year)
    st.sidebar.caption(f"ผลการประเมิน ITA ปี {chosen['assessed_year']} · {chosen['findings']} ประเด็น")
    return chosen


def current_assessment() -> dict | None:
    return st.session_state.get("assessment")


def require_assessment() -> dict:
    """The chosen assessment, or a message and a stop when there is none."""
    chosen = current_assessment()
    if chosen is None:
        st.info("ยังไม่มีข้อมูลการประเมิน: นำเข้ารายงานที่หน้า ข้อมูล", icon=":material/info:")
        st.page_link("pages/data.py", label="ไปหน้าข้อมูล", icon=":material/upload_file:")
        st.stop()
    return chosen


# ---------------------------------------------------------------- filters in the URL

def url_state(key: str, default, *, many: bool = False, cast=str):
    """A widget's session state, taken from the URL when the URL says something this session has
    not seen yet (a shared link, a link from another page); otherwise the widget owns it."""
    raw = tuple(st.query_params.get_all(key))
    seen = st.session_state.setdefault("_url_seen", {})
    if key not in st.session_state or seen.get(key) != raw:
        try:
            values = [cast(v) for v in raw if v != ""]
        except ValueError:
            values = []
        st.session_state[key] = (values or default) if many else (values[0] if values else default)
        seen[key] = raw
    return st.session_state[key]


def write_url(**values) -> None:
    """Put the current filters back in the URL (empty ones removed)."""
    seen = st.session_state.setdefault("_url_seen", {})
    for key, value in values.items():
        if value in (None, "", [], (), False):
            if key in st.query_params:
                del st.query_params[key]
            seen[key] = ()
        elif isinstance(value, (list, tuple)):
            st.query_params[key] = [str(v) for v in value]
            seen[key] = tuple(str(v) for v in value)
        else:
            text = "1" if value is True else str(value)
            st.query_params[key] = text
            seen[key] = (text,)


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
