"""The exceptions of ``frontegg_identity``.

They are defined here, in Python, and raised by the native module with every
field set. None of them carries a token, a secret, a one-time-code token or a
code; phone numbers quoted by the server are masked. They pickle.

::

    FronteggError
    ├── InvalidPhoneNumberError (also ValueError)
    ├── InvalidInputError (also ValueError)
    ├── ConfigurationError (also ValueError)
    ├── TokenProviderError
    ├── ClientClosedError (also RuntimeError)
    ├── APIConnectionError
    │   └── APITimeoutError (also TimeoutError)
    ├── APIStatusError
    │   ├── BadRequestError (400)
    │   ├── AuthenticationError (401)
    │   ├── PermissionDeniedError (403)
    │   ├── NotFoundError (404)
    │   ├── ConflictError (409)
    │   ├── RateLimitError (429)
    │   └── InternalServerError (5xx)
    └── ResponseDecodeError
"""

from __future__ import annotations

TYPE_CHECKING = False  # as `typing.TYPE_CHECKING`, without importing `typing` (see `__init__`)
if TYPE_CHECKING:
    from typing import Any, Optional, Sequence


class FronteggError(Exception):
    """The root of every error the SDK raises.

    Attributes:
        message: what went wrong (also ``str(error)``).
        may_have_been_sent: whether the request may have reached Frontegg, and
            so may have sent an SMS or consumed a code. Check it before
            retrying a call that sends an SMS.
        retryable: whether the failure is transient (a rate limit, a gateway
            error, a connection failure or a timeout).
    """

    message: str
    may_have_been_sent: bool
    retryable: bool

    def __init__(
        self,
        message: str = "",
        *,
        may_have_been_sent: bool = False,
        retryable: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.may_have_been_sent = may_have_been_sent
        self.retryable = retryable

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message,), dict(self.__dict__))


class InvalidPhoneNumberError(FronteggError, ValueError):
    """A phone number is not a valid international (E.164) number. Nothing was sent.

    Attributes:
        reason: ``"empty"``, ``"not_international"``, ``"invalid_character"``,
            ``"too_short"``, ``"too_long"`` or ``"leading_zero"``.
    """

    reason: str

    def __init__(self, message: str = "", *, reason: str = "invalid", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.reason = reason


class InvalidInputError(FronteggError, ValueError):
    """Another argument (a code, an id, a list option) is invalid. Nothing was sent.

    Attributes:
        field: which argument (``"verification code"``, ``"limit"``, ...).
        reason: what is wrong with it. Never the value itself.
    """

    field: str
    reason: str

    def __init__(self, message: str = "", *, field: str = "", reason: str = "", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field = field
        self.reason = reason


class ConfigurationError(FronteggError, ValueError):
    """The client is not configured for this call: no or wrong kind of
    credentials, a bad base URL, region or timeout. Nothing was sent."""


class TokenProviderError(FronteggError):
    """The ``user_token`` callable raised or returned something unusable.
    Its exception, if any, is ``__cause__``. Nothing was sent."""


class ClientClosedError(FronteggError, RuntimeError):
    """The client was closed."""


class APIConnectionError(FronteggError):
    """The request could not be sent, or its answer not received.

    Attributes:
        kind: ``"connect"``, ``"timeout"``, ``"io"``, ``"body_too_large"``,
            ``"request"``, ``"certificate"`` (the server's certificate is not
            trusted: see ``ca_bundle``) or ``"other"``.
        route: the route called (``"preverify"``, ...), when known.
    """

    kind: str
    route: Optional[str]

    def __init__(
        self, message: str = "", *, kind: str = "other", route: Optional[str] = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.kind = kind
        self.route = route


class APITimeoutError(APIConnectionError, TimeoutError):
    """The call timed out (see ``may_have_been_sent``)."""


class APIStatusError(FronteggError):
    """Frontegg answered with an error status.

    Attributes:
        status_code: the HTTP status.
        error_code: Frontegg's ``errorCode`` (``"ER-00008"``), if any.
        error_codes: Frontegg's ``errorCodes``, if it sent a list.
        errors: Frontegg's messages, phone numbers masked.
        trace_id: the ``frontegg-trace-id`` header, to quote to Frontegg.
        body_excerpt: the first bytes of the answer, phone numbers masked.
        route: the route called.
    """

    status_code: int
    error_code: Optional[str]
    error_codes: list[str]
    errors: list[str]
    trace_id: Optional[str]
    body_excerpt: str
    route: Optional[str]

    def __init__(
        self,
        message: str = "",
        *,
        status_code: int = 0,
        error_code: Optional[str] = None,
        error_codes: Sequence[str] = (),
        errors: Sequence[str] = (),
        trace_id: Optional[str] = None,
        body_excerpt: str = "",
        route: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("may_have_been_sent", True)
        super().__init__(message, **kwargs)
        self.status_code = status_code
        self.error_code = error_code
        self.error_codes = list(error_codes)
        self.errors = list(errors)
        self.trace_id = trace_id
        self.body_excerpt = body_excerpt
        self.route = route


class BadRequestError(APIStatusError):
    """400: the request was refused (a wrong or expired code, a bad number, ...)."""


class AuthenticationError(APIStatusError):
    """401: the token or the vendor credentials were refused."""


class PermissionDeniedError(APIStatusError):
    """403: the credentials may not use this route."""


class NotFoundError(APIStatusError):
    """404: no such phone number (or route)."""


class ConflictError(APIStatusError):
    """409: the user already has this phone number."""


class RateLimitError(APIStatusError):
    """429: rate limited; the request was not processed.

    Attributes:
        retry_after: the wait Frontegg asked for, in seconds, when it said.
    """

    retry_after: Optional[float]

    def __init__(self, message: str = "", *, retry_after: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """5xx: Frontegg (or a gateway) failed."""


class ResponseDecodeError(FronteggError):
    """A success answer could not be decoded. Carries no part of the body.

    Attributes:
        status_code: the HTTP status of the answer.
        route: the route called.
        reason: the kind of problem (``"invalid JSON"``, ...).
        trace_id: the ``frontegg-trace-id`` header.
    """

    status_code: int
    route: Optional[str]
    reason: str
    trace_id: Optional[str]

    def __init__(
        self,
        message: str = "",
        *,
        status_code: int = 0,
        route: Optional[str] = None,
        reason: str = "",
        trace_id: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.status_code = status_code
        self.route = route
        self.reason = reason
        self.trace_id = trace_id
