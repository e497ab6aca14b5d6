"""CSRF, escaping, the Content-Security-Policy, cookies, and who sees personal names."""

import re

import pytest

from tests.api.conftest import ROLES, csrf_of


def test_cookie_writes_without_or_with_a_wrong_csrf_token_are_refused(server):
    analyst = server.client("analyst")
    path = f"/api/events/{server.event_ids['court:fine']}/confirm"
    assert analyst.post(path).status_code == 403
    assert analyst.post(path, headers={"X-CSRF-Token": "forged"}).status_code == 403
    forged_cookie = server.client("analyst")  # a planted cookie must carry our signature
    forged_cookie.cookies.set("rw_csrf", "planted", domain="testserver.local")
    assert forged_cookie.post(path, headers={"X-CSRF-Token": "planted"}).status_code == 403
    assert analyst.post(path, headers={"X-CSRF-Token": analyst.cookies.get("rw_csrf")}).status_code == 200


def test_html_forms_without_the_token_are_refused(server):
    analyst = server.client("analyst")
    ev = server.event_ids["court:fine"]
    assert analyst.post(f"/events/{ev}/review", data={"action": "confirm"}).status_code == 403
    assert analyst.post("/logout", data={}).status_code == 403
    anonymous = server.client()
    anonymous.get("/login")
    assert anonymous.post("/login", data={"username": "admin", "password": "x" * 10}).status_code == 403


def test_bearer_writes_need_no_csrf_token(server):
    with server.client() as api:
        path = f"/api/events/{server.event_ids['court:fine']}/confirm"
        assert api.post(path, headers=server.bearer("analyst")).status_code == 200


def test_login_sets_a_signed_httponly_lax_cookie_and_wrong_passwords_fail(server):
    client = server.client()
    page = client.get("/login")
    response = client.post("/login", data={"username": "analyst", "password": "wrong password",
                                           "csrf_token": csrf_of(page.text)})
    assert response.status_code == 401 and "Wrong user name or password" in response.text
    response = client.post("/login", data={"username": "analyst", "password": "correct horse battery",
                                           "csrf_token": csrf_of(page.text), "next": "//evil.example/"})
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "rw_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    client.cookies.set("rw_session", "tampered", domain="testserver.local")
    assert client.get("/api/me").json() == {"user": None}


def test_secure_cookies_setting(store):
    from tests.api.conftest import Server

    server = Server(store)
    server.app.state.settings.secure_cookies = True
    client = server.client()
    page = client.get("/login")
    assert "Secure" in page.headers["set-cookie"]
    response = client.post("/login", data={"username": "viewer", "password": "correct horse battery",
                                           "csrf_token": csrf_of(page.text)})
    assert "Secure" in response.headers["set-cookie"]


def test_logout_ends_the_session(server):
    client = server.client("viewer")
    assert client.get("/api/me").json()["user"]["role"] == "viewer"
    page = client.get("/")
    assert client.post("/logout", data={"csrf_token": csrf_of(page.text)}).status_code == 303
    assert client.get("/api/me").json() == {"user": None}


@pytest.mark.parametrize("path", ["/events/{ev}", "/documents/{doc}", "/events", "/", "/documents",
                                  "/search?q=Pechenga"])
def test_document_markup_is_shown_escaped_never_run(server, clients, path):
    page = clients["analyst"].get(path.format(ev=server.event_ids["news:detention"], doc=server.seeded.news_doc))
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<b>in</b>" not in page.text
    if "{" in path:
        assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page.text


@pytest.mark.parametrize("path", ["/", "/events", "/events/{ev}", "/documents/{doc}", "/search", "/login", "/account"])
def test_pages_have_a_strict_csp_and_no_inline_script(server, clients, path):
    page = clients["analyst"].get(path.format(ev=server.event_ids["news:detention"], doc=server.seeded.news_doc))
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for tag in re.findall(r"<script[^>]*>", page.text):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " on" not in "".join(re.findall(r"<[a-z]+ [^>]*\bon\w+=", page.text))  # no onclick= handlers


@pytest.mark.parametrize("role", [None, "viewer"])
def test_viewers_see_pseudonyms_not_names(server, clients, role):
    client = clients[role]
    ev = client.get(f"/api/events/{server.event_ids['court:detention']}").json()
    dumped = str(ev)
    assert "Абдуллахи" not in dumped and "Петров П.П." not in dumped and "[лицо-" in ev["event"]["quote"]
    for path in (f"/api/documents/{server.seeded.court_doc}", "/api/events", "/api/search?q=суд",
                 "/api/stats?by=region&explain=true", f"/events/{server.event_ids['court:detention']}",
                 f"/documents/{server.seeded.court_doc}", "/"):
        assert "Абдуллахи" not in client.get(path).text, path


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_analysts_and_admins_see_names(server, clients, role):
    ev = clients[role].get(f"/api/events/{server.event_ids['court:detention']}").json()
    assert ev["event"]["quote"].startswith("Абдуллахи М.А.") and ev["case"]["judge"] == "Петров П.П."


def test_pseudonyms_are_stable_and_distinct():
    from recruitwatch.api.names import pseudonymise

    text = "Иванов И.И. и Петрова А. Б. видели И.И. Иванова; Иванов И.И. ушёл. В Петрозаводске Суд. Дело."
    out = pseudonymise(text, "k")
    names = re.findall(r"\[лицо-[0-9a-f]{6}\]", out)
    assert len(names) == 4 and names[0] == names[3] and len(set(names)) == 3
    assert out.endswith("ушёл. В Петрозаводске Суд. Дело.")
    assert pseudonymise(text, "k") == out and pseudonymise(text, "other") != out
    assert pseudonymise("Police detained 12 migrants", "k") == "Police detained 12 migrants"


@pytest.mark.parametrize("role", ROLES)
def test_me_reports_the_role(clients, role):
    assert clients[role].get("/api/me").json()["user"] == {"username": role, "role": role}
