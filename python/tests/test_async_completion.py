"""How async calls come back to their event loop: outcomes are queued by the
Rust runtime and drained by the loop in batches (see ``_routes._begin``).
These tests pin what that must preserve: every call gets its own outcome,
cancellation stops the call, loops that cannot watch a pipe still work,
finished loops are not kept alive, and a call behaves as the asyncio future
a task expects (callbacks in their context, each run once)."""

from __future__ import annotations

import asyncio
import contextvars
import gc
import socket
import sys
import threading
import time
from typing import Any, Callable, List

import pytest

from frontegg_identity import AsyncIdentityClient, NotFoundError, OtcToken, _native, _routes
from frontegg_identity.testing import Emulator


def test_each_call_gets_its_own_outcome(emu: Emulator) -> None:
    """Successes and failures finishing in the same batch reach the right awaiters."""

    async def main() -> None:
        async with emu.async_client("user-1") as client:
            phones = client.phone_numbers
            calls: List[Any] = []
            for i in range(300):
                if i % 3 == 0:
                    calls.append(phones.start_delete(f"missing-{i}"))
                elif i % 3 == 1:
                    calls.append(phones.preverify(f"+1415557{i:04d}"))
                else:
                    calls.append(phones.list_mine())
            results = await asyncio.gather(*calls, return_exceptions=True)
            tokens = set()
            for i, result in enumerate(results):
                if i % 3 == 0:
                    assert isinstance(result, NotFoundError), (i, result)
                elif i % 3 == 1:
                    assert isinstance(result, OtcToken), (i, result)
                    tokens.add(result.reveal())
                else:
                    assert result == [], (i, result)
            assert len(tokens) == 100
            # Each preverify's token matches the SMS sent to its own number.
            sent = {s.phone_number for s in emu.sms()}
            assert sent == {f"+1415557{i:04d}" for i in range(1, 300, 3)}

    asyncio.run(main())


def _await_hang_up(listener: socket.socket, seen: threading.Event, hung_up: threading.Event) -> None:
    """Accepts one connection, reads one request head, never answers, and
    sets ``hung_up`` if the client closes the connection within 10 s."""
    conn, _ = listener.accept()
    with conn:
        conn.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(4096)
        seen.set()
        try:
            if conn.recv(1) == b"":
                hung_up.set()
        except OSError:
            hung_up.set()


def test_cancelling_the_awaiting_task_stops_the_call() -> None:
    """The cancelled call's request is dropped at once (its connection is
    closed), long before its 30 s timeout, and nothing is reported as lost."""
    listener = socket.create_server(("127.0.0.1", 0))
    seen, hung_up = threading.Event(), threading.Event()
    server = threading.Thread(target=_await_hang_up, args=(listener, seen, hung_up), daemon=True)
    server.start()
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    unraisable: List[Any] = []
    loop_errors: List[Any] = []
    old_hook = sys.unraisablehook
    sys.unraisablehook = unraisable.append

    async def main() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda _loop, ctx: loop_errors.append(ctx))
        async with AsyncIdentityClient(user_token="t", base_url=base_url, timeout=30.0, max_retries=0) as c:
            task = asyncio.create_task(c.phone_numbers.list_mine())
            assert await asyncio.get_running_loop().run_in_executor(None, seen.wait, 10)
            assert not task.done()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert task.cancelled()
            assert await asyncio.get_running_loop().run_in_executor(None, hung_up.wait, 10)

    try:
        asyncio.run(main())
    finally:
        sys.unraisablehook = old_hook
        server.join(15)
        listener.close()
    assert hung_up.is_set()
    assert unraisable == []
    assert loop_errors == []


class _NoReaderLoop(asyncio.SelectorEventLoop):
    """A loop that cannot watch file descriptors, like the Windows proactor loop."""

    def add_reader(self, fd: Any, callback: Callable[..., Any], *args: Any) -> None:  # type: ignore[override]
        raise NotImplementedError


def test_loops_without_add_reader_are_woken_threadsafe(emu: Emulator) -> None:
    async def main() -> List[Any]:
        async with emu.async_client("user-1") as client:
            phones = client.phone_numbers
            tokens = await asyncio.wait_for(
                asyncio.gather(*(phones.preverify(f"+1415558{i:04d}") for i in range(50))), 20
            )
            with pytest.raises(NotFoundError):
                await asyncio.wait_for(phones.start_delete("missing"), 20)
            return tokens

    loop = _NoReaderLoop()
    try:
        tokens = loop.run_until_complete(main())
        # Only the loop's own self-pipe is watched: the calls were woken without a reader.
        assert len(loop._selector.get_map()) == 1  # type: ignore[attr-defined]
    finally:
        loop.close()
    assert len({t.reveal() for t in tokens}) == 50


def test_one_client_on_two_loops_in_two_threads(emu: Emulator) -> None:
    client = emu.async_client("user-1")
    results: dict[int, List[str]] = {}
    errors: List[BaseException] = []

    def run(k: int) -> None:
        async def main() -> List[str]:
            tokens = await asyncio.gather(
                *(client.phone_numbers.preverify(f"+1415559{k}{i:03d}") for i in range(100))
            )
            return [t.reveal() for t in tokens]

        try:
            results[k] = asyncio.run(main())
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    client.close()
    assert errors == []
    assert sorted(results) == [0, 1]
    assert len(set(results[0]) | set(results[1])) == 200


def test_finished_loops_are_not_kept_alive(emu: Emulator) -> None:
    client = emu.async_client("user-1")

    async def main() -> None:
        assert await client.phone_numbers.list_mine() == []

    for _ in range(5):
        asyncio.run(main())
    gc.collect()
    live = [loop for loop in _routes._completions.keys() if loop.is_closed()]
    assert live == []
    assert _routes._last is None, "the last loop's entry went with the loop"
    client.close()


def _start(client: AsyncIdentityClient, route: str, *args: Any) -> Any:
    """A bare native call of ``route`` on the running loop, as the generated
    method starts it (a :class:`_native.Call`)."""
    loop, completions = _routes._begin()
    return client._native.start(_native.ROUTES.index(route), loop, completions, *args)


def _start_list_mine(client: AsyncIdentityClient) -> Any:
    return _start(client, "list_mine")


def test_a_call_is_a_future_to_asyncio(emu: Emulator) -> None:
    """The protocol a task relies on: the call yields itself once while it
    runs, reports its state, and gives its result (or its exception) to
    ``result()`` and to the await; callbacks added late still run."""

    async def main() -> None:
        async with emu.async_client("user-1") as client:
            call = _start_list_mine(client)
            assert call.get_loop() is asyncio.get_running_loop()
            assert not call.done() and not call.cancelled()
            assert repr(call) == "<Call pending>"
            with pytest.raises(asyncio.InvalidStateError):
                call.result()
            with pytest.raises(asyncio.InvalidStateError):
                call.exception()
            assert await asyncio.wait_for(asyncio.ensure_future(call), 10) == []
            assert call.done() and call.result() == [] and call.exception() is None
            assert repr(call) == "<Call finished>"
            late: List[Any] = []
            call.add_done_callback(late.append)
            assert late == []  # through the loop's queue, not at once
            await asyncio.sleep(0)
            assert late == [call]
            assert call.cancel() is False

            failing = _start(client, "start_delete", "missing")
            with pytest.raises(NotFoundError):
                await failing
            assert isinstance(failing.exception(), NotFoundError)
            assert repr(failing) == "<Call failed>"

    asyncio.run(main())


def test_cancelling_a_call_carries_the_message(emu: Emulator) -> None:
    async def main() -> None:
        async with emu.async_client("user-1") as client:
            task = asyncio.ensure_future(client.phone_numbers.list_mine())
            await asyncio.sleep(0)  # the task now awaits its call
            task.cancel("enough")
            with pytest.raises(asyncio.CancelledError) as info:
                await task
            assert task.cancelled()
            if sys.version_info >= (3, 11):  # earlier, the awaiter gets a bare CancelledError
                assert "enough" in info.value.args

            call = _start_list_mine(client)
            seen: List[Any] = []
            call.add_done_callback(seen.append)
            call.add_done_callback(seen.append)
            assert call.remove_done_callback(seen.append) == 2
            call.add_done_callback(seen.append)
            assert call.cancel("stop") is True and call.cancelled()
            with pytest.raises(asyncio.CancelledError) as cancelled:
                call.result()
            assert cancelled.value.args == ("stop",)
            assert call._cancel_message == "stop"
            with pytest.raises(asyncio.CancelledError):
                await asyncio.wait_for(asyncio.gather(call), 10)
            await asyncio.sleep(0.2)  # the aborted request never resolves it
            assert seen == [call] and call.cancelled()

    asyncio.run(main())


def test_a_comparison_that_raises_removes_nothing(emu: Emulator) -> None:
    """``remove_done_callback`` compares with ``!=``, which runs Python (here
    using the call itself); if it raises, every registration stays."""

    async def main() -> None:
        async with emu.async_client("user-1") as client:
            call = _start_list_mine(client)
            seen: List[Any] = []

            class Touchy:
                def __ne__(self, other: object) -> bool:
                    call.done()  # the call is not borrowed meanwhile
                    raise ValueError("no comparing")

                def __call__(self, finished: Any) -> None:
                    seen.append(finished)

            touchy = Touchy()
            call.add_done_callback(touchy)
            call.add_done_callback(seen.append)
            with pytest.raises(ValueError):
                call.remove_done_callback(touchy)
            assert await asyncio.wait_for(asyncio.ensure_future(call), 10) == []
            await asyncio.sleep(0)
            assert seen == [call, call]

    asyncio.run(main())


def test_callbacks_run_in_their_tasks_context(emu: Emulator) -> None:
    """Each task resumes in its own context, as with an asyncio future."""
    var: contextvars.ContextVar[int] = contextvars.ContextVar("var")

    async def one(client: AsyncIdentityClient, value: int) -> int:
        var.set(value)
        await client.phone_numbers.list_mine()
        return var.get()

    async def main() -> List[int]:
        async with emu.async_client("user-1") as client:
            return list(await asyncio.gather(*(one(client, i) for i in range(20))))

    assert asyncio.run(main()) == list(range(20))


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit])
def test_callbacks_that_raise_do_not_lose_the_others(emu: Emulator, interrupt: type) -> None:
    """A callback's exception goes to the loop's exception handler, with its
    traceback; a KeyboardInterrupt or SystemExit leaves the loop, and the
    callbacks after it still run on its next turn, each once."""
    client = emu.async_client("user-1")
    loop = asyncio.new_event_loop()
    handled: List[Any] = []
    loop.set_exception_handler(lambda _loop, context: handled.append(context))
    seen: List[Any] = []

    def fails(_call: Any) -> None:
        raise ValueError("from a callback")

    def interrupts(_call: Any) -> None:
        raise interrupt

    async def failing() -> Any:
        call = _start_list_mine(client)
        call.add_done_callback(fails)
        call.add_done_callback(seen.append)
        await asyncio.wait_for(asyncio.ensure_future(call), 10)
        await asyncio.sleep(0)
        return call

    calls: List[Any] = []

    async def start() -> None:
        calls.extend(_start_list_mine(client) for _ in range(3))
        calls[1].add_done_callback(interrupts)
        for call in calls:
            call.add_done_callback(seen.append)
        # Most likely one drain finds all three; if not, `seen.append` still
        # follows the interrupting callback on calls[1].
        time.sleep(0.3)

    async def settle() -> None:
        while len(seen) < 3:
            await asyncio.sleep(0.01)

    try:
        call = loop.run_until_complete(failing())
        assert seen == [call]
        assert [type(c["exception"]) for c in handled] == [ValueError]
        assert handled[0]["future"] is call
        assert handled[0]["exception"].__traceback__ is not None
        seen.clear()
        with pytest.raises(interrupt):
            # The drain may run in the turn that ends `start` or in a later one.
            loop.run_until_complete(start())
            loop.run_until_complete(asyncio.sleep(10))
        loop.run_until_complete(asyncio.wait_for(settle(), 10))
        loop.run_until_complete(asyncio.sleep(0.05))  # and nothing runs twice
        assert len(calls) == 3
        assert sorted(map(id, seen)) == sorted(map(id, calls))
    finally:
        loop.close()
        client.close()
