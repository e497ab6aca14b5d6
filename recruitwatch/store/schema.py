"""The store's tables, declared once (SQLAlchemy Core). Alembic migrations in `migrations/`
create and change them; `tests/store/test_migrations.py` checks the two agree."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

blobs = Table(
    "blobs", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("media_type", String(100)),
    Column("origin", Text, nullable=False),  # where it was first captured from
    Column("captured_at", DateTime(timezone=True), nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("blob_sha256", String(64), ForeignKey("blobs.sha256"), nullable=False),
    Column("part", String(100), nullable=False, default=""),  # message or item within one file
    Column("origin", Text, nullable=False),
    Column("media_type", String(100)),
    Column("title", Text),
    Column("published", Date),
    Column("language", String(16)),
    Column("encoding", String(32)),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False, index=True),
    Column("meta", JSON, nullable=False, default=dict),
    Column("synthetic", Boolean, nullable=False, default=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("blob_sha256", "part", name="uq_documents_blob_part"),
)

cases = Table(
    "cases", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("case_number", String(100), index=True),
    Column("court", Text),
    Column("region", String(8), index=True),
    Column("judge", Text),
    Column("decision_date", Date, index=True),
    Column("received_date", Date),
    Column("article", String(20), index=True),
    Column("article_part", String(20)),
    Column("result", Text),
    Column("instance", String(20)),
    Column("citizenship", JSON, nullable=False, default=list),
    Column("birth_year", Integer),
    Column("fine_rub", Integer),
    Column("expulsion", String(40)),
    Column("facility", Text),
    Column("released", Boolean, nullable=False, default=False),
)

quotes = Table(
    "quotes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    UniqueConstraint("document_id", "start", "end", name="uq_quotes_span"),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("quote_id", Integer, ForeignKey("quotes.id", ondelete="CASCADE"), nullable=False),
    Column("event_type", String(32), nullable=False),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("date_precision", String(10)),
    Column("week", Date),  # Monday of date_start's ISO week, kept on write for weekly figures
    Column("country", String(2)),
    Column("regions", JSON, nullable=False, default=list),
    Column("place", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("geo_precision", String(12)),
    Column("count", Integer),
    Column("count_text", Text),
    Column("nationalities", JSON, nullable=False, default=list),
    Column("actors", JSON, nullable=False, default=list),
    Column("fine_rub", Integer),
    Column("facility", Text),
    Column("claimed_by", Text),
    Column("confidence", Float, nullable=False),
    Column("rules", JSON, nullable=False, default=dict),
    Column("review_status", String(12), nullable=False, default="machine"),
    Index("ix_events_type_date", "event_type", "date_start"),
)

# One row per (event, region) and (event, nationality): statistics group and filter on these
# through indexes instead of unpacking JSON lists row by row.
event_regions = Table(
    "event_regions", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("region", String(8), primary_key=True),
    Index("ix_event_regions_region", "region"),
)

event_nationalities = Table(
    "event_nationalities", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("nationality", String(2), primary_key=True),
    Index("ix_event_nationalities_nationality", "nationality"),
)

# --- Accounts and review (migration 0002) ------------------------------------------------------
# Full-text search is not declared here: SQLAlchemy Core has no FTS5 virtual table, and the
# PostgreSQL GIN indexes are expressions over documents.text. Migration 0002 creates them:
# SQLite: virtual table `documents_fts` (FTS5, external content = documents, kept by triggers);
# PostgreSQL: GIN indexes on to_tsvector('russian', text) and to_tsvector('english', text).

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),  # argon2id, encoded with its parameters
    Column("role", String(16), nullable=False),  # viewer | analyst | admin
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(100), nullable=False, default=""),
    # Only the SHA-256 of a token is kept: a stolen database does not give working tokens.
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)

event_audit = Table(
    "event_audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("username", String(64), nullable=False),  # kept even if the user is removed later
    Column("at", DateTime(timezone=True), nullable=False),
    Column("action", String(16), nullable=False),  # add | confirm | correct | reject
    Column("reason", Text),
    Column("before", JSON),  # the event's fields before the change (null when added)
    Column("after", JSON, nullable=False),
)

# --- Aggregates and query indexes (migration 0003) ---------------------------------------------
# Event counts and people by day and by region, kept up to date on write: triggers on `events`
# add signed delta rows; `store.aggregates.compact` folds them into the aggregates. The
# dashboard's figures read aggregates plus deltas instead of scanning a million events.

# (On PostgreSQL the migration orders it date_start DESC NULLS LAST, id DESC: the events page's order.)
Index("ix_events_date_id", events.c.date_start, events.c.id)
Index("ix_event_regions_region_event", event_regions.c.region, event_regions.c.event_id)


def _day_columns() -> list[Column]:
    return [Column("event_type", String(32), nullable=False), Column("date_start", Date), Column("date_end", Date),
            Column("week", Date), Column("review_status", String(12), nullable=False)]


def _region_columns() -> list[Column]:
    return [Column("region", String(8)), Column("event_type", String(32), nullable=False),
            Column("review_status", String(12), nullable=False)]


def _sums() -> list[Column]:
    return [Column("events", Integer, nullable=False), Column("people", Integer, nullable=False)]


# The key is the group's values joined in one text: NULLs never match in a unique index.
agg_event_days = Table("agg_event_days", metadata, Column("key", String(120), primary_key=True),
                       *_day_columns(), *_sums())
agg_event_regions = Table("agg_event_regions", metadata, Column("key", String(80), primary_key=True),
                          *_region_columns(), *_sums())
agg_event_day_deltas = Table("agg_event_day_deltas", metadata,
                             Column("id", Integer, primary_key=True, autoincrement=True), *_day_columns(), *_sums())
agg_event_region_deltas = Table("agg_event_region_deltas", metadata,
                                Column("id", Integer, primary_key=True, autoincrement=True), *_region_columns(),
                                *_sums())

# --- More aggregates (migration 0004) ----------------------------------------------------------
# Events and people by nationality, by week, and the map's places (grouped by place and
# coordinates), kept the same way: triggers add signed deltas, `store.aggregates.compact` folds them.


def _nationality_columns() -> list[Column]:
    return [Column("nationality", String(2)), Column("event_type", String(32), nullable=False),
            Column("review_status", String(12), nullable=False)]


def _place_columns() -> list[Column]:
    return [Column("place", Text, nullable=False), Column("lat", Float, nullable=False), Column("lon", Float),
            Column("event_type", String(32), nullable=False), Column("review_status", String(12), nullable=False)]


agg_event_nationalities = Table("agg_event_nationalities", metadata, Column("key", String(80), primary_key=True),
                                *_nationality_columns(), *_sums())
agg_event_nationality_deltas = Table("agg_event_nationality_deltas", metadata,
                                     Column("id", Integer, primary_key=True, autoincrement=True),
                                     *_nationality_columns(), *_sums())
def _week_columns() -> list[Column]:
    return [Column("week", Date), Column("event_type", String(32), nullable=False),
            Column("review_status", String(12), nullable=False)]


agg_event_weeks = Table("agg_event_weeks", metadata, Column("key", String(80), primary_key=True), *_week_columns(),
                        *_sums())
agg_event_week_deltas = Table("agg_event_week_deltas", metadata,
                              Column("id", Integer, primary_key=True, autoincrement=True), *_week_columns(), *_sums())
agg_event_places = Table("agg_event_places", metadata, Column("key", Text, primary_key=True), *_place_columns(),
                         *_sums())
agg_event_place_deltas = Table("agg_event_place_deltas", metadata,
                               Column("id", Integer, primary_key=True, autoincrement=True), *_place_columns(),
                               *_sums())
