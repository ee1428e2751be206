"""Weighing at the pack bench (issue 18): what a scale says, and what a parcel should weigh.

``protocols`` reads the scales' own words: continuous serial lines (``ST,GS,+0001.250kg``),
Mettler Toledo MT-SICS answers (``S S      1.250 kg``) and USB HID point-of-sale scale reports
(usage page 0x8D). ``expected`` works out what a parcel should weigh (its products' ``weight_g``
plus the packaging, or what the same contents weighed when they shipped before) and decides
whether a reading fits. Both are pure: no database, no Qt. The devices are read by
``station.ui.scales`` (QtSerialPort, hidapi).
"""
from station.weighing.expected import Expectation, Verdict, contents_key, decide, expected_weight, learned_weight
from station.weighing.protocols import (CONTINUOUS, MT_SICS, PROTOCOLS, Reading, ScaleError, parse_continuous,
                                        parse_hid_report, parse_mt_sics, to_grams)

__all__ = ["CONTINUOUS", "MT_SICS", "PROTOCOLS", "Expectation", "contents_key", "Reading", "ScaleError", "Verdict", "decide",
           "expected_weight", "learned_weight", "parse_continuous", "parse_hid_report", "parse_mt_sics",
           "to_grams"]
