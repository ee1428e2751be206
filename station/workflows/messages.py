"""Messages every bench gives for the same situations, so a packer hears the same words everywhere."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, TypeVar

from station.i18n import _
from station.scanning import Scan, ScanKind
from station.workflows.base import Outcome, Step

S = TypeVar("S")  # a bench's typed state
P = TypeVar("P")  # its port


def unreadable(scan: Scan) -> Outcome:
    """A scan that is no code Station knows: say why, in words a packer can act on."""
    if scan.error == "invalid_characters":  # made by the runner: bytes that are no text, control characters
        return Outcome.error("unreadable_scan",
                             _("Unreadable scan {code}: the scanner sent characters that are not text. Check the "
                               "scanner's settings (interface, keyboard language), then scan again", code=scan.raw))
    if scan.error == "empty":
        return Outcome.error("unknown", _("Empty scan: scan the barcode again"))
    if scan.error == "bad_check_digit":
        return Outcome.error("bad_check_digit",
                             _("{code}: the check digit is wrong. Scan again, or press F9 and type the number "
                               "under the bars", code=scan.raw))
    if scan.error == "unknown_command":
        return Outcome.error("unknown_command", _("{code} is not a Station command", code=scan.raw))
    if scan.error == "gs1_invalid":
        return Outcome.error("gs1_invalid", _("{code}: not a valid GS1 code", code=scan.raw))
    return Outcome.error("unknown", _("Unknown code {code}: not a product, location, order, tracking number or badge",
                                      code=scan.raw))


ITEM_KINDS = frozenset({ScanKind.PRODUCT, ScanKind.SKU, ScanKind.GS1, ScanKind.UNKNOWN})


def item_scan(scan: Scan) -> str | None:
    """The raw scan if it was one of an item (what UNDO takes back), else None.

    A bench keeps it with an error it holds: an UNDO right after that error is confirmed takes back
    nothing (the refused item counted nothing), not the item before it. A refused command, order
    or location is no item: an UNDO after it takes back the last item as always."""
    return scan.raw if scan.kind in ITEM_KINDS else None


def held_error(state: dict, scan: Scan) -> Outcome | None:
    """The error waiting for CMD-CONFIRM (``state["error"]``): CONFIRM acknowledges it, any other
    scan is refused with ``acknowledge_first`` and counts nothing. None when no error waits."""
    waiting = state.get("error")
    if not waiting:
        return None
    if scan.kind is ScanKind.COMMAND and scan.value == "CONFIRM":
        state["error"] = None
        return Outcome.ok("error_acknowledged", _("Error acknowledged: carry on"))
    return Outcome.error("acknowledge_first", _("Scan CONFIRM first to acknowledge: {message}",
                                                message=waiting["message"]))


def hold(state: dict, outcome: Outcome, codes: frozenset[str] | None = None) -> Outcome:
    """Keep an error outcome (of `codes`, or any) waiting in `state` until CMD-CONFIRM."""
    if str(outcome.level) == "error" and outcome.code != "acknowledge_first" and (codes is None or outcome.code in codes):
        state["error"] = {"code": outcome.code, "message": outcome.message}
    return outcome


# --- the same, for the benches with a typed state (station.workflows.base.MachineBench) ----------------------
@dataclass(frozen=True)
class WaitingError:
    """An error a bench keeps until CMD-CONFIRM (saved as ``{"code": …, "message": …}``)."""
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}

    @classmethod
    def from_dict(cls, saved: dict[str, Any] | None) -> "WaitingError | None":
        return cls(saved["code"], saved["message"]) if saved else None


def answer_waiting(error: WaitingError | None, scan: Scan) -> Outcome | None:
    """``held_error`` for a typed state: ``error_acknowledged`` for CONFIRM (the caller then drops
    the error), ``acknowledge_first`` for any other scan, None when no error waits."""
    if error is None:
        return None
    if scan.kind is ScanKind.COMMAND and scan.value == "CONFIRM":
        return Outcome.ok("error_acknowledged", _("Error acknowledged: carry on"))
    return Outcome.error("acknowledge_first", _("Scan CONFIRM first to acknowledge: {message}", message=error.message))


def to_keep(outcome: Outcome, codes: frozenset[str] | None = None) -> WaitingError | None:
    """``hold`` for a typed state: the error of `outcome` to keep until CONFIRM, if it is one (of `codes`)."""
    if str(outcome.level) == "error" and outcome.code != "acknowledge_first" and (codes is None or outcome.code in codes):
        return WaitingError(outcome.code, outcome.message)
    return None


def hold_unreadable(state: S, scan: Scan, port: P, handle: Callable[[S, Scan, P], tuple[S, Outcome]]) -> Step[S]:
    """The step of a bench whose only waiting error is an unreadable scan (bytes that are no text):
    it waits for CMD-CONFIRM, the scanner needs looking at; `handle` answers every other scan. The
    state has ``error`` (a WaitingError or None) and ``error_saved`` (the saved form has the key)."""
    waiting = answer_waiting(state.error, scan)
    if waiting is not None:
        return Step(replace(state, error=None) if waiting.code == "error_acknowledged" else state, waiting)
    state, outcome = handle(state, scan, port)
    keep = to_keep(outcome, frozenset({"unreadable_scan"}))
    if keep is not None:
        state = replace(state, error=keep, error_saved=True)
    return Step(state, outcome)


@dataclass(frozen=True)
class HeldError:
    """An error on screen until CONFIRM; `scan` the item scan it refused (None: no item), `refused`
    every scan refused while it waited (None: none yet)."""
    code: str
    message: str
    scan: str | None = None
    refused: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message, "scan": self.scan}
        if self.refused is not None:
            out["refused"] = list(self.refused)
        return out
