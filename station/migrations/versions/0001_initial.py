"""catalog, ledger, scan log

Revision ID: 0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bench_state',
    sa.Column('station', sa.String(length=64), nullable=False),
    sa.Column('bench', sa.String(length=32), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=True),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('station', 'bench', name=op.f('pk_bench_state'))
    )
    op.create_table('courier',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name_zh', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=64), nullable=False),
    sa.Column('tracking_pattern', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_courier'))
    )
    op.create_table('location',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('zone', sa.String(length=32), nullable=True),
    sa.CheckConstraint("kind IN ('receiving', 'stock', 'quarantine', 'packing', 'returns', 'scrap', 'supplier', 'customer', 'adjustment')", name=op.f('ck_location_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_location')),
    sa.UniqueConstraint('code', name=op.f('uq_location_code'))
    )
    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('style', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('colour', sa.String(length=64), nullable=True),
    sa.Column('size', sa.String(length=32), nullable=True),
    sa.Column('category', sa.String(length=64), nullable=True),
    sa.Column('flags', sa.String(length=100), nullable=False),
    sa.Column('weight_g', sa.Integer(), nullable=True),
    sa.Column('reorder_point', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('supplier', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product')),
    sa.UniqueConstraint('sku', name=op.f('uq_product_sku'))
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_style'), ['style'], unique=False)

    op.create_table('scan_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('bench', sa.String(length=32), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('code', sa.String(length=48), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=True),
    sa.Column('station', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scan_event'))
    )
    with op.batch_alter_table('scan_event', schema=None) as batch_op:
        batch_op.create_index('ix_scan_event_bench_at', ['bench', 'at'], unique=False)

    op.create_table('station_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('badge', sa.String(length=64), nullable=False),
    sa.Column('roles', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_station_user')),
    sa.UniqueConstraint('badge', name=op.f('uq_station_user_badge')),
    sa.UniqueConstraint('name', name=op.f('uq_station_user_name'))
    )
    op.create_table('balance',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_balance_location_id_location')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_balance_product_id_product')),
    sa.PrimaryKeyConstraint('product_id', 'location_id', name=op.f('pk_balance'))
    )
    with op.batch_alter_table('balance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_balance_location_id'), ['location_id'], unique=False)

    op.create_table('barcode',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('pack_qty', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_barcode_product_id_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_barcode'))
    )
    with op.batch_alter_table('barcode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_barcode_product_id'), ['product_id'], unique=False)

    op.create_table('movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('qty', sa.Integer(), nullable=False),
    sa.Column('from_location_id', sa.Integer(), nullable=False),
    sa.Column('to_location_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('document', sa.String(length=64), nullable=True),
    sa.Column('user', sa.String(length=64), nullable=True),
    sa.Column('station', sa.String(length=64), nullable=True),
    sa.CheckConstraint('from_location_id <> to_location_id', name=op.f('ck_movement_distinct_locations')),
    sa.CheckConstraint('qty > 0', name=op.f('ck_movement_qty_positive')),
    sa.ForeignKeyConstraint(['from_location_id'], ['location.id'], name=op.f('fk_movement_from_location_id_location')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_movement_product_id_product')),
    sa.ForeignKeyConstraint(['to_location_id'], ['location.id'], name=op.f('fk_movement_to_location_id_location')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_movement'))
    )
    with op.batch_alter_table('movement', schema=None) as batch_op:
        batch_op.create_index('ix_movement_product_from', ['product_id', 'from_location_id'], unique=False)
        batch_op.create_index('ix_movement_product_to', ['product_id', 'to_location_id'], unique=False)

    # The virtual locations are the other side of the books; every database has them.
    location = sa.table("location", sa.column("code", sa.String), sa.column("kind", sa.String))
    op.bulk_insert(location, [
        {"code": "SUPPLIER", "kind": "supplier"},
        {"code": "CUSTOMER", "kind": "customer"},
        {"code": "ADJUSTMENT", "kind": "adjustment"},
    ])


def downgrade() -> None:
    with op.batch_alter_table('movement', schema=None) as batch_op:
        batch_op.drop_index('ix_movement_product_to')
        batch_op.drop_index('ix_movement_product_from')

    op.drop_table('movement')
    with op.batch_alter_table('barcode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_barcode_product_id'))

    op.drop_table('barcode')
    with op.batch_alter_table('balance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_balance_location_id'))

    op.drop_table('balance')
    op.drop_table('station_user')
    with op.batch_alter_table('scan_event', schema=None) as batch_op:
        batch_op.drop_index('ix_scan_event_bench_at')

    op.drop_table('scan_event')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_style'))

    op.drop_table('product')
    op.drop_table('location')
    op.drop_table('courier')
    op.drop_table('bench_state')
