"""A misbehaving HTTP/1.1 server on loopback, for the faults the emulator
cannot script: an answer that never comes, a reset after the request was
read, a truncated or trickling body, an oversized body, arbitrary bytes.

The Python twin of ``tests/src/raw_server.rs``. Each connection is served on
its own thread: the server reads one request (head and ``Content-Length``
body), counts it under its path, then does its behaviour.
``POST /auth/vendor`` is always answered with a vendor token (``vendor_token``),
so vendor routes can be driven through it too.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple, Union

from frontegg_identity._client import ClosedAtExit


@dataclass(frozen=True)
class NeverAnswer:
    """Reads the request, then holds the connection open without answering."""


@dataclass(frozen=True)
class Reset:
    """Reads the request, then resets the connection (``SO_LINGER`` 0)."""


@dataclass(frozen=True)
class Truncated:
    """A 200 head declaring ``declared`` body bytes, then only ``body``, then close."""

    declared: int
    body: bytes


@dataclass(frozen=True)
class Trickle:
    """A 200 head with ``Content-Length: length``, then one byte every ``every`` seconds."""

    length: int
    every: float


@dataclass(frozen=True)
class Raw:
    """These bytes verbatim, then close."""

    data: bytes


Behavior = Union[NeverAnswer, Reset, Truncated, Trickle, Raw]


def respond(status: str, headers: Sequence[Tuple[str, str]], body: bytes) -> Raw:
    """A complete answer: ``status`` (``"200 OK"``) with ``headers``,
    ``Content-Length`` and ``Connection: close`` added, then ``body``."""
    head = f"HTTP/1.1 {status}\r\n"
    for name, value in headers:
        head += f"{name}: {value}\r\n"
    head += f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    return Raw(head.encode("latin-1") + body)


def json_ok(body: str, status: str = "200 OK") -> Raw:
    """A ``application/json`` answer with ``body``."""
    return respond(status, [("content-type", "application/json")], body.encode())


@dataclass(frozen=True)
class SeenRequest:
    """One request as the server read it."""

    method: str
    target: str
    headers: Tuple[Tuple[str, str], ...]
    body: bytes

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


@dataclass
class _Shared:
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: List[SeenRequest] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    conns: List[socket.socket] = field(default_factory=list)


class FaultServer(ClosedAtExit):
    """A running raw server; stop it with :meth:`close` or a ``with`` block
    (which also releases the connections it holds open)."""

    def __init__(self, behavior: Behavior, *, vendor_token: str = "raw-vendor-token") -> None:
        self.behavior = behavior
        self.vendor_token = vendor_token
        self._shared = _Shared()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.005)
        host, port = self._listener.getsockname()
        self.base_url = f"http://{host}:{port}"
        self.port: int = port
        self._thread = threading.Thread(target=self._accept_loop, name="fault-server", daemon=True)
        self._thread.start()

    # ---------------------------------------------------------------- inspection

    def requests(self) -> List[SeenRequest]:
        """Every request read so far, oldest first."""
        with self._shared.lock:
            return list(self._shared.seen)

    def count(self, path: str) -> int:
        """How many requests reached ``path`` (the query is ignored)."""
        return sum(1 for r in self.requests() if r.path == path)

    def total(self) -> int:
        """How many requests reached the server, on any path."""
        with self._shared.lock:
            return len(self._shared.seen)

    # ---------------------------------------------------------------- lifecycle

    def close(self) -> None:
        self._shared.stop.set()
        self._thread.join(timeout=2)
        self._listener.close()
        with self._shared.lock:
            conns = list(self._shared.conns)
        for conn in conns:
            try:
                conn.close()
            except OSError:
                pass

    def _end(self) -> None:
        self.close()

    # ---------------------------------------------------------------- serving

    def _accept_loop(self) -> None:
        while not self._shared.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (socket.timeout, OSError):
                continue
            with self._shared.lock:
                self._shared.conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            # One connection may carry several requests (keep-alive): serve
            # vendor authentication and go on reading; anything else ends it.
            while not self._shared.stop.is_set():
                request = _read_request(conn)
                if request is None:
                    return
                with self._shared.lock:
                    self._shared.seen.append(request)
                if request.method == "POST" and request.path == "/auth/vendor":
                    body = f'{{"token":"{self.vendor_token}","expiresIn":3600}}'.encode()
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                        + f"content-length: {len(body)}\r\n\r\n".encode()
                        + body
                    )
                    continue
                self._misbehave(conn)
                return
        except OSError:
            pass
        finally:
            if not isinstance(self.behavior, Reset):
                try:
                    conn.close()
                except OSError:
                    pass

    def _misbehave(self, conn: socket.socket) -> None:
        b = self.behavior
        stop = self._shared.stop
        if isinstance(b, NeverAnswer):
            stop.wait()
        elif isinstance(b, Reset):
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
        elif isinstance(b, Truncated):
            head = (
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                f"content-length: {b.declared}\r\n\r\n"
            )
            conn.sendall(head.encode() + b.body)
            # Close while the client still waits for the rest of the body.
            conn.shutdown(socket.SHUT_WR)
        elif isinstance(b, Trickle):
            head = f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {b.length}\r\n\r\n"
            conn.sendall(head.encode())
            for _ in range(b.length):
                if stop.wait(b.every):
                    return
                conn.sendall(b" ")
        else:
            conn.sendall(b.data)
            try:
                conn.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            # Let the client read everything before the close.
            _drain(conn, deadline=time.monotonic() + 1.0)


def _drain(conn: socket.socket, deadline: float) -> None:
    conn.settimeout(0.05)
    while time.monotonic() < deadline:
        try:
            if not conn.recv(65536):
                return
        except socket.timeout:
            continue
        except OSError:
            return


def _read_request(conn: socket.socket) -> Optional[SeenRequest]:
    buf = b""
    while b"\r\n\r\n" not in buf:
        if len(buf) > 64 * 1024:
            return None
        try:
            chunk = conn.recv(4096)
        except OSError:
            return None
        if not chunk:
            return None
        buf += chunk
    head_bytes, _, rest = buf.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) < 2:
        return None
    headers = tuple(
        (name.strip().lower(), value.strip())
        for name, _, value in (line.partition(":") for line in lines[1:])
    )
    length = next((int(v) for n, v in headers if n == "content-length" and v.isdigit()), 0)
    body = rest
    while len(body) < length:
        try:
            chunk = conn.recv(65536)
        except OSError:
            return None
        if not chunk:
            return None
        body += chunk
    return SeenRequest(parts[0], parts[1], headers, body[:length])
