"""Frontegg's official Python SDK (``frontegg`` on PyPI, pinned in
``scripts/requirements/python-test.txt``) against the emulator: the Rust
binary as a subprocess, and the in-process :class:`Emulator`. Its vendor
authenticator gets a token, its identity client validates an emulator-minted
user token (roles and permissions checked), and its HTTP client calls a phone
route with ``x-access-token``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import pytest
from emulator_process import call, run, start

from frontegg_identity.testing import Emulator

pytest.importorskip("frontegg", reason="Frontegg's SDK is installed by scripts/python-check")

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("frontegg_sdk_probe.py")
PHONE = "+14155550100"


def rust_binary() -> Optional[Path]:
    """The Rust binary: ``$FRONTEGG_IDENTITY_EMULATOR_BIN``, else a built one
    under the cargo target directory, else one built now (when cargo is here)."""
    configured = os.environ.get("FRONTEGG_IDENTITY_EMULATOR_BIN")
    if configured:
        return Path(configured)
    target = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
    for profile in ("debug", "release"):
        path = target / profile / "frontegg-identity-emulator"
        if path.is_file():
            return path
    if shutil.which("cargo") is None:
        return None
    subprocess.run(
        ["cargo", "build", "-q", "-p", "frontegg-identity-emulator", "--bin", "frontegg-identity-emulator"],
        cwd=ROOT,
        check=True,
    )
    path = target / "debug" / "frontegg-identity-emulator"
    return path if path.is_file() else None


def probe(base_url: str, user_token: str) -> "subprocess.CompletedProcess[str]":
    """Runs Frontegg's SDK against ``base_url`` in a process of its own."""
    return run([sys.executable, str(PROBE), base_url, "emulator-client-id", "emulator-secret", user_token])


class Target:
    """An emulator as the SDK sees it: a URL, and the emulator-only API."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def user_token(self, user_id: str, claims: Dict[str, Any]) -> str:
        body = {"userId": user_id, "tenantId": "tenant-1", "claims": claims}
        token: str = call("POST", self.base_url + "/_emulator/tokens", body)[1]["accessToken"]
        return token


@pytest.fixture(params=["rust-binary", "in-process"])
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    if request.param == "in-process":
        with Emulator() as emu:
            yield Target(emu.base_url)
        return
    binary = rust_binary()
    if binary is None:
        pytest.skip("no Rust binary and no cargo to build it")
    proc, url = start([str(binary), "--port", "0"])
    try:
        yield Target(url)
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0


def test_frontegg_sdk_authenticates_validates_and_calls_a_phone_route(target: Target) -> None:
    _, vendor = call(
        "POST",
        target.base_url + "/auth/vendor",
        {"clientId": "emulator-client-id", "secret": "emulator-secret"},
    )
    status, _ = call(
        "POST",
        target.base_url + "/identity/resources/users/phone-numbers/v1/vendor/user-1",
        {"phoneNumber": PHONE},
        vendor["token"],
    )
    assert status == 201
    token = target.user_token("user-1", {"roles": ["admin"], "permissions": ["fe.phone.read"]})
    out = probe(target.base_url, token)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["vendor_token"]
    assert seen["entity"] == {
        "sub": "user-1",
        "tenantId": "tenant-1",
        "roles": ["admin"],
        "permissions": ["fe.phone.read"],
        "type": "userToken",
    }
    assert seen["missing_role"] == "UnauthorizedException"
    assert seen["missing_permission"] == "UnauthorizedException"
    assert seen["tampered"] != "accepted"
    assert seen["sent_header"] is True
    assert seen["phone_route"]["status"] == 200
    items = seen["phone_route"]["body"]["items"]
    assert [(i["userId"], i["phoneNumber"]) for i in items] == [("user-1", PHONE)]


def test_frontegg_sdk_refuses_tokens_from_another_key(tmp_path: Path) -> None:
    """The SDK verifies against the emulator's key: a token of another
    emulator (another pinned key) does not pass."""
    key = ROOT / "crates" / "emulator" / "tests" / "fixtures" / "signing-key.pem"
    with Emulator() as generated, Emulator(signing_key=key) as pinned:
        token = pinned.user_token("user-1", claims={"roles": ["admin"], "permissions": ["fe.phone.read"]})
        out = probe(generated.base_url, token)
        assert out.returncode != 0
        assert "Signature" in out.stderr or "Unauthenticated" in out.stderr, out.stderr
