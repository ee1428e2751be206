"""Scale protocols and the expected parcel weight (issue 18), without a device or a database."""
from __future__ import annotations

from decimal import Decimal

import pytest

from station.weighing import (ScaleError, contents_key, decide, expected_weight, learned_weight, parse_continuous,
                              parse_hid_report, parse_mt_sics)


@pytest.mark.parametrize("line,grams,stable,net", [
    ("ST,GS,+0001.250kg\r\n", "1250", True, False),
    ("US,GS,+0001.180kg", "1180", False, False),
    ("ST,NT,-0000.015kg", "-15", True, True),
    ("ST,+00123.45  g", "123.45", True, False),  # A&D: no kind field, padded unit
    ("ST,GS,   0.5000 lb", "226.796185", True, False),
    ("\x02ST,GS,+0000.000kg\x03", "0", True, False),
])
def test_continuous_lines(line, grams, stable, net):
    r = parse_continuous(line)
    assert (r.grams, r.stable, r.net) == (Decimal(grams), stable, net)


@pytest.mark.parametrize("line,reason", [
    ("OL,GS,+9999.999kg", "overload"), ("ST,GS,+0001.250", "unit"), ("ST,GS,+0001.2x0kg", "garbled"),
    ("hello", "garbled"), ("ST,XX,+1.0kg", "garbled"), ("ST,GS,+1.0st", "unit"),
])
def test_continuous_lines_that_are_no_reading_say_why(line, reason):
    with pytest.raises(ScaleError) as err:
        parse_continuous(line)
    assert err.value.reason == reason


@pytest.mark.parametrize("line,grams,stable", [
    ("S S      1.250 kg\r\n", "1250", True), ("S D      1.248 kg", "1248", False), ("S S    250.4 g", "250.4", True),
    ("S S     -0.002 kg", "-2", True),
])
def test_mt_sics_answers(line, grams, stable):
    r = parse_mt_sics(line)
    assert (r.grams, r.stable) == (Decimal(grams), stable)


@pytest.mark.parametrize("line,reason", [("S I", "busy"), ("S +", "overload"), ("S -", "underload"), ("ES", "garbled"),
                                         ("EL", "garbled"), ("S S", "garbled"), ("S S  1.0", "unit")])
def test_mt_sics_refusals(line, reason):
    with pytest.raises(ScaleError) as err:
        parse_mt_sics(line)
    assert err.value.reason == reason


def test_hid_pos_scale_reports():
    # Dymo M10 style: status 4 stable, unit 2 grams, exponent 0, 0x04E2 = 1250
    assert parse_hid_report(bytes([3, 4, 2, 0, 0xE2, 0x04])).grams == Decimal(1250)
    moving = parse_hid_report(bytes([3, 3, 2, 0, 0xE2, 0x04]))
    assert not moving.stable
    # kg with exponent -3 (signed byte 0xFD): 1250 * 10^-3 kg = 1250 g
    assert parse_hid_report(bytes([3, 4, 3, 0xFD, 0xE2, 0x04])).grams == Decimal(1250)
    # ounces, exponent -1: 441 * 0.1 oz = 44.1 oz
    assert parse_hid_report(bytes([3, 4, 11, 0xFF, 0xB9, 0x01])).grams == Decimal("44.1") * Decimal("28.349523125")
    zero = parse_hid_report(bytes([3, 2, 2, 0, 0, 0]))
    assert zero.grams == 0 and zero.stable
    for status, reason in ((6, "overload"), (5, "underload"), (1, "fault"), (8, "not_calibrated")):
        with pytest.raises(ScaleError) as err:
            parse_hid_report(bytes([3, status, 2, 0, 1, 0]))
        assert err.value.reason == reason
    with pytest.raises(ScaleError):
        parse_hid_report(bytes([1, 4, 2, 0, 1]))


def test_contents_key_adds_lines_of_one_sku_and_sorts():
    assert contents_key([("B", 1), ("A", 2), ("B", 2)]) == "A×2;B×3"


def test_expected_from_products_plus_packaging_with_5_percent_or_10_g():
    e = expected_weight([("TS01", 2, 200), ("NB", 1, 500)], packaging_g=100)
    assert (e.grams, e.basis, e.low, e.high) == (Decimal(1000), "products", Decimal(950), Decimal(1050))
    assert decide(1049, e).ok and not decide(1051, e).ok and not decide(900, e).ok
    small = expected_weight([("SOCK", 1, 30)])
    assert (small.low, small.high) == (Decimal(20), Decimal(40))  # 5 % of 30 g is under the 10 g floor


def test_a_product_without_weight_leaves_the_parcel_unjudged_until_learned():
    e = expected_weight([("TS01", 1, 200), ("NEW", 1, None)])
    assert e.grams is None and e.missing == ("NEW",)
    v = decide(777, e)
    assert v.ok and not v.judged
    learned = expected_weight([("TS01", 1, 200), ("NEW", 1, None)], history=[510, 500, 490])
    assert learned.basis == "learned" and learned.grams == Decimal(500) and learned.shipments == 3
    assert decide(520, learned).ok and not decide(530, learned).ok  # 5 % of 500 = 25 > 2 sd (20)


def test_learned_weight_wins_once_three_shipped_and_spread_uses_two_sd_when_wider():
    assert learned_weight([1000, 1000]) is None
    e = expected_weight([("TS01", 1, 200)], packaging_g=50, history=[900, 1000, 1100])
    assert e.basis == "learned" and e.grams == Decimal(1000)
    assert e.high - e.grams == 200  # 2 sd (2 × 100) beats 5 % (50)
    assert decide(1190, e).ok and not decide(1210, e).ok


@pytest.mark.parametrize("text,expected", [
    ("", "none"), ("none", "none"), ("serial:/dev/ttyUSB0", "serial:/dev/ttyUSB0"),
    ("serial:/dev/ttyUSB0:4800", "serial:/dev/ttyUSB0:4800"),
    ("serial:/dev/ttyUSB0:9600:mt-sics", "serial:/dev/ttyUSB0:9600:mt-sics"),
    ("serial:COM3:mt-sics", "serial:COM3:9600:mt-sics"), ("hid:0922:8003", "hid:0922:8003"),
])
def test_scale_specs_read_and_write_back(text, expected):
    from station.weighing.spec import parse_scale_spec

    assert str(parse_scale_spec(text)) == expected
    assert str(parse_scale_spec(expected)) == expected


@pytest.mark.parametrize("text,words", [
    ("serial:", "name the scale's serial port"), ("serial:/dev/x:9600:foo", "Unknown scale protocol foo"),
    ("serial:/dev/x:99", "out of range"), ("hid:zz", "USB ids in hex"), ("usb:1", "Unknown scale usb:1"),
])
def test_bad_scale_specs_say_what_would_be_right(text, words):
    from station.weighing.spec import ScaleSpecError, parse_scale_spec

    with pytest.raises(ScaleSpecError) as err:
        parse_scale_spec(text)
    assert words in str(err.value)
