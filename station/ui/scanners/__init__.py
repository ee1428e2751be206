"""Scanners that are not keyboards: a serial / USB-COM port, and on Linux the scanner's own HID
keyboard device read directly (evdev). See docs/scanning.md, "Scan sources".

``spec`` and ``decode`` are plain Python (the CLI imports ``spec`` without loading Qt);
``sources`` holds the Qt sources and ``hookup`` what the main window and the settings use.
"""
