"""The quickstart, against the in-process emulator: pre-verify a number,
confirm it with the SMS code, assign it, list it, and list as the vendor.

Run: python python/examples/quickstart.py
"""

from __future__ import annotations

from frontegg_identity import BadRequestError, IdentityClient, OtcToken
from frontegg_identity.testing import Emulator


def main() -> None:
    with Emulator() as emu:
        # Against Frontegg: IdentityClient(user_token="eyJ...", region="us").
        with IdentityClient(user_token=emu.user_token("user-1"), base_url=emu.base_url) as client:
            phones = client.phone_numbers
            otc = phones.preverify("+1 415 555 0100")
            print("SMS sent; token:", otc)  # OtcToken([redacted])

            # Between two web requests, keep the token as a string...
            stored = otc.reveal()
            # ...and the user types the code they received.
            code = emu.last_code("+14155550100") or ""
            try:
                phones.verify(OtcToken(stored), code)
            except BadRequestError as err:
                print("wrong or expired code:", err.error_code)
                return

            otc_assign = phones.assign("+1 415 555 0100")
            if otc_assign is not None:
                phones.verify(otc_assign, emu.last_code("+14155550100") or "")
            for number in phones.list_mine():
                print(number)  # the number is masked in repr

        client_id, secret = emu.vendor_credentials()
        with IdentityClient(client_id=client_id, secret=secret, tenant_id="tenant-1", base_url=emu.base_url) as admin:
            admin.phone_numbers.vendor_add("user-2", "+44 20 7946 0958")
            for number in admin.phone_numbers.iter_all(limit=100):
                print(number.user_id, number.masked, number.verified)


if __name__ == "__main__":
    main()
