"""The benchmark used by `station bench` (speed itself is not asserted here)."""
from __future__ import annotations

from collections import Counter

from station.perf.scanning import classify_rate, realistic_lexicon, realistic_mix
from station.scanning import ScanKind, classify


def test_classify_rate_returns_scans_per_second():
    rate = classify_rate(n=2_000)
    assert isinstance(rate, float) and rate > 0


def test_the_benchmark_mix_is_mostly_products_skus_locations_and_waybills_with_a_few_gs1():
    lexicon = realistic_lexicon()
    kinds = Counter(classify(raw, lexicon).kind for raw in realistic_mix())
    total = sum(kinds.values())
    assert kinds[ScanKind.UNKNOWN] == 0
    assert kinds[ScanKind.PRODUCT] / total > 0.4
    assert 0 < kinds[ScanKind.GS1] / total < 0.03
    assert all(kinds[k] for k in (ScanKind.SKU, ScanKind.LOCATION, ScanKind.TRACKING, ScanKind.ORDER,
                                  ScanKind.RETURN_SLIP, ScanKind.COMMAND, ScanKind.BADGE))


def test_the_benchmark_mix_is_the_same_every_time():
    assert realistic_mix(500) == realistic_mix(500)
