"""A labelled test set for return matching, generated deterministically from a seed.

``build(seed)`` gives a few thousand shipped orders (written as a generic orders CSV, so they go
through the real import) and return notes, each labelled with the order it truly came from.
The notes are what customers really write: Chinese names, pinyin, homophone typos (张伟 /
Zhang Wei / 张玮), phones with +86, spaces or dashes, only the last four digits; orders
holding masked (138****1234) or virtual numbers; wrong or missing order numbers; family
members sharing a phone; one buyer with several recent orders.
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pypinyin import Style, lazy_pinyin

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭肖田董袁潘蔡蒋余杜叶程苏魏丁姚卢姜崔钟谭陆范金石廖贾夏付方白邹孟熊秦邱江薛段雷侯龙史陶黎贺顾毛郝龚邵钱严武戴莫孔汤")
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "小红", "志强", "海燕", "婷", "雪",
         "建国", "晓东", "丹", "鹏", "浩", "宇", "欣怡", "子涵", "梓轩", "思远", "佳琪", "俊杰", "雨欣", "嘉怡",
         "一鸣", "晨", "凯"]
HOMOPHONES = {"伟": "玮", "芳": "方", "娜": "那", "静": "晶", "丽": "莉", "强": "墙", "磊": "蕾", "军": "君",
              "洋": "阳", "勇": "永", "杰": "洁", "涛": "滔", "明": "铭", "超": "潮", "霞": "侠", "平": "萍",
              "刚": "钢", "敏": "民", "艳": "燕", "娟": "鹃", "文": "雯", "华": "桦", "红": "宏", "婷": "亭",
              "雪": "学", "丹": "单", "鹏": "朋", "浩": "昊", "宇": "雨", "晨": "辰", "凯": "楷", "欣": "心",
              "琪": "琦", "嘉": "佳", "鸣": "明", "远": "源", "英": "瑛", "兰": "岚", "东": "冬", "国": "果"}
CITIES = [("浙江省", "杭州市", "西湖区"), ("江苏省", "南京市", "玄武区"), ("广东省", "深圳市", "南山区"),
          ("上海市", "上海市", "浦东新区"), ("北京市", "北京市", "朝阳区"), ("四川省", "成都市", "武侯区")]
SKUS = [f"RT-{i:03d}" for i in range(60)]
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


def barcode_of(sku: str) -> str:
    """An EAN-13 for the test SKU (valid check digit)."""
    body = "69" + "2026" + sku[-3:].zfill(6)
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


@dataclass
class Person:
    name: str
    phone: str  # the buyer's own 11 digits
    account: str | None


@dataclass
class ShippedOrder:
    order_no: str
    person: Person
    phone_field: str  # what the shop's export holds: full, masked or virtual
    skus: list[tuple[str, int]]
    shipped_at: datetime
    tracking_no: str
    family: bool = False


@dataclass
class Note:
    note: dict
    truth: str  # order_no the parcel truly belongs to
    kind: str  # which kind of note, for the figures


@dataclass
class ReturnSet:
    orders: list[ShippedOrder] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    registered: list[tuple[str, str]] = field(default_factory=list)  # (order_no, return tracking)

    def write_orders_csv(self, path: Path) -> Path:
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["order_no", "shop", "buyer_account", "recipient", "phone", "province", "city", "district",
                        "address", "sku", "qty", "unit_price", "paid_at", "status", "courier", "tracking_no",
                        "shipped_at"])
            for i, o in enumerate(self.orders):
                prov, city, dist = CITIES[i % len(CITIES)]
                for sku, qty in o.skus:
                    w.writerow([o.order_no, "测试店", o.person.account or "", o.person.name, o.phone_field, prov, city,
                                dist, f"幸福路{i % 300 + 1}号", sku, qty, "99.00",
                                (o.shipped_at - timedelta(days=1)).isoformat(), "shipped", "SF", o.tracking_no,
                                o.shipped_at.isoformat()])
        return path

    def write_returns_csv(self, path: Path) -> Path:
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["order_no", "return_tracking", "type", "reason"])
            for order_no, tracking in self.registered:
                w.writerow([order_no, tracking, "refund", "七天无理由"])
        return path


def _pinyin(name: str, given_first: bool = False, spaced: bool = True) -> str:
    syll = lazy_pinyin(name, style=Style.NORMAL)
    surname, given = syll[0].capitalize(), "".join(syll[1:]).capitalize()
    parts = [given, surname] if given_first else [surname, given]
    return " ".join(parts) if spaced else "".join(parts).lower()


def _typo(name: str, rng: random.Random) -> str:
    chars = list(name)
    spots = [i for i in range(1, len(chars)) if chars[i] in HOMOPHONES]
    if not spots:
        return name
    i = rng.choice(spots)
    chars[i] = HOMOPHONES[chars[i]]
    return "".join(chars)


def _phone_formats(phone: str, rng: random.Random) -> str:
    return rng.choice([phone, f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}",
                       f"0086{phone}", f"{phone[:3]} {phone[3:7]} {phone[7:]}", f"+86-{phone}"])


def build(seed: int = 20261120, orders: int = 3000) -> ReturnSet:
    rng = random.Random(seed)
    rs = ReturnSet()
    used_phones: set[str] = set()
    used_numbers: set[str] = set()

    def new_phone() -> str:
        while True:
            p = rng.choice(["13", "15", "17", "18", "19"]) + str(rng.randint(0, 9)) + f"{rng.randrange(10**8):08d}"
            if p not in used_phones:
                used_phones.add(p)
                return p

    def new_number() -> str:
        while True:
            n = str(rng.randint(10**17, 10**18 - 1))
            if n not in used_numbers:
                used_numbers.add(n)
                return n

    def new_person() -> Person:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        account = None
        if rng.random() < 0.8:
            account = rng.choice(["tb_", "", "jd_"]) + _pinyin(name, spaced=False) + str(rng.randint(1, 9999))
        return Person(name, new_phone(), account)

    def phone_field(p: Person) -> str:
        r = rng.random()
        if r < 0.65:
            return p.phone
        if r < 0.88:
            return f"{p.phone[:3]}****{p.phone[-4:]}"
        return f"{new_phone()}-{rng.randint(1000, 9999)}"  # virtual: a host number plus extension

    def add_order(p: Person, *, family: bool = False, skus=None, when=None) -> ShippedOrder:
        skus = skus or [(s, rng.randint(1, 2)) for s in rng.sample(SKUS, rng.randint(1, 3))]
        when = when or NOW - timedelta(days=rng.uniform(2, 45), minutes=rng.randint(0, 600))
        o = ShippedOrder(new_number(), p, phone_field(p), skus, when, f"SF{rng.randrange(10**12):012d}", family)
        rs.orders.append(o)
        return o

    # Ordinary buyers, families sharing one phone, and buyers with several recent orders.
    singles, families, repeaters = [], [], []
    while len(rs.orders) < orders:
        r = rng.random()
        if r < 0.08:  # family: two people, one phone (and often one account)
            a, b = new_person(), new_person()
            b.phone = a.phone
            if rng.random() < 0.5:
                b.account = a.account
            oa, ob = add_order(a, family=True), add_order(b, family=True)
            ob.phone_field = oa.phone_field if "-" not in oa.phone_field else ob.phone_field
            families.append((oa, ob))
        elif r < 0.16:  # one buyer, several recent orders
            p = new_person()
            group = [add_order(p) for _ in range(rng.randint(2, 3))]
            for o in group[1:]:
                o.phone_field = group[0].phone_field
            repeaters.append(group)
        else:
            singles.append(add_order(new_person()))

    full = [o for o in singles if o.phone_field.isdigit()]
    masked = [o for o in singles if "*" in o.phone_field]
    virtual = [o for o in singles if "-" in o.phone_field]

    def note(o: ShippedOrder, kind: str, **fields) -> None:
        fields.setdefault("received_at", (o.shipped_at + timedelta(days=rng.uniform(3, 9))).isoformat())
        rs.notes.append(Note({k: v for k, v in fields.items() if v is not None}, o.order_no, kind))

    def items_of(o: ShippedOrder) -> list[str]:
        return [barcode_of(s) for s, _q in o.skus[:1]]

    for o in rng.sample(full, 10):
        note(o, "name_and_phone", name=o.person.name, phone=_phone_formats(o.person.phone, rng))
    for o in rng.sample(full, 6):
        note(o, "pinyin_and_last4", name=_pinyin(o.person.name, given_first=rng.random() < 0.3),
             phone=o.person.phone[-4:])
    for o in rng.sample(full, 6):
        note(o, "typo_and_phone", name=_typo(o.person.name, rng), phone=_phone_formats(o.person.phone, rng))
    for o in rng.sample([o for o in full if o.person.account], 6):
        note(o, "account_and_name", account=o.person.account, name=rng.choice([o.person.name, _pinyin(o.person.name)]))
    for o in rng.sample(masked, 8):
        note(o, "masked_order", name=rng.choice([o.person.name, _typo(o.person.name, rng)]),
             phone=_phone_formats(o.person.phone, rng))
    for o in rng.sample(virtual, 4):
        note(o, "virtual_order", name=o.person.name, phone=o.person.phone, account=o.person.account)
    for o in rng.sample(full + masked, 4):
        note(o, "last4_only_and_name", name=o.person.name, phone=o.person.phone[-4:])
    for o in rng.sample(full, 4):  # a real number of someone else's order, or a typo of their own
        other = rng.choice(rs.orders)
        wrong = other.order_no if rng.random() < 0.5 else o.order_no[:-1] + str((int(o.order_no[-1]) + 1) % 10)
        note(o, "wrong_order_no", name=o.person.name, phone=_phone_formats(o.person.phone, rng), order_no=wrong)
    for o in rng.sample(masked + virtual, 4):
        note(o, "order_no_and_name", order_no=o.order_no, name=o.person.name)
    for oa, ob in rng.sample(families, 6):
        who = rng.choice([oa, ob])
        note(who, "family_shared_phone", name=who.person.name, phone=_phone_formats(who.person.phone, rng),
             account=who.person.account if rng.random() < 0.5 else None)
    for group in rng.sample(repeaters, 8):
        o = rng.choice(group)
        with_items = rng.random() < 0.6
        note(o, "repeat_buyer_items" if with_items else "repeat_buyer_no_items", name=o.person.name,
             phone=_phone_formats(o.person.phone, rng), items=items_of(o) if with_items else None)
    for o in rng.sample(singles, 3):
        note(o, "return_slip", slip=f"RS:{o.order_no}")
    for o in rng.sample(singles, 3):
        tracking = f"YT{rng.randrange(10**12):012d}"
        rs.registered.append((o.order_no, tracking))
        note(o, "registered_tracking", tracking=tracking, name=o.person.name)
    for o in rng.sample(singles, 3):
        note(o, "name_only", name=o.person.name)
    return rs
