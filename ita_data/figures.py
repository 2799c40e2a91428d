"""Plotly figures for the dashboard and the meeting deck: DataFrame in (the frames of views.py),
`plotly.graph_objects.Figure` out. No Streamlit, no database.

One look for every figure, set in `style()`: Sarabun (served by the app; kaleido/Chromium renders the
same figures to PNG for slides), sizes readable on a projector, white background, axes with
automargin so long Thai labels are never cut, the legend across the top, Thai axis titles.
Long Thai labels are wrapped with `thai.wrap_thai` (word segmentation, nothing cut or dropped); the
full text is always in the hover as well.

Phones first: a chart is built once and drawn at whatever width the screen gives it, 390 px on a
phone as well as 1920 on a projector. So labels are written inside the plot, above their bars
(`_above`), wrapped with `wrap_px` to fit a phone's plot (PHONE_PLOT_PX) in Sarabun's real glyph
widths; no margin of names on the left, no vertical axis title; column heads short (numbers) with the
names in the hover and a key the page writes under the chart. A slide's figure has a fixed height
(`height=`): its rows share that height, and the score chart then puts its labels beside the bars,
as a wide slide can (the meeting page shows the screen's version on a phone). The browser tests
measure every chart's text at 390, 1440 and 1920 px: nothing cut at the chart's edge, nothing
overlapping.

Selections: bar traces carry in `customdata` what a click identifies (finding id or indicator number
on the score chart, division name on the workload chart, measure id on the timeline, status key on
the status bar), so a Streamlit `on_select` event tells the page what was picked."""
from __future__ import annotations

import math
import re
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
# the plot on a phone: a 360-390 px screen less the page's padding and the figure's margins (a
# chart in a bordered box, as the meeting page's slide, has about 300 px at 390)
PHONE_PLOT_PX = 300


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


# Labels written above their bars (the phone's way: the plot keeps the whole width, no margin of
# names): at LABEL_PX in lines of LABEL_LINE_PX, on a white ground so grid lines never cross them.
LABEL_PX = BASE_FONT_SIZE - 1
LABEL_LINE_PX = SCORE_LINE_PX


def _px_width(text: str, font_px: float) -> float:
    """The widest line of `text` (lines by "<br>", markup left out) in pixels of Sarabun at `font_px`."""
    return max((em_width(re.sub(r"<[^>]+>", "", line)) * font_px for line in text.split("<br>")), default=0.0)


def _above(fig: go.Figure, text: str, y: float, *, x: float = 0, anchor: str = "left", colour: str = TEXT_COLOR,
           size: float = LABEL_PX, name: str | None = None, xref: str = "paper") -> None:
    """A label standing on `y` (the y axis' units): its bottom there, whatever the axis' direction;
    at paper `x` (0 the plot's left edge, 1 its right) or, with xref="x", at a data x."""
    fig.add_annotation(x=x, xref=xref, xanchor=anchor, y=y, yref="y", yanchor="bottom", text=text,
                       showarrow=False, align=anchor, bgcolor="rgba(255,255,255,0.9)", borderpad=0,
                       font=dict(size=size, color=colour), name=name)


def score_gap_figure(frame: pd.DataFrame, *, label_px: float | None = None, height: int | None = None,
                     title: str | None = None) -> go.Figure:
    """Horizontal bars: each score with its gap to 100 stacked on it, the largest gap on top, on one
    0-100 axis for every agency. Above each bar, its label on the left and its gap to 100 on the
    right, over the gap's own segment; the label wraps to leave the gap room on a phone's plot
    (PHONE_PLOT_PX, or `label_px` wide), so nothing needs a margin and nothing is cut at 390 px.
    The figure is as tall as its rows need.

    With `height` (a slide's figure, whose size is fixed), the rows share that height instead: each
    label on the left of its bar (wrapped to `label_px`, a third of a slide by default) and the gaps
    in a column of their own on the right, sizes fitted to the rows, so that many rows never crowd.
    That layout is for wide figures; a phone gets the one above.

    `frame` is `views.score_chart_frame(findings, level)`: rows sorted with the largest gap LAST, and
    the rows are drawn bottom to top in that order, so the largest gap is the top bar. The question
    level (a frame with `id`) puts finding ids in `customdata`; the indicator level `indicator_no`;
    a frame with `key` (views.sheet_question_frame: every question of a score sheet) its keys.
    A score under the pass mark is red: its bar, its label and its gap.

    A frame with a `group` column (the sheet's questions by indicator) gets, above the top row of
    each run of rows of one group, that group's text as a bold header across the plot (the screen's
    layout only)."""
    if _empty(frame):
        return empty_figure(title=title, height=height - (TITLE_PX if title else 0) if height else 320)
    question_level = "id" in frame.columns or "key" in frame.columns
    keys = frame["key"] if "key" in frame.columns else frame["id"] if "id" in frame.columns else frame["indicator_no"]
    customdata = [int(k) if _num(k) is not None else k for k in keys]
    scores = [_num(s) for s in frame["score"]]
    gaps = [None if s is None else round(100.0 - s, 4) for s in scores]
    below = [s is not None and s < framework.PASS_MARK for s in scores]
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
    if height:
        return _score_rows_beside(frame, customdata, scores, gaps, below, hover, int(height),
                                  label_px or 0.3 * SLIDE_FIGURE_PX, title)

    font_px = BASE_FONT_SIZE - 1
    gap_texts = ["ไม่มีคะแนน" if s is None else f"ห่างจาก 100 = {g:.2f}" for s, g in zip(scores, gaps)]
    widest_gap = max(em_width(text) for text in gap_texts) * font_px
    labels = [wrap_px(label, label_px or PHONE_PLOT_PX - widest_gap - 14, font_px) for label in frame["label"]]
    n = len(frame)
    start = SCORE_AXIS_START

    # a group's header above the top row of its run of rows (rows bottom to top: the run's last)
    groups = list(frame["group"]) if "group" in frame.columns else [None] * n
    headers = [wrap_px(groups[i], label_px or PHONE_PLOT_PX, font_px)
               if groups[i] and (i == n - 1 or groups[i + 1] != groups[i]) else "" for i in range(n)]
    header_px = [SCORE_LINE_PX * _lines(h) + GROUP_GAP_PX if h else 0 for h in headers]
    # rows of their own heights (the label's lines + the bar, and a group's header), bottom to top; y in pixels
    heights = [SCORE_LINE_PX * _lines(label) + SCORE_BAR_PX + 16 + header_px[i] for i, label in enumerate(labels)]
    bottoms = [sum(heights[:i]) for i in range(n)]
    y = [bottom + 4 + SCORE_BAR_PX / 2 for bottom in bottoms]  # the bar's centre
    plot_px = sum(heights)
    headroom = 48  # the grade letters and the pass mark's label above the top row

    fig = go.Figure()
    _score_bars(fig, y, scores, gaps, below, customdata, hover, SCORE_BAR_PX, BASE_FONT_SIZE - 1)

    # above each bar: its label on the left, its gap on the right (red under the pass mark); set at
    # once after the grade strip's (Plotly checks every annotation again on each add_annotation)
    notes, rules = [], []
    for i, gap_text in enumerate(gap_texts):
        top_line = y[i] + SCORE_BAR_PX / 2 + 2 + SCORE_LINE_PX * (_lines(labels[i]) - 1)
        for text, x, anchor, y0, colour in (
                (labels[i], 0, "left", y[i] + SCORE_BAR_PX / 2 + 2, palette.BELOW_PASS if below[i] else TEXT_COLOR),
                (gap_text, 1, "right", top_line, palette.BELOW_PASS if below[i] else palette.GAP_TEXT)):
            notes.append(dict(x=x, xref="paper", xanchor=anchor, y=y0, yref="y", yanchor="bottom", text=text,
                              showarrow=False, align=anchor, bgcolor="rgba(255,255,255,0.9)", borderpad=0,
                              font=dict(size=font_px, color=colour), name="label" if x == 0 else "gap"))
        if headers[i]:  # a group's header, bold, above its top row's label
            label_top = y[i] + SCORE_BAR_PX / 2 + 2 + SCORE_LINE_PX * _lines(labels[i])
            notes.append(dict(x=0, xref="paper", xanchor="left", y=label_top + GROUP_GAP_PX - 4, yref="y",
                              yanchor="bottom", text=f"<b>{headers[i]}</b>", showarrow=False, align="left",
                              bgcolor="white", borderpad=0, font=dict(size=font_px, color=TEXT_COLOR), name="group"))
            if i < n - 1:  # a rule between the group above and this header
                rule = label_top + GROUP_GAP_PX - 4 + SCORE_LINE_PX * _lines(headers[i]) + GROUP_GAP_PX / 2
                rules.append(dict(type="line", xref="paper", x0=0, x1=1, y0=rule, y1=rule, yref="y", layer="below",
                                  line=dict(color=palette.AXIS_LINE, width=1), name="group_rule"))

    strip_high = _grade_strip(fig, plot_px + 6, plot_px + 30, 0)
    fig.update_layout(annotations=[*fig.layout.annotations, *notes], shapes=[*fig.layout.shapes, *rules])
    style(fig, plot_px + headroom + 110, title=title)
    fig.update_layout(showlegend=True, barmode="stack", clickmode="event+select",  # r: room for half of "100"
                      margin=dict(l=8, r=16, t=48 if not title else 72, b=56))
    fig.update_xaxes(range=[start, 100], title_text="คะแนน (0-100 แกนเดียวกันทุกหน่วยงาน)", dtick=10,
                     ticks="outside", showline=True, showgrid=True, fixedrange=True)
    # automargin off: Plotly would otherwise keep room for the hidden tick labels at the left, and a
    # 390 px phone's plot would be narrower than PHONE_PLOT_PX, which the labels are wrapped for
    fig.update_yaxes(range=[0, strip_high + headroom - 20], showticklabels=False, showgrid=False, ticks="",
                     tickmode="array", tickvals=y, ticktext=labels, fixedrange=True, automargin=False)
    return fig


GROUP_GAP_PX = 18  # above a group's header: room between it and the group below


SLIDE_FIGURE_PX = 1184  # a slide's figure, wide (exports/layout.CONTENT_W at 96 px an inch)


def _score_bars(fig: go.Figure, y, scores, gaps, below, customdata, hover, bar_px: float, font_px: float) -> None:
    """The score bars (score printed inside at the end) and the gap segments stacked on them."""
    fig.add_trace(go.Bar(
        name="คะแนน", orientation="h", y=y, x=scores, customdata=customdata, width=bar_px,
        marker_color=[palette.BELOW_PASS if low else palette.SCORE for low in below],
        text=[f"{s:.2f}" if s is not None else "" for s in scores], textposition="inside",
        insidetextanchor="end", textfont=dict(color="white", size=font_px), constraintext="none",
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", cliponaxis=True))
    fig.add_trace(go.Bar(
        name="ห่างจาก 100", orientation="h", y=y, x=gaps, customdata=customdata, width=bar_px,
        marker_color=palette.GAP, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))


def _grade_strip(fig: go.Figure, strip_low: float, strip_high: float, bottom: float,
                 letter_px: float = BASE_FONT_SIZE - 3) -> float:
    """The grade bands as a strip with their letters from `strip_low` to `strip_high` (y units), and
    the dashed pass-mark line from `bottom` up through it with its label on top; returns strip_high."""
    for name, low, high in _grade_bands():
        x0, x1 = max(low, SCORE_AXIS_START), min(high, 100.0)
        if x1 <= x0:
            continue
        fig.add_shape(type="rect", x0=x0, x1=x1, xref="x", y0=strip_low, y1=strip_high, yref="y", layer="below",
                      line=dict(color="white", width=1),
                      fillcolor=palette.GRADE_BAND_COLORS.get(name, palette.GRADE_BAND_OTHER))
        fig.add_annotation(x=(x0 + x1) / 2, y=(strip_low + strip_high) / 2, yref="y", text=f"<b>{name}</b>",
                           showarrow=False, font=dict(size=letter_px, color=MUTED_COLOR))
    pass_mark = framework.PASS_MARK
    fig.add_shape(type="line", x0=pass_mark, x1=pass_mark, xref="x", y0=bottom, y1=strip_high, yref="y",
                  layer="below", line=dict(color=palette.PASS_LINE, width=2, dash="dash"), name="pass_mark")
    fig.add_annotation(x=pass_mark, y=strip_high, yref="y", yanchor="bottom", text=f"เกณฑ์ผ่าน {pass_mark:g}",
                       showarrow=False, xanchor="right", xshift=-4,
                       font=dict(size=BASE_FONT_SIZE - 2, color=palette.PASS_LINE))
    return strip_high


def _score_rows_beside(frame, customdata, scores, gaps, below, hover, height: int, label_px: float,
                       title: str | None) -> go.Figure:
    """score_gap_figure at a fixed `height`: labels left of the bars, the gaps in a right column."""
    n = len(frame)
    top_px, bottom_px = (48 if not title else 48 + TITLE_PX), 60  # the legend; the axis and its title
    headroom = 40  # the grade strip and the pass mark's label above the rows
    plot_px = max(height - top_px - bottom_px, 60)
    pitch = (plot_px - headroom) / n  # one row, in pixels
    font_px = max(10, min(BASE_FONT_SIZE - 1, int(pitch * 0.62)))
    labels = [wrap_px(label, label_px, font_px) for label in frame["label"]]
    most = max(_lines(label) for label in labels)
    if most > 1:  # wrapped labels: the lines must fit the row
        font_px = max(10, min(font_px, int(pitch * 0.9 / most / 1.3)))
        labels = [wrap_px(label, label_px, font_px) for label in frame["label"]]
    bar_px = max(6.0, min(SCORE_BAR_PX, pitch * 0.62))
    # y in pixels of the plot, from its bottom: row i (the largest gap last) centred in its pitch
    y = [pitch * (i + 0.5) for i in range(n)]
    fig = go.Figure()
    _score_bars(fig, y, scores, gaps, below, customdata, hover, bar_px, font_px)
    for i, gap in enumerate(gaps):
        fig.add_annotation(x=1, xref="paper", xanchor="left", xshift=10, y=y[i], yref="y", showarrow=False,
                           text="-" if gap is None else f"{gap:.2f}", name="gap", align="left",
                           font=dict(size=font_px, color=palette.BELOW_PASS if below[i] else palette.GAP_TEXT))
    strip_low = n * pitch + 4
    strip_high = _grade_strip(fig, strip_low, strip_low + min(24, headroom * 0.55), 0,
                              letter_px=min(BASE_FONT_SIZE - 3, font_px))
    header = "ห่างจาก 100"
    fig.add_annotation(x=1, xref="paper", xanchor="left", xshift=10, y=strip_low, yref="y", yanchor="bottom",
                       showarrow=False, text=header, align="left",
                       font=dict(size=min(BASE_FONT_SIZE - 2, font_px + 1), color=palette.GAP_TEXT))
    right = _px_width(header, min(BASE_FONT_SIZE - 2, font_px + 1)) + 24
    style(fig, height - (TITLE_PX if title else 0), title=title)
    fig.update_layout(showlegend=True, barmode="stack", clickmode="event+select",
                      margin=dict(l=8, r=right, t=top_px, b=bottom_px, autoexpand=True))
    fig.update_xaxes(range=[SCORE_AXIS_START, 100], title_text="คะแนน (0-100 แกนเดียวกันทุกหน่วยงาน)", dtick=10,
                     ticks="outside", showline=True, showgrid=True, fixedrange=True)
    fig.update_yaxes(range=[0, plot_px], tickmode="array", tickvals=y,
                     ticktext=[f"<span style='color:{palette.BELOW_PASS}'>{label}</span>" if low else label
                               for label, low in zip(labels, below)],
                     tickfont=dict(size=font_px), showgrid=False, ticks="", fixedrange=True)
    return fig


# ---------------------------------------------------------------- measure status

def status_figure(status_counts: pd.DataFrame, overdue: int = 0, *, title: str | None = None) -> go.Figure:
    """One 100% bar of the measures by status, counts and shares on the segments (a segment too
    short for its text leaves it to the legend and the hover), the legend of the statuses it has
    above it; and the overdue measures as a bar of their own under it, its caption written above
    it. No row names: nothing takes width from the bars on a phone. `status_counts` is
    `views.status_counts(measures)`."""
    if _empty(status_counts) or int(status_counts["count"].sum()) == 0:
        return empty_figure(title=title, height=260)
    total = int(status_counts["count"].sum())
    overdue = int(overdue or 0)
    status_y, overdue_y, overdue_width = 1.0, 0.0, 0.3
    fig = go.Figure()
    left = 0.0  # overlay mode (for the overdue row): the status segments get explicit bases
    for row in status_counts.itertuples(index=False):
        count = int(row.count)
        share = 100.0 * count / total
        fig.add_trace(go.Bar(
            name=f"{row.status_th} {count}", orientation="h", y=[status_y], x=[share], base=[left],
            customdata=[row.status], width=0.55, showlegend=count > 0,  # no key for what is not drawn
            marker=dict(color=STATUS_COLORS.get(row.status, palette.FALLBACK), line=dict(color="white", width=1.5)),
            text=[f"{count} ({share:.0f}%)" if count else ""], textposition="inside", insidetextanchor="middle",
            textangle=0, textfont=dict(color=_TEXT_ON.get(row.status, "white"), size=BASE_FONT_SIZE + 1),
            hovertemplate=f"{_esc(row.status_th)}: {count} จาก {total} มาตรการ ({share:.1f}%)<extra></extra>"))
        left += share
    share = 100.0 * overdue / total
    fig.add_trace(go.Bar(  # the track behind the overdue bar
        orientation="h", y=[overdue_y], x=[100], marker_color=palette.TRACK, showlegend=False, hoverinfo="skip",
        width=overdue_width))
    fig.add_trace(go.Bar(
        name=f"เกินกำหนด {overdue}", orientation="h", y=[overdue_y], x=[share], customdata=["overdue"],
        marker=dict(color=STATUS_COLORS["overdue"]), width=overdue_width, showlegend=False,
        hovertemplate=f"เกินกำหนด: {overdue} จาก {total} มาตรการ ({share:.1f}%)<extra></extra>"))
    caption = (f"<b>{wrap_px(f'เกินกำหนด {overdue} จาก {total} มาตรการ ({share:.0f}%)', PHONE_PLOT_PX, BASE_FONT_SIZE)}</b>"
               if overdue else "ไม่มีมาตรการที่เกินกำหนด")
    _above(fig, caption, overdue_y + overdue_width / 2 + 0.02, size=BASE_FONT_SIZE, name="overdue",
           colour=STATUS_COLORS["overdue"] if overdue else MUTED_COLOR)
    style(fig, 290, title=title)
    fig.update_layout(barmode="overlay", clickmode="event+select", uniformtext=dict(minsize=12, mode="hide"))
    fig.update_xaxes(range=[0, 100], ticksuffix="%", dtick=20, showgrid=True, fixedrange=True,
                     title_text=f"ร้อยละของ {total} มาตรการ")
    fig.update_yaxes(range=[overdue_y - 0.4, status_y + 0.45], showticklabels=False, showgrid=False,
                     ticks="", fixedrange=True)
    return fig


# ---------------------------------------------------------------- divisions

WORKLOAD_BAR_PX = 24


def division_workload_figure(workload: pd.DataFrame, *, label_px: float | None = None, height: int | None = None,
                             title: str | None = None) -> go.Figure:
    """Measures per division stacked by status, the busiest division on top: each division's name
    above its bar (wrapped to a phone's plot, PHONE_PLOT_PX, or `label_px`) followed by its overdue
    count in red, its total at the bar's end, the count of each status on its segment when the bar
    has more than one (a segment too short for its number leaves it to the hover). No margin of
    names: the bars keep the plot's whole width on a phone. The figure is as tall as its rows need,
    or `height` (a slide's): the rows then share it, the bars and letters sized to fit; when so many
    rows would leave the names under 14 px, the names go beside the bars instead, as a wide slide
    can (wrapped to `label_px`, a third of a slide by default). `workload` is
    `views.division_workload(measures, findings)`."""
    if _empty(workload):
        return empty_figure(title=title, height=height - (TITLE_PX if title else 0) if height else 320)
    n = len(workload)
    overdue = [int(v) for v in workload["overdue"]]
    late = [f"<span style='color:{STATUS_COLORS['overdue']}'><b>เกินกำหนด {o}</b></span>" if o else ""
            for o in overdue]
    top_px, bottom_px = (44 if not title else 44 + TITLE_PX), 64  # the legend; the axis and its title

    def laid_out(font_px: int) -> tuple[list[str], int]:
        # the overdue count follows the name's last line, or takes a line of its own
        room = label_px or PHONE_PLOT_PX
        labels = []
        for name, text in zip(workload["division"], late):
            label = wrap_px(name, room, font_px)
            if text:
                joined = f"{label} · {text}"
                label = joined if _px_width(joined.split("<br>")[-1], font_px) <= room else f"{label}<br>{text}"
            labels.append(label)
        return labels, max(_lines(label) for label in labels)

    font_px = LABEL_PX
    labels, lines = laid_out(font_px)
    line_px = LABEL_LINE_PX
    beside = False
    if height:  # the rows share the height given: letters shrink before the bars get too thin
        pitch = (height - top_px - bottom_px) / n
        while font_px > 11 and pitch - lines * round(font_px * 1.32) - 8 < 12:
            font_px -= 1
            labels, lines = laid_out(font_px)
        line_px = round(font_px * 1.32)
        bar_px = max(8.0, min(WORKLOAD_BAR_PX + 4, pitch - lines * line_px - 8))
        if font_px < LABEL_PX - 2:  # too small for a slide: the names beside the bars
            beside, label_px = True, label_px or 0.3 * SLIDE_FIGURE_PX
            font_px = LABEL_PX
            labels, lines = laid_out(font_px)
            while font_px > 10 and lines * font_px * 1.3 > pitch * 0.9:
                font_px -= 1
                labels, lines = laid_out(font_px)
            bar_px = min(WORKLOAD_BAR_PX + 4, pitch * 0.62)
    else:
        bar_px = WORKLOAD_BAR_PX
        pitch = lines * line_px + bar_px + 18
    # row i (the busiest first) spans y in [n-1-i - 0.5, n-1-i + 0.5]: the bar low in it with its name
    # above, or (beside) the bar in its middle
    bar = bar_px / pitch
    bar_y = [n - 1 - i + (0 if beside else -0.5 + (6 / pitch) + bar / 2) for i in range(n)]
    divisions = [str(name) for name in workload["division"]]
    hover = []
    for row in workload.itertuples(index=False):
        parts = [f"{framework.STATUS_TH[s]} {int(getattr(row, s))}" for s in framework.STATUSES
                 if int(getattr(row, s))]
        text = [f"<b>{_esc(row.division)}</b>", f"มาตรการ {int(row.measures)} รายการ"
                + (f": {', '.join(parts)}" if parts else ""),
                f"ข้อค้นพบ {int(row.findings)} ข้อ · ขั้นตอนดำเนินการ {int(row.steps)} ขั้นตอน"]
        if int(row.overdue):
            text.append(f"<b>เกินกำหนด {int(row.overdue)} มาตรการ</b>")
        hover.append("<br>".join(text))
    fig = go.Figure()
    segments = [sum(1 for s in framework.STATUSES if int(getattr(row, s))) for row in workload.itertuples()]
    for status in framework.STATUSES:
        counts = [int(v) for v in workload[status]]
        if not any(counts):
            continue
        fig.add_trace(go.Bar(
            name=framework.STATUS_TH[status], orientation="h", y=bar_y, x=counts, customdata=divisions, width=bar,
            marker=dict(color=STATUS_COLORS[status], line=dict(color="white", width=1)),
            text=[str(c) if c and k > 1 else "" for c, k in zip(counts, segments)], textposition="inside",
            insidetextanchor="middle", textangle=0,
            textfont=dict(color=_TEXT_ON[status], size=min(font_px, bar_px * 0.75)), constraintext="inside",
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))
    top = max(int(workload["measures"].max()), 1)
    for i, row in enumerate(workload.itertuples(index=False)):
        if not beside:
            _above(fig, labels[i], bar_y[i] + bar / 2 + 2 / pitch, size=font_px, name="label")
        fig.add_annotation(x=int(row.measures), y=bar_y[i], xanchor="left", xshift=6, showarrow=False,
                           text=f"<b>{int(row.measures)}</b>", name="total",
                           font=dict(size=font_px, color=TEXT_COLOR))
    # the total after the longest bar: about three digits of room on a phone's plot
    x_top = top * PHONE_PLOT_PX / (PHONE_PLOT_PX - _px_width("<b>000</b>", font_px) - 10)
    style(fig, height - (TITLE_PX if title else 0) if height else n * pitch + top_px + bottom_px, title=title)
    fig.update_layout(showlegend=True, barmode="stack", clickmode="event+select",
                      uniformtext=dict(minsize=11, mode="hide"),
                      margin=dict(l=8, r=12, t=top_px, b=bottom_px))
    fig.update_xaxes(range=[0, x_top], dtick=_int_dtick(x_top), title_text="จำนวนมาตรการ", ticks="outside",
                     showline=True, fixedrange=True)
    fig.update_yaxes(range=[-0.5, n - 0.5], showticklabels=beside, showgrid=False, ticks="", fixedrange=True,
                     tickmode="array", tickvals=bar_y, ticktext=labels, tickfont=dict(size=font_px))
    return fig


HEAT_CELL_PX = 36


def indicator_number(column: str, position: int) -> str:
    """A heatmap column's short name: the indicator's number of "1. การปฏิบัติหน้าที่" (else its place)."""
    head = str(column).split(".", 1)[0].strip()
    return head if head.isdigit() else str(position + 1)


def division_heatmap(matrix: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Measures per division (rows) and indicator (columns), the count in each cell, zero cells
    left pale. Made for a phone: the columns are headed by the indicator's number only (the name is
    in the hover; the page writes the key under the chart), and each division's name is written
    above its row of cells, so no margin of names narrows the cells. `matrix` is
    `views.division_indicator_matrix(measures)`."""
    if _empty(matrix) or matrix.shape[1] == 0:
        return empty_figure(title=title)
    counts = [[int(v) for v in row] for row in matrix.to_numpy()]
    zmax = max(max(row) for row in counts) or 1
    columns = [str(c) for c in matrix.columns]
    m, n = len(columns), len(matrix.index)
    names = [wrap_px(r, PHONE_PLOT_PX, LABEL_PX) for r in matrix.index]
    band = max(_lines(name) for name in names) * LABEL_LINE_PX + 6  # the names' line(s) above each row
    # rows top to bottom, y in pixels from the top: a blank band (the name) then the row of cells
    z, text, customdata, edges = [], [], [], [0]
    for r, row in zip(matrix.index, counts):
        z += [[None] * m, row]
        text += [[""] * m, [str(v) if v else "" for v in row]]
        customdata += [[None] * m, [[str(r), c] for c in columns]]
        edges += [edges[-1] + band, edges[-1] + band + HEAT_CELL_PX]
    cut = 0.5 / zmax  # below it (zero) pale grey, from it on the blue scale
    colorscale = [[0.0, palette.HEATMAP_BACKGROUND], [cut, palette.HEATMAP_BACKGROUND],
                  [cut, palette.HEATMAP_SCALE_LOW], [1.0, palette.HEATMAP_SCALE_TOP]]
    fig = go.Figure(go.Heatmap(
        z=z, x=list(range(m)), y=edges, zmin=0, zmax=zmax, colorscale=colorscale, showscale=False, xgap=3, ygap=3,
        text=text, texttemplate="%{text}", textfont=dict(size=BASE_FONT_SIZE), customdata=customdata,
        hoverongaps=False,
        hovertemplate="<b>%{customdata[0]}</b><br>ตัวชี้วัด %{customdata[1]}<br>มาตรการ %{z} รายการ<extra></extra>"))
    for i, name in enumerate(names):
        _above(fig, name, edges[2 * i + 1], size=LABEL_PX, name="division")
    plot_px = edges[-1]
    style(fig, plot_px + 86, title=title)
    fig.update_layout(plot_bgcolor="white", margin=dict(l=8, r=12, t=70 + (TITLE_PX if title else 0), b=12))
    fig.update_xaxes(side="top", tickmode="array", tickvals=list(range(m)),
                     ticktext=[indicator_number(c, i) for i, c in enumerate(columns)], tickangle=0,
                     range=[-0.5, m - 0.5], showgrid=False, title_text="ตัวชี้วัด", ticks="", fixedrange=True)
    fig.update_yaxes(range=[plot_px, 0], showticklabels=False, showgrid=False, ticks="",
                     fixedrange=True)
    return fig


# ---------------------------------------------------------------- timeline

def _as_datetime(value) -> datetime:
    return pd.Timestamp(value).to_pydatetime().replace(tzinfo=None)


TIMELINE_BAR_PX = 22


def _month_ticks(months: list, year_start: datetime, last: datetime, plot_px: float) -> dict:
    """The month axis: each month's name centred in its month (the year's two BE digits under the
    first name of each year), tick marks and grid lines at the months' starts. Names in
    the largest font (12 px at least) at which neighbours keep apart on a plot `plot_px` wide, else
    every other month's, counted from the year's October; a month less than half shown is not named."""
    ends = months[1:] + [last]
    span = (last - months[0]).total_seconds()
    month_px = plot_px * 30.4 * 86400 / span  # a whole month's width
    october = months.index(year_start) if year_start in months else 0
    for step in (1, 2, 3):
        shown = [i for i, (month, end) in enumerate(zip(months, ends))
                 if (i - october) % step == 0 and (end - month).days >= 15]
        names = [thai_month(months[i].month) for i in shown]
        size = BASE_FONT_SIZE - 1
        while size > 11 and any((_px_width(a, size) + _px_width(b, size)) / 2 + 2 > month_px * step
                                for a, b in zip(names, names[1:])):
            size -= 1
        if size >= 12:
            break
    mids, texts, year = [], [], None
    for i in shown:
        month = months[i]
        name = thai_month(month.month)
        if month.year != year:  # the first name of each year carries the year
            name += f"<br>{(month.year + 543) % 100:02d}"
            year = month.year
        mids.append(month + (ends[i] - month) / 2)
        texts.append(name)
    return dict(type="date", tickmode="array", tickvals=[m.isoformat() for m in mids], ticktext=texts,
                ticks="", tickangle=0, tickfont=dict(size=size), showline=True, fixedrange=True,
                minor=dict(tickmode="array", tickvals=[m.isoformat() for m in months], ticks="outside",
                           ticklen=6, tickcolor=palette.AXIS_LINE, showgrid=True, gridcolor=GRID_COLOR))


def timeline_figure(timeline: pd.DataFrame, today: date | None, fiscal_year: int, *, label_px: float | None = None,
                    title: str | None = None) -> go.Figure:
    """A Gantt chart of the measures over the fiscal year (BE `fiscal_year`, 1 Oct - 30 Sep).

    One row per measure (the frame's order from the top), its label written above its bar (wrapped
    to a phone's plot, PHONE_PLOT_PX, or `label_px`, so the bars keep the whole width on a phone),
    bars coloured by status with the progress on them, overdue bars outlined and hatched in red,
    Thai month names centred in their months (each year's first with its BE year) above and below,
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
    labels = [wrap_px(label, label_px or PHONE_PLOT_PX, LABEL_PX) for label in timeline["label"]]
    # rows top to bottom, y in pixels from the plot's top: the label's lines, then the bar
    headroom = 2 * LABEL_LINE_PX + 12  # the year's and today's names above the first row
    heights = [_lines(label) * LABEL_LINE_PX + TIMELINE_BAR_PX + 16 for label in labels]
    tops = [headroom + sum(heights[:i]) for i in range(n)]
    y = [top + _lines(label) * LABEL_LINE_PX + 4 + TIMELINE_BAR_PX / 2 for top, label in zip(tops, labels)]
    plot_px = headroom + sum(heights)
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
    bar_width, strip_width = TIMELINE_BAR_PX, 5
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
            text=[f"{progress[i]}%" for i in idx], textposition="inside", insidetextanchor="start", textangle=0,
            textfont=dict(color=_TEXT_ON.get(status, "white"), size=BASE_FONT_SIZE - 2),
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
    for i, label in enumerate(labels):  # each measure's label above its bar
        _above(fig, label, y[i] - TIMELINE_BAR_PX / 2 - 2, size=LABEL_PX, name="label")

    # outside the fiscal year: a grey band, so the year's bounds read at a glance
    for x0, x1 in ((first, year_start), (year_end, last)):
        if x1 > x0:
            fig.add_shape(type="rect", x0=x0.isoformat(), x1=x1.isoformat(), y0=0, y1=1, yref="paper",
                          layer="below", line_width=0, fillcolor=palette.OUTSIDE_YEAR)
    # the year's name and today's on lines of their own above the first row
    _above(fig, f"ปีงบประมาณ พ.ศ. {int(fiscal_year)}", 2 + LABEL_LINE_PX, x=year_start.isoformat(), xref="x",
           colour=MUTED_COLOR, name="year")
    if today_at is not None:
        fig.add_shape(type="line", x0=today_at.isoformat(), x1=today_at.isoformat(), y0=0, y1=1, yref="paper",
                      layer="above", line=dict(color=palette.TODAY, width=2.5), name="today")
        right_side = (today_at - first) / (last - first) > 0.55
        _above(fig, f"<b>วันนี้ {thai_date(today, short=True)}</b>", headroom - 6, x=today_at.isoformat(), xref="x",
               anchor="right" if right_side else "left", colour=palette.TODAY, name="today")

    months = month_starts(first, last)
    month_axis = _month_ticks(months, year_start, last, PHONE_PLOT_PX)
    top_px = 44 + 48 + (TITLE_PX if title else 0)  # the legend, the months above
    bottom_px = 80  # the months below and the axis title
    style(fig, plot_px + top_px + bottom_px - (TITLE_PX if title else 0), title=title)
    # the legend at the top, under the title if there is one, above the months on the top axis
    fig.update_layout(barmode="overlay", clickmode="event+select", margin=dict(l=8, r=12, t=top_px, b=bottom_px),
                      legend=dict(y=1 - (TITLE_PX + 4) / fig.layout.height if title else 1, yref="container",
                                  yanchor="top"))
    fig.update_xaxes(**month_axis, range=[first.isoformat(), last.isoformat()], showgrid=False,
                     title_text="เดือน (ปี พ.ศ.)")
    # the months again above the chart: a tall chart is read from the top
    fig.update_layout(xaxis2=dict(**{**month_axis, "minor": {**month_axis["minor"], "showgrid": False}},
                                  range=[first.isoformat(), last.isoformat()], overlaying="x", matches="x", side="top",
                                  showgrid=False, automargin=True, linecolor=palette.AXIS_LINE))
    fig.add_trace(go.Scatter(x=[first.isoformat()], y=[None], xaxis="x2", mode="markers", showlegend=False,
                             hoverinfo="skip"))
    fig.update_yaxes(range=[plot_px, 0], showticklabels=False, tickmode="array", tickvals=y, ticktext=labels,
                     showgrid=False, ticks="", fixedrange=True)
    return fig


# ---------------------------------------------------------------- a score from one year to the next

UP, DOWN, SAME, MISSING = "up", "down", "same", "missing"  # a row's direction (views.question_change_frame)
CHANGE_COLORS = {UP: palette.SCORE_UP, DOWN: palette.SCORE_DOWN, SAME: palette.SCORE_SAME,
                 MISSING: palette.SCORE_SAME}
CHANGE_TH = {UP: "ดีขึ้น", DOWN: "ลดลง", SAME: "เท่าเดิม"}
CHANGE_MARK_PX = 22  # the row of the two markers
LABEL_LIFT_PX = 7  # a row's label above its markers' row: the scores beside the markers are taller than it
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
        heights = [SCORE_LINE_PX * _lines(label) + CHANGE_MARK_PX + 16 + LABEL_LIFT_PX for label in labels]
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
        lift = CHANGE_MARK_PX / 2 + LABEL_LIFT_PX  # clear of the scores written beside the markers
        label_at = dict(x=[x_range[0]] * n, y=[v + lift for v in y], textposition="top right")
        change_at = dict(x=[x_range[1]] * n,
                         y=[v + lift + SCORE_LINE_PX * (_lines(labels[i]) - 1) for i, v in enumerate(y)],
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


# ---------------------------------------------------------------- the agency's trend, panel by panel (slides)

TREND_VALUE_PX = 15  # a year's score, written above its point
TREND_YEAR_PX = 14  # the year, under its point
TREND_TEXT_LINE_PX = 22  # the room one of those lines takes
TREND_AREA_PX = 64  # a panel's line from the lowest score to 100 (a phone's; a slide's share their height)
TREND_PANEL_GAP_PX = 18  # between panels, across and down


def score_trend_panels_figure(trend: pd.DataFrame, *, plot_px: float | None = None, columns: int = 1,
                              height: int | None = None, title: str | None = None) -> go.Figure:
    """The agency's trend with every value written, for a slide and a phone (the scores page's
    score_trend_figure keeps its values in the hover, which a slide has not): one small panel per
    series, the overall ITA score first and then each indicator, in `columns` columns. In a panel
    its name on top, then a point per year on one score scale shared by all panels (from just
    under the lowest score to 100), each point's score above it and its year under it; the line
    green when the last year is above the first, red when below. A score under the pass mark is
    red; a score that is the mean of the year's questions (no official indicator score) has "*".

    Laid out in pixels on one pair of hidden axes for a plot `plot_px` wide (PHONE_PLOT_PX by
    default), every text inside its panel, so nothing is cut or overlaps at that width or wider.
    With `height` (a slide's figure, whose size is fixed) the panels' lines share that height.
    `trend` is views.trend_frame."""
    if _empty(trend):
        return empty_figure(title=title, message="ยังไม่มีคะแนนทางการ: นำเข้าแผ่นคะแนนที่หน้า ข้อมูล",
                            height=height - (TITLE_PX if title else 0) if height else 320)
    plot = float(plot_px or PHONE_PLOT_PX)
    years = sorted(int(y) for y in trend["assessed_year"].unique())
    series = [(int(no), str(rows["series"].iloc[0]), rows.set_index("assessed_year"))
              for no, rows in trend.groupby("series_no", sort=True)]
    columns = max(1, min(columns, len(series)))
    rows_n = math.ceil(len(series) / columns)
    cell_w = (plot - (columns - 1) * TREND_PANEL_GAP_PX) / columns
    # the overall's name in bold: wrapped a little narrower than the regular ones (wrap_px measures regular)
    labels = [f"<b>{wrap_px(name, cell_w - 36, LABEL_PX)}</b>" if no == 0 else wrap_px(name, cell_w - 12, LABEL_PX)
              for no, name, _ in series]
    label_lines = [max(_lines(labels[i]) for i in range(r * columns, min((r + 1) * columns, len(series))))
                   for r in range(rows_n)]
    fixed = [LABEL_LINE_PX * lines + 2 * TREND_TEXT_LINE_PX + TREND_PANEL_GAP_PX + 14 for lines in label_lines]
    margin_px = 16 + (TITLE_PX if title else 0)
    area = TREND_AREA_PX if not height else max(28.0, (height - margin_px - sum(fixed)) / rows_n)
    row_h = [f + area for f in fixed]
    total = sum(row_h)

    scores = [float(s) for s in trend["score"]]
    low = math.floor(min(min(scores), 98.0) - 0.5)
    widest = max(em_width(f"{s:.2f}*", bold=True) for s in scores) * TREND_VALUE_PX
    pad = widest / 2 + 6  # the first and last points in from the panel's sides: their scores stay inside

    fig = go.Figure()
    top = 0.0  # from the top down; y = total - top
    for r in range(rows_n):
        area_top = top + LABEL_LINE_PX * label_lines[r] + TREND_TEXT_LINE_PX + 10
        area_bottom = area_top + area
        for c in range(columns):
            i = r * columns + c
            if i >= len(series):
                break
            no, name, rows = series[i]
            x0 = c * (cell_w + TREND_PANEL_GAP_PX)
            fig.add_shape(type="rect", x0=x0, x1=x0 + cell_w, y0=total - (top + row_h[r] - TREND_PANEL_GAP_PX + 6),
                          y1=total - top, xref="x", yref="y", layer="below", line=dict(width=0),
                          fillcolor=palette.CARD, name="panel")
            shown = [y for y in years if y in rows.index]
            if len(years) == 1:
                xs = [x0 + cell_w / 2]
            else:
                xs = [x0 + pad + (cell_w - 2 * pad) * years.index(y) / (len(years) - 1) for y in shown]
            values = [float(rows.loc[y, "score"]) for y in shown]
            sources = [rows.loc[y, "source"] for y in shown]
            ys = [total - (area_top + (100 - v) / (100 - low) * area) for v in values]
            if low < framework.PASS_MARK:  # the pass mark across the panel's line
                y_pass = total - (area_top + (100 - framework.PASS_MARK) / (100 - low) * area)
                fig.add_shape(type="line", x0=x0 + 4, x1=x0 + cell_w - 4, y0=y_pass, y1=y_pass, xref="x", yref="y",
                              layer="below", line=dict(color=palette.PASS_LINE, width=1, dash="dash"), name="pass_mark")
            direction = SAME if len(values) < 2 or values[-1] == values[0] else (UP if values[-1] > values[0] else DOWN)
            colour = palette.TREND_OVERALL if no == 0 and direction == SAME else CHANGE_COLORS[direction]
            hover = [f"<b>{_esc(name)}</b><br>ปี {y}: <b>{v:.2f}</b> (ระดับ {framework.grade(v)})"
                     + ("" if src == "official" else "<br>เฉลี่ยจากข้อคำถาม (ไม่มีคะแนนทางการของตัวชี้วัด)")
                     for y, v, src in zip(shown, values, sources)]
            fig.add_trace(go.Scatter(
                name=name, x=xs, y=ys, mode="lines+markers+text", customdata=[no] * len(xs),
                line=dict(color=colour, width=4 if no == 0 else 3), marker=dict(size=10 if no == 0 else 8, color=colour),
                text=[f"<b>{v:.2f}{'' if src == 'official' else '*'}</b>" for v, src in zip(values, sources)],
                textposition="top center",
                textfont=dict(size=TREND_VALUE_PX,
                              color=[palette.BELOW_PASS if v < framework.PASS_MARK else TEXT_COLOR for v in values]),
                hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", cliponaxis=False, showlegend=False))
            fig.add_trace(go.Scatter(
                name="years", x=xs, y=[total - (area_bottom + 8)] * len(xs), mode="text", text=[str(y) for y in shown],
                textposition="bottom center", textfont=dict(size=TREND_YEAR_PX, color=MUTED_COLOR),
                hoverinfo="skip", showlegend=False, cliponaxis=False))
            fig.add_trace(go.Scatter(
                name="label", x=[x0 + 4], y=[total - top - 4], mode="text", text=[labels[i]],
                textposition="bottom right", textfont=dict(size=LABEL_PX, color=TEXT_COLOR),
                hoverinfo="skip", showlegend=False, cliponaxis=False))
        top += row_h[r]

    style(fig, total + margin_px - (TITLE_PX if title else 0), title=title)
    fig.update_layout(showlegend=False, margin=dict(l=8, r=8, t=8 + (TITLE_PX if title else 0), b=8))
    fig.update_xaxes(range=[0, plot], visible=False, fixedrange=True, automargin=False)
    fig.update_yaxes(range=[-6 + TREND_PANEL_GAP_PX, total], visible=False, fixedrange=True, automargin=False)
    return fig
