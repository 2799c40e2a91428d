"""The command line: python -m ita_data import | dump | template | meeting | report | user. Bad input (a report that
cannot be read, a database that cannot be opened, an argument or a file name that cannot be used)
ends with a one-line message on stderr and exit status 2, and the database as it was. Anything else
is a bug: Python prints its traceback and the exit status is 1."""
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

    p = sub.add_parser("import", help="นำเข้ารายงาน (.txt .docx .csv .xlsx) หรือแผ่นคะแนน ITA (.csv .xlsx)",
                       description="นำเข้ารายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร "
                                   "และแผ่นคะแนน ITA ทั้งปี (แยกจากรายงานด้วยหัวคอลัมน์). "
                                   "ไฟล์ทั้งหมดเข้าพร้อมกันหรือไม่เข้าเลย; นำเข้ารายงานเดิมซ้ำจะแทนที่ข้อมูลเดิม "
                                   "โดยเก็บสถานะและประวัติของมาตรการไว้; นำเข้าคะแนนปีเดิมซ้ำจะแทนที่คะแนนของปีนั้น "
                                   "โดยเก็บคะแนนเดิมไว้เป็นประวัติ")
    p.add_argument("files", nargs="+", metavar="FILE", help="ไฟล์รายงานหรือแผ่นคะแนน")
    _add_db(p)
    p.add_argument("--quiet", action="store_true", help="ไม่แสดงคำเตือนทีละข้อ")
    p.add_argument("--dry-run", action="store_true",
                   help="แสดงเท่านั้นว่าการนำเข้าจะเปลี่ยนอะไร (หน่วยงาน มาตรการที่คงเดิม ใหม่ นำออก เปลี่ยนข้อความ) "
                        "โดยไม่บันทึกลงฐานข้อมูล")

    p = sub.add_parser("dump", help="ส่งออกทั้งฐานข้อมูลเป็น JSON (UTF-8) ทาง stdout",
                       description="ส่งออกทั้งฐานข้อมูลเป็น JSON (UTF-8) ทาง stdout")
    _add_db(p)

    p = sub.add_parser("template", help="สร้างแบบฟอร์มเปล่า (.xlsx หรือ .csv)",
                       description="สร้างแบบฟอร์มเปล่าสำหรับกรอกรายงาน ใช้กับหน่วยงานที่รายงานมีรูปแบบอื่น")
    p.add_argument("--out", required=True, metavar="FILE", help="ไฟล์ปลายทาง .xlsx หรือ .csv")
    p.add_argument("--scores", action="store_true",
                   help="แผ่นคะแนน ITA ทั้งปีเปล่า (คะแนนรายข้อ รายตัวชี้วัด และคะแนนรวม) แทนแบบฟอร์มรายงาน")

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

    p = sub.add_parser("report", help="เขียนรายงานประจำปี (.docx หรือ .pdf): แผนตามแบบรายงาน หรือผลการดำเนินงาน",
                       description="เขียนรายงาน: plan = รายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร ตามแบบรายงานเดิม "
                                   "(ตาราง 8 คอลัมน์ ข้อความตามที่รายงานเขียน นำเข้ากลับได้ครบทุกช่อง); "
                                   "results = รายงานผลการดำเนินงานสิ้นปี (สถานะ ร้อยละ บันทึกล่าสุด ผู้รายงาน "
                                   "สรุปรายตัวชี้วัดและรายหน่วยงาน). ค่าเริ่มต้น: หน่วยงานแรก ปีงบประมาณล่าสุด plan")
    p.add_argument("--out", required=True, metavar="FILE", help="ไฟล์ปลายทาง .docx หรือ .pdf")
    _add_db(p)
    p.add_argument("--org", metavar="NAME",
                   help="ชื่อหน่วยงาน เต็มหรือย่อ เช่น อบต.มวกเหล็ก (ค่าเริ่มต้น: หน่วยงานแรก)")
    p.add_argument("--plan-year", type=int, metavar="N", help="ปีงบประมาณของแผน พ.ศ. เช่น 2569 (ค่าเริ่มต้น: ล่าสุด)")
    p.add_argument("--kind", default="plan", metavar="plan|results",
                   help="plan: แผนตามแบบรายงาน (ค่าเริ่มต้น); results: ผลการดำเนินงาน")

    _add_user_parser(sub)
    return parser


def _add_user_parser(sub) -> None:
    """user add | list | disable | enable | password: the accounts of the dashboard's sign-in."""
    from .store.users import LOCK_MINUTES, MAX_FAILED_SIGN_INS, MIN_PASSWORD, ROLE_TH, ROLES
    p = sub.add_parser("user", help="จัดการผู้ใช้ของแดชบอร์ด (เพิ่ม แสดงรายชื่อ ปิดใช้งาน ตั้งรหัสผ่าน)",
                       description="ผู้ใช้ของแดชบอร์ด: " + ", ".join(f"{r} = {ROLE_TH[r]}" for r in ROLES) +
                                   f". รหัสผ่านอย่างน้อย {MIN_PASSWORD} ตัวอักษร อ่านจาก stdin (--password-stdin) "
                                   f"หรือถามโดยไม่แสดงบนจอ; เก็บเฉพาะค่าแฮช argon2. ใส่รหัสผ่านผิด "
                                   f"{MAX_FAILED_SIGN_INS} ครั้งติดต่อกันจะล็อกชื่อนั้น {LOCK_MINUTES} นาที")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="VERB")
    v = verbs.add_parser("add", help="เพิ่มผู้ใช้", description="เพิ่มผู้ใช้ใหม่")
    v.add_argument("name", metavar="NAME", help="ชื่อผู้ใช้ (ตัวอักษร ตัวเลข . _ @ + - ไม่มีช่องว่าง)")
    v.add_argument("--role", required=True, choices=ROLES, help="บทบาท")
    v.add_argument("--division", action="append", default=[], metavar="D",
                   help="หน่วยงานของ editor (ซ้ำได้หลายหน่วยงาน) เช่น --division กองคลัง")
    v.add_argument("--org", action="append", default=[], metavar="ORG",
                   help="องค์กรของ editor (ซ้ำได้) ชื่อเต็มหรือย่อ เช่น --org อบต.มวกเหล็ก; ชื่อซ้ำกันให้ต่อด้วยจังหวัด "
                        "เช่น \"อบต.มวกเหล็ก (สระบุรี)\". ไม่ระบุ: รายงานได้เมื่อฐานข้อมูลมีองค์กรเดียว")
    v.add_argument("--display-name", metavar="TEXT", help="ชื่อที่แสดง เช่น ชื่อ-สกุล (ค่าเริ่มต้น: NAME)")
    v.add_argument("--password-stdin", action="store_true", help="อ่านรหัสผ่านบรรทัดแรกจาก stdin")
    _add_db(v)
    v = verbs.add_parser("list", help="แสดงรายชื่อผู้ใช้",
                         description="แสดงรายชื่อผู้ใช้ (คั่นด้วย tab): ชื่อ บทบาท สถานะ หน่วยงาน ชื่อที่แสดง องค์กร")
    _add_db(v)
    for verb, text in (("disable", "ปิดใช้งานผู้ใช้ (เข้าสู่ระบบและบันทึกไม่ได้อีก ประวัติยังอยู่)"),
                       ("enable", "เปิดใช้งานผู้ใช้อีกครั้ง หรือปลดล็อกชื่อที่ถูกล็อก")):
        v = verbs.add_parser(verb, help=text, description=text)
        v.add_argument("name", metavar="NAME")
        _add_db(v)
    v = verbs.add_parser("password", help="ตั้งรหัสผ่านใหม่ (ปลดล็อกด้วย)", description="ตั้งรหัสผ่านใหม่ (ปลดล็อกด้วย)")
    v.add_argument("name", metavar="NAME")
    v.add_argument("--password-stdin", action="store_true", help="อ่านรหัสผ่านบรรทัดแรกจาก stdin")
    _add_db(v)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # a bad argument: argparse's usage line and exit 2
    from .errors import BadInput
    from .importers import ReportError
    from .store import StoreError
    from .store.users import PermissionDenied
    try:
        return COMMANDS[args.command](args)
    except (ReportError, StoreError, BadInput, PermissionDenied) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as e:
        if e.filename is None:  # not about a file the user named: a bug
            raise
        print(f"error: {e}".replace("\n", " "), file=sys.stderr)  # cannot be read or written
        return EXIT_BAD_INPUT


def checked(validate, *args, **kwargs):
    """validate(*args, **kwargs) on values the user gave: its ValueError is bad input, not a bug."""
    from .errors import BadInput
    try:
        return validate(*args, **kwargs)
    except ValueError as e:
        raise BadInput(str(e)) from None


def cmd_import(args) -> int:
    from . import store
    from .importers import ScoreSheet, read_any
    items = [read_any(path) for path in args.files]  # every file read before anything is written
    reports = [item for item in items if not isinstance(item, ScoreSheet)]
    sheets = [item for item in items if isinstance(item, ScoreSheet)]
    score_plans = []
    if args.dry_run:
        con = store.connect_for_planning(args.db)  # read-only; no database is created
        try:
            plans = store.plan_import(con, reports) if reports else []
            if sheets:
                score_plans = store.scores.plan_scores(con, sheets, after=plans)
        finally:
            con.close()
    else:
        con = store.connect(args.db)
        try:
            if sheets:  # reports and score sheets of one call: one transaction, all or nothing
                results, score_plans = store.scores.save_batch(con, reports, sheets, imported_by=_user())
                plans = [result.plan for result in results]
            else:
                plans = [result.plan for result in store.save_reports(con, reports, imported_by=_user())]
        finally:
            con.close()
    for plan in plans:
        for line in plan_lines(plan, dry_run=args.dry_run, quiet=args.quiet):
            print(line)
    for line in score_plan_lines(score_plans, dry_run=args.dry_run, quiet=args.quiet):
        print(line)
    if args.dry_run:
        print("ทดลองเท่านั้น (--dry-run): ยังไม่ได้บันทึกสิ่งใดลงฐานข้อมูล")
    return 0


def _user() -> str:
    """Who runs the import: "<the operating system's user> (บรรทัดคำสั่ง)", a name no account can
    have (the store refuses a plain name that is an account's)."""
    from .store.users import command_line_name
    return command_line_name()


def plan_lines(plan, *, dry_run: bool = False, quiet: bool = False) -> list[str]:
    """What an import did (or, dry_run, would do): the head line with the counts, the organization,
    one line per renamed or removed measure and row, then (unless quiet) the warnings."""
    from .store import REMOVED, RENAMED
    report = plan.report
    action = ("จะแทนที่" if plan.replaced else "จะนำเข้า") if dry_run else ("แทนที่" if plan.replaced else "นำเข้า")
    warning_count = sum(len(f.warnings) for f in report.findings) + len(report.warnings)
    lines = [f"{report.source_file}: {action} {report.organization} ปีประเมิน {report.assessed_year} "
             f"แผนปีงบประมาณ {report.plan_year}: {len(report.findings)} ประเด็น, "
             f"{sum(len(f.measures) for f in report.findings)} มาตรการ, {warning_count} คำเตือน; {plan.summary()}"]
    if not quiet:
        lines.append(f"  หน่วยงาน: {plan.organization_note}")
    for f in plan.findings:
        if f.change == REMOVED:
            lines.append(f"  แถว {f.seq}: นำแถวออก (ไม่มีในรายงานนี้ เก็บไว้พร้อมประวัติ)")
    for m in plan.measures:
        if m.change == RENAMED:
            lines.append(f'  แถว {m.finding_seq} มาตรการที่ {m.seq}: เปลี่ยนข้อความ "{m.old_title}" เป็น "{m.title}" '
                         f"(จับคู่ตามลำดับ)")
        elif m.change == REMOVED:
            lines.append(f'  แถว {m.finding_seq} มาตรการที่ {m.old_seq}: นำออก "{m.title}"')
    if not quiet:
        lines += [f"  คำเตือน: {warning}" for warning in report.warnings]
        lines += [f"  แถว {finding.seq}: {warning}" for finding in report.findings for warning in finding.warnings]
    return lines


def score_plan_lines(plans, *, dry_run: bool = False, quiet: bool = False) -> list[str]:
    """What a score-sheet import did (or, dry_run, would do): per organization and year, the head
    line (scores, overall, indicators, questions; new or replacing, with the counts of what changed),
    the organization (unless quiet), the import it replaces, one line per score that changed; then
    each file's warnings once (unless quiet)."""
    from .thai import thai_time
    lines: list[str] = []
    warned: set[str] = set()
    for plan in plans:
        s = plan.scores
        action = ("จะแทนที่" if plan.replaced else "จะนำเข้า") if dry_run else ("แทนที่" if plan.replaced else "นำเข้า")
        lines.append(f"{s.source_file}: {action}คะแนน {plan.organization} ปีประเมิน {s.assessed_year}: "
                     f"{plan.contents()}; {plan.summary()}")
        if not quiet:
            lines.append(f"  หน่วยงาน: {plan.organization_note}")
        if plan.replaced:
            lines.append(f"  คะแนนเดิมจาก {plan.previous['source_file']} "
                         f"(นำเข้าเมื่อ {thai_time(plan.previous['imported_at'])}) เก็บไว้เป็นประวัติ")
        lines += [f"  {change.text()}" for change in plan.changes if change.kind != "same"]
        if not quiet and s.source_file not in warned:
            warned.add(s.source_file)
            lines += [f"  คำเตือน: {warning}" for warning in s.warnings]
    return lines


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
    if args.scores:
        from .importers.scores import write_score_template
        path = checked(write_score_template, args.out)
        print(f"เขียนแผ่นคะแนนเปล่า: {path}")
        return 0
    from .importers.table import write_template
    path = checked(write_template, args.out)
    print(f"เขียนแบบฟอร์มเปล่า: {path}")
    return 0


def cmd_meeting(args) -> int:
    from pathlib import Path

    from . import store, views
    from .errors import BadInput
    from .exports import meeting
    from .thai import first_of, parse_month
    out = Path(args.out)
    kind = out.suffix.lower()
    if kind not in (".pptx", ".pdf", ".xlsx"):
        raise BadInput(f"{out}: ใช้ไฟล์ .pptx .pdf หรือ .xlsx")
    month = checked(parse_month, args.month) if args.month else None
    if not out.parent.is_dir():
        raise BadInput(f"{out}: ไม่พบโฟลเดอร์ {out.parent}")
    con = store.connect(args.db, read_only=True)
    try:
        chosen = checked(meeting.find_assessment, con, args.org, args.plan_year)
        today = views.today()
        month = month or first_of(today)
        if kind == ".xlsx":
            from .exports import tables
            deck = meeting.build_deck(con, chosen["id"], month, today)
            data = tables.measures_xlsx(deck.measures, deck.score_change)
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


def cmd_report(args) -> int:
    from pathlib import Path

    from . import store, views
    from .errors import BadInput
    from .exports import meeting, report
    out = Path(args.out)
    kind = out.suffix.lower()
    if kind not in (".docx", ".pdf"):
        raise BadInput(f"{out}: ใช้ไฟล์ .docx หรือ .pdf")
    if args.kind not in report.KINDS:
        raise BadInput(f'--kind "{args.kind}" ไม่ถูกต้อง: ใช้ plan (แผนตามแบบรายงาน) หรือ results (ผลการดำเนินงาน)')
    if not out.parent.is_dir():
        raise BadInput(f"{out}: ไม่พบโฟลเดอร์ {out.parent}")
    con = store.connect(args.db, read_only=True)
    try:
        chosen = checked(meeting.find_assessment, con, args.org, args.plan_year)
        document = report.build(con, chosen["id"], args.kind, on=views.today())
    finally:
        con.close()
    if kind == ".docx":
        from .exports.report_docx import report_docx
        data = report_docx(document)
    else:
        from .exports.report_pdf import report_pdf
        data = report_pdf(document)
    out.write_bytes(data)
    what = "รายงาน" if args.kind == "plan" else "รายงานผลการดำเนินงาน"
    print(f"เขียน{what}: {out} ({document.organization} ปีงบประมาณ {document.plan_year})")
    return 0


def _read_password(args) -> str:
    """The password: the first line of stdin with --password-stdin (nothing echoed, nothing
    printed), else asked twice on the terminal without echo."""
    from .errors import BadInput
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        return password[:-1] if password.endswith("\r") else password
    if not sys.stdin.isatty():
        raise BadInput("ไม่มีรหัสผ่าน: ส่งรหัสผ่านทาง stdin พร้อม --password-stdin")
    import getpass
    first = getpass.getpass("รหัสผ่าน: ")
    if getpass.getpass("รหัสผ่านอีกครั้ง: ") != first:
        raise BadInput("รหัสผ่านสองครั้งไม่ตรงกัน")
    return first


def cmd_user(args) -> int:
    from . import store
    from .store import users
    by = users.system(_user())  # whoever runs the command line on the database file (never an account's name)
    con = store.connect(args.db, must_exist=args.verb != "add")
    try:
        if args.verb == "add":
            password = _read_password(args)
            user = checked(users.add_user, con, args.name, args.role, password, display_name=args.display_name,
                           divisions=args.division, organizations=args.org, by=by)
            where = f" หน่วยงาน {', '.join(user.divisions)}" if user.divisions else ""
            if user.organizations:
                where += " องค์กร " + ", ".join(next(u["organizations"] for u in users.list_users(con)
                                                    if u["id"] == user.id))
            print(f"เพิ่มผู้ใช้ {user.name} บทบาท {user.role} ({users.ROLE_TH[user.role]}){where}")
        elif args.verb == "list":
            state_th = {"active": "ใช้งานได้", "disabled": "ปิดใช้งาน", "locked": "ถูกล็อก"}
            for u in users.list_users(con):
                print("\t".join([u["name"], u["role"], state_th[u["state"]], ", ".join(u["divisions"]) or "-",
                                 u["display_name"] or u["name"], ", ".join(u["organizations"]) or "-"]))
        elif args.verb == "disable":
            checked(users.disable_user, con, args.name, by=by)
            print(f"ปิดใช้งานผู้ใช้ {args.name} แล้ว")
        elif args.verb == "enable":
            checked(users.enable_user, con, args.name, by=by)
            print(f"เปิดใช้งานผู้ใช้ {args.name} แล้ว")
        else:
            password = _read_password(args)
            checked(users.set_password, con, args.name, password, by=by)
            print(f"ตั้งรหัสผ่านใหม่ของ {args.name} แล้ว")
    finally:
        con.close()
    return 0


COMMANDS = {"import": cmd_import, "dump": cmd_dump, "template": cmd_template, "meeting": cmd_meeting,
            "report": cmd_report, "user": cmd_user}
