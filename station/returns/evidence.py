"""Weigh each clue of a note against one order: pure functions, no database.

Points per clue (strongest first); a clue the order cannot answer (no account ID, a
virtual phone number) is *unchecked*: it scores nothing, and the points it could have
scored count against confidence in any other candidate (see ``decide``).
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from station.fulfilment.recipient_keys import Phone, has_chinese, name_pinyin, norm_text, parse_phone, pinyin_variants

DECISIVE = 100
WEIGHTS = {  # how: points
    "account": {"exact": 40, "near": 15, "different": -35},
    "phone": {"exact": 45, "masked": 30, "last4": 20, "different": -40},
    "name": {"exact": 30, "pinyin": 24, "near": 12, "different": -30},
    "order_no": {"exact": 45, "near": 15, "different": -15},
    "items": {"contained": 25, "partly": -10, "none": -35},
    "dates": {"plausible": 0, "before_shipping": -60},
}
POTENTIAL = {"account": 40, "phone": 45, "name": 30, "items": 25}
#: How much an identifying clue counts towards "enough to confirm" (two are needed).
IDENTITY = {("account", "exact"): 1.0, ("phone", "exact"): 1.0, ("order_no", "exact"): 1.0,
            ("name", "exact"): 1.0, ("name", "pinyin"): 1.0, ("phone", "masked"): 1.0,
            ("phone", "last4"): 0.5, ("account", "near"): 0.5, ("name", "near"): 0.5,
            ("order_no", "near"): 0.5, ("items", "contained"): 0.5}
MARGIN = 25  # points the top candidate must lead by, over the best another could reach
MINIMUM = 50


@dataclass(frozen=True)
class OrderFacts:
    """What an order really holds, as the matcher needs it."""

    order_no: str
    recipient: str
    phone: str
    account: str | None
    shipped_at: datetime
    skus: tuple[tuple[str, int], ...]  # (sku, qty) ordered
    status: str = "shipped"


@dataclass(frozen=True)
class NoteClues:
    """A note, normalised once."""

    slip: str | None
    registered: frozenset[str]  # order numbers with this return tracking number registered
    account: str
    name: str
    pinyins: tuple[str, ...]
    phone: Phone
    order_no: str | None
    skus: tuple[str, ...]  # items resolved to SKUs
    unknown_items: tuple[str, ...]
    received_at: datetime
    raw: dict


@dataclass(frozen=True)
class Evidence:
    clue: str
    value: str | None  # what the note says
    matched: bool | None  # None: could not be checked against this order
    how: str  # exact, pinyin, near, masked, last4, different, virtual_phone, no_account, ...
    order_value: str | None
    points: int

    def as_dict(self) -> dict:
        return {"clue": self.clue, "value": self.value, "matched": self.matched, "how": self.how,
                "order_value": self.order_value, "points": self.points}


@dataclass
class Candidate:
    order_no: str
    evidence: list[Evidence] = field(default_factory=list)
    shipped_at: datetime | None = None
    recipient: str = ""
    confidence: float = 0.0

    @property
    def points(self) -> int:
        return sum(e.points for e in self.evidence)

    @property
    def decisive(self) -> bool:
        return any(e.clue in ("slip", "tracking") and e.matched for e in self.evidence)

    @property
    def unchecked(self) -> list[str]:
        return [e.clue for e in self.evidence if e.matched is None]

    @property
    def potential(self) -> int:
        """Points the unchecked clues could still have given (the order cannot tell)."""
        extra = 0
        for e in self.evidence:
            if e.matched is None:
                extra += POTENTIAL.get(e.clue, 0)
            elif e.clue == "phone" and e.how == "masked":
                extra += WEIGHTS["phone"]["exact"] - WEIGHTS["phone"]["masked"]
        return extra

    @property
    def contradicted(self) -> bool:
        return any(e.matched is False and e.clue in ("account", "phone", "name", "items", "dates", "order_no", "slip")
                   for e in self.evidence)

    @property
    def identity(self) -> float:
        return sum(IDENTITY.get((e.clue, e.how), 0.0) for e in self.evidence if e.matched)

    def as_dict(self) -> dict:
        return {"order_no": self.order_no, "score": round(min(max(self.points, 0), 100) / 100, 3),
                "confidence": round(self.confidence, 3), "points": self.points,
                "shipped_at": self.shipped_at.isoformat() if self.shipped_at else None,
                "recipient": self.recipient, "unchecked": self.unchecked,
                "evidence": [e.as_dict() for e in self.evidence]}


def _ev(clue, value, matched, how, order_value, points=None) -> Evidence:
    if points is None:
        points = WEIGHTS.get(clue, {}).get(how, 0) if matched is not None else 0
    return Evidence(clue, value, matched, how, order_value, points)


def compare_phone(note: Phone, raw_note: str, order_raw: str) -> Evidence:
    order = parse_phone(order_raw)
    if order.kind == "virtual" or note.kind == "virtual":
        return _ev("phone", raw_note, None, "virtual_phone", order_raw)
    if order.kind == "none" or not order.last4:
        return _ev("phone", raw_note, None, "no_phone", order_raw)
    if note.kind == "full" and order.kind == "full":
        return _ev("phone", raw_note, note.digits == order.digits, "exact" if note.digits == order.digits
                   else "different", order_raw)
    if note.kind == "full" and order.kind == "masked":
        same = note.last4 == order.last4 and note.digits.startswith(order.prefix)
        return _ev("phone", raw_note, same, "masked" if same else "different", order_raw)
    # The note gives only some digits (last four, or a masked copy).
    same = bool(note.last4) and note.last4 == order.last4 and (
        not note.prefix or order.kind != "full" or order.digits.startswith(note.prefix))
    return _ev("phone", raw_note, same, "last4" if same else "different", order_raw)


def compare_name(clues: NoteClues, order_name: str) -> Evidence:
    raw = clues.raw.get("name")
    target = norm_text(order_name)
    if not target:
        return _ev("name", raw, None, "no_name", order_name)
    if clues.name == target:
        return _ev("name", raw, True, "exact", order_name)
    order_py = name_pinyin(order_name)
    if order_py and order_py in clues.pinyins:
        return _ev("name", raw, True, "pinyin", order_name)
    near = False
    if has_chinese(clues.name) and has_chinese(target) and len(clues.name) == len(target) >= 2:
        near = Levenshtein.distance(clues.name, target) == 1 and clues.name[0] == target[0] and len(target) >= 3
    if not near and order_py:
        near = max(ratio(p, order_py) for p in clues.pinyins) >= 85 and len(order_py) >= 6
    return _ev("name", raw, near, "near" if near else "different", order_name)


def compare_account(clues: NoteClues, account: str | None) -> Evidence:
    raw = clues.raw.get("account")
    target = norm_text(account)
    if not target:
        return _ev("account", raw, None, "no_account", None)
    if clues.account == target:
        return _ev("account", raw, True, "exact", account)
    near = len(target) >= 5 and Levenshtein.distance(clues.account, target) <= (1 if len(target) < 10 else 2)
    return _ev("account", raw, near, "near" if near else "different", account)


def compare_order_no(clues: NoteClues, order_no: str) -> Evidence:
    raw = clues.raw.get("order_no")
    note = norm_text(clues.order_no)
    target = norm_text(order_no)
    if note == target:
        return _ev("order_no", raw, True, "exact", order_no)
    near = len(target) >= 8 and Levenshtein.distance(note, target) <= 1
    return _ev("order_no", raw, near, "near" if near else "different", order_no)


def compare_items(clues: NoteClues, skus: tuple[tuple[str, int], ...]) -> Evidence:
    ordered: Counter = Counter()
    for sku, qty in skus:
        ordered[sku] += qty
    wanted = Counter(clues.skus)
    inside = sum(min(q, ordered[s]) for s, q in wanted.items())
    total = sum(wanted.values())
    how = "contained" if inside == total else ("none" if inside == 0 else "partly")
    return _ev("items", ", ".join(clues.skus), how == "contained", how, ", ".join(f"{s}×{q}" for s, q in skus))


def weigh(clues: NoteClues, order: OrderFacts) -> Candidate:
    """Every clue of the note against one order, strongest first."""
    c = Candidate(order.order_no, shipped_at=order.shipped_at, recipient=order.recipient)
    ev = c.evidence
    if clues.slip:
        same = norm_text(clues.slip) == norm_text(order.order_no)
        ev.append(_ev("slip", clues.slip, same, "return_slip" if same else "different", order.order_no,
                      DECISIVE if same else -DECISIVE))
    if clues.registered:
        same = order.order_no in clues.registered
        ev.append(_ev("tracking", clues.raw.get("tracking"), same, "registered_return" if same else "other_order",
                      None, DECISIVE if same else 0))
    if clues.account:
        ev.append(compare_account(clues, order.account))
    if clues.phone.kind != "none":
        ev.append(compare_phone(clues.phone, clues.raw.get("phone"), order.phone))
    if clues.name:
        ev.append(compare_name(clues, order.recipient))
    if clues.order_no:
        ev.append(compare_order_no(clues, order.order_no))
    if clues.skus:
        ev.append(compare_items(clues, order.skus))
    if clues.unknown_items:
        ev.append(_ev("items", ", ".join(clues.unknown_items), None, "unknown_barcode", None))
    before = clues.received_at < order.shipped_at
    ev.append(_ev("dates", clues.received_at.isoformat(), not before,
                  "before_shipping" if before else "plausible", order.shipped_at.isoformat()))
    return c


@dataclass(frozen=True)
class Decision:
    confident: bool
    reason: str  # decisive, clear_lead, no_candidate, close_candidates, weak, contradicted, cod_refused


def decide(ranked: list[Candidate], *, cod: bool = False) -> Decision:
    """May the top candidate be confirmed without doubt? Never with two close candidates."""
    for c in ranked:
        c.confidence = 0.0
    if not ranked:
        return Decision(False, "no_candidate")
    # Confidence: a softmax over points, with a stand-in for "the order is not among these".
    exps = [math.exp(min(c.points, 150) / 12) for c in ranked] + [math.exp(MINIMUM / 12)]
    total = sum(exps)
    for c, e in zip(ranked, exps):
        c.confidence = e / total
    top, rest = ranked[0], ranked[1:]
    if cod:
        return Decision(False, "cod_refused")
    if top.contradicted:
        return Decision(False, "contradicted")
    if top.decisive:
        if any(c.decisive for c in rest):
            return Decision(False, "close_candidates")
        return Decision(True, "decisive")
    if top.points < MINIMUM or top.identity < 2.0:
        return Decision(False, "weak")
    if rest and top.points - max(c.points + c.potential for c in rest) < MARGIN:
        return Decision(False, "close_candidates")
    return Decision(True, "clear_lead")
