"""Bad input at any size: how long the import takes to answer, and its peak memory, for files over
the limits (refused) and for the largest report the limits accept (imported into a fresh database).
Each case runs `python -m ita_data import` as its own process; the figures are its wall time and
its peak resident memory. Prints a table; not a test.

    .venv/bin/python scripts/bench_limits.py
"""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ita_data.importers import MAX_FILE_MB, MAX_ROWS, MAX_XML_MB  # noqa: E402

SEED = ROOT / "data" / "muaklek-ita-report-2569.txt"
HEAD = ["หน่วยงาน", "จังหวัด", "ปีที่ประเมิน", "ปีงบประมาณ", "ลำดับ", "ตัวชี้วัด", "ข้อคำถาม", "มาตรการ", "ขั้นตอน",
        "ระยะเวลา", "ผู้รับผิดชอบ"]
# run inside the child: the import through the real command line, then the peak memory
CHILD = """
import sys
from ita_data.cli import main
code = main(sys.argv[1:])
# VmHWM: this process's peak resident memory since its exec (ru_maxrss would carry the parent's)
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM"))
print("PEAK", peak, file=sys.stderr)
sys.exit(code)
"""


def text_report(rows: int) -> bytes:
    """The seed's table rows repeated: a text report of `rows` rows."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.count("\t") >= 7)
    head, body = lines[:first + 2], [line for line in lines[first + 2:] if line.count("\t") >= 7]
    out = head + [body[i % len(body)] for i in range(rows)]
    return ("\n".join(out) + "\n").encode("utf-8")


def csv_report(rows: int, cell_chars: int = 40) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEAD)
    filler = ("จัดทำคู่มือการปฏิบัติงานและเผยแพร่ให้ผู้รับบริการได้รับทราบ " * (cell_chars // 60 + 1))[:cell_chars]
    for i in range(1, rows + 1):
        writer.writerow(["องค์การบริหารส่วนตำบลทดสอบ", "สระบุรี", 2568, 2569, i, "การปฏิบัติหน้าที่",
                         f"i1 {filler}", f"1. {filler}\n2. {filler}", f"1. {filler}", "1 ต.ค. 2568 - 30 ก.ย. 2569",
                         "สำนักปลัด, กองคลัง"])
    return out.getvalue().encode("utf-8")


def xlsx_report(rows: int, cell_chars: int) -> bytes:
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("รายงาน")
    sheet.append(HEAD)
    for record in csv.reader(io.StringIO(csv_report(rows, cell_chars).decode("utf-8"))):
        if record[0] != HEAD[0]:
            sheet.append(record)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as f:
            chunk = b"<row><c t='inlineStr'><is><t>x</t></is></c></row>" * 20_000
            for _ in range(2 * 1024 * 1024 * 1024 // len(chunk)):  # 2 GB unpacked
                f.write(chunk)
    return out.getvalue()


def run(name: str, path: Path, db: Path) -> None:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, "import", str(path), "--db", str(db), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    seconds = time.perf_counter() - started
    peak = next((line for line in done.stderr.splitlines() if line.startswith("PEAK")), "PEAK 0").split()
    answer = (done.stderr.splitlines()[0] if done.returncode else done.stdout.splitlines()[0])
    answer = answer.replace(str(path.parent) + os.sep, "")
    print(f"{name:<44} {path.stat().st_size / 1024 / 1024:>7.1f} MB {seconds:>6.2f} s {int(peak[1]) / 1024:>7.0f} MB "
          f"exit {done.returncode}  {answer[:110]}")


def main() -> None:
    print(f"limits: file {MAX_FILE_MB} MB, {MAX_ROWS} rows, .docx/.xlsx XML {MAX_XML_MB} MB unpacked")
    print(f"{'case':<44} {'size':>10} {'time':>8} {'peak RSS':>10}  answer")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        cases = {
            "45 MB text report, 100k rows (over size)": ("big.txt", lambda: text_report(100_000)[:45 * 1024 * 1024]),
            "28 MB CSV (over size)": ("big.csv", lambda: csv_report(100_000, 5)[:28 * 1024 * 1024]),
            "CSV of 60k rows under 20 MB (over rows)": ("rows.csv", lambda: csv_report(60_000, 5)),
            "text report, 100k rows under 20 MB (over rows)": ("rows.txt", lambda: text_report(100_000)[:19 * 1024 * 1024]),
            "xlsx unpacking to 2 GB (zip bomb)": ("bomb.xlsx", zip_bomb),
            f"CSV {MAX_ROWS} rows, long cells (accepted)": ("full.csv", lambda: csv_report(MAX_ROWS, 3_000)),
            f"XLSX {MAX_ROWS} rows, long cells (accepted)": ("full.xlsx", lambda: xlsx_report(MAX_ROWS, 2_000)),
            "the seed (accepted)": ("seed.txt", lambda: SEED.read_bytes()),
        }
        for name, (file, make) in cases.items():
            path = folder / file
            path.write_bytes(make())
            run(name, path, folder / f"{file}.duckdb")


if __name__ == "__main__":
    main()
