"""Thai digits, month names, Buddhist-era years, fiscal years and Thai date formatting."""
from __future__ import annotations

import calendar
import re
from datetime import date

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)

MONTHS_FULL = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
               "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
BE_OFFSET = 543


def to_arabic(text: str) -> str:
    """Thai digits to Arabic digits; everything else unchanged."""
    return text.translate(_TO_ARABIC)


def to_thai_digits(text: str) -> str:
    return str(text).translate(_TO_THAI)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def full_be_year(year: int) -> int:
    """A year as written in a report (two-digit BE, four-digit BE or CE) to a four-digit BE year."""
    if year < 100:
        return 2500 + year
    if year < 2300:  # a Christian-era year
        return year + BE_OFFSET
    return year


def fiscal_year_of(day: date) -> int:
    """The BE fiscal year (1 Oct - 30 Sep, named by the year it ends in) that contains `day`."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


def fiscal_year_range(fiscal_year_be: int) -> tuple[date, date]:
    end_ce = ce_year(fiscal_year_be)
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)


def fiscal_month_year(month: int, fiscal_year_be: int) -> int:
    """The CE year of `month` inside a BE fiscal year (October-December fall in the year before)."""
    end_ce = ce_year(fiscal_year_be)
    return end_ce - 1 if month >= 10 else end_ce


def last_day(year_ce: int, month: int) -> int:
    return calendar.monthrange(year_ce, month)[1]


def thai_date(day: date | None, *, short: bool = False, thai_digits: bool = False) -> str:
    """1 ตุลาคม 2568 (or 1 ต.ค. 2568 with short=True)."""
    if day is None:
        return ""
    names = MONTHS_ABBR if short else MONTHS_FULL
    text = f"{day.day} {names[day.month - 1]} {be_year(day.year)}"
    return to_thai_digits(text) if thai_digits else text


def thai_month(month: int, year_ce: int | None = None, *, short: bool = True) -> str:
    """ต.ค. 68 style month label; with year_ce the BE year is added (two digits when short)."""
    names = MONTHS_ABBR if short else MONTHS_FULL
    if year_ce is None:
        return names[month - 1]
    year = be_year(year_ce)
    return f"{names[month - 1]} {year % 100:02d}" if short else f"{names[month - 1]} {year}"


def _month_key(name: str) -> str:
    return re.sub(r"[\s.]", "", name)


# every spelling of a month, keyed without dots and spaces: "มค" -> 1, "มกราคม" -> 1
MONTH_NUMBERS: dict[str, int] = {}
for _i, (_full, _abbr) in enumerate(zip(MONTHS_FULL, MONTHS_ABBR), start=1):
    MONTH_NUMBERS[_month_key(_full)] = _i
    MONTH_NUMBERS[_month_key(_abbr)] = _i


def _month_pattern() -> str:
    """A regex alternative matching every month spelling, dots and inner spaces optional."""
    alternatives = []
    for key in sorted(MONTH_NUMBERS, key=len, reverse=True):
        # allow an optional dot and/or space after every character of an abbreviation
        if len(key) <= 4:
            alternatives.append(r"\.?\s?".join(map(re.escape, key)) + r"\.?")
        else:
            alternatives.append(re.escape(key))
    return "|".join(alternatives)


MONTH_RE = _month_pattern()


def month_number(text: str) -> int | None:
    return MONTH_NUMBERS.get(_month_key(text))
