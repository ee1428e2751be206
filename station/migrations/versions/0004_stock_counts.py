"""stock counts: count plans, count lines, variances

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_cost", sa.Numeric(precision=12, scale=2), nullable=True))

    op.create_table(
        "stock_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_no", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=500), nullable=False),
        sa.Column("skus", sa.String(length=2000), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("tolerance_qty", sa.Integer(), nullable=False),
        sa.Column("tolerance_value", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_count")),
        sa.UniqueConstraint("count_no", name=op.f("uq_stock_count_count_no")),
    )
    op.create_index(op.f("ix_stock_count_status"), "stock_count", ["status"], unique=False)

    op.create_table(
        "count_bin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("counted_by", sa.String(length=64), nullable=True),
        sa.Column("first_counted_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["count_id"], ["stock_count.id"], name=op.f("fk_count_bin_count_id_stock_count")),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], name=op.f("fk_count_bin_location_id_location")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_bin")),
        sa.UniqueConstraint("count_id", "location_id", name="uq_count_bin_count_location"),
    )
    op.create_index(op.f("ix_count_bin_location_id"), "count_bin", ["location_id"], unique=False)

    op.create_table(
        "count_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("counted_qty", sa.Integer(), nullable=False),
        sa.Column("book_qty", sa.Integer(), nullable=False),
        sa.Column("unit_cost", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counted_by", sa.String(length=64), nullable=True),
        sa.Column("first_qty", sa.Integer(), nullable=True),
        sa.Column("first_counted_by", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("recount_reason", sa.String(length=16), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("posted_qty", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["count_id"], ["stock_count.id"], name=op.f("fk_count_line_count_id_stock_count")),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], name=op.f("fk_count_line_location_id_location")),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"], name=op.f("fk_count_line_product_id_product")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_line")),
        sa.UniqueConstraint("count_id", "location_id", "product_id", name="uq_count_line_count_location_product"),
    )
    op.create_index("ix_count_line_count_status", "count_line", ["count_id", "status"], unique=False)

    op.create_table(
        "count_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["count_id"], ["stock_count.id"], name=op.f("fk_count_event_count_id_stock_count")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_event")),
    )
    op.create_index(op.f("ix_count_event_count_id"), "count_event", ["count_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_count_event_count_id"), table_name="count_event")
    op.drop_table("count_event")
    op.drop_index("ix_count_line_count_status", table_name="count_line")
    op.drop_table("count_line")
    op.drop_index(op.f("ix_count_bin_location_id"), table_name="count_bin")
    op.drop_table("count_bin")
    op.drop_index(op.f("ix_stock_count_status"), table_name="stock_count")
    op.drop_table("stock_count")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("unit_cost")
