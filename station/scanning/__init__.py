"""What a scan *is*: classify raw scanner text into a typed `Scan`.

Pure Python (stdlib + biip). See docs/scanning.md for the rules.

    >>> from station.scanning import classify, ScanKind
    >>> classify("6901234567892\\r").kind is ScanKind.PRODUCT
    True
"""
from station.scanning.classifier import classify
from station.scanning.couriers import DEFAULT_COURIERS, CourierPattern
from station.scanning.gs1 import parse_gs1
from station.scanning.gtin import gtin14, gtin_check_digit_ok, is_valid_product_barcode
from station.scanning.lexicon import DEFAULT_LEXICON, DEFAULT_LOCATION_PATTERN, Lexicon
from station.scanning.model import (
    COMMAND_PREFIX,
    COMMANDS,
    PACKING_SLIP_PREFIX,
    RETURN_SLIP_PREFIX,
    SCAN_ERRORS,
    SCANNER_SETUP_CODE,
    AIMap,
    Scan,
    ScanKind,
)
from station.scanning.normalisation import GS, GS1_SYMBOLOGY_IDS, normalise

__all__ = [
    "AIMap",
    "COMMANDS",
    "COMMAND_PREFIX",
    "CourierPattern",
    "DEFAULT_COURIERS",
    "DEFAULT_LEXICON",
    "DEFAULT_LOCATION_PATTERN",
    "GS",
    "GS1_SYMBOLOGY_IDS",
    "Lexicon",
    "PACKING_SLIP_PREFIX",
    "RETURN_SLIP_PREFIX",
    "SCANNER_SETUP_CODE",
    "SCAN_ERRORS",
    "Scan",
    "ScanKind",
    "classify",
    "gtin14",
    "gtin_check_digit_ok",
    "is_valid_product_barcode",
    "normalise",
    "parse_gs1",
]
