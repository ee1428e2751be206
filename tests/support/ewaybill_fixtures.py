"""Fixtures for the e-waybill tests: a file keyring in the test's folder (never the machine's
real keyring), and the local stand-ins of the services (tests/support/ewaybill_servers.py)."""
from __future__ import annotations

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from tests.support.ewaybill_servers import Services


@pytest.fixture
def file_keyring(tmp_path):
    before = keyring.get_keyring()
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def services():
    s = Services()
    yield s
    s.close()
