"""Shared fixtures. The emulator fixture itself, ``frontegg_emulator``, comes
from the package's pytest plugin (entry point ``pytest11``)."""

from __future__ import annotations

from typing import Iterator

import pytest

from frontegg_identity import IdentityClient
from frontegg_identity.testing import Emulator

PHONE = "+1 415 555 0100"
PHONE_E164 = "+14155550100"


@pytest.fixture
def emu(frontegg_emulator: Emulator) -> Emulator:
    return frontegg_emulator


@pytest.fixture
def client(emu: Emulator) -> Iterator[IdentityClient]:
    with emu.client("user-1", "tenant-1") as c:
        yield c


@pytest.fixture
def vendor(emu: Emulator) -> Iterator[IdentityClient]:
    with emu.vendor_client() as c:
        yield c
