"""``IdentityClient`` and ``AsyncIdentityClient``: thin Python shells around
the native clients. Each route is declared once below, for both clients (see
:mod:`frontegg_identity._routes`); each method is one native call, and
everything else (checks, retries, authentication, parsing, paging) happens
in Rust."""

from __future__ import annotations

import builtins
import os
from types import TracebackType
from typing import Any, Callable, ClassVar, Dict, Literal, NoReturn, Optional, Sequence, Type, TypeVar, Union

from . import _native
from ._native import OtcToken
from ._routes import AsyncGroup, Group, SyncGroup, every_item, route
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


class _PhoneNumberRoutes:
    """The phone-number routes, declared once for :class:`PhoneNumbers` and
    :class:`AsyncPhoneNumbers` (see :mod:`frontegg_identity._routes`)."""

    __slots__ = ()

    @route("assign")
    def assign(self, phone_number: str, *, verify: bool = True) -> Optional[OtcToken]:
        """Assigns ``phone_number`` to the user. With ``verify`` (the default)
        Frontegg sends an SMS code, and the token to confirm it with
        :meth:`verify` is returned; without, ``None``."""

    @route("preverify")
    def preverify(self, phone_number: str) -> OtcToken:
        """Sends a code to ``phone_number`` to prove the user owns it, without
        assigning it. Confirm with :meth:`verify`."""

    @route("verify")
    def verify(self, otc_token: Union[OtcToken, str], code: str) -> None:
        """Confirms an assignment or a pre-verification with the code the user received."""

    @route("list_mine")
    def list_mine(self) -> builtins.list[PhoneNumber]:
        """The user's own numbers."""

    @route("start_delete")
    def start_delete(self, phone_id: str) -> PendingDeletion:
        """Starts deleting one of the user's numbers: Frontegg sends a code to it.
        Finish with :meth:`confirm_delete`."""

    @route("confirm_delete")
    def confirm_delete(self, phone_id: str, otc_token: Union[OtcToken, str], code: str) -> None:
        """Confirms a deletion with the code."""

    @route("list")
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

    iter_all = every_item(
        list,
        """Every number matching the query, from ``page`` on, fetching pages
        as it is read (vendor credentials); on :class:`AsyncPhoneNumbers`, an
        async iterator.""",
    )

    @route("vendor_add")
    def vendor_add(self, user_id: str, phone_number: str) -> None:
        """Adds an already verified number to a user (vendor credentials)."""

    @route("vendor_delete")
    def vendor_delete(self, user_id: str, phone_id: str) -> None:
        """Removes a user's number without a code (vendor credentials)."""


class PhoneNumbers(_PhoneNumberRoutes, SyncGroup):
    """The phone-number routes of an :class:`IdentityClient`."""

    __slots__ = ()


class AsyncPhoneNumbers(_PhoneNumberRoutes, AsyncGroup):
    """The phone-number routes of an :class:`AsyncIdentityClient`; the same
    as :class:`PhoneNumbers`, as coroutines."""

    __slots__ = ()


_C = TypeVar("_C", bound="_Client")


class _Client:
    """What both clients share: their arguments, ``close``, ``repr``, and
    refusing to be pickled or copied."""

    __slots__ = ("_native", "phone_numbers")

    _native_type: ClassVar[Type[Any]]
    _groups: ClassVar[Dict[str, Type[Group]]]
    """The route groups: attribute name to group class."""
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
        vendor_host: Optional[str] = None,
        timeout: float = _native.DEFAULT_TIMEOUT,
        max_retries: int = _native.DEFAULT_MAX_RETRIES,
        allow_insecure_http: bool = False,
        connect_timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        proxy: Optional[str] = None,
        ca_bundle: Optional[Union[str, "os.PathLike[str]"]] = None,
    ) -> None:
        self._native = self._native_type(
            user_token=user_token,
            client_id=client_id,
            secret=secret,
            tenant_id=tenant_id,
            user_id=user_id,
            region=region,
            base_url=base_url,
            vendor_host=vendor_host,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
            connect_timeout=connect_timeout,
            deadline=deadline,
            proxy=proxy,
            ca_bundle=None if ca_bundle is None else os.fspath(ca_bundle),
        )
        self._attach()

    def _attach(self) -> None:
        for name, group in self._groups.items():
            setattr(self, name, group(self._native))

    def with_options(
        self: _C,
        *,
        timeout: Optional[float] = None,
        deadline: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> _C:
        """A copy of this client with other time bounds or retries, for some
        calls: ``client.with_options(deadline=2).phone_numbers.list_mine()``.
        It is cheap: it shares this client's connections and vendor token.
        ``timeout`` bounds one attempt, ``deadline`` the whole call (attempts,
        retries and waits), in seconds; ``max_retries`` counts the attempts
        after the first (a call that may have sent an SMS or consumed a code
        is never retried)."""
        copy = object.__new__(type(self))
        copy._native = self._native.with_options(timeout=timeout, deadline=deadline, max_retries=max_retries)
        copy._attach()
        return copy

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
    (see the package documentation; an explicit half of the vendor pair is
    completed from the environment only when it holds the whole pair).
    ``vendor_host`` is the environment's login domain, sent to the sign-in
    routes that ask for it. ``timeout`` is the time allowed for one attempt,
    in seconds; ``max_retries`` the retries after the first attempt (a call
    that may have sent an SMS or consumed a code is never retried);
    ``connect_timeout`` the time allowed to connect; ``deadline`` the time
    allowed for a whole call, attempts, retries and waits together (60 s by
    default). The defaults are the Rust core's; :meth:`with_options` gives a
    cheap copy with other bounds. ``proxy`` (``"http://host:port"``) sends
    every request through that proxy (the ``HTTPS_PROXY`` family of
    variables is honoured too); ``ca_bundle`` (a PEM file) adds CA
    certificates to the platform's trust, which honours ``SSL_CERT_FILE``.
    Plain ``http://`` is refused except on loopback, unless
    ``allow_insecure_http``.
    """

    __slots__ = ()

    _native_type = _native.SyncClient
    _groups = {"phone_numbers": PhoneNumbers}
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
    _groups = {"phone_numbers": AsyncPhoneNumbers}
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
