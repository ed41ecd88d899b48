"""Secret canaries: every public operation, successful and failing, on the
sync and the async client, with canary values for the user token, the vendor
secret, the vendor token, the ``otcToken``, the code and the phone number.
Everything a user could print or log is captured: ``repr``/``str`` of
clients, results and exceptions, exception arguments, attributes, pickles and
tracebacks, ``logging`` records at DEBUG, and the emulator's request log and
SMS outbox ``repr``. No canary may appear in any of it, except the phone
number in masked form. (A result the user asked for, an ``OtcToken`` they
store, holds its value; it just never prints it.)

Where success is needed the canaries are values the servers accept: the
emulator is started with a canary vendor secret and long (12-digit) codes,
the user token is a minted one (unique: it is searched for, and its
signature), the ``otcToken``s and codes are the real ones read back from the
SMS outbox, and the vendor token is handed out by a raw server. The failing
paths use canary-marked invalid values.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import logging
import pickle
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Literal, Union

import pytest

import frontegg_identity as fi
from frontegg_identity.testing import Emulator

import fault_server as fs

PHONE = "+44 7700 900123"
PHONE_E164 = "+447700900123"
PHONE_2 = "+44 7700 900456"
PHONE_2_E164 = "+447700900456"
PHONE_3 = "+44 7700 900789"
PHONE_CANARIES = [
    "7700900123", "7700 900123", "447700900123", "7700900456", "7700 900456", "447700900456",
    "7700900789", "7700 900789", "447700900789",
]
"""The numbers in every spelling a leak could take; the masked form
(``+**********23``) shows only the last two digits."""
CLIENT_ID = "canary-client-id"
VENDOR_SECRET = "CANARY-VENDOR-SECRET-e4b1d9c2"
BAD_SECRET = "CANARY-BAD-VENDOR-SECRET-5a0f"
BAD_USER_TOKEN = "CANARY-BAD-USER-TOKEN-91ce"
VENDOR_TOKEN = "CANARY-VENDOR-TOKEN-77aa03"
BAD_VENDOR_TOKEN = "CANARY-REFUSED-VENDOR-TOKEN-3d2e"
BAD_OTC = "CANARY-BOGUS-OTC-TOKEN-31c7"
WRONG_CODE = "918273645546"
BAD_CODE = "91827 3645546"
CODE_LENGTH = 12
EMAIL = "canary.person@example.com"
BAD_MFA_TOKEN = "CANARY-BAD-MFA-TOKEN-0b7e"
BAD_SESSION = "CANARY-BAD-RESET-SESSION-6d1a"
BAD_COOKIES = "flow=CANARY-BAD-COOKIE-88c2"
PROVIDER_TOKEN = "CANARY-PROVIDER-TOKEN-1f9b"
INVITATION = "CANARY-INVITATION-TOKEN-a41c"
RECAPTCHA = "CANARY-RECAPTCHA-TOKEN-c03d"
SECRET_CLASSES = (fi.OtcToken, fi.MfaToken, fi.AccessToken, fi.RefreshToken, fi.RecoveryCode, fi.ResetToken,
                  fi.ProviderToken, fi.PasswordResetSession)

Kind = Literal["sync", "async"]


@dataclass
class Capture:
    """Everything a user could print or log, gathered during the run."""

    texts: List[str] = field(default_factory=list)
    blobs: List[bytes] = field(default_factory=list)
    errors: List[BaseException] = field(default_factory=list)
    results: List[Any] = field(default_factory=list)
    failures: List[str] = field(default_factory=list)

    def result(self, label: str, value: Any) -> None:
        self.results.append(value)
        self.texts += [f"{label}: {value!r}", str(value), f"{value}"]
        if isinstance(value, (list, tuple)):
            for item in value:
                self.texts += [repr(item), str(item)]
        if isinstance(value, fi.Page):
            self.texts += [repr(n) for n in value.items]

    def error(self, label: str, e: BaseException) -> None:
        self.errors.append(e)
        if not isinstance(e, fi.FronteggError):
            self.failures.append(f"{label}: not a FronteggError: {type(e).__name__}: {e!r}")
        self.texts += [
            label, str(e), repr(e), repr(e.args), str(e.args), repr(vars(e)),
            *(repr(v) for v in vars(e).values()), *(str(v) for v in vars(e).values()),
            # The traceback as printed, without the source lines (they are this file's).
            *(f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(e.__traceback__)),
            *(line for x in (e, e.__cause__, e.__context__) if x is not None
              for line in traceback.format_exception_only(type(x), x)),
            repr(e.__cause__), repr(e.__context__),
        ]
        self.blobs.append(pickle.dumps(e))
        copy = pickle.loads(pickle.dumps(e))
        self.texts += [repr(copy), repr(vars(copy))]


@dataclass
class Runner:
    """Runs a call of either client and files its result or error."""

    kind: Kind
    cap: Capture
    loop: asyncio.AbstractEventLoop

    def do(self, label: str, thunk: Callable[[], Any]) -> Any:
        try:
            out = thunk()
            if inspect.isawaitable(out):
                out = self.loop.run_until_complete(_awaited(out))
        except Exception as e:  # noqa: BLE001 - every error is captured
            self.cap.error(label, e)
            return None
        self.cap.result(label, out)
        return out

    def client(self, **kwargs: Any) -> Union[fi.IdentityClient, fi.AsyncIdentityClient]:
        kwargs.setdefault("timeout", 2.0)
        c: Union[fi.IdentityClient, fi.AsyncIdentityClient] = (
            fi.IdentityClient(**kwargs) if self.kind == "sync" else fi.AsyncIdentityClient(**kwargs)
        )
        self.cap.texts += [repr(c), str(c)]
        return c

    def iter_all(self, label: str, client: Union[fi.IdentityClient, fi.AsyncIdentityClient]) -> None:
        if isinstance(client, fi.IdentityClient):
            self.do(label, lambda: list(client.phone_numbers.iter_all(limit=1)))
        else:
            phones = client.phone_numbers

            async def collect() -> List[fi.PhoneNumber]:
                return [n async for n in phones.iter_all(limit=1)]

            self.do(label, collect)


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def exercise(kind: Kind, emu: Emulator, cap: Capture) -> Dict[str, str]:
    """Every public operation, successful and failing; returns the minted
    secrets (user token, otcTokens and codes) to search for."""
    loop = asyncio.new_event_loop()
    r = Runner(kind, cap, loop)
    user_token = emu.user_token("canary-user", "canary-tenant")
    base = emu.base_url
    try:
        # --- Self-service routes, successful.
        user = r.client(user_token=user_token, base_url=base)
        p: Any = user.phone_numbers
        otc = r.do("preverify", lambda: p.preverify(PHONE))
        code = emu.last_code(PHONE) or ""
        r.do("verify preverified", lambda: p.verify(otc, code))
        assigned = r.do("assign verify=True", lambda: p.assign(PHONE))
        r.do("verify assigned (token as str)", lambda: p.verify(assigned.reveal(), emu.last_code(PHONE) or ""))
        r.do("assign verify=False", lambda: p.assign(PHONE_2, verify=False))
        mine = r.do("list_mine", lambda: p.list_mine()) or []
        target = next(n for n in mine if n.phone_number == PHONE_E164)
        pending = r.do("start_delete", lambda: p.start_delete(target.id))
        r.do("confirm_delete", lambda: p.confirm_delete(target.id, pending.otc_token, emu.last_code(PHONE) or ""))
        r.do("list_mine after delete", lambda: p.list_mine())
        r.do("OtcToken rebuilt", lambda: fi.OtcToken(otc.reveal()))
        r.do("mask", lambda: fi.mask_phone_number(PHONE))

        # --- Self-service routes, failing.
        otc2 = r.do("preverify for wrong codes", lambda: p.preverify(PHONE))
        r.do("verify, wrong code", lambda: p.verify(otc2, WRONG_CODE))
        r.do("verify, malformed code", lambda: p.verify(otc2, BAD_CODE))
        r.do("verify, unknown token", lambda: p.verify(BAD_OTC, WRONG_CODE))
        r.do("verify, empty token", lambda: p.verify("", WRONG_CODE))
        r.do("verify, real code for a bogus token", lambda: p.verify(BAD_OTC, emu.last_code(PHONE) or ""))
        r.do("assign, duplicate", lambda: p.assign(PHONE_2, verify=False))
        r.do("assign, invalid number", lambda: p.assign(PHONE + " ext"))
        r.do("preverify, national number", lambda: p.preverify("07700 900123"))
        r.do("start_delete, unknown id", lambda: p.start_delete("no-such-id"))
        second = next(n for n in mine if n.phone_number == PHONE_2_E164)
        pending2 = r.do("start_delete second", lambda: p.start_delete(second.id))
        r.do("confirm_delete, wrong code", lambda: p.confirm_delete(second.id, pending2.otc_token, WRONG_CODE))
        r.do("list, with a user token", lambda: p.list())
        # The server quotes the number, the token and the code back in its errors.
        emu.inject_fault("preverify", status=400, body={
            "errors": [f"phone {PHONE_E164} / {PHONE} refused"], "errorCode": "ER-CANARY"})
        r.do("preverify, 400 quoting the number", lambda: p.preverify(PHONE))
        emu.inject_fault("assign", status=503)
        r.do("assign, 503", lambda: p.assign(PHONE))
        emu.inject_fault("preverify", status=429, retry_after="60")
        r.do("preverify, 429 over budget", lambda: p.preverify(PHONE))
        emu.inject_fault("preverify", delay=1.0)
        short = r.client(user_token=user_token, base_url=base, timeout=0.2)
        ps: Any = short.phone_numbers
        r.do("preverify, timeout", lambda: ps.preverify(PHONE))
        emu.inject_fault("verify", drop="after")
        otc3 = r.do("preverify for a drop", lambda: p.preverify(PHONE))
        r.do("verify, dropped after", lambda: p.verify(otc3, emu.last_code(PHONE) or ""))
        emu.inject_fault("preverify", status=200, body=["not", "an", "object", PHONE_E164])
        r.do("preverify, odd success body", lambda: p.preverify(PHONE))
        bad_user = r.client(user_token=BAD_USER_TOKEN, base_url=base)
        pb: Any = bad_user.phone_numbers
        r.do("list_mine, bad token", lambda: pb.list_mine())
        r.do("preverify, bad token", lambda: pb.preverify(PHONE))
        provider = r.client(user_token=lambda: user_token, base_url=base)
        pp: Any = provider.phone_numbers
        r.do("list_mine, token provider", lambda: pp.list_mine())

        def broken() -> str:
            raise RuntimeError("session lookup failed")

        broken_client = r.client(user_token=broken, base_url=base)
        pbr: Any = broken_client.phone_numbers
        r.do("list_mine, broken provider", lambda: pbr.list_mine())
        refused = r.client(user_token=user_token, base_url="http://127.0.0.1:9", max_retries=0)
        pr: Any = refused.phone_numbers
        r.do("preverify, refused", lambda: pr.preverify(PHONE))
        user.close()
        r.do("list_mine, closed", lambda: p.list_mine())
        anonymous: Any = r.client(base_url=base, user_token=None, client_id=None)
        r.do("no credentials, a route that needs them", lambda: anonymous.phone_numbers.list_mine())

        # --- Vendor routes on the emulator (canary secret), successful.
        vendor = r.client(client_id=CLIENT_ID, secret=VENDOR_SECRET, tenant_id="canary-tenant", base_url=base)
        v: Any = vendor.phone_numbers
        r.do("vendor_add", lambda: v.vendor_add("canary-user-2", PHONE))
        page = r.do("list", lambda: v.list(phone_number=PHONE))
        r.iter_all("iter_all", vendor)
        r.do("list, sorted", lambda: v.list(sort_by="phone_number", order="desc", user_ids=["canary-user-2"]))
        item = page.items[0]
        r.do("vendor_delete", lambda: v.vendor_delete(item.user_id, item.id))
        # Failing.
        r.do("vendor_add, invalid number", lambda: v.vendor_add("canary-user-2", PHONE + "#"))
        r.do("vendor_delete, unknown", lambda: v.vendor_delete("canary-user-2", "no-such-id"))
        r.do("list, limit out of range", lambda: v.list(limit=999))
        emu.inject_fault("list", status=401, times=2)
        r.do("list, 401 twice", lambda: v.list())
        bad_vendor = r.client(client_id=CLIENT_ID, secret=BAD_SECRET, tenant_id="t", base_url=base)
        bv: Any = bad_vendor.phone_numbers
        r.do("list, bad secret", lambda: bv.list())
        r.do("vendor_add, bad secret", lambda: bv.vendor_add("u", PHONE))
        # The emulator hands out a vendor token that it then refuses.
        emu.inject_fault("vendor_auth", status=200, times=2, body={"token": BAD_VENDOR_TOKEN, "expiresIn": 3600})
        refused_token = r.client(client_id=CLIENT_ID, secret=VENDOR_SECRET, tenant_id="t", base_url=base)
        rt: Any = refused_token.phone_numbers
        r.do("list, refused vendor token", lambda: rt.list())
        r.do("user route with vendor credentials, no user", lambda: rt.preverify(PHONE))

        # --- Vendor routes with a canary vendor token, on a raw server.
        body = '{"items":[],"_metadata":{"totalItems":0,"totalPages":0}}'
        with fs.FaultServer(fs.json_ok(body), vendor_token=VENDOR_TOKEN) as raw:
            tv = r.client(client_id=CLIENT_ID, secret=VENDOR_SECRET, tenant_id="t", base_url=raw.base_url)
            t: Any = tv.phone_numbers
            r.do("raw list", lambda: t.list())
            r.do("raw vendor_add", lambda: t.vendor_add("canary-user-3", PHONE))
            r.do("raw vendor_delete", lambda: t.vendor_delete("canary-user-3", "p1"))
            seen = raw.requests()
        with fs.FaultServer(fs.json_ok("{oops", status="401 Unauthorized"), vendor_token=VENDOR_TOKEN) as raw:
            tv2 = r.client(client_id=CLIENT_ID, secret=VENDOR_SECRET, tenant_id="t", base_url=raw.base_url)
            t2: Any = tv2.phone_numbers
            r.do("raw list, 401 with the canary token", lambda: t2.list())
            seen += raw.requests()
        # The canary vendor token was really used (as a bearer token).
        used = [h for s in seen for h in s.headers if h == ("authorization", f"Bearer {VENDOR_TOKEN}")]
        if not used:
            cap.failures.append("the canary vendor token was never sent: the vendor-token check is vacuous")
        for c in (vendor, bad_vendor, refused_token, tv, tv2, short, bad_user, provider, broken_client, refused):
            c.close()
        exercise_sms(r, emu)
    finally:
        loop.close()

    cap.texts += [repr(emu.requests()), str(emu.requests()), repr(emu.sms()), repr(emu)]
    secrets = {"user token": user_token, "user token signature": user_token.rsplit(".", 1)[-1]}
    for i, value in enumerate(v for result in cap.results for v in revealed(result)):
        secrets[f"secret of a result {i}"] = value
    for i, sms in enumerate(emu.sms()):
        secrets[f"otcToken {i}"] = sms.otc_token
        secrets[f"code {i}"] = sms.code
    return secrets


def exercise_sms(r: Runner, emu: Emulator) -> None:
    """The SMS flows, successful and failing: their secrets (tokens, codes,
    the recovery code, the reset token and session, the sign-in cookies, the
    provider token) are minted or canaries."""
    base = emu.base_url
    emu.create_user("canary-sms-user", email=EMAIL)
    me = r.client(user_token=emu.user_token("canary-sms-user", "canary-tenant"), base_url=base)
    m: Any = me.mfa
    otc = r.do("sms: start_sms_enrollment", lambda: m.start_sms_enrollment(PHONE_3))
    r.do("sms: finish_sms_enrollment, wrong code", lambda: m.finish_sms_enrollment(otc, WRONG_CODE))
    r.do("sms: finish_sms_enrollment", lambda: m.finish_sms_enrollment(otc, emu.last_code(PHONE_3, "mfa_enroll")))
    devices = r.do("sms: list_devices", lambda: m.list_devices())
    device = devices.phones[0].id
    r.do("sms: enrollment at login, bad mfa token",
         lambda: m.start_sms_enrollment(PHONE_3, mfa_token=BAD_MFA_TOKEN))

    anyone = r.client(base_url=base)
    pl: Any = anyone.passwordless
    am: Any = anyone.mfa
    r.do("sms: start_sms_login, extras", lambda: pl.start_sms_login(
        email=EMAIL, invitation_token=INVITATION, recaptcha_token=RECAPTCHA))
    r.do("sms: start_sms_login, two identifiers", lambda: pl.start_sms_login(email=EMAIL, phone_number=PHONE_3))
    login = r.do("sms: start_sms_login", lambda: pl.start_sms_login(phone_number=PHONE_3))
    r.do("sms: finish_sms_login, wrong code", lambda: pl.finish_sms_login(login, WRONG_CODE))
    r.do("sms: finish_sms_login, bad cookies", lambda: pl.finish_sms_login(fi.SmsLogin.resume(BAD_COOKIES), WRONG_CODE))
    mfa = r.do("sms: finish_sms_login", lambda: pl.finish_sms_login(login, emu.last_code(PHONE_3, "passwordless")))
    r.do("sms: send_sms_code, bad mfa token", lambda: am.send_sms_code(device, BAD_MFA_TOKEN))
    sent = r.do("sms: send_sms_code", lambda: am.send_sms_code(device, mfa.mfa_token))
    r.do("sms: verify_sms_code, wrong code", lambda: am.verify_sms_code(device, mfa.mfa_token, sent, WRONG_CODE))
    r.do("sms: verify_sms_code", lambda: am.verify_sms_code(
        device, mfa.mfa_token, sent, emu.last_code(PHONE_3, "mfa_login")))
    r.do("sms: verify_sms_code, spent mfa token", lambda: am.verify_sms_code(
        device, mfa.mfa_token, sent, emu.last_code(PHONE_3, "mfa_login")))

    pw: Any = anyone.passwords
    session = r.do("sms: start_sms_reset", lambda: pw.start_sms_reset(EMAIL, "email"))
    r.do("sms: verify_sms_reset, wrong code", lambda: pw.verify_sms_reset(session, WRONG_CODE))
    r.do("sms: verify_sms_reset, bad session", lambda: pw.verify_sms_reset(BAD_SESSION, WRONG_CODE))
    r.do("sms: verify_sms_reset", lambda: pw.verify_sms_reset(session, emu.last_code(PHONE_3, "password_reset")))
    r.do("sms: rebuilt session", lambda: fi.PasswordResetSession(session.reveal()))

    vendor = r.client(client_id=CLIENT_ID, secret=VENDOR_SECRET, tenant_id="canary-tenant", base_url=base)
    vm: Any = vendor.mfa
    r.do("sms: vendor list_devices", lambda: vm.list_devices("canary-sms-user"))
    disable = r.do("sms: start_sms_disable", lambda: vm.start_sms_disable("canary-sms-user", device))
    r.do("sms: confirm_sms_disable, wrong code",
         lambda: vm.confirm_sms_disable("canary-sms-user", device, disable, WRONG_CODE))
    r.do("sms: confirm_sms_disable", lambda: vm.confirm_sms_disable(
        "canary-sms-user", device, disable, emu.last_code(PHONE_3, "mfa_disable")))
    enroll = r.do("sms: enroll_sms", lambda: vm.enroll_sms("canary-sms-user", PHONE_3))
    r.do("sms: verify_sms_enrollment", lambda: vm.verify_sms_enrollment(
        "canary-sms-user", enroll, emu.last_code(PHONE_3, "mfa_enroll")))
    st: Any = vendor.sms_settings
    r.do("sms: set config", lambda: st.set(sender_name="Canary", token=PROVIDER_TOKEN))
    r.do("sms: set config, provider token class", lambda: st.set(token=fi.ProviderToken(PROVIDER_TOKEN)))
    r.do("sms: get config", lambda: st.get())
    r.do("sms: set config, bad field", lambda: st.set(token=PROVIDER_TOKEN, channel="a\nb"))
    emu.inject_fault("set_sms_config", status=503)
    r.do("sms: set config, 503", lambda: st.set(token=PROVIDER_TOKEN))
    r.do("sms: templates", lambda: st.default_templates())
    for c in (me, anyone, vendor):
        c.close()


def revealed(value: Any) -> List[str]:
    """The secrets a result holds (it may hold them; it must not print them)."""
    if isinstance(value, SECRET_CLASSES):
        return [value.reveal()]
    if isinstance(value, fi.SmsLogin):
        return [c for c in [value.reveal_cookies()] if c is not None]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in revealed(getattr(value, f.name))]
    return []


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_no_canary_escapes(kind: Kind, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="frontegg_identity")
    cap = Capture()
    with Emulator(client_id=CLIENT_ID, secret=VENDOR_SECRET, code_length=CODE_LENGTH, max_attempts=50) as emu:
        minted = exercise(kind, emu, cap)
        assert emu.vendor_credentials() == (CLIENT_ID, VENDOR_SECRET)

    records = [rec for rec in caplog.records if rec.name.startswith("frontegg_identity")]
    assert records, "the SDK logged nothing at DEBUG"
    cap.texts += [caplog.text] + [rec.getMessage() for rec in records] + [repr(vars(rec)) for rec in records]
    assert not cap.failures, "\n".join(cap.failures)

    canaries = {
        "vendor secret": VENDOR_SECRET, "bad vendor secret": BAD_SECRET, "bad user token": BAD_USER_TOKEN,
        "vendor token": VENDOR_TOKEN, "refused vendor token": BAD_VENDOR_TOKEN, "bogus otcToken": BAD_OTC,
        "wrong code": WRONG_CODE, "malformed code": BAD_CODE, "e-mail": EMAIL, "bad mfa token": BAD_MFA_TOKEN,
        "bad reset session": BAD_SESSION, "bad cookies": BAD_COOKIES, "provider token": PROVIDER_TOKEN,
        "invitation token": INVITATION, "recaptcha token": RECAPTCHA,
        **minted,
        **{f"phone {p!r}": p for p in PHONE_CANARIES},
    }
    # The run really used the values searched for.
    assert sum(1 for k in minted if k.startswith("code")) >= 5
    assert sum(1 for k in minted if k.startswith("secret of a result")) >= 10
    assert all(len(v) >= 10 for v in canaries.values()), "a canary too short to search for"
    leaks = []
    for name, value in canaries.items():
        for text in cap.texts:
            if value in text:
                at = text.index(value)
                leaks.append(f"{name} in: ...{text[max(0, at - 80):at + len(value) + 40]}...")
                break
        encoded = value.encode()
        if any(encoded in blob for blob in cap.blobs):
            leaks.append(f"{name} in an exception pickle")
    assert not leaks, "\n".join(leaks)
    # The masked form is what shows.
    assert any("+**********23" in t for t in cap.texts)
    # Every kind of SMS secret was minted and searched for.
    kinds = {type(x).__name__ for x in cap.results}
    for expected_kind in ("SignedIn", "MfaRequired", "PasswordResetToken", "PasswordResetSession", "SmsLogin",
                          "RecoveryCode", "MfaDevices", "SmsConfig"):
        assert expected_kind in kinds, f"no {expected_kind} result: {sorted(kinds)}"
    # Results the user asked for hold their values; they just never print them.
    tokens = [x for x in cap.results if isinstance(x, fi.OtcToken)]
    assert tokens and all(t.reveal() in minted.values() or t.reveal() == minted["otcToken 0"] for t in tokens)
    error_types = {type(e).__name__ for e in cap.errors}
    for expected in ("BadRequestError", "InvalidInputError", "InvalidPhoneNumberError", "AuthenticationError",
                     "ConflictError", "NotFoundError", "InternalServerError", "RateLimitError", "APITimeoutError",
                     "APIConnectionError", "ResponseDecodeError", "TokenProviderError", "ClientClosedError",
                     "ConfigurationError"):
        assert expected in error_types, f"no {expected} was exercised: {sorted(error_types)}"
