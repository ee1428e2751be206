"""Every table, imported in one place so Alembic and ``create_all`` see the whole schema."""
from station.audit.models import BenchState, ScanEvent
from station.catalog.models import Barcode, Courier, Product, User
from station.db import Base
from station.inventory.models import Balance, Location, Movement

__all__ = ["Base", "Balance", "Barcode", "BenchState", "Courier", "Location", "Movement",
           "Product", "ScanEvent", "User"]
