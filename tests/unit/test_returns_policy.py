"""The return policy per item (pure): window from delivery, exclusions, defects, postage, overrides."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from station.returns.policy import (BEIJING, PolicyError, PolicySettings, ReturnedItem, decide_item, override,
                                    parcel_refused, window_deadline)

SHIPPED = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 Beijing time
DELIVERED = datetime(2026, 11, 3, 6, 0, tzinfo=timezone.utc)  # 14:00 on 3 November, Beijing


def decide(item, asked, *, delivered=DELIVERED, settings=PolicySettings()):
    return decide_item(item, shipped_at=SHIPPED, delivered=delivered, asked_at=asked, settings=settings)


def test_the_window_runs_to_the_end_of_the_seventh_day_after_delivery_in_beijing_time():
    assert window_deadline(DELIVERED) == datetime(2026, 11, 11, 0, 0, tzinfo=BEIJING)
    last_minute = datetime(2026, 11, 10, 23, 59, tzinfo=BEIJING)
    inside = decide(ReturnedItem("TS-01"), last_minute)
    assert inside.accepted and inside.code == "within_window" and inside.postage == "buyer"
    assert str(inside.last_day) == "2026-11-10" and "2026-11-10" in inside.text()
    late = decide(ReturnedItem("TS-01"), last_minute + timedelta(minutes=1))
    assert not late.accepted and late.code == "outside_window" and "2026-11-10" in late.text()


def test_without_a_delivered_date_the_window_starts_at_ship_time_plus_the_configured_transit():
    asked = datetime(2026, 11, 10, 12, 0, tzinfo=BEIJING)
    assert decide(ReturnedItem("TS-01"), asked, delivered=None).accepted  # shipped 1 Nov + 3 days: until 11 Nov
    quick = PolicySettings(transit_days=1)
    assert decide(ReturnedItem("TS-01"), asked, delivered=None, settings=quick).code == "outside_window"


@pytest.mark.parametrize("condition", ["worn", "washed", "tags_missing", "stained", "damaged", "altered"])
def test_a_no_reason_return_in_a_used_condition_is_refused_and_says_why(condition):
    decision = decide(ReturnedItem("TS-01", conditions=frozenset({condition})), DELIVERED + timedelta(days=1))
    assert not decision.accepted and decision.code == "item_condition" and decision.condition == condition


@pytest.mark.parametrize("flag, code", [("hygiene", "hygiene_item"), ("sale", "sale_item"), ("gift", "gift_item")])
def test_underwear_sale_items_and_gifts_come_back_only_when_defective(flag, code):
    asked = DELIVERED + timedelta(days=1)
    refused = decide(ReturnedItem("UW-01", flags=frozenset({flag})), asked)
    assert (refused.accepted, refused.code, refused.postage) == (False, code, "buyer")
    defective = decide(ReturnedItem("UW-01", reason="quality", flags=frozenset({flag})), asked)
    assert (defective.accepted, defective.code, defective.postage) == (True, "defect_accepted", "shop")


@pytest.mark.parametrize("reason", ["quality", "wrong_item", "missing_item"])
def test_a_defect_is_accepted_even_late_and_damaged_and_the_shop_pays_the_postage(reason):
    decision = decide(ReturnedItem("TS-01", reason=reason, conditions=frozenset({"damaged"})),
                      DELIVERED + timedelta(days=30))
    assert decision.accepted and decision.postage == "shop" and decision.code == "defect_accepted"


def test_a_supervisor_overrides_with_a_reason_and_the_original_decision_is_kept():
    refused = decide(ReturnedItem("TS-01", flags=frozenset({"sale"})), DELIVERED + timedelta(days=1))
    with pytest.raises(PolicyError) as no_role:
        override(refused, user="李雷", roles=("returns",), accept=True, reason="老客户")
    assert no_role.value.code == "supervisor_needed"
    with pytest.raises(PolicyError) as no_reason:
        override(refused, user="王主管", roles=("supervisor",), accept=True, reason="  ")
    assert no_reason.value.code == "override_reason_needed"
    accepted = override(refused, user="王主管", roles=("supervisor",), accept=True, reason="老客户，破例")
    assert accepted.accepted and accepted.overridden_by == "王主管" and accepted.original == refused
    assert "王主管" in accepted.text() and "老客户，破例" in accepted.text() and "sale items" in accepted.text()
    again = override(accepted, user="赵经理", roles=("admin",), accept=False, reason="撤回")
    assert again.original == refused and not again.accepted


def test_unknown_reasons_and_conditions_are_refused_and_freight_collect_parcels_too():
    with pytest.raises(PolicyError):
        ReturnedItem("TS-01", reason="changed_mind")
    with pytest.raises(PolicyError):
        ReturnedItem("TS-01", conditions=frozenset({"smelly"}))
    assert parcel_refused(True) == "cod_refused" and parcel_refused(False) is None
