"""A local HTTP server for the collection tests: serves pages from a routing function, answers
conditional requests by ETag, can be told to fail a path a few times, and counts every request."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    body: bytes
    content_type: str = "text/html; charset=windows-1251"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


Route = Callable[[str], Reply | None]  # the request's path with its query -> a reply, None for 404


class FixtureServer:
    def __init__(self, route: Route) -> None:
        self.route = route
        self.requests: Counter[str] = Counter()  # path?query -> times asked
        self.statuses: list[tuple[str, int]] = []
        self.request_headers: list[tuple[str, dict[str, str]]] = []
        self.failures: dict[str, list[Reply]] = {}  # path?query -> replies to give before the real one
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                server._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def fail(self, target: str, *replies: Reply) -> None:
        """Answer `target` with `replies` first, one per request, then normally."""
        self.failures[target] = list(replies)

    def count(self, predicate: Callable[[str], bool] = lambda target: True) -> int:
        return sum(n for target, n in self.requests.items() if predicate(target))

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        target = handler.path
        with self.lock:
            self.requests[target] += 1
            self.request_headers.append((target, dict(handler.headers.items())))
            queued = self.failures.get(target)
            reply = queued.pop(0) if queued else None
        if reply is None:
            reply = self.route(target) or Reply(b"<html><body>not found</body></html>", status=404)
        etag = '"' + hashlib.sha1(reply.body).hexdigest() + '"'
        if reply.status == 200 and handler.headers.get("If-None-Match") == etag:
            self._send(handler, target, 304, b"", {"ETag": etag})
            return
        headers = {"Content-Type": reply.content_type, **reply.headers}
        if reply.status == 200:
            headers["ETag"] = etag
        self._send(handler, target, reply.status, reply.body, headers)

    def _send(self, handler: BaseHTTPRequestHandler, target: str, status: int, body: bytes,
              headers: dict[str, str]) -> None:
        with self.lock:
            self.statuses.append((target, status))
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
