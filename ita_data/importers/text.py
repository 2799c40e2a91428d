"""The report as text (the seed's format): tab-separated table rows under repeated page titles and
a two-line header."""
from __future__ import annotations

import re

from .records import COLUMNS, MAX_ROWS, ReportError, too_many_rows
from .rows import is_header, read_rows

_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r


def decode(data: bytes, file: str) -> str:
    if b"\x00" in data:
        raise ReportError(file, "ไม่ใช่ไฟล์ข้อความ: มีข้อมูลไบนารี")
    for encoding in ("utf-8-sig", "cp874"):  # cp874 = Thai Windows (TIS-620)
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            if not (encoding == "utf-8-sig" and e.reason == "unexpected end of data"):
                continue
            # a copy cut inside its last character: read what is there (the cut row then fails
            # its column check with the row named, rather than the file called "not text")
            try:
                text = data[:e.start].decode(encoding)
            except UnicodeDecodeError:
                continue
        controls = len(_CONTROLS.findall(text))
        if controls <= len(text) // 100:
            return text
    raise ReportError(file, "ไม่ใช่ไฟล์ข้อความ UTF-8 หรือ TIS-620")


def read_text(data: bytes, file: str):
    text = decode(data, file)
    titles: list[str] = []
    rows: list[tuple[str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "\t" not in line:
            if line.strip():
                titles.append(line.strip())
            continue
        cells = line.split("\t")
        if is_header(cells):
            titles.append(line)
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(rows) == MAX_ROWS:  # stop at the first row past the limit
            raise too_many_rows(file, f"บรรทัด {number}")
        rows.append((f"แถวที่ {len(rows) + 1} (บรรทัด {number})", cells))
    if not rows:
        raise ReportError(file, "ไม่พบแถวของตารางรายงาน (แถวที่แบ่งคอลัมน์ด้วยแท็บ: "
                                + " | ".join(th for _, th in COLUMNS) + ")")
    return read_rows(titles, rows, file)
