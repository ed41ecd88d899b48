"""The emulator as a program, for test suites in any language::

    frontegg-identity-emulator --port 0
    python -m frontegg_identity.emulator --port 0

The same program as the Rust binary ``frontegg-identity-emulator`` (the same
flags, see ``--help``; the same first line on stdout,
``frontegg-identity-emulator listening on http://HOST:PORT``, flushed), run by
the Rust code compiled into this package: no Rust toolchain needed. It stops
cleanly (exit code 0) on SIGINT or SIGTERM; a usage error (a bad flag, an
unreadable or malformed ``--signing-key`` or ``--seed``) exits with code 2.
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import Optional, Sequence

from . import _native

__all__ = ["main"]

PROGRAM = "frontegg-identity-emulator"


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the emulator with ``argv`` (default: ``sys.argv[1:]``) until
    SIGINT or SIGTERM; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    # The emulator handles SIGINT itself; Python's handler would turn it
    # into a KeyboardInterrupt once the emulator has already stopped.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    return _native.run_emulator_cli([PROGRAM, *args])


def console_main() -> None:
    """The ``frontegg-identity-emulator`` console script."""
    sys.exit(main())


if __name__ == "__main__":
    console_main()
