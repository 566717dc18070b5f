"""covering indexes for the summary queries

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 17:00:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attendance_session_status",
            ["session_id", "status", "participant_id"],
            unique=False,
        )
    with op.batch_alter_table("assessment_answer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessment_answer_response_item_value",
            ["response_id", "item_id", "value"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("assessment_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_assessment_answer_response_item_value")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_session_status")
