"""The ITA itself, as data: indicators, tools, question-code ranges per framework year, grades,
pass mark and overall-score weights. See shared/ITA.md for which facts are verified."""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Indicator:
    no: int
    name_th: str
    name_en: str
    tool: str  # IIT, EIT or OIT


INDICATORS: tuple[Indicator, ...] = (
    Indicator(1, "การปฏิบัติหน้าที่", "Performance of duty", "IIT"),
    Indicator(2, "การใช้งบประมาณ", "Use of budget", "IIT"),
    Indicator(3, "การใช้อำนาจ", "Use of authority", "IIT"),
    Indicator(4, "การใช้ทรัพย์สินของราชการ", "Use of government property", "IIT"),
    Indicator(5, "การแก้ไขปัญหาการทุจริต", "Anti-corruption problem solving", "IIT"),
    Indicator(6, "คุณภาพการดำเนินงาน", "Quality of operations", "EIT"),
    Indicator(7, "ประสิทธิภาพการสื่อสาร", "Communication efficiency", "EIT"),
    Indicator(8, "การปรับปรุงระบบการทำงาน", "Work-system improvement", "EIT"),
    Indicator(9, "การเปิดเผยข้อมูล", "Open data / disclosure", "OIT"),
    Indicator(10, "การป้องกันการทุจริต", "Corruption prevention", "OIT"),
)
INDICATOR_BY_NO = {ind.no: ind for ind in INDICATORS}

# spellings seen in reports, besides the canonical name (compared with spaces removed)
INDICATOR_ALIASES: dict[int, tuple[str, ...]] = {
    3: ("การใช้อำนาจหน้าที่",),
    4: ("การใช้ทรัพย์สินราชการ", "การใช้ทรัพย์สินของทางราชการ"),
    5: ("การแก้ปัญหาการทุจริต",),
    8: ("การปรับปรุงการทำงาน", "การปรับปรุงทำงาน", "การปรับปรุงระบบการทำงาน"),
    9: ("การเปิดเผยข้อมูลสาธารณะ",),
}

TOOLS = {"IIT": "i", "EIT": "e", "OIT": "o"}
TOOL_NAMES_TH = {
    "IIT": "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน",
    "EIT": "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก",
    "OIT": "แบบตรวจการเปิดเผยข้อมูลสาธารณะ",
}


@dataclass(frozen=True)
class QuestionRange:
    first_year: int  # BE assessment years the range applies to, inclusive
    last_year: int
    letter: str  # i, e or o
    low: int
    high: int
    indicator_no: int


# Question-code ranges per framework. 2567-2569: fitted on the seed, three per indicator [U];
# o-items of that framework belong to 9 or 10 by the row's indicator name, so no range is given.
# 2563-2566: i1-i30 (six per indicator), e1-e15 (five per indicator), o1-o33 / o34-o43 [U].
QUESTION_RANGES: tuple[QuestionRange, ...] = (
    *(QuestionRange(2567, 2569, "i", 3 * k + 1, 3 * k + 3, k + 1) for k in range(5)),
    *(QuestionRange(2567, 2569, "e", 3 * k + 1, 3 * k + 3, k + 6) for k in range(3)),
    *(QuestionRange(2563, 2566, "i", 6 * k + 1, 6 * k + 6, k + 1) for k in range(5)),
    *(QuestionRange(2563, 2566, "e", 5 * k + 1, 5 * k + 5, k + 6) for k in range(3)),
    QuestionRange(2563, 2566, "o", 1, 33, 9),
    QuestionRange(2563, 2566, "o", 34, 43, 10),
)

# Question sets known per tool only, where no range per indicator is given: the o-items of 2567-2569,
# o1-o22 (the score sheets seen so far [U]), belong to 9 or 10 by the row's indicator name.
# (first year, last year, letter, low, high)
TOOL_QUESTION_SETS: tuple[tuple[int, int, str, int, int], ...] = ((2567, 2569, "o", 1, 22),)

PASS_MARK = 85.0

# (grade, lowest score) from the top; below the last band is F
GRADE_BANDS: tuple[tuple[str, float], ...] = (
    ("AA", 95.0), ("A", 85.0), ("B", 75.0), ("C", 65.0), ("D", 55.0), ("E", 50.0), ("F", 0.0),
)

# overall ITA = sum of weight x mean(indicators of the tool)
OVERALL_WEIGHTS = {"IIT": 0.3, "EIT": 0.3, "OIT": 0.4}

STATUSES = ("not_started", "in_progress", "done", "cancelled")
STATUS_TH = {
    "not_started": "ยังไม่เริ่ม",
    "in_progress": "กำลังดำเนินการ",
    "done": "เสร็จแล้ว",
    "cancelled": "ยกเลิก",
}


IN_PROGRESS_MAX = 95  # the report form's percent while in progress: 100% is "done"


def progress_for(status: str, reached: int) -> int:
    """The percent a report of `status` states when nobody picks one, from the percent `reached`
    so far: done 100, not started 0, a cancelled measure what it reached, in progress what it reached
    (at most IN_PROGRESS_MAX: 100% would be done)."""
    if status == "done":
        return 100
    if status == "not_started":
        return 0
    if status == "in_progress":
        return min(reached, IN_PROGRESS_MAX)
    return reached


def agreeing_progress(status: str, progress: int) -> int:
    """The percent a report of `status` stands at: "done" is 100; "not started" must be 0 and
    "in progress" under 100 (a status and a percent that disagree are refused: ValueError, in Thai).
    A cancelled measure keeps the percent it reached."""
    if status == "done":
        return 100
    if status == "not_started" and progress != 0:
        raise ValueError(f"สถานะ {STATUS_TH[status]} ต้องมีความคืบหน้า 0% (ได้ {progress}%): "
                         f"เลือกสถานะ {STATUS_TH['in_progress']} เมื่อเริ่มดำเนินการแล้ว")
    if status == "in_progress" and progress >= 100:
        raise ValueError(f"ความคืบหน้า 100% คือ {STATUS_TH['done']}: เลือกสถานะ {STATUS_TH['done']}")
    return progress


def combined_status(states: list[tuple[str, int]]) -> tuple[str, int]:
    """A shared measure's own status and percent from its divisions' (status, percent): done when
    every division still on it is done, cancelled when every division cancelled it, not started
    while none has started, otherwise in progress at the mean percent of the divisions still on it
    (cancelled ones set aside)."""
    if not states:
        return "not_started", 0
    active = [(s, p) for s, p in states if s != "cancelled"]
    if not active:
        return "cancelled", round(sum(p for _, p in states) / len(states))
    if all(s == "done" for s, _ in active):
        return "done", 100
    if all(s == "not_started" for s, _ in active):
        return "not_started", 0
    return "in_progress", min(99, round(sum(p for _, p in active) / len(active)))


def grade(score: float | None) -> str | None:
    if score is None:
        return None
    for name, low in GRADE_BANDS:
        if score >= low:
            return name
    return "F"


def tool_of(indicator_no: int) -> str:
    return INDICATOR_BY_NO[indicator_no].tool


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


_NAME_KEYS: dict[str, int] = {}
for _ind in INDICATORS:
    _NAME_KEYS[_squash(_ind.name_th)] = _ind.no
    for _alias in INDICATOR_ALIASES.get(_ind.no, ()):
        _NAME_KEYS[_squash(_alias)] = _ind.no


def match_indicator(name: str) -> int | None:
    """The indicator a loosely written name means ("การใช้ งบประมาณ" -> 2), or None."""
    key = _squash(name)
    if not key:
        return None
    if key in _NAME_KEYS:
        return _NAME_KEYS[key]
    best, best_ratio = None, 0.0
    for known, no in _NAME_KEYS.items():
        ratio = SequenceMatcher(None, key, known).ratio()
        if ratio > best_ratio:
            best, best_ratio = no, ratio
    return best if best_ratio >= 0.8 else None


def indicator_of_code(letter: str, number: int, year: int) -> int | None:
    """The indicator a question code belongs to in the framework of assessment year `year`."""
    for r in QUESTION_RANGES:
        if r.letter == letter and r.first_year <= year <= r.last_year and r.low <= number <= r.high:
            return r.indicator_no
    return None


def question_set(letter: str, indicator_no: int, year: int) -> list[tuple[int, int]] | None:
    """The numbers (ranges, inclusive) a question code of `letter` under indicator `indicator_no` has
    in the framework of assessment year `year`: the indicator's ranges, else the tool's set of that
    year (TOOL_QUESTION_SETS); None when the framework knows neither. An assumption, like the ranges:
    a code outside it is worth a warning, not a refusal."""
    ranges = [(r.low, r.high) for r in QUESTION_RANGES
              if r.letter == letter and r.indicator_no == indicator_no and r.first_year <= year <= r.last_year]
    if not ranges:
        ranges = [(low, high) for first, last, tool, low, high in TOOL_QUESTION_SETS
                  if tool == letter and first <= year <= last]
    return ranges or None


def overall_score(indicator_scores: dict[int, float]) -> float | None:
    """The overall ITA from indicator scores; None unless every tool has at least one score."""
    total = 0.0
    for tool, weight in OVERALL_WEIGHTS.items():
        scores = [s for no, s in indicator_scores.items() if tool_of(no) == tool]
        if not scores:
            return None
        total += weight * sum(scores) / len(scores)
    return total
