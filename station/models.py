"""Every table, imported in one place so Alembic and ``create_all`` see the whole schema."""
from station.audit.models import AuditEntry, BenchState, ScanEvent
from station.catalog.models import Barcode, Courier, Product, User
from station.db import Base
from station.fulfilment.models import (Handover, MatchKey, NumberSequence, Order, OrderHold, OrderLine, PackClip,
                                       Parcel, ParcelItem, PickBatch, WaybillNumber)
from station.fulfilment.listings import ListingMap
from station.inbound.models import PurchaseOrder, PurchaseOrderLine, Receipt, ReceiptLine, ReceiptLot
from station.inventory.count_models import CountBin, CountEvent, CountLine, StockCount
from station.inventory.models import Balance, Location, Movement
from station.outbox.models import PrintJob
from station.settings import Setting
from station.returns.models import ExpectedReturn
from station.returns.receipt_models import ReturnItem, ReturnReceipt

__all__ = ["AuditEntry", "Base", "Balance", "Barcode", "BenchState", "Courier", "Handover", "ListingMap", "Location", "Movement", "NumberSequence", "Order",
           "OrderHold", "OrderLine", "Parcel", "ParcelItem", "PickBatch", "PrintJob", "Product", "ScanEvent",
           "Setting", "User", "WaybillNumber",
           "PurchaseOrder", "PurchaseOrderLine", "Receipt", "ReceiptLine", "ReceiptLot",
           "ExpectedReturn", "MatchKey", "ReturnItem", "ReturnReceipt",
           "CountBin", "CountEvent", "CountLine", "StockCount", "PackClip"]
