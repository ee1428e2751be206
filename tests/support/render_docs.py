"""Render every document from realistic invented data into docs/documents/<doc>-<size>.png.

    .venv/bin/python -m tests.support.render_docs [NAME...]

(with names, only the documents whose name starts with one of them: ``command-sheet``). The
command sheet is rendered at 203 dpi, what a bench's thermal printer prints, the rest at 150.

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
PRINTER_DPI = {"command-sheet": 203}  # documents shown at a printer's own resolution
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


LONG_STREET = ("文三路 478 号华星时代广场 A 座 1203 室（工作日请送到前台，周末放东门快递柜，"
               "到了请先打电话；如无人接听请联系物业 Building management office）")


def waybill_documents():
    from dataclasses import replace

    from station.printing.documents.waybill import SIZES, render_waybill

    cod = sample_waybill(
        tracking_no="SF1402345678901",
        courier_code="SF",
        courier_name="顺丰速运",
        routing_code="571WA-020",
        cod_amount=Decimal("1280.00"),
        reprint=True,
    )
    crowded = sample_waybill(
        recipient=replace(sample_waybill().recipient, street=LONG_STREET),
        item_summary=", ".join(f"TS{n:02d}-RD-{'SMLX'[n % 4]} ×{n % 3 + 1}" for n in range(14)),
    )
    for size in SIZES:
        yield "waybill", size, render_waybill(sample_waybill(), size=size)
        yield "waybill-cod-reprint", size, render_waybill(cod, size=size)
        yield "waybill-long-address", size, render_waybill(crowded, size=size)


# ---------------------------------------------------------------- packing slips


def sample_packing_slip(line_count: int = 4, **changes):
    from dataclasses import replace

    from station.printing.documents.packing_slip import PackingSlip, SlipLine

    catalogue = [
        SlipLine("TS01-RD-M", "纯棉圆领短袖T恤 Cotton crew-neck tee", "红色 Red", "M", 2),
        SlipLine("NB-001", "牛皮纸笔记本 A5 Kraft notebook", "原色 Natural", "A5", 1),
        SlipLine("JK22-KH-XL", "工装夹克（加绒款）Work jacket, fleece-lined", "卡其 Khaki", "XL", 1),
        SlipLine("SOCK-3P-GY", "中筒袜三双装 Crew socks 3-pack", "灰色 Grey", "均码 One size", 1),
        SlipLine("CUP-500-WH", "不锈钢保温杯 500ml Vacuum cup", "白色 White", "500ml", 1),
        SlipLine("HAT-BL-F", "渔夫帽 Bucket hat", "蓝色 Blue", "F", 1),
    ]
    lines = [catalogue[n % len(catalogue)] for n in range(line_count)]
    lines.append(SlipLine("GIFT-BAG", "帆布收纳袋 Canvas pouch", "米色 Beige", "", 1, gift=True))
    slip = PackingSlip(
        shop_name="小满服饰旗舰店 Xiaoman Apparel",
        order_no="3712345678901234567",
        recipient=sample_waybill().recipient,
        lines=tuple(lines),
        total_qty=sum(line.qty for line in lines),
        paid_at=PRINTED_AT - timedelta(hours=3, minutes=12),
        buyer_message="麻烦发顺丰，周五前要用，谢谢！<急>",
        seller_memo="老客户，送收纳袋；T恤已核对尺码",
        return_address="浙江省 杭州市 余杭区 仓前街道良睦路 1399 号 3 号仓 退货组 0571-8888 6666",
    )
    return replace(slip, **changes)


def packing_slip_documents():
    from station.printing.documents.packing_slip import SIZES, render_packing_slip

    for size in SIZES:
        yield "packing-slip", size, render_packing_slip(sample_packing_slip(), size=size)
    yield "packing-slip-long", SIZES[0], render_packing_slip(sample_packing_slip(40))


# ---------------------------------------------------------------- labels


def sample_product_labels():
    from station.printing.documents.labels import ProductLabel

    return [
        ProductLabel("TS01-RD-M", "纯棉圆领短袖T恤 Cotton crew-neck tee", "6901234567892",
                     "红色 Red", "M"),
        ProductLabel("NB-001", "牛皮纸笔记本 Kraft notebook", "NB-001", "原色", "A5"),
    ]


def sample_location_labels():
    from station.printing.documents.labels import LocationLabel

    return [
        LocationLabel("A-01-02-03", "A区 服装 Zone A · Apparel", "拣货位 Pick face"),
        LocationLabel("R-00-00-01", "退货区 Returns", "退货暂存 Unidentified returns shelf"),
    ]


def label_documents():
    from station.printing.documents.labels import (
        LOCATION_SIZES,
        PRODUCT_SIZES,
        render_location_label,
        render_product_label,
    )

    gtin, sku = sample_product_labels()
    for size in PRODUCT_SIZES:
        yield "product-label-ean13", size, render_product_label(gtin, size=size)
        yield "product-label-code128", size, render_product_label(sku, size=size)
    for size in LOCATION_SIZES:
        yield "location-label", size, render_location_label(sample_location_labels()[0], size=size)


# ---------------------------------------------------------------- pick list, handover


def sample_pick_list(line_count: int = 9, with_orders: bool = True):
    from collections import defaultdict

    from station.printing.documents.pick_list import OrderQty, PickLine, PickList, SkuTotal

    products = [
        ("TS01-RD-M", "纯棉圆领短袖T恤 Cotton crew-neck tee", "红色 Red", "M"),
        ("TS01-BK-L", "纯棉圆领短袖T恤 Cotton crew-neck tee", "黑色 Black", "L"),
        ("NB-001", "牛皮纸笔记本 Kraft notebook", "原色 Natural", "A5"),
        ("JK22-KH-XL", "工装夹克（加绒款）Work jacket, fleece-lined", "卡其 Khaki", "XL"),
        ("SOCK-3P-GY", "中筒袜三双装 Crew socks 3-pack", "灰色 Grey", "均码"),
        ("CUP-500-WH", "不锈钢保温杯 500ml Vacuum cup", "白色 White", "500ml"),
    ]
    lines = []
    for n in range(line_count):
        sku, name, colour, size = products[n % len(products)]
        orders = tuple(OrderQty(f"240618-{(n * 3 + k) % 97 + 1:04d}", k + 1)
                       for k in range(n % 3 + 1)) if with_orders else ()
        qty = sum(o.qty for o in orders) if orders else n % 4 + 1
        bin_code = f"{'AB'[n // 12 % 2]}-{n // 6 % 10 + 1:02d}-{n % 6 + 1:02d}-{n % 3 + 1:02d}"
        lines.append(PickLine(bin_code, sku, name, qty, colour, size, orders))
    sums = defaultdict(int)
    for line in lines:
        sums[line.sku] += line.qty
    by_sku = {p[0]: p for p in products}
    totals = tuple(SkuTotal(sku, by_sku[sku][1], qty, by_sku[sku][2], by_sku[sku][3])
                   for sku, qty in sorted(sums.items()))
    orders = {o.order_no for line in lines for o in line.orders}
    return PickList(
        batch_no="PB-20240618-07",
        printed_at=PRINTED_AT,
        lines=tuple(lines),
        totals=totals,
        total_qty=sum(line.qty for line in lines),
        order_count=len(orders) or line_count,
        picker="李娜",
    )


def pick_list_documents():
    from station.printing.documents.pick_list import render_pick_list
    from station.printing.units import A4

    yield "pick-list", A4, render_pick_list(sample_pick_list())
    yield "pick-list-long", A4, render_pick_list(sample_pick_list(60))


def sample_handover(parcel_count: int = 12, with_weight: bool = True):
    from station.printing.documents.handover import Handover, HandoverParcel

    parcels = tuple(
        HandoverParcel(
            f"7531{2345678901 + n * 7919:010d}",
            f"37123456789012{n:05d}",
            Decimal("0.35") + Decimal(n % 7) / 10 if with_weight and n % 5 != 3 else None,
        )
        for n in range(parcel_count)
    )
    weights = [p.weight_kg for p in parcels if p.weight_kg is not None]
    return Handover(
        handover_no="HO-20240618-ZTO-02",
        courier_name="中通快递 ZTO Express（余杭仓前网点）",
        handed_over_at=PRINTED_AT + timedelta(hours=2),
        parcels=parcels,
        parcel_count=len(parcels),
        total_weight_kg=sum(weights, Decimal(0)) if weights else None,
        warehouse="小满服饰 杭州余杭仓 Hangzhou Yuhang warehouse",
    )


def handover_documents():
    from station.printing.documents.handover import render_handover
    from station.printing.units import A4

    yield "handover", A4, render_handover(sample_handover())
    yield "handover-long", A4, render_handover(sample_handover(70))


# ---------------------------------------------------------------- the other benches' documents


def bench_documents():
    """Receiving note, count sheet, variance and write-off reports, requisition, monthly summary,
    return receipt and refusal note: from the same samples their tests read back."""
    from dataclasses import dataclass

    from station.printing.documents.monthly_summary import render_monthly_summary
    from station.printing.documents.receiving_note import render_receiving_note
    from station.printing.documents.requisition import render_requisition_document
    from station.printing.documents.return_receipt import (RefusalNote, ReturnReceiptDoc, ReturnReceiptLine,
                                                           render_refusal_note, render_return_receipt)
    from station.printing.documents.stock_count import (render_count_sheet, render_variance_report,
                                                        render_write_off)
    from station.printing.units import A4
    from tests.unit.test_documents_receiving_note import note
    from tests.unit.test_documents_stock_count import sheet, variances, write_off

    yield "receiving-note", A4, render_receiving_note(note(4))
    yield "count-sheet", A4, render_count_sheet(sheet(20))
    yield "variance-report", A4, render_variance_report(variances(14))
    yield "write-off", A4, render_write_off(write_off())

    @dataclass(frozen=True)
    class Line:
        sku: str
        name: str
        category: str
        on_hand: int
        reorder_point: int
        on_order: int
        suggested: int

    @dataclass(frozen=True)
    class Group:
        supplier: str
        lines: tuple
        suggested: int

    groups = (Group("杭州织造有限公司", (Line("TS01-RD-M", "纯棉圆领T恤 红色 M", "goods", 3, 10, 0, 30),
                                        Line("TS01-BK-L", "纯棉圆领T恤 黑色 L", "goods", 0, 10, 12, 18)), 48),
              Group("义乌包装材料厂", (Line("BAG-30x40", "快递袋 30×40", "packaging", 120, 500, 0, 1000),
                                      Line("GIFT-CARD", "感谢卡 (赠品)", "gift", 40, 100, 0, 200)), 1200))
    yield "requisition", A4, render_requisition_document(groups, "REQ-20261123-01", PRINTED_AT, "李娜")
    rows = (("TS01-RD-M", "纯棉圆领T恤 红色 M", "120", "60", "receipt 60", "95", "ship 93, count_adjustment 2", "85"),
            ("NB-001", "A5 笔记本 横线", "480", "0", "", "312", "ship 300, write_off 12", "168"),
            ("CUP-500-WH", "陶瓷马克杯 500ml 白色", "36", "24", "receipt 23, return_restock 1", "20", "ship 20", "40"))
    yield "monthly-summary", A4, render_monthly_summary(
        "2026-10", datetime(2026, 10, 1, tzinfo=CST), datetime(2026, 11, 1, tzinfo=CST), rows,
        (636, 84, 427, 293), "李娜")
    lines = (ReturnReceiptLine("TS01-RD-M", "纯棉圆领T恤 红色 M", "尺码不合适 size", "7天无理由 · 退货入库 restock",
                               "买家 buyer", "A-01-02-03"),
             ReturnReceiptLine("CUP-500-WH", "陶瓷马克杯 500ml 白色", "破损 damaged in transit",
                               "质量问题 · 隔离 quarantine", "商家 shop", "QUAR-01"))
    yield "return-receipt", A4, render_return_receipt(ReturnReceiptDoc(
        "RET-000017", "3712345678900000007", "YT1000000000001", "tb_wang 王小明", "refund 退款", PRINTED_AT, "周敏",
        lines, "¥128.00", "shop 商家 (quality problem)"))
    yield "refusal-note", A4, render_refusal_note(RefusalNote(
        "RET-000018", "SF1234567890123", PRINTED_AT, "周敏", "到付件拒收 freight collect refused"))


# ---------------------------------------------------------------- the command sheet


def command_sheet_documents():
    """The whole sheet on A4 and the pack bench's card, from the benches' own declarations."""
    from station.documents.commands import sheet_for
    from station.printing.documents.command_sheet import render_command_sheet
    from station.printing.units import A4, LABEL_100x150

    yield "command-sheet", A4, render_command_sheet(sheet_for())
    yield "command-sheet-pack", LABEL_100x150, render_command_sheet(sheet_for(["pack"]), size=LABEL_100x150)


# ---------------------------------------------------------------- all of them


def documents():
    # Waybills are rendered from the demo's own orders (scripts/render_demo_documents.sh): a
    # hand-set routing code here is one no real order has (issue 16).
    yield from packing_slip_documents()
    yield from label_documents()
    yield from pick_list_documents()
    yield from handover_documents()
    yield from bench_documents()
    yield from command_sheet_documents()


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


def main(only: list[str]) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, size, pdf in documents():
        if only and not name.startswith(tuple(only)):
            continue
        dpi = next((d for prefix, d in PRINTER_DPI.items() if name.startswith(prefix)), DPI)
        for path in render_png(pdf, OUT_DIR / f"{name}-{slug(size)}.png", dpi):
            print(path.relative_to(ROOT))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
