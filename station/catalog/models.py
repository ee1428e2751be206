"""Catalog tables: what the warehouse holds and who works in it."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, LargeBinary, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.db import Base

FLAGS = ("hygiene", "sale", "gift", "fragile", "labels")  # labels: arrives without our barcode, labelled at receipt
ROLES = ("packer", "receiver", "counter", "returns", "office", "supervisor", "admin")  # office: 打单员


class Product(Base):
    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)  # 商家编码
    style: Mapped[str | None] = mapped_column(String(64), index=True)  # 款号
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    colour: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(64))
    flags: Mapped[str] = mapped_column(String(100), default="")  # ';'-separated FLAGS
    weight_g: Mapped[int | None] = mapped_column(Integer)
    reorder_point: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(16), default="pcs")
    supplier: Mapped[str | None] = mapped_column(String(100))
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # for count values and write-offs

    barcodes: Mapped[list["Barcode"]] = relationship(back_populates="product")

    @property
    def flag_set(self) -> frozenset[str]:
        return frozenset(f for f in self.flags.split(";") if f)


class Barcode(Base):
    """A code printed on a product or its case; a case barcode counts ``pack_qty`` units."""

    __tablename__ = "barcode"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    pack_qty: Mapped[int] = mapped_column(Integer, default=1)

    product: Mapped[Product] = relationship(back_populates="barcodes")


class User(Base):
    __tablename__ = "station_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    badge: Mapped[str] = mapped_column(String(64), unique=True)
    roles: Mapped[str] = mapped_column(String(200), default="")  # ';'-separated ROLES

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(";") if r)


class Courier(Base):
    __tablename__ = "courier"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    tracking_pattern: Mapped[str] = mapped_column(String(200))


class ProductImage(Base):
    """A product's picture for the pack bench: a JPEG of at most 480 px a side (catalog.images)."""

    __tablename__ = "product_image"

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str | None] = mapped_column(String(300))  # the file or "xlsx row N" it came from
