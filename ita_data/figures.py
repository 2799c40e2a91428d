"""Plotly figures for the dashboard and the meeting deck: DataFrame in (the frames of views.py),
`plotly.graph_objects.Figure` out. No Streamlit, no database.

One look for every figure, set in `style()`: Sarabun (served by the app; kaleido/Chromium renders the
same figures to PNG for slides), sizes readable on a projector, white background, axes with
automargin so long Thai labels are never cut, the legend across the top, Thai axis titles.
Long Thai labels are wrapped with `thai.wrap_thai` (word segmentation, nothing cut or dropped); the
full text is always in the hover as well.

Selections: bar traces carry in `customdata` what a click identifies (finding id or indicator number
on the score chart, division name on the workload chart, measure id on the timeline, status key on
the status bar), so a Streamlit `on_select` event tells the page what was picked."""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import fonts, framework, palette
from .thai import em_width, fiscal_year_range, month_starts, thai_date, thai_month, wrap_thai

FONT_FAMILY = f"{fonts.FAMILY}, sans-serif"
BASE_FONT_SIZE = 17
SMALL_FONT_SIZE = 15
TITLE_FONT_SIZE = 22
TITLE_PX = 44  # added to a figure's height for its title
TEXT_COLOR, MUTED_COLOR, GRID_COLOR = palette.TEXT, palette.MUTED, palette.GRID
NO_DATA = "ไม่มีข้อมูล"

STATUS_COLORS = palette.STATUS_COLORS
# text drawn on a segment of that colour
_TEXT_ON = {"not_started": "white", "in_progress": "white", "done": "white", "cancelled": TEXT_COLOR,
            "overdue": "white"}

# pass to st.plotly_chart(config=...) / fig.show(config=...): PNG downloads at slide resolution
PLOTLY_CONFIG = {"displaylogo": False,
                 "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "ita-chart"}}


# ---------------------------------------------------------------- shared look

def style(fig: go.Figure, height: int | None = None, *, title: str | None = None) -> go.Figure:
    """The look every figure shares; returns `fig` (changed in place). `height` is without the
    title: a title adds TITLE_PX."""
    fig.update_layout(
        template="plotly_white",
        font=dict(family=FONT_FAMILY, size=BASE_FONT_SIZE, color=TEXT_COLOR),
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=16, r=28, t=24, b=24, autoexpand=True),
        legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom", yref="paper",
                    font=dict(size=BASE_FONT_SIZE - 1), title=dict(text=""), bgcolor="rgba(255,255,255,0)",
                    itemclick="toggle", itemdoubleclick="toggleothers", traceorder="normal"),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=SMALL_FONT_SIZE, color=TEXT_COLOR),
                        bgcolor="white", bordercolor=palette.HOVER_BORDER, align="left"),
        separators=".,",
    )
    axis = dict(automargin=True, gridcolor=GRID_COLOR, zeroline=False, linecolor=palette.AXIS_LINE,
                tickfont=dict(size=BASE_FONT_SIZE - 1, color=TEXT_COLOR),
                title=dict(font=dict(size=BASE_FONT_SIZE, color=TEXT_COLOR)))
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    if height:
        fig.update_layout(height=int(height) + (TITLE_PX if title else 0))
    if title:
        fig.update_layout(title=dict(text=title, x=0, xanchor="left", xref="paper", y=1, yref="container",
                                     yanchor="top", pad=dict(t=14), automargin=True,
                                     font=dict(size=TITLE_FONT_SIZE, color=TEXT_COLOR)))
    return fig


def empty_figure(message: str = NO_DATA, height: int = 320, *, title: str | None = None) -> go.Figure:
    """A figure with only a centred message, for frames with nothing to draw."""
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font=dict(size=BASE_FONT_SIZE + 5, color=MUTED_COLOR))
    style(fig, height, title=title)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


@lru_cache(maxsize=4096)
def _wrap(text: str, width: int) -> str:
    return wrap_thai(text, width)


def _esc(text) -> str:
    """Plotly reads text as HTML-like markup: keep "<" and ">" of the data as characters."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrap_label(text, width: int) -> str:
    """Escaped and wrapped for a tick label or a hover line."""
    return _wrap(_esc(text), width)


def _lines(label: str) -> int:
    return label.count("<br>") + 1


def _row_px(labels: list[str], minimum: int = 44, per_line: int = 22) -> int:
    """Height of one bar row: room for the tallest wrapped label."""
    most = max((_lines(label) for label in labels), default=1)
    return max(minimum, per_line * most + 18)


def bar_height(rows: int, row_px: int = 44, extra: int = 160) -> int:
    """Figure height that grows with the number of bars."""
    return int(extra + max(rows, 1) * row_px)


def _empty(frame) -> bool:
    return frame is None or len(frame) == 0


def _num(value) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _int_dtick(top: float) -> int | None:
    """A whole-number tick step for counts up to `top` (None lets Plotly choose)."""
    for limit, step in ((8, 1), (16, 2), (40, 5), (80, 10)):
        if top <= limit:
            return step
    return None


# ---------------------------------------------------------------- scores and gaps

# Every agency's scores on the same axis, 0 to 100: a chart of one agency reads like another's.
SCORE_AXIS_START = 0.0


def _grade_bands() -> list[tuple[str, float, float]]:
    """(grade, low, high) from the top band down."""
    bands, high = [], 100.0
    for name, low in framework.GRADE_BANDS:
        bands.append((name, float(low), high))
        high = float(low)
    return bands


SCORE_BAR_PX = 24  # the thickness of a score bar
SCORE_LINE_PX = 21  # one line of the label above it
# the plot on a phone: a 390 px screen less the page's padding and the figure's margins
PHONE_PLOT_PX = 330


def wrap_px(text, px: float, font_px: float) -> str:
    """Escaped and wrapped (wrap_label) so that no line is wider than `px` pixels in Sarabun at
    `font_px`: the widest width in characters whose lines all fit (a single word stays whole)."""
    fits = lambda label: all(em_width(line) * font_px <= px for line in label.split("<br>"))
    width = max(1, int(px / (0.45 * font_px)))
    label = wrap_label(text, width)
    while width > 4 and not fits(label):
        width -= 1
        label = wrap_label(text, width)
    return label


def score_gap_figure(frame: pd.DataFrame, *, label_px: float | None = None,
                     title: str | None = None) -> go.Figure:
    """Horizontal bars: each score with its gap to 100 stacked on it, the largest gap on top, on one
    0-100 axis for every agency. Above each bar, its label on the left and its gap to 100 on the
    right, over the gap's own segment; the label wraps to leave the gap room on a phone's plot
    (PHONE_PLOT_PX, or `label_px` wide), so nothing needs a margin and nothing is cut at 390 px.

    `frame` is `views.score_chart_frame(findings, level)`: rows sorted with the largest gap LAST, and
    the rows are drawn bottom to top in that order, so the largest gap is the top bar. The question
    level (a frame with `id`) puts finding ids in `customdata`; the indicator level `indicator_no`.
    A score under the pass mark is red: its bar, its label and its gap."""
    if _empty(frame):
        return empty_figure(title=title)
    question_level = "id" in frame.columns
    keys = frame["id"] if question_level else frame["indicator_no"]
    customdata = [int(k) if _num(k) is not None else k for k in keys]
    scores = [_num(s) for s in frame["score"]]
    gaps = [None if s is None else round(100.0 - s, 4) for s in scores]
    below = [s is not None and s < framework.PASS_MARK for s in scores]
    font_px = BASE_FONT_SIZE - 1
    gap_texts = ["ไม่มีคะแนน" if s is None else f"ห่างจาก 100 = {g:.2f}" for s, g in zip(scores, gaps)]
    widest_gap = max(em_width(text) for text in gap_texts) * font_px
    labels = [wrap_px(label, label_px or PHONE_PLOT_PX - widest_gap - 14, font_px) for label in frame["label"]]
    n = len(frame)
    start = SCORE_AXIS_START

    hover = []
    for i, row in enumerate(frame.itertuples(index=False)):
        score = scores[i]
        lines = [f"<b>{_esc(row.label)}</b>"]
        if question_level:
            if getattr(row, "question", None):
                lines.append(wrap_label(row.question, 48))
            lines.append(f"ตัวชี้วัด: {_esc(row.indicator)}")
        else:
            tool = getattr(row, "tool", None)
            if tool in framework.TOOL_NAMES_TH:
                lines.append(f"{tool}: {framework.TOOL_NAMES_TH[tool]}")
            questions = getattr(row, "questions", None)
            if _num(questions):
                lines.append(f"เฉลี่ยจาก {int(questions)} ข้อคำถาม")
        if score is None:
            lines.append("ไม่มีคะแนน")
        else:
            lines.append(f"คะแนน: <b>{score:.2f}</b> (ระดับ {framework.grade(score)})")
            lines.append(f"ห่างจาก 100: {100 - score:.2f}")
            if score < framework.PASS_MARK:
                lines.append(f"<b>ต่ำกว่าเกณฑ์ผ่าน {framework.PASS_MARK:g}</b>")
        hover.append("<br>".join(lines))

    # rows of their own heights (the label's lines + the bar), bottom to top; y in pixels
    heights = [SCORE_LINE_PX * _lines(label) + SCORE_BAR_PX + 16 for label in labels]
    bottoms = [sum(heights[:i]) for i in range(n)]
    y = [bottom + 4 + SCORE_BAR_PX / 2 for bottom in bottoms]  # the bar's centre
    plot_px = sum(heights)
    headroom = 48  # the grade letters and the pass mark's label above the top row

    fig = go.Figure()
    fig.add_trace(go.Bar(
        name="คะแนน", orientation="h", y=y, x=scores, customdata=customdata, width=SCORE_BAR_PX,
        marker_color=[palette.BELOW_PASS if low else palette.SCORE for low in below],
        text=[f"{s:.2f}" if s is not None else "" for s in scores], textposition="inside",
        insidetextanchor="end", textfont=dict(color="white", size=BASE_FONT_SIZE - 1), constraintext="none",
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", cliponaxis=True))
    fig.add_trace(go.Bar(
        name="ห่างจาก 100", orientation="h", y=y, x=gaps, customdata=customdata, width=SCORE_BAR_PX,
        marker_color=palette.GAP, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))

    # above each bar: its label on the left, its gap on the right (red under the pass mark)
    for i, gap_text in enumerate(gap_texts):
        top_line = y[i] + SCORE_BAR_PX / 2 + 2 + SCORE_LINE_PX * (_lines(labels[i]) - 1)
        for text, x, anchor, y0, colour in (
                (labels[i], 0, "left", y[i] + SCORE_BAR_PX / 2 + 2, palette.BELOW_PASS if below[i] else TEXT_COLOR),
                (gap_text, 1, "right", top_line, palette.BELOW_PASS if below[i] else palette.GAP_TEXT)):
            fig.add_annotation(x=x, xref="paper", xanchor=anchor, y=y0, yref="y", yanchor="bottom", text=text,
                               showarrow=False, align=anchor, bgcolor="rgba(255,255,255,0.9)", borderpad=0,
                               font=dict(size=font_px, color=colour), name="label" if x == 0 else "gap")

    # grade bands: a strip with their letters above the rows
    strip_low, strip_high = plot_px + 6, plot_px + 30
    for name, low, high in _grade_bands():
        x0, x1 = max(low, start), min(high, 100.0)
        if x1 <= x0:
            continue
        fig.add_shape(type="rect", x0=x0, x1=x1, xref="x", y0=strip_low, y1=strip_high, yref="y", layer="below",
                      line=dict(color="white", width=1),
                      fillcolor=palette.GRADE_BAND_COLORS.get(name, palette.GRADE_BAND_OTHER))
        fig.add_annotation(x=(x0 + x1) / 2, y=(strip_low + strip_high) / 2, yref="y", text=f"<b>{name}</b>",
                           showarrow=False, font=dict(size=BASE_FONT_SIZE - 3, color=MUTED_COLOR))
    pass_mark = framework.PASS_MARK
    fig.add_shape(type="line", x0=pass_mark, x1=pass_mark, xref="x", y0=0, y1=strip_high, yref="y",
                  layer="below", line=dict(color=palette.PASS_LINE, width=2, dash="dash"), name="pass_mark")
    fig.add_annotation(x=pass_mark, y=strip_high, yref="y", yanchor="bottom", text=f"เกณฑ์ผ่าน {pass_mark:g}",
                       showarrow=False, xanchor="right", xshift=-4,
                       font=dict(size=BASE_FONT_SIZE - 2, color=palette.PASS_LINE))

    style(fig, plot_px + headroom + 110, title=title)
    fig.update_layout(showlegend=True, barmode="stack", clickmode="event+select",
                      margin=dict(l=8, r=12, t=48 if not title else 72, b=56))
    fig.update_xaxes(range=[start, 100], title_text="คะแนน (0-100 แกนเดียวกันทุกหน่วยงาน)", dtick=10,
                     ticks="outside", showline=True, showgrid=True, fixedrange=True)
    # automargin off: Plotly would otherwise keep room for the hidden tick labels at the left, and a
    # 390 px phone's plot would be narrower than PHONE_PLOT_PX, which the labels are wrapped for
    fig.update_yaxes(range=[0, strip_high + headroom - 20], showticklabels=False, showgrid=False, ticks="",
                     tickmode="array", tickvals=y, ticktext=labels, fixedrange=True,
                     title_text="", automargin=False)
    return fig


# ---------------------------------------------------------------- measure status

def status_figure(status_counts: pd.DataFrame, overdue: int = 0, *, title: str | None = None) -> go.Figure:
    """One 100% bar of the measures by status, counts and shares on the segments, and the overdue
    measures as a bar of their own under it. `status_counts` is `views.status_counts(measures)`."""
    if _empty(status_counts) or int(status_counts["count"].sum()) == 0:
        return empty_figure(title=title, height=260)
    total = int(status_counts["count"].sum())
    overdue = int(overdue or 0)
    status_row, overdue_row = "สถานะ", "เกินกำหนด"
    fig = go.Figure()
    left = 0.0  # overlay mode (for the overdue row): the status segments get explicit bases
    for row in status_counts.itertuples(index=False):
        count = int(row.count)
        share = 100.0 * count / total
        fig.add_trace(go.Bar(
            name=f"{row.status_th} {count}", orientation="h", y=[status_row], x=[share], base=[left],
            customdata=[row.status],
            marker=dict(color=STATUS_COLORS.get(row.status, palette.FALLBACK), line=dict(color="white", width=1.5)),
            text=[f"{count} ({share:.0f}%)" if count else ""], textposition="inside", insidetextanchor="middle",
            textfont=dict(color=_TEXT_ON.get(row.status, "white"), size=BASE_FONT_SIZE + 1),
            hovertemplate=f"{_esc(row.status_th)}: {count} จาก {total} มาตรการ ({share:.1f}%)<extra></extra>"))
        left += share
    share = 100.0 * overdue / total
    fig.add_trace(go.Bar(  # the track behind the overdue bar
        orientation="h", y=[overdue_row], x=[100], marker_color=palette.TRACK, showlegend=False, hoverinfo="skip",
        width=0.45))
    fig.add_trace(go.Bar(
        name=f"เกินกำหนด {overdue}", orientation="h", y=[overdue_row], x=[share], customdata=["overdue"],
        marker=dict(color=STATUS_COLORS["overdue"]), width=0.45, showlegend=False,
        hovertemplate=f"เกินกำหนด: {overdue} จาก {total} มาตรการ ({share:.1f}%)<extra></extra>"))
    caption = (f"<b>เกินกำหนด {overdue} จาก {total} มาตรการ ({share:.0f}%)</b>" if overdue
               else "ไม่มีมาตรการที่เกินกำหนด")
    inside = share >= 45
    fig.add_annotation(x=share if not inside else share / 2, y=overdue_row, xanchor="left" if not inside else "center",
                       xshift=8 if not inside else 0, showarrow=False, text=caption,
                       font=dict(size=BASE_FONT_SIZE, color="white" if inside else STATUS_COLORS["overdue"]))
    style(fig, 270, title=title)
    fig.update_layout(barmode="overlay", bargap=0.3, clickmode="event+select")
    fig.update_xaxes(range=[0, 100], ticksuffix="%", dtick=20, showgrid=True,
                     title_text=f"ร้อยละของมาตรการทั้งหมด ({total} มาตรการ)")
    fig.update_yaxes(categoryorder="array", categoryarray=[overdue_row, status_row], showgrid=False,
                     title_text="", ticks="", tickfont=dict(size=BASE_FONT_SIZE))
    return fig


# ---------------------------------------------------------------- divisions

def division_workload_figure(workload: pd.DataFrame, *, label_width: int = 20,
                             title: str | None = None) -> go.Figure:
    """Measures per division stacked by status, the busiest division on top, the total and the
    overdue count at the bar end. `workload` is `views.division_workload(measures, findings)`."""
    if _empty(workload):
        return empty_figure(title=title)
    n = len(workload)
    y = [n - 1 - i for i in range(n)]  # the frame is busiest first: its first row is the top bar
    labels = [wrap_label(name, label_width) for name in workload["division"]]
    divisions = [str(name) for name in workload["division"]]
    hover = []
    for row in workload.itertuples(index=False):
        parts = [f"{framework.STATUS_TH[s]} {int(getattr(row, s))}" for s in framework.STATUSES
                 if int(getattr(row, s))]
        lines = [f"<b>{_esc(row.division)}</b>", f"มาตรการ {int(row.measures)} รายการ"
                 + (f": {', '.join(parts)}" if parts else ""),
                 f"ข้อค้นพบ {int(row.findings)} ข้อ · ขั้นตอนดำเนินการ {int(row.steps)} ขั้นตอน"]
        if int(row.overdue):
            lines.append(f"<b>เกินกำหนด {int(row.overdue)} มาตรการ</b>")
        hover.append("<br>".join(lines))
    fig = go.Figure()
    for status in framework.STATUSES:
        counts = [int(v) for v in workload[status]]
        if not any(counts):
            continue
        fig.add_trace(go.Bar(
            name=framework.STATUS_TH[status], orientation="h", y=y, x=counts, customdata=divisions,
            marker=dict(color=STATUS_COLORS[status], line=dict(color="white", width=1)),
            text=[str(c) if c else "" for c in counts], textposition="inside", insidetextanchor="middle",
            textfont=dict(color=_TEXT_ON[status]), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))
    top = max(int(workload["measures"].max()), 1)
    for yi, row in zip(y, workload.itertuples(index=False)):
        text = f"<b>{int(row.measures)}</b>"
        if int(row.overdue):
            text += f"   <span style='color:{STATUS_COLORS['overdue']}'>เกินกำหนด {int(row.overdue)}</span>"
        fig.add_annotation(x=int(row.measures), y=yi, xanchor="left", xshift=8, showarrow=False, text=text,
                           font=dict(size=BASE_FONT_SIZE - 1, color=TEXT_COLOR))
    row_px = _row_px(labels, minimum=46)
    style(fig, bar_height(n, row_px, extra=140), title=title)
    fig.update_layout(showlegend=True, barmode="stack", bargap=0.3, clickmode="event+select")
    fig.update_xaxes(range=[0, top * 1.42], dtick=_int_dtick(top * 1.42), title_text="จำนวนมาตรการ",
                     ticks="outside", showline=True)
    fig.update_yaxes(tickmode="array", tickvals=y, ticktext=labels, range=[-0.6, n - 0.4], showgrid=False,
                     title_text="หน่วยงานผู้รับผิดชอบ", ticks="")
    return fig


def division_heatmap(matrix: pd.DataFrame, *, label_width: int = 14, row_label_width: int = 20,
                     title: str | None = None) -> go.Figure:
    """Measures per division (rows) and indicator (columns), the count in each cell, zero cells
    left white. `matrix` is `views.division_indicator_matrix(measures)`."""
    if _empty(matrix) or matrix.shape[1] == 0:
        return empty_figure(title=title)
    z = [[int(v) for v in row] for row in matrix.to_numpy()]
    zmax = max(max(row) for row in z) or 1
    columns = [wrap_label(c, label_width) for c in matrix.columns]
    rows = [wrap_label(r, row_label_width) for r in matrix.index]
    customdata = [[[str(r), str(c)] for c in matrix.columns] for r in matrix.index]
    cut = 0.5 / zmax  # below it (zero) white, from it on the blue scale
    colorscale = [[0.0, palette.WHITE], [cut, palette.WHITE], [cut, palette.HEATMAP_SCALE_LOW], [1.0, palette.HEATMAP_SCALE_TOP]]
    fig = go.Figure(go.Heatmap(
        z=z, x=columns, y=rows, zmin=0, zmax=zmax, colorscale=colorscale, showscale=False, xgap=3, ygap=3,
        text=[[str(v) if v else "" for v in row] for row in z], texttemplate="%{text}",
        textfont=dict(size=BASE_FONT_SIZE + 1), customdata=customdata,
        hovertemplate="<b>%{customdata[0]}</b><br>ตัวชี้วัด %{customdata[1]}<br>มาตรการ %{z} รายการ<extra></extra>"))
    header_lines = max(_lines(c) for c in columns)
    row_px = _row_px(rows, minimum=48)
    style(fig, int(len(rows) * row_px + 90 + 24 * header_lines), title=title)
    fig.update_layout(plot_bgcolor=palette.HEATMAP_BACKGROUND)
    fig.update_xaxes(side="top", tickangle=0, showgrid=False, title_text="ตัวชี้วัด", ticks="")
    fig.update_yaxes(autorange="reversed", showgrid=False, title_text="หน่วยงานผู้รับผิดชอบ", ticks="")
    return fig


# ---------------------------------------------------------------- timeline

def _as_datetime(value) -> datetime:
    return pd.Timestamp(value).to_pydatetime().replace(tzinfo=None)


def timeline_figure(timeline: pd.DataFrame, today: date | None, fiscal_year: int, *, label_width: int = 40,
                    title: str | None = None) -> go.Figure:
    """A Gantt chart of the measures over the fiscal year (BE `fiscal_year`, 1 Oct - 30 Sep).

    One row per measure (the frame's order from the top), bars coloured by status with the progress
    on them, overdue bars outlined and hatched in red, month ticks in Thai with two-digit BE years,
    and a line for `today` (the range grows to include it and any bar outside the year).
    `timeline` is `views.timeline_frame(measures)`."""
    if _empty(timeline):
        return empty_figure(title=title)
    fy_start, fy_end = fiscal_year_range(int(fiscal_year))
    year_start = datetime(fy_start.year, fy_start.month, fy_start.day)
    year_end = datetime(fy_end.year, fy_end.month, fy_end.day) + timedelta(days=1)  # exclusive
    starts = [_as_datetime(v) for v in timeline["start"]]
    finishes = [_as_datetime(v) for v in timeline["finish"]]
    first = min([year_start, *starts])
    last = max([year_end, *finishes])
    today_at = datetime(today.year, today.month, today.day) if today else None
    if today_at is not None:
        if today_at < first:
            first = today_at - timedelta(days=12)
        if today_at > last - timedelta(days=6):
            last = today_at + timedelta(days=16)
    first = datetime(first.year, first.month, 1)  # whole months: a tick at the left edge

    n = len(timeline)
    y = list(range(n))  # reversed axis: the frame's first row at the top
    labels = [wrap_label(label, label_width) for label in timeline["label"]]
    overdue = [bool(v) for v in timeline["overdue"]]
    progress = [int(_num(p) or 0) for p in timeline["progress"]]
    keys = timeline["id"] if "id" in timeline.columns else timeline["ref"]
    customdata = [int(k) if _num(k) is not None else str(k) for k in keys]
    hover = []
    for i, row in enumerate(timeline.itertuples(index=False)):
        end_day = (finishes[i] - timedelta(days=1)).date()
        lines = [f"<b>{_esc(row.ref)}</b> {wrap_label(row.title, 50)}",
                 f"ช่วงเวลา: {thai_date(starts[i].date(), short=True)} – {thai_date(end_day, short=True)}",
                 f"สถานะ: {_esc(row.status_th)} · ความคืบหน้า {progress[i]}%"]
        if getattr(row, "divisions_text", ""):
            lines.append("ผู้รับผิดชอบ: " + wrap_label(row.divisions_text, 50))
        if overdue[i]:
            lines.append(f"<b style='color:{STATUS_COLORS['overdue']}'>เกินกำหนด</b>")
        hover.append("<br>".join(lines))

    fig = go.Figure()
    statuses = [s for s in framework.STATUSES if s in set(timeline["status"])]
    statuses += sorted(set(timeline["status"]) - set(statuses))
    bar_width, strip_width = 0.62, 0.13
    for status in statuses:
        idx = [i for i in range(n) if timeline["status"].iloc[i] == status]
        name = framework.STATUS_TH.get(status, str(status))
        color = STATUS_COLORS.get(status, palette.FALLBACK)
        fig.add_trace(go.Bar(  # the legend entry, plain (a bar's own entry would show its outline)
            name=name, legendgroup=status, orientation="h", y=[None], x=[None], marker_color=color,
            hoverinfo="skip"))
        fig.add_trace(go.Bar(
            name=name, legendgroup=status, showlegend=False, orientation="h", y=[y[i] for i in idx],
            base=[starts[i].isoformat() for i in idx],
            x=[(finishes[i] - starts[i]).total_seconds() * 1000 for i in idx],
            customdata=[customdata[i] for i in idx], width=bar_width,
            marker=dict(color=color,
                        line=dict(color=[STATUS_COLORS["overdue"] if overdue[i] else color for i in idx],
                                  width=[3 if overdue[i] else 0.5 for i in idx]),
                        pattern=dict(shape=["/" if overdue[i] else "" for i in idx],
                                     fgcolor=STATUS_COLORS["overdue"], fgopacity=0.45, size=10, solidity=0.2)),
            text=[f"{progress[i]}%" for i in idx], textposition="inside", insidetextanchor="start",
            textfont=dict(color=_TEXT_ON.get(status, "white"), size=BASE_FONT_SIZE - 1),
            hovertext=[hover[i] for i in idx], hovertemplate="%{hovertext}<extra></extra>"))
        done_idx = [i for i in idx if progress[i] > 0]
        if done_idx:  # the part done: a darker strip along the bottom edge of the bar
            fig.add_trace(go.Bar(
                name=f"{name} (ส่วนที่ทำแล้ว)", legendgroup=status, showlegend=False, orientation="h",
                y=[y[i] for i in done_idx], base=[starts[i].isoformat() for i in done_idx],
                x=[(finishes[i] - starts[i]).total_seconds() * 1000 * progress[i] / 100 for i in done_idx],
                customdata=[customdata[i] for i in done_idx], width=strip_width,
                offset=bar_width / 2 - strip_width,
                marker=dict(color=palette.PROGRESS_COLORS.get(status, palette.FALLBACK_DARK)),
                hovertext=[hover[i] for i in done_idx], hovertemplate="%{hovertext}<extra></extra>"))
    if any(overdue):
        fig.add_trace(go.Bar(  # legend entry only
            name=f"เกินกำหนด ({sum(overdue)})", legendgroup="overdue", orientation="h", y=[None], x=[None],
            hoverinfo="skip",
            marker=dict(color="white", line=dict(color=STATUS_COLORS["overdue"], width=2.5),
                        pattern=dict(shape="/", fgcolor=STATUS_COLORS["overdue"], fgopacity=0.7, size=8))))

    # outside the fiscal year: a grey band, so the year's bounds read at a glance
    row_px = _row_px(labels, minimum=40, per_line=21)
    headroom = max(0.9, 62 / row_px)  # rows above the first bar: the year's and today's labels
    for x0, x1 in ((first, year_start), (year_end, last)):
        if x1 > x0:
            fig.add_shape(type="rect", x0=x0.isoformat(), x1=x1.isoformat(), y0=0, y1=1, yref="paper",
                          layer="below", line_width=0, fillcolor=palette.OUTSIDE_YEAR)
    fig.add_annotation(x=year_start.isoformat(), y=-0.5 - headroom * 0.72, yref="y", xanchor="left", xshift=6,
                       showarrow=False, text=f"ปีงบประมาณ พ.ศ. {int(fiscal_year)}",
                       font=dict(size=BASE_FONT_SIZE - 1, color=MUTED_COLOR))
    if today_at is not None:
        fig.add_shape(type="line", x0=today_at.isoformat(), x1=today_at.isoformat(), y0=0, y1=1, yref="paper",
                      layer="above", line=dict(color=palette.TODAY, width=2.5), name="today")
        right_side = (today_at - first) / (last - first) > 0.6
        fig.add_annotation(x=today_at.isoformat(), y=-0.5 - headroom * 0.28, yref="y", showarrow=False,
                           xanchor="right" if right_side else "left", xshift=-6 if right_side else 6,
                           text=f"<b>วันนี้ {thai_date(today, short=True)}</b>",
                           font=dict(size=BASE_FONT_SIZE - 1, color=palette.TODAY))

    months = month_starts(first, last)
    # every month labelled up to 15 months; beyond that every other one, counted from the year's
    # October (ticks and grid stay monthly); a narrow chart lets Plotly tilt the labels
    step = 1 if len(months) <= 15 else 2
    october = months.index(year_start) if year_start in months else 0
    month_axis = dict(type="date", range=[first.isoformat(), last.isoformat()], tickmode="array",
                      tickvals=[m.isoformat() for m in months],
                      ticktext=[thai_month(m.month, m.year) if (i - october) % step == 0 else ""
                                for i, m in enumerate(months)],
                      tickfont=dict(size=SMALL_FONT_SIZE if len(months) > 12 else BASE_FONT_SIZE - 1),
                      ticks="outside", showline=True)
    style(fig, bar_height(n + headroom, row_px, extra=190), title=title)
    # the legend at the top, under the title if there is one, above the months on the top axis
    fig.update_layout(barmode="overlay", clickmode="event+select",
                      legend=dict(y=1 - (TITLE_PX + 4) / fig.layout.height if title else 1, yref="container",
                                  yanchor="top"))
    fig.update_xaxes(**month_axis, showgrid=True, title_text="เดือน (ปี พ.ศ.)")
    # the months again above the chart: a tall chart is read from the top
    fig.update_layout(xaxis2=dict(**month_axis, overlaying="x", matches="x", side="top", showgrid=False,
                                  automargin=True, linecolor=palette.AXIS_LINE))
    fig.add_trace(go.Scatter(x=[first.isoformat()], y=[None], xaxis="x2", mode="markers", showlegend=False,
                             hoverinfo="skip"))
    fig.update_yaxes(tickmode="array", tickvals=y, ticktext=labels, range=[n - 0.5, -0.5 - headroom],
                     showgrid=False, title_text="มาตรการ/โครงการ/กิจกรรม", ticks="")
    return fig


# ---------------------------------------------------------------- a score from one year to the next

UP, DOWN, SAME, MISSING = "up", "down", "same", "missing"  # a row's direction (views.question_change_frame)
CHANGE_COLORS = {UP: palette.SCORE_UP, DOWN: palette.SCORE_DOWN, SAME: palette.SCORE_SAME,
                 MISSING: palette.SCORE_SAME}
CHANGE_TH = {UP: "ดีขึ้น", DOWN: "ลดลง", SAME: "เท่าเดิม"}
CHANGE_MARK_PX = 22  # the row of the two markers
_INTEGERS = (int, np.integer)  # keys that are numbers (indicator numbers) stay numbers in customdata


def change_text(direction: str, change) -> str:
    """'▲ +1.37', '▼ -1.37', 'เท่าเดิม'; '-' without both years."""
    if direction == SAME:
        return "เท่าเดิม"
    if direction in (UP, DOWN):
        return f"{'▲' if direction == UP else '▼'} {change:+.2f}"
    return "-"


def _nice_step(span: float) -> float:
    for limit, step in ((4, 0.5), (8, 1), (16, 2), (40, 5)):
        if span <= limit:
            return step
    return 10


def score_change_figure(frame: pd.DataFrame, year_before: int, year_after: int, *, plot_px: float | None = None,
                        side_labels: bool = False, title: str | None = None) -> go.Figure:
    """Each question (or indicator) on its own row, the frame's first row on top: a hollow marker at
    its score of `year_before`, a filled one at `year_after`, joined, green when it went up, red when
    it went down. Above the row, its label on the left and the change on the right ("▲ +1.37"),
    both inside the plot: the label wraps to leave the change room on a phone's plot (PHONE_PLOT_PX,
    or `plot_px` wide), so nothing needs a margin and nothing is cut at 390 px. Each marker's score
    is written on its outer side; the axis reaches past the scores by the width of that text.

    `frame` is views.question_change_frame or indicator_change_frame (label, before, after, change,
    direction, key; question and measures for the hover). A row without one of the years has one
    marker and says which year is missing.

    `side_labels` (a slide, `plot_px` its width): each row on one line, the label at the left of
    the markers and the change at their right, so a dozen rows fit a slide's height."""
    if _empty(frame):
        return empty_figure(title=title)
    plot = float(plot_px or PHONE_PLOT_PX)
    font_px = BASE_FONT_SIZE - 1
    n = len(frame)
    befores = [_num(v) for v in frame["before"]]
    afters = [_num(v) for v in frame["after"]]
    directions = list(frame["direction"])
    texts = []
    for b, a, d, c in zip(befores, afters, directions, frame["change"]):
        if d == MISSING:
            texts.append(f"ไม่มีคะแนนปี {year_after}" if a is None else f"ไม่มีคะแนนปี {year_before}")
        else:
            texts.append(change_text(d, _num(c)))
    widest = max(em_width(t) for t in texts) * font_px
    if side_labels:  # label | markers | change, on one line
        # laid out for two thirds of `plot`: the same figure on a screen narrower than the slide
        # (the meeting page in a browser) keeps its columns apart
        nominal = plot * 0.65
        label_px = min(nominal * 0.34, max(em_width(str(t)) for t in frame["label"]) * font_px + 8)
        labels = [wrap_px(label, label_px - 8, font_px) for label in frame["label"]]
        domain = [label_px / nominal, 1 - (widest + 12) / nominal]
        plot = nominal
        heights = [max(SCORE_LINE_PX * _lines(label), CHANGE_MARK_PX) + 10 for label in labels]
    else:  # the label and the change above the markers
        labels = [wrap_px(label, plot - widest - 14, font_px) for label in frame["label"]]
        domain = [0, 1]
        heights = [SCORE_LINE_PX * _lines(label) + CHANGE_MARK_PX + 16 for label in labels]
    markers_px = plot * (domain[1] - domain[0])

    # rows bottom to top: the frame's last row at the bottom; y in pixels
    y = [0.0] * n
    bottom = 0.0
    for i in reversed(range(n)):
        y[i] = bottom + heights[i] / 2 if side_labels else bottom + 4 + CHANGE_MARK_PX / 2
        bottom += heights[i]
    plot_h = bottom
    headroom = 34  # the pass mark's label above the top row

    values = [v for v in befores + afters if v is not None]
    low = min(min(values, default=90.0), 98.0)
    text_px = em_width("100.00", bold=True) * SMALL_FONT_SIZE + 18  # the value beside its marker
    pad = (100 - low) * text_px / max(markers_px - 2 * text_px, 60)
    x_range = [low - pad, 100 + pad]
    step = _nice_step(100 - low)
    first_tick = math.ceil(low / step) * step
    ticks = [round(first_tick + k * step, 2) for k in range(int(round((100 - first_tick) / step)) + 1)]

    hover = []
    for i, row in enumerate(frame.itertuples(index=False)):
        lines = [f"<b>{_esc(row.label)}</b>"]
        question = getattr(row, "question", "")
        if isinstance(question, str) and question:
            lines.append(wrap_label(question, 48))
        for year, value in ((year_before, befores[i]), (year_after, afters[i])):
            lines.append(f"ปี {year}: " + (f"<b>{value:.2f}</b> (ระดับ {framework.grade(value)})" if value is not None
                                           else "ไม่มีคะแนน"))
        if directions[i] in (UP, DOWN, SAME):
            lines.append(f"{CHANGE_TH[directions[i]]} {_num(row.change):+.2f}")
        measures = int(_num(getattr(row, "measures", 0)) or 0)
        if measures:
            lines.append(f"มาตรการในแผน: เสร็จ {int(_num(row.done) or 0)} จาก {measures}")
        hover.append("<br>".join(lines))

    keys = [int(k) if isinstance(k, _INTEGERS) else str(k) for k in frame["key"]] if "key" in frame.columns \
        else list(range(n))
    fig = go.Figure()
    for direction in (UP, DOWN, SAME):  # the joins, one trace per colour
        xs, ys = [], []
        for i in range(n):
            if directions[i] == direction:
                xs += [befores[i], afters[i], None]
                ys += [y[i], y[i], None]
        if xs:
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=CHANGE_COLORS[direction], width=3),
                                     hoverinfo="skip", showlegend=False, name=f"join_{direction}"))
    has_b = [i for i in range(n) if befores[i] is not None]
    fig.add_trace(go.Scatter(
        name=f"ปี {year_before}", x=[befores[i] for i in has_b], y=[y[i] for i in has_b], mode="markers+text",
        marker=dict(symbol="circle-open", size=13, color=palette.SCORE_BEFORE, line=dict(width=2.5)),
        text=["" if directions[i] == SAME else f"{befores[i]:.2f}" for i in has_b],  # unchanged: written once
        textposition=["middle right" if afters[i] is not None and afters[i] < befores[i] else "middle left"
                      for i in has_b],
        textfont=dict(size=SMALL_FONT_SIZE, color=MUTED_COLOR), customdata=[keys[i] for i in has_b],
        hovertext=[hover[i] for i in has_b], hovertemplate="%{hovertext}<extra></extra>", cliponaxis=False))
    for direction in (UP, DOWN, SAME, MISSING):
        idx = [i for i in range(n) if afters[i] is not None and directions[i] == direction]
        if not idx:
            continue
        symbol = {UP: "triangle-right", DOWN: "triangle-left"}.get(direction, "circle")
        fig.add_trace(go.Scatter(
            name=f"ปี {year_after}" + (f": {CHANGE_TH[direction]}" if direction in CHANGE_TH else ""),
            x=[afters[i] for i in idx], y=[y[i] for i in idx], mode="markers+text",
            marker=dict(symbol=symbol, size=15, color=CHANGE_COLORS[direction]),
            text=[f"<b>{afters[i]:.2f}</b>" for i in idx],
            textposition=["middle left" if befores[i] is not None and afters[i] < befores[i] else "middle right"
                          for i in idx],
            textfont=dict(size=SMALL_FONT_SIZE, color=CHANGE_COLORS[direction]), customdata=[keys[i] for i in idx],
            hovertext=[hover[i] for i in idx], hovertemplate="%{hovertext}<extra></extra>", cliponaxis=False))

    # the labels and the changes as two text traces, not one annotation each: a figure of 46 rows
    # serializes in half the time on every rerun of the page
    label_colours = [palette.SCORE_DOWN if d == DOWN else TEXT_COLOR for d in directions]
    change_colours = [CHANGE_COLORS[d] if d in (UP, DOWN) else MUTED_COLOR for d in directions]
    if side_labels:  # beside the markers' area: labels end at its left edge, changes start at its right
        label_at = dict(x=[x_range[0]] * n, y=y, textposition="middle left")
        change_at = dict(x=[x_range[1]] * n, y=y, textposition="middle right")
    else:  # above the row: the label from the left edge, the change ending at the right edge on its first line
        label_at = dict(x=[x_range[0]] * n, y=[v + CHANGE_MARK_PX / 2 for v in y], textposition="top right")
        change_at = dict(x=[x_range[1]] * n,
                         y=[v + CHANGE_MARK_PX / 2 + SCORE_LINE_PX * (_lines(labels[i]) - 1) for i, v in enumerate(y)],
                         textposition="top left")
    for name, at, content, colours in (("label", label_at, labels, label_colours),
                                       ("change", change_at, texts, change_colours)):
        fig.add_trace(go.Scatter(**at, mode="text", text=content, name=name, showlegend=False, hoverinfo="skip",
                                 textfont=dict(size=font_px, color=colours), cliponaxis=False))

    if low <= framework.PASS_MARK < x_range[1]:  # a score under the pass mark: the line among the rows
        pass_mark = framework.PASS_MARK
        fig.add_shape(type="line", x0=pass_mark, x1=pass_mark, xref="x", y0=0, y1=plot_h + 6, yref="y",
                      layer="below", line=dict(color=palette.PASS_LINE, width=2, dash="dash"), name="pass_mark")
        fig.add_annotation(x=pass_mark, y=plot_h + 6, yref="y", yanchor="bottom", text=f"เกณฑ์ผ่าน {pass_mark:g}",
                           showarrow=False, xanchor="left" if pass_mark - x_range[0] < 30 else "right",
                           xshift=4 if pass_mark - x_range[0] < 30 else -4,
                           font=dict(size=BASE_FONT_SIZE - 2, color=palette.PASS_LINE), name="pass_label")

    style(fig, plot_h + headroom + 120, title=title)
    fig.update_layout(showlegend=True, clickmode="event+select",
                      margin=dict(l=8, r=12, t=56 if not title else 80, b=56 + 22 * (low > framework.PASS_MARK)))
    fig.update_xaxes(range=x_range, domain=domain, tickmode="array", tickvals=ticks, ticktext=[f"{t:g}" for t in ticks],
                     title_text=wrap_px(f"คะแนนปี {year_before} และปี {year_after}"
                                        + (f" (ทุกคะแนนผ่านเกณฑ์ {framework.PASS_MARK:g})"
                                           if low > framework.PASS_MARK else ""), plot, BASE_FONT_SIZE),
                     ticks="outside", showline=True,
                     showgrid=True, fixedrange=True, zeroline=False)
    fig.update_yaxes(range=[0, plot_h + headroom], showticklabels=False, showgrid=False, ticks="", fixedrange=True,
                     tickmode="array", tickvals=y, ticktext=labels, title_text="", automargin=False,
                     showline=not side_labels)  # beside the rows' labels a line would run into them
    return fig


def score_trend_figure(trend: pd.DataFrame, series: tuple[int, ...] | None = None, *,
                       title: str | None = None) -> go.Figure:
    """The agency's scores over the years it has: the overall ITA score (series 0, a thick line) and
    the chosen indicators (thin dotted lines); the values are in the hover (and in the table the
    page shows under it: values written on crossing lines would overlap), on
    an axis from just under the lowest score to 100 with the pass mark where it falls. Years are the
    x axis (BE); the legend sits above the plot and wraps on a phone. `trend` is views.trend_frame;
    `series` the series numbers to draw (None: every one)."""
    if _empty(trend):
        return empty_figure(title=title, message="ยังไม่มีคะแนนทางการ: นำเข้าแผ่นคะแนนที่หน้า ข้อมูล")
    shown = trend if series is None else trend[trend["series_no"].isin(series)]
    if shown.empty:
        return empty_figure(title=title)
    years = sorted(int(y) for y in trend["assessed_year"].unique())
    fig = go.Figure()
    for no, rows in shown.groupby("series_no", sort=True):
        rows = rows.sort_values("assessed_year")
        overall = int(no) == 0
        colour = palette.TREND_OVERALL if overall else palette.TREND_COLORS[(int(no) - 1) % len(palette.TREND_COLORS)]
        name = str(rows["series"].iloc[0])
        hover = [f"<b>{_esc(name)}</b><br>ปี {int(y)}: <b>{s:.2f}</b> (ระดับ {framework.grade(s)})"
                 + ("" if src == "official" else "<br>เฉลี่ยจากข้อคำถาม (ไม่มีคะแนนทางการของตัวชี้วัด)")
                 for y, s, src in zip(rows["assessed_year"], rows["score"], rows["source"])]
        fig.add_trace(go.Scatter(
            name=name, x=[str(int(y)) for y in rows["assessed_year"]], y=list(rows["score"]),
            mode="lines+markers", line=dict(color=colour, width=4 if overall else 2, dash="solid" if overall else "dot"),
            marker=dict(size=11 if overall else 8, color=colour), customdata=[int(no)] * len(rows),
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", cliponaxis=False))
    low = float(shown["score"].min())
    step = _nice_step(100 - min(low, 98.0) + 1)
    bottom = math.floor((min(low, 98.0) - 1.0) / step) * step
    if bottom < framework.PASS_MARK:
        fig.add_hline(y=framework.PASS_MARK, line=dict(color=palette.PASS_LINE, width=2, dash="dash"),
                      annotation=dict(text=f"เกณฑ์ผ่าน {framework.PASS_MARK:g}", xanchor="left", x=0, yanchor="bottom",
                                      font=dict(size=BASE_FONT_SIZE - 2, color=palette.PASS_LINE)))
    style(fig, 380, title=title)
    fig.update_layout(showlegend=True, margin=dict(l=8, r=16, t=40 if not title else 72, b=24))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=[str(y) for y in years],
                     title_text="ปีที่ประเมิน (พ.ศ.)", fixedrange=True, showline=True, ticks="outside")
    ticks = [round(bottom + k * step, 2) for k in range(int((100 - bottom) / step) + 1)]
    fig.update_yaxes(range=[bottom, 100 + step * 0.6], tickmode="array", tickvals=ticks,
                     ticktext=[f"{t:g}" for t in ticks], title_text="คะแนน", fixedrange=True)
    return fig
