"""The examples run, so they cannot rot: each one, as a script, against the
in-process emulator it starts itself (mypy checks their types)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = sorted((pathlib.Path(__file__).parent.parent / "examples").glob("*.py"))


def test_the_sms_example_is_among_them() -> None:
    assert "sms_mfa.py" in {e.name for e in EXAMPLES}


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_example_runs(example: pathlib.Path) -> None:
    done = subprocess.run([sys.executable, str(example)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "[redacted]" in done.stdout or example.name != "sms_mfa.py"
