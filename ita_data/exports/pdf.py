"""The meeting deck as PDF: the slides of exports/meeting.py as one HTML page built here, printed by
headless Chromium (browser.print_pdf), one slide a page, each page the slide's own 16:9 size
(13.333 x 7.5 in, as the PPTX); the charts are PNGs from browser.chart_images.

Why Chromium and not WeasyPrint: both shape Thai right, but WeasyPrint maps each glyph to one
piece of text, so the text of a PDF it makes loses characters that Sarabun draws with two glyphs
(ตำบล reads back as "ตาบล"; copy, search and pdftotext all suffer); Chromium's PDFs read back exactly.

Each slide keeps the geometry of the PPTX at its own size (a slide inch is a page inch, a slide
point a page point). Table cells are broken into lines where layout.cell_paragraphs breaks them
(between words, by pythainlp), as in the PPTX; everything else wraps only between words too
(the document is lang="th", and Chromium breaks Thai with its dictionary). Every piece of user
text is escaped."""
from __future__ import annotations

import base64
from html import escape

from .. import fonts, palette
from . import browser, layout
from . import meeting as m

PDF_MIME = "application/pdf"
MM_PER_INCH = 25.4
PAGE_W_MM, PAGE_H_MM = layout.SLIDE_W * MM_PER_INCH, layout.SLIDE_H * MM_PER_INCH  # the page is the slide (16:9)


def mm(inches: float) -> str:
    return f"{inches * MM_PER_INCH:.2f}mm"


def pt(points: float) -> str:
    return f"{points:.2f}pt"


def _text(value) -> str:
    return escape(str(value))


def _lines(lines: list[str]) -> str:
    return "<br>".join(_text(line) for line in lines)


def _fonts() -> str:
    """Sarabun's files for the page: the installed font if the printing Chromium sees it (it
    does: browser.chromium_env), else the package's file."""
    faces = []
    for weight, name in ((400, "Regular"), (600, "SemiBold"), (700, "Bold")):
        faces.append(f"@font-face {{ font-family: '{fonts.FAMILY}'; font-weight: {weight}; font-style: normal; "
                     f"src: local('{fonts.FAMILY}-{name}'), "
                     f"url('{fonts.sarabun_file(name).as_uri()}') format('truetype'); }}")
    return "\n".join(faces)


def _style() -> str:
    return f"""
{_fonts()}
@page {{ size: {PAGE_W_MM:.2f}mm {PAGE_H_MM:.2f}mm; margin: 0; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: '{fonts.FAMILY}', sans-serif; color: {palette.TEXT}; line-height: {layout.LINE_SPACING};
        -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
.page {{ position: relative; width: {PAGE_W_MM:.2f}mm; height: {PAGE_H_MM:.2f}mm; overflow: hidden;
         break-after: page; page-break-after: always; }}
.page:last-child {{ break-after: auto; page-break-after: auto; }}
.slide {{ position: absolute; left: 0; top: 0; width: {PAGE_W_MM:.2f}mm; height: {mm(layout.SLIDE_H)};
          overflow: hidden; }}
.box {{ position: absolute; overflow: hidden; }}
.one-line {{ white-space: nowrap; display: flex; align-items: center; }}
.bar {{ left: 0; top: 0; width: 100%; height: {mm(0.12)}; background: {palette.HEADER}; }}
.title {{ font-weight: 700; color: {palette.TITLE}; }}
.muted {{ color: {palette.MUTED}; }}
.cover-band {{ left: 0; top: 0; width: 100%; height: {mm(layout.COVER_BAND_H)}; background: {palette.HEADER}; }}
.cover-title {{ color: {palette.WHITE}; font-weight: 700; display: flex; align-items: center; }}
.cover-lines p {{ margin: 0 0 {pt(layout.COVER_LINE_GAP_PT)} 0; }}
.facts {{ display: flex; gap: {mm(0.25)}; }}
.fact {{ flex: 1; border: 1px solid {palette.CARD_BORDER}; background: {palette.CARD}; border-radius: {mm(0.12)};
         display: flex; flex-direction: column; align-items: center; justify-content: center; }}
.fact .value {{ font-weight: 700; font-size: {pt(30)}; }}
.fact .label {{ color: {palette.MUTED}; font-size: {pt(16)}; }}
.good {{ color: {palette.GOOD}; }} .bad {{ color: {palette.BAD}; }} .plain {{ color: {palette.TITLE}; }}
table {{ border-collapse: collapse; table-layout: fixed; font-size: {pt(layout.TABLE_PT)}; }}
th, td {{ padding: {mm(layout.CELL_MARGIN_Y)} {mm(layout.CELL_MARGIN_X)}; text-align: left; white-space: nowrap;
          border: 1px solid {palette.WHITE}; }}
th {{ background: {palette.HEADER}; color: {palette.WHITE}; font-weight: 700; vertical-align: middle; }}
td {{ vertical-align: top; }}
tr.stripe td {{ background: {palette.STRIPE}; }}
.empty {{ border: 1px solid {palette.CARD_BORDER}; background: {palette.CARD}; border-radius: {mm(0.12)};
          color: {palette.MUTED};
          display: flex; align-items: center; justify-content: center; text-align: center; }}
img {{ display: block; }}
"""


def _box(left: float, top: float, width: float, height: float, inner: str, cls: str = "", style: str = "") -> str:
    return (f'<div class="box {cls}" style="left:{mm(left)};top:{mm(top)};width:{mm(width)};height:{mm(height)};'
            f'{style}">{inner}</div>')


def _footer(deck: m.Deck, number: int, total: int) -> str:
    top, height, number_w = layout.FOOTER_TEXT_TOP, layout.FOOTER_TEXT_H, layout.PAGE_NUMBER_W
    size = f"font-size:{pt(layout.FOOTER_PT)}"
    return (_box(layout.MARGIN_X, top, layout.CONTENT_W - number_w, height, _text(deck.footer), "one-line muted", size)
            + _box(layout.SLIDE_W - layout.MARGIN_X - number_w, top, number_w, height, f"{number} / {total}",
                   "one-line muted", size + ";justify-content:flex-end"))


def _cover(s: m.Slide) -> str:
    fit = layout.fit_cover(s.title, s.lines)
    lines = "".join(f'<p style="font-size:{pt(size)};font-weight:{700 if bold else 400};color:{colour};'
                    f'white-space:nowrap">{_text(text)}</p>' for text, size, bold, colour in fit.lines)
    return ('<div class="box cover-band"></div>'
            + _box(layout.COVER_LEFT, layout.COVER_TITLE_TOP, layout.COVER_W, layout.COVER_TITLE_H,
                   _lines(fit.title_lines), "cover-title", f"font-size:{pt(fit.title_size)}")
            + _box(layout.COVER_LEFT, layout.COVER_LINES_TOP, layout.COVER_W, layout.COVER_LINES_H, lines,
                   "cover-lines"))


def _table(s: m.Slide) -> str:
    cols = "".join(f'<col style="width:{mm(w)}">' for w in s.widths)
    head = "".join(f"<th>{_paragraph_html(name, w, True)}</th>" for name, w in zip(s.table.columns, s.widths))
    rows = []
    for i, row in enumerate(s.table.itertuples(index=False), start=1):
        cells = "".join(f"<td>{_paragraph_html(value, w, False, j in s.lists)}</td>"
                        for j, (value, w) in enumerate(zip(row, s.widths)))
        rows.append(f'<tr class="{"stripe" if i % 2 == 0 else ""}">{cells}</tr>')
    return (f'<table style="width:{mm(sum(s.widths))}"><colgroup>{cols}</colgroup>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _paragraph_html(text, width: float, bold: bool, as_list: bool = False) -> str:
    return "<br>".join(_lines(lines) for lines in layout.cell_paragraphs(text, width, bold=bold, as_list=as_list))


def _content(s: m.Slide, png: bytes | None) -> str:
    out = []
    top = layout.CONTENT_TOP
    if s.figure is not None and png is not None:
        width, height = s.figure_size
        data = base64.b64encode(png).decode("ascii")
        out.append(_box(layout.MARGIN_X, top, width, height,
                        f'<img alt="{_text(s.title)}" src="data:image/png;base64,{data}" '
                        f'style="width:{mm(width)};height:{mm(height)}">'))
        top += height + layout.FIGURE_GAP
    if s.facts:
        cards = "".join(f'<div class="fact"><div class="value {f.tone or "plain"}">{_text(f.value)}</div>'
                        f'<div class="label">{_text(f.label)}</div></div>' for f in s.facts)
        out.append(_box(layout.MARGIN_X, top, layout.CONTENT_W, layout.FACTS_H, cards, "facts"))
    if s.table is not None:
        if s.table.empty:
            size = layout.fit_size(s.empty, layout.CONTENT_W - 0.6, 22, 14)
            out.append(_box(layout.MARGIN_X, top + layout.EMPTY_TOP, layout.CONTENT_W, layout.EMPTY_H, _text(s.empty),
                            "empty", f"font-size:{pt(size)}"))
        else:
            out.append(_box(layout.MARGIN_X, top, layout.CONTENT_W, layout.FOOTER_TOP - top, _table(s)))
    if s.note:
        size = layout.fit_size(s.note, layout.CONTENT_W, 13, 10)
        out.append(_box(layout.MARGIN_X, layout.NOTE_TOP, layout.CONTENT_W, layout.NOTE_BOX_H,
                        _text(s.note), "one-line muted", f"font-size:{pt(size)};align-items:flex-end"))
    return "".join(out)


def _slide(deck: m.Deck, s: m.Slide, number: int, total: int, png: bytes | None) -> str:
    if s.kind == "cover":
        inner = _cover(s)
    else:
        title_size = layout.fit_size(s.title, layout.CONTENT_W, layout.TITLE_PT, 20, bold=True)
        inner = ('<div class="box bar"></div>'
                 + _box(layout.MARGIN_X, layout.TITLE_TOP, layout.CONTENT_W, layout.TITLE_H,
                        f"<h1 style='margin:0;font-size:inherit'>"
                        f"{_text(s.title)}</h1>", "one-line title", f"font-size:{pt(title_size)}"))
        if s.subtitle:
            size = layout.fit_size(s.subtitle, layout.CONTENT_W, layout.SUBTITLE_PT, 12)
            inner += _box(layout.MARGIN_X, layout.SUBTITLE_TOP, layout.CONTENT_W, layout.SUBTITLE_H, _text(s.subtitle),
                          "one-line muted",
                          f"font-size:{pt(size)}")
        inner += _content(s, png)
    inner += _footer(deck, number, total)
    return f'<section class="page" data-kind="{s.kind}"><div class="slide">{inner}</div></section>'


def deck_html(deck: m.Deck, images: dict[int, bytes]) -> str:
    """The whole deck as one printable HTML page (images from browser.chart_images)."""
    total = len(deck.slides)
    body = "\n".join(_slide(deck, s, i, total, images.get(id(s))) for i, s in enumerate(deck.slides, start=1))
    title = _text(f"ประชุมประจำเดือน{deck.month_label} · {deck.organization}")
    return (f'<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{_style()}</style></head><body>\n{body}\n</body></html>\n")


def deck_pdf(deck: m.Deck, images: dict[int, bytes] | None = None) -> bytes:
    """The deck as a PDF file's bytes. The charts: `images` (browser.chart_images) if given, else
    rendered here (by the chart server the caller runs, if any: browser.chart_server)."""
    if images is None:
        images = browser.chart_images(deck.slides)
    return browser.print_pdf(deck_html(deck, images))
