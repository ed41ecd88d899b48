"""The SMS flows end to end against the in-process emulator, each on both
clients (the ``run`` fixture is an :class:`either.Either` of each kind): MFA
enrollment, the second factor at sign-in and removing the device; vendor and
login-step enrollment; passwordless sign-in with and without MFA; password
reset by SMS; the SMS settings and templates; and their errors, including the
arguments refused before anything is sent."""

from __future__ import annotations

import copy
import pickle
import time
from typing import Any, Callable, Iterator, List

import pytest

import frontegg_identity as fi
from frontegg_identity.testing import Emulator

from either import KINDS, TENANT, Either


@pytest.fixture(params=KINDS)
def run(request: pytest.FixtureRequest, emu: Emulator) -> Iterator[Either]:
    either = Either(request.param, emu)
    yield either
    either.close()


def error_code(run: Either, call: Callable[[], Any], error: type = fi.APIStatusError) -> str:
    """Frontegg's ``errorCode`` of the error ``call()`` raises."""
    with pytest.raises(error) as info:
        run(call())
    assert isinstance(info.value, fi.APIStatusError)
    return info.value.error_code or "(none)"


def test_enroll_sign_in_with_the_second_factor_then_disable(run: Either) -> None:
    number = "+14155550200"
    run.emu.create_user("mfa-user", email="jane@example.com")
    me = run.user("mfa-user")

    # The signed-in user enrolls the number as a second factor.
    otc = run(me.mfa.start_sms_enrollment(number))
    assert isinstance(otc, fi.OtcToken)
    code = run.code(number, "mfa_enroll")
    assert error_code(run, lambda: me.mfa.finish_sms_enrollment(otc, run.wrong(number, "mfa_enroll"))) == (
        "ER-EMULATOR-INVALID-CODE"
    )
    enrolled = run(me.mfa.finish_sms_enrollment(otc, code))
    assert isinstance(enrolled, fi.SignedIn)
    assert isinstance(enrolled.recovery_code, fi.RecoveryCode), "the first device comes with a recovery code"
    # The token and its code are spent.
    assert error_code(run, lambda: me.mfa.finish_sms_enrollment(otc, code)) == "ER-EMULATOR-OTC-TOKEN-INVALID"
    devices = run(me.mfa.list_devices())
    assert isinstance(devices, fi.MfaDevices)
    (device,) = devices.phones
    assert device.phone_number == number and "4155550200" not in repr(devices)

    # Signing in by SMS now needs the second factor, on a client without credentials.
    anyone = run.anonymous()
    login = run(anyone.passwordless.start_sms_login(email="jane@example.com"))
    assert isinstance(login, fi.SmsLogin)
    assert login.phone_number is not None and "*" in login.phone_number
    answer = run(anyone.passwordless.finish_sms_login(login, run.code(number, "passwordless")))
    assert isinstance(answer, fi.MfaRequired)
    assert answer.user_id == "mfa-user" and answer.devices.phones[0].id == device.id
    otc = run(anyone.mfa.send_sms_code(device.id, answer.mfa_token))
    wrong = run.wrong(number, "mfa_login")
    assert error_code(run, lambda: anyone.mfa.verify_sms_code(device.id, answer.mfa_token, otc, wrong)) == (
        "ER-EMULATOR-INVALID-CODE"
    )
    # The MFA token and the otc token may be passed as stored strings.
    signed = run(anyone.mfa.verify_sms_code(
        device.id, answer.mfa_token.reveal(), otc.reveal(), run.code(number, "mfa_login"), remember_device=True
    ))
    assert isinstance(signed, fi.SignedIn)
    assert signed.access_token.reveal().count(".") == 2, "a JWT"
    assert signed.user_id == "mfa-user"
    # The MFA token is spent by the successful verification.
    assert error_code(run, lambda: anyone.mfa.send_sms_code(device.id, answer.mfa_token)) == (
        "ER-EMULATOR-MFA-TOKEN-INVALID"
    )
    # The access token signs the user in.
    session = run.client(user_token=signed.access_token.reveal())
    assert run(session.mfa.list_devices()).phones == devices.phones

    # The vendor removes the device, with the code sent to it.
    vendor = run.vendor()
    otc = run(vendor.mfa.start_sms_disable("mfa-user", device.id))
    assert error_code(run, lambda: vendor.mfa.confirm_sms_disable(
        "mfa-user", device.id, otc, run.wrong(number, "mfa_disable"))) == "ER-EMULATOR-INVALID-CODE"
    assert run(vendor.mfa.confirm_sms_disable("mfa-user", device.id, otc, run.code(number, "mfa_disable"))) is None
    assert run(vendor.mfa.list_devices("mfa-user")).phones == ()


def test_vendor_enrollment_and_login_step_enrollment(run: Either) -> None:
    vendor = run.vendor()
    run.emu.create_user("enrolled")
    number = "+14155550300"
    otc = run(vendor.mfa.enroll_sms("enrolled", number))
    recovery = run(vendor.mfa.verify_sms_enrollment("enrolled", otc, run.code(number, "mfa_enroll")))
    assert isinstance(recovery, fi.RecoveryCode), "first device"
    assert error_code(run, lambda: vendor.mfa.enroll_sms("enrolled", number), fi.ConflictError) == (
        "ER-EMULATOR-MFA-DEVICE-EXISTS"
    )
    # A device that is not this user's.
    (device,) = run(vendor.mfa.list_devices("enrolled")).phones
    run.emu.create_user("other")
    other_otc = run(vendor.mfa.enroll_sms("other", "+14155550301"))
    run(vendor.mfa.verify_sms_enrollment("other", other_otc, run.code("+14155550301", "mfa_enroll")))
    sent = len(run.emu.sms())
    assert error_code(run, lambda: vendor.mfa.start_sms_disable("other", device.id, tenant_id=TENANT)) == (
        "ER-EMULATOR-MFA-DEVICE-NOT-FOUND"
    )
    assert error_code(run, lambda: vendor.mfa.start_sms_disable("enrolled", "not-a-device")) == (
        "ER-EMULATOR-MFA-DEVICE-NOT-FOUND"
    )
    assert len(run.emu.sms()) == sent, "no code sent to a device of another user"

    # Enrollment forced at sign-in: the MFA token stands in for a user token.
    run.emu.create_user("forced")
    mfa_token = fi.MfaToken(run.emu.mfa_token("forced"))
    anyone = run.anonymous()
    number = "+14155550310"
    otc = run(anyone.mfa.start_sms_enrollment(number, mfa_token=mfa_token))
    result = run(anyone.mfa.finish_sms_enrollment(
        otc, run.code(number, "mfa_enroll"), mfa_token=mfa_token, remember_device=True
    ))
    assert isinstance(result, fi.SignedIn) and result.user_id == "forced"
    assert error_code(run, lambda: anyone.mfa.start_sms_enrollment(number, mfa_token="not-an-mfa-token")) == (
        "ER-EMULATOR-MFA-TOKEN-INVALID"
    )


def test_passwordless_without_mfa_resumed_between_requests(run: Either) -> None:
    number = "+14155550400"
    run.emu.create_user("plain", username="plain_user")
    run(run.vendor().phone_numbers.vendor_add("plain", number))
    anyone = run.anonymous()

    first = run(anyone.passwordless.start_sms_login(username="plain_user"))
    # A code from another flow does not finish this one.
    second = run(anyone.passwordless.start_sms_login(user_id="plain"))
    code = run.code(number, "passwordless")
    with pytest.raises(fi.APIStatusError):
        run(anyone.passwordless.finish_sms_login(first, code))
    # The flow is stored between web requests and resumed.
    stored = second.reveal_cookies()
    assert stored is not None and stored not in repr(second)
    resumed = fi.SmsLogin.resume(stored)
    assert resumed.phone_number is None
    signed = run(anyone.passwordless.finish_sms_login(resumed, code))
    assert isinstance(signed, fi.SignedIn) and signed.user_id == "plain"
    # A flow without its cookies is not a flow.
    lost = fi.SmsLogin.resume(None)
    wrong = run.wrong(number, "passwordless")
    assert error_code(run, lambda: anyone.passwordless.finish_sms_login(lost, wrong)) == "ER-EMULATOR-OTC-TOKEN-INVALID"
    # By phone number too, and an unknown user gets one answer, whatever the reason.
    run(anyone.passwordless.start_sms_login(phone_number="+1 415 555 0400"))
    assert error_code(run, lambda: anyone.passwordless.start_sms_login(email="nobody@example.com")) == (
        "ER-EMULATOR-PHONE-NOT-SET"
    )


def test_passwordless_with_vendor_host(run: Either) -> None:
    run.emu.create_user("hosted", email="hosted@example.com")
    run(run.vendor().phone_numbers.vendor_add("hosted", "+14155550410"))
    anyone = run.client(vendor_host="app-x.frontegg.com")
    login = run(anyone.passwordless.start_sms_login(email="hosted@example.com"))
    signed = run(anyone.passwordless.finish_sms_login(login, run.code("+14155550410", "passwordless")))
    assert isinstance(signed, fi.SignedIn)


def test_reset_by_sms(run: Either) -> None:
    number = "+14155550500"
    run.emu.create_user("resetting", email="reset@example.com", username="resetter")
    run(run.vendor().phone_numbers.vendor_add("resetting", number))
    anyone = run.anonymous()
    for identifier, kind in (("reset@example.com", "email"), (number, "phone_number"), ("resetter", "username")):
        session = run(anyone.passwords.start_sms_reset(identifier, kind))
        assert isinstance(session, fi.PasswordResetSession)
        wrong = run.wrong(number, "password_reset")
        assert error_code(run, lambda: anyone.passwords.verify_sms_reset(session, wrong)) == "ER-EMULATOR-INVALID-CODE"
        code = run.code(number, "password_reset")
        # Stored between web requests as its session id, and rebuilt.
        rebuilt = fi.PasswordResetSession(session.reveal())
        assert rebuilt == session
        reset = run(anyone.passwords.verify_sms_reset(rebuilt, code))
        assert isinstance(reset, fi.PasswordResetToken) and reset.user_id == "resetting"
        assert isinstance(reset.token, fi.ResetToken) and reset.token.reveal() not in repr(reset)
        assert error_code(run, lambda: anyone.passwords.verify_sms_reset(session.reveal(), code)) == (
            "ER-EMULATOR-OTC-TOKEN-INVALID"
        )
    # An unknown user still gets a session, and no SMS is sent.
    sent = len(run.emu.sms())
    assert isinstance(run(anyone.passwords.start_sms_reset("nobody@example.com", "email")), fi.PasswordResetSession)
    assert len(run.emu.sms()) == sent, "no account probing"


def test_expired_codes_and_tokens(run: Either) -> None:
    with Emulator(otc_ttl=0.3) as emu:
        slow = Either(run.kind, emu)
        try:
            emu.create_user("slow")
            me = slow.user("slow")
            number = "+14155550600"
            otc = slow(me.mfa.start_sms_enrollment(number))
            code = slow.code(number, "mfa_enroll")
            mfa_token = emu.mfa_token("slow")
            time.sleep(0.4)
            assert error_code(slow, lambda: me.mfa.finish_sms_enrollment(otc, code)) == "ER-EMULATOR-OTC-TOKEN-INVALID"
            assert error_code(slow, lambda: slow.anonymous().mfa.send_sms_code("any", mfa_token)) == (
                "ER-EMULATOR-MFA-TOKEN-INVALID"
            )
        finally:
            slow.close()


def test_sms_settings_and_templates(run: Either) -> None:
    settings = run.vendor().sms_settings
    assert run(settings.get()) is None
    config = run(settings.set(sender_name="Acme", account_id="AC1", token=fi.ProviderToken("provider-secret"),
                              service_id="MG1", provider="twilio", channel="sms"))
    assert isinstance(config, fi.SmsConfig) and config.sender_name == "Acme"
    assert "provider-secret" not in repr(config) and "provider-secret" not in str(run.emu.requests())
    got = run(settings.get())
    assert got is not None and (got.account_id, got.service_id, got.provider) == ("AC1", "MG1", "twilio")
    assert got.token is None, "the emulator never returns the token"
    run(settings.set(sender_name="Acme 2", token="as-a-str"))
    assert run(settings.get()).sender_name == "Acme 2"
    assert run(settings.delete()) is None
    assert run(settings.get()) is None

    defaults = run(settings.default_templates())
    assert defaults and all(isinstance(t, dict) for t in defaults)
    kind = defaults[0]["type"]
    assert run(settings.default_template(kind)) == defaults[0]
    assert run(settings.default_template("no-such-type")) is None
    assert run(settings.templates()) == []
    assert run(settings.template(kind)) is None
    template = {"body": "Your Acme code is {{code}}", "nested": {"list": [1, 2.5, None, True]}}
    saved = run(settings.set_template(kind, template))
    assert saved["body"] == template["body"] and saved["nested"] == template["nested"]
    assert run(settings.template(kind)) == saved
    assert run(settings.templates()) == [saved]
    assert run(settings.delete_template(kind)) is None
    assert run(settings.template(kind)) is None


def test_refused_before_sending(run: Either) -> None:
    """Arguments that cannot be right never reach the server."""
    anyone = run.anonymous()
    vendor_without_tenant = run.vendor(tenant_id=None)
    settings = run.vendor().sms_settings
    refusals: List[Any] = [
        (fi.InvalidInputError, lambda: anyone.passwordless.start_sms_login()),
        (fi.InvalidInputError, lambda: anyone.passwordless.start_sms_login(email="a@example.com", username="a")),
        (fi.InvalidInputError, lambda: anyone.passwordless.start_sms_login(email="not an e-mail")),
        (fi.InvalidPhoneNumberError, lambda: anyone.passwordless.start_sms_login(phone_number="0415 555")),
        (fi.InvalidInputError, lambda: anyone.passwords.start_sms_reset("a@example.com", "fax")),
        (fi.InvalidInputError, lambda: anyone.passwords.start_sms_reset("not an e-mail", "email")),
        (fi.InvalidInputError, lambda: anyone.passwords.verify_sms_reset("", "123456")),
        (fi.InvalidInputError, lambda: anyone.mfa.verify_sms_code("d", "m", "o", "12 34")),
        (fi.InvalidInputError, lambda: anyone.mfa.send_sms_code("", "m")),
        (fi.InvalidInputError, lambda: settings.set_template("t", {"when": object()})),
        (fi.InvalidInputError, lambda: settings.set_template("t", {"nan": float("nan")})),
        (fi.InvalidInputError, lambda: settings.set_template("t", ["not", "a", "mapping"])),
        (fi.InvalidInputError, lambda: settings.set(sender_name="a\nb")),
        (fi.ConfigurationError, lambda: vendor_without_tenant.mfa.start_sms_disable("u", "d")),
        (fi.ConfigurationError, lambda: anyone.mfa.start_sms_enrollment("+14155550100")),
        (fi.ConfigurationError, lambda: anyone.mfa.list_devices()),
        (fi.ConfigurationError, lambda: anyone.sms_settings.get()),
        (TypeError, lambda: anyone.mfa.send_sms_code("d", 42)),
        (TypeError, lambda: anyone.passwordless.finish_sms_login("not a login", "123456")),
    ]
    for error, call in refusals:
        with pytest.raises(error):
            run(call())
    assert [r for r in run.emu.requests() if r["route"] != "vendor_auth"] == []


def test_the_secret_classes() -> None:
    for cls in (fi.MfaToken, fi.AccessToken, fi.RefreshToken, fi.RecoveryCode, fi.ResetToken, fi.ProviderToken,
                fi.PasswordResetSession, fi.OtcToken):
        value = f"{cls.__name__}-canary-value"
        secret = cls(value)
        assert secret.reveal() == value
        for text in (repr(secret), str(secret), f"{secret}", repr([secret])):
            assert value not in text and f"{cls.__name__}([redacted])" in text
        assert secret == cls(value) and hash(secret) == hash(cls(value)) and secret != cls("other")
        assert secret != value, "not equal to the bare str"
        assert copy.copy(secret) is secret and copy.deepcopy(secret) is secret
        with pytest.raises(fi.InvalidInputError):
            cls("   ")
        if cls is fi.OtcToken:
            assert pickle.loads(pickle.dumps(secret)) == secret
        else:
            with pytest.raises(TypeError, match="cannot be pickled"):
                pickle.dumps(secret)
    login = fi.SmsLogin.resume("session=canary-cookie")
    assert "canary-cookie" not in repr(login) and login.reveal_cookies() == "session=canary-cookie"
    with pytest.raises(TypeError):
        pickle.dumps(login)


def test_results_mask_numbers_and_emails() -> None:
    signed = fi.SignedIn(fi.AccessToken("a"), None, 60, "u", None, user_email="jane@example.com")
    assert "jane@" not in repr(signed) and "j***@example.com" in repr(signed)
    devices = fi.MfaDevices((fi.MfaPhone("d1", "+14155550100"),), (), ("app",), ("jane@example.com",))
    assert "4155550100" not in repr(devices) and "jane@" not in repr(devices) and "+*********00" in repr(devices)
    assert fi.mask_email("jane@example.com") == "j***@example.com"
