"""Pack the first N ready demo orders on the pack bench, through the bench itself (for the handover screenshots).

    python scripts/pack_demo_orders.py DEMO.db N    # prints how many were packed
"""
import sqlite3, sys
from station.db import open_database
from station.workflows.runner import BenchRunner

db, n = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db)
orders = [r[0] for r in con.execute("select order_no from shop_order where status='ready' and courier is not null "
                                    "order by id")]
engine, sessions = open_database(f"sqlite:///{db}")
runner = BenchRunner(sessions, "pack", "pack-1")
runner.login("张伟")
packed = 0
for order in orders:
    if packed >= n:
        break
    lines = con.execute("select (select b.code from barcode b join product p on p.id=b.product_id where p.sku=l.sku "
                        "and b.pack_qty=1 limit 1), l.qty from order_line l join shop_order o on o.id=l.order_id "
                        "where o.order_no=?", (order,)).fetchall()
    codes = [runner.process(f"PS:{order}")[1].code]
    for code, qty in lines:
        for _ in range(qty):
            codes.append(runner.process(code)[1].code)
    last = codes[-1]
    if last == "scan_waybill":
        tracking = con.execute("select p.tracking_no from parcel p join shop_order o on o.id=p.order_id "
                               "where o.order_no=?", (order,)).fetchone()
        codes.append(runner.process(tracking[0])[1].code if tracking else "?")
    if codes[-1] != "order_packed":
        codes.append(runner.process("CMD-CONFIRM")[1].code)
        codes.append(runner.process("CMD-CANCEL")[1].code)
    else:
        packed += 1
    print(order, codes, file=sys.stderr)
runner.wait_printing(30)
print(packed)
