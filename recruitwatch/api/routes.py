"""The JSON API under /api, described by OpenAPI at /api/openapi.json (browsable at /api/docs)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from recruitwatch.api import auth, core, exports, review
from recruitwatch.api.deps import (
    CSRF,
    MAX_INT,
    Admin,
    Analyst,
    Conn,
    EventFilters,
    Id,
    Reader,
    Viewer,
    for_user,
    transaction,
)

router = APIRouter(prefix="/api")
MAX_PER_PAGE = 500
PageNo = Annotated[int, Query(ge=1, le=MAX_INT // MAX_PER_PAGE)]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE)]


def _key(request: Request) -> str:
    return request.app.state.settings.secret_key


def page_json(request: Request, page: core.Page, user: auth.User | None) -> dict[str, Any]:
    """A page of items with the URL of the next one (datasette's `next_url`)."""
    nxt = None
    if page.page < page.pages:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"] + [("page", page.page + 1)]
        nxt = f"{request.url.path}?{urlencode(params)}"
    return {"total": page.total, "page": page.page, "per_page": page.per_page, "pages": page.pages,
            "next_url": nxt, "items": for_user(page.items, user, _key(request))}


@router.get("/events", summary="Events, filtered, sorted and paginated")
def events(request: Request, conn: Conn, user: Reader, filters: EventFilters,
           sort: Annotated[str, Query(description=f"One of {', '.join(core.SORTS)}; '-' for descending.")] = "-date",
           page: PageNo = 1, per_page: PerPage = 50) -> dict[str, Any]:
    return page_json(request, core.list_events(conn, filters, sort, page, per_page), user)


@router.get("/events/{event_id}", summary="One event: every field, quote in its text, evidence, audit trail")
def event(request: Request, conn: Conn, user: Reader, event_id: Id) -> dict[str, Any]:
    record = core.event_detail(conn, event_id)
    if record is None:
        raise HTTPException(404, f"no event {event_id}")
    return for_user(record, user, _key(request))


@router.get("/documents", summary="Documents, newest first")
def documents(request: Request, conn: Conn, user: Reader, page: PageNo = 1, per_page: PerPage = 50) -> dict[str, Any]:
    return page_json(request, core.list_documents(conn, page, per_page), user)


@router.get("/documents/{document_id}", summary="One document: text, metadata, capture data, its events")
def document(request: Request, conn: Conn, user: Reader, document_id: Id) -> dict[str, Any]:
    doc = core.document_detail(conn, document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id}")
    return for_user(doc, user, _key(request))


@router.get("/stats", summary="Counts of events and people by groups; explain lists the events behind each")
def stats(request: Request, conn: Conn, user: Reader, filters: EventFilters,
          by: Annotated[list[str], Query(description="region, week, month, year, event_type, nationality, "
                                                     "article (repeatable)")] = ["event_type"],  # noqa: B006
          explain: bool = False) -> dict[str, Any]:
    try:
        rows = core.stat_rows(conn, by, filters, explain)
    except (ValueError, KeyError) as exc:  # an unknown `by`, found by whichever lookup meets it first
        raise HTTPException(422, f"cannot group by {', '.join(by)}: {exc}") from exc
    items = [asdict(r) | {"events_url": f"/api/events?{urlencode(r.filter, doseq=True)}"} for r in rows]
    if not explain:
        items = [{k: v for k, v in item.items() if k != "explain"} for item in items]
    return {"by": by, "filters": filters.query_string(), "figures": for_user(items, user, _key(request))}


@router.get("/search", summary="Full-text search over documents (Russian and English)")
def search(request: Request, conn: Conn, user: Reader, q: Annotated[str, Query(min_length=1)],
           page: PageNo = 1, per_page: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
    return page_json(request, core.search(conn, q, page, per_page), user)


# --- review ----------------------------------------------------------------------------------

class Correction(BaseModel):
    fields: dict[str, Any] = Field(description=f"New values; editable: {', '.join(review.EDITABLE)}")
    reason: str | None = None


class Rejection(BaseModel):
    reason: str = Field(min_length=1)


class NewEvent(BaseModel):
    document_id: int = Field(ge=1, le=MAX_INT)
    start: int = Field(ge=0, le=MAX_INT, description="Start of the quote in the document's text (characters)")
    end: int = Field(gt=0, le=MAX_INT)
    fields: dict[str, Any] = Field(description="event_type (required) and any other editable field")
    reason: str | None = None


def _write(request: Request, action: Any) -> Any:
    with transaction(request) as conn:
        try:
            return action(conn)
        except review.NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        except review.ReviewError as exc:
            raise HTTPException(422, str(exc)) from exc


@router.post("/events/{event_id}/confirm", dependencies=[CSRF], summary="Confirm an event as extracted")
def confirm(request: Request, user: Analyst, event_id: Id) -> dict[str, Any]:
    return _write(request, lambda conn: review.confirm(conn, event_id, user))


@router.post("/events/{event_id}/correct", dependencies=[CSRF], summary="Correct an event's fields")
def correct(request: Request, user: Analyst, event_id: Id, body: Correction) -> dict[str, Any]:
    return _write(request, lambda conn: review.correct(conn, event_id, user, body.fields, body.reason))


@router.post("/events/{event_id}/reject", dependencies=[CSRF], summary="Reject an event, with a reason")
def reject(request: Request, user: Analyst, event_id: Id, body: Rejection) -> dict[str, Any]:
    return _write(request, lambda conn: review.reject(conn, event_id, user, body.reason))


@router.post("/events", dependencies=[CSRF], status_code=201, summary="Add an event by hand")
def add(request: Request, user: Analyst, body: NewEvent) -> dict[str, Any]:
    event_id = _write(request, lambda conn: review.add_event(conn, user, body.document_id, body.start, body.end,
                                                             body.fields, body.reason))
    return {"id": event_id, "url": f"/api/events/{event_id}"}


# --- exports ---------------------------------------------------------------------------------

FORMATS = {"events.jsonl": (exports.jsonl, "application/x-ndjson"),
           "events.csv": (exports.contract_csv, "text/csv; charset=utf-8"),
           "acled.csv": (exports.acled_csv, "text/csv; charset=utf-8"),
           "ftm.jsonl": (exports.ftm, "application/x-ndjson")}


@router.get("/export/{name}", summary="Export events: events.jsonl, events.csv (contract), acled.csv, "
                                    "ftm.jsonl (FollowTheMoney entities for Aleph)",
            response_class=StreamingResponse,
            responses={200: {"description": "The events, streamed in the format named",
                             "content": {"text/csv": {}, "application/x-ndjson": {}}}})
def export(request: Request, user: Reader, filters: EventFilters,
           name: Literal["events.jsonl", "events.csv", "acled.csv", "ftm.jsonl"],
           names: Annotated[bool, Query(description="Keep personal names (analysts and admins only).")] = False,
           ) -> StreamingResponse:
    if names and (user is None or not user.sees_names):
        raise HTTPException(403, "only analysts and admins may export names")
    writer, media_type = FORMATS[name]
    engine, key = request.app.state.store.engine, _key(request)

    def body() -> Any:
        with engine.connect() as conn:
            yield from writer(core.iter_events(conn, filters), names, key)

    return StreamingResponse(body(), media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="recruitwatch-{name}"'})


# --- accounts --------------------------------------------------------------------------------

class NewUser(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=8)
    role: Literal["viewer", "analyst", "admin"] = "viewer"


@router.get("/me", summary="Who is asking")
def me(user: Reader) -> dict[str, Any]:
    return {"user": None if user is None else {"username": user.username, "role": user.role}}


@router.post("/tokens", dependencies=[CSRF], status_code=201, summary="A new API token for yourself (shown once)")
def new_token(request: Request, user: Viewer,
              name: Annotated[str, Query(max_length=100)] = "") -> dict[str, str]:
    with transaction(request) as conn:
        return {"token": auth.create_token(conn, user.id, name)}


@router.get("/users", summary="Users (admins only)")
def users(conn: Conn, _admin: Admin) -> list[dict[str, Any]]:
    return auth.list_users(conn)


@router.post("/users", dependencies=[CSRF], status_code=201, summary="Add a user (admins only)")
def add_user(request: Request, _admin: Admin, body: NewUser) -> dict[str, Any]:
    with transaction(request) as conn:
        try:
            return {"id": auth.create_user(conn, body.username, body.password, body.role)}
        except auth.AccountError as exc:
            raise HTTPException(409, str(exc)) from exc


@router.post("/users/{username}/disable", dependencies=[CSRF], summary="Disable a user (admins only)")
def disable_user(request: Request, _admin: Admin, username: str) -> dict[str, Any]:
    with transaction(request) as conn:
        try:
            auth.set_disabled(conn, username)
        except auth.AccountError as exc:
            raise HTTPException(404, str(exc)) from exc
    return {"username": username, "disabled": True}


class NewPassword(BaseModel):
    password: str = Field(min_length=8)


@router.post("/users/{username}/password", dependencies=[CSRF],
             summary="Set a user's password; ends all their sessions (admins only)")
def set_password(request: Request, _admin: Admin, username: str, body: NewPassword) -> dict[str, Any]:
    with transaction(request) as conn:
        try:
            ended = auth.set_password(conn, username, body.password)
        except auth.AccountError as exc:
            raise HTTPException(404, str(exc)) from exc
    return {"username": username, "sessions_ended": ended}


@router.get("/users/{username}/sessions", summary="A user's live sessions, newest first (admins only)")
def user_sessions(request: Request, conn: Conn, _admin: Admin, username: str,
                  ended: Annotated[bool, Query(description="Include ended sessions.")] = False,
                  ) -> list[dict[str, Any]]:
    try:
        return auth.list_sessions(conn, username, include_ended=ended,
                                  max_age=request.app.state.settings.session_max_age)
    except auth.AccountError as exc:
        raise HTTPException(404, str(exc)) from exc


@router.post("/users/{username}/sessions/revoke", dependencies=[CSRF],
             summary="End a user's sessions, or the one named by `session` (admins only)")
def revoke_user_sessions(request: Request, _admin: Admin, username: str,
                         session: Annotated[int | None, Query(ge=1, le=MAX_INT,
                                                              description="Session id (default: all).")] = None,
                         ) -> dict[str, Any]:
    with transaction(request) as conn:
        try:
            ended = auth.revoke_sessions(conn, username, session)
        except auth.AccountError as exc:
            raise HTTPException(404, str(exc)) from exc
    return {"username": username, "sessions_ended": ended}
