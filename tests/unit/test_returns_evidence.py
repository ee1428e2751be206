"""Weighing a note against orders, and when the engine may say it is sure (pure, no database)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from station.fulfilment.recipient_keys import norm_text, parse_phone, pinyin_variants
from station.returns.evidence import NoteClues, OrderFacts, decide, weigh

SHIPPED = datetime(2026, 11, 1, tzinfo=timezone.utc)


def clues(*, name=None, phone=None, account=None, order_no=None, skus=(), slip=None, registered=(),
          received=SHIPPED + timedelta(days=5)) -> NoteClues:
    return NoteClues(slip=slip, registered=frozenset(registered), account=norm_text(account), name=norm_text(name),
                     pinyins=pinyin_variants(name or ""), phone=parse_phone(phone), order_no=order_no,
                     skus=tuple(skus), unknown_items=(), received_at=received,
                     raw={"name": name, "phone": phone, "account": account, "order_no": order_no})


def order(no, name, phone, account=None, skus=(("TS-01", 1),), shipped=SHIPPED) -> OrderFacts:
    return OrderFacts(no, name, phone, account, shipped, tuple(skus))


def ranked(note, *orders):
    out = sorted((weigh(note, o) for o in orders), key=lambda c: -c.points)
    return out, decide(out)


def by_clue(candidate):
    return {e.clue: e for e in candidate.evidence}


def test_a_homophone_typo_and_a_phone_with_plus86_find_the_buyer_with_confidence():
    cands, decision = ranked(clues(name="张玮", phone="+86 138 1234 5678"),
                             order("A", "张伟", "13812345678"), order("B", "王芳", "13900001111"))
    assert decision.confident and cands[0].order_no == "A"
    assert by_clue(cands[0])["name"].how == "pinyin" and by_clue(cands[0])["phone"].how == "exact"


def test_family_members_sharing_a_phone_are_told_apart_by_the_name():
    cands, decision = ranked(clues(name="李娜", phone="13812345678"),
                             order("MUM", "王秀英", "13812345678"), order("DAUGHTER", "李娜", "13812345678"))
    assert cands[0].order_no == "DAUGHTER" and decision.confident
    assert by_clue(cands[1])["name"].matched is False


def test_one_buyer_with_two_recent_orders_is_never_confirmed_without_something_that_tells_them_apart():
    a = order("A", "张伟", "13812345678", skus=(("TS-01", 1),))
    b = order("B", "张伟", "13812345678", skus=(("CUP-01", 1),))
    _cands, decision = ranked(clues(name="张伟", phone="13812345678"), a, b)
    assert not decision.confident and decision.reason == "close_candidates"
    cands, decision = ranked(clues(name="张伟", phone="13812345678", skus=["CUP-01"]), a, b)
    assert decision.confident and cands[0].order_no == "B"


def test_a_virtual_number_is_reported_unchecked_and_keeps_a_lookalike_from_being_confirmed():
    note = clues(name="张伟", phone="13812345678")
    real = order("REAL", "张伟", "13800001234-5678")  # the buyer's order: the marketplace hid the phone
    other = order("OTHER", "张玮", "13812340000")
    cands, decision = ranked(note, real, other)
    real_c = next(c for c in cands if c.order_no == "REAL")
    assert real_c.unchecked == ["phone"] and by_clue(real_c)["phone"].how == "virtual_phone"
    assert not decision.confident


def test_a_masked_number_is_checked_on_the_digits_it_shows():
    cands, decision = ranked(clues(name="陈静", phone="13812345678"), order("A", "陈静", "138****5678"),
                             order("B", "陈静", "139****5678"))
    assert [c.order_no for c in cands] == ["A", "B"]
    assert by_clue(cands[0])["phone"].how == "masked" and by_clue(cands[1])["phone"].matched is False
    assert decision.confident


def test_a_wrong_order_number_is_shown_and_blocks_confirmation():
    cands, decision = ranked(clues(name="张伟", phone="13812345678", order_no="999"),
                             order("123456789012", "张伟", "13812345678"), order("999", "刘强", "13700000000"))
    assert cands[0].order_no == "123456789012" and not decision.confident
    assert by_clue(cands[0])["order_no"].how == "different"


def test_the_return_slip_is_decisive_but_a_parcel_received_before_shipping_is_not_that_order():
    cands, decision = ranked(clues(slip="A"), order("A", "张伟", "1"), order("B", "张伟", "1"))
    assert decision.confident and decision.reason == "decisive" and cands[0].order_no == "A"
    late = order("A", "张伟", "13812345678", shipped=SHIPPED + timedelta(days=30))
    cands, decision = ranked(clues(slip="A"), late)
    assert not decision.confident and by_clue(cands[0])["dates"].how == "before_shipping"


def test_a_name_alone_is_never_enough_and_a_freight_collect_parcel_is_never_confirmed():
    _c, decision = ranked(clues(name="张伟"), order("A", "张伟", "13812345678"))
    assert not decision.confident and decision.reason == "weak"
    cands = [weigh(clues(slip="A"), order("A", "张伟", "1"))]
    assert decide(cands, cod=True).reason == "cod_refused"
