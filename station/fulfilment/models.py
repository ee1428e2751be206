"""Orders and everything that turns them into parcels on a courier's handover list."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.db import Base, UTCDateTime

ORDER_STATUSES = ("ready", "on_hold", "packing", "packed", "shipped", "delivered", "cancelled")
HOLD_CODES = ("incomplete_address", "incomplete_phone", "unknown_sku", "not_enough_stock", "buyer_message",
              "seller_memo", "cancelled", "changed_after_print", "short_pick", "manual", "unpaid", "refund",
              "partly_fulfilled", "unprintable_text")


class Order(Base):
    __tablename__ = "shop_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_no: Mapped[str] = mapped_column(String(64), unique=True)
    shop: Mapped[str | None] = mapped_column(String(64), index=True)
    buyer_account: Mapped[str | None] = mapped_column(String(100), index=True)
    recipient: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(40))
    province: Mapped[str | None] = mapped_column(String(40))
    city: Mapped[str | None] = mapped_column(String(40))
    district: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(16))
    # The platform's encrypted recipient (Taobao's oaid), passed to its e-waybill service untouched
    recipient_oaid: Mapped[str | None] = mapped_column(String(200))
    courier: Mapped[str | None] = mapped_column(String(16))
    # Printed on the waybill and sent to the e-waybill service (migration 0017): cash the courier
    # collects on delivery (代收货款), the declared value insured (保价), how the freight is paid
    # (parsers.model.PAYMENTS: prepaid 寄付, collect 到付, monthly 月结, third_party); None: none / not said.
    cod_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    insured_value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    payment_method: Mapped[str | None] = mapped_column(String(16))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    buyer_message: Mapped[str | None] = mapped_column(Text)
    seller_memo: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    source_status: Mapped[str | None] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))  # of the imported content, to see a change
    tracking_no: Mapped[str | None] = mapped_column(String(40), index=True)  # shipped outside Station
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("pick_batch.id"), index=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    lines: Mapped[list["OrderLine"]] = relationship(back_populates="order", order_by="OrderLine.line_no",
                                                    cascade="all, delete-orphan")
    holds: Mapped[list["OrderHold"]] = relationship(back_populates="order", order_by="OrderHold.id")
    parcels: Mapped[list["Parcel"]] = relationship(back_populates="order", order_by="Parcel.seq")

    __mapper_args__ = {"version_id_col": version}


class OrderLine(Base):
    __tablename__ = "order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("shop_order.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(64))
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    name: Mapped[str | None] = mapped_column(String(200))
    colour: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[str | None] = mapped_column(String(32))
    gift: Mapped[bool] = mapped_column(Boolean, default=False)

    order: Mapped[Order] = relationship(back_populates="lines")


class OrderHold(Base):
    """Why an order may not be packed now; released or cancelled by a person, who and when recorded."""

    __tablename__ = "order_hold"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("shop_order.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolution: Mapped[str | None] = mapped_column(String(16))  # released / cancelled / superseded

    order: Mapped[Order] = relationship(back_populates="holds")


class NumberSequence(Base):
    """The last number given of each kind (``pick_batch``): numbers only go up, never reused."""

    __tablename__ = "number_sequence"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)


class PickBatch(Base):
    __tablename__ = "pick_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_no: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(64))
    criteria: Mapped[str | None] = mapped_column(Text)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Parcel(Base):
    __tablename__ = "parcel"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("shop_order.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    courier: Mapped[str | None] = mapped_column(String(16))
    tracking_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(16))  # open, closed, void, shipped
    packed_by: Mapped[str | None] = mapped_column(String(64))
    station: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    handover_id: Mapped[int | None] = mapped_column(ForeignKey("handover.id"), index=True)
    listed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when it went on its handover list
    # Where the number came from and what the courier says about routing it (station.couriers);
    # empty: nobody said, and the waybill leaves the routing zone to the courier's pen.
    waybill_provider: Mapped[str | None] = mapped_column(String(16))
    routing_code: Mapped[str | None] = mapped_column(String(60))  # 三段码 / 大头笔
    hub_name: Mapped[str | None] = mapped_column(String(100))  # 集包地
    hub_code: Mapped[str | None] = mapped_column(String(40))
    qr_data: Mapped[str | None] = mapped_column(Text, deferred=True)
    print_data: Mapped[str | None] = mapped_column(Text, deferred=True)  # the service's, for its print component
    waybill_cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # a void number given back
    # The scale at the pack bench (issue 18, migration 0016): the weight read (g), the weight expected
    # then (g) and its basis (products / learned), who let a weight outside tolerance go; the contents
    # as ``SKU×QTY;…`` (station.weighing.contents_key): the parcels the learned weight is taken from.
    weight_g: Mapped[int | None] = mapped_column(Integer)
    weight_expected_g: Mapped[int | None] = mapped_column(Integer)
    weight_basis: Mapped[str | None] = mapped_column(String(16))
    weight_released_by: Mapped[str | None] = mapped_column(String(64))
    contents_key: Mapped[str | None] = mapped_column(String(400), index=True)

    order: Mapped[Order] = relationship(back_populates="parcels")
    items: Mapped[list["ParcelItem"]] = relationship(back_populates="parcel", cascade="all, delete-orphan")

    # The handover bench asks after every scan for the parcels packed and on no list (status, courier)
    __table_args__ = (UniqueConstraint("order_id", "seq"), Index("ix_parcel_status_courier", "status", "courier"))


class ParcelItem(Base):
    __tablename__ = "parcel_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcel.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    qty: Mapped[int] = mapped_column(Integer)

    parcel: Mapped[Parcel] = relationship(back_populates="items")


class WaybillNumber(Base):
    """A tracking number issued by a courier to this shop; allocated to exactly one parcel."""

    __tablename__ = "waybill_number"

    tracking_no: Mapped[str] = mapped_column(String(40), primary_key=True)
    courier: Mapped[str] = mapped_column(String(16))
    parcel_id: Mapped[int | None] = mapped_column(ForeignKey("parcel.id"), unique=True)
    allocated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # From the courier's file, when it gives them per number (station waybills add --file)
    routing_code: Mapped[str | None] = mapped_column(String(60))
    hub_name: Mapped[str | None] = mapped_column(String(100))
    hub_code: Mapped[str | None] = mapped_column(String(40))

    # The next free number of a courier comes straight off this index of the free ones, in
    # number order (used numbers leave it, so a take never walks past them).
    __table_args__ = (Index("ix_waybill_free_numbers", "courier", "tracking_no",
                            postgresql_where=text("parcel_id IS NULL"), sqlite_where=text("parcel_id IS NULL")),)


class Handover(Base):
    __tablename__ = "handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_no: Mapped[str] = mapped_column(String(32), unique=True)
    courier: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # open, closed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


#: The clues of a shipped order kept in ``MatchKey`` (see ``shipped_index``).
KEY_KINDS = ("phone", "last4", "name", "pinyin", "account")


class MatchKey(Base):
    """One normalised clue of a shipped order (phone, last four digits, name, pinyin, account),
    with the order's ship time, so that a note finds its candidates through one index."""

    __tablename__ = "return_match_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("shop_order.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    key: Mapped[str] = mapped_column(String(100))
    shipped_at: Mapped[datetime] = mapped_column(UTCDateTime())

    # order_id last: the lookup reads the index alone (covering), never the table rows.
    __table_args__ = (Index("ix_return_match_lookup", "kind", "key", "shipped_at", "order_id"),)


class PackClip(Base):
    """A pack video clip of an order (issue 18), on the bench PC that recorded it: see station.video.clips."""

    __tablename__ = "pack_clip"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_no: Mapped[str] = mapped_column(String(64), index=True)
    tracking_no: Mapped[str | None] = mapped_column(String(200), index=True)  # "+"-joined for several parcels
    station: Mapped[str | None] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(Text)  # on that station
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    frames: Mapped[int] = mapped_column(Integer, default=0)
    bytes: Mapped[int] = mapped_column(Integer, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=True)  # False: the camera went away during it
    stills: Mapped[list] = mapped_column(JSON, default=list)  # [[second in the clip, caption], ...]
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
