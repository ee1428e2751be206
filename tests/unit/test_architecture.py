"""House rules that a test can enforce: Qt only in station.ui, layers pointing one way, and the
warehouse contexts (catalog, inventory, fulfilment, inbound, returns, scanning) without cycles."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    result = subprocess.run([exe, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 8 kept, 0 broken" in result.stdout


def test_nothing_outside_the_ui_imports_qt_even_lazily():
    """import-linter sees module-level and function-level imports; this also catches strings."""
    offenders = []
    for path in (ROOT / "station").rglob("*.py"):
        if "ui" in path.relative_to(ROOT / "station").parts[:1]:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("import PySide6", "from PySide6", "import shiboken6", "from shiboken6")):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_a_module_over_about_400_lines_says_why_in_its_docstring():
    """Issue 14: no module over ~400 lines without a reason in its docstring."""
    import ast
    import re

    root = Path(__file__).resolve().parents[2] / "station"
    silent = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= 430:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if not re.search(r"(?i)over ~?400 lines", doc):
            silent.append(f"{path.relative_to(root.parent)} ({text.count(chr(10))} lines)")
    assert silent == []
