"""Collection: pages per second of a court crawl against a local sudrf-style site, rate limit off.

    bench/run collect                    # 20 result pages of 20 cases: 820 pages
    .venv/bin/python bench/collect.py --pages 50 --per-page 20

The site is served by a forked process (http.server, threaded) on 127.0.0.1 in Windows-1251,
in the classic sud_delo markup: result pages, a case card per case, a decision text per card.
The crawl is the real one (recruitwatch.sources.collect): polite client with the rate limit off
(robots.txt still read), crawl state in SQLite, every exchange written to a gzipped WARC file,
decision texts queued for the pipeline. The pipeline itself is not timed here (see `court`).
Then the same crawl again: what a resumed watch round costs when nothing changed (304s).
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import tempfile
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import arg, metric  # noqa: E402

_TEXT = ("<p>Судья районного суда, рассмотрев дело об административном правонарушении, предусмотренном "
         "ч. 1.1 ст. 18.8 КоАП РФ, в отношении гражданина Республики Узбекистан, установил:</p>"
         + "<p>Гражданин нарушил режим пребывания в Российской Федерации, уклонившись от выезда.</p>" * 30
         + "<p>постановил: назначить наказание в виде административного штрафа в размере 2000 рублей.</p>")


def _page(body: str) -> bytes:
    return ('<!DOCTYPE HTML><html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
            f"<title>Районный суд</title></head><body><div id='content'>{body}</div></body></html>").encode("cp1251")


def _reply(target: str, pages: int, per_page: int) -> bytes | None:
    parts = urlsplit(target)
    if parts.path == "/robots.txt":
        return b"User-agent: *\nAllow: /\n"
    query = parse_qs(parts.query, encoding="cp1251")
    op = query.get("name_op", [""])[0]
    if op == "r":
        n = int(query.get("page", ["1"])[0])
        rows = "".join(f'<tr><td><a href="/modules.php?name=sud_delo&amp;srv_num=1&amp;name_op=case&amp;case_id={c}'
                       f'&amp;delo_id=1500001">5-{c}/2026</a></td><td>ст. 18.8 ч.1.1 КоАП РФ</td></tr>'
                       for c in range((n - 1) * per_page, n * per_page))
        links = "".join(f'<a href="/modules.php?{parts.query.split("&page=")[0]}&amp;page={p}">{p}</a> '
                        for p in range(1, pages + 1))
        return _page(f'<table id="tablcont">{rows}</table><div>{links}</div>')
    if op == "case":
        c = query["case_id"][0]
        return _page(f'<div class="casenumber">ДЕЛО № 5-{c}/2026</div><ul class="tabs"><li id="tab1">ДЕЛО</li></ul>'
                     f'<div id="cont1"><table><tr><th><a href="/modules.php?name=sud_delo&amp;srv_num=1&amp;'
                     f'name_op=doc&amp;number={c}&amp;delo_id=1500001&amp;new=0&amp;text_number=1">Постановление'
                     "</a></th></tr></table></div>")
    if op == "doc":
        return _page(f"<span>Дело № 5-{query['number'][0]}/2026{_TEXT}</span>")
    return None


def serve(pages: int, per_page: int, port_queue: mp.Queue) -> None:
    import hashlib

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK wait

        def do_GET(self) -> None:  # noqa: N802
            body = _reply(self.path, pages, per_page)
            status = 200 if body is not None else 404
            body = body if body is not None else b"not found"
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                status, body = 304, b""
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=windows-1251")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_queue.put(httpd.server_address[1])
    httpd.serve_forever()


def crawl(base: str, home: Path) -> tuple[int, int, float]:
    from recruitwatch.sources.collect import (
        Captures,
        CourtCollector,
        CourtSearch,
        CourtSite,
        CrawlState,
        HttpSettings,
        PoliteClient,
    )

    state = CrawlState.in_home(home)
    search = CourtSearch(("18.8",), date(2026, 1, 1), date(2026, 11, 20))
    started = time.perf_counter()
    with PoliteClient(HttpSettings(rate_per_host=0), state) as client, Captures(home, "courts") as captures:
        result = CourtCollector([CourtSite("Районный суд", base)], search).collect(client, state, captures)
    took = time.perf_counter() - started
    state.close()
    if result.errors:
        raise SystemExit(f"bench/collect: crawl failed: {result.errors[:3]}")
    return result.fetched, result.not_modified + result.skipped, took


def main() -> None:
    pages, per_page = arg("pages", 20), arg("per-page", 20)
    port_queue: mp.Queue = mp.Queue()
    server = mp.get_context("fork").Process(target=serve, args=(pages, per_page, port_queue), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{port_queue.get(timeout=30)}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            fetched, _, took = crawl(base, Path(tmp))
            expected = pages + 2 * pages * per_page
            if fetched != expected:
                raise SystemExit(f"bench/collect: fetched {fetched} pages, expected {expected}")
            print(f"# {fetched} pages (result pages, cards, texts) in {took:.2f} s", file=sys.stderr)
            metric("collect_pages_per_s", fetched / took, "pages/s")
            _, unchanged, again = crawl(base, Path(tmp))
            print(f"# the same crawl again: {unchanged} pages not fetched (304 or known) in {again:.2f} s",
                  file=sys.stderr)
            metric("collect_recrawl_s", again, "s")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
