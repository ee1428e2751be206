"""Printers per document: stored in the database, read back by the dialog, used by the outbox."""
from __future__ import annotations

import pytest

from station.db import unit_of_work
from station import outbox
from station.ui.printing import dispatch
from station.ui.printing.printer_settings import PrinterSettingsDialog


def test_set_printer_and_printer_settings_round_trip(sessions, tmp_path):
    with unit_of_work(sessions) as s:
        outbox.set_printer(s, "waybill", "cups:zebra", 2)
        outbox.set_printer(s, outbox.DEFAULT, f"pdf:{tmp_path}", 1)
        outbox.set_printer(s, "blind-label", "qt:Office Laser", 3)  # a document Station adds later
        s.commit()
    with unit_of_work(sessions) as s:
        settings = outbox.printer_settings(s)
        assert list(settings)[:3] == [outbox.DEFAULT, "waybill", "packing-slip"]
        assert settings["waybill"] == outbox.PrinterSetting("waybill", "cups:zebra", 2, "100x180")
        assert settings[outbox.DEFAULT].destination == f"pdf:{tmp_path}"
        assert settings["packing-slip"] == outbox.PrinterSetting("packing-slip", None, 1, "A4")
        assert settings["blind-label"].copies == 3
        assert outbox.printer_for(s, "waybill") == "cups:zebra"
        assert outbox.printer_for(s, "pick-list") == f"pdf:{tmp_path}"
        # Back to the default printer: the document's own printer is forgotten.
        outbox.set_printer(s, "waybill", None, 1)
        s.commit()
        assert outbox.printer_for(s, "waybill") == f"pdf:{tmp_path}"
        assert outbox.printer_settings(s)["waybill"].destination is None


def test_copies_fall_back_to_the_default_and_submit_uses_them(sessions, tmp_path, monkeypatch):
    monkeypatch.setattr(outbox, "_dispatchers", dict(outbox._dispatchers))
    with unit_of_work(sessions) as s:
        outbox.set_printer(s, outbox.DEFAULT, f"pdf:{tmp_path}", 2)
        outbox.set_printer(s, "waybill", None, 3)
        assert outbox.copies_for(s, "waybill") == 3
        assert outbox.copies_for(s, "pick-list") == 2
        sent = []
        outbox.install_dispatcher("fake", lambda target, pdf, document, copies: sent.append((target, copies)))
        job = outbox.submit(s, "waybill", "A", b"%PDF", printer="fake:lp1")
        assert job.copies == 3 and sent == []  # nothing is sent inside the transaction
        assert outbox.submit(s, "pick-list", "B", b"%PDF", printer="fake:lp1", copies=5).copies == 5
        s.commit()
    assert outbox.send(sessions, job.id).status == "printed" and sent == [("lp1", 3)]
    assert outbox.send(sessions, job.id + 1).status == "printed" and sent[-1] == ("lp1", 5)


@pytest.mark.parametrize("destination, copies", [("zebra", 1), ("cups:zebra", 0), ("cups:zebra", 100)])
def test_set_printer_refuses_what_is_not_a_printer(sessions, destination, copies):
    with unit_of_work(sessions) as s, pytest.raises(outbox.PrinterError):
        outbox.set_printer(s, "waybill", destination, copies)


@pytest.fixture
def make_dialog(qtbot, sessions, dialogs):
    def make():
        dialog = PrinterSettingsDialog(sessions, dialogs=dialogs)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def test_the_dialog_saves_and_shows_the_settings_again(make_dialog, sessions, tmp_path):
    dialog = make_dialog()
    assert list(dialog.rows)[:2] == [outbox.DEFAULT, "waybill"]
    assert dialog.rows[outbox.DEFAULT].printer.currentText() == "PDF folder"
    assert dialog.rows["waybill"].printer.currentText() == "Default printer"
    dialog.rows["waybill"].printer.setEditText("cups:zebra")
    dialog.rows["waybill"].copies.setValue(2)
    dialog.rows["pick-list"].printer.setEditText(f"pdf:{tmp_path}")
    dialog.rows["handover"].printer.setEditText("Office Laser")  # a Qt printer's name
    slip_paper = dialog.rows["packing-slip"].paper
    slip_paper.setCurrentIndex(slip_paper.findData("A5"))
    assert not dialog.rows["pick-list"].paper.isEnabled()  # one layout only: nothing to choose
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    with unit_of_work(sessions) as s:
        settings = outbox.printer_settings(s)
    assert settings["waybill"] == outbox.PrinterSetting("waybill", "cups:zebra", 2, "100x180")
    assert settings["pick-list"].destination == f"pdf:{tmp_path}"
    assert settings["handover"].destination == "qt:Office Laser"
    assert settings[outbox.DEFAULT].destination is None  # still the PDF folder
    assert settings["packing-slip"].destination is None
    assert settings["packing-slip"].paper == "A5"

    again = make_dialog()
    assert again.rows["waybill"].printer.currentText() == "cups:zebra"
    assert again.rows["waybill"].copies.value() == 2
    assert again.rows["handover"].printer.currentText() == "Office Laser"
    assert again.rows["packing-slip"].printer.currentText() == "Default printer"
    assert again.values()["pick-list"] == (f"pdf:{tmp_path}", 1)


def test_choosing_the_pdf_folder_for_a_document(make_dialog, sessions):
    dialog = make_dialog()
    row = dialog.rows["product-label"]
    row.printer.setCurrentIndex(row.printer.findText("PDF folder"))
    dialog.accept()
    with unit_of_work(sessions) as s:
        assert outbox.printer_settings(s)["product-label"].destination == f"pdf:{outbox.default_pdf_folder()}"


def test_printers_opens_from_the_main_window(qtbot, make_window):
    window = make_window()
    assert window.printers_action in window.station_menu.actions()
    window.printers_action.trigger()
    dialog = window.printer_settings_dialog
    assert dialog is not None and "waybill" in dialog.rows
    dialog.reject()
    qtbot.waitUntil(lambda: window.printer_settings_dialog is None)
    assert dispatch.describe(None) == ""


def test_a_label_printer_in_its_own_language_is_typed_as_tspl_or_zpl(make_dialog, sessions):
    dialog = make_dialog()
    dialog.rows["waybill"].printer.setEditText("tspl:label-1")
    dialog.rows["product-label"].printer.setEditText("zpl:zebra")
    dialog.accept()
    with unit_of_work(sessions) as s:
        settings = outbox.printer_settings(s)
    assert settings["waybill"].destination == "tspl:label-1"  # not taken for a Qt printer's name
    assert settings["product-label"].destination == "zpl:zebra"
