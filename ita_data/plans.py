"""The next fiscal year's plan: drafted from a year's official scores and the plan before it.

An agency whose plan for fiscal year N ran on the ITA of year N-1 gets the ITA of year N in August and
writes its plan for fiscal year N+1. `draft_next_plan` proposes it: a finding for every question under
the threshold the person sets (the weakest ten by default, or every question under a score), with the
score of year N beside the year before, a draft analysis, the old plan's divisions for that question,
and the whole fiscal year as the period; and every measure of the old plan not done and not cancelled,
carried over to the new finding of its question (a finding is drafted for it when its question is not
among the weak ones). The person edits the rows and the carried measures in the app; `build_report`
reads the edited rows with the report importer's own cell readers (importers.rows), so a drafted plan
is checked and warned about exactly like an imported one, and `store.start_plan` saves it with the
carried measures linked to the ones they came from. Nothing of the old plan changes.

DataFrames in (views' frames of the old plan, the scores), plain rows out; no Streamlit, no SQL."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import framework
from .importers.fields import split_items
from .importers.records import Report
from .importers.rows import build_finding, make_report
from .thai import fiscal_year_range, thai_date

WEAKEST = "weakest"
BELOW = "below"
DEFAULT_COUNT = 10
DEFAULT_BELOW = 95.0

# the drafted rows, as the page's editor shows them (Thai headers are the page's)
ROW_COLUMNS = ["include", "question_code", "indicator_no", "score", "previous", "question", "analysis",
               "measures", "rationale", "steps", "period", "divisions"]
CARRY_COLUMNS = ["include", "from_measure_id", "ref", "title", "status", "progress", "question_code"]


@dataclass(frozen=True, eq=False)
class Draft:
    """A proposed plan: its years, one row per finding (ROW_COLUMNS) and the measures carried over
    (CARRY_COLUMNS), and what the draft had to leave out or guess (notes, in Thai)."""
    assessed_year: int  # the ITA year whose scores the findings come from (N)
    plan_year: int  # the fiscal year of the new plan (N + 1)
    rows: pd.DataFrame
    carried: pd.DataFrame
    notes: tuple[str, ...] = ()


def pick_questions(scores: pd.DataFrame, rule: str = WEAKEST, *, count: int = DEFAULT_COUNT,
                   below: float = DEFAULT_BELOW) -> pd.DataFrame:
    """The questions the plan takes up: the `count` lowest scores (ties at the cut kept), or every
    score under `below`. `scores`: one row per question (question_code, indicator_no, score)."""
    questions = scores[scores["question_code"].astype(bool)].sort_values(["score", "question_code"])
    if rule == BELOW:
        return questions[questions["score"] < below].reset_index(drop=True)
    if rule != WEAKEST:
        raise ValueError(f"เกณฑ์ {rule!r} ไม่รู้จัก")
    if count < 1 or questions.empty:
        return questions.iloc[0:0]
    cut = questions["score"].iloc[min(count, len(questions)) - 1]
    return questions[questions["score"] <= cut].reset_index(drop=True)


def _lines(items) -> str:
    return "\n".join(f"{i}. {text}" for i, text in enumerate(items, start=1))


def draft_next_plan(findings: pd.DataFrame, measures: pd.DataFrame, scores: pd.DataFrame,
                    previous_scores: pd.DataFrame | None, *, plan_year: int, rule: str = WEAKEST,
                    count: int = DEFAULT_COUNT, below: float = DEFAULT_BELOW) -> Draft:
    """The draft of the plan for fiscal year `plan_year` + 1 from the scores of ITA year `plan_year`
    (`scores`: question_code, indicator_no, score; `previous_scores` the same for the year before,
    or None) and the plan of fiscal year `plan_year` (`findings`, `measures`: views' frames)."""
    assessed, new_plan = plan_year, plan_year + 1
    start, end = fiscal_year_range(new_plan)
    whole_year = f"{thai_date(start)} - {thai_date(end)}"
    old_by_code = {str(c).lower(): f for c, f in zip(findings["question_code"], findings.itertuples())
                   if isinstance(c, str) and c}
    score_of = {str(c).lower(): float(s) for c, s in zip(scores["question_code"], scores["score"]) if c}
    before = {} if previous_scores is None else \
        {str(c).lower(): float(s) for c, s in zip(previous_scores["question_code"], previous_scores["score"]) if c}
    indicator_of = {str(c).lower(): int(n) for c, n in zip(scores["question_code"], scores["indicator_no"]) if c}
    notes: list[str] = []

    open_measures = measures[measures["status"].isin(("not_started", "in_progress"))]
    carried_codes = [str(c).lower() for c in open_measures["question_code"] if isinstance(c, str) and c]
    picked = [str(c).lower() for c in pick_questions(scores, rule, count=count, below=below)["question_code"]]
    codes = picked + [c for c in dict.fromkeys(carried_codes) if c not in picked]

    rows, unknown = [], []  # unknown: questions new to the plan, without text or divisions yet
    for code in codes:
        old = old_by_code.get(code)
        score = score_of.get(code)
        indicator_no = indicator_of.get(code) or (int(old.indicator_no) if old is not None else None)
        if indicator_no is None:
            notes.append(f"ข้อ {code} ของมาตรการที่ยกมาไม่มีในคะแนนปี {assessed} และไม่รู้ตัวชี้วัด: ไม่ได้ร่างแถวให้")
            continue
        previous = before.get(code, float(old.score) if old is not None and pd.notna(old.score) else None)
        rows.append({
            "include": code in picked or code in carried_codes,
            "question_code": code, "indicator_no": indicator_no, "score": score, "previous": previous,
            "question": old.question if old is not None else "",
            "analysis": _analysis(code, score, previous, assessed),
            "measures": "", "rationale": "",
            "steps": _lines(old.steps) if old is not None and len(old.steps) else "",
            "period": whole_year,
            "divisions": " ".join(old.divisions) if old is not None else "",
        })
        if old is None and code in picked:
            unknown.append(code)
    if unknown:
        notes.append(f"ข้อ {', '.join(unknown)} ไม่มีในแผนปี {plan_year} จึงยังไม่มีข้อความข้อคำถามและผู้รับผิดชอบ: "
                     f"กรอกเพิ่มในตาราง")
    frame = pd.DataFrame(rows, columns=ROW_COLUMNS)
    frame[["score", "previous"]] = frame[["score", "previous"]].astype(float)  # a missing score: NaN, shown blank
    carried = pd.DataFrame([{
        "include": True, "from_measure_id": int(m.id), "ref": m.ref, "title": m.title, "status": m.status,
        "progress": int(m.progress), "question_code": str(m.question_code).lower() if m.question_code else "",
    } for m in open_measures.itertuples()], columns=CARRY_COLUMNS)
    return Draft(assessed, new_plan, frame, carried, tuple(notes))


def _analysis(code: str, score: float | None, previous: float | None, year: int) -> str:
    if score is None:
        return f"ข้อ {code} ไม่มีคะแนนในผลการประเมินปี {year}: ยกมาเพราะมีมาตรการที่ยังไม่เสร็จ"
    text = f"ผลการประเมินปี {year} ข้อ {code} ได้ {score:.2f} คะแนน"
    if previous is not None:
        change = score - previous
        how = "เพิ่มขึ้น" if change > 0 else "ลดลง" if change < 0 else "เท่าเดิม"
        text += f" ({how}จากปี {year - 1} ที่ได้ {previous:.2f}" + (f" {abs(change):.2f} คะแนน)" if change else ")")
    if score < framework.PASS_MARK:
        text += f" ต่ำกว่าเกณฑ์ผ่าน {framework.PASS_MARK:g}"
    return text


def build_report(draft: Draft, rows: pd.DataFrame, carried: pd.DataFrame, *, organization: str,
                 district: str | None, province: str | None, agency_code: str | None = None,
                 source: str | None = None) -> tuple[Report, dict[tuple[int, int], int]]:
    """The new plan as a Report, from the rows and carried measures as the person left them, read
    by the importer's own cell readers (ReportError names the row and column of a cell that cannot be
    read). Returns the report and, for each carried measure, (finding seq, measure position) -> the
    measure it came from. Each row's measures are its carried ones first, then the rows' own."""
    source = source or f"แผนปีงบประมาณ {draft.plan_year} (ร่างจากผลการประเมินปี {draft.assessed_year})"
    kept = rows[rows["include"].astype(bool)].reset_index(drop=True)
    carried = carried[carried["include"].astype(bool)]
    findings, labels, links = [], [], {}
    for position, row in enumerate(kept.itertuples(), start=1):
        mine = carried[carried["question_code"].str.lower() == str(row.question_code).lower()]
        own = split_items(str(row.measures or "").splitlines())  # "1. ...", "-" or plain lines
        items = [str(t) for t in mine["title"]] + own
        indicator = framework.INDICATOR_BY_NO[int(row.indicator_no)].name_th
        label = f"แถว {position}"
        cells = {"indicator": f"{position}. {indicator}", "question": str(row.question or ""),
                 "analysis": str(row.analysis or ""), "measures": _lines(items), "rationale": str(row.rationale or ""),
                 "steps": str(row.steps or ""), "period": str(row.period or ""), "divisions": str(row.divisions or "")}
        score = None if row.score is None or pd.isna(row.score) else float(row.score)
        finding = build_finding(cells, position, draft.assessed_year, draft.plan_year, source, label,
                                score=score, question_code=str(row.question_code))
        findings.append(finding)
        labels.append(label)
        for i, measure_id in enumerate(mine["from_measure_id"], start=1):
            links[(position, i)] = int(measure_id)
    lost = set(carried["question_code"].str.lower()) - {str(c).lower() for c in kept["question_code"]}
    if lost:
        from .importers.records import ReportError
        raise ReportError(source, f"มาตรการที่ยกมาของข้อ {', '.join(sorted(lost))} ไม่มีแถวในแผนใหม่: "
                                  f"เลือกแถวของข้อนั้น หรือไม่ยกมาตรการนั้นมา")
    titles = {"organization": organization, "district": district, "province": province,
              "assessed_year": draft.assessed_year, "plan_year": draft.plan_year, "agency_code": agency_code}
    return make_report(titles, findings, source, labels), links
