"""pack video clips (issue 18): one row per clip, filed by tracking number

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op


revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pack_clip",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_no", sa.String(length=64), nullable=False),
        sa.Column("tracking_no", sa.String(length=200), nullable=True),
        sa.Column("station", sa.String(length=64), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("frames", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("stills", sa.JSON(), nullable=False),
        sa.Column("disputed", sa.Boolean(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_pack_clip_order_no", "pack_clip", ["order_no"])
    op.create_index("ix_pack_clip_tracking_no", "pack_clip", ["tracking_no"])


def downgrade() -> None:
    op.drop_index("ix_pack_clip_tracking_no", table_name="pack_clip")
    op.drop_index("ix_pack_clip_order_no", table_name="pack_clip")
    op.drop_table("pack_clip")
