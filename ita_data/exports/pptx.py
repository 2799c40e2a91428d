"""The meeting deck as PowerPoint (python-pptx): 16:9, the slides of exports/meeting.py, Thai in
Sarabun with the latin, east-asian AND complex-script fonts set on every run (PowerPoint picks the
complex-script font for Thai; LibreOffice too), tables as real tables with Thai headers, charts as
PNG pictures rendered by browser.chart_images (kaleido: one headless Chromium for the whole deck).

No text may overflow its shape: titles and subtitles shrink to fit one line (by Sarabun's glyph
widths), table rows get the heights layout.py estimated when it split long tables across slides,
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

from .. import fonts, palette
from . import browser, layout
from . import meeting as m

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
FONT = fonts.FAMILY
_BLANK_LAYOUT = 6


def set_font(run, size: float, *, bold: bool = False, color: str = palette.TEXT, font: str = FONT) -> None:
    """Size, weight, colour, and the font for every script (latin, east-asian, complex script) of
    one run; the run's language is Thai."""
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(color)
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


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(palette.bare(colour))


def _paragraphs(frame, lines: list[tuple], *, align=PP_ALIGN.LEFT, space_after: float = 0):
    """Fill a text frame: one paragraph per (text, size pt, bold, colour); `text` may be a list of
    lines, joined by line breaks within the paragraph."""
    frame.clear()
    for i, (text, size, bold, color) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.line_spacing = Pt(round(size * layout.LINE_SPACING, 1))
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
    box.fill.fore_color.rgb = _rgb(fill)
    if line:
        box.line.color.rgb = _rgb(line)
        box.line.width = Pt(1)
    else:
        box.line.fill.background()
    box.shadow.inherit = False
    return box


# ---------------------------------------------------------------- slides

def _frame(slide, deck: m.Deck, s: m.Slide, number: int, total: int) -> None:
    """Accent bar, title, subtitle, footer."""
    _rect(slide, 0, 0, layout.SLIDE_W, 0.12, palette.HEADER)
    size = layout.fit_size(s.title, layout.CONTENT_W, layout.TITLE_PT, 20, bold=True)
    _textbox(slide, layout.MARGIN_X, layout.TITLE_TOP, layout.CONTENT_W, layout.TITLE_H,
             [(s.title, size, True, palette.TITLE)], anchor=MSO_ANCHOR.MIDDLE)
    if s.subtitle:
        size = layout.fit_size(s.subtitle, layout.CONTENT_W, layout.SUBTITLE_PT, 12)
        _textbox(slide, layout.MARGIN_X, layout.SUBTITLE_TOP, layout.CONTENT_W, layout.SUBTITLE_H,
                 [(s.subtitle, size, False, palette.MUTED)], anchor=MSO_ANCHOR.MIDDLE)
    _footer(slide, deck, number, total)


def _footer(slide, deck: m.Deck, number: int, total: int) -> None:
    top, height, number_w = layout.FOOTER_TEXT_TOP, layout.FOOTER_TEXT_H, layout.PAGE_NUMBER_W
    _textbox(slide, layout.MARGIN_X, top, layout.CONTENT_W - number_w, height,
             [(deck.footer, layout.FOOTER_PT, False, palette.MUTED)], anchor=MSO_ANCHOR.MIDDLE)
    _textbox(slide, layout.SLIDE_W - layout.MARGIN_X - number_w, top, number_w, height,
             [(f"{number} / {total}", layout.FOOTER_PT, False, palette.MUTED)], align=PP_ALIGN.RIGHT,
             anchor=MSO_ANCHOR.MIDDLE)


def _cover(slide, deck: m.Deck, s: m.Slide, number: int, total: int) -> None:
    _rect(slide, 0, 0, layout.SLIDE_W, layout.COVER_BAND_H, palette.HEADER)
    fit = layout.fit_cover(s.title, s.lines)
    _textbox(slide, layout.COVER_LEFT, layout.COVER_TITLE_TOP, layout.COVER_W, layout.COVER_TITLE_H,
             [(fit.title_lines, fit.title_size, True, palette.WHITE)], anchor=MSO_ANCHOR.MIDDLE)
    _textbox(slide, layout.COVER_LEFT, layout.COVER_LINES_TOP, layout.COVER_W, layout.COVER_LINES_H, fit.lines,
             space_after=layout.COVER_LINE_GAP_PT)
    _footer(slide, deck, number, total)


def _facts(slide, facts: list[m.Fact], top: float, height: float) -> None:
    gap = 0.25
    width = (layout.CONTENT_W - gap * (len(facts) - 1)) / len(facts)
    for i, fact in enumerate(facts):
        left = layout.MARGIN_X + i * (width + gap)
        color = {"bad": palette.BAD, "good": palette.GOOD}.get(fact.tone, palette.TITLE)
        _rect(slide, left, top, width, height, palette.CARD, shape=MSO_SHAPE.ROUNDED_RECTANGLE,
              line=palette.CARD_BORDER)
        value = layout.fit_size(fact.value, width - 0.3, 30, 16, bold=True)
        label = layout.fit_size(fact.label, width - 0.3, 16, 11)
        _textbox(slide, left + 0.15, top + 0.12, width - 0.3, height - 0.24,
                 [(fact.value, value, True, color), (fact.label, label, False, palette.MUTED)],
                 align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)


def _cell(cell, text: str, width: float, *, header: bool, fill: str | None, as_list: bool = False) -> None:
    cell.margin_left = cell.margin_right = Inches(layout.CELL_MARGIN_X)
    cell.margin_top = cell.margin_bottom = Inches(layout.CELL_MARGIN_Y)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE if header else MSO_ANCHOR.TOP
    if fill:
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(fill)
    else:
        cell.fill.background()
    frame = cell.text_frame
    frame.word_wrap = True
    color = palette.WHITE if header else palette.TEXT
    paragraphs = layout.cell_paragraphs(text, width, bold=header, as_list=as_list)
    _paragraphs(frame, [(lines, layout.TABLE_PT, header, color) for lines in paragraphs])


def _table(slide, s: m.Slide, top: float) -> None:
    table = s.table
    rows, cols = len(table) + 1, len(table.columns)
    heights = [layout.row_height(table.columns, s.widths, bold=True)]
    heights += [layout.row_height(row, s.widths, lists=s.lists) for row in table.itertuples(index=False)]
    shape = slide.shapes.add_table(rows, cols, Inches(layout.MARGIN_X), Inches(top), Inches(sum(s.widths)),
                                   Inches(sum(heights)))
    grid = shape.table
    grid.first_row = True
    grid.horz_banding = False
    for j, width in enumerate(s.widths):
        grid.columns[j].width = Inches(width)
    for i, height in enumerate(heights):
        grid.rows[i].height = Emu(int(Inches(height)))
    for j, name in enumerate(table.columns):
        _cell(grid.cell(0, j), name, s.widths[j], header=True, fill=palette.HEADER)
    for i, row in enumerate(table.itertuples(index=False), start=1):
        fill = palette.STRIPE if i % 2 == 0 else palette.WHITE
        for j, value in enumerate(row):
            _cell(grid.cell(i, j), value, s.widths[j], header=False, fill=fill, as_list=j in s.lists)


def _content(slide, s: m.Slide, png: bytes | None) -> None:
    top = layout.CONTENT_TOP
    if s.figure is not None and png is not None:
        width, height = s.figure_size
        slide.shapes.add_picture(io.BytesIO(png), Inches(layout.MARGIN_X), Inches(top), Inches(width), Inches(height))
        top += height + layout.FIGURE_GAP
    if s.facts:
        _facts(slide, s.facts, top, layout.FACTS_H)
    if s.table is not None:
        if s.table.empty:
            _rect(slide, layout.MARGIN_X, top + layout.EMPTY_TOP, layout.CONTENT_W, layout.EMPTY_H, palette.CARD,
                  shape=MSO_SHAPE.ROUNDED_RECTANGLE, line=palette.CARD_BORDER)
            size = layout.fit_size(s.empty, layout.CONTENT_W - 0.6, 22, 14)
            _textbox(slide, layout.MARGIN_X + 0.3, top + layout.EMPTY_TOP, layout.CONTENT_W - 0.6, layout.EMPTY_H,
                     [(s.empty, size, False, palette.MUTED)], align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)
        else:
            _table(slide, s, top)
    if s.note:
        size = layout.fit_size(s.note, layout.CONTENT_W, 13, 10)
        _textbox(slide, layout.MARGIN_X, layout.NOTE_TOP, layout.CONTENT_W, layout.NOTE_BOX_H,
                 [(s.note, size, False, palette.MUTED)], anchor=MSO_ANCHOR.BOTTOM)


def deck_pptx(deck: m.Deck, images: dict[int, bytes] | None = None) -> bytes:
    """The deck as a .pptx file's bytes. The charts: `images` (browser.chart_images) if given, else
    rendered here (by the chart server the caller runs, if any: browser.chart_server)."""
    if images is None:
        images = browser.chart_images(deck.slides)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(layout.SLIDE_W), Inches(layout.SLIDE_H)
    prs.core_properties.title = f"ประชุมประจำเดือน{deck.month_label} · {deck.organization}"
    prs.core_properties.subject = m.TITLES["cover"]
    prs.core_properties.language = "th-TH"
    blank = prs.slide_layouts[_BLANK_LAYOUT]
    total = len(deck.slides)
    for number, s in enumerate(deck.slides, start=1):
        slide = prs.slides.add_slide(blank)
        if s.kind == "cover":
            _cover(slide, deck, s, number, total)
        else:
            _frame(slide, deck, s, number, total)
            _content(slide, s, images.get(id(s)))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
