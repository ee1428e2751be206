"""returns bench: return receipts (one per parcel) and returned units

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "return_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_no", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("return_tracking", sa.String(length=40), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("expected_id", sa.Integer(), nullable=True),
        sa.Column("matched_by", sa.String(length=16), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("cod", sa.Boolean(), nullable=False),
        sa.Column("note", sa.JSON(), nullable=True),
        sa.Column("note_text", sa.Text(), nullable=True),
        sa.Column("location", sa.String(length=32), nullable=True),
        sa.Column("exchange_order_no", sa.String(length=64), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=64), nullable=True),
        sa.Column("station", sa.String(length=64), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["expected_id"], ["expected_return.id"],
                                name=op.f("fk_return_receipt_expected_id_expected_return")),
        sa.ForeignKeyConstraint(["order_id"], ["shop_order.id"], name=op.f("fk_return_receipt_order_id_shop_order")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_receipt")),
        sa.UniqueConstraint("receipt_no", name=op.f("uq_return_receipt_receipt_no")),
    )
    with op.batch_alter_table("return_receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_receipt_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_receipt_return_tracking"), ["return_tracking"], unique=False)
        batch_op.create_index(batch_op.f("ix_return_receipt_order_id"), ["order_id"], unique=False)
    op.create_table(
        "return_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("unit_no", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("conditions", sa.String(length=100), nullable=False),
        sa.Column("decision", sa.String(length=24), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("postage", sa.String(length=8), nullable=False),
        sa.Column("decision_text", sa.Text(), nullable=False),
        sa.Column("overridden_by", sa.String(length=64), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("disposition", sa.String(length=16), nullable=True),
        sa.Column("location", sa.String(length=32), nullable=True),
        sa.Column("disposed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disposed_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["shop_order.id"], name=op.f("fk_return_item_order_id_shop_order")),
        sa.ForeignKeyConstraint(["receipt_id"], ["return_receipt.id"], ondelete="CASCADE",
                                name=op.f("fk_return_item_receipt_id_return_receipt")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_item")),
        sa.UniqueConstraint("order_id", "sku", "unit_no", name="uq_return_item_unit"),
    )
    with op.batch_alter_table("return_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_item_receipt_id"), ["receipt_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("return_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_item_receipt_id"))
    op.drop_table("return_item")
    with op.batch_alter_table("return_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_receipt_order_id"))
        batch_op.drop_index(batch_op.f("ix_return_receipt_return_tracking"))
        batch_op.drop_index(batch_op.f("ix_return_receipt_status"))
    op.drop_table("return_receipt")
