#!/usr/bin/env python3
"""Python benchmarks of frontegg_identity, run by scripts/bench.

Prints one JSON object per line: results per repetition (same fields as the
Rust benchmark binary), `{"meta": ...}` facts (import time, wheel size, client
memory) and `{"skip": ...}` notes for what could not run.

The measured unit is the one of docs/benchmarks.md: a *call* is preverify +
verify + list_mine. Per repetition and variant: reset the emulator and give the
user five numbers (untimed), n preverifies (timed), read the codes from the
emulator's SMS outbox in one request (untimed), n verifies (timed), n
list_mine (timed). calls/s = n / (sum of the three timed phases).

With --floor the base URL is the fixed-answer floor server
(`frontegg-identity-bench floor-server`): the untimed steps are skipped (no
reset, no seeding, no outbox) and every verify sends the same code, which the
floor server accepts, as the Rust floor rows do. Rows then carry
"floor": true; import time, wheel size and memory are measured only in the
emulator mode.

Every variant sends the same method, path, headers (Accept, User-Agent,
Authorization, Content-Type on bodies) and compact JSON body, and turns
list_mine's JSON into the same frozen dataclasses with parsed datetimes.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import glob
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, List, Optional, Sequence

PHONES = "/identity/resources/users/phone-numbers/v1"
USER = "bench-user"
SEEDED = [f"+44207946095{k}" for k in range(5)]
UA = "frontegg-identity-bench-python"


def emit(obj: dict) -> None:
    print(json.dumps(obj), flush=True)


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


# ----------------------------------------------------------------- the JSON handling every raw variant shares


@dataclasses.dataclass(frozen=True)
class Record:
    id: Optional[str]
    user_id: Optional[str]
    phone_number: str
    verified: bool
    created_at: Optional[dt.datetime]
    updated_at: Optional[dt.datetime]


def _date(value: Any) -> Optional[dt.datetime]:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def records(items: list) -> List[Record]:
    return [
        Record(
            id=i.get("id"),
            user_id=i.get("userId"),
            phone_number=i.get("phoneNumber", ""),
            verified=i.get("verified") is True,
            created_at=_date(i.get("createdAt")),
            updated_at=_date(i.get("updatedAt")),
        )
        for i in items
    ]


# ----------------------------------------------------------------- control of the emulator (untimed)


FLOOR_TOKEN = "floor-user-token"
FLOOR_CODE = "123456"  # the floor server accepts any code
FLOOR_OTC = "floor-otc-token-0123456789abcdef"  # the otcToken the floor server hands out


class Control:
    def __init__(self, base: str, floor: bool = False) -> None:
        self.base = base.rstrip("/")
        self.floor = floor
        if floor:
            self.token = FLOOR_TOKEN
        else:
            self.token = self._json("POST", "/_emulator/tokens", {"userId": USER})["accessToken"]

    def _json(self, method: str, path: str, body: Any = None, token: Optional[str] = None) -> Any:
        data = None if body is None else dumps(body)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("content-type", "application/json")
        if token:
            req.add_header("authorization", f"Bearer {token}")
        with urllib.request.urlopen(req, timeout=60) as resp:
            raw = resp.read()
        return json.loads(raw) if raw.strip() else None

    def reset(self) -> None:
        if self.floor:
            return
        self._json("POST", "/_emulator/reset")
        for number in SEEDED:
            self._json("POST", PHONES, {"phoneNumber": number, "verify": False}, self.token)

    def codes(self, numbers: Sequence[str]) -> List[str]:
        if self.floor:
            return [FLOOR_CODE] * len(numbers)
        by_number = {s["phoneNumber"]: s["code"] for s in self._json("GET", "/_emulator/sms")}
        return [by_number[n] for n in numbers]


def numbers(n: int) -> List[str]:
    return [f"+1415{i % 10_000_000:07d}" for i in range(n)]


def headers(token: str, body: bool) -> dict:
    h = {"accept": "application/json", "user-agent": UA, "authorization": f"Bearer {token}"}
    if body:
        h["content-type"] = "application/json"
    return h


# ----------------------------------------------------------------- sync variants


class SyncVariant:
    """preverify(phone) -> token, verify(token, code), list_mine() -> list."""

    name = ""
    per_thread = False

    def __init__(self, base: str, token: str) -> None:
        self.base = base.rstrip("/")
        self.token = token

    def close(self) -> None:
        pass


def sdk_client(variant: Any, kind: str, token: str) -> None:
    """Gives an SDK variant its client of this kind and the client's phone_numbers group."""
    import frontegg_identity

    variant.client = getattr(frontegg_identity, kind)(user_token=token, base_url=variant.base)
    variant.phones = variant.client.phone_numbers


class SdkSync(SyncVariant):
    name = "sdk"

    def __init__(self, base: str, token: str) -> None:
        super().__init__(base, token)
        sdk_client(self, "IdentityClient", token)

    def preverify(self, phone: str) -> Any:
        return self.phones.preverify(phone)

    def verify(self, token: Any, code: str) -> None:
        self.phones.verify(token, code)

    def list_mine(self) -> list:
        return self.phones.list_mine()

    def close(self) -> None:
        close = getattr(self.client, "close", None)
        if close:
            close()


class _HttpSync(SyncVariant):
    def __init__(self, base: str, token: str) -> None:
        super().__init__(base, token)
        self.h_body = headers(token, True)
        self.h_get = headers(token, False)
        self.url_pre = self.base + PHONES + "/preverify"
        self.url_ver = self.base + PHONES + "/verify"
        self.url_me = self.base + PHONES + "/me"

    def session(self) -> Any:
        raise NotImplementedError

    def list_mine(self) -> list:
        r = self.session().get(self.url_me, headers=self.h_get)
        r.raise_for_status()
        return records(r.json())


class RequestsSync(_HttpSync):
    """requests.Session, one per thread (a Session is not thread-safe)."""

    name = "requests"

    def __init__(self, base: str, token: str) -> None:
        super().__init__(base, token)
        import requests

        self._requests = requests
        self._local = threading.local()
        self._all: list = []

    def session(self) -> Any:
        s = getattr(self._local, "s", None)
        if s is None:
            s = self._requests.Session()
            s.headers.clear()
            self._local.s = s
            self._all.append(s)
        return s

    def preverify(self, phone: str) -> str:
        r = self.session().post(self.url_pre, data=dumps({"phoneNumber": phone}), headers=self.h_body)
        r.raise_for_status()
        return r.json()["otcToken"]

    def verify(self, token: str, code: str) -> None:
        r = self.session().post(self.url_ver, data=dumps({"otcToken": token, "code": code}), headers=self.h_body)
        r.raise_for_status()
        if r.content.strip():
            r.json()

    def close(self) -> None:
        for s in self._all:
            s.close()


class HttpxSync(_HttpSync):
    """One shared httpx.Client (thread-safe)."""

    name = "httpx"

    def __init__(self, base: str, token: str) -> None:
        super().__init__(base, token)
        import httpx

        self.client = httpx.Client(headers={}, limits=httpx.Limits(max_connections=64, max_keepalive_connections=64))
        self.client.headers.clear()

    def session(self) -> Any:
        return self.client

    def preverify(self, phone: str) -> str:
        r = self.client.post(self.url_pre, content=dumps({"phoneNumber": phone}), headers=self.h_body)
        r.raise_for_status()
        return r.json()["otcToken"]

    def verify(self, token: str, code: str) -> None:
        r = self.client.post(self.url_ver, content=dumps({"otcToken": token, "code": code}), headers=self.h_body)
        r.raise_for_status()
        if r.content.strip():
            r.json()

    def close(self) -> None:
        self.client.close()


class SocketSync(SyncVariant):
    """The issue's reference loop (floor server only): the same requests,
    each written in one call (`sendall`) on a raw kept-alive socket per
    thread, the answer read until its Content-Length is in, and its body
    parsed with `json.loads`. No HTTP library and no records: what is left is
    the round trips, Python's own socket calls and the JSON parse."""

    name = "socket"

    def __init__(self, base: str, token: str) -> None:
        super().__init__(base, token)
        authority = self.base.split("://", 1)[1]
        host, port = authority.rsplit(":", 1)
        self.addr = (host, int(port))
        self.head = (f"host: {authority}\r\naccept: application/json\r\nuser-agent: {UA}\r\n"
                     f"authorization: Bearer {token}\r\n")
        self._local = threading.local()
        self._all: list = []

    def _socket(self) -> socket.socket:
        s = getattr(self._local, "s", None)
        if s is None:
            s = socket.create_connection(self.addr)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._local.s = s
            self._all.append(s)
        return s

    def _exchange(self, method: str, path: str, body: bytes = b"") -> bytes:
        s = self._socket()
        head = f"{method} {PHONES}{path} HTTP/1.1\r\n{self.head}"
        if body:
            head += f"content-type: application/json\r\ncontent-length: {len(body)}\r\n"
        s.sendall(head.encode() + b"\r\n" + body)
        buf = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                raise RuntimeError("the floor server closed the connection")
            buf += chunk
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                continue
            at = buf.find(b"content-length:", 0, end)
            length = int(buf[at + 15:buf.index(b"\r\n", at)]) if at >= 0 else 0
            if len(buf) >= end + 4 + length:
                return buf[end + 4:end + 4 + length]

    def preverify(self, phone: str) -> Any:
        return json.loads(self._exchange("POST", "/preverify", dumps({"phoneNumber": phone})))["otcToken"]

    def verify(self, token: Any, code: str) -> None:
        # The floor server's token, as the other variants send it.
        body = self._exchange("POST", "/verify", dumps({"otcToken": FLOOR_OTC, "code": code}))
        if body:
            json.loads(body)

    def list_mine(self) -> list:
        # The parsed items, so that the five-record check still holds.
        items: list = json.loads(self._exchange("GET", "/me"))
        return items

    def close(self) -> None:
        for s in self._all:
            s.close()


def sync_phase(n: int, threads: int, f: Callable[[int], Any]) -> tuple:
    counter = itertools.count()
    out: List[Any] = [None] * n

    def worker() -> None:
        while True:
            i = next(counter)
            if i >= n:
                return
            out[i] = f(i)

    start, cpu = time.perf_counter(), time.process_time()
    if threads == 1:
        worker()
    else:
        with ThreadPoolExecutor(threads) as pool:
            for fut in [pool.submit(worker) for _ in range(threads)]:
                fut.result()
    return out, time.perf_counter() - start, time.process_time() - cpu


def sync_rep(control: Control, v: SyncVariant, nums: List[str], threads: int) -> tuple:
    n = len(nums)
    control.reset()
    tokens, t_pre, c_pre = sync_phase(n, threads, lambda i: v.preverify(nums[i]))
    codes = control.codes(nums)
    _, t_ver, c_ver = sync_phase(n, threads, lambda i: v.verify(tokens[i], codes[i]))
    lists, t_list, c_list = sync_phase(n, threads, lambda i: v.list_mine())
    if any(len(x) != len(SEEDED) for x in lists):
        raise RuntimeError(f"{v.name}: list_mine did not return the five seeded numbers")
    return (t_pre, t_ver, t_list), (c_pre, c_ver, c_list)


# ----------------------------------------------------------------- async variants


class AsyncVariant:
    name = ""

    def __init__(self, base: str, token: str) -> None:
        self.base = base.rstrip("/")
        self.h_body = headers(token, True)
        self.h_get = headers(token, False)
        self.url_pre = self.base + PHONES + "/preverify"
        self.url_ver = self.base + PHONES + "/verify"
        self.url_me = self.base + PHONES + "/me"

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass


class SdkAsync(AsyncVariant):
    name = "sdk"

    def __init__(self, base: str, token: str) -> None:
        super().__init__(base, token)
        sdk_client(self, "AsyncIdentityClient", token)

    async def preverify(self, phone: str) -> Any:
        return await self.phones.preverify(phone)

    async def verify(self, token: Any, code: str) -> None:
        await self.phones.verify(token, code)

    async def list_mine(self) -> list:
        return await self.phones.list_mine()

    async def close(self) -> None:
        aclose = getattr(self.client, "aclose", None) or getattr(self.client, "close", None)
        if aclose:
            res = aclose()
            if asyncio.iscoroutine(res):
                await res


class HttpxAsync(AsyncVariant):
    name = "httpx"

    async def open(self) -> None:
        import httpx

        self.client = httpx.AsyncClient(limits=httpx.Limits(max_connections=64, max_keepalive_connections=64))
        self.client.headers.clear()

    async def preverify(self, phone: str) -> str:
        r = await self.client.post(self.url_pre, content=dumps({"phoneNumber": phone}), headers=self.h_body)
        r.raise_for_status()
        return r.json()["otcToken"]

    async def verify(self, token: str, code: str) -> None:
        r = await self.client.post(self.url_ver, content=dumps({"otcToken": token, "code": code}), headers=self.h_body)
        r.raise_for_status()
        if r.content.strip():
            r.json()

    async def list_mine(self) -> list:
        r = await self.client.get(self.url_me, headers=self.h_get)
        r.raise_for_status()
        return records(r.json())

    async def close(self) -> None:
        await self.client.aclose()


class AiohttpAsync(AsyncVariant):
    name = "aiohttp"

    async def open(self) -> None:
        import aiohttp

        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=64), skip_auto_headers=("User-Agent", "Accept-Encoding")
        )

    async def preverify(self, phone: str) -> str:
        async with self.session.post(self.url_pre, data=dumps({"phoneNumber": phone}), headers=self.h_body) as r:
            r.raise_for_status()
            return json.loads(await r.read())["otcToken"]

    async def verify(self, token: str, code: str) -> None:
        async with self.session.post(self.url_ver, data=dumps({"otcToken": token, "code": code}), headers=self.h_body) as r:
            r.raise_for_status()
            body = await r.read()
            if body.strip():
                json.loads(body)

    async def list_mine(self) -> list:
        async with self.session.get(self.url_me, headers=self.h_get) as r:
            r.raise_for_status()
            return records(json.loads(await r.read()))

    async def close(self) -> None:
        await self.session.close()


async def async_phase(n: int, concurrency: int, f: Callable[[int], Any]) -> tuple:
    counter = itertools.count()
    out: List[Any] = [None] * n

    async def worker() -> None:
        while True:
            i = next(counter)
            if i >= n:
                return
            out[i] = await f(i)

    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return out, time.perf_counter() - start, time.process_time() - cpu


async def async_rep(control: Control, v: AsyncVariant, nums: List[str], concurrency: int) -> tuple:
    n = len(nums)
    control.reset()
    tokens, t_pre, c_pre = await async_phase(n, concurrency, lambda i: v.preverify(nums[i]))
    codes = control.codes(nums)
    _, t_ver, c_ver = await async_phase(n, concurrency, lambda i: v.verify(tokens[i], codes[i]))
    lists, t_list, c_list = await async_phase(n, concurrency, lambda i: v.list_mine())
    if any(len(x) != len(SEEDED) for x in lists):
        raise RuntimeError(f"{v.name}: list_mine did not return the five seeded numbers")
    return (t_pre, t_ver, t_list), (c_pre, c_ver, c_list)


# ----------------------------------------------------------------- reporting


FLOOR = False  # set from --floor in main()


def report(bench: str, variant: str, parallelism: int, n: int, rep: int, tc: tuple) -> None:
    # t: wall seconds per phase; c: this process's CPU seconds per phase
    # (time.process_time(): CLOCK_PROCESS_CPUTIME_ID, user + system, all
    # threads -- what getrusage(RUSAGE_SELF) counts, at nanosecond resolution).
    t, c = tc
    total = sum(t)
    emit(
        {
            "bench": bench,
            "label": "",
            "variant": variant,
            "parallelism": parallelism,
            "floor": FLOOR,
            "calls": n,
            "rep": rep,
            "seconds": total,
            "calls_per_s": n / total,
            "requests_per_s": 3 * n / total,
            "preverify_per_s": n / t[0],
            "verify_per_s": n / t[1],
            "list_mine_per_s": n / t[2],
            "cpu_us_per_call": sum(c) / n * 1e6,
            "list_mine_cpu_us": c[2] / n * 1e6,
        }
    )


def run_sync(control: Control, factories: list, n_by: dict, reps: int, threads: int) -> None:
    variants = []
    for factory in factories:
        try:
            variants.append(factory(control.base, control.token))
        except ImportError as e:
            emit({"skip": f"python-sync {factory.name}: {e}"})
    for v in variants:  # warm-up
        sync_rep(control, v, numbers(min(50, n_by[v.name])), threads)
    for rep in range(reps):
        for v in variants:
            n = n_by[v.name]
            report("python-sync", v.name, threads, n, rep, sync_rep(control, v, numbers(n), threads))
    for v in variants:
        v.close()


async def run_async(control: Control, factories: list, n_by: dict, reps: int, concurrency: int) -> None:
    variants = []
    for factory in factories:
        try:
            v = factory(control.base, control.token)
            await v.open()
            variants.append(v)
        except ImportError as e:
            emit({"skip": f"python-async {factory.name}: {e}"})
    for v in variants:
        await async_rep(control, v, numbers(min(64, n_by[v.name])), concurrency)
    for rep in range(reps):
        for v in variants:
            n = n_by[v.name]
            report("python-async", v.name, concurrency, n, rep, await async_rep(control, v, numbers(n), concurrency))
    for v in variants:
        await v.close()


# ----------------------------------------------------------------- import time, wheel size, memory


def import_time(runs: int) -> None:
    """`import frontegg_identity`, and with what the first client
    (`_types`: the dataclasses, with `dataclasses` and `typing`) adds to it:
    the cumulative `-X importtime` figures of those two lines."""
    samples: dict = {"import_ms": [], "import_with_records_ms": []}
    for _ in range(runs):
        p = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import frontegg_identity, frontegg_identity._types"],
            capture_output=True,
            text=True,
            check=True,
        )
        cumulative = {}
        for line in p.stderr.splitlines():
            parts = [x.strip() for x in line.split("|")]
            if len(parts) == 3 and parts[2] in ("frontegg_identity", "frontegg_identity._types"):
                cumulative[parts[2]] = int(parts[1]) / 1000.0
        if len(cumulative) == 2:
            samples["import_ms"].append(cumulative["frontegg_identity"])
            samples["import_with_records_ms"].append(sum(cumulative.values()))
    for name, values in samples.items():
        if values:
            emit({"meta": name, "median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)})


def wheel_size(root: str) -> None:
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))  # where scripts/bench builds it
    wheels = sorted(glob.glob(os.path.join(target, "wheels", "frontegg_identity-*.whl")), key=os.path.getmtime)
    if wheels:
        emit({"meta": "wheel_bytes", "value": os.path.getsize(wheels[-1]), "file": os.path.basename(wheels[-1])})
    import frontegg_identity

    pkg = os.path.dirname(frontegg_identity.__file__)
    total = 0
    for dirpath, _, files in os.walk(pkg):
        total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files if "__pycache__" not in dirpath)
    emit({"meta": "installed_bytes", "value": total, "path": pkg})


MEMORY_PROBE = r"""
import gc, json, sys
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
import frontegg_identity
from frontegg_identity import IdentityClient
# The records' module is imported by the first client; imported here,
# before the first reading, so that only the client and its call are counted.
import frontegg_identity._types
base, token = sys.argv[1], sys.argv[2]
gc.collect(); r0 = rss()
c = IdentityClient(user_token=token, base_url=base)
c.phone_numbers.list_mine()
gc.collect(); r1 = rss()
more = [IdentityClient(user_token=token, base_url=base) for _ in range(100)]
gc.collect(); r2 = rss()
print(json.dumps({"meta": "client_memory", "first_client_bytes": r1 - r0, "per_extra_client_bytes": (r2 - r1) / 100}))
"""


def memory(base: str, token: str) -> None:
    p = subprocess.run([sys.executable, "-c", MEMORY_PROBE, base, token], capture_output=True, text=True)
    if p.returncode == 0 and p.stdout.strip():
        print(p.stdout.strip().splitlines()[-1], flush=True)
    else:
        emit({"skip": f"client memory probe failed: {p.stderr.strip().splitlines()[-1:] }"})


# ----------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url", required=True, help="the emulator's (or, with --floor, the floor server's) base URL")
    ap.add_argument("--floor", action="store_true",
                    help="the base URL is the fixed-answer floor server: skip reset, seeding and the SMS outbox, "
                         "send one fixed code; no import-time, wheel or memory facts")
    ap.add_argument("--calls", type=int, default=1000, help="calls per repetition for the SDK and aiohttp")
    ap.add_argument("--slow-calls", type=int, default=300, help="calls per repetition for requests and httpx (sync and async)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--import-runs", type=int, default=7)
    ap.add_argument("--raw-only", action="store_true", help="run the raw variants even without frontegg_identity")
    ap.add_argument("--variants", nargs="+", default=["sdk", "requests", "httpx", "aiohttp", "socket"],
                    help="the variants to run (default: all)")
    ap.add_argument("--no-sync", action="store_true", help="skip the sync rows")
    ap.add_argument("--no-async", action="store_true", help="skip the async rows")
    ap.add_argument("--no-facts", action="store_true", help="skip import time, wheel size and memory")
    args = ap.parse_args()

    try:
        import frontegg_identity  # noqa: F401

        have_sdk = True
    except ImportError as e:
        have_sdk = False
        emit({"skip": f"frontegg_identity is not importable ({e}); Python SDK rows, import time, wheel size and memory skipped"})
        if not args.raw_only:
            return 0

    global FLOOR
    FLOOR = args.floor
    control = Control(args.base_url, floor=args.floor)
    n_by = {"sdk": args.calls, "requests": args.slow_calls, "httpx": args.slow_calls, "aiohttp": args.calls,
            "socket": args.calls}
    wanted = set(args.variants)
    floor_only = [SocketSync] if args.floor else []
    sync = [f for f in ([SdkSync] if have_sdk else []) + [RequestsSync, HttpxSync] + floor_only if f.name in wanted]
    if sync and not args.no_sync:
        for threads in args.threads:
            run_sync(control, sync, n_by, args.reps, threads)
    n_async = n_by  # httpx.AsyncClient is as slow as the sync clients: the smaller count
    asyncs = [f for f in ([SdkAsync] if have_sdk else []) + [AiohttpAsync, HttpxAsync] if f.name in wanted]
    if asyncs and not args.no_async:
        asyncio.run(run_async(control, asyncs, n_async, args.reps, args.concurrency))

    if have_sdk and not args.floor and not args.no_facts:
        import_time(args.import_runs)
        wheel_size(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        memory(control.base, control.token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
