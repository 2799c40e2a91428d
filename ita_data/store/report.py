"""The query of the report written back (exports/report.py): an assessment's rows with what the
report wrote (importers.records.WRITTEN_FORMS) and their current measures. (Each division's own status
comes with store.measures, its reports with store.history.)"""
from __future__ import annotations

from . import _rows


def plan_rows(con, assessment_id: int) -> list[dict]:
    """The current findings of an assessment in report order: every field the report table shows,
    as stored, with its steps, its divisions (in the order written) and its current measures' texts
    (in report order)."""
    return _rows(con, """
        SELECT f.id, f.seq, f.indicator_no, f.indicator_text, f.question_code, f.question, f.score,
               f.analysis, f.rationale, f.period_text, f.period_start, f.period_end, f.indicator_cell,
               f.question_code_text, f.measures_mark, f.steps_mark, fl.steps,
               coalesce((SELECT list(d.name ORDER BY fd.seq) FROM finding_divisions fd
                         JOIN divisions d ON d.id = fd.division_id WHERE fd.finding_id = f.id), []) AS divisions,
               coalesce((SELECT list(m.title ORDER BY m.seq, m.id) FROM measures m
                         WHERE m.finding_id = f.id AND m.removed_at IS NULL), []) AS measures
        FROM findings f JOIN finding_lists fl ON fl.finding_id = f.id
        WHERE f.assessment_id = ? AND f.removed_at IS NULL
        ORDER BY f.seq""", [assessment_id])
