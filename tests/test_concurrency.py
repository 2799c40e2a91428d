"""Many Streamlit sessions share one DuckDB connection (ui.connection): every query function takes its
own cursor, so concurrent reads and writes from session threads must neither fail nor lose data."""
from __future__ import annotations

import threading
from pathlib import Path

from ita_data import store, views
from ita_data.importers import read_report

SEED = Path(__file__).resolve().parent.parent / "data" / "muaklek-ita-report-2569.txt"


def test_sessions_read_and_write_through_one_connection(tmp_path):
    con = store.connect(tmp_path / "shared.duckdb")
    store.save_reports(con, [read_report(SEED)])
    assessment = store.assessments(con)[0]["id"]
    measure_ids = [m["id"] for m in store.measures(con, assessment)]
    errors: list[BaseException] = []
    writes_per_writer, writers, readers = 20, 3, 6

    def reader():
        try:
            for _ in range(30):
                assert len(views.findings_frame(con, assessment)) == 10
                assert len(views.measures_frame(con, assessment)) == 23
                store.history(con, assessment)
                store.last_change(con)
        except BaseException as e:  # noqa: BLE001 - collected and reported below
            errors.append(e)

    def writer(n: int):
        try:
            for i in range(writes_per_writer):
                measure = measure_ids[i % 3]  # writers collide on the same few measures
                store.update_measure(con, measure, "in_progress", i, f"รอบ {i}", f"ผู้บันทึก {n}")
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    history = store.history(con, assessment)
    assert len(history) == writers * writes_per_writer
    assert {h["editor"] for h in history} == {f"ผู้บันทึก {n}" for n in range(writers)}
