"""One sync client shared by 16 threads; the GIL is released while a call waits."""

from __future__ import annotations

import asyncio
import os
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest

from frontegg_identity import IdentityClient
from frontegg_identity.testing import Emulator


def test_16_threads_share_one_client(emu: Emulator, client: IdentityClient) -> None:
    phones = [f"+1415557{i:04d}" for i in range(16 * 8)]

    def work(phone: str) -> str:
        otc = client.phone_numbers.preverify(phone)
        code = emu.last_code(phone)
        assert code is not None
        client.phone_numbers.verify(otc, code)
        client.phone_numbers.list_mine()
        return otc.reveal()

    with ThreadPoolExecutor(max_workers=16) as pool:
        tokens = list(pool.map(work, phones))
    assert len(set(tokens)) == len(phones)
    assert len(emu.sms()) == len(phones)


def test_threads_overlap_while_waiting(emu: Emulator, client: IdentityClient) -> None:
    emu.inject_fault("list_mine", delay=0.3, times=16)
    barrier = threading.Barrier(16)

    def work() -> None:
        barrier.wait()
        client.phone_numbers.list_mine()

    threads = [threading.Thread(target=work) for _ in range(16)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    # Serialised, 16 calls would take 4.8 s.
    assert elapsed < 2.0, elapsed


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_process_forked_while_async_calls_run_can_make_calls(emu: Emulator) -> None:
    # The native module's allocator is mimalloc: a child forked while the
    # runtime's threads allocate must still allocate (and so call) freely.
    stop = threading.Event()

    async def busy() -> None:
        client = emu.async_client("user-1")
        while not stop.is_set():
            await asyncio.gather(*(client.phone_numbers.list_mine() for _ in range(16)))
        await client.aclose()

    load = threading.Thread(target=asyncio.run, args=(busy(),))
    load.start()
    try:
        for _ in range(20):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # 3.12 warns of fork with threads
                pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    code = 0 if emu.client("user-2").phone_numbers.list_mine() == [] else 1
                finally:
                    os._exit(code)
            deadline = time.monotonic() + 20
            while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            if done[0] == 0:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                pytest.fail("a forked child hung")
            assert os.waitstatus_to_exitcode(done[1]) == 0
    finally:
        stop.set()
        load.join()
