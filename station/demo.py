"""The demo warehouse: ~200 bilingual SKUs, bins, stock, users, couriers and a scanner sheet.

It writes ordinary import files into the data folder and imports them through the
same services a person uses, so the demo also proves the import path.
"""
from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from station.catalog.couriers import seed_couriers
from station.catalog.models import Product
from station.db import unit_of_work
from station.i18n import _
from station.imports.service import import_file
from station.scanning import gtin_check_digit_ok

COLOURS = [("红色", "Red", "RD"), ("白色", "White", "WH"), ("黑色", "Black", "BK"), ("藏青", "Navy", "NV")]
SIZES = ["S", "M", "L", "XL"]

CLOTHING = [  # style, zh, en, category, colours, flags
    ("TS01", "纯棉圆领T恤", "Cotton crew-neck T-shirt", "clothing", 3, ""),
    ("TS02", "宽松短袖T恤", "Loose short-sleeve T-shirt", "clothing", 3, ""),
    ("TS03", "条纹长袖T恤", "Striped long-sleeve T-shirt", "clothing", 3, "sale"),
    ("HD01", "连帽卫衣", "Hooded sweatshirt", "clothing", 3, ""),
    ("HD02", "加绒拉链卫衣", "Fleece zip hoodie", "clothing", 3, ""),
    ("JN01", "修身牛仔裤", "Slim-fit jeans", "clothing", 2, ""),
    ("JK01", "轻薄羽绒服", "Light down jacket", "clothing", 3, ""),
    ("UW01", "男士纯棉内裤", "Men's cotton briefs", "underwear", 3, "hygiene"),
    ("UW02", "女士无痕内衣", "Women's seamless bra", "underwear", 3, "hygiene"),
    ("SK01", "运动棉袜", "Cotton sports socks", "underwear", 2, "hygiene"),
]
STATIONERY = [
    ("NB", "A5线圈笔记本", "A5 spiral notebook", 6, 24),
    ("PN", "中性笔0.5mm", "Gel pen 0.5 mm", 6, 12),
    ("HL", "荧光笔", "Highlighter", 5, 10),
    ("ST", "便利贴", "Sticky notes", 4, 20),
    ("PC", "铅笔盒", "Pencil case", 4, 0),
]
COSMETICS = [
    ("LS", "丝绒哑光口红", "Velvet matte lipstick", 8, "fragile"),
    ("FC", "保湿面霜50ml", "Moisturising cream 50 ml", 3, "fragile"),
    ("MK", "补水面膜(片)", "Hydrating sheet mask", 4, ""),
    ("SP", "旅行装洗发水", "Travel-size shampoo", 3, "gift"),
    ("HC", "护手霜", "Hand cream", 4, "sale"),
]
USERS = [
    ("张伟", "U-1001", "packer"),
    ("李娜", "U-1002", "receiver;counter"),
    ("王芳", "U-1003", "returns"),
    ("刘洋", "U-1004", "supervisor;admin;counter"),
    ("Tom", "U-1005", "packer;receiver"),
]
SPECIAL_LOCATIONS = [("RECV-01", "receiving", "IN"), ("QC-01", "quarantine", "QC"), ("PACK-01", "packing", "OUT"),
                     ("PACK-02", "packing", "OUT"), ("RET-01", "returns", "RET"), ("SCRAP-01", "scrap", "RET")]


def ean13(serial: int) -> str:
    body = f"69{12345:05d}{serial:05d}"
    for d in "0123456789":
        if gtin_check_digit_ok(body + d):
            return body + d
    raise AssertionError("no check digit")  # pragma: no cover


def demo_products() -> list[dict]:
    rows, serial = [], 0

    def add(**row):
        nonlocal serial
        serial += 1
        row.setdefault("barcodes", ean13(serial))
        rows.append(row)

    for style, zh, en, cat, ncol, flags in CLOTHING:
        for zh_c, en_c, cc in COLOURS[:ncol]:
            for size in SIZES:
                add(sku=f"{style}-{cc}-{size}", style=style, name=zh, name_en=en, colour=zh_c, size=size,
                    category=cat, flags=flags, weight_g=180 if cat == "underwear" else 350,
                    reorder_point=5, supplier="杭州织造有限公司",
                    unit_cost=f"{(45 if cat == 'underwear' else 68) + 10 * SIZES.index(size)}.00")
    for prefix, zh, en, n, case in STATIONERY:
        for i in range(1, n + 1):
            colour = COLOURS[i % 4]
            sku = f"{prefix}-{i:03d}"
            add(sku=sku, style=prefix, name=f"{zh} {i}号", name_en=f"{en} #{i}", colour=colour[0], size="",
                category="stationery", flags="", weight_g=60, reorder_point=20, supplier="宁波文具厂",
                unit_cost=f"{2 + i % 5}.50")
            if case:
                rows[-1]["barcodes"] += f";{ean13(5000 + serial)}*{case}"
    for prefix, zh, en, n, flags in COSMETICS:
        for i in range(1, n + 1):
            add(sku=f"{prefix}-{i:02d}", style=prefix, name=f"{zh} #{i:02d}", name_en=f"{en} #{i:02d}",
                colour="", size="", category="cosmetics", flags=flags, weight_g=80, reorder_point=10,
                supplier="上海美妆供应链", unit_cost=f"{25 + 5 * i}.00")
    # Fill up to 200 SKUs with more sock colours and sizes, as real catalogs grow.
    extra = 0
    while len(rows) < 200:
        extra += 1
        add(sku=f"SK02-{extra:02d}", style="SK02", name=f"船袜 {extra}号", name_en=f"Ankle socks #{extra}",
            colour=COLOURS[extra % 4][0], size="均码", category="underwear", flags="hygiene", weight_g=40,
            reorder_point=10, supplier="杭州织造有限公司", unit_cost="6.00")
    return rows


def demo_bins() -> list[tuple[str, str, str]]:
    bins = [(f"{zone}-{aisle:02d}-{section:02d}-{level:02d}", "stock", zone)
            for zone in "ABC" for aisle in range(1, 5) for section in range(1, 6) for level in range(1, 4)]
    return bins + SPECIAL_LOCATIONS


def _write_csv(path: Path, header: list[str], rows: list[dict] | list[tuple]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow([row.get(h, "") for h in header] if isinstance(row, dict) else row)
    return path


def build_demo(sessions: sessionmaker[Session], *, sheet: Path | None = None, station: str = "demo",
               folder: Path | None = None, progress: Callable[[str], None] = lambda m: None) -> dict:
    """Fill an empty database with the demo warehouse; on a database that has it, only reprint the sheet."""
    from station.db import data_folder

    if folder is None:  # the database's own folder: two demo databases never share their files
        bind = sessions.kw.get("bind")
        folder = data_folder(bind.url.render_as_string(hide_password=False) if bind is not None else None) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    sheet = sheet or folder / "scanner-sheet.pdf"
    seed_couriers(sessions)
    with unit_of_work(sessions) as s:
        have = s.scalar(select(func.count()).select_from(Product))
    result = {"folder": str(folder), "sheet": str(sheet)}
    products = demo_products()
    bins = demo_bins()
    if have:
        progress(_("The database already has {n} products: keeping them, reprinting the sheet only", n=have))
        result["imported"] = {}
    else:
        rng = random.Random(20261111)
        stock_bins = [b for b in bins if b[1] == "stock"]
        stock = []
        for i, p in enumerate(products):
            for b in rng.sample(stock_bins[(i % 60):] + stock_bins[: (i % 60)], k=1 + (i % 3 == 0)):
                stock.append((p["sku"], b[0], rng.randint(3, 60)))
        files = {
            "products": _write_csv(folder / "products.csv",
                                   ["sku", "style", "name", "name_en", "colour", "size", "category", "flags",
                                    "weight_g", "reorder_point", "supplier", "barcodes", "unit_cost"], products),
            "locations": _write_csv(folder / "locations.csv", ["code", "kind", "zone"], bins),
            "users": _write_csv(folder / "users.csv", ["name", "badge", "roles"], USERS),
            "stock": _write_csv(folder / "stock.csv", ["sku", "location", "qty"], stock),
        }
        result["imported"] = {}
        for kind in ("products", "locations", "users", "stock"):
            progress(_("Importing {kind}…", kind=kind))
            report = import_file(sessions, kind, files[kind], user="demo", station=station)
            if not report.ok:  # pragma: no cover - the demo files are ours
                raise RuntimeError(f"demo {kind}: {report.as_dict()['rejected'][:3]}")
            result["imported"][kind] = report.created
        result["imported"]["orders"] = _demo_orders(sessions, folder, products, progress)
        result["imported"]["po"] = _demo_po(sessions, folder, progress)
    sheet.write_bytes(render_demo_sheet(products, bins))
    progress(_("Scanner sheet written to {path}", path=str(sheet)))
    return result


RECIPIENTS = [("王小明", "13812345678", "广东省", "广州市", "越秀区", "中山五路33号"),
              ("李雷", "13900001111", "浙江省", "杭州市", "西湖区", "文三路100号 2单元501"),
              ("韩梅梅", "13700002222", "北京市", "北京市", "朝阳区", "建国路1号 国贸大厦"),
              ("周杰", "13600003333", "上海市", "上海市", "浦东新区", "世纪大道8号"),
              ("吴芳", "13500004444", "四川省", "成都市", "武侯区", "人民南路四段4号"),
              ("Emma Li", "+86 186 0000 5555", "江苏省", "南京市", "玄武区", "中山路1号")]
DEMO_ORDERS = 20


def _demo_orders(sessions, folder: Path, products: list[dict], progress) -> int:
    """Twenty orders to pack (some with gifts, a buyer message, a case), sender address and waybill pools."""
    from station.db import unit_of_work
    from station.fulfilment.orders import import_orders
    from station.fulfilment.waybills import add_numbers, number_range
    from station.settings import Setting

    rng = random.Random(1111)
    header = ["order_no", "shop", "buyer_account", "recipient", "phone", "province", "city", "district",
              "address", "courier", "sku", "qty", "gift", "paid_at", "buyer_message"]
    rows = []
    clothes = [p["sku"] for p in products if p["category"] == "clothing"]
    for n in range(1, DEMO_ORDERS + 1):
        who = RECIPIENTS[n % len(RECIPIENTS)]
        base = dict(zip(header, [f"DEMO-{1000 + n}", "Station 演示店", f"tb_buyer{n}", *who,
                                 "SF" if n % 3 else "ZTO"]))
        base["paid_at"] = f"2026-11-{10 + n % 10:02d} {8 + n % 12:02d}:15:00"
        base["buyer_message"] = "请开发票，抬头：杭州小蜜蜂科技有限公司" if n == 7 else ""
        for sku in rng.sample(clothes, k=1 + n % 3):
            rows.append({**base, "sku": sku, "qty": 1 + (n % 4 == 0), "gift": ""})
        if n % 5 == 0:
            rows.append({**base, "sku": "SP-01", "qty": 1, "gift": "1"})
        if n == 10:
            rows.append({**base, "sku": "NB-001", "qty": 24, "gift": ""})
    path = _write_csv(folder / "orders.csv", header, rows)
    progress(_("Importing {kind}…", kind="orders"))
    report = import_orders(sessions, path, "generic", user="demo")
    with unit_of_work(sessions) as s:
        add_numbers(s, "SF", number_range("SF", 100000000000, 500, 13))
        add_numbers(s, "ZTO", number_range("7", 30000000000, 500, 11))
        for key, value in {"sender.name": "Station 演示仓库", "sender.phone": "0571-88886666",
                           "sender.province": "浙江省", "sender.city": "杭州市", "sender.district": "余杭区",
                           "sender.street": "仓前街道文一西路1号 3号仓"}.items():
            if s.get(Setting, key) is None:
                s.add(Setting(key=key, value=value))
        s.commit()
    return report.created


def _demo_po(sessions, folder: Path, progress) -> int:
    """Two purchase orders to receive at the receive bench: clothing, and stationery (notebooks come by the case)."""
    from station.inbound.purchasing import import_po

    rows = [("PO-DEMO-001", "杭州织造有限公司", sku, qty, cost, "2026-11-30")
            for sku, qty, cost in (("TS01-RD-S", 20, "18.50"), ("TS01-RD-M", 20, "18.50"), ("HD01-BK-L", 10, "65.00"))]
    rows += [("PO-DEMO-002", "宁波文具厂", sku, qty, cost, "") for sku, qty, cost in (("NB-001", 48, "3.20"),
                                                                                 ("PN-001", 24, "1.10"))]
    path = _write_csv(folder / "po.csv", ["po_no", "supplier", "sku", "qty", "unit_cost", "expected_date"], rows)
    progress(_("Importing {kind}…", kind="po"))
    return import_po(sessions, path, user="demo").created


def render_demo_sheet(products: list[dict], bins: list[tuple[str, str, str]]) -> bytes:
    from station.printing.documents.scanner_sheet import ScannerSheet, SheetEntry, render_scanner_sheet
    from station.scanning import COMMAND_PREFIX, SCANNER_SETUP_CODE

    role_names = {"packer": "打包员", "receiver": "入库员", "counter": "盘点员", "returns": "售后",
                  "office": "打单员", "supervisor": "主管", "admin": "管理员"}
    badges = [SheetEntry(f"{name} ({'/'.join(role_names[r] for r in roles.split(';'))})", badge)
              for name, badge, roles in USERS]
    commands = [SheetEntry(f"{zh} {cmd}", f"{COMMAND_PREFIX}{cmd}") for cmd, zh in (
        ("DONE", "完成"), ("CANCEL", "取消"), ("UNDO", "撤销"), ("SHORT", "缺货"), ("REPRINT", "重打"),
        ("NEW_PARCEL", "新包裹"), ("WEIGH", "称重"), ("CONFIRM", "确认"), ("LOGOUT", "退出登录"),
        ("EMPTY", "空库位"), ("RECOUNT", "复盘"), ("APPROVE", "审批"), ("BLIND", "无单收货"))]
    commands.append(SheetEntry("扫描枪设置 Scanner setup", SCANNER_SETUP_CODE))
    samples = [products[i] for i in (0, 1, 5, 84, 90, 130, 150, 170, 190)]
    product_entries = [SheetEntry(f"{p['sku']} {p['name']} {p['colour']} {p['size']}".strip(),
                                  p["barcodes"].split(";")[0]) for p in samples]
    cases = [p for p in products if "*" in p["barcodes"]][:2]
    product_entries += [SheetEntry(f"{p['sku']} 整箱 ×{p['barcodes'].split('*')[1]}",
                                   p["barcodes"].split(";")[1].split("*")[0]) for p in cases]
    product_entries.append(SheetEntry(f"{samples[0]['sku']} SKU (Code128)", samples[0]["sku"]))
    locations = [SheetEntry(code, code) for code, _k, _z in bins[:4] + bins[-6:]]
    slips = [SheetEntry(f"发货单 Packing slip DEMO-{1000 + n}", f"PS:DEMO-{1000 + n}") for n in range(1, 7)]
    return render_scanner_sheet(ScannerSheet(
        title="Station 演示仓库 扫描卡 / Demo warehouse scanner sheet",
        sections=[("工牌 Badges", badges), ("命令 Commands", commands),
                  ("商品 Products", product_entries), ("库位 Locations", locations),
                  ("订单 Orders", slips)],
    ))
