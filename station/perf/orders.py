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


if __name__ == "__main__":
    print(parse_rate(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
