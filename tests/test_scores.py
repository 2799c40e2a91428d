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
    con = store.connect(db, read_only=True)
    try:
        return next(o["id"] for o in store.organizations(con) if o["name"] == name)
    finally:
        con.close()


def current(db: Path, name: str = ORG) -> list[dict]:
    con = store.connect(db, read_only=True)
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
    "negative score": (lambda: _with(_base(), 5, 6, "-3"), HEADER_TH, ("แถวที่ 6", "คะแนน", "ไม่ใช่ตัวเลข")),
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
    assert "unplaced.csv" in out.stderr and "หลายแห่ง" in out.stderr and "ระบุจังหวัด" in out.stderr
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
    con = store.connect(seeded_copy, read_only=True)
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
