"""Surge alerts: the test finds a planted surge, leaves a flat series alone, keeps its stated
false-alarm rate on simulated Poisson series, and lists only what is new to each reader."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from recruitwatch.analysis import alerts
from recruitwatch.analysis.alerts import ALPHA, BASELINE_WEEKS, find_alerts, is_surge, new_alerts, surge_p_value
from recruitwatch.analysis.incidents import update_incidents
from recruitwatch.models import Document, Event
from recruitwatch.store import Store

MONDAY = date(2023, 9, 4)


def test_planted_surge_is_alerted_and_flat_series_is_not() -> None:
    assert is_surge(12, [2, 1, 3, 2, 2, 1, 2, 3])
    assert not is_surge(3, [3, 3, 3, 3, 3, 3, 3, 3])
    assert not is_surge(2, [2, 2, 2, 2, 2, 2, 2, 2])


def test_a_first_event_after_silence_is_not_a_surge() -> None:
    # After eight empty weeks, 2 has p = (1/9)**2 and 1 has p = 1/9; below MIN_COUNT neither is
    # a surge, whatever alpha.
    assert surge_p_value(2, [0] * 8) == pytest.approx(1 / 81)
    assert not is_surge(1, [0] * 8, alpha=0.5)
    assert not is_surge(2, [0] * 8, alpha=0.5)
    assert not is_surge(1, [0] * 8)
    assert not is_surge(2, [0] * 8)
    assert is_surge(5, [0] * 8)


def test_p_value_is_the_binomial_tail() -> None:
    # x = 3, baseline one week of 1: T = 4, p = 1/2; P(X >= 3) = (4 + 1) / 16.
    assert surge_p_value(3, [1]) == pytest.approx(5 / 16)
    assert surge_p_value(0, [4, 5]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        surge_p_value(3, [])


@pytest.mark.parametrize("rate", [0.5, 3.0, 12.0])
def test_false_alarm_rate_on_simulated_poisson_series(rate: float) -> None:
    # 2,000 seeded series with no change in rate: at most ALPHA of them may alert, plus three
    # standard errors of a proportion over 2,000 draws.
    rng = np.random.default_rng(20231127)
    series = rng.poisson(rate, size=(2000, BASELINE_WEEKS + 1))
    alarms = sum(is_surge(int(row[-1]), [int(c) for c in row[:-1]]) for row in series)
    tolerance = 3 * (ALPHA * (1 - ALPHA) / 2000) ** 0.5
    assert alarms / 2000 <= ALPHA + tolerance


def test_power_against_a_tripled_rate() -> None:
    # Not a promise of the test, a check it is not vacuous: a week at three times the rate of 4
    # is caught most of the time.
    rng = np.random.default_rng(7)
    base = rng.poisson(4.0, size=(500, BASELINE_WEEKS))
    surge = rng.poisson(12.0, size=500)
    caught = sum(is_surge(int(x), [int(c) for c in row]) for x, row in zip(surge, base, strict=True))
    assert caught / 500 > 0.6


def _weekly_detentions(store: Store, per_week: list[int], region: str = "RU-KR", start: date = MONDAY) -> None:
    """One document per week with `n` detentions on its Wednesday (a document's own events are
    never one incident; a week apart, other weeks' are not either), then the incidents."""
    with store.engine.begin() as conn:
        for w, n in enumerate(per_week):
            text = f"Неделя {w}. " + "Задержан гражданин. " * max(n, 1)
            day = start + timedelta(weeks=w, days=2)
            events = [Event("detention", "Задержан гражданин.", (10 + 20 * i, 29 + 20 * i), date_start=day,
                            date_end=day, date_precision="day", regions=[region], count=1) for i in range(n)]
            store.save(conn, Document(origin=f"week-{region}-{w}.txt", text=text), text.encode(), events)
    update_incidents(store)


def test_alerts_from_the_store_with_their_events(store: Store) -> None:
    _weekly_detentions(store, [1, 2, 1, 0, 2, 1, 1, 2, 1, 9, 2])
    _weekly_detentions(store, [2] * 11, region="RU-MUR")  # flat: never alerted
    with store.engine.connect() as conn:
        found = find_alerts(conn)
    assert [(a.week, a.region, a.event_type, a.count) for a in found] == [
        (MONDAY + timedelta(weeks=9), "RU-KR", "detention", 9)]
    alert = found[0]
    assert alert.baseline == (2, 1, 0, 2, 1, 1, 2, 1)
    assert len(alert.event_ids) == 9
    with store.engine.connect() as conn:
        assert find_alerts(conn, since=MONDAY + timedelta(weeks=10)) == []
        assert find_alerts(conn, regions=["RU-MUR"]) == []


def test_only_new_alerts_are_reported_to_each_reader(store: Store) -> None:
    _weekly_detentions(store, [1, 0, 1, 1, 0, 1, 1, 0, 1, 8])
    first = new_alerts(store, consumer="watch")
    assert [a.count for a in first] == [8]
    assert new_alerts(store, consumer="watch") == []
    assert [a.key for a in new_alerts(store, consumer="cli")] == [first[0].key]  # another reader's state
    _weekly_detentions(store, [1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7], region="RU-LEN")
    later = new_alerts(store, consumer="watch")
    assert [(a.region, a.count) for a in later] == [("RU-LEN", 7)]


def test_bad_parameters_are_refused(store: Store) -> None:
    with store.engine.connect() as conn, pytest.raises(ValueError):
        alerts.find_alerts(conn, alpha=1.5)


def test_migration_0006_matches_the_schema(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from recruitwatch.store import schema

    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert [d for d in diffs if "alert_seen" in str(d)] == []
