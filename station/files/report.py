"""What an import did, the same for every importer (products, locations, stock, users, purchase
orders, counts, orders, expected returns): the JSON summary ``station import`` prints and the
office windows show (docs/formats.md)."""
from __future__ import annotations

from dataclasses import dataclass, field

from station.files.reader import RowError

#: A summary lists at most this many rejected rows (the first ones) and counts all of them.
MAX_REJECTED_SHOWN = 1000


def rejected_summary(errors) -> dict:
    """``{"rejected": [the first 1,000 reasons as {"line", "reason"[, "file"]}], "rejected_count": all
    reasons, "rejected_rows": the rows they are on}`` (a row may have more than one reason)."""
    return {"rejected": [e.as_dict() for e in errors[:MAX_REJECTED_SHOWN]], "rejected_count": len(errors),
            "rejected_rows": len({(getattr(e, "file", None), e.line) for e in errors})}


@dataclass
class ImportReport:
    """One import, all or nothing: ``ok`` when no row was rejected, and only then were rows written.

    The summary shows ``kind, file, [format,] encoding, ok, rows, [orders,]`` then the tallies
    this kind of import keeps (0 when rejected), the rejected rows, and for a count the count it
    went into and its bins. Optional parts appear when they are not None."""

    kind: str
    file: str
    #: The tallies the summary shows, in its order (each one an attribute below).
    tallies: tuple[str, ...] = ("created", "updated")
    encoding: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    on_hold: int = 0
    format: str | None = None  # orders: the shop's export format
    orders: int | None = None  # orders: how many orders the rows make
    count_no: str | None = None  # counts: the count the file went into
    bins: int | None = None  # counts: how many bins it counted
    rejected: list[RowError] = field(default_factory=list)
    #: orders: the shop listings that are none of our products (station/fulfilment/listings.py)
    unmapped: list[dict] | None = None

    @property
    def ok(self) -> bool:
        return not self.rejected

    def as_dict(self) -> dict:
        ok = self.ok
        out: dict = {"kind": self.kind, "file": self.file}
        if self.format is not None:
            out["format"] = self.format
        out.update(encoding=self.encoding, ok=ok, rows=self.rows)
        if self.orders is not None:
            out["orders"] = self.orders
        out.update({name: getattr(self, name) if ok else 0 for name in self.tallies})
        out.update(rejected_summary(self.rejected))
        if self.unmapped:
            out["unmapped"] = self.unmapped
        if self.bins is not None:
            out.update(count_no=self.count_no if ok else None, bins=self.bins if ok else 0)
        return out
