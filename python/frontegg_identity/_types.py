"""The results of the routes: frozen dataclasses, equal by value, with a
``repr`` that masks phone numbers and e-mail addresses and never shows a
secret (secrets are the native classes of :mod:`frontegg_identity._native`,
``OtcToken``, ``AccessToken``, ...: redacted, with ``reveal()``). The results
of the phone-number routes pickle; those holding an SMS-flow secret do not
(the secret classes refuse, so a secret never lands in a pickle)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Callable, Dict, Literal, Mapping, Optional, Tuple, Union

from ._native import (
    AccessToken,
    MfaToken,
    OtcToken,
    ProviderToken,
    RecoveryCode,
    RefreshToken,
    ResetToken,
    mask_email,
    mask_phone_number,
)


@dataclass(frozen=True)
class PhoneNumber:
    """A phone number stored for a user.

    Frontegg omits some fields on some routes, so they may be ``None``; a
    stored number that is not E.164 is listed as it is. The number is
    personal data: ``repr()`` shows only its last two digits.
    """

    id: Optional[str]
    """The record's id, used to delete it."""
    user_id: Optional[str]
    """The user the number belongs to (absent on ``list_mine``)."""
    phone_number: str
    """The number as stored, in E.164 form (``+14155550100``)."""
    verified: bool
    """Whether the number was verified with an SMS code."""
    created_at: Optional[datetime]
    """When the record was created (UTC)."""
    updated_at: Optional[datetime]
    """When the record was last changed (UTC)."""

    def __repr__(self) -> str:
        return (
            f"PhoneNumber(id={self.id!r}, user_id={self.user_id!r}, "
            f"phone_number={mask_phone_number(self.phone_number)!r}, verified={self.verified!r}, "
            f"created_at={self.created_at!r}, updated_at={self.updated_at!r})"
        )

    @property
    def masked(self) -> str:
        """The number with all but its last two digits hidden: ``+*********00``."""
        return mask_phone_number(self.phone_number)


@dataclass(frozen=True)
class Page:
    """One page of the vendor list (``phone_numbers.list``)."""

    items: Tuple[PhoneNumber, ...]
    """The numbers on this page."""
    page: int
    """The page index asked for (0 is the first page)."""
    total_items: int
    """How many numbers match in all."""
    total_pages: int
    """How many pages there are at this page size."""

    @property
    def has_next(self) -> bool:
        """Whether a page follows this one."""
        return bool(self.items) and self.page + 1 < self.total_pages


@dataclass(frozen=True)
class PendingDeletion:
    """A deletion in progress: Frontegg sent an SMS code to the number.
    Finish it with ``confirm_delete(phone_id, otc_token, code)``."""

    phone_id: str
    """The record being deleted."""
    otc_token: OtcToken
    """The token to send back with the code (``repr`` shows ``[redacted]``)."""


# --- The arguments' types. They are built with `typing`, which this module
# imports anyway (the records' annotations name its types, and stay
# resolvable with `typing.get_type_hints` for the tools that read them); the
# clients name them only in annotations, so importing the package imports
# neither.

Region = Literal["eu", "us", "ca", "au"]
"""A Frontegg region."""
SortBy = Literal["user_id", "phone_number", "userId", "phoneNumber"]
"""The field ``list`` sorts by."""
SortOrder = Literal["asc", "desc", "ASC", "DESC"]
"""The order ``list`` sorts in."""
UserToken = Union[str, Callable[[], str]]
"""A user's access token, or a callable returning the current one."""
IdentifierType = Literal["email", "phone_number", "username"]
"""What identifies the user of a password reset by SMS."""


# --- The SMS flows.

SmsTemplate = Mapping[str, Any]
"""An SMS template: an opaque JSON object (Frontegg publishes no fields); a
plain ``dict`` when returned, any mapping of JSON values when given."""


def _masked_repr(obj: Any, masks: Dict[str, Callable[[Any], str]]) -> str:
    """``Name(field=value, ...)`` as a dataclass shows it, but with the fields
    in ``masks`` shown by their mask (it gets the value, returns the text)."""
    shown = ", ".join(
        f"{f.name}={masks.get(f.name, repr)(getattr(obj, f.name))}" for f in fields(obj) if f.repr
    )
    return f"{type(obj).__name__}({shown})"


def _phone(value: Optional[str]) -> str:
    return repr(None if value is None else mask_phone_number(value))


def _email(value: Optional[str]) -> str:
    return repr(None if value is None else mask_email(value))


def _emails(values: Tuple[str, ...]) -> str:
    return repr(tuple(mask_email(v) for v in values))


@dataclass(frozen=True)
class MfaPhone:
    """An SMS MFA device."""

    id: str
    """The device id, for ``send_sms_code``, ``verify_sms_code`` and the disable routes."""
    phone_number: str
    """Its number as Frontegg sent it (often masked already); ``repr()`` masks it."""

    def __repr__(self) -> str:
        return _masked_repr(self, {"phone_number": _phone})


@dataclass(frozen=True)
class WebAuthnDevice:
    """A security key or platform authenticator."""

    id: Optional[str]
    device_type: Optional[str]
    """``Platform`` or ``CrossPlatform``."""
    name: Optional[str]


@dataclass(frozen=True)
class MfaDevices:
    """A user's MFA devices."""

    phones: Tuple[MfaPhone, ...]
    """SMS devices."""
    webauthn: Tuple[WebAuthnDevice, ...]
    """Security keys and platform authenticators."""
    authenticators: Tuple[str, ...]
    """Authenticator apps, by id."""
    emails: Tuple[str, ...]
    """E-mail factors (masked in ``repr()``)."""

    def __repr__(self) -> str:
        return _masked_repr(self, {"emails": _emails})


@dataclass(frozen=True)
class SignedIn:
    """A completed sign-in. The tokens are secret classes: ``reveal()`` gives them."""

    access_token: AccessToken
    """The user's access token (a JWT)."""
    refresh_token: Optional[RefreshToken]
    """The refresh token, when Frontegg gave one."""
    expires_in: Optional[int]
    """How long the access token lives, in seconds."""
    user_id: Optional[str]
    """The user's id, when Frontegg said."""
    recovery_code: Optional[RecoveryCode]
    """A recovery code, when this step enrolled the user's first MFA device: show it once."""
    user_email: Optional[str] = None
    """The user's e-mail address, when Frontegg said (masked in ``repr()``)."""
    mfa_enrolled: Optional[bool] = None
    """Whether the user has an MFA device."""
    token_type: Optional[str] = None
    """The token type (``bearer``)."""
    expires: Optional[str] = None
    """When the access token expires, as Frontegg wrote it."""

    def __repr__(self) -> str:
        return _masked_repr(self, {"user_email": _email})


@dataclass(frozen=True)
class MfaRequired:
    """A sign-in that needs a second factor: send a code to one of
    ``devices.phones`` with ``mfa.send_sms_code(device.id, mfa_token)`` and
    verify it with ``mfa.verify_sms_code``."""

    mfa_token: MfaToken
    """Names the user to the MFA routes (secret)."""
    devices: MfaDevices
    """The user's MFA devices."""
    user_id: Optional[str]
    """The user's id, when Frontegg said."""


AuthResult = Union[SignedIn, MfaRequired]
"""The outcome of a completed sign-in step: signed in, or a second factor is needed."""


@dataclass(frozen=True)
class SmsConfig:
    """The SMS provider configuration. ``token``, the provider's credential,
    is secret (Frontegg may not echo it)."""

    sender_name: Optional[str]
    """The alphanumeric sender name."""
    account_id: Optional[str]
    """The provider account id."""
    token: Optional[ProviderToken]
    """The provider's credential."""
    service_id: Optional[str]
    """The provider's service id."""
    provider: Optional[str]
    """The provider (undocumented values)."""
    channel: Optional[str]
    """The channel (undocumented values)."""


@dataclass(frozen=True)
class PasswordResetToken:
    """A verified password reset by SMS: the user, and the secret token that
    sets the new password (``POST /resources/users/v1/passwords/reset/verify``)."""

    user_id: Optional[str]
    """The user whose password is being reset."""
    token: ResetToken
    """The reset token."""
