"""Accounts: users with roles, argon2 passwords, signed session cookies, CSRF tokens, API tokens.

Who is asking is decided once per request (`request_user`): a Bearer token for scripts, else the
session cookie. Requests that change anything and come with a cookie must also carry the CSRF
token (form field `csrf_token` or header `X-CSRF-Token`) equal to the `rw_csrf` cookie: another
site can make a browser send our cookies, but cannot read them to copy the token. Bearer
requests need no CSRF token because browsers never attach them on their own.

Sessions live in the database (`user_sessions`): the cookie carries a signed random token whose
SHA-256 names the row, so a session ends server-side on logout, on an admin's revocation, when
its user is disabled or their password changes. Failed logins are counted in the database too
(`login_failures`), per account and per client address, so the rate limit holds across several
server processes: past the limit a login is refused (429, Retry-After) before its password is
even checked, until the oldest failure in the window ages out; a successful login clears the
account's count.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from recruitwatch.store import schema

ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")
SESSION_COOKIE, CSRF_COOKIE = "rw_session", "rw_csrf"
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class AccountError(ValueError):
    pass


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    via_token: bool = False

    def has(self, role: str) -> bool:
        """True when this user's role is `role` or above it."""
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def sees_names(self) -> bool:
        return self.has("analyst")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(conn: Connection, username: str, password: str, role: str) -> int:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
    if len(password) < 8:
        raise AccountError("a password needs at least 8 characters")
    if conn.execute(select(schema.users.c.id).where(schema.users.c.username == username)).first():
        raise AccountError(f"user {username!r} exists")
    return conn.execute(insert(schema.users).values(
        username=username, password_hash=hash_password(password), role=role, disabled=False,
        created_at=datetime.now(UTC))).inserted_primary_key[0]


def list_users(conn: Connection) -> list[dict[str, Any]]:
    U = schema.users
    rows = conn.execute(select(U.c.id, U.c.username, U.c.role, U.c.disabled, U.c.created_at).order_by(U.c.id))
    return [dict(r._mapping) for r in rows]


def set_disabled(conn: Connection, username: str, disabled: bool = True) -> None:
    """Disable (or enable again) a user; disabling ends their sessions for good, so enabling
    the account later does not bring an old cookie back to life."""
    done = conn.execute(update(schema.users).where(schema.users.c.username == username).values(disabled=disabled))
    if done.rowcount == 0:
        raise AccountError(f"no user {username!r}")
    if disabled:
        revoke_sessions(conn, username, reason="disabled")


def set_password(conn: Connection, username: str, password: str) -> int:
    """Give a user a new password and end all their sessions; return how many were ended.
    API tokens stay: they are revoked on their own (or by disabling the user)."""
    if len(password) < 8:
        raise AccountError("a password needs at least 8 characters")
    done = conn.execute(update(schema.users).where(schema.users.c.username == username)
                        .values(password_hash=hash_password(password)))
    if done.rowcount == 0:
        raise AccountError(f"no user {username!r}")
    return revoke_sessions(conn, username, reason="password")


def authenticate(conn: Connection, username: str, password: str) -> User | None:
    U = schema.users
    row = conn.execute(select(U).where(U.c.username == username)).first()
    if row is None:
        _hasher.hash(password)  # spend the same time as for a real user: names are not probed
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return None if row.disabled else User(row.id, row.username, row.role)


def create_token(conn: Connection, user_id: int, name: str = "") -> str:
    """A new API token for the user; returned once, only its hash is stored."""
    token = "rw_" + secrets.token_urlsafe(32)
    conn.execute(insert(schema.api_tokens).values(user_id=user_id, name=name, token_sha256=_sha(token),
                                                  created_at=datetime.now(UTC), revoked=False))
    return token


def user_by_token(conn: Connection, token: str) -> User | None:
    T, U = schema.api_tokens, schema.users
    row = conn.execute(select(U.c.id, U.c.username, U.c.role).join(T, T.c.user_id == U.c.id).where(
        T.c.token_sha256 == _sha(token), T.c.revoked.is_(False), U.c.disabled.is_(False))).first()
    return User(row.id, row.username, row.role, via_token=True) if row else None


def _sha(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- sessions -----------------------------------------------------------------------------------

LAST_SEEN_EVERY = timedelta(minutes=5)  # last_seen is written at most this often: reads stay reads
SESSION_MAX_AGE = 14 * 24 * 3600  # seconds; the cookie's signed timestamp enforces it (Sessions.load)


def start_session(conn: Connection, user_id: int, address: str, user_agent: str) -> str:
    """A new session for the user; returns its token (kept only as a hash, like API tokens)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    conn.execute(insert(schema.user_sessions).values(
        user_id=user_id, token_sha256=_sha(token), created_at=now, last_seen=now, address=address[:64],
        user_agent=user_agent[:200], revoked_at=None))
    return token


def user_by_session(conn: Connection, token: str, max_age: int = SESSION_MAX_AGE) -> User | None:
    """The user of a live session: not ended, younger than `max_age` seconds (the cookie's
    signature says so too, see Sessions.load), and its user not disabled."""
    S, U = schema.user_sessions, schema.users
    now = datetime.now(UTC)
    row = conn.execute(select(U.c.id, U.c.username, U.c.role, S.c.id.label("sid"), S.c.last_seen)
                       .join(S, S.c.user_id == U.c.id)
                       .where(S.c.token_sha256 == _sha(token), S.c.revoked_at.is_(None),
                              S.c.created_at > now - timedelta(seconds=max_age), U.c.disabled.is_(False))).first()
    if row is None:
        return None
    if now - _aware(row.last_seen) > LAST_SEEN_EVERY:
        conn.execute(update(S).where(S.c.id == row.sid).values(last_seen=now))  # the caller commits
    return User(row.id, row.username, row.role)


def end_session(conn: Connection, token: str, reason: str = "logout") -> bool:
    S = schema.user_sessions
    done = conn.execute(update(S).where(S.c.token_sha256 == _sha(token), S.c.revoked_at.is_(None))
                        .values(revoked_at=datetime.now(UTC), revoked_reason=reason))
    return done.rowcount > 0


def list_sessions(conn: Connection, username: str, include_ended: bool = False,
                  max_age: int = SESSION_MAX_AGE) -> list[dict[str, Any]]:
    """A user's sessions, newest first: when and where from they began, when last seen. Live
    ones only unless `include_ended`: not ended, and younger than `max_age` seconds."""
    S, U = schema.user_sessions, schema.users
    user_id = conn.execute(select(U.c.id).where(U.c.username == username)).scalar()
    if user_id is None:
        raise AccountError(f"no user {username!r}")
    query = select(S.c.id, S.c.created_at, S.c.last_seen, S.c.address, S.c.user_agent, S.c.revoked_at,
                   S.c.revoked_reason).where(S.c.user_id == user_id).order_by(S.c.id.desc())
    if not include_ended:
        query = query.where(S.c.revoked_at.is_(None), S.c.created_at > datetime.now(UTC) - timedelta(seconds=max_age))
    return [dict(r._mapping) for r in conn.execute(query)]


def revoke_sessions(conn: Connection, username: str, session_id: int | None = None, reason: str = "revoked") -> int:
    """End a user's live sessions (or the one with `session_id`); return how many were ended."""
    S, U = schema.user_sessions, schema.users
    user_id = conn.execute(select(U.c.id).where(U.c.username == username)).scalar()
    if user_id is None:
        raise AccountError(f"no user {username!r}")
    query = update(S).where(S.c.user_id == user_id, S.c.revoked_at.is_(None))
    if session_id is not None:
        query = query.where(S.c.id == session_id)
    return conn.execute(query.values(revoked_at=datetime.now(UTC), revoked_reason=reason)).rowcount


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite gives naive UTC back


# --- login rate limit ------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoginLimits:
    per_account: int = 5  # failures within the window before an account's logins are refused
    per_address: int = 20  # the same for one client address, whatever the accounts tried
    window: int = 15 * 60  # seconds


class TooManyFailures(Exception):
    def __init__(self, retry_after: int, what: str) -> None:
        super().__init__(f"too many failed logins for this {what}; try again in {retry_after} s")
        self.retry_after = retry_after


def attempt_login(conn: Connection, username: str, password: str, address: str,
                  limits: LoginLimits | None = None) -> User | None:
    """`authenticate` behind the rate limit: raises TooManyFailures while the account or the
    address is over its limit (without checking the password, so guesses teach nothing), records
    a failure, or clears the account's failures on success. The caller commits."""
    limits, now, F = limits or LoginLimits(), datetime.now(UTC), schema.login_failures
    for what, column, value, limit in (("account", F.c.username, username, limits.per_account),
                                       ("address", F.c.address, address, limits.per_address)):
        wait = _wait(conn, column, value, limit, limits.window, now)
        if wait:
            raise TooManyFailures(wait, what)
    user = authenticate(conn, username, password)
    if user is None:
        conn.execute(delete(F).where(F.c.at < now - timedelta(seconds=limits.window)))  # the table stays small
        conn.execute(insert(F).values(username=username[:64], address=address[:64], at=now))
    else:
        conn.execute(delete(F).where(F.c.username == username))
    return user


def _wait(conn: Connection, column: Any, value: str, limit: int, window: int, now: datetime) -> int:
    """Seconds until fewer than `limit` failures with `column == value` lie within the window."""
    since = now - timedelta(seconds=window)
    F = schema.login_failures
    recent = conn.execute(select(F.c.at).where(column == value[:64], F.c.at > since)
                          .order_by(F.c.at.desc()).limit(limit)).scalars().all()
    if len(recent) < limit:
        return 0
    return max(1, int((_aware(recent[-1]) - since).total_seconds()) + 1)


def count_login_failures(conn: Connection, username: str) -> int:
    F = schema.login_failures
    return conn.execute(select(func.count()).select_from(F).where(F.c.username == username)).scalar_one()


class Sessions:
    """Signed, timed cookie values holding a session's token (its row says whose session it is,
    and whether it still holds; the role is read fresh on every request). The signature bounds
    a session's age and spares the database the lookup of a forged value."""

    def __init__(self, secret: str, max_age: int) -> None:
        self._signer = URLSafeTimedSerializer(secret, salt="recruitwatch-session")
        self._csrf = URLSafeTimedSerializer(secret, salt="recruitwatch-csrf")
        self.max_age = max_age

    def dump(self, token: str) -> str:
        return self._signer.dumps({"sid": token})

    def load(self, value: str | None) -> str | None:
        if not value:
            return None
        try:
            token = self._signer.loads(value, max_age=self.max_age)["sid"]
        except (BadSignature, KeyError, TypeError, ValueError):
            return None
        return token if isinstance(token, str) else None

    def new_csrf(self) -> str:
        return self._csrf.dumps(secrets.token_urlsafe(16))

    def csrf_ok(self, cookie: str | None, sent: str | None) -> bool:
        if not cookie or not sent or not hmac.compare_digest(cookie, sent):
            return False
        try:
            self._csrf.loads(cookie)  # signed by us: a value planted by someone else fails
        except BadSignature:
            return False
        return True
