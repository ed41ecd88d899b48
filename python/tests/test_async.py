"""Every method of the async client against the emulator, with plain
``asyncio.run`` (no plugin needed)."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from frontegg_identity import AsyncIdentityClient, NotFoundError, OtcToken, Page, PendingDeletion
from frontegg_identity.testing import Emulator

from conftest import PHONE, PHONE_E164


def code_for(emu: Emulator, phone: str) -> str:
    code = emu.last_code(phone)
    assert code is not None
    return code


def test_methods_are_coroutines() -> None:
    from frontegg_identity import AsyncPhoneNumbers

    for name in ("assign", "preverify", "verify", "list_mine", "start_delete", "confirm_delete",
                 "list", "vendor_add", "vendor_delete"):
        assert inspect.iscoroutinefunction(getattr(AsyncPhoneNumbers, name)), name
    assert inspect.isasyncgenfunction(AsyncPhoneNumbers.iter_all)


def test_self_service_routes(emu: Emulator) -> None:
    async def main() -> None:
        async with emu.async_client("user-1") as client:
            phones = client.phone_numbers
            otc = await phones.preverify(PHONE)
            assert isinstance(otc, OtcToken)
            await phones.verify(otc, code_for(emu, PHONE))
            assigned = await phones.assign(PHONE)
            assert assigned is not None
            await phones.verify(assigned.reveal(), code_for(emu, PHONE))
            assert await phones.assign("+14155550111", verify=False) is None
            mine = await phones.list_mine()
            assert sorted(n.phone_number for n in mine) == [PHONE_E164, "+14155550111"]
            target = next(n for n in mine if n.phone_number == PHONE_E164)
            assert target.id is not None and target.verified
            pending = await phones.start_delete(target.id)
            assert isinstance(pending, PendingDeletion)
            await phones.confirm_delete(target.id, pending.otc_token, code_for(emu, PHONE))
            assert [n.phone_number for n in await phones.list_mine()] == ["+14155550111"]
            with pytest.raises(NotFoundError):
                await phones.start_delete("no-such-id")
        assert client.closed

    asyncio.run(main())


def test_vendor_routes_and_iter_all(emu: Emulator) -> None:
    async def main() -> None:
        async with emu.async_vendor_client() as vendor:
            phones = vendor.phone_numbers
            for i in range(5):
                await phones.vendor_add(f"user-{i}", f"+1415555030{i}")
            page = await phones.list(limit=2, sort_by="phone_number")
            assert isinstance(page, Page) and page.total_pages == 3 and page.has_next
            seen = [n.phone_number async for n in phones.iter_all(limit=2, sort_by="phone_number")]
            assert seen == [f"+1415555030{i}" for i in range(5)]
            first = page.items[0]
            assert first.user_id is not None and first.id is not None
            await phones.vendor_delete(first.user_id, first.id)
            assert (await phones.list()).total_items == 4

    asyncio.run(main())


def test_closed_client_raises(emu: Emulator) -> None:
    from frontegg_identity import ClientClosedError

    async def main() -> None:
        client = emu.async_client()
        await client.aclose()
        with pytest.raises(ClientClosedError):
            await client.phone_numbers.list_mine()

    asyncio.run(main())


def test_200_concurrent_coroutines_share_one_client(emu: Emulator) -> None:
    async def main() -> None:
        async with AsyncIdentityClient(user_token=emu.user_token("user-1"), base_url=emu.base_url) as client:
            phones = [f"+1415556{i:04d}" for i in range(200)]
            tokens = await asyncio.gather(*(client.phone_numbers.preverify(p) for p in phones))
            assert len({t.reveal() for t in tokens}) == 200
            await asyncio.gather(
                *(client.phone_numbers.verify(t, code_for(emu, p)) for t, p in zip(tokens, phones))
            )
            results = await asyncio.gather(*(client.phone_numbers.list_mine() for _ in range(200)))
            assert all(r == [] for r in results)

    asyncio.run(main())


def test_token_provider_on_async_client(emu: Emulator) -> None:
    async def main() -> None:
        async with AsyncIdentityClient(user_token=lambda: emu.user_token("user-1"), base_url=emu.base_url) as c:
            assert await c.phone_numbers.list_mine() == []

    asyncio.run(main())
