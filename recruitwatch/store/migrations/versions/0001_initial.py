"""The first tables: blobs, documents, cases, quotes, events and their region and nationality rows.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("media_type", sa.String(100)),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("blob_sha256", sa.String(64), sa.ForeignKey("blobs.sha256"), nullable=False),
        sa.Column("part", sa.String(100), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("media_type", sa.String(100)),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("language", sa.String(16)),
        sa.Column("encoding", sa.String(32)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("blob_sha256", "part", name="uq_documents_blob_part"),
    )
    op.create_index("ix_documents_text_hash", "documents", ["text_hash"])
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  nullable=False, unique=True),
        sa.Column("case_number", sa.String(100)),
        sa.Column("court", sa.Text),
        sa.Column("region", sa.String(8)),
        sa.Column("judge", sa.Text),
        sa.Column("decision_date", sa.Date),
        sa.Column("received_date", sa.Date),
        sa.Column("article", sa.String(20)),
        sa.Column("article_part", sa.String(20)),
        sa.Column("result", sa.Text),
        sa.Column("instance", sa.String(20)),
        sa.Column("citizenship", sa.JSON, nullable=False),
        sa.Column("birth_year", sa.Integer),
        sa.Column("fine_rub", sa.Integer),
        sa.Column("expulsion", sa.String(40)),
        sa.Column("facility", sa.Text),
        sa.Column("released", sa.Boolean, nullable=False),
    )
    for column in ("case_number", "region", "decision_date", "article"):
        op.create_index(f"ix_cases_{column}", "cases", [column])
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.UniqueConstraint("document_id", "start", "end", name="uq_quotes_span"),
    )
    op.create_index("ix_quotes_document_id", "quotes", ["document_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("quote_id", sa.Integer, sa.ForeignKey("quotes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String(10)),
        sa.Column("week", sa.Date),
        sa.Column("country", sa.String(2)),
        sa.Column("regions", sa.JSON, nullable=False),
        sa.Column("place", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geo_precision", sa.String(12)),
        sa.Column("count", sa.Integer),
        sa.Column("count_text", sa.Text),
        sa.Column("nationalities", sa.JSON, nullable=False),
        sa.Column("actors", sa.JSON, nullable=False),
        sa.Column("fine_rub", sa.Integer),
        sa.Column("facility", sa.Text),
        sa.Column("claimed_by", sa.Text),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("rules", sa.JSON, nullable=False),
        sa.Column("review_status", sa.String(12), nullable=False),
    )
    op.create_index("ix_events_document_id", "events", ["document_id"])
    op.create_index("ix_events_type_date", "events", ["event_type", "date_start"])
    op.create_table(
        "event_regions",
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("region", sa.String(8), primary_key=True),
    )
    op.create_index("ix_event_regions_region", "event_regions", ["region"])
    op.create_table(
        "event_nationalities",
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("nationality", sa.String(2), primary_key=True),
    )
    op.create_index("ix_event_nationalities_nationality", "event_nationalities", ["nationality"])


def downgrade() -> None:
    for table in ("event_nationalities", "event_regions", "events", "quotes", "cases", "documents", "blobs"):
        op.drop_table(table)
