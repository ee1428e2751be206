"""Start the GUI: the QApplication, the CJK font, the language, the database, the main window.

``station`` without arguments calls `run`. A database Station cannot use gets a dialog
that says why (the message of `DatabaseError`) and exit code 2.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from station.db import DatabaseError, data_folder, describe, open_database, resolve_url
from station.i18n import _, language, set_language
from station.ui.dialogs import DialogService
from station.ui.paths import FONT_FILE
from station.ui.settings import Settings
from station.ui.translator import install_qt_translator

log = logging.getLogger(__name__)
BASE_POINT_SIZE = 11


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (made once), with Station's names and font."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Station")
    app.setOrganizationName("station")
    install_font(app)
    return app


def install_font(app: QApplication) -> str | None:
    """Register WenQuanYi Micro Hei and put it first in the application font.

    Chinese product names, people and addresses then never show as boxes, even on a PC
    with no CJK font installed. Returns the family, or None if the font file is missing.
    """
    if getattr(app, "_station_font_family", None):
        return app._station_font_family
    font_id = QFontDatabase.addApplicationFont(str(FONT_FILE))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("CJK font %s could not be loaded; Chinese may show as boxes", FONT_FILE)
        return None
    family = next((f for f in families if "mono" not in f.lower()), families[0])
    font = QFont(app.font())
    font.setFamilies([family, *[f for f in font.families() if f != family]])
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app._station_font_family = family
    return family


def apply_language(settings: Settings, override: str | None = None) -> str:
    """``station --lang`` if given, else the settings; if they say "follow the system", the system's."""
    if override:
        lang = set_language(override)
    else:
        lang = set_language(settings.language_choice) if settings.language_choice else language()
    install_qt_translator(lang)
    return lang


def build(db_url: str | None, *, settings: Settings | None = None, dialogs: DialogService | None = None,
          lang: str | None = None, scanner=None, camera: str | None = None):
    """The main window on the opened database (not shown yet), or an exit code if it cannot open."""
    from station.documents.registry import install
    from station.ui.main_window import MainWindow

    install()  # the document families' renderers into the outbox (the outbox imports no family)
    settings = settings or Settings()
    dialogs = dialogs or DialogService()
    apply_language(settings, lang)
    url = resolve_url(db_url)
    try:
        engine, sessions = open_database(url)
    except DatabaseError as exc:
        dialogs.error(None, _("Station cannot open its database"), str(exc))
        return 2
    from station.ui.printing import dispatch

    dispatch.install()  # qt:<printer> destinations print through Qt print support
    # scanner: a ScannerSpec from ``--scanner``; None uses the settings (station.ui.scanners)
    window = MainWindow(sessions, db_label=describe(url), settings=settings, dialogs=dialogs, scanner=scanner)
    window.engine = engine
    from station.video.sources import CameraSpecError, parse_camera_spec

    try:
        spec = parse_camera_spec(camera if camera is not None else settings.camera)
    except CameraSpecError as exc:  # a bad setting: said, and packing goes on without video
        log.warning("camera setting: %s", exc)
        spec = parse_camera_spec("none")
    if spec.attached:
        folder = Path(settings.video_folder) if settings.video_folder.strip() else data_folder(url) / "clips"
        window.start_pack_video(str(spec), folder)
    return window


def warm_up() -> None:
    """Load, before the window takes scans, what the first scans would otherwise load on their way.

    Measured (issue 13): pypinyin's tables (the first parcel closed indexes its recipient) take
    0.5-1 s, two ``json.loads`` calls that hold the GIL for about 300 ms each: loaded on a thread
    while the window was already up, they froze the GUI thread with a scan in it. The fonts and the
    waybill layout (the printing thread's first waybill) take another 0.4 s of CPU.
    """
    from station.fulfilment.recipient_keys import warm_up as recipient_tables
    from station.printing import fonts
    import station.documents.orders  # noqa: F401 - the waybill, slip and pick-list layouts

    recipient_tables()
    fonts.register_fonts()


def run(db_url: str | None, lang: str | None = None, scanner=None, camera: str | None = None) -> int:
    """Open the GUI and run until it is closed; the exit code for ``station``."""
    import threading

    app = application()
    # Alongside opening the database and building the window; joined before the window shows.
    loading = threading.Thread(target=warm_up, name="warm-up", daemon=True)
    loading.start()
    window = build(db_url, lang=lang, scanner=scanner, camera=camera)
    if isinstance(window, int):
        return window
    loading.join(timeout=30)
    window.showMaximized()  # a bench PC shows Station and nothing else
    try:
        code = app.exec()
    finally:
        window.engine.dispose()
    return code
