"""product pictures for the pack bench (issue 17): one small JPEG per product

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op


revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "product_image",
        sa.Column("product_id", sa.Integer(), sa.ForeignKey("product.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("product_image")
