"""Score sheets written for tests (into tmp_path): a full year of the seed's agency, its 2568 question
scores those of the seed report's findings, and a 2569 sheet with some questions up and some down.

The question set of the 2567-2569 framework (ITA.md: three per indicator for i and e [U]; the o-items
split between indicators 9 and 10 here as o1-o16 and o17-o22)."""
from __future__ import annotations

import csv
from pathlib import Path

from conftest import SEED

from ita_data import framework
from ita_data.importers import read_report

ORG, DISTRICT, PROVINCE = "องค์การบริหารส่วนตำบลมวกเหล็ก", "มวกเหล็ก", "สระบุรี"
QUESTIONS: dict[int, list[str]] = {
    **{no: [f"i{3 * (no - 1) + k}" for k in (1, 2, 3)] for no in range(1, 6)},
    **{no: [f"e{3 * (no - 6) + k}" for k in (1, 2, 3)] for no in range(6, 9)},
    9: [f"o{k}" for k in range(1, 17)],
    10: [f"o{k}" for k in range(17, 23)],
}
HEADER_TH = ["หน่วยงาน", "อำเภอ", "จังหวัด", "ปีที่ประเมิน", "ตัวชี้วัดที่", "รหัสข้อคำถาม", "คะแนน"]
HEADER_EN = ["organization", "district", "province", "assessed_year", "indicator_no", "question_code", "score"]
# 2569 against 2568: up and down (the seed's questions i5 and e7 up, i2 and e5 down), the rest as in 2568
CHANGES_2569 = {"i5": 93.10, "e7": 97.00, "i2": 96.50, "e5": 94.80, "i11": 99.00, "o3": 90.00}


def seed_question_scores() -> dict[str, float]:
    """The question scores the seed report gives (its findings'), by code."""
    return {f.question_code: f.score for f in read_report(SEED).findings}


def question_scores(year: int, changes: dict[str, float] | None = None) -> dict[str, float]:
    """Every question of the framework, a plausible score each; in 2568 the seed's questions have the
    seed's scores; `changes` sets some."""
    scores = {}
    for no, codes in QUESTIONS.items():
        for k, code in enumerate(codes):
            scores[code] = round(95.0 + ((no * 7 + k * 3) % 9) * 0.5, 2)
    scores.update(seed_question_scores())
    scores.update(changes or {})
    return scores


def year_rows(year: int, changes: dict[str, float] | None = None, *, org: str = ORG, district: str | None = DISTRICT,
              province: str | None = PROVINCE, overall: bool = True, indicators: bool = True) -> list[list]:
    """One organization's full year as sheet rows (HEADER order): overall, then per indicator its
    official score (the mean of its questions) and its questions."""
    scores = question_scores(year, changes)
    means = {no: round(sum(scores[c] for c in codes) / len(codes), 2) for no, codes in QUESTIONS.items()}
    rows = []
    if overall:
        rows.append([org, district, province, year, "ITA", "", round(framework.overall_score(means), 2)])
    for no, codes in QUESTIONS.items():
        if indicators:
            rows.append([org, district, province, year, no, "", means[no]])
        rows += [[org, district, province, year, no, code, scores[code]] for code in codes]
    return rows


def expected_means(year: int, changes: dict[str, float] | None = None) -> dict[int, float]:
    scores = question_scores(year, changes)
    return {no: round(sum(scores[c] for c in codes) / len(codes), 2) for no, codes in QUESTIONS.items()}


def write_sheet(path: Path, rows: list[list], header: list[str] = HEADER_TH) -> Path:
    """rows under `header`, as .csv (UTF-8) or .xlsx by the path's suffix."""
    path = Path(path)
    if path.suffix == ".xlsx":
        from openpyxl import Workbook
        book = Workbook()
        sheet = book.active
        sheet.title = "คะแนน"
        sheet.append(header)
        for row in rows:
            sheet.append([None if v == "" else v for v in row])
        book.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows)
    return path
