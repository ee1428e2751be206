"""The main window: a bench switcher, one screen per bench, the status bar.

Every scan the application-wide `ScanCapture` recognises goes to the current bench's
runner; the screen shows the outcome and `Feedback` plays its sound. No mouse needed:
F1…F7 pick a bench, Ctrl+Tab / Ctrl+Shift+Tab step through them, Ctrl+, opens the
settings, Ctrl+Q quits. A person can always go on: F9 opens a field to type a barcode the
scanner cannot read (a typed scan, handled as a scan of it), and F12 (``keys/acknowledge`` in
the settings) acknowledges an error like scanning CONFIRM, recorded as typed. The bench in
use comes back after a restart (settings), and so do the person logged in and the bench's
state (the runner restores them from the database).

Over ~400 lines on purpose: it is the wiring of everything a bench PC shows around the benches
(switcher, status bar, settings, typed scans, the overlay, the keyboard warning, the pack video);
each piece is a few lines that connect a widget of its own module.
"""
from __future__ import annotations

import logging
import traceback
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QStackedWidget, QTabBar, QVBoxLayout, QWidget
from station.i18n import _, set_language
from station.ui.benches import BenchScreen, screen_class
from station.ui.dialogs import DialogService
from station.ui.feedback import Feedback
from station.ui.office import OfficeMenu
from station.ui.printing.menu import add_print_actions
from station.ui.scan_capture import ScanCapture
from station.ui.scan_worker import ScanJob, ScanWorker
from station.ui import gc_guard, scan_trace
from station.ui.settings import Settings
from station.ui.widgets.scan_alerts import KeyboardLostWarning, ScanOverlay
from station.workflows import BENCHES, Outcome
from station.workflows.runner import BenchRunner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from station.ui.scanners.spec import ScannerSpec

log = logging.getLogger(__name__)
SOUND_LOAD_DELAY_MS = 400  # load QtMultimedia after the window is on screen: start fast
KEYBOARD_LOST_DELAY_MS = 600  # another program must keep the keyboard this long before the warning
TYPE_SCAN_KEY = "F9"
REPRINT_KEY = "F10"  # like scanning CMD-REPRINT: at the pack bench, the last order's waybill again
DEFAULT_ACKNOWLEDGE_KEY = "F12"
BENCH_KEYS = 8  # F1…F8 at most pick a bench: F9 types a barcode


def station_error(exc: BaseException) -> Outcome:
    """A bug must not end the shift: what the bench shows, in red, when handling an input failed."""
    return Outcome.error("station_error", _("Station could not handle this scan: {error}", error=type(exc).__name__),
                         _("Scan again; if it happens again, call the supervisor"))


class MainWindow(QMainWindow):
    outcome_shown = Signal(object)  # the Outcome of each scan, after the screen shows it
    language_changed = Signal(str)

    def __init__(self, sessions: "sessionmaker[Session]", *, db_label: str, settings: Settings,
                 dialogs: DialogService | None = None, feedback: Feedback | None = None,
                 capture: ScanCapture | None = None, scanner: "ScannerSpec | None" = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.sessions = sessions
        self.settings = settings
        self.db_label = db_label
        self.station = settings.station  # a new name applies from the next start
        self.dialogs = dialogs or DialogService()
        self.feedback = feedback or Feedback(self, enabled=settings.sound)
        self.capture = capture or ScanCapture(self, max_gap_ms=settings.max_gap_ms, min_chars=settings.min_chars)
        self.scan_trace = scan_trace.from_env(self)  # STATION_SCAN_TRACE: scripts/scan-soak.sh
        self.capture.install()
        gc_guard.install()  # threads of ours allocate: the garbage collector must run here, not there
        self.scan_worker = ScanWorker(self)  # every bench input is handled off the GUI thread
        self.capture.scanned.connect(self.submit_scan)
        self.capture.incomplete.connect(self.scan_incomplete)
        self.capture.input_method_took.connect(self.scan_taken_by_input_method)
        self.capture.too_slow.connect(self.scanner_too_slow)
        self.capture.calibrated.connect(self.scanner_calibrated)
        self.overlay = ScanOverlay()
        self.keyboard_warning = KeyboardLostWarning()
        self.keyboard_warning.clicked.connect(self.come_forward)
        self._keyboard_timer = QTimer(self)
        self._keyboard_timer.setSingleShot(True)
        self._keyboard_timer.timeout.connect(self._keyboard_check)
        self._app_active = True
        QApplication.instance().applicationStateChanged.connect(self._application_state)
        self.pack_video = None  # station.ui.pack_video.PackVideo once a camera is set (start_pack_video)
        self.pack_scale = None  # station.ui.pack_scale.PackScale once a scale is set (start_pack_scale)
        self.bench_names: list[str] = list(BENCHES)
        self.screens: dict[str, BenchScreen] = {}
        self.current: str | None = None
        self.settings_dialog = None
        self.typed_dialog = None  # the F9 field, while it is open
        self._sound_timer_started = False

        self.switcher = QTabBar()
        self.switcher.setObjectName("benchSwitcher")
        self.switcher.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.switcher.setExpanding(False)
        for _name in self.bench_names:
            self.switcher.addTab("")
        self.switcher.currentChanged.connect(lambda i: self.switch_to(self.bench_names[i]))
        self.stack = QStackedWidget()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.switcher)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.user_label = QLabel()
        self.user_label.setObjectName("statusUser")
        self.station_label = QLabel()
        self.station_label.setObjectName("statusStation")
        self.db_status = QLabel()
        self.db_status.setObjectName("statusDatabase")
        self.sound_label = QLabel()
        for label in (self.user_label, self.station_label, self.db_status):
            label.setContentsMargins(10, 0, 10, 0)
            self.statusBar().addPermanentWidget(label)
        self.statusBar().addWidget(self.sound_label)
        # A temporary message (no scale set, a slow scanner…) is painted over the normal widgets: the
        # sound note steps aside while one shows, instead of both being drawn on top of each other.
        self.statusBar().messageChanged.connect(lambda text: self.sound_label.setVisible(not text))
        # A serial or evdev scanner besides the keyboard wedge (--scanner, else the settings):
        # its scans go to submit_scan too, its state shows in the status bar.
        from station.ui.scanners.hookup import ScannerHookup

        self.scanner = ScannerHookup(self, scanner)

        self._build_actions()
        self.office = OfficeMenu(self)  # Orders… (Ctrl+O), Supervisor numbers… (Ctrl+K)
        self.retranslate()
        # issue 17: fit the screen (1280x720 and up), the status bar always on it
        from station.ui.widgets.fit import fit_to_screen

        fit_to_screen(self, 1200, 780)
        last = settings.last_bench
        self.switch_to(last if last in BENCHES else self.bench_names[0])

    # --- actions ------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.station_menu = self.menuBar().addMenu("")
        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        self.station_menu.addAction(self.settings_action)
        self.station_menu.addSeparator()
        self.station_menu.addAction(self.quit_action)
        add_print_actions(self)  # Print outbox… (Ctrl+P) and Printers…

        self.bench_menu = self.menuBar().addMenu("")
        self.bench_actions: list[QAction] = []
        for i, name in enumerate(self.bench_names):
            action = QAction(self)
            action.setCheckable(True)
            if i < BENCH_KEYS:
                action.setShortcut(QKeySequence(f"F{i + 1}"))
            action.triggered.connect(lambda _checked=False, n=name: self.switch_to(n))
            self.bench_menu.addAction(action)
            self.bench_actions.append(action)
        self.bench_menu.addSeparator()
        self.next_action = QAction(self)
        self.next_action.setShortcuts([QKeySequence("Ctrl+Tab"), QKeySequence("Ctrl+PgDown")])
        self.next_action.triggered.connect(lambda: self.step_bench(+1))
        self.prev_action = QAction(self)
        self.prev_action.setShortcuts([QKeySequence("Ctrl+Shift+Tab"), QKeySequence("Ctrl+Shift+Backtab"),
                                       QKeySequence("Ctrl+PgUp")])
        self.prev_action.triggered.connect(lambda: self.step_bench(-1))
        self.bench_menu.addAction(self.next_action)
        self.bench_menu.addAction(self.prev_action)
        self.bench_menu.addSeparator()
        self.type_action = QAction(self)  # F9: type a barcode the scanner cannot read
        self.type_action.setShortcut(QKeySequence(TYPE_SCAN_KEY))
        self.type_action.triggered.connect(self.open_typed_scan)
        self.acknowledge_action = QAction(self)  # F12: like scanning CONFIRM
        self.acknowledge_action.setShortcut(self._acknowledge_key())
        self.acknowledge_action.triggered.connect(self.acknowledge)
        self.reprint_action = QAction(self)  # F10: like scanning REPRINT
        self.reprint_action.setShortcut(QKeySequence(REPRINT_KEY))
        self.reprint_action.triggered.connect(self.reprint)
        self.bench_menu.addAction(self.type_action)
        self.bench_menu.addAction(self.acknowledge_action)
        self.bench_menu.addAction(self.reprint_action)
        for action in (self.type_action, self.acknowledge_action, self.reprint_action):
            self.addAction(action)  # also while the menu bar is hidden or another widget has the focus

    # --- benches ------------------------------------------------------------------------
    @property
    def screen(self) -> BenchScreen:
        """The current bench's screen."""
        return self.screens[self.current]

    def screen_for(self, name: str) -> BenchScreen:
        screen = self.screens.get(name)
        if screen is None:  # built on first use: only the bench shown at start costs start-up time
            runner = BenchRunner(self.sessions, name, self.station)
            if self.pack_scale is not None:
                self.pack_scale.attach(runner)  # the pack bench weighs; the others ignore it
            screen = screen_class(name)(runner, self.dialogs)
            screen.outcome_shown.connect(self.outcome_shown)
            screen.submitter = self._submit_for_screen
            screen.off_gui = self._off_gui_for_screen
            self.screens[name] = screen
            self.stack.addWidget(screen)
        return screen

    def switch_to(self, name: str) -> None:
        if name not in BENCHES or name == self.current:
            return
        previous_user = self.screens[self.current].runner.user if self.current else None
        screen = self.screen_for(name)
        self.current = name
        self.stack.setCurrentWidget(screen)
        index = self.bench_names.index(name)
        if self.switcher.currentIndex() != index:
            self.switcher.setCurrentIndex(index)
        for i, action in enumerate(self.bench_actions):
            action.setChecked(i == index)
        # The same person moves to another bench of the same station: no second badge scan.
        if previous_user and screen.runner.user != previous_user:
            runner = screen.runner
            self.scan_worker.submit(ScanJob(screen, "", "login", lambda: (None, runner.login(previous_user)),
                                            on_done=self._login_done))
        screen.setFocus(Qt.FocusReason.OtherFocusReason)
        self.settings.last_bench = name
        self._update_titles()
        self._update_status()

    def step_bench(self, step: int) -> None:
        index = (self.bench_names.index(self.current) + step) % len(self.bench_names)
        self.switch_to(self.bench_names[index])

    # --- scans --------------------------------------------------------------------------
    def submit_scan(self, raw: str, source: str = "scan", screen: BenchScreen | None = None,
                    then=None) -> ScanJob:
        """One scan from the capture, a scanner, F9/F10/F12 or a screen's own form: for the current
        bench (or ``screen``), handled on the scan worker, shown and sounded here when it is done.
        `source` ``"typed"``: typed by a person (F9, F12), handled the same and recorded as typed."""
        screen = screen or self.screen
        runner = screen.runner
        return self.scan_worker.submit(ScanJob(screen, raw, source, lambda: runner.process(raw, source=source),
                                               on_done=self._scan_done, then=then))

    def _submit_for_screen(self, screen: BenchScreen, raw: str, source: str, then) -> None:
        self.submit_scan(raw, source, screen=screen, then=then)

    def _off_gui_for_screen(self, screen: BenchScreen, label: str, call, then) -> None:
        """A screen's form work (the quality check): run on the worker, ``then(result)`` on the GUI
        thread, and sounded and laid over a window in front like a scan's outcome."""
        def done(job: ScanJob) -> None:
            if job.error is not None:
                log.error("%s failed:\n%s", label, job.trace)
                job.outcome = station_error(job.error)
                screen.show_outcome(job.outcome, label)
            else:
                job.outcome = then(job.result)
            if job.outcome is not None:
                self.feedback.play(job.outcome.level)
                self._show_in_front(job.outcome)

        self.scan_worker.submit(ScanJob(screen, label, "form", call, on_done=done))

    def submit_input(self, screen: BenchScreen, raw: str, call, source: str = "input") -> ScanJob:
        """Another input of a bench handled like a scan (the scale's weight): ``call`` returns
        (scan, outcome), or None when it no longer applies; run on the worker, in turn with the scans."""
        return self.scan_worker.submit(ScanJob(screen, raw, source, call, on_done=self._scan_done))

    def handle_scan(self, raw: str, source: str = "scan") -> Outcome:
        """`submit_scan` and wait until its outcome is shown (tests, and callers that need the
        outcome there and then): the same path as every scan, the GUI going on meanwhile."""
        job = self.submit_scan(raw, source)
        if not self.scan_worker.wait(job):
            raise TimeoutError(f"the scan {raw!r} was not handled in time")
        return job.outcome

    def _scan_done(self, job: ScanJob) -> None:
        """On the GUI thread: the worker handled ``job``; show it, sound it, print."""
        screen, raw = job.screen, job.raw
        if job.result is None and job.error is None:  # nothing to show (a weight nobody waits for any more)
            return
        try:
            if job.error is not None:
                raise job.error
            scan, outcome = job.result
            raw = scan.raw if scan is not None else raw
            screen.finish_scan(outcome, raw)
        except Exception as exc:  # a bug must not end the shift: say so in red and keep going
            log.error("scan %r failed:\n%s", raw, job.trace or traceback.format_exc())
            outcome = station_error(exc)
            screen.show_outcome(outcome, raw)
        job.outcome = outcome
        if screen.bench_name == "pack":
            if self.pack_video is not None:
                self.pack_video.after_scan(screen, raw, outcome)
            if self.pack_scale is not None and job.source != "scale":
                self.pack_scale.after_scan(screen)  # the bench waits for the scale: read on a worker thread
        self.feedback.play(outcome.level)
        self._update_status()
        self._show_in_front(outcome)

    def _login_done(self, job: ScanJob) -> None:
        """The person moved to another bench of this station: logged in there without a badge scan."""
        if job.error is not None:
            log.error("login at %s failed:\n%s", job.screen.bench_name, job.trace)
            return
        job.outcome = job.result[1]
        job.screen.show_outcome(job.outcome)
        self._update_status()

    def start_pack_video(self, camera: str, folder) -> None:
        """Record the pack bench (issue 18) from ``camera`` into ``folder``; see station.ui.pack_video."""
        from station.ui.pack_video import PackVideo

        self.pack_video = PackVideo(self, camera, folder, station=self.station,
                                    budget_mb=self.settings.video_budget_mb, keep_days=self.settings.video_keep_days)

    def start_pack_scale(self, spec) -> None:
        """Weigh parcels at the pack bench (issue 18) on the scale ``spec`` (a ScaleSpec); none: said once."""
        from station.ui.pack_scale import PackScale, say_no_scale

        if not spec.attached:
            say_no_scale(self)
            return
        self.pack_scale = PackScale(self, spec)
        for screen in self.screens.values():  # the benches built already
            self.pack_scale.attach(screen.runner)

    def _show_in_front(self, outcome: Outcome) -> None:
        """A dialog or office window is in front of the bench: lay the outcome over it."""
        front = QApplication.activeModalWidget() or QApplication.activeWindow()  # a modal dialog is in front
        if front is None:  # between two windows: the last one of ours that is open in front of the bench
            mine = (self, self.overlay, self.keyboard_warning)
            shown = [w for w in QApplication.topLevelWidgets()
                     if w.isVisible() and not w.isMinimized() and all(w is not m for m in mine)
                     and w.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog)]
            front = shown[-1] if shown else None
        if front is None or front is self or front is self.overlay:
            self.overlay.clear()
            return
        self.overlay.show_over(front, outcome, self.screen.banner.action)

    def show_capture_outcome(self, outcome: Outcome) -> None:
        """An outcome of the scan capture itself (no bench saw the scan): shown and sounded like any."""
        self.screen.show_outcome(outcome)
        self.feedback.play(outcome.level)
        self._show_in_front(outcome)

    def scan_incomplete(self, text: str) -> None:
        log.warning("incomplete scan %r (no Enter or Tab after it)", text)
        self.show_capture_outcome(Outcome.warn(
            "scan_incomplete", _("Scan not read completely: scan again"),
            _("Read so far: {text}", text=text[:60]),
            _("If every scan says this, set the scanner to send Enter after each barcode (scanner sheet)")))

    def scan_taken_by_input_method(self, text: str) -> None:
        log.warning("a scan went into the input method of a text field (it passed on %r)", text)
        self.show_capture_outcome(Outcome.warn(
            "scan_input_method", _("Scan not read: the Chinese input method took it"),
            _("Switch the input method to English (Shift) and scan again, or press F9 and type the code"),
            _("Fields for names take no scans: scan with the bench in front")))

    def scanner_too_slow(self, text: str) -> None:
        """The scan came slower than this station's key gap: handled all the same; suggest the setup code."""
        log.warning("scan %r typed slower than %d ms a key", text, self.capture.max_gap_ms)
        self.statusBar().showMessage(_("The scanner types slower than this station expects: scan {code} on the "
                                       "scanner sheet once", code="CMD-SCANNER-SETUP"), 15000)

    def scanner_calibrated(self, max_gap_ms: int) -> None:
        self.settings.max_gap_ms = max_gap_ms
        self.settings.sync()
        self.show_capture_outcome(Outcome.ok(
            "scanner_calibrated", _("Scanner set up"),
            _("This station now takes up to {ms} ms between a scanner's keys", ms=max_gap_ms)))

    # --- the keyboard -------------------------------------------------------------------
    def _application_state(self, state) -> None:
        self._app_active = state == Qt.ApplicationState.ApplicationActive
        if self._app_active:
            self._keyboard_timer.stop()
            self.keyboard_warning.hide()
        elif self.isVisible():
            self._keyboard_timer.start(KEYBOARD_LOST_DELAY_MS)

    def _keyboard_check(self) -> None:
        """Another program has had the keyboard for a while: a keyboard-wedge scanner types into it."""
        if self._app_active or not self.isVisible():
            return
        log.warning("Station lost the keyboard to another program")
        self.keyboard_warning.retranslate()
        handle = self.windowHandle()
        self.keyboard_warning.show_on_screen(handle.screen() if handle is not None else None)
        self.feedback.play("error")

    def come_forward(self) -> None:
        self.keyboard_warning.hide()
        self.showNormal() if self.isMinimized() else self.show()
        self.raise_()
        self.activateWindow()
    # --- a person can always go on ------------------------------------------------------
    def reserved_keys(self) -> dict[str, str]:
        """Keys the window uses already (key name -> what for, translated): never the acknowledge key."""
        keys = {f"F{i + 1}": _("it opens the {bench} bench", bench=_(BENCHES[name].title))
                for i, name in enumerate(self.bench_names[:BENCH_KEYS])}
        keys[TYPE_SCAN_KEY] = _("it types a barcode")
        keys[REPRINT_KEY] = _("it reprints")
        return keys

    def _acknowledge_key(self) -> QKeySequence:
        key = QKeySequence(self.settings.acknowledge_key.strip() or DEFAULT_ACKNOWLEDGE_KEY)
        if key.isEmpty() or key.toString() in self.reserved_keys():
            log.warning("acknowledge key %r is taken or unknown: %s instead", self.settings.acknowledge_key,
                        DEFAULT_ACKNOWLEDGE_KEY)
            return QKeySequence(DEFAULT_ACKNOWLEDGE_KEY)
        return key

    def open_typed_scan(self) -> None:
        """F9: a field to type a barcode; what is typed goes to the bench on screen as a typed scan."""
        from station.ui.typed_scan import TypedScanDialog

        if self.typed_dialog is not None or self.current is None:
            return
        self.capture.setEnabled(False)  # the field gets plain typing
        dialog = TypedScanDialog(self.screen.title, self)
        dialog.finished.connect(lambda result: self._typed_scan_closed(dialog, result))
        self.typed_dialog = dialog
        dialog.open()

    def _typed_scan_closed(self, dialog, result: int) -> None:
        self.typed_dialog = None
        self.capture.setEnabled(True)
        text = dialog.text()
        dialog.deleteLater()
        if result == dialog.DialogCode.Accepted and text:
            self.submit_scan(text, source="typed")

    def acknowledge(self) -> ScanJob | None:
        """F12: acknowledge the error on screen exactly as scanning CONFIRM does, recorded as typed."""
        if self.current is None:
            return None
        return self.submit_scan("CMD-CONFIRM", source="typed")

    def reprint(self) -> ScanJob | None:
        """F10: exactly as scanning REPRINT (at the pack bench: the open order's slip, else the last
        order's waybills), recorded as typed."""
        if self.current is None:
            return None
        return self.submit_scan("CMD-REPRINT", source="typed")

    # --- settings -----------------------------------------------------------------------
    def open_settings(self) -> None:
        from station.ui.settings_dialog import SettingsDialog

        if self.settings_dialog is not None:
            return
        # The capture stays on: a scan goes to the bench, a person's typing to the dialog's fields.
        # Its "Scan to test" installs a capture of its own, which sees the keys first.
        self.scanner.pause()  # the dialog's "scan to test" may open the same device
        dialog = SettingsDialog(self.settings, self, reserved_keys=self.reserved_keys(), sessions=self.sessions,
                                user=self.screen.runner.user if self.current else None)
        dialog.finished.connect(lambda result: self._settings_closed(dialog, result))
        self.settings_dialog = dialog
        dialog.open()

    def _settings_closed(self, dialog, result: int) -> None:
        self.settings_dialog = None
        if result == dialog.DialogCode.Accepted:
            self.apply_settings(dialog.save())
        self.scanner.resume()
        dialog.deleteLater()

    def apply_settings(self, changed: dict[str, tuple]) -> None:
        self.capture.configure(max_gap_ms=self.settings.max_gap_ms, min_chars=self.settings.min_chars)
        self.feedback.enabled = self.settings.sound
        if "scanner" in changed:
            from station.ui.scanners.hookup import settings_spec

            self.scanner.set_spec(settings_spec(self.settings.scanner)[0])
        self.acknowledge_action.setShortcut(self._acknowledge_key())
        if "scale" in changed:  # the pack bench's scale: the new one from now on
            from station.weighing.spec import ScaleSpecError, parse_scale_spec

            if self.pack_scale is not None:
                self.pack_scale.close()
                self.pack_scale = None
            for screen in self.screens.values():
                screen.runner.attach_scale(False)
            try:
                self.start_pack_scale(parse_scale_spec(self.settings.scale))
            except ScaleSpecError:  # the dialog checked it; a hand-edited file: no scale
                self.start_pack_scale(parse_scale_spec("none"))
        if "language" in changed:
            from station.ui.translator import install_qt_translator

            lang = set_language(self.settings.language_choice)
            install_qt_translator(lang)
            self.retranslate()
            self.language_changed.emit(lang)
        if "station_name" in changed:
            self.dialogs.inform(self, _("Station name"),
                                _("Station uses the new station name {name} from its next start.",
                                  name=self.settings.station))
        self._update_status()

    # --- texts --------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.station_menu.setTitle(_("&Station"))
        self.settings_action.setText(_("&Settings…"))
        self.quit_action.setText(_("&Quit"))
        self.bench_menu.setTitle(_("&Bench"))
        self.next_action.setText(_("Next bench"))
        self.prev_action.setText(_("Previous bench"))
        self.type_action.setText(_("Type a barcode…"))
        self.acknowledge_action.setText(_("Acknowledge the error (like CONFIRM)"))
        self.reprint_action.setText(_("Reprint (like REPRINT)"))
        for i, name in enumerate(self.bench_names):
            title = _(BENCHES[name].title)
            self.bench_actions[i].setText(title)
            self.switcher.setTabText(i, f"F{i + 1}  {title}" if i < BENCH_KEYS else title)
        for screen in self.screens.values():
            screen.retranslate()
        self.scanner.retranslate()
        self._update_titles()
        self._update_status()

    def _update_titles(self) -> None:
        if self.current:
            self.setWindowTitle(_("Station — {bench}", bench=self.screen.title))

    def _update_status(self) -> None:
        user = self.screens[self.current].runner.user if self.current else None
        self.user_label.setText(_("User: {name}", name=user) if user else _("Not logged in"))
        self.station_label.setText(_("Station: {name}", name=self.station))
        self.db_status.setText(_("Database: {url}", url=self.db_label))
        if not self.settings.sound:
            self.sound_label.setText(_("Sound off"))
        elif self.feedback.silent:
            self.sound_label.setText(_("No sound on this PC"))
        else:
            self.sound_label.setText("")
        self.sound_label.setToolTip(self.feedback.silent or "")

    # --- life cycle -----------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._sound_timer_started:
            self._sound_timer_started = True
            QTimer.singleShot(SOUND_LOAD_DELAY_MS, self._load_sounds)

    def _load_sounds(self) -> None:
        self.feedback.load()
        self._update_status()
        # `station.ui.app.run` loads the return-matching tables (pinyin, phone numbers) before the
        # window shows. A window built another way (tests, tools) loads them here, on a thread, so
        # the first parcel's close does not wait for them; loaded already, this costs nothing.
        import threading

        from station.fulfilment.recipient_keys import warm_up

        threading.Thread(target=warm_up, name="warm-up", daemon=True).start()

    def closeEvent(self, event) -> None:  # noqa: N802
        self._keyboard_timer.stop()
        if self.pack_video is not None:
            self.pack_video.close()
            self.pack_video = None
        if self.pack_scale is not None:
            self.pack_scale.close()
            self.pack_scale = None
        self.keyboard_warning.close()
        self.overlay.close()
        self.capture.uninstall()
        self.scanner.stop()
        self.scan_worker.stop()
        if getattr(self, "outbox_dialog", None) is not None:
            self.outbox_dialog.jobs.wait()  # no thread outlives its dialog
        self.settings.sync()
        super().closeEvent(event)
