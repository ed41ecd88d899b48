"""Test helpers: the Frontegg emulator, in-process.

The emulator is the Rust crate ``frontegg-identity-emulator`` compiled into
this package: a real HTTP server on ``127.0.0.1`` (a free port) with its own
thread, that behaves like Frontegg's phone-number routes and vendor
authentication, and lets tests read the SMS codes back::

    from frontegg_identity import IdentityClient
    from frontegg_identity.testing import Emulator

    with Emulator() as emu:
        client = IdentityClient(user_token=emu.user_token("user-1"), base_url=emu.base_url)
        otc = client.phone_numbers.preverify("+14155550100")
        client.phone_numbers.verify(otc, emu.last_code("+14155550100") or "")

With pytest, the ``frontegg_emulator`` fixture (registered by this package
through a ``pytest11`` entry point) gives a fresh emulator per test.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, Union

from . import _native
from ._client import AsyncIdentityClient, ClosedAtExit, IdentityClient

__all__ = ["Emulator", "Sms", "RouteName", "SmsPurpose"]

RouteName = Literal[
    "vendor_auth",
    "assign",
    "preverify",
    "verify",
    "list_mine",
    "start_delete",
    "confirm_delete",
    "list",
    "list_v1",
    "vendor_add",
    "vendor_delete",
    "start_sms_enrollment",
    "finish_sms_enrollment",
    "send_sms_code",
    "verify_sms_code",
    "enroll_sms",
    "verify_sms_enrollment",
    "start_sms_disable",
    "confirm_sms_disable",
    "start_sms_login",
    "finish_sms_login",
    "start_sms_reset",
    "verify_sms_reset",
    "mfa_devices",
    "get_sms_config",
    "set_sms_config",
    "delete_sms_config",
    "sms_templates",
    "sms_template",
    "set_sms_template",
    "delete_sms_template",
    "default_sms_template",
    "default_sms_templates",
    "*",
]
"""A route name, as used in fault scripting and the request log."""

SmsPurpose = Literal[
    "assign",
    "preverify",
    "delete",
    "mfa_enroll",
    "mfa_login",
    "mfa_disable",
    "passwordless",
    "password_reset",
]
"""Why the emulator sent an SMS."""


@dataclass(frozen=True)
class Sms:
    """An SMS the emulator "sent". ``repr`` masks the number and hides the
    code and the token; the attributes hold them, for tests."""

    phone_number: str
    code: str
    otc_token: str
    purpose: SmsPurpose
    sent_at: str

    def __repr__(self) -> str:
        return (
            f"Sms(phone_number={_native.mask_phone_number(self.phone_number)!r}, code='[redacted]', "
            f"otc_token='[redacted]', purpose={self.purpose!r}, sent_at={self.sent_at!r})"
        )


class Emulator(ClosedAtExit):
    """A running emulator; stop it with :meth:`stop` or a ``with`` block.

    Args:
        code_length: digits of the SMS codes.
        otc_ttl: lifetime of a one-time-code token, in seconds.
        max_attempts: wrong codes after which a token is burnt.
        vendor_token_ttl: lifetime of vendor tokens (``expiresIn``), in seconds.
        user_token_ttl: lifetime of the user tokens it mints, in seconds.
        client_id, secret: the vendor credentials it accepts.
        accept_unsigned_jwt: also accept user tokens it did not sign
            (unsigned, or signed by another key) whose payload parses; by
            default they get 401.
        signing_key: the RSA private key that signs every token, so that a
            test suite can pin it: PEM text (PKCS#8 ``BEGIN PRIVATE KEY`` or
            PKCS#1 ``BEGIN RSA PRIVATE KEY``; a ``str`` containing
            ``-----BEGIN``) or the path of a PEM file (any other ``str``, or
            an ``os.PathLike``). Default: a 2048-bit key generated once per
            process. A malformed key raises ``ValueError``.
        seed: the state to start from, and to go back to on :meth:`reset`:
            a mapping in the format of :meth:`export_state`, or the path of a
            JSON file in that format. A malformed seed raises ``ValueError``
            naming the file, line and column (or the entry).
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        *,
        code_length: int = 6,
        otc_ttl: float = 300.0,
        max_attempts: int = 5,
        vendor_token_ttl: float = 3600.0,
        user_token_ttl: float = 3600.0,
        client_id: Optional[str] = None,
        secret: Optional[str] = None,
        accept_unsigned_jwt: bool = False,
        signing_key: Union[str, "os.PathLike[str]", None] = None,
        seed: Union[Mapping[str, Any], str, "os.PathLike[str]", None] = None,
    ) -> None:
        if isinstance(signing_key, str) and "-----BEGIN" in signing_key:
            pem: Optional[str] = signing_key
        elif signing_key is not None:
            with open(signing_key, encoding="utf-8") as f:
                pem = f.read()
        else:
            pem = None
        seed_json = json.dumps(seed) if isinstance(seed, Mapping) else None
        seed_path = os.fspath(seed) if seed is not None and not isinstance(seed, Mapping) else None
        self._native = _native.Emulator(
            code_length=code_length,
            otc_ttl=otc_ttl,
            max_attempts=max_attempts,
            vendor_token_ttl=vendor_token_ttl,
            user_token_ttl=user_token_ttl,
            client_id=client_id,
            secret=secret,
            accept_unsigned_jwt=accept_unsigned_jwt,
            signing_key=pem,
            seed_json=seed_json,
            seed_path=seed_path,
        )

    @property
    def base_url(self) -> str:
        """The gateway root, ``http://127.0.0.1:PORT``: pass it as ``base_url``."""
        return self._native.base_url

    @property
    def running(self) -> bool:
        """Whether the server is running."""
        return self._native.running

    def user_token(
        self, user_id: str, tenant_id: Optional[str] = None, *, claims: Optional[Mapping[str, Any]] = None
    ) -> str:
        """A user access token that the emulator accepts: a JWT signed RS256
        with the emulator's key, with claims shaped like Frontegg's (``sub``,
        ``tenantId``, ``tenantIds``, ``roles``, ``permissions``, ``email``,
        ``type: "userToken"``, ``iss``, ``aud``, ``sid``, ``iat``, ``exp``),
        taken from the user's profile (:meth:`create_user`, ``seed``);
        ``claims`` are added over them (for example ``{"roles": ["admin"]}``,
        or an ``exp`` in the past)."""
        claims_json = None if claims is None else json.dumps(dict(claims))
        return self._native.user_token(user_id, tenant_id, claims_json)

    @property
    def public_key_pem(self) -> str:
        """The public key that verifies every token, as PEM: the
        ``publicKey`` of ``GET /identity/resources/configurations/v1``."""
        return self._native.public_key_pem

    def jwks(self) -> Dict[str, Any]:
        """The public key as a JWKS, as ``GET /.well-known/jwks.json`` serves it."""
        result: Dict[str, Any] = json.loads(self._native.jwks_json())
        return result

    def export_state(self) -> Dict[str, Any]:
        """Users, tenants, phone numbers and SMS MFA devices, in the format
        ``seed`` takes (and ``GET /_emulator/state`` answers)."""
        result: Dict[str, Any] = json.loads(self._native.export_state())
        return result

    def vendor_credentials(self) -> Tuple[str, str]:
        """The ``(client_id, secret)`` pair the emulator accepts."""
        return self._native.vendor_credentials()

    def client(self, user_id: str = "user-1", tenant_id: Optional[str] = None, **kwargs: Any) -> IdentityClient:
        """An :class:`IdentityClient` for a user of this emulator."""
        return IdentityClient(user_token=self.user_token(user_id, tenant_id), base_url=self.base_url, **kwargs)

    def vendor_client(self, **kwargs: Any) -> IdentityClient:
        """An :class:`IdentityClient` with this emulator's vendor credentials."""
        client_id, secret = self.vendor_credentials()
        kwargs.setdefault("tenant_id", "tenant-1")
        return IdentityClient(client_id=client_id, secret=secret, base_url=self.base_url, **kwargs)

    def async_client(
        self, user_id: str = "user-1", tenant_id: Optional[str] = None, **kwargs: Any
    ) -> AsyncIdentityClient:
        """An :class:`AsyncIdentityClient` for a user of this emulator."""
        return AsyncIdentityClient(
            user_token=self.user_token(user_id, tenant_id), base_url=self.base_url, **kwargs
        )

    def async_vendor_client(self, **kwargs: Any) -> AsyncIdentityClient:
        """An :class:`AsyncIdentityClient` with this emulator's vendor credentials."""
        client_id, secret = self.vendor_credentials()
        kwargs.setdefault("tenant_id", "tenant-1")
        return AsyncIdentityClient(client_id=client_id, secret=secret, base_url=self.base_url, **kwargs)

    def sms(self, phone_number: Optional[str] = None) -> List[Sms]:
        """The SMS sent, oldest first; only those to ``phone_number`` if given
        (any spelling the SDK accepts)."""
        return [
            Sms(phone, code, token, purpose, sent_at)  # type: ignore[arg-type]
            for phone, code, token, purpose, sent_at in self._native.sms(phone_number)
        ]

    def last_code(self, phone_number: str, purpose: Optional[SmsPurpose] = None) -> Optional[str]:
        """The code of the last SMS sent to ``phone_number`` (for ``purpose``
        if given), if any."""
        return self._native.last_code(phone_number, purpose)

    def create_user(
        self,
        user_id: str,
        *,
        email: Optional[str] = None,
        username: Optional[str] = None,
        tenant_id: Optional[str] = None,
        tenant_ids: Optional[Sequence[str]] = None,
        roles: Optional[Sequence[str]] = None,
        permissions: Optional[Sequence[str]] = None,
    ) -> None:
        """Creates (or replaces) a user with identifiers, so that SMS sign-in
        and password reset find it by e-mail or username, and with the
        defaults of its tokens' claims (``tenantId``, ``tenantIds``,
        ``roles``, ``permissions``, ``email``). Its SMS number is its first
        verified phone number, else its first SMS MFA device. Raises
        ``ValueError`` when another user has that e-mail or username."""
        self._native.create_user(user_id, email, username, tenant_id, tenant_ids, roles, permissions)

    def mfa_token(self, user_id: str) -> str:
        """An ``mfaToken`` for ``user_id``, as a sign-in that asks for the
        second factor gives: for ``mfa.send_sms_code`` / ``verify_sms_code``
        or a login-step SMS enrollment."""
        return self._native.mfa_token(user_id)

    def inject_fault(
        self,
        route: Optional[RouteName] = None,
        *,
        status: Optional[int] = None,
        times: int = 1,
        body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        delay: Optional[float] = None,
        rate_limit_reset: Optional[str] = None,
        retry_after: Optional[str] = None,
        drop: Optional[Literal["before", "after"]] = None,
    ) -> None:
        """Scripts a fault for the next ``times`` requests to ``route`` (any
        route if ``None``). Faults are consumed in the order injected.

        - ``delay`` (seconds) alone waits, then answers normally;
        - ``status`` answers it without processing, with ``body`` (JSON; by
          default a Frontegg error body) and ``headers``;
        - ``rate_limit_reset`` / ``retry_after`` set those headers (status 429
          unless given);
        - ``drop="before"`` closes the connection without processing,
          ``drop="after"`` processes the request (an SMS is sent) and then
          closes it without answering.
        """
        self._native.inject_fault(
            route,
            status=status,
            times=times,
            body_json=None if body is None else json.dumps(body),
            headers=None if headers is None else list(headers.items()),
            delay=delay,
            rate_limit_reset=rate_limit_reset,
            retry_after=retry_after,
            drop=drop,
        )

    def clear_faults(self) -> None:
        """Removes the scripted faults."""
        self._native.clear_faults()

    def requests(self) -> List[Dict[str, Any]]:
        """The request log, oldest first: ``seq``, ``route``, ``method``,
        ``path``, ``status``, ``processed``, ``fault``, ``user_id``, ``at``.
        It holds no secret."""
        return self._native.requests()

    def reset(self) -> None:
        """Clears all state (numbers, tokens, SMS, faults, request log), then
        loads ``seed`` again. Tokens minted before stay valid."""
        self._native.reset()

    def stop(self) -> None:
        """Stops the server (idempotent)."""
        self._native.stop()

    def _end(self) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"Emulator(base_url={self.base_url!r}, {state})"

    def __reduce_ex__(self, protocol: object) -> Any:
        raise TypeError("Emulator cannot be pickled")
