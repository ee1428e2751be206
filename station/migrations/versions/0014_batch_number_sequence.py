"""batch numbers from a sequence: a counter per kind of number, never going back

Revision ID: 0014
Revises: 0013

``number_sequence`` holds the last number given for each kind (``pick_batch``); a batch takes
the next one in its own transaction, so a number is printed only once its batch is committed
and no later batch gets it again, whatever is deleted. Seeded from the batches already there.
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "number_sequence",
        sa.Column("name", sa.String(length=32), primary_key=True),
        sa.Column("last_value", sa.Integer(), nullable=False),
    )
    last = op.get_bind().scalar(sa.text("select coalesce(max(id), 0) from pick_batch"))
    op.bulk_insert(table, [{"name": "pick_batch", "last_value": int(last or 0)}])


def downgrade() -> None:
    op.drop_table("number_sequence")
