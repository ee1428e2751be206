"""Where the repository's resources (fonts, sounds) are."""
from __future__ import annotations

from pathlib import Path

import station

RESOURCES = Path(station.__file__).resolve().parents[1] / "resources"
FONT_FILE = RESOURCES / "fonts" / "wqy-microhei.ttc"
SOUNDS = RESOURCES / "sounds"
