"""Whether an order's recipient prints: every character of the name, phone and address in one of the
shipped fonts (`station.printing.fonts`). An order with one that none has is held `unprintable_text`
as it is imported (`orders.holds_for`) and again when a batch selects it (`batches`)."""
from __future__ import annotations

from station.printing.fonts import unprintable

#: The order's fields a waybill prints for the courier: each must print whole.
PRINTED_FIELDS = ("recipient", "phone", "province", "city", "district", "address")


def unprintable_values(values: dict) -> str | None:
    """What of an order's recipient (its values by field) no shipped font can print
    ("address: U+F0001"), or None (`batches.unprintable_fields` of an order written already)."""
    if set("".join(values.get(field) or "" for field in PRINTED_FIELDS)) <= _PRINTS:
        return None  # every character seen printable before: the usual case, at set speed
    found = []
    for field in PRINTED_FIELDS:
        value = values.get(field)
        if not value or set(value) <= _PRINTS:  # every character seen printable before: the usual case
            continue
        missing = unprintable(value)
        _PRINTS.update(ch for ch in value if ch not in missing)
        if missing:
            found.append(f"{field}: " + " ".join(f"U+{ord(ch):04X}" for ch in missing))
    return "; ".join(found) or None


_PRINTS: set[str] = set()  # characters a shipped font has (an import checks 10^5 addresses: set speed)
