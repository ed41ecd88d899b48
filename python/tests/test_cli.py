"""The wheel's ``frontegg-identity`` console script runs the Rust tool: its
help, its exit codes, and a listing against the in-process emulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

from frontegg_identity import IdentityClient
from frontegg_identity.testing import Emulator


def _script() -> List[str]:
    """The installed console script, or the module when it is not on disk."""
    script = Path(sys.executable).with_name("frontegg-identity")
    return [str(script)] if script.exists() else [sys.executable, "-m", "frontegg_identity._cli"]


def _run(args: List[str], env: Dict[str, str], stdin: str = "") -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [*_script(), *args], input=stdin, capture_output=True, text=True, env=env, timeout=60, check=False
    )


def _env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTEGG_")}
    env.update(extra)
    return env


def test_help_and_usage_errors() -> None:
    shown = _run(["--help"], _env())
    assert shown.returncode == 0, shown.stderr
    assert "phones" in shown.stdout and "sms-templates" in shown.stdout
    wrong = _run(["no-such-command"], _env())
    assert wrong.returncode == 2
    missing = _run(["phones", "list"], _env())
    assert missing.returncode == 5 and "FRONTEGG_CLIENT_ID" in missing.stderr


def test_lists_numbers_from_the_emulator_masked_and_as_json() -> None:
    with Emulator() as emu:
        client_id, secret = emu.vendor_credentials()
        with IdentityClient(client_id=client_id, secret=secret, base_url=emu.base_url) as admin:
            admin.phone_numbers.vendor_add("user-cli", "+14155550177")
        env = _env(FRONTEGG_CLIENT_ID=client_id, FRONTEGG_BASE_URL=emu.base_url)
        table = _run(["phones", "list", "--api-key-stdin"], env, stdin=secret + "\n")
        assert table.returncode == 0, table.stderr
        assert "+*********77" in table.stdout and "4155550177" not in table.stdout
        assert secret not in table.stdout + table.stderr
        lines = _run(["phones", "list", "--json", "--show-numbers"], {**env, "FRONTEGG_API_KEY": secret})
        assert lines.returncode == 0, lines.stderr
        records = [json.loads(line) for line in lines.stdout.splitlines() if line.strip()]
        assert any(r.get("phoneNumber") == "+14155550177" or r.get("phone_number") == "+14155550177" for r in records), records
