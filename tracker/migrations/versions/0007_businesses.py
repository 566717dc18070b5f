"""business records: businesses, their partners, stocktakings, risks met and disbursements

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 22:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def _version() -> sa.Column:
    return sa.Column("version", sa.Integer(), server_default="1", nullable=False)


def _business_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["business_id"],
        ["business.id"],
        name=op.f(f"fk_{table}_business_id_business"),
        ondelete="CASCADE",
    )


def upgrade():
    op.create_table(
        "business",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("group_business", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _version(),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
            name=op.f("fk_business_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_business_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business")),
        sa.UniqueConstraint(
            "cohort_id",
            "participant_id",
            "kind",
            "started_on",
            name=op.f("uq_business_cohort_id_participant_id_kind_started_on"),
        ),
    )
    with op.batch_alter_table("business", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_business_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_business_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "business_partner",
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        _business_fk("business_partner"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_business_partner_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("business_id", "participant_id", name=op.f("pk_business_partner")),
    )
    with op.batch_alter_table("business_partner", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_business_partner_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "business_stocktaking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column(
            "stage",
            _enum(
                "business_stage", "start_up", "initial_growth", "maturity", "expansion", "closed"
            ),
            nullable=False,
        ),
        sa.Column("running", sa.Boolean(), nullable=False),
        sa.Column("other_risk", sa.String(length=200), nullable=True),
        sa.Column("next_steps", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _version(),
        _business_fk("business_stocktaking"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_stocktaking")),
        sa.UniqueConstraint(
            "business_id", "taken_on", name=op.f("uq_business_stocktaking_business_id_taken_on")
        ),
    )
    with op.batch_alter_table("business_stocktaking", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_business_stocktaking_business_id"), ["business_id"], unique=False
        )

    op.create_table(
        "business_risk",
        sa.Column("stocktaking_id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["stocktaking_id"],
            ["business_stocktaking.id"],
            name=op.f("fk_business_risk_stocktaking_id_business_stocktaking"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("stocktaking_id", "risk_id", name=op.f("pk_business_risk")),
    )

    op.create_table(
        "business_disbursement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("money_kind", "grant", "loan"), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _version(),
        _business_fk("business_disbursement"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_disbursement")),
        sa.UniqueConstraint(
            "business_id",
            "paid_on",
            "kind",
            "source",
            name=op.f("uq_business_disbursement_business_id_paid_on_kind_source"),
        ),
    )
    with op.batch_alter_table("business_disbursement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_business_disbursement_business_id"), ["business_id"], unique=False
        )


def downgrade():
    for table in ("business_disbursement", "business_stocktaking"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_business_id"))
    op.drop_table("business_disbursement")
    op.drop_table("business_risk")
    op.drop_table("business_stocktaking")
    with op.batch_alter_table("business_partner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_business_partner_participant_id"))
    op.drop_table("business_partner")
    with op.batch_alter_table("business", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_business_participant_id"))
        batch_op.drop_index(batch_op.f("ix_business_cohort_id"))
    op.drop_table("business")
