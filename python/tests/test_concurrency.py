"""One sync client shared by 16 threads; the GIL is released while a call waits."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

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
