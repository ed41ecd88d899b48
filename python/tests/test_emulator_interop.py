"""The emulator's signed tokens, seed and export, and its runner
(``python -m frontegg_identity.emulator``, the ``frontegg-identity-emulator``
console script): no Rust toolchain involved."""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import sys
from pathlib import Path
from typing import Any, Dict

import pytest
from emulator_process import call, run, start

from frontegg_identity.testing import Emulator

KEY = Path(__file__).resolve().parents[2] / "crates" / "emulator" / "tests" / "fixtures" / "signing-key.pem"
PHONE = "+14155550100"
SEED: Dict[str, Any] = {
    "tenants": [{"tenantId": "t1", "name": "Acme"}],
    "users": [{"userId": "u1", "email": "u1@example.com", "tenantId": "t1", "roles": ["admin"]}],
    "phoneNumbers": [{"userId": "u1", "phoneNumber": PHONE}],
}


def claims(token: str) -> Dict[str, Any]:
    payload = token.split(".")[1]
    result: Dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return result


def header(token: str) -> Dict[str, Any]:
    head = token.split(".")[0]
    result: Dict[str, Any] = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    return result


def test_user_tokens_are_rs256_with_frontegg_claims() -> None:
    with Emulator() as emu:
        emu.create_user("u1", email="u1@example.com", tenant_id="t1", roles=["admin"], permissions=["read"])
        token = emu.user_token("u1")
        assert header(token)["alg"] == "RS256"
        assert header(token)["kid"] == emu.jwks()["keys"][0]["kid"]
        c = claims(token)
        assert (c["sub"], c["tenantId"], c["tenantIds"], c["roles"], c["permissions"]) == (
            "u1",
            "t1",
            ["t1"],
            ["admin"],
            ["read"],
        )
        assert (c["type"], c["email"], c["iss"]) == ("userToken", "u1@example.com", emu.base_url)
        # The old signature, and extra claims over the defaults.
        assert claims(emu.user_token("u2", "t2"))["tenantId"] == "t2"
        extra = claims(emu.user_token("u1", claims={"roles": ["viewer"], "custom": {"a": 1}}))
        assert (extra["roles"], extra["custom"]) == (["viewer"], {"a": 1})
        # Expired: 401.
        expired = emu.user_token("u1", claims={"exp": 1_000_000})
        status, body = call("GET", emu.base_url + "/identity/resources/users/phone-numbers/v1/me", token=expired)
        assert (status, body["errorCode"]) == (401, "ER-EMULATOR-UNAUTHORIZED")
        assert emu.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----")


def test_unsigned_tokens_are_refused_unless_accepted() -> None:
    unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1MSJ9."
    path = "/identity/resources/users/phone-numbers/v1/me"
    with Emulator() as strict, Emulator(accept_unsigned_jwt=True) as lenient:
        assert call("GET", strict.base_url + path, token=unsigned)[0] == 401
        assert call("GET", lenient.base_url + path, token=unsigned)[0] == 200


def test_a_pinned_signing_key_as_path_or_pem(tmp_path: Path) -> None:
    pem = KEY.read_text()
    with Emulator(signing_key=KEY) as a, Emulator(signing_key=pem) as b, Emulator(signing_key=str(KEY)) as c:
        assert a.jwks() == b.jwks() == c.jwks()
        assert a.public_key_pem == b.public_key_pem
    bad = tmp_path / "bad.pem"
    bad.write_text("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")
    for key in (bad, "-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----"):
        with pytest.raises(ValueError, match="invalid signing key"):
            Emulator(signing_key=key)


def test_seed_export_round_trip_and_reset(tmp_path: Path) -> None:
    with Emulator(seed=SEED) as emu:
        token = emu.user_token("u1")
        assert claims(token)["roles"] == ["admin"]
        status, mine = call("GET", emu.base_url + "/identity/resources/users/phone-numbers/v1/me", token=token)
        assert status == 200 and [m["phoneNumber"] for m in mine] == [PHONE]
        exported = emu.export_state()
        assert exported == call("GET", emu.base_url + "/_emulator/state")[1]
        assert exported["tenants"] == SEED["tenants"]
        assert exported["users"] == SEED["users"]
        emu.create_user("u9")
        emu.reset()
        # Back to the seed (ids and dates the seed leaves out are new ones).
        after = emu.export_state()
        assert after["users"] == SEED["users"]
        assert [(p["userId"], p["phoneNumber"]) for p in after["phoneNumbers"]] == [("u1", PHONE)]
    path = tmp_path / "state.json"
    path.write_text(json.dumps(exported))
    with Emulator(seed=path) as again:
        assert again.export_state() == exported


def test_a_malformed_seed_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text('{\n  "users": [\n    {"userId": "u1", "roles": "admin"}\n  ]\n}\n')
    with pytest.raises(ValueError, match=r"state\.json.*line 3"):
        Emulator(seed=path)
    with pytest.raises(ValueError, match="phoneNumbers\\[0\\]"):
        Emulator(seed={"phoneNumbers": [{"userId": "u1", "phoneNumber": "12"}]})
    with pytest.raises(ValueError, match="unknown field"):
        Emulator(seed={"user": []})


def drive(url: str) -> None:
    status, vendor = call(
        "POST", url + "/auth/vendor/", {"clientId": "emulator-client-id", "secret": "emulator-secret"}
    )
    assert status == 200 and vendor["expiresIn"] == 3600
    status, body = call("POST", url + "/_emulator/tokens", {"userId": "u1"})
    user = body["accessToken"]
    status, body = call("POST", url + "/identity/resources/users/phone-numbers/v1", {"phoneNumber": PHONE}, user)
    assert status == 201
    _, sms = call("GET", url + "/_emulator/sms?phoneNumber=%2B14155550100")
    status, _ = call(
        "POST",
        url + "/identity/resources/users/phone-numbers/v1/verify",
        {"otcToken": body["otcToken"], "code": sms[-1]["code"]},
        user,
    )
    assert status == 200
    _, mine = call("GET", url + "/identity/resources/users/phone-numbers/v1/me", token=user)
    assert [(m["phoneNumber"], m["verified"]) for m in mine] == [(PHONE, True)]


def test_python_m_runner_serves_and_stops_on_sigterm() -> None:
    proc, url = start([sys.executable, "-m", "frontegg_identity.emulator", "--port", "0", "--code-length", "4"])
    try:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        drive(url)
        _, sms = call("GET", url + "/_emulator/sms")
        assert len(sms[-1]["code"]) == 4
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_python_m_runner_stops_on_sigint_and_takes_a_seed(tmp_path: Path) -> None:
    seed = tmp_path / "state.json"
    seed.write_text(json.dumps(SEED))
    proc, url = start([sys.executable, "-m", "frontegg_identity.emulator", "--port", "0", "--seed", str(seed)])
    try:
        assert call("GET", url + "/_emulator/state")[1]["users"] == SEED["users"]
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        assert "Traceback" not in (proc.stderr.read() if proc.stderr else "")


def test_python_m_runner_usage_errors(tmp_path: Path) -> None:
    seed = tmp_path / "state.json"
    seed.write_text('{\n "users": [\n  {"userId": 1}\n ]\n}')
    out = run([sys.executable, "-m", "frontegg_identity.emulator", "--port", "0", "--seed", str(seed)])
    assert out.returncode == 2
    assert "state.json" in out.stderr and "line 3" in out.stderr, out.stderr
    out = run([sys.executable, "-m", "frontegg_identity.emulator", "--nope"])
    assert out.returncode == 2 and "--nope" in out.stderr
    out = run([sys.executable, "-m", "frontegg_identity.emulator", "--help"])
    assert out.returncode == 0 and "--signing-key" in out.stdout and "--accept-unsigned-tokens" in out.stdout


def test_console_script_when_installed() -> None:
    bindir = Path(sys.executable).parent
    script = shutil.which("frontegg-identity-emulator", path=str(bindir))
    if script is None or not os.access(script, os.X_OK):
        pytest.skip("the package is not installed with its console scripts here")
    proc, url = start([script, "--port", "0"])
    try:
        drive(url)
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
