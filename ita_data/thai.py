"""Thai digits, month names, Buddhist-era years, fiscal years, calendar months and Thai date
formatting; Thai text in lines: word breaks (wrap_thai) and width estimates (display_width in
characters, text_width in inches from Sarabun's glyph advances)."""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from functools import lru_cache

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


def first_of(day: date) -> date:
    """The first day of `day`'s month (a datetime stays a datetime, at the same time of day)."""
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    """The same day n months later (clamped to the month's length: 31 March - 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, last_day(year, month + 1)))


def month_starts(first: date, end: date) -> list[date]:
    """The first days of the months from `first` on (`first` itself if it is one) that come before `end`."""
    month = first_of(first)
    if month < first:
        month = add_months(month, 1)
    out = []
    while month < end:
        out.append(month)
        month = add_months(month, 1)
    return out


def parse_month(text: str) -> date:
    """"2026-03" (CE) or "2569-03" (BE), Thai digits allowed -> 1 March 2026."""
    raw = to_arabic(str(text).strip())
    parts = raw.replace("/", "-").split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError(f'เดือน "{text}" ไม่ถูกต้อง: ใช้รูปแบบ YYYY-MM เช่น 2026-03 หรือ 2569-03')
    month = int(parts[1])
    if not 1 <= month <= 12:
        raise ValueError(f'เดือน "{text}" ไม่ถูกต้อง: เดือนต้องอยู่ระหว่าง 01 ถึง 12')
    year = int(parts[0])
    year = ce_year(full_be_year(year)) if year >= 100 else year  # "0026" is not a two-digit BE year
    if not 1900 <= year <= 2200:
        raise ValueError(f'เดือน "{text}" ไม่ถูกต้อง: ปี {parts[0]} อยู่นอกช่วงที่ใช้ได้')
    return date(year, month, 1)


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


def month_label(month: date) -> str:
    """มีนาคม 2569: the month of a date, in full, with its BE year."""
    return thai_month(month.month, month.year, short=False)


def _month_key(name: str) -> str:
    return re.sub(r"[\s.]", "", name)


# every spelling of a month, keyed without dots and spaces: "มค" -> 1, "มกราคม" -> 1
MONTH_NUMBERS: dict[str, int] = {}
for _i, (_full, _abbr) in enumerate(zip(MONTHS_FULL, MONTHS_ABBR), start=1):
    MONTH_NUMBERS[_month_key(_full)] = _i
    MONTH_NUMBERS[_month_key(_abbr)] = _i


_THAI_LETTER = "\u0e01-\u0e4e"  # Thai letters, vowels and tone marks (not the digits)


def _month_pattern() -> str:
    """A regex alternative matching every month spelling. An abbreviation needs its inner dot
    ("ม.ค.", "ม. ค", "มี.ค") unless it stands alone ("มค 69"): without the dot "มค" would match
    inside words such as "ตามความเหมาะสม"."""
    alternatives = [re.escape(full) for full in sorted(MONTHS_FULL, key=len, reverse=True)]
    for abbr in sorted(MONTHS_ABBR, key=len, reverse=True):
        parts = [re.escape(part) for part in abbr.strip(".").split(".")]
        alternatives.append(r"\s?\.\s?".join(parts) + r"\.?")
        alternatives.append(rf"(?<![{_THAI_LETTER}])" + "".join(parts) + rf"(?![{_THAI_LETTER}])\.?")
    return "|".join(alternatives)


MONTH_RE = _month_pattern()


def month_number(text: str) -> int | None:
    return MONTH_NUMBERS.get(_month_key(text))


def display_width(text: str) -> int:
    """Characters that take room on a line: Thai tone marks and above/below vowels (combining
    marks) and format characters count zero."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Sarabun's advance widths in em per code point, and the width of an unknown character."""
    from fontTools.ttLib import TTFont

    from .fonts import sarabun_file
    font = TTFont(sarabun_file("Bold" if bold else "Regular"), lazy=True)
    per_em = font["head"].unitsPerEm
    metrics = font["hmtx"]
    widths = {cp: metrics[name][0] / per_em for cp, name in font.getBestCmap().items()}
    return widths, 0.6


def em_width(text: str, bold: bool = False) -> float:
    """Width of one line of `text` in Sarabun, in em (multiply by the size for points)."""
    widths, unknown = _advances(bold)
    return sum(widths.get(ord(ch), unknown) for ch in text)


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of one line of `text` in Sarabun at `size_pt`, in inches."""
    return em_width(text, bold) * size_pt / 72


def wrap_thai(text: str, width: int) -> str:
    """`text` broken into lines of at most `width` display characters, joined with "<br>" (Plotly).

    Thai has no spaces between words, so line breaks go at spaces and between the words pythainlp's
    newmm engine finds; a word is never cut, and a word longer than `width` gets a line of its own.
    Nothing is dropped: removing every "<br>" gives `text` back (a space where a line breaks stays at
    the end of the line; a newline in `text` forces a break). Width counts what takes room on the
    line: Thai tone marks and above/below vowels (combining marks) count zero.
    Without pythainlp installed, lines break at spaces only."""
    if not text or not width or width <= 0:
        return text or ""

    def thai(ch: str) -> bool:
        return "\u0e00" <= ch <= "\u0e7f"

    def may_start(ch: str) -> bool:  # a line may begin with it (after a break without a space)
        if thai(ch):
            return unicodedata.category(ch) != "Mn" and ch not in "ฯๆะาำๅ"
        return ch.isalnum()

    def may_end(ch: str) -> bool:  # a line may end with it (before a break without a space)
        if thai(ch):
            return ch not in "เแโใไ"
        return ch.isalnum() or ch == "/"

    try:
        from pythainlp.tokenize import word_tokenize
    except ImportError:  # pragma: no cover - pythainlp is a dependency; degrade to breaking at spaces
        word_tokenize = None

    tokens: list[str] = []
    for run in re.split(r"(\s+)", text):
        if not run:
            continue
        if run.isspace() or word_tokenize is None or not any(thai(ch) for ch in run):
            tokens.append(run)
        else:
            tokens.extend(t for t in word_tokenize(run, engine="newmm", keep_whitespace=True) if t)
    if "".join(tokens) != text:  # a tokenizer that changed the text: fall back to the whole runs
        tokens = [run for run in re.split(r"(\s+)", text) if run]

    # atoms: pieces between allowed break points; whitespace stays with the piece before it
    atoms: list[str] = []
    for token in tokens:
        if not atoms:
            atoms.append(token)
        elif token.isspace():
            atoms[-1] += token
        elif atoms[-1][-1].isspace() or (may_end(atoms[-1][-1]) and may_start(token[0])):
            atoms.append(token)
        else:
            atoms[-1] += token

    lines: list[str] = []
    line = ""
    for atom in atoms:
        if line and (display_width((line + atom).rstrip()) > width and line.strip()):
            lines.append(line)
            line = ""
        line += atom
        if "\n" in atom[len(atom.rstrip()):]:  # a newline in the text: break there
            lines.append(line)
            line = ""
    if line or not lines:
        lines.append(line)
    return "<br>".join(lines)


# kinds of local administration, and the abbreviations people write and read
ORG_ABBREVIATIONS = {"อบต.": "องค์การบริหารส่วนตำบล", "อบจ.": "องค์การบริหารส่วนจังหวัด", "ทต.": "เทศบาลตำบล",
                     "ทม.": "เทศบาลเมือง", "ทน.": "เทศบาลนคร"}


def thai_time(stamp_utc) -> str:
    """A stored timestamp (naive UTC) in Thai time, '3 ธ.ค. 2569 15:23 น.' (Thailand keeps UTC+7 all
    year); for the command line, which need not load pandas (views.thai_datetime: pages and files)."""
    from datetime import timedelta
    local = stamp_utc + timedelta(hours=7)
    return f"{thai_date(local.date(), short=True)} {local:%H:%M} น."


def short_org_name(name: str) -> str:
    """องค์การบริหารส่วนตำบลมวกเหล็ก -> อบต.มวกเหล็ก (for narrow places: menus, chart titles)."""
    for short, full in ORG_ABBREVIATIONS.items():
        if name.startswith(full):
            return short + name[len(full):]
    return name


def thai_period(start: date | None, end: date | None) -> str:
    """1 ต.ค. 68 - 30 ก.ย. 69: a period in a table cell (two-digit BE years)."""
    if start is None or end is None:
        return ""

    def short(day: date) -> str:
        return f"{day.day} {MONTHS_ABBR[day.month - 1]} {be_year(day.year) % 100:02d}"

    return f"{short(start)} - {short(end)}"
