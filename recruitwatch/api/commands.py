"""Command-line entry points for the server and accounts, registered by recruitwatch/cli.py:

    from recruitwatch.api.commands import serve, users_app
    app.command()(serve)
    app.add_typer(users_app, name="users")
"""

from __future__ import annotations

import json
import os
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from recruitwatch.api import auth

out = Console(highlight=False, soft_wrap=True)
users_app = typer.Typer(help="Accounts: viewer (reads), analyst (reviews, sees names), admin (manages users).",
                        no_args_is_help=True)


def serve(ctx: typer.Context,
          host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
          require_login: Annotated[bool, typer.Option("--require-login", envvar="RECRUITWATCH_REQUIRE_LOGIN",
                                                      help="Reading needs an account too.")] = False,
          secure_cookies: Annotated[bool, typer.Option("--secure-cookies", envvar="RECRUITWATCH_SECURE_COOKIES",
                                                       help="Send cookies over HTTPS only (behind TLS).")] = False,
          workers: Annotated[int, typer.Option(min=1, help="Server processes. Data, sessions and login limits "
                                                           "live in the database, so all share them.")] = 1,
          ) -> None:
    """Serve the dashboard and the JSON API (http://127.0.0.1:8000, API at /api/docs)."""
    import uvicorn

    from recruitwatch.api import Settings, create_app
    from recruitwatch.api.app import SERVE_ENV, settle_for_serving
    from recruitwatch.api.settings import load_secret

    store = ctx.obj.store()  # opened here once: migrations run before any worker starts
    settings = Settings(secret_key=load_secret(store.home), require_login=require_login,
                        secure_cookies=secure_cookies)
    app = create_app(store, settings)
    if not app.state.vendor:
        out.print("node_modules/ has no vega, vega-lite, vega-embed (run `npm install`): "
                  "pages show tables without charts.")
    out.print(f"recruitwatch on http://{host}:{port}/  (store: {store.home}, "
              f"{store.db_url.split('://')[0]}; reading {'needs login' if require_login else 'open'}"
              f"{f'; {workers} workers' if workers > 1 else ''})")
    try:
        if workers == 1:
            settle_for_serving()
            uvicorn.run(app, host=host, port=port, log_level="info")
            return
        # Each worker is a new process that builds its own app from what this one passes on.
        os.environ[SERVE_ENV] = json.dumps({"home": str(store.home), "db_url": store.db_url,
                                            "require_login": require_login, "secure_cookies": secure_cookies})
        store.close()
        uvicorn.run("recruitwatch.api.app:create_app_from_environment", factory=True, host=host, port=port,
                    workers=workers, log_level="info")
    finally:
        store.close()


@users_app.command("add")
def users_add(ctx: typer.Context, username: str,
              role: Annotated[str, typer.Option(help="viewer, analyst or admin.")] = "viewer",
              password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True,
                                                    envvar="RECRUITWATCH_PASSWORD",
                                                    help="Prompted for when not given.")] = "") -> None:
    """Add a user."""
    with ctx.obj.store() as store, store.engine.begin() as conn:
        try:
            auth.create_user(conn, username, password, role)
        except auth.AccountError as exc:
            raise typer.BadParameter(str(exc)) from exc
    out.print(f"added {username} ({role})")


@users_app.command("list")
def users_list(ctx: typer.Context) -> None:
    """List users."""
    with ctx.obj.store() as store, store.engine.connect() as conn:
        rows = auth.list_users(conn)
    table = Table("id", "user", "role", "disabled", "created")
    for r in rows:
        table.add_row(str(r["id"]), r["username"], r["role"], "yes" if r["disabled"] else "", str(r["created_at"]))
    out.print(table)


@users_app.command("disable")
def users_disable(ctx: typer.Context, username: str) -> None:
    """Disable a user: their sessions end and their API tokens stop working at once."""
    with ctx.obj.store() as store, store.engine.begin() as conn:
        try:
            auth.set_disabled(conn, username)
        except auth.AccountError as exc:
            raise typer.BadParameter(str(exc)) from exc
    out.print(f"disabled {username}")


@users_app.command("token")
def users_token(ctx: typer.Context, username: str,
                name: Annotated[str, typer.Option(help="What the token is for.")] = "") -> None:
    """Make an API token for a user (printed once; send it as `Authorization: Bearer …`)."""
    with ctx.obj.store() as store, store.engine.begin() as conn:
        found = [u for u in auth.list_users(conn) if u["username"] == username and not u["disabled"]]
        if not found:
            raise typer.BadParameter(f"no active user {username!r}")
        token = auth.create_token(conn, found[0]["id"], name)
    print(token)


@users_app.command("password")
def users_password(ctx: typer.Context, username: str,
                   password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True,
                                                         envvar="RECRUITWATCH_PASSWORD",
                                                         help="Prompted for when not given.")] = "") -> None:
    """Set a user's password: every session they have ends."""
    with ctx.obj.store() as store, store.engine.begin() as conn:
        try:
            ended = auth.set_password(conn, username, password)
        except auth.AccountError as exc:
            raise typer.BadParameter(str(exc)) from exc
    out.print(f"password of {username} changed; {ended} session(s) ended")


@users_app.command("sessions")
def users_sessions(ctx: typer.Context, username: str,
                   ended: Annotated[bool, typer.Option("--ended", help="Include ended sessions.")] = False) -> None:
    """List a user's sessions (live ones unless --ended)."""
    with ctx.obj.store() as store, store.engine.connect() as conn:
        try:
            rows = auth.list_sessions(conn, username, include_ended=ended)
        except auth.AccountError as exc:
            raise typer.BadParameter(str(exc)) from exc
    table = Table("id", "started", "last seen", "address", "browser", "ended")
    for r in rows:
        table.add_row(str(r["id"]), str(r["created_at"]), str(r["last_seen"]), r["address"], r["user_agent"][:40],
                      f"{r['revoked_at']} ({r['revoked_reason']})" if r["revoked_at"] else "")
    out.print(table)


@users_app.command("revoke")
def users_revoke(ctx: typer.Context, username: str,
                 session: Annotated[int | None, typer.Option(help="One session's id (default: all).")] = None) -> None:
    """End a user's sessions (all of them, or one): they must log in again."""
    with ctx.obj.store() as store, store.engine.begin() as conn:
        try:
            ended = auth.revoke_sessions(conn, username, session)
        except auth.AccountError as exc:
            raise typer.BadParameter(str(exc)) from exc
    out.print(f"{ended} session(s) of {username} ended")
