#!/usr/bin/env bash
# Debian packages Station needs and PyPI cannot give: the shared libraries Qt's wheels load
# (xcb, EGL, fontconfig, PulseAudio client for QtMultimedia) and, for the tests, the
# PostgreSQL 15 server binaries. Installs only what is missing; needs root (or sudo).
set -euo pipefail
want=(python3-venv python3-pip libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0
      libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
      libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libxcb-xinerama0 libpulse0
      gcc python3-dev linux-libc-dev)  # pip compiles python-evdev (evdev scanners): no wheel on PyPI
if [ "${1:-}" = "--tests" ]; then
  want+=(postgresql-15 cups cups-client printer-driver-cups-pdf)  # tests/e2e/test_cups.py
fi
if [ "${1:-}" = "--tests" ] || [ "${1:-}" = "--soak" ]; then
  want+=(xvfb xdotool imagemagick)  # scripts/scan-soak.sh, tests/soak/test_scan_soak.py
fi
if [ "${1:-}" = "--tests" ] || [ "${1:-}" = "--ime" ]; then
  want+=(xvfb xdotool ibus ibus-libpinyin dbus-x11)  # a real pinyin input method: tests/soak/test_input_method.py
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
