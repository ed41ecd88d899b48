# The private native module, written in Rust (crates/python). Checked against
# the built module with `python -m mypy.stubtest frontegg_identity._native`.
import asyncio
import builtins
import weakref
from typing import Any, Callable, Optional, Sequence, Union, final

from ._types import Page, PendingDeletion, PhoneNumber

__all__ = [
    "__version__",
    "USER_AGENT",
    "SyncClient",
    "AsyncClient",
    "Completions",
    "Call",
    "Emulator",
    "OtcToken",
    "normalize_phone_number",
    "mask_phone_number",
    "run_emulator_cli",
    "_debug_panic",
]

__version__: str
USER_AGENT: str

def normalize_phone_number(phone_number: str) -> str: ...
def mask_phone_number(phone_number: str) -> str: ...
def run_emulator_cli(argv: Sequence[str]) -> int: ...
def _debug_panic(
    mode: str, completions: Optional[Completions] = None, future: Optional[asyncio.Future[Any]] = None
) -> Optional[Call]: ...
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
    def __new__(
        cls,
        *,
        user_token: Union[str, Callable[[], str], None] = None,
        client_id: Optional[str] = None,
        secret: Optional[str] = None,
        tenant_id: Optional[str] = None,
        user_id: Optional[str] = None,
        region: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        allow_insecure_http: bool = False,
    ) -> SyncClient: ...
    @property
    def describe(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def assign(self, phone_number: str, verify: bool = True) -> Optional[OtcToken]: ...
    def preverify(self, phone_number: str) -> OtcToken: ...
    def verify(self, otc_token: Union[OtcToken, str], code: str) -> None: ...
    def list_mine(self) -> builtins.list[PhoneNumber]: ...
    def start_delete(self, phone_id: str) -> PendingDeletion: ...
    def confirm_delete(self, phone_id: str, otc_token: Union[OtcToken, str], code: str) -> None: ...
    def list(
        self,
        limit: Optional[int] = None,
        page: int = 0,
        sort_by: Optional[str] = None,
        order: Optional[str] = None,
        phone_number: Optional[str] = None,
        user_ids: Optional[Sequence[str]] = None,
    ) -> Page: ...
    def vendor_add(self, user_id: str, phone_number: str) -> None: ...
    def vendor_delete(self, user_id: str, phone_id: str) -> None: ...

@final
class AsyncClient:
    def __new__(
        cls,
        *,
        user_token: Union[str, Callable[[], str], None] = None,
        client_id: Optional[str] = None,
        secret: Optional[str] = None,
        tenant_id: Optional[str] = None,
        user_id: Optional[str] = None,
        region: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        allow_insecure_http: bool = False,
    ) -> AsyncClient: ...
    @property
    def describe(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def assign(self, completions: Completions, future: asyncio.Future[Any], phone_number: str, verify: bool = True) -> Call: ...
    def preverify(self, completions: Completions, future: asyncio.Future[Any], phone_number: str) -> Call: ...
    def verify(self, completions: Completions, future: asyncio.Future[Any], otc_token: Union[OtcToken, str], code: str) -> Call: ...
    def list_mine(self, completions: Completions, future: asyncio.Future[Any]) -> Call: ...
    def start_delete(self, completions: Completions, future: asyncio.Future[Any], phone_id: str) -> Call: ...
    def confirm_delete(self, completions: Completions, future: asyncio.Future[Any], phone_id: str, otc_token: Union[OtcToken, str], code: str) -> Call: ...
    def list(
        self,
        completions: Completions,
        future: asyncio.Future[Any],
        limit: Optional[int] = None,
        page: int = 0,
        sort_by: Optional[str] = None,
        order: Optional[str] = None,
        phone_number: Optional[str] = None,
        user_ids: Optional[Sequence[str]] = None,
    ) -> Call: ...
    def vendor_add(self, completions: Completions, future: asyncio.Future[Any], user_id: str, phone_number: str) -> Call: ...
    def vendor_delete(self, completions: Completions, future: asyncio.Future[Any], user_id: str, phone_id: str) -> Call: ...

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
        accept_unsigned_jwt: bool = False,
        signing_key: Optional[str] = None,
        seed_json: Optional[str] = None,
        seed_path: Optional[str] = None,
    ) -> Emulator: ...
    @property
    def base_url(self) -> str: ...
    @property
    def running(self) -> bool: ...
    @property
    def public_key_pem(self) -> str: ...
    def user_token(
        self, user_id: str, tenant_id: Optional[str] = None, claims_json: Optional[str] = None
    ) -> str: ...
    def export_state(self) -> str: ...
    def jwks_json(self) -> str: ...
    def vendor_credentials(self) -> tuple[str, str]: ...
    def sms(self, phone_number: Optional[str] = None) -> builtins.list[tuple[str, str, str, str, str]]: ...
    def last_code(self, phone_number: str, purpose: Optional[str] = None) -> Optional[str]: ...
    def create_user(
        self,
        user_id: str,
        email: Optional[str] = None,
        username: Optional[str] = None,
        tenant_id: Optional[str] = None,
        tenant_ids: Optional[Sequence[str]] = None,
        roles: Optional[Sequence[str]] = None,
        permissions: Optional[Sequence[str]] = None,
    ) -> None: ...
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
