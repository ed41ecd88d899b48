#!/usr/bin/env python3
"""`AsyncIdentityClient` at 64 calls in flight against the floor server, for
profilers: the counts of docs/benchmarks.md's issue-15 rows (⁴) come from it.

    python scripts/async_profile.py FLOOR_URL [CALLS]

Runs one warm-up round of 64 calls, then CALLS calls (preverify + verify +
list_mine, default 1200) and prints the client's CPU per call. The timed part
is framed by two `os.getppid()` calls, a system call nothing else here makes,
so that callgrind can count it alone:

    taskset -c 0 valgrind --tool=callgrind --dump-before=getppid \\
        [--separate-threads=yes] python scripts/async_profile.py FLOOR_URL 1200

The dump numbered 2 (`callgrind.out.PID.2`, or `.2-01` for the event loop's
thread) is the timed part; divide its total by 3 x CALLS for instructions per
request.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import resource
import sys
import time
from typing import Any, Awaitable, Callable, List

import frontegg_identity


async def phase(n: int, f: Callable[[int], Awaitable[Any]]) -> None:
    counter = itertools.count()

    async def worker() -> None:
        while True:
            i = next(counter)
            if i >= n:
                return
            await f(i)

    await asyncio.gather(*(worker() for _ in range(64)))


async def main(base: str, n: int) -> None:
    client = frontegg_identity.AsyncIdentityClient(user_token="floor-user-token", base_url=base)
    phones = client.phone_numbers
    tokens: List[Any] = [None] * n

    async def preverify(i: int) -> None:
        tokens[i] = await phones.preverify("+1555%07d" % i)

    async def verify(i: int) -> None:
        await phones.verify(tokens[i], "123456")

    async def list_mine(i: int) -> None:
        await phones.list_mine()

    for f in (preverify, verify, list_mine):
        await phase(64, f)
    os.getppid()
    before, start = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    for f in (preverify, verify, list_mine):
        await phase(n, f)
    after, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - start
    os.getppid()
    user = (after.ru_utime - before.ru_utime) / n * 1e6
    system = (after.ru_stime - before.ru_stime) / n * 1e6
    print(f"CPU per call {user + system:.1f} µs (user {user:.1f}, system {system:.1f}); wall {wall / n * 1e6:.1f} µs")
    await client.aclose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1200))
