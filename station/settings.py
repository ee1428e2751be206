"""Every station-wide setting, declared once, typed, with its default.

Station-wide settings live in the database's ``setting`` table (key, text value), shared by
every bench PC of the warehouse; this bench's own preferences (language, scanner timing) are
in ``station.ui.settings`` instead. A setting is read and written here and nowhere else, so a
key is spelt once. A ``Family`` is one setting per name: ``printer.waybill``, ``printer.default``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from station.db import Base

T = TypeVar("T")


class Setting(Base):
    """Station-wide settings shared by every bench (shop sender address, printers per document)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def _raw(session: Session, key: str) -> str | None:
    row = session.get(Setting, key)
    return row.value if row is not None else None


def _store(session: Session, key: str, value: str | None) -> None:
    row = session.get(Setting, key)
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


@dataclass(frozen=True)
class Key(Generic[T]):
    """One setting: its key, how its text becomes a value (None: not usable), its default."""

    key: str
    parse: Callable[[str], T | None]
    default: T
    meaning: str

    def read(self, session: Session) -> T:
        text = _raw(session, self.key)
        value = self.parse(text) if text is not None else None
        return self.default if value is None else value

    def write(self, session: Session, value: T | None) -> None:
        """Store `value` (None: remove it, back to the default). The caller commits."""
        _store(session, self.key, None if value is None else str(value))


@dataclass(frozen=True)
class Family(Generic[T]):
    """One setting per name under a prefix (``printer.<document>``); `key(name)` is its key."""

    prefix: str
    parse: Callable[[str], T | None]
    meaning: str

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def read(self, session: Session, name: str) -> T | None:
        """The setting for `name`, or None when it has none (or one that is not usable)."""
        text = _raw(session, self.key(name))
        return self.parse(text) if text is not None else None

    def write(self, session: Session, name: str, value: T | None) -> None:
        _store(session, self.key(name), None if value is None else str(value))

    def all(self, session: Session) -> dict[str, str]:
        """Every stored value of the family by name, as text."""
        rows = session.scalars(select(Setting).where(Setting.key.like(f"{self.prefix}.%")))
        return {row.key.partition(".")[2]: row.value for row in rows}


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _text(text: str) -> str:
    return text


# --- printing: per document name, or "default" for every document without its own -----------
PRINTER = Family("printer", _text, "where a document prints: pdf:FOLDER, qt:PRINTER or cups:QUEUE")
COPIES = Family("copies", _int, "how many copies of a document (1-99)")
PAPER = Family("paper", _text, "the paper size of a document with several layouts")

# --- the sender on waybills and documents (the warehouse) ------------------------------------
SENDER = Family("sender", _text, "the sender's name, phone, province, city, district, street")

# --- waybills: per shop (its credentials are in the system keyring, station.couriers.credentials)
WAYBILL_SERVICE = Family("waybill_service", _text, "the e-waybill service a shop's orders take numbers from")


def _on_off(text: str) -> bool | None:
    return {"on": True, "1": True, "true": True, "yes": True,
            "off": False, "0": False, "false": False, "no": False}.get(text.strip().lower())


#: The platforms that ask for privacy waybills (隐私面单: the recipient's name and the address after
#: the district masked): a shop whose numbers come from their services, or named like them.
PRIVACY_PLATFORMS = ("cainiao", "pdd", "doudian", "jd", "taobao", "tmall", "douyin")
WAYBILL_PRIVACY = Family("waybill_privacy", _on_off,
                         "on/off per shop (or 'default'): mask the recipient's name and street on its waybills; "
                         "unset: on for a shop of a platform that asks for it (Taobao/Tmall, 拼多多, 抖店, JD), "
                         "off otherwise")


def waybill_privacy(session: Session, shop: str | None) -> bool:
    """Whether `shop`'s waybills mask the recipient's name and street (the phone is masked always):
    its own setting, else the ``default`` one, else on for a platform's shop (PRIVACY_PLATFORMS:
    its e-waybill service, or the shop named after the platform, as imports name shops without one)."""
    for name in (shop, "default"):
        if name:
            chosen = WAYBILL_PRIVACY.read(session, name)
            if chosen is not None:
                return chosen
    if not shop:
        return False
    return (WAYBILL_SERVICE.read(session, shop) or "") in PRIVACY_PLATFORMS or shop.strip().lower() in PRIVACY_PLATFORMS


# --- packing: per station name --------------------------------------------------------------
PACKING_LOCATION = Family("packing_location", _text, "the packing location a station packs into")

# --- weighing at the pack bench (issue 18); the scale itself is each bench PC's (scale/source) --------
WEIGHING_PACKAGING_G = Key("weighing.packaging_g", _int, 0,
                           "grams of packaging (box, filler, label) added to the products' weights")
WEIGHING_TOLERANCE_PCT = Key("weighing.tolerance_pct", _int, 5,
                             "how many percent a parcel may weigh off its expected weight (at least 10 g)")

# --- receiving ------------------------------------------------------------------------------
RECEIVE_LABELS = Key("receive.labels", lambda t: t.strip().lower(), "item",
                     "labels for goods received: one per item, or one per case (case)")
RECEIVE_LABEL_SUPPLIERS = Key("receive.label_suppliers", _text, "",
                              "suppliers whose goods arrive without our barcode (';'-separated): labels print at receipt")
RECEIVE_LOCATION = Key("receive.location", _text, "", "where received goods are booked; empty: the first receiving location")
RECEIVE_QUARANTINE = Key("receive.quarantine", _text, "",
                         "where failed goods go; empty: the first quarantine location")
RECEIVE_OVER_TOLERANCE_PCT = Key("receive.over_tolerance_pct", _int, 5,
                                 "how many percent over the order a delivery may be and still be received")
