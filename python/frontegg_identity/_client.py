"""``IdentityClient`` and ``AsyncIdentityClient``: thin Python shells around
the native clients. Each method is one native call; everything else (checks,
retries, authentication, parsing) happens in Rust."""

from __future__ import annotations

import builtins
import os
import weakref
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Callable,
    ClassVar,
    Iterator,
    Literal,
    NoReturn,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
)

from . import _native
from ._native import OtcToken
from ._types import Page, PendingDeletion, PhoneNumber

__all__ = [
    "IdentityClient",
    "AsyncIdentityClient",
    "PhoneNumbers",
    "AsyncPhoneNumbers",
    "Region",
    "SortBy",
    "SortOrder",
    "UserToken",
]

Region = Literal["eu", "us", "ca", "au"]
"""A Frontegg region."""
SortBy = Literal["user_id", "phone_number", "userId", "phoneNumber"]
"""The field ``list`` sorts by."""
SortOrder = Literal["asc", "desc", "ASC", "DESC"]
"""The order ``list`` sorts in."""
UserToken = Union[str, Callable[[], str]]
"""A user's access token, or a callable returning the current one."""


if TYPE_CHECKING:
    import asyncio

_T = TypeVar("_T")

_completions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _native.Completions] = (
    weakref.WeakKeyDictionary()
)


def _running_loop() -> asyncio.AbstractEventLoop:
    """``asyncio.get_running_loop``, imported on the first async call so that
    importing the package does not import asyncio."""
    global _running_loop
    from asyncio import get_running_loop

    _running_loop = get_running_loop
    return get_running_loop()


def _register(loop: asyncio.AbstractEventLoop) -> _native.Completions:
    """Makes and registers the loop's :class:`_native.Completions` (on its first call).

    Finished native calls queue their outcomes there; the loop drains them when
    the pipe it watches becomes readable, or, on loops that cannot watch a pipe
    (the Windows proactor loop), from ``call_soon_threadsafe``."""
    completions = _native.Completions()
    try:
        fd = completions.fileno()
        os.set_blocking(fd, False)
        loop.add_reader(fd, completions.drain)
    except (NotImplementedError, OSError):
        completions.wake_with(weakref.WeakMethod(loop.call_soon_threadsafe))
    _completions[loop] = completions
    return completions


def _begin() -> Tuple[asyncio.Future[Any], _native.Completions]:
    """A future for one native call on the running loop, and where it completes."""
    loop = _running_loop()
    completions = _completions.get(loop) or _register(loop)
    return loop.create_future(), completions


async def _outcome(future: asyncio.Future[_T], call: _native.Call) -> _T:
    """Awaits a native call; cancelling the awaiting task cancels the call.
    (Any exception here is the cancellation or the call's own outcome, in which
    case the call has finished and ``cancel`` does nothing.)"""
    try:
        return await future
    except BaseException:
        call.cancel()
        raise


class PhoneNumbers:
    """The phone-number routes of an :class:`IdentityClient`."""

    __slots__ = ("_n",)

    def __init__(self, native: _native.SyncClient) -> None:
        self._n = native

    def assign(self, phone_number: str, *, verify: bool = True) -> Optional[OtcToken]:
        """Assigns ``phone_number`` to the user. With ``verify`` (the default)
        Frontegg sends an SMS code, and the token to confirm it with
        :meth:`verify` is returned; without, ``None``."""
        return self._n.assign(phone_number, verify)

    def preverify(self, phone_number: str) -> OtcToken:
        """Sends a code to ``phone_number`` to prove the user owns it, without
        assigning it. Confirm with :meth:`verify`."""
        return self._n.preverify(phone_number)

    def verify(self, otc_token: Union[OtcToken, str], code: str) -> None:
        """Confirms an assignment or a pre-verification with the code the user received."""
        self._n.verify(otc_token, code)

    def list_mine(self) -> builtins.list[PhoneNumber]:
        """The user's own numbers."""
        return self._n.list_mine()

    def start_delete(self, phone_id: str) -> PendingDeletion:
        """Starts deleting one of the user's numbers: Frontegg sends a code to it.
        Finish with :meth:`confirm_delete`."""
        return self._n.start_delete(phone_id)

    def confirm_delete(self, phone_id: str, otc_token: Union[OtcToken, str], code: str) -> None:
        """Confirms a deletion with the code."""
        self._n.confirm_delete(phone_id, otc_token, code)

    def list(
        self,
        *,
        limit: Optional[int] = None,
        page: int = 0,
        sort_by: Optional[SortBy] = None,
        order: Optional[SortOrder] = None,
        phone_number: Optional[str] = None,
        user_ids: Optional[Sequence[str]] = None,
    ) -> Page:
        """One page of the environment's numbers (vendor credentials).
        ``page`` is a page index, 0 for the first; ``limit`` is 1 to 250."""
        return self._n.list(limit, page, sort_by, order, phone_number, user_ids)

    def iter_all(
        self,
        *,
        limit: Optional[int] = None,
        page: int = 0,
        sort_by: Optional[SortBy] = None,
        order: Optional[SortOrder] = None,
        phone_number: Optional[str] = None,
        user_ids: Optional[Sequence[str]] = None,
    ) -> Iterator[PhoneNumber]:
        """Every number matching the query, from ``page`` on, fetching pages
        as the iterator is read (vendor credentials)."""
        native = self._n
        while True:
            current = native.list(limit, page, sort_by, order, phone_number, user_ids)
            yield from current.items
            if not current.has_next:
                return
            page += 1

    def vendor_add(self, user_id: str, phone_number: str) -> None:
        """Adds an already verified number to a user (vendor credentials)."""
        self._n.vendor_add(user_id, phone_number)

    def vendor_delete(self, user_id: str, phone_id: str) -> None:
        """Removes a user's number without a code (vendor credentials)."""
        self._n.vendor_delete(user_id, phone_id)


class AsyncPhoneNumbers:
    """The phone-number routes of an :class:`AsyncIdentityClient`; the same
    as :class:`PhoneNumbers`, as coroutines."""

    __slots__ = ("_n",)

    def __init__(self, native: _native.AsyncClient) -> None:
        self._n = native

    async def assign(self, phone_number: str, *, verify: bool = True) -> Optional[OtcToken]:
        """See :meth:`PhoneNumbers.assign`."""
        future, completions = _begin()
        return await _outcome(future, self._n.assign(completions, future, phone_number, verify))

    async def preverify(self, phone_number: str) -> OtcToken:
        """See :meth:`PhoneNumbers.preverify`."""
        future, completions = _begin()
        return await _outcome(future, self._n.preverify(completions, future, phone_number))

    async def verify(self, otc_token: Union[OtcToken, str], code: str) -> None:
        """See :meth:`PhoneNumbers.verify`."""
        future, completions = _begin()
        await _outcome(future, self._n.verify(completions, future, otc_token, code))

    async def list_mine(self) -> builtins.list[PhoneNumber]:
        """See :meth:`PhoneNumbers.list_mine`."""
        future, completions = _begin()
        return await _outcome(future, self._n.list_mine(completions, future))

    async def start_delete(self, phone_id: str) -> PendingDeletion:
        """See :meth:`PhoneNumbers.start_delete`."""
        future, completions = _begin()
        return await _outcome(future, self._n.start_delete(completions, future, phone_id))

    async def confirm_delete(self, phone_id: str, otc_token: Union[OtcToken, str], code: str) -> None:
        """See :meth:`PhoneNumbers.confirm_delete`."""
        future, completions = _begin()
        await _outcome(future, self._n.confirm_delete(completions, future, phone_id, otc_token, code))

    async def list(
        self,
        *,
        limit: Optional[int] = None,
        page: int = 0,
        sort_by: Optional[SortBy] = None,
        order: Optional[SortOrder] = None,
        phone_number: Optional[str] = None,
        user_ids: Optional[Sequence[str]] = None,
    ) -> Page:
        """See :meth:`PhoneNumbers.list`."""
        future, completions = _begin()
        return await _outcome(future, self._n.list(completions, future, limit, page, sort_by, order, phone_number, user_ids))

    async def iter_all(
        self,
        *,
        limit: Optional[int] = None,
        page: int = 0,
        sort_by: Optional[SortBy] = None,
        order: Optional[SortOrder] = None,
        phone_number: Optional[str] = None,
        user_ids: Optional[Sequence[str]] = None,
    ) -> AsyncIterator[PhoneNumber]:
        """See :meth:`PhoneNumbers.iter_all`; an async iterator."""
        native = self._n
        while True:
            future, completions = _begin()
            current = await _outcome(
                future, native.list(completions, future, limit, page, sort_by, order, phone_number, user_ids)
            )
            for item in current.items:
                yield item
            if not current.has_next:
                return
            page += 1

    async def vendor_add(self, user_id: str, phone_number: str) -> None:
        """See :meth:`PhoneNumbers.vendor_add`."""
        future, completions = _begin()
        await _outcome(future, self._n.vendor_add(completions, future, user_id, phone_number))

    async def vendor_delete(self, user_id: str, phone_id: str) -> None:
        """See :meth:`PhoneNumbers.vendor_delete`."""
        future, completions = _begin()
        await _outcome(future, self._n.vendor_delete(completions, future, user_id, phone_id))


class _Client:
    """What both clients share: their arguments, ``close``, ``repr``, and
    refusing to be pickled or copied."""

    __slots__ = ("_native", "phone_numbers")

    _native_type: ClassVar[Type[Any]]
    _routes_type: ClassVar[Type[Any]]
    _copy_hint: ClassVar[str]

    def __init__(
        self,
        *,
        user_token: Optional[UserToken] = None,
        client_id: Optional[str] = None,
        secret: Optional[str] = None,
        tenant_id: Optional[str] = None,
        user_id: Optional[str] = None,
        region: Optional[Region] = None,
        base_url: Optional[str] = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        allow_insecure_http: bool = False,
    ) -> None:
        self._native = self._native_type(
            user_token=user_token,
            client_id=client_id,
            secret=secret,
            tenant_id=tenant_id,
            user_id=user_id,
            region=region,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
        )
        self.phone_numbers = self._routes_type(self._native)

    @property
    def closed(self) -> bool:
        """Whether the client was closed."""
        return bool(self._native.closed)

    def close(self) -> None:
        """Releases the connections. Calls made afterwards raise
        :class:`~frontegg_identity.ClientClosedError`; calls in flight finish."""
        self._native.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._native.describe})"

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        raise TypeError(f"{type(self).__name__} cannot be pickled: create one in each process")

    def __copy__(self) -> NoReturn:
        raise TypeError(f"{type(self).__name__} cannot be copied: {self._copy_hint}")

    def __deepcopy__(self, memo: object) -> NoReturn:
        raise TypeError(f"{type(self).__name__} cannot be copied: {self._copy_hint}")


class IdentityClient(_Client):
    """The blocking client. Safe to share across threads: a call releases the
    GIL while it waits, so threads overlap.

    Authenticate with ``user_token`` (a str, or a callable returning the
    current token) for the self-service routes, or with ``client_id`` and
    ``secret`` (plus ``tenant_id``, and ``user_id`` for the self-service
    routes) for the vendor routes. ``region`` (``"eu"``, the default, ``"us"``,
    ``"ca"``, ``"au"``) or ``base_url`` (a custom domain, a proxy, the
    emulator) says where. Missing arguments fall back to the environment
    (see the package documentation). ``timeout`` is the time allowed for one
    attempt, in seconds; ``max_retries`` the retries after the first attempt
    (a call that may have sent an SMS or consumed a code is never retried).
    Plain ``http://`` is refused except on loopback, unless
    ``allow_insecure_http``.
    """

    __slots__ = ()

    _native_type = _native.SyncClient
    _routes_type = PhoneNumbers
    _copy_hint = "share it, it is thread-safe"

    phone_numbers: PhoneNumbers
    """The phone-number routes."""

    def __enter__(self) -> IdentityClient:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()


class AsyncIdentityClient(_Client):
    """The asyncio client; takes the same arguments as :class:`IdentityClient`.
    Its methods are coroutines, run on one shared Rust runtime; share one
    client between tasks. :meth:`close` works outside a coroutine too."""

    __slots__ = ()

    _native_type = _native.AsyncClient
    _routes_type = AsyncPhoneNumbers
    _copy_hint = "share it"

    phone_numbers: AsyncPhoneNumbers
    """The phone-number routes."""

    async def aclose(self) -> None:
        """Releases the connections. Calls made afterwards raise
        :class:`~frontegg_identity.ClientClosedError`; calls in flight finish."""
        self._native.close()

    async def __aenter__(self) -> AsyncIdentityClient:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.aclose()
