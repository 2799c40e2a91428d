"""Slide layout for the meeting deck, shared by the screen, the PPTX and the PDF: the geometry of a
16:9 slide in inches (13.333 x 7.5 in), Thai text broken into lines between words to fit a width
(by Sarabun's glyph widths, thai.em_width, and pythainlp's word breaks), sizes that fit a line, table
row heights, long tables split across slides, and the cover's title and lines fitted to the cover."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .. import palette
from ..thai import em_width, text_width, wrap_thai

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
NOTE_TOP, NOTE_BOX_H = FOOTER_TOP - 0.08 - NOTE_H + 0.04, NOTE_H - 0.04  # the footnote's text box
FOOTER_TEXT_TOP, FOOTER_TEXT_H = FOOTER_TOP + 0.05, 0.32
PAGE_NUMBER_W = 1.5  # the slide number, right-aligned at the footer's end
FIGURE_GAP = 0.15  # under a chart, before what follows it
FACTS_H = 1.25
EMPTY_TOP, EMPTY_H = 0.4, 1.2  # the box that says a table is empty, below the content's top
CSS_DPI = 96  # figures are laid out at 96 px an inch (and rendered at browser.PNG_SCALE)

TITLE_PT, SUBTITLE_PT, TABLE_PT, FOOTER_PT = 30, 17, 14, 11
LINE_SPACING = 1.4  # line pitch as a multiple of the font size (room for Thai marks); exact in the PPTX
CELL_MARGIN_X, CELL_MARGIN_Y = 0.08, 0.05

# the cover: a band across the top with the title in it, the lines below
COVER_BAND_H = 2.9
COVER_LEFT = 0.8
COVER_W = SLIDE_W - 2 * COVER_LEFT
COVER_TITLE_TOP, COVER_TITLE_H = 0.55, 2.0
COVER_LINES_TOP, COVER_LINES_H = 3.25, 3.6
COVER_LINE_GAP_PT = 8  # after each of the cover's lines
# the cover's lines in order (organization, place, plan, meeting month, date): size, bold, colour
COVER_STYLES = ((30, True, palette.TITLE), (20, False, palette.MUTED), (20, False, palette.TEXT),
                (26, True, palette.HEADER), (20, False, palette.TEXT))

# ---------------------------------------------------------------- text in lines

@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    """`text` in pieces between the places a line may break (spaces, and between the words
    pythainlp finds; never inside a word). Joined, the pieces are `text` again."""
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
    limit = width_in * 72 / size_pt  # in em

    def em(piece: str) -> float:
        return em_width(piece, bold)

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


@dataclass
class CoverFit:
    title_size: float
    title_lines: list[str]
    lines: list[tuple[str, float, bool, str]]  # (text, size pt, bold, colour) of each non-empty line


def fit_cover(title: str, lines: list[str]) -> CoverFit:
    """The cover's title at the largest size from 34 pt down to 24 pt at which it takes at most two
    lines, and each of its lines in its style (COVER_STYLES; the last style for any more) shrunk to
    one line if need be."""
    size = 34
    while size > 24 and len(wrap_lines(title, COVER_W * WRAP_SAFETY, size, True)) > 2:
        size -= 1
    styles = list(COVER_STYLES) + [COVER_STYLES[-1]] * len(lines)
    fitted = [(text, fit_size(text, COVER_W, line_size, 14, bold=bold), bold, colour)
              for text, (line_size, bold, colour) in zip(lines, styles) if text]
    return CoverFit(size, wrap_lines(title, COVER_W * WRAP_SAFETY, size, True), fitted)
