"""scan log: where a scan came from (scanner or typed) and its message as msgid and parameters

Revision ID: 0011
Revises: 0010

Rows from before keep ``source = 'scan'`` and no message; saved bench states are unchanged
(their messages are plain text and are shown as they were saved).
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scan_event") as batch:
        batch.add_column(sa.Column("source", sa.String(length=8), nullable=False, server_default="scan"))
        batch.add_column(sa.Column("message", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scan_event") as batch:
        batch.drop_column("message")
        batch.drop_column("source")
