"""Helpers for tests that run the emulator as a program and talk to it over
plain HTTP (standard library only)."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Tuple

FIRST_LINE = "frontegg-identity-emulator listening on "


def start(argv: List[str]) -> Tuple["subprocess.Popen[str]", str]:
    """Starts an emulator program; the process and the URL of its first line."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith(FIRST_LINE):
        proc.kill()
        raise AssertionError(f"first line {line!r}; stderr {proc.communicate()[1]!r}")
    return proc, line[len(FIRST_LINE) :].strip()


def call(
    method: str, url: str, body: Any = None, token: Optional[str] = None, headers: Optional[Dict[str, str]] = None
) -> Tuple[int, Any]:
    """One request: the status and the JSON body (``None`` when empty)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"})
    if token:
        req.add_header("authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            raw = res.read()
            return res.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def run(argv: List[str]) -> "subprocess.CompletedProcess[str]":
    """Runs a program to its end, capturing its output as text."""
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
