"""The monthly meeting deck, as plain data: built once here, drawn by pages/meeting.py (on screen),
exports/pptx.py (PowerPoint) and exports/pdf.py (PDF). One concept, one place.

A deck is made for an assessment, a meeting month and `today` (Thai date):

- meeting date (the "as of" day of every slide): `today` when the meeting month is the current month;
  the month's last day for a month already over; the month's first day for a month still ahead.
- statuses are those in force at the end of the meeting date, from the status history (so a deck
  for a past month can be made again and shows what was true then). A measure with no history at
  all keeps its stored status.
- previous meeting: the same day of the month before the meeting date (clamped: 31 March -> 28 or
  29 February). "What changed since the previous meeting" lists the status-history entries whose
  Thai date lies from the previous meeting's day through the meeting date, both included: a report
  made on a meeting day shows in the decks of both meetings rather than in neither.
- overdue: as views.add_measure_flags on the meeting date (the period ended, status still open).
- due in the coming month: open measures (ยังไม่เริ่ม or กำลังดำเนินการ) whose period ends in the
  calendar month after the meeting month.

Slide geometry is in inches on a 16:9 slide (13.333 x 7.5 in). Long tables are split across slides
here, with row heights estimated from Sarabun's real glyph widths and Thai word breaks (pythainlp),
so that the screen, the PPTX and the PDF show the same slides.

The charts are rendered to PNG by `ChartBrowser` below: kaleido drives one headless Chromium (the
system's, found by kaleido/choreographer) for the whole deck, and the PDF is printed by that same
browser. Sarabun reaches that browser through a private fontconfig file (see fontconfig_file)."""
from __future__ import annotations

import asyncio
import os
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from .. import figures, framework, store, views
from ..thai import (MONTHS_FULL, be_year, ce_year, last_day, short_org_name, thai_date, to_arabic)

# ---------------------------------------------------------------- geometry (inches, 16:9)

SLIDE_W, SLIDE_H = 13.333, 7.5
MARGIN_X = 0.5
CONTENT_W = SLIDE_W - 2 * MARGIN_X
TITLE_TOP, TITLE_H = 0.3, 0.8
SUBTITLE_TOP, SUBTITLE_H = 1.08, 0.5
CONTENT_TOP = 1.68
FOOTER_TOP = 7.0
CONTENT_H = FOOTER_TOP - 0.08 - CONTENT_TOP  # 5.24 in
NOTE_H = 0.36  # a footnote line under the content
CSS_DPI = 96  # figures are laid out at 96 px an inch, rendered at PNG_SCALE

TITLE_PT, SUBTITLE_PT, TABLE_PT, FOOTER_PT = 30, 17, 14, 11
LINE_SPACING = 1.4  # line pitch as a multiple of the font size (room for Thai marks); exact in the PPTX
CELL_MARGIN_X, CELL_MARGIN_Y = 0.08, 0.05
PNG_SCALE = 2

HEADER_COLOR = "1F4E8C"  # the XLSX register's header blue
TITLE_COLOR = "1B3A66"
TEXT_COLOR = figures.TEXT_COLOR.lstrip("#")
MUTED_COLOR = figures.MUTED_COLOR.lstrip("#")
BAD_COLOR = figures.STATUS_COLORS["overdue"].lstrip("#")
GOOD_COLOR = figures.STATUS_COLORS["done"].lstrip("#")
STRIPE_COLOR = "EEF3FA"

KINDS = ("cover", "scores", "progress", "divisions", "changes", "overdue", "due")
TITLES = {
    "cover": "รายงานความก้าวหน้าการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร",
    "scores": "คะแนน ITA รายข้อคำถาม ช่องว่างถึง 100 และเกณฑ์ผ่าน",
    "progress": "ความก้าวหน้าของมาตรการทั้งหมด",
    "divisions": "ความก้าวหน้ารายหน่วยงาน",
    "changes": "สิ่งที่เปลี่ยนแปลงตั้งแต่การประชุมครั้งก่อน",
    "overdue": "มาตรการที่เกินกำหนด",
    "due": "มาตรการที่ครบกำหนดในเดือนหน้า",
}
MEASURE_COLUMNS = ("ที่", "มาตรการ/โครงการ/กิจกรรม", "ผู้รับผิดชอบ", "สิ้นสุด", "สถานะ")
MEASURE_WIDTHS = (0.62, 5.3, 3.3, 1.5, 1.61)
CHANGE_COLUMNS = ("ที่", "มาตรการ/โครงการ/กิจกรรม", "เดิม", "ล่าสุด", "บันทึกล่าสุด", "ผู้รายงาน")
CHANGE_WIDTHS = (0.62, 4.1, 1.55, 1.55, 2.86, 1.65)


@dataclass
class Fact:
    """A headline number: label, value, tone ("good", "bad" or "")."""
    label: str
    value: str
    tone: str = ""


@dataclass
class Slide:
    kind: str
    title: str
    subtitle: str = ""
    lines: list[str] = field(default_factory=list)  # the cover's lines, biggest first
    facts: list[Fact] = field(default_factory=list)
    figure: go.Figure | None = None
    figure_size: tuple[float, float] = (CONTENT_W, CONTENT_H)  # inches on the slide
    table: pd.DataFrame | None = None
    widths: tuple[float, ...] = ()  # inches per table column
    lists: tuple[int, ...] = ()  # table columns of names (lists of divisions, who reported): see wrap_lines
    empty: str = ""  # said instead of an empty table
    note: str = ""  # a footnote under the content
    part: tuple[int, int] = (1, 1)  # a table split over several slides: this is part i of n

    @property
    def figure_px(self) -> tuple[int, int]:
        """The figure's layout size in CSS pixels."""
        return round(self.figure_size[0] * CSS_DPI), round(self.figure_size[1] * CSS_DPI)


@dataclass
class Deck:
    organization: str
    district: str | None
    province: str | None
    assessment_id: int
    assessed_year: int
    plan_year: int
    month: date  # first day of the meeting month
    meeting_date: date
    previous_meeting: date
    today: date
    findings: pd.DataFrame
    measures: pd.DataFrame  # statuses as of the meeting date, flags on the meeting date
    changes: pd.DataFrame  # one row per measure changed in the window (see changes_between)
    overdue: pd.DataFrame
    due: pd.DataFrame
    slides: list[Slide] = field(default_factory=list)

    @property
    def month_label(self) -> str:
        return month_label(self.month)

    @property
    def footer(self) -> str:
        return f"{short_org_name(self.organization)} · ประชุมประจำเดือน{self.month_label}"

    @property
    def file_stem(self) -> str:
        """ประชุม-ITA-อบต.มวกเหล็ก-2569-03 (BE year, meeting month)."""
        return f"ประชุม-ITA-{short_org_name(self.organization)}-{be_year(self.month.year)}-{self.month.month:02d}"

    def of_kind(self, kind: str) -> list[Slide]:
        return [s for s in self.slides if s.kind == kind]


# ---------------------------------------------------------------- months and dates

def month_label(month: date) -> str:
    """มีนาคม 2569"""
    return f"{MONTHS_FULL[month.month - 1]} {be_year(month.year)}"


def first_of(day: date) -> date:
    return date(day.year, day.month, 1)


def add_months(day: date, n: int) -> date:
    """The same day n months later (clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, last_day(year, month + 1)))


def parse_month(text: str) -> date:
    """"2026-03" (CE) or "2569-03" (BE, any year from 2400 on), Thai digits allowed -> 1 March 2026."""
    raw = to_arabic(str(text).strip())
    parts = raw.replace("/", "-").split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError(f'เดือน "{text}" ไม่ถูกต้อง: ใช้รูปแบบ YYYY-MM เช่น 2026-03 หรือ 2569-03')
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12:
        raise ValueError(f'เดือน "{text}" ไม่ถูกต้อง: เดือนต้องอยู่ระหว่าง 01 ถึง 12')
    if year >= 2400:
        year = ce_year(year)
    if not 1900 <= year <= 2200:
        raise ValueError(f'เดือน "{text}" ไม่ถูกต้อง: ปี {parts[0]} อยู่นอกช่วงที่ใช้ได้')
    return date(year, month, 1)


def meeting_date_of(month: date, today: date) -> date:
    """The deck's "as of" day for a meeting month (see the module docstring)."""
    month = first_of(month)
    if first_of(today) == month:
        return today
    if month < first_of(today):
        return date(month.year, month.month, last_day(month.year, month.month))
    return month


def previous_meeting_of(meeting_date: date) -> date:
    return add_months(meeting_date, -1)


def month_options(plan_year: int, today: date) -> list[date]:
    """Meeting months to offer for a plan (BE fiscal) year: October before it through September,
    stretched to include the current month (a meeting after the year's end still reviews it)."""
    first = date(ce_year(plan_year) - 1, 10, 1)
    last = date(ce_year(plan_year), 9, 1)
    current = first_of(today)
    first, last = min(first, current), max(last, current)
    out, month = [], first
    while month <= last:
        out.append(month)
        month = add_months(month, 1)
    return out


# ---------------------------------------------------------------- statuses as of a day

def history_frame(con, assessment_id: int) -> pd.DataFrame:
    """Status history of an assessment, oldest first, with the Thai date of each change."""
    columns = ["id", "measure_id", "title", "finding_seq", "measure_seq", "status", "progress", "note",
               "editor", "changed_at"]
    df = pd.DataFrame(store.history(con, assessment_id), columns=columns)
    stamps = pd.to_datetime(df["changed_at"])
    local = stamps.dt.tz_localize("UTC").dt.tz_convert("Asia/Bangkok")
    df["day"] = local.dt.date
    return df.sort_values(["changed_at", "id"], ignore_index=True)


def measures_as_of(measures: pd.DataFrame, history: pd.DataFrame, day: date) -> pd.DataFrame:
    """`measures` (views.measures_frame) with status, progress and last update as they were at the
    end of `day`, and the overdue flags recomputed on `day`."""
    df = measures.copy()
    with_history = set(history["measure_id"])
    known = history[history["day"] <= day].groupby("measure_id").tail(1).set_index("measure_id")
    status, progress, updated = [], [], []
    for row in df.itertuples(index=False):
        if row.id in known.index:
            h = known.loc[row.id]
            status.append(h["status"])
            progress.append(int(h["progress"]))
            updated.append(h["changed_at"])
        elif row.id in with_history:  # reported only later: as imported
            status.append("not_started")
            progress.append(0)
            updated.append(None)
        else:
            status.append(row.status)
            progress.append(int(row.progress))
            updated.append(row.updated_at)
    df["status"], df["progress"] = status, progress
    df["updated_at"] = pd.Series(updated, index=df.index, dtype="datetime64[us]")
    return views.add_measure_flags(df.drop(columns=["status_th", "overdue", "days_left"], errors="ignore"), day)


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
            "status_before": before["status"].iloc[0] if len(before) else "not_started",
            "progress_before": int(before["progress"].iloc[0]) if len(before) else 0,
            "status": last["status"], "progress": int(last["progress"]),
            "note": notes[-1] if notes else "", "editor": last["editor"], "day": last["day"],
            "reports": len(entries)})
    df = pd.DataFrame(rows, columns=columns)
    return df.sort_values(["finding_seq", "seq"], ignore_index=True)


def due_in_month(measures: pd.DataFrame, month: date) -> pd.DataFrame:
    """Open measures whose period ends in `month` (any day of it)."""
    end = pd.to_datetime(measures["period_end"])
    keep = (measures["status"].isin(views.OPEN_STATUSES) & (end.dt.year == month.year)
            & (end.dt.month == month.month))
    return measures[keep.fillna(False).astype(bool)]


# ---------------------------------------------------------------- text measurement (Sarabun)

def font_dir() -> Path:
    """Sarabun's TTF files, from the fontpkg-sarabun package."""
    import fontpkg_sarabun
    return Path(fontpkg_sarabun.__file__).parent / "files"


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance widths in em per code point, and the width of an unknown character."""
    from fontTools.ttLib import TTFont
    font = TTFont(font_dir() / ("Sarabun-Bold.ttf" if bold else "Sarabun-Regular.ttf"), lazy=True)
    per_em = font["head"].unitsPerEm
    metrics = font["hmtx"]
    widths = {cp: metrics[name][0] / per_em for cp, name in font.getBestCmap().items()}
    return widths, 0.6


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of one line of `text` in inches."""
    widths, unknown = _advances(bold)
    return sum(widths.get(ord(ch), unknown) for ch in text) * size_pt / 72


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    """`text` in pieces between the places a line may break (spaces, and between the words
    pythainlp finds; never inside a word). Joined, the pieces are `text` again."""
    from ..thai import wrap_thai
    # wrap_thai at width 1 puts every breakable piece on a line of its own, joined by "<br>"; a
    # "<br>" in the text itself stays inside a piece
    out: list[str] = []
    for i, part in enumerate(text.split("<br>")):
        pieces = wrap_thai(part, 1).split("<br>") if part else [""]
        if i:
            out[-1] += "<br>" + pieces.pop(0)
        out.extend(pieces)
    return tuple(p for p in out if p) or ("",)


def _list_tokens(text: str, limit_em: float, em) -> list[str]:
    """A list "a, b, c" (of divisions, or a name) as pieces that break after a comma; a piece too
    long for a line breaks at its spaces, and a part still too long between its words."""
    import re
    out: list[str] = []
    for piece in (p for p in re.split(r"(?<=,\s)", text) if p):
        if em(piece.rstrip()) <= limit_em:
            out.append(piece)
            continue
        for part in (p for p in re.split(r"(?<=\s)(?=\S)", piece) if p):
            out.extend([part] if em(part.rstrip()) <= limit_em else _tokens(part))
    return out


def wrap_lines(text: str, width_in: float, size_pt: float, bold: bool = False, *, as_list: bool = False) -> list[str]:
    """`text` broken into lines no wider than `width_in`, between words only (a word wider than
    the line gets a line of its own); with as_list, after the commas of a list of names
    ("สำนักปลัด, กองสวัสดิการสังคม"), then at spaces ("สมศรี ใจดี กองช่าง"), then between words,
    as each is needed."""
    widths, unknown = _advances(bold)
    limit = width_in * 72 / size_pt  # in em

    def em(piece: str) -> float:
        return sum(widths.get(ord(ch), unknown) for ch in piece)

    out: list[str] = []
    for paragraph in str(text).split("\n"):
        line, used = "", 0.0
        tokens = (_list_tokens(paragraph, limit, em) if as_list else _tokens(paragraph)) if paragraph else ("",)
        for token in tokens:
            if line and used + em(token.rstrip()) > limit:
                out.append(line.rstrip())
                line = token.lstrip()
                used = em(line)
            else:
                line += token
                used += em(token)
        out.append(line.rstrip())
    return out


def fit_size(text: str, width_in: float, size_pt: float, minimum: float, *, bold: bool = False) -> float:
    """The largest size from `size_pt` down to `minimum` at which `text` is one line in `width_in`."""
    while size_pt > minimum and text_width(text, size_pt, bold) > width_in * 0.97:
        size_pt -= 1
    return size_pt


# a renderer may break a little differently (PowerPoint, LibreOffice and Chromium each have their
# own Thai word breaker): estimates assume a slightly narrower cell
WRAP_SAFETY = 0.92


def line_height(size_pt: float) -> float:
    return size_pt * LINE_SPACING / 72


def cell_paragraphs(text, width_in: float, size_pt: float = TABLE_PT, bold: bool = False, *,
                    as_list: bool = False) -> list[list[str]]:
    """A table cell's text as paragraphs (its newlines) of lines (broken between words, or after
    the commas of a list, to fit the cell with WRAP_SAFETY to spare). The PPTX and the PDF break
    the lines exactly here, so both look alike and no renderer's own Thai word breaker cuts a
    compound ("เผยแพร่") in two."""
    return [list(lines) for lines in _cell_paragraphs(str(text), width_in, size_pt, bold, as_list)]


@lru_cache(maxsize=4096)
def _cell_paragraphs(text: str, width_in: float, size_pt: float, bold: bool,
                     as_list: bool) -> tuple[tuple[str, ...], ...]:
    usable = (width_in - 2 * CELL_MARGIN_X) * WRAP_SAFETY
    return tuple(tuple(wrap_lines(paragraph, usable, size_pt, bold, as_list=as_list))
                 for paragraph in text.split("\n"))


def cell_lines(text, width_in: float, size_pt: float = TABLE_PT, bold: bool = False, *, as_list: bool = False) -> int:
    return sum(len(p) for p in _cell_paragraphs(str(text), width_in, size_pt, bold, as_list))


def row_height(cells, widths, size_pt: float = TABLE_PT, bold: bool = False, lists=()) -> float:
    """Height in inches of a table row holding `cells` in columns of `widths`; `lists` tells
    which cells are lists of names (by position)."""
    lines = max(cell_lines(c, w, size_pt, bold, as_list=i in lists)
                for i, (c, w) in enumerate(zip(cells, widths)))
    return lines * line_height(size_pt) + 2 * CELL_MARGIN_Y + 0.02


def split_rows(table: pd.DataFrame, widths, height_in: float, lists=()) -> list[pd.DataFrame]:
    """`table` cut into as few pieces as fit `height_in` each (the header row repeated on every
    piece), the rows shared out evenly between them."""
    header = row_height(table.columns, widths, bold=True)
    heights = [row_height(row, widths, lists=lists) for row in table.itertuples(index=False)]

    def cut(limit: float) -> list[int]:  # where each piece starts
        starts, used = [0], header
        for i, h in enumerate(heights):
            if i > starts[-1] and used + h > limit:
                starts.append(i)
                used = header
            used += h
        return starts

    starts = cut(height_in)
    limit = height_in
    while len(starts) > 1 and limit > header + max(heights) and len(cut(limit - 0.05)) == len(starts):
        limit -= 0.05  # even pieces: the lowest limit that needs no more of them
    starts = cut(limit)
    return [table.iloc[a:b].reset_index(drop=True) for a, b in zip(starts, starts[1:] + [len(table)])]


# ---------------------------------------------------------------- the deck

def _status_text(status: str, progress: int) -> str:
    return f"{framework.STATUS_TH.get(status, status)} {int(progress)}%"


def measure_rows(df: pd.DataFrame, *, days_word: str) -> pd.DataFrame:
    """Overdue or due measures as the slides list them."""
    def end_text(row) -> str:
        if row.period_end is None or pd.isna(row.period_end):
            return "ไม่ระบุ"
        days = int(row.days_left)
        extra = f"เกิน {-days} วัน" if days_word == "overdue" else (f"อีก {days} วัน" if days >= 0 else "")
        return thai_date(row.period_end, short=True) + (f"\n({extra})" if extra else "")

    return pd.DataFrame({
        MEASURE_COLUMNS[0]: list(df["ref"]),
        MEASURE_COLUMNS[1]: list(df["title"]),
        MEASURE_COLUMNS[2]: list(df["divisions_text"]),
        MEASURE_COLUMNS[3]: [end_text(r) for r in df.itertuples(index=False)],
        MEASURE_COLUMNS[4]: [_status_text(s, p) for s, p in zip(df["status"], df["progress"])],
    }, columns=list(MEASURE_COLUMNS))


def change_rows(changes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        CHANGE_COLUMNS[0]: list(changes["ref"]),
        CHANGE_COLUMNS[1]: list(changes["title"]),
        CHANGE_COLUMNS[2]: [_status_text(s, p) for s, p in zip(changes["status_before"], changes["progress_before"])],
        CHANGE_COLUMNS[3]: [_status_text(s, p) for s, p in zip(changes["status"], changes["progress"])],
        CHANGE_COLUMNS[4]: [n or "-" for n in changes["note"]],
        CHANGE_COLUMNS[5]: [f"{e}\n{thai_date(d, short=True)}" for e, d in zip(changes["editor"], changes["day"])],
    }, columns=list(CHANGE_COLUMNS))


def _table_slides(kind: str, title: str, subtitle: str, table: pd.DataFrame, widths, empty: str,
                  note: str = "", lists=()) -> list[Slide]:
    if table.empty:
        return [Slide(kind, title, subtitle, table=table, widths=tuple(widths), lists=tuple(lists), empty=empty,
                      note=note)]
    room = CONTENT_H - (NOTE_H if note else 0)
    pieces = split_rows(table, widths, room, lists)
    n = len(pieces)
    return [Slide(kind, f"{title} ({i}/{n})" if n > 1 else title, subtitle, table=piece, widths=tuple(widths),
                  lists=tuple(lists), note=note, part=(i, n)) for i, piece in enumerate(pieces, start=1)]


def _sized(fig: go.Figure, size: tuple[float, float]) -> go.Figure:
    fig.update_layout(height=round(size[1] * CSS_DPI))
    return fig


def build_deck(con, assessment_id: int, month: date, today: date | None = None) -> Deck:
    """The deck's content for the assessment and meeting month (see the module docstring)."""
    today = today or views.today()
    month = first_of(month)
    chosen = next((a for a in store.assessments(con) if a["id"] == assessment_id), None)
    if chosen is None:
        raise ValueError(f"ไม่พบการประเมินหมายเลข {assessment_id}")
    org = next(o for o in store.organizations(con) if o["id"] == chosen["organization_id"])
    meeting = meeting_date_of(month, today)
    previous = previous_meeting_of(meeting)

    findings = views.findings_frame(con, assessment_id)
    history = history_frame(con, assessment_id)
    measures = measures_as_of(views.measures_frame(con, assessment_id, on=meeting), history, meeting)
    changes = changes_between(history, measures, previous, meeting)
    overdue = measures[measures["overdue"]]
    next_month = add_months(month, 1)
    due = due_in_month(measures, next_month)
    deck = Deck(org["name"], org["district"], org["province"], assessment_id, chosen["assessed_year"],
                chosen["plan_year"], month, meeting, previous, today, findings, measures, changes, overdue, due)
    active = measures[measures["status"] != "cancelled"]
    total = len(measures)

    # cover
    place = " ".join(p for p in (f"อำเภอ{org['district']}" if org["district"] else "",
                                 f"จังหวัด{org['province']}" if org["province"] else "") if p)
    deck.slides.append(Slide("cover", TITLES["cover"], lines=[
        org["name"], place,
        f"มาตรการปีงบประมาณ พ.ศ. {chosen['plan_year']} จากผลการประเมิน ITA ปี {chosen['assessed_year']}",
        f"ประชุมประจำเดือน{month_label(month)}",
        f"วันที่ {thai_date(meeting)}" + ("" if meeting == today else f" (ข้อมูล ณ วันที่ {thai_date(meeting)})"),
    ]))

    # scores, gaps, pass mark
    cards = views.summary(findings, measures)
    frame = views.score_chart_frame(findings, "question")
    below = cards["below_pass"]
    subtitle = (f"ผลการประเมินปี {chosen['assessed_year']} · เกณฑ์ผ่าน {framework.PASS_MARK:g} คะแนน · "
                + (f"ต่ำกว่าเกณฑ์ {below} ข้อ" if below else "ผ่านเกณฑ์ทุกข้อ"))
    if cards["lowest_score"] is not None:
        subtitle += f" · ต่ำสุด {cards['lowest_score']:.2f} (ห่างจาก 100 = {cards['largest_gap']:.2f})"
    size = (CONTENT_W, CONTENT_H)
    deck.slides.append(Slide("scores", TITLES["scores"], subtitle,
                             figure=_sized(figures.score_gap_figure(frame, label_width=44), size), figure_size=size))

    # progress of all measures
    counts = views.status_counts(measures)
    n_overdue = int(measures["overdue"].sum())
    by = dict(zip(counts["status"], counts["count"]))
    facts = [Fact("เสร็จแล้ว", f"{by['done']} จาก {len(active)}", "good" if by["done"] else ""),
             Fact("กำลังดำเนินการ", str(by["in_progress"])),
             Fact("ยังไม่เริ่ม", str(by["not_started"])),
             Fact("เกินกำหนด", str(n_overdue), "bad" if n_overdue else "good")]
    if by["cancelled"]:
        facts.append(Fact("ยกเลิก", str(by["cancelled"])))
    size = (CONTENT_W, 3.35)
    deck.slides.append(Slide(
        "progress", TITLES["progress"],
        f"{total} มาตรการ · เสร็จแล้ว {cards['done_share']:.0%} (ไม่นับที่ยกเลิก) · ณ วันที่ {thai_date(meeting)}",
        facts=facts, figure=_sized(figures.status_figure(counts, n_overdue), size), figure_size=size,
        note="เกินกำหนด = สิ้นสุดระยะเวลาดำเนินการแล้ว แต่สถานะยังไม่ใช่ เสร็จแล้ว หรือ ยกเลิก"))

    # per division
    workload = views.division_workload(measures, findings)
    size = (CONTENT_W, CONTENT_H - NOTE_H)
    deck.slides.append(Slide(
        "divisions", TITLES["divisions"],
        f"{len(workload)} หน่วยงาน · จำนวนมาตรการแยกตามสถานะ · ตัวเลขท้ายแท่ง = มาตรการทั้งหมดของหน่วยงาน",
        figure=_sized(figures.division_workload_figure(workload, label_width=24), size), figure_size=size,
        note="มาตรการที่มีหลายหน่วยงานรับผิดชอบ นับในทุกหน่วยงาน"))

    # what changed since the previous meeting
    window = f"{thai_date(previous, short=True)} ถึง {thai_date(meeting, short=True)}"
    reports = int(changes["reports"].sum()) if len(changes) else 0
    deck.slides += _table_slides(
        "changes", TITLES["changes"],
        f"ระหว่าง {window}" + (f" · รายงานความคืบหน้า {reports} ครั้ง ใน {len(changes)} มาตรการ" if reports else ""),
        change_rows(changes), CHANGE_WIDTHS, f"ไม่มีการรายงานความคืบหน้าระหว่าง {window}", lists=(5,))

    # overdue
    deck.slides += _table_slides(
        "overdue", TITLES["overdue"],
        f"{len(overdue)} จาก {total} มาตรการ · ณ วันที่ {thai_date(meeting)}",
        measure_rows(overdue, days_word="overdue"), MEASURE_WIDTHS,
        f"ไม่มีมาตรการที่เกินกำหนด ณ วันที่ {thai_date(meeting)}",
        note="เกินกำหนด = สิ้นสุดระยะเวลาดำเนินการแล้ว แต่สถานะยังไม่ใช่ เสร็จแล้ว หรือ ยกเลิก", lists=(2,))

    # due in the coming month
    deck.slides += _table_slides(
        "due", f"{TITLES['due']}: {month_label(next_month)}",
        f"{len(due)} มาตรการที่ยังไม่เสร็จ และสิ้นสุดระยะเวลาในเดือน{month_label(next_month)}",
        measure_rows(due, days_word="due"), MEASURE_WIDTHS,
        f"ไม่มีมาตรการที่ครบกำหนดในเดือน{month_label(next_month)}", lists=(2,))
    return deck


def find_assessment(con, organization: str | None = None, plan_year: int | None = None) -> dict:
    """The assessment of an organization (full or short name, e.g. อบต.มวกเหล็ก) and plan year;
    defaults: the only (or first) organization, its latest plan year. ValueError saying what there
    is when nothing matches."""
    items = store.assessments(con)
    if not items:
        raise ValueError("ฐานข้อมูลยังไม่มีการประเมิน: นำเข้ารายงานก่อน (python -m ita_data import ...)")
    names = list(dict.fromkeys(a["organization"] for a in items))
    if organization:
        wanted = organization.strip()
        matches = [n for n in names if wanted in (n, short_org_name(n))]
        if not matches:
            raise ValueError(f'ไม่พบหน่วยงาน "{organization}": มี {", ".join(names)}')
        org = matches[0]
    else:
        org = names[0]
    years = [a for a in items if a["organization"] == org]  # newest plan year first
    if plan_year is None:
        return years[0]
    chosen = next((a for a in years if a["plan_year"] == plan_year), None)
    if chosen is None:
        raise ValueError(f"{org} ไม่มีแผนปีงบประมาณ {plan_year}: มี " + ", ".join(str(a["plan_year"]) for a in years))
    return chosen


def deck_for(con, *, organization: str | None = None, plan_year: int | None = None, month: date | None = None,
             today: date | None = None) -> Deck:
    """The deck by organization and plan year (see find_assessment); the meeting month defaults to
    the current month."""
    chosen = find_assessment(con, organization, plan_year)
    today = today or views.today()
    return build_deck(con, chosen["id"], month or first_of(today), today)


# ---------------------------------------------------------------- chart images and printing

# kaleido's Chromium sees only fontconfig's fonts. Rather than copy Sarabun into a fonts folder
# (a home directory may be missing or read-only, /usr/local needs root), a small fonts.conf in the
# temp folder includes the configuration in force (the system's, or the one $FONTCONFIG_FILE names)
# and adds the folder of the fontpkg-sarabun package. $FONTCONFIG_FILE points at it only while a
# browser starts (the browser keeps it; this process's environment is restored after).

DEFAULT_FONTCONFIG = "/etc/fonts/fonts.conf"


def fontconfig_file(base: str | None = None) -> Path:
    """The fonts.conf that adds Sarabun to `base` (the system's configuration by default)."""
    folder = Path(tempfile.gettempdir()) / f"ita-fontconfig-{os.getuid() if hasattr(os, 'getuid') else 0}"
    conf = folder / "fonts.conf"
    if not base or Path(base) == conf:
        base = DEFAULT_FONTCONFIG
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
            f'  <include ignore_missing="yes">{_xml(base)}</include>\n'
            f'  <dir>{_xml(font_dir())}</dir>\n'
            f'  <cachedir>{_xml(folder / "cache")}</cachedir>\n</fontconfig>\n')
    folder.mkdir(parents=True, exist_ok=True)
    if not conf.exists() or conf.read_text(encoding="utf-8") != text:
        temporary = conf.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(conf)  # atomic: another process may be reading it
    return conf


def _xml(value) -> str:
    from html import escape
    return escape(str(value))


@contextmanager
def sarabun_for_browsers():
    """While inside, browsers this process starts see Sarabun as a system font."""
    saved = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(fontconfig_file(saved))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("FONTCONFIG_FILE", None)
        else:
            os.environ["FONTCONFIG_FILE"] = saved


def figure_slides(deck: Deck) -> list[Slide]:
    return [s for s in deck.slides if s.figure is not None]


class ChartBrowser:
    """One headless Chromium (the system's, driven by kaleido) for a whole deck: the charts as PNG
    and the PDF printing. It starts on entering, in a thread of its own with its own event loop, so
    the caller can build the deck meanwhile; it is closed on leaving. One at a time per process:
    a second one waits for the first to close (Streamlit sessions share the process).

        with ChartBrowser() as browser:
            deck = build_deck(...)
            images = browser.images(deck)
    """

    _one_at_a_time = threading.RLock()  # re-entrant: a nested ChartBrowser in the same thread does not deadlock

    def __init__(self, timeout: float = 60):
        self.timeout = timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None
        self._opened = None

    def __enter__(self) -> "ChartBrowser":
        self._one_at_a_time.acquire()
        try:
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, name="ita-chart-browser", daemon=True)
            self._thread.start()
            self._opened = asyncio.run_coroutine_threadsafe(self._open(), self._loop)
        except BaseException:
            self._stop_loop()
            self._one_at_a_time.release()
            raise
        return self

    async def _open(self) -> None:
        self._kaleido = _kaleido_class()(mathjax=False, timeout=self.timeout)
        with sarabun_for_browsers():  # the browser process starts in here
            await self._kaleido.__aenter__()

    def ready(self) -> None:
        """Wait until the browser has started (raises what starting it raised)."""
        self._opened.result(timeout=self.timeout)

    def _run(self, make):
        """make(kaleido) -> a coroutine, run on the browser's loop once the browser is open."""
        self._opened.result(timeout=self.timeout)  # raises what opening raised
        return asyncio.run_coroutine_threadsafe(make(self._kaleido), self._loop).result(timeout=self.timeout * 4)

    def images(self, deck: Deck) -> dict[int, bytes]:
        """PNG of every figure of the deck at its slide size x PNG_SCALE, by id(slide)."""
        out = {}
        for slide in figure_slides(deck):
            width, height = slide.figure_px
            opts = {"format": "png", "width": width, "height": height, "scale": PNG_SCALE}
            out[id(slide)] = self._run(lambda k, fig=slide.figure, opts=opts: k.calc_fig(fig, opts=opts))
        return out

    def pdf(self, page_html: str) -> bytes:
        """An HTML page printed to PDF (its CSS @page size, backgrounds printed, no header/footer)."""
        return self._run(lambda k: _print_pdf(k, page_html, self.timeout))

    def __exit__(self, *exc) -> None:
        try:
            if self._opened is not None:
                try:  # a browser still starting is let finish starting, then closed: none is left behind
                    self._opened.result(timeout=self.timeout)
                except BaseException:  # noqa: BLE001 - it did not open: nothing to close
                    pass
                else:
                    asyncio.run_coroutine_threadsafe(self._kaleido.__aexit__(None, None, None),
                                                     self._loop).result(timeout=self.timeout)
        finally:
            self._stop_loop()
            self._one_at_a_time.release()

    def _stop_loop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=30)
            self._loop.close()
            self._loop = None


@lru_cache(maxsize=1)
def _kaleido_class():
    """kaleido.Kaleido, less its reload of the page after every chart (a clean page for the next
    one: it costs more than the chart itself, 0.4 s of 0.55). Its page purges each plot after
    rendering it, and the PNGs come out byte for byte the same (tests/test_meeting.py checks)."""
    import kaleido

    if not hasattr(kaleido.Kaleido, "_return_kaleido_tab"):  # another kaleido: use it as it is
        return kaleido.Kaleido

    class DeckKaleido(kaleido.Kaleido):
        async def _return_kaleido_tab(self, tab) -> None:
            await self.tabs_ready.put(tab)

    return DeckKaleido


@contextmanager
def chart_browser(browser: ChartBrowser | None = None):
    """`browser` when given (left open), else a new one closed on leaving."""
    if browser is not None:
        yield browser
    else:
        with ChartBrowser() as fresh:
            yield fresh


async def _print_pdf(browser, page_html: str, timeout: float) -> bytes:
    import base64

    with tempfile.TemporaryDirectory(prefix="ita-deck-") as folder:
        page = Path(folder) / "deck.html"
        page.write_text(page_html, encoding="utf-8")
        tab = await browser.create_tab("")
        try:
            session = await tab.create_session()
            loaded = session.subscribe_once("Page.loadEventFired")
            _check(await session.send_command("Page.enable"))
            _check(await session.send_command("Page.navigate", params={"url": page.as_uri()}))
            await asyncio.wait_for(loaded, timeout)
            _check(await session.send_command("Runtime.evaluate", params={
                "expression": "document.fonts.ready.then(() => document.fonts.size)", "awaitPromise": True,
                "returnByValue": True}))
            printed = await session.send_command("Page.printToPDF", params={
                "preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False,
                "marginTop": 0, "marginBottom": 0, "marginLeft": 0, "marginRight": 0})
            _check(printed)
        finally:
            await browser.close_tab(tab.target_id)
    return base64.b64decode(printed["result"]["data"])


def _check(response: dict) -> None:
    if "error" in response:
        raise RuntimeError(f"Chromium: {response['error'].get('message', response['error'])}")


def screen_table(slide: Slide, escape) -> pd.DataFrame:
    """The slide's table for the screen (st.table reads Markdown: `escape` keeps special characters
    as themselves), each cell broken into the same lines as the PPTX and the PDF, between words."""
    def cell(value, j: int) -> str:
        paragraphs = cell_paragraphs(value, slide.widths[j], as_list=j in slide.lists)
        return "  \n".join(escape(line) for lines in paragraphs for line in lines)

    shown = slide.table.copy()
    for j, name in enumerate(slide.table.columns):
        shown[name] = [cell(value, j) for value in slide.table[name]]
    shown.columns = [escape(c) for c in slide.table.columns]
    return shown
