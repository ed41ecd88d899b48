"""The async client against the in-process emulator: many users verified
concurrently through one shared client per credential.

Run: python python/examples/async_quickstart.py
"""

from __future__ import annotations

import asyncio

from frontegg_identity import AsyncIdentityClient
from frontegg_identity.testing import Emulator


async def verify_one(client: AsyncIdentityClient, emu: Emulator, phone: str) -> None:
    otc = await client.phone_numbers.preverify(phone)
    await client.phone_numbers.verify(otc, emu.last_code(phone) or "")


async def main() -> None:
    with Emulator() as emu:
        async with AsyncIdentityClient(user_token=emu.user_token("user-1"), base_url=emu.base_url) as client:
            phones = [f"+1415555{i:04d}" for i in range(20)]
            await asyncio.gather(*(verify_one(client, emu, p) for p in phones))
            print("verified", len(phones), "numbers")
        client_id, secret = emu.vendor_credentials()
        async with AsyncIdentityClient(
            client_id=client_id, secret=secret, tenant_id="tenant-1", base_url=emu.base_url
        ) as admin:
            await admin.phone_numbers.vendor_add("user-2", "+44 20 7946 0958")
            async for number in admin.phone_numbers.iter_all(limit=100):
                print(number)


if __name__ == "__main__":
    asyncio.run(main())
