"""Tables as files: the measure register (XLSX with Thai headers, filters and a frozen header row;
CSV that Excel opens in Thai), the full backup as JSON and XLSX, and the audit log as XLSX.

No cell is ever a formula: text that a spreadsheet would read as one (starting with = + - @, a tab
or a carriage return) is written as text: in XLSX as a string cell with Excel's quote prefix (shown
as typed, still text when edited), in CSV behind an apostrophe (OWASP's advice for CSV)."""
from __future__ import annotations

import io
import json
import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import fonts, palette, store, views
from ..thai import display_width

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FILL = PatternFill("solid", fgColor=palette.bare(palette.HEADER))
_WIDE = {"มาตรการ/โครงการ/กิจกรรม": 60, "ข้อคำถาม": 50, "ผู้รับผิดชอบ": 36, "ตัวชี้วัด": 28,
         "คำเตือน": 90, "ผลการวิเคราะห์": 60, "ความสอดคล้อง": 60, "ขั้นตอน": 60, "บันทึก": 40,
         "รายละเอียด": 60, "รายการ": 30, "เวลา": 18, "ชื่อที่แสดง": 24}


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value) -> bool:
    """Text a spreadsheet program would take for a formula (or a DDE command)."""
    return isinstance(value, str) and value.startswith(_FORMULA_STARTS)


def _text_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for CSV in which formula-like text starts with an apostrophe."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: "'" + v if formula_like(v) else v)
    return out


def _csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark so that Excel shows the Thai; no cell is a formula."""
    return _text_cells(frame).to_csv(index=False).encode("utf-8-sig")


def _add_sheet(book: Workbook, title: str, frame: pd.DataFrame) -> None:
    """One sheet: bold Thai header, frozen, filtered, wrapped text, sensible widths; text cells stay
    text (formula_like)."""
    sheet = book.create_sheet(title)
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if (isinstance(v, float) and pd.isna(v)) else v for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            if formula_like(cell.value):  # openpyxl made "=..." a formula: a string, shown as typed
                cell.data_type = "s"
                cell.quotePrefix = True
    for cell in sheet[1]:
        cell.font = Font(bold=True, color=palette.bare(palette.WHITE), name=fonts.FAMILY)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(name=fonts.FAMILY)
    widths = [_WIDE.get(name, max(10, min(24, len(str(name)) + 4))) for name in frame.columns]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    # wrapped rows get their height here: not every spreadsheet program fits them itself
    for row in sheet.iter_rows(min_row=2):
        lines = max((_lines(cell.value, width) for cell, width in zip(row, widths)), default=1)
        sheet.row_dimensions[row[0].row].height = 19 * lines
    sheet.freeze_panes = "A2"
    # printed: landscape A4, as wide as the page, the header row on every page
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"
    if len(frame.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{max(1, len(frame) + 1)}"


def _lines(value, width: float) -> int:
    """Lines a wrapped cell takes: its display width (thai.display_width: Thai marks above and
    below take no room) against the column's width, for each line the text already has."""
    if value is None:
        return 1
    per_line = max(1.0, width * 1.15)
    return sum(max(1, math.ceil(display_width(part) / per_line))
               for part in str(value).split("\n"))


def _workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets.items():
        _add_sheet(book, title, frame)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measures_xlsx(measures: pd.DataFrame, score_change=None) -> bytes:
    """The measure register (a frame from views.measures_frame, filtered or not); with
    `score_change` (views.ScoreChangeData: the deck's, when the organization has score sheets) also
    the scores of the plan's assessed year and the next, per question and per indicator, with the
    measures done for each."""
    sheets = {"ทะเบียนมาตรการ": views.measure_table(measures)}
    if score_change is not None:
        n, n1 = score_change.year_before, score_change.year_after
        sheets[f"คะแนนรายข้อ {n}-{n1}"] = views.change_sheet(score_change.questions, n, n1)
        sheets[f"คะแนนรายตัวชี้วัด {n}-{n1}"] = views.change_sheet(score_change.indicators, n, n1)
        if not score_change.trend.empty:
            sheets["แนวโน้มคะแนน"] = views.trend_table(score_change.trend)
    return _workbook_bytes(sheets)


def measures_csv(measures: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark so that Excel shows the Thai."""
    return _csv(views.measure_table(measures))


def _backup_allowed(con, by) -> None:
    """Backups hold everything: only an admin (or a local process: by None) takes one."""
    from ..store import users
    users.require(con.cursor(), users.actor(by), users.BACKUP)


def backup_json(con, *, by=None) -> bytes:
    _backup_allowed(con, by)
    return json.dumps(store.dump(con), ensure_ascii=False, indent=1).encode("utf-8")


def backup_xlsx(con, *, by=None) -> bytes:
    """Every organization, assessment, finding, measure and status change, one sheet each."""
    _backup_allowed(con, by)
    data = store.dump(con)
    findings, measures, history = [], [], []
    for org in data["organizations"]:
        for a in org["assessments"]:
            for f in a["findings"]:
                key = {"หน่วยงาน": org["name"], "ปีที่ประเมิน": a["assessed_year"], "ปีงบประมาณ": a["plan_year"],
                       "แถว": f["seq"]}
                findings.append({**key, "ตัวชี้วัด": f"{f['indicator_no']}. {f['indicator']}",
                                 "รหัสข้อคำถาม": f["question_code"], "ข้อคำถาม": f["question"],
                                 "คะแนน": f["score"], "ผลการวิเคราะห์": f["analysis"],
                                 "ความสอดคล้อง": f["rationale"], "ขั้นตอน": "\n".join(f["steps"]),
                                 "ระยะเวลา (ตามรายงาน)": f["period_text"], "เริ่ม": f["period_start"],
                                 "สิ้นสุด": f["period_end"], "ผู้รับผิดชอบ": ", ".join(f["divisions"]),
                                 "คำเตือน": "\n".join(f["warnings"]), "ถูกนำออก": f.get("removed_at")})
                for m in f["measures"]:
                    mkey = {**key, "มาตรการที่": m["seq"]}
                    carried = m.get("carried_from")
                    measures.append({**mkey, "มาตรการ/โครงการ/กิจกรรม": m["title"], "สถานะ": m["status"],
                                     "ความคืบหน้า (%)": m["progress"], "ปรับปรุงล่าสุด": m["updated_at"],
                                     "ถูกนำออก": m.get("removed_at"),
                                     "ยกมาจาก": (f"แผนปี {carried['plan_year']} ข้อ {carried['ref']} {carried['title']}"
                                                 if carried else None)})
                    for h in m["history"]:
                        history.append({**mkey, "สถานะ": h["status"], "ความคืบหน้า (%)": h["progress"],
                                        "บันทึก": h["note"], "ผู้บันทึก": h["editor"], "เวลา (UTC)": h["at"]})
    orgs = [{"หน่วยงาน": o["name"], "อำเภอ": o["district"], "จังหวัด": o["province"],
             "จำนวนการประเมิน": len(o["assessments"])} for o in data["organizations"]]
    scores, score_imports = _backup_scores(data)
    return _workbook_bytes({"หน่วยงาน": pd.DataFrame(orgs), "ประเด็น": pd.DataFrame(findings),
                            "มาตรการ": pd.DataFrame(measures), "ประวัติสถานะ": pd.DataFrame(history),
                            "คะแนนทางการ": scores, "การนำเข้าคะแนน": score_imports})


def _backup_scores(data: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The dump's scores as two sheets: every score of every import (the current ones marked), and
    the imports themselves."""
    scores, imports = [], []
    for o in data["organizations"]:
        for i in o.get("score_imports", []):
            key = {"หน่วยงาน": o["name"], "จังหวัด": o["province"], "ปีที่ประเมิน": i["assessed_year"],
                   "ไฟล์": i["source_file"], "นำเข้าเมื่อ (UTC)": i["imported_at"]}
            imports.append({**key, "ผู้นำเข้า": i["imported_by"], "คะแนน (แถว)": i["rows"],
                            "ใช้อยู่": "ใช่" if i["current"] else "ถูกแทนที่",
                            "คำเตือน": "\n".join(i["warnings"])})
            own = ([s for s in o["scores"] if s["assessed_year"] == i["assessed_year"]] if i["current"]
                   else i.get("scores", []))
            for s in own:
                scores.append({**key, "ตัวชี้วัด": s["indicator_no"], "รหัสข้อคำถาม": s["question_code"],
                               "คะแนน": s["score"], "ใช้อยู่": "ใช่" if i["current"] else "ถูกแทนที่"})
    columns = ["หน่วยงาน", "จังหวัด", "ปีที่ประเมิน", "ไฟล์", "นำเข้าเมื่อ (UTC)"]
    return (pd.DataFrame(scores, columns=[*columns, "ตัวชี้วัด", "รหัสข้อคำถาม", "คะแนน", "ใช้อยู่"]),
            pd.DataFrame(imports, columns=[*columns, "ผู้นำเข้า", "คะแนน (แถว)", "ใช้อยู่", "คำเตือน"]))


def template_bytes(suffix: str) -> bytes:
    """The blank import template (.xlsx or .csv) as bytes, for a download button."""
    import tempfile
    from pathlib import Path

    from ..importers.table import write_template
    with tempfile.TemporaryDirectory() as folder:
        return write_template(Path(folder) / f"template{suffix}").read_bytes()


def score_template_bytes(suffix: str) -> bytes:
    """The blank score sheet (.xlsx or .csv) as bytes, for a download button."""
    import tempfile
    from pathlib import Path

    from ..importers.scores import write_score_template
    with tempfile.TemporaryDirectory() as folder:
        return write_score_template(Path(folder) / f"scores{suffix}").read_bytes()


def warnings_csv(con) -> bytes:
    """Every import warning of every assessment, for Excel."""
    return _csv(views.warnings_frame(con))


def audit_xlsx(frame: pd.DataFrame) -> bytes:
    """The audit log as the audit page filters it (views.audit_frame)."""
    return _workbook_bytes({"บันทึกการใช้งาน": frame})
