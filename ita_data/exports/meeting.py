"""The monthly meeting deck, as plain data: built once here, drawn by pages/meeting.py (on screen),
exports/pptx.py (PowerPoint) and exports/pdf.py (PDF). One concept, one place.

A deck is made for an assessment, a meeting month and `today` (Thai date):

- meeting date (the "as of" day of every slide): `today` when the meeting month is the current month;
  the month's last day for a month already over; the month's first day for a month still ahead.
- statuses are those in force at the end of the meeting date, from the status history (so a deck
  for a past month can be made again and shows what was true then). A measure with no history at
  all keeps its stored status (views.measures_as_of).
- previous meeting: the same day of the month before the meeting date (clamped: 31 March -> 28 or
  29 February). "What changed since the previous meeting" lists the status-history entries whose
  Thai date lies from the previous meeting's day through the meeting date, both included: a report
  made on a meeting day shows in the decks of both meetings rather than in neither (views.changes_between).
- overdue: as views.add_measure_flags on the meeting date (the period ended, status still open).
- due in the coming month: open measures (ยังไม่เริ่ม or กำลังดำเนินการ) whose period ends in the
  calendar month after the meeting month (views.due_in_month).

Long tables are split across slides here (layout.split_rows), so that the screen, the PPTX and the
PDF show the same slides. The geometry and the text layout are exports/layout.py's; the charts are
rendered by exports/browser.py."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from .. import figures, framework, store, views
from ..thai import (add_months, be_year, fiscal_year_range, first_of, last_day, month_label, month_starts,
                    short_org_name, thai_date)
from .layout import CONTENT_H, CONTENT_W, CSS_DPI, NOTE_H, split_rows

KINDS = ("cover", "scores", "effect", "fallen", "trend", "progress", "divisions", "changes", "overdue", "due")
TITLES = {
    "cover": "รายงานความก้าวหน้าการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร",
    "scores": "คะแนน ITA รายข้อคำถาม ช่องว่างถึง 100 และเกณฑ์ผ่าน",
    "progress": "ความก้าวหน้าของมาตรการทั้งหมด",
    "divisions": "ความก้าวหน้ารายหน่วยงาน",
    "changes": "สิ่งที่เปลี่ยนแปลงตั้งแต่การประชุมครั้งก่อน",
    "overdue": "มาตรการที่เกินกำหนด",
    "due": "มาตรการที่ครบกำหนดในเดือนหน้า",
    "effect": "มาตรการได้ผลหรือไม่: คะแนนปีที่แผนมาจากเทียบกับปีถัดไป",
    "fallen": "ข้อคำถามที่คะแนนลดลง และมาตรการของแผน",
    "trend": "แนวโน้มคะแนน ITA",
}
# "effect" and "fallen" are in a deck only when the next year's official scores are imported; "trend"
# when the organization has score sheets of two years or more
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
    # the same chart for a phone's screen, when the slide's does not suit one (it is as tall as it
    # needs, labels above the bars); the files never use it
    phone_figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    widths: tuple[float, ...] = ()  # inches per table column
    lists: tuple[int, ...] = ()  # table columns of names (lists of divisions, who reported): see layout.wrap_lines
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
    score_change: object = None  # views.ScoreChangeData when the organization has score sheets

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


# ---------------------------------------------------------------- the meeting's days

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
    start, end = fiscal_year_range(plan_year)
    current = first_of(today)
    return month_starts(min(start, current), add_months(max(first_of(end), current), 1))


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
    history = views.history_frame(con, assessment_id)
    measures = views.measures_as_of(views.measures_frame(con, assessment_id, on=meeting), history, meeting)
    changes = views.changes_between(history, measures, previous, meeting)
    overdue = measures[measures["overdue"]]
    next_month = add_months(month, 1)
    due = views.due_in_month(measures, next_month)
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
                             figure=figures.score_gap_figure(frame, height=round(size[1] * CSS_DPI)),
                             figure_size=size, phone_figure=figures.score_gap_figure(frame)))

    # did the measures work: the assessed year against the next, once the next year's scores exist
    deck.score_change = _score_change(con, chosen, findings, measures, meeting)
    deck.slides += effect_slides(deck.score_change)
    deck.slides += trend_slides(deck.score_change)

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
        figure=figures.division_workload_figure(workload, height=round(size[1] * CSS_DPI)), figure_size=size,
        phone_figure=figures.division_workload_figure(workload),
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


# ---------------------------------------------------------------- did the measures work

EFFECT_ROWS = 14  # question rows the effect slide's chart holds
# ข้อ (a code and an indicator on one line), the years, the change and the header "เปลี่ยนแปลง" on one line
FALLEN_COLUMNS_WIDTHS = (2.45, 1.0, 1.0, 1.3, 1.2, 5.383)


def _score_change(con, chosen: dict, findings: pd.DataFrame, measures: pd.DataFrame, meeting: date):
    """views.ScoreChangeData of the deck's assessment with the measures as of the meeting date;
    None when the organization has no score sheet at all."""
    scores = views.organization_scores(con, chosen["organization_id"])
    if scores.empty:
        return None
    data = views.AssessmentData(findings, measures, (), {}, meeting, chosen["plan_year"])
    return views.score_change_data(data, scores, chosen["assessed_year"], with_figures=False)


def effect_slides(change) -> list[Slide]:
    """The plan's questions (and any question that fell) in the plan's assessed year and the next,
    the change and the measures done; then the questions that fell with their measures. Nothing
    without the next year's scores."""
    if change is None or not change.has_after:
        return []
    n, n1 = change.year_before, change.year_after
    counts = change.counts
    parts = []
    if change.overall_before is not None and change.overall_after is not None:
        parts.append(f"คะแนน ITA รวม {change.overall_before:.2f} → {change.overall_after:.2f} "
                     f"({change.overall_after - change.overall_before:+.2f})")
    parts += [f"ดีขึ้น {counts['up']} ข้อ", f"ลดลง {counts['down']} ข้อ",
              f"มาตรการเสร็จ {change.measures_done} จาก {change.measures_active}"]
    shown = views.change_shown(change.questions, "plan")
    note = "ข้อในแผนและข้อที่คะแนนลดลง · ▲ ดีขึ้น ▼ ลดลง · คะแนนทางการจากแผ่นคะแนน"
    if len(shown) > EFFECT_ROWS:
        note = f"แสดง {EFFECT_ROWS} จาก {len(shown)} ข้อ (ข้อที่ลดลงก่อน) · " + note
        shown = shown.head(EFFECT_ROWS)
    if (shown["before_source"] == views.REPORT).any():
        note += f" (ปี {n}: คะแนนตามรายงานเมื่อไม่มีแผ่นคะแนน)"
    size = (CONTENT_W, CONTENT_H - NOTE_H)
    figure = figures.score_change_figure(shown, n, n1, plot_px=CONTENT_W * CSS_DPI, side_labels=True)
    # a phone: the scores page's layout (each label and change above its row, wrapped to PHONE_PLOT_PX)
    slides = [Slide("effect", f"มาตรการได้ผลหรือไม่: คะแนนปี {n} เทียบกับปี {n1}", " · ".join(parts),
                    figure=_sized(figure, size), figure_size=size,
                    phone_figure=figures.score_change_figure(shown, n, n1), note=note)]
    fallen = change.fallen
    if len(fallen):
        table = views.change_table(fallen, n, n1).drop(columns=["ตัวชี้วัด"])
        table["ข้อ"] = list(fallen["label"])  # the code with its indicator's name
        slides += _table_slides("fallen", TITLES["fallen"], f"{len(fallen)} ข้อที่คะแนนปี {n1} ต่ำกว่าปี {n} "
                                                             f"เรียงจากที่ลดลงมากที่สุด", table,
                                FALLEN_COLUMNS_WIDTHS, "")
    return slides


TREND_COLUMNS = 4  # the trend slide's panels across (the overall and ten indicators: three rows)
TREND_LAYOUT_SHARE = 0.75  # laid out for this share of the slide's width: the meeting page in a browser
# draws the slide's figure narrower than the slide, and its texts keep their size


def trend_slides(change) -> list[Slide]:
    """The agency's scores over every year it has score sheets for (two or more): the overall ITA
    score and each indicator's per year, every value written (figures.score_trend_panels_figure).
    Nothing with one year."""
    if change is None or change.trend.empty:
        return []
    trend = change.trend
    years = sorted(int(y) for y in trend["assessed_year"].unique())
    if len(years) < 2:
        return []
    overall = dict(zip(trend.loc[trend["series_no"] == 0, "assessed_year"], trend.loc[trend["series_no"] == 0, "score"]))
    parts = [f"{len(years)} ปีที่มีแผ่นคะแนน (ปี {years[0]} ถึง {years[-1]})"]
    if years[0] in overall and years[-1] in overall:
        first, last = overall[years[0]], overall[years[-1]]
        parts.append(f"คะแนน ITA รวม {first:.2f} → {last:.2f} ({last - first:+.2f})")
    indicators = trend[trend["series_no"] > 0]
    ends = indicators[indicators["assessed_year"].isin((years[0], years[-1]))].pivot_table(
        index="series_no", columns="assessed_year", values="score")
    if len(ends.columns) == 2:
        change_ = ends[years[-1]] - ends[years[0]]
        parts.append(f"ตัวชี้วัดที่ดีขึ้น {int((change_ > 0).sum())} ลดลง {int((change_ < 0).sum())}")
    note = "คะแนนทุกกรอบบนสเกลเดียวกัน · เส้นสีเขียว: ปีล่าสุดสูงกว่าปีแรก สีแดง: ต่ำกว่า"
    if (trend["source"] != views.OFFICIAL).any():
        note += " · * เฉลี่ยจากข้อคำถาม (แผ่นคะแนนปีนั้นไม่มีคะแนนของตัวชี้วัด)"
    if float(trend["score"].min()) < framework.PASS_MARK:
        note += f" · เส้นประ: เกณฑ์ผ่าน {framework.PASS_MARK:g} · สีแดง: ต่ำกว่าเกณฑ์"
    size = (CONTENT_W, CONTENT_H - NOTE_H)
    figure = figures.score_trend_panels_figure(trend, plot_px=(CONTENT_W * CSS_DPI - 16) * TREND_LAYOUT_SHARE,
                                               columns=TREND_COLUMNS, height=round(size[1] * CSS_DPI))
    phone = figures.score_trend_panels_figure(trend, columns=2 if len(years) <= 3 else 1)
    return [Slide("trend", f"{TITLES['trend']} ปี {years[0]} ถึง {years[-1]}", " · ".join(parts), figure=figure,
                  figure_size=size, phone_figure=phone, note=note)]


def find_assessment(con, organization: str | None = None, plan_year: int | None = None) -> dict:
    """The assessment of an organization (full or short name, e.g. อบต.มวกเหล็ก) and plan year;
    defaults: the only (or first) organization, its latest plan year. ValueError saying what there
    is when nothing matches."""
    items = store.assessments(con)
    if not items:
        raise ValueError("ฐานข้อมูลยังไม่มีการประเมิน: นำเข้ารายงานก่อน (ที่หน้า ข้อมูล ของแดชบอร์ด หรือคำสั่งนำเข้า)")
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


# ---------------------------------------------------------------- for the screen and the files

def figure_slides(deck: Deck) -> list[Slide]:
    return [s for s in deck.slides if s.figure is not None]


def screen_table(slide: Slide, escape) -> pd.DataFrame:
    """The slide's table for the screen (st.table reads Markdown: `escape` keeps special characters
    as themselves). A cell keeps only its own paragraphs (the data's newlines, e.g. a date then
    "(เกิน 5 วัน)"), not the lines the PPTX and the PDF break it into: the browser wraps it."""
    def cell(value, j: int) -> str:
        return "  \n".join(escape(paragraph) for paragraph in str(value).split("\n"))

    shown = slide.table.copy()
    for j, name in enumerate(slide.table.columns):
        shown[name] = [cell(value, j) for value in slide.table[name]]
    shown.columns = [escape(c) for c in slide.table.columns]
    return shown


def phone_rows(slide: Slide, escape) -> list[str]:
    """The slide's table for a phone, which cannot show five or six columns side by side: one
    Markdown block per row, its first column (with a ref ("ที่"), the ref and the column after it)
    in bold, then every other column as "name: value", a line each (a cell's own paragraphs on
    lines of their own); empty cells left out. `escape` as in screen_table."""
    columns = [str(c) for c in slide.table.columns]
    head = 2 if columns[0] == MEASURE_COLUMNS[0] else 1
    blocks = []
    for row in slide.table.itertuples(index=False):
        values = [str(v) for v in row]
        title = " ".join(escape(v.replace("\n", " ")) for v in values[:head] if v.strip())
        lines = [f"**{title}**"] if title else []
        for name, value in zip(columns[head:], values[head:]):
            if value.strip():
                lines.append(f"{escape(name)}: " + "  \n".join(escape(p) for p in value.split("\n") if p.strip()))
        blocks.append("  \n".join(lines))
    return blocks
