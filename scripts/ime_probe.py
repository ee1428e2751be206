"""A window with a text field and Station's scan capture, for scripts/ime-check.sh.

``python scripts/ime_probe.py LOG code|plain``: the field is a `CodeField` (no input method) or a
plain QLineEdit; every scan the capture emits and the field's text are written to LOG as JSON lines.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget  # noqa: E402

from station.ui.scan_capture import ScanCapture  # noqa: E402
from station.ui.widgets.code_field import CodeField  # noqa: E402


def main() -> int:
    log_path, kind = sys.argv[1], sys.argv[2]
    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.setWindowTitle("station-ime-probe")
    field = CodeField() if kind == "code" else QLineEdit()
    QVBoxLayout(window).addWidget(field)
    window.resize(400, 80)
    window.show()
    field.setFocus()
    capture = ScanCapture().install(app)
    log = open(log_path, "w", encoding="utf-8")

    def write(**rec) -> None:
        log.write(json.dumps(rec, ensure_ascii=False) + "\n")
        log.flush()

    capture.scanned.connect(lambda text: write(scanned=text))
    capture.input_method_took.connect(lambda text: write(took=text))
    timer = QTimer()
    timer.timeout.connect(lambda: write(field=field.text()))
    timer.start(300)
    write(ready=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
