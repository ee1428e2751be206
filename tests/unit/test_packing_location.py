"""Where a station's packed goods are booked: its own setting, else the first packing location."""
from __future__ import annotations

import pytest

from station.db import unit_of_work
from station.fulfilment.packing import PackError, packing_location_code
from station.settings import Setting
from tests.support import factories as f


def test_a_station_uses_its_own_packing_location_else_the_first_one_and_a_missing_one_is_refused(sessions):
    with unit_of_work(sessions) as s:
        with pytest.raises(PackError, match="no packing location"):
            packing_location_code(s, "pack-1")
        f.location(s, "PACK-02", "packing")
        f.location(s, "PACK-01", "packing")
        s.add(Setting(key="packing_location.pack-2", value="PACK-02"))
        s.add(Setting(key="packing_location.pack-3", value="NO-SUCH"))
        s.flush()
        assert packing_location_code(s, "pack-1") == "PACK-01"
        assert packing_location_code(s, None) == "PACK-01"
        assert packing_location_code(s, "pack-2") == "PACK-02"
        with pytest.raises(PackError, match="no packing location"):
            packing_location_code(s, "pack-3")
