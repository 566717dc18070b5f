"""audit events say which cohort's figures they can change, so that a write makes stale only
the cached summary counts of the cohort it touched; each release names the release it was
protected against, once

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

    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.add_column(sa.Column("follows", sa.Integer(), server_default="0", nullable=False))
    # Releases so far were made one after another: each follows the one before it.
    op.execute(
        "UPDATE release SET follows = COALESCE("
        "(SELECT max(earlier.id) FROM release AS earlier WHERE earlier.id < release.id), 0)"
    )
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_release_follows"), ["follows"])


def downgrade():
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_release_follows"), type_="unique")
        batch_op.drop_column("follows")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_figures")
        batch_op.drop_column("cohort_id")
        batch_op.drop_column("changes_figures")
