"""The store's tables, declared once (SQLAlchemy Core). Alembic migrations in `migrations/`
create and change them; `tests/store/test_migrations.py` checks the two agree."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
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


def _event_copies() -> list[Column]:
    """The event's type, dates and review status, copied by triggers (migration 0008): the events
    page filtered by a region or nationality is read from one index range of these rows."""
    return [Column("event_type", String(32)), Column("date_start", Date), Column("date_end", Date),
            Column("review_status", String(12))]


event_regions = Table(
    "event_regions", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("region", String(8), primary_key=True),
    *_event_copies(),
    Index("ix_event_regions_region", "region"),
)

event_nationalities = Table(
    "event_nationalities", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("nationality", String(2), primary_key=True),
    *_event_copies(),
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

# --- Sessions and failed logins (migration 0007) ------------------------------------------------
# A session cookie names one row here by the SHA-256 of its random token: logout, revocation by
# an admin, disabling the user or a password change end it server-side at once.
user_sessions = Table(
    "user_sessions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("address", String(64), nullable=False),
    Column("user_agent", String(200), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoked_reason", String(40)),  # logout | revoked | disabled | password
)

# One row per failed login, kept for the rate limit's window; in the database so that the limit
# holds across several server processes.
login_failures = Table(
    "login_failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("address", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_username_at", "username", "at"),
    Index("ix_login_failures_address_at", "address", "at"),
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

Index("ix_event_regions_region_event", event_regions.c.region, event_regions.c.event_id)

# The events page (migration 0008, replacing 0003's ix_events_date_id): a page's ids, filtered
# by type, dates and status, from one index range. On PostgreSQL the migration orders them
# date_start DESC NULLS LAST, id DESC (event_id DESC) with the rest as INCLUDE columns, and adds
# ix_events_page_asc (date_start ASC NULLS LAST, id ASC) for the oldest-first page.
Index("ix_events_page", events.c.date_start, events.c.id, events.c.event_type, events.c.date_end,
      events.c.review_status)
Index("ix_event_regions_page", event_regions.c.region, event_regions.c.date_start, event_regions.c.event_id,
      event_regions.c.event_type, event_regions.c.date_end, event_regions.c.review_status)
Index("ix_event_nationalities_page", event_nationalities.c.nationality, event_nationalities.c.date_start,
      event_nationalities.c.event_id, event_nationalities.c.event_type, event_nationalities.c.date_end,
      event_nationalities.c.review_status)


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

# --- Corroboration (migration 0005) ------------------------------------------------------------
# The source registry (kind, country, Admiralty grade, monitoring periods), document lineages
# (near-duplicate and syndicated copies, with each document's MinHash signature), incidents
# (events of different documents describing one happening) and incident-level aggregates.
# Lineages and incidents are derived (analysis.lineage, analysis.incidents recompute them);
# sources and grades hold an analyst's work.

sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False, unique=True),  # "web:meduza.io", "telegram:astrapress", "court:…"
    Column("name", Text, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("country", String(2)),
    # The Admiralty code: F and 6 mean "cannot be judged" until an analyst grades it.
    Column("reliability", String(1), nullable=False, server_default="F"),
    Column("credibility", Integer, nullable=False, server_default="6"),
    Column("graded_by", String(64)),
    Column("graded_at", DateTime(timezone=True)),
    Column("note", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

source_monitoring = Table(
    "source_monitoring", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("start", Date, nullable=False),
    Column("end", Date),  # null: still monitored
    # True: the default period (from the first capture), moved by later captures; False: an analyst's.
    Column("automatic", Boolean, nullable=False, server_default=true()),
)

document_sources = Table(
    "document_sources", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, index=True),
)

document_lineages = Table(
    "document_lineages", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("lineage_id", Integer, nullable=False, index=True),  # its first stored member's document id
    Column("original", Boolean, nullable=False, server_default=false()),
    Column("similarity", Float),  # estimated Jaccard with the original
    Column("signature", LargeBinary, nullable=False),  # MinHash: num_perm unsigned 32-bit values, little-endian
    Column("shingles", Integer, nullable=False),  # how many distinct shingles it was made of
)

# LSH: one row per (band of the signature, document); candidates come from the primary key.
lineage_buckets = Table(
    "lineage_buckets", metadata,
    Column("bucket", BigInteger, primary_key=True, autoincrement=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)

incidents = Table(
    "incidents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # its smallest member event id
    Column("event_type", String(32), nullable=False),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("week", Date),
    Column("country", String(2)),
    Column("regions", JSON, nullable=False),
    Column("place", Text),
    Column("counts", JSON, nullable=False),  # every stated count, side by side, never averaged
    Column("count_low", Integer),
    Column("count_high", Integer),
    Column("nationalities", JSON, nullable=False),
    Column("conflicts", JSON, nullable=False),  # field -> differing values
    Column("events", Integer, nullable=False),
    Column("documents", Integer, nullable=False),
    Column("lineages", Integer, nullable=False),  # independent lineages reporting it
    Column("best_reliability", String(1), nullable=False),
    Column("best_credibility", Integer, nullable=False),
    Index("ix_incidents_type_date", "event_type", "date_start"),
)

incident_events = Table(
    "incident_events", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False, index=True),
)

incident_regions = Table(
    "incident_regions", metadata,
    Column("incident_id", Integer, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    Column("region", String(8), primary_key=True),
    Index("ix_incident_regions_region", "region"),
)


def _incident_sums() -> list[Column]:
    return [Column("event_type", String(32), nullable=False), Column("best_reliability", String(1), nullable=False),
            Column("incidents", Integer, nullable=False), Column("people_low", Integer, nullable=False),
            Column("people_high", Integer, nullable=False)]


# Rewritten whenever incidents are recomputed: by week (every incident once) and by region and
# week (an incident in two regions counts in both).
agg_incident_weeks = Table("agg_incident_weeks", metadata, Column("key", String(120), primary_key=True),
                           Column("week", Date), *_incident_sums())
agg_incident_regions = Table("agg_incident_regions", metadata, Column("key", String(120), primary_key=True),
                             Column("region", String(8)), Column("week", Date), *_incident_sums())

# --- Surge alerts already shown (migration 0006) -----------------------------------------------
# Which alerts each reader (`alerts`, `watch`…) has shown, so the next run lists only what is new;
# and an index by which the alerts find their week's incidents.
alert_seen = Table(
    "alert_seen", metadata,
    Column("consumer", String(32), primary_key=True),
    Column("key", String(80), primary_key=True),  # "week|region|event_type"
    Column("week", Date, nullable=False),
    Column("region", String(8), nullable=False),
    Column("event_type", String(32), nullable=False),
    Column("events", Integer, nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)
Index("ix_incidents_week_type", incidents.c.week, incidents.c.event_type)
