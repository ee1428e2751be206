"""Extract every _() / N_() string from station/ and merge it into station/i18n/zh_CN.po.

Existing translations are kept; new strings get an empty translation (the i18n test then
fails until someone translates them); strings no longer used are dropped.
Usage: .venv/bin/python scripts/update_catalog.py [--check]
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "station" / "i18n" / "zh_CN.po"
KEYWORDS = {"_": None, "N_": None, "translate": None}


def extract() -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _ctx in extract_from_dir(
            str(ROOT / "station"), method_map=[("**.py", "python")], keywords=KEYWORDS):
        if isinstance(message, tuple):
            message = message[0]
        if message:
            found.setdefault(message, []).append((f"station/{filename}", lineno))
    return found


def main() -> int:
    found = extract()
    old = read_po(PO.open("rb")) if PO.exists() else Catalog(locale="zh_CN")
    new = Catalog(locale="zh_CN", project="Station", charset="utf-8")
    for msgid, locations in sorted(found.items()):
        prev = old.get(msgid)
        new.add(msgid, prev.string if prev else "", locations=locations)
    missing = [m.id for m in new if m.id and not m.string]
    if "--check" not in sys.argv:
        with PO.open("wb") as fh:
            write_po(fh, new, width=0, sort_output=True, omit_header=False)
    print(f"{len(found)} strings, {len(missing)} without a zh_CN translation")
    for m in missing:
        print("  missing:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
