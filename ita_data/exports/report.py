"""The report written back, as plain data: built here, drawn by exports/report_docx.py (Word) and
exports/report_pdf.py (PDF). Two kinds:

- `plan`: the report in the official shape of the seed: the title block (รายงานการนำผลการประเมิน ITA
  ไปสู่การพัฒนาองค์กร ประจำปีงบประมาณ พ.ศ. ... / ของ<หน่วยงาน> อำเภอ... จังหวัด...) and the 8-column table
  under its two-line header, one row per finding. Every cell is what the report wrote, as stored
  (importers.records.WRITTEN_FORMS: the indicator cell with its row number and score, the question
  code, the lists' numbering): importing the written .docx gives back every field. What is not
  stored is written from the values: the title (Thai digits when the report writes Thai digits),
  division names (their canonical spelling: "กองสาธารณสุขฯ" is written กองสาธารณสุขและสิ่งแวดล้อม), and a
  cell of a report read from a template (which has no indicator cell: number, name and score are
  written as the seed writes them). PDF slips the importer repaired stay repaired (a question code
  "1๒" is written i๒, a number "๙ ๙.๕๗" as ๙๙.๕๗); a period is written as the report wrote it.
- `results`: the year's results: the measures by status (views.summary; the official overall ITA
  score and grade when the assessed year's score sheet has it), per indicator (views.indicator_progress:
  the official indicator score where the sheet has it, else the mean of the report's questions, and a
  note under the table saying which) and per division (views.division_workload: each division by its own
  status), then every measure with its status, percent,
  the last note, the day and who reported it (views.results_lines), one line per responsible
  division where divisions report their own status. Statuses are the current ones; overdue flags
  are on `on` (today).

A document is a title block and blocks (headings, paragraphs, tables). A table's cells hold
paragraphs of lines (a line break between lines), and span columns and rows as HTML's do; its
header rows repeat on every page."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from .. import framework, store, views
from ..divisions import split_divisions
from ..importers import fields
from ..importers.records import COLUMN_TH
from ..thai import short_org_name, thai_date, to_thai_digits

PLAN, RESULTS = "plan", "results"
KINDS = (PLAN, RESULTS)
KIND_TH = {PLAN: "รายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร", RESULTS: "รายงานผลการดำเนินงาน"}

PAGE_W_MM, PAGE_H_MM = 297.0, 210.0  # A4 landscape
MARGIN_MM = 15.0
TEXT_W_MM = PAGE_W_MM - 2 * MARGIN_MM
TITLE_PT, HEADING_PT, TEXT_PT, TABLE_PT = 16.0, 14.0, 14.0, 12.0  # Sarabun (TH Sarabun PSK 16 pt reads about as Sarabun 12-14)

# the plan table: the seed's columns (mm, summing to TEXT_W_MM)
PLAN_WIDTHS = (30.0, 33.0, 40.0, 40.0, 37.0, 40.0, 20.0, 27.0)
ASSESSMENT_HEADER = "การวิเคราะห์ผลการประเมินในปี {year}"
DEVELOPMENT_HEADER = ("การนำผลประเมิน ITA ไปสู่การพัฒนาองค์กร (การนำผลการวิเคราะห์ไปสู่การปรับปรุง "
                      "หรือพัฒนาองค์กร หรือรักษาระดับ)")
# the second header line as the seed writes it
PLAN_SUBHEADERS = ("ข้อคำถาม ITA", "ผลการวิเคราะห์ประเมิน", "มาตรการ/โครงการ/กิจกรรม",
                   "ผลการวิเคราะห์ตัวชี้วัดที่สอดคล้องกับ มาตรการ/โครงการ/กิจกรรม", "ขั้นตอน/วิธีการดำเนินการ",
                   "ระยะเวลา ดำเนินการ", "ผู้รับผิดชอบ")

# the results tables
RESULT_COLUMNS = ("ที่", "มาตรการ/โครงการ/กิจกรรม", "ผู้รับผิดชอบ", "สถานะ", "ร้อยละ", "บันทึกล่าสุด", "วันที่รายงาน",
                  "ผู้รายงาน")
RESULT_WIDTHS = (13.0, 68.0, 40.0, 35.0, 16.0, 47.0, 24.0, 24.0)
COUNT_COLUMNS = ("มาตรการ", *(framework.STATUS_TH[s] for s in views.STATUS_ORDER), "เกินกำหนด", "ร้อยละที่เสร็จ")
INDICATOR_WIDTHS = (75.0, 20.0, 20.0, 22.0, 26.0, 22.0, 20.0, 22.0, 40.0)
DIVISION_WIDTHS = (75.0, 20.0, 20.0, 22.0, 26.0, 22.0, 20.0, 22.0, 40.0)
RESULTS_TITLE = "รายงานผลการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
OVERDUE_NOTE = "เกินกำหนด = สิ้นสุดระยะเวลาดำเนินการแล้ว แต่สถานะยังไม่ใช่ เสร็จแล้ว หรือ ยกเลิก"


@dataclass(frozen=True)
class Cell:
    paragraphs: tuple[tuple[str, ...], ...] = ()  # each paragraph: its lines
    colspan: int = 1
    rowspan: int = 1
    bold: bool = False
    align: str = "left"  # left, center, right
    fill: bool = False  # shaded: a header, a group's row
    tone: str = ""  # "bad" (overdue), "good" (done) or ""

    @property
    def text(self) -> str:
        return "\n".join("\n".join(p) for p in self.paragraphs)


def breakable(text: str) -> str:
    """A header's text with a zero-width space after each "/" (มาตรการ/โครงการ/กิจกรรม wraps at its
    slashes, not inside a word); the importer drops it (fields.clean)."""
    return text.replace("/", "/\u200b")


def cell(*paragraphs, **style) -> Cell:
    """A cell of paragraphs, each a string (lines split at "\\n") or a sequence of lines."""
    out = []
    for p in paragraphs:
        if p is None:
            continue
        lines = tuple(str(p).split("\n")) if isinstance(p, str) else tuple(str(x) for x in p)
        out.append(lines)
    return Cell(tuple(out), **style)


@dataclass
class Table:
    widths: tuple[float, ...]  # mm per column
    header: list[list[Cell]]  # rows repeated on every page; a row lists the cells starting in it
    body: list[list[Cell]]
    size_pt: float = TABLE_PT
    name: str = ""  # what the table is, for tests and the PDF's markup
    groups: tuple[int, ...] = ()  # body rows kept on one page, as counts in order (none: each row alone)

    def row_groups(self) -> list[list[list[Cell]]]:
        """The body rows in their groups (`groups`; rows beyond them one a group)."""
        out, i = [], 0
        for n in self.groups:
            out.append(self.body[i:i + n])
            i += n
        return out + [[row] for row in self.body[i:]]


@dataclass
class Heading:
    text: str


@dataclass
class Paragraph:
    text: str
    muted: bool = False


@dataclass
class ReportDocument:
    kind: str
    organization: str
    plan_year: int
    assessed_year: int
    title_lines: list[str]
    blocks: list = field(default_factory=list)  # Heading | Paragraph | Table
    on: date | None = None  # results: the day statuses are for
    thai_digits: bool = True  # numbers written in Thai digits (page numbers too)

    @property
    def file_stem(self) -> str:
        return file_stem(self.kind, self.organization, self.plan_year)

    def tables(self, name: str | None = None) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table) and (name is None or b.name == name)]


# ---------------------------------------------------------------- shared

def file_stem(kind: str, organization: str, plan_year: int) -> str:
    """รายงาน-ITA-อบต.มวกเหล็ก-2569 (plan) / ผลการดำเนินงาน-ITA-อบต.มวกเหล็ก-2569 (results)."""
    word = "รายงาน" if kind == PLAN else "ผลการดำเนินงาน"
    return f"{word}-ITA-{short_org_name(organization)}-{plan_year}"


def _assessment(con, assessment_id: int) -> tuple[dict, dict]:
    chosen = next((a for a in store.assessments(con) if a["id"] == assessment_id), None)
    if chosen is None:
        raise ValueError(f"ไม่พบการประเมินหมายเลข {assessment_id}")
    org = next(o for o in store.organizations(con) if o["id"] == chosen["organization_id"])
    return chosen, org


def uses_thai_digits(texts) -> bool:
    """Whether a report writes Thai digits: more of them than Arabic ones in its own texts (a tie: Thai)."""
    thai = arabic = 0
    for text in texts:
        for ch in str(text or ""):
            if "๐" <= ch <= "๙":
                thai += 1
            elif "0" <= ch <= "9":
                arabic += 1
    return thai >= arabic


def _digits(value, thai: bool) -> str:
    return to_thai_digits(value) if thai else str(value)


def title_lines(org: dict, plan_year: int, thai: bool, first: str = KIND_TH[PLAN]) -> list[str]:
    """The seed's title block: the report and its fiscal year, then ของ<organization> อำเภอ... จังหวัด..."""
    place = " ".join(p for p in (f"อำเภอ{org['district']}" if org.get("district") else "",
                                 f"จังหวัด{org['province']}" if org.get("province") else "") if p)
    return [f"{first} ประจำปีงบประมาณ พ.ศ. {_digits(plan_year, thai)}",
            f"ของ{org['name']}" + (f" {place}" if place else "")]


def build(con, assessment_id: int, kind: str = PLAN, on: date | None = None) -> ReportDocument:
    if kind not in KINDS:
        raise ValueError(f'ชนิดรายงาน "{kind}" ไม่ถูกต้อง: ใช้ {" หรือ ".join(KINDS)}')
    return plan_document(con, assessment_id) if kind == PLAN else results_document(con, assessment_id, on)


# ---------------------------------------------------------------- plan

def plan_document(con, assessment_id: int) -> ReportDocument:
    chosen, org = _assessment(con, assessment_id)
    rows = store.report.plan_rows(con, assessment_id)
    thai = uses_thai_digits(t for r in rows for t in (r["indicator_cell"], r["period_text"], r["question_code_text"],
                                                      r["analysis"], r["rationale"], *r["steps"], *r["measures"]))
    doc = ReportDocument(PLAN, org["name"], chosen["plan_year"], chosen["assessed_year"],
                         title_lines(org, chosen["plan_year"], thai), thai_digits=thai)
    doc.blocks.append(plan_table(rows, chosen["assessed_year"], thai))
    return doc


def plan_header(assessed_year: int, thai: bool) -> list[list[Cell]]:
    """The seed's two header lines: the indicator cell over both, the assessment's analysis over
    two columns, the development over five; then the seven titles under them."""
    head = {"bold": True, "align": "center", "fill": True}
    return [[cell(breakable(COLUMN_TH["indicator"]), rowspan=2, **head),
             cell(ASSESSMENT_HEADER.format(year=_digits(assessed_year, thai)), colspan=2, **head),
             cell(DEVELOPMENT_HEADER, colspan=5, **head)],
            [cell(breakable(text), **head) for text in PLAN_SUBHEADERS]]


def plan_table(rows: list[dict], assessed_year: int, thai: bool) -> Table:
    indicators = indicator_cells(rows, thai)
    body = []
    for r, (indicator, merged, span) in zip(rows, indicators):
        first = [] if merged else [cell(indicator, rowspan=span)]
        body.append(first + [
            cell(question_text(r, assessed_year, thai)),
            cell(r["analysis"] or ""),
            Cell(list_paragraphs(list(r["measures"]), r["measures_mark"], thai)),
            cell(r["rationale"] or ""),
            Cell(list_paragraphs(list(r["steps"]), r["steps_mark"], thai)),
            cell(r["period_text"] or ""),
            Cell(division_paragraphs(list(r["divisions"]))),
        ])
    return Table(PLAN_WIDTHS, plan_header(assessed_year, thai), body, name="plan")


def indicator_cells(rows: list[dict], thai: bool) -> list[tuple[str, bool, int]]:
    """Per row: its indicator cell, whether it is the cell of the row above merged down (a row
    continuing the indicator of the row above: rows.make_report), and how many rows the cell spans.
    The cell is the one stored (the row number and score as the report wrote them) when it reads
    back to the row's indicator text and score and the numbering of the whole table reads back to
    the stored row numbers; otherwise it is written from the values (fields.indicator_cell)."""
    written = []
    for r in rows:
        stored = r["indicator_cell"]
        ok = False
        if stored:
            repaired, _ = fields.repair_broken_numbers(fields.clean(stored), "")
            _, text, score = fields.parse_indicator_cell(repaired)
            ok = text == r["indicator_text"] and score == r["score"]
        written.append(stored if ok else None)
    for _ in range(len(rows) + 1):  # each round writes one more row from its values
        cells = [w or fields.indicator_cell(r["seq"], r["indicator_text"], r["score"], thai)
                 for w, r in zip(written, rows)]
        numbers, continues = _numbering(cells, rows)
        wrong = next((i for i, (n, r) in enumerate(zip(numbers, rows)) if n != r["seq"]), None)
        if wrong is None:
            break
        written[wrong] = None
    out = []
    for i, (text, cont) in enumerate(zip(cells, continues)):
        span = 1
        while i + span < len(cells) and continues[i + span]:
            span += 1
        out.append((text, cont, span))
    return out


def _numbering(cells: list[str], rows: list[dict]) -> tuple[list[int | None], list[bool]]:
    """The row numbers the importer gives a table whose indicator cells are `cells` (rows.make_report:
    a number written again right under the same cell, with another question, continues the
    numbering), and which rows continue the one above; None where it would refuse the table."""
    written_before: dict[int, list[int]] = {}
    used: set[int] = set()
    numbers: list[int | None] = []
    continues: list[bool] = []
    last = 0
    for i, (text, r) in enumerate(zip(cells, rows)):
        number = fields.parse_indicator_cell(text)[0] or i + 1
        cont = False
        if number in written_before:
            same = any(_same_question(rows[j], r) for j in written_before[number])
            cont = (not same and i > 0 and cells[i - 1] == text
                    and (fields.parse_indicator_cell(cells[i - 1])[0] or i) == number)
            if not cont:
                numbers += [None] * (len(cells) - i)
                continues += [False] * (len(cells) - i)
                return numbers, continues
            seq = _next_free(last, used)
        elif number in used:
            seq = _next_free(last, used)
        else:
            seq = number
        written_before.setdefault(number, []).append(i)
        used.add(seq)
        last = seq
        numbers.append(seq)
        continues.append(cont)
    return numbers, continues


def _next_free(after: int, used: set[int]) -> int:
    seq = after + 1
    while seq in used:
        seq += 1
    return seq


def _same_question(a: dict, b: dict) -> bool:
    if a["question_code"] or b["question_code"]:
        return a["question_code"] == b["question_code"]
    return a["question"] == b["question"]


def question_text(r: dict, assessed_year: int, thai: bool) -> str:
    """The question cell: the code as written, then the question; the code written from its value
    (the report's digits) when the stored one does not read back to the same code and question."""
    question = r["question"] or ""
    code = r["question_code"]
    if not code:
        return question
    for written in (r["question_code_text"], _digits_code(code, thai)):
        if not written:
            continue
        text = f"{written} {question}".strip()
        got, rest, _ = fields.parse_question_cell(text, r["indicator_no"], assessed_year)
        if got == code and rest == question:
            return text
    return f"{code} {question}".strip()


def _digits_code(code: str, thai: bool) -> str:
    return code[0] + _digits(code[1:], thai)


def list_paragraphs(items: list[str], mark: str | None, thai: bool) -> tuple[tuple[str, ...], ...]:
    """A list cell: one paragraph per item, labelled as the report labelled its items (fields.list_mark;
    unknown: numbered when there are several, in the report's digits), "-" sub-items of a numbered
    item on lines of their own. Checked against the importer (fields.split_items and list_mark
    read the lines back to the same items and mark); a list that would not read back is numbered
    plainly, one item a paragraph."""
    if not items:
        return ()
    if mark is None:
        mark = "" if len(items) == 1 else ("๑." if thai else "1.")
    paragraphs = _labelled(items, mark)
    lines = [line for p in paragraphs for line in p]
    if fields.split_items(lines) == items and fields.list_mark(lines) == mark:
        return paragraphs
    plain = tuple((f"{fields.item_label('๑.' if thai else '1.', i)} {item}",) for i, item in enumerate(items, 1))
    return plain


def _labelled(items: list[str], mark: str) -> tuple[tuple[str, ...], ...]:
    numbered = bool(mark) and mark[0] in "๑1"
    out = []
    for i, item in enumerate(items, start=1):
        label = fields.item_label(mark, i)
        text = f"{label} {item}" if label else item
        if numbered and " - " in text:  # "- " sub-items on lines of their own, as the report drew them
            first, *subs = text.split(" - ")
            out.append((first, *(f"- {sub}" for sub in subs)))
        else:
            out.append((text,))
    return tuple(out)


def division_paragraphs(names: list[str]) -> tuple[tuple[str, ...], ...]:
    """One division a paragraph; with commas between them when, without, the importer would read
    the names otherwise (an unknown name running into the next: divisions.split_divisions)."""
    if not names:
        return ()
    if split_divisions(" ".join(names))[0] == names:
        return tuple((name,) for name in names)
    return tuple((name + ("," if i < len(names) - 1 else ""),) for i, name in enumerate(names))


# ---------------------------------------------------------------- results

def results_document(con, assessment_id: int, on: date | None = None) -> ReportDocument:
    chosen, org = _assessment(con, assessment_id)
    on = on or views.today()
    findings = views.findings_frame(con, assessment_id)
    measures = views.measures_frame(con, assessment_id, on=on)
    history = views.history_frame(con, assessment_id)
    lines = views.results_lines(measures, history)
    thai = uses_thai_digits(t for r in store.report.plan_rows(con, assessment_id)
                            for t in (r["indicator_cell"], r["period_text"], r["analysis"]))
    n = lambda value: _digits(value, thai)  # noqa: E731 - numbers in the report's digits

    title = title_lines(org, chosen["plan_year"], thai,
                        first=RESULTS_TITLE)
    title.append(f"ข้อมูล ณ วันที่ {thai_date(on, thai_digits=thai)}")
    doc = ReportDocument(RESULTS, org["name"], chosen["plan_year"], chosen["assessed_year"], title, on=on,
                         thai_digits=thai)

    cards = views.summary(findings, measures)
    year = chosen["assessed_year"]
    official = views.year_official(views.organization_scores(con, chosen["organization_id"]), year)
    doc.blocks.append(Heading("๑. สรุปผลการดำเนินงาน" if thai else "1. สรุปผลการดำเนินงาน"))
    overall = (f" คะแนน ITA ปี {n(year)} (คะแนนทางการ) {_score(official.overall, thai)} "
               f"ระดับ {framework.grade(official.overall)}." if official.overall is not None else "")
    doc.blocks.append(Paragraph(
        f"มาตรการ/โครงการ/กิจกรรมทั้งหมด {n(cards['measures'])} รายการ จาก {n(cards['findings'])} ประเด็น "
        f"(ผลการประเมิน ITA ปี {n(year)}): เสร็จแล้ว {n(cards['done'])} "
        f"กำลังดำเนินการ {n(cards['in_progress'])} ยังไม่เริ่ม {n(cards['not_started'])} "
        f"ยกเลิก {n(cards['measures'] - cards['active'])} เกินกำหนด {n(cards['overdue'])} "
        f"(เสร็จแล้วร้อยละ {n(_percent(cards['done_share']))} ของที่ไม่ยกเลิก)" + overall))

    doc.blocks.append(Heading("๒. สรุปรายตัวชี้วัด" if thai else "2. สรุปรายตัวชี้วัด"))
    per_indicator = views.indicator_progress(measures, findings, official.indicators)
    sources = set(per_indicator["source"].dropna())
    marked = sources == {views.OFFICIAL, views.MEAN}  # some of each: the means carry a mark
    doc.blocks.append(count_table(
        "indicators", ("ตัวชี้วัด", "คะแนน", *COUNT_COLUMNS[:-1], COUNT_COLUMNS[-1]),
        [(f"{n(r.indicator_no)}. {r.indicator}",
          _score(r.score, thai) + (MEAN_MARK if marked and r.source == views.MEAN else ""), r.measures,
          *(getattr(r, s) for s in views.STATUS_ORDER), r.overdue, r.done_share)
         for r in per_indicator.itertuples(index=False)], INDICATOR_WIDTHS, thai))
    doc.blocks.append(Paragraph(score_note(sources, n(year)), muted=True))

    doc.blocks.append(Heading("๓. สรุปรายหน่วยงาน" if thai else "3. สรุปรายหน่วยงาน"))
    workload = views.division_workload(measures, findings)
    doc.blocks.append(count_table(
        "divisions", ("หน่วยงาน", "ประเด็น", *COUNT_COLUMNS),
        [(w.division, w.findings, w.measures, *(getattr(w, s) for s in views.STATUS_ORDER), w.overdue,
          _share(w.done, w.measures - w.cancelled)) for w in workload.itertuples(index=False)],
        DIVISION_WIDTHS, thai))
    own = bool(lines["own"].any())
    doc.blocks.append(Paragraph("มาตรการที่มีหลายหน่วยงานรับผิดชอบ นับในทุกหน่วยงาน"
                                + (" ตามสถานะที่แต่ละหน่วยงานรายงาน" if own else "") + f" · {OVERDUE_NOTE}",
                                muted=True))

    doc.blocks.append(Heading("๔. ผลการดำเนินงานรายมาตรการ" if thai else "4. ผลการดำเนินงานรายมาตรการ"))
    doc.blocks.append(results_table(findings, lines, thai))
    return doc


MEAN_MARK = "*"


def score_note(sources: set[str], year: str) -> str:
    """What the indicator table's scores are: the official ones of the assessed year's score sheet,
    the mean of the report's questions (no sheet, or no indicator scores on it), or some of each
    (the means marked MEAN_MARK)."""
    official = f"คะแนน = คะแนนทางการของตัวชี้วัด ผลการประเมิน ITA ปี {year} จากแผ่นคะแนนที่นำเข้า"
    mean = "ค่าเฉลี่ยของคะแนนข้อคำถามที่รายงานไว้ในตัวชี้วัดนั้น ไม่ใช่คะแนนทางการของตัวชี้วัด"
    if sources == {views.OFFICIAL}:
        return official
    if views.OFFICIAL in sources:
        return f"{official} · {MEAN_MARK} = {mean} (แผ่นคะแนนไม่มีคะแนนของตัวชี้วัดนี้)"
    return f"คะแนน = {mean} (ยังไม่ได้นำเข้าแผ่นคะแนนปี {year} ที่มีคะแนนรายตัวชี้วัด)"


def _percent(share: float) -> str:
    return f"{share * 100:.0f}"


def _share(done: int, active: int) -> float:
    return done / active if active else 0.0


def _score(score, thai: bool) -> str:
    if score is None or pd.isna(score):
        return "-"
    return _digits(f"{score:.2f}", thai)


def count_table(name: str, headers: tuple[str, ...], rows: list[tuple], widths, thai: bool) -> Table:
    """A summary table: a name, then counts, then the share done as a percent (last column)."""
    head = {"bold": True, "align": "center", "fill": True}
    body = []
    for row in rows:
        label, *values = row
        cells = [cell(str(label))]
        for j, value in enumerate(values, start=1):
            if j == len(values):
                text = _digits(_percent(value), thai)
            elif isinstance(value, str):
                text = value
            else:
                text = _digits(int(value), thai)
            tone = "bad" if headers[j] == "เกินกำหนด" and text not in ("0", "๐") else ""
            cells.append(cell(text, align="right", tone=tone))
        body.append(cells)
    if not body:
        body = [[cell("ไม่มีมาตรการ", colspan=len(headers), align="center")]]
    return Table(tuple(widths), [[cell(h, **head) for h in headers]], body, name=name)


def results_table(findings: pd.DataFrame, lines: pd.DataFrame, thai: bool) -> Table:
    """Every measure under its row of the report (a shaded line: the row's number, indicator and
    score, question code, period), one line per measure, or per responsible division where
    divisions report their own status (the measure's number and text span its lines)."""
    head = {"bold": True, "align": "center", "fill": True}
    header = [[cell(h, **head) for h in RESULT_COLUMNS]]
    body: list[list[Cell]] = []
    groups: list[int] = []  # a row's line stays with its first measure; a measure's lines stay together
    by_row = {int(seq): group for seq, group in lines.groupby("finding_seq", sort=True)}
    for f in findings.itertuples(index=False):
        group = by_row.get(int(f.seq))
        scored = f" ({_score(f.score, thai)} คะแนน)" if f.score is not None and not pd.isna(f.score) else ""
        code = f" · ข้อคำถาม {_digits_code(f.question_code, thai)}" if f.question_code else ""
        period = (f" · ระยะเวลา {thai_date(f.period_start, short=True, thai_digits=thai)} - "
                  f"{thai_date(f.period_end, short=True, thai_digits=thai)}") if f.period_start else ""
        body.append([cell(f"ประเด็นที่ {_digits(int(f.seq), thai)} ตัวชี้วัดที่ {_digits(int(f.indicator_no), thai)} "
                          f"{f.indicator}{scored}{code}{period}", colspan=len(RESULT_COLUMNS), bold=True, fill=True)])
        if group is None:
            body.append([cell("ไม่มีมาตรการ", colspan=len(RESULT_COLUMNS))])
            groups.append(2)
            continue
        groups.append(1)
        for k, line in enumerate(group.itertuples(index=False)):
            row = []
            if line.first:
                if k == 0:
                    groups[-1] += int(line.lines)
                else:
                    groups.append(int(line.lines))
                row += [cell(_digits(line.ref, thai), rowspan=int(line.lines)),
                        cell(line.title, rowspan=int(line.lines))]
            status = framework.STATUS_TH.get(line.status, line.status)
            late = ""
            if line.overdue:
                days = -int(line.days_left) if pd.notna(line.days_left) else None
                late = "เกินกำหนด" + (f" {_digits(days, thai)} วัน" if days else "")
            tone = "bad" if line.overdue else ("good" if line.status == "done" else "")
            row += [cell(line.division or "-"),
                    cell(status, late or None, tone=tone),
                    cell(_digits(int(line.progress), thai), align="right"),
                    cell(line.note or "-"),
                    cell(thai_date(line.day, short=True, thai_digits=thai) if line.day else "-"),
                    cell(line.editor or "-")]
            body.append(row)
    return Table(RESULT_WIDTHS, header, body, name="results", groups=tuple(groups))
