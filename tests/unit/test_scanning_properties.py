"""Properties of classify() over generated input (hypothesis)."""
from __future__ import annotations

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from station.scanning import (
    DEFAULT_LEXICON,
    GS,
    SCAN_ERRORS,
    Scan,
    ScanKind,
    classify,
    gtin_check_digit_ok,
    is_valid_product_barcode,
    parse_gs1,
)

K = ScanKind
digits = st.text(alphabet="0123456789", min_size=1, max_size=30)


def with_check_digit(payload: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return payload + str((10 - total % 10) % 10)


ean13s = st.text(alphabet="0123456789", min_size=12, max_size=12).map(with_check_digit)
gtins = st.sampled_from([7, 11, 12, 13]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)).map(with_check_digit)


@given(st.text())
@example("]")
@example("]C")
@example("]C1")
@example("\x1d")
@example("]Y9")
@example("CMD-\x1d")
def test_classify_never_raises_and_always_gives_a_well_formed_scan(text):
    scan = classify(text)
    assert type(scan) is Scan and scan.kind in ScanKind
    assert (scan.kind is K.UNKNOWN) == (scan.error is not None)
    assert scan.error is None or scan.error in SCAN_ERRORS
    assert scan.raw == text.strip(" \r\n\t")
    hash(scan)


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=60))
def test_classify_never_raises_on_ascii_with_gs1_markers(text):
    for prefix in ("", "]C1", "]d2", "01", "00"):
        classify(prefix + text)
        classify(prefix + text.replace("|", GS))


@given(st.text())
def test_parse_gs1_never_raises(text):
    scan = parse_gs1(text)
    assert scan.kind in (K.GS1, K.UNKNOWN)


@given(ean13s)
def test_any_valid_ean_13_is_a_product_with_its_gtin_14(code):
    scan = classify(code)
    assert (scan.kind, scan.value, scan.gtin) == (K.PRODUCT, code, "0" + code)
    assert scan.alternatives == ((K.TRACKING,) if scan.courier else ())
    assert scan.courier == DEFAULT_LEXICON.courier_for(code)


@given(gtins, st.integers(min_value=0, max_value=13), st.integers(min_value=1, max_value=9))
def test_changing_any_one_digit_of_a_valid_gtin_is_caught(code, position, delta):
    position %= len(code)
    changed = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1:]
    assert gtin_check_digit_ok(code) and not gtin_check_digit_ok(changed)
    scan = classify(changed)
    assert scan.kind is K.TRACKING or scan.error == "bad_check_digit"


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_no_chinese_ean_13_ever_looks_like_a_tracking_number(middle):
    for last in "0123456789":
        assert DEFAULT_LEXICON.courier_for("69" + middle + last) is None


@given(st.text(alphabet="0123456789", min_size=14, max_size=28), st.sampled_from(["01", "02"]))
def test_16_or_more_digits_after_01_or_02_are_gs1_exactly_when_the_gtin_checks(rest, ai):
    scan = classify(ai + rest)
    if gtin_check_digit_ok(rest[:14]):
        assert scan.kind is K.GS1 or scan.error == "gs1_invalid"
    else:
        assert scan.error == "bad_check_digit"


@given(digits)
def test_a_digit_string_is_never_unreadable_unless_too_long(code):
    assert classify(code).error != "unreadable"


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=48))
def test_printable_ascii_is_never_unreadable_and_full_width_typing_changes_nothing(text):
    scan = classify(text)
    assert scan.error != "unreadable" or text[2:3] == ":"  # only "PS:"/"RS:" with a bad number
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in text)  # what an IME in full-width mode types
    assert unicodedata.normalize("NFKC", full_width) == text
    other = classify(full_width)
    assert (other.kind, other.value, other.error) == (scan.kind, scan.value, scan.error)


@given(st.text(), st.sampled_from(["\r", "\n", "\r\n", "\t", " "]))
def test_the_terminator_never_changes_the_classification(text, terminator):
    assert classify(text + terminator) == classify(text)


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=48))
def test_an_importable_non_numeric_code_is_accepted_unless_it_has_a_reserved_prefix(code):
    ok, reason = is_valid_product_barcode(code)
    if code.upper().startswith(("CMD-", "PS:", "RS:")):
        assert (ok, reason) == (False, "reserved_prefix")
    elif not code.isdigit():
        assert (ok, reason) == (True, None)
