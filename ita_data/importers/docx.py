"""The report as a Word .docx: title paragraphs, then the report table with the same eight columns
as the text format (one table per page, or one long table). Each cell is read as its lines."""
from __future__ import annotations

import io

from .records import COLUMNS, Report, ReportError
from .rows import build_finding, check_columns, is_header, make_report, parse_titles

Cell = list[str]

# what a file that is not a .docx often is, by its first bytes
_SIGNATURES = (
    (b"\xd0\xcf\x11\xe0", "เป็นไฟล์ Word รุ่นเก่า (.doc): เปิดด้วย Word แล้วบันทึกเป็น .docx"),
    (b"%PDF", "เป็นไฟล์ PDF"),
    (b"\x89PNG", "เป็นไฟล์รูปภาพ"),
    (b"\xff\xd8\xff", "เป็นไฟล์รูปภาพ"),
    (b"GIF8", "เป็นไฟล์รูปภาพ"),
)


def read_docx(data: bytes, file: str) -> Report:
    from docx.table import Table

    document = open_document(data, file)
    titles = _page_header_lines(document)
    rows: list[tuple[str, list[Cell]]] = []
    table_no = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table_no += 1
            table_titles, table_rows = _read_table(block, table_no, file)
            titles += table_titles
            rows += table_rows
        else:
            titles += _lines(block)
    if not rows:
        raise ReportError(file, "ไม่พบตารางรายงานในเอกสาร (ตารางต้องมีคอลัมน์: "
                                + " | ".join(th for _, th in COLUMNS) + ")")
    info = parse_titles(titles, file)
    findings, labels = [], []
    for position, (label, cells) in enumerate(rows, start=1):
        cells = check_columns(cells, file, label)
        named = {key: cell for (key, _), cell in zip(COLUMNS, cells)}
        findings.append(build_finding(named, position, info["assessed_year"], info["plan_year"], file, label))
        labels.append(label)
    return make_report(info, findings, file, labels)


def open_document(data: bytes, file: str):
    """The python-docx Document, or a ReportError saying what the file seems to be."""
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # python-docx fails in many ways on a bad file: zip, XML, content type, missing part
        what = next((text for magic, text in _SIGNATURES if data.startswith(magic)),
                    "ไฟล์เสียหายหรือไม่ใช่เอกสาร Word")
        raise ReportError(file, f"{what} (not a Word .docx file)") from None


def _read_table(table, table_no: int, file: str) -> tuple[list[str], list[tuple[str, list[Cell]]]]:
    """(title lines, data rows with their labels). Header rows, captions (one cell merged across the
    table) and tables that are only layout (no header, fewer than eight columns) give title lines."""
    try:
        cells_by_row = [_row_cells(row) for row in table.rows]
    except ValueError:  # python-docx on a broken vertical merge
        raise ReportError(file, "โครงสร้างตารางเสียหาย (เซลล์ที่ผสานไม่ถูกต้อง)",
                          row=f"ตารางที่ {table_no}") from None
    is_report = any(is_header(cells) or len(cells) >= len(COLUMNS) for cells in cells_by_row)
    titles, rows = [], []
    for row_no, cells in enumerate(cells_by_row, start=1):
        if not any(cells):
            continue
        if not is_report or len(cells) == 1 or is_header(cells):
            titles.append(" ".join(line for cell in cells for line in cell))
        else:
            rows.append((f"ตารางที่ {table_no} แถวที่ {row_no}", cells))
    return titles, rows


def _row_cells(row) -> list[Cell]:
    """The row's cells as lines; a cell merged across columns once."""
    cells, last = [], None
    for cell in row.cells:
        if cell._tc is not last:
            cells.append(_lines(*cell.paragraphs))
        last = cell._tc
    return cells


def _lines(*paragraphs) -> list[str]:
    """Each paragraph's text split at line breaks, blank lines left out."""
    return [line for paragraph in paragraphs for line in paragraph.text.split("\n") if line.strip()]


def _page_header_lines(document) -> list[str]:
    """Lines of the page headers each section defines (a header linked to the previous one is that one)."""
    lines = []
    for section in document.sections:
        for header in (section.first_page_header, section.header, section.even_page_header):
            if not header.is_linked_to_previous:
                lines += _lines(*header.paragraphs)
    return lines
