"""audit events say which cohort's figures they can change, so that a write makes stale only
the cached summary counts of the cohort it touched

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 01:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# What tracker.records.audit counts as changing no figure, when this migration was written.
READS = ("sign_in", "download")
NO_FIGURES = ("user", "api_token", "release", "file")


def upgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("changes_figures", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("cohort_id", sa.Integer(), nullable=True))
    # Earlier events named no cohort: each one stands for its whole organisation, as before.
    audit = sa.table(
        "audit_event",
        sa.column("action", sa.String),
        sa.column("entity", sa.String),
        sa.column("changes_figures", sa.Boolean),
    )
    op.execute(
        audit.update()
        .where(audit.c.action.not_in(READS), audit.c.entity.not_in(NO_FIGURES))
        .values(changes_figures=sa.true())
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_event_figures",
            ["changes_figures", "cohort_id", "organisation_id", "id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_figures")
        batch_op.drop_column("cohort_id")
        batch_op.drop_column("changes_figures")
