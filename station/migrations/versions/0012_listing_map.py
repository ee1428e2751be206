"""listing map (商品对应): which of our products a shop listing is

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "listing_map",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("shop", sa.String(length=64), nullable=False),
        sa.Column("listing", sa.String(length=200), nullable=False),
        sa.Column("variant", sa.String(length=200), nullable=False),
        sa.Column("shop_sku", sa.String(length=64), nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.UniqueConstraint("shop", "listing", "variant", name="uq_listing_map_listing"),
    )
    op.create_index("ix_listing_map_shop_sku", "listing_map", ["shop", "shop_sku"])


def downgrade() -> None:
    op.drop_index("ix_listing_map_shop_sku", table_name="listing_map")
    op.drop_table("listing_map")
