"""Every outcome code is registered once, at one level, and docs/replay.md says the same.

The source is scanned for the codes a bench, the runner or a bench screen gives: the first
argument of ``Outcome.ok/warn/error``, the code of ``Outcome(Level.X, code, ...)``, and a string
passed as the ``code`` parameter of a helper of the same module (``_hold``, ``replace_level``,
...). Codes that come from a warehouse service's refusal (``InboundError("over_tolerance", ...)``)
are checked when the Outcome is built: the tests run with ``STATION_STRICT_OUTCOMES=1``.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from station.workflows import Outcome
from station.workflows.outcomes import OUTCOMES, RENAMED, Level, UnregisteredOutcome, _register, markdown_table

ROOT = Path(__file__).resolve().parents[2]
LEVELS = {"ok": "ok", "warn": "warn", "error": "error", "OK": "ok", "WARN": "warn", "ERROR": "error"}
SOURCES = sorted([*(ROOT / "station" / "workflows").rglob("*.py"), *(ROOT / "station" / "ui").rglob("*.py")])


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if node.value else []
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def codes_used(path: Path) -> list[tuple[str, str | None, str]]:
    """(code, level or None when the call does not say, where) for every code given in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    helpers = {}
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef) and fn.name not in ("ok", "warn", "error"):
            params = [a.arg for a in fn.args.args if a.arg not in ("self", "cls")]
            if "code" in params:
                helpers[fn.name] = params.index("code")
    for cls in ast.walk(tree):  # a refusal built in the module: Refused("count_closed", ...)
        if isinstance(cls, ast.ClassDef):
            for fn in cls.body:
                if isinstance(fn, ast.FunctionDef) and fn.name == "__init__":
                    params = [a.arg for a in fn.args.args if a.arg != "self"]
                    if "code" in params:
                        helpers[cls.name] = params.index("code")
    found = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        where = f"{path.relative_to(ROOT)}:{call.lineno}"
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "Outcome"
                and name in ("ok", "warn", "error") and call.args):
            found += [(code, LEVELS[name], where) for code in _strings(call.args[0])]
        elif name == "Outcome" and len(call.args) >= 2:
            level = call.args[0]
            found += [(code, LEVELS.get(getattr(level, "attr", None)), where) for code in _strings(call.args[1])]
        elif name in helpers:
            args = call.args[helpers[name]:helpers[name] + 1] + [k.value for k in call.keywords if k.arg == "code"]
            found += [(code, None, where) for arg in args for code in _strings(arg)]
    return found


USED = [used for path in SOURCES for used in codes_used(path)]


def test_the_scan_finds_the_codes_of_every_bench():
    codes = {code for code, _level, _where in USED}
    assert {"order_packed", "handover_closed", "receipt_closed", "put_away", "bin_counted", "return_received",
            "product_found", "station_error", "not_on_po", "recount_started", "return_matched"} <= codes


def test_every_code_used_is_registered_at_the_level_it_is_given():
    unregistered = sorted({(code, where) for code, _level, where in USED if code not in OUTCOMES})
    assert not unregistered, "register these in station/workflows/outcomes.py: " + repr(unregistered)
    wrong = sorted((code, level, str(OUTCOMES[code].level), where) for code, level, where in USED
                   if level is not None and level != OUTCOMES[code].level)
    assert not wrong, wrong


def test_a_code_registered_twice_is_refused():
    with pytest.raises(ValueError, match="wrong_item"):
        _register((("wrong_item", Level.ERROR, "a"), ("wrong_item", Level.WARN, "b")))


def test_an_outcome_with_an_unregistered_code_or_another_level_fails_in_the_tests():
    from station.workflows import outcomes

    with pytest.raises(UnregisteredOutcome, match="not registered"):
        Outcome.error("no_such_outcome_code", "x")
    with pytest.raises(UnregisteredOutcome, match="registered as error"):
        Outcome.warn("wrong_item", "x")
    outcomes.VIOLATIONS.clear()  # provoked on purpose: not this test's failure
    assert Outcome.error("wrong_item", "x").level is Level.ERROR


def test_outside_the_tests_an_unregistered_code_is_logged_and_the_scan_goes_on(monkeypatch, caplog):
    monkeypatch.setenv("STATION_STRICT_OUTCOMES", "0")
    assert Outcome.ok("no_such_outcome_code", "x").code == "no_such_outcome_code"
    assert "no_such_outcome_code" in caplog.text


def test_codes_are_snake_case_with_a_meaning():
    for c in OUTCOMES.values():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", c.code) and c.meaning and "\n" not in c.meaning, c


def test_renamed_codes_are_gone_from_the_registry_and_the_source():
    assert not set(RENAMED) & set(OUTCOMES)
    for new in RENAMED.values():
        assert all(code in OUTCOMES for code in new.split(" / ")), new
    for path in (ROOT / "station").rglob("*.py"):
        if path.name == "outcomes.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not [old for old in RENAMED if f'"{old}"' in text], path


def test_docs_replay_md_holds_the_generated_table_of_every_code():
    doc = (ROOT / "docs" / "replay.md").read_text(encoding="utf-8")
    section = re.search(r"<!-- outcome-table:begin -->\n(.*?)<!-- outcome-table:end -->", doc, re.S)
    assert section, "docs/replay.md lost its outcome-table markers"
    assert section.group(1) == markdown_table(), "run scripts/outcome_table.py"
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "outcome_table.py"), "--check"],
                           capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 0, check.stderr


def test_the_bench_tables_of_docs_replay_md_agree_with_the_registry():
    doc = (ROOT / "docs" / "replay.md").read_text(encoding="utf-8")
    doc = doc.split("## Renamed codes")[0]
    rows = re.findall(r"^\| ([^|]*`[^|]*) \| (ok|warn|error)((?: ?[/,] ?(?:ok|warn|error))*) \|", doc, re.M)
    assert len(rows) > 100
    problems = []
    for first, level, more in rows:
        codes = re.findall(r"`([a-z_0-9]+)`", first)
        levels = [level, *re.findall(r"ok|warn|error", more)]
        if len(levels) == 1:
            levels *= len(codes)
        for code in codes:
            if code not in OUTCOMES:
                problems.append((code, "not registered"))
        if len(levels) == len(codes):
            problems += [(c, f"doc says {lv}") for c, lv in zip(codes, levels)
                         if c in OUTCOMES and OUTCOMES[c].level != lv]
    assert not problems, problems
