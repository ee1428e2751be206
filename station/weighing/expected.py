"""What a parcel should weigh, and whether a reading fits (issue 18: "the weight decides").

Two bases, the better one wins:

* **learned**: once the same contents (the same SKUs in the same quantities) have shipped
  `LEARN_AFTER` times with a weight, their mean; a reading fits when it is within
  the larger of `TOLERANCE_PCT` of that mean and two standard deviations of those weights;
* **products**: the sum of the products' ``weight_g`` times their quantities plus the packaging
  (a setting per box type, or one flat amount), within `TOLERANCE_PCT` or `MIN_TOLERANCE_G`,
  whichever is larger (a 30 g parcel on a 1 g scale).

A product without ``weight_g`` leaves the products basis unknown: without a learned weight the
reading is kept with the parcel and not judged (``Verdict.judged`` is False).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

LEARN_AFTER = 3
TOLERANCE_PCT = Decimal(5)
MIN_TOLERANCE_G = Decimal(10)
PRODUCTS, LEARNED = "products", "learned"


@dataclass(frozen=True)
class Expectation:
    grams: Decimal | None  # None: not every product has a weight and nothing is learned
    low: Decimal | None
    high: Decimal | None
    basis: str | None  # PRODUCTS or LEARNED
    missing: tuple[str, ...] = ()  # SKUs without weight_g
    shipments: int = 0  # how many earlier parcels of these contents the learned weight comes from


@dataclass(frozen=True)
class Verdict:
    judged: bool  # False: no expectation to compare with
    ok: bool  # True when judged and inside, or not judged
    grams: Decimal
    expectation: Expectation

    @property
    def deviation(self) -> Decimal | None:
        return None if self.expectation.grams is None else self.grams - self.expectation.grams


def contents_key(items: Iterable[tuple[str, int]]) -> str:
    """The contents of a parcel as one comparable text: ``SKU×QTY`` sorted, ``;``-joined."""
    total: dict[str, int] = {}
    for sku, qty in items:
        total[sku] = total.get(sku, 0) + int(qty)
    return ";".join(f"{sku}×{qty}" for sku, qty in sorted(total.items()) if qty)


def _band(centre: Decimal, spread: Decimal) -> tuple[Decimal, Decimal]:
    return centre - spread, centre + spread


def expected_weight(items: Iterable[tuple[str, int, int | None]], packaging_g: int | Decimal = 0,
                    history: Iterable[int | Decimal] = (), tolerance_pct: int | Decimal = TOLERANCE_PCT) -> Expectation:
    """``items``: (sku, qty, weight_g or None) per line; ``history``: the weights (g) of earlier
    shipped parcels with the same contents; ``tolerance_pct``: the setting ``weighing.tolerance_pct``."""
    tolerance = Decimal(tolerance_pct)
    items = list(items)
    past = [Decimal(w) for w in history]
    missing = tuple(sorted({sku for sku, _qty, weight in items if weight is None}))
    if len(past) >= LEARN_AFTER:
        mean = Decimal(str(statistics.fmean(past)))
        sd = Decimal(str(statistics.stdev(past))) if len(past) > 1 else Decimal(0)
        spread = max(mean * tolerance / 100, 2 * sd, MIN_TOLERANCE_G)
        low, high = _band(mean, spread)
        return Expectation(mean.quantize(Decimal("0.1")), low, high, LEARNED, missing, len(past))
    if missing or not items:
        return Expectation(None, None, None, None, missing, len(past))
    total = sum((Decimal(weight) * qty for _sku, qty, weight in items), Decimal(0)) + Decimal(packaging_g)
    low, high = _band(total, max(total * tolerance / 100, MIN_TOLERANCE_G))
    return Expectation(total, low, high, PRODUCTS, (), len(past))


def learned_weight(history: Iterable[int | Decimal]) -> Decimal | None:
    past = [Decimal(w) for w in history]
    return Decimal(str(statistics.fmean(past))) if len(past) >= LEARN_AFTER else None


def decide(grams: Decimal | int, expectation: Expectation) -> Verdict:
    grams = Decimal(grams)
    if expectation.grams is None:
        return Verdict(False, True, grams, expectation)
    ok = expectation.low <= grams <= expectation.high
    return Verdict(True, ok, grams, expectation)
