"""classify(), rules 0-5 of docs/scanning.md and the ambiguities between them (rules 6-9: *_digits.py)."""
from __future__ import annotations

import pytest

from station.scanning import Lexicon, ScanKind, classify, normalise

K = ScanKind
LEX = Lexicon(badges=frozenset({"U0007", "10023", "B-01-01-01", "CMD-BOSS"}),
              locations=frozenset({"RECV-1", "QUARANTINE", "PS:DOCK"}))


def check_digit(payload: str) -> str:
    """Reference GS1 mod-10, written differently from the implementation on purpose."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return str((10 - total % 10) % 10)


def gtin(payload: str) -> str:
    return payload + check_digit(payload)


EAN13 = gtin("690123456789")      # 6901234567892, a Chinese EAN-13
EAN8 = gtin("9638507")            # 96385074


# --- rule 0: normalisation -------------------------------------------------------------

@pytest.mark.parametrize("raw", ["", " ", "\r", "\n", "\r\n", "\t", " \t\r\n ", "\u3000"])
def test_an_empty_or_blank_scan_is_unknown_with_reason_empty(raw):
    scan = classify(raw)
    assert (scan.kind, scan.error, scan.value) == (K.UNKNOWN, "empty", "")


@pytest.mark.parametrize("terminator", ["\r", "\n", "\r\n", "\t", "  ", " \r\n"])
def test_the_scanner_terminator_is_stripped_from_raw_and_value(terminator):
    scan = classify(EAN13 + terminator)
    assert scan.raw == EAN13 and scan.value == EAN13 and scan.kind is K.PRODUCT


def test_leading_whitespace_is_stripped_too():
    assert classify("  \tTS-RED-M").value == "TS-RED-M"


@pytest.mark.parametrize("typed, kind, value", [
    ("６９０１２３４５６７８９２", K.PRODUCT, "6901234567892"),
    ("ＣＭＤ－ＤＯＮＥ", K.COMMAND, "DONE"),
    ("Ａ－０１－０２－０３", K.LOCATION, "A-01-02-03"),
    ("ＰＳ：１００１", K.ORDER, "1001"),
    ("ＴＳ－ＲＥＤ－Ｍ", K.SKU, "TS-RED-M"),
    ("ＳＦ１２３４５６７８９０１２３", K.TRACKING, "SF1234567890123"),
    ("\u3000TS-RED-M\u3000", K.SKU, "TS-RED-M"),
])
def test_full_width_text_from_a_chinese_input_method_is_read_as_ascii(typed, kind, value):
    scan = classify(typed)
    assert (scan.kind, scan.value) == (kind, value)


def test_raw_keeps_the_full_width_characters_as_received_for_the_audit_trail():
    assert classify("６９０１２３４５６７８９２\r").raw == "６９０１２３４５６７８９２"


def test_full_width_gs1_keeps_the_group_separator():
    scan = classify("０１０７０３２０６９８０４９８８１０ＡＢ\x1d１５２１０５２６")
    assert scan.kind is K.GS1 and scan.batch == "AB" and str(scan.best_before) == "2021-05-26"


@pytest.mark.parametrize("raw, kind, value", [
    ("]C0TS-RED-M", K.SKU, "TS-RED-M"),
    ("]E0" + EAN13, K.PRODUCT, EAN13),
    ("]E4" + EAN8, K.PRODUCT, EAN8),
    ("]A0CMD-DONE", K.COMMAND, "DONE"),
    ("]C0A-01-02-03", K.LOCATION, "A-01-02-03"),
    ("]Q1PS:1001", K.ORDER, "1001"),
    ("]C0SF1234567890123", K.TRACKING, "SF1234567890123"),
])
def test_a_non_gs1_symbology_identifier_is_dropped_and_the_rest_classified(raw, kind, value):
    scan = classify(raw)
    assert (scan.kind, scan.value, scan.raw) == (kind, value, raw)


def test_a_symbology_identifier_alone_is_empty():
    scan = classify("]C0\r")
    assert (scan.kind, scan.error) == (K.UNKNOWN, "empty")


# --- rule 1: commands ------------------------------------------------------------------

@pytest.mark.parametrize("raw, name", [
    ("CMD-DONE", "DONE"), ("CMD-CANCEL", "CANCEL"), ("CMD-UNDO", "UNDO"), ("CMD-SHORT", "SHORT"),
    ("CMD-REPRINT", "REPRINT"), ("CMD-NEW_PARCEL", "NEW_PARCEL"), ("CMD-LOGOUT", "LOGOUT"),
    ("CMD-HOLD", "HOLD"), ("CMD-SKIP", "SKIP"), ("CMD-CONFIRM", "CONFIRM"),
    ("cmd-done", "DONE"), ("Cmd-Done", "DONE"), ("CMD-new-parcel", "NEW_PARCEL"),
])
def test_a_command_barcode_is_a_command_named_in_upper_case(raw, name):
    scan = classify(raw)
    assert (scan.kind, scan.value) == (K.COMMAND, name)


@pytest.mark.parametrize("raw", ["CMD-", "CMD-FOO", "CMD-DONE!", "CMD-DO NE", "CMD-BOSS"])
def test_an_unknown_command_is_refused_with_reason_unknown_command(raw):
    scan = classify(raw, LEX)
    assert (scan.kind, scan.error) == (K.UNKNOWN, "unknown_command")


# --- rule 2: badges --------------------------------------------------------------------

def test_a_known_badge_is_a_badge():
    scan = classify("U0007\r", LEX)
    assert (scan.kind, scan.value) == (K.BADGE, "U0007")


def test_a_badge_code_unknown_to_the_lexicon_is_just_a_sku():
    assert classify("U0008", LEX).kind is K.SKU


def test_a_numeric_badge_wins_over_the_digit_rules():
    assert classify("10023", LEX).kind is K.BADGE
    assert classify("10023").kind is K.SKU


def test_a_badge_that_looks_like_a_bin_code_is_a_badge():
    assert classify("B-01-01-01", LEX).kind is K.BADGE


def test_badges_are_matched_exactly_not_case_insensitively():
    assert classify("u0007", LEX).kind is K.SKU


# --- rule 3: locations -----------------------------------------------------------------

@pytest.mark.parametrize("raw", ["A-01-02-03", "ZZ-99-99-99", "RECV-1", "QUARANTINE"])
def test_a_bin_code_or_a_named_location_is_a_location(raw):
    scan = classify(raw, LEX)
    assert (scan.kind, scan.value) == (K.LOCATION, raw)


@pytest.mark.parametrize("raw", ["A-1-2-3", "ABC-01-02-03", "a-01-02-03", "A-01-02-03-04", "A-01-02"])
def test_almost_bin_codes_are_skus(raw):
    assert classify(raw).kind is K.SKU


def test_a_named_location_beats_the_packing_slip_prefix():
    assert classify("PS:DOCK", LEX).kind is K.LOCATION


def test_a_custom_location_pattern_is_used():
    lexicon = Lexicon(location_pattern=r"\d{2}-\d{3}")
    assert classify("12-345", lexicon).kind is K.LOCATION
    assert classify("A-01-02-03", lexicon).kind is K.SKU


def test_a_numeric_location_pattern_wins_over_products():
    lexicon = Lexicon(location_pattern=r"\d{13}")
    assert classify(EAN13, lexicon).kind is K.LOCATION


# --- rule 4: packing and return slips --------------------------------------------------

@pytest.mark.parametrize("raw, kind, value", [
    ("PS:1001", K.ORDER, "1001"),
    ("PS:#1001", K.ORDER, "#1001"),
    ("PS:35153131473293579", K.ORDER, "35153131473293579"),
    ("ps:1001", K.ORDER, "1001"),
    ("RS:#1001", K.RETURN_SLIP, "#1001"),
    ("rs:35153131473293579", K.RETURN_SLIP, "35153131473293579"),
])
def test_a_slip_barcode_names_the_order_without_its_prefix(raw, kind, value):
    scan = classify(raw)
    assert (scan.kind, scan.value, scan.raw) == (kind, value, raw)


@pytest.mark.parametrize("raw", ["PS:", "RS:", "PS:10 01", "PS:订单1", "PS:" + "9" * 49])
def test_a_slip_barcode_without_a_readable_order_number_is_unreadable(raw):
    scan = classify(raw)
    assert (scan.kind, scan.error) == (K.UNKNOWN, "unreadable")


def test_other_two_letter_prefixes_are_skus():
    assert classify("XS:1001").kind is K.SKU


# --- rule 5: GS1 markers (details in test_scanning_gs1.py) -----------------------------

@pytest.mark.parametrize("raw", [
    "]C1010590123412345715210526",
    "]e00105901234123457",
    "]d20105901234123457\x1d10AB",
    "]Q30105901234123457",
    "]J10105901234123457",
    "010590123412345710AB\x1d17261200",
    "\x1d0105901234123457",
])
def test_a_gs1_symbology_identifier_or_a_gs_character_makes_it_gs1(raw):
    scan = classify(raw)
    assert (scan.kind, scan.gtin) == (K.GS1, "05901234123457")


def test_a_gs_character_in_text_that_is_not_gs1_is_gs1_invalid():
    scan = classify("TS-RED\x1dM")
    assert (scan.kind, scan.error) == (K.UNKNOWN, "gs1_invalid")
    assert scan.detail


@pytest.mark.parametrize("raw, text", [
    ("  ６９０１\r\n", "6901"), ("\x1d01\r", "\x1d01"), ("ＰＳ：１\u3000", "PS:1"), ("", ""),
])
def test_normalise_strips_the_terminator_and_undoes_full_width_but_keeps_gs(raw, text):
    assert normalise(raw) == text
