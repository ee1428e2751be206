"""The document registry is the one list: every name has a builder, and ``station print`` offers them all."""
from __future__ import annotations

import re

import pytest

from click.testing import CliRunner

from station.cli import main
from station.documents import registry
from station import outbox


def test_every_document_has_a_builder_in_its_family():
    for name in registry.NAMES:
        assert callable(registry.builder(name)), name


def test_every_deferred_renderer_belongs_to_a_document_of_its_family():
    import importlib

    for family in {d.family for d in registry.DOCUMENTS.values()}:
        module = importlib.import_module(f"station.documents.{family}")
        assert set(module.BUILDERS) == {d.name for d in registry.DOCUMENTS.values() if d.family == family}
        assert set(module.DEFERRED) <= set(module.BUILDERS)


def test_station_print_help_names_every_document_of_the_registry():
    text = re.sub(r"-\s+", "-", CliRunner().invoke(main, ["print", "--help"]).output)  # click wraps at hyphens
    named = set(re.findall(r"[a-z]+(?:-[a-z]+)+|waybill|handover|requisition", text.split("Options:")[0]))
    assert set(registry.NAMES) <= named


def test_the_outbox_takes_its_names_and_sizes_from_the_registry():
    assert outbox.DOCUMENTS == registry.NAMES
    assert outbox.PAPER == {"waybill": ("100x180", "100x150", "100x210", "76x130", "4x6"), "packing-slip": ("A4", "A5", "100x180"),
                            "product-label": ("50x30", "40x30"), "location-label": ("100x50", "4x6"),
                            "command-sheet": ("A4", "100x150")}
    assert all(size in registry.SIZES for sizes in outbox.PAPER.values() for size in sizes)


def test_an_unknown_document_is_refused_with_the_list():
    import pytest

    with pytest.raises(registry.DocumentError, match="packing-slip"):
        registry.builder("invoice")


def test_the_outbox_renders_the_families_documents_only_once_they_are_installed(monkeypatch):
    """The outbox imports no document family (an import contract): the CLI's ``main`` (and the GUI's
    ``build``) hand it the families' renderers; without that a deferred job has no renderer."""
    from station.documents import inbound, orders, returns

    monkeypatch.setattr(outbox, "_family_renderers", lambda document: None)
    assert outbox._renderer("waybill") is None
    with pytest.raises(LookupError, match="no renderer installed"):
        outbox._make(None, "waybill", "P1", False)

    assert CliRunner().invoke(main, ["print", "--help"]).exit_code == 0
    assert outbox._renderer("waybill") is orders.DEFERRED["waybill"]
    assert outbox._renderer("receiving-note") is inbound.DEFERRED["receiving-note"]
    assert outbox._renderer("write-off") is None  # the counts family defers nothing
    assert outbox._renderer("return-refusal") is returns.DEFERRED["return-refusal"]
    assert outbox._renderer("invoice") is None
