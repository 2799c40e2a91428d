"""A whole year's ITA scores: score sheets read, refused, imported, re-imported and dumped; the
year-over-year view's numbers. Real seed, real DuckDB files, the CLI in-process."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from score_sheets import (CHANGES_2569, DISTRICT, HEADER_EN, HEADER_TH, ORG, PROVINCE, QUESTIONS, expected_means,
                          question_scores, seed_question_scores, write_sheet, year_rows)

from ita_data import store
from ita_data.importers import ReportError, ScoreSheet, read_any, read_bytes
from ita_data.importers.scores import is_score_sheet, write_score_template
from ita_data.importers.table import table_records, write_template


def org_id(db: Path, name: str = ORG) -> int:
    con = store.connect(db)  # as the app opens it (AppTest's app_db is open in this process)
    try:
        return next(o["id"] for o in store.organizations(con) if o["name"] == name)
    finally:
        con.close()


def current(db: Path, name: str = ORG) -> list[dict]:
    con = store.connect(db)
    try:
        return store.scores.current_scores(con, org_id(db, name))
    finally:
        con.close()


def dump_bytes(cli, db: Path) -> str:
    out = cli("dump", "--db", db)
    assert out.returncode == 0, out.stderr
    return out.stdout


# ---------------------------------------------------------------- reading

def test_a_sheet_for_the_seed_agency_matches_the_seed_findings(seeded_copy, tmp_path, cli):
    sheet = write_sheet(tmp_path / "คะแนน-2568.xlsx", year_rows(2568))
    out = cli("import", sheet, "--db", seeded_copy)
    assert out.returncode == 0, out.stderr
    head = out.stdout.splitlines()[0]
    assert head.startswith(f"{sheet}: นำเข้าคะแนน {ORG} ปีประเมิน 2568: 57 คะแนน:")
    assert "10 ตัวชี้วัด, 46 ข้อคำถาม; คะแนนใหม่ของปีนี้" in head
    assert "ชื่อและจังหวัดตรงกับหน่วยงานที่มีอยู่ (อำเภอมวกเหล็ก จังหวัดสระบุรี)" in out.stdout
    con = store.connect(seeded_copy, read_only=True)
    assert len(store.organizations(con)) == 1  # the seed's agency, not a new one
    findings = store.findings(con, store.assessments(con)[0]["id"])
    con.close()
    rows = current(seeded_copy)
    assert {r["assessed_year"] for r in rows} == {2568} and len(rows) == 57
    by_code = {r["question_code"]: r["score"] for r in rows if r["question_code"]}
    assert len(findings) == 10
    for f in findings:  # every question the report picked has, in the sheet, the report's score
        assert by_code[f["question_code"]] == pytest.approx(f["score"]), f["question_code"]
    indicators = {r["indicator_no"]: r["score"] for r in rows if not r["question_code"]}
    assert set(indicators) == set(range(0, 11))
    assert {no: indicators[no] for no in range(1, 11)} == pytest.approx(expected_means(2568))


def test_english_header_thai_digits_and_codes_in_either_case(tmp_path):
    rows = [["อบต. มวกเหล็ก", "อ.มวกเหล็ก", "จ.สระบุรี", "๒๕๖๘", "ita", "", "๙๖.๘๐"],
            ["", "", "", "", "๒", "I๔", "๙๗.๔๕"],
            ["", "", "", "", "การใช้งบประมาณ", "i 5", "87,87"],
            ["", "", "", "", "ตัวชี้วัดที่ ๗", "E4", 97.6],
            ["", "", "", "", "9", "O๒๒", "100"]]
    sheet = read_any(write_sheet(tmp_path / "scores.csv", rows, HEADER_EN))
    assert isinstance(sheet, ScoreSheet) and len(sheet.years) == 1
    year = sheet.years[0]
    assert (year.organization, year.district, year.province, year.assessed_year) == (ORG, DISTRICT, PROVINCE, 2568)
    assert [(r.indicator_no, r.question_code, r.score) for r in year.rows] == [
        (0, "", 96.8), (2, "i4", 97.45), (2, "i5", 87.87), (7, "e4", 97.6), (9, "o22", 100.0)]
    assert year.overall == 96.8 and year.questions["i5"] == 87.87


def test_one_sheet_holds_several_organizations_and_years(seeded_copy, tmp_path, cli):
    other = "องค์การบริหารส่วนตำบลหนองแค"
    rows = (year_rows(2567) + year_rows(2568)
            + [[other, "หนองแค", "สระบุรี", 2568, "ITA", "", 91.5], ["", "", "", "", 1, "i1", 88.0]])
    out = cli("import", write_sheet(tmp_path / "หลายหน่วยงาน.csv", rows), "--db", seeded_copy)
    assert out.returncode == 0, out.stderr
    heads = [line for line in out.stdout.splitlines() if not line.startswith(" ")]
    assert len(heads) == 3
    assert f"{other} ปีประเมิน 2568: 2 คะแนน: ITA รวม 91.50, 0 ตัวชี้วัด, 1 ข้อคำถาม" in heads[2]
    assert "หน่วยงานใหม่" in out.stdout
    assert {r["assessed_year"] for r in current(seeded_copy)} == {2567, 2568}
    assert [(r["indicator_no"], r["question_code"], r["score"]) for r in current(seeded_copy, other)] == [
        (0, "", 91.5), (1, "i1", 88.0)]
    con = store.connect(seeded_copy, read_only=True)
    new = next(o for o in store.organizations(con) if o["name"] == other)
    con.close()
    assert (new["district"], new["province"]) == ("หนองแค", "สระบุรี")


def test_a_score_sheet_is_told_apart_from_the_report_template(tmp_path):
    template = write_template(tmp_path / "แบบฟอร์ม.xlsx")
    assert not is_score_sheet(table_records(template.read_bytes(), "แบบฟอร์ม.xlsx", ".xlsx"))
    blank = write_score_template(tmp_path / "แผ่นคะแนน.xlsx")
    assert is_score_sheet(table_records(blank.read_bytes(), "แผ่นคะแนน.xlsx", ".xlsx"))
    sheet = write_sheet(tmp_path / "s.xlsx", year_rows(2568))
    with pytest.raises(ReportError, match="เป็นแผ่นคะแนน ITA ไม่ใช่รายงาน"):
        read_bytes(sheet.read_bytes(), "s.xlsx")  # a reader of reports only says what it is


def test_the_blank_score_sheet_filled_in_imports(tmp_path, cli, tmp_db):
    out = cli("template", "--scores", "--out", tmp_path / "blank.xlsx")
    assert out.returncode == 0 and "แผ่นคะแนนเปล่า" in out.stdout
    from openpyxl import load_workbook
    book = load_workbook(tmp_path / "blank.xlsx")
    assert book.sheetnames == ["คะแนน", "คำอธิบาย", "ตัวอย่าง"]
    assert [c.value for c in book["คะแนน"][1]] == ["หน่วยงาน", "อำเภอ", "จังหวัด", "รหัสหน่วยงาน", "ปีที่ประเมิน",
                                                  "ตัวชี้วัดที่", "รหัสข้อคำถาม", "คะแนน"]
    blank = cli("import", tmp_path / "blank.xlsx", "--db", tmp_db)
    assert blank.returncode == 2 and "ไม่พบแถวคะแนน" in blank.stderr and not tmp_db.exists()
    for row in book["ตัวอย่าง"].iter_rows(min_row=2, values_only=True):  # the examples, into the sheet
        book["คะแนน"].append(row)
    book.save(tmp_path / "filled.xlsx")
    out = cli("import", tmp_path / "filled.xlsx", "--db", tmp_db)
    assert out.returncode == 0, out.stderr
    assert "8 คะแนน: ITA รวม 96.12, 2 ตัวชี้วัด, 5 ข้อคำถาม" in out.stdout
    csv_out = cli("template", "--scores", "--out", tmp_path / "blank.csv")
    assert csv_out.returncode == 0
    assert (tmp_path / "blank.csv").read_text(encoding="utf-8-sig").splitlines() == [",".join(HEADER_TH[:3]) +
                                                                                     ",รหัสหน่วยงาน," +
                                                                                     ",".join(HEADER_TH[3:])]
    bad = cli("template", "--scores", "--out", tmp_path / "blank.pdf")
    assert bad.returncode == 2 and ".xlsx หรือ .csv" in bad.stderr


# ---------------------------------------------------------------- bad input: one line, nothing written

def _base() -> list[list]:
    return year_rows(2568)


def _with(rows: list[list], index: int, column: int, value) -> list[list]:
    rows = [list(r) for r in rows]
    rows[index][column] = value
    return rows


BAD = {
    # name: (rows, header, expected in the message: row, column, reason)
    "missing column": (lambda: [r[:6] for r in _base()], HEADER_TH[:6], ("บรรทัด 1", None, "ไม่พบคอลัมน์ คะแนน")),
    "duplicate row": (lambda: _base() + [_base()[3]], HEADER_TH,
                      ("แถวที่ 58 (บรรทัด 59)", "รหัสข้อคำถาม", "ข้อคำถาม i2 ขององค์การบริหารส่วนตำบลมวกเหล็ก ปี 2568 "
                                                               "ซ้ำกับแถวที่ 4 (บรรทัด 5)")),
    "duplicate indicator": (lambda: _base() + [_base()[1]], HEADER_TH,
                            ("แถวที่ 58", "ตัวชี้วัดที่", "คะแนนตัวชี้วัดที่ 1")),
    "score above 100": (lambda: _with(_base(), 5, 6, "100.5"), HEADER_TH,
                        ("แถวที่ 6 (บรรทัด 7)", "คะแนน", "คะแนน 100.5 อยู่นอกช่วง 0-100")),
    "negative score": (lambda: _with(_base(), 5, 6, "-3"), HEADER_TH,
                       ("แถวที่ 6", "คะแนน", "คะแนน -3 อยู่นอกช่วง 0-100")),
    "negative score, Thai digits": (lambda: _with(_base(), 5, 6, "-๕"), HEADER_TH,
                                    ("แถวที่ 6", "คะแนน", "คะแนน -5 อยู่นอกช่วง 0-100")),
    "not a number": (lambda: _with(_base(), 5, 6, "ดีมาก"), HEADER_TH, ("แถวที่ 6", "คะแนน", 'คะแนน "ดีมาก" ไม่ใช่ตัวเลข')),
    "empty score": (lambda: _with(_base(), 9, 6, ""), HEADER_TH, ("แถวที่ 10", "คะแนน", "ไม่ได้กรอกคะแนน")),
    "code of another indicator": (lambda: _with(_base(), 2, 5, "i5"), HEADER_TH,
                                  ("แถวที่ 3 (บรรทัด 4)", "รหัสข้อคำถาม",
                                   "ข้อ i5 ของปี 2568 เป็นข้อของตัวชี้วัดที่ 2 การใช้งบประมาณ แต่แถวนี้ระบุตัวชี้วัดที่ 1")),
    "code of another tool": (lambda: _with(_base(), 2, 5, "E3"), HEADER_TH,
                             ("แถวที่ 3", "รหัสข้อคำถาม", "ข้อ e3 เป็นข้อของ EIT (ตัวชี้วัดที่ 6-8)")),
    "unreadable code": (lambda: _with(_base(), 2, 5, "ข้อ 1"), HEADER_TH,
                        ("แถวที่ 3", "รหัสข้อคำถาม", 'รหัสข้อคำถาม "ข้อ 1" อ่านไม่ได้')),
    "code on the overall score": (lambda: _with(_base(), 0, 5, "i1"), HEADER_TH,
                                  ("แถวที่ 1 (บรรทัด 2)", "รหัสข้อคำถาม", "คะแนน ITA รวม (ตัวชี้วัด 0) ไม่มีข้อคำถาม")),
    "indicator 11": (lambda: _with(_base(), 1, 4, "11"), HEADER_TH,
                     ("แถวที่ 2", "ตัวชี้วัดที่", "ตัวชี้วัดที่ 11 ไม่มี")),
    "unknown indicator": (lambda: _with(_base(), 1, 4, "ความโปร่งใส"), HEADER_TH,
                          ("แถวที่ 2", "ตัวชี้วัดที่", 'ไม่รู้จักตัวชี้วัด "ความโปร่งใส"')),
    "organization not a name": (lambda: _with(_base(), 4, 0, "12345"), HEADER_TH,
                                ("แถวที่ 5", "หน่วยงาน", '"12345" ไม่ใช่ชื่อหน่วยงาน')),
    "no organization at all": (lambda: _with(_base(), 0, 0, ""), HEADER_TH,
                               ("แถวที่ 1", "หน่วยงาน", "ไม่ได้กรอกชื่อหน่วยงาน")),
    "bad year": (lambda: _with(_base(), 0, 3, "25x8"), HEADER_TH, ("แถวที่ 1", "ปีที่ประเมิน", '"25x8" ไม่ใช่ปี พ.ศ.')),
}


def _outside_rows() -> list[list]:
    """The 2568 sheet with three codes outside their indicator's question set of 2568: i99 under
    indicator 1, e10 under 6, o999 under 9 (added as rows of their own)."""
    rows = _base()
    return rows + [[ORG, DISTRICT, PROVINCE, 2568, no, code, 90.0] for no, code in ((1, "i99"), (6, "e10"), (9, "o999"))]


OUTSIDE_WARNINGS = [
    "แถวที่ 58 (บรรทัด 59), คอลัมน์ รหัสข้อคำถาม: ข้อ i99 ไม่อยู่ในข้อคำถามของตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ "
    "ปี 2568 ที่โปรแกรมรู้จัก (i1-i3): นำเข้าไว้แล้ว ตรวจรหัสข้ออีกครั้ง",
    "แถวที่ 59 (บรรทัด 60), คอลัมน์ รหัสข้อคำถาม: ข้อ e10 ไม่อยู่ในข้อคำถามของตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน "
    "ปี 2568 ที่โปรแกรมรู้จัก (e1-e3): นำเข้าไว้แล้ว ตรวจรหัสข้ออีกครั้ง",
    "แถวที่ 60 (บรรทัด 61), คอลัมน์ รหัสข้อคำถาม: ข้อ o999 ไม่อยู่ในข้อคำถามของตัวชี้วัดที่ 9 การเปิดเผยข้อมูล "
    "ปี 2568 ที่โปรแกรมรู้จัก (o1-o22): นำเข้าไว้แล้ว ตรวจรหัสข้ออีกครั้ง",
]


def test_codes_outside_the_years_question_set_import_with_a_warning_each(seeded_copy, tmp_path, cli):
    sheet = write_sheet(tmp_path / "คะแนน.csv", _outside_rows())
    read = read_any(sheet)
    assert read.warnings == OUTSIDE_WARNINGS and read.years[0].warnings == OUTSIDE_WARNINGS
    assert not read_any(write_sheet(tmp_path / "ok.csv", _base())).warnings  # the framework's own codes: none
    out = cli("import", sheet, "--db", seeded_copy)
    assert out.returncode == 0, out.stderr
    for warning in OUTSIDE_WARNINGS:
        assert f"  คำเตือน: {warning}" in out.stdout.splitlines()
    assert {"i99", "e10", "o999"} <= {r["question_code"] for r in current(seeded_copy)}  # imported, not refused
    con = store.connect(seeded_copy, read_only=True)
    try:
        assert store.scores.score_imports(con)[-1]["warnings"] == OUTSIDE_WARNINGS  # kept with the import
    finally:
        con.close()
    # another year's framework has its own sets: i20 under indicator 4 is of 2563-2566's i19-i24
    older = [[ORG, DISTRICT, PROVINCE, 2565, 4, "i20", 90.0], [ORG, DISTRICT, PROVINCE, 2565, 4, "i31", 90.0]]
    [warning] = read_any(write_sheet(tmp_path / "2565.csv", older)).warnings
    assert warning.startswith("แถวที่ 2 (บรรทัด 3), คอลัมน์ รหัสข้อคำถาม: ข้อ i31 ") and "(i19-i24)" in warning


def test_a_score_sheet_is_called_a_score_sheet_in_the_import_lines(seeded_copy, tmp_path, cli):
    sheet = write_sheet(tmp_path / "คะแนน.csv", year_rows(2569, province="", district=""))
    out = cli("import", sheet, "--db", seeded_copy)
    assert out.returncode == 0, out.stderr
    assert "  หน่วยงาน: แผ่นคะแนนไม่ระบุจังหวัด: ใช้หน่วยงานชื่อเดียวกันที่มีอยู่แห่งเดียว" in out.stdout
    assert "รายงาน" not in out.stdout
    new = write_sheet(tmp_path / "ใหม่.csv", year_rows(2569, org="เทศบาลตำบลทดสอบ", province="", district=""))
    out = cli("import", new, "--db", seeded_copy, "--dry-run")
    assert "  หน่วยงาน: หน่วยงานใหม่ (แผ่นคะแนนไม่ระบุจังหวัด)" in out.stdout and "รายงาน" not in out.stdout


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_names_file_row_and_column_and_writes_nothing(case, seeded_copy, tmp_path, cli):
    make, header, (row, column, reason) = BAD[case]
    sheet = write_sheet(tmp_path / "คะแนน.csv", make(), header)
    before = dump_bytes(cli, seeded_copy)
    out = cli("import", sheet, "--db", seeded_copy)
    assert out.returncode == 2, (out.stdout, out.stderr)
    message = out.stderr.strip()
    assert "\n" not in message, message  # one line
    assert message.startswith(f"error: {sheet}: "), message
    assert row in message and reason in message, message
    if column:
        assert f"คอลัมน์ {column}" in message, message
    assert out.stdout == ""
    assert dump_bytes(cli, seeded_copy) == before  # nothing written


def test_a_bad_sheet_among_good_files_writes_none_of_them(seeded_copy, tmp_path, cli):
    good = write_sheet(tmp_path / "good.csv", year_rows(2569, CHANGES_2569))
    bad = write_sheet(tmp_path / "bad.csv", _with(_base(), 5, 6, "101"))
    before = dump_bytes(cli, seeded_copy)
    out = cli("import", good, bad, "--db", seeded_copy)
    assert out.returncode == 2 and "bad.csv" in out.stderr
    assert dump_bytes(cli, seeded_copy) == before


def test_an_ambiguous_organization_is_refused_naming_the_file(seeded_copy, tmp_path, cli):
    """Two organizations of one name in two provinces: a sheet without a province cannot tell them apart."""
    twin = write_sheet(tmp_path / "twin.csv", year_rows(2568, province="ลพบุรี", district="เมือง"))
    assert cli("import", twin, "--db", seeded_copy).returncode == 0
    before = dump_bytes(cli, seeded_copy)
    unplaced = write_sheet(tmp_path / "unplaced.csv", year_rows(2569, province="", district=""))
    out = cli("import", unplaced, "--db", seeded_copy)
    assert out.returncode == 2
    assert "unplaced.csv" in out.stderr and "หลายแห่ง" in out.stderr and "ระบุจังหวัดและอำเภอในแผ่นคะแนน" in out.stderr
    assert dump_bytes(cli, seeded_copy) == before


def test_the_same_organization_and_year_twice_in_one_batch_is_refused(seeded_copy, tmp_path, cli):
    a = write_sheet(tmp_path / "a.csv", year_rows(2569))
    b = write_sheet(tmp_path / "b.xlsx", year_rows(2569, CHANGES_2569))
    before = dump_bytes(cli, seeded_copy)
    out = cli("import", a, b, "--db", seeded_copy)
    assert out.returncode == 2
    assert "b.xlsx" in out.stderr and "ซ้ำกับ" in out.stderr and "a.csv" in out.stderr
    assert dump_bytes(cli, seeded_copy) == before


# ---------------------------------------------------------------- re-import: the record of the change

def test_reimport_replaces_the_year_and_keeps_the_old_import(seeded_copy, tmp_path, cli):
    first = write_sheet(tmp_path / "2569-ร่าง.csv", year_rows(2569, CHANGES_2569))
    assert cli("import", first, "--db", seeded_copy).returncode == 0
    corrected = dict(CHANGES_2569, i5=95.0)
    rows = [r for r in year_rows(2569, corrected) if r[5] != "o22"]  # one question left out
    second = write_sheet(tmp_path / "2569-แก้ไข.xlsx", rows)
    dry = cli("import", second, "--db", seeded_copy, "--dry-run")
    assert dry.returncode == 0 and "จะแทนที่คะแนน" in dry.stdout
    out = cli("import", second, "--db", seeded_copy)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    # i5, its indicator and the overall changed; o22 left out (its indicator's official score stays)
    assert "แทนที่คะแนนเดิม: เปลี่ยน 3, เพิ่ม 0, ไม่มีในแผ่นใหม่ 1, เท่าเดิม 53" in lines[0]
    assert f"  คะแนนเดิมจาก {first} (นำเข้าเมื่อ" in out.stdout
    assert "  i5: 93.10 -> 95.00 (+1.90)" in lines
    o22 = question_scores(2569)["o22"]
    assert f"  o22: ไม่มีในแผ่นใหม่ (เดิม {o22:.2f})" in lines
    # the current scores are the new import's; the old import stays, with its own scores
    now = {r["question_code"]: r["score"] for r in current(seeded_copy) if r["question_code"]}
    assert now["i5"] == 95.0 and "o22" not in now
    con = store.connect(seeded_copy)
    imports = store.scores.score_imports(con, org_id(seeded_copy))
    assert [(i["source_file"], i["current"], i["scores"]) for i in imports] == [
        (str(first), False, 57), (str(second), True, 56)]
    change = store.scores.changes(con, imports[0]["id"], imports[1]["id"])
    con.close()
    found = {c.label: (c.old, c.new) for c in change if c.kind != "same"}
    assert set(found) == {"i5", "o22", "ตัวชี้วัดที่ 2", "ITA รวม"}
    assert found["i5"] == (93.1, 95.0) and found["o22"] == (o22, None)
    assert found["ตัวชี้วัดที่ 2"] == (expected_means(2569, CHANGES_2569)[2], expected_means(2569, corrected)[2])
    assert found["ITA รวม"][1] > found["ITA รวม"][0]
    # the dump: current scores, and every import with what it changed and the old one's scores
    data = json.loads(dump_bytes(cli, seeded_copy))
    org = data["organizations"][0]
    assert {(s["question_code"], s["score"]) for s in org["scores"] if s["question_code"] == "i5"} == {("i5", 95.0)}
    old, new = org["score_imports"]
    assert (old["current"], old["rows"], new["current"], new["rows"]) == (False, 57, True, 56)
    assert {"indicator_no": 2, "question_code": "i5", "score": 93.1} in old["scores"]
    assert "scores" not in new and "changes" not in old
    assert {"indicator_no": 2, "question_code": "i5", "old": 93.1, "new": 95.0} in new["changes"]
    assert {"indicator_no": 10, "question_code": "o22", "old": o22, "new": None} in new["changes"]


def test_dump_lists_current_scores_per_organization_and_year(seeded_copy, tmp_path, cli):
    before = json.loads(dump_bytes(cli, seeded_copy))
    assert before["organizations"][0]["scores"] == [] and before["organizations"][0]["score_imports"] == []
    for year, changes in ((2568, None), (2569, CHANGES_2569)):
        assert cli("import", write_sheet(tmp_path / f"{year}.csv", year_rows(year, changes)),
                   "--db", seeded_copy).returncode == 0
    org = json.loads(dump_bytes(cli, seeded_copy))["organizations"][0]
    assert set(org["scores"][0]) == {"assessed_year", "indicator_no", "question_code", "score"}
    assert len(org["scores"]) == 114 and [s["assessed_year"] for s in org["scores"]] == [2568] * 57 + [2569] * 57
    assert org["scores"][0] == {"assessed_year": 2568, "indicator_no": 0, "question_code": "",
                                "score": org["scores"][0]["score"]}
    i2 = {s["assessed_year"]: s["score"] for s in org["scores"] if s["question_code"] == "i2"}
    assert i2 == {2568: seed_question_scores()["i2"], 2569: CHANGES_2569["i2"]}
    assert [(i["assessed_year"], i["current"], i["rows"]) for i in org["score_imports"]] == [(2568, True, 57),
                                                                                             (2569, True, 57)]


def test_reports_and_score_sheets_in_one_call(tmp_path, cli, tmp_db, write_report):
    """A report that creates an organization and a score sheet of it: one transaction, the sheet's
    scores go to the organization the report made (the dry run says so too)."""
    from conftest import row
    report = write_report([row()])
    sheet = write_sheet(tmp_path / "scores.csv", year_rows(2568, org="องค์การบริหารส่วนตำบลทดสอบ",
                                                           district="เมืองสระบุรี"))
    dry = cli("import", report, sheet, "--db", tmp_db, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"หน่วยงานใหม่จากรายงาน {report} ที่นำเข้าพร้อมกัน" in dry.stdout and not tmp_db.exists()
    out = cli("import", report, sheet, "--db", tmp_db)
    assert out.returncode == 0, out.stderr
    con = store.connect(tmp_db, read_only=True)
    orgs = store.organizations(con)
    con.close()
    assert [o["name"] for o in orgs] == ["องค์การบริหารส่วนตำบลทดสอบ"]
    assert len(current(tmp_db, "องค์การบริหารส่วนตำบลทดสอบ")) == 57


def test_score_import_moves_the_data_stamp(seeded_copy, tmp_path):
    con = store.connect(seeded_copy)
    stamp = store.last_change(con)
    sheet = read_any(write_sheet(tmp_path / "s.csv", year_rows(2568)))
    plans = store.scores.plan_scores(con, [sheet])
    assert store.last_change(con) == stamp  # planning reads only
    assert [p.replaced for p in plans] == [False]
    written = store.scores.save_scores(con, [sheet], imported_by="ทดสอบ")
    assert store.last_change(con) != stamp
    assert written[0].import_id is not None
    assert store.scores.score_imports(con)[0]["imported_by"] == "ทดสอบ"
    con.close()


def test_question_set_of_the_fixture_is_the_frameworks():
    """The fixture's i and e codes fall in the framework's 2567-2569 ranges of their indicators."""
    from ita_data import framework
    for no, codes in QUESTIONS.items():
        for code in codes:
            belongs = framework.indicator_of_code(code[0], int(code[1:]), 2568)
            assert belongs in (no, None), code


# ---------------------------------------------------------------- the year over year: the numbers

def save_sheets(db: Path, tmp_path: Path, *years) -> None:
    con = store.connect(db)
    try:
        for year, changes in years:
            store.scores.save_scores(con, [read_any(write_sheet(tmp_path / f"s{year}.csv", year_rows(year, changes)))])
    finally:
        con.close()


def change_data(db: Path, **kw):
    from ita_data import views
    con = store.connect(db, read_only=True)
    try:
        a = store.assessments(con)[0]
        data = views.assessment_data(views.findings_frame(con, a["id"]), views.measures_frame(con, a["id"]),
                                     store.division_list(con), on=views.today(), plan_year=a["plan_year"])
        scores = views.organization_scores(con, a["organization_id"])
        return views.score_change_data(data, scores, a["assessed_year"], **kw), data, scores
    finally:
        con.close()


@pytest.fixture
def scored_db(seeded_copy, tmp_path) -> Path:
    """The seed with its agency's 2568 sheet and a 2569 sheet (some questions up, some down)."""
    save_sheets(seeded_copy, tmp_path, (2568, None), (2569, CHANGES_2569))
    return seeded_copy


def test_year_over_year_per_question(scored_db):
    from ita_data import views
    change, _, _ = change_data(scored_db)
    q = change.questions.set_index("question_code")
    assert (change.year_before, change.year_after) == (2568, 2569) and change.has_after
    # every question of both sheets; N's scores are the sheet's, which for the plan's questions are the report's
    assert len(q) == 46 and set(q["before_source"]) == {views.OFFICIAL}
    seed = seed_question_scores()
    assert {code: q.loc[code, "before"] for code in seed} == seed
    assert q.loc["i5", "after"] == 93.10 and q.loc["i5", "change"] == pytest.approx(5.23)
    assert {c for c in q.index if q.loc[c, "direction"] == views.UP} == {"i5", "e7", "i11"}
    assert {c for c in q.index if q.loc[c, "direction"] == views.DOWN} == {"i2", "e5", "o3"}
    assert change.counts == {"up": 3, "down": 3, "same": 40, "missing": 0}
    assert change.plan_counts == {"up": 2, "down": 2, "same": 6, "missing": 0}  # the plan's ten questions
    # the questions that fell come first, the most fallen first; then the plan's, then the rest
    assert list(change.questions["question_code"][:3]) == ["o3", "i2", "e5"]
    assert list(change.fallen["question_code"]) == ["o3", "i2", "e5"]
    assert list(change.questions["in_plan"][3:11]) == [True] * 8 and not change.questions["in_plan"][11:].any()
    # each question's measures are the plan's for it (a finding's code ties them): i2 is row 1 (two measures)
    assert (q.loc["i2", "measures"], q.loc["i2", "done"]) == (2, 0)
    assert [line.split(" ")[0] for line in q.loc["i2", "measure_lines"]] == ["1.1", "1.2"]
    assert (q.loc["o3", "measures"], bool(q.loc["o3", "in_plan"])) == (0, False)
    # the overall scores are the sheets'
    assert change.overall_before == year_rows(2568)[0][6] and change.overall_after == year_rows(2569, CHANGES_2569)[0][6]


def test_a_measure_done_shows_against_its_question(scored_db):
    con = store.connect(scored_db)
    a = store.assessments(con)[0]
    m = next(m for m in store.measures(con, a["id"]) if m["question_code"] == "i5")
    store.update_measure(con, m["id"], "done", 100, "จัดทำแผนแล้ว", "ทดสอบ")
    con.close()
    change, _, _ = change_data(scored_db)
    q = change.questions.set_index("question_code")
    assert (q.loc["i5", "measures"], q.loc["i5", "done"]) == (1, 1)
    assert q.loc["i5", "measure_lines"][0].endswith("[เสร็จแล้ว]")
    assert change.measures_done == 1
    ind = change.indicators.set_index("indicator_no")
    assert (ind.loc[2, "measures"], ind.loc[2, "done"]) == (3, 1)  # i4's two and i5's one


def test_year_over_year_per_indicator_and_the_trend(scored_db):
    from ita_data import views
    change, _, _ = change_data(scored_db)
    ind = change.indicators.set_index("indicator_no")
    assert list(ind.index.sort_values()) == list(range(1, 11))
    before, after = expected_means(2568), expected_means(2569, CHANGES_2569)
    for no in range(1, 11):
        assert (ind.loc[no, "before"], ind.loc[no, "after"]) == (before[no], after[no])
        assert ind.loc[no, "before_source"] == ind.loc[no, "after_source"] == views.OFFICIAL
    assert ind.loc[2, "direction"] == views.UP and ind.loc[1, "direction"] == views.DOWN
    trend = change.trend
    assert sorted(trend["assessed_year"].unique()) == [2568, 2569]
    assert sorted(trend["series_no"].unique()) == list(range(0, 11))
    table = views.trend_table(trend)
    assert list(table.columns) == ["คะแนน", "ปี 2568", "ปี 2569"] and table.iloc[0, 0] == "คะแนน ITA รวม"


def test_without_next_year_and_without_any_sheet(seeded_copy, tmp_path):
    from ita_data import views
    change, data, scores = change_data(seeded_copy)  # the seed alone: the report's question scores are N's
    assert scores.empty and not change.has_after and change.trend.empty
    assert set(change.questions["before_source"]) == {views.REPORT} and len(change.questions) == 10
    assert change.questions["after"].isna().all() and set(change.questions["direction"]) == {views.MISSING}
    assert set(change.indicators["before_source"]) == {views.REPORT}
    official = views.official_scores_data(data, scores, 2568)
    assert official.official is None and official.summary["official_overall"] is None
    save_sheets(seeded_copy, tmp_path, (2568, None))
    change, _, _ = change_data(seeded_copy)
    assert not change.has_after and set(change.questions["before_source"]) == {views.OFFICIAL}


def test_official_indicator_scores_where_the_sheet_has_them(seeded_copy, tmp_path):
    """A sheet with the overall, indicators 1-5 and no questions: the chart's indicators 1-5 are
    official, the report's indicators 6-8 stay the mean of their reported questions and say so."""
    from ita_data import views
    rows = [r for r in year_rows(2568) if (r[4] == "ITA" or (isinstance(r[4], int) and r[4] <= 5)) and not r[5]]
    con = store.connect(seeded_copy)
    store.scores.save_scores(con, [read_any(write_sheet(tmp_path / "part.csv", rows))])
    con.close()
    _, data, scores = change_data(seeded_copy)
    page = views.official_scores_data(data, scores, 2568)
    frame = page.charts["indicator"].frame.set_index("indicator_no")
    assert list(frame.index.sort_values()) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert {no for no in frame.index if frame.loc[no, "source"] == views.OFFICIAL} == {1, 2, 3, 4, 5}
    assert frame.loc[2, "score"] == expected_means(2568)[2]  # official, not the mean of i4 and i5
    assert frame.loc[7, "label"] == "7. ประสิทธิภาพการสื่อสาร (เฉลี่ยข้อในรายงาน)"
    assert frame.loc[7, "score"] == pytest.approx((97.6 + 96.0) / 2)
    assert page.summary["official_overall"] == rows[0][6] and page.summary["official_grade"] == "AA"
    # the question level stays the report's findings
    assert len(page.charts["question"].frame) == 10


def test_every_question_of_the_years_sheet_by_indicator(seeded_copy, tmp_path):
    """With only the 2568 sheet imported: its 46 questions, by indicator from the top, the report's
    ten marked, each with the sheet's score; a header per indicator with its official score."""
    from ita_data import figures, views
    save_sheets(seeded_copy, tmp_path, (2568, None))
    _, data, scores = change_data(seeded_copy)
    page = views.official_scores_data(data, scores, 2568)
    assert len(page.charts["question"].frame) == 10  # the default view stays the report's
    chart = page.charts["sheet"]
    frame = chart.frame
    order = [code for no in sorted(QUESTIONS) for code in QUESTIONS[no]]
    assert len(frame) == 46 and list(chart.pick_options) == order  # the framework's order, i1 first
    assert list(frame["key"]) == order[::-1]  # drawn bottom to top: i1 is the top bar
    assert dict(zip(frame["key"], frame["score"])) == pytest.approx(question_scores(2568))
    seed = {code: seq for seq, code in zip(data.findings["seq"], data.findings["question_code"])}
    assert set(frame.loc[frame["in_report"], "key"]) == set(seed) and len(seed) == 10
    i5 = frame.set_index("key").loc["i5"]
    assert i5["label"] == f"i5 ★ ประเด็นที่ {seed['i5']} ในรายงาน" and i5["question"]
    assert frame.set_index("key").loc["i1", "label"] == "i1"
    assert chart.pick_labels["o17"] == "o17 (10. การป้องกันการทุจริต)"
    means = expected_means(2568)
    fig = chart.figure
    groups = [a.text for a in fig.layout.annotations if a.name == "group"]
    assert groups == [f"<b>{figures.wrap_px(f'ตัวชี้วัดที่ {no} {name} · คะแนนทางการ {means[no]:.2f}', figures.PHONE_PLOT_PX, figures.LABEL_PX)}</b>"
                      for no, name in sorted({(no, views.framework.INDICATOR_BY_NO[no].name_th) for no in QUESTIONS},
                                             reverse=True)]
    assert len([a for a in fig.layout.annotations if a.name == "label"]) == 46
    assert list(fig.data[0].customdata) == order[::-1]  # a click picks the question by its code
    # as tall as its rows: each a line of label over its bar, at least, and each indicator's header
    assert fig.layout.height > 46 * (figures.SCORE_BAR_PX + figures.SCORE_LINE_PX + 16) + 10 * figures.SCORE_LINE_PX
    # a sheet without question scores has no such view
    partial = [r for r in year_rows(2569) if not r[5]]
    con = store.connect(seeded_copy)
    store.scores.save_scores(con, [read_any(write_sheet(tmp_path / "p.csv", partial))])
    con.close()
    _, data, scores = change_data(seeded_copy)
    assert "sheet" not in views.official_scores_data(data, scores, 2569).charts


# ---------------------------------------------------------------- the pages (AppTest)

def test_scores_page_official_strip_and_the_year_over_year_view(app_db, tmp_path):
    from test_pages import start, texts
    save_sheets(app_db, tmp_path, (2568, None), (2569, CHANGES_2569))
    at = start("pages/scores.py")
    overall = year_rows(2568)[0][6]
    assert f"#### {overall:.2f} (ระดับ\u00a0AA)" in [m.value for m in at.markdown]  # the grade kept together
    assert "คะแนน ITA ปี 2568 (คะแนนทางการ)" in texts(at)
    at.segmented_control(key="score_level").set_value("indicator").run()
    assert not at.exception
    assert len(at.selectbox(key="score_pick_indicator").options) == 10  # every indicator the sheet has
    assert any("คะแนนรายตัวชี้วัด = คะแนนทางการปี 2568" in c.value for c in at.caption)
    at.segmented_control(key="score_view").set_value("change").run()
    assert not at.exception
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    after, before = year_rows(2569, CHANGES_2569)[0][6], overall
    assert metrics["ITA รวม ปี 2569"] == (f"{after:.2f}", f"{after - before:+.2f} จาก {before:.2f}")
    assert metrics["ข้อที่คะแนนลดลง"] == ("3 ข้อ", "ในแผน 2 ข้อ")
    assert metrics["ข้อที่คะแนนดีขึ้น"] == ("3 ข้อ", "ในแผน 2 ข้อ · เท่าเดิม 40")
    assert metrics["มาตรการที่เสร็จ"][0] == "0 จาก 23"
    shown_md = [m.value for m in at.markdown]
    assert any(":red[ข้อที่คะแนนลดลง 3 ข้อ]" in m for m in shown_md)
    fallen = [m for m in shown_md if m.startswith("**:red[")]
    assert [m.split("]")[0].removeprefix("**:red[") for m in fallen] == [
        "o3 การเปิดเผยข้อมูล", "i2 การปฏิบัติหน้าที่", "e5 ประสิทธิภาพการสื่อสาร"]
    assert "ไม่มีมาตรการในแผนสำหรับข้อนี้" in fallen[0]
    assert "1\\.1 จัดทำคู่มือหรือมาตรฐานการปฏิบัติงาน" in fallen[1]  # i2's measures under it (escaped)
    table = at.dataframe[0].value
    assert list(table["ข้อ"][:3]) == ["o3", "i2", "e5"] and len(table) == 11  # the plan's ten and o3
    assert list(table.columns[:4]) == ["ข้อ", "ปี 2568", "ปี 2569", "เปลี่ยนแปลง"]
    assert table["เปลี่ยนแปลง"][0] == "▼ -8.00"
    assert len(at.get("plotly_chart")) == 1
    at.toggle(key="change_all").set_value(True).run()
    assert not at.exception and len(at.dataframe[0].value) == 46
    at.segmented_control(key="change_level").set_value("indicator").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 10 and list(table["ข้อ"][:3]) == ["9. การเปิดเผยข้อมูล", "1. การปฏิบัติหน้าที่",
                                                          "7. ประสิทธิภาพการสื่อสาร"]  # fell: most first
    # the trend: every year, the overall and the indicators that fell picked
    at.segmented_control(key="score_view").set_value("trend").run()
    assert not at.exception
    assert sorted(at.get("pills")[0].value) == [1, 7, 9]
    assert len(at.get("plotly_chart")) == 1
    trend = at.dataframe[0].value
    assert list(trend.columns) == ["คะแนน", "ปี 2568", "ปี 2569"] and len(trend) == 11


def test_scores_page_shows_every_question_of_the_sheet(app_db, tmp_path):
    from test_pages import shown, start, texts
    save_sheets(app_db, tmp_path, (2568, None))  # this year only: nothing to compare with yet
    at = start("pages/scores.py")
    assert at.segmented_control(key="score_questions").value == "report"  # the report's ten by default
    assert len(at.selectbox(key="score_pick_finding").options) == 10
    at.segmented_control(key="score_questions").set_value("sheet").run()
    assert not at.exception, [e.value for e in at.exception]
    picker = at.selectbox(key="score_pick_question")
    assert len(picker.options) == 46 and picker.options[0] == "i1 (1. การปฏิบัติหน้าที่)"
    assert any(shown(c.value).startswith("คะแนนรายข้อคำถามทุกข้อ (46 ข้อ) = คะแนนทางการปี 2568 จากแผ่นคะแนนที่นำเข้า (")
               and "s2568.csv) เรียงตามตัวชี้วัด · ★ = ข้อที่รายงานเลือกไว้ (10 ข้อ)" in shown(c.value) for c in at.caption)
    spec = at.get("plotly_chart")[0].proto.spec
    assert spec.count('"name":"group"') == 10 and '"name":"label"' in spec
    picker.set_value("i1").run()  # a question the report did not take up: its official score
    score = question_scores(2568)["i1"]
    assert any(f"i1 (1. การปฏิบัติหน้าที่): คะแนนทางการ {score:.2f}" in shown(i.value) for i in at.info)
    at.selectbox(key="score_pick_question").set_value("i5").run()  # one it did: the finding in detail
    assert any("i5" in h.value and "การใช้งบประมาณ" in h.value for h in at.subheader)
    # kept in the URL (bind="query-params": AppTest does not write it back, the browser does): a link opens it
    at = start("pages/scores.py", score_questions="ทุกข้อคำถามจากแผ่นคะแนน")
    assert len(at.selectbox(key="score_pick_question").options) == 46
    # the year over year says where this year's questions are
    at = start("pages/scores.py", score_view="ผลของมาตรการ (ปีต่อปี)")
    assert "ยังไม่มีคะแนนปี 2569" in texts(at)
    assert "คะแนนทุกข้อคำถามของปี 2568 จากแผ่นคะแนน (46 ข้อ) ดูได้ที่มุมมอง" in texts(at)


def test_the_year_over_year_view_without_next_year_says_so(app_db, tmp_path):
    from test_pages import start, texts
    at = start("pages/scores.py", score_view="ผลของมาตรการ (ปีต่อปี)")
    assert not at.exception
    assert "ยังไม่มีคะแนนปี 2569" in texts(at) and [link.proto.label for link in at.get("page_link")] == [
        "ไปหน้าข้อมูล"]
    assert "คะแนนทุกข้อคำถาม" not in texts(at)  # no sheet of 2568 either
    assert not [w for w in at.get("button_group") if "score_questions" in str(w.proto.id)]
    at = start("pages/scores.py", score_view="แนวโน้มทุกปี")
    assert not at.exception and "ยังไม่มีคะแนนทางการของหน่วยงานนี้" in texts(at)


def test_data_page_previews_and_imports_a_score_sheet(app_db, tmp_path):
    from test_pages import shown, start, texts
    at = start("pages/data.py", user="boss")  # importing is an admin's
    data = write_sheet(tmp_path / "คะแนน-2569.csv", year_rows(2569, CHANGES_2569)).read_bytes()
    at.file_uploader[0].upload("คะแนน-2569.csv", data, "text/csv").run()
    assert not at.exception
    preview = at.dataframe[0].value
    assert list(preview["ปีที่ประเมิน"]) == [2569] and list(preview["การนำเข้า"]) == ["ใหม่"]
    assert list(preview["หน่วยงานในฐานข้อมูล"]) == ["มีอยู่แล้ว"] and list(preview["คะแนน (แถว)"]) == [57]
    assert "แผ่นคะแนน ITA" in texts(at)
    assert not current(app_db)  # nothing written before confirming
    [b for b in at.button if b.label == "ยืนยันนำเข้าคะแนน"][0].click().run()
    assert not at.exception
    assert "นำเข้าคะแนนแล้ว: 1 ชุด" in shown(at.success[0].value)
    assert len(current(app_db)) == 57
    con = store.connect(app_db)  # who imported is on the import and in the audit log
    try:
        [entry] = store.audit.entries(con, actions=[store.audit.SCORE_IMPORT])
        assert (entry["user_name"], entry["target"]) == ("boss", "คะแนน-2569.csv")
        assert store.scores.score_imports(con)[-1]["imported_by"] == "boss"
    finally:
        con.close()
    listed = next(d.value for d in at.dataframe if "ใช้อยู่" in d.value)
    assert list(listed["ปีที่ประเมิน"]) == [2569] and list(listed["ใช้อยู่"]) == ["ใช้อยู่"]
    # the same year again, corrected: the preview says what it replaces and what changes
    data = write_sheet(tmp_path / "แก้ไข.csv", year_rows(2569, dict(CHANGES_2569, i5=95.0))).read_bytes()
    at.file_uploader[0].upload("แก้ไข.csv", data, "text/csv").run()
    assert not at.exception
    assert at.dataframe[0].value["การนำเข้า"][0].startswith("แทนที่ไฟล์ คะแนน-2569.csv: เปลี่ยน 3")
    assert any("จะแทนที่คะแนนเดิม 1 ชุด" in w.value for w in at.warning)
    changes = at.dataframe[1].value
    assert {"i5", "ตัวชี้วัดที่ 2", "ITA รวม"} == set(changes["คะแนน"])
    # a bad sheet: one line naming the file, the row and the column; nothing written
    bad = write_sheet(tmp_path / "bad.csv", _with(year_rows(2569), 5, 6, "101")).read_bytes()
    at.file_uploader[0].upload("bad.csv", bad, "text/csv").run()
    assert not at.exception
    assert "bad.csv: แถวที่ 6 (บรรทัด 7), คอลัมน์ คะแนน: คะแนน 101 อยู่นอกช่วง 0-100" in shown(at.error[0].value)
    assert not [b for b in at.button if b.label == "ยืนยันนำเข้าคะแนน"]
    # codes outside the year's question set: a warning line each in the preview, and it can be imported
    outside = write_sheet(tmp_path / "outside.csv", _outside_rows()).read_bytes()
    at.file_uploader[0].upload("outside.csv", outside, "text/csv").run()
    assert not at.exception
    assert [shown(w.value) for w in at.warning if "ไม่อยู่ในข้อคำถาม" in w.value] == OUTSIDE_WARNINGS
    assert [b for b in at.button if b.label == "ยืนยันนำเข้าคะแนน"]


def test_data_page_offers_the_blank_score_sheet(app_db):
    from test_pages import start
    at = start("pages/data.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "แผ่นคะแนนเปล่า (XLSX)" in labels and "แผ่นคะแนนเปล่า (CSV)" in labels
    from ita_data.exports import tables
    sheet = tables.score_template_bytes(".csv").decode("utf-8-sig").splitlines()[0]
    assert sheet.split(",")[-4:] == ["ปีที่ประเมิน", "ตัวชี้วัดที่", "รหัสข้อคำถาม", "คะแนน"]


# ---------------------------------------------------------------- the meeting deck and the exports

def test_the_deck_gains_the_effect_slides_when_next_year_is_in(scored_db, seeded_db):
    from datetime import date
    from ita_data.exports import meeting, tables
    con = store.connect(scored_db, read_only=True)
    try:
        deck = meeting.build_deck(con, store.assessments(con)[0]["id"], date(2026, 3, 1), date(2026, 3, 16))
    finally:
        con.close()
    kinds = [s.kind for s in deck.slides]
    assert kinds[:4] == ["cover", "scores", "effect", "fallen"]
    [effect] = deck.of_kind("effect")
    assert effect.title == "มาตรการได้ผลหรือไม่: คะแนนปี 2568 เทียบกับปี 2569"
    assert "ดีขึ้น 3 ข้อ · ลดลง 3 ข้อ · มาตรการเสร็จ 0 จาก 23" in effect.subtitle
    labels = list(next(t for t in effect.figure.data if t.name == "label").text)
    assert labels[:3] == ["o3 การเปิดเผยข้อมูล", "i2 การปฏิบัติหน้าที่", "e5 ประสิทธิภาพการสื่อสาร"]
    assert len(labels) == 11 and all("<br>" not in label for label in labels)  # one line each on a slide
    [fallen] = deck.of_kind("fallen")
    assert list(fallen.table["ข้อ"]) == ["o3 การเปิดเผยข้อมูล", "i2 การปฏิบัติหน้าที่", "e5 ประสิทธิภาพการสื่อสาร"]
    assert fallen.table["มาตรการ"][0] == "" and fallen.table["มาตรการเสร็จ"][0] == "ไม่มีในแผน"
    assert sum(fallen.widths) == pytest.approx(meeting.CONTENT_W)
    # the register gains the scores, as numbers
    from openpyxl import load_workbook
    import io
    book = load_workbook(io.BytesIO(tables.measures_xlsx(deck.measures, deck.score_change)))
    assert book.sheetnames == ["ทะเบียนมาตรการ", "คะแนนรายข้อ 2568-2569", "คะแนนรายตัวชี้วัด 2568-2569", "แนวโน้มคะแนน"]
    rows = list(book["คะแนนรายข้อ 2568-2569"].iter_rows(values_only=True))
    assert rows[1][:5] == ("o3", 98.0, 90.0, -8.0, "ลดลง") and len(rows) == 47
    # without the next year's scores there is no such slide (the seed alone: see test_meeting)
    con = store.connect(seeded_db, read_only=True)
    try:
        plain = meeting.build_deck(con, store.assessments(con)[0]["id"], date(2026, 3, 1), date(2026, 3, 16))
    finally:
        con.close()
    assert "effect" not in [s.kind for s in plain.slides] and plain.score_change is None


def test_the_effect_slides_print(scored_db, tmp_path):
    """The PDF of a deck with the new slides: their Thai reads back from the printed pages."""
    from datetime import date
    from ita_data.exports import browser, meeting, pdf
    con = store.connect(scored_db, read_only=True)
    try:
        with browser.chart_server():
            deck = meeting.build_deck(con, store.assessments(con)[0]["id"], date(2026, 3, 1), date(2026, 3, 16))
            data = pdf.deck_pdf(deck)
    finally:
        con.close()
    import subprocess
    (tmp_path / "deck.pdf").write_bytes(data)
    pages = subprocess.run(["pdftotext", "-layout", "-f", "3", "-l", "4", str(tmp_path / "deck.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "มาตรการได้ผลหรือไม่: คะแนนปี 2568 เทียบกับปี 2569" in pages
    assert "ข้อคำถามที่คะแนนลดลง และมาตรการของแผน" in pages and "จัดทำคู่มือหรือมาตรฐานการปฏิบัติงาน" in pages


def test_backup_xlsx_keeps_every_score_import(scored_db, tmp_path):
    import io
    from openpyxl import load_workbook
    from ita_data.exports import tables
    save_sheets(scored_db, tmp_path, (2569, dict(CHANGES_2569, i5=95.0)))  # a re-import of 2569
    con = store.connect(scored_db, read_only=True)
    book = load_workbook(io.BytesIO(tables.backup_xlsx(con)))
    con.close()
    imports = list(book["การนำเข้าคะแนน"].iter_rows(values_only=True))
    assert [(r[2], r[7]) for r in imports[1:]] == [(2568, "ใช่"), (2569, "ถูกแทนที่"), (2569, "ใช่")]
    scores = list(book["คะแนนทางการ"].iter_rows(values_only=True))
    i5 = sorted((r[2], r[8], r[7]) for r in scores[1:] if r[6] == "i5")
    assert i5 == [(2568, "ใช่", 87.87), (2569, "ถูกแทนที่", 93.1), (2569, "ใช่", 95.0)]


def test_the_strip_counts_official_indicators_under_the_pass_mark(app_db, tmp_path):
    """With the year's sheet, the strip's "under 85" card counts the official indicator scores (two
    at 70 here), lowest first, and still says how many of the report's questions are under 85; the
    weakest card says it is the report's question."""
    from test_pages import start, texts
    rows = [r[:6] + [70.0 if r[4] in (2, 5) and r[5] == "" else r[6]] for r in year_rows(2568)]
    con = store.connect(app_db)
    try:
        store.scores.save_scores(con, [read_any(write_sheet(tmp_path / "s.csv", rows))])
    finally:
        con.close()
    at = start("pages/scores.py")
    shown = [m.value for m in at.markdown]
    assert "#### :red[2 ตัวชี้วัด]" in shown
    assert ":red[2\\. การใช้งบประมาณ 70.00]  \n:red[5\\. การแก้ไขปัญหาการทุจริต 70.00]" in shown, shown
    said = texts(at)
    assert "ตัวชี้วัดที่ต่ำกว่าเกณฑ์ผ่าน 85 (คะแนนทางการ)" in said
    assert "ข้อคำถามในรายงานที่ต่ำกว่า 85: 0 ข้อ" in said  # the seed's lowest question is 87.87
    assert "ข้อคำถามในรายงานที่คะแนนต่ำสุด" in said
