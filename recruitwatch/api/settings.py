"""How one instance of the server behaves: who may read, how cookies are set, where the JS lives."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from recruitwatch.api.auth import SESSION_MAX_AGE, LoginLimits

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Settings:
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    require_login: bool = False  # when true, reading needs an account too
    secure_cookies: bool = False  # true behind HTTPS: cookies are then never sent over plain HTTP
    node_modules: Path = REPO_ROOT / "node_modules"
    session_max_age: int = SESSION_MAX_AGE
    # Failed logins allowed per account and per client address within the window (seconds).
    login_limits: LoginLimits = field(default_factory=LoginLimits)
    page_size: int = 50


def load_secret(home: Path) -> str:
    """RECRUITWATCH_SECRET, else a key kept in the home folder, made once. A stable key keeps
    sessions alive across restarts and export pseudonyms the same from one export to the next."""
    if os.environ.get("RECRUITWATCH_SECRET"):
        return os.environ["RECRUITWATCH_SECRET"]
    path = home / "secret.key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
