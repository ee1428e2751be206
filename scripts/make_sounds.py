"""Write the outcome sounds to resources/sounds/ with nothing but the standard library.

ok.wav    one short high beep: "next"
warn.wav  two tones, high then lower: "look at the screen"
error.wav a low buzz, longer: "stop, that was wrong" — heard over a noisy warehouse

16-bit mono PCM at 44.1 kHz (what QSoundEffect plays everywhere), each tone with a
5 ms fade in and out so it does not click. Usage: .venv/bin/python scripts/make_sounds.py
"""
from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 44_100
OUT = Path(__file__).resolve().parents[1] / "resources" / "sounds"


def tone(freq: float, ms: int, volume: float = 0.5, harmonics: tuple[float, ...] = ()) -> list[float]:
    """A sine (plus odd harmonics for a buzz) with a short fade at both ends."""
    n = RATE * ms // 1000
    fade = RATE * 5 // 1000
    out = []
    for i in range(n):
        t = i / RATE
        v = math.sin(2 * math.pi * freq * t)
        for k, amp in enumerate(harmonics, start=1):
            v += amp * math.sin(2 * math.pi * freq * (2 * k + 1) * t)
        env = min(1.0, i / fade, (n - 1 - i) / fade)
        out.append(volume * env * v / (1 + sum(harmonics)))
    return out


def silence(ms: int) -> list[float]:
    return [0.0] * (RATE * ms // 1000)


def write(name: str, samples: list[float]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(max(-1.0, min(1.0, s)) * 32767)) for s in samples))
    return path


SOUNDS = {
    "ok.wav": lambda: tone(1800, 110, 0.45),
    "warn.wav": lambda: tone(1100, 150, 0.5) + silence(40) + tone(700, 200, 0.5),
    "error.wav": lambda: tone(150, 550, 0.7, harmonics=(0.6, 0.4, 0.25, 0.15)),
}


def main() -> None:
    for name, make in SOUNDS.items():
        print(write(name, make()))


if __name__ == "__main__":
    main()
