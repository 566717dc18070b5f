"""citizen scorecards: collectives, their scorecard rounds and answers, published periods

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "collective",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_collective_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective")),
        sa.UniqueConstraint(
            "organisation_id", "name", name=op.f("uq_collective_organisation_id_name")
        ),
    )
    with op.batch_alter_table("collective", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_collective_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "scorecard_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collective_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=False),
        sa.Column("block", sa.String(length=100), nullable=False),
        sa.Column("duty_bearer", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "granted",
                "pending",
                "refused",
                name="scorecard_outcome",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("days_waited", sa.Integer(), nullable=True),
        sa.Column("round_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["collective_id"],
            ["collective.id"],
            name=op.f("fk_scorecard_round_collective_id_collective"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecard_round")),
        sa.UniqueConstraint(
            "collective_id", "round_key", name=op.f("uq_scorecard_round_collective_id_round_key")
        ),
    )
    with op.batch_alter_table("scorecard_round", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scorecard_round_collective_id"), ["collective_id"], unique=False
        )

    op.create_table(
        "scorecard_answer",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("face", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["scorecard_round.id"],
            name=op.f("fk_scorecard_answer_round_id_scorecard_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", "question_id", name=op.f("pk_scorecard_answer")),
    )

    op.create_table(
        "scorecard_publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collective_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=80), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("statuses", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collective_id"],
            ["collective.id"],
            name=op.f("fk_scorecard_publication_collective_id_collective"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecard_publication")),
        sa.UniqueConstraint(
            "collective_id", "period", name=op.f("uq_scorecard_publication_collective_id_period")
        ),
    )
    with op.batch_alter_table("scorecard_publication", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scorecard_publication_collective_id"), ["collective_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("scorecard_publication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scorecard_publication_collective_id"))
    op.drop_table("scorecard_publication")
    op.drop_table("scorecard_answer")
    with op.batch_alter_table("scorecard_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scorecard_round_collective_id"))
    op.drop_table("scorecard_round")
    with op.batch_alter_table("collective", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collective_organisation_id"))
    op.drop_table("collective")
