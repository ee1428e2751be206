"""inbound: suppliers, purchase orders, receipts, quality check, quarantine, put-away, reorder points

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('purchase_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('po_no', sa.String(length=64), nullable=False),
    sa.Column('supplier', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order')),
    sa.UniqueConstraint('po_no', name=op.f('uq_purchase_order_po_no'))
    )
    op.create_table('purchase_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('po_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=12, scale=4), nullable=True),
    sa.Column('expected_date', sa.Date(), nullable=True),
    sa.CheckConstraint('qty > 0', name=op.f('ck_purchase_order_line_qty_positive')),
    sa.ForeignKeyConstraint(['po_id'], ['purchase_order.id'], name=op.f('fk_purchase_order_line_po_id_purchase_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_purchase_order_line_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_order_line')),
    sa.UniqueConstraint('po_id', 'product_id', name='uq_purchase_order_line_po_product')
    )
    with op.batch_alter_table('purchase_order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_order_line_po_id'), ['po_id'], unique=False)

    op.create_table('receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_no', sa.String(length=32), nullable=False),
    sa.Column('po_id', sa.Integer(), nullable=True),
    sa.Column('supplier', sa.String(length=100), nullable=False),
    sa.Column('blind_reason', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('location', sa.String(length=32), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by', sa.String(length=64), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=64), nullable=True),
    sa.Column('station', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['po_id'], ['purchase_order.id'], name=op.f('fk_receipt_po_id_purchase_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt')),
    sa.UniqueConstraint('receipt_no', name=op.f('uq_receipt_receipt_no'))
    )
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_po_id'), ['po_id'], unique=False)

    op.create_table('receipt_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('expected', sa.Integer(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('quarantined', sa.Integer(), nullable=False),
    sa.Column('on_po', sa.Boolean(), nullable=False),
    sa.Column('approved_by', sa.String(length=64), nullable=True),
    sa.Column('qc_result', sa.String(length=16), nullable=True),
    sa.Column('qc_reason', sa.String(length=200), nullable=True),
    sa.Column('qc_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_receipt_line_product_id_product')),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipt.id'], name=op.f('fk_receipt_line_receipt_id_receipt'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_line')),
    sa.UniqueConstraint('receipt_id', 'product_id', name='uq_receipt_line_receipt_product')
    )
    with op.batch_alter_table('receipt_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_line_receipt_id'), ['receipt_id'], unique=False)

    op.create_table('receipt_lot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('batch', sa.String(length=64), nullable=True),
    sa.Column('expiry', sa.Date(), nullable=True),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['receipt_line.id'], name=op.f('fk_receipt_lot_line_id_receipt_line'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_lot'))
    )
    with op.batch_alter_table('receipt_lot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_lot_line_id'), ['line_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('receipt_lot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_lot_line_id'))
    op.drop_table('receipt_lot')
    with op.batch_alter_table('receipt_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_line_receipt_id'))
    op.drop_table('receipt_line')
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_po_id'))
    op.drop_table('receipt')
    with op.batch_alter_table('purchase_order_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_order_line_po_id'))
    op.drop_table('purchase_order_line')
    op.drop_table('purchase_order')
