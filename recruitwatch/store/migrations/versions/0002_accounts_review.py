"""Accounts (users, API tokens), the review audit trail, and full-text search over documents.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# SQLite: an FTS5 index whose content is the documents table itself (no second copy of the
# text), kept in step by triggers. unicode61 folds case for Cyrillic as well as Latin.
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER documents_fts_au AFTER UPDATE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
]
# PostgreSQL: the search queries both configurations, so both get an index.
PG_FTS = [
    f"CREATE INDEX ix_documents_fts_{lang} ON documents USING gin "
    f"(to_tsvector('{cfg}', coalesce(title, '') || ' ' || text))"
    for lang, cfg in (("ru", "russian"), ("en", "english"))
]


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "event_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON, nullable=False),
    )
    op.create_index("ix_event_audit_event_id", "event_audit", ["event_id"])
    for statement in SQLITE_FTS if op.get_bind().dialect.name == "sqlite" else PG_FTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS documents_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    else:
        for lang in ("ru", "en"):
            op.execute(f"DROP INDEX IF EXISTS ix_documents_fts_{lang}")
    for table in ("event_audit", "api_tokens", "users"):
        op.drop_table(table)
