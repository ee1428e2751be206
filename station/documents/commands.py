"""The command sheet (``station print command-sheet [all | BENCH...]``): the scanner setup code, the
commands every bench takes, and each bench's own, from what the benches declare.

It reads no database: what a command does comes from the benches (``Bench.commands`` and
``EVERY_BENCH_COMMANDS`` in ``station.workflows.base``), so this family sits above the workflows
(the import contract in pyproject.toml), like every family. Every word is printed in
Chinese and English at once, whatever the language of the session.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from station.outbox.registry import DocumentError
from station.i18n import N_, _, translate
from station.printing.documents.command_sheet import (CommandEntry, CommandSection, CommandSheet,
                                                      render_command_sheet)
from station.printing.units import A4
from station.scanning import COMMAND_PREFIX, SCANNER_SETUP_CODE
from station.workflows import BENCHES
from station.workflows.base import EVERY_BENCH_COMMANDS

TITLE = N_("Command barcodes")
HINT = N_("Print at 100% (no \"fit to page\")")
SETUP_HEADING = N_("Scanner setup")
SETUP_MEANING = N_("Scan once with a new scanner: this station learns its speed")
EVERY_BENCH_HEADING = N_("Every bench")
BENCH_HEADING = N_("{bench} bench")


def both(msgid: str, **fields) -> str:
    """`msgid` in Chinese, then in English: "扫描枪设置 Scanner setup"."""
    return f"{translate(msgid, 'zh_CN', **fields)} {translate(msgid, 'en', **fields)}"


def entry(code: str, meaning: str) -> CommandEntry:
    return CommandEntry(code, translate(meaning, "zh_CN"), translate(meaning, "en"))


def command_code(name: str) -> str:
    """The barcode of a command: ``CMD-`` and its name (``CMD-NEW_PARCEL``), as the classifier reads it."""
    return f"{COMMAND_PREFIX}{name}"


def sheet_for(benches: list[str] | None = None) -> CommandSheet:
    """The sheet for `benches` (names of station.workflows.BENCHES), or for every bench with
    commands of its own; DocumentError names an unknown bench."""
    for name in benches or ():
        if name not in BENCHES:
            raise DocumentError(_("Unknown bench {bench}; benches: {benches}", bench=name,
                                  benches=", ".join(BENCHES)))
    chosen = [BENCHES[name] for name in dict.fromkeys(benches)] if benches else [
        bench for bench in BENCHES.values() if bench.commands]
    sections = [
        CommandSection(both(SETUP_HEADING), (entry(SCANNER_SETUP_CODE, SETUP_MEANING),)),
        CommandSection(both(EVERY_BENCH_HEADING),
                       tuple(entry(command_code(name), meaning) for name, meaning in EVERY_BENCH_COMMANDS.items())),
    ]
    for bench in chosen:
        heading = (f"{translate(BENCH_HEADING, 'zh_CN', bench=translate(bench.title, 'zh_CN'))} "
                   f"{translate(BENCH_HEADING, 'en', bench=bench.title)}")
        sections.append(CommandSection(heading, tuple(entry(command_code(name), meaning)
                                                      for name, meaning in bench.commands.items())
                                       + tuple(entry(code, meaning) for code, meaning in bench.sheet_codes.items())))
    title = both(TITLE)
    if benches:
        title += " · " + " / ".join(translate(bench.title, "zh_CN") + " " + translate(bench.title, "en")
                                    for bench in chosen)
    return CommandSheet(title, both(HINT), tuple(sections))


def command_sheet(session: Session, ids: list[str], page) -> bytes:
    """``station print command-sheet``: no IDs or ``all`` for every bench, else the benches named."""
    benches = [] if ids in ([], ["all"]) else ids
    return render_command_sheet(sheet_for(benches), size=page or A4)


BUILDERS = {"command-sheet": command_sheet}
DEFERRED: dict = {}
