"""Request-scoped helpers shared by the JSON API and the HTML pages: the database connection,
who is asking, what they may do, the CSRF check and the event filters from the query string."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Query, Request
from sqlalchemy.engine import Connection

from recruitwatch.api import auth
from recruitwatch.api.auth import User
from recruitwatch.api.core import Filters
from recruitwatch.api.names import pseudonymise

NAME_KEYS = frozenset({"quote", "title", "text", "before", "after", "judge", "snippet"})
# Ids are bounded by what the database's INTEGER holds (PostgreSQL's is 32-bit): a larger number
# is a 422 here, not an overflow inside the driver.
MAX_INT = 2**31 - 1
Id = Annotated[int, Path(ge=1, le=MAX_INT)]


def connection(request: Request) -> Iterator[Connection]:
    """The request's one database connection (FastAPI gives every dependency asking for it the
    same one), kept on request.state for `transaction`."""
    with request.app.state.store.engine.connect() as conn:
        request.state.conn = conn
        yield conn


@contextmanager
def transaction(request: Request) -> Iterator[Connection]:
    """A write transaction on the request's own connection, when it has one: a request holding a
    pooled connection and waiting for a second could, with enough of them at once, hold every
    connection of the pool while each waits for another."""
    conn = getattr(request.state, "conn", None)
    if conn is None:
        with request.app.state.store.engine.begin() as conn:
            yield conn
        return
    if conn.in_transaction():
        conn.commit()  # what was read so far was read only: its transaction ends here
    with conn.begin():
        yield conn


def current_user(request: Request, conn: Connection) -> User | None:
    """The user behind this request: a Bearer token, else the session cookie, else nobody.
    Asked on the request's own connection: a second one per request could leave every pooled
    connection held by requests each waiting for another, under load."""
    if hasattr(request.state, "user"):
        return request.state.user
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = auth.user_by_token(conn, header[7:].strip())
        if user is None:  # a wrong token is refused, not silently treated as anonymous
            raise HTTPException(401, "invalid or revoked API token", {"WWW-Authenticate": "Bearer"})
    else:
        token = request.app.state.sessions.load(request.cookies.get(auth.SESSION_COOKIE))
        user = (auth.user_by_session(conn, token, request.app.state.settings.session_max_age)
                if token is not None else None)
    conn.commit()  # ends the read (and keeps a session's last_seen, when it was due)
    request.state.user = user
    return user


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: run uvicorn with
    --proxy-headers so that this is the forwarded address)."""
    return request.client.host if request.client else "unknown"


def reader(request: Request, conn: Annotated[Connection, Depends(connection)]) -> User | None:
    user = current_user(request, conn)
    if user is None and request.app.state.settings.require_login:
        raise HTTPException(401, "this instance requires login for reading")
    return user


def role(needed: str) -> Any:
    def check(request: Request, conn: Annotated[Connection, Depends(connection)]) -> User:
        user = current_user(request, conn)
        if user is None:
            raise HTTPException(401, "log in first")
        if not user.has(needed):
            raise HTTPException(403, f"needs the {needed} role; you are {user.role}")
        return user
    return check


async def csrf(request: Request) -> None:
    """Refuse a state-changing request made with a cookie but without the page's CSRF token."""
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get("csrf_token")  # Starlette caches the form for the route
    if not request.app.state.sessions.csrf_ok(request.cookies.get(auth.CSRF_COOKIE), sent):
        raise HTTPException(403, "missing or wrong CSRF token")


Reader = Annotated[User | None, Depends(reader)]
Viewer = Annotated[User, Depends(role("viewer"))]
Analyst = Annotated[User, Depends(role("analyst"))]
Admin = Annotated[User, Depends(role("admin"))]
Conn = Annotated[Connection, Depends(connection)]
CSRF = Depends(csrf)


def event_filters(
    type: Annotated[list[str], Query(description="Event type (repeatable).")] = [],  # noqa: B006
    date_from: Annotated[date | None, Query(alias="from", description="Events up to this day or later.")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Events from this day or earlier.")] = None,
    region: Annotated[list[str], Query(description="ISO 3166-2 code, or 'none' (repeatable).")] = [],  # noqa: B006
    nationality: Annotated[list[str], Query(description="ISO 3166-1 code, or 'none'.")] = [],  # noqa: B006
    status: Annotated[list[str], Query(description="machine, confirmed, corrected, rejected "
                                                   "(default: all but rejected).")] = [],  # noqa: B006
    document: Annotated[int | None, Query(ge=1, le=MAX_INT, description="Document id.")] = None,
    week: Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}-\d{2}|none)$",
                                      description="Monday of the ISO week of date_start, or 'none'.")] = None,
    month: Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}|none)$")] = None,
    year: Annotated[str | None, Query(pattern=r"^(\d{4}|none)$")] = None,
    article: Annotated[str | None, Query(description="KoAP article of the court case (18.8), or 'none'.")] = None,
    place: Annotated[str | None, Query(description="The event's place, as stored (e.g. Petrozavodsk).")] = None,
    confirmed: Annotated[bool, Query(description="Only confirmed or corrected events.")] = False,
    grade: Annotated[str | None, Query(pattern=r"^[A-Fa-f][1-6]?$",
                                       description="Only events from sources graded at least this well "
                                                   "(Admiralty code): C = A–C, B2 = A–B and 1–2.")] = None,
) -> Filters:
    if week and week != "none":
        try:  # the pattern admits 2023-02-30 and 0000-01-01: a date they are not
            date.fromisoformat(week)
        except ValueError as exc:
            raise HTTPException(422, f"week {week!r} is not a date") from exc
    return Filters(date_from=date_from, date_to=date_to, regions=[r for r in region if r],
                   event_types=[t for t in type if t], nationalities=[n for n in nationality if n],
                   confirmed_only=confirmed, statuses=[s for s in status if s], document=document, week=week,
                   month=month or None, year=year or None, article=article or None,
                   place=place or None, min_grade=grade.upper() if grade else None)


EventFilters = Annotated[Filters, Depends(event_filters)]


def for_user(data: Any, user: User | None, key: str) -> Any:
    """`data` as this user may see it: for viewers and anonymous readers, personal names in
    quotes, texts, titles and snippets are replaced by pseudonyms."""
    if user is not None and user.sees_names:
        return data
    return _redact(data, key, False)


def _redact(data: Any, key: str, named: bool) -> Any:
    if isinstance(data, dict):
        return {k: _redact(v, key, k in NAME_KEYS) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(_redact(v, key, named) for v in data)
    if named and isinstance(data, str):
        return pseudonymise(data, key)
    return data
