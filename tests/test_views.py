"""views: today() and $ITA_TODAY, the sidebar's organization labels, and the pages' typed data."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from conftest import TODAY
from ita_data import store, views
from ita_data.errors import BadInput


def test_today_is_frozen_for_the_tests():
    assert views.today() == TODAY == date(2026, 3, 16)


def test_ita_today_names_the_day(monkeypatch):
    monkeypatch.setenv("ITA_TODAY", "2026-10-01")
    assert views.today() == date(2026, 10, 1)


def test_without_ita_today_it_is_today_in_thailand(monkeypatch):
    from datetime import datetime
    monkeypatch.delenv("ITA_TODAY")
    assert views.today() == datetime.now(views.BANGKOK).date()


@pytest.mark.parametrize("value", ["16/03/2026", "2026-02-30", "tomorrow"])
def test_a_bad_ita_today_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("ITA_TODAY", value)
    with pytest.raises(BadInput, match="ITA_TODAY") as e:
        views.today()
    assert value in str(e.value) and "2026-03-16" in str(e.value)


def test_organization_labels_add_the_province_only_to_a_shared_name():
    labels = views.organization_labels([
        {"id": 1, "name": "องค์การบริหารส่วนตำบลมวกเหล็ก", "province": "สระบุรี"},
        {"id": 2, "name": "องค์การบริหารส่วนตำบลมวกเหล็ก", "province": "นครราชสีมา"},
        {"id": 3, "name": "เทศบาลตำบลหนองน้ำใส", "province": "นครราชสีมา"},
    ])
    assert labels == {1: "อบต.มวกเหล็ก (สระบุรี)", 2: "อบต.มวกเหล็ก (นครราชสีมา)", 3: "ทต.หนองน้ำใส"}


@pytest.fixture(scope="module")
def data(seeded_db) -> views.AssessmentData:
    con = store.connect(seeded_db, read_only=True)
    try:
        [a] = store.assessments(con)
        return views.assessment_data(views.findings_frame(con, a["id"]), views.measures_frame(con, a["id"], on=TODAY),
                                     store.division_list(con), on=TODAY, plan_year=a["plan_year"])
    finally:
        con.close()


def test_page_data_are_frozen_values(data):
    for value in (data, views.scores_data(data), views.divisions_data(data), views.timeline_data(data, ()),
                  views.measures_data(data, views.MeasureFilter())):
        assert dataclasses.is_dataclass(value)
        field = dataclasses.fields(value)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, field, None)


def test_page_data_of_the_seed(data):
    assert data.division_options == ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองสวัสดิการสังคม",
                                     "กองสาธารณสุขและสิ่งแวดล้อม")  # the canonical order
    assert sorted(data.indicator_names) == [1, 2, 4, 6, 7, 8]
    scores = views.scores_data(data)
    assert scores.summary["findings"] == 10 and scores.summary["overdue"] == 0
    assert len(scores.charts["question"].pick_options) == 10
    assert scores.charts["indicator"].pick_options == (1, 2, 4, 6, 7, 8)
    chang = views.measures_data(data, views.MeasureFilter(divisions=("กองช่าง",)))
    assert (len(chang.shown), chang.total, chang.done, chang.overdue) == (14, 23, 0, 0)
    assert list(chang.table.columns)[:2] == ["ที่", "มาตรการ/โครงการ/กิจกรรม"]
    timeline = views.timeline_data(data, ("กองช่าง",))
    assert (len(timeline.timeline), timeline.overdue, timeline.without_period) == (14, 0, 0)


def test_after_the_fiscal_year_the_same_measures_are_overdue(seeded_db):
    after = date(2026, 10, 1)
    con = store.connect(seeded_db, read_only=True)
    try:
        [a] = store.assessments(con)
        measures = views.measures_frame(con, a["id"], on=after)
    finally:
        con.close()
    assert int(measures["overdue"].sum()) == 23
