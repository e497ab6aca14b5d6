"""recruitwatch.watch: collector rounds through the whole pipeline, on a schedule, stopped cleanly."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from recruitwatch.sources.collect import CollectConfig, CourtSite, HttpSettings, Outlet
from recruitwatch.sources.collect.config import CourtsConfig
from recruitwatch.store import Store, schema
from recruitwatch.store.verify import verify_store
from recruitwatch.watch import RoundResult, StopSignal, run_round, watch
from tests.sources.collect import court_site
from tests.sources.collect.fixture_server import FixtureServer
from tests.sources.collect.news_site import OutletSite


@pytest.fixture
def sites() -> Iterator[tuple[FixtureServer, FixtureServer, OutletSite]]:
    court = FixtureServer(court_site.route)
    outlet = OutletSite()
    news = FixtureServer(outlet.route)
    outlet.base = news.url
    yield court, news, outlet
    court.close()
    news.close()


def _config(court: FixtureServer, news: FixtureServer) -> CollectConfig:
    courts = CourtsConfig(sites=[CourtSite("Выборгский городской суд Ленинградской области", court.url, "RU-LEN")],
                          articles=("18.8", "18.10"), date_from=date(2026, 11, 1), date_to=date(2026, 11, 20))
    return CollectConfig(http=HttpSettings(rate_per_host=0), courts=courts,
                         outlets=[Outlet("Outlet", news.url + "/rss")], interval=0.2)


def test_a_round_sends_every_capture_through_the_pipeline(store: Store, sites: tuple) -> None:
    court, news, _ = sites
    result = run_round(_config(court, news), store)
    assert result.errors == [] and result.failures == [] and not result.stopped
    assert result.files == 4 + 2 and result.new_documents == 6 and result.events > 0
    with store.engine.connect() as conn:
        origins = sorted(conn.execute(select(schema.documents.c.origin)).scalars())
    assert origins == sorted([*(f"{court.url}/modules.php?name=sud_delo&srv_num=1&name_op=doc&number={n}"
                                f"&delo_id=1500001&new=0&text_number=1" for n in (401, 402, 405)),
                              f"{court.url}/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id=403"
                              "&case_uid=0f3a-403&delo_id=1500001",
                              f"{news.url}/news/1", f"{news.url}/news/2"])
    # The WARC files are in the home and in the custody log; the store verifies clean.
    assert len(result.warcs) == 2 and all(p.is_file() and store.home in p.parents for p in result.warcs)
    logged = [e for e in store.custody.entries() if "warc" in e["details"]]
    assert sorted(e["details"]["warc"] for e in logged) == sorted(str(p.relative_to(store.home)) for p in result.warcs)
    assert verify_store(store).clean
    again = run_round(_config(court, news), store)
    assert again.new_documents == 0 and again.files == 0 and again.errors == []
    assert court.count(lambda t: "name_op=doc" in t) == 3


def test_watch_runs_rounds_until_stopped(tmp_path: Path, sites: tuple) -> None:
    court, news, outlet = sites
    rounds: list[RoundResult] = []
    stop = StopSignal()

    def on_round(result: RoundResult) -> None:
        rounds.append(result)
        if len(rounds) == 1:
            outlet.items = [3, 1, 2]
        else:
            stop.set()

    with Store(tmp_path / "home") as store:
        n = watch(_config(court, news), store, interval=0.05, on_round=on_round, stop=stop)
    assert n == 2 and [r.new_documents for r in rounds] == [6, 1]


def test_watch_once_runs_one_round(tmp_path: Path, sites: tuple) -> None:
    court, news, _ = sites
    with Store(tmp_path / "home") as store:
        assert watch(_config(court, news), store, once=True, only=("feeds",)) == 1
    assert court.count() == 0 and news.requests["/rss"] == 1


def test_sigterm_stops_watch_between_rounds(tmp_path: Path, sites: tuple) -> None:
    court, news, _ = sites
    before = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM))
    try:
        with Store(tmp_path / "home") as store, StopSignal().installed() as stop:
            started = time.monotonic()
            timer.start()
            rounds = watch(_config(court, news), store, interval=3600, stop=stop, only=("feeds",))
            took = time.monotonic() - started
    finally:
        timer.cancel()
    assert stop() and rounds == 1 and took < 30  # woke from the hour's wait at once
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is put back


def test_a_stop_mid_round_keeps_what_was_captured(tmp_path: Path, sites: tuple) -> None:
    court, news, _ = sites

    class StopAfterTexts(StopSignal):
        def __call__(self) -> bool:  # stop once two decision texts have been fetched
            return court.count(lambda t: "name_op=doc" in t) >= 2

    with Store(tmp_path / "home") as store:
        first = run_round(_config(court, news), store, StopAfterTexts())
        # two texts and the card that shows its text inline were captured before the stop
        assert first.stopped and first.new_documents == 3 and "feeds" not in first.collected
        rest = run_round(_config(court, news), store)
    assert rest.new_documents == 1 + 2  # the court's remaining text, then the feed's two
    assert court.count(lambda t: "name_op=doc" in t) == 3


def test_collect_and_watch_commands(tmp_path: Path, sites: tuple) -> None:
    from typer.testing import CliRunner

    from recruitwatch.cli import app

    court, news, _ = sites
    config = tmp_path / "collect.toml"
    config.write_text(f"""
[http]
rate_per_host = 0
[courts]
border_regions = false
articles = ["18.8", "18.10"]
date_from = 2026-11-01
date_to = 2026-11-20
[[courts.site]]
name = "Выборгский городской суд Ленинградской области"
url = "{court.url}"
region = "RU-LEN"
[[feeds]]
url = "{news.url}/rss"
""", "utf-8")
    home = ["--home", str(tmp_path / "home")]
    runner = CliRunner()
    first = runner.invoke(app, [*home, "collect", "--config", str(config)])
    assert first.exit_code == 0, first.output
    assert "6 captures, 6 new documents" in first.output and "0 errors" in first.output
    again = runner.invoke(app, [*home, "watch", "--once", "--config", str(config)])
    assert again.exit_code == 0, again.output
    assert "0 new documents" in again.output and "stopped after 1 round" in again.output
    bad = runner.invoke(app, [*home, "collect", "--only", "faxes", "--config", str(config)])
    assert bad.exit_code == 2
    missing = runner.invoke(app, [*home, "collect", "--config", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_captures_of_a_killed_run_are_ingested_by_the_next(tmp_path: Path, sites: tuple) -> None:
    from recruitwatch.sources.collect import Captures, CollectConfig, CrawlState, PoliteClient
    from recruitwatch.sources.collect.config import CourtsConfig as Courts
    from recruitwatch.sources.collect.pages import capture_page

    _, news, _ = sites
    home = tmp_path / "home"
    state = CrawlState.in_home(home)
    with PoliteClient(HttpSettings(rate_per_host=0), state) as client:
        captures = Captures(home, "pages")
        assert capture_page(client, state, captures, news.url + "/news/4")
        captures.close(ingested=False)  # the process died here, before its ingest
    state.close()
    assert len(Captures.leftovers(home)) == 1
    with Store(home) as store:
        result = run_round(CollectConfig(courts=Courts(enabled=False)), store)
        with store.engine.connect() as conn:
            origins = list(conn.execute(select(schema.documents.c.origin)).scalars())
    assert result.new_documents == 1 and origins == [news.url + "/news/4"]
    assert Captures.leftovers(home) == [] and news.requests["/news/4"] == 1
