"""The report as a Word .docx: title paragraphs, then the report table with the same eight columns
as the text format (one table per page, or one long table). Each cell is read as its lines."""
from __future__ import annotations

import io

from .records import COLUMNS, MAX_ROWS, Report, ReportError, check_unpacked, too_many_rows
from .rows import is_header, read_rows

Cell = list[str]
_TITLE_ROWS = 20  # rows of a table that are not data rows (headers repeated per page, captions), at most

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
    merged: set[str] = set()
    table_no = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            table_no += 1
            table_titles, table_rows, table_merged = _read_table(block, table_no, file)
            titles += table_titles
            rows += table_rows
            merged |= table_merged
            if len(rows) > MAX_ROWS:
                raise too_many_rows(file, f"ตารางที่ {table_no}")
        else:
            titles += _lines(block)
    if not rows:
        raise ReportError(file, "ไม่พบตารางรายงานในเอกสาร (ตารางต้องมีคอลัมน์: "
                                + " | ".join(th for _, th in COLUMNS) + ")")
    return read_rows(titles, rows, file, merged=merged)


def open_document(data: bytes, file: str):
    """The python-docx Document, or a ReportError saying what the file seems to be."""
    import docx

    check_unpacked(data, file, "เอกสาร Word ")  # before python-docx builds the whole document in memory
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # python-docx fails in many ways on a bad file: zip, XML, content type, missing part
        what = next((text for magic, text in _SIGNATURES if data.startswith(magic)),
                    "ไฟล์เสียหายหรือไม่ใช่เอกสาร Word")
        raise ReportError(file, f"{what}: ไม่ใช่เอกสาร Word (.docx)") from None


def _read_table(table, table_no: int, file: str) -> tuple[list[str], list[tuple[str, list[Cell]]], set[str]]:
    """(title lines, data rows with their labels, the labels of rows whose indicator cell is the one
    of the data row above merged down). Header rows, captions (one cell merged across the table) and
    tables that are only layout (no header, fewer than eight columns) give title lines."""
    try:
        read = []
        for row in table.rows:
            read.append(_row_cells(row))
            if len(read) > MAX_ROWS + _TITLE_ROWS:  # a table longer than any report: stop reading it
                raise too_many_rows(file, f"ตารางที่ {table_no}")
    except ValueError as e:
        if isinstance(e, ReportError):
            raise  # python-docx on a broken vertical merge
        raise ReportError(file, "โครงสร้างตารางเสียหาย (เซลล์ที่ผสานไม่ถูกต้อง)",
                          row=f"ตารางที่ {table_no}") from None
    is_report = any(is_header(cells) or len(cells) >= len(COLUMNS) for cells, _ in read)
    titles, rows, merged = [], [], set()
    above = None  # the first cell (w:tc) of the data row above
    for row_no, (cells, first) in enumerate(read, start=1):
        if not any(cells):
            continue
        if not is_report or len(cells) == 1 or is_header(cells):
            titles.append(" ".join(line for cell in cells for line in cell))
        else:
            label = f"ตารางที่ {table_no} แถวที่ {row_no}"
            rows.append((label, cells))
            if first is not None and first is above:
                merged.add(label)
            above = first
    return titles, rows, merged


def _row_cells(row) -> tuple[list[Cell], object]:
    """The row's cells as lines (a cell merged across columns once), and its first cell's w:tc:
    a cell merged down is the same w:tc in every row it covers."""
    cells, last, first = [], None, None
    for cell in row.cells:
        if cell._tc is not last:
            cells.append(_lines(*cell.paragraphs))
            first = cell._tc if first is None else first
        last = cell._tc
    return cells, first


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
