"""The server: JSON API (this package) and HTML pages (recruitwatch.web) from one core (core.py)."""

from recruitwatch.api.app import create_app
from recruitwatch.api.settings import Settings

__all__ = ["Settings", "create_app"]
