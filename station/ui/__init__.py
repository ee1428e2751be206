"""The GUI (PySide6): main window, one screen per bench, application-wide scan capture,
feedback by colour, sound and big text, dialogs. The only package that imports Qt.

Entry point: `station.ui.app.run` (``station`` without arguments). Nothing happens at
import time: no QApplication, no font registration, no database.
"""
