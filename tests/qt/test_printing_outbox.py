"""The print outbox in the GUI: the job list model, retry, send elsewhere, reprint, keys.

Nothing is lost: a job for a printer that is missing stays failed with its error, and the
same job retried to a PDF folder prints and leaves its file there.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from station.db import unit_of_work
from station import outbox
from station.outbox.models import PrintJob
from station.ui.printing import dispatch
from station.ui.printing.outbox_dialog import JOB_ID_ROLE, OutboxDialog, OutboxModel


@pytest.fixture(scope="module")
def waybill_pdf() -> bytes:
    from station.printing.documents.waybill import render_waybill
    from tests.support.render_docs import sample_waybill

    return render_waybill(sample_waybill())


@pytest.fixture(autouse=True)
def qt_dispatcher(monkeypatch):
    """The dispatchers the GUI installs at start-up, for this test only."""
    monkeypatch.setattr(outbox, "_dispatchers", dict(outbox._dispatchers))
    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:9")  # never a real CUPS server: nothing listens there
    dispatch.install()


def submit(sessions, pdf, printer, reference="3712345678901234567", document="waybill"):
    with unit_of_work(sessions) as s:
        job = outbox.submit(s, document, reference, pdf, user="张伟", station="bench-7", printer=printer)
        s.commit()
        assert job.status == "queued"  # sent after the commit, never inside the transaction
    sent = outbox.send(sessions, job.id)
    return sent.id, sent.status, sent.error


@pytest.fixture
def dialog(qtbot, sessions):
    def make():
        window = OutboxDialog(sessions, user="张伟", station="bench-7")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # shortcuts only fire in the active window
        settle(qtbot, window)
        return window

    return make


def settle(qtbot, window) -> None:
    """Until the list read and any send (on threads) are done and shown."""
    qtbot.waitUntil(lambda: not window.busy, timeout=20_000)


def files(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_the_job_model_passes_qt_model_tester(qtmodeltester, sessions, waybill_pdf, tmp_path):
    submit(sessions, waybill_pdf, f"pdf:{tmp_path / 'out'}")
    submit(sessions, waybill_pdf, "qt:NoSuchPrinter", reference="R-2")
    with unit_of_work(sessions) as s:
        jobs = outbox.recent(s)
    model = OutboxModel()
    model.set_jobs(jobs)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2 and model.columnCount() == 7
    # Newest first: the failed job on top, with its error and the status in words.
    first = [model.index(0, c).data() for c in range(model.columnCount())]
    assert first[1:5] == ["Waybill", "R-2", "NoSuchPrinter", "Failed"]
    assert "NoSuchPrinter" in first[5]
    assert model.index(0, 0).data(JOB_ID_ROLE) == jobs[0].id
    assert model.index(1, 4).data() == "Printed"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Time"


@pytest.mark.parametrize("missing", ["qt:NoSuchPrinter", "cups:nosuch", "nosuch:printer"])
def test_a_job_for_a_missing_printer_stays_failed_with_its_error_and_retried_to_a_folder_prints(
        sessions, waybill_pdf, tmp_path, missing):
    job_id, status, error = submit(sessions, waybill_pdf, missing)
    assert status == "failed"
    assert error  # a sentence a person can read, not an empty cell
    with unit_of_work(sessions) as s:
        assert [j.id for j in outbox.pending(s)] == [job_id]

    folder = tmp_path / "pdfs"
    sent = outbox.retry(sessions, job_id, f"pdf:{folder}")
    with unit_of_work(sessions) as s:
        job = s.get(PrintJob, job_id)
        assert (sent.status, job.status, job.error, job.attempts) == ("printed", "printed", None, 2)
    (name,) = files(folder)
    assert name.endswith(f"-{job_id:06d}-waybill-3712345678901234567.pdf")
    assert (folder / name).read_bytes() == waybill_pdf
    with unit_of_work(sessions) as s:
        assert outbox.pending(s) == []


def test_the_missing_qt_printer_is_named_in_the_error(sessions, waybill_pdf):
    _id, status, error = submit(sessions, waybill_pdf, "qt:NoSuchPrinter")
    assert status == "failed"
    assert error == "The printer NoSuchPrinter is not installed on this PC"


def _text(pdf: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_reprint_makes_a_new_job_with_the_same_pages_marked_reprint_on_the_page(sessions, waybill_pdf, tmp_path):
    from tests.support.pdfcheck import page_sizes_mm

    folder = tmp_path / "out"
    job_id, status, _error = submit(sessions, waybill_pdf, f"pdf:{folder}")
    assert status == "printed"
    with unit_of_work(sessions) as s:
        outbox.set_printer(s, "waybill", f"pdf:{folder}", 1)
        s.commit()
    again = outbox.reprint(sessions, job_id, "李娜", "bench-2")
    new_id = again.id
    assert new_id != job_id and again.status == "printed"
    with unit_of_work(sessions) as s:
        old, new = s.get(PrintJob, job_id), s.get(PrintJob, new_id)
        assert (old.reprint, new.reprint) == (False, True)
        assert new.reference == old.reference and new.document == old.document
        assert (new.created_by, new.station, new.status) == ("李娜", "bench-2", "printed")
        # The same page, with the mark a packer sees: the copy is no second, unmarked original.
        assert "REPRINT" not in _text(old.pdf) and "补打 REPRINT" in _text(new.pdf)
        assert page_sizes_mm(new.pdf) == page_sizes_mm(old.pdf)
        assert _text(old.pdf) in _text(new.pdf).replace("补打 REPRINT", "")
        # A reprint of the reprint is not marked twice.
        again_pdf = new.pdf
    twice = outbox.reprint(sessions, new_id, "李娜", "bench-2")
    with unit_of_work(sessions) as s:
        assert s.get(PrintJob, twice.id).pdf == again_pdf
    assert [n.endswith("-reprint.pdf") for n in files(folder)] == [False, True, True]


def test_enter_retries_the_selected_job_on_its_printer(qtbot, dialog, sessions, waybill_pdf, tmp_path):
    job_id, _status, _error = submit(sessions, waybill_pdf, "qt:NoSuchPrinter")
    window = dialog()
    assert window.selected_id() == job_id
    assert window.model.index(0, 4).data() == "Failed"
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    settle(qtbot, window)
    with unit_of_work(sessions) as s:
        assert s.get(PrintJob, job_id).attempts == 2
    assert "did not print on NoSuchPrinter" in window.message.text()
    assert window.selected_id() == job_id


def test_r_sends_the_job_to_another_printer_and_it_prints(qtbot, dialog, sessions, waybill_pdf, tmp_path):
    job_id, _status, _error = submit(sessions, waybill_pdf, "cups:nosuch")
    folder = tmp_path / "elsewhere"
    window = dialog()
    asked = []
    window.choose_printer = lambda job: asked.append(job.id) or f"pdf:{folder}"
    qtbot.keyClick(window.table, Qt.Key.Key_R)
    settle(qtbot, window)
    assert asked == [job_id]
    assert len(files(folder)) == 1
    assert window.model.rowCount() == 1  # the same job, not a new one
    assert window.model.index(0, 4).data() == "Printed"
    assert window.message.text() == f"Job {job_id} printed on pdf:{folder}"


def test_shift_r_reprints_and_enter_on_a_printed_job_does_not_print_it_again(qtbot, dialog, sessions,
                                                                             waybill_pdf, tmp_path):
    folder = tmp_path / "out"
    with unit_of_work(sessions) as s:
        outbox.set_printer(s, outbox.DEFAULT, f"pdf:{folder}", 1)
        s.commit()
    job_id, _status, _error = submit(sessions, waybill_pdf, None)
    window = dialog()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "printed already" in window.message.text()
    assert len(files(folder)) == 1
    qtbot.keyClick(window.table, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot, window)
    assert window.model.rowCount() == 2
    new = window.selected()
    assert new.id != job_id and new.reprint and new.created_by == "张伟"
    assert window.model.index(window.model.row_of(new.id), 6).data() == "Reprint"
    assert len(files(folder)) == 2


def test_p_previews_the_selected_job(qtbot, dialog, sessions, waybill_pdf, tmp_path):
    submit(sessions, waybill_pdf, f"pdf:{tmp_path}")
    window = dialog()
    qtbot.keyClick(window.table, Qt.Key.Key_P)
    preview = window.preview
    assert preview is not None and preview.page_count == 1
    assert "Waybill 3712345678901234567" in preview.windowTitle()
    qtbot.keyClick(preview.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.preview is None)


def test_failed_jobs_older_than_the_list_still_show(sessions, waybill_pdf, tmp_path):
    lost_id, _status, _error = submit(sessions, waybill_pdf, "qt:NoSuchPrinter")
    for n in range(5):
        submit(sessions, waybill_pdf, f"pdf:{tmp_path}", reference=f"R-{n}")
    with unit_of_work(sessions) as s:
        jobs = outbox.recent(s, limit=3)
    assert [j.id for j in jobs][-1] == lost_id and len(jobs) == 4


def test_ctrl_p_opens_the_outbox_from_the_main_window(qtbot, make_window, sessions, waybill_pdf):
    submit(sessions, waybill_pdf, "qt:NoSuchPrinter")
    window = make_window()
    window.outbox_action.trigger()
    settle(qtbot, window.outbox_dialog)
    assert window.outbox_dialog is not None and window.outbox_dialog.model.rowCount() == 1
    assert window.capture.isEnabled()  # scans still go to the bench (issue 13)
    assert window.outbox_action.shortcut().toString() == "Ctrl+P"
    window.outbox_dialog.reject()
    qtbot.waitUntil(lambda: window.outbox_dialog is None)


def test_a_scan_with_the_outbox_open_goes_to_the_bench_and_never_presses_the_outbox_keys(
        qtbot, make_window, sessions, waybill_pdf):
    """RET-01 types Shift+R (reprint), R (send again) and a scan's Enter (retry): none may act."""
    submit(sessions, waybill_pdf, "qt:NoSuchPrinter")
    window = make_window()
    window.outbox_action.trigger()
    dialog = window.outbox_dialog
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    with unit_of_work(sessions) as s:
        before = [(j.id, j.status, j.attempts) for j in s.scalars(select(PrintJob).order_by(PrintJob.id))]
    target = dialog.focusWidget() or dialog
    with qtbot.waitSignal(window.outcome_shown) as blocker:
        qtbot.keyClicks(target, "RET-01")
        qtbot.keyClick(target, Qt.Key.Key_Return)
    qtbot.wait(200)
    with unit_of_work(sessions) as s:
        after = [(j.id, j.status, j.attempts) for j in s.scalars(select(PrintJob).order_by(PrintJob.id))]
    assert after == before  # no reprint job, nothing sent again
    assert window.outbox_dialog is dialog and dialog.isVisible()
    assert window.screen.runner.user is None and blocker.args[0].code == "login_required"
    overlay = window.overlay
    assert overlay.isVisible() and overlay.banner.code == "login_required"  # shown over the dialog
    dialog.reject()
    qtbot.waitUntil(lambda: window.outbox_dialog is None)


def test_a_person_pressing_r_in_the_outbox_still_sends_the_job_again(qtbot, make_window, sessions, waybill_pdf,
                                                                     tmp_path):
    job_id, _status, _error = submit(sessions, waybill_pdf, "qt:NoSuchPrinter")
    window = make_window()
    window.outbox_action.trigger()
    dialog = window.outbox_dialog
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.choose_printer = lambda job: f"pdf:{tmp_path}"  # what the person picks in the printer question
    with unit_of_work(sessions) as s:
        before = s.get(PrintJob, job_id).attempts
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_R)  # a person: one key, then nothing

    def sent_again():
        with unit_of_work(sessions) as s:
            return s.get(PrintJob, job_id).attempts == before + 1

    qtbot.waitUntil(sent_again)
    dialog.reject()
    qtbot.waitUntil(lambda: window.outbox_dialog is None)


def test_deferred_jobs_are_left_alone_while_being_made_and_made_again_when_they_failed(
        qtbot, dialog, sessions, waybill_pdf, tmp_path, monkeypatch):
    monkeypatch.setattr(outbox, "_renderers", dict(outbox._renderers))
    folder = tmp_path / "out"
    broken = {"yes": True}

    def render(session, reference, reprint):
        if broken["yes"]:
            raise ValueError("no such order")
        return waybill_pdf

    outbox.register_renderer("test-doc", render)
    with unit_of_work(sessions) as s:
        outbox.set_printer(s, "test-doc", f"pdf:{folder}", 1)
        outbox.defer(s, "test-doc", "A-1")
        s.commit()
        waiting = s.scalar(select(PrintJob.id).where(PrintJob.reference == "A-1"))
    window = dialog()
    assert window.model.index(0, 4).data() == "Being made"
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "still being made" in window.message.text()

    outbox.render_deferred(sessions)  # what the bench does after the scan: the renderer fails
    window.refresh()
    settle(qtbot, window)
    job = window.selected()
    assert (job.id, job.status, job.pdf_bytes) == (waiting, "failed", 0)
    qtbot.keyClick(window.table, Qt.Key.Key_P)
    assert window.preview is None and "has no PDF yet" in window.message.text()

    broken["yes"] = False
    qtbot.keyClick(window.table, Qt.Key.Key_Return)  # made again, then printed
    settle(qtbot, window)
    assert window.model.index(0, 4).data() == "Printed"
    assert window.selected().pdf_bytes == len(waybill_pdf)
    assert len(files(folder)) == 1


def test_enter_on_a_job_another_bench_printed_meanwhile_does_not_print_it_twice(qtbot, dialog, sessions,
                                                                              waybill_pdf, tmp_path):
    job_id, _status, _error = submit(sessions, waybill_pdf, "qt:NoSuchPrinter")
    window = dialog()
    folder = tmp_path / "other-bench"
    outbox.retry(sessions, job_id, f"pdf:{folder}")  # the other bench retried it to its folder
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "printed already" in window.message.text()
    assert window.model.index(0, 4).data() == "Printed"
    assert len(files(folder)) == 1
    with unit_of_work(sessions) as s:
        assert s.get(PrintJob, job_id).attempts == 2
