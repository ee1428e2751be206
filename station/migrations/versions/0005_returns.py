"""returns: expected returns, return receipts, note matching index, unidentified parcels

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "expected_return",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("return_tracking", sa.String(length=40), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["shop_order.id"], name=op.f("fk_expected_return_order_id_shop_order")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expected_return")),
    )
    with op.batch_alter_table("expected_return", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expected_return_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_expected_return_return_tracking"), ["return_tracking"], unique=False)
    op.create_table(
        "return_match_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["shop_order.id"], ondelete="CASCADE",
                                name=op.f("fk_return_match_key_order_id_shop_order")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_match_key")),
    )
    with op.batch_alter_table("return_match_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_match_key_order_id"), ["order_id"], unique=False)
        batch_op.create_index("ix_return_match_lookup", ["kind", "key", "shipped_at", "order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("return_match_key", schema=None) as batch_op:
        batch_op.drop_index("ix_return_match_lookup")
        batch_op.drop_index(batch_op.f("ix_return_match_key_order_id"))
    op.drop_table("return_match_key")
    with op.batch_alter_table("expected_return", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expected_return_return_tracking"))
        batch_op.drop_index(batch_op.f("ix_expected_return_order_id"))
    op.drop_table("expected_return")
