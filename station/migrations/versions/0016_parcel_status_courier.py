"""parcel (status, courier) index: the handover bench's parcels packed and on no list (issue 17)

Revision ID: 0016
Revises: 0015
"""
from alembic import op


revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_parcel_status_courier", "parcel", ["status", "courier"])


def downgrade() -> None:
    op.drop_index("ix_parcel_status_courier", table_name="parcel")
