"""The shop's return policy, item by item: pure functions, no database.

* **7-day no-reason window** (七天无理由) counted from delivery: the delivered time when the
  shop knows it, else the ship time plus a configurable transit time. The window closes at
  the end of the 7th calendar day after delivery (the shop's time zone, Beijing by default).
* **No-reason returns are refused** for an item that is worn, washed, has its tags missing,
  is stained, damaged or altered; for hygiene items (underwear); for sale items and gifts.
* **A defect** — a quality problem, the wrong item sent, an item missing — is accepted
  whatever the window, the item's condition or its flags (the inspection decides whether
  the defect is real), and the shop pays the return postage. Otherwise the buyer pays.
* **A supervisor may override** any decision, with a reason; the original decision is kept.

Every decision carries a stable ``code`` and a translated ``text()`` for the screen.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta, timezone

from station.i18n import N_, _

BEIJING = timezone(timedelta(hours=8), "CST")
#: Why the buyer sends the item back.
REASONS = ("no_reason", "quality", "wrong_item", "missing_item")
DEFECTS = ("quality", "wrong_item", "missing_item")
#: What the clerk sees at inspection that ends a no-reason return.
CONDITIONS = ("worn", "washed", "tags_missing", "stained", "damaged", "altered")
#: Product flags that exclude a no-reason return (see station.catalog.models.FLAGS).
EXCLUDED_FLAGS = ("hygiene", "sale", "gift")

TEXT = {
    "defect_accepted": N_("Accepted: {reason}; the shop pays the return postage"),
    "within_window": N_("Accepted: no-reason return within 7 days (until {deadline}); the buyer pays the return postage"),
    "outside_window": N_("Refused: the 7-day no-reason window ended on {deadline}"),
    "item_condition": N_("Refused: the item is {condition}; a no-reason return needs it unused, clean and with its tags"),
    "hygiene_item": N_("Refused: hygiene items (underwear) come back only when defective"),
    "sale_item": N_("Refused: sale items come back only when defective"),
    "gift_item": N_("Refused: gifts come back only when defective"),
    "overridden": N_("Overridden by {user}: {reason} (was: {original})"),
}
REASON_TEXT = {"quality": N_("quality problem"), "wrong_item": N_("wrong item sent"),
               "missing_item": N_("item missing"), "no_reason": N_("no reason")}
CONDITION_TEXT = {"worn": N_("worn"), "washed": N_("washed"), "tags_missing": N_("missing its tags"),
                  "stained": N_("stained"), "damaged": N_("damaged"), "altered": N_("altered")}


class PolicyError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PolicySettings:
    window_days: int = 7
    transit_days: int = 3  # ship time + this when the delivered time is not known
    zone: timezone = BEIJING


@dataclass(frozen=True)
class ReturnedItem:
    """One item as the clerk inspects it."""

    sku: str
    reason: str = "no_reason"  # one of REASONS
    flags: frozenset[str] = frozenset()  # the product's flags
    conditions: frozenset[str] = frozenset()  # what the inspection found, from CONDITIONS

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise PolicyError("bad_reason", _("Reason {reason} unknown; allowed: {allowed}",
                                              reason=self.reason, allowed=", ".join(REASONS)))
        unknown = sorted(set(self.conditions) - set(CONDITIONS))
        if unknown:
            raise PolicyError("bad_condition", _("Condition {condition} unknown; allowed: {allowed}",
                                                 condition=", ".join(unknown), allowed=", ".join(CONDITIONS)))


@dataclass(frozen=True)
class ItemDecision:
    sku: str
    accepted: bool
    code: str  # defect_accepted, within_window, outside_window, item_condition, hygiene_item, sale_item, gift_item
    postage: str  # who pays the return postage: shop or buyer
    deadline: datetime  # the end of the no-reason window
    reason: str
    condition: str | None = None
    overridden_by: str | None = None
    override_reason: str | None = None
    original: "ItemDecision | None" = None

    @property
    def last_day(self):
        """The last calendar day of the no-reason window (the deadline is the midnight after it)."""
        return (self.deadline - timedelta(days=1)).date()

    def text(self) -> str:
        template = TEXT["overridden" if self.overridden_by else self.code]  # msgids marked with N_ above
        if self.overridden_by:
            return _(template, user=self.overridden_by, reason=self.override_reason or "",
                     original=self.original.text() if self.original else "")
        return _(template, reason=_(REASON_TEXT[self.reason]),
                 deadline=self.last_day.isoformat(),
                 condition=_(CONDITION_TEXT[self.condition]) if self.condition else "")


def delivered_at(shipped_at: datetime | None, delivered: datetime | None,
                 settings: PolicySettings = PolicySettings()) -> datetime:
    """When the buyer had the parcel: the delivered time, else ship time plus transit."""
    if delivered is not None:
        return delivered
    if shipped_at is None:
        raise PolicyError("no_ship_date", _("The order has neither a delivered nor a ship date"))
    return shipped_at + timedelta(days=settings.transit_days)


def window_deadline(delivered: datetime, settings: PolicySettings = PolicySettings()) -> datetime:
    """The end of the ``window_days``-th calendar day after delivery, in the shop's zone."""
    day = delivered.astimezone(settings.zone).date() + timedelta(days=settings.window_days + 1)
    return datetime.combine(day, time(0, 0), tzinfo=settings.zone)


def decide_item(item: ReturnedItem, *, shipped_at: datetime | None, delivered: datetime | None,
                asked_at: datetime, settings: PolicySettings = PolicySettings()) -> ItemDecision:
    """Accept or refuse one returned item; ``asked_at`` is when the buyer asked for the return
    (the registered return), else when the parcel arrived. Checks run in this order: defect,
    hygiene, sale, gift, condition, window — the first that refuses gives the reason shown."""
    deadline = window_deadline(delivered_at(shipped_at, delivered, settings), settings)
    if item.reason in DEFECTS:
        return ItemDecision(item.sku, True, "defect_accepted", "shop", deadline, item.reason)

    def refuse(code: str, condition: str | None = None) -> ItemDecision:
        return ItemDecision(item.sku, False, code, "buyer", deadline, item.reason, condition)

    for flag in EXCLUDED_FLAGS:
        if flag in item.flags:
            return refuse(f"{flag}_item")
    for condition in CONDITIONS:
        if condition in item.conditions:
            return refuse("item_condition", condition)
    if asked_at >= deadline:
        return refuse("outside_window")
    return ItemDecision(item.sku, True, "within_window", "buyer", deadline, item.reason)


def override(decision: ItemDecision, *, user: str, roles: tuple[str, ...] | list[str], accept: bool,
             reason: str, postage: str | None = None) -> ItemDecision:
    """A supervisor's decision replaces the policy's; who, why and the original are kept."""
    if "supervisor" not in roles and "admin" not in roles:
        raise PolicyError("supervisor_needed", _("Only a supervisor can override the return policy"))
    if not reason or not reason.strip():
        raise PolicyError("override_reason_needed", _("Give the reason for the override"))
    if postage not in (None, "shop", "buyer"):
        raise PolicyError("bad_postage", _("Postage is paid by the shop or the buyer"))
    original = decision.original or decision
    return replace(decision, accepted=accept, postage=postage or decision.postage, overridden_by=user,
                   override_reason=reason.strip(), original=original)


def parcel_refused(cod: bool) -> str | None:
    """A freight-collect (到付) parcel is refused whole: the code the bench shows, or None."""
    return "cod_refused" if cod else None
