"""cash on delivery, insured value and freight payment of an order, printed on its waybill and sent to
the e-waybill services that take them

Revision ID: 0018
Revises: 0017

Orders from before have none of the three: their waybills print the zones empty, as before.
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shop_order") as batch:
        batch.add_column(sa.Column("cod_amount", sa.Numeric(12, 2), nullable=True))
        batch.add_column(sa.Column("insured_value", sa.Numeric(12, 2), nullable=True))
        batch.add_column(sa.Column("payment_method", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shop_order") as batch:
        for column in ("payment_method", "insured_value", "cod_amount"):
            batch.drop_column(column)
