"""pandas transforms from store results to what the pages, the meeting deck and the exports show:
scores and gaps, measures with overdue flags, filters, division workloads, the timeline, statuses as
of a day and the changes between two days (from the status history)."""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pandas as pd

from . import figures, framework, store
from .errors import BadInput
from .thai import short_org_name, thai_date, thai_period

BANGKOK = timezone(timedelta(hours=7))
STATUS_ORDER = list(framework.STATUSES)
OPEN_STATUSES = ("not_started", "in_progress")


def today() -> date:
    """Today in Thailand (the server may run on UTC), or the day $ITA_TODAY names (an ISO date such
    as 2026-03-16: for demos and tests)."""
    fixed = os.environ.get("ITA_TODAY", "").strip()
    if not fixed:
        return datetime.now(BANGKOK).date()
    try:
        return date.fromisoformat(fixed)
    except ValueError:
        raise BadInput(f'ITA_TODAY="{fixed}" ไม่ใช่วันที่: ใช้รูปแบบ YYYY-MM-DD (ค.ศ.) เช่น 2026-03-16 '
                       f"(ITA_TODAY must be an ISO date)") from None


def local_time(stamp: datetime | None) -> datetime | None:
    """A stored (naive UTC) timestamp in Thai time."""
    if stamp is None or pd.isna(stamp):
        return None
    return pd.Timestamp(stamp).tz_localize("UTC").tz_convert("Asia/Bangkok").to_pydatetime()


def thai_datetime(stamp: datetime | None) -> str:
    local = local_time(stamp)
    return f"{thai_date(local.date(), short=True)} {local:%H:%M} น." if local else ""


# ---------------------------------------------------------------- findings and scores

FINDING_COLUMNS = ["id", "seq", "indicator_no", "indicator", "tool", "indicator_text", "question_code",
                   "question", "score", "analysis", "rationale", "period_text", "period_start",
                   "period_end", "steps", "warnings", "divisions"]


def findings_frame(con, assessment_id: int) -> pd.DataFrame:
    """One row per finding with its gap to 100, grade, pass flag and a short label for charts."""
    df = pd.DataFrame(store.findings(con, assessment_id), columns=FINDING_COLUMNS)
    df["gap"] = 100 - df["score"]
    df["grade"] = df["score"].map(framework.grade)
    df["passed"] = df["score"] >= framework.PASS_MARK
    df["label"] = [f"{seq}. {code} {indicator}" if code else f"{seq}. {indicator}"
                   for seq, code, indicator in zip(df["seq"], df["question_code"], df["indicator"])]
    return df


def indicator_scores(findings: pd.DataFrame) -> pd.DataFrame:
    """Per indicator reported: the mean of its question scores, the gap, the questions counted."""
    if findings.empty:
        return pd.DataFrame(columns=["indicator_no", "indicator", "tool", "score", "gap", "questions", "label"])
    df = (findings.groupby(["indicator_no", "indicator", "tool"], as_index=False)
          .agg(score=("score", "mean"), questions=("id", "count")))
    df["gap"] = 100 - df["score"]
    df["label"] = [f"{no}. {name}" for no, name in zip(df["indicator_no"], df["indicator"])]
    return df.sort_values("indicator_no", ignore_index=True)


def score_chart_frame(findings: pd.DataFrame, level: str = "question") -> pd.DataFrame:
    """What the score chart draws: label, score, gap, sorted with the largest gap on top."""
    df = indicator_scores(findings) if level == "indicator" else findings
    return df.sort_values(["gap", "label"], ascending=[True, False], ignore_index=True)


# ---------------------------------------------------------------- measures

MEASURE_COLUMNS = ["id", "finding_id", "finding_seq", "seq", "title", "status", "progress", "updated_at",
                   "indicator_no", "indicator", "question_code", "question", "score", "period_start",
                   "period_end", "steps", "divisions", "division_status", "carried_from"]


def measures_frame(con, assessment_id: int, on: date | None = None) -> pd.DataFrame:
    """One row per measure, with Thai status, overdue flag and days left, as of `on` (today)."""
    df = pd.DataFrame(store.measures(con, assessment_id), columns=MEASURE_COLUMNS)
    return add_measure_flags(df, on or today())


def add_measure_flags(df: pd.DataFrame, on: date) -> pd.DataFrame:
    df = df.copy()
    df["status_th"] = df["status"].map(framework.STATUS_TH)
    end = pd.to_datetime(df["period_end"])
    df["overdue"] = (end.dt.date < on).fillna(False).astype(bool) & df["status"].isin(OPEN_STATUSES)
    df["days_left"] = (end - pd.Timestamp(on)).dt.days
    df["ref"] = [f"{f}.{m}" for f, m in zip(df["finding_seq"], df["seq"])]
    df["divisions_text"] = df["divisions"].map(lambda names: ", ".join(names))
    df["question_label"] = [f"{c} {q}" if c else q for c, q in zip(df["question_code"], df["question"])]
    return df


def division_options(measures: pd.DataFrame, order: list[str]) -> list[str]:
    """The divisions that carry measures, in the canonical order (`order`), unknown ones last."""
    rank = {name: i for i, name in enumerate(order)}
    return sorted({d for names in measures["divisions"] for d in names}, key=lambda d: (rank.get(d, len(rank)), d))


@dataclass(frozen=True)
class MeasureFilter:
    divisions: tuple[str, ...] = ()
    indicator_no: int | None = None
    statuses: tuple[str, ...] = ()
    overdue_only: bool = False
    text: str = ""


def filter_measures(df: pd.DataFrame, f: MeasureFilter) -> pd.DataFrame:
    """Measures of any of the chosen divisions, of the indicator, in the statuses, overdue, and
    containing the text (in title, question, indicator or divisions), all given filters together."""
    keep = pd.Series(True, index=df.index)
    if f.divisions:
        wanted = set(f.divisions)
        keep &= df["divisions"].map(lambda names: bool(wanted.intersection(names)))
    if f.indicator_no:
        keep &= df["indicator_no"] == f.indicator_no
    if f.statuses:
        keep &= df["status"].isin(f.statuses)
    if f.overdue_only:
        keep &= df["overdue"]
    text = f.text.strip().lower()
    if text:
        haystack = (df["title"] + " " + df["question_label"] + " " + df["indicator"] + " "
                    + df["divisions_text"]).str.lower()
        keep &= haystack.str.contains(text, regex=False)
    return df[keep]


def measure_table(df: pd.DataFrame, *, compact: bool = False) -> pd.DataFrame:
    """The measure register as people read it: Thai headers, Thai dates. `compact` is the on-screen
    version: the question by its code, the period in one short column."""
    table = pd.DataFrame({
        "ที่": df["ref"],
        "มาตรการ/โครงการ/กิจกรรม": df["title"],
        "ตัวชี้วัด": [f"{n}. {name}" for n, name in zip(df["indicator_no"], df["indicator"])],
        "ข้อคำถาม": df["question_code"] if compact else df["question_label"],
        "ผู้รับผิดชอบ": df["divisions_text"],
        "เริ่ม": df["period_start"].map(lambda d: thai_date(d, short=True)),
        "สิ้นสุด": df["period_end"].map(lambda d: thai_date(d, short=True)),
        "สถานะ": df["status_th"],
        "ความคืบหน้า (%)": df["progress"],
        "เกินกำหนด": df["overdue"].map({True: "เกินกำหนด", False: ""}),
        "ปรับปรุงล่าสุด": df["updated_at"].map(thai_datetime),
        "ยกมาจาก": df["carried_from"].map(lambda ref: f"แผนปี {ref}" if isinstance(ref, str) else ""),
    })
    if compact:
        table.insert(5, "ระยะเวลา", [thai_period(a, b) for a, b in zip(df["period_start"], df["period_end"])])
        table = table.drop(columns=["เริ่ม", "สิ้นสุด"])
    else:  # the register: where each responsible division stands on a shared measure
        table.insert(9, "สถานะรายหน่วยงาน", [
            " · ".join(f"{d['division']}: {framework.STATUS_TH[d['status']]} {int(d['progress'])}%" for d in states)
            if len(states) > 1 else "" for states in df["division_status"]])
    return table


def summary(findings: pd.DataFrame, measures: pd.DataFrame) -> dict:
    """The headline figures: the findings and their mean score with its grade (the report gives
    question scores only: the mean of those reported, not the official ITA score), the weakest
    finding, the findings under the pass mark, and the measures by state (cancelled ones apart)."""
    active = measures[measures["status"] != "cancelled"]
    scored = findings[findings["score"].notna()]
    lowest = scored.loc[scored["score"].idxmin()] if len(scored) else None
    below = scored[scored["score"] < framework.PASS_MARK].sort_values("score")
    mean = float(scored["score"].mean()) if len(scored) else None
    return {
        "findings": len(findings),
        "scored": len(scored),
        "mean_score": mean,
        "mean_grade": framework.grade(mean) if mean is not None else None,
        "lowest_score": None if lowest is None else float(lowest["score"]),
        "lowest_label": None if lowest is None else lowest["label"],
        "lowest_id": None if lowest is None else int(lowest["id"]),
        "largest_gap": None if lowest is None else float(100 - lowest["score"]),
        "measures": len(measures),
        "active": len(active),
        "done": int((active["status"] == "done").sum()),
        "in_progress": int((active["status"] == "in_progress").sum()),
        "not_started": int((active["status"] == "not_started").sum()),
        "done_share": float((active["status"] == "done").mean()) if len(active) else 0.0,
        "overdue": int(measures["overdue"].sum()),
        "below_pass": len(below),
        "below_pass_labels": tuple(below["label"]),
    }


def status_counts(measures: pd.DataFrame) -> pd.DataFrame:
    """Measures per status (overdue counted apart from their status) for progress charts."""
    counts = measures["status"].value_counts().reindex(STATUS_ORDER, fill_value=0)
    return pd.DataFrame({"status": STATUS_ORDER, "status_th": [framework.STATUS_TH[s] for s in STATUS_ORDER],
                         "count": counts.to_numpy()})


# ---------------------------------------------------------------- divisions

def division_view(measures: pd.DataFrame, division: str, on: date) -> pd.DataFrame:
    """The measures `division` is responsible for, with its own status, percent and overdue flag in
    place of the measure's (kept in measure_status, measure_progress): what that division reports."""
    rows = measures[measures["divisions"].map(lambda names: division in names)].copy()
    own = [next(d for d in ds if d["division"] == division) for ds in rows["division_status"]]
    rows["measure_status"], rows["measure_progress"] = rows["status"], rows["progress"]
    rows["status"] = [d["status"] for d in own]
    rows["progress"] = [int(d["progress"]) for d in own]
    return add_measure_flags(rows, on)


def division_status_frame(division_status: list[dict]) -> pd.DataFrame:
    """A measure's responsible divisions and where each stands (store.measures' division_status)."""
    return pd.DataFrame({
        "หน่วยงาน": [d["division"] for d in division_status],
        "สถานะ": [framework.STATUS_TH[d["status"]] for d in division_status],
        "ความคืบหน้า (%)": [int(d["progress"]) for d in division_status],
        "รายงานล่าสุด": [thai_datetime(d["updated_at"]) if d["updated_at"] is not None else "ยังไม่รายงาน"
                        for d in division_status],
    }, columns=["หน่วยงาน", "สถานะ", "ความคืบหน้า (%)", "รายงานล่าสุด"])


def agreeing_choice(status: str, progress: int, changed: str) -> tuple[str, int]:
    """A status and a percent made to agree after the person changed one of them (`changed`:
    "status" or "progress"), the way framework.agreeing_progress will check them."""
    if changed == "status":
        if status == "done":
            return status, 100
        if status == "not_started":
            return status, 0
        if status == "in_progress" and progress >= 100:
            return status, 90
        return status, progress
    if progress >= 100:
        return "done", 100
    if progress > 0 and status in ("not_started", "done"):
        return "in_progress", progress
    if progress == 0 and status == "done":
        return "in_progress", 0
    return status, progress


def division_workload(measures: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """Per division: findings, measures by that division's own status, steps, measures overdue for
    it (the period ended and its own status still open); busiest first."""
    columns = ["division", "findings", "measures", "steps", "overdue", *STATUS_ORDER]
    if measures.empty and findings.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for m in measures.itertuples(index=False):
        ended = m.period_end is not None and not pd.isna(m.period_end) and m.days_left < 0
        for d in m.division_status:
            rows.append({"divisions": d["division"], "status": d["status"], "id": m.id,
                         "overdue": bool(ended and d["status"] in OPEN_STATUSES)})
    m = pd.DataFrame(rows, columns=["divisions", "status", "id", "overdue"])
    by_status = (m.pivot_table(index="divisions", columns="status", values="id", aggfunc="count", fill_value=0)
                 .reindex(columns=STATUS_ORDER, fill_value=0))
    f = findings.explode("divisions").dropna(subset=["divisions"])
    f_counts = f.groupby("divisions").agg(findings=("id", "count"),
                                          steps=("steps", lambda s: sum(len(x) for x in s)))
    out = f_counts.join(by_status, how="outer").fillna(0)
    out["measures"] = out[STATUS_ORDER].sum(axis=1)
    out["overdue"] = m[m["overdue"]].groupby("divisions")["id"].count().reindex(out.index, fill_value=0)
    out = out.reset_index(names="division").astype({c: int for c in columns[1:]})
    return out[columns].sort_values(["measures", "division"], ascending=[False, True], ignore_index=True)


def division_indicator_matrix(measures: pd.DataFrame) -> pd.DataFrame:
    """Measures per division (rows) and indicator (columns "1. การปฏิบัติหน้าที่" ...)."""
    m = measures.explode("divisions").dropna(subset=["divisions"])
    if m.empty:
        return pd.DataFrame()
    m = m.assign(indicator_label=[f"{n}. {name}" for n, name in zip(m["indicator_no"], m["indicator"])])
    matrix = m.pivot_table(index="divisions", columns="indicator_label", values="id", aggfunc="count",
                           fill_value=0)
    order = sorted(matrix.columns, key=lambda label: int(label.split(".")[0]))
    matrix = matrix[order]
    return matrix.loc[matrix.sum(axis=1).sort_values(ascending=False).index]


# ---------------------------------------------------------------- timeline

def timeline_frame(measures: pd.DataFrame) -> pd.DataFrame:
    """Measures with a period, as bars: start, end (inclusive day -> next midnight), label."""
    df = measures.dropna(subset=["period_start", "period_end"]).copy()
    df["start"] = pd.to_datetime(df["period_start"])
    df["finish"] = pd.to_datetime(df["period_end"]) + pd.Timedelta(days=1)
    df["label"] = [f"{ref} {title}" for ref, title in zip(df["ref"], df["title"])]
    return df.sort_values(["period_start", "finding_seq", "seq"], ignore_index=True)


# ---------------------------------------------------------------- data quality

def warnings_frame(con, assessment_id: int | None = None) -> pd.DataFrame:
    """Every import warning, one per row, for one assessment or all."""
    rows = store.warnings(con, assessment_id)
    return pd.DataFrame({"หน่วยงาน": [r["organization"] for r in rows],
                         "ปีงบประมาณ": [r["plan_year"] for r in rows],
                         "แถว": [r["seq"] for r in rows],
                         "คำเตือน": [r["warning"] for r in rows]})


def warning_counts_frame(con) -> pd.DataFrame:
    """Import warnings per organization and plan year, the most first."""
    rows = store.warning_counts(con)
    return pd.DataFrame({"หน่วยงาน": [r["organization"] for r in rows],
                         "ปีงบประมาณ": [r["plan_year"] for r in rows],
                         "คำเตือน": [r["warnings"] for r in rows]})


def report_preview(report) -> pd.DataFrame:
    """An imported-but-not-saved report as a table to check before confirming."""
    return pd.DataFrame([{
        "แถว": f.seq,
        "ตัวชี้วัด": f"{f.indicator_no}. {framework.INDICATOR_BY_NO[f.indicator_no].name_th}",
        "ข้อคำถาม": f"{f.question_code or ''} {f.question}".strip(),
        "คะแนน": f.score,
        "มาตรการ": "\n".join(f"{i}. {m}" for i, m in enumerate(f.measures, start=1)),
        "ขั้นตอน": len(f.steps),
        "ระยะเวลา": f"{thai_date(f.period_start, short=True)} - {thai_date(f.period_end, short=True)}"
        if f.period_start else "ไม่ระบุ",
        "ผู้รับผิดชอบ": ", ".join(f.divisions),
        "คำเตือน": len(f.warnings),
    } for f in report.findings])


# ---------------------------------------------------------------- what each page shows
# One typed value per page (and per choice made on it), built from the assessment's frames:
# DataFrames in, a frozen value out. ui.py caches them per state of the data and shares them
# between sessions, so callers read them and never modify them.

@dataclass(frozen=True, eq=False)
class AssessmentData:
    """The chosen assessment's findings and measures as of `on`, and what the filters offer."""
    findings: pd.DataFrame
    measures: pd.DataFrame
    division_options: tuple[str, ...]  # the divisions carrying measures, canonical order
    indicator_names: dict[int, str]  # the indicators carrying measures, by number
    on: date  # the day overdue flags and the timeline's today line are for
    plan_year: int


def assessment_data(findings: pd.DataFrame, measures: pd.DataFrame, division_order: list[str], *, on: date,
                    plan_year: int) -> AssessmentData:
    return AssessmentData(findings, measures, tuple(division_options(measures, division_order)),
                          dict(sorted(zip(measures["indicator_no"], measures["indicator"]))), on, plan_year)


@dataclass(frozen=True, eq=False)
class ScoreChart:
    """The score chart at one level ("question" or "indicator") and the picker of what it shows."""
    frame: pd.DataFrame  # what the chart draws (score_chart_frame)
    figure: object  # go.Figure
    pick_column: str  # the findings' column a pick matches: "id" or "indicator_no"
    pick_options: tuple[int, ...]  # the picker's values, in order
    pick_labels: dict[int, str]  # value -> label


@dataclass(frozen=True, eq=False)
class ScoresData:
    """The scores page: the headline cards, and the chart at each level."""
    summary: dict
    charts: dict[str, ScoreChart]  # "question", "indicator"


def score_chart(findings: pd.DataFrame, level: str) -> ScoreChart:
    frame = score_chart_frame(findings, level)
    column = "indicator_no" if level == "indicator" else "id"
    options = frame.sort_values(column)[column] if level == "indicator" else findings["id"]
    return ScoreChart(frame, figures.score_gap_figure(frame), column, tuple(int(v) for v in options),
                      dict(zip(frame[column], frame["label"])))


def scores_data(data: AssessmentData) -> ScoresData:
    return ScoresData(summary(data.findings, data.measures),
                      {level: score_chart(data.findings, level) for level in ("question", "indicator")})


def finding_measure_table(measures: pd.DataFrame, finding_id: int) -> pd.DataFrame:
    """A finding's measures as the scores page lists them under it."""
    rows = measures[measures["finding_id"] == finding_id]
    return measure_table(rows)[["ที่", "มาตรการ/โครงการ/กิจกรรม", "สถานะ", "ความคืบหน้า (%)", "เกินกำหนด",
                                "ปรับปรุงล่าสุด"]]


@dataclass(frozen=True, eq=False)
class MeasuresData:
    """The measures page for one filter: the measures it keeps and their on-screen register. With
    one division chosen, statuses and percents are that division's own (`own_division`)."""
    shown: pd.DataFrame
    table: pd.DataFrame  # measure_table(shown, compact=True)
    total: int  # measures of the assessment
    done: int
    overdue: int
    own_division: str | None = None


def measures_data(data: AssessmentData, chosen_filter: MeasureFilter) -> MeasuresData:
    own = chosen_filter.divisions[0] if len(chosen_filter.divisions) == 1 else None
    measures = division_view(data.measures, own, data.on) if own else data.measures
    shown = filter_measures(measures, chosen_filter)
    return MeasuresData(shown, measure_table(shown, compact=True), len(data.measures),
                        int((shown["status"] == "done").sum()), int(shown["overdue"].sum()), own)


@dataclass(frozen=True, eq=False)
class DivisionsData:
    """The divisions page: each division's workload, its chart and the division x indicator heatmap
    with the indicators its columns stand for ("1. การปฏิบัติหน้าที่", ...: the key under it)."""
    workload: pd.DataFrame
    workload_figure: object
    heatmap: object
    heatmap_indicators: tuple[str, ...] = ()


def divisions_data(data: AssessmentData) -> DivisionsData:
    workload = division_workload(data.measures, data.findings)
    matrix = division_indicator_matrix(data.measures)
    return DivisionsData(workload, figures.division_workload_figure(workload), figures.division_heatmap(matrix),
                         tuple(str(c) for c in matrix.columns))


@dataclass(frozen=True, eq=False)
class TimelineData:
    """The timeline page for the chosen divisions (none: every division)."""
    timeline: pd.DataFrame  # timeline_frame: the measures with a period
    figure: object
    overdue: int
    without_period: int  # measures shown that have no period, so no bar


def timeline_data(data: AssessmentData, divisions: tuple[str, ...]) -> TimelineData:
    shown = filter_measures(data.measures, MeasureFilter(divisions=tuple(divisions)))
    timeline = timeline_frame(shown)
    return TimelineData(timeline, figures.timeline_figure(timeline, data.on, data.plan_year),
                        int(timeline["overdue"].sum()), len(shown) - len(timeline))


# ---------------------------------------------------------------- the sidebar's organizations

def organization_labels(organizations: list[dict]) -> dict[int, str]:
    """Organization id -> the short name people choose it by (อบต.มวกเหล็ก), with the province when
    another organization has the same name (อบต.มวกเหล็ก (สระบุรี)). Rows: id, name, province."""
    count = Counter(o["name"] for o in organizations)
    labels = {}
    for o in organizations:
        label = short_org_name(o["name"])
        if count[o["name"]] > 1:
            label += f" ({o.get('province') or 'ไม่ระบุจังหวัด'})"
        labels[o["id"]] = label
    return labels


def import_changes_frame(plan) -> pd.DataFrame:
    """What an import will do to each measure (store.plan_import), in report order: the change in
    Thai, the text now and, when it differs, the text stored before."""
    return pd.DataFrame({
        "แถว": [m.finding_seq for m in plan.measures],
        "มาตรการที่": [m.seq if m.seq is not None else m.old_seq for m in plan.measures],
        "การเปลี่ยนแปลง": [store.CHANGE_TH[m.change] for m in plan.measures],
        "ข้อความ": [m.title for m in plan.measures],
        "ข้อความเดิม": [m.old_title if m.old_title is not None and m.old_title != m.title else ""
                        for m in plan.measures],
    }, columns=["แถว", "มาตรการที่", "การเปลี่ยนแปลง", "ข้อความ", "ข้อความเดิม"])


def assessments_frame(items: list[dict]) -> pd.DataFrame:
    """The assessments in the database (store.assessments rows) as the Data page lists them."""
    return pd.DataFrame({
        "หน่วยงาน": [a["organization"] for a in items],
        "จังหวัด": [a.get("province") or "" for a in items],
        "ปีที่ประเมิน": [a["assessed_year"] for a in items],
        "ปีงบประมาณ": [a["plan_year"] for a in items],
        "ประเด็น": [a["findings"] for a in items],
        "นำเข้า (ครั้ง)": [a.get("imports", 1) for a in items],
        "ไฟล์ล่าสุด": [a["source_file"] for a in items],
        "นำเข้าล่าสุดเมื่อ": [thai_datetime(a["imported_at"]) for a in items],
    }, columns=["หน่วยงาน", "จังหวัด", "ปีที่ประเมิน", "ปีงบประมาณ", "ประเด็น", "นำเข้า (ครั้ง)", "ไฟล์ล่าสุด",
                "นำเข้าล่าสุดเมื่อ"])


# ---------------------------------------------------------------- statuses as of a day
# (the meeting deck's: a deck for a past month shows what was true then)

def history_frame(con, assessment_id: int) -> pd.DataFrame:
    """Status history of an assessment, oldest first, with the Thai date of each change: what each
    report said (status, progress, for `division`; None: the measure as a whole) and what the
    measure's own status became (measure_status, measure_progress)."""
    columns = ["id", "measure_id", "title", "finding_seq", "measure_seq", "status", "progress", "note",
               "editor", "changed_at", "division", "measure_status", "measure_progress"]
    df = pd.DataFrame(store.history(con, assessment_id), columns=columns)
    stamps = pd.to_datetime(df["changed_at"])
    local = stamps.dt.tz_localize("UTC").dt.tz_convert("Asia/Bangkok")
    df["day"] = local.dt.date
    return df.sort_values(["changed_at", "id"], ignore_index=True)


def measures_as_of(measures: pd.DataFrame, history: pd.DataFrame, day: date) -> pd.DataFrame:
    """`measures` (views.measures_frame) with status, progress, last update and each division's own
    status as they were at the end of `day`, and the overdue flags recomputed on `day`."""
    df = measures.copy()
    with_history = set(history["measure_id"])
    until = history[history["day"] <= day]
    known = until.groupby("measure_id").tail(1).set_index("measure_id")
    status, progress, updated, division_status = [], [], [], []
    for row in df.itertuples(index=False):
        if row.id in known.index:
            h = known.loc[row.id]
            status.append(h["measure_status"])
            progress.append(int(h["measure_progress"]))
            updated.append(h["changed_at"])
            division_status.append(_division_status_as_of(row.division_status, until[until["measure_id"] == row.id]))
        elif row.id in with_history:  # reported only later: as imported
            status.append("not_started")
            progress.append(0)
            updated.append(None)
            division_status.append([{**d, "status": "not_started", "progress": 0, "updated_at": None}
                                    for d in row.division_status])
        else:
            status.append(row.status)
            progress.append(int(row.progress))
            updated.append(row.updated_at)
            division_status.append(row.division_status)
    df["status"], df["progress"], df["division_status"] = status, progress, division_status
    df["updated_at"] = pd.Series(updated, index=df.index, dtype="datetime64[us]")
    return add_measure_flags(df.drop(columns=["status_th", "overdue", "days_left"], errors="ignore"), day)


def _division_status_as_of(now: list[dict], reports: pd.DataFrame) -> list[dict]:
    """Each responsible division's state after `reports` (one measure's history up to a day, oldest
    first): its own last report, or a report for the whole measure, whichever came last."""
    out = []
    for d in now:
        mine = reports[reports["division"].isna() | (reports["division"] == d["division"])].tail(1)
        if mine.empty:
            out.append({**d, "status": "not_started", "progress": 0, "updated_at": None})
        else:
            out.append({**d, "status": mine["status"].iloc[0], "progress": int(mine["progress"].iloc[0]),
                        "updated_at": mine["changed_at"].iloc[0]})
    return out


def reporter(report) -> str:
    """Who reported, with the division the report was for: "สมศรี ใจดี (กองช่าง)"."""
    division = report["division"]
    return f"{report['editor']} ({division})" if isinstance(division, str) and division else str(report["editor"])


def changes_between(history: pd.DataFrame, measures: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """One row per measure with history entries dated start..end (both included): the status
    before the window, the last one in it, the latest note, who reported last and when, and how
    many reports. In register order."""
    columns = ["measure_id", "ref", "title", "finding_seq", "seq", "status_before", "progress_before",
               "status", "progress", "note", "editor", "day", "reports"]
    inside = history[(history["day"] >= start) & (history["day"] <= end)]
    current = measures.set_index("id")
    rows = []
    for measure_id, entries in inside.groupby("measure_id", sort=False):
        if measure_id not in current.index:  # a measure that left the report
            continue
        before = history[(history["measure_id"] == measure_id) & (history["day"] < start)].tail(1)
        last = entries.iloc[-1]
        notes = [n for n in entries["note"] if isinstance(n, str) and n.strip()]
        m = current.loc[measure_id]
        rows.append({
            "measure_id": int(measure_id), "ref": m["ref"], "title": m["title"],
            "finding_seq": int(m["finding_seq"]), "seq": int(m["seq"]),
            "status_before": before["measure_status"].iloc[0] if len(before) else "not_started",
            "progress_before": int(before["measure_progress"].iloc[0]) if len(before) else 0,
            "status": last["measure_status"], "progress": int(last["measure_progress"]),
            "note": notes[-1] if notes else "", "editor": reporter(last), "day": last["day"],
            "reports": len(entries)})
    df = pd.DataFrame(rows, columns=columns)
    return df.sort_values(["finding_seq", "seq"], ignore_index=True)


def due_in_month(measures: pd.DataFrame, month: date) -> pd.DataFrame:
    """Open measures whose period ends in `month` (any day of it)."""
    end = pd.to_datetime(measures["period_end"])
    keep = (measures["status"].isin(OPEN_STATUSES) & (end.dt.year == month.year)
            & (end.dt.month == month.month))
    return measures[keep.fillna(False).astype(bool)]
