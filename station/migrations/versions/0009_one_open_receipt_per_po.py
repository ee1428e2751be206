"""receipts: one open receipt per PO (a partial unique index on the open receipts' po_id)

Two receive stations scanning one PO at the same moment each opened a receipt, and each
receipt let the PO quantity plus the tolerance in. The index makes a second open receipt for
a PO impossible; ``receiving.open_receipt`` locks the PO row and joins the open receipt.

A database that already holds several open receipts for one PO keeps the oldest open; the
newer ones are closed (``closed_by`` = ``migration 0009``) with every line, lot and ledger
movement they booked left as it is: nothing is deleted or moved, and the open receipt's
tolerance check counts their units (see docs/inbound.md).

Revision ID: 0009
Revises: 0008
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_OPEN = sa.text("status = 'open'")
CLOSED_BY = "migration 0009"


def upgrade() -> None:
    now = datetime.now(timezone.utc)
    if op.get_bind().dialect.name == "sqlite":  # stored naive in UTC there, as station.db.UTCDateTime does
        now = now.replace(tzinfo=None)
    receipt = sa.table("receipt", sa.column("id", sa.Integer), sa.column("po_id", sa.Integer),
                       sa.column("status", sa.String), sa.column("closed_at", sa.DateTime),
                       sa.column("closed_by", sa.String))
    older = sa.alias(receipt, "older")
    has_older_open = (sa.select(older.c.id)
                      .where(older.c.po_id == receipt.c.po_id, older.c.status == "open", older.c.id < receipt.c.id)
                      .exists())
    op.execute(receipt.update()
               .where(receipt.c.status == "open", receipt.c.po_id.is_not(None), has_older_open)
               .values(status="closed", closed_at=now, closed_by=CLOSED_BY))
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.create_index("uq_receipt_one_open_per_po", ["po_id"], unique=True,
                              postgresql_where=_OPEN, sqlite_where=_OPEN)


def downgrade() -> None:
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.drop_index("uq_receipt_one_open_per_po")
