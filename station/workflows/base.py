"""What every bench shares: the outcome of a scan and the small contract a bench keeps.

A bench is a state machine: ``handle(scan, session) -> Outcome``. It never commits and
never waits: the runner opens one unit of work per scan, commits once, and saves the
bench's state so that a restarted app puts the person back where they were.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from station.i18n import N_
from station.scanning import Lexicon, Scan
from station.workflows.outcomes import Level, check


@dataclass(frozen=True)
class Outcome:
    level: Level
    code: str  # stable snake_case, never translated; registered once, at its level, in workflows.outcomes
    # Translated, one line, readable from a metre away. Made with station.i18n._ it is an i18n.Text:
    # it keeps its msgid and fields, so the saved state, the scan log and a language switch show it
    # again in another language (render()); plain text (an f-string) is shown as it is.
    message: str
    details: tuple[str, ...] = ()  # further translated lines (where it is stocked, what is left)
    state: dict[str, Any] = field(default_factory=dict)
    changes: tuple[str, ...] = ()  # what changed in the database, for the audit trail
    kind: str | None = None  # what the scan turned out to be, when the bench knows better than its shape

    def __post_init__(self) -> None:
        check(self.code, self.level)

    @classmethod
    def ok(cls, code: str, message: str, *details: str) -> "Outcome":
        return cls(Level.OK, code, message, tuple(details))

    @classmethod
    def warn(cls, code: str, message: str, *details: str) -> "Outcome":
        return cls(Level.WARN, code, message, tuple(details))

    @classmethod
    def error(cls, code: str, message: str, *details: str) -> "Outcome":
        return cls(Level.ERROR, code, message, tuple(details))


@dataclass(frozen=True)
class BenchContext:
    station: str
    user: str
    roles: frozenset[str]
    lexicon: Lexicon


# The commands every bench answers the same way (the runner logs out; every bench keeps an error
# until CONFIRM): command name -> what it does, an English msgid marked with N_(). The command sheet
# (``station print command-sheet``) prints them once for all benches.
EVERY_BENCH_COMMANDS: dict[str, str] = {
    "CONFIRM": N_("Acknowledge the error on the screen and carry on"),
    "LOGOUT": N_("Log out: the next person scans their badge"),
}


class Bench:
    """Subclass per bench; register it in ``station.workflows.BENCHES``."""

    name: ClassVar[str]
    title: ClassVar[str]  # an English msgid marked with N_(); the UI translates it
    roles: ClassVar[frozenset[str]] = frozenset()  # empty: anyone logged in
    # The commands this bench acts on beyond EVERY_BENCH_COMMANDS (or with a meaning of its own):
    # name -> what it does here, an N_() msgid. The command sheet prints them in this order;
    # tests/unit/test_documents_command_sheet.py checks them against the commands the code compares.
    commands: ClassVar[dict[str, str]] = {}

    def __init__(self, state: dict[str, Any] | None = None) -> None:
        self.state: dict[str, Any] = dict(state or {})

    def handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        raise NotImplementedError

    def takes_badge(self) -> bool:
        """True while the bench waits for a badge as an approval (a supervisor's), not as a login."""
        return False

    def snapshot(self) -> dict[str, Any]:
        """The JSON-able state that is saved after every scan."""
        return dict(self.state)
