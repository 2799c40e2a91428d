"""Bad input at any size: files over the size limit, reports with more rows than any report has, and
zips that unpack to far more than they weigh are refused at once with one line, before the rest is
read; a report at the row limit is accepted. Timing and memory figures: scripts/bench_limits.py."""
from __future__ import annotations

import csv
import io
import tracemalloc
import zipfile

import openpyxl
import pytest

from conftest import report_text, row
from ita_data import store
from ita_data.importers import MAX_FILE_MB, MAX_ROWS, MAX_XML_MB, ReportError, read_bytes, read_report

HEAD = ["หน่วยงาน", "จังหวัด", "ปีที่ประเมิน", "ปีงบประมาณ", "ลำดับ", "ตัวชี้วัด", "มาตรการ", "ผู้รับผิดชอบ"]


def table_rows(n: int) -> list[list]:
    return [["องค์การบริหารส่วนตำบลทดสอบ", "สระบุรี", 2568, 2569, i, "การปฏิบัติหน้าที่", f"จัดทำคู่มือฉบับที่ {i}",
             "สำนักปลัด"] for i in range(1, n + 1)]


def csv_bytes(n: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEAD)
    writer.writerows(table_rows(n))
    return out.getvalue().encode("utf-8")


def xlsx_bytes(n: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("รายงาน")
    sheet.append(HEAD)
    for r in table_rows(n):
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_report_at_the_row_limit_is_accepted_and_one_more_is_refused(tmp_path):
    report = read_bytes(csv_bytes(MAX_ROWS), "ครบ.csv")
    assert len(report.findings) == MAX_ROWS
    with pytest.raises(ReportError) as refused:
        read_bytes(csv_bytes(MAX_ROWS + 1), "เกิน.csv")
    assert str(refused.value) == (f"เกิน.csv: บรรทัด {MAX_ROWS + 2}: มีแถวในตารางเกิน {MAX_ROWS} แถว: รายงานหนึ่งฉบับ"
                                  f"มีไม่เกิน {MAX_ROWS} แถว (หนึ่งแถวต่อหนึ่งข้อคำถาม) ตรวจว่าเลือกไฟล์ถูกต้อง")
    assert len(read_bytes(xlsx_bytes(MAX_ROWS), "ครบ.xlsx").findings) == MAX_ROWS
    with pytest.raises(ReportError, match=f"Excel แถว {MAX_ROWS + 2}: มีแถวในตารางเกิน {MAX_ROWS} แถว"):
        read_bytes(xlsx_bytes(MAX_ROWS + 1), "เกิน.xlsx")


def test_text_and_word_reports_past_the_row_limit(tmp_path):
    rows = [row(indicator=f"{i}. การปฏิบัติหน้าที่", measures=f"จัดทำคู่มือ {i}") for i in range(1, MAX_ROWS + 2)]
    text = report_text(rows, repeat_header=False).encode("utf-8")
    with pytest.raises(ReportError, match=r"ยาว.txt: บรรทัด \d+: มีแถวในตารางเกิน 500 แถว"):
        read_bytes(text, "ยาว.txt")
    import docx
    document = docx.Document()
    table = document.add_table(rows=MAX_ROWS + 30, cols=8)
    for i, r in enumerate(table.rows):
        r.cells[0].text = f"{i + 1}. การปฏิบัติหน้าที่"
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(ReportError, match="ยาว.docx: ตารางที่ 1: มีแถวในตารางเกิน 500 แถว"):
        read_bytes(out.getvalue(), "ยาว.docx")


def test_a_csv_of_seventy_thousand_rows_under_the_size_limit_is_refused_at_once(tmp_path):
    path = tmp_path / "เจ็ดหมื่นแถว.csv"
    data = csv_bytes(70_000)
    assert len(data) < MAX_FILE_MB * 1024 * 1024  # under the size limit: the row limit refuses it
    path.write_bytes(data)
    with pytest.raises(ReportError, match=f"บรรทัด {MAX_ROWS + 21}: มีแถวในตารางเกิน"):
        read_report(path)


def zip_bomb(kind: str) -> bytes:
    """A .xlsx/.docx of a few hundred kB whose XML unpacks past MAX_XML_MB."""
    out = io.BytesIO()
    part = "xl/worksheets/sheet1.xml" if kind == "xlsx" else "word/document.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(part, "w") as f:
            chunk = b"<row/>" * 100_000
            for _ in range((MAX_XML_MB + 1) * 1024 * 1024 // len(chunk) + 1):
                f.write(chunk)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_zip_that_unpacks_to_gigabytes_is_refused_before_parsing(kind):
    data = zip_bomb(kind)
    assert len(data) < 1024 * 1024
    with pytest.raises(ReportError, match=f"ระเบิด.{kind}: .*เมื่อแตกไฟล์ \\d+ MB เกิน {MAX_XML_MB} MB"):
        read_bytes(data, f"ระเบิด.{kind}")


@pytest.mark.parametrize("kind,part", [("docx", "word/media/image1.png"), ("xlsx", "xl/worksheets/sheet1.bin")])
def test_a_zip_whose_picture_or_odd_part_unpacks_past_the_file_limit_is_refused(kind, part):
    """Not only the XML: a 300 MB "picture" (or a part of another name) packed into a few hundred kB
    is refused from the zip's directory, before python-docx or openpyxl loads it (it took 628 MB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(part, "w") as f:
            chunk = bytes(1024 * 1024)
            for _ in range(300):
                f.write(chunk)
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ReportError, match=f"ระเบิด.{kind}: .*รูปภาพและส่วนอื่นเมื่อแตกไฟล์ 300 MB เกิน {MAX_FILE_MB} MB"):
            read_bytes(data, f"ระเบิด.{kind}")
        assert tracemalloc.get_traced_memory()[1] < 50 * 1024 * 1024  # nothing was unpacked
    finally:
        tracemalloc.stop()


def test_cli_refuses_a_long_report_in_one_line_and_writes_nothing(cli, seeded_db, tmp_path):
    path = tmp_path / "ยาว.csv"
    path.write_bytes(csv_bytes(5000))
    con = store.connect(seeded_db, read_only=True)
    before = store.dump(con)
    con.close()
    done = cli("import", path, "--db", seeded_db)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"error: {path}: บรรทัด {MAX_ROWS + 21}: มีแถวในตารางเกิน 500 แถว: "
                                        f"รายงานหนึ่งฉบับมีไม่เกิน 500 แถว (หนึ่งแถวต่อหนึ่งข้อคำถาม) ตรวจว่าเลือกไฟล์ถูกต้อง"]
    con = store.connect(seeded_db, read_only=True)
    assert store.dump(con) == before
    con.close()


def test_the_server_refuses_uploads_past_the_file_limit_itself():
    """The uploader's max_upload_size is checked in the browser; the server's own limit (Streamlit's
    server.maxUploadSize, in MB) is the same, so a request made by hand is refused as well."""
    import tomllib
    from pathlib import Path
    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == MAX_FILE_MB
