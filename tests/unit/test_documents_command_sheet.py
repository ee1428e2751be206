"""The command sheet (``station print command-sheet``): every command a bench acts on is on it, scans
at 203 dpi to exactly its code, and says what it does in Chinese and English.

What "every command" means is read from the code, not listed here: the command names the
workflows compare a scan with (string constants in station/workflows/*.py that are commands the
classifier knows). A command a bench starts to act on is missing from the sheet until its bench
declares it in ``Bench.commands`` — and then these tests fail until it is printed.
"""
from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

import station.workflows as workflows
from station.documents.commands import (BENCH_HEADING, EVERY_BENCH_HEADING, SETUP_HEADING, SETUP_MEANING,
                                        command_code, command_sheet, sheet_for)
from station.documents.registry import DocumentError, build
from station.i18n import translate
from station.printing.documents.command_sheet import render_command_sheet
from station.printing.units import LABEL_100x150
from station.scanning import COMMANDS, SCANNER_SETUP_CODE, ScanKind, classify
from station.workflows import BENCHES
from station.workflows.base import EVERY_BENCH_COMMANDS
from tests.support.pdfcheck import decode_barcodes, decode_barcodes_by_band, fonts_embedded, page_sizes_mm, pdf_text

WORKFLOWS = Path(workflows.__file__).parent


def commands_compared_in(path: Path) -> set[str]:
    """The command names a module's code holds as string constants (``command == "DONE"``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in COMMANDS}


def commands_the_code_acts_on() -> set[str]:
    return set().union(*(commands_compared_in(path) for path in WORKFLOWS.glob("*.py")))


def expected_codes(benches=None) -> set[str]:
    chosen = [BENCHES[name] for name in benches] if benches else list(BENCHES.values())
    names = set(EVERY_BENCH_COMMANDS).union(*(bench.commands for bench in chosen))
    return {SCANNER_SETUP_CODE} | {command_code(name) for name in names} | set().union(
        *(bench.sheet_codes for bench in chosen))


def sheet_codes() -> set[str]:
    """The codes benches read from the sheet that are no commands (the receive bench's QC: reasons)."""
    return set().union(*(bench.sheet_codes for bench in BENCHES.values()))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def a4() -> bytes:
    return command_sheet(None, [], None)


# ---------------------------------------------------------------- what the benches declare


@pytest.mark.parametrize("bench", sorted(BENCHES))
def test_each_bench_declares_the_commands_its_code_acts_on(bench):
    cls = BENCHES[bench]
    acted_on = commands_compared_in(Path(__import__(cls.__module__, fromlist=["x"]).__file__))
    assert acted_on <= set(cls.commands) | set(EVERY_BENCH_COMMANDS), \
        f"{bench}: declare {sorted(acted_on - set(cls.commands) - set(EVERY_BENCH_COMMANDS))} in commands"
    assert set(cls.commands) <= acted_on, f"{bench} declares commands its code never compares"


def test_what_the_runner_and_the_shared_messages_act_on_is_an_every_bench_command():
    shared = commands_compared_in(WORKFLOWS / "runner.py") | commands_compared_in(WORKFLOWS / "messages.py")
    assert shared and shared <= set(EVERY_BENCH_COMMANDS)
    assert set(EVERY_BENCH_COMMANDS) <= commands_the_code_acts_on()


def test_every_code_on_the_sheet_is_read_as_that_command_and_the_setup_code_as_no_command():
    for section in sheet_for().sections:
        for entry in section.entries:
            scan = classify(entry.code)
            if entry.code == SCANNER_SETUP_CODE:
                assert scan.kind is not ScanKind.COMMAND  # the scan capture takes it; no bench sees it
            elif entry.code in sheet_codes():  # read by its bench as it is (a Code128 text, kind SKU)
                assert (scan.kind, scan.value) == (ScanKind.SKU, entry.code)
            else:
                assert scan.kind is ScanKind.COMMAND and command_code(scan.value) == entry.code


# ---------------------------------------------------------------- the A4 sheet, read back


def test_the_a4_sheet_scans_to_exactly_the_commands_the_code_acts_on_and_the_setup_code(a4):
    pages = decode_barcodes_by_band(a4, dpi=203)  # CMD-DONE is on the sheet more than once
    found = [code for page in pages for code in page]
    assert set(found) == {SCANNER_SETUP_CODE} | {command_code(name) for name in commands_the_code_acts_on()} \
        | sheet_codes()
    assert set(found) == expected_codes()
    # Every printed barcode decodes (none lost to a neighbour or the page edge): as many as there are entries.
    printed = Counter(entry.code for section in sheet_for().sections for entry in section.entries)
    assert Counter(found) == printed
    assert pages[0][0] == SCANNER_SETUP_CODE  # the top section


def test_a_command_the_classifier_knows_but_no_bench_acts_on_is_not_printed(a4):
    unused = COMMANDS - commands_the_code_acts_on()
    found = {code for page in decode_barcodes(a4, dpi=203) for code in page}
    assert not {command_code(name) for name in unused} & found


def test_the_a4_sheet_says_every_meaning_in_chinese_and_english_in_embedded_fonts(a4):
    text = squeeze("".join(pdf_text(a4)))
    msgids = [SETUP_HEADING, SETUP_MEANING, EVERY_BENCH_HEADING, *EVERY_BENCH_COMMANDS.values()]
    for bench in BENCHES.values():
        msgids += list(bench.commands.values()) + list(bench.sheet_codes.values())
    for msgid in msgids:
        for lang in ("zh_CN", "en"):
            assert squeeze(translate(msgid, lang)) in text, (lang, msgid)
    assert translate(SETUP_MEANING, "zh_CN") != SETUP_MEANING  # really Chinese, not the fallback
    for bench in (b for b in BENCHES.values() if b.commands):
        assert squeeze(translate(BENCH_HEADING, "zh_CN", bench=translate(bench.title, "zh_CN"))) in text
    fonts = fonts_embedded(a4)
    assert fonts and all(fonts.values()), fonts
    assert all(size == pytest.approx((210, 297), abs=0.5) for size in page_sizes_mm(a4))


# ---------------------------------------------------------------- bench cards and IDs


@pytest.mark.parametrize("bench", sorted(BENCHES))
def test_a_bench_card_carries_the_setup_code_the_every_bench_commands_and_its_own(bench):
    pdf = build(None, "command-sheet", [bench], "100x150")
    found = [code for page in decode_barcodes_by_band(pdf, dpi=203) for code in page]
    assert set(found) == expected_codes([bench])
    assert len(found) == 1 + len(EVERY_BENCH_COMMANDS) + len(BENCHES[bench].commands) + len(BENCHES[bench].sheet_codes)
    assert all(size == pytest.approx((100, 150), abs=0.5) for size in page_sizes_mm(pdf))
    assert translate(BENCHES[bench].title, "zh_CN") in "".join(pdf_text(pdf))


def test_all_is_the_whole_sheet_and_an_unknown_bench_is_refused_by_name(a4):
    assert build(None, "command-sheet", ["all"], "A4") == a4
    with pytest.raises(DocumentError, match="packing"):
        build(None, "command-sheet", ["packing"], "A4")


def test_a_document_that_needs_ids_still_refuses_none():
    with pytest.raises(DocumentError, match="ORDER"):
        build(None, "waybill", [], "100x180")


def test_the_card_layout_fits_every_bench_sheet_on_100x150():
    pdf = render_command_sheet(sheet_for(), size=LABEL_100x150)
    found = {code for page in decode_barcodes(pdf, dpi=203) for code in page}
    assert found == expected_codes()
