"""orders, parcels, waybills, outbox

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handover_no', sa.String(length=32), nullable=False),
    sa.Column('courier', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover')),
    sa.UniqueConstraint('handover_no', name=op.f('uq_handover_handover_no'))
    )
    op.create_table('pick_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_no', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('criteria', sa.Text(), nullable=True),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pick_batch')),
    sa.UniqueConstraint('batch_no', name=op.f('uq_pick_batch_batch_no'))
    )
    op.create_table('print_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document', sa.String(length=32), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('station', sa.String(length=64), nullable=True),
    sa.Column('reprint', sa.Boolean(), nullable=False),
    sa.Column('printer', sa.String(length=200), nullable=True),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_job'))
    )
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_print_job_document'), ['document'], unique=False)
        batch_op.create_index(batch_op.f('ix_print_job_reference'), ['reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_print_job_status'), ['status'], unique=False)

    op.create_table('setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('shop_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_no', sa.String(length=64), nullable=False),
    sa.Column('shop', sa.String(length=64), nullable=True),
    sa.Column('buyer_account', sa.String(length=100), nullable=True),
    sa.Column('recipient', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('province', sa.String(length=40), nullable=True),
    sa.Column('city', sa.String(length=40), nullable=True),
    sa.Column('district', sa.String(length=40), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('postcode', sa.String(length=16), nullable=True),
    sa.Column('courier', sa.String(length=16), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('buyer_message', sa.Text(), nullable=True),
    sa.Column('seller_memo', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source_status', sa.String(length=64), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('tracking_no', sa.String(length=40), nullable=True),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['pick_batch.id'], name=op.f('fk_shop_order_batch_id_pick_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_order')),
    sa.UniqueConstraint('order_no', name=op.f('uq_shop_order_order_no'))
    )
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_order_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_order_buyer_account'), ['buyer_account'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_order_paid_at'), ['paid_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_order_shop'), ['shop'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_order_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_order_tracking_no'), ['tracking_no'], unique=False)

    op.create_table('order_hold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.Column('resolution', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['order_id'], ['shop_order.id'], name=op.f('fk_order_hold_order_id_shop_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_hold'))
    )
    with op.batch_alter_table('order_hold', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_hold_order_id'), ['order_id'], unique=False)

    op.create_table('order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('colour', sa.String(length=64), nullable=True),
    sa.Column('size', sa.String(length=32), nullable=True),
    sa.Column('gift', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['shop_order.id'], name=op.f('fk_order_line_order_id_shop_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_line'))
    )
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_line_order_id'), ['order_id'], unique=False)

    op.create_table('parcel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('courier', sa.String(length=16), nullable=True),
    sa.Column('tracking_no', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('packed_by', sa.String(length=64), nullable=True),
    sa.Column('station', sa.String(length=64), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handover_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['handover_id'], ['handover.id'], name=op.f('fk_parcel_handover_id_handover')),
    sa.ForeignKeyConstraint(['order_id'], ['shop_order.id'], name=op.f('fk_parcel_order_id_shop_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parcel')),
    sa.UniqueConstraint('order_id', 'seq', name=op.f('uq_parcel_order_id')),
    sa.UniqueConstraint('tracking_no', name=op.f('uq_parcel_tracking_no'))
    )
    with op.batch_alter_table('parcel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parcel_handover_id'), ['handover_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_parcel_order_id'), ['order_id'], unique=False)

    op.create_table('parcel_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parcel_id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parcel_id'], ['parcel.id'], name=op.f('fk_parcel_item_parcel_id_parcel'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parcel_item'))
    )
    with op.batch_alter_table('parcel_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parcel_item_parcel_id'), ['parcel_id'], unique=False)

    op.create_table('waybill_number',
    sa.Column('tracking_no', sa.String(length=40), nullable=False),
    sa.Column('courier', sa.String(length=16), nullable=False),
    sa.Column('parcel_id', sa.Integer(), nullable=True),
    sa.Column('allocated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['parcel_id'], ['parcel.id'], name=op.f('fk_waybill_number_parcel_id_parcel')),
    sa.PrimaryKeyConstraint('tracking_no', name=op.f('pk_waybill_number')),
    sa.UniqueConstraint('parcel_id', name=op.f('uq_waybill_number_parcel_id'))
    )
    with op.batch_alter_table('waybill_number', schema=None) as batch_op:
        batch_op.create_index('ix_waybill_free', ['courier', 'parcel_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('waybill_number', schema=None) as batch_op:
        batch_op.drop_index('ix_waybill_free')

    op.drop_table('waybill_number')
    with op.batch_alter_table('parcel_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parcel_item_parcel_id'))

    op.drop_table('parcel_item')
    with op.batch_alter_table('parcel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parcel_order_id'))
        batch_op.drop_index(batch_op.f('ix_parcel_handover_id'))

    op.drop_table('parcel')
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_line_order_id'))

    op.drop_table('order_line')
    with op.batch_alter_table('order_hold', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_hold_order_id'))

    op.drop_table('order_hold')
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_order_tracking_no'))
        batch_op.drop_index(batch_op.f('ix_shop_order_status'))
        batch_op.drop_index(batch_op.f('ix_shop_order_shop'))
        batch_op.drop_index(batch_op.f('ix_shop_order_paid_at'))
        batch_op.drop_index(batch_op.f('ix_shop_order_buyer_account'))
        batch_op.drop_index(batch_op.f('ix_shop_order_batch_id'))

    op.drop_table('shop_order')
    op.drop_table('setting')
    with op.batch_alter_table('print_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_print_job_status'))
        batch_op.drop_index(batch_op.f('ix_print_job_reference'))
        batch_op.drop_index(batch_op.f('ix_print_job_document'))

    op.drop_table('print_job')
    op.drop_table('pick_batch')
    op.drop_table('handover')
