"""Request-scoped helpers shared by the JSON API and the HTML pages: the database connection,
who is asking, what they may do, the CSRF check and the event filters from the query string."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request
from sqlalchemy.engine import Connection

from recruitwatch.api import auth
from recruitwatch.api.auth import User
from recruitwatch.api.core import Filters
from recruitwatch.api.names import pseudonymise

NAME_KEYS = frozenset({"quote", "title", "text", "before", "after", "judge", "snippet"})


def connection(request: Request) -> Iterator[Connection]:
    with request.app.state.store.engine.connect() as conn:
        yield conn


def current_user(request: Request) -> User | None:
    """The user behind this request: a Bearer token, else the session cookie, else nobody."""
    if hasattr(request.state, "user"):
        return request.state.user
    header = request.headers.get("authorization", "")
    with request.app.state.store.engine.connect() as conn:
        if header.lower().startswith("bearer "):
            user = auth.user_by_token(conn, header[7:].strip())
            if user is None:  # a wrong token is refused, not silently treated as anonymous
                raise HTTPException(401, "invalid or revoked API token", {"WWW-Authenticate": "Bearer"})
        else:
            uid = request.app.state.sessions.load(request.cookies.get(auth.SESSION_COOKIE))
            user = auth.user_by_id(conn, uid) if uid is not None else None
    request.state.user = user
    return user


def reader(request: Request) -> User | None:
    user = current_user(request)
    if user is None and request.app.state.settings.require_login:
        raise HTTPException(401, "this instance requires login for reading")
    return user


def role(needed: str) -> Any:
    def check(request: Request) -> User:
        user = current_user(request)
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
    document: Annotated[int | None, Query(description="Document id.")] = None,
    week: Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}-\d{2}|none)$",
                                      description="Monday of the ISO week of date_start, or 'none'.")] = None,
    month: Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}|none)$")] = None,
    year: Annotated[str | None, Query(pattern=r"^(\d{4}|none)$")] = None,
    article: Annotated[str | None, Query(description="KoAP article of the court case (18.8), or 'none'.")] = None,
    place: Annotated[str | None, Query(description="The event's place, as stored (e.g. Petrozavodsk).")] = None,
    confirmed: Annotated[bool, Query(description="Only confirmed or corrected events.")] = False,
) -> Filters:
    return Filters(date_from=date_from, date_to=date_to, regions=[r for r in region if r],
                   event_types=[t for t in type if t], nationalities=[n for n in nationality if n],
                   confirmed_only=confirmed, statuses=[s for s in status if s], document=document, week=week,
                   month=month or None, year=year or None, article=article or None,
                   place=place or None)


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
