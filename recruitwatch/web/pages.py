"""The dashboard's pages. Each reads through recruitwatch.api.core, exactly as the JSON API does,
and applies the same privacy rule (deps.for_user). Templates autoescape everything: document
texts are shown as text, never as markup."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from recruitwatch.analysis import cases as case_links
from recruitwatch.analysis.stats import Figure
from recruitwatch.api import auth, core, review, surges
from recruitwatch.api.deps import CSRF, Analyst, Conn, EventFilters, Id, Reader, Viewer, client_address, for_user
from recruitwatch.models import ACTORS, EVENT_TYPES
from recruitwatch.web import regions

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals.update(EVENT_TYPES=EVENT_TYPES, ACTORS=ACTORS, STATUSES=core.REVIEW_STATUSES,
                             EDITABLE=review.EDITABLE, SORTS=core.SORTS)


def qs(params: dict[str, Any], **changes: Any) -> str:
    """A query string from filters (lists repeat their key), with some values changed."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "", [])}, doseq=True)


templates.env.globals["qs"] = qs
templates.env.filters["segments"] = core.marked_segments


def render(request: Request, name: str, user: auth.User | None, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"user": user, "csrf": request.state.csrf,
                                                      "vendor": request.app.state.vendor,
                                                      "outlines": request.app.state.outlines,
                                                      "region_shapes": request.app.state.region_shapes, **context},
                                       status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    return render(request, "error.html", user, status, code=status, message=message)


def _key(request: Request) -> str:
    return request.app.state.settings.secret_key


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, conn: Conn, user: Reader, filters: EventFilters) -> HTMLResponse:
    data = core.overview(conn, filters)
    weekly = weekly_figures(data.pop("weekly"), filters)  # figures only: no names to hide from viewers
    place_link = events_link(filters, "place")
    places = [p | {"url": place_link + qs({"place": p.pop("filter")["place"]})} for p in core.places(conn, filters)]
    latest_alerts = surges.surge_alerts(conn, filters.regions, filters.event_types, limit=5)
    return render(request, "overview.html", user, data=for_user(data, user, _key(request)), weekly=weekly,
                  places=places, regions=region_shading(data["regions"], filters), filters=filters.query_string(),
                  alerts=latest_alerts, marks=surges.monitoring_marks(conn), alert_settings=surges.alert_settings())


@dataclass(frozen=True)
class WeeklyFigures:
    """The weekly figures as the overview shows them: the rows of the figures table (HTML) and
    the chart's data (JSON for overview.js), each figure linked to its events."""

    figures: int
    rows: Markup
    chart: Markup


# The weekly figures made into HTML and JSON, per link prefix (the filters but week and type),
# with the figures they were made from. At a million events they are thousands of rows, and
# making them cost more than reading them: a load whose figures are equal to the last ones
# (nothing added, changed or removed since) reuses what was made. Whatever the database, equal
# figures under one prefix make the same rows. A few prefixes are kept (~1 MB each at a million
# events): any query string is one.
MAX_WEEKLY_HELD = 16
_WEEKLY_HELD: dict[str, tuple[list[Figure], WeeklyFigures]] = {}


def events_link(filters: core.Filters, *own: str) -> str:
    """The start of the links of many figures to their events: the events page with the
    filters but the figures' `own` parameters, encoded once for all; each figure's link adds
    its own parameters. Ends with "?" or "&"."""
    shared = qs({k: v for k, v in filters.query_string().items() if k not in own})
    return "/events?" + (shared + "&" if shared else "")


def weekly_figures(figures: list[Figure], filters: core.Filters) -> WeeklyFigures:
    """The table rows and chart data of `figures` (by week and event type) under `filters`."""
    prefix = events_link(filters, "week", "type")
    held = _WEEKLY_HELD.get(prefix)
    if held is not None and held[0] == figures:
        return held[1]
    made = _make_weekly(figures, prefix)
    if len(_WEEKLY_HELD) >= MAX_WEEKLY_HELD:
        _WEEKLY_HELD.clear()
    _WEEKLY_HELD[prefix] = (figures, made)
    return made


def _make_weekly(figures: list[Figure], prefix: str) -> WeeklyFigures:
    # Each link is the prefix (encoded once) and the figure's week and type, the same filter
    # as core.group_filter gives, without encoding the shared part again for each figure.
    type_params = {t: urlencode({"type": t}) for t in sorted({f.group[1] for f in figures})}
    rows = []
    for figure in figures:
        week, event_type = figure.group
        week_param = week.isoformat() if week else core.NONE
        rows.append({"week": week_param if week else None, "type": event_type, "events": figure.events,
                     "url": f"{prefix}week={week_param}&{type_params[event_type]}"})
    table = Markup(templates.get_template("_weekly_rows.html").render(rows=rows))
    chart = htmlsafe_json_dumps(_chart_data(figures, prefix, type_params), separators=(",", ":"))
    return WeeklyFigures(len(figures), table, chart)


def _chart_data(figures: list[Figure], prefix: str, type_params: dict[str, str]) -> dict[str, Any]:
    """The dated figures for the chart, compactly: each week and type once, and each bar as
    [week index, type index, events]; a bar links to `link` + "week=" + its week + "&" + its
    type's parameter (overview.js), the table row's own link."""
    weeks = sorted({f.group[0] for f in figures if f.group[0] is not None})
    week_index = {w: i for i, w in enumerate(weeks)}
    types = list(type_params)
    type_index = {t: i for i, t in enumerate(types)}
    bars = [[week_index[f.group[0]], type_index[f.group[1]], f.events] for f in figures if f.group[0] is not None]
    return {"link": prefix, "weeks": [w.isoformat() for w in weeks], "types": types,
            "type_params": [type_params[t] for t in types], "bars": bars}


@router.get("/cases", response_class=HTMLResponse)
def cases(request: Request, conn: Conn, user: Reader, filters: EventFilters) -> HTMLResponse:
    """The funnel and the cases that go past one stage, in the filters' dates and regions."""
    found = case_links.cases_in(conn, filters)
    shown = [case_links.case_summary(c) for c in found if len(c.stages) > 1]
    return render(request, "cases.html", user, funnel=case_links.funnel(found),
                  cases=for_user(shown, user, _key(request)), filters=filters.query_string(),
                  link_window=case_links.LINK_WINDOW_DAYS)


@router.get("/alerts", response_class=HTMLResponse)
def alerts(request: Request, conn: Conn, user: Reader, region: Annotated[list[str], Query()] = [],  # noqa: B006
           type: Annotated[list[str], Query()] = []) -> HTMLResponse:  # noqa: B006
    """Every surge alert, each opening onto its events, with the test's settings."""
    return render(request, "alerts.html", user, alerts=surges.surge_alerts(conn, region, type),
                  alert_settings=surges.alert_settings(), marks=surges.monitoring_marks(conn))


def region_shading(rows: list[core.StatRow], filters: core.Filters) -> list[dict[str, Any]]:
    """One row per region shape of the map (by the shape's name): its ISO 3166-2 code, events,
    people and the link to its events (the figure's filter; a region without events links to
    the events page filtered by it all the same)."""
    by_code = {r.group["region"]: r for r in rows if r.group.get("region")}
    out = []
    for name, code in regions.ISO_BY_NAME.items():
        row = by_code.get(code)
        link = row.filter if row else {**filters.query_string(), "region": [code]}
        out.append({"name": name, "region": code, "events": row.events if row else 0,
                    "people": row.people if row else 0, "url": "/events?" + qs(link)})
    return out


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, conn: Conn, user: Reader, filters: EventFilters, sort: str = "-date",
           page: Annotated[int, Query(ge=1)] = 1) -> HTMLResponse:
    per_page = request.app.state.settings.page_size
    result = core.list_events(conn, filters, sort, page, per_page)
    return render(request, "events.html", user, page=result, items=for_user(result.items, user, _key(request)),
                  filters=filters.query_string(), sort=sort)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event(request: Request, conn: Conn, user: Reader, event_id: Id) -> HTMLResponse:
    record = core.event_detail(conn, event_id)
    if record is None:
        raise HTTPException(404, f"no event {event_id}")
    return render(request, "event.html", user, r=for_user(record, user, _key(request)))


@router.post("/events/{event_id}/review", dependencies=[CSRF])
async def review_event(request: Request, user: Analyst, event_id: Id,
                       action: Annotated[str, Form()], reason: Annotated[str, Form()] = "") -> Response:
    form = await request.form()
    with request.app.state.store.engine.begin() as conn:
        try:
            if action == "confirm":
                review.confirm(conn, event_id, user)
            elif action == "reject":
                review.reject(conn, event_id, user, reason)
            elif action == "correct":
                review.correct(conn, event_id, user, _changed(review.snapshot(conn, event_id), form), reason or None)
            else:
                raise review.ReviewError(f"unknown action {action!r}")
        except review.NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        except review.ReviewError as exc:
            raise HTTPException(422, str(exc)) from exc
    return RedirectResponse(f"/events/{event_id}#audit", status_code=303)


def _changed(current: dict[str, Any], form: Any) -> dict[str, Any]:
    """The form's fields whose values differ from the event's: the form sends every field."""
    submitted = review.clean_fields({k: form.get(k, "") for k in review.EDITABLE if k in form})
    now = review.clean_fields({k: current[k] for k in submitted})
    return {k: v for k, v in submitted.items() if v != now[k]}


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, conn: Conn, user: Reader, page: Annotated[int, Query(ge=1)] = 1) -> HTMLResponse:
    result = core.list_documents(conn, page, request.app.state.settings.page_size)
    return render(request, "documents.html", user, page=result, items=for_user(result.items, user, _key(request)))


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document(request: Request, conn: Conn, user: Reader, document_id: Id) -> HTMLResponse:
    doc = core.document_detail(conn, document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id}")
    return render(request, "document.html", user, doc=for_user(doc, user, _key(request)))


@router.post("/documents/{document_id}/events", dependencies=[CSRF])
async def add_event(request: Request, user: Analyst, document_id: Id, start: Annotated[int, Form()],
                    end: Annotated[int, Form()], reason: Annotated[str, Form()] = "") -> Response:
    form = await request.form()
    fields = {k: form[k] for k in review.EDITABLE if form.get(k) not in (None, "")}
    with request.app.state.store.engine.begin() as conn:
        try:
            event_id = review.add_event(conn, user, document_id, start, end, fields, reason or None)
        except review.NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        except review.ReviewError as exc:
            raise HTTPException(422, str(exc)) from exc
    return RedirectResponse(f"/events/{event_id}", status_code=303)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, conn: Conn, user: Reader, q: str = "",
           page: Annotated[int, Query(ge=1)] = 1) -> HTMLResponse:
    result = core.search(conn, q, page) if q.strip() else None
    items = for_user(result.items, user, _key(request)) if result else []
    return render(request, "search.html", user, q=q, page=result, items=items)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", None, next=_safe_next(next), failed=False)


@router.post("/login", dependencies=[CSRF])
def login(request: Request, username: Annotated[str, Form()], password: Annotated[str, Form()],
          next: Annotated[str, Form()] = "/") -> Response:
    settings = request.app.state.settings
    with request.app.state.store.engine.begin() as conn:  # the failure count is kept: commit either way
        try:
            user = auth.attempt_login(conn, username, password, client_address(request), settings.login_limits)
        except auth.TooManyFailures as exc:
            response = render(request, "login.html", None, 429, next=_safe_next(next), failed=False,
                              throttled=str(exc))
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        token = auth.start_session(conn, user.id, client_address(request),
                                   request.headers.get("user-agent", "")) if user else None
    if user is None or token is None:
        return render(request, "login.html", None, 401, next=_safe_next(next), failed=True)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(auth.SESSION_COOKIE, request.app.state.sessions.dump(token), max_age=settings.session_max_age,
                        httponly=True, samesite="lax", secure=settings.secure_cookies)
    return response


@router.post("/logout", dependencies=[CSRF])
def logout(request: Request) -> Response:
    token = request.app.state.sessions.load(request.cookies.get(auth.SESSION_COOKIE))
    if token is not None:  # ended server-side: a copy of the cookie kept elsewhere is worthless now
        with request.app.state.store.engine.begin() as conn:
            auth.end_session(conn, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, user: Viewer) -> HTMLResponse:
    return render(request, "account.html", user, token=None)


@router.post("/account/tokens", dependencies=[CSRF], response_class=HTMLResponse)
def new_token(request: Request, user: Viewer, name: Annotated[str, Form(max_length=100)] = "") -> HTMLResponse:
    with request.app.state.store.engine.begin() as conn:
        token = auth.create_token(conn, user.id, name)
    return render(request, "account.html", user, token=token)  # shown this once only


def _safe_next(target: str) -> str:
    # Only paths on this site: "//evil.example" or "https://…" would send the user elsewhere.
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"

