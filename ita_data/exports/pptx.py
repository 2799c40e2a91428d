"""The meeting deck as PowerPoint (python-pptx): 16:9, the slides of exports/meeting.py, Thai in
Sarabun with the latin, east-asian AND complex-script fonts set on every run (PowerPoint picks the
complex-script font for Thai; LibreOffice too), tables as real tables with Thai headers, charts as
PNG pictures rendered by meeting.ChartBrowser (one headless Chromium for the whole deck).

No text may overflow its shape: titles and subtitles shrink to fit one line (by Sarabun's glyph
widths), table rows get the heights meeting.py estimated when it split long tables across slides,
and every paragraph has an exact line pitch so PowerPoint and LibreOffice lay lines out alike.
No speaker notes."""
from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from . import meeting as m

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
FONT = "Sarabun"
_BLANK_LAYOUT = 6


def set_font(run, size: float, *, bold: bool = False, color: str = m.TEXT_COLOR, font: str = FONT) -> None:
    """Size, weight, colour, and the font for every script (latin, east-asian, complex script) of
    one run; the run's language is Thai."""
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor.from_string(color)
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "th-TH")
    for tag in ("a:latin", "a:ea", "a:cs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    # schema order: ... fill ... latin, ea, cs, sym, hlinkClick ...: insert before any successor
    successors = [rpr.find(qn(t)) for t in ("a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")]
    anchor = next((s for s in successors if s is not None), None)
    for tag in ("a:latin", "a:ea", "a:cs"):
        element = etree.SubElement(rpr, qn(tag))
        element.set("typeface", font)
        if anchor is not None:
            anchor.addprevious(element)


def _paragraphs(frame, lines: list[tuple], *, align=PP_ALIGN.LEFT, space_after: float = 0):
    """Fill a text frame: one paragraph per (text, size pt, bold, colour); `text` may be a list of
    lines, joined by line breaks within the paragraph."""
    frame.clear()
    for i, (text, size, bold, color) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.line_spacing = Pt(round(size * m.LINE_SPACING, 1))
        if space_after:
            paragraph.space_after = Pt(space_after)
        for j, line in enumerate([text] if isinstance(text, str) else text):
            if j:
                paragraph.add_line_break()
            run = paragraph.add_run()
            run.text = line
            set_font(run, size, bold=bold, color=color)


def _textbox(slide, left, top, width, height, lines, *, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP,
             space_after: float = 0):
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    _paragraphs(frame, lines, align=align, space_after=space_after)
    return box


def _rect(slide, left, top, width, height, fill: str, *, shape=MSO_SHAPE.RECTANGLE, line: str | None = None):
    box = slide.shapes.add_shape(shape, Inches(left), Inches(top), Inches(width), Inches(height))
    box.fill.solid()
    box.fill.fore_color.rgb = RGBColor.from_string(fill)
    if line:
        box.line.color.rgb = RGBColor.from_string(line)
        box.line.width = Pt(1)
    else:
        box.line.fill.background()
    box.shadow.inherit = False
    return box


# ---------------------------------------------------------------- slides

def _frame(slide, deck: m.Deck, s: m.Slide, number: int, total: int) -> None:
    """Accent bar, title, subtitle, footer."""
    _rect(slide, 0, 0, m.SLIDE_W, 0.12, m.HEADER_COLOR)
    size = m.fit_size(s.title, m.CONTENT_W, m.TITLE_PT, 20, bold=True)
    _textbox(slide, m.MARGIN_X, m.TITLE_TOP, m.CONTENT_W, m.TITLE_H, [(s.title, size, True, m.TITLE_COLOR)],
             anchor=MSO_ANCHOR.MIDDLE)
    if s.subtitle:
        size = m.fit_size(s.subtitle, m.CONTENT_W, m.SUBTITLE_PT, 12)
        _textbox(slide, m.MARGIN_X, m.SUBTITLE_TOP, m.CONTENT_W, m.SUBTITLE_H,
                 [(s.subtitle, size, False, m.MUTED_COLOR)], anchor=MSO_ANCHOR.MIDDLE)
    _footer(slide, deck, number, total)


def _footer(slide, deck: m.Deck, number: int, total: int) -> None:
    top, height = m.FOOTER_TOP + 0.05, 0.32
    _textbox(slide, m.MARGIN_X, top, m.CONTENT_W - 1.5, height, [(deck.footer, m.FOOTER_PT, False, m.MUTED_COLOR)],
             anchor=MSO_ANCHOR.MIDDLE)
    _textbox(slide, m.SLIDE_W - m.MARGIN_X - 1.5, top, 1.5, height,
             [(f"{number} / {total}", m.FOOTER_PT, False, m.MUTED_COLOR)], align=PP_ALIGN.RIGHT,
             anchor=MSO_ANCHOR.MIDDLE)


def _cover(slide, deck: m.Deck, s: m.Slide, number: int, total: int) -> None:
    _rect(slide, 0, 0, m.SLIDE_W, 2.9, m.HEADER_COLOR)
    width = m.SLIDE_W - 2 * 0.8
    title_size = 34
    while title_size > 24 and len(m.wrap_lines(s.title, width * m.WRAP_SAFETY, title_size, True)) > 2:
        title_size -= 1
    title_lines = m.wrap_lines(s.title, width * m.WRAP_SAFETY, title_size, True)
    _textbox(slide, 0.8, 0.55, width, 2.0, [(title_lines, title_size, True, "FFFFFF")], anchor=MSO_ANCHOR.MIDDLE)
    styles = [(30, True, m.TITLE_COLOR), (20, False, m.MUTED_COLOR), (20, False, m.TEXT_COLOR),
              (26, True, m.HEADER_COLOR), (20, False, m.TEXT_COLOR)]
    lines = []
    for text, (size, bold, color) in zip(s.lines, styles + [styles[-1]] * len(s.lines)):
        if text:
            lines.append((text, m.fit_size(text, width, size, 14, bold=bold), bold, color))
    _textbox(slide, 0.8, 3.25, width, 3.6, lines, space_after=8)
    _footer(slide, deck, number, total)


def _facts(slide, facts: list[m.Fact], top: float, height: float) -> None:
    gap = 0.25
    width = (m.CONTENT_W - gap * (len(facts) - 1)) / len(facts)
    for i, fact in enumerate(facts):
        left = m.MARGIN_X + i * (width + gap)
        color = {"bad": m.BAD_COLOR, "good": m.GOOD_COLOR}.get(fact.tone, m.TITLE_COLOR)
        _rect(slide, left, top, width, height, "F5F7FA", shape=MSO_SHAPE.ROUNDED_RECTANGLE, line="D5DCE4")
        value = m.fit_size(fact.value, width - 0.3, 30, 16, bold=True)
        label = m.fit_size(fact.label, width - 0.3, 16, 11)
        _textbox(slide, left + 0.15, top + 0.12, width - 0.3, height - 0.24,
                 [(fact.value, value, True, color), (fact.label, label, False, m.MUTED_COLOR)],
                 align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)


def _cell(cell, text: str, width: float, *, header: bool, fill: str | None, as_list: bool = False) -> None:
    cell.margin_left = cell.margin_right = Inches(m.CELL_MARGIN_X)
    cell.margin_top = cell.margin_bottom = Inches(m.CELL_MARGIN_Y)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE if header else MSO_ANCHOR.TOP
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string(fill)
    else:
        cell.fill.background()
    frame = cell.text_frame
    frame.word_wrap = True
    color = "FFFFFF" if header else m.TEXT_COLOR
    paragraphs = m.cell_paragraphs(text, width, bold=header, as_list=as_list)
    _paragraphs(frame, [(lines, m.TABLE_PT, header, color) for lines in paragraphs])


def _table(slide, s: m.Slide, top: float) -> None:
    table = s.table
    rows, cols = len(table) + 1, len(table.columns)
    heights = [m.row_height(table.columns, s.widths, bold=True)]
    heights += [m.row_height(row, s.widths, lists=s.lists) for row in table.itertuples(index=False)]
    shape = slide.shapes.add_table(rows, cols, Inches(m.MARGIN_X), Inches(top), Inches(sum(s.widths)),
                                   Inches(sum(heights)))
    grid = shape.table
    grid.first_row = True
    grid.horz_banding = False
    for j, width in enumerate(s.widths):
        grid.columns[j].width = Inches(width)
    for i, height in enumerate(heights):
        grid.rows[i].height = Emu(int(Inches(height)))
    for j, name in enumerate(table.columns):
        _cell(grid.cell(0, j), name, s.widths[j], header=True, fill=m.HEADER_COLOR)
    for i, row in enumerate(table.itertuples(index=False), start=1):
        fill = m.STRIPE_COLOR if i % 2 == 0 else "FFFFFF"
        for j, value in enumerate(row):
            _cell(grid.cell(i, j), value, s.widths[j], header=False, fill=fill, as_list=j in s.lists)


def _content(slide, s: m.Slide, png: bytes | None) -> None:
    top = m.CONTENT_TOP
    if s.figure is not None and png is not None:
        width, height = s.figure_size
        slide.shapes.add_picture(io.BytesIO(png), Inches(m.MARGIN_X), Inches(top), Inches(width), Inches(height))
        top += height + 0.15
    if s.facts:
        _facts(slide, s.facts, top, 1.25)
    if s.table is not None:
        if s.table.empty:
            _rect(slide, m.MARGIN_X, top + 0.4, m.CONTENT_W, 1.2, "F5F7FA", shape=MSO_SHAPE.ROUNDED_RECTANGLE,
                  line="D5DCE4")
            size = m.fit_size(s.empty, m.CONTENT_W - 0.6, 22, 14)
            _textbox(slide, m.MARGIN_X + 0.3, top + 0.4, m.CONTENT_W - 0.6, 1.2,
                     [(s.empty, size, False, m.MUTED_COLOR)], align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        else:
            _table(slide, s, top)
    if s.note:
        size = m.fit_size(s.note, m.CONTENT_W, 13, 10)
        _textbox(slide, m.MARGIN_X, m.FOOTER_TOP - 0.08 - m.NOTE_H + 0.04, m.CONTENT_W, m.NOTE_H - 0.04,
                 [(s.note, size, False, m.MUTED_COLOR)], anchor=MSO_ANCHOR.BOTTOM)


def deck_pptx(deck: m.Deck, browser: m.ChartBrowser | None = None, images: dict[int, bytes] | None = None) -> bytes:
    """The deck as a .pptx file's bytes. The charts: `images` (ChartBrowser.images) if given, else
    rendered by `browser` (a new one if None)."""
    if images is None:
        images = {}
        if m.figure_slides(deck):
            with m.chart_browser(browser) as b:
                images = b.images(deck)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(m.SLIDE_W), Inches(m.SLIDE_H)
    prs.core_properties.title = f"ประชุมประจำเดือน{deck.month_label} · {deck.organization}"
    prs.core_properties.subject = m.TITLES["cover"]
    prs.core_properties.language = "th-TH"
    layout = prs.slide_layouts[_BLANK_LAYOUT]
    total = len(deck.slides)
    for number, s in enumerate(deck.slides, start=1):
        slide = prs.slides.add_slide(layout)
        if s.kind == "cover":
            _cover(slide, deck, s, number, total)
        else:
            _frame(slide, deck, s, number, total)
            _content(slide, s, images.get(id(s)))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
