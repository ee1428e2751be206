"""Qt's own words (OK, Cancel, Yes, No) in the language Station speaks: the app installs it at
start, the main window again when the language changes in the settings."""
from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication

_qt_translator: dict[str, QTranslator] = {}


def install_qt_translator(lang: str) -> None:
    """Qt's own words (OK, Cancel, Yes, No) in the language Station speaks."""
    app = QApplication.instance()
    old = _qt_translator.pop("qt", None)
    if old is not None:
        app.removeTranslator(old)
    if lang == "en":
        return
    translator = QTranslator(app)
    if translator.load(f"qt_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
        _qt_translator["qt"] = translator
