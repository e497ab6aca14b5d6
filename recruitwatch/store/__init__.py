"""Store: the database (SQLite or PostgreSQL), with the archive and custody log beside it (stage 5)."""

from recruitwatch.store.db import Store, StoredDocument, default_home

__all__ = ["Store", "StoredDocument", "default_home"]
