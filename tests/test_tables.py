"""The table exports: the measure register (XLSX, CSV) and the backups (JSON, XLSX), on the seed."""
from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from ita_data import store, views
from ita_data.exports import tables
from ita_data.importers import read_report

SEED = Path(__file__).resolve().parent.parent / "data" / "muaklek-ita-report-2569.txt"


def seeded(tmp_path):
    con = store.connect(tmp_path / "tables.duckdb")
    store.save_reports(con, [read_report(SEED)])
    return con, store.assessments(con)[0]["id"]


def test_register_xlsx_of_the_filtered_measures(tmp_path):
    con, aid = seeded(tmp_path)
    measures = views.measures_frame(con, aid, on=date(2026, 3, 15))
    chang = views.filter_measures(measures, views.MeasureFilter(divisions=("กองช่าง",)))
    book = load_workbook(io.BytesIO(tables.measures_xlsx(chang)))
    sheet = book["ทะเบียนมาตรการ"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["ที่", "มาตรการ/โครงการ/กิจกรรม", "ตัวชี้วัด", "ข้อคำถาม", "ผู้รับผิดชอบ"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:M{len(chang) + 1}"
    refs = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert len(refs) == 14 and {r.split(".")[0] for r in refs} == {"1", "4", "5", "6", "7"}
    assert sheet["F2"].value == "1 ต.ค. 2568" and sheet["G2"].value == "30 ก.ย. 2569"
    # a shared measure lists where each responsible division stands
    assert header[9] == "สถานะรายหน่วยงาน"
    assert sheet["J2"].value.startswith("สำนักปลัด: ยังไม่เริ่ม 0% · กองช่าง: ยังไม่เริ่ม 0%")


def test_register_csv_opens_in_excel_with_thai(tmp_path):
    con, aid = seeded(tmp_path)
    data = tables.measures_csv(views.measures_frame(con, aid))
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert len(frame) == 23 and frame.loc[0, "สถานะ"] == "ยังไม่เริ่ม"


def test_backups_hold_everything_including_history(tmp_path):
    con, aid = seeded(tmp_path)
    first = store.measures(con, aid)[0]["id"]
    store.update_measure(con, first, "in_progress", 30, "เริ่มร่างคู่มือ", "สมชาย")
    dump = json.loads(tables.backup_json(con))
    [org] = dump["organizations"]
    assert org["name"] == "องค์การบริหารส่วนตำบลมวกเหล็ก"
    [findings] = [a["findings"] for a in org["assessments"]]
    measures = [m for f in findings for m in f["measures"]]
    assert len(findings) == 10 and len(measures) == 23
    [reported] = [m for m in measures if m["history"]]
    assert (reported["status"], reported["progress"]) == ("in_progress", 30)
    assert [(h["note"], h["editor"]) for h in reported["history"]] == [("เริ่มร่างคู่มือ", "สมชาย")]
    book = load_workbook(io.BytesIO(tables.backup_xlsx(con)))
    assert book.sheetnames == ["หน่วยงาน", "ประเด็น", "มาตรการ", "ประวัติสถานะ", "คะแนนทางการ", "การนำเข้าคะแนน"]
    assert book["คะแนนทางการ"].max_row == 1  # no score sheet imported: the header alone (tests/test_scores.py)
    assert book["ประเด็น"].max_row == 11 and book["มาตรการ"].max_row == 24
    history = list(book["ประวัติสถานะ"].iter_rows(min_row=2, values_only=True))
    assert len(history) == 1 and "เริ่มร่างคู่มือ" in history[0] and "สมชาย" in history[0]


def test_warnings_csv_lists_every_warning(tmp_path):
    con, _ = seeded(tmp_path)
    frame = pd.read_csv(io.BytesIO(tables.warnings_csv(con)), encoding="utf-8-sig")
    assert len(frame) == 24
    assert frame["คำเตือน"].str.contains("99.79").any()
