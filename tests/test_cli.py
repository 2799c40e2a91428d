"""The command line, as a user runs it: python -m ita_data import | dump | template (in this process
through the cli fixture; as a real process where that is the point). Bad input: exit status 2, one
line on stderr naming the file (and row/column), no traceback, and the database exactly as it was.
A bug: its traceback and exit status 1."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SEED, report_text, row

ORG = "องค์การบริหารส่วนตำบลมวกเหล็ก"


def rows_of(text: str) -> list[int]:
    """Line indices of the seed's table rows (eight tab-separated cells, a row number first)."""
    lines = text.split("\n")
    return [i for i, line in enumerate(lines) if line.count("\t") == 7 and line[:1] in "๑๒๓๔๕๖๗๘๙"]


@pytest.fixture(scope="session")
def seeded(seeded_db):
    """The session's seeded database and its dump, as the real `python -m ita_data dump` writes it."""
    done = subprocess.run([sys.executable, "-m", "ita_data", "dump", "--db", str(seeded_db)], cwd=ROOT,
                          capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    return seeded_db, done.stdout


@pytest.fixture
def db(seeded_copy):
    return seeded_copy


# ---------------------------------------------------------------- import, dump, template

def test_import_prints_counts_and_warnings(cli, tmp_db, seed_path):
    done = cli("import", seed_path, "--db", tmp_db)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    head = lines[0]
    assert head.startswith(str(seed_path)) and "นำเข้า" in head and ORG in head
    assert "ปีประเมิน 2568" in head and "แผนปีงบประมาณ 2569" in head
    assert "10 ประเด็น, 23 มาตรการ, 24 คำเตือน" in head
    assert "มาตรการ: คงเดิม 0, ใหม่ 23, นำออก 0, เปลี่ยนข้อความ 0" in head
    assert lines[1] == "  หน่วยงาน: หน่วยงานใหม่"
    warnings = lines[2:]
    assert len(warnings) == 24
    assert all(w.startswith("  แถว ") for w in warnings)
    assert sum(w.startswith("  แถว 7: คะแนนไม่ตรงกัน") for w in warnings) == 2
    assert sum(w.startswith("  แถว 1: รหัสข้อคำถาม") for w in warnings) == 1
    assert sum("๓. ก.ย.๖๙" in w for w in warnings) == 10

    again = cli("import", seed_path, "--db", tmp_db, "--quiet")
    assert again.returncode == 0, again.stderr
    [line] = again.stdout.splitlines()
    assert "แทนที่" in line and "10 ประเด็น, 23 มาตรการ, 24 คำเตือน" in line
    assert "มาตรการ: คงเดิม 23, ใหม่ 0, นำออก 0, เปลี่ยนข้อความ 0" in line


def test_dump_is_utf8_json(cli, db, seeded):
    done = cli("dump", "--db", db)  # decoded strictly as UTF-8 by the fixture
    assert done.returncode == 0, done.stderr
    assert ORG in done.stdout  # Thai as itself, not \u escapes
    data = json.loads(done.stdout)
    assert data["schema_version"] == 4
    [org] = data["organizations"]
    assert (org["name"], org["district"], org["province"]) == (ORG, "มวกเหล็ก", "สระบุรี")
    [a] = org["assessments"]
    assert (a["assessed_year"], a["plan_year"]) == (2568, 2569)
    assert len(a["findings"]) == 10
    assert sum(len(f["measures"]) for f in a["findings"]) == 23
    assert done.stdout.encode("utf-8") == seeded[1]


def test_dump_of_an_empty_database(cli, tmp_db):
    from ita_data import store
    store.connect(tmp_db).close()  # a new database: the schema, no reports
    done = cli("dump", "--db", tmp_db)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"schema_version": 4, "organizations": [], "users": [], "audit_log": []}


def test_dump_of_a_missing_database_creates_nothing(cli, tmp_db, tmp_path):
    done = cli("dump", "--db", tmp_db)
    check_refused(done, tmp_db, ["ไม่พบฐานข้อมูล"])
    assert not tmp_db.exists()
    done = cli("dump")  # $ITA_DB (the fixture's, in tmp_path) missing too
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "default.duckdb").exists()


def test_template(cli, tmp_path):
    pytest.importorskip("ita_data.importers.table")
    out = tmp_path / "แบบฟอร์ม.xlsx"
    done = cli("template", "--out", out)
    assert done.returncode == 0, done.stderr
    assert out.is_file() and out.read_bytes()[:2] == b"PK"  # an xlsx is a zip
    import openpyxl
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames


@pytest.mark.parametrize("command", [None, "import", "dump", "template"])
def test_help(cli, command):
    done = cli(*([command] if command else []), "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python -m ita_data")
    if command:
        assert f"python -m ita_data {command}" in done.stdout.splitlines()[0]
    if command in ("import", "dump"):
        assert "--db" in done.stdout


def test_no_command(cli):
    done = cli()
    assert done.returncode == 2 and "Traceback" not in done.stderr


# ---------------------------------------------------------------- bad input

def _truncated_mid_row(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    i = rows_of(text)[4]  # row 5
    cut = lines[i][: lines[i].index("\t", lines[i].index("\t") + 1) + 40]  # inside its third cell
    path = tmp_path / "truncated.txt"
    path.write_text("\n".join(lines[:i] + [cut]), encoding="utf-8")
    return path


def _truncated_mid_character(tmp_path):
    data = SEED.read_bytes()
    lines = data.split(b"\n")
    i = rows_of(SEED.read_text(encoding="utf-8"))[4]
    start = len(b"\n".join(lines[:i])) + 1
    cut = start + 301
    while (data[cut] & 0xC0) != 0x80:  # stop inside a multi-byte Thai character
        cut += 1
    path = tmp_path / "truncated-bytes.txt"
    path.write_bytes(data[:cut])
    return path


def _missing_columns(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    i = rows_of(text)[2]  # row 3 loses its last three cells
    lines[i] = "\t".join(lines[i].split("\t")[:5])
    path = tmp_path / "columns.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _bad_score(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("(๙๗.๔๕ คะแนน)", "(๑๒๓ คะแนน)")
    path = tmp_path / "score.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _write(name: str, data: bytes):
    def make(tmp_path):
        path = tmp_path / name
        path.write_bytes(data)
        return path
    return make


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")

# (maker, words the one stderr line must hold besides the file name)
BAD = {
    "missing": (lambda tmp_path: tmp_path / "no-such-report.txt", ["ไม่พบไฟล์"]),
    "empty": (_write("empty.txt", b""), ["ว่าง"]),
    "blank": (_write("blank.txt", b" \n\t\n"), ["ว่าง"]),
    "binary-txt": (_write("binary.txt", bytes(range(256)) * 20), ["ไบนารี"]),
    "png-docx": (_write("picture.docx", PNG), []),
    "truncated": (_truncated_mid_row, ["แถวที่ 5", "คอลัมน์"]),
    "truncated-bytes": (_truncated_mid_character, ["แถวที่ 5", "คอลัมน์"]),
    "missing-columns": (_missing_columns, ["แถวที่ 3", "8 คอลัมน์", "ผู้รับผิดชอบ"]),
    "score": (_bad_score, ["แถวที่ 2", "คอลัมน์ ประเด็น/ตัวชี้วัด", "123"]),
    "unrelated-csv": (_write("prices.csv", "สินค้า,ราคา\nข้าว,30\nน้ำ,10\n".encode()), []),
    "unsupported": (_write("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), [".pdf"]),
    "no-table": (_write("notes.txt", "บันทึกการประชุม\nไม่มีตาราง\n".encode()), ["ไม่พบแถว"]),
}
NEEDS = {"png-docx": "ita_data.importers.docx", "unrelated-csv": "ita_data.importers.table"}


def check_refused(done, path, words):
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert done.stderr.endswith("\n") and done.stderr.count("\n") == 1
    assert str(path) in lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert done.stdout == ""


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_refused_and_changes_nothing(cli, db, seeded, tmp_path, case):
    if case in NEEDS:
        pytest.importorskip(NEEDS[case])
    make, words = BAD[case]
    path = make(tmp_path)
    done = cli("import", path, "--db", db)
    check_refused(done, path, words)
    after = cli("dump", "--db", db)
    assert after.returncode == 0
    assert after.stdout.encode("utf-8") == seeded[1]


def test_second_file_bad_writes_neither(cli, db, seeded, tmp_path, seed_path):
    other = tmp_path / "other.txt"
    other.write_text(report_text([row()]), encoding="utf-8")
    bad = _bad_score(tmp_path)
    done = cli("import", other, bad, "--db", db)
    check_refused(done, bad, ["แถวที่ 2"])
    assert cli("dump", "--db", db).stdout.encode("utf-8") == seeded[1]


def test_second_file_bad_on_a_new_database(cli, tmp_db, seed_path, tmp_path):
    bad = _missing_columns(tmp_path)
    done = cli("import", seed_path, bad, "--db", tmp_db)
    check_refused(done, bad, ["แถวที่ 3"])
    assert not tmp_db.exists()  # every file is read before the database is opened
    assert cli("dump", "--db", tmp_db).returncode == 2


def test_not_a_database(cli, tmp_path, seed_path):
    fake = tmp_path / "fake.duckdb"
    fake.write_bytes(b"not a database\n" * 200)
    done = cli("import", seed_path, "--db", fake)
    check_refused(done, fake, [])
    assert fake.read_bytes() == b"not a database\n" * 200


def test_template_into_a_missing_folder(cli, tmp_path):
    pytest.importorskip("ita_data.importers.table")
    out = tmp_path / "no" / "such" / "folder" / "แบบฟอร์ม.xlsx"
    done = cli("template", "--out", out)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1


# ---------------------------------------------------------------- exit status: bad input or a bug

def test_a_bad_argument_value_is_bad_input(cli, db, tmp_path):
    done = cli("meeting", "--out", tmp_path / "deck.pptx", "--db", db, "--month", "2026-13")
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert "2026-13" in line and "Traceback" not in done.stderr


def test_a_bad_itatoday_is_bad_input(cli, db, tmp_path, monkeypatch):
    monkeypatch.setenv("ITA_TODAY", "16/03/2026")
    done = cli("meeting", "--out", tmp_path / "deck.xlsx", "--db", db)
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert "ITA_TODAY" in line and "16/03/2026" in line


def test_a_bug_is_not_called_bad_input(cli, db, monkeypatch):
    from ita_data import store

    def broken(con):
        raise RuntimeError("a bug in dump")

    monkeypatch.setattr(store, "dump", broken)
    with pytest.raises(RuntimeError, match="a bug in dump"):  # main() lets it through
        cli("dump", "--db", db)


def test_a_bug_in_a_real_process_shows_its_traceback_and_exits_1(seeded_db):
    """python -m ita_data as a real process, with store.dump broken: Python's traceback, status 1."""
    code = ("import runpy, ita_data.store as store\n"
            "def broken(con): raise RuntimeError('a bug in dump')\n"
            "store.dump = broken\n"
            "runpy.run_module('ita_data', run_name='__main__', alter_sys=True)\n")
    done = subprocess.run([sys.executable, "-c", code, "dump", "--db", str(seeded_db)], cwd=ROOT,
                          capture_output=True, encoding="utf-8", timeout=120)
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "RuntimeError: a bug in dump" in done.stderr
    assert done.stdout == ""


def test_python_m_ita_data_as_a_real_process(seeded_db, tmp_path):
    env = {**os.environ, "ITA_DB": str(tmp_path / "none.duckdb"), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "ita_data", "dump", "--db", str(seeded_db)], cwd=ROOT, env=env,
                          capture_output=True, encoding="utf-8", errors="strict", timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["organizations"][0]["name"] == ORG
    done = subprocess.run([sys.executable, "-m", "ita_data", "dump"], cwd=ROOT, env=env, capture_output=True,
                          encoding="utf-8", timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("error: ") and len(done.stderr.splitlines()) == 1


def test_a_database_another_process_holds_is_refused(cli, db, seed_path):
    """DuckDB lets one process write a file: the CLI says so in one line and exits 2."""
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); sys.stdin.read()", str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        done = cli("import", seed_path, "--db", db)
    finally:
        holder.communicate("", timeout=30)
    check_refused(done, db, ["ถูกใช้งานอยู่"])


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(cli, tmp_db, tmp_path):
    from ita_data.importers import MAX_FILE_MB, ReportError, read_bytes
    big = tmp_path / "ใหญ่.txt"
    with big.open("wb") as f:  # sparse: MAX_FILE_MB + 1 MB of zeros
        f.truncate((MAX_FILE_MB + 1) * 1024 * 1024)
    done = cli("import", big, "--db", tmp_db)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert f"ใหญ่.txt: ไฟล์ขนาด {MAX_FILE_MB + 1}.0 MB ใหญ่เกินไป: รับไฟล์รายงานไม่เกิน {MAX_FILE_MB} MB" in done.stderr
    assert not tmp_db.exists()  # refused before the database was opened
    with pytest.raises(ReportError, match="ใหญ่เกินไป"):
        read_bytes(b"x" * (MAX_FILE_MB * 1024 * 1024 + 1), "upload.csv")
