"""The server: JSON API (this package) and HTML pages (recruitwatch.web) from one core (core.py).

`create_app` and `Settings` are imported on first use, so that the command line, which imports
`recruitwatch.api.commands` at start, does not pay for importing FastAPI on every command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recruitwatch.api.app import create_app
    from recruitwatch.api.settings import Settings

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from recruitwatch.api.app import create_app

        return create_app
    if name == "Settings":
        from recruitwatch.api.settings import Settings

        return Settings
    raise AttributeError(name)
