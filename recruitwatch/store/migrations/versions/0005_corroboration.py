"""Corroboration (issue 8, items 1-3): the source registry with its Admiralty grades and
monitoring periods, document lineages (near-duplicate and syndicated copies, with each
document's MinHash signature), incidents (events from different documents describing one
happening) with their membership, and incident-level aggregates for the overview.

Lineages and incidents are derived data: `recruitwatch.analysis.lineage` and
`recruitwatch.analysis.incidents` recompute them at the end of every ingest (idempotently);
sources and grades are partly an analyst's work and are never recomputed away.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        # How documents name it: "web:meduza.io", "telegram:astrapress", "court:<court name>".
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("country", sa.String(2)),
        # The Admiralty code: F and 6 mean "cannot be judged" until an analyst grades it.
        sa.Column("reliability", sa.String(1), nullable=False, server_default="F"),
        sa.Column("credibility", sa.Integer, nullable=False, server_default="6"),
        sa.Column("graded_by", sa.String(64)),
        sa.Column("graded_at", sa.DateTime(timezone=True)),
        sa.Column("note", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "source_monitoring",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("end", sa.Date),  # null: still monitored
        # True: the default period (from the first capture), moved by later captures; False: an analyst's.
        sa.Column("automatic", sa.Boolean, nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "document_sources",
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False,
                  index=True),
    )
    op.create_table(
        "document_lineages",
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        # The lineage is named by its first stored member's document id.
        sa.Column("lineage_id", sa.Integer, nullable=False, index=True),
        sa.Column("original", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("similarity", sa.Float),  # estimated Jaccard with the original
        # The MinHash signature: num_perm unsigned 32-bit values, little-endian.
        sa.Column("signature", sa.LargeBinary, nullable=False),
        sa.Column("shingles", sa.Integer, nullable=False),  # how many distinct shingles it was made of
    )
    # LSH: one row per (band of the signature, document); a new document's candidates are the
    # documents sharing a bucket, found through the primary key instead of a reload of every signature.
    op.create_table(
        "lineage_buckets",
        sa.Column("bucket", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "incidents",
        # An incident's id is its smallest member event id: stable across recomputations.
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("week", sa.Date),
        sa.Column("country", sa.String(2)),
        sa.Column("regions", sa.JSON, nullable=False),
        sa.Column("place", sa.Text),
        sa.Column("counts", sa.JSON, nullable=False),  # every stated count, side by side, never averaged
        sa.Column("count_low", sa.Integer),
        sa.Column("count_high", sa.Integer),
        sa.Column("nationalities", sa.JSON, nullable=False),
        sa.Column("conflicts", sa.JSON, nullable=False),  # field -> differing values
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
        sa.Column("lineages", sa.Integer, nullable=False),  # independent lineages reporting it
        sa.Column("best_reliability", sa.String(1), nullable=False),
        sa.Column("best_credibility", sa.Integer, nullable=False),
        sa.Index("ix_incidents_type_date", "event_type", "date_start"),
    )
    op.create_table(
        "incident_events",
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False,
                  index=True),
    )
    op.create_table(
        "incident_regions",
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("region", sa.String(8), primary_key=True),
        sa.Index("ix_incident_regions_region", "region"),
    )
    # Incident figures for the overview, rewritten whenever incidents are recomputed: by week
    # (every incident once) and by region and week (an incident in two regions in both).
    op.create_table(
        "agg_incident_weeks",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("week", sa.Date),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("best_reliability", sa.String(1), nullable=False),
        sa.Column("incidents", sa.Integer, nullable=False),
        sa.Column("people_low", sa.Integer, nullable=False),
        sa.Column("people_high", sa.Integer, nullable=False),
    )
    op.create_table(
        "agg_incident_regions",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("region", sa.String(8)),
        sa.Column("week", sa.Date),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("best_reliability", sa.String(1), nullable=False),
        sa.Column("incidents", sa.Integer, nullable=False),
        sa.Column("people_low", sa.Integer, nullable=False),
        sa.Column("people_high", sa.Integer, nullable=False),
    )

def downgrade() -> None:
    for table in ("agg_incident_regions", "agg_incident_weeks", "incident_regions", "incident_events", "incidents",
                  "lineage_buckets", "document_lineages", "document_sources", "source_monitoring", "sources"):
        op.drop_table(table)
