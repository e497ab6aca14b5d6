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
