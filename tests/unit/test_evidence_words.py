"""Every evidence code the matcher can give has words in both languages (issue 17: "phone: exact,
name: pinyin" showed in English on the Chinese returns bench)."""
from __future__ import annotations

import re
from pathlib import Path

from station.i18n import set_language
from station.returns import evidence
from station.returns.evidence import WEIGHTS
from station.returns.words import CLUE_WORDS, HOW_WORDS, describe, describe_stored

SOURCE = Path(evidence.__file__).read_text(encoding="utf-8")


def codes_in_source() -> tuple[set[str], set[str]]:
    """The clue and how codes the module's code passes to _ev(clue, value, matched, how, ...)."""
    clues, hows = set(WEIGHTS), set()
    for clue, how in re.findall(r'_ev\("([a-z_0-9]+)",[^\n]*?"([a-z_0-9]+)"(?: if|,)', SOURCE):
        clues.add(clue)
        hows.add(how)
    hows |= set(re.findall(r'"([a-z_0-9]+)" if [^\n]*?else "[a-z_0-9]+"', SOURCE))
    hows |= set(re.findall(r'else \(?"([a-z_0-9]+)"', SOURCE))
    hows |= set(re.findall(r'"([a-z_0-9]+)" if inside', SOURCE))
    for table in WEIGHTS.values():
        hows |= set(table)
    return clues, hows


def test_every_code_the_matcher_gives_has_words():
    clues, hows = codes_in_source()
    assert {"slip", "tracking", "dates"} <= clues and {"virtual_phone", "return_slip", "partly"} <= hows
    assert clues - set(CLUE_WORDS) == set()
    assert hows - set(HOW_WORDS) == set()


def test_evidence_reads_in_the_clerks_language():
    set_language("zh_CN")
    try:
        text = describe("phone", "exact", True)
        assert "phone" not in text and "exact" not in text
        assert describe("name", "different", False).endswith(" ✗")
    finally:
        set_language("en")
    assert describe("phone", "exact", True) == "phone: exact"


def test_the_bench_keeps_codes_and_shows_words():
    from station.returns.words import stored

    assert stored("name", "pinyin", True) == "name: pinyin" and stored("phone", "different", False).endswith(" ✗")
    set_language("zh_CN")
    try:
        assert describe_stored("name: pinyin") == describe("name", "pinyin", True) != "name: pinyin"
        assert describe_stored("phone: different ✗").endswith(" ✗")
        assert describe_stored("something else") == "something else"
    finally:
        set_language("en")
