# The private native module, written in Rust (crates/python). Checked against
# the built module with `python -m mypy.stubtest frontegg_identity._native`.
import asyncio
import builtins
import weakref
from typing import Any, Callable, Optional, Sequence, Union, final

from ._types import Page

__all__ = [
    "__version__",
    "USER_AGENT",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "SyncClient",
    "AsyncClient",
    "Completions",
    "Call",
    "Emulator",
    "OtcToken",
    "Pager",
    "ROUTES",
    "ROUTE_PARAMS",
    "normalize_phone_number",
    "mask_phone_number",
    "cli_main",
]

__version__: str
USER_AGENT: str
DEFAULT_TIMEOUT: float
DEFAULT_MAX_RETRIES: int
ROUTES: tuple[str, ...]
"""Core's route names; a route's index is the id ``call`` and ``start`` take."""
ROUTE_PARAMS: tuple[Optional[tuple[str, ...]], ...]
"""Each route's parameters, in the order ``call`` and ``start`` take them;
``None`` for a route the bindings have no row for."""

def normalize_phone_number(phone_number: str) -> str: ...
def mask_phone_number(phone_number: str) -> str: ...
def cli_main(argv: list[str]) -> int: ...

# `_debug_panic(mode, completions=None, future=None)` exists only in builds
# with the `test-hooks` feature (the test build), so it is not declared here.

@final
class Pager:
    def __new__(
        cls,
        limit: Optional[int],
        page: int,
        sort_by: Optional[str],
        order: Optional[str],
        phone_number: Optional[str],
        user_ids: Optional[Sequence[str]],
        /,
    ) -> Pager: ...
    @property
    def done(self) -> bool: ...
    def next(self, client: SyncClient) -> Page: ...
    def start_next(self, client: AsyncClient, completions: Completions, future: asyncio.Future[Any]) -> Call: ...
@final
class Completions:
    def __new__(cls) -> Completions: ...
    def fileno(self) -> int: ...
    def wake_with(self, call_soon_threadsafe: weakref.WeakMethod[Callable[..., Any]]) -> None: ...
    def drain(self) -> None: ...

@final
class Call:
    def cancel(self) -> None: ...

@final
class OtcToken:
    def __new__(cls, token: str) -> OtcToken: ...
    def reveal(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class SyncClient:
    # The keyword arguments of the Python client (see `_client._Client`).
    def __new__(cls, **options: Any) -> SyncClient: ...
    def with_options(
        self, *, timeout: Optional[float] = None, deadline: Optional[float] = None, max_retries: Optional[int] = None
    ) -> SyncClient: ...
    @property
    def describe(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def call(self, route: int, *args: Any) -> Any: ...

@final
class AsyncClient:
    # The keyword arguments of the Python client (see `_client._Client`).
    def __new__(cls, **options: Any) -> AsyncClient: ...
    def with_options(
        self, *, timeout: Optional[float] = None, deadline: Optional[float] = None, max_retries: Optional[int] = None
    ) -> AsyncClient: ...
    @property
    def describe(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def start(self, route: int, completions: Completions, future: asyncio.Future[Any], *args: Any) -> Call: ...

@final
class Emulator:
    def __new__(
        cls,
        *,
        code_length: int = 6,
        otc_ttl: float = 300.0,
        max_attempts: int = 5,
        vendor_token_ttl: float = 3600.0,
        user_token_ttl: float = 3600.0,
        client_id: Optional[str] = None,
        secret: Optional[str] = None,
        accept_unsigned_jwt: bool = True,
    ) -> Emulator: ...
    @property
    def base_url(self) -> str: ...
    @property
    def running(self) -> bool: ...
    def user_token(self, user_id: str, tenant_id: Optional[str] = None) -> str: ...
    def vendor_credentials(self) -> tuple[str, str]: ...
    def sms(self, phone_number: Optional[str] = None) -> builtins.list[tuple[str, str, str, str, str]]: ...
    def last_code(self, phone_number: str, purpose: Optional[str] = None) -> Optional[str]: ...
    def create_user(self, user_id: str, email: Optional[str] = None, username: Optional[str] = None) -> None: ...
    def mfa_token(self, user_id: str) -> str: ...
    def inject_fault(
        self,
        route: Optional[str] = None,
        *,
        status: Optional[int] = None,
        times: int = 1,
        body_json: Optional[str] = None,
        headers: Optional[Sequence[tuple[str, str]]] = None,
        delay: Optional[float] = None,
        rate_limit_reset: Optional[str] = None,
        retry_after: Optional[str] = None,
        drop: Optional[str] = None,
    ) -> None: ...
    def clear_faults(self) -> None: ...
    def requests(self) -> builtins.list[dict[str, Any]]: ...
    def reset(self) -> None: ...
    def stop(self) -> None: ...
