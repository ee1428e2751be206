#!/usr/bin/env python3
"""Write the table of every outcome code into docs/replay.md from station/workflows/outcomes.py.

    python scripts/outcome_table.py          # rewrite the table
    python scripts/outcome_table.py --check  # exit 1 if docs/replay.md differs from the registry
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station.workflows.outcomes import markdown_table  # noqa: E402

DOC = ROOT / "docs" / "replay.md"
SECTION = re.compile(r"(<!-- outcome-table:begin -->\n).*?(<!-- outcome-table:end -->)", re.S)


def render(text: str) -> str:
    return SECTION.sub(lambda m: m.group(1) + markdown_table() + m.group(2), text)


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    if not SECTION.search(text):
        print(f"{DOC}: no outcome-table markers", file=sys.stderr)
        return 1
    new = render(text)
    if "--check" in argv:
        if new != text:
            print(f"{DOC}: the outcome table differs from the registry; run scripts/outcome_table.py",
                  file=sys.stderr)
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
