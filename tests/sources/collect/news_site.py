"""A hand-written news outlet for the collection tests: an RSS feed and its article pages."""

from __future__ import annotations

from tests.sources.collect.fixture_server import Reply

ARTICLE = """<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>{title}</title></head>
<body><!-- recruitwatch synthetic fixture, not a real article --><article><h1>{title}</h1>
<p>{n} ноября 2026 года в Выборге задержали {n} мигрантов из Узбекистана и Таджикистана. По словам
родственников, в отделе полиции им предложили подписать контракт с Министерством обороны вместо
выдворения. Суд назначил штрафы по части 1.1 статьи 18.8 КоАП.</p>
<p>Правозащитники говорят, что это уже не первый такой случай в Ленинградской области.</p></article></body></html>
"""


class OutletSite:
    """An outlet's RSS feed and its articles; `items` is what the feed lists now."""

    def __init__(self) -> None:
        self.items = [1, 2]
        self.base = ""  # the server's URL, for the feed's links

    def route(self, target: str) -> Reply | None:
        if target == "/robots.txt":
            return Reply(b"User-agent: *\nAllow: /\n", "text/plain")
        if target == "/rss":
            return Reply(self.feed(), "application/rss+xml; charset=utf-8")
        if target.startswith("/news/"):
            n = int(target.rsplit("/", 1)[1])
            return Reply(ARTICLE.format(title=f"Задержания в Выборге, часть {n}", n=n).encode(),
                         "text/html; charset=utf-8")
        return None

    def feed(self) -> bytes:
        items = "".join(f"<item><title>Задержания в Выборге, часть {n}</title><link>{{base}}/news/{n}</link>"
                        f"<description>Часть {n}</description><pubDate>Mon, 0{n} Nov 2026 10:00:00 +0300</pubDate>"
                        "</item>" for n in self.items)
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Outlet</title>'
                f"{items}</channel></rss>").replace("{base}", self.base).encode()
