"""Messages every bench gives for the same situations, so a packer hears the same words everywhere."""
from __future__ import annotations

from station.i18n import _
from station.scanning import Scan
from station.workflows.base import Outcome


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
                             _("{code}: the check digit is wrong. Scan again or type the number under the bars",
                               code=scan.raw))
    if scan.error == "unknown_command":
        return Outcome.error("unknown_command", _("{code} is not a Station command", code=scan.raw))
    if scan.error == "gs1_invalid":
        return Outcome.error("gs1_invalid", _("{code}: not a valid GS1 code", code=scan.raw))
    return Outcome.error("unknown", _("Unknown code {code}: not a product, location, order, tracking number or badge",
                                      code=scan.raw))
