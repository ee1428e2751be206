"""Numbers for parcels packed before their e-waybill service gave one (the pack bench does not wait).

The close (`packing.close_order`) writes such a parcel with no number and the shop's service as
its ``waybill_provider`` (`await_service_number`) and queues the order's waybill job. The job's
renderer (`documents.orders.order_waybills`) calls `issue_for_closed` after the scan's commit, on
the printing thread: read, ask the service with no transaction open, write each number in a short
transaction of its own. docs/couriers.md, "At the pack bench and in a batch".
"""
from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, sessionmaker

from station.db import unit_of_work
from station.fulfilment.models import Order, Parcel
from station.fulfilment.waybills import ServiceWaybill, WaybillError, service_request, issue_from_service
from station.i18n import _

_PARCELS = Parcel.__table__


def await_service_number(parcel: Parcel, provider: str) -> None:
    """Close `parcel` without a number: its shop's service `provider` gives one after the close's
    commit (`issue_for_closed`, run by the waybill job the close queues), never inside the scan."""
    parcel.waybill_provider = provider


def awaiting_service(order: Order) -> list[Parcel]:
    """The order's packed parcels still waiting for their number from its shop's service."""
    return [p for p in order.parcels if p.status in ("closed", "shipped") and p.tracking_no is None
            and p.waybill_provider not in (None, "pool", "manual")]


def _parcel_request(session: Session, order: Order, parcel: Parcel):
    """The service request for a packed parcel: what it holds, by the names of the order's lines, and
    its weight from its products' (none when one has none)."""
    from dataclasses import replace

    from station.catalog.models import Product

    request = service_request(session, order, parcel.seq)
    products = {sku: (name, grams) for sku, name, grams in session.execute(
        select(Product.sku, Product.name, Product.weight_g).where(Product.sku.in_([i.sku for i in parcel.items])))}
    names = {line.sku: line.name for line in order.lines if line.name}
    items: dict[str, int] = {}
    for item in parcel.items:  # by the shop's name of the line, else the product's
        name = names.get(item.sku) or products.get(item.sku, (item.sku, None))[0]
        items[name] = items.get(name, 0) + item.qty
    weight = (sum(products[i.sku][1] * i.qty for i in parcel.items)
              if parcel.items and all(products.get(i.sku, (None, None))[1] for i in parcel.items) else None)
    return replace(request, items=tuple(items.items()) or request.items, weight_g=weight)


_SET_SERVICE_NUMBER = (update(_PARCELS)
                       .where(_PARCELS.c.id == bindparam("pid"), _PARCELS.c.tracking_no.is_(None))
                       .values(tracking_no=bindparam("t"), routing_code=bindparam("rc"), hub_name=bindparam("hn"),
                               hub_code=bindparam("hc"), qr_data=bindparam("qr"), print_data=bindparam("pd")))


def issue_for_closed(sessions: sessionmaker[Session], order_no: str) -> list[ServiceWaybill]:
    """Numbers and routing data from the shop's e-waybill service for the order's parcels packed
    without one (`await_service_number`). Like `issue_from_service`: read, ask with no transaction
    open, write each number in a short transaction of its own. A parcel that got a number meanwhile
    (another station ran the same job) keeps it, and ours is given back. Raises WaybillError naming
    the order and the service's reason when a number cannot be had: the parcel stays packed without
    one, its waybill job failed in the outbox, and a retry there asks again."""
    from station import couriers
    from station.couriers import ServiceError, credentials

    with unit_of_work(sessions) as s:
        order = s.scalar(select(Order).where(Order.order_no == order_no))
        waiting = awaiting_service(order) if order is not None else []
        if not waiting:
            return []
        shop, provider = order.shop or "", waiting[0].waybill_provider
        requests = [(p.id, _parcel_request(s, order, p)) for p in waiting]
    done = []
    try:
        service = couriers.adapter(provider, credentials.load(shop, provider))
        for parcel_id, request in requests:
            issued = service.issue(request)  # no transaction open
            try:
                with unit_of_work(sessions) as s:
                    written = s.execute(_SET_SERVICE_NUMBER, {
                        "pid": parcel_id, "t": issued.tracking_no, "rc": issued.routing_code or None,
                        "hn": issued.hub_name or None, "hc": issued.hub_code or None, "qr": issued.qr_data or None,
                        "pd": issued.print_data or None}).rowcount
                    s.commit()
            except Exception:
                service.cancel(request.courier, issued.tracking_no, request.object_id)
                raise
            if not written:  # numbered meanwhile by another station: nothing holds ours
                service.cancel(request.courier, issued.tracking_no, request.object_id)
                continue
            done.append(ServiceWaybill(order_no, request.parcel_seq, issued.provider, issued.tracking_no,
                                       issued.routing_code, issued.hub_name, issued.hub_code))
    except (ServiceError, LookupError) as exc:
        raise WaybillError(_("Order {order} is packed but {provider} gave it no waybill number: {why}. Retry its "
                             "waybill job in the outbox once that is fixed", order=order_no, provider=provider,
                             why=exc)) from exc
    return done



def issue_for_order(sessions: sessionmaker[Session], order_no: str) -> list[ServiceWaybill]:
    """``station waybills issue``: the numbers of the order's packed parcels that wait for one, or,
    for an order still to pack, its number taken before packing (`issue_from_service`)."""
    with unit_of_work(sessions) as s:
        order = s.scalar(select(Order).where(Order.order_no == order_no))
        waiting = order is not None and bool(awaiting_service(order))
    return issue_for_closed(sessions, order_no) if waiting else [issue_from_service(sessions, order_no)]
