"""Network options of both clients: a deadline for the whole call (and per
call, with ``with_options``), ``ca_bundle`` over real TLS on loopback with
certificates made in the test, ``proxy``, and bad options refused before
anything is sent."""

from __future__ import annotations

import asyncio
import math
import select
import socket
import ssl
import threading
import time
from pathlib import Path
from typing import Any, Iterator, List, Tuple

import pytest
import trustme

import frontegg_identity as fi
from frontegg_identity import AsyncIdentityClient, IdentityClient
from frontegg_identity.testing import Emulator

from fault_server import FaultServer, NeverAnswer

MARGIN = 1.5  # seconds of scheduling slack on a busy machine


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timeout": -1.0},
        {"timeout": math.nan},
        {"deadline": math.inf},
        {"connect_timeout": 0.0},
        {"deadline": 1.0, "connect_timeout": 5.0},
        {"proxy": "not a url"},
        {"proxy": "socks5://127.0.0.1:1080"},
        {"ca_bundle": "/nonexistent/ca.pem"},
    ],
)
def test_bad_network_options_are_refused_when_made(kwargs: Any) -> None:
    for cls in (IdentityClient, AsyncIdentityClient):
        with pytest.raises(fi.ConfigurationError):
            cls(user_token="t", base_url="http://127.0.0.1:9", **kwargs)


def test_a_file_without_a_certificate_is_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate\n")
    with pytest.raises(fi.ConfigurationError):
        IdentityClient(user_token="t", base_url="http://127.0.0.1:9", ca_bundle=bundle)


def _timed(call: Any) -> Tuple[float, BaseException]:
    started = time.monotonic()
    try:
        call()
    except BaseException as error:  # noqa: BLE001 - the test inspects it
        return time.monotonic() - started, error
    raise AssertionError("the call succeeded")


def test_the_deadline_bounds_a_call_on_both_clients() -> None:
    with FaultServer(NeverAnswer()) as server:
        client = IdentityClient(user_token="t", base_url=server.base_url, timeout=30, deadline=1)
        took, error = _timed(client.phone_numbers.list_mine)
        assert isinstance(error, fi.APITimeoutError), error
        assert took < 1 + MARGIN, took
        # The same client, bounded per call.
        roomy = IdentityClient(user_token="t", base_url=server.base_url, timeout=30, connect_timeout=0.5)
        took, error = _timed(roomy.with_options(deadline=1).phone_numbers.list_mine)
        assert isinstance(error, fi.APITimeoutError) and took < 1 + MARGIN, took

        async def run() -> Tuple[float, BaseException]:
            async with AsyncIdentityClient(
                user_token="t", base_url=server.base_url, timeout=30, connect_timeout=0.5
            ) as aclient:
                quick = aclient.with_options(deadline=1, max_retries=0)
                started = time.monotonic()
                try:
                    await quick.phone_numbers.list_mine()
                except BaseException as error:  # noqa: BLE001
                    return time.monotonic() - started, error
                raise AssertionError("the call succeeded")

        took, error = asyncio.run(run())
        assert isinstance(error, fi.APITimeoutError) and took < 1 + MARGIN, took


def test_with_options_shares_the_client_and_checks_its_values() -> None:
    with Emulator() as emu:
        client = IdentityClient(user_token=emu.user_token("user-1"), base_url=emu.base_url)
        copy = client.with_options(timeout=5, max_retries=0)
        assert type(copy) is IdentityClient and repr(copy) == repr(client)
        assert copy.phone_numbers.list_mine() == []
        with pytest.raises(fi.ConfigurationError):
            client.with_options(deadline=-1)
        with pytest.raises(fi.ConfigurationError):
            client.with_options(max_retries=99)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[str, Path]]:
    """An HTTPS server on loopback answering ``[]`` to every request, with a
    certificate from a CA made here; yields its base URL and the CA's PEM file."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            if not select.select([listener], [], [], 0.05)[0]:
                continue
            conn, _ = listener.accept()
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    tls.settimeout(5)
                    data = b""
                    while b"\r\n\r\n" not in data:
                        chunk = tls.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    tls.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]")
            except (ssl.SSLError, OSError):
                conn.close()  # the client refused the certificate

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    bundle = tmp_path_factory.mktemp("pki") / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    yield f"https://127.0.0.1:{port}", bundle
    stop.set()
    thread.join()
    listener.close()


def test_ca_bundle_makes_a_private_ca_trusted(tls_server: Tuple[str, Path]) -> None:
    url, bundle = tls_server
    for cls in (IdentityClient, AsyncIdentityClient):
        untrusted = cls(user_token="t", base_url=url, max_retries=0)
        trusted = cls(user_token="t", base_url=url, ca_bundle=bundle)

        def mine(client: Any) -> List[Any]:
            result: List[Any] = client.phone_numbers.list_mine()
            if asyncio.iscoroutine(result):
                return list(asyncio.run(result))
            return result

        with pytest.raises(fi.APIConnectionError) as refused:
            mine(untrusted)
        assert refused.value.kind == "certificate", refused.value
        assert mine(trusted) == []


class _Proxy:
    """A small HTTP proxy on loopback: CONNECT tunnels and absolute-form
    forwarding; it records each request line."""

    def __init__(self) -> None:
        self.seen: List[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk:
                conn.close()
                return
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode()
        self.seen.append(line)
        method, target, _ = line.split(" ", 2)
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)))
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            rest = head.split(b"\r\n\r\n", 1)[1]
            if rest:
                upstream.sendall(rest)
        else:
            hostport = target.split("://", 1)[1].split("/", 1)[0]
            host, port = hostport.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)))
            path = "/" + target.split("://", 1)[1].split("/", 1)[1]
            upstream.sendall(head.replace(target.encode(), path.encode(), 1))
        self._pipe(conn, upstream)

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        sockets = [a, b]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 10)
                if not readable:
                    return
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    (b if s is a else a).sendall(data)
        except OSError:
            return
        finally:
            a.close()
            b.close()

    def close(self) -> None:
        self._listener.close()


def test_requests_go_through_the_proxy() -> None:
    proxy = _Proxy()
    try:
        with Emulator() as emu:
            for cls in (IdentityClient, AsyncIdentityClient):
                client = cls(user_token=emu.user_token("user-1"), base_url=emu.base_url, proxy=proxy.url)
                result = client.phone_numbers.list_mine()
                if asyncio.iscoroutine(result):
                    result = asyncio.run(result)
                assert result == []
            port = emu.base_url.rsplit(":", 1)[1]
            assert len(proxy.seen) >= 2 and all(port in line for line in proxy.seen), proxy.seen
    finally:
        proxy.close()
