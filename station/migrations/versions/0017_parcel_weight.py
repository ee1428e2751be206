"""parcel weights (issue 18): the weight the scale read at the pack bench, what was expected, who let
a mismatch go, and the parcel's contents as one comparable text (the learned weight's key)

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op


revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("parcel") as batch:
        batch.add_column(sa.Column("weight_g", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("weight_expected_g", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("weight_basis", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("weight_released_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("contents_key", sa.String(length=400), nullable=True))
    op.create_index("ix_parcel_contents_key", "parcel", ["contents_key"])


def downgrade() -> None:
    op.drop_index("ix_parcel_contents_key", table_name="parcel")
    with op.batch_alter_table("parcel") as batch:
        for name in ("contents_key", "weight_released_by", "weight_basis", "weight_expected_g", "weight_g"):
            batch.drop_column(name)
