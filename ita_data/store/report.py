"""The queries of the report written back (exports/report.py): an assessment's rows with what the
report wrote (importers.records.WRITTEN_FORMS) and their current measures, and each responsible
division's own status of a measure with its last report."""
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


def division_statuses(con, assessment_id: int) -> list[dict]:
    """Every current measure x each division responsible for it (its row's divisions, in the order
    written, then any other division that reported on it): the division's own status and percent
    (measure_divisions; NULL when it has none) and its last report (status_history of that
    division): the last note written, who reported last and when. In register order."""
    return _rows(con, """
        WITH current AS (
            SELECT m.id AS measure_id, m.finding_id, f.seq AS finding_seq, m.seq AS measure_seq
            FROM measures m JOIN findings f ON f.id = m.finding_id
            WHERE f.assessment_id = ? AND f.removed_at IS NULL AND m.removed_at IS NULL),
        pairs AS (
            SELECT c.measure_id, fd.division_id, fd.seq AS division_seq FROM current c
            JOIN finding_divisions fd ON fd.finding_id = c.finding_id
            UNION ALL
            SELECT md.measure_id, md.division_id, NULL FROM measure_divisions md JOIN current c USING (measure_id)
            WHERE NOT EXISTS (SELECT 1 FROM finding_divisions fd
                              WHERE fd.finding_id = c.finding_id AND fd.division_id = md.division_id)),
        reports AS (
            SELECT measure_id, division_id, editor, changed_at,
                   row_number() OVER (PARTITION BY measure_id, division_id ORDER BY changed_at DESC, id DESC) AS k
            FROM status_history WHERE division_id IS NOT NULL),
        notes AS (
            SELECT measure_id, division_id, note,
                   row_number() OVER (PARTITION BY measure_id, division_id ORDER BY changed_at DESC, id DESC) AS k
            FROM status_history WHERE division_id IS NOT NULL AND trim(coalesce(note, '')) <> '')
        SELECT p.measure_id, d.name AS division, md.status, md.progress, md.updated_at,
               n.note, r.editor, r.changed_at
        FROM pairs p JOIN current c USING (measure_id) JOIN divisions d ON d.id = p.division_id
        LEFT JOIN measure_divisions md ON md.measure_id = p.measure_id AND md.division_id = p.division_id
        LEFT JOIN reports r ON r.measure_id = p.measure_id AND r.division_id = p.division_id AND r.k = 1
        LEFT JOIN notes n ON n.measure_id = p.measure_id AND n.division_id = p.division_id AND n.k = 1
        ORDER BY c.finding_seq, c.measure_seq, p.division_seq NULLS LAST, d.id""", [assessment_id])
