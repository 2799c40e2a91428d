"""The command line: python -m ita_data import | dump | template | meeting. Bad input ends with a
one-line message on stderr and exit status 2, and the database as it was."""
from __future__ import annotations

import argparse
import json
import sys

EXIT_BAD_INPUT = 2


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH",
                        help="ไฟล์ฐานข้อมูล DuckDB (ค่าเริ่มต้น: $ITA_DB หรือ data/ita.duckdb)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ita_data",
        description="ข้อมูล ITA: นำเข้ารายงาน ส่งออกฐานข้อมูล และแบบฟอร์มเปล่า "
                    "(ITA data: import reports, dump the database, hand out the blank template)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("import", help="นำเข้ารายงาน (.txt .docx .csv .xlsx)",
                       description="นำเข้ารายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร. "
                                   "ไฟล์ทั้งหมดเข้าพร้อมกันหรือไม่เข้าเลย; นำเข้ารายงานเดิมซ้ำจะแทนที่ข้อมูลเดิม "
                                   "โดยเก็บสถานะและประวัติของมาตรการไว้")
    p.add_argument("files", nargs="+", metavar="FILE", help="ไฟล์รายงาน")
    _add_db(p)
    p.add_argument("--quiet", action="store_true", help="ไม่แสดงคำเตือนทีละข้อ")

    p = sub.add_parser("dump", help="ส่งออกทั้งฐานข้อมูลเป็น JSON (UTF-8) ทาง stdout",
                       description="ส่งออกทั้งฐานข้อมูลเป็น JSON (UTF-8) ทาง stdout")
    _add_db(p)

    p = sub.add_parser("template", help="สร้างแบบฟอร์มเปล่า (.xlsx หรือ .csv)",
                       description="สร้างแบบฟอร์มเปล่าสำหรับกรอกรายงาน ใช้กับหน่วยงานที่รายงานมีรูปแบบอื่น")
    p.add_argument("--out", required=True, metavar="FILE", help="ไฟล์ปลายทาง .xlsx หรือ .csv")

    p = sub.add_parser("meeting", help="สร้างสไลด์ประชุมประจำเดือน (.pptx หรือ .pdf)",
                       description="สร้างสไลด์ประชุมประจำเดือน: ปก คะแนนและช่องว่าง ความก้าวหน้าของมาตรการ "
                                   "รายหน่วยงาน สิ่งที่เปลี่ยนแปลงตั้งแต่การประชุมครั้งก่อน มาตรการที่เกินกำหนด "
                                   "และที่ครบกำหนดเดือนหน้า (.xlsx: ทะเบียนมาตรการ ณ วันประชุม). "
                                   "ค่าเริ่มต้น: หน่วยงานแรก ปีงบประมาณล่าสุด เดือนปัจจุบัน")
    p.add_argument("--out", required=True, metavar="FILE", help="ไฟล์ปลายทาง .pptx .pdf (หรือ .xlsx)")
    _add_db(p)
    p.add_argument("--org", metavar="NAME",
                   help="ชื่อหน่วยงาน เต็มหรือย่อ เช่น อบต.มวกเหล็ก (ค่าเริ่มต้น: หน่วยงานแรก)")
    p.add_argument("--plan-year", type=int, metavar="N", help="ปีงบประมาณของแผน พ.ศ. เช่น 2569 (ค่าเริ่มต้น: ล่าสุด)")
    p.add_argument("--month", metavar="YYYY-MM", help="เดือนที่ประชุม ค.ศ. หรือ พ.ศ. เช่น 2026-03 หรือ 2569-03 "
                                                      "(ค่าเริ่มต้น: เดือนปัจจุบัน)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .importers import ReportError
    from .store import StoreError
    try:
        return COMMANDS[args.command](args)
    except (ReportError, StoreError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as e:  # a file that cannot be read or written (permissions, missing folder)
        print(f"error: {e}".replace("\n", " "), file=sys.stderr)
        return EXIT_BAD_INPUT


def cmd_import(args) -> int:
    from . import store
    from .importers import read_report
    reports = [read_report(path) for path in args.files]  # every file read before anything is written
    con = store.connect(args.db)
    try:
        results = store.save_reports(con, reports)
    finally:
        con.close()
    for report, result in zip(reports, results):
        action = "แทนที่" if result.replaced else "นำเข้า"
        print(f"{report.source_file}: {action} {result.organization} ปีประเมิน {result.assessed_year} "
              f"แผนปีงบประมาณ {result.plan_year}: {result.findings} ประเด็น, {result.measures} มาตรการ, "
              f"{result.warnings} คำเตือน")
        if args.quiet:
            continue
        for warning in report.warnings:
            print(f"  คำเตือน: {warning}")
        for finding in report.findings:
            for warning in finding.warnings:
                print(f"  แถว {finding.seq}: {warning}")
    return 0


def cmd_dump(args) -> int:
    from . import store
    con = store.connect(args.db, must_exist=True)  # dumping a missing path must not create a database
    try:
        data = store.dump(con)
    finally:
        con.close()
    sys.stdout.buffer.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
    return 0


def cmd_template(args) -> int:
    from .importers.table import write_template
    path = write_template(args.out)
    print(f"เขียนแบบฟอร์มเปล่า: {path}")
    return 0


def cmd_meeting(args) -> int:
    from pathlib import Path

    from . import store, views
    from .exports import meeting
    from .thai import first_of, parse_month
    out = Path(args.out)
    kind = out.suffix.lower()
    if kind not in (".pptx", ".pdf", ".xlsx"):
        raise ValueError(f"{out}: ใช้ไฟล์ .pptx .pdf หรือ .xlsx")
    month = parse_month(args.month) if args.month else None
    if not out.parent.is_dir():
        raise ValueError(f"{out}: ไม่พบโฟลเดอร์ {out.parent}")
    con = store.connect(args.db, read_only=True)
    try:
        chosen = meeting.find_assessment(con, args.org, args.plan_year)
        today = views.today()
        month = month or first_of(today)
        if kind == ".xlsx":
            from .exports import tables
            deck = meeting.build_deck(con, chosen["id"], month, today)
            data = tables.measures_xlsx(deck.measures)
        else:
            from .exports import browser, pdf, pptx
            with browser.chart_server():  # Chromium starts while the deck is built
                deck = meeting.build_deck(con, chosen["id"], month, today)
                data = (pptx.deck_pptx if kind == ".pptx" else pdf.deck_pdf)(deck)
    finally:
        con.close()
    out.write_bytes(data)
    print(f"เขียน{ {'.pptx': 'สไลด์', '.pdf': 'สไลด์ PDF', '.xlsx': 'ทะเบียนมาตรการ'}[kind]}: {out} "
          f"({deck.organization} ปีงบประมาณ {deck.plan_year} ประชุมประจำเดือน{deck.month_label}, "
          f"{len(deck.slides)} สไลด์)")
    return 0


COMMANDS = {"import": cmd_import, "dump": cmd_dump, "template": cmd_template, "meeting": cmd_meeting}
