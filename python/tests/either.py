"""One test body for both clients: :class:`Either` makes clients of one kind
(``IdentityClient`` or ``AsyncIdentityClient``) against an emulator and
runs their calls to completion, so a test calls ``run(client.group.method(...))``
whichever kind it was given."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, List, Literal, Optional, TypeVar

import frontegg_identity as fi
from frontegg_identity.testing import Emulator

Kind = Literal["sync", "async"]
KINDS: List[Kind] = ["sync", "async"]
TENANT = "tenant-1"

_T = TypeVar("_T")


class Either:
    """Clients of one kind against ``emu``; calling it finishes a call."""

    def __init__(self, kind: Kind, emu: Emulator) -> None:
        self.kind = kind
        self.emu = emu
        self._loop: Optional[asyncio.AbstractEventLoop] = asyncio.new_event_loop() if kind == "async" else None
        self._clients: List[Any] = []

    def __call__(self, value: Any) -> Any:
        """The call's result: ``value`` itself on the sync client, the
        awaited coroutine on the async one."""
        if inspect.isawaitable(value):
            assert self._loop is not None, "a coroutine from a sync client"
            return self._loop.run_until_complete(_awaited(value))
        return value

    def client(self, **kwargs: Any) -> Any:
        """A client of this kind on the emulator, with ``kwargs``."""
        kwargs.setdefault("base_url", self.emu.base_url)
        kwargs.setdefault("max_retries", 0)
        client = fi.IdentityClient(**kwargs) if self.kind == "sync" else fi.AsyncIdentityClient(**kwargs)
        self._clients.append(client)
        return client

    def user(self, user_id: str) -> Any:
        """A client signed in as ``user_id``."""
        return self.client(user_token=self.emu.user_token(user_id, TENANT))

    def vendor(self, **kwargs: Any) -> Any:
        """A client with the emulator's vendor credentials (tenant ``tenant-1``
        unless ``tenant_id`` is given)."""
        client_id, secret = self.emu.vendor_credentials()
        kwargs.setdefault("tenant_id", TENANT)
        return self.client(client_id=client_id, secret=secret, **kwargs)

    def anonymous(self) -> Any:
        """A client without credentials, for the public sign-in routes."""
        return self.client()

    def code(self, phone: str, purpose: Any) -> str:
        """The code of the last SMS to ``phone`` for ``purpose``."""
        code = self.emu.last_code(phone, purpose)
        assert code is not None, f"no {purpose} SMS to that number"
        return code

    def wrong(self, phone: str, purpose: Any) -> str:
        """A code of the right shape that is not the last one sent."""
        return "".join("2" if c == "1" else "1" for c in self.code(phone, purpose))

    def close(self) -> None:
        for client in self._clients:
            client.close()
        if self._loop is not None:
            self._loop.close()


async def _awaited(awaitable: Any) -> Any:
    return await awaitable
