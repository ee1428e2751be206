"""Find the order a return parcel belongs to, from every clue it carries.

Candidates are orders Station packed or shipped, and orders imported already shipped, whose
ship time lies within the last ``days`` days before the parcel arrived (an order named by
its number, the return slip or a registered return tracking number is looked up whatever
its age). Lookups go through the ``return_match_key`` index (phone, last four digits,
name, pinyin, account ID), then every candidate is weighed clue by clue
(``station.returns.evidence``). The clerk confirms: ``confident`` is true only when the
top candidate may be confirmed without doubt.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from station.catalog.models import Barcode, Product
from station.fulfilment.models import MatchKey, Order, OrderLine, Parcel
from station.fulfilment.recipient_keys import norm_text, parse_phone, pinyin_variants
from station.fulfilment.shipped_index import RETURNABLE
from station.returns.evidence import Candidate, NoteClues, OrderFacts, decide, weigh
from station.returns.models import ExpectedReturn
from station.returns.note import ReturnNote
from station.scanning.model import RETURN_SLIP_PREFIX

DEFAULT_DAYS = 60
MAX_CANDIDATES = 30  # orders weighed in full, after a first count of the keys they share with the note
KEY_LIMIT = 400  # rows read per key: a very common name must not flood the lookup
KEY_WEIGHT = {"phone": 4, "account": 4, "name": 2, "pinyin": 1, "last4": 1}


@dataclass(frozen=True)
class MatchResult:
    confident: bool
    reason: str
    candidates: list[Candidate]
    cod_refused: bool
    clues: list[str]  # the clues the note gave

    def as_dict(self, limit: int = 10) -> dict:
        return {"confident": self.confident, "reason": self.reason, "cod_refused": self.cod_refused,
                "clues": self.clues, "candidates": [c.as_dict() for c in self.candidates[:limit]]}

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def _slip_number(slip: str | None) -> str | None:
    if not slip:
        return None
    text = slip.strip()
    if text[:3].upper() == RETURN_SLIP_PREFIX:
        text = text[3:]
    return text or None


def _resolve_items(session: Session, items: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Scanned items to SKUs (a case barcode counts as its pack quantity); unknown ones apart."""
    if not items:
        return (), ()
    codes, packs = {}, {}
    for code, sku, pack in session.execute(select(Barcode.code, Product.sku, Barcode.pack_qty)
                                           .join(Product, Product.id == Barcode.product_id)
                                           .where(Barcode.code.in_(set(items)))):
        codes[code], packs[code] = sku, pack
    skus_known = set(session.scalars(select(Product.sku).where(Product.sku.in_(set(items)))))
    skus, unknown = [], []
    for item in items:
        if item in codes:
            skus += [codes[item]] * int(packs.get(item) or 1)
        elif item in skus_known:
            skus.append(item)
        else:
            unknown.append(item)
    return tuple(skus), tuple(unknown)


def clues_of(session: Session, note: ReturnNote) -> NoteClues:
    registered = frozenset()
    if note.tracking:
        registered = frozenset(session.scalars(
            select(Order.order_no).join(ExpectedReturn, ExpectedReturn.order_id == Order.id)
            .where(ExpectedReturn.return_tracking == note.tracking.strip(), ExpectedReturn.status != "cancelled")))
    skus, unknown = _resolve_items(session, note.items)
    return NoteClues(
        slip=_slip_number(note.slip), registered=registered, account=norm_text(note.account),
        name=norm_text(note.name), pinyins=pinyin_variants(note.name or ""), phone=parse_phone(note.phone),
        order_no=note.order_no, skus=skus, unknown_items=unknown, received_at=note.when(),
        raw={"account": note.account, "name": note.name, "phone": note.phone, "order_no": note.order_no,
             "tracking": note.tracking})


def _note_keys(clues: NoteClues) -> list[tuple[str, str]]:
    keys = []
    if clues.phone.kind == "full":
        keys.append(("phone", clues.phone.digits))
    if clues.phone.last4:
        keys.append(("last4", clues.phone.last4))
    if clues.name:
        keys.append(("name", clues.name[:100]))
        keys += [("pinyin", p[:100]) for p in clues.pinyins]
    if clues.account:
        keys.append(("account", clues.account[:100]))
    return keys


def _candidate_ids(session: Session, clues: NoteClues, days: int) -> list[int]:
    since = clues.received_at - timedelta(days=days)
    score: dict[int, int] = defaultdict(int)
    keys = _note_keys(clues)
    if keys:
        # One statement; SQLite and PostgreSQL answer each (kind, key) branch from ix_return_match_lookup.
        hits = session.execute(select(MatchKey.order_id, MatchKey.kind).where(
            or_(*(and_(MatchKey.kind == kind, MatchKey.key == key) for kind, key in keys)),
            MatchKey.shipped_at >= since).limit(KEY_LIMIT * len(keys)))
        for order_id, kind in set(hits):
            score[order_id] += KEY_WEIGHT[kind]
    ranked = sorted(score, key=lambda i: -score[i])[:MAX_CANDIDATES]
    named = [n for n in (clues.slip, clues.order_no) if n] + sorted(clues.registered)
    if named:
        ranked += session.scalars(select(Order.id).where(Order.order_no.in_(named), Order.status.in_(RETURNABLE)))
    return list(dict.fromkeys(ranked))


def _facts(session: Session, ids: list[int]) -> list[OrderFacts]:
    if not ids:
        return []
    rows = session.execute(
        select(Order.id, Order.order_no, Order.recipient, Order.phone, Order.buyer_account, Order.shipped_at,
               Order.delivered_at, Order.paid_at, Order.imported_at, Order.status, OrderLine.sku, OrderLine.qty)
        .outerjoin(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.id.in_(ids), Order.status.in_(RETURNABLE))).all()  # keys of a since-cancelled order stay harmless
    lines: dict[int, list[tuple[str, int]]] = defaultdict(list)
    orders = {}
    for r in rows:
        orders.setdefault(r.id, r)
        if r.sku is not None:
            lines[r.id].append((r.sku, r.qty))
    unshipped = [i for i, r in orders.items() if r.shipped_at is None]  # packed: the parcel's close time
    closed = dict(session.execute(select(Parcel.order_id, func.max(Parcel.closed_at))
                                  .where(Parcel.order_id.in_(unshipped), Parcel.status.in_(("closed", "shipped")))
                                  .group_by(Parcel.order_id)).all()) if unshipped else {}
    out = []
    for o in orders.values():
        shipped = o.shipped_at or closed.get(o.id) or o.delivered_at or o.paid_at or o.imported_at
        out.append(OrderFacts(o.order_no, o.recipient, o.phone, o.buyer_account, shipped,
                              tuple(lines[o.id]), o.status))
    return out


def match_note(session: Session, note: ReturnNote, *, days: int = DEFAULT_DAYS) -> MatchResult:
    """Ranked candidates with their evidence; see the module docstring. Reads only."""
    clues = clues_of(session, note)
    given = [name for name, value in (("tracking", note.tracking), ("slip", clues.slip), ("account", clues.account),
                                      ("name", clues.name), ("phone", note.phone), ("order_no", note.order_no),
                                      ("items", note.items), ("received_at", note.received_at)) if value]
    candidates = [weigh(clues, facts) for facts in _facts(session, _candidate_ids(session, clues, days))]
    candidates.sort(key=lambda c: (-c.points, -(c.shipped_at.timestamp() if c.shipped_at else 0), c.order_no))
    decision = decide(candidates, cod=note.cod)
    return MatchResult(decision.confident, decision.reason, candidates, note.cod, given)
