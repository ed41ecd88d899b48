"""Client arguments, environment fallbacks, context managers, the emulator helper."""

from __future__ import annotations

import asyncio

import pytest

import frontegg_identity as fi
from frontegg_identity import IdentityClient
from frontegg_identity.testing import Emulator

ENV = ("FRONTEGG_USER_TOKEN", "FRONTEGG_CLIENT_ID", "FRONTEGG_API_KEY", "FRONTEGG_BASE_URL",
       "FRONTEGG_REGION", "FRONTEGG_TENANT_ID", "FRONTEGG_USER_ID")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def test_regions_and_base_url() -> None:
    assert "https://api.frontegg.com" in repr(IdentityClient(user_token="t"))
    assert "https://api.us.frontegg.com" in repr(IdentityClient(user_token="t", region="us"))
    assert "https://api.au.frontegg.com" in repr(fi.AsyncIdentityClient(user_token="t", region="au"))
    c = IdentityClient(user_token="t", region="ca", base_url="https://app-x.frontegg.com/")
    assert "https://app-x.frontegg.com'" in repr(c)
    IdentityClient(user_token="t", base_url="http://10.0.0.1:8080", allow_insecure_http=True)


def test_environment_fallbacks(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTEGG_BASE_URL", emu.base_url)
    monkeypatch.setenv("FRONTEGG_USER_TOKEN", emu.user_token("user-env"))
    with IdentityClient() as c:
        assert emu.base_url in repr(c) and "user_token" in repr(c)
        c.phone_numbers.assign("+14155550100", verify=False)
    client_id, secret = emu.vendor_credentials()
    monkeypatch.setenv("FRONTEGG_CLIENT_ID", client_id)
    monkeypatch.setenv("FRONTEGG_API_KEY", secret)
    monkeypatch.setenv("FRONTEGG_TENANT_ID", "tenant-1")
    monkeypatch.setenv("FRONTEGG_USER_ID", "user-env")
    with IdentityClient() as v:
        assert "vendor" in repr(v)
        assert [n.user_id for n in v.phone_numbers.list().items] == ["user-env"]
        assert len(v.phone_numbers.list_mine()) == 1
    # An explicit argument wins over the environment.
    monkeypatch.setenv("FRONTEGG_REGION", "us")
    assert "api.au.frontegg.com" in repr(IdentityClient(user_token="t", region="au"))
    monkeypatch.delenv("FRONTEGG_BASE_URL")
    assert "api.us.frontegg.com" in repr(IdentityClient(user_token="t"))
    # A secret alone falls back to FRONTEGG_CLIENT_ID.
    assert "vendor" in repr(IdentityClient(secret="s"))


def test_context_managers(emu: Emulator) -> None:
    with emu.client() as c:
        assert not c.closed
    assert c.closed

    async def main() -> fi.AsyncIdentityClient:
        async with emu.async_client() as a:
            assert not a.closed
        return a

    assert asyncio.run(main()).closed


def test_emulator_config_and_lifecycle() -> None:
    with Emulator(code_length=4, max_attempts=2, otc_ttl=60, vendor_token_ttl=5) as emu:
        assert emu.running and emu.base_url.startswith("http://127.0.0.1:")
        c = emu.client()
        otc = c.phone_numbers.preverify("+14155550100")
        code = emu.last_code("+1 (415) 555-0100")
        assert code is not None and len(code) == 4
        for _ in range(2):
            with pytest.raises(fi.BadRequestError):
                c.phone_numbers.verify(otc, "x")
        with pytest.raises(fi.BadRequestError):  # burnt after max_attempts
            c.phone_numbers.verify(otc, code)
        assert [r["route"] for r in emu.requests()] == ["preverify", "verify", "verify", "verify"]
        emu.reset()
        assert emu.sms() == [] and emu.requests() == []
        emu.inject_fault("*", status=500, times=3)
        emu.clear_faults()
        assert c.phone_numbers.list_mine() == []
    assert not emu.running
    emu.stop()  # idempotent


def test_plugin_fixture_is_fresh(frontegg_emulator: Emulator) -> None:
    assert isinstance(frontegg_emulator, Emulator)
    assert frontegg_emulator.sms() == [] and frontegg_emulator.requests() == []


def test_package_metadata() -> None:
    assert fi.__version__
    assert set(fi.__all__) <= set(dir(fi))


def test_half_a_vendor_pair_is_an_error_whatever_mix_produces_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTEGG_API_KEY", "env-key")
    with pytest.raises(fi.ConfigurationError):
        IdentityClient()  # the environment alone: half a pair
    with pytest.raises(fi.ConfigurationError):
        IdentityClient(client_id="code-id")  # an explicit id with FRONTEGG_API_KEY alone
    with pytest.raises(fi.ConfigurationError):
        fi.AsyncIdentityClient(client_id="code-id")
    # A whole explicit pair does not read the vendor variables.
    assert "vendor" in repr(IdentityClient(client_id="code-id", secret="code-key"))
    # Explicit credentials win over the environment's, whatever it holds.
    assert "user_token" in repr(IdentityClient(user_token="t"))
    monkeypatch.setenv("FRONTEGG_CLIENT_ID", "env-id")
    assert "user_token" in repr(IdentityClient(user_token="t"))
    assert "vendor" in repr(IdentityClient(client_id="code-id"))  # the pair is whole now
    monkeypatch.delenv("FRONTEGG_API_KEY")
    with pytest.raises(fi.ConfigurationError):
        IdentityClient(secret="code-key")  # FRONTEGG_CLIENT_ID alone


def test_an_explicit_location_wins_over_both_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTEGG_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("FRONTEGG_REGION", "mars")  # not read: an explicit location is given
    assert "api.ca.frontegg.com" in repr(IdentityClient(user_token="t", region="ca"))
    assert "app-y.frontegg.com" in repr(IdentityClient(user_token="t", base_url="https://app-y.frontegg.com"))
    with pytest.raises(fi.ConfigurationError):
        IdentityClient(user_token="t")  # FRONTEGG_REGION is read, and wrong


def test_defaults_and_vendor_host_come_from_the_core() -> None:
    import inspect

    from frontegg_identity import _native

    params = inspect.signature(IdentityClient).parameters
    assert params["timeout"].default == _native.DEFAULT_TIMEOUT == 30.0
    assert params["max_retries"].default == _native.DEFAULT_MAX_RETRIES == 2
    assert inspect.signature(fi.AsyncIdentityClient).parameters == params
    IdentityClient(user_token="t", vendor_host="app-x.frontegg.com").close()
    with pytest.raises(fi.ConfigurationError):
        IdentityClient(user_token="t", vendor_host="app\nx")
