"""Order exports -> plain frozen dataclasses: Station's generic CSV/XLSX, Shopify, Taobao/Tmall.

``parse_orders`` reads the whole file and reports every bad row by its physical line (header =
line 1) with a short translated reason. It never writes anything: when ``result.errors`` is not
empty the caller must write nothing (all or nothing). No database, no Qt.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from datetime import tzinfo
from pathlib import Path

from .common import CHINA, Progress
from .model import STATUSES, OrderLine, OrderRowError, ParsedOrder, ParseResult

FORMATS = ("generic", "shopify", "taobao", "jd", "pdd", "douyin", "woocommerce", "amazon")
FLAT = ("jd", "pdd", "douyin", "woocommerce", "amazon")  # one module each, read by parsers/flat.py

__all__ = ["CHINA", "FORMATS", "STATUSES", "OrderLine", "OrderRowError", "ParsedOrder", "ParseResult",
           "parse_orders"]


def parse_orders(path: str | Path, fmt: str, *, item_report: str | Path | None = None,
                 progress: Progress | None = None, shop: str | None = None,
                 tz: tzinfo | None = None, encoding: str | None = None) -> ParseResult:
    """Parse an order export.

    fmt: ``generic``, ``shopify`` (orders_export.csv), ``taobao`` (the order report; the item
    report comes from ``item_report`` or is found beside it), ``jd``, ``pdd``, ``douyin``,
    ``woocommerce`` or ``amazon`` (the Unshipped Orders report, tab-separated); CSV or XLSX each.
    progress: called as ``progress(done, total)`` every 1,000 rows and at the end.
    shop: the shop name when the file does not give one (Shopify: default ``shopify``).
    tz: the zone of times written without an offset; default Beijing time for Taobao and this
    computer's zone otherwise. Every datetime returned is timezone-aware.
    encoding: the CSV's encoding (both Taobao reports) when the person gave it; default: told
    apart by ``station.files.reader.decode`` or the file is refused.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown order format {fmt!r}; expected one of {', '.join(FORMATS)}")
    path = Path(path)
    with bulk():
        if fmt == "generic":
            from .generic import parse
            return parse(path, shop=shop, tz=tz, progress=progress, encoding=encoding)
        if fmt == "shopify":
            from .shopify import parse
            return parse(path, shop=shop, tz=tz, progress=progress, encoding=encoding)
        if fmt in FLAT:
            from importlib import import_module

            return import_module(f".{fmt}", __name__).parse(path, shop=shop, tz=tz, progress=progress,
                                                             encoding=encoding)
        from .taobao import parse
        return parse(path, item_report=Path(item_report) if item_report else None, shop=shop, tz=tz,
                     progress=progress, encoding=encoding)


@contextmanager
def bulk():
    """Pause the cycle collector while building ~10^5 small objects none of which form cycles:
    otherwise it keeps rescanning the growing heap (about a fifth of the time on 100,000 lines)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
