"""Normalised clues: phone numbers, names (Chinese, pinyin, typos) and account IDs.

Pure functions, no database. The same functions build the lookup keys stored for every
shipped order and the keys of a customer's note, so both sides always agree.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# phonenumbers and pypinyin load their tables when first used (pypinyin's take 0.4 s): not
# at the start of the app or of a command that never matches a return. ``warm_up()`` loads them.

_DIGIT = re.compile(r"\d")
_MASK = re.compile(r"[*＊xX×]")
_CJK = re.compile(r"[\u3400-\u9fff]")
# A marketplace's virtual number: an 11-digit host number, then an extension (转 / - / # / ext).
_VIRTUAL = re.compile(r"^\s*(?:\+?86[\s-]*)?(1\d{10})\s*(?:转|-|#|,|，|ext\.?|x)\s*(\d{1,6})\s*$", re.I)

# Surnames whose reading differs from the character's everyday one.
SURNAME_READINGS = {"单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou",
                    "盖": "ge", "乐": "yue", "尉": "yu", "秘": "bi", "覃": "qin", "缪": "miao", "翟": "zhai",
                    "种": "chong", "折": "she", "长": "chang", "重": "chong", "那": "na", "沈": "shen",
                    "柏": "bai", "葛": "ge", "员": "yun", "万": "wan", "尹": "yin", "任": "ren", "华": "hua"}


@dataclass(frozen=True)
class Phone:
    """What a phone field really tells: ``kind`` is full, masked, virtual, partial or none."""

    kind: str
    digits: str = ""  # national significant number (full), or the host number (virtual)
    prefix: str = ""  # visible leading digits of a masked number
    last4: str = ""  # last four digits, when they belong to the buyer

    @property
    def checkable(self) -> bool:
        return self.kind in ("full", "masked", "partial")


@lru_cache(maxsize=65536)
def parse_phone(text: str | None) -> Phone:
    """Read a phone as a shop or a customer writes it: +86, 0086, spaces, dashes, 138****1234,
    13800001234-5678 (virtual: host number plus extension, not the buyer's own), or just 4 digits."""
    if not text or not text.strip():
        return Phone("none")
    if len(text) == 11 and text[0] == "1" and text.isdigit() and text.isascii():
        return Phone("full", digits=text, last4=text[-4:])  # the usual mobile number, as shops export it
    text = unicodedata.normalize("NFKC", text).strip()
    virtual = _VIRTUAL.match(text)
    if virtual:
        return Phone("virtual", digits=virtual.group(1))
    if _MASK.search(text):
        pieces = _MASK.split(text)
        head, tail = pieces[0], pieces[-1]
        prefix = "".join(_DIGIT.findall(head))
        if prefix.startswith("86") and len(prefix) > 3:
            prefix = prefix[2:]
        last = "".join(_DIGIT.findall(tail))
        return Phone("masked", prefix=prefix, last4=last[-4:] if len(last) >= 4 else "")
    digits = "".join(_DIGIT.findall(text))
    if len(digits) <= 4:
        return Phone("partial", last4=digits) if len(digits) == 4 else Phone("none")
    import phonenumbers

    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and number.extension:
        return Phone("virtual", digits=str(number.national_number))
    national = str(number.national_number) if number is not None else digits
    if number is not None and number.country_code != 86:
        national = f"+{number.country_code}{national}"
    if len(national) < 7:
        return Phone("partial", last4=national[-4:])
    return Phone("full", digits=national, last4=national[-4:])


def norm_text(text: str | None) -> str:
    """Lower case, full-width folded, spaces and punctuation dropped."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text))


@lru_cache(maxsize=65536)
def name_pinyin(name: str) -> str:
    """Toneless pinyin of a name, surname first as written ("张伟" -> "zhangwei"); Latin text is
    lower-cased with spaces removed ("Zhang Wei" -> "zhangwei")."""
    name = norm_text(name)
    if not name:
        return ""
    if not has_chinese(name):
        return name
    from pypinyin import Style, lazy_pinyin

    first = SURNAME_READINGS.get(name[0])
    rest = lazy_pinyin(name[1:] if first else name, style=Style.NORMAL, errors=lambda s: list(s))
    return (first or "") + "".join(rest).replace("ü", "v")


def pinyin_variants(name: str) -> tuple[str, ...]:
    """The pinyin keys a written name may stand for: Latin names may come given-name first
    ("Wei Zhang"), and "lv"/"lu" both spell 吕."""
    base = name_pinyin(name)
    if not base:
        return ()
    out = [base]
    clean = unicodedata.normalize("NFKC", name).strip()
    if not has_chinese(clean):
        parts = [norm_text(p) for p in re.split(r"[\s,.·]+", clean) if norm_text(p)]
        if len(parts) >= 2:
            out.append(norm_text(parts[-1]) + "".join(parts[:-1]))
    for key in list(out):
        if "lu" in key or "nu" in key:
            out.append(key.replace("lu", "lv").replace("nu", "nv"))
    return tuple(dict.fromkeys(out))


def order_keys(recipient: str | None, phone: str | None, account: str | None) -> list[tuple[str, str]]:
    """The (kind, key) lookup rows stored for one shipped order."""
    keys: list[tuple[str, str]] = []
    p = parse_phone(phone)
    if p.kind == "full":
        keys.append(("phone", p.digits))
    if p.last4 and p.kind in ("full", "masked"):
        keys.append(("last4", p.last4))
    name = norm_text(recipient)
    if name:
        keys.append(("name", name[:100]))
        py = name_pinyin(recipient or "")
        if py:
            keys.append(("pinyin", py[:100]))
    acct = norm_text(account)
    if acct:
        keys.append(("account", acct[:100]))
    return keys


def warm_up() -> None:
    """Load the pinyin and phone-number tables now (the app calls this once it is on screen),
    so that the first parcel closed or return matched does not wait for them."""
    import phonenumbers  # noqa: F401
    from pypinyin import lazy_pinyin

    lazy_pinyin("张伟")
