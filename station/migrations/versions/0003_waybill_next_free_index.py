"""waybill numbers: index for taking the next free number in order

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("waybill_number", schema=None) as batch_op:
        batch_op.drop_index("ix_waybill_free")
        batch_op.create_index("ix_waybill_next_free", ["courier", "parcel_id", "tracking_no"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("waybill_number", schema=None) as batch_op:
        batch_op.drop_index("ix_waybill_next_free")
        batch_op.create_index("ix_waybill_free", ["courier", "parcel_id"], unique=False)
