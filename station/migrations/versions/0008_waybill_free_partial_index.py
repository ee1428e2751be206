"""waybill numbers: the next free number from a partial index of the free ones

The index on (courier, parcel_id, tracking_no) did not give PostgreSQL the numbers in
order (``parcel_id IS NULL`` is not an equality to it), so it walked the primary key and
skipped every number already used: a take got slower with every parcel of the range.
An index of only the free numbers, by courier and number, hands over the next one at once.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_FREE = sa.text("parcel_id IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("waybill_number", schema=None) as batch_op:
        batch_op.drop_index("ix_waybill_next_free")
        batch_op.create_index("ix_waybill_free_numbers", ["courier", "tracking_no"], unique=False,
                              postgresql_where=_FREE, sqlite_where=_FREE)


def downgrade() -> None:
    with op.batch_alter_table("waybill_number", schema=None) as batch_op:
        batch_op.drop_index("ix_waybill_free_numbers")
        batch_op.create_index("ix_waybill_next_free", ["courier", "parcel_id", "tracking_no"], unique=False)
