"""What every bench shares: the outcome of a scan and the small contract a bench keeps.

A bench is a pure state machine (a ``MachineBench``; every bench Station ships is one): its
``step(state, scan, port) -> Step`` takes its typed, frozen state, the scan and a port (the facts
it asks for, the changes it asks to be made) and returns the new state and the outcome; the
runner gives it a port over the scan's unit of work (``station.workflows.ports``), the unit
tests a fake one. A plain ``Bench`` (an untyped ``state`` dict that ``handle(scan, session,
ctx)`` changes) still runs, for a test's stand-in bench.

Either way a bench never commits and never waits: the runner opens one unit of work per scan,
commits once, and saves the bench's state so that a restarted app puts the person back where
they were.
"""
from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Generic, TypeVar

from station.i18n import N_
from station.scanning import Lexicon, Scan
from station.workflows.outcomes import Level, check

Session = Any  # the runner's unit of work (sqlalchemy.orm.Session): a pure bench never sees it, nor imports it


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
    # Codes other than commands the bench reads from the sheet (the receive bench's QC: reason codes):
    # the exact barcode text -> what it means, an N_() msgid. Printed after the bench's commands.
    sheet_codes: ClassVar[dict[str, str]] = {}

    def __init__(self, state: dict[str, Any] | None = None, open_port: "OpenPort | None" = None) -> None:
        self.state: dict[str, Any] = dict(state or {})

    def handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        raise NotImplementedError

    def keep(self) -> Any:
        """The bench as it is now, for ``put_back`` when a scan fails half-way."""
        return copy.deepcopy(self.state)

    def put_back(self, kept: Any) -> None:
        self.state = kept

    def takes_badge(self) -> bool:
        """True while the bench waits for a badge as an approval (a supervisor's), not as a login."""
        return False

    def snapshot(self) -> dict[str, Any]:
        """The JSON-able state that is saved after every scan."""
        return dict(self.state)


S = TypeVar("S")
# The runner's: a bench's port over the scan's unit of work, given the bench's memory (a dict the
# port may keep things in from one scan to the next: what a barcode names, never state)
OpenPort = Callable[[Session, BenchContext, dict], Any]


@dataclass(frozen=True)
class Step(Generic[S]):
    """What a pure bench returns for one scan: its new state and what the person sees."""
    state: S
    outcome: Outcome


class MachineBench(Bench):
    """A bench written as a pure state machine: ``step(state, scan, port) -> Step``.

    ``State`` is a frozen dataclass with ``to_dict()`` (the saved, JSON-able form: table bench_state,
    the replay's ``state``) and ``from_dict()`` (reads it back, also as saved before the bench was
    typed). This class adapts it to the runner: ``handle`` asks ``open_port`` for the port over the
    scan's unit of work, steps, and keeps the new state; ``state`` is the saved form, read-only."""

    State: ClassVar[Any]

    def __init__(self, state: dict[str, Any] | None = None, open_port: OpenPort | None = None) -> None:
        self.typed = self.State.from_dict(state or {})
        self._open_port = open_port
        self.memory: dict = {}

    @staticmethod
    def step(state: Any, scan: Scan, port: Any) -> Step:
        raise NotImplementedError

    @property
    def state(self) -> dict[str, Any]:  # type: ignore[override]
        """The saved form of the typed state (a new dict each time: changing it changes nothing)."""
        return self.typed.to_dict()

    def handle(self, scan: Scan, session: Session, ctx: BenchContext) -> Outcome:
        if self._open_port is None:
            raise RuntimeError(f"bench {self.name} has no port: the runner gives it one")
        step = self.step(self.typed, scan, self._open_port(session, ctx, self.memory))
        self.typed = step.state
        return step.outcome

    def keep(self) -> Any:
        return self.typed  # frozen: nothing can change it

    def put_back(self, kept: Any) -> None:
        self.typed = kept

    def snapshot(self) -> dict[str, Any]:
        return self.typed.to_dict()


def saved_form(value: Any) -> Any:
    """A typed state's value in its JSON-able saved form."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, tuple):
        return [saved_form(v) for v in value]
    return value


@dataclass(frozen=True)
class KeyedState:
    """A typed state whose saved form has the keys the untyped bench wrote, in the order it wrote them.

    The benches that grew their state dict a key at a time (putaway, ...) saved, and replay printed,
    their keys in the order they first appeared; ``keys`` keeps that order, so the typed bench
    saves and prints the same bytes. Change a state with ``put`` (a key set for the first time goes
    last, as in a dict) and ``drop`` (``dict.pop``); never with ``dataclasses.replace`` on a field
    that may be absent. A subclass reads nested values back in ``read``."""

    keys: tuple[str, ...] = ()

    def put(self, **changes: Any):
        keys = self.keys + tuple(k for k in changes if k not in self.keys)
        return dataclasses.replace(self, keys=keys, **changes)

    def drop(self, *names: str):
        defaults = {f.name: f.default for f in dataclasses.fields(self) if f.name in names}
        return dataclasses.replace(self, keys=tuple(k for k in self.keys if k not in names), **defaults)

    def has(self, name: str) -> bool:
        return name in self.keys

    def to_dict(self) -> dict[str, Any]:
        return {k: self.saved(k, getattr(self, k)) for k in self.keys}

    @classmethod
    def saved(cls, key: str, value: Any) -> Any:
        """The saved form of a key's typed value (default: ``saved_form``)."""
        return saved_form(value)

    @classmethod
    def read(cls, key: str, value: Any) -> Any:
        """The typed value of a saved key (default: as saved, lists as tuples)."""
        return tuple(value) if isinstance(value, list) else value

    @classmethod
    def from_dict(cls, saved: dict[str, Any]):
        names = {f.name for f in dataclasses.fields(cls)} - {"keys"}
        known = [k for k in saved if k in names]  # a key no bench writes any more is left behind
        return cls(keys=tuple(known), **{k: cls.read(k, saved[k]) for k in known})
