"""How fast a large generic order file parses: ``python -m station.perf.orders [LINES]``.

Target: importing 100,000 order lines in at most 20 s including the database write, so parsing
alone should take a small fraction of that.
"""
from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

from station.fulfilment.parsers import parse_orders

HEADER = ("order_no", "shop", "buyer_account", "recipient", "phone", "province", "city", "district", "address",
          "courier", "sku", "qty", "unit_price", "paid_at", "buyer_message", "seller_memo", "gift", "status",
          "tracking_no", "shipped_at", "delivered_at")
PLACES = (("广东省", "广州市", "越秀区"), ("浙江省", "杭州市", "西湖区"), ("上海", "上海市", "浦东新区"),
          ("北京", "北京市", "朝阳区"), ("四川省", "成都市", "武侯区"), ("江苏省", "南京市", "玄武区"))
SKUS = tuple(f"TS-{c}-{s}" for c in ("RED", "WHT", "BLK", "BLU") for s in ("S", "M", "L", "XL")) + (
    "CUP-WHT-500", "HAT-BLU-F", "BAG-CNV", "SOCK-GRY", "TOWEL-BEI")


def write_sample(path: Path, lines: int, seed: int = 7) -> int:
    """A realistic generic order CSV with ``lines`` order lines (1-4 per order); returns the orders."""
    rnd = random.Random(seed)
    orders = 0
    written = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        while written < lines:
            orders += 1
            province, city, district = rnd.choice(PLACES)
            shipped = rnd.random() < 0.1
            order = [f"B{orders:07d}", "小鹿家居旗舰店", f"buyer_{rnd.randrange(10**6)}", "张小红",
                     f"138{rnd.randrange(10**8):08d}", province, city, district, f"中山五路{rnd.randrange(1, 999)}号",
                     "SF" if shipped else "", None, None, None,
                     f"2024-05-{rnd.randrange(1, 29):02d} {rnd.randrange(24):02d}:{rnd.randrange(60):02d}:00",
                     "请尽快发货，谢谢" if rnd.random() < 0.2 else "", "", None, "shipped" if shipped else "",
                     f"SF{rnd.randrange(10**12):012d}" if shipped else "", "2024-05-29 10:00:00" if shipped else "", ""]
            for n in range(min(rnd.randint(1, 4), lines - written)):
                row = list(order)
                row[10], row[11] = rnd.choice(SKUS), str(rnd.randint(1, 3))
                row[12], row[16] = f"{rnd.randrange(990, 19900) / 100:.2f}", "1" if n == 3 else ""
                w.writerow(row)
                written += 1
    return orders


def parse_rate(lines: int = 100_000) -> dict:
    """Generate ``lines`` order lines in a temporary folder and time ``parse_orders`` on them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.csv"
        orders = write_sample(path, lines)
        size = path.stat().st_size
        started, cpu = time.perf_counter(), time.process_time()
        result = parse_orders(path, "generic")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if result.errors:
        raise AssertionError(f"the sample should parse cleanly: {result.errors[:3]}")
    assert len(result.orders) == orders and result.rows == lines
    return {"lines": lines, "orders": orders, "bytes": size, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
            "lines_per_second": round(lines / seconds) if seconds else None}




# ---- every shop format: the same orders written as each platform exports them ------------------

def _sample_orders(lines: int, seed: int = 7):
    """(order_no, [(sku, qty, price)], place, paid) for ``lines`` order lines, 1-4 per order."""
    rnd = random.Random(seed)
    written, n = 0, 0
    while written < lines:
        n += 1
        items = [(rnd.choice(SKUS), rnd.randint(1, 3), f"{rnd.randrange(990, 19900) / 100:.2f}")
                 for _i in range(min(rnd.randint(1, 4), lines - written))]
        written += len(items)
        yield (f"{35153131473000000 + n}", items, rnd.choice(PLACES),
               f"2024-05-{rnd.randrange(1, 29):02d} {rnd.randrange(24):02d}:{rnd.randrange(60):02d}:00")


def write_platform_sample(fmt: str, folder: Path, lines: int) -> Path:
    """A file of ``lines`` order lines as ``fmt`` exports them (Taobao: the order and item reports)."""
    if fmt == "generic":
        write_sample(folder / "orders.csv", lines)
        return folder / "orders.csv"
    if fmt == "taobao":
        orders_path, items_path = folder / "ExportOrderList1.csv", folder / "ExportOrderDetailList1.csv"
        with orders_path.open("w", encoding="gb18030", newline="") as fo, \
                items_path.open("w", encoding="gb18030", newline="") as fi:
            wo, wi = csv.writer(fo), csv.writer(fi)
            wo.writerow(["订单编号", "买家会员名", "订单状态", "收货人姓名", "收货地址 ", "联系手机", "订单付款时间 ", "店铺名称"])
            wi.writerow(["订单编号", "标题", "价格", "购买数量", "商品属性", "订单状态", "商家编码"])
            for no, items, (p, c, d), paid in _sample_orders(lines):
                wo.writerow([f'="{no}"', "tb_buyer", "买家已付款，等待卖家发货", "张小红", f"{p} {c} {d} 中山五路33号(510180)",
                             "'13800001234", paid, "小鹿家居旗舰店"])
                for sku, qty, price in items:
                    wi.writerow([f'="{no}"', "纯棉短袖T恤", price, qty, "颜色分类：红色;尺码：XL", "买家已付款，等待卖家发货", sku])
        return orders_path
    if fmt == "shopify":
        from station.fulfilment.parsers.shopify import OPTIONAL, REQUIRED

        header = list(REQUIRED + OPTIONAL)
        path = folder / "orders_export.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for no, items, (_p, c, _d), paid in _sample_orders(lines):
                for i, (sku, qty, price) in enumerate(items):
                    row = dict.fromkeys(header, "")
                    row.update({"Name": f"#{no}", "Created at": paid + " +0800", "Lineitem quantity": qty,
                                "Lineitem name": "Classic Tee - Red / M", "Lineitem price": price, "Lineitem sku": sku,
                                "Lineitem requires shipping": "true"})
                    if i == 0:
                        row.update({"Financial Status": "paid", "Fulfillment Status": "unfulfilled",
                                    "Paid at": paid + " +0800", "Shipping Name": "Anna Keller",
                                    "Shipping Address1": "Rheinweg 12", "Shipping City": c, "Shipping Zip": "'4001",
                                    "Shipping Country": "CH", "Shipping Phone": "+41 61 555 01 23"})
                    w.writerow([row[h] for h in header])
        return path
    from importlib import import_module

    spec = import_module(f"station.fulfilment.parsers.{fmt}").SPEC
    values = {"status": {"jd": "等待出库", "pdd": "待发货", "douyin": "待发货", "woocommerce": "processing"}.get(fmt, ""),
              "recipient": "张小红", "phone": "13800001234-5678", "street": "中山五路33号", "address": "中山五路33号",
              "listing": "纯棉短袖T恤", "variant": "颜色：红色;尺码：XL", "after_sale": "", "buyer_message": ""}
    header = [names[0] for names in spec.columns.values()]
    path = folder / f"{fmt}.{'txt' if spec.delimiter == chr(9) else 'csv'}"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=spec.delimiter or ",")
        w.writerow(header)
        for no, items, (p, c, d), paid in _sample_orders(lines):
            for sku, qty, price in items:
                row = dict(values, order_no=no, sku=sku, qty=str(qty), price=price, paid_at=paid, created_at=paid,
                           province=p, city=c, district=d, address_full=f"{p}{c}{d}中山五路33号")
                w.writerow([row.get(ours, "") for ours in spec.columns])
    return path


def import_rate(fmt: str, lines: int = 100_000) -> dict:
    """Parse and import ``lines`` order lines of ``fmt`` into a fresh SQLite database (its SKUs known)."""
    from station.catalog.models import Product
    from station.db import open_database, unit_of_work
    from station.fulfilment.orders import import_orders

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        engine, sessions = open_database(f"sqlite:///{folder / 'station.db'}")
        with unit_of_work(sessions) as s:
            s.add_all([Product(sku=sku, name=sku) for sku in SKUS])
            s.commit()
        path = write_platform_sample(fmt, folder, lines)
        started = time.perf_counter()
        report = import_orders(sessions, path, fmt)
        seconds = time.perf_counter() - started
        engine.dispose()
    if not report.ok:
        raise AssertionError(f"the {fmt} sample should import: {report.as_dict()['rejected'][:3]}")
    return {"format": fmt, "lines": lines, "orders": report.orders, "seconds": round(seconds, 2)}


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].isdigit():  # python -m station.perf.orders FORMAT [LINES]
        print(import_rate(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100_000))
    else:
        print(parse_rate(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
