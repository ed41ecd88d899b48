# The private native module, written in Rust (crates/python). Checked against
# the built module with `python -m mypy.stubtest frontegg_identity._native`.
# Defaults are written `...`, as in typeshed: the Python layer (`_client.py`,
# `testing.py`) passes every argument and documents the defaults; the native
# ones are never used through it.
import asyncio
import builtins
import weakref
from typing import Any, Callable, Optional, Sequence, Union, final

from typing_extensions import Self

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
    "MfaToken",
    "AccessToken",
    "RefreshToken",
    "RecoveryCode",
    "ResetToken",
    "ProviderToken",
    "PasswordResetSession",
    "SmsLogin",
    "Pager",
    "ROUTES",
    "ROUTE_PARAMS",
    "normalize_phone_number",
    "mask_phone_number",
    "cli_main",
    "mask_email",
    "run_emulator_cli",
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
def mask_email(email: str) -> str: ...
def run_emulator_cli(argv: Sequence[str]) -> int: ...

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

# The secret classes: separate native classes with the same methods, declared
# once. (`_Secret` and `_Client` exist only in this stub: stubtest checks each
# class's methods against them, and python/tests/test_routes.py that each
# class has all of them.)
class _Secret:
    def __new__(cls, value: str) -> Self: ...
    def reveal(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __copy__(self) -> Self: ...
    def __deepcopy__(self, memo: Any, /) -> Self: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class OtcToken(_Secret): ...
@final
class MfaToken(_Secret): ...
@final
class AccessToken(_Secret): ...
@final
class RefreshToken(_Secret): ...
@final
class RecoveryCode(_Secret): ...
@final
class ResetToken(_Secret): ...
@final
class ProviderToken(_Secret): ...
@final
class PasswordResetSession(_Secret): ...

@final
class SmsLogin:
    @staticmethod
    def resume(cookies: Optional[str]) -> SmsLogin: ...
    @property
    def phone_number(self) -> Optional[str]: ...
    def reveal_cookies(self) -> Optional[str]: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

class _Client:
    # The keyword arguments of the Python client (see `_client._Client`).
    def __new__(cls, **options: Any) -> Self: ...
    def with_options(
        self, *, timeout: Optional[float] = ..., deadline: Optional[float] = ..., max_retries: Optional[int] = ...
    ) -> Self: ...
    @property
    def describe(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...

@final
class SyncClient(_Client):
    def call(self, route: int, *args: Any) -> Any: ...

@final
class AsyncClient(_Client):
    def start(self, route: int, completions: Completions, future: asyncio.Future[Any], *args: Any) -> Call: ...

@final
class Emulator:
    def __new__(
        cls,
        *,
        code_length: int = ...,
        otc_ttl: float = ...,
        max_attempts: int = ...,
        vendor_token_ttl: float = ...,
        user_token_ttl: float = ...,
        client_id: Optional[str] = ...,
        secret: Optional[str] = ...,
        accept_unsigned_jwt: bool = ...,
        signing_key: Optional[str] = ...,
        seed_json: Optional[str] = ...,
        seed_path: Optional[str] = ...,
    ) -> Emulator: ...
    @property
    def base_url(self) -> str: ...
    @property
    def running(self) -> bool: ...
    @property
    def public_key_pem(self) -> str: ...
    def user_token(
        self, user_id: str, tenant_id: Optional[str] = ..., claims_json: Optional[str] = ...
    ) -> str: ...
    def export_state(self) -> str: ...
    def jwks_json(self) -> str: ...
    def vendor_credentials(self) -> tuple[str, str]: ...
    def sms(self, phone_number: Optional[str] = ...) -> builtins.list[tuple[str, str, str, str, str]]: ...
    def last_code(self, phone_number: str, purpose: Optional[str] = ...) -> Optional[str]: ...
    def create_user(
        self,
        user_id: str,
        email: Optional[str] = ...,
        username: Optional[str] = ...,
        tenant_id: Optional[str] = ...,
        tenant_ids: Optional[Sequence[str]] = ...,
        roles: Optional[Sequence[str]] = ...,
        permissions: Optional[Sequence[str]] = ...,
    ) -> None: ...
    def mfa_token(self, user_id: str) -> str: ...
    def inject_fault(
        self,
        route: Optional[str] = ...,
        *,
        status: Optional[int] = ...,
        times: int = ...,
        body_json: Optional[str] = ...,
        headers: Optional[Sequence[tuple[str, str]]] = ...,
        delay: Optional[float] = ...,
        rate_limit_reset: Optional[str] = ...,
        retry_after: Optional[str] = ...,
        drop: Optional[str] = ...,
    ) -> None: ...
    def clear_faults(self) -> None: ...
    def requests(self) -> builtins.list[dict[str, Any]]: ...
    def reset(self) -> None: ...
    def stop(self) -> None: ...
