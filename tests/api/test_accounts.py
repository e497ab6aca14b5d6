"""Accounts: admin routes for every role, disabling, tokens, the CLI commands, passwords."""

import pytest
import typer
from typer.testing import CliRunner

from recruitwatch.api import auth
from recruitwatch.api.commands import serve, users_app


@pytest.mark.parametrize("role,status", [(None, 401), ("viewer", 403), ("analyst", 403), ("admin", 200)])
def test_user_list_is_for_admins(server, role, status):
    with server.client() as api:
        headers = server.bearer(role) if role else {}
        assert api.get("/api/users", headers=headers).status_code == status


@pytest.mark.parametrize("role,status", [(None, 401), ("viewer", 403), ("analyst", 403), ("admin", 201)])
def test_adding_users_is_for_admins(server, role, status):
    with server.client() as api:
        headers = server.bearer(role) if role else {}
        if role is None:  # an anonymous browser with its CSRF token is still refused
            api.get("/")
            headers = {"X-CSRF-Token": api.cookies.get("rw_csrf")}
        response = api.post("/api/users", headers=headers,
                            json={"username": "newbie", "password": "long enough pw", "role": "viewer"})
        assert response.status_code == status, response.text


def test_disabling_a_user_stops_their_tokens_and_sessions(server):
    session = server.client("analyst")
    with server.client() as api:
        assert api.get("/api/me", headers=server.bearer("analyst")).json()["user"]["role"] == "analyst"
        assert api.post("/api/users/analyst/disable", headers=server.bearer("admin")).status_code == 200
        assert api.get("/api/me", headers=server.bearer("analyst")).status_code == 401
        assert api.post("/api/users/nobody/disable", headers=server.bearer("admin")).status_code == 404
    assert session.get("/api/me").json() == {"user": None}
    with server.store.engine.connect() as conn:
        assert auth.authenticate(conn, "analyst", "correct horse battery") is None


@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
def test_users_make_their_own_tokens(server, role):
    with server.client() as api:
        token = api.post("/api/tokens?name=script", headers=server.bearer(role)).json()["token"]
        assert api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()["user"]["role"] == role
    with server.client() as anonymous:
        anonymous.get("/")
        refused = anonymous.post("/api/tokens", headers={"X-CSRF-Token": anonymous.cookies.get("rw_csrf")})
        assert refused.status_code == 401


def test_passwords_are_argon2_and_rules_hold(store):
    with store.engine.begin() as conn:
        auth.create_user(conn, "ann", "a good password", "analyst")
        with pytest.raises(auth.AccountError):
            auth.create_user(conn, "ann", "a good password", "analyst")
        with pytest.raises(auth.AccountError):
            auth.create_user(conn, "bob", "short", "viewer")
        with pytest.raises(auth.AccountError):
            auth.create_user(conn, "bob", "a good password", "superuser")
        stored = conn.execute(auth.select(auth.schema.users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and "a good password" not in stored
    with store.engine.connect() as conn:
        assert auth.authenticate(conn, "ann", "a good password").role == "analyst"
        assert auth.authenticate(conn, "ann", "wrong") is None and auth.authenticate(conn, "zed", "x") is None


def _cli():
    from recruitwatch.cli import app

    cli = typer.Typer()
    cli.registered_callback = app.registered_callback  # the lead's --home/--db options
    cli.command()(serve)
    cli.add_typer(users_app, name="users")
    return cli


def test_users_commands(tmp_path):
    runner, cli, home = CliRunner(), _cli(), ["--home", str(tmp_path / "home")]
    added = runner.invoke(cli, [*home, "users", "add", "ann", "--role", "admin"],
                          input="a good password\na good password\n")
    assert added.exit_code == 0, added.output
    assert runner.invoke(cli, [*home, "users", "add", "bob", "--role", "boss", "--password", "a good password"]
                         ).exit_code != 0
    listed = runner.invoke(cli, [*home, "users", "list"])
    assert "ann" in listed.output and "admin" in listed.output
    token = runner.invoke(cli, [*home, "users", "token", "ann"]).output.strip()
    assert token.startswith("rw_")
    assert runner.invoke(cli, [*home, "users", "disable", "ann"]).exit_code == 0
    assert runner.invoke(cli, [*home, "users", "token", "ann"]).exit_code != 0
    assert "yes" in runner.invoke(cli, [*home, "users", "list"]).output
    assert "--require-login" in runner.invoke(cli, [*home, "serve", "--help"]).output


def test_account_page_makes_a_token_once(server):
    from tests.api.conftest import csrf_of

    viewer = server.client("viewer")
    page = viewer.get("/account")
    assert page.status_code == 200 and 'id="token"' not in page.text
    made = viewer.post("/account/tokens", data={"csrf_token": csrf_of(page.text), "name": "notebook"})
    token = made.text.split('<pre id="token">')[1].split("</pre>")[0]
    with server.client() as api:
        assert api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()["user"]["role"] == "viewer"
    assert viewer.post("/account/tokens", data={"name": "no csrf"}).status_code == 403
    anonymous = server.client()
    assert anonymous.get("/account").status_code == 303
