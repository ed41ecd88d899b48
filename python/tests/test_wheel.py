"""The built wheel installs into a fresh virtual environment, imports, and
calls the emulator started here.

The wheel is ``$FRONTEGG_IDENTITY_WHEEL`` (a .whl file, or a directory holding
one), else the newest one in ``dist/``. ``scripts/python-check`` builds it and
sets the variable; without any wheel the test is skipped, saying so.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Optional

import pytest

from frontegg_identity.testing import Emulator

ROOT = Path(__file__).resolve().parents[2]


def find_wheel() -> Optional[Path]:
    configured = os.environ.get("FRONTEGG_IDENTITY_WHEEL")
    candidates: list[Path] = []
    if configured:
        path = Path(configured)
        if path.is_file():
            return path
        candidates = list(path.glob("frontegg_identity-*.whl"))
    else:
        candidates = list((ROOT / "dist").glob("frontegg_identity-*.whl"))
    return max(candidates, key=lambda p: p.stat().st_mtime) if candidates else None


def test_wheel_installs_in_a_fresh_venv(tmp_path: Path, emu: Emulator) -> None:
    wheel = find_wheel()
    if wheel is None:
        pytest.skip(
            "no wheel built: run scripts/python-check, or `maturin build --release -o dist`, "
            "or set FRONTEGG_IDENTITY_WHEEL to a .whl file or its directory"
        )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-index", "--disable-pip-version-check", "-q", str(wheel)],
        check=True,
    )
    script = textwrap.dedent(
        """
        import os, sys
        import frontegg_identity
        from frontegg_identity import IdentityClient, FronteggError
        assert os.path.realpath(frontegg_identity.__file__).startswith(os.path.realpath(sys.prefix)), frontegg_identity.__file__
        client = IdentityClient(user_token=os.environ["TOKEN"], base_url=os.environ["BASE_URL"])
        otc = client.phone_numbers.preverify("+1 415 555 0100")
        print("preverify", repr(otc))
        print("mine", client.phone_numbers.list_mine())
        import frontegg_identity.testing, frontegg_identity._native
        print("ok", frontegg_identity.__version__)
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FRONTEGG_", "PYTHON"))}
    env.update(TOKEN=emu.user_token("user-venv"), BASE_URL=emu.base_url)
    result = subprocess.run(
        [str(python), "-c", script], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "preverify OtcToken([redacted])" in result.stdout
    assert "mine []" in result.stdout and "ok " in result.stdout
    assert len(emu.sms("+14155550100")) == 1
