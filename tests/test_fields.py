"""The variations real reports have, through the public functions and through whole small
text reports read with importers.read_report."""
from __future__ import annotations

from datetime import date

import pytest

from conftest import row
from ita_data import framework
from ita_data.divisions import canonical, completions, split_divisions
from ita_data.importers import ReportError, read_report
from ita_data.importers import rows as rows_module
from ita_data.importers.fields import parse_indicator_cell, parse_period, parse_question_cell, split_items
from ita_data.importers.rows import complete_years, organization_name, read_rows
from ita_data.thai import ORG_ABBREVIATIONS

FY2569 = (date(2025, 10, 1), date(2026, 9, 30))


# ---------------------------------------------------------------- indicator cell and score

@pytest.mark.parametrize("cell, expected", [
    ("๑. การปฏิบัติหน้าที่ (๙๗.๘๗ คะแนน)", (1, "การปฏิบัติหน้าที่", 97.87)),
    ("1. การปฏิบัติหน้าที่ (97.87 คะแนน)", (1, "การปฏิบัติหน้าที่", 97.87)),
    ("๒. การใช้งบประมาณ (คะแนน 88.46)", (2, "การใช้งบประมาณ", 88.46)),
    ("2. การใช้งบประมาณ (คะแนน ๘๘.๔๖)", (2, "การใช้งบประมาณ", 88.46)),
    ("๘. ประสิทธิภาพ การสื่อสาร (๙๖ คะแนน)", (8, "ประสิทธิภาพ การสื่อสาร", 96.0)),
    ("๖. คุณภาพการดำเนินงาน (คะแนน ๙๖.๘๐)", (6, "คุณภาพการดำเนินงาน", 96.8)),
    ("๕.คุณภาพการดำเนินงาน (๑๐๐ คะแนน)", (5, "คุณภาพการดำเนินงาน", 100.0)),
    ("๑๐.การปรับปรุง ทำงาน (๙๖ คะแนน)", (10, "การปรับปรุง ทำงาน", 96.0)),
    ("3) การใช้อำนาจ (๘๘.๔๖)", (3, "การใช้อำนาจ", 88.46)),
    ("การใช้อำนาจ 88.46 คะแนน", (None, "การใช้อำนาจ", 88.46)),
    ("การใช้ ทรัพย์สิน\nของราชการ", (None, "การใช้ ทรัพย์สิน ของราชการ", None)),
])
def test_indicator_cell(cell, expected):
    seq, text, score = parse_indicator_cell(cell)
    assert (seq, text) == expected[:2]
    assert score == (pytest.approx(expected[2]) if expected[2] is not None else None)


# ---------------------------------------------------------------- question codes

@pytest.mark.parametrize("cell, indicator, code, question", [
    ("E3 หน่วยงานมีการปรับปรุง", 6, "e3", "หน่วยงานมีการปรับปรุง"),
    ("O๒๒ มีการเผยแพร่แผน", 9, "o22", "มีการเผยแพร่แผน"),
    ("o๑๒ มีการเผยแพร่แผน", 10, "o12", "มีการเผยแพร่แผน"),
    ("i๔ หน่วยงานของท่าน ใช้จ่ายงบประมาณ", 2, "i4", "หน่วยงานของท่าน ใช้จ่ายงบประมาณ"),
    ("I10 เจ้าหน้าที่ยืมทรัพย์สิน", 4, "i10", "เจ้าหน้าที่ยืมทรัพย์สิน"),
    ("e๑๐. การสื่อสาร", 7, "e10", "การสื่อสาร"),
    ("i๔  หน่วยงาน\nของท่าน", 2, "i4", "หน่วยงาน ของท่าน"),
])
def test_question_code_either_case_and_digits(cell, indicator, code, question):
    got_code, got_question, warnings = parse_question_cell(cell, indicator, 2568)
    assert (got_code, got_question) == (code, question)
    assert warnings == []


@pytest.mark.parametrize("cell, indicator, code", [
    ("1๒ เจ้าหน้าที่เลือกปฏิบัติ", 1, "i2"),   # the seed's row 1: "i" read as "1"
    ("๖๕ เจ้าหน้าที่เบิกจ่ายเป็นเท็จ", 2, "i5"),  # the seed's row 3: "i" read as "๖"
    ("l2 เจ้าหน้าที่เลือกปฏิบัติ", 1, "i2"),    # a lower-case L
])
def test_question_code_ocr_slips_repaired_from_the_indicator(cell, indicator, code):
    got_code, question, warnings = parse_question_cell(cell, indicator, 2568)
    assert got_code == code
    assert question.startswith("เจ้าหน้าที่")
    assert len(warnings) == 1 and code in warnings[0]
    assert cell.split()[0] in warnings[0]  # names what was written


def test_same_slip_under_an_eit_indicator_takes_e():
    code, _, warnings = parse_question_cell("๖๕ ข้อคำถาม", 7, 2568)
    assert code == "e5" and len(warnings) == 1


def test_question_without_a_code():
    code, question, warnings = parse_question_cell("หน่วยงานของท่าน ใช้จ่ายงบประมาณ", 2, 2568)
    assert (code, question, warnings) == (None, "หน่วยงานของท่าน ใช้จ่ายงบประมาณ", [])
    code, question, _ = parse_question_cell("๒๕๖๙ ปีที่ประเมิน", 2, 2568)  # a year, not a code
    assert code is None and question == "๒๕๖๙ ปีที่ประเมิน"


# ---------------------------------------------------------------- indicator names

@pytest.mark.parametrize("name, no", [
    ("การปฏิบัติหน้าที่", 1),
    ("การใช้ งบประมาณ", 2),
    ("การใช้อำนาจ", 3),
    ("การใช้ทรัพย์สิน ของราชการ", 4),
    ("การแก้ไขปัญหา การทุจริต", 5),
    ("คุณภาพ การดำเนินงาน", 6),
    ("ประสิทธิภาพ การสื่อสาร", 7),
    ("การปรับปรุง ทำงาน", 8),
    ("การปรับปรุงการทำงาน", 8),
    ("การปรับปรุงระบบ การทำงาน", 8),
    ("การเปิดเผย ข้อมูล", 9),
    ("การป้องกัน การทุจริต", 10),
])
def test_match_indicator(name, no):
    assert framework.match_indicator(name) == no


@pytest.mark.parametrize("name", ["", "   ", "การประชุมประจำเดือน", "ตัวชี้วัด"])
def test_match_indicator_none(name):
    assert framework.match_indicator(name) is None


# ---------------------------------------------------------------- lists

@pytest.mark.parametrize("cell, items", [
    ("๑. จัดทำคู่มือ ๒. ประกาศใช้ ๓. เผยแพร่", ["จัดทำคู่มือ", "ประกาศใช้", "เผยแพร่"]),
    ("1. จัดทำคู่มือ 2. ประกาศใช้", ["จัดทำคู่มือ", "ประกาศใช้"]),
    ("1.จัดทำคู่มือ 2.ประกาศใช้", ["จัดทำคู่มือ", "ประกาศใช้"]),
    ("1) จัดทำคู่มือ 2) ประกาศใช้", ["จัดทำคู่มือ", "ประกาศใช้"]),
    ("- จัดทำคู่มือ - ประกาศใช้ - เผยแพร่", ["จัดทำคู่มือ", "ประกาศใช้", "เผยแพร่"]),
    # "-" sub-items stay with their step
    ("๑. ประชาสัมพันธ์ ทางช่องทางดังนี้ - เว็บไซต์ - Line ๒. ประชุม",
     ["ประชาสัมพันธ์ ทางช่องทางดังนี้ - เว็บไซต์ - Line", "ประชุม"]),
    # an unnumbered cell is one item
    ("การพัฒนาช่องทางและรูปแบบการ ประชาสัมพันธ์", ["การพัฒนาช่องทางและรูปแบบการ ประชาสัมพันธ์"]),
    # numbers inside the text do not split
    ("๑. จัดทำคำสั่ง ประจำปีงบประมาณ พ.ศ. ๒๕๖๙ ให้ชัดเจน ๒. ติดตามผล",
     ["จัดทำคำสั่ง ประจำปีงบประมาณ พ.ศ. ๒๕๖๙ ให้ชัดเจน", "ติดตามผล"]),
    ("๑. คะแนนระดับ 99.57 ต้องรักษา ๒. ติดตามผล", ["คะแนนระดับ 99.57 ต้องรักษา", "ติดตามผล"]),
    ("๑. ประชุม ๒.๕ ชั่วโมง ๒. สรุปผล", ["ประชุม ๒.๕ ชั่วโมง", "สรุปผล"]),
    # a number out of sequence is text
    ("๑. ตามข้อ ๕. ของระเบียบ ๒. ติดตามผล", ["ตามข้อ ๕. ของระเบียบ", "ติดตามผล"]),
    ("", []),
    ("   ", []),
])
def test_split_items(cell, items):
    assert split_items(cell) == items


def test_split_items_from_lines():
    # a cell given as lines (as a docx cell): numbered lines, bullets, sub-items
    assert split_items(["1. จัดทำคู่มือ", "2. ประกาศใช้"]) == ["จัดทำคู่มือ", "ประกาศใช้"]
    assert split_items(["- จัดทำคู่มือ", "- ประกาศใช้"]) == ["จัดทำคู่มือ", "ประกาศใช้"]
    assert split_items(["จัดทำคู่มือ", "- ร่าง", "- ประกาศ", "เผยแพร่"]) == \
        ["จัดทำคู่มือ - ร่าง - ประกาศ", "เผยแพร่"]
    assert split_items(["การพัฒนาช่องทาง"]) == ["การพัฒนาช่องทาง"]


# ---------------------------------------------------------------- periods

@pytest.mark.parametrize("text, start, end", [
    ("๑ ต.ค.๖๘ ถึง ๓๐ ก.ย.๖๙", date(2025, 10, 1), date(2026, 9, 30)),
    ("1 ต.ค. 2568 - 31 มี.ค. 2569", date(2025, 10, 1), date(2026, 3, 31)),
    ("๑ ต.ค. ๖๘ - ๓๑ มี.ค. ๖๙", date(2025, 10, 1), date(2026, 3, 31)),
    ("ม.ค. - มิ.ย. ๒๕๖๙", date(2026, 1, 1), date(2026, 6, 30)),
    ("ม.ค. - มิ.ย. 2569", date(2026, 1, 1), date(2026, 6, 30)),
    ("ตลอดปีงบประมาณ พ.ศ. 2569", *FY2569),
    ("ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙", *FY2569),
    ("ตลอดปีงบประมาณ", *FY2569),  # the plan year
    ("ปีงบประมาณ 2569", *FY2569),
    ("1 ตุลาคม 2568 - 30 กันยายน 2569", *FY2569),
    ("๑ ตุลาคม ๒๕๖๘ ถึง ๓๑ มีนาคม ๒๕๖๙", date(2025, 10, 1), date(2026, 3, 31)),
    ("มกราคม - มิถุนายน 2569", date(2026, 1, 1), date(2026, 6, 30)),
    ("พฤศจิกายน 2568 ถึง กุมภาพันธ์ 2569", date(2025, 11, 1), date(2026, 2, 28)),
    ("ต.ค. - ธ.ค.", date(2025, 10, 1), date(2025, 12, 31)),  # months of the plan's fiscal year
    ("เม.ย. 2569", date(2026, 4, 1), date(2026, 4, 30)),
    ("1 ต.ค. 2025 - 30 ก.ย. 2026", *FY2569),  # Christian-era years
    ("1/10/2568 - 30/9/2569", *FY2569),
    ("ต. ค. 68 - ก. ย. 69", *FY2569),  # spaces inside the abbreviations
    ("ตค 68 - กย 69", *FY2569),  # no dots, standing alone
    ("๑ต.ค.๖๘-๓๐ก.ย.๖๙", *FY2569),  # no spaces at all
])
def test_period(text, start, end):
    assert parse_period(text, 2569) == (start, end, [])


def test_period_day_that_lost_its_zero():
    start, end, warnings = parse_period("๑ ต.ค.๖๘ ถึง ๓. ก.ย.๖๙", 2569)
    assert (start, end) == FY2569
    assert len(warnings) == 1
    assert '"๓. ก.ย.๖๙"' in warnings[0] and "30" in warnings[0]


def test_period_one_date_warns_once():
    start, end, warnings = parse_period("31 ก.พ. 2569", 2569)
    assert start == end == date(2026, 2, 28)
    assert len(warnings) == 1 and "31" in warnings[0]


@pytest.mark.parametrize("text", ["ไตรมาส 1", "ตามความเหมาะสม", "ต.ค. 68 - ธ.ค. 68 - มี.ค. 69",
                                  "ดำเนินการตามแผนงาน"])
def test_period_unreadable(text):
    start, end, warnings = parse_period(text, 2569)
    assert (start, end) == (None, None)
    assert len(warnings) == 1 and text in warnings[0]


def test_period_empty():
    start, end, warnings = parse_period("  ", 2569)
    assert (start, end) == (None, None) and len(warnings) == 1


# ---------------------------------------------------------------- divisions

def test_divisions_the_seed_cell():
    names, warnings = split_divisions("สำนักปลัด กองช่าง กองคลัง กองสวัสดิการ สังคม กองสาธารณสุขฯ")
    assert names == ["สำนักปลัด", "กองช่าง", "กองคลัง", "กองสวัสดิการสังคม", "กองสาธารณสุขและสิ่งแวดล้อม"]
    assert len(warnings) == 2
    assert '"กองสวัสดิการ สังคม"' in warnings[0] and '"กองสวัสดิการสังคม"' in warnings[0]
    assert '"กองสาธารณสุขฯ"' in warnings[1] and '"กองสาธารณสุขและสิ่งแวดล้อม"' in warnings[1]


@pytest.mark.parametrize("cell, names", [
    ("สำนักงานปลัด", ["สำนักปลัด"]),
    ("สำนักงานปลัด, กองคลัง", ["สำนักปลัด", "กองคลัง"]),
    ("สำนักปลัด/กองคลัง", ["สำนักปลัด", "กองคลัง"]),
    ("กองคลัง และ กองช่าง", ["กองคลัง", "กองช่าง"]),
    ("1. สำนักปลัด 2. กองคลัง", ["สำนักปลัด", "กองคลัง"]),
    ("กองการศึกษาฯ", ["กองการศึกษา ศาสนาและวัฒนธรรม"]),
    ("กองการศึกษาศาสนา และวัฒนธรรม", ["กองการศึกษา ศาสนาและวัฒนธรรม"]),
    ("กองสาธารณสุข และสิ่งแวดล้อม", ["กองสาธารณสุขและสิ่งแวดล้อม"]),
    ("กองยุทธศาสตร์ และงบประมาณ", ["กองยุทธศาสตร์และงบประมาณ"]),
    ("สำนักปลัด สำนักงานปลัด", ["สำนักปลัด"]),  # no repeats
])
def test_divisions_canonical(cell, names):
    got, warnings = split_divisions(cell)
    assert got == names
    for w in warnings:
        assert "ไม่อยู่ในรายชื่อ" not in w


@pytest.mark.parametrize("cell", ["สำนักปลัด", "กองคลัง กองช่าง", "หน่วยตรวจสอบภายใน",
                                  "กองการศึกษา ศาสนาและวัฒนธรรม"])
def test_divisions_written_canonically_do_not_warn(cell):
    names, warnings = split_divisions(cell)
    assert warnings == [] and names


@pytest.mark.parametrize("cell, names, unknown", [
    ("กองพัสดุ กองคลัง", ["กองพัสดุ", "กองคลัง"], ["กองพัสดุ"]),
    ("งานพัสดุ งานการเงิน", ["งานพัสดุ", "งานการเงิน"], ["งานพัสดุ", "งานการเงิน"]),
    # "งาน" inside a word does not start a division name
    ("คณะทำงาน", ["คณะทำงาน"], ["คณะทำงาน"]),
    ("ทุกหน่วยงาน", ["ทุกหน่วยงาน"], ["ทุกหน่วยงาน"]),
    ("สำนักปลัด (งานประชาสัมพันธ์)", ["สำนักปลัด", "งานประชาสัมพันธ์"], ["งานประชาสัมพันธ์"]),
])
def test_divisions_unknown_kept_with_a_warning(cell, names, unknown):
    got, warnings = split_divisions(cell)
    assert got == names
    assert len(warnings) == len(unknown)
    for name, warning in zip(unknown, warnings):
        assert f'"{name}"' in warning and "ไม่อยู่ในรายชื่อ" in warning


def test_canonical_one_name():
    assert canonical("สำนักงานปลัด") == "สำนักปลัด"
    assert canonical("กองสาธารณสุขฯ") == "กองสาธารณสุขและสิ่งแวดล้อม"
    assert canonical("กองพัสดุ") == "กองพัสดุ"


# ---------------------------------------------------------------- whole small reports

def test_report_with_arabic_digits(write_report):
    path = write_report([
        row(indicator="1. การปฏิบัติหน้าที่ (97.87 คะแนน)", question="i2 เจ้าหน้าที่",
            measures="1. มาตรการหนึ่ง 2. มาตรการสอง", steps="1. ขั้นหนึ่ง 2. ขั้นสอง 3. ขั้นสาม",
            period="1 ต.ค. 2568 - 31 มี.ค. 2569", divisions="สำนักงานปลัด กองคลัง"),
        row(indicator="2. การใช้ งบประมาณ (คะแนน 88.46)", question="I5 เจ้าหน้าที่เบิกจ่าย",
            period="ตลอดปีงบประมาณ พ.ศ. 2569"),
    ], titles=("รายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ประจำปีงบประมาณ พ.ศ. 2569",
               "ขององค์การบริหารส่วนตำบลทดสอบ อำเภอเมืองสระบุรี จังหวัดสระบุรี"))
    r = read_report(path)
    assert (r.organization, r.district, r.province) == ("องค์การบริหารส่วนตำบลทดสอบ", "เมืองสระบุรี", "สระบุรี")
    assert (r.assessed_year, r.plan_year) == (2568, 2569)
    a, b = r.findings
    assert (a.seq, a.indicator_no, a.question_code, a.score) == (1, 1, "i2", 97.87)
    assert a.measures == ["มาตรการหนึ่ง", "มาตรการสอง"]
    assert a.steps == ["ขั้นหนึ่ง", "ขั้นสอง", "ขั้นสาม"]
    assert (a.period_start, a.period_end) == (date(2025, 10, 1), date(2026, 3, 31))
    assert a.divisions == ["สำนักปลัด", "กองคลัง"]
    assert (b.seq, b.indicator_no, b.question_code, b.score) == (2, 2, "i5", 88.46)
    assert (b.period_start, b.period_end) == FY2569


def test_report_code_of_another_indicator_warns_and_keeps_the_row_s_indicator(write_report):
    path = write_report([row(indicator="๖. คุณภาพการดำเนินงาน (๙๖ คะแนน)", question="e๔ หน่วยงานมีช่องทาง")])
    [f] = read_report(path).findings
    assert f.indicator_no == 6 and f.question_code == "e4"
    fits = [w for w in f.warnings if "e4" in w and "ตัวชี้วัดที่ 7" in w]
    assert len(fits) == 1, f.warnings


def test_report_code_of_another_tool_warns(write_report):
    path = write_report([row(indicator="๑. การปฏิบัติหน้าที่ (๙๖ คะแนน)", question="E1 เจ้าหน้าที่")])
    [f] = read_report(path).findings
    assert (f.indicator_no, f.question_code) == (1, "e1")
    assert any("e1" in w and "ตัวชี้วัดที่ 6" in w for w in f.warnings), f.warnings


def test_report_ocr_slips_in_codes(write_report):
    path = write_report([
        row(indicator="๑. การปฏิบัติหน้าที่ (๙๗.๘๗ คะแนน)", question="1๒ เจ้าหน้าที่"),
        row(indicator="๒. การใช้ งบประมาณ (๘๗.๘๗ คะแนน)", question="๖๕ เจ้าหน้าที่"),
    ])
    a, b = read_report(path).findings
    assert (a.indicator_no, a.question_code) == (1, "i2")
    assert (b.indicator_no, b.question_code) == (2, "i5")
    assert sum("รหัสข้อคำถาม" in w for w in a.warnings) == 1
    assert sum("รหัสข้อคำถาม" in w for w in b.warnings) == 1
    # the repaired code belongs to the row's indicator: no second warning about it
    assert not any("แต่แถวนี้ระบุ" in w for w in a.warnings + b.warnings)


def test_report_indicator_known_only_by_its_code(write_report):
    path = write_report([row(indicator="๑. ตัวชี้วัดที่เขียนผิด (๙๐ คะแนน)", question="i๕ เจ้าหน้าที่")])
    [f] = read_report(path).findings
    assert f.indicator_no == 2
    assert any('"ตัวชี้วัดที่เขียนผิด"' in w and "i5" in w for w in f.warnings)


def test_report_unknown_indicator_and_no_code_is_an_error(write_report):
    path = write_report([row(indicator="๑. ตัวชี้วัดที่เขียนผิด (๙๐ คะแนน)", question="เจ้าหน้าที่")])
    with pytest.raises(ReportError) as e:
        read_report(path)
    assert str(path) in str(e.value) and "แถวที่ 1" in str(e.value) and "ประเด็น/ตัวชี้วัด" in str(e.value)


@pytest.mark.parametrize("score_cell", ["(๑๒๓ คะแนน)", "(คะแนน 100.5)"])
def test_report_score_out_of_range_is_an_error(write_report, score_cell):
    path = write_report([row(), row(indicator=f"๒. การใช้งบประมาณ {score_cell}")])
    with pytest.raises(ReportError) as e:
        read_report(path)
    message = str(e.value)
    assert "\n" not in message and "แถวที่ 2" in message and "ประเด็น/ตัวชี้วัด" in message


def test_report_unreadable_period_is_none_with_a_warning(write_report):
    path = write_report([row(period="ตามความเหมาะสม")])
    [f] = read_report(path).findings
    assert (f.period_start, f.period_end) == (None, None)
    assert any('"ตามความเหมาะสม"' in w for w in f.warnings)


def test_report_sub_items_and_unnumbered_measure(write_report):
    path = write_report([row(
        measures="การพัฒนาช่องทางและรูปแบบการ ประชาสัมพันธ์",
        steps="๑. ตั้งคณะทำงาน ๒. ประชาสัมพันธ์ทางช่องทางดังนี้ - เว็บไซต์ - Facebook ๓. ติดตามผล")])
    [f] = read_report(path).findings
    assert f.measures == ["การพัฒนาช่องทางและรูปแบบการ ประชาสัมพันธ์"]
    assert f.steps == ["ตั้งคณะทำงาน", "ประชาสัมพันธ์ทางช่องทางดังนี้ - เว็บไซต์ - Facebook", "ติดตามผล"]


def test_report_divisions(write_report):
    path = write_report([row(divisions="สำนักงานปลัด กองสวัสดิการ สังคม กองสาธารณสุขฯ กองพัสดุ")])
    [f] = read_report(path).findings
    assert f.divisions == ["สำนักปลัด", "กองสวัสดิการสังคม", "กองสาธารณสุขและสิ่งแวดล้อม", "กองพัสดุ"]
    assert sum("หน่วยงานรับผิดชอบ" in w for w in f.warnings) == 4
    assert sum("ไม่อยู่ในรายชื่อ" in w for w in f.warnings) == 1


def test_report_cp874(tmp_path):
    from conftest import report_text
    path = tmp_path / "thai-windows.txt"
    path.write_bytes(report_text([row()]).encode("cp874"))
    r = read_report(path)
    assert r.organization == "องค์การบริหารส่วนตำบลทดสอบ"
    assert r.findings[0].indicator_no == 1


# ---------------------------------------------------------------- titles

def test_title_tessaban_tambon(write_report):
    path = write_report([row()], titles=(
        "รายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ประจำปีงบประมาณ พ.ศ. ๒๕๖๙",
        "ของเทศบาลตำบลหนองแค อำเภอหนองแค จังหวัดสระบุรี"))
    r = read_report(path)
    assert (r.organization, r.district, r.province) == ("เทศบาลตำบลหนองแค", "หนองแค", "สระบุรี")
    assert (r.assessed_year, r.plan_year) == (2568, 2569)
    assert r.warnings == []  # the plan year from the title, the assessed year from the header


def test_title_missing_assessed_year_is_derived_with_a_warning(write_report):
    path = write_report([row()], titles=(
        "รายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ประจำปีงบประมาณ พ.ศ. ๒๕๖๙",
        "ของเทศบาลตำบลหนองแค อำเภอหนองแค จังหวัดสระบุรี"))
    path.write_text(path.read_text(encoding="utf-8").replace("ในปี ๒๕๖๘", ""), encoding="utf-8")
    r = read_report(path)
    assert (r.assessed_year, r.plan_year) == (2568, 2569)
    assert len(r.warnings) == 1 and "2568" in r.warnings[0]


def test_title_abbreviations(write_report):
    path = write_report([row()], titles=(
        "รายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ประจำปีงบประมาณ พ.ศ. ๒๕๖๙",
        "ของ อบต.ท่าช้าง อ.เมือง จ.นครราชสีมา"))
    r = read_report(path)
    assert (r.organization, r.district, r.province) == ("องค์การบริหารส่วนตำบลท่าช้าง", "เมือง", "นครราชสีมา")


def test_title_tessaban_abbreviation(write_report):
    path = write_report([row()], titles=("รายงาน ทต.หนองแค จังหวัดสระบุรี ประจำปีงบประมาณ พ.ศ. 2569",))
    r = read_report(path)
    assert (r.organization, r.district, r.province) == ("เทศบาลตำบลหนองแค", None, "สระบุรี")


def test_title_missing_plan_year_is_derived_with_a_warning(write_report):
    path = write_report([row()], titles=(
        "รายงานผลการดำเนินการ ประจำปี พ.ศ. 2568",
        "องค์การบริหารส่วนตำบลทดสอบ อำเภอเมือง จังหวัดสระบุรี"))
    r = read_report(path)
    assert (r.assessed_year, r.plan_year) == (2568, 2569)
    assert len(r.warnings) == 1 and "2569" in r.warnings[0]
    [f] = r.findings
    assert (f.period_start, f.period_end) == FY2569


def test_title_without_organization_is_an_error(write_report):
    path = write_report([row()], titles=("รายงาน ประจำปีงบประมาณ พ.ศ. 2569",))
    with pytest.raises(ReportError) as e:
        read_report(path)
    assert str(path) in str(e.value)


def test_title_without_any_year_is_an_error(write_report):
    path = write_report([row()], titles=("องค์การบริหารส่วนตำบลทดสอบ จังหวัดสระบุรี",))
    # the header says "ในปี ๒๕๖๘"; without it the report names no year at all
    path.write_text(path.read_text(encoding="utf-8").replace("ในปี ๒๕๖๘", ""), encoding="utf-8")
    with pytest.raises(ReportError) as e:
        read_report(path)
    assert str(path) in str(e.value)


def test_repeated_row_number_is_an_error(write_report):
    path = write_report([row(), row()])
    with pytest.raises(ReportError) as e:
        read_report(path)
    assert "แถวที่ 2" in str(e.value)


# ---------------------------------------------------------------- organization names and years (rows.py)

@pytest.mark.parametrize("short, full", list(ORG_ABBREVIATIONS.items()))
def test_organization_name_abbreviations(short, full):
    assert organization_name(f"{short}หนองแค") == f"{full}หนองแค"
    assert organization_name(f"ของ {short} หนองแค อ.เมือง จ.สระบุรี") == f"{full}หนองแค"
    assert organization_name(f"{full} หนองแค") == f"{full}หนองแค"


@pytest.mark.parametrize("text, name", [
    ("ขององค์การบริหารส่วนตำบลมวกเหล็ก อำเภอมวกเหล็ก จังหวัดสระบุรี", "องค์การบริหารส่วนตำบลมวกเหล็ก"),
    ("**เทศบาลเมือง บ้านไผ่**", "เทศบาลเมืองบ้านไผ่"),
    ("อบต.ท่าช้าง ร่วมกับ เทศบาลนครนครราชสีมา", "เทศบาลนครนครราชสีมา"),  # a full kind wins
    ("มวกเหล็ก", None),
    ("อบต.", None),
    ("", None),
])
def test_organization_name(text, name):
    assert organization_name(text) == name


def test_one_table_of_abbreviations():
    """The abbreviations live in thai.ORG_ABBREVIATIONS only."""
    assert not hasattr(rows_module, "_ORG_ABBR") and not hasattr(rows_module, "_ORG_TYPES")
    import ita_data.importers.table as table_module
    assert not hasattr(table_module, "_ORG_ABBR")


@pytest.mark.parametrize("assessed, plan, warnings, worded", [
    (2568, 2569, [], []),
    (2568, None, ["ไม่พบปีงบประมาณในหัวรายงาน: ถือเป็นปี 2569 (ปีถัดจากปีที่ประเมิน)"],
     ["ไม่ได้กรอกปีงบประมาณ: ถือเป็นปี 2569 (ปีถัดจากปีที่ประเมิน)"]),
    (None, 2569, ["ไม่พบปีที่ประเมินในหัวรายงาน: ถือเป็นปี 2568 (ปีก่อนปีงบประมาณ)"],
     ["ไม่ได้กรอกปีที่ประเมิน: ถือเป็นปี 2568 (ปีก่อนปีงบประมาณ)"]),
])
def test_complete_years(assessed, plan, warnings, worded):
    assert complete_years(assessed, plan) == (2568, 2569, warnings)
    assert complete_years(assessed, plan, missing="ไม่ได้กรอก{}") == (2568, 2569, worded)


def test_complete_years_needs_one_year():
    with pytest.raises(ValueError):
        complete_years(None, None)


def test_read_rows_builds_the_report():
    from conftest import ORDER, TITLES
    cells = [row()[k] for k in ORDER]
    report = read_rows(list(TITLES), [("แถว ก", cells), ("แถว ข", [row(indicator="๒. การใช้งบประมาณ")[k]
                                                                   for k in ORDER] + ["", " "])], "x.txt")
    assert (report.organization, report.plan_year, report.source_file) == ("องค์การบริหารส่วนตำบลทดสอบ", 2569, "x.txt")
    assert [(f.seq, f.indicator_no) for f in report.findings] == [(1, 1), (2, 2)]
    with pytest.raises(ReportError) as e:
        read_rows(list(TITLES), [("แถว ก", cells[:6])], "x.txt")
    assert e.value.row == "แถว ก" and "มี 6 คอลัมน์" in e.value.reason


# ---------------------------------------------------------------- a repeated indicator cell continues numbering

def test_repeated_indicator_cell_with_other_questions_continues_numbering(write_report):
    """A Word table's merged indicator cell copied into text: the cell repeats, the questions differ."""
    path = write_report([row(question="i๑ ข้อหนึ่ง"), row(question="i๒ ข้อสอง"), row(question="i๓ ข้อสาม"),
                         row(indicator="๒. การใช้งบประมาณ (๘๐ คะแนน)", question="i๔ ข้อสี่"),
                         row(indicator="๓. การใช้อำนาจ (๘๐ คะแนน)", question="i๗ ข้อเจ็ด")])
    findings = read_report(path).findings
    assert [(f.seq, f.indicator_no, f.question_code) for f in findings] == [
        (1, 1, "i1"), (2, 1, "i2"), (3, 1, "i3"), (4, 2, "i4"), (5, 3, "i7")]
    assert not any("ลำดับ" in w for w in findings[0].warnings)
    for f in findings[1:3]:
        [w] = [w for w in f.warnings if "ถือเป็นแถวต่อเนื่อง" in w]
        assert "ลำดับ 1" in w and f"บันทึกเป็นลำดับ {f.seq}" in w and f.question_code in w
    # the rows after it move on: their written numbers were taken
    assert any("ลำดับ 2 ถูกใช้แล้ว" in w and "ลำดับ 4" in w for w in findings[3].warnings)
    assert any("ลำดับ 3 ถูกใช้แล้ว" in w and "ลำดับ 5" in w for w in findings[4].warnings)


@pytest.mark.parametrize("second", [
    row(),  # the same question again
    row(question="i๑ ข้อความอื่น"),  # the same number and the same code
    row(indicator="๑. การใช้งบประมาณ (๘๐ คะแนน)", question="i๔ ข้อสี่"),  # the number of another cell
])
def test_repeated_number_still_refused(write_report, second):
    path = write_report([row(), second])
    with pytest.raises(ReportError) as e:
        read_report(path)
    assert e.value.row.startswith("แถวที่ 2") and e.value.column == "ประเด็น/ตัวชี้วัด"
    assert "ลำดับแถว 1 ซ้ำกับแถวที่ 1" in e.value.reason


def test_repeat_of_an_earlier_question_of_the_merged_group_is_refused(write_report):
    path = write_report([row(question="i๑ ข้อหนึ่ง"), row(question="i๒ ข้อสอง"), row(question="i๑ ข้อหนึ่ง")])
    with pytest.raises(ReportError) as e:
        read_report(path)
    assert e.value.row.startswith("แถวที่ 3") and "ซ้ำกับแถวที่ 1" in e.value.reason


# ---------------------------------------------------------------- periods: the missing-zero repair

@pytest.mark.parametrize("text, start, end, repaired", [
    ("๑. ต.ค.๖๘ ถึง ๓๐ ก.ย.๖๙", date(2025, 10, 1), date(2026, 9, 30), False),  # "๑." starts: day 1
    ("๑. ต.ค.๖๘ ถึง ๓. ก.ย.๖๙", date(2025, 10, 1), date(2026, 9, 30), True),
    ("๒. ต.ค.๖๘ - ๓๑ มี.ค.๖๙", date(2025, 10, 2), date(2026, 3, 31), False),
    ("๑. ต.ค.๖๘", date(2025, 10, 1), date(2025, 10, 1), False),  # one date: the dot may be a list number's
    ("๓. ก.ย.๖๙", date(2026, 9, 3), date(2026, 9, 3), False),
    ("๑ ต.ค.๖๘ ถึง ๔. ก.พ.๖๙", date(2025, 10, 1), date(2026, 2, 4), False),  # no 40th day
])
def test_period_missing_zero_only_at_a_range_s_end(text, start, end, repaired):
    got_start, got_end, warnings = parse_period(text, 2569)
    assert (got_start, got_end) == (start, end)
    assert len(warnings) == int(repaired)


# ---------------------------------------------------------------- a header score broken by a space

def test_header_score_broken_by_a_space(write_report):
    path = write_report([row(indicator="๔. การใช้ทรัพย์สินของราชการ (๙ ๙.๕๗ คะแนน)", question="i๑๐ ข้อสิบ",
                             analysis="ได้คะแนน ๙๙.๕๗")])
    [f] = read_report(path).findings
    assert (f.seq, f.indicator_no, f.indicator_text, f.score) == (4, 4, "การใช้ทรัพย์สินของราชการ", 99.57)
    [w] = [w for w in f.warnings if "ช่องว่าง" in w]
    assert w.startswith("ประเด็น/ตัวชี้วัด:") and '"๙ ๙.๕๗"' in w and '"๙๙.๕๗"' in w
    assert not any("คะแนนไม่ตรงกัน" in w or "ไม่พบคะแนน" in w for w in f.warnings)


# ---------------------------------------------------------------- unknown division names keep their spacing

@pytest.mark.parametrize("cell, names", [
    ("คณะทำงาน ITA", ["คณะทำงาน ITA"]),
    ("คณะทำงาน   ITA", ["คณะทำงาน ITA"]),
    ("สำนักปลัด คณะทำงาน ITA", ["สำนักปลัด", "คณะทำงาน ITA"]),
    ("คณะทำงาน ITA, คณะทำงานITA", ["คณะทำงาน ITA"]),  # one name however spaced
    ("กองพัสดุ กองคลัง", ["กองพัสดุ", "กองคลัง"]),
])
def test_divisions_unknown_keep_their_spaces(cell, names):
    got, warnings = split_divisions(cell)
    assert got == names
    assert canonical("คณะทำงาน  ITA") == "คณะทำงาน ITA"


@pytest.mark.parametrize("name, whole", [
    ("กองสาธารณสุ", ("กองสาธารณสุขและสิ่งแวดล้อม",)),
    ("สำนักป", ("สำนักปลัด",)),
    ("กองสวัสดิ การ", ("กองสวัสดิการสังคม",)),
    ("กองค", ("กองคลัง",)),
    ("กอง", tuple(n for n in ("กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม", "กองสวัสดิการสังคม",
                               "กองสาธารณสุขและสิ่งแวดล้อม", "กองส่งเสริมการเกษตร", "กองยุทธศาสตร์และงบประมาณ",
                               "กองการประปา"))),
    ("สำนักปลัด", ()),  # known
    ("กองการศึกษา", ()),  # a known spelling, though the start of a longer one
    ("กองพัสดุ", ()),  # unknown, starts no known name
    ("", ()),
])
def test_division_completions(name, whole):
    assert completions(name) == whole


# ---------------------------------------------------------------- a file cut inside its last column

def _cut_seed(tmp_path, keep: str):
    """The seed cut inside its last row's divisions cell, right after `keep`."""
    from conftest import SEED
    text = SEED.read_text(encoding="utf-8").rstrip("\n")
    assert text.endswith("\tสำนักปลัด")
    path = tmp_path / "cut.txt"
    path.write_text(text[: -len("สำนักปลัด")] + keep, encoding="utf-8")
    return path


@pytest.mark.parametrize("keep, flagged", [("สำนักป", True), ("สำ", True), ("สำนักปลัด", False)])
def test_cut_inside_the_last_column_is_flagged(tmp_path, keep, flagged):
    report = read_report(_cut_seed(tmp_path, keep))
    assert len(report.findings) == 10
    last = report.findings[-1]
    cut = [w for w in last.warnings if "ถูกตัดท้าย" in w]
    assert len(cut) == int(flagged)
    if flagged:
        assert f'"{keep}"' in cut[0] and "สำนักปลัด" in cut[0]
    assert not any("ถูกตัดท้าย" in w for f in report.findings[:-1] for w in f.warnings)


def test_partial_name_only_flagged_in_the_last_row(write_report):
    path = write_report([row(divisions="สำนักปลัด กองสาธารณสุ"), row(indicator="๒. การใช้งบประมาณ")])
    first, last = read_report(path).findings
    assert not any("ถูกตัดท้าย" in w for w in first.warnings + last.warnings)
    path = write_report([row(), row(indicator="๒. การใช้งบประมาณ", divisions="สำนักปลัด กองสาธารณสุ")])
    first, last = read_report(path).findings
    assert sum("ถูกตัดท้าย" in w for w in last.warnings) == 1
    assert last.divisions == ["สำนักปลัด", "กองสาธารณสุ"]  # still kept as written
