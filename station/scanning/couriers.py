"""Courier tracking-number patterns (per courier, full match).

The defaults are plausible real-world formats of the big Chinese couriers. They overlap
with each other and with ordinary product barcodes; `docs/scanning.md` lists the overlaps
and how `classify()` resolves them. The real list comes from the database (courier
settings), passed in through `Lexicon.couriers`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["DEFAULT_COURIERS", "CourierPattern"]


@dataclass(frozen=True)
class CourierPattern:
    code: str
    name_zh: str
    name_en: str
    pattern: str
    """Regular expression that must match the whole tracking number."""
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_regex", re.compile(self.pattern))

    def matches(self, text: str) -> bool:
        return self._regex.fullmatch(text) is not None


# Order matters: the first pattern that matches names the courier. The narrow patterns come
# first and ZTO's broad "12-14 digits starting 7 or 3" last, because a 13-digit number
# starting 77 (STO) or 31 (Yunda) also fits ZTO's pattern.
# None of the digit-only patterns starts with 69, so no Chinese EAN-13 (690-699) is ever a
# tracking number; other countries' EAN-13s can fit (see docs/scanning.md).
DEFAULT_COURIERS: tuple[CourierPattern, ...] = (
    CourierPattern("SF", "顺丰速运", "SF Express", r"SF\d{12,13}"),
    CourierPattern("YTO", "圆通速递", "YTO Express", r"YT\d{13}"),
    CourierPattern("JD", "京东物流", "JD Logistics", r"JD[A-Z0-9]{11,16}"),
    CourierPattern("EMS", "中国邮政EMS", "China Post EMS", r"[A-Z]{2}\d{9}CN|1[01]\d{11}"),
    CourierPattern("STO", "申通快递", "STO Express", r"(?:77|88|55)\d{11}"),
    CourierPattern("YUNDA", "韵达快递", "Yunda Express", r"(?:43|46|31)\d{11}"),
    CourierPattern("ZTO", "中通快递", "ZTO Express", r"[37]\d{11,13}"),
)
