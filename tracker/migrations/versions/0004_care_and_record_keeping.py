"""care follow-ups and referrals; edit versions; one session per module and date; response keys

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 19:14:44.209019

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.String(length=64), nullable=False),
        sa.Column(
            "timepoint",
            sa.Enum(
                "pre",
                "post",
                "follow_up",
                "retro_pre",
                name="timepoint",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "closed",
                name="follow_up_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
            name=op.f("fk_follow_up_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_follow_up_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
        sa.UniqueConstraint(
            "cohort_id",
            "participant_id",
            "instrument_id",
            "timepoint",
            "item_id",
            name=op.f("uq_follow_up_cohort_id_participant_id_instrument_id_timepoint_item_id"),
        ),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_follow_up_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("follow_up_id", sa.Integer(), nullable=True),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=False),
        sa.Column("made_by", sa.String(length=80), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "waiting",
                "reached",
                "declined",
                "not_reached",
                name="referral_outcome",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("next_check_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
            name=op.f("fk_referral_cohort_id_cohort"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_up.id"],
            name=op.f("fk_referral_follow_up_id_follow_up"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_referral_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_referral_follow_up_id"), ["follow_up_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_referral_participant_id"), ["participant_id"], unique=False
        )

    with op.batch_alter_table("assessment_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("evaluation_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("response_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.create_unique_constraint(
            batch_op.f("uq_evaluation_response_cohort_id_form_id_response_key"),
            ["cohort_id", "form_id", "response_key"],
        )

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("day", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    # A session created twice before this revision keeps its roster: the copies become
    # days 2, 3... of that date (oldest first), so the new rule holds and nothing is lost.
    op.execute(
        "UPDATE training_session SET day = (SELECT COUNT(*) FROM training_session AS t2"
        " WHERE t2.cohort_id = training_session.cohort_id"
        " AND t2.module_id = training_session.module_id"
        " AND t2.held_on = training_session.held_on AND t2.id <= training_session.id)"
    )
    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_training_session_cohort_id_module_id_held_on_day"),
            ["cohort_id", "module_id", "held_on", "day"],
        )


def downgrade():
    with op.batch_alter_table("training_session", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_training_session_cohort_id_module_id_held_on_day"), type_="unique"
        )
        batch_op.drop_column("version")
        batch_op.drop_column("day")

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_column("version")

    with op.batch_alter_table("evaluation_response", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_evaluation_response_cohort_id_form_id_response_key"), type_="unique"
        )
        batch_op.drop_column("version")
        batch_op.drop_column("response_key")

    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.drop_column("version")

    with op.batch_alter_table("assessment_response", schema=None) as batch_op:
        batch_op.drop_column("version")

    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_participant_id"))
        batch_op.drop_index(batch_op.f("ix_referral_follow_up_id"))
        batch_op.drop_index(batch_op.f("ix_referral_cohort_id"))

    op.drop_table("referral")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_participant_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_cohort_id"))

    op.drop_table("follow_up")
