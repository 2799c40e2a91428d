"""Figure builders against the real seed report, the Thai line wrapping, and empty frames."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from ita_data import figures, framework, palette, store, views
from ita_data.importers import read_report
from ita_data.thai import wrap_thai

SEED = Path(__file__).resolve().parent.parent / "data" / "muaklek-ita-report-2569.txt"
IN_YEAR = date(2026, 3, 15)  # inside FY2569
AFTER_YEAR = date(2026, 11, 25)  # after FY2569 ended


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    con = store.connect(tmp_path_factory.mktemp("figures") / "ita.duckdb")
    store.save_reports(con, [read_report(SEED)])
    assessment_id = store.assessments(con)[0]["id"]
    findings = views.findings_frame(con, assessment_id)
    yield {"con": con, "id": assessment_id, "findings": findings,
           "measures": views.measures_frame(con, assessment_id, on=IN_YEAR),
           "measures_late": views.measures_frame(con, assessment_id, on=AFTER_YEAR)}
    con.close()


def bars(fig: go.Figure) -> list[go.Bar]:
    """Bar traces that draw something (not legend-only entries)."""
    return [t for t in fig.data if t.type == "bar" and t.x is not None and any(v is not None for v in t.x)]


def texts(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def is_message(fig: go.Figure, message: str = "ไม่มีข้อมูล") -> bool:
    return not bars(fig) and message in texts(fig)


# ---------------------------------------------------------------- score and gap

def test_score_figure_question_level(seed):
    findings = seed["findings"]
    frame = views.score_chart_frame(findings, "question")
    fig = figures.score_gap_figure(frame)
    score, gap = fig.data
    assert len(score.x) == len(gap.x) == 10
    assert [round(v, 2) for v in score.x] == [round(v, 2) for v in frame["score"]]
    assert [round(v, 2) for v in gap.x] == [round(v, 2) for v in frame["gap"]]
    # customdata carries the finding ids, on both traces, for on_select
    assert sorted(score.customdata) == sorted(findings["id"].tolist())
    assert list(score.customdata) == list(gap.customdata) == frame["id"].tolist()
    # the largest gap (row 3, i5, 87.87) is the top bar
    row3 = findings.loc[findings["seq"] == 3].iloc[0]
    assert round(row3["score"], 2) == 87.87 and row3["question_code"].lower() == "i5"
    top = max(range(10), key=lambda i: score.y[i])
    assert score.customdata[top] == row3["id"] and round(score.x[top], 2) == 87.87
    assert fig.layout.yaxis.ticktext[list(fig.layout.yaxis.tickvals).index(score.y[top])].startswith("3.")
    # one axis for every agency: 0-100; no score under the pass mark here, so no red
    assert list(fig.layout.xaxis.range) == [0, 100]
    assert "แกนเดียวกันทุกหน่วยงาน" in fig.layout.xaxis.title.text
    assert set(score.marker.color) == {palette.SCORE}
    # the dashed pass-mark line and its label
    lines = [s for s in fig.layout.shapes if s.type == "line" and s.x0 == s.x1 == framework.PASS_MARK]
    assert len(lines) == 1 and lines[0].line.dash == "dash"
    assert "เกณฑ์ผ่าน 85" in texts(fig)
    # grade bands with their letters, the gap written out, scores printed on the bars
    assert {"<b>A</b>", "<b>AA</b>"} <= set(texts(fig))
    assert "ห่างจาก 100 = 12.13" in texts(fig)
    assert "87.87" in score.text
    # the full question is in the hover, the font is the shared one
    assert findings.loc[findings["seq"] == 3, "question"].iloc[0][:10] in score.hovertext[top]
    assert fig.layout.font.family == figures.FONT_FAMILY


def test_score_figure_indicator_level(seed):
    frame = views.score_chart_frame(seed["findings"], "indicator")
    fig = figures.score_gap_figure(frame)
    score, gap = fig.data
    assert len(score.x) == len(gap.x) == 6
    assert list(score.customdata) == list(gap.customdata) == frame["indicator_no"].tolist()
    top = max(range(6), key=lambda i: score.y[i])
    assert score.customdata[top] == 2  # การใช้งบประมาณ: mean of 97.45 and 87.87, the largest gap
    assert list(fig.layout.xaxis.range) == [0, 100]


def test_scores_under_the_pass_mark_are_red_on_the_same_axis():
    frame = pd.DataFrame({"indicator_no": [1, 2], "label": ["1. ก", "2. ข"], "score": [72.5, 99.0],
                          "gap": [27.5, 1.0]})
    fig = figures.score_gap_figure(frame.sort_values("gap", ignore_index=True))
    assert list(fig.layout.xaxis.range) == [0, 100]  # as for an agency whose lowest is 99
    score = fig.data[0]
    low = list(score.x).index(72.5)
    assert score.marker.color[low] == palette.BELOW_PASS and score.marker.color[1 - low] == palette.SCORE
    colour = {(a.name, a.text): a.font.color for a in fig.layout.annotations if a.name in ("label", "gap")}
    assert colour[("label", "1. ก")] == colour[("gap", "ห่างจาก 100 = 27.50")] == palette.BELOW_PASS
    assert colour[("label", "2. ข")] == palette.TEXT and colour[("gap", "ห่างจาก 100 = 1.00")] == palette.GAP_TEXT


def test_score_labels_and_gaps_fit_a_phone_side_by_side(seed):
    """At 390 px the plot is about PHONE_PLOT_PX wide: each label line and the gap beside it fit
    (in Sarabun's real glyph widths), so nothing is cut or overlaps; labels only wrap, nothing is lost."""
    from ita_data.thai import em_width
    for level in ("question", "indicator"):
        frame = views.score_chart_frame(seed["findings"], level)
        fig = figures.score_gap_figure(frame)
        notes = [a for a in fig.layout.annotations if a.name in ("label", "gap")]
        labels = [a for a in notes if a.name == "label"]
        gaps = [a for a in notes if a.name == "gap"]
        assert len(labels) == len(gaps) == len(frame)
        size = labels[0].font.size
        for label, gap in zip(labels, gaps):
            widest = max(em_width(line) for line in label.text.split("<br>"))
            assert (widest + em_width(gap.text)) * size + 8 <= figures.PHONE_PLOT_PX, (label.text, gap.text)
        assert [a.text.replace("<br>", "") for a in labels] == [figures._esc(t) for t in frame["label"]]


def test_score_figure_keeps_a_finding_without_score():
    frame = pd.DataFrame({"id": [7, 8], "question_code": ["i1", "i2"], "question": ["ก", "ข"],
                          "indicator": ["การปฏิบัติหน้าที่"] * 2, "label": ["1. i1 ก", "2. i2 ข"],
                          "score": [90.0, None], "gap": [10.0, None]})
    fig = figures.score_gap_figure(frame)
    assert list(fig.data[0].customdata) == [7, 8]
    assert "ไม่มีคะแนน" in texts(fig)


# ---------------------------------------------------------------- status

def test_status_figure(seed):
    measures = seed["measures_late"]
    counts = views.status_counts(measures)
    overdue = int(measures["overdue"].sum())
    fig = figures.status_figure(counts, overdue)
    status_traces = [t for t in fig.data if t.customdata is not None and t.customdata[0] in framework.STATUSES]
    assert [t.customdata[0] for t in status_traces] == list(framework.STATUSES)
    assert sum(t.x[0] for t in status_traces) == pytest.approx(100)
    assert any("23 (100%)" in t.text[0] for t in status_traces)
    # the legend keys only what is drawn: here every measure is not started
    assert [t.name for t in status_traces if t.showlegend] == ["ยังไม่เริ่ม 23"]
    assert overdue == 23
    caption = [a for a in fig.layout.annotations if a.name == "overdue"]
    assert len(caption) == 1 and "เกินกำหนด 23 จาก 23" in caption[0].text
    assert caption[0].yanchor == "bottom" and caption[0].xref == "paper" and caption[0].x == 0  # above its bar
    colors = {t.customdata[0]: t.marker.color for t in status_traces}
    assert colors == {s: figures.STATUS_COLORS[s] for s in framework.STATUSES}
    # no row names: the bars keep the plot's width on a phone; no overdue, said in grey
    assert fig.layout.yaxis.showticklabels is False
    calm = figures.status_figure(views.status_counts(seed["measures"]), 0)
    assert [a.text for a in calm.layout.annotations if a.name == "overdue"] == ["ไม่มีมาตรการที่เกินกำหนด"]


# ---------------------------------------------------------------- divisions

def test_workload_figure_matches_the_frame(seed):
    workload = views.division_workload(seed["measures_late"], seed["findings"])
    fig = figures.division_workload_figure(workload)
    drawn = bars(fig)
    assert drawn and all(list(t.customdata) == workload["division"].tolist() for t in drawn)
    totals = {name: sum(t.x[i] for t in drawn) for i, name in enumerate(workload["division"])}
    assert totals == dict(zip(workload["division"], workload["measures"]))
    assert totals["กองช่าง"] == 14  # a known fact of the seed
    assert totals["สำนักปลัด"] == 23 == len(seed["measures_late"])  # สำนักปลัด carries every measure
    # the busiest division is the top bar; its name above its bar with its overdue count, its total at the end
    y = drawn[0].y
    assert drawn[0].customdata[max(range(len(y)), key=lambda i: y[i])] == "สำนักปลัด"
    labels = [a for a in fig.layout.annotations if a.name == "label"]
    names = [re.sub(r"( · |<br>)?<span[^>]*><b>เกินกำหนด \d+</b></span>$", "", a.text).replace("<br>", "")
             for a in labels]
    assert names == workload["division"].tolist()
    assert "เกินกำหนด 23" in labels[0].text and "เกินกำหนด 14" in labels[2].text
    for label, bar_y in zip(labels, y):
        assert label.yanchor == "bottom" and label.xref == "paper" and label.x == 0
        assert label.y > bar_y  # above the bar's centre: on its top edge
    totals_written = [a.text for a in fig.layout.annotations if a.name == "total"]
    assert totals_written == [f"<b>{n}</b>" for n in workload["measures"]]
    assert {t.name for t in drawn} <= set(framework.STATUS_TH.values())
    assert "ข้อค้นพบ" in drawn[0].hovertext[0] and "ขั้นตอน" in drawn[0].hovertext[0]
    # no margin of names, no vertical axis title
    assert fig.layout.yaxis.showticklabels is False and not fig.layout.yaxis.title.text


def test_heatmap_counts_every_division_measure_link(seed):
    measures = seed["measures"]
    matrix = views.division_indicator_matrix(measures)
    fig = figures.division_heatmap(matrix)
    heat = fig.data[0]
    links = sum(len(names) for names in measures["divisions"])
    assert np.nansum(np.array(heat.z, dtype=float)) == links == int(matrix.to_numpy().sum())
    # zero cells have no number
    zero_cells = [(r, c) for r, row in enumerate(heat.z) for c, v in enumerate(row) if v == 0]
    assert zero_cells and all(heat.text[r][c] == "" for r, c in zero_cells)
    # columns headed by the indicator's number, the full name in the hover of every cell
    assert list(fig.layout.xaxis.ticktext) == [c.split(".")[0] for c in matrix.columns]
    assert fig.layout.xaxis.tickangle == 0
    named = [row for row in heat.customdata if row[0] is not None]
    assert [[cell[1] for cell in row] for row in named] == [list(matrix.columns)] * len(matrix)
    # each division's name written above its row of cells, nothing on the left
    names = [a.text.replace("<br>", "") for a in fig.layout.annotations if a.name == "division"]
    assert names == list(matrix.index)
    assert fig.layout.yaxis.showticklabels is False and not fig.layout.yaxis.title.text
    # the key the divisions page writes under it
    data = views.divisions_data(views.assessment_data(seed["findings"], measures, [], on=IN_YEAR, plan_year=2569))
    assert data.heatmap_indicators == tuple(matrix.columns) == ("1. การปฏิบัติหน้าที่", "2. การใช้งบประมาณ",
                                                                 "4. การใช้ทรัพย์สินของราชการ", "6. คุณภาพการดำเนินงาน",
                                                                 "7. ประสิทธิภาพการสื่อสาร", "8. การปรับปรุงระบบการทำงาน")


# ---------------------------------------------------------------- timeline

def test_timeline_over_the_fiscal_year(seed):
    timeline = views.timeline_frame(seed["measures"])
    fig = figures.timeline_figure(timeline, IN_YEAR, 2569)
    drawn = [t for t in bars(fig) if t.width and t.width > 0.5]  # the bars, not the progress strips
    assert sum(len(t.x) for t in drawn) == 23
    assert sorted(c for t in drawn for c in t.customdata) == sorted(timeline["id"])
    # every month named in the middle of its month, the BE year under the first name of each year
    ticks = list(fig.layout.xaxis.ticktext)
    assert ticks[0] == "ต.ค.<br>68" and ticks[3] == "ม.ค.<br>69" and ticks[-1] == "ก.ย." and len(ticks) == 12
    assert fig.layout.xaxis.tickvals[0].startswith("2025-10-16") and fig.layout.xaxis.tickangle == 0
    assert fig.layout.xaxis.minor.tickvals[0].startswith("2025-10-01") and fig.layout.xaxis.minor.showgrid
    assert list(fig.layout.xaxis2.ticktext) == ticks  # the months again above
    assert fig.layout.xaxis.range[0].startswith("2025-10-01")
    assert fig.layout.xaxis.range[1].startswith("2026-10-01")
    today = [s for s in fig.layout.shapes if s.type == "line" and str(s.x0).startswith("2026-03-15")]
    assert len(today) == 1
    assert "<b>วันนี้ 15 มี.ค. 2569</b>" in texts(fig)
    assert all(text.endswith("%") for t in drawn for text in t.text)
    # one row per measure, top to bottom in the frame's order, each label written above its bar,
    # wrapped but whole; no margin of labels, no vertical axis title
    labels = [a for a in fig.layout.annotations if a.name == "label"]
    assert [a.text.replace("<br>", "") for a in labels] == [figures._esc(t) for t in timeline["label"]]
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1]  # reversed: row 0 on top
    centres = sorted(y for t in drawn for y in t.y)
    assert [a.y for a in labels] == [c - figures.TIMELINE_BAR_PX / 2 - 2 for c in centres]
    assert fig.layout.yaxis.showticklabels is False and not fig.layout.yaxis.title.text


def test_timeline_after_the_year_marks_overdue_and_extends_to_today(seed):
    timeline = views.timeline_frame(seed["measures_late"])
    assert timeline["overdue"].all()
    fig = figures.timeline_figure(timeline, AFTER_YEAR, 2569)
    drawn = [t for t in bars(fig) if t.width and t.width > 0.5]
    assert all(c == figures.STATUS_COLORS["overdue"] for t in drawn for c in t.marker.line.color)
    assert all("เกินกำหนด" in h for t in drawn for h in t.hovertext)
    assert any(s.type == "line" and str(s.x0).startswith("2026-11-25") for s in fig.layout.shapes)
    end = datetime.fromisoformat(fig.layout.xaxis.range[1])
    assert end > datetime(2026, 11, 25)
    # the months run on past the year to today: fifteen, so every other one is named (from October)
    assert [str(v)[:10] for v in fig.layout.xaxis.minor.tickvals][-2:] == ["2026-11-01", "2026-12-01"]
    assert list(fig.layout.xaxis.ticktext) == ["ต.ค.<br>68", "ธ.ค.", "ก.พ.<br>69", "เม.ย.", "มิ.ย.", "ส.ค.", "ต.ค."]


# ---------------------------------------------------------------- phones and slides

def line_px(annotation) -> float:
    """The widest line of an annotation's text in pixels (Sarabun's advances, markup left out)."""
    from ita_data.thai import em_width
    return max(em_width(re.sub(r"<[^>]+>", "", line)) for line in annotation.text.split("<br>")) * annotation.font.size


def test_labels_written_above_bars_fit_a_phone(seed):
    """The workload, heatmap, timeline and status charts write their labels inside the plot, and
    every line of them fits a phone's plot (PHONE_PLOT_PX): nothing can be cut at 390 px. (The
    browser tests measure the drawn charts; this holds for any data, measured in glyph widths.)"""
    measures, findings = seed["measures_late"], seed["findings"]
    long_names = views.division_workload(measures, findings).assign(
        division=["กองการศึกษา ศาสนาและวัฒนธรรม", "กองยุทธศาสตร์และงบประมาณ", "กองสาธารณสุขและสิ่งแวดล้อม",
                  "หน่วยตรวจสอบภายใน", "กองส่งเสริมการเกษตร"])
    built = {
        "workload": figures.division_workload_figure(views.division_workload(measures, findings)),
        "long names": figures.division_workload_figure(long_names),
        "heatmap": figures.division_heatmap(views.division_indicator_matrix(measures)),
        "timeline": figures.timeline_figure(views.timeline_frame(measures), AFTER_YEAR, 2569),
        "status": figures.status_figure(views.status_counts(measures), int(measures["overdue"].sum())),
    }
    for name, fig in built.items():
        written = [a for a in fig.layout.annotations if a.name in ("label", "division", "overdue")]
        assert written, name
        for a in written:
            assert line_px(a) <= figures.PHONE_PLOT_PX, (name, a.text)
            if a.xref == "paper":
                assert a.x == 0 and a.xanchor == "left", (name, a.text)


def test_month_names_fit_a_phone_every_month_of_a_year(seed):
    timeline = views.timeline_frame(seed["measures"])
    axis = figures.timeline_figure(timeline, IN_YEAR, 2569).layout.xaxis
    from ita_data.thai import em_width
    assert axis.tickfont.size >= 12 and len(axis.ticktext) == 12
    names = [t.split("<br>")[0] for t in axis.ticktext]
    month_px = figures.PHONE_PLOT_PX / 12
    for a, b in zip(names, names[1:]):  # neighbours, centred a month apart, keep apart
        assert (em_width(a) + em_width(b)) / 2 * axis.tickfont.size < month_px, (a, b)


def test_the_score_slide_shares_its_fixed_height_among_its_rows(seed):
    """The deck's score chart has the slide's height whatever the number of questions: labels beside
    the bars, their lines within the row's pitch, the gaps in a column on the right."""
    frame = views.score_chart_frame(seed["findings"], "question")
    many = pd.concat([frame] * 2, ignore_index=True).assign(id=range(20))  # twenty questions
    for rows in (frame, many):
        fig = figures.score_gap_figure(rows, height=503)
        assert fig.layout.height == 503
        y = list(fig.data[0].y)
        pitch = y[1] - y[0]
        assert len(y) == len(rows) and all(round(b - a, 6) == round(pitch, 6) for a, b in zip(y, y[1:]))
        plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
        assert fig.layout.yaxis.range[1] == plot_px  # one y unit, one pixel
        size = fig.layout.yaxis.tickfont.size
        most = max(t.count("<br>") + 1 for t in fig.layout.yaxis.ticktext)
        assert most * size * 1.3 <= pitch and fig.data[0].width < pitch, (len(rows), size, pitch)
        gaps = [a for a in fig.layout.annotations if a.name == "gap"]
        assert len(gaps) == len(rows) and all(a.x == 1 and a.xanchor == "left" for a in gaps)
        assert fig.layout.margin.r >= max(line_px(a) for a in gaps)
    # the screen's own chart (no height) is as tall as its rows need
    assert figures.score_gap_figure(many).layout.height > 2 * figures.score_gap_figure(frame).layout.height - 200


def test_the_workload_slide_fits_its_height(seed):
    workload = views.division_workload(seed["measures_late"], seed["findings"])
    ten = pd.concat([workload, workload], ignore_index=True).assign(
        division=["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม", "กองสวัสดิการสังคม",
                  "กองสาธารณสุขและสิ่งแวดล้อม", "กองส่งเสริมการเกษตร", "กองยุทธศาสตร์และงบประมาณ", "กองการประปา",
                  "หน่วยตรวจสอบภายใน"])
    # five divisions: the names above the bars, as on a phone, their lines and the bar within the row
    fig = figures.division_workload_figure(workload, height=468)
    assert fig.layout.height == 468
    pitch_px = (468 - fig.layout.margin.t - fig.layout.margin.b) / len(workload)  # one row unit
    labels = [a for a in fig.layout.annotations if a.name == "label"]
    bar_px = bars(fig)[0].width * pitch_px
    assert len(labels) == 5 and fig.layout.yaxis.showticklabels is False
    for a in labels:
        assert (a.text.count("<br>") + 1) * a.font.size * 1.3 + bar_px + 6 <= pitch_px + 1, a.text
    assert bar_px >= 20 and labels[0].font.size == figures.LABEL_PX
    # ten: the names would shrink under 14 px above the bars, so they stand beside them, at 14 px or more
    fig = figures.division_workload_figure(ten, height=468)
    assert fig.layout.height == 468 and not [a for a in fig.layout.annotations if a.name == "label"]
    pitch_px = (468 - fig.layout.margin.t - fig.layout.margin.b) / len(ten)
    axis = fig.layout.yaxis
    assert axis.showticklabels and [t.split(" · ")[0] for t in axis.ticktext] == ten["division"].tolist()
    assert axis.tickfont.size >= 14 and axis.tickfont.size * 1.3 <= pitch_px * 0.9
    assert bars(fig)[0].width * pitch_px >= 18


# ---------------------------------------------------------------- wrapping

def display_width(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


WRAP_SAMPLES = [
    "7.5 จัดทำคำสั่งแต่งตั้ง เจ้าหน้าที่ผู้รับผิดชอบด้าน การให้ ข้อมูลข่าวสารของ ราชการของ หน่วยงานประจำปี "
    "งบประมาณ พ.ศ. ๒๕๖๙ ให้มีความชัดเจน",
    "7.4 เพิ่มและพัฒนาช่อง ทางการ สื่อสารให้หลากหลาย เช่น Line OA, Facebook, Tik Tok เพื่อให้ เข้าถึงประชาชนได้",
    "กองสาธารณสุขและสิ่งแวดล้อม",
    "การใช้ทรัพย์สินของราชการ",
    "กิจกรรม “ร่วมคิด ร่วมออกแบบการให้บริการ ของหน่วยงาน”",
    "short",
    "  leading and trailing spaces  ",
    "two\nlines in the text",
]


@pytest.mark.parametrize("width", [6, 10, 16, 24, 40])
@pytest.mark.parametrize("text", WRAP_SAMPLES)
def test_wrap_thai_loses_nothing_and_keeps_lines_short(text, width):
    wrapped = wrap_thai(text, width)
    assert wrapped.replace("<br>", "") == text
    lines = wrapped.split("<br>")
    for line in lines:
        assert line.strip(), repr(wrapped)  # no blank lines
        if display_width(line.rstrip()) > width:  # only one word longer than the width may overflow
            word = line.strip()
            assert not any(ch.isspace() for ch in word), repr(line)
            assert wrap_thai(word, width) == word, repr(line)
    if display_width(text.strip()) <= width and "\n" not in text:
        assert wrapped == text


def test_wrap_thai_breaks_between_words_not_inside():
    assert wrap_thai("กองสาธารณสุขและสิ่งแวดล้อม", 13).split("<br>") == ["กองสาธารณสุข", "และสิ่งแวดล้อม"]
    # tone marks and upper vowels take no room: this fits on one line of 20
    assert "<br>" not in wrap_thai("การใช้ทรัพย์สินของราชการ", 21)
    assert wrap_thai("", 10) == ""
    assert wrap_thai("คำ", 0) == "คำ"


# ---------------------------------------------------------------- empty frames and the shared look

def test_empty_frames_give_a_message_figure(seed):
    measures = seed["measures"].iloc[0:0]
    findings = seed["findings"].iloc[0:0]
    built = [
        figures.score_gap_figure(views.score_chart_frame(findings, "question")),
        figures.score_gap_figure(views.score_chart_frame(findings, "indicator")),
        figures.status_figure(views.status_counts(measures), 0),
        figures.division_workload_figure(views.division_workload(measures, findings)),
        figures.division_heatmap(views.division_indicator_matrix(measures)),
        figures.timeline_figure(views.timeline_frame(measures), IN_YEAR, 2569),
        figures.score_gap_figure(pd.DataFrame()),
        figures.division_heatmap(pd.DataFrame()),
    ]
    for fig in built:
        assert isinstance(fig, go.Figure)
        assert is_message(fig)
        assert fig.layout.font.family == figures.FONT_FAMILY


def test_every_figure_shares_the_look(seed):
    findings, measures = seed["findings"], seed["measures"]
    built = [
        figures.score_gap_figure(views.score_chart_frame(findings)),
        figures.status_figure(views.status_counts(measures), int(measures["overdue"].sum())),
        figures.division_workload_figure(views.division_workload(measures, findings)),
        figures.division_heatmap(views.division_indicator_matrix(measures)),
        figures.timeline_figure(views.timeline_frame(measures), IN_YEAR, 2569),
    ]
    for fig in built:
        layout = fig.layout
        assert layout.font.family == "Sarabun, sans-serif" and layout.font.size >= 16
        assert layout.paper_bgcolor == "white"
        # tick labels shown are never cut (automargin); hidden ones keep no room (the score chart at 390 px)
        assert layout.xaxis.automargin and (layout.yaxis.automargin or layout.yaxis.showticklabels is False)
        assert layout.height and layout.height >= 250
        # a title on the x axis; none on the y axis: its width is what a phone cannot spare
        assert layout.xaxis.title.text and not layout.yaxis.title.text
    # height grows with the number of bars
    small = figures.score_gap_figure(views.score_chart_frame(findings, "indicator"))
    assert built[0].layout.height > small.layout.height
    assert set(figures.STATUS_COLORS) == {*framework.STATUSES, "overdue"}
    assert figures.style(go.Figure(), 300).layout.legend.orientation == "h"


def test_labels_keep_markup_characters_as_text():
    assert figures.wrap_label("a<b>c & d", 40) == "a&lt;b&gt;c &amp; d"
    assert figures.wrap_label(None, 10) == ""


# ---------------------------------------------------------------- a score from one year to the next

def _change_frames(folder: Path):
    """The year-over-year frames of the seed with its agency's 2568 and 2569 score sheets."""
    from score_sheets import CHANGES_2569, write_sheet, year_rows
    from ita_data.importers import read_any
    con = store.connect(folder / "ita.duckdb")
    store.save_reports(con, [read_report(SEED)])
    for year, changes in ((2568, None), (2569, CHANGES_2569)):
        store.scores.save_scores(con, [read_any(write_sheet(folder / f"{year}.csv", year_rows(year, changes)))])
    a = store.assessments(con)[0]
    data = views.assessment_data(views.findings_frame(con, a["id"]), views.measures_frame(con, a["id"], on=IN_YEAR),
                                 store.division_list(con), on=IN_YEAR, plan_year=a["plan_year"])
    scores = views.organization_scores(con, a["organization_id"])
    con.close()
    return views.score_change_data(data, scores, a["assessed_year"], with_figures=False)


@pytest.fixture(scope="module")
def change(tmp_path_factory):
    return _change_frames(tmp_path_factory.mktemp("change"))


def _text_trace(fig, name: str):
    """The change chart's labels or changes: a text trace each (one text per row)."""
    return next(t for t in fig.data if t.name == name and t.mode == "text")


def _phone_fit(fig):
    from ita_data.thai import em_width
    labels, changes = _text_trace(fig, "label"), _text_trace(fig, "change")
    assert len(labels.text) == len(changes.text)
    size = labels.textfont.size
    for label, change_text in zip(labels.text, changes.text):
        widest = max(em_width(line) for line in label.split("<br>"))
        assert (widest + em_width(change_text)) * size + 8 <= figures.PHONE_PLOT_PX, label
    return labels, changes


@pytest.mark.parametrize("level", ["question", "indicator"])
def test_change_figure_reads_at_390_px(change, level):
    """Each row's label and its change fit side by side in a phone's plot (Sarabun's widths); every
    score has its marker, the value beside it inside the axis' range; labels only wrap."""
    from ita_data.thai import em_width
    frame = views.change_shown(change.questions, "all") if level == "question" else change.indicators
    fig = figures.score_change_figure(frame, 2568, 2569)
    labels, changes = _phone_fit(fig)
    assert [t.replace("<br>", "") for t in labels.text] == [figures._esc(t) for t in frame["label"]]
    # the first row is on top; the texts are never clipped by the axes
    assert labels.y[0] == max(labels.y) and labels.cliponaxis is False and changes.cliponaxis is False
    assert (labels.textposition, changes.textposition) == ("top right", "top left")
    # markers: one per score of each year, customdata the question code or the indicator number
    before = next(t for t in fig.data if t.name == "ปี 2568")
    after = [t for t in fig.data if t.name and t.name.startswith("ปี 2569")]
    assert len(before.x) == frame["before"].notna().sum()
    assert sum(len(t.x) for t in after) == frame["after"].notna().sum()
    keys = {k for t in after for k in t.customdata}
    assert keys == set(frame["key"])
    # the axis reaches past the lowest and the highest score by the width of a value's text
    low, high = min(frame["before"].min(), frame["after"].min()), 100.0
    x0, x1 = fig.layout.xaxis.range
    text_px = em_width("100.00", bold=True) * figures.SMALL_FONT_SIZE
    per_px = (x1 - x0) / figures.PHONE_PLOT_PX
    assert x0 <= low - text_px * per_px and x1 >= high + text_px * per_px
    assert max(fig.layout.xaxis.tickvals) <= 100
    # the changes: green up, red down, in words on the right
    colours = dict(zip(changes.text, changes.textfont.color))
    ups = [t for t in colours if t.startswith("▲")]
    downs = [t for t in colours if t.startswith("▼")]
    assert ups and downs
    assert {colours[t] for t in ups} == {palette.SCORE_UP} and {colours[t] for t in downs} == {palette.SCORE_DOWN}


def test_change_figure_names_a_missing_year_and_draws_the_pass_mark_among_the_rows():
    frame = pd.DataFrame({"key": ["i1", "i2", "i3"], "label": ["i1 ก", "i2 ข", "i3 ค"],
                          "before": [80.0, None, 95.0], "after": [90.0, 96.0, None],
                          "change": [10.0, None, None], "direction": ["up", "missing", "missing"],
                          "question": ["", "", ""], "measures": [1, 0, 0], "done": [1, 0, 0]})
    fig = figures.score_change_figure(frame, 2568, 2569)
    assert list(_text_trace(fig, "change").text) == ["▲ +10.00", "ไม่มีคะแนนปี 2568", "ไม่มีคะแนนปี 2569"]
    assert any(s.name == "pass_mark" and s.x0 == framework.PASS_MARK for s in fig.layout.shapes)
    assert "เสร็จ 1 จาก 1" in next(t for t in fig.data if t.name == "ปี 2568").hovertext[0]
    # every score passes: no pass-mark line inside the axis' padding, the axis says so instead
    high = frame.assign(before=[96.0, None, 97.0], after=[97.0, 98.0, None])
    fig = figures.score_change_figure(high, 2568, 2569)
    assert not [s for s in fig.layout.shapes if s.name == "pass_mark"]
    assert "ทุกคะแนนผ่านเกณฑ์ 85" in fig.layout.xaxis.title.text.replace("<br>", "")
    from ita_data.thai import em_width
    assert all(em_width(line) * figures.BASE_FONT_SIZE <= figures.PHONE_PLOT_PX
               for line in fig.layout.xaxis.title.text.split("<br>"))  # the axis title fits a phone
    assert is_message(figures.score_change_figure(frame.iloc[0:0], 2568, 2569))


def test_change_figure_on_a_slide_keeps_each_row_on_one_line(change):
    frame = views.change_shown(change.questions, "plan")
    fig = figures.score_change_figure(frame, 2568, 2569, plot_px=1184, side_labels=True)
    labels, changes = _text_trace(fig, "label"), _text_trace(fig, "change")
    assert all("<br>" not in t for t in labels.text) and len(labels.text) == len(frame)
    start, end = fig.layout.xaxis.domain
    from ita_data.thai import em_width
    widest = max(em_width(t) for t in labels.text) * labels.textfont.size
    assert widest <= start * 1184  # the labels fit left of the markers' area
    widest = max(em_width(t) for t in changes.text) * changes.textfont.size
    assert widest <= (1 - end) * 1184  # the changes right of it
    # beside the row, ending at the markers' area and starting after it
    assert (labels.textposition, changes.textposition) == ("middle left", "middle right")
    assert list(labels.y) == list(changes.y)


def test_trend_figure(change):
    fig = figures.score_trend_figure(change.trend, (0, 2))
    names = [t.name for t in fig.data]
    assert names == ["คะแนน ITA รวม", "2. การใช้งบประมาณ"]
    overall, budget = fig.data
    assert list(overall.x) == ["2568", "2569"] and overall.line.width > budget.line.width
    assert list(overall.y) == [change.overall_before, change.overall_after]
    assert fig.layout.yaxis.range[1] > 100 and max(fig.layout.yaxis.tickvals) <= 100
    assert fig.layout.yaxis.range[0] <= min(min(overall.y), min(budget.y))
    assert all(t.mode == "lines+markers" for t in fig.data)  # values in the hover and the table: nothing to overlap
    assert "ยังไม่มีคะแนนทางการ" in texts(figures.score_trend_figure(change.trend.iloc[0:0]))[0]
