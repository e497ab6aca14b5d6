"""The court collector against a local sudrf-style site served in Windows-1251."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from recruitwatch.sources.collect import (
    Captures,
    CourtCollector,
    CourtSearch,
    CourtSite,
    CrawlState,
    HttpSettings,
    PoliteClient,
    SiteChangedError,
    Stopped,
    border_courts,
)
from recruitwatch.sources.collect.courts import parse_results, search_url
from recruitwatch.sources.files import documents_from_bytes
from tests.sources.collect import court_site
from tests.sources.collect.fixture_server import FixtureServer, Reply

SEARCH = CourtSearch(("18.8", "18.10"), date(2026, 11, 1), date(2026, 11, 20))


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    s = FixtureServer(court_site.route)
    yield s
    s.close()


def _site(server: FixtureServer) -> CourtSite:
    return CourtSite("Выборгский городской суд Ленинградской области", server.url, "RU-LEN")


def _client(state: CrawlState) -> PoliteClient:
    return PoliteClient(HttpSettings(rate_per_host=0, backoff=0.01), state)


def _op(target: str) -> str:
    return parse_qs(urlsplit(target).query).get("name_op", [""])[0]


def test_search_url_is_the_sites_own_form_in_windows_1251() -> None:
    url = search_url(CourtSite("X", "https://vyborgsky--lo.sudrf.ru"), CourtSearch(("18.8 ч.1.1",), date(2026, 1, 2)))
    assert url.startswith("https://vyborgsky--lo.sudrf.ru/modules.php?name=sud_delo&srv_num=1&name_op=r&delo_id=1500001")
    assert "delo_table=adm_case" in url
    assert "lawbookarticles%5B%5D=18.8%20%F7.1.1" in url  # "ч" is F7 in Windows-1251
    assert "adm_case__RESULT_DATE1D=02.01.2026" in url
    assert url.endswith("Submit=%CD%E0%E9%F2%E8")  # "Найти"


def test_crawl_follows_result_pages_to_cards_and_decision_texts(server: FixtureServer, tmp_path: Path) -> None:
    state = CrawlState.in_home(tmp_path)
    with _client(state) as client, Captures(tmp_path, "courts") as captures:
        result = CourtCollector([_site(server)], SEARCH).collect(client, state, captures)
        assert result.errors == []
        assert server.count(lambda t: _op(t) == "r") == 3  # all three result pages
        assert server.count(lambda t: _op(t) == "case") == 5
        # 401, 402, 405 linked (405 from its result row and its card: asked for once), 403 inline
        assert server.count(lambda t: _op(t) == "doc") == 3
        assert result.decisions == 4
        origins = sorted(s.origin for s in captures.sources)
        assert len(origins) == 4 and all(o.startswith(server.url + "/modules.php?") for o in origins)
        docs = [doc for s in captures.sources for doc in documents_from_bytes(s.path.read_bytes(), s.origin)]
    assert len(docs) == 4 and all(doc.encoding == "cp1251" for doc in docs)
    assert all("18.8" in doc.text and "У С Т А Н О В И Л" in doc.text for doc in docs)
    carded = [doc for doc in docs if doc.case and doc.case.article]  # the inline text came with its card
    assert len(carded) == 1 and "5-403/2026" in carded[0].text and carded[0].case.region == "RU-LEN"
    state.close()


def test_resumed_crawl_fetches_nothing_twice(server: FixtureServer, tmp_path: Path) -> None:
    state = CrawlState.in_home(tmp_path)
    collector = CourtCollector([_site(server)], SEARCH)
    with _client(state) as client, Captures(tmp_path, "courts") as captures:
        with pytest.raises(Stopped):  # stopped after five requests, halfway through
            collector.collect(client, state, captures, stop=lambda: client.requests >= 5)
    state.close()
    state = CrawlState.in_home(tmp_path)  # a new process: only the state file carries over
    with _client(state) as client, Captures(tmp_path, "courts") as captures:
        result = collector.collect(client, state, captures)
    assert result.errors == []
    asked = {t: n for t, n in server.requests.items() if t != "/robots.txt"}
    assert len(asked) == 3 + 5 + 3
    assert set(asked.values()) == {1}, f"asked more than once: {[t for t, n in asked.items() if n > 1]}"
    # The next crawl of the same search: result pages and cards conditionally (304), texts never.
    with _client(state) as client, Captures(tmp_path, "courts") as captures:
        again = collector.collect(client, state, captures)
    assert server.count(lambda t: _op(t) == "doc") == 3
    assert again.decisions == 0 and again.fetched == 0
    assert again.not_modified == 1 + 1  # the first result page (unchanged: its links are not needed) and
    # the card whose text was not out yet, kept for later crawls
    assert ("/modules.php?name=sud_delo&srv_num=1&name_op=case&case_id=404&case_uid=0f3a-404&delo_id=1500001",
            304) in server.statuses
    state.close()


def test_a_changed_site_is_reported_with_its_url(server: FixtureServer, tmp_path: Path) -> None:
    site = _site(server)
    server.fail(urlsplit(search_url(site, SEARCH))._replace(scheme="", netloc="").geturl(),
                Reply("<html><body><div>Сайт на реконструкции</div></body></html>".encode("cp1251")))
    state = CrawlState.in_home(tmp_path)
    with _client(state) as client, Captures(tmp_path, "courts") as captures:
        result = CourtCollector([site], SEARCH).collect(client, state, captures)
    assert len(result.errors) == 1
    assert "changed site: expected markup missing" in result.errors[0] and server.url in result.errors[0]
    state.close()


def test_nothing_found_is_an_empty_result_not_a_change() -> None:
    page = parse_results('<html><body><div id="error">Данных по запросу не обнаружено</div></body></html>'
                         .encode("cp1251"), "https://x.sudrf.ru/modules.php?name=sud_delo")
    assert page.empty and page.cards == []
    with pytest.raises(SiteChangedError):
        parse_results(b"<html><body><p>hello</p></body></html>", "https://x.sudrf.ru/modules.php")


def test_border_regions_are_configured_out_of_the_box() -> None:
    courts = border_courts()
    assert {c.region for c in courts} == {"RU-KR", "RU-LEN", "RU-SPE", "RU-MUR", "RU-PSK", "RU-ARK"}
    assert all(urlsplit(c.url).netloc.endswith(".sudrf.ru") for c in courts)
    assert all(c.verified in ("seen", "dotted", "no") for c in courts)
    checked = border_courts(include_unverified=False)
    assert checked and all(c.verified != "no" for c in checked)


def test_bad_article_is_refused() -> None:
    with pytest.raises(ValueError, match="not a KoAP article"):
        CourtSearch(("ст 18.8",))


def test_the_newer_sud_delo_form_is_read_too() -> None:
    site = CourtSite("X", "https://bezhecky--twr.sudrf.ru", kind="sudrf2")
    url = search_url(site, SEARCH)
    assert "name_op=r&name=sud_delo" in url and "_deloId=1500001" in url
    assert "parts__law_articless=%CA%EE%C0%CF%3A%20%F1%F2.%2018.8" in url  # "КоАП: ст. 18.8" in Windows-1251
    results = ('<html><body><table class="none-mobile"><tr><td><a class="open-lawcase" '
               'href="/modules.php?name=sud_delo&amp;name_op=case&amp;_id=77&amp;_deloId=1500001">5-77/2026</a>'
               '</td></tr></table><ul class="pagination"><li><a href="/modules.php?name_op=r&amp;_page=2">2</a>'
               "</li></ul></body></html>").encode("cp1251")
    page = parse_results(results, url)
    assert page.cards == ["https://bezhecky--twr.sudrf.ru/modules.php?name=sud_delo&name_op=case&_id=77"
                          "&_deloId=1500001"]
    assert page.pages == {2}
    from recruitwatch.sources.collect.courts import page_url, parse_card

    assert page_url(url, site, 2) == url + "&_page=2"
    card = ('<html><body><div class="case-num">дело № 5-77/2026</div><div id="tab_content_Case"><table>'
            "<tr><td>Дата поступления</td><td>01.11.2026</td></tr></table></div>"
            f'<div id="tab_content_Document1">{court_site.decision_text(401)}</div></body></html>').encode("cp1251")
    assert parse_card(card, page.cards[0]).holds_text
