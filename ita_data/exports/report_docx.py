"""The report (exports/report.py) as Word .docx: A4 landscape, the title block as paragraphs, each
table with its header rows marked to repeat on every page (w:tblHeader) and single borders, Sarabun
declared for Latin, East Asian and complex-script text (w:rFonts ascii/hAnsi/eastAsia/cs, Thai
sizes in w:szCs, bold in w:bCs, language th-TH), so Word and LibreOffice set Thai in Sarabun.
A cell's paragraphs are paragraphs, its lines are joined by line breaks (what the importer reads
back: importers/docx.py)."""
from __future__ import annotations

import io
import re

from .. import fonts, palette
from . import report as r

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# characters XML 1.0 cannot hold (python-docx refuses them): left out of the text
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def report_docx(doc: r.ReportDocument) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    _fonts(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(r.PAGE_W_MM), Mm(r.PAGE_H_MM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(r.MARGIN_MM))
    section.header_distance = section.footer_distance = Mm(8)
    _page_number(section.footer.paragraphs[0])
    core = document.core_properties
    core.title = " ".join(doc.title_lines[:1])
    core.language = "th-TH"

    first = True
    for line in doc.title_lines:
        p = document.paragraphs[0] if first and document.paragraphs else document.add_paragraph()
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, line, r.TITLE_PT, bold=True)
    document.add_paragraph()
    for block in doc.blocks:
        if isinstance(block, r.Heading):
            p = document.add_paragraph()
            p.paragraph_format.space_before = Pt(6)
            p.paragraph_format.keep_with_next = True
            _run(p, block.text, r.HEADING_PT, bold=True)
        elif isinstance(block, r.Paragraph):
            p = document.add_paragraph()
            _run(p, block.text, r.TABLE_PT if block.muted else r.TEXT_PT, colour=palette.MUTED if block.muted else None)
        else:
            _table(document, block)
            if block is not doc.blocks[-1]:
                document.add_paragraph()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- fonts and runs

def _element(tag: str, **attributes):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _replace(parent, tag: str, **attributes):
    """Set `parent`'s child `tag` (one of it) to a fresh element with `attributes`."""
    from docx.oxml.ns import qn

    for old in parent.findall(qn(tag)):
        parent.remove(old)
    element = _element(tag, **attributes)
    parent.append(element)
    return element


def _font_properties(rpr, size_pt: float) -> None:
    """Sarabun for every script, the size for Latin and complex-script (Thai) text, language th-TH."""
    family = fonts.FAMILY
    _replace(rpr, "w:rFonts", ascii=family, hAnsi=family, eastAsia=family, cs=family)
    _replace(rpr, "w:sz", val=round(size_pt * 2))
    _replace(rpr, "w:szCs", val=round(size_pt * 2))
    _replace(rpr, "w:lang", val="th-TH", eastAsia="th-TH", bidi="th-TH")


def _fonts(document) -> None:
    """The document's defaults and the Normal style: Sarabun (no theme fonts), TABLE_PT, single
    spacing, no space after paragraphs."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _font_properties(rpr, r.TABLE_PT)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _replace(ppr, "w:spacing", after=0, line=240, lineRule="auto")
    normal = document.styles["Normal"].element
    normal_rpr = normal.get_or_add_rPr()
    _font_properties(normal_rpr, r.TABLE_PT)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _run(paragraph, text: str, size_pt: float, *, bold: bool = False, colour: str | None = None):
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(_clean(text))
    run.font.size = Pt(size_pt)
    rpr = run._r.get_or_add_rPr()
    _replace(rpr, "w:szCs", val=round(size_pt * 2))
    if bold:
        run.bold = True
        rpr.append(_element("w:bCs"))
    if colour:
        run.font.color.rgb = RGBColor.from_string(palette.bare(colour))
    return run


def _page_number(paragraph) -> None:
    """The footer: "หน้า <PAGE>" at the right (Arabic digits: LibreOffice reads Word's ThaiArabic
    format as Thai letters)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(paragraph, "หน้า ", r.TABLE_PT, colour=palette.MUTED)
    run = _run(paragraph, "", r.TABLE_PT, colour=palette.MUTED)
    run._r.append(_element("w:fldChar", fldCharType="begin"))
    instr = _element("w:instrText")
    instr.text = " PAGE "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run._r.append(instr)
    run._r.append(_element("w:fldChar", fldCharType="separate"))
    number = _element("w:t")
    number.text = "1"
    run._r.append(number)
    run._r.append(_element("w:fldChar", fldCharType="end"))


# ---------------------------------------------------------------- tables

def _grid(table: r.Table) -> list[list[tuple[r.Cell, int, int] | None]]:
    """Where each cell starts in the full grid: grid[row][col] = (cell, row, col) at a cell's top-left
    position, None where a cell spanning from elsewhere covers it."""
    rows = table.header + table.body
    n_cols = len(table.widths)
    covered: set[tuple[int, int]] = set()
    grid = []
    for i, row in enumerate(rows):
        line: list = [None] * n_cols
        j = 0
        for c in row:
            while j < n_cols and (i, j) in covered:
                j += 1
            if j >= n_cols:
                raise ValueError(f"table {table.name}: row {i} has more cells than columns")
            line[j] = (c, i, j)
            for di in range(c.rowspan):
                for dj in range(c.colspan):
                    covered.add((i + di, j + dj))
            j += c.colspan
        grid.append(line)
    return grid


def _table(document, table: r.Table) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    grid = _grid(table)
    n_rows, n_cols = len(grid), len(table.widths)
    t = document.add_table(rows=n_rows, cols=n_cols)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tbl_pr = t._tbl.tblPr
    _replace(tbl_pr, "w:tblW", w=round(sum(table.widths) / 25.4 * 1440), type="dxa")
    _replace(tbl_pr, "w:tblLayout", type="fixed")
    borders = _replace(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{side}", val="single", sz=4, space=0, color=palette.bare(palette.TEXT)))
    margins = _replace(tbl_pr, "w:tblCellMar")
    for side, twips in (("top", 40), ("left", 80), ("bottom", 40), ("right", 80)):
        margins.append(_element(f"w:{side}", w=twips, type="dxa"))
    for col, width in zip(t.columns, table.widths):
        col.width = Mm(width)

    rows = list(t.rows)
    cells = [row.cells for row in rows]  # before merging: one cell object per grid position
    kept = set()  # rows kept with the next one (a group's rows but its last): Word keeps them on one page
    start = len(table.header)
    for group in table.row_groups():
        kept.update(range(start, start + len(group) - 1))
        start += len(group)
    for i, row in enumerate(rows):
        tr_pr = row._tr.get_or_add_trPr()
        if i < len(table.header):
            tr_pr.append(_element("w:tblHeader"))  # repeated at the top of every page
            tr_pr.append(_element("w:cantSplit"))
        for j, c in enumerate(cells[i]):
            c.width = Mm(table.widths[j])
    aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
              "right": WD_ALIGN_PARAGRAPH.RIGHT}
    for i, line in enumerate(grid):
        for j, placed in enumerate(line):
            if placed is None:
                continue
            c = placed[0]
            target = cells[i][j]
            if c.rowspan > 1 or c.colspan > 1:
                target = target.merge(cells[i + c.rowspan - 1][j + c.colspan - 1])
            _fill(target, c, table.size_pt, aligns[c.align], keep=i in kept)
            if c.fill:
                tc_pr = target._tc.get_or_add_tcPr()
                _replace(tc_pr, "w:shd", val="clear", color="auto",
                         fill=palette.bare(palette.REPORT_GROUP if i >= len(table.header) else palette.REPORT_HEADER))
            if i < len(table.header):
                target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _fill(target, c: r.Cell, size_pt: float, align, *, keep: bool = False) -> None:
    colour = {"bad": palette.BAD, "good": palette.GOOD}.get(c.tone)
    paragraphs = c.paragraphs or ((),)
    for k, lines in enumerate(paragraphs):
        p = target.paragraphs[0] if k == 0 else target.add_paragraph()
        p.alignment = align
        if keep:
            p.paragraph_format.keep_with_next = True
        for n, line in enumerate(lines):
            run = _run(p, line, size_pt, bold=c.bold, colour=colour)
            if n < len(lines) - 1:
                run.add_break()
