"""The dashboard's surge alerts: a panel on the overview and the alerts page, each alert opening
onto its events; monitoring changes marked for the weekly chart and named on the alert."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from recruitwatch.analysis.incidents import update_incidents
from recruitwatch.models import Document, Event
from recruitwatch.store import Store
from recruitwatch.store import schema as s
from tests.api.conftest import Server

MONDAY = date(2023, 9, 4)
SURGE_WEEK = MONDAY + timedelta(weeks=9)


def _plant_surge(store: Store) -> None:
    """Weekly detentions in Karelia, 1 or 2 a week, then 9; and a channel added to monitoring
    in the week of the surge."""
    with store.engine.begin() as conn:
        for w, n in enumerate([1, 2, 1, 1, 2, 1, 1, 2, 1, 9]):
            text = f"Неделя {w}. " + "Задержан гражданин. " * n
            day = MONDAY + timedelta(weeks=w, days=2)  # Wednesdays: a week apart, never one incident
            events = [Event("detention", "Задержан гражданин.", (10 + 20 * i, 29 + 20 * i), date_start=day,
                            date_end=day, date_precision="day", regions=["RU-KR"], count=1) for i in range(n)]
            store.save(conn, Document(origin=f"week-{w}.txt", text=text), text.encode(), events)
        source_id = conn.execute(s.sources.insert().returning(s.sources.c.id), {
            "key": "telegram:test_channel", "name": "Test channel", "kind": "social_account",
            "created_at": datetime.now(UTC)}).scalar_one()
        conn.execute(s.source_monitoring.insert(), {"source_id": source_id, "start": SURGE_WEEK + timedelta(days=1),
                                                    "automatic": False})
    update_incidents(store)


def test_overview_panel_and_alerts_page_open_onto_the_events(store: Store) -> None:
    server = Server(store)
    client = server.client()
    assert "No week stands out" in client.get("/").text
    _plant_surge(store)  # the dashboard's alerts follow new data (they are kept per data version)
    overview = client.get("/").text
    panel = overview[overview.index('id="alerts-panel"'):]
    link = re.search(r'<a href="(/events\?[^"]+)">9</a>', panel)
    assert link, panel[:2000]
    params = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert params == {"week": [SURGE_WEEK.isoformat()], "region": ["RU-KR"], "type": ["detention"]}
    events = client.get("/api/events", params={**params, "per_page": 50}).json()
    assert events["total"] == 9
    assert "Test channel: monitoring starts" in panel
    marks = json.loads(re.search(r'id="monitoring-data">(.*?)</script>', overview).group(1))
    assert {"date": (SURGE_WEEK + timedelta(days=1)).isoformat(), "week": SURGE_WEEK.isoformat(),
            "source": "Test channel", "change": "start"} in marks

    page = client.get("/alerts").text
    assert "p ≤ 0.01" in page
    linked = {int(i) for i in re.findall(r'<a href="/events/(\d+)">#\d+</a>', page)}
    assert linked == {e["id"] for e in events["items"]}
    assert client.get("/alerts", params={"region": "RU-MUR"}).text.count("<tr><td><a href") == 0


def test_overview_says_when_nothing_stands_out(server: Server) -> None:
    page = server.client().get("/").text
    assert "No week stands out against its own past (false-alarm rate 0.01)" in page
    assert '<a href="/alerts">Alerts</a>' in page


def test_cases_page_shows_the_funnel_and_linked_cases(server: Server) -> None:
    client = server.client()
    page = client.get("/cases").text
    # The seeded news page follows 12 people detained in Pechenga to the recruiters' approach.
    funnel = page[page.index('id="funnel"'):page.index("</table>", page.index('id="funnel"'))]
    assert "<tr><td>detention</td><td>2</td><td>13</td></tr>" in funnel
    assert "<tr><td>recruitment_approach</td><td>1</td><td>0</td></tr>" in funnel
    assert "detention → recruitment_approach" in page and "RU-MUR" in page
    assert f'<a href="/events/{server.event_ids["news:recruitment_approach"]}">' in page
    elsewhere = client.get("/cases", params={"region": "RU-KR"}).text
    assert "No case goes past one stage here." in elsewhere
