"""waybill routing data: per parcel the courier's routing code, hub, QR and print data and where the
number came from; per pool number the routing code and hub a courier's file may carry; the platform's
encrypted recipient (oaid) of an order

Revision ID: 0013
Revises: 0012

Parcels and pool numbers from before have none: their waybills print an empty routing zone for the
courier's pen (the routing code Station used to invent from the address is gone).
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("parcel") as batch:
        batch.add_column(sa.Column("waybill_provider", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("routing_code", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("hub_name", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("hub_code", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("qr_data", sa.Text(), nullable=True))
        batch.add_column(sa.Column("print_data", sa.Text(), nullable=True))
        batch.add_column(sa.Column("waybill_cancelled_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("waybill_number") as batch:
        batch.add_column(sa.Column("routing_code", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("hub_name", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("hub_code", sa.String(length=40), nullable=True))
    with op.batch_alter_table("shop_order") as batch:
        batch.add_column(sa.Column("recipient_oaid", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shop_order") as batch:
        batch.drop_column("recipient_oaid")
    with op.batch_alter_table("waybill_number") as batch:
        for column in ("hub_code", "hub_name", "routing_code"):
            batch.drop_column(column)
    with op.batch_alter_table("parcel") as batch:
        for column in ("waybill_cancelled_at", "print_data", "qr_data", "hub_code", "hub_name", "routing_code",
                       "waybill_provider"):
            batch.drop_column(column)
