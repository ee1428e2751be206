"""Render every document from realistic invented data into docs/documents/<doc>-<size>.png.

    .venv/bin/python -m tests.support.render_docs

The samples here are also the tests' fixtures (tests/unit/test_documents_*.py), so what
the pictures show is what the tests read back. Every name, phone and address is made up.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pypdfium2

from station.printing.units import PageSize

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "docs" / "documents"
DPI = 150
CST = timezone(timedelta(hours=8), "CST")
PRINTED_AT = datetime(2024, 6, 18, 14, 32, tzinfo=CST)


# ---------------------------------------------------------------- waybills


def sample_waybill(**changes):
    from dataclasses import replace

    from station.printing.documents.waybill import Contact, Waybill

    waybill = Waybill(
        courier_code="ZTO",
        courier_name="中通快递",
        tracking_no="75312345678901",
        routing_code="351-W2 08",
        sorting_area="杭州转运中心",
        recipient=Contact(
            name="欧阳晓明",
            phone="13812341234",
            province="浙江省",
            city="杭州市",
            district="西湖区",
            street="文三路 478 号华星时代广场 A 座 1203 室",
        ),
        sender=Contact(
            name="小满服饰旗舰店",
            phone="0571-8888 6666",
            province="浙江省",
            city="杭州市",
            district="余杭区",
            street="仓前街道良睦路 1399 号 3 号仓",
        ),
        item_summary="TS01-RD-M ×2, NB-001 ×1",
        order_no="3712345678901234567",
        printed_at=PRINTED_AT,
        parcel_no=1,
        parcel_count=2,
    )
    return replace(waybill, **changes)


def waybill_documents():
    from station.printing.documents.waybill import SIZES, render_waybill

    cod = sample_waybill(
        tracking_no="SF1402345678901",
        courier_code="SF",
        courier_name="顺丰速运",
        routing_code="571WA-020",
        cod_amount=Decimal("1280.00"),
        reprint=True,
    )
    for size in SIZES:
        yield "waybill", size, render_waybill(sample_waybill(), size=size)
        yield "waybill-cod-reprint", size, render_waybill(cod, size=size)


# ---------------------------------------------------------------- all of them


def documents():
    yield from waybill_documents()


def slug(size: PageSize) -> str:
    return size.name.replace("waybill ", "").replace("label ", "").replace(" ", "")


def render_png(pdf: bytes, path: Path, dpi: int = DPI) -> list[Path]:
    """Every page of `pdf` as PNG: `path` for page 1, `path-2.png` etc. for the rest."""
    document = pypdfium2.PdfDocument(pdf)
    written = []
    try:
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72).to_pil()
            target = path if index == 0 else path.with_name(f"{path.stem}-p{index + 1}.png")
            image.save(target)
            written.append(target)
    finally:
        document.close()
    return written


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, size, pdf in documents():
        for path in render_png(pdf, OUT_DIR / f"{name}-{slug(size)}.png"):
            print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
