"""Reading the cells of a report row: indicator and score, question code, numbered lists, periods.
Every function returns what it read plus the warnings that say what it repaired."""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from .. import framework
from ..thai import (MONTH_RE, fiscal_month_year, fiscal_year_range, full_be_year, last_day,
                    month_number, to_arabic, to_thai_digits, ce_year)

DIGIT = "0-9๐-๙"


class CellError(ValueError):
    """A cell that cannot be read; the importer adds the file, row and column."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


def clean(text: str | None) -> str:
    """Whitespace collapsed to single spaces (non-breaking and zero-width spaces included)."""
    if text is None:
        return ""
    text = str(text).replace("\u200b", "").replace("\ufeff", "")
    return re.sub(r"\s+", " ", text).strip()


_LEADING_NUMBER = re.compile(rf"^(?:[{DIGIT}]{{1,2}}\s*[.)]|[-•▪●])\s*")


def text_key(text: str | None) -> str:
    """The comparison key of a list item's text (a measure): NFC, list numbering ("๑." "1)") and
    bullets at its start dropped, Thai digits as Arabic, every space gone (a PDF puts spaces inside
    Thai phrases where it wrapped lines), Latin letters in one case. Two texts with the same key are
    the same text written differently."""
    out = unicodedata.normalize("NFC", clean(text))
    out = _LEADING_NUMBER.sub("", out)
    return re.sub(r"\s+", "", to_arabic(out)).casefold()


def number(text: str) -> float:
    return float(to_arabic(text).replace(",", ""))


# ---------------------------------------------------------------- indicator cell

_ROW_NO = re.compile(rf"^\s*([{DIGIT}]{{1,3}})\s*[.)]\s*")
_SCORE_PARENS = re.compile(rf"\(\s*(?:คะแนน\s*)?([{DIGIT}]+(?:\s*\.\s*[{DIGIT}]+)?)\s*(?:คะแนน)?\s*\)")
_SCORE_LOOSE = re.compile(rf"(?:คะแนน\s*)?([{DIGIT}]+(?:\.[{DIGIT}]+)?)\s*(?:คะแนน)?\s*$")


def parse_indicator_cell(cell: str) -> tuple[int | None, str, float | None]:
    """'๒. การใช้ งบประมาณ (๙๗.๔๕ คะแนน)' -> (2, 'การใช้ งบประมาณ', 97.45)."""
    text = clean(cell)
    seq = None
    m = _ROW_NO.match(text)
    if m:
        seq = int(to_arabic(m.group(1)))
        text = text[m.end():]
    score = None
    m = _SCORE_PARENS.search(text) or _SCORE_LOOSE.search(text)
    if m and (m.re is _SCORE_PARENS or "คะแนน" in m.group(0) or "." in m.group(1)):
        score = number(re.sub(r"\s", "", m.group(1)))
        text = (text[:m.start()] + text[m.end():]).strip()
    return seq, clean(text), score


def score_text(score: float, thai_digits: bool = True) -> str:
    """A score as reports write it: 97.87, 96.80 (two decimals), 96 and 100 without; a score with
    more decimals keeps them all (read back, it is the same number)."""
    if score == int(score):
        text = str(int(score))
    elif round(score, 2) == score:
        text = f"{score:.2f}"
    else:
        text = repr(float(score))
    return to_thai_digits(text) if thai_digits else text


def indicator_cell(seq: int, indicator_text: str, score: float | None, thai_digits: bool = True) -> str:
    """The indicator cell written from its values, as the seed writes it: '๒. การใช้งบประมาณ (๙๗.๔๕ คะแนน)'
    (parse_indicator_cell reads it back to the same values)."""
    number = to_thai_digits(seq) if thai_digits else str(seq)
    scored = f" ({score_text(score, thai_digits)} คะแนน)" if score is not None else ""
    return f"{number}. {indicator_text}{scored}"


def check_score(score: float | None, column: str) -> None:
    if score is not None and not 0 <= score <= 100:
        raise CellError(column, f"คะแนน {score:g} อยู่นอกช่วง 0-100")


# ---------------------------------------------------------------- question code

_CODE = re.compile(rf"^\s*([A-Za-z๐-๙0-9|]{{1,2}}?)\s?([{DIGIT}]{{1,2}})(?=[\s.:)\-]|$)\s*[.:)\-]?\s*")
_LETTERS = {"i": "i", "I": "i", "l": "i", "|": "i", "e": "e", "E": "e", "o": "o", "O": "o", "0": "o"}


def parse_question_cell(cell: str, indicator_no: int | None, year: int) -> tuple[str | None, str, list[str]]:
    """'i๔ หน่วยงานของท่าน ...' -> ('i4', 'หน่วยงานของท่าน ...', warnings).
    An unreadable letter is repaired from the row's indicator ('1๒' under indicator 1 -> 'i2')."""
    text = clean(cell)
    warnings: list[str] = []
    m = _CODE.match(text)
    if not m:
        return None, text, warnings
    raw_letter, digits = m.group(1), to_arabic(m.group(2))
    written = m.group(0).strip().rstrip(".:)-").strip()
    if int(digits) == 0 or (re.fullmatch(rf"[{DIGIT}]+", raw_letter) and len(raw_letter + digits) > 3):
        return None, text, warnings  # a plain number such as a year, not a code
    question = text[m.end():].strip()
    letter = _LETTERS.get(raw_letter)
    expected = framework.TOOLS[framework.tool_of(indicator_no)] if indicator_no else None
    if letter is None or (expected and letter != expected and raw_letter in "l|0"):
        if expected is None:
            return None, text, warnings
        # the PDF lost the letter: take the indicator's tool, keep the number
        code = f"{expected}{int(digits)}"
        warnings.append(f'รหัสข้อคำถาม "{written}" อ่านเป็น {code} '
                        f'(ตามตัวชี้วัดที่ {indicator_no} {framework.INDICATOR_BY_NO[indicator_no].name_th})')
        return code, question, warnings
    code = f"{letter}{int(digits)}"
    if to_arabic(written).lower() != code:
        warnings.append(f'รหัสข้อคำถาม "{written}" บันทึกเป็น {code}')
    return code, question, warnings


def written_code(cell: str, code: str | None) -> str | None:
    """The question code as the cell writes it ("i๔", "E3"), for writing the report back; a code
    whose letter was repaired (parse_question_cell: "1๒" read as i2) keeps its digits as written
    with the right letter ("i๒"). None when the cell has no code."""
    if not code:
        return None
    m = _CODE.match(clean(cell))
    if not m:
        return code
    written = m.group(0).strip().rstrip(".:)-").strip()
    if to_arabic(written).lower() == code:
        return written
    return code[0] + m.group(2)


def check_code_fits(code: str | None, indicator_no: int, year: int) -> list[str]:
    """A warning when the code belongs to another indicator in the framework of `year`."""
    if not code:
        return []
    belongs = framework.indicator_of_code(code[0], int(code[1:]), year)
    tool_letter = framework.TOOLS[framework.tool_of(indicator_no)]
    if code[0] != tool_letter or (belongs is not None and belongs != indicator_no):
        where = f"ตัวชี้วัดที่ {belongs}" if belongs else f"เครื่องมือ {code[0].upper()}"
        return [f"ข้อคำถาม {code} เป็นของ{where} แต่แถวนี้ระบุตัวชี้วัดที่ {indicator_no} "
                f"{framework.INDICATOR_BY_NO[indicator_no].name_th}: ใช้ตัวชี้วัดตามชื่อในแถว"]
    return []


# ---------------------------------------------------------------- numbered lists

_BULLET = re.compile(r"(?:^|\s)[-•▪●]\s+")


def split_items(cell: str | list[str]) -> list[str]:
    """A cell listing items "๑. ... ๒. ..." (or "1." or lines, or "-" bullets) -> the items.
    "-" sub-items under a numbered item stay with it; an unnumbered cell is one item."""
    if isinstance(cell, list):
        lines = [clean(line) for line in cell if clean(line)]
        if len(lines) > 1 and not _numbered_starts(" ".join(lines)):
            items: list[str] = []
            for line in lines:
                if items and re.match(r"^[-•▪●]", line) and not all(re.match(r"^[-•▪●]", x) for x in lines):
                    items[-1] += " " + line
                else:
                    items.append(re.sub(r"^[-•▪●]\s*", "", line))
            return items
        cell = " ".join(lines)
    text = clean(cell)
    if not text:
        return []
    starts = _numbered_starts(text)
    if starts:
        items = []
        for i, (start, body) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
            item = text[body:end].strip()
            if item:
                items.append(item)
        lead = text[:starts[0][0]].strip()
        if lead and items:  # words before "1." belong to the first item
            items[0] = f"{lead} {items[0]}"
        return items
    if _BULLET.match(text):
        return [clean(part) for part in _BULLET.split(text) if clean(part)]
    return [text]


def list_mark(cell: str | list[str]) -> str:
    """How a list cell marks its items, read as split_items reads them: the first item's number as
    written ("๑." "1." "1)"), the bullet of a bulleted list ("-" "•"), or "" (not numbered: one item,
    or one item a line)."""
    lines = [clean(line) for line in cell if clean(line)] if isinstance(cell, list) else [clean(cell)]
    text = " ".join(lines)
    starts = _numbered_starts(text)
    if starts:
        m = re.match(rf"([{DIGIT}]+)\s*([.)])", text[starts[0][0]:starts[0][1]])
        return ("๑" if m.group(1)[0] in "๐๑๒๓๔๕๖๗๘๙" else "1") + m.group(2)
    if len(lines) > 1:
        bullets = [re.match(r"^([-•▪●])", line) for line in lines]
        return bullets[0].group(1) if all(bullets) else ""
    bullet = _BULLET.match(text)
    return bullet.group(0).strip() if bullet else ""


def item_label(mark: str | None, number: int) -> str:
    """The label of item `number` of a list marked `mark` (list_mark): "๓." for "๑.", "3)" for "1)",
    "-" for "-", "" for "" or None."""
    if not mark:
        return ""
    if mark[0] in "๑1":
        digits = to_thai_digits(number) if mark[0] == "๑" else str(number)
        return digits + mark[1:]
    return mark


def _numbered_starts(text: str) -> list[tuple[int, int]]:
    """Positions of "1." "2." ... in sequence: (where the number starts, where its text starts)."""
    found = []
    expected = 1
    pattern = re.compile(rf"(?:^|(?<=\s))([{DIGIT}]{{1,2}})\s*[.)](?![{DIGIT}])\s*")
    for m in pattern.finditer(text):
        if int(to_arabic(m.group(1))) == expected:
            found.append((m.start(), m.end()))
            expected += 1
    return found


# ---------------------------------------------------------------- periods

_YEAR = rf"(?:พ\s*\.?\s*ศ\s*\.?\s*)?([{DIGIT}]{{4}}|[{DIGIT}]{{2}})(?![{DIGIT}])"
_DATE = re.compile(rf"(?:([{DIGIT}]{{1,2}})(\s*\.)?\s*)?({MONTH_RE})\s*(?:{_YEAR})?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_WHOLE_YEAR = re.compile(rf"(?:ตลอด|ทั้ง)\s*ปี(?:\s*งบประมาณ)?(?:\s*{_YEAR})?")
_FISCAL_YEAR = re.compile(rf"^ปี\s*งบประมาณ\s*{_YEAR}$")


def parse_period(cell: str, plan_year: int) -> tuple[date | None, date | None, list[str]]:
    """A period as reports write it -> (start, end, warnings). Two-digit and four-digit BE years,
    CE years, month-only ranges, the whole fiscal year in words; the end day of a range that lost
    its zero ("... ถึง ๓. ก.ย.") is read as 30. A day with a dot that starts the period or is its
    only date ("๑. ต.ค.๖๘") is read as written: there the dot is as likely a list number's."""
    text = clean(cell)
    warnings: list[str] = []
    if not text:
        return None, None, ["ไม่ได้ระบุระยะเวลาดำเนินการ"]
    arabic = to_arabic(text)
    whole = _WHOLE_YEAR.search(arabic) or _FISCAL_YEAR.match(arabic)
    if whole and not _DATE.search(arabic):
        year = full_be_year(int(whole.group(1))) if whole.group(1) else plan_year
        start, end = fiscal_year_range(year)
        return start, end, warnings

    points = [_iso_point(m) for m in _ISO.finditer(arabic)] or \
             [_slashed_point(m) for m in _SLASHED.finditer(arabic)]
    if not points:
        points = [(int(m.group(1)) if m.group(1) else None, month_number(m.group(3)),
                   full_be_year(int(m.group(4))) if m.group(4) else None, m)
                  for m in _DATE.finditer(arabic)]
    if not points or len(points) > 2:
        return None, None, [f'อ่านระยะเวลา "{text}" ไม่ได้']
    if len(points) == 1:
        points = [points[0], points[0]]
    (d1, m1, y1, match1), (d2, m2, y2, match2) = points

    # years (CE): a missing one comes from the other, else from the plan's fiscal year
    y1, y2 = (ce_year(y) if y else None for y in (y1, y2))
    if y1 is None and y2 is None:
        y1, y2 = fiscal_month_year(m1, plan_year), fiscal_month_year(m2, plan_year)
        if (y1, m1) > (y2, m2):
            y1 -= 1
    elif y1 is None:
        y1 = y2 - 1 if m1 > m2 else y2
    elif y2 is None:
        y2 = y1 + 1 if m2 < m1 else y1

    d1 = d1 or 1  # "๑. ต.ค.๖๘" starting a period: day 1 (read as a list number and a month: day 1 too)
    if not d2:
        d2 = last_day(y2, m2)
    elif match2 is not match1:  # the end of a range, not a one-date period
        d2 = _repair_day(d2, match2, y2, m2, text, warnings)
    start, end = _valid_date(y1, m1, d1, text, warnings), _valid_date(y2, m2, d2, text, warnings)
    if start > end:
        warnings.append(f'ระยะเวลา "{text}": วันเริ่มอยู่หลังวันสิ้นสุด')
    return start, end, list(dict.fromkeys(warnings))  # a one-date period repairs its date once


def _iso_point(m: re.Match) -> tuple[int, int, int, None]:
    year = int(m.group(1))
    return int(m.group(3)), int(m.group(2)), full_be_year(year), None


def _slashed_point(m: re.Match) -> tuple[int, int, int, None]:
    return int(m.group(1)), int(m.group(2)), full_be_year(int(m.group(3))), None


def _repair_day(day: int, m: re.Match | None, year: int, month: int, text: str, warnings: list[str]) -> int:
    """The end day of a range written as a single digit and a stray dot ("๓. ก.ย.") lost its second
    digit to the dot, when ten times it is a day of that month."""
    if m is not None and m.group(2) and day < 10 and day * 10 <= last_day(year, month):
        written = text[m.start():m.end()].strip()
        warnings.append(f'ระยะเวลา "{text}": วันที่ "{written}" อ่านเป็นวันที่ {day * 10} '
                        f'(เลขวันหายไปหนึ่งหลัก)')
        return day * 10
    return day


def _valid_date(year: int, month: int, day: int, text: str, warnings: list[str]) -> date:
    if month is None or not 1 <= month <= 12:
        raise CellError("ระยะเวลา", f'เดือนในระยะเวลา "{text}" ไม่ถูกต้อง')
    if day > last_day(year, month) or day < 1:
        fixed = min(max(day, 1), last_day(year, month))
        warnings.append(f'ระยะเวลา "{text}": ไม่มีวันที่ {day} ในเดือนนั้น ใช้วันที่ {fixed}')
        day = fixed
    return date(year, month, day)


# ---------------------------------------------------------------- consistency

_MENTION = re.compile(rf"([{DIGIT}]{{1,3}}(?:\s[{DIGIT}]{{1,2}})?\.[{DIGIT}]{{1,2}})")
_BROKEN_NUMBER = re.compile(rf"(?<![{DIGIT}])([{DIGIT}]) ([{DIGIT}]\.[{DIGIT}]{{1,2}})(?![{DIGIT}])")


def repair_broken_numbers(text: str, column: str) -> tuple[str, list[str]]:
    """'๙ ๙.๕๗' (a number broken by the PDF's line wrap) -> '๙๙.๕๗'."""
    warnings = []

    def join(m: re.Match) -> str:
        warnings.append(f'{column}: ตัวเลข "{m.group(0)}" ถูกแยกด้วยช่องว่าง อ่านเป็น "{m.group(1)}{m.group(2)}"')
        return m.group(1) + m.group(2)

    return _BROKEN_NUMBER.sub(join, text), warnings


def score_mentions(text: str) -> list[float]:
    """Decimal scores (0-100) that a text mentions."""
    values = []
    for m in _MENTION.finditer(text):
        value = number(m.group(1).replace(" ", ""))
        if 0 <= value <= 100:
            values.append(value)
    return values


def check_score_mentions(score: float | None, texts: dict[str, str]) -> list[str]:
    """Flag a text whose score mentions all differ from the header's score."""
    if score is None:
        return []
    warnings = []
    for column, text in texts.items():
        mentioned = score_mentions(text)
        if mentioned and not any(abs(v - score) < 0.005 for v in mentioned):
            said = ", ".join(f"{v:.2f}" for v in mentioned)
            warnings.append(f"คะแนนไม่ตรงกัน: หัวแถวระบุ {score:.2f} แต่{column}ระบุ {said}")
    return warnings
