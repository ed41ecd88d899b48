"""``IdentityClient`` and ``AsyncIdentityClient``: thin Python shells around
the native clients. Each route is declared once below, for both clients (see
:mod:`frontegg_identity._routes`); each method is one native call, and
everything else (checks, retries, authentication, parsing, paging) happens
in Rust."""

from __future__ import annotations

import builtins
import os

from . import _native
from ._routes import AsyncGroup, Group, SyncGroup, every_item, route

TYPE_CHECKING = False  # as `typing.TYPE_CHECKING`, without importing `typing` (see `__init__`)
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any, ClassVar, Dict, NoReturn, Optional, Sequence, Type, TypeVar, Union

    from ._native import MfaToken, OtcToken, PasswordResetSession, ProviderToken, RecoveryCode, SmsLogin
    from ._types import (
        AuthResult,
        IdentifierType,
        MfaDevices,
        Page,
        PasswordResetToken,
        PendingDeletion,
        PhoneNumber,
        Region,
        SmsConfig,
        SmsTemplate,
        SortBy,
        SortOrder,
        UserToken,
    )

    _W = TypeVar("_W", bound="ClosedAtExit")
    _C = TypeVar("_C", bound="_Client")


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


class _MfaRoutes:
    """MFA by SMS (routes 11 to 18, 32), declared once for :class:`Mfa` and
    :class:`AsyncMfa`. The sign-in step (``send_sms_code``,
    ``verify_sms_code``, and the enrollment with ``mfa_token``) needs no
    credentials; the others a user token, or vendor credentials."""

    __slots__ = ()

    @route("start_sms_enrollment")
    def start_sms_enrollment(self, phone_number: str, *, mfa_token: Union[MfaToken, str, None] = None) -> OtcToken:
        """Starts enrolling ``phone_number`` as the signed-in user's SMS MFA
        device: Frontegg sends a code to it. With ``mfa_token`` (enrollment
        forced at sign-in) no user token is needed. Finish with
        :meth:`finish_sms_enrollment`. Never retried."""

    @route("finish_sms_enrollment")
    def finish_sms_enrollment(
        self,
        otc_token: Union[OtcToken, str],
        code: str,
        *,
        mfa_token: Union[MfaToken, str, None] = None,
        remember_device: bool = False,
    ) -> AuthResult:
        """Finishes the enrollment with the code. With ``mfa_token`` (the
        sign-in step) the answer signs the user in and ``remember_device``
        asks Frontegg to trust this device; the first device comes with a
        recovery code (``SignedIn.recovery_code``)."""

    @route("send_sms_code")
    def send_sms_code(self, device_id: str, mfa_token: Union[MfaToken, str]) -> OtcToken:
        """Sends a sign-in code to the SMS device ``device_id`` (from
        ``MfaRequired.devices.phones``); no credentials needed. Never retried."""

    @route("verify_sms_code")
    def verify_sms_code(
        self,
        device_id: str,
        mfa_token: Union[MfaToken, str],
        otc_token: Union[OtcToken, str],
        code: str,
        remember_device: bool = False,
    ) -> AuthResult:
        """Passes the second factor with the code; no credentials needed."""

    @route("enroll_sms")
    def enroll_sms(self, user_id: str, phone_number: str) -> OtcToken:
        """Starts enrolling ``phone_number`` as ``user_id``'s SMS device
        (vendor credentials): Frontegg sends a code to it. Never retried."""

    @route("verify_sms_enrollment")
    def verify_sms_enrollment(
        self, user_id: str, otc_token: Union[OtcToken, str], code: str
    ) -> Optional[RecoveryCode]:
        """Finishes a vendor enrollment with the code; a user's first device
        may come with a recovery code."""

    @route("start_sms_disable")
    def start_sms_disable(self, user_id: str, device_id: str, *, tenant_id: Optional[str] = None) -> OtcToken:
        """Starts removing ``user_id``'s SMS device (vendor credentials):
        Frontegg sends a code to it. The tenant is ``tenant_id``, else the
        client's; with neither the call is refused before anything is sent.
        Never retried."""

    @route("confirm_sms_disable")
    def confirm_sms_disable(self, user_id: str, device_id: str, otc_token: Union[OtcToken, str], code: str) -> None:
        """Confirms removing the device with the code."""

    @route("mfa_devices")
    def list_devices(self, user_id: Optional[str] = None) -> MfaDevices:
        """**Unstable**: Frontegg does not publish this route. The MFA devices
        of the signed-in user, or with vendor credentials of ``user_id``
        (else the client's ``user_id``)."""


class _PasswordlessRoutes:
    """Passwordless SMS sign-in (routes 19, 20), declared once for
    :class:`Passwordless` and :class:`AsyncPasswordless`. No credentials
    needed; ``frontegg-vendor-host`` is sent when the client has a ``vendor_host``."""

    __slots__ = ()

    @route("start_sms_login")
    def start_sms_login(
        self,
        *,
        email: Optional[str] = None,
        user_id: Optional[str] = None,
        username: Optional[str] = None,
        phone_number: Optional[str] = None,
        invitation_token: Optional[str] = None,
        recaptcha_token: Optional[str] = None,
    ) -> SmsLogin:
        """Starts signing a user in by SMS: Frontegg sends a code to the
        user's number. Give exactly one of ``email``, ``user_id``,
        ``username``, ``phone_number`` (else :class:`InvalidInputError`,
        before anything is sent). The returned :class:`SmsLogin` holds the
        flow's cookies; finish with :meth:`finish_sms_login`. Never retried."""

    @route("finish_sms_login")
    def finish_sms_login(self, login: SmsLogin, code: str) -> AuthResult:
        """Finishes the sign-in with the code: signed in, or a second factor
        is required (continue with ``client.mfa.send_sms_code``)."""


class _PasswordRoutes:
    """Password reset by SMS (routes 21, 22), declared once for
    :class:`Passwords` and :class:`AsyncPasswords`. No credentials needed."""

    __slots__ = ()

    @route("start_sms_reset")
    def start_sms_reset(self, identifier: str, identifier_type: IdentifierType) -> PasswordResetSession:
        """Starts a password reset by SMS for the user with this e-mail
        address, phone number or username. Frontegg answers the same whether
        or not the user exists. Never retried."""

    @route("verify_sms_reset")
    def verify_sms_reset(self, session: Union[PasswordResetSession, str], code: str) -> PasswordResetToken:
        """Verifies the reset with the code; the answer's token sets the new password."""


class _SmsSettingsRoutes:
    """The SMS provider configuration and SMS templates (routes 23 to 31,
    vendor credentials), declared once for :class:`SmsSettings` and
    :class:`AsyncSmsSettings`. Reads are retried, writes never automatically."""

    __slots__ = ()

    @route("get_sms_config")
    def get(self) -> Optional[SmsConfig]:
        """The SMS provider configuration, ``None`` when there is none."""

    @route("set_sms_config")
    def set(
        self,
        *,
        sender_name: Optional[str] = None,
        account_id: Optional[str] = None,
        token: Union[ProviderToken, str, None] = None,
        service_id: Optional[str] = None,
        provider: Optional[str] = None,
        channel: Optional[str] = None,
    ) -> SmsConfig:
        """Creates or replaces the configuration; fields left ``None`` are not sent."""

    @route("delete_sms_config")
    def delete(self) -> None:
        """Deletes the configuration."""

    @route("sms_templates")
    def templates(self) -> builtins.list[SmsTemplate]:
        """The environment's templates."""

    @route("sms_template")
    def template(self, type: str) -> Optional[SmsTemplate]:
        """The template of one type, ``None`` when there is none."""

    @route("set_sms_template")
    def set_template(self, type: str, template: SmsTemplate) -> SmsTemplate:
        """Creates or replaces the template of one type. ``template`` is a
        mapping of JSON values; anything else is refused before sending."""

    @route("delete_sms_template")
    def delete_template(self, type: str) -> None:
        """Deletes the template of one type."""

    @route("default_sms_template")
    def default_template(self, type: str) -> Optional[SmsTemplate]:
        """Frontegg's default template of one type, ``None`` when there is none."""

    @route("default_sms_templates")
    def default_templates(self) -> builtins.list[SmsTemplate]:
        """Frontegg's default templates."""


class Mfa(_MfaRoutes, SyncGroup):
    """The MFA-by-SMS routes of an :class:`IdentityClient`."""

    __slots__ = ()


class AsyncMfa(_MfaRoutes, AsyncGroup):
    """The MFA-by-SMS routes of an :class:`AsyncIdentityClient`, as coroutines."""

    __slots__ = ()


class Passwordless(_PasswordlessRoutes, SyncGroup):
    """The passwordless SMS sign-in routes of an :class:`IdentityClient`."""

    __slots__ = ()


class AsyncPasswordless(_PasswordlessRoutes, AsyncGroup):
    """The passwordless SMS sign-in routes of an :class:`AsyncIdentityClient`, as coroutines."""

    __slots__ = ()


class Passwords(_PasswordRoutes, SyncGroup):
    """The password-reset-by-SMS routes of an :class:`IdentityClient`."""

    __slots__ = ()


class AsyncPasswords(_PasswordRoutes, AsyncGroup):
    """The password-reset-by-SMS routes of an :class:`AsyncIdentityClient`, as coroutines."""

    __slots__ = ()


class SmsSettings(_SmsSettingsRoutes, SyncGroup):
    """The SMS settings routes of an :class:`IdentityClient`."""

    __slots__ = ()


class AsyncSmsSettings(_SmsSettingsRoutes, AsyncGroup):
    """The SMS settings routes of an :class:`AsyncIdentityClient`, as coroutines."""

    __slots__ = ()


class ClosedAtExit:
    """``with`` support: the block gives the object itself, and its end calls
    :meth:`_end` (``close`` of :class:`IdentityClient`, ``stop`` of
    :class:`~frontegg_identity.testing.Emulator`)."""

    __slots__ = ()

    def _end(self) -> None:
        raise NotImplementedError

    def __enter__(self: _W) -> _W:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self._end()


class _Client:
    """What both clients share: their arguments, ``close``, ``repr``, and
    refusing to be pickled or copied."""

    __slots__ = ("_native", "phone_numbers", "mfa", "passwordless", "passwords", "sms_settings")

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
        # Every argument, by name: the native client checks and applies them all.
        options = {name: value for name, value in locals().items() if name != "self"}
        if ca_bundle is not None:
            options["ca_bundle"] = os.fspath(ca_bundle)
        self._native = self._native_type(**options)
        self._attach()
        # The records' module (the dataclasses): imported by the first client
        # rather than by the native side on the first call returning a
        # record. That call may run in an event loop's callback, which the
        # import (tens of milliseconds) would stall; and a process forked
        # while another thread is inside that import, which the native side
        # waits for, would wait in the child forever.
        from . import _types  # noqa: F401

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


class IdentityClient(_Client, ClosedAtExit):
    """The blocking client. Safe to share across threads: a call releases the
    GIL while it waits, so threads overlap.

    Authenticate with ``user_token`` (a str, or a callable returning the
    current token) for the self-service routes, or with ``client_id`` and
    ``secret`` (plus ``tenant_id``, and ``user_id`` for the self-service
    routes) for the vendor routes. A client without credentials can call the
    public sign-in routes (``mfa.send_sms_code``, ``mfa.verify_sms_code``,
    ``passwordless``, ``passwords``); the others then raise
    :class:`~frontegg_identity.ConfigurationError` before sending. ``region`` (``"eu"``, the default, ``"us"``,
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
    _groups = {
        "phone_numbers": PhoneNumbers,
        "mfa": Mfa,
        "passwordless": Passwordless,
        "passwords": Passwords,
        "sms_settings": SmsSettings,
    }
    _copy_hint = "share it, it is thread-safe"

    phone_numbers: PhoneNumbers
    """The phone-number routes."""
    mfa: Mfa
    """MFA by SMS."""
    passwordless: Passwordless
    """Passwordless SMS sign-in."""
    passwords: Passwords
    """Password reset by SMS."""
    sms_settings: SmsSettings
    """The SMS provider configuration and templates (vendor credentials)."""

    def _end(self) -> None:
        self.close()


class AsyncIdentityClient(_Client):
    """The asyncio client; takes the same arguments as :class:`IdentityClient`.
    Its methods are coroutines, run on one shared Rust runtime; share one
    client between tasks. :meth:`close` works outside a coroutine too."""

    __slots__ = ()

    _native_type = _native.AsyncClient
    _groups = {
        "phone_numbers": AsyncPhoneNumbers,
        "mfa": AsyncMfa,
        "passwordless": AsyncPasswordless,
        "passwords": AsyncPasswords,
        "sms_settings": AsyncSmsSettings,
    }
    _copy_hint = "share it"

    phone_numbers: AsyncPhoneNumbers
    """The phone-number routes."""
    mfa: AsyncMfa
    """MFA by SMS."""
    passwordless: AsyncPasswordless
    """Passwordless SMS sign-in."""
    passwords: AsyncPasswords
    """Password reset by SMS."""
    sms_settings: AsyncSmsSettings
    """The SMS provider configuration and templates (vendor credentials)."""

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
