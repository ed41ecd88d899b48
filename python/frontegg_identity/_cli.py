"""The ``frontegg-identity`` command-line tool, installed by the wheel as a
console script. It is the Rust binary's own code (``crates/cli``), run with
this process's standard streams and environment: ``frontegg-identity --help``."""

from __future__ import annotations

import sys
from typing import NoReturn

from . import _native


def main() -> NoReturn:
    """Runs the tool with ``sys.argv`` and exits with its exit code."""
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(_native.cli_main(sys.argv))


if __name__ == "__main__":
    main()
