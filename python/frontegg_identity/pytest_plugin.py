"""The pytest plugin of ``frontegg_identity`` (entry point ``pytest11``):
the ``frontegg_emulator`` fixture, a fresh in-process emulator per test."""

from __future__ import annotations

from typing import Iterator

import pytest

from .testing import Emulator

__all__ = ["frontegg_emulator"]


@pytest.fixture
def frontegg_emulator() -> Iterator[Emulator]:
    """A fresh :class:`frontegg_identity.testing.Emulator`, stopped after the test."""
    with Emulator() as emulator:
        yield emulator
