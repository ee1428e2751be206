"""The labelled set: 75 return notes against 3,000 shipped orders (tests/support/returns_set.py).

The orders go through the real generic import (already shipped, with courier and tracking
number), the registered returns through ``import returns``; every note is matched and compared
with the order it truly came from. Run with ``-s`` to see the figures.
"""
from __future__ import annotations

from collections import Counter

import pytest

from station.db import open_database, unit_of_work
from station.fulfilment.orders import import_orders
from station.returns.expected import import_returns
from station.returns.matching import match_note
from station.returns.note import ReturnNote
from tests.support.factories import product
from tests.support.returns_set import SKUS, barcode_of, build


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("returns-set")
    engine, sessions = open_database(f"sqlite:///{folder / 'returns.db'}")
    rs = build()
    with unit_of_work(sessions) as s:
        for sku in SKUS:
            product(s, sku, barcode_of(sku))
        s.commit()
    imported = import_orders(sessions, rs.write_orders_csv(folder / "orders.csv"))
    assert imported.ok and imported.created == len(rs.orders)
    registered = import_returns(sessions, rs.write_returns_csv(folder / "returns.csv"))
    assert registered.ok and registered.created == len(rs.registered)
    results = []
    with unit_of_work(sessions) as s:
        for labelled in rs.notes:
            results.append((labelled, match_note(s, ReturnNote.from_dict(labelled.note))))
    engine.dispose()
    return rs, results


def test_the_set_has_enough_notes_of_every_hard_kind(outcomes):
    rs, results = outcomes
    kinds = Counter(n.kind for n, _r in results)
    assert len(rs.orders) >= 3000 and len(results) >= 60
    for kind in ("typo_and_phone", "pinyin_and_last4", "masked_order", "virtual_order", "wrong_order_no",
                 "family_shared_phone", "repeat_buyer_no_items", "repeat_buyer_items"):
        assert kinds[kind] >= 3, kind


def test_no_confident_match_is_wrong_and_the_figures_are_reported(outcomes):
    _rs, results = outcomes
    confident = [(n, r) for n, r in results if r.confident]
    wrong = [(n.kind, n.truth, r.top.order_no) for n, r in confident if r.top.order_no != n.truth]
    top1 = sum(1 for n, r in results if r.top and r.top.order_no == n.truth)
    print(f"\nreturn notes: {len(results)}; confident: {len(confident)} ({len(confident) / len(results):.0%}); "
          f"top-1 correct where confident: {len(confident) - len(wrong)}/{len(confident)}; "
          f"confident wrong: {len(wrong)}; top-1 correct overall: {top1}/{len(results)}")
    for kind, count in sorted(Counter(n.kind for n, r in confident).items()):
        print(f"  confident {kind}: {count}/{sum(1 for n, _r in results if n.kind == kind)}")
    assert wrong == []
    assert len(confident) >= len(results) // 2  # the engine must also be useful, not merely careful


def test_notes_that_cannot_tell_two_orders_apart_are_left_to_the_clerk(outcomes):
    _rs, results = outcomes
    for labelled, result in results:
        if labelled.kind == "name_only":
            assert not result.confident, labelled.note
        if result.confident:
            top, rest = result.candidates[0], result.candidates[1:]
            assert not top.contradicted
            assert all(top.points - (c.points + c.potential) >= 25 for c in rest) or top.decisive


def test_every_candidate_says_which_clues_its_order_could_not_answer(outcomes):
    _rs, results = outcomes
    virtual = [(n, r) for n, r in results if n.kind == "virtual_order"]
    assert virtual
    for labelled, result in virtual:
        truth = next(c for c in result.candidates if c.order_no == labelled.truth)
        phone = next(e for e in truth.evidence if e.clue == "phone")
        assert phone.matched is None and phone.how == "virtual_phone" and "phone" in truth.unchecked
