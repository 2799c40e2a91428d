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
        raise BadInput(f'ITA_TODAY="{fixed}" ไม่ใช่วันที่: ใช้รูปแบบ ปี ค.ศ.-เดือน-วัน เช่น 2026-03-16') from None


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
    # "question" (the report's), "indicator"; and "sheet" (every question of the assessed year's
    # score sheet, by indicator) when the sheet has question scores
    charts: dict[str, ScoreChart]
    official: object = None  # YearOfficial of the assessed year, when a score sheet gives one


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
    """The timeline page for the chosen divisions (none: every division). With one division
    chosen, the bars' statuses and overdue marks are that division's own (`own_division`), as on
    the measures page."""
    timeline: pd.DataFrame  # timeline_frame: the measures with a period
    figure: object
    overdue: int
    without_period: int  # measures shown that have no period, so no bar
    own_division: str | None = None


def timeline_data(data: AssessmentData, divisions: tuple[str, ...]) -> TimelineData:
    own = divisions[0] if len(divisions) == 1 else None
    measures = division_view(data.measures, own, data.on) if own else data.measures
    shown = filter_measures(measures, MeasureFilter(divisions=tuple(divisions)))
    timeline = timeline_frame(shown)
    return TimelineData(timeline, figures.timeline_figure(timeline, data.on, data.plan_year),
                        int(timeline["overdue"].sum()), len(shown) - len(timeline), own)


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


def organization_link_names(organizations: list[dict]) -> dict[str, int]:
    """The names a link may give an organization (?org=...) -> its id: today's labels
    (organization_labels), and a short name several organizations now share, which a link made
    before the second one came named: the one imported first (the lowest id)."""
    labels = organization_labels(organizations)
    names = {label: oid for oid, label in labels.items()}
    for o in sorted(organizations, key=lambda o: o["id"]):
        names.setdefault(short_org_name(o["name"]), o["id"])  # a shared short name: the first imported
    return names


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
    before the window, the last one in it, the latest note (with its writer when another
    reported after it: "note — writer"), who reported last and when, and how many reports. In register order."""
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
        noted = entries[[isinstance(n, str) and bool(n.strip()) for n in entries["note"]]]
        note = ""
        if len(noted):  # the latest note, with who wrote it when that is not who reported last
            note = noted["note"].iloc[-1]
            if reporter(noted.iloc[-1]) != reporter(last):
                note = f"{note} — {reporter(noted.iloc[-1])}"
        m = current.loc[measure_id]
        rows.append({
            "measure_id": int(measure_id), "ref": m["ref"], "title": m["title"],
            "finding_seq": int(m["finding_seq"]), "seq": int(m["seq"]),
            "status_before": before["measure_status"].iloc[0] if len(before) else "not_started",
            "progress_before": int(before["measure_progress"].iloc[0]) if len(before) else 0,
            "status": last["measure_status"], "progress": int(last["measure_progress"]),
            "note": note, "editor": reporter(last), "day": last["day"],
            "reports": len(entries)})
    df = pd.DataFrame(rows, columns=columns)
    return df.sort_values(["finding_seq", "seq"], ignore_index=True)


def due_in_month(measures: pd.DataFrame, month: date) -> pd.DataFrame:
    """Open measures whose period ends in `month` (any day of it)."""
    end = pd.to_datetime(measures["period_end"])
    keep = (measures["status"].isin(OPEN_STATUSES) & (end.dt.year == month.year)
            & (end.dt.month == month.month))
    return measures[keep.fillna(False).astype(bool)]


# ---------------------------------------------------------------- the year's results (exports/report.py)

def indicator_progress(measures: pd.DataFrame, findings: pd.DataFrame,
                       official: dict[int, float] | None = None) -> pd.DataFrame:
    """Per indicator with measures or findings: its score, its measures by status, the overdue ones
    and the share done (cancelled ones apart). The score is the official one where `official`
    (indicator_no -> score: a YearOfficial's `indicators`) has it, else the mean of the questions
    reported (indicator_scores); `source` says which (OFFICIAL, MEAN; None without a score)."""
    columns = ["indicator_no", "indicator", "score", "source", "measures", *STATUS_ORDER, "overdue", "done_share"]
    official = official or {}
    scores = indicator_scores(findings).set_index("indicator_no")
    names = dict(zip(findings["indicator_no"], findings["indicator"])) | dict(zip(measures["indicator_no"],
                                                                                  measures["indicator"]))
    rows = []
    for no in sorted(names):
        m = measures[measures["indicator_no"] == no]
        counts = m["status"].value_counts()
        by = {s: int(counts.get(s, 0)) for s in STATUS_ORDER}
        active = len(m) - by["cancelled"]
        score, source = ((float(official[no]), OFFICIAL) if no in official else
                         (float(scores.loc[no, "score"]), MEAN) if no in scores.index else (None, None))
        rows.append({"indicator_no": int(no), "indicator": names[no], "score": score, "source": source,
                     "measures": len(m), **by, "overdue": int(m["overdue"].sum()),
                     "done_share": by["done"] / active if active else 0.0})
    return pd.DataFrame(rows, columns=columns)


def results_lines(measures: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """The year's results, one line per measure, in register order: its status, percent, overdue
    flag, the last note written, who reported last and when. A measure whose responsible divisions
    report on their own (a division's own report in `history`, or their statuses differ) gets one
    line per division instead, each with that division's own status (measures' division_status) and
    its last report (its own, or one for the whole measure, whichever came last). `lines` is how
    many lines the measure has, `first` marks its first."""
    columns = ["measure_id", "finding_seq", "seq", "ref", "title", "division", "status", "progress", "overdue",
               "days_left", "note", "editor", "day", "own", "first", "lines"]
    rows = []
    for m in measures.sort_values(["finding_seq", "seq"]).itertuples(index=False):
        reports = history[history["measure_id"] == m.id]
        states = list(m.division_status)
        own = len(states) > 1 and (bool(reports["division"].notna().any())
                                   or len({(d["status"], int(d["progress"])) for d in states}) > 1)
        ended = not pd.isna(m.days_left) and m.days_left < 0
        lines = [(d["division"], d["status"], int(d["progress"]),
                  reports[reports["division"].isna() | (reports["division"] == d["division"])]) for d in states] \
            if own else [(m.divisions_text, m.status, int(m.progress), reports)]
        for i, (division, status, progress, mine) in enumerate(lines):
            notes = [n for n in mine["note"] if isinstance(n, str) and n.strip()]
            last = mine.iloc[-1] if len(mine) else None
            rows.append({"measure_id": m.id, "finding_seq": m.finding_seq, "seq": m.seq, "ref": m.ref,
                         "title": m.title, "division": division, "status": status, "progress": progress,
                         "overdue": bool(ended and status in OPEN_STATUSES) if own else bool(m.overdue),
                         "days_left": m.days_left, "note": notes[-1] if notes else "",
                         "editor": _text(last["editor"]) if last is not None else "",
                         "day": last["day"] if last is not None else None, "own": own, "first": i == 0,
                         "lines": len(lines)})
    return pd.DataFrame(rows, columns=columns)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


# ---------------------------------------------------------------- a whole year's official scores
# (score sheets: store/scores.py). Official indicator and overall scores are used where the
# chosen year has them ("คะแนนทางการ"); where not, the mean of the reported questions stays, and
# every place that shows a score says which it is (the `source` columns: "official", "mean" of the
# report's questions or of the sheet's, "report" for a question score the report gives).

ORG_SCORE_COLUMNS = ["assessed_year", "indicator_no", "question_code", "score", "score_import_id", "source_file",
                     "imported_at", "imported_by"]
OFFICIAL, MEAN, REPORT = "official", "mean", "report"
SOURCE_TH = {OFFICIAL: "คะแนนทางการ", MEAN: "เฉลี่ยจากข้อคำถาม", REPORT: "คะแนนตามรายงาน"}
UP, DOWN, SAME, MISSING = figures.UP, figures.DOWN, figures.SAME, figures.MISSING
CHANGE_EPSILON = 0.005  # scores have two decimals: a smaller difference is no change


def organization_scores(con, organization_id: int) -> pd.DataFrame:
    """The organization's current official scores, every year it has (store.scores.current_scores)."""
    return pd.DataFrame(store.scores.current_scores(con, organization_id), columns=ORG_SCORE_COLUMNS)


@dataclass(frozen=True)
class YearOfficial:
    """One assessed year's official scores of an organization (empty when it has no score sheet)."""
    year: int
    overall: float | None
    indicators: dict  # indicator_no -> score
    questions: dict  # question_code -> (indicator_no, score)
    source_file: str | None
    imported_at: object

    @property
    def exists(self) -> bool:
        return bool(self.overall is not None or self.indicators or self.questions)


def year_official(scores: pd.DataFrame, year: int) -> YearOfficial:
    rows = scores[scores["assessed_year"] == year]
    overall = rows[(rows["indicator_no"] == 0) & (rows["question_code"] == "")]["score"]
    indicators = rows[(rows["indicator_no"] > 0) & (rows["question_code"] == "")]
    questions = rows[rows["question_code"] != ""]
    return YearOfficial(
        year, float(overall.iloc[0]) if len(overall) else None,
        {int(no): float(s) for no, s in zip(indicators["indicator_no"], indicators["score"])},
        {code: (int(no), float(s)) for code, no, s in zip(questions["question_code"], questions["indicator_no"],
                                                          questions["score"])},
        rows["source_file"].iloc[0] if len(rows) else None, rows["imported_at"].iloc[0] if len(rows) else None)


def indicator_chart_frame(findings: pd.DataFrame, official: YearOfficial | None) -> pd.DataFrame:
    """The score chart's indicator level: the official score of every indicator the year's sheet
    has, and for an indicator without one, the mean of its reported questions; `source` says which,
    and a mean among official scores says so in its label."""
    means = indicator_scores(findings).assign(source=MEAN)
    if official is None or not official.indicators:
        return means
    reported = dict(zip(means["indicator_no"], means["questions"]))
    rows = [{"indicator_no": no, "indicator": framework.INDICATOR_BY_NO[no].name_th,
             "tool": framework.tool_of(no), "score": score, "gap": 100 - score,
             "questions": int(reported.get(no, 0)), "label": f"{no}. {framework.INDICATOR_BY_NO[no].name_th}",
             "source": OFFICIAL} for no, score in sorted(official.indicators.items())]
    rest = means[~means["indicator_no"].isin(official.indicators)].copy()
    rest["label"] = rest["label"] + " (เฉลี่ยข้อในรายงาน)"
    out = pd.concat([pd.DataFrame(rows), rest], ignore_index=True) if len(rest) else pd.DataFrame(rows)
    return out.sort_values("indicator_no", ignore_index=True)


def official_summary(cards: dict, official: YearOfficial | None) -> dict:
    """The executive strip's figures (summary()) with the official overall score and grade of the
    assessed year when its sheet gives one, and its official indicator scores under the pass mark."""
    overall = official.overall if official is not None else None
    return {**cards, "official_overall": overall,
            "official_grade": framework.grade(overall) if overall is not None else None,
            "official_year": official.year if official is not None else None,
            "official_file": official.source_file if official is not None and official.exists else None,
            "official_indicators": len(official.indicators) if official is not None else 0,
            # the official indicator scores under the pass mark, lowest first: (label, score)
            "official_below": tuple(
                (f"{no}. {framework.INDICATOR_BY_NO[no].name_th}", score)
                for no, score in sorted((official.indicators if official is not None else {}).items(),
                                        key=lambda item: item[1]) if score < framework.PASS_MARK)}


IN_REPORT_MARK = "★"


def sheet_question_frame(findings: pd.DataFrame, official: YearOfficial) -> pd.DataFrame:
    """Every question of the year's score sheet, for the score chart: grouped by indicator (its
    name and official score in `group`, the header the chart writes above the group), in the
    framework's order from the top (the chart draws the frame's last row on top, so the frame runs
    from the last question of indicator 10 to the first of indicator 1). `key` is the question
    code (what a click picks); a question the report took up is marked (IN_REPORT_MARK and its row
    number in the label, `in_report`) and carries the report's question text."""
    columns = ["key", "question_code", "indicator_no", "indicator", "tool", "score", "gap", "label", "pick_label",
               "question", "in_report", "finding_seq", "group"]
    reported: dict[str, object] = {}
    for f in findings.itertuples(index=False):
        if f.question_code:
            reported.setdefault(str(f.question_code).lower(), f)
    rows = []
    for code, (no, score) in sorted(official.questions.items(), key=lambda item: (item[1][0], _code_order(item[0]))):
        name = framework.INDICATOR_BY_NO[no].name_th
        f = reported.get(code)
        mark = f" {IN_REPORT_MARK} ประเด็นที่ {f.seq} ในรายงาน" if f is not None else ""
        indicator_score = official.indicators.get(no)
        rows.append({"key": code, "question_code": code, "indicator_no": no, "indicator": name,
                     "tool": framework.tool_of(no), "score": score, "gap": 100 - score, "label": code + mark,
                     "pick_label": f"{code} ({no}. {name})" + mark, "question": f.question if f is not None else "",
                     "in_report": f is not None, "finding_seq": int(f.seq) if f is not None else None,
                     "group": f"ตัวชี้วัดที่ {no} {name}" + (f" · คะแนนทางการ {indicator_score:.2f}"
                                                           if indicator_score is not None else "")})
    return pd.DataFrame(rows[::-1], columns=columns)


def sheet_question_chart(findings: pd.DataFrame, official: YearOfficial) -> ScoreChart:
    """The score chart of every question of the year's sheet (sheet_question_frame), picked by code."""
    frame = sheet_question_frame(findings, official)
    return ScoreChart(frame, figures.score_gap_figure(frame), "question_code", tuple(frame["key"][::-1]),
                      dict(zip(frame["key"], frame["pick_label"])))


def official_scores_data(data: AssessmentData, scores: pd.DataFrame, assessed_year: int) -> ScoresData:
    """The scores page with the official scores of the assessed year where they exist."""
    official = year_official(scores, assessed_year)
    official = official if official.exists else None
    charts = {"question": score_chart(data.findings, "question")}
    frame = indicator_chart_frame(data.findings, official)
    frame = frame.sort_values(["gap", "label"], ascending=[True, False], ignore_index=True)
    charts["indicator"] = ScoreChart(frame, figures.score_gap_figure(frame), "indicator_no",
                                     tuple(int(v) for v in frame.sort_values("indicator_no")["indicator_no"]),
                                     dict(zip(frame["indicator_no"], frame["label"])))
    if official is not None and official.questions:
        charts["sheet"] = sheet_question_chart(data.findings, official)
    return ScoresData(official_summary(summary(data.findings, data.measures), official), charts, official)


# ---------------------------------------------------------------- did the measures work (year N -> N+1)

def _direction(before, after) -> str:
    if before is None or after is None or pd.isna(before) or pd.isna(after):
        return MISSING
    if after - before > CHANGE_EPSILON:
        return UP
    if before - after > CHANGE_EPSILON:
        return DOWN
    return SAME


def _measure_summary(rows: pd.DataFrame) -> tuple[int, int, list[str]]:
    """(measures not cancelled, done, one line per measure: "1.2 title [status]")."""
    active = rows[rows["status"] != "cancelled"]
    lines = []
    for m in rows.itertuples(index=False):
        state = framework.STATUS_TH[m.status] + (f" {int(m.progress)}%" if m.status == "in_progress" else "")
        lines.append(f"{m.ref} {m.title} [{state}]")
    return len(active), int((active["status"] == "done").sum()), lines


CHANGE_COLUMNS = ["key", "indicator_no", "indicator", "question_code", "label", "question", "in_plan", "before",
                  "before_source", "after", "after_source", "change", "direction", "measures", "done",
                  "measure_lines"]


def _code_order(code: str) -> tuple:
    return (code[:1], int(code[1:]) if code[1:].isdigit() else 0, code)


def question_change_frame(findings: pd.DataFrame, measures: pd.DataFrame, before: YearOfficial,
                          after: YearOfficial) -> pd.DataFrame:
    """Per question: its score in the plan's assessed year N (the sheet's, else the report's) and in
    N+1 (the sheet's), the change and its direction, and the plan's measures for it (a finding's
    question code ties its measures to the question). Every question either year has, or the plan
    names. Order: the questions that fell first (the most fallen first), then the plan's, then the
    rest, each in the framework's order."""
    reported = {}
    for f in findings.itertuples(index=False):
        if f.question_code:
            reported.setdefault(f.question_code, f)
    codes = set(before.questions) | set(after.questions) | set(reported)
    rows = []
    for code in sorted(codes, key=_code_order):
        f = reported.get(code)
        no = (before.questions.get(code) or after.questions.get(code) or (f.indicator_no, None))[0]
        if code in before.questions:
            b, b_source = before.questions[code][1], OFFICIAL
        elif f is not None and f.score == f.score:
            b, b_source = float(f.score), REPORT
        else:
            b, b_source = None, None
        a = after.questions[code][1] if code in after.questions else None
        ms = measures[measures["question_code"] == code] if f is not None else measures.iloc[0:0]
        total, done, lines = _measure_summary(ms)
        rows.append({"key": code, "indicator_no": int(no), "indicator": framework.INDICATOR_BY_NO[int(no)].name_th,
                     "question_code": code, "label": f"{code} {framework.INDICATOR_BY_NO[int(no)].name_th}",
                     "question": f.question if f is not None else "", "in_plan": f is not None,
                     "before": b, "before_source": b_source, "after": a, "after_source": OFFICIAL if a is not None else None,
                     "change": None if b is None or a is None else round(a - b, 4),
                     "direction": _direction(b, a), "measures": total, "done": done, "measure_lines": tuple(lines)})
    return _change_order(pd.DataFrame(rows, columns=CHANGE_COLUMNS))


def indicator_change_frame(findings: pd.DataFrame, measures: pd.DataFrame, before: YearOfficial,
                           after: YearOfficial) -> pd.DataFrame:
    """Per indicator: N's score (official, else the mean of N's sheet questions, else of the report's
    questions) and N+1's (official, else the mean of its sheet questions), the change, and the
    plan's measures for the indicator's questions."""
    def mean_of(year: YearOfficial, no: int):
        values = [s for n, s in year.questions.values() if n == no]
        return sum(values) / len(values) if values else None

    reported = indicator_scores(findings)
    reported_mean = dict(zip(reported["indicator_no"], reported["score"]))
    numbers = set(before.indicators) | set(after.indicators) | set(reported_mean) \
        | {n for n, _ in before.questions.values()} | {n for n, _ in after.questions.values()}
    rows = []
    for no in sorted(numbers):
        if no in before.indicators:
            b, b_source = before.indicators[no], OFFICIAL
        elif mean_of(before, no) is not None:
            b, b_source = mean_of(before, no), MEAN
        elif no in reported_mean:
            b, b_source = float(reported_mean[no]), REPORT
        else:
            b, b_source = None, None
        if no in after.indicators:
            a, a_source = after.indicators[no], OFFICIAL
        elif mean_of(after, no) is not None:
            a, a_source = mean_of(after, no), MEAN
        else:
            a, a_source = None, None
        total, done, lines = _measure_summary(measures[measures["indicator_no"] == no])
        name = framework.INDICATOR_BY_NO[no].name_th
        rows.append({"key": no, "indicator_no": no, "indicator": name, "question_code": "", "label": f"{no}. {name}",
                     "question": "", "in_plan": bool((findings["indicator_no"] == no).any()),
                     "before": b, "before_source": b_source, "after": a, "after_source": a_source,
                     "change": None if b is None or a is None else round(a - b, 4), "direction": _direction(b, a),
                     "measures": total, "done": done, "measure_lines": tuple(lines)})
    return _change_order(pd.DataFrame(rows, columns=CHANGE_COLUMNS))


def _change_order(df: pd.DataFrame) -> pd.DataFrame:
    fell = df["direction"] == DOWN
    rank = [0 if f else 1 if p else 2 for f, p in zip(fell, df["in_plan"])]
    df = df.assign(_rank=rank, _change=df["change"].where(fell, 0.0).astype(float),
                   _pos=range(len(df)))
    return df.sort_values(["_rank", "_change", "_pos"], ignore_index=True).drop(columns=["_rank", "_change", "_pos"])


def change_counts(frame: pd.DataFrame) -> dict:
    """Rows that went up, down, stayed, or lack a year."""
    return {d: int((frame["direction"] == d).sum()) for d in (UP, DOWN, SAME, MISSING)}


def change_shown(frame: pd.DataFrame, scope: str) -> pd.DataFrame:
    """The rows a change chart shows: "plan" (the plan's questions and any that fell) or "all"."""
    if scope == "all":
        return frame
    return frame[frame["in_plan"] | (frame["direction"] == DOWN)].reset_index(drop=True)


def change_sheet(frame: pd.DataFrame, year_before: int, year_after: int) -> pd.DataFrame:
    """change_table for a spreadsheet: the scores and the change as numbers, where each score comes
    from, and the measures one per line."""
    table = change_table(frame, year_before, year_after)
    table[f"ปี {year_before}"] = [None if pd.isna(v) else float(v) for v in frame["before"]]
    table[f"ปี {year_after}"] = [None if pd.isna(v) else float(v) for v in frame["after"]]
    table["เปลี่ยนแปลง"] = [None if c is None or pd.isna(c) else round(float(c), 2) for c in frame["change"]]
    table.insert(4, "ทิศทาง", [figures.CHANGE_TH.get(d, "ไม่มีคะแนนทั้งสองปี") for d in frame["direction"]])
    table[f"ที่มาของคะแนนปี {year_before}"] = [SOURCE_TH.get(s, "") for s in frame["before_source"]]
    table[f"ที่มาของคะแนนปี {year_after}"] = [SOURCE_TH.get(s, "") for s in frame["after_source"]]
    return table


def change_table(frame: pd.DataFrame, year_before: int, year_after: int) -> pd.DataFrame:
    """The year-over-year rows as the page, the register export and the deck list them: the question
    code (or the indicator), both years' scores (a score that is not official says where it comes
    from), the change, the plan's measures done of all (not counting cancelled ones) and their list."""
    def score(value, source) -> str:
        if value is None or pd.isna(value):
            return "-"
        return f"{value:.2f}" + ("" if source == OFFICIAL else f" ({SOURCE_TH[source]})")

    def change(row) -> str:
        if row.direction == MISSING:
            return "-"
        return figures.change_text(row.direction, row.change)

    questions = bool(len(frame)) and (frame["question_code"] != "").all()
    table = pd.DataFrame({
        "ข้อ": list(frame["question_code"] if questions else frame["label"]),
        f"ปี {year_before}": [score(v, s) for v, s in zip(frame["before"], frame["before_source"])],
        f"ปี {year_after}": [score(v, s) for v, s in zip(frame["after"], frame["after_source"])],
        "เปลี่ยนแปลง": [change(r) for r in frame.itertuples(index=False)],
        "มาตรการเสร็จ": [f"{d}/{m}" if m else ("ไม่มีในแผน" if not p else "-")
                         for d, m, p in zip(frame["done"], frame["measures"], frame["in_plan"])],
        "ตัวชี้วัด": [f"{n}. {name}" for n, name in zip(frame["indicator_no"], frame["indicator"])],
        "มาตรการ": ["\n".join(lines) for lines in frame["measure_lines"]],
    }, columns=["ข้อ", f"ปี {year_before}", f"ปี {year_after}", "เปลี่ยนแปลง", "มาตรการเสร็จ", "ตัวชี้วัด", "มาตรการ"])
    # the years and the change first, where a phone shows them; the indicator's name once
    return table if questions else table.drop(columns="ตัวชี้วัด")


def trend_frame(scores: pd.DataFrame) -> pd.DataFrame:
    """The agency's scores over every year it has a sheet for, long: series_no (0 = overall ITA,
    1-10 the indicators), series (its label), assessed_year, score, source (official, or the mean of
    the year's questions when the sheet gives no indicator score)."""
    columns = ["series_no", "series", "assessed_year", "score", "source"]
    rows = []
    for year in sorted(scores["assessed_year"].unique()):
        y = year_official(scores, int(year))
        if y.overall is not None:
            rows.append({"series_no": 0, "series": "คะแนน ITA รวม", "assessed_year": int(year), "score": y.overall,
                         "source": OFFICIAL})
        for no in framework.INDICATOR_BY_NO:
            values = [s for n, s in y.questions.values() if n == no]
            if no in y.indicators:
                score, source = y.indicators[no], OFFICIAL
            elif values:
                score, source = sum(values) / len(values), MEAN
            else:
                continue
            rows.append({"series_no": no, "series": f"{no}. {framework.INDICATOR_BY_NO[no].name_th}",
                         "assessed_year": int(year), "score": score, "source": source})
    return pd.DataFrame(rows, columns=columns)


def trend_table(trend: pd.DataFrame) -> pd.DataFrame:
    """The trend as a table: one row per series (overall first), one column per year."""
    if trend.empty:
        return pd.DataFrame()
    marked = trend.assign(text=[f"{s:.2f}" + ("" if src == OFFICIAL else " *") for s, src in
                                zip(trend["score"], trend["source"])])
    table = marked.pivot_table(index=["series_no", "series"], columns="assessed_year", values="text",
                               aggfunc="first").reset_index().drop(columns="series_no")
    table.columns = ["คะแนน"] + [f"ปี {c}" for c in table.columns[1:]]
    return table.fillna("-")


@dataclass(frozen=True, eq=False)
class ScoreChangeData:
    """The year-over-year view of an assessment: the plan's assessed year N against N+1."""
    year_before: int
    year_after: int
    before: YearOfficial
    after: YearOfficial
    questions: pd.DataFrame  # question_change_frame
    indicators: pd.DataFrame  # indicator_change_frame
    overall_before: float | None  # official overall scores
    overall_after: float | None
    counts: dict  # change_counts of the questions (every question)
    plan_counts: dict  # change_counts of the plan's questions
    measures_done: int  # the plan's measures, cancelled ones apart
    measures_active: int
    figures: dict  # (level, scope) -> go.Figure; level "question"/"indicator", scope "plan"/"all"
    trend: pd.DataFrame  # trend_frame: every year the organization has
    tables: dict  # (level, scope) -> change_table as an Arrow table (the page's, converted once)
    trend_table: object  # trend_table(trend), as an Arrow table

    @property
    def has_after(self) -> bool:
        return self.after.exists

    @property
    def fallen(self) -> pd.DataFrame:
        return self.questions[self.questions["direction"] == DOWN]


def score_change_data(data: AssessmentData, scores: pd.DataFrame, assessed_year: int, *,
                      with_figures: bool = True) -> ScoreChangeData:
    """The year-over-year view (the page's figures too, unless with_figures is False: the deck
    draws its own at slide size)."""
    before, after = year_official(scores, assessed_year), year_official(scores, assessed_year + 1)
    questions = question_change_frame(data.findings, data.measures, before, after)
    indicators = indicator_change_frame(data.findings, data.measures, before, after)
    figs, tables = {}, {}
    for level, frame in (("question", questions), ("indicator", indicators)) if with_figures else ():
        for scope in ("plan", "all"):
            shown = change_shown(frame, scope) if level == "question" else frame
            figs[(level, scope)] = figures.score_change_figure(shown, assessed_year, assessed_year + 1)
            tables[(level, scope)] = _arrow(change_table(shown, assessed_year, assessed_year + 1))
    active = data.measures[data.measures["status"] != "cancelled"]
    trend = trend_frame(scores)
    return ScoreChangeData(assessed_year, assessed_year + 1, before, after, questions, indicators, before.overall,
                           after.overall, change_counts(questions), change_counts(questions[questions["in_plan"]]),
                           int((active["status"] == "done").sum()), len(active), figs, trend, tables,
                           _arrow(trend_table(trend)))


def _arrow(frame: pd.DataFrame):
    """A table the page shows on every rerun, converted to Arrow once (st.dataframe takes it as is;
    a DataFrame it would convert again on each run)."""
    import pyarrow as pa
    return pa.Table.from_pandas(frame, preserve_index=False)


# ---------------------------------------------------------------- score sheets on the Data page

def score_plans_frame(plans) -> pd.DataFrame:
    """What importing a score sheet will do (store.scores.plan_scores), one row per organization and
    year: what it holds, and whether it is new or replaces (with what changes)."""
    def change(plan) -> str:
        if not plan.replaced:
            return "ใหม่"
        counts = plan.counts()
        return (f"แทนที่ไฟล์ {plan.previous['source_file']}: เปลี่ยน {counts['changed']}, เพิ่ม {counts['added']}, "
                f"ไม่มีในแผ่นใหม่ {counts['removed']}")
    return pd.DataFrame({
        "หน่วยงาน": [p.organization for p in plans],
        "จังหวัด": [p.scores.province or "" for p in plans],
        "ปีที่ประเมิน": [p.scores.assessed_year for p in plans],
        "คะแนน (แถว)": [len(p.scores.rows) for p in plans],
        "ITA รวม": [p.scores.overall for p in plans],
        "ตัวชี้วัด": [len(p.scores.indicators) for p in plans],
        "ข้อคำถาม": [len(p.scores.questions) for p in plans],
        "หน่วยงานในฐานข้อมูล": ["ใหม่" if p.organization_id is None else "มีอยู่แล้ว" for p in plans],
        "การนำเข้า": [change(p) for p in plans],
    }, columns=["หน่วยงาน", "จังหวัด", "ปีที่ประเมิน", "คะแนน (แถว)", "ITA รวม", "ตัวชี้วัด", "ข้อคำถาม",
                "หน่วยงานในฐานข้อมูล", "การนำเข้า"])


def score_plan_changes_frame(plans) -> pd.DataFrame:
    """Every score a re-import changes, adds or leaves out: organization, year, what, before, after."""
    rows = [{"หน่วยงาน": p.organization, "ปีที่ประเมิน": p.scores.assessed_year, "คะแนน": c.label,
             "เดิม": c.old, "ใหม่": c.new, "การเปลี่ยนแปลง": store.scores.CHANGE_TH[c.kind]}
            for p in plans for c in p.changes if c.kind != store.scores.SAME]
    return pd.DataFrame(rows, columns=["หน่วยงาน", "ปีที่ประเมิน", "คะแนน", "เดิม", "ใหม่", "การเปลี่ยนแปลง"])


def score_imports_frame(items: list[dict]) -> pd.DataFrame:
    """Score sheets imported (store.scores.score_imports rows), newest first, as the Data page lists them."""
    items = list(reversed(items))
    return pd.DataFrame({
        "หน่วยงาน": [i["organization"] for i in items],
        "ปีที่ประเมิน": [i["assessed_year"] for i in items],
        "คะแนน (แถว)": [i["scores"] for i in items],
        "ไฟล์": [i["source_file"] for i in items],
        "นำเข้าเมื่อ": [thai_datetime(i["imported_at"]) for i in items],
        "ผู้นำเข้า": [i["imported_by"] or "" for i in items],
        "ใช้อยู่": ["ใช้อยู่" if i["current"] else "ถูกแทนที่ (เก็บเป็นประวัติ)" for i in items],
    }, columns=["หน่วยงาน", "ปีที่ประเมิน", "คะแนน (แถว)", "ไฟล์", "นำเข้าเมื่อ", "ผู้นำเข้า", "ใช้อยู่"])


# ---------------------------------------------------------------- accounts and the audit log

USER_STATE_TH = {"active": "ใช้งานได้", "disabled": "ปิดใช้งาน", "locked": "ถูกล็อกชั่วคราว"}


def users_frame(rows: list[dict]) -> pd.DataFrame:
    """The accounts (store.users.list_users) as the Users page lists them (never a hash)."""
    from .store.users import ROLE_TH
    return pd.DataFrame({
        "ชื่อผู้ใช้": [u["name"] for u in rows],
        "ชื่อที่แสดง": [u["display_name"] or u["name"] for u in rows],
        "บทบาท": [ROLE_TH[u["role"]] for u in rows],
        "หน่วยงาน": [", ".join(u["divisions"]) for u in rows],
        "องค์กร": [", ".join(u.get("organizations", [])) or ("ไม่ได้กำหนด" if u["role"] == "editor" else "")
                   for u in rows],
        "สถานะ": [USER_STATE_TH[u["state"]] for u in rows],
        "สร้างเมื่อ": [thai_datetime(u["created_at"]) for u in rows],
    }, columns=["ชื่อผู้ใช้", "ชื่อที่แสดง", "บทบาท", "หน่วยงาน", "องค์กร", "สถานะ", "สร้างเมื่อ"])


AUDIT_COLUMNS = ["เวลา", "ผู้ใช้", "ชื่อที่แสดง", "การกระทำ", "หน่วยงาน", "รายการ", "รายละเอียด"]


def audit_frame(rows: list[dict]) -> pd.DataFrame:
    """Audit rows (store.audit.entries), newest first, in Thai time and Thai words."""
    from .store.audit import ACTION_TH
    return pd.DataFrame({
        "เวลา": [thai_datetime(r["done_at"]) for r in rows],
        "ผู้ใช้": [r["user_name"] for r in rows],
        "ชื่อที่แสดง": [r["display_name"] for r in rows],
        "การกระทำ": [ACTION_TH.get(r["action"], r["action"]) for r in rows],
        "หน่วยงาน": [r["organization"] or "" for r in rows],
        "รายการ": [r["target"] or "" for r in rows],
        "รายละเอียด": [r["detail"] or "" for r in rows],
    }, columns=AUDIT_COLUMNS)
