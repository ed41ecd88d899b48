"""Each kind of error, with its attributes, on both clients; and pickling."""

from __future__ import annotations

import asyncio
import pickle
from typing import Any, Callable, Coroutine, TypeVar

import pytest

import frontegg_identity as fi
from frontegg_identity import IdentityClient
from frontegg_identity.testing import Emulator

from conftest import PHONE

E = TypeVar("E", bound=BaseException)


def roundtrip(error: E) -> E:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert copy.__dict__ == error.__dict__
    assert str(copy) == str(error)
    return copy


def run_async(emu: Emulator, call: Callable[[fi.AsyncIdentityClient], Coroutine[Any, Any, Any]], **kwargs: Any) -> None:
    async def main() -> None:
        async with emu.async_client("user-1", **kwargs) as client:
            await call(client)

    asyncio.run(main())


def test_invalid_phone_number(client: IdentityClient) -> None:
    with pytest.raises(fi.InvalidPhoneNumberError) as info:
        client.phone_numbers.preverify("415 555 0100")
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, fi.FronteggError)
    assert err.reason == "not_international"
    assert err.may_have_been_sent is False and err.retryable is False
    assert "415" not in str(err)
    roundtrip(err)
    for bad, reason in [("", "empty"), ("+123", "too_short"), ("+0123456789", "leading_zero"),
                        ("+1 415 555 0100 x", "invalid_character"), ("+1234567890123456", "too_long")]:
        with pytest.raises(fi.InvalidPhoneNumberError) as info:
            client.phone_numbers.assign(bad)
        assert info.value.reason == reason


def test_invalid_input(client: IdentityClient, vendor: IdentityClient) -> None:
    with pytest.raises(fi.InvalidInputError) as info:
        client.phone_numbers.verify("token", "12 34")
    assert isinstance(info.value, ValueError)
    assert info.value.field == "verification code"
    assert "12 34" not in str(info.value)
    roundtrip(info.value)
    with pytest.raises(fi.InvalidInputError) as info:
        client.phone_numbers.verify("", "1234")
    assert info.value.field == "otc token"
    with pytest.raises(fi.InvalidInputError) as info:
        client.phone_numbers.start_delete("")
    assert info.value.field == "phone number id"
    with pytest.raises(fi.InvalidInputError) as info:
        vendor.phone_numbers.list(limit=251)
    assert info.value.field == "limit"
    with pytest.raises(fi.InvalidInputError):
        vendor.phone_numbers.list(page=-1)
    with pytest.raises(fi.InvalidInputError):
        vendor.phone_numbers.list(sort_by="age")  # type: ignore[arg-type]
    with pytest.raises(fi.InvalidInputError):
        vendor.phone_numbers.list(order="up")  # type: ignore[arg-type]
    with pytest.raises(fi.InvalidInputError):
        fi.OtcToken("   ")


def test_configuration_errors(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FRONTEGG_USER_TOKEN", "FRONTEGG_CLIENT_ID", "FRONTEGG_API_KEY", "FRONTEGG_BASE_URL", "FRONTEGG_REGION"):
        monkeypatch.delenv(name, raising=False)
    # No credentials is a client for the public sign-in routes; a route that
    # needs credentials is refused before sending.
    with IdentityClient(base_url=emu.base_url) as anonymous, pytest.raises(fi.ConfigurationError) as info:
        anonymous.phone_numbers.list_mine()
    assert "auth='none'" in repr(anonymous)
    assert isinstance(info.value, ValueError)
    roundtrip(info.value)
    with pytest.raises(fi.ConfigurationError):
        IdentityClient(user_token="t", region="mars")  # type: ignore[arg-type]
    with pytest.raises(fi.ConfigurationError):
        IdentityClient(user_token="t", base_url="http://example.com")
    with pytest.raises(fi.ConfigurationError):
        IdentityClient(user_token="t", timeout=float("inf"))
    with pytest.raises(fi.ConfigurationError):
        IdentityClient(user_token="t", max_retries=-1)
    with pytest.raises(fi.ConfigurationError):
        IdentityClient(client_id="only-id")
    with pytest.raises(fi.ConfigurationError):
        fi.AsyncIdentityClient(client_id="only-id")
    # A user token cannot call vendor routes: refused before sending.
    with emu.client() as c, pytest.raises(fi.ConfigurationError):
        c.phone_numbers.list()
    assert emu.requests() == []


def test_token_provider_error_keeps_its_cause(emu: Emulator) -> None:
    def broken() -> str:
        raise KeyError("no session")

    with IdentityClient(user_token=broken, base_url=emu.base_url) as c:
        with pytest.raises(fi.TokenProviderError) as info:
            c.phone_numbers.list_mine()
    assert isinstance(info.value.__cause__, KeyError)
    assert "KeyError" in str(info.value)
    roundtrip(info.value)

    async def call(client: fi.AsyncIdentityClient) -> None:
        with pytest.raises(fi.TokenProviderError) as info:
            await client.phone_numbers.list_mine()
        assert isinstance(info.value.__cause__, KeyError)

    async def main() -> None:
        async with fi.AsyncIdentityClient(user_token=broken, base_url=emu.base_url) as client:
            await call(client)

    asyncio.run(main())
    with IdentityClient(user_token=lambda: 42, base_url=emu.base_url) as c:  # type: ignore[arg-type]
        with pytest.raises(fi.TokenProviderError) as info:
            c.phone_numbers.list_mine()
        assert isinstance(info.value.__cause__, TypeError)


def test_client_closed(emu: Emulator) -> None:
    c = emu.client()
    c.close()
    assert c.closed
    with pytest.raises(fi.ClientClosedError) as info:
        c.phone_numbers.list_mine()
    assert isinstance(info.value, RuntimeError)


def test_connection_error() -> None:
    with IdentityClient(user_token="t", base_url="http://127.0.0.1:9", max_retries=0) as c:
        with pytest.raises(fi.APIConnectionError) as info:
            c.phone_numbers.preverify(PHONE)
    err = info.value
    assert not isinstance(err, fi.APITimeoutError)
    assert err.kind == "connect" and err.route == "preverify"
    assert err.may_have_been_sent is False and err.retryable is True
    roundtrip(err)


def test_timeout(emu: Emulator) -> None:
    emu.inject_fault("preverify", delay=1.0)
    with emu.client(timeout=0.2) as c, pytest.raises(fi.APITimeoutError) as info:
        c.phone_numbers.preverify(PHONE)
    err = info.value
    assert isinstance(err, TimeoutError) and isinstance(err, fi.APIConnectionError)
    assert err.kind == "timeout" and err.may_have_been_sent is True
    roundtrip(err)

    emu.inject_fault("preverify", delay=1.0)

    async def call(client: fi.AsyncIdentityClient) -> None:
        with pytest.raises(fi.APITimeoutError):
            await client.phone_numbers.preverify(PHONE)

    run_async(emu, call, timeout=0.2)


def test_dropped_connection_is_not_retried(emu: Emulator) -> None:
    emu.inject_fault("preverify", drop="after")
    with emu.client() as c, pytest.raises(fi.APIConnectionError) as info:
        c.phone_numbers.preverify(PHONE)
    assert info.value.may_have_been_sent is True
    assert len(emu.sms()) == 1  # processed once, never repeated


def test_bad_request(emu: Emulator, client: IdentityClient) -> None:
    otc = client.phone_numbers.preverify(PHONE)
    code = emu.last_code(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(fi.BadRequestError) as info:
        client.phone_numbers.verify(otc, wrong)
    err = info.value
    assert err.status_code == 400 and err.route == "verify"
    assert err.error_code and err.error_code.startswith("ER-")
    assert err.errors and err.trace_id and err.body_excerpt
    assert err.may_have_been_sent is True and err.retryable is False
    assert isinstance(err, fi.APIStatusError)
    assert wrong not in str(err) and otc.reveal() not in str(err)
    roundtrip(err)


def test_authentication_error(emu: Emulator) -> None:
    with IdentityClient(user_token="not-a-jwt", base_url=emu.base_url) as c:
        with pytest.raises(fi.AuthenticationError) as info:
            c.phone_numbers.list_mine()
    assert info.value.status_code == 401
    roundtrip(info.value)
    with IdentityClient(client_id="emulator-client-id", secret="wrong", tenant_id="t", base_url=emu.base_url) as v:
        with pytest.raises(fi.AuthenticationError) as info:
            v.phone_numbers.list()
    assert info.value.route == "vendor_auth"
    assert "wrong" not in repr(info.value)


def test_permission_denied(emu: Emulator, client: IdentityClient) -> None:
    emu.inject_fault("list_mine", status=403)
    with pytest.raises(fi.PermissionDeniedError) as info:
        client.phone_numbers.list_mine()
    assert info.value.status_code == 403 and info.value.error_code == "ER-EMULATOR-FAULT"
    roundtrip(info.value)


def test_not_found(client: IdentityClient) -> None:
    with pytest.raises(fi.NotFoundError) as info:
        client.phone_numbers.start_delete("no-such-id")
    assert info.value.status_code == 404 and info.value.route == "start_delete"
    roundtrip(info.value)


def test_conflict(client: IdentityClient) -> None:
    client.phone_numbers.assign(PHONE, verify=False)
    with pytest.raises(fi.ConflictError) as info:
        client.phone_numbers.assign(PHONE, verify=False)
    assert info.value.status_code == 409
    roundtrip(info.value)


def test_rate_limit(emu: Emulator) -> None:
    emu.inject_fault("list_mine", retry_after="7")
    with emu.client(max_retries=0) as c, pytest.raises(fi.RateLimitError) as info:
        c.phone_numbers.list_mine()
    err = info.value
    assert err.status_code == 429 and err.retry_after == 7.0
    assert err.retryable is True
    roundtrip(err)

    emu.inject_fault("list_mine", retry_after="7")

    async def call(client: fi.AsyncIdentityClient) -> None:
        with pytest.raises(fi.RateLimitError) as info:
            await client.phone_numbers.list_mine()
        assert info.value.retry_after == 7.0

    run_async(emu, call, max_retries=0)


def test_rate_limit_is_retried_within_budget(emu: Emulator, client: IdentityClient) -> None:
    emu.inject_fault("preverify", retry_after="0")
    client.phone_numbers.preverify(PHONE)
    assert [r["status"] for r in emu.requests()] == [429, 200]


def test_internal_server_error_is_not_retried_on_a_post(emu: Emulator, client: IdentityClient) -> None:
    emu.inject_fault("preverify", status=503, body={"statusCode": 503, "message": "down"})
    with pytest.raises(fi.InternalServerError) as info:
        client.phone_numbers.preverify(PHONE)
    err = info.value
    assert err.status_code == 503 and err.errors == ["down"] and err.retryable
    assert len(emu.requests()) == 1
    roundtrip(err)
    emu.inject_fault("list_mine", status=500)
    with pytest.raises(fi.InternalServerError):
        client.phone_numbers.list_mine()


def test_other_status(emu: Emulator, client: IdentityClient) -> None:
    emu.inject_fault("list_mine", status=418)
    with pytest.raises(fi.APIStatusError) as info:
        client.phone_numbers.list_mine()
    assert type(info.value) is fi.APIStatusError and info.value.status_code == 418


def test_decode_error(emu: Emulator, client: IdentityClient) -> None:
    emu.inject_fault("preverify", status=200, body=["not", "an", "object"])
    with pytest.raises(fi.ResponseDecodeError) as info:
        client.phone_numbers.preverify(PHONE)
    err = info.value
    assert err.status_code == 200 and err.route == "preverify" and err.reason
    roundtrip(err)


def test_async_errors_match_sync(emu: Emulator) -> None:
    async def call(client: fi.AsyncIdentityClient) -> None:
        with pytest.raises(fi.InvalidPhoneNumberError):
            await client.phone_numbers.preverify("nope")
        with pytest.raises(fi.NotFoundError) as info:
            await client.phone_numbers.start_delete("missing")
        assert info.value.trace_id
        emu.inject_fault("verify", status=409)
        with pytest.raises(fi.ConflictError):
            await client.phone_numbers.verify("t", "1")

    run_async(emu, call)


def test_hierarchy() -> None:
    assert issubclass(fi.APITimeoutError, TimeoutError)
    assert issubclass(fi.ConfigurationError, ValueError)
    for cls in (fi.BadRequestError, fi.AuthenticationError, fi.PermissionDeniedError, fi.NotFoundError,
                fi.ConflictError, fi.RateLimitError, fi.InternalServerError):
        assert issubclass(cls, fi.APIStatusError) and issubclass(cls, fi.FronteggError)
    assert not issubclass(fi.FronteggError, ValueError)


def test_a_rust_panic_is_a_frontegg_error() -> None:
    from frontegg_identity import _native

    # The hook is built only with the `test-hooks` feature (scripts/python-check
    # enables it); a release wheel has none.
    debug_panic: Any = getattr(_native, "_debug_panic", None)
    if debug_panic is None:
        pytest.skip("built without the test-hooks feature")
    with pytest.raises(fi.FronteggError) as info:
        debug_panic("sync")
    assert "deliberate panic" in str(info.value)

    async def main() -> None:
        from frontegg_identity._routes import _begin

        loop, completions = _begin()
        call = debug_panic("async", loop, completions)
        with pytest.raises(fi.FronteggError) as info:
            await call
        assert "deliberate panic" in str(info.value)

    asyncio.run(main())
