"""Benchmark of return matching (issue 7), for ``station bench --only returns``.

One match (``match_note``: key lookups, candidates weighed clue by clue, the decision) against
200,000 shipped orders on SQLite, all shipped within the matching window (the worst case).
Notes are written as customers write them: the name, a homophone typo or pinyin; the phone
with +86 or dashes, or its last four digits; sometimes the account ID or an order number.
Target: p99 <= 50 ms.
"""
from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert

from station.db import open_database, unit_of_work
from station.fulfilment.models import Order, OrderLine
from station.fulfilment.shipped_index import index_orders
from station.returns.matching import match_note
from station.returns.note import ReturnNote

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "小红", "志强", "海燕", "婷", "雪", "建国",
         "晓东", "丹", "鹏", "浩", "宇", "欣怡", "子涵", "梓轩", "思远", "佳琪", "俊杰", "雨欣", "嘉怡", "一鸣", "晨"]
TYPOS = {"伟": "玮", "芳": "方", "静": "晶", "丽": "莉", "军": "君", "洋": "阳", "杰": "洁", "明": "铭", "涛": "滔"}


def _load(url: str, orders: int, rng: random.Random, now: datetime) -> list[dict]:
    engine, sessions = open_database(url)
    people = []
    with unit_of_work(sessions) as s:
        rows = []
        for i in range(orders):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
            r = rng.random()
            shown = phone if r < 0.65 else (f"{phone[:3]}****{phone[-4:]}" if r < 0.88
                                            else f"1{rng.randrange(10**10):010d}-{rng.randint(1000, 9999)}")
            account = f"tb_{i:07d}" if rng.random() < 0.8 else None
            shipped = now - timedelta(days=rng.uniform(1, 55))
            rows.append(dict(id=i + 1, order_no=f"R{i:09d}", shop="基准店", buyer_account=account, recipient=name, phone=shown,
                             address="幸福路1号", status="shipped", fingerprint="-", courier="SF",
                             tracking_no=f"SF{i:012d}", shipped_at=shipped, paid_at=shipped - timedelta(days=1),
                             imported_at=now, version=1))
            people.append(dict(order_no=rows[-1]["order_no"], name=name, phone=phone, account=account,
                               shipped=shipped))
        for start in range(0, len(rows), 5000):
            chunk = rows[start:start + 5000]
            s.execute(insert(Order), chunk)
            ids = [row["id"] for row in chunk]
            s.execute(insert(OrderLine), [dict(order_id=oid, line_no=1, sku=f"B-{n % 2000:05d}", qty=1, gift=False)
                                          for n, oid in enumerate(ids, start=start)])
            index_orders(s, ids)
        s.commit()
    engine.dispose()
    return people


def _note(p: dict, rng: random.Random) -> dict:
    name = p["name"]
    r = rng.random()
    if r < 0.25:
        name = "".join(TYPOS.get(c, c) for c in name)
    elif r < 0.4:
        from pypinyin import lazy_pinyin

        syll = lazy_pinyin(name)
        name = f"{syll[0].capitalize()} {''.join(syll[1:]).capitalize()}"
    phone = p["phone"]
    phone = rng.choice([phone, f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}",
                        phone[-4:]])
    note = {"name": name, "phone": phone, "received_at": (p["shipped"] + timedelta(days=5)).isoformat()}
    if p["account"] and rng.random() < 0.3:
        note["account"] = p["account"]
    if rng.random() < 0.2:
        note["order_no"] = p["order_no"]
    return note


def match_figure(orders: int = 200_000, notes: int = 1000) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="station-returns-"))
    url = f"sqlite:///{folder / 'returns.db'}"
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    people = _load(url, orders, rng, now)
    load_s = time.perf_counter() - t0
    engine, sessions = open_database(url)
    sample = [(ReturnNote.from_dict(_note(p, rng)), p["order_no"]) for p in rng.sample(people, notes)]
    timings, confident, wrong = [], 0, 0
    with unit_of_work(sessions) as s:
        match_note(s, sample[0][0])  # warm the caches once, as a running station would be
        for note, order_no in sample:
            t = time.perf_counter()
            result = match_note(s, note)
            timings.append(time.perf_counter() - t)
            confident += result.confident
            wrong += result.confident and result.top.order_no != order_no
    engine.dispose()
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    timings.sort()
    return {"figure": "returns_match_one_note_p99", "value": round(timings[int(len(timings) * 0.99) - 1] * 1000, 2),
            "unit": "ms", "target": "<= 50", "p50_ms": round(statistics.median(timings) * 1000, 2),
            "max_ms": round(timings[-1] * 1000, 2), "orders": orders, "notes": notes,
            "confident_share": round(confident / notes, 3), "confident_wrong": wrong, "load_s": round(load_s, 1)}


def run(quick: bool = False):
    yield match_figure(20_000 if quick else 200_000, 200 if quick else 1000)
