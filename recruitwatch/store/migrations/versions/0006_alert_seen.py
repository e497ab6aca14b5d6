"""Surge alerts already reported (issue 8, item 5): `recruitwatch alerts` and `watch` list what
is new since their last run, so each keeps the alerts it has shown, by its own name.

An alert is named by its week, region and event type; its figures are recomputed every time, only
the fact that it was shown (and when, with how many incidents) is kept here. An index on the
incidents by week and type lets an alert find its incidents' events without a scan.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_seen",
        sa.Column("consumer", sa.String(32), primary_key=True),  # "cli", "watch", "web"…
        sa.Column("key", sa.String(80), primary_key=True),  # "2023-11-20|RU-KR|detention"
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("region", sa.String(8), nullable=False),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("events", sa.Integer, nullable=False),  # the week's count when it was shown
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    # An alert lists the events of its week's incidents: found by week and type, not by a scan.
    op.create_index("ix_incidents_week_type", "incidents", ["week", "event_type"])


def downgrade() -> None:
    op.drop_index("ix_incidents_week_type", table_name="incidents")
    op.drop_table("alert_seen")
