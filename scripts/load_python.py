"""Load test of the Python clients against the emulator in a separate process.

16 threads sharing one IdentityClient make --calls calls (default 50,000):
zero errors, and resident memory after warm-up grows by less than 10 MB.
Then --async-calls calls (default 200,000) through one AsyncIdentityClient
at concurrency --concurrency (default 256): zero errors. Calls are
``list_mine``, with one ``preverify`` in every 50 (SMS routes stay cheap).
Exits non-zero on any error or on growth of 10 MB or more.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from typing import List, Optional

import frontegg_identity as fi

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EMULATOR = os.path.join(ROOT, "target", "release", "frontegg-identity-emulator")
MB = 1024 * 1024


def rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def start_emulator() -> "tuple[subprocess.Popen[str], str]":
    proc = subprocess.Popen([EMULATOR, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    prefix = "listening on "
    if prefix not in line:
        proc.kill()
        raise RuntimeError(f"unexpected emulator output: {line!r}")
    # Keep draining stdout so the emulator never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stdout or []], daemon=True).start()
    return proc, line.split(prefix, 1)[1]


def mint(base_url: str, user_id: str) -> str:
    req = urllib.request.Request(
        f"{base_url}/_emulator/tokens", data=json.dumps({"userId": user_id}).encode(),
        headers={"content-type": "application/json"}, method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return str(json.load(resp)["accessToken"])


def phone_for(i: int) -> str:
    return f"+1415{i % 10_000_000:07d}"


def sync_load(base_url: str, token: str, calls: int, threads: int, warmup: int) -> bool:
    client = fi.IdentityClient(user_token=token, base_url=base_url, timeout=30)
    errors: List[str] = []
    lock = threading.Lock()
    counter = iter(range(calls))

    def worker() -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            try:
                if i % 50 == 0:
                    client.phone_numbers.preverify(phone_for(i))
                else:
                    client.phone_numbers.list_mine()
            except Exception as e:  # noqa: BLE001
                with lock:
                    errors.append(f"{type(e).__name__}: {e}")

    def run(n: int) -> float:
        nonlocal counter
        counter = iter(range(n))
        started = time.monotonic()
        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        return time.monotonic() - started

    run(warmup)
    before = rss()
    elapsed = run(calls)
    after = rss()
    client.close()
    growth = (after - before) / MB
    print(f"sync:  {calls} calls, {threads} threads, one client: {len(errors)} errors, {elapsed:.1f} s, "
          f"{calls / elapsed:,.0f} calls/s; RSS after {warmup} warm-up calls {before / MB:.1f} MB, "
          f"at the end {after / MB:.1f} MB, growth {growth:+.2f} MB")
    for e in errors[:5]:
        print(f"  error: {e}")
    return not errors and growth < 10


def async_load(base_url: str, token: str, calls: int, concurrency: int) -> bool:
    errors: List[str] = []

    async def main() -> float:
        client = fi.AsyncIdentityClient(user_token=token, base_url=base_url, timeout=30)
        next_i = 0

        async def worker() -> None:
            nonlocal next_i
            while next_i < calls:
                i = next_i
                next_i += 1
                try:
                    if i % 50 == 0:
                        await client.phone_numbers.preverify(phone_for(i))
                    else:
                        await client.phone_numbers.list_mine()
                except Exception as e:  # noqa: BLE001
                    errors.append(f"{type(e).__name__}: {e}")

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.monotonic() - started
        await client.aclose()
        return elapsed

    before = rss()
    elapsed = asyncio.run(main())
    after = rss()
    print(f"async: {calls} calls, concurrency {concurrency}, one client: {len(errors)} errors, {elapsed:.1f} s, "
          f"{calls / elapsed:,.0f} calls/s; RSS {before / MB:.1f} MB -> {after / MB:.1f} MB")
    for e in errors[:5]:
        print(f"  error: {e}")
    return not errors


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--calls", type=int, default=50_000)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--warmup", type=int, default=5_000)
    ap.add_argument("--async-calls", type=int, default=200_000)
    ap.add_argument("--concurrency", type=int, default=256)
    args = ap.parse_args(argv)
    print(f"frontegg_identity {fi.__version__}, python {sys.version.split()[0]}, nproc {os.cpu_count()}")
    proc, base_url = start_emulator()
    try:
        print(f"emulator pid {proc.pid} at {base_url}")
        token = mint(base_url, "load-user")
        ok = sync_load(base_url, token, args.calls, args.threads, args.warmup)
        if args.async_calls > 0:
            ok = async_load(base_url, mint(base_url, "load-user-async"), args.async_calls, args.concurrency) and ok
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
