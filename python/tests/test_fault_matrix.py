"""The fault matrix for the Python clients: one table of misbehaving-server
cases, run against both clients (``IdentityClient`` over ureq,
``AsyncIdentityClient`` over hyper). It mirrors the Rust matrix of
``tests/tests/fault_matrix.rs``.

The server is the in-process emulator where its fault scripting can say it
(status faults per route, 429 headers, vendor 401, dropped connections), and
the raw server of ``fault_server.py`` where it cannot (no answer, reset,
truncated, oversized or trickling bodies, raw bytes, redirects). For every
case and every call of the case it checks: the typed error (or the success
after a permitted retry) and its attributes, that nothing but a
``FronteggError`` came out (no panic), that the call returned within
``attempts x timeout + backoffs + told waits + margin``, how many requests
the server saw on the route, and that an SMS-sending or code-consuming
request was processed at most once per call.

Each call of a case gets its own server (a fresh emulator, or a fresh raw
server), so the calls of a case run concurrently, each on its own thread:
the file stays fast although many cases wait for timeouts and backoffs.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, List, Literal, Optional, Sequence, Tuple, Type, Union

import pytest

import frontegg_identity as fi
from frontegg_identity.testing import Emulator

import fault_server as fs

# ------------------------------------------------------------------ settings

TIMEOUT = 0.2
"""``timeout=`` of the clients: the time allowed for one attempt, in seconds."""
MAX_RETRIES = 2
"""``max_retries=`` of the clients: three attempts in all."""
BODY_LIMIT = 1024 * 1024
"""The largest answer body the Python clients read (not configurable: the core default)."""
MARGIN = 1.0
"""Scheduling slack on a loaded machine, on top of the computed bound."""
PHONES = "/identity/resources/users/phone-numbers"
USER = "matrix-user"
TENANT = "tenant-1"
RAW_USER_TOKEN = "raw-user-token"
RAW_CLIENT_ID = "raw-client-id"
RAW_SECRET = "raw-vendor-secret"

ClientKind = Literal["sync", "async"]
Call = Literal[
    "assign", "preverify", "verify", "list_mine", "start_delete", "confirm_delete",
    "list", "vendor_add", "vendor_delete",
]
ALL_CALLS: Tuple[Call, ...] = (
    "assign", "preverify", "verify", "list_mine", "start_delete", "confirm_delete",
    "list", "vendor_add", "vendor_delete",
)
THREE: Tuple[Call, ...] = ("list_mine", "preverify", "verify")
"""A read, an SMS route and a code route: the three retry classes."""
SAMPLE: Tuple[Call, ...] = ("list_mine", "list", "preverify", "verify", "confirm_delete", "start_delete")
"""The routes that send an SMS or consume a code, and the two reads."""
READS = frozenset({"list_mine", "list"})
VENDOR = frozenset({"list", "vendor_add", "vendor_delete"})
AT_MOST_ONCE = frozenset({"assign", "preverify", "start_delete", "verify", "confirm_delete"})


def backoff_bound(attempts: int) -> float:
    """The longest the default retry policy waits between ``attempts``
    attempts (200 ms doubling, jitter over the upper half, so at most the base)."""
    return float(sum(min(0.2 * 2.0**i, 5.0) for i in range(attempts - 1)))


# ------------------------------------------------------------------ the table


@dataclass(frozen=True)
class Ok:
    """Success (possibly after a permitted retry)."""


@dataclass(frozen=True)
class Status:
    """An ``APIStatusError`` of the class for ``code``, with ``body`` in its excerpt."""

    code: int
    body: Optional[str] = None


@dataclass(frozen=True)
class RateLimited:
    """A ``RateLimitError`` with ``retry_after`` at least this (or ``None``)."""

    at_least: Optional[float]


@dataclass(frozen=True)
class Transport:
    """An ``APIConnectionError`` (``APITimeoutError`` for ``"timeout"``) of this
    ``kind`` and ``may_have_been_sent``."""

    kind: str
    sent: bool


@dataclass(frozen=True)
class Decode:
    """A ``ResponseDecodeError``."""


Want = Union[Ok, Status, RateLimited, Transport, Decode]


@dataclass(frozen=True)
class Expect:
    want: Want
    attempts: int
    """Attempts the client makes (for the time bound)."""
    requests: int
    """Requests the server counts on the call's route."""


def once(want: Want) -> Expect:
    return Expect(want, 1, 1)


def thrice(want: Want) -> Expect:
    return Expect(want, 3, 3)


RETRIED_OK = Expect(Ok(), 2, 2)


@dataclass(frozen=True)
class Refused:
    """Nothing listens."""


@dataclass(frozen=True)
class RawServer:
    """The raw server, with this behaviour for every request but vendor auth."""

    behavior: fs.Behavior


@dataclass(frozen=True)
class Redirect:
    """The raw server answers this redirect status, to a decoy on another host."""

    status: int


@dataclass(frozen=True)
class Emu:
    """The emulator, with this fault (``inject_fault`` keywords) scripted just
    before the call; ``make`` builds them at call time (dates relative to now)."""

    make: Callable[[Call], Dict[str, Any]]
    label: str


Server = Union[Refused, RawServer, Redirect, Emu]


@dataclass(frozen=True)
class Case:
    name: str
    server: Server
    calls: Tuple[Call, ...]
    write: Expect
    """For calls that send an SMS, consume a code or change state."""
    read: Expect
    """For the idempotent reads (``list_mine``, ``list``)."""
    told_wait: float = 0.0
    """What the server tells the client to wait, in all (added to the bound)."""
    min_elapsed: float = 0.0
    """The least time the call must take (a told wait, or backoffs, honoured)."""
    vendor_auths: Optional[int] = None
    """Vendor authentications expected per vendor call, when checked."""

    def expect(self, call: Call) -> Expect:
        return self.read if call in READS else self.write


def case(name: str, server: Server, calls: Sequence[Call], both: Expect, **kw: Any) -> Case:
    return Case(name, server, tuple(calls), both, both, **kw)


def status_fault(status: int, times: int = 1, on: Optional[str] = None) -> Emu:
    return Emu(lambda call: {"route": on or call, "status": status, "times": times}, f"{status} x{times}")


def reset_in(ms: int) -> Emu:
    def make(call: Call) -> Dict[str, Any]:
        at = datetime.now(timezone.utc) + timedelta(milliseconds=ms)
        return {"route": call, "rate_limit_reset": at.isoformat(timespec="milliseconds").replace("+00:00", "Z")}

    return Emu(make, f"X-Rate-Limit-Reset now{ms:+}ms")


def reset(value: str) -> Emu:
    return Emu(lambda call: {"route": call, "rate_limit_reset": value}, f"X-Rate-Limit-Reset {value}")


def retry_after(value: str) -> Emu:
    return Emu(lambda call: {"route": call, "retry_after": value}, f"Retry-After {value}")


def retry_after_date_in(seconds: int) -> Emu:
    """An HTTP-date (whole seconds) ``seconds`` after the current second: made
    in the first half of a second, so the told wait is ``seconds - 0.5`` to ``seconds``."""

    def make(call: Call) -> Dict[str, Any]:
        fraction = time.time() % 1.0
        if fraction > 0.5:
            time.sleep(1.0 - fraction)
        return {"route": call, "retry_after": email.utils.formatdate(int(time.time()) + seconds, usegmt=True)}

    return Emu(make, f"Retry-After HTTP-date +{seconds}s")


def drop(when: Literal["before", "after"]) -> Emu:
    return Emu(lambda call: {"route": call, "drop": when}, f"drop {when}")


def html_page(status: str) -> fs.Raw:
    return fs.respond(
        status,
        [("content-type", "text/html")],
        b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
    )


DAY = 86_400.0


def cases() -> List[Case]:
    rows = [
        # Transport failures. Refused: nothing was sent, so every route
        # retries (the two backoffs take at least 0.1 + 0.2 s).
        case("connection refused (retried: nothing was sent)", Refused(),
             ("list_mine", "preverify", "verify", "confirm_delete", "list", "vendor_add"),
             Expect(Transport("connect", False), 3, 0), min_elapsed=0.29),
        replace(case("accepts, never answers (read timeout)", RawServer(fs.NeverAnswer()), THREE,
                     once(Transport("timeout", True))), read=thrice(Transport("timeout", True))),
        replace(case("reset after the request was read", RawServer(fs.Reset()), THREE,
                     once(Transport("io", True))), read=thrice(Transport("io", True))),
        replace(case("truncated body (Content-Length larger than sent)",
                     RawServer(fs.Truncated(100, b'[{"id":"p1","phoneNu')), THREE,
                     once(Transport("io", True))), read=thrice(Transport("io", True))),
        case("declared body over the size limit (2 MiB)",
             RawServer(fs.respond("200 OK", [("content-type", "application/json")], b" " * (2 * BODY_LIMIT))),
             THREE, once(Transport("body_too_large", True))),
        case("undeclared body over the size limit (read to close)",
             RawServer(fs.Raw(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n"
                              + b" " * (2 * BODY_LIMIT))),
             THREE, once(Transport("body_too_large", True))),
        replace(case("body trickling slower than the total timeout", RawServer(fs.Trickle(200, 0.05)), THREE,
                     once(Transport("timeout", True))), read=thrice(Transport("timeout", True))),
        # Odd answers.
        replace(case("502 with an HTML page", RawServer(html_page("502 Bad Gateway")), SAMPLE,
                     once(Status(502, "<html>"))), read=thrice(Status(502, "<html>"))),
        case("200 with invalid UTF-8",
             RawServer(fs.respond("200 OK", [("content-type", "application/json")],
                                  b'\xff\xfe\xfd{"otcToken":"\xc3\x28"}')),
             ("list_mine", "preverify", "list", "start_delete"), once(Decode())),
        case("200 with an HTML page (wrong content type)", RawServer(html_page("200 OK")),
             ("list_mine", "preverify", "list", "start_delete"), once(Decode())),
        case("200 JSON array labelled text/plain (the body is trusted, not the type)",
             RawServer(fs.respond("200 OK", [("content-type", "text/plain")], b"[]")), ("list_mine",), once(Ok())),
        case("200 JSON object labelled text/html",
             RawServer(fs.respond("200 OK", [("content-type", "text/html")], b'{"otcToken":"otc-raw","phoneId":"p"}')),
             ("preverify", "start_delete"), once(Ok())),
        case("302 to another host is not followed", Redirect(302), ("list_mine", "preverify", "verify", "list"),
             once(Status(302))),
        case("307 to another host is not followed", Redirect(307), ("preverify", "confirm_delete", "vendor_add"),
             once(Status(307))),
        # Authentication.
        case("401 on a vendor route: re-authenticate once, then succeed", status_fault(401, 1),
             ("list", "vendor_add", "vendor_delete"), RETRIED_OK, vendor_auths=2),
        case("401 twice on a vendor route: re-authenticate once, then fail", status_fault(401, 2),
             ("list", "vendor_add", "vendor_delete"), Expect(Status(401), 2, 2), vendor_auths=2),
        case("401 on a user route: no retry", status_fault(401, 1), THREE, once(Status(401))),
        case("503 on vendor auth: retried, then the call succeeds", status_fault(503, 1, on="vendor_auth"),
             ("list", "vendor_add", "vendor_delete"), once(Ok()), vendor_auths=2),
        case("500 on vendor auth: the call fails, nothing sent", status_fault(500, 1, on="vendor_auth"),
             ("list", "vendor_add", "vendor_delete"), Expect(Status(500), 1, 0), vendor_auths=1),
        # Rate limits: a 429 was not processed, every route may be retried.
        # The reset time is set before the client is made (which can take a
        # tenth of a second on a busy machine): 600 ms ahead leaves a wait of
        # well over the 0.2 s the row requires.
        case("429, X-Rate-Limit-Reset 600 ms ahead: waited for, then success", reset_in(600), SAMPLE,
             RETRIED_OK, told_wait=0.6, min_elapsed=0.2),
        case("429, X-Rate-Limit-Reset in the past: backoff, then success", reset_in(-5_000), SAMPLE, RETRIED_OK),
        case("429, X-Rate-Limit-Reset unparseable: backoff, then success", reset("next tuesday"), SAMPLE,
             RETRIED_OK),
        case("429, X-Rate-Limit-Reset in 2100: not waited, RateLimitError at once",
             reset("2100-01-01T00:00:00Z"), SAMPLE, once(RateLimited(DAY))),
        case("429, Retry-After 1 (seconds): waited for, then success", retry_after("1"), ("preverify",),
             RETRIED_OK, told_wait=1.0, min_elapsed=0.95),
        case("429, Retry-After as an HTTP-date 1 s ahead: waited for, then success", retry_after_date_in(1),
             ("verify",), RETRIED_OK, told_wait=1.0, min_elapsed=0.45),
        case("429, Retry-After negative: backoff, then success", retry_after("-5"), SAMPLE, RETRIED_OK),
        case("429, Retry-After enormous (86400): capped, RateLimitError at once", retry_after("86400"), SAMPLE,
             once(RateLimited(DAY))),
        case("429, Retry-After beyond u64: an endless wait, RateLimitError at once",
             retry_after("99999999999999999999999"), ("preverify", "list_mine"), once(RateLimited(DAY))),
        case("429 without headers on every attempt: RateLimitError after 3", status_fault(429, 3), SAMPLE,
             thrice(RateLimited(None))),
        # Dropped connections.
        replace(case("dropped before processing", drop("before"), SAMPLE, once(Transport("io", True))),
                read=RETRIED_OK),
        replace(case("processed, then dropped: the SMS or code is not repeated", drop("after"), SAMPLE,
                     once(Transport("io", True))), read=RETRIED_OK),
        case("503 three times on a read: reported after 3 attempts", status_fault(503, 3), ("list_mine", "list"),
             thrice(Status(503))),
    ]
    # 500, 503 and 504 on each route: a read retries a gateway error (not a
    # 500); nothing else is ever repeated.
    for status in (500, 503, 504):
        row = case(f"{status} on each route", status_fault(status, 1), ALL_CALLS, once(Status(status)))
        rows.append(row if status == 500 else replace(row, read=RETRIED_OK))
    return rows


CASES = cases()

# ------------------------------------------------------------------ calls


@dataclass
class Args:
    """The arguments of a call: made up for the raw server, real for the emulator."""

    phone: str = "+14155550100"
    otc: str = "otc-1"
    code: str = "123456"
    phone_id: str = "phone-1"
    user_id: str = USER


def path(call: Call, a: Args) -> str:
    return {
        "assign": f"{PHONES}/v1",
        "preverify": f"{PHONES}/v1/preverify",
        "verify": f"{PHONES}/v1/verify",
        "list_mine": f"{PHONES}/v1/me",
        "start_delete": f"{PHONES}/v1/{a.phone_id}",
        "confirm_delete": f"{PHONES}/v1/{a.phone_id}/delete/verify",
        "list": f"{PHONES}/v2",
        "vendor_add": f"{PHONES}/v1/vendor/{a.user_id}",
        "vendor_delete": f"{PHONES}/v1/vendor/{a.user_id}/{a.phone_id}",
    }[call]


def invoke(p: Any, call: Call, a: Args) -> Any:
    """Calls ``call`` on a ``PhoneNumbers`` or an ``AsyncPhoneNumbers`` (a coroutine then)."""
    if call == "assign":
        return p.assign(a.phone)
    if call == "preverify":
        return p.preverify(a.phone)
    if call == "verify":
        return p.verify(a.otc, a.code)
    if call == "list_mine":
        return p.list_mine()
    if call == "start_delete":
        return p.start_delete(a.phone_id)
    if call == "confirm_delete":
        return p.confirm_delete(a.phone_id, a.otc, a.code)
    if call == "list":
        return p.list()
    if call == "vendor_add":
        return p.vendor_add(a.user_id, a.phone)
    return p.vendor_delete(a.user_id, a.phone_id)


Result = Tuple[Optional[BaseException], float]


def run_call(kind: ClientKind, credentials: Dict[str, Any], call: Call, a: Args) -> Result:
    """Makes one call with a fresh client; returns its error (``None`` on
    success) and the time the call itself took."""
    return run_with(kind, credentials, lambda client: invoke(client.phone_numbers, call, a))


def run_with(kind: ClientKind, credentials: Dict[str, Any], call: Callable[[Any], Any]) -> Result:
    """``call(client)`` with a fresh client of ``kind`` (awaited on the async
    one); its error (``None`` on success) and the time the call itself took."""
    kwargs = dict(credentials, timeout=TIMEOUT, max_retries=MAX_RETRIES)
    if kind == "sync":
        with fi.IdentityClient(**kwargs) as client:
            started = time.monotonic()
            try:
                call(client)
            except BaseException as e:  # noqa: BLE001 - anything is checked
                return e, time.monotonic() - started
            return None, time.monotonic() - started

    async def main() -> Result:
        async with fi.AsyncIdentityClient(**kwargs) as client:
            started = time.monotonic()
            try:
                await call(client)
            except BaseException as e:  # noqa: BLE001
                return e, time.monotonic() - started
            return None, time.monotonic() - started

    return asyncio.run(main())


@dataclass
class Seen:
    """What the server saw of one call."""

    requests: int = 0
    processed: int = 0
    sms: int = 0
    vendor_auths: int = 0
    decoy: int = 0


def emulator_setup(emu: Emulator, call: Call) -> Args:
    """Puts the emulator in the state where ``call`` succeeds and returns its arguments."""
    a = Args(phone="+14155550177")
    with emu.client(USER, TENANT) as user, emu.vendor_client(tenant_id=TENANT) as vendor:
        if call == "verify":
            a.otc = user.phone_numbers.preverify(a.phone).reveal()
            a.code = emu.last_code(a.phone) or ""
        elif call in ("start_delete", "confirm_delete"):
            user.phone_numbers.assign(a.phone, verify=False)
            (mine,) = user.phone_numbers.list_mine()
            assert mine.id is not None
            a.phone_id = mine.id
            if call == "confirm_delete":
                a.otc = user.phone_numbers.start_delete(a.phone_id).otc_token.reveal()
                a.code = emu.last_code(a.phone) or ""
        elif call == "vendor_delete":
            vendor.phone_numbers.vendor_add(a.user_id, a.phone)
            (item,) = vendor.phone_numbers.list().items
            assert item.id is not None
            a.phone_id = item.id
    return a


def raw_credentials(base_url: str, call: Call) -> Dict[str, Any]:
    if call in VENDOR:
        return {"client_id": RAW_CLIENT_ID, "secret": RAW_SECRET, "tenant_id": TENANT, "base_url": base_url}
    return {"user_token": RAW_USER_TOKEN, "base_url": base_url}


def refused_base_url() -> str:
    """A loopback port that nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run_one(kind: ClientKind, c: Case, call: Call) -> Tuple[Optional[BaseException], float, Seen]:
    server = c.server
    if isinstance(server, Refused):
        error, elapsed = run_call(kind, raw_credentials(refused_base_url(), call), call, Args())
        return error, elapsed, Seen()
    if isinstance(server, (RawServer, Redirect)):
        a = Args()
        with fs.FaultServer(fs.json_ok("[]")) as decoy:
            if isinstance(server, RawServer):
                behavior: fs.Behavior = server.behavior
            else:
                location = f"http://localhost:{decoy.port}{path(call, a)}"
                behavior = fs.respond(f"{server.status} Redirect",
                                      [("location", location), ("content-type", "application/json")], b"{}")
            with fs.FaultServer(behavior) as raw:
                error, elapsed = run_call(kind, raw_credentials(raw.base_url, call), call, a)
                n = raw.count(path(call, a))
                seen = Seen(requests=n, processed=n, vendor_auths=raw.count("/auth/vendor"), decoy=decoy.total())
        return error, elapsed, seen
    with Emulator() as emu:
        a = emulator_setup(emu, call)
        if call in VENDOR:
            client_id, secret = emu.vendor_credentials()
            creds: Dict[str, Any] = {"client_id": client_id, "secret": secret, "tenant_id": TENANT}
        else:
            creds = {"user_token": emu.user_token(USER, TENANT)}
        creds["base_url"] = emu.base_url
        log_start = max((r["seq"] for r in emu.requests()), default=0)
        sms_start = len(emu.sms())
        emu.inject_fault(**server.make(call))
        error, elapsed = run_call(kind, creds, call, a)
        log = [r for r in emu.requests() if r["seq"] > log_start]
        on_route = [r for r in log if r["route"] == call]
        seen = Seen(
            requests=len(on_route),
            processed=sum(1 for r in on_route if r["processed"]),
            sms=len(emu.sms()) - sms_start,
            vendor_auths=sum(1 for r in log if r["route"] == "vendor_auth"),
        )
        return error, elapsed, seen


STATUS_CLASSES: Dict[int, Type[fi.APIStatusError]] = {
    400: fi.BadRequestError, 401: fi.AuthenticationError, 403: fi.PermissionDeniedError,
    404: fi.NotFoundError, 409: fi.ConflictError, 429: fi.RateLimitError,
}


def check_want(want: Want, error: Optional[BaseException]) -> Optional[str]:
    """What is wrong with ``error`` for ``want``, if anything."""
    if error is None:
        return None if isinstance(want, Ok) else f"succeeded, expected {want}"
    if not isinstance(error, fi.FronteggError) or "panic" in str(error).lower():
        return f"not a FronteggError (or a panic): {type(error).__name__}: {error!r}"
    got = f"{type(error).__name__}({error}) {vars(error)}"
    if isinstance(want, Ok):
        return f"expected success, got {got}"
    if isinstance(want, Status):
        expected_class = STATUS_CLASSES.get(want.code, fi.InternalServerError if want.code >= 500 else fi.APIStatusError)
        good = (
            type(error) is expected_class
            and isinstance(error, fi.APIStatusError)
            and error.status_code == want.code
            and (want.body is None or want.body in error.body_excerpt)
        )
    elif isinstance(want, RateLimited):
        good = isinstance(error, fi.RateLimitError) and error.status_code == 429 and error.retryable and (
            error.retry_after is None if want.at_least is None
            else error.retry_after is not None and error.retry_after >= want.at_least
        )
    elif isinstance(want, Transport):
        good = (
            isinstance(error, fi.APIConnectionError)
            and error.kind == want.kind
            and error.may_have_been_sent is want.sent
            and isinstance(error, fi.APITimeoutError) == (want.kind == "timeout")
        )
    else:
        good = isinstance(error, fi.ResponseDecodeError)
    return None if good else f"expected {want}, got {got}"


def problems_of(c: Case, call: Call, error: Optional[BaseException], elapsed: float, seen: Seen) -> List[str]:
    exp = c.expect(call)
    problems = []
    wrong = check_want(exp.want, error)
    if wrong:
        problems.append(wrong)
    if seen.requests != exp.requests:
        problems.append(f"the server saw {seen.requests} requests on the route, expected {exp.requests}")
    if call in AT_MOST_ONCE and (seen.processed > 1 or seen.sms > 1):
        problems.append(f"processed {seen.processed} times, {seen.sms} SMS: at most once per call")
    if c.vendor_auths is not None and call in VENDOR and seen.vendor_auths != c.vendor_auths:
        problems.append(f"{seen.vendor_auths} vendor authentications, expected {c.vendor_auths}")
    if seen.decoy:
        problems.append(f"the redirect was followed: {seen.decoy} requests reached the other host")
    bound = TIMEOUT * exp.attempts + backoff_bound(exp.attempts) + c.told_wait + MARGIN
    if elapsed > bound:
        problems.append(f"took {elapsed:.2f} s, more than {bound:.2f} s")
    if elapsed < c.min_elapsed:
        problems.append(f"took {elapsed:.2f} s: the wait of at least {c.min_elapsed} s was not honoured")
    return [f"{call}: {p}" for p in problems]


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("c", CASES, ids=[c.name for c in CASES])
def test_fault_matrix(c: Case, kind: ClientKind) -> None:
    # Each call has its own server, so the calls of a case run at once.
    with ThreadPoolExecutor(max_workers=len(c.calls)) as pool:
        outcomes = list(pool.map(lambda call: run_one(kind, c, call), c.calls))
    problems: List[str] = []
    for call, (error, elapsed, seen) in zip(c.calls, outcomes):
        problems += problems_of(c, call, error, elapsed, seen)
    assert not problems, "\n".join(problems)


def test_the_table_covers_the_issue() -> None:
    names = [c.name for c in CASES]
    for needle in [
        "refused", "never answers", "reset after", "truncated", "over the size limit", "trickling",
        "502 with an HTML", "invalid UTF-8", "content type", "401 on a vendor route",
        "X-Rate-Limit-Reset 600 ms ahead", "X-Rate-Limit-Reset in the past", "X-Rate-Limit-Reset unparseable",
        "Retry-After 1 (seconds)", "HTTP-date", "Retry-After negative", "Retry-After enormous",
        "to another host", "500 on each route", "503 on each route", "504 on each route",
    ]:
        assert any(needle in n for n in names), f"no case for {needle!r}"
    for status in (500, 503, 504):
        (row,) = [c for c in CASES if c.name == f"{status} on each route"]
        assert row.calls == ALL_CALLS


# ------------------------------------------------------------------ the SMS routes

MFA = "/identity/resources/auth/v1/user/mfa/sms"
VENDOR_MFA = "/identity/resources/users/v1/mfa/sms"
SIGN_IN = "/identity/resources/auth/v1/passwordless/smscode"
RESET = "/identity/resources/users/v2/passwords/reset/sms"
SMS_CONFIG = "/identity/resources/configurations/v1/sms"


@dataclass(frozen=True)
class SmsRoute:
    """An SMS route on the raw server: its path, the credentials it takes
    (``"user"``, ``"vendor"`` or ``"none"``), and a call of it."""

    route: str
    path: str
    auth: str
    call: Callable[[Any], Any]


SMS_ROUTES: Tuple[SmsRoute, ...] = (
    SmsRoute("start_sms_enrollment", f"{MFA}/enroll", "user", lambda c: c.mfa.start_sms_enrollment("+14155550100")),
    SmsRoute("finish_sms_enrollment", f"{MFA}/enroll/verify", "user",
             lambda c: c.mfa.finish_sms_enrollment("otc-1", "123456")),
    SmsRoute("send_sms_code", f"{MFA}/device-1", "none", lambda c: c.mfa.send_sms_code("device-1", "mfa-1")),
    SmsRoute("verify_sms_code", f"{MFA}/device-1/verify", "none",
             lambda c: c.mfa.verify_sms_code("device-1", "mfa-1", "otc-1", "123456")),
    SmsRoute("enroll_sms", f"{VENDOR_MFA}/enroll", "vendor", lambda c: c.mfa.enroll_sms(USER, "+14155550100")),
    SmsRoute("verify_sms_enrollment", f"{VENDOR_MFA}/enroll/verify", "vendor",
             lambda c: c.mfa.verify_sms_enrollment(USER, "otc-1", "123456")),
    SmsRoute("start_sms_disable", f"{VENDOR_MFA}/device-1/disable", "vendor",
             lambda c: c.mfa.start_sms_disable(USER, "device-1")),
    SmsRoute("confirm_sms_disable", f"{VENDOR_MFA}/device-1/disable/verify", "vendor",
             lambda c: c.mfa.confirm_sms_disable(USER, "device-1", "otc-1", "123456")),
    SmsRoute("start_sms_login", f"{SIGN_IN}/prelogin", "none",
             lambda c: c.passwordless.start_sms_login(email="jane@example.com")),
    SmsRoute("finish_sms_login", f"{SIGN_IN}/postlogin", "none",
             lambda c: c.passwordless.finish_sms_login(fi.SmsLogin.resume("flow=1"), "123456")),
    SmsRoute("start_sms_reset", RESET, "none", lambda c: c.passwords.start_sms_reset("jane@example.com", "email")),
    SmsRoute("verify_sms_reset", f"{RESET}/verify", "none", lambda c: c.passwords.verify_sms_reset("s-1", "123456")),
    SmsRoute("get_sms_config", SMS_CONFIG, "vendor", lambda c: c.sms_settings.get()),
    SmsRoute("set_sms_config", SMS_CONFIG, "vendor", lambda c: c.sms_settings.set(sender_name="Acme")),
    SmsRoute("delete_sms_config", SMS_CONFIG, "vendor", lambda c: c.sms_settings.delete()),
    SmsRoute("sms_templates", f"{SMS_CONFIG}/templates", "vendor", lambda c: c.sms_settings.templates()),
    SmsRoute("sms_template", f"{SMS_CONFIG}/templates/t1", "vendor", lambda c: c.sms_settings.template("t1")),
    SmsRoute("set_sms_template", f"{SMS_CONFIG}/templates/t1", "vendor",
             lambda c: c.sms_settings.set_template("t1", {"body": "x"})),
    SmsRoute("delete_sms_template", f"{SMS_CONFIG}/templates/t1", "vendor",
             lambda c: c.sms_settings.delete_template("t1")),
    SmsRoute("default_sms_template", f"{SMS_CONFIG}/templates/t1/default", "vendor",
             lambda c: c.sms_settings.default_template("t1")),
    SmsRoute("default_sms_templates", f"{SMS_CONFIG}/templates/default/all", "vendor",
             lambda c: c.sms_settings.default_templates()),
    SmsRoute("mfa_devices", "/identity/resources/users/v1/mfa/devices", "user", lambda c: c.mfa.list_devices()),
)
SMS_READS = frozenset({"get_sms_config", "sms_templates", "sms_template", "default_sms_template",
                       "default_sms_templates", "mfa_devices"})
"""Idempotent: retried. Every other SMS route sends an SMS, consumes a code
or changes state, and is sent at most once."""

SMS_FAULTS: Dict[str, Tuple[fs.Behavior, Want]] = {
    "reset after the request was read": (fs.Reset(), Transport("io", True)),
    "accepts, never answers (timeout)": (fs.NeverAnswer(), Transport("timeout", True)),
    "503": (fs.json_ok('{"errors":["unavailable"]}', status="503 Service Unavailable"), Status(503)),
}


def sms_credentials(base_url: str, auth: str) -> Dict[str, Any]:
    if auth == "vendor":
        return {"client_id": RAW_CLIENT_ID, "secret": RAW_SECRET, "tenant_id": TENANT, "base_url": base_url}
    if auth == "user":
        return {"user_token": RAW_USER_TOKEN, "base_url": base_url}
    return {"base_url": base_url}


def run_sms(kind: ClientKind, behavior: fs.Behavior, r: SmsRoute) -> Tuple[Optional[BaseException], float, int]:
    with fs.FaultServer(behavior) as raw:
        error, elapsed = run_with(kind, sms_credentials(raw.base_url, r.auth), r.call)
        return error, elapsed, raw.count(r.path)


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("fault", list(SMS_FAULTS))
def test_sms_routes_are_sent_once_and_their_reads_retried(fault: str, kind: ClientKind) -> None:
    behavior, want = SMS_FAULTS[fault]
    # A few at a time: each waits for timeouts, but 22 at once starve a small machine.
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(lambda r: run_sms(kind, behavior, r), SMS_ROUTES))
    problems: List[str] = []
    for r, (error, elapsed, requests) in zip(SMS_ROUTES, outcomes):
        attempts = MAX_RETRIES + 1 if r.route in SMS_READS else 1
        wrong = check_want(want, error)
        if wrong:
            problems.append(f"{r.route}: {wrong}")
        if requests != attempts:
            problems.append(f"{r.route}: the server saw {requests} requests, expected {attempts}")
        bound = TIMEOUT * attempts + backoff_bound(attempts) + MARGIN
        if elapsed > bound:
            problems.append(f"{r.route}: took {elapsed:.2f} s, more than {bound:.2f} s")
    assert not problems, "\n".join(problems)


def test_the_sms_rows_cover_every_sms_route() -> None:
    from frontegg_identity import _native

    sms = set(_native.ROUTES) - set(ALL_CALLS) - {"vendor_auth"}
    assert {r.route for r in SMS_ROUTES} == sms
    assert SMS_READS <= sms
