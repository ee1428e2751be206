"""A shop's credentials for a waybill service, in the system keyring (never the database or logs).

One keyring entry per (shop, service): service name ``station-waybills``, user ``SHOP/SERVICE``,
the fields as JSON. Which keyring: whatever ``keyring`` picks for this desktop (Secret Service,
macOS Keychain, Windows Credential Locker), or ``PYTHON_KEYRING_BACKEND``.
"""
from __future__ import annotations

import json

from station.couriers.base import ServiceError
from station.i18n import _

KEYRING_SERVICE = "station-waybills"


def _entry(shop: str, provider: str) -> str:
    return f"{shop}/{provider}"


def store(shop: str, provider: str, values: dict[str, str]) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, _entry(shop, provider), json.dumps(values, ensure_ascii=False))
    except KeyringError as exc:
        raise ServiceError(_("The system keyring refused the credentials: {reason}", reason=exc)) from None


def load(shop: str, provider: str) -> dict[str, str] | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        text = keyring.get_password(KEYRING_SERVICE, _entry(shop, provider))
    except KeyringError as exc:
        raise ServiceError(_("The system keyring cannot be read: {reason}", reason=exc)) from None
    return json.loads(text) if text else None
