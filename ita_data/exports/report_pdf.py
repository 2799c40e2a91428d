"""The report (exports/report.py) as PDF: one HTML page printed by headless Chromium
(browser.print_pdf, Sarabun embedded; see exports/pdf.py on why not WeasyPrint), A4 landscape.
Each table's header rows are its <thead>, which Chromium repeats at the top of every page a table
runs over; rows break across pages where they must. Every piece of text is escaped; Thai wraps
between words (lang="th")."""
from __future__ import annotations

from html import escape

from .. import fonts, palette
from . import browser
from . import report as r

PDF_MIME = "application/pdf"


def _fonts() -> str:
    faces = []
    for weight, name in ((400, "Regular"), (700, "Bold")):
        faces.append(f"@font-face {{ font-family: '{fonts.FAMILY}'; font-weight: {weight}; font-style: normal; "
                     f"src: local('{fonts.FAMILY}-{name}'), "
                     f"url('{fonts.sarabun_file(name).as_uri()}') format('truetype'); }}")
    return "\n".join(faces)


def _style(thai_digits: bool) -> str:
    return f"""
{_fonts()}
@page {{ size: A4 landscape; margin: {r.MARGIN_MM}mm {r.MARGIN_MM}mm {r.MARGIN_MM}mm {r.MARGIN_MM}mm;
         @bottom-right {{ content: "หน้า " counter(page{", thai" if thai_digits else ""}); font-family: '{fonts.FAMILY}', sans-serif;
                          font-size: {r.TABLE_PT}pt; color: {palette.MUTED}; }} }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: '{fonts.FAMILY}', sans-serif; color: {palette.TEXT}; font-size: {r.TEXT_PT}pt; line-height: 1.3;
        -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
.title {{ text-align: center; font-weight: 700; font-size: {r.TITLE_PT}pt; margin: 0; }}
.titles {{ margin-bottom: 5mm; }}
h2 {{ font-size: {r.HEADING_PT}pt; font-weight: 700; margin: 5mm 0 2mm 0; break-after: avoid; }}
p {{ margin: 0; }}
p.muted {{ color: {palette.MUTED}; font-size: {r.TABLE_PT}pt; margin-top: 1.5mm; }}
table {{ border-collapse: separate; border-spacing: 0; table-layout: fixed; margin: 0 auto;
         border-left: 0.75pt solid {palette.TEXT}; }}
thead tr:first-child th {{ border-top: 0.75pt solid {palette.TEXT}; }}
th, td {{ border-right: 0.75pt solid {palette.TEXT}; border-bottom: 0.75pt solid {palette.TEXT};
          padding: 0.7mm 1.4mm; vertical-align: top; text-align: left; overflow-wrap: break-word;
          box-decoration-break: clone; -webkit-box-decoration-break: clone; }}
th {{ font-weight: 700; text-align: center; vertical-align: middle; background: {palette.REPORT_HEADER}; }}
td.fill {{ background: {palette.REPORT_GROUP}; }}
td.bold {{ font-weight: 700; }}
.center {{ text-align: center; }} .right {{ text-align: right; }}
.bad {{ color: {palette.BAD}; }} .good {{ color: {palette.GOOD}; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: auto; }}
thead tr {{ break-inside: avoid; }}
tbody.keep {{ break-inside: avoid; }}
"""


def _text(line: str) -> str:
    """Escaped; a zero-width space (report.breakable) becomes <wbr>: a break that is no character."""
    return escape(line).replace("\u200b", "<wbr>")


def _cell(c: r.Cell, tag: str) -> str:
    classes = [c.align if c.align != "left" else "", "fill" if c.fill and tag == "td" else "",
               "bold" if c.bold and tag == "td" else "", c.tone]
    attributes = "".join((f' colspan="{c.colspan}"' if c.colspan > 1 else "",
                          f' rowspan="{c.rowspan}"' if c.rowspan > 1 else ""))
    cls = " ".join(x for x in classes if x)
    if cls:
        attributes += f' class="{cls}"'
    inner = "".join(f"<p>{'<br>'.join(_text(line) for line in lines)}</p>" for lines in c.paragraphs)
    return f"<{tag}{attributes}>{inner}</{tag}>"


def _table(t: r.Table) -> str:
    cols = "".join(f'<col style="width:{w:.2f}mm">' for w in t.widths)
    head = "".join(f"<tr>{''.join(_cell(c, 'th') for c in row)}</tr>" for row in t.header)
    body = "".join(f'<tbody{" class=keep" if len(group) > 1 else ""}>'
                   + "".join(f"<tr>{''.join(_cell(c, 'td') for c in row)}</tr>" for row in group) + "</tbody>"
                   for group in t.row_groups())
    return (f'<table data-name="{escape(t.name)}" style="width:{sum(t.widths):.2f}mm;font-size:{t.size_pt}pt">'
            f"<colgroup>{cols}</colgroup><thead>{head}</thead>{body}</table>")


def report_html(doc: r.ReportDocument) -> str:
    parts = ['<div class="titles">' + "".join(f'<p class="title">{escape(line)}</p>' for line in doc.title_lines)
             + "</div>"]
    for block in doc.blocks:
        if isinstance(block, r.Heading):
            parts.append(f"<h2>{escape(block.text)}</h2>")
        elif isinstance(block, r.Paragraph):
            parts.append(f'<p class="{"muted" if block.muted else ""}">{escape(block.text)}</p>')
        else:
            parts.append(_table(block))
    title = escape(f"{doc.title_lines[0]} · {doc.organization}")
    return (f'<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{_style(doc.thai_digits)}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n")


def report_pdf(doc: r.ReportDocument) -> bytes:
    return browser.print_pdf(report_html(doc))
