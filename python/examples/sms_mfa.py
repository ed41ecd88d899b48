"""MFA by SMS, against the in-process emulator: a user enrolls a number as a
second factor, signs in by SMS (passwordless) and passes the second factor,
the vendor removes the device, and the user resets the password by SMS.

Run: python python/examples/sms_mfa.py
"""

from __future__ import annotations

from frontegg_identity import (
    BadRequestError,
    IdentityClient,
    MfaRequired,
    OtcToken,
    PasswordResetSession,
    SignedIn,
    SmsLogin,
)
from frontegg_identity.testing import Emulator, SmsPurpose

NUMBER = "+1 415 555 0100"


def main() -> None:
    with Emulator() as emu:
        emu.create_user("user-1", email="jane@example.com")

        def code(purpose: SmsPurpose) -> str:
            # In an application the user types the code they received.
            return emu.last_code(NUMBER, purpose) or ""

        # 1. The signed-in user enrolls the number as a second factor.
        # Against Frontegg: IdentityClient(user_token="eyJ...", region="us").
        with IdentityClient(user_token=emu.user_token("user-1"), base_url=emu.base_url) as me:
            otc = me.mfa.start_sms_enrollment(NUMBER)
            stored = otc.reveal()  # kept between two web requests...
            enrolled = me.mfa.finish_sms_enrollment(OtcToken(stored), code("mfa_enroll"))  # ...and rebuilt
            if isinstance(enrolled, SignedIn) and enrolled.recovery_code is not None:
                print("show the recovery code once:", enrolled.recovery_code)  # RecoveryCode([redacted])

        # 2. Signing in by SMS, with no credentials: the public sign-in routes.
        with IdentityClient(base_url=emu.base_url) as anyone:
            login = anyone.passwordless.start_sms_login(email="jane@example.com")
            print("code sent to", login.phone_number)  # masked by Frontegg
            cookies = login.reveal_cookies()  # the flow, kept between two web requests
            result = anyone.passwordless.finish_sms_login(SmsLogin.resume(cookies), code("passwordless"))
            if isinstance(result, MfaRequired):
                # The second factor: a code to one of the user's SMS devices.
                device = result.devices.phones[0]
                otc = anyone.mfa.send_sms_code(device.id, result.mfa_token)
                typed = code("mfa_login")
                mistyped = ("2" if typed.startswith("1") else "1") + typed[1:]
                try:
                    anyone.mfa.verify_sms_code(device.id, result.mfa_token, otc, mistyped)
                except BadRequestError as err:
                    print("wrong code:", err.error_code)  # the token stays usable for another try
                result = anyone.mfa.verify_sms_code(device.id, result.mfa_token, otc, typed)
            assert isinstance(result, SignedIn)
            print("signed in:", result)  # the tokens print as [redacted]
            access_token = result.access_token.reveal()  # to call your API as the user
            assert access_token

        # 3. The vendor removes the device, with a code sent to it.
        client_id, secret = emu.vendor_credentials()
        with IdentityClient(client_id=client_id, secret=secret, tenant_id="tenant-1", base_url=emu.base_url) as admin:
            (phone,) = admin.mfa.list_devices("user-1").phones
            otc = admin.mfa.start_sms_disable("user-1", phone.id)
            admin.mfa.confirm_sms_disable("user-1", phone.id, otc, code("mfa_disable"))
            print("devices left:", admin.mfa.list_devices("user-1").phones)
            # The number stays the user's, verified: it can still receive a reset code.
            admin.phone_numbers.vendor_add("user-1", NUMBER)

        # 4. A password reset by SMS.
        with IdentityClient(base_url=emu.base_url) as anyone:
            session = anyone.passwords.start_sms_reset("jane@example.com", "email")
            stored = session.reveal()  # kept between two web requests...
            reset = anyone.passwords.verify_sms_reset(PasswordResetSession(stored), code("password_reset"))
            print("reset token for", reset.user_id, reset.token)  # ResetToken([redacted])


if __name__ == "__main__":
    main()
