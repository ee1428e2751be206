"""Parcel weights in the database (issue 18): what the scale read at the pack bench, kept with the
parcel, and the learned weight of a set of contents from the parcels that shipped with it.

The rules are ``station.weighing.expected`` (pure); this module gives them the facts: the products'
``weight_g``, the packaging and tolerance settings, and the weights of earlier parcels whose
``contents_key`` is the same (the last `HISTORY` of them, closed or shipped, weighed).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from station import settings
from station.catalog.models import Product
from station.fulfilment.models import Parcel
from station.weighing.expected import Expectation, contents_key, expected_weight

HISTORY = 20  # the learned weight is that of the last 20 parcels of the same contents


def learned_history(session: Session, key: str, *, exclude: int | None = None) -> list[int]:
    """The weights (g) of the last `HISTORY` closed or shipped parcels with these contents."""
    query = (select(Parcel.weight_g).where(Parcel.contents_key == key, Parcel.weight_g.is_not(None),
                                           Parcel.status.in_(("closed", "shipped")))
             .order_by(Parcel.closed_at.desc(), Parcel.id.desc()).limit(HISTORY))
    if exclude is not None:
        query = query.where(Parcel.id != exclude)
    return list(session.scalars(query))


def expectation_for(session: Session, contents: dict[str, int], *, exclude: int | None = None) -> Expectation:
    """What a parcel of `contents` (sku -> qty) should weigh, by the settings of now."""
    skus = sorted(contents)
    weights = dict(session.execute(select(Product.sku, Product.weight_g).where(Product.sku.in_(skus))).all())
    return expected_weight([(sku, contents[sku], weights.get(sku)) for sku in skus],
                           packaging_g=settings.WEIGHING_PACKAGING_G.read(session),
                           history=learned_history(session, contents_key(contents.items()), exclude=exclude),
                           tolerance_pct=settings.WEIGHING_TOLERANCE_PCT.read(session))


def record_parcel_weight(parcel: Parcel, contents: dict[str, int], grams: int | None, expected: int | None,
                         basis: str | None, released_by: str | None = None) -> None:
    """Keep the scale's reading with the parcel (the caller's unit of work commits it)."""
    parcel.weight_g = grams
    parcel.weight_expected_g = expected
    parcel.weight_basis = basis
    parcel.weight_released_by = released_by
    parcel.contents_key = contents_key(contents.items())


def parcel_weight_kg(parcel: Parcel):
    """The weight the scale read, in kg (2 places) for the waybill; None when it was not weighed."""
    from decimal import Decimal

    if parcel.weight_g is None:
        return None
    return (Decimal(parcel.weight_g) / 1000).quantize(Decimal("0.01"))


def weighing_settings(sessions) -> tuple[int, int]:
    """(packaging g, tolerance %) as set for every station."""
    from station.db import read_only

    with read_only(sessions) as s:
        return settings.WEIGHING_PACKAGING_G.read(s), settings.WEIGHING_TOLERANCE_PCT.read(s)


def set_weighing(sessions, user: str | None, *, packaging_g: int | None = None, tolerance_pct: int | None = None,
                 station: str | None = None) -> tuple[int, int]:
    """Set the packaging weight and/or tolerance for every station (the settings dialog, ``station
    weighing``) as `user` (supervisor or admin: ``weighing.settings``; a refusal is recorded and
    raises ``NotPermitted``); returns them as they are now."""
    from station.catalog.roles import authorize
    from station.db import unit_of_work

    if packaging_g is not None and not 0 <= packaging_g <= 99999:
        raise ValueError(f"packaging weight {packaging_g} g is out of range (0-99999)")
    if tolerance_pct is not None and not 1 <= tolerance_pct <= 100:
        raise ValueError(f"tolerance {tolerance_pct} % is out of range (1-100)")
    authorize(sessions, "weighing.settings", user, station=station)
    with unit_of_work(sessions) as s:
        if packaging_g is not None:
            settings.WEIGHING_PACKAGING_G.write(s, packaging_g)
        if tolerance_pct is not None:
            settings.WEIGHING_TOLERANCE_PCT.write(s, tolerance_pct)
        s.commit()
    return weighing_settings(sessions)
