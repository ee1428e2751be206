"""The stock ledger: movements and balances in one transaction, never below zero in a bin."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from station.db import open_database, unit_of_work
from station.inventory import ledger
from station.inventory.ledger import InsufficientStock, LedgerError, Move
from station.inventory.models import Balance, Movement
from tests.support import factories as f


@pytest.fixture
def warehouse(sessions):
    with unit_of_work(sessions) as s:
        f.product(s, "TS-RED-M", "6901234567892", name="纯棉T恤")
        f.location(s, "A-01-01-01")
        f.location(s, "A-01-01-02")
        f.location(s, "QC-01", "quarantine")
        s.commit()
    return sessions


def test_an_opening_balance_puts_stock_in_the_bin_and_records_one_movement(warehouse):
    with unit_of_work(warehouse) as s:
        ledger.move(s, Move("TS-RED-M", 12, "ADJUSTMENT", "A-01-01-01", "opening", user="李娜"))
        s.commit()
    with unit_of_work(warehouse) as s:
        assert ledger.on_hand(s, "TS-RED-M") == 12
        assert ledger.on_hand(s, "TS-RED-M", "A-01-01-01") == 12
        assert ledger.on_hand(s, "TS-RED-M", "ADJUSTMENT") == -12
        movement = s.scalar(select(Movement))
        assert (movement.qty, movement.reason, movement.user) == (12, "opening", "李娜")


def test_taking_more_than_a_bin_holds_is_refused_and_changes_nothing(warehouse):
    with unit_of_work(warehouse) as s:
        ledger.move(s, Move("TS-RED-M", 3, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()
    with unit_of_work(warehouse) as s:
        with pytest.raises(InsufficientStock, match="3 on hand, 5 asked"):
            ledger.move(s, Move("TS-RED-M", 5, "A-01-01-01", "A-01-01-02", "transfer"))
        s.commit()
    with unit_of_work(warehouse) as s:
        assert ledger.on_hand(s, "TS-RED-M", "A-01-01-01") == 3
        assert ledger.on_hand(s, "TS-RED-M", "A-01-01-02") == 0
        assert s.scalar(select(func.count()).select_from(Movement)) == 1


def test_taking_from_an_empty_bin_is_refused(warehouse):
    with unit_of_work(warehouse) as s:
        with pytest.raises(InsufficientStock):
            ledger.move(s, Move("TS-RED-M", 1, "A-01-01-02", "QC-01", "transfer"))


@pytest.mark.parametrize("mv, message", [
    (Move("TS-RED-M", 0, "ADJUSTMENT", "A-01-01-01", "opening"), "positive whole quantity"),
    (Move("TS-RED-M", -2, "ADJUSTMENT", "A-01-01-01", "opening"), "positive whole quantity"),
    (Move("TS-RED-M", 1, "A-01-01-01", "A-01-01-01", "transfer"), "two different locations"),
    (Move("TS-RED-M", 1, "ADJUSTMENT", "A-01-01-01", "gift"), "Unknown movement reason"),
    (Move("NOPE", 1, "ADJUSTMENT", "A-01-01-01", "opening"), "Unknown SKU NOPE"),
    (Move("TS-RED-M", 1, "ADJUSTMENT", "Z-99", "opening"), "Unknown location Z-99"),
])
def test_a_malformed_movement_is_refused_with_a_reason(warehouse, mv, message):
    with unit_of_work(warehouse) as s:
        with pytest.raises(LedgerError, match=message):
            ledger.move(s, mv)


def test_verify_names_a_balance_tampered_with_by_hand(warehouse):
    with unit_of_work(warehouse) as s:
        ledger.move(s, Move("TS-RED-M", 7, "ADJUSTMENT", "A-01-01-01", "opening"))
        s.commit()
    with unit_of_work(warehouse) as s:
        assert ledger.verify(s) == []
        s.execute(Balance.__table__.update().values(qty=9).where(Balance.qty == 7))
        s.commit()
    with unit_of_work(warehouse) as s:
        [problem] = ledger.verify(s)
        assert (problem.sku, problem.location, problem.balance, problem.ledger, problem.problem) == (
            "TS-RED-M", "A-01-01-01", 9, 7, "mismatch")


SKUS = ["TS-RED-M", "TS-RED-L"]
PLACES = ["ADJUSTMENT", "SUPPLIER", "A-01-01-01", "A-01-01-02", "QC-01"]
moves = st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 20), st.sampled_from(PLACES),
                           st.sampled_from(PLACES)), max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=moves)
def test_any_sequence_of_moves_keeps_balances_equal_to_the_ledger_and_bins_non_negative(tmp_path_factory, sequence):
    url = f"sqlite:///{tmp_path_factory.mktemp('prop') / 'p.db'}"
    engine, sessions = open_database(url)
    with unit_of_work(sessions) as s:
        for sku in SKUS:
            f.product(s, sku, name=sku)
        for code in PLACES[2:]:
            f.location(s, code, "quarantine" if code == "QC-01" else "stock")
        s.commit()
    model: dict[tuple[str, str], int] = {}
    for sku, qty, src, dst in sequence:
        with unit_of_work(sessions) as s:
            physical_src = src not in ("ADJUSTMENT", "SUPPLIER")
            expect_refusal = src == dst or (physical_src and model.get((sku, src), 0) < qty)
            try:
                ledger.move(s, Move(sku, qty, src, dst, "transfer"))
                s.commit()
                assert not expect_refusal
                model[(sku, src)] = model.get((sku, src), 0) - qty
                model[(sku, dst)] = model.get((sku, dst), 0) + qty
            except LedgerError:
                assert expect_refusal
    with unit_of_work(sessions) as s:
        assert ledger.verify(s) == []
        for (sku, place), qty in model.items():
            assert ledger.on_hand(s, sku, place) == qty
    engine.dispose()


def test_a_batch_of_moves_is_written_together_and_a_short_bin_refuses_it_for_the_caller_to_roll_back(warehouse):
    with unit_of_work(warehouse) as s:
        ledger.move(s, Move("TS-RED-M", 4, "ADJUSTMENT", "A-01-01-01", "opening"))
        ledger.move(s, Move("TS-RED-M", 2, "ADJUSTMENT", "A-01-01-02", "opening"))
        s.commit()
    with unit_of_work(warehouse) as s:
        rows = ledger.move_many(s, [Move("TS-RED-M", 3, "A-01-01-01", "QC-01", "transfer"),
                                    Move("TS-RED-M", 2, "A-01-01-02", "QC-01", "transfer")])
        s.commit()
    assert [r.qty for r in rows] == [3, 2]
    with unit_of_work(warehouse) as s:
        assert [ledger.on_hand(s, "TS-RED-M", c) for c in ("A-01-01-01", "A-01-01-02", "QC-01")] == [1, 0, 5]
        with pytest.raises(InsufficientStock, match=r"TS-RED-M@A-01-01-02 ×1"):
            ledger.move_many(s, [Move("TS-RED-M", 1, "A-01-01-01", "QC-01", "transfer"),
                                 Move("TS-RED-M", 1, "A-01-01-02", "QC-01", "transfer")])
        s.rollback()
    with unit_of_work(warehouse) as s:
        assert [ledger.on_hand(s, "TS-RED-M", c) for c in ("A-01-01-01", "A-01-01-02", "QC-01")] == [1, 0, 5]
        assert s.scalar(select(func.count()).select_from(Movement)) == 4
        assert ledger.verify(s) == []
