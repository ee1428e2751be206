"""parcel (status, courier) index, parcel.listed_at, return_receipt.shelved_items (issue 17)

The index finds the parcels packed and on no list after every handover scan; listed_at says when
a parcel went on its list (the bench shows the list newest first). shelved_items: the units of an
unidentified return parcel, on its shelf's books (ledger) until it is matched.

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op


revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("parcel") as batch_op:
        batch_op.add_column(sa.Column("listed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_parcel_status_courier", "parcel", ["status", "courier"])
    with op.batch_alter_table("return_receipt") as batch_op:
        batch_op.add_column(sa.Column("shelved_items", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("return_receipt") as batch_op:
        batch_op.drop_column("shelved_items")
    op.drop_index("ix_parcel_status_courier", table_name="parcel")
    with op.batch_alter_table("parcel") as batch_op:
        batch_op.drop_column("listed_at")
