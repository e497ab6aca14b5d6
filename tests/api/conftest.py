"""A server on a seeded store (each backend) and clients acting as each role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from recruitwatch.api import Settings, auth, create_app
from recruitwatch.models import CourtCase, Document, Event
from recruitwatch.store import Store

ROLES = ("viewer", "analyst", "admin")
PASSWORD = "correct horse battery"
COURT_TEXT = ("Петрозаводский городской суд Республики Карелия. Судья Петров П.П., рассмотрев дело "
              "в отношении гражданина Сомали Абдуллахи М.А., установил: Абдуллахи М.А. задержан 20 ноября 2023 "
              "года в Петрозаводске и подвергнут административному штрафу в размере 2000 рублей "
              "с принудительным выдворением.")
NEWS_TEXT = ("Migrants detained in Pechenga. <script>alert('xss')</script> Police detained 12 migrants at a market "
             "in Pechenga on 27 November 2023; recruiters approached them to sign army contracts.")


@dataclass
class Seeded:
    court_doc: int
    news_doc: int


def seed(store: Store) -> Seeded:
    """Two documents: a court decision naming people, and a news page carrying a script tag."""
    court = Document(origin="court/5-1.html", text=COURT_TEXT, title="Дело 5-1/2023 Абдуллахи М.А.",
                     published=date(2023, 11, 21),
                     case=CourtCase(case_number="5-1/2023", court="Петрозаводский городской суд", region="RU-KR",
                                    judge="Петров П.П.", article="18.8", citizenship=["SO"]))
    q = COURT_TEXT.index("Абдуллахи М.А. задержан")
    span = (q, COURT_TEXT.index("выдворением.") + len("выдворением."))
    day = {"date_start": date(2023, 11, 20), "date_end": date(2023, 11, 20), "date_precision": "day", "country": "RU"}
    court_events = [
        Event("detention", COURT_TEXT[span[0]:span[1]], span, regions=["RU-KR"], nationalities=["SO"], count=1,
              place="Petrozavodsk", lat=61.78, lon=34.35, geo_precision="settlement", actors=["police"], **day),
        Event("fine", COURT_TEXT[span[0]:span[1]], span, regions=["RU-KR"], nationalities=["SO"], count=1,
              fine_rub=2000, actors=["court"], **day),
        Event("expulsion_order", COURT_TEXT[span[0]:span[1]], span, regions=["RU-KR"], nationalities=["SO"],
              count=1, actors=["court"], **day)]
    news = Document(origin="news/pechenga.html", text=NEWS_TEXT, title="Raid <b>in</b> Pechenga",
                    published=date(2023, 11, 28), media_type="text/html")
    n = NEWS_TEXT.index("Police detained")
    nspan = (n, len(NEWS_TEXT))
    nday = {"date_start": date(2023, 11, 27), "date_end": date(2023, 11, 27), "date_precision": "day", "country": "RU"}
    news_events = [
        Event("detention", NEWS_TEXT[n:], nspan, regions=["RU-MUR"], count=12, count_text="12", place="Pechenga",
              lat=69.55, lon=31.2, actors=["police"], **nday),
        Event("recruitment_approach", NEWS_TEXT[n:], nspan, regions=["RU-MUR"], actors=["military_recruiters"], **nday)]
    with store.engine.begin() as conn:
        court_id = store.save(conn, court, COURT_TEXT.encode(), court_events).id
        news_id = store.save(conn, news, NEWS_TEXT.encode(), news_events).id
    return Seeded(court_id, news_id)


class Server:
    """The app on one store, with users of each role and a way to get a client acting as one."""

    def __init__(self, store: Store, require_login: bool = False, node_modules: Path | None = None) -> None:
        self.store = store
        self.seeded = seed(store)
        settings = Settings(secret_key="test-secret", require_login=require_login)
        if node_modules is not None:
            settings.node_modules = node_modules
        self.app = create_app(store, settings)
        self.tokens: dict[str, str] = {}
        with store.engine.begin() as conn:
            for role in ROLES:
                uid = auth.create_user(conn, role, PASSWORD, role)
                self.tokens[role] = auth.create_token(conn, uid, "tests")
        self.event_ids = self._event_ids()

    def _event_ids(self) -> dict[str, int]:
        with TestClient(self.app) as anon:
            items = anon.get("/api/events", params={"per_page": 100},
                             headers=self.bearer("admin")).json()["items"]
        return {f"{e['document_id'] == self.seeded.court_doc and 'court' or 'news'}:{e['event_type']}": e["id"]
                for e in items}

    def bearer(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def client(self, role: str | None = None) -> TestClient:
        """A browser-like client: logged in through the login form when a role is given."""
        client = TestClient(self.app, follow_redirects=False)
        if role is not None:
            page = client.get("/login")
            response = client.post("/login", data={"username": role, "password": PASSWORD,
                                                   "csrf_token": csrf_of(page.text), "next": "/"})
            assert response.status_code == 303, response.text
        return client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


@pytest.fixture
def server(store: Store) -> Server:
    return Server(store)


@pytest.fixture
def make_server(store: Store) -> Callable[..., Server]:
    return lambda **kw: Server(store, **kw)


@pytest.fixture
def clients(server: Server) -> Iterator[dict[str | None, TestClient]]:
    made = {role: server.client(role) for role in (None, *ROLES)}
    yield made
    for c in made.values():
        c.close()
