"""The dashboard in a real browser: Debian's chromium driven by Playwright, against a server
started here on a seeded store. Screenshots go to out/screenshots/ (the test artifacts).
Skipped, saying why, when chromium or Playwright is absent."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recruitwatch.api import Settings, auth, create_app
from recruitwatch.store import Store
from tests.api.conftest import PASSWORD, seed

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    import uvicorn

    store = Store(tmp_path_factory.mktemp("browser") / "home")
    seeded = seed(store)
    with store.engine.begin() as conn:
        for role in ("viewer", "analyst"):
            auth.create_user(conn, role, PASSWORD, role)
    app = create_app(store, Settings(secret_key="browser-tests"))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "seeded": seeded, "vendor": app.state.vendor,
           "region_shapes": app.state.region_shapes}
    server.should_exit = True
    thread.join(10)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright for browser tests")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, site: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(base_url=site["url"])
    page = context.new_page()
    page.problems = []  # CSP violations and script errors: any is a failure
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _login(page: Any, role: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url("**/")


def test_overview_shows_chart_map_and_tables(page: Any, site: dict[str, Any]) -> None:
    if not site["vendor"]:
        pytest.skip(f"no chart libraries in {REPO / 'node_modules'} (run `npm install`)")
    page.goto("/")
    page.wait_for_selector("#chart svg .mark-rect path", timeout=15000)
    page.wait_for_selector("#map svg .mark-symbol path", timeout=15000)
    page.wait_for_selector("#map svg .mark-shape path", timeout=15000)  # the country outlines
    _shot(page, "overview")
    assert page.locator("#regions a").count() == 2
    # One bar per weekly figure (drawn from the page's compact data), as the figures table lists
    # them: every seeded event is dated.
    weekly_rows = page.locator("details table.figures tbody tr").count()
    assert page.locator("#chart svg .mark-rect path").count() == weekly_rows == 5
    assert page.problems == [], "\n".join(page.problems)


def test_a_click_on_a_chart_bar_lists_its_events(page: Any, site: dict[str, Any]) -> None:
    if not site["vendor"]:
        pytest.skip("no chart libraries (npm install)")
    page.goto("/")
    page.locator("#chart svg .mark-rect path").first.click()
    page.wait_for_url("**/events?*week=*")
    assert page.locator("table.events tbody tr").count() >= 1
    _shot(page, "chart-click")
    assert page.problems == [], "\n".join(page.problems)


def test_a_click_on_a_map_point_lists_the_events_there(page: Any, site: dict[str, Any]) -> None:
    if not site["vendor"]:
        pytest.skip("no chart libraries (npm install)")
    page.goto("/")
    page.locator("#map svg .mark-symbol path").first.click()
    page.wait_for_url("**/events?*place=*")
    places = set(page.locator("table.events tbody td:nth-child(5)").all_inner_texts())
    assert len(places) == 1 and places <= {"Petrozavodsk", "Pechenga"}
    _shot(page, "map-click")
    assert page.problems == [], "\n".join(page.problems)


def test_regions_are_shaded_and_a_click_on_one_lists_its_events(page: Any, site: dict[str, Any]) -> None:
    if not site["region_shapes"]:
        pytest.skip(f"no region shapes in {REPO / 'node_modules'} (run `npm install`)")
    page.goto("/")
    regions = page.locator("#map svg .regions_marks path")
    regions.first.wait_for(timeout=15000)
    assert regions.count() == 83
    karelia = page.locator('#map svg .regions_marks path[aria-label="RU-KR"]')
    fills = {p.get_attribute("fill") for p in regions.all()}
    assert len(fills) >= 3 and karelia.get_attribute("fill") != page.locator(
        '#map svg .regions_marks path[aria-label="RU-TOM"]').get_attribute("fill")
    # Chukotka crosses 180°: drawn in one piece at the east end of the map, not split to the far west.
    box = page.locator('#map svg .regions_marks path[aria-label="RU-CHU"]').bounding_box()
    magadan = page.locator('#map svg .regions_marks path[aria-label="RU-MAG"]').bounding_box()
    map_box = page.locator("#map svg").bounding_box()
    assert box["x"] > map_box["x"] + map_box["width"] / 2 and box["width"] < map_box["width"] / 4
    assert box["x"] + box["width"] > magadan["x"] + magadan["width"] + 10  # its part east of 180° is drawn
    _shot(page, "regions")
    karelia.click()
    page.wait_for_url("**/events?region=RU-KR")
    assert page.locator("table.events tbody tr").count() == 3
    assert page.problems == [], "\n".join(page.problems)


def test_a_click_on_a_region_filters_the_events(page: Any) -> None:
    page.goto("/")
    page.locator("#regions a").first.click()
    page.wait_for_url("**/events?region=*")
    rows = page.locator("table.events tbody tr")
    shown = int(page.locator(".pager").inner_text().split()[0])
    assert rows.count() == shown >= 1
    _shot(page, "region-click")


def test_analyst_corrects_an_event_and_sees_the_audit(page: Any, site: dict[str, Any]) -> None:
    _login(page, "analyst")
    page.goto("/events?type=fine")
    page.locator("table.events tbody tr a").first.click()
    page.wait_for_selector("#doctext mark#quote")
    page.click("#review summary")
    page.fill("#correct-form input[name=fine_rub]", "3000")
    page.fill("#correct-form input[name=reason]", "the decision says 3000")
    page.click("#correct")
    page.wait_for_selector("#audit table")
    assert "the decision says 3000" in page.locator("#audit").inner_text()
    assert "3000" in page.locator("#fields").inner_text()
    assert "corrected" in page.locator("h1").inner_text()
    _shot(page, "analyst-corrected")
    assert page.problems == [], "\n".join(page.problems)


def test_viewer_cannot_edit(page: Any) -> None:
    _login(page, "viewer")
    page.goto("/events")
    page.locator("table.events tbody tr a").first.click()
    page.wait_for_selector("#fields")
    assert page.locator("#review").count() == 0
    assert "[лицо-" in page.locator("#doctext").inner_text() or "Абдуллахи" not in page.content()
    _shot(page, "viewer-event")


def test_script_in_a_document_is_text_not_code(page: Any, site: dict[str, Any]) -> None:
    page.goto(f"/documents/{site['seeded'].news_doc}")
    assert "<script>alert('xss')</script>" in page.locator("#doctext").inner_text()
    assert page.problems == [], "\n".join(page.problems)

