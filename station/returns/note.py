"""A return note: what the clerk reads off the customer's enclosed note and the parcel."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from station.i18n import _

FIELDS = ("tracking", "cod", "slip", "account", "name", "phone", "order_no", "reason", "items", "received_at")
TEXT_FIELDS = ("tracking", "slip", "account", "name", "phone", "order_no", "reason")


class NoteError(ValueError):
    """A note that cannot be read; ``problems`` names every bad field."""

    code = "bad_note"

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ReturnNote:
    tracking: str | None = None
    cod: bool = False
    slip: str | None = None
    account: str | None = None
    name: str | None = None
    phone: str | None = None
    order_no: str | None = None
    reason: str | None = None
    items: tuple[str, ...] = ()
    received_at: datetime | None = None

    @classmethod
    def from_dict(cls, data: object) -> "ReturnNote":
        """Every field optional; unknown fields and wrong types are refused, all listed at once."""
        if not isinstance(data, dict):
            raise NoteError([_("A note is a JSON object with the fields {fields}", fields=", ".join(FIELDS))])
        problems = []
        values: dict = {}
        for key in data:
            if key not in FIELDS:
                problems.append(_("Unknown field {field}; allowed: {fields}", field=key, fields=", ".join(FIELDS)))
        for key in TEXT_FIELDS:
            value = data.get(key)
            if value is None:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)  # a phone or an order number typed as a JSON number
            if not isinstance(value, str):
                problems.append(_("{field} must be text", field=key))
                continue
            values[key] = value.strip() or None
        cod = data.get("cod", False)
        if not isinstance(cod, bool):
            problems.append(_("{field} must be true or false", field="cod"))
        values["cod"] = cod is True
        items = data.get("items") or []
        if not isinstance(items, list) or not all(isinstance(i, (str, int)) for i in items):
            problems.append(_("{field} must be a list of barcodes", field="items"))
        else:
            values["items"] = tuple(str(i).strip() for i in items if str(i).strip())
        received = data.get("received_at")
        if received is not None:
            try:
                when = datetime.fromisoformat(str(received))
                values["received_at"] = when if when.tzinfo else when.astimezone()
            except ValueError:
                problems.append(_("{field} must be a date like 2026-11-11 or 2026-11-11T08:00", field="received_at"))
        if problems:
            raise NoteError(problems)
        return cls(**values)

    def when(self) -> datetime:
        return (self.received_at or datetime.now(timezone.utc)).astimezone(timezone.utc)
