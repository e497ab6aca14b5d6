"""Server-side sessions (logout, revocation, disabling, password change end them) and the login
rate limit (per account, per client address, shared by every server process on the store)."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from recruitwatch.api import Settings, auth, create_app
from recruitwatch.store import schema
from tests.api.conftest import PASSWORD, csrf_of


def _login(client: TestClient, username: str, password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_of(page.text), "next": "/"})


def _me(client: TestClient):
    return client.get("/api/me").json()["user"]


def test_logout_ends_the_session_server_side(server):
    analyst = server.client("analyst")
    stolen = analyst.cookies.get("rw_session")  # a copy of the cookie, kept by someone else
    assert _me(analyst)["username"] == "analyst"
    page = analyst.get("/account")
    assert analyst.post("/logout", data={"csrf_token": csrf_of(page.text)}).status_code == 303
    replay = server.client()
    replay.cookies.set("rw_session", stolen, domain="testserver.local")
    assert _me(replay) is None
    with server.store.engine.connect() as conn:
        ended = auth.list_sessions(conn, "analyst", include_ended=True)
    assert [s["revoked_reason"] for s in ended] == ["logout"]


def test_admin_lists_and_revokes_a_users_sessions(server):
    first, second = server.client("viewer"), server.client("viewer")
    admin = server.bearer("admin")
    with server.client() as api:
        listed = api.get("/api/users/viewer/sessions", headers=admin).json()
        assert len(listed) == 2 and {s["address"] for s in listed} == {"testclient"}
        assert api.get("/api/users/viewer/sessions", headers=server.bearer("analyst")).status_code == 403
        assert api.get("/api/users/nobody/sessions", headers=admin).status_code == 404
        one = api.post(f"/api/users/viewer/sessions/revoke?session={listed[0]['id']}", headers=admin).json()
        assert one["sessions_ended"] == 1
        assert _me(second) is None and _me(first)["username"] == "viewer"  # the newest was ended
        assert api.post("/api/users/viewer/sessions/revoke", headers=admin).json()["sessions_ended"] == 1
        assert _me(first) is None
        assert api.get("/api/users/viewer/sessions", headers=admin).json() == []
        assert len(api.get("/api/users/viewer/sessions?ended=true", headers=admin).json()) == 2
    anonymous = server.client()
    anonymous.get("/")
    refused = anonymous.post("/api/users/viewer/sessions/revoke",
                             headers={"X-CSRF-Token": anonymous.cookies["rw_csrf"]})
    assert refused.status_code == 401


def test_disabling_ends_sessions_for_good(server):
    analyst = server.client("analyst")
    with server.store.engine.begin() as conn:
        auth.set_disabled(conn, "analyst")
    assert _me(analyst) is None
    with server.store.engine.begin() as conn:
        auth.set_disabled(conn, "analyst", disabled=False)  # enabled again: the old cookie stays dead
    assert _me(analyst) is None
    assert _me(server.client("analyst"))["username"] == "analyst"


def test_changing_a_password_ends_every_session(server):
    viewer, admin = server.client("viewer"), server.client("admin")
    with server.client() as api:
        changed = api.post("/api/users/viewer/password", headers=server.bearer("admin"),
                           json={"password": "a brand new password"})
        assert changed.status_code == 200 and changed.json()["sessions_ended"] == 1
        assert api.post("/api/users/viewer/password", headers=server.bearer("admin"),
                        json={"password": "short"}).status_code == 422
        assert api.post("/api/users/viewer/password", headers=server.bearer("viewer"),
                        json={"password": "a brand new password"}).status_code == 403
    assert _me(viewer) is None and _me(admin)["username"] == "admin"
    assert _login(server.client(), "viewer").status_code == 401
    assert _login(server.client(), "viewer", "a brand new password").status_code == 303


def test_failed_logins_per_account_are_limited_then_refused_with_retry_after(make_server):
    server = make_server()
    server.app.state.settings.login_limits = auth.LoginLimits(per_account=3, per_address=100, window=600)
    client = server.client()
    for _ in range(3):
        assert _login(client, "analyst", "wrong password").status_code == 401
    refused = _login(client, "analyst")  # the right password, but the account is over its limit
    assert refused.status_code == 429 and "too many failed logins" in refused.text
    assert 1 <= int(refused.headers["Retry-After"]) <= 600
    assert "rw_session" not in refused.headers.get("set-cookie", "")
    assert _login(server.client(), "viewer").status_code == 303  # other accounts are not locked out
    with server.store.engine.begin() as conn:  # the oldest failure ages out of the window
        F = schema.login_failures
        oldest = conn.execute(auth.select(F.c.id).where(F.c.username == "analyst").order_by(F.c.id)).scalar()
        conn.execute(F.update().where(F.c.id == oldest).values(at=datetime.now(UTC) - timedelta(seconds=601)))
    assert _login(client, "analyst").status_code == 303
    with server.store.engine.connect() as conn:
        assert auth.count_login_failures(conn, "analyst") == 0  # a success clears the account's count


def test_failed_logins_per_address_are_limited_across_accounts(make_server):
    server = make_server()
    server.app.state.settings.login_limits = auth.LoginLimits(per_account=100, per_address=4, window=600)
    spraying = server.client()  # one address trying many accounts
    for name in ("a", "b", "c", "d"):
        assert _login(spraying, name, "guess one").status_code == 401
    assert _login(spraying, "admin").status_code == 429
    elsewhere = TestClient(server.app, follow_redirects=False, client=("192.0.2.7", 40000))
    assert _login(elsewhere, "admin").status_code == 303


def test_the_limit_is_shared_by_every_server_process_on_the_store(make_server):
    server = make_server()
    limits = auth.LoginLimits(per_account=4, per_address=100, window=600)
    other = create_app(server.store, Settings(secret_key="test-secret", login_limits=limits))
    server.app.state.settings.login_limits = limits
    for app in (server.app, other, server.app, other):  # alternate, as a load balancer would
        assert _login(TestClient(app, follow_redirects=False), "admin", "wrong password").status_code == 401
    assert _login(TestClient(other, follow_redirects=False), "admin").status_code == 429
    assert _login(TestClient(server.app, follow_redirects=False), "admin").status_code == 429


def test_sessions_and_password_commands(tmp_path):
    from tests.api.test_accounts import _cli

    runner, cli, home = CliRunner(), _cli(), ["--home", str(tmp_path / "home")]
    assert runner.invoke(cli, [*home, "users", "add", "ann", "--role", "admin", "--password", PASSWORD]).exit_code == 0
    from recruitwatch.store import Store

    with Store(tmp_path / "home") as store, store.engine.begin() as conn:
        uid = auth.authenticate(conn, "ann", PASSWORD).id
        for agent in ("firefox", "curl"):
            auth.start_session(conn, uid, "198.51.100.1", agent)
    listed = runner.invoke(cli, [*home, "users", "sessions", "ann"])
    assert listed.exit_code == 0 and "firefox" in listed.output and "198.51.100.1" in listed.output
    assert "1 session(s) of ann ended" in runner.invoke(cli, [*home, "users", "revoke", "ann", "--session", "1"]).output
    changed = runner.invoke(cli, [*home, "users", "password", "ann", "--password", "another long one"])
    assert changed.exit_code == 0 and "1 session(s) ended" in changed.output
    assert "curl" not in runner.invoke(cli, [*home, "users", "sessions", "ann"]).output
    assert "curl" in runner.invoke(cli, [*home, "users", "sessions", "ann", "--ended"]).output
    assert runner.invoke(cli, [*home, "users", "revoke", "nobody"]).exit_code != 0
    assert runner.invoke(cli, [*home, "users", "password", "ann", "--password", "short"]).exit_code != 0


def test_sessions_past_their_age_are_not_listed_as_live(server):
    viewer = server.client("viewer")
    with server.store.engine.begin() as conn:
        S = schema.user_sessions
        conn.execute(S.update().values(created_at=datetime.now(UTC) - timedelta(days=15)))
    with server.client() as api:
        assert api.get("/api/users/viewer/sessions", headers=server.bearer("admin")).json() == []
        assert len(api.get("/api/users/viewer/sessions?ended=true", headers=server.bearer("admin")).json()) == 1
    assert _me(viewer) is None  # ended, whatever its cookie's own timestamp says
