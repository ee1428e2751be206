"""Who may do what: the role matrix of every state-changing office action, and the one check
that the CLI and the office windows both call.

``authorize`` looks the user up by name, decides from :data:`MATRIX`, and writes an
``AuditEntry`` in a transaction of its own — so a refusal is kept although the refused action
never happens, and a permitted action that matters is on record before it runs. A refusal
raises :class:`NotPermitted` (code ``unknown_user`` or ``not_permitted``) with a message for
the person. ``check`` is the same decision inside the caller's session, for services that
record the refusal together with their own record (a count decision).

The benches keep their roles on the bench class (``Bench.roles``); a bench refusal is
recorded here too, as action ``bench.<name>``. docs/roles.md shows this table.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, sessionmaker

from station.catalog.models import ROLES, User
from station.i18n import N_, _

ANY = frozenset(ROLES)
OFFICE = frozenset({"office", "supervisor", "admin"})
MASTER_DATA = frozenset({"supervisor", "admin"})

#: action -> (the roles that may do it, what it is in words). One place; docs/roles.md shows it.
MATRIX: dict[str, tuple[frozenset[str], str]] = {
    "import.products": (MASTER_DATA, N_("import products")),
    "import.locations": (MASTER_DATA, N_("import locations")),
    "import.stock": (MASTER_DATA, N_("import opening stock")),
    "import.users": (frozenset({"admin"}), N_("import users")),
    "import.orders": (OFFICE, N_("import orders")),
    "import.mappings": (OFFICE, N_("map shop listings to products")),
    "import.po": (OFFICE | {"receiver"}, N_("import or enter purchase orders")),
    "import.returns": (OFFICE | {"returns"}, N_("register expected returns")),
    "import.counts": (frozenset({"counter", "supervisor"}), N_("import counted quantities")),
    "orders.release": (OFFICE, N_("release an order")),
    "orders.hold": (OFFICE, N_("hold an order")),
    "orders.cancel": (OFFICE, N_("cancel an order")),
    "waybills.add": (OFFICE, N_("add waybill numbers")),
    "waybills.issue": (OFFICE, N_("take waybill numbers from an e-waybill service")),
    "waybills.cancel": (OFFICE, N_("give void waybill numbers back to their service")),
    "waybills.credentials": (MASTER_DATA, N_("store a shop's e-waybill service credentials")),
    "waybills.privacy": (MASTER_DATA, N_("switch a shop's privacy waybills on or off")),
    "batch": (OFFICE, N_("print a batch")),
    "print": (ANY, N_("send a document to a printer")),
    "receive.blind": (frozenset({"receiver", "supervisor"}), N_("open a receipt without a PO")),
    "receive.qc": (frozenset({"receiver", "supervisor"}), N_("record a quality check")),
    "returns.reindex": (MASTER_DATA, N_("rebuild the returns matching index")),
    "evidence": (OFFICE | {"returns"}, N_("make a parcel's dispute pack (keeps its pack video)")),
    "weighing.settings": (MASTER_DATA, N_("set the packaging weight and weight tolerance")),
    "counts.plan": (frozenset({"supervisor"}), N_("plan a count")),
    "counts.approve": (frozenset({"supervisor"}), N_("approve a count")),
    "counts.reject": (frozenset({"supervisor"}), N_("reject a count")),
    "counts.recount": (frozenset({"supervisor"}), N_("ask for a recount")),
}

#: Permitted actions that are recorded (a refusal always is).
RECORDED = frozenset(MATRIX) - {"print"}


class NotPermitted(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Verdict:
    ok: bool
    code: str  # permitted, unknown_user, not_permitted
    message: str
    user: User | None = None


def roles_for(action: str) -> frozenset[str]:
    return MATRIX[action][0]


def describe(action: str) -> str:
    return _(MATRIX[action][1]) if action in MATRIX else action


def _now() -> datetime:
    return datetime.now(timezone.utc)


def record(session: Session, action: str, user: str | None, outcome: str, *, target: str | None = None,
           detail: str | None = None, station: str | None = None) -> None:
    """Add one audit row to ``session`` (the caller commits)."""
    from station.audit.models import AuditEntry

    session.add(AuditEntry(at=_now(), user=(user or "")[:64] or None, action=action[:48], outcome=outcome,
                           target=(target or "")[:200] or None, detail=(detail or "")[:1000] or None,
                           station=(station or "")[:64] or None))


def decide(session: Session, action: str, user: str | None) -> Verdict:
    """The matrix's answer for ``user`` (a name) and ``action``; nothing written."""
    allowed = roles_for(action)
    name = (user or "").strip()
    person = session.scalar(select(User).where(User.name == name)) if name else None
    if person is None:
        if action == "import.users" and not session.scalar(select(exists().where(User.id.is_not(None)))):
            return Verdict(True, "permitted", _("The first users of an empty database"))
        return Verdict(False, "unknown_user",
                       _("{name} is not a known Station user: nothing was done", name=name or "—"))
    if allowed & person.role_set:
        return Verdict(True, "permitted", "", person)
    return Verdict(False, "not_permitted",
                   _("{name} may not {action}: that needs the role {roles}. Nothing was done", name=name,
                     action=describe(action), roles=" / ".join(sorted(allowed))), person)


def check(session: Session, action: str, user: str | None, *, target: str | None = None,
          station: str | None = None) -> Verdict:
    """Decide and record in the caller's session (the caller commits, a refusal too)."""
    verdict = decide(session, action, user)
    if not verdict.ok or action in RECORDED:
        record(session, action, user, verdict.code, target=target, station=station,
               detail=verdict.message or None)
    return verdict


def authorize(sessions: sessionmaker[Session], action: str, user: str | None, *, target: str | None = None,
              station: str | None = None) -> str:
    """Decide, record in a transaction of its own, and raise ``NotPermitted`` on a refusal.

    Returns the user's name. Called before the action, so the record survives a refusal."""
    from station.db import unit_of_work

    with unit_of_work(sessions) as s:
        verdict = check(s, action, user, target=target, station=station)
        s.commit()
    if not verdict.ok:
        raise NotPermitted(verdict.code, verdict.message)
    return (user or "").strip()


def audit_rows(session: Session, since: datetime | None = None):
    from station.audit.models import AuditEntry

    stmt = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    return list(session.scalars(stmt))
