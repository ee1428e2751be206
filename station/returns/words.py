"""The words of the returns matcher's evidence codes, in the clerk's language (issue 17: the codes
themselves, "phone: exact, name: pinyin", showed on the Chinese returns bench). Plain values: the
returns bench's state machine uses them too.

The bench keeps each piece of evidence as ``"clue: how"`` (``" ✗"`` added when it speaks against the
order): that stays the same in every language (the saved state, the replay's ``state``), and
`describe_stored` turns it into words when it is shown.
"""
from __future__ import annotations

from station.i18n import N_, _

#: Every clue and every way it matched (station.returns.evidence), as the clerk reads them (the codes
#: showed on the Chinese screens). tests/unit/test_evidence_words.py checks that every code the matcher
#: can give has words here, and the catalog test that every word has its zh_CN translation.
CLUE_WORDS = {"slip": N_("return slip"), "tracking": N_("return tracking"), "account": N_("account"),
              "phone": N_("phone"), "name": N_("name"), "order_no": N_("order number"), "items": N_("items"),
              "dates": N_("dates")}
HOW_WORDS = {
    "exact": N_("exact"), "near": N_("nearly"), "different": N_("different"), "masked": N_("masked, matches"),
    "last4": N_("last 4 digits match"), "pinyin": N_("same in pinyin"), "contained": N_("all in the order"),
    "partly": N_("some in the order"), "none": N_("none in the order"), "plausible": N_("plausible"),
    "before_shipping": N_("before it shipped"), "return_slip": N_("this order's slip"),
    "registered_return": N_("registered for this order"), "other_order": N_("registered for another order"),
    "virtual_phone": N_("virtual number: not checked"), "no_phone": N_("order has none: not checked"),
    "no_name": N_("order has none: not checked"), "no_account": N_("order has none: not checked"),
    "unknown_barcode": N_("unknown barcode"),
}


def describe(clue: str, how: str, matched: bool | None) -> str:
    """One piece of evidence in the clerk's language: "phone: exact", "电话：完全一致 ✗"."""
    clue_words = _(CLUE_WORDS[clue]) if clue in CLUE_WORDS else clue
    how_words = _(HOW_WORDS[how]) if how in HOW_WORDS else how
    return _("{clue}: {how}", clue=clue_words, how=how_words) + ("" if matched is not False else " ✗")


RETURN_TYPES = {"refund": N_("refund"), "exchange": N_("exchange")}  # "Receipt RR-000002 · refund"


def return_type(code: str | None) -> str:
    return _(RETURN_TYPES[code]) if code in RETURN_TYPES else (code or "")


def stored(clue: str, how: str, matched: bool | None) -> str:
    """The language-free form the bench keeps: ``"phone: exact"``, ``"name: different ✗"``."""
    return f"{clue}: {how}" + ("" if matched is not False else " ✗")


def describe_stored(text: str) -> str:
    """`stored` text in words; text of another shape is shown as it is."""
    against = text.endswith(" ✗")
    clue, sep, how = text.removesuffix(" ✗").partition(": ")
    if not sep:
        return text
    return describe(clue, how, False if against else True)
