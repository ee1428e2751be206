"""How fast Station prints a day's waybills: n 100x180 waybills into one PDF, on one canvas.

`measure_waybills()` is what `station bench` can report. The data is invented but
varied like a real batch: Chinese names and addresses from many provinces (so the font
subset grows the way it does in production), tracking numbers of several couriers,
some with cash on delivery, some reprints.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from reportlab.lib import rl_accel

from station.printing.documents.waybill import Contact, Waybill, render_waybills
from station.printing.units import WAYBILL_100x180

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
_GIVEN = (
    "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲"
    "芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣晨雨婷雪琳晓颖倩琪佳悦子"
    "涵梓萱一诺思睿"
)
_PLACES = (
    ("浙江省", "杭州市", "西湖区", "文三路"), ("浙江省", "宁波市", "鄞州区", "天童南路"),
    ("江苏省", "南京市", "鼓楼区", "中山北路"), ("江苏省", "苏州市", "工业园区", "星湖街"),
    ("广东省", "广州市", "天河区", "天河路"), ("广东省", "深圳市", "南山区", "科技园南区高新南七道"),
    ("北京市", "北京市", "朝阳区", "建国路"), ("上海市", "上海市", "浦东新区", "张杨路"),
    ("四川省", "成都市", "武侯区", "人民南路四段"), ("湖北省", "武汉市", "洪山区", "珞喻路"),
    ("陕西省", "西安市", "雁塔区", "小寨东路"), ("山东省", "青岛市", "市南区", "香港中路"),
    ("福建省", "厦门市", "思明区", "鹭江道"), ("河南省", "郑州市", "金水区", "花园路"),
    ("湖南省", "长沙市", "岳麓区", "麓山南路"), ("黑龙江省", "哈尔滨市", "南岗区", "西大直街"),
    ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "解放南路"), ("云南省", "昆明市", "五华区", "翠湖南路"),
)
_BUILDINGS = ("小区", "花园", "公寓", "大厦", "广场", "新村", "苑", "家园")
_COURIERS = (("ZTO", "中通快递", "7531"), ("YTO", "圆通速递", "YT88"), ("STO", "申通快递", "7730"),
             ("YD", "韵达快递", "4312"), ("SF", "顺丰速运", "SF14"), ("JD", "京东快递", "JDVA"))
_SKUS = ("TS01-RD-M", "TS01-BK-L", "NB-001", "CUP-500-WH", "SOCK-3P-GY", "HAT-BL-F", "JK22-KH-XL")
_CST = timezone(timedelta(hours=8), "CST")


def sample_waybills(n: int = 1000) -> list[Waybill]:
    """n different waybills, the same n every time (no randomness: reproducible figures)."""
    sender = Contact("小满服饰旗舰店", "0571-8888 6666", "浙江省", "杭州市", "余杭区",
                     "仓前街道良睦路 1399 号 3 号仓")
    start = datetime(2024, 6, 18, 9, 0, tzinfo=_CST)
    waybills = []
    for i in range(n):
        code, name, prefix = _COURIERS[i % len(_COURIERS)]
        province, city, district, road = _PLACES[(i * 7) % len(_PLACES)]
        person = (_SURNAMES[(i * 13) % len(_SURNAMES)] + _GIVEN[(i * 7) % len(_GIVEN)]
                  + (_GIVEN[(i * 11 + 3) % len(_GIVEN)] if i % 3 else ""))
        place = _SURNAMES[(i * 5) % len(_SURNAMES)] + _GIVEN[(i * 3) % len(_GIVEN)]
        street = (f"{road} {(i * 37) % 900 + 1} 号{place}{_BUILDINGS[i % len(_BUILDINGS)]} "
                  f"{i % 30 + 1} 幢 {(i % 6 + 1) * 100 + i % 20 + 1} 室")
        if i % 17 == 0:
            street += "（放快递柜，到了请打电话，谢谢！周末不在家请勿投递）"
        items = ", ".join(f"{_SKUS[(i + k) % len(_SKUS)]} ×{k % 3 + 1}" for k in range(i % 4 + 1))
        waybills.append(Waybill(
            courier_code=code,
            courier_name=name,
            tracking_no=f"{prefix}{i:011d}",
            routing_code=f"{300 + i % 600}-{'ABCDEFGHJK'[i % 10]}{i % 40:02d} {i % 90 + 1:02d}",
            sorting_area=f"{city[:-1] if city.endswith('市') else city}转运中心",
            recipient=Contact(person, f"1{3 + i % 7}{i * 7919 % 10**9:09d}", province, city,
                              district, street),
            sender=sender,
            item_summary=items,
            order_no=f"{3712345678900000000 + i * 7}",
            printed_at=start + timedelta(seconds=7 * i),
            parcel_no=1,
            parcel_count=1 + (i % 9 == 0),
            cod_amount=Decimal(f"{(i % 50) * 10 + 9}.90") if i % 23 == 0 else None,
            reprint=i % 31 == 0,
        ))
    return waybills


def waybill_batch(n: int = 1000) -> bytes:
    """n different 100x180 waybills as ONE PDF of n pages (one canvas for the batch)."""
    return render_waybills(sample_waybills(n), size=WAYBILL_100x180)


def measure_waybills(n: int = 1000) -> dict:
    """Time and peak memory of `waybill_batch(n)`, and whether reportlab's C
    accelerators were in use.

    Two runs, because tracing memory slows Python down several times: `seconds` is an
    untraced run (data preparation included), `peak_mb` the tracemalloc peak of a
    second, traced run — the Python heap the batch allocated at its highest, over what
    was allocated before it started (not the process's resident set).
    """
    waybill_batch(2)  # font registration and first-use caches are not part of a batch
    gc.collect()
    started = time.perf_counter()
    pdf = waybill_batch(n)
    seconds = time.perf_counter() - started

    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        waybill_batch(n)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {
        "waybills": n,
        # reportlab's optional C accelerators (package rl-accel) roughly halve the time.
        "rl_accel": not hasattr(rl_accel, "_py_fp_str"),
        "seconds": round(seconds, 3),
        "per_waybill_ms": round(seconds / n * 1000, 3),
        "peak_mb": round((peak - base) / 2**20, 1),
        "memory_method": "tracemalloc peak (separate traced run), MiB",
        "pdf_mb": round(len(pdf) / 2**20, 2),
    }


def waybill_figure() -> dict:
    result = measure_waybills(1000)
    figure = {"figure": "waybills_100x180_one_pdf", "value": result["seconds"], "unit": "s", "target": "<= 1.5",
              "count": result["waybills"], "peak_mb": result["peak_mb"], "memory": result["memory_method"],
              "rl_accel": result["rl_accel"]}
    # The same 1,000 waybills as HTML through WeasyPrint, in its own process (its own peak memory).
    out = subprocess.run([sys.executable, "-m", "station.perf.waybills_html", "1000"],
                         capture_output=True, text=True, timeout=900)
    if out.returncode == 0:
        html = json.loads(out.stdout.strip().splitlines()[-1])
        figure.update(weasyprint_s=html["seconds"], weasyprint_peak_rss_mb=html["peak_rss_mb"],
                      ratio=round(html["seconds"] / result["seconds"], 1), ratio_target=">= 40")
    else:
        figure["weasyprint"] = "not measured: " + (out.stderr.strip().splitlines() or ["?"])[-1][:200]
    return figure


if __name__ == "__main__":
    print(measure_waybills())
