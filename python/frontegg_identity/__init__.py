"""frontegg_identity: Frontegg's phone-number and SMS identity API, from Python.

A thin Python package over a Rust core (``frontegg_identity._native``)::

    from frontegg_identity import IdentityClient

    client = IdentityClient(user_token="eyJ...", region="us")    # self-service routes
    otc = client.phone_numbers.preverify("+1 415 555 0100")      # sends an SMS code
    client.phone_numbers.verify(otc, "123456")                   # the code the user typed

    admin = IdentityClient(client_id="...", secret="...")        # vendor routes, EU by default
    for number in admin.phone_numbers.iter_all(limit=250):
        print(number)                                            # the number is masked in repr

``AsyncIdentityClient`` takes the same arguments; its methods are coroutines
and ``iter_all`` is an async iterator.

The SMS flows are on ``client.mfa`` (MFA by SMS), ``client.passwordless``
(SMS sign-in), ``client.passwords`` (password reset by SMS) and
``client.sms_settings`` (the SMS provider and templates). A client made
without credentials can call the public sign-in routes.

Environment variables
---------------------

Arguments not given fall back to these (read once, when a client is made):

``FRONTEGG_USER_TOKEN``
    a user's access token, when neither ``user_token`` nor vendor credentials are given;
``FRONTEGG_CLIENT_ID`` and ``FRONTEGG_API_KEY``
    vendor credentials (they win over ``FRONTEGG_USER_TOKEN``; set both or
    neither: an explicit ``client_id`` or ``secret`` takes its other half from
    them only when both are set, so half a pair is always an error);
``FRONTEGG_TENANT_ID``, ``FRONTEGG_USER_ID``
    the tenant and user sent with a vendor token;
``FRONTEGG_BASE_URL``
    the gateway root (custom domain, proxy, emulator), when neither ``base_url`` nor ``region`` is given;
``FRONTEGG_REGION``
    ``eu`` (the default), ``us``, ``ca`` or ``au``.

An explicit ``region`` or ``base_url`` wins over both location variables, and
explicit credentials over the environment's. These rules, and every default
(timeouts, retries, body limit), are the Rust core's
(``ClientBuilder::from_env_with`` and ``frontegg_identity_core::defaults``).

Secrets
-------

Tokens, secrets, one-time-code tokens and codes never appear in a ``repr``,
an exception or a log line; phone numbers are masked (``+*********00``).
``OtcToken`` can be stored between web requests: ``otc.reveal()`` gives the
token and ``OtcToken(value)`` rebuilds it (``str(otc)`` does not show it).
The SMS flows' secrets are classes of the same kind (``MfaToken``,
``AccessToken``, ``RefreshToken``, ``RecoveryCode``, ``ResetToken``,
``ProviderToken``, ``PasswordResetSession``), but they refuse to pickle;
``SmsLogin`` keeps its cookies secret (``reveal_cookies()`` /
``SmsLogin.resume(cookies)``).

Logging
-------

The SDK logs through the standard :mod:`logging` module, logger
``frontegg_identity`` (each attempt at DEBUG with ``route``, ``attempt``,
``status`` and ``elapsed_ms`` as record attributes; retries at WARNING).
When that logger is not enabled for a level, nothing is formatted.

Testing
-------

:mod:`frontegg_identity.testing` runs the emulator in-process; with pytest,
the ``frontegg_emulator`` fixture gives a fresh one per test.
"""

from ._client import (
    AsyncIdentityClient,
    AsyncMfa,
    AsyncPasswordless,
    AsyncPasswords,
    AsyncPhoneNumbers,
    AsyncSmsSettings,
    IdentityClient,
    Mfa,
    Passwordless,
    Passwords,
    PhoneNumbers,
    SmsSettings,
)
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ConflictError,
    FronteggError,
    InternalServerError,
    InvalidInputError,
    InvalidPhoneNumberError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseDecodeError,
    TokenProviderError,
)
from ._native import (
    AccessToken,
    MfaToken,
    OtcToken,
    PasswordResetSession,
    ProviderToken,
    RecoveryCode,
    RefreshToken,
    ResetToken,
    SmsLogin,
    __version__,
    mask_email,
    mask_phone_number,
    normalize_phone_number,
)

# The result records and the type aliases are made on first use: they import
# `dataclasses` (and with it `inspect`) and `typing`, which cost more than
# the rest of the package. The first client made makes them; so does naming
# one (`frontegg_identity.PhoneNumber`, `from frontegg_identity import
# Region`).
TYPE_CHECKING = False  # as `typing.TYPE_CHECKING`, without importing `typing`
if TYPE_CHECKING:
    from ._types import (
        AuthResult,
        IdentifierType,
        MfaDevices,
        MfaPhone,
        MfaRequired,
        Page,
        PasswordResetToken,
        PendingDeletion,
        PhoneNumber,
        Region,
        SignedIn,
        SmsConfig,
        SmsTemplate,
        SortBy,
        SortOrder,
        UserToken,
        WebAuthnDevice,
    )
else:

    def __getattr__(name):
        """The result records and type aliases, made on first use."""
        if name in __all__:
            from . import _types

            value = globals()[name] = getattr(_types, name)
            return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(globals()) | set(__all__))


del TYPE_CHECKING

# Every name imported above (the ``_types`` ones on first use), in the same
# order. (``_client``, ``_exceptions`` and ``_types`` have no ``__all__`` of
# their own: this is the one list of the public names.)
__all__ = [
    "AsyncIdentityClient",
    "AsyncMfa",
    "AsyncPasswordless",
    "AsyncPasswords",
    "AsyncPhoneNumbers",
    "AsyncSmsSettings",
    "IdentityClient",
    "Mfa",
    "Passwordless",
    "Passwords",
    "PhoneNumbers",
    "SmsSettings",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "FronteggError",
    "InternalServerError",
    "InvalidInputError",
    "InvalidPhoneNumberError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseDecodeError",
    "TokenProviderError",
    "AccessToken",
    "MfaToken",
    "OtcToken",
    "PasswordResetSession",
    "ProviderToken",
    "RecoveryCode",
    "RefreshToken",
    "ResetToken",
    "SmsLogin",
    "__version__",
    "mask_email",
    "mask_phone_number",
    "normalize_phone_number",
    "AuthResult",
    "IdentifierType",
    "MfaDevices",
    "MfaPhone",
    "MfaRequired",
    "Page",
    "PasswordResetToken",
    "PendingDeletion",
    "PhoneNumber",
    "Region",
    "SignedIn",
    "SmsConfig",
    "SmsTemplate",
    "SortBy",
    "SortOrder",
    "UserToken",
    "WebAuthnDevice",
]
