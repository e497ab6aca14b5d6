"""Accounts: users with roles, argon2 passwords, signed session cookies, CSRF tokens, API tokens.

Who is asking is decided once per request (`request_user`): a Bearer token for scripts, else the
session cookie. Requests that change anything and come with a cookie must also carry the CSRF
token (form field `csrf_token` or header `X-CSRF-Token`) equal to the `rw_csrf` cookie: another
site can make a browser send our cookies, but cannot read them to copy the token. Bearer
requests need no CSRF token because browsers never attach them on their own.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import insert, select, update
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
    done = conn.execute(update(schema.users).where(schema.users.c.username == username).values(disabled=disabled))
    if done.rowcount == 0:
        raise AccountError(f"no user {username!r}")


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


def user_by_id(conn: Connection, user_id: int) -> User | None:
    U = schema.users
    row = conn.execute(select(U.c.id, U.c.username, U.c.role).where(U.c.id == user_id, U.c.disabled.is_(False))).first()
    return User(row.id, row.username, row.role) if row else None


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


class Sessions:
    """Signed, timed session values: the user's id, nothing else (the role is read fresh from
    the database on every request, so disabling a user or changing a role takes effect at once)."""

    def __init__(self, secret: str, max_age: int) -> None:
        self._signer = URLSafeTimedSerializer(secret, salt="recruitwatch-session")
        self._csrf = URLSafeTimedSerializer(secret, salt="recruitwatch-csrf")
        self.max_age = max_age

    def dump(self, user_id: int) -> str:
        return self._signer.dumps({"uid": user_id})

    def load(self, value: str | None) -> int | None:
        if not value:
            return None
        try:
            return int(self._signer.loads(value, max_age=self.max_age)["uid"])
        except (BadSignature, KeyError, TypeError, ValueError):
            return None

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
