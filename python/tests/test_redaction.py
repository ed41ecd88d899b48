"""No token, secret, one-time-code token or code in a repr, a str, an
exception or a log line; phone numbers masked. Results pickle; clients don't."""

from __future__ import annotations

import copy
import logging
import pickle

import pytest

import frontegg_identity as fi
from frontegg_identity import IdentityClient
from frontegg_identity.testing import Emulator

from conftest import PHONE, PHONE_E164

SECRET = "vendor-secret-canary-5f2c"


def test_otc_token_hides_its_value(emu: Emulator, client: IdentityClient) -> None:
    otc = client.phone_numbers.preverify(PHONE)
    value = otc.reveal()
    for text in (str(otc), repr(otc), f"{otc}", f"{otc!r}", repr([otc])):
        assert value not in text
        assert "[redacted]" in text
    rebuilt = fi.OtcToken(value)
    assert rebuilt == otc and hash(rebuilt) == hash(otc) and rebuilt != fi.OtcToken("other")
    assert otc != value  # not equal to the bare str
    assert pickle.loads(pickle.dumps(otc)) == otc
    assert copy.deepcopy(otc) == otc
    with pytest.raises(AttributeError):
        otc.value = "x"  # type: ignore[attr-defined]


def test_results_mask_numbers_and_pickle(emu: Emulator, client: IdentityClient) -> None:
    client.phone_numbers.assign(PHONE, verify=False)
    (number,) = client.phone_numbers.list_mine()
    assert "4155550100" not in repr(number) and "+*********00" in repr(number)
    assert "4155550100" not in str(number)
    assert number.phone_number == PHONE_E164
    assert pickle.loads(pickle.dumps(number)) == number
    assert number.id is not None
    pending = client.phone_numbers.start_delete(number.id)
    code = emu.last_code(PHONE)
    assert code is not None
    assert pending.otc_token.reveal() not in repr(pending)
    assert pickle.loads(pickle.dumps(pending)) == pending


def test_page_pickles(emu: Emulator, vendor: IdentityClient) -> None:
    vendor.phone_numbers.vendor_add("user-1", PHONE)
    page = vendor.phone_numbers.list()
    assert pickle.loads(pickle.dumps(page)) == page
    assert "4155550100" not in repr(page)


def test_clients_show_no_credentials_and_refuse_pickling(emu: Emulator) -> None:
    token = emu.user_token("user-1")
    with IdentityClient(user_token=token, base_url=emu.base_url) as c:
        assert token not in repr(c)
        with pytest.raises(TypeError):
            pickle.dumps(c)
        with pytest.raises(TypeError):
            copy.copy(c)
    with IdentityClient(client_id="cid", secret=SECRET, base_url=emu.base_url) as v:
        assert SECRET not in repr(v) and "vendor" in repr(v)
        with pytest.raises(TypeError):
            pickle.dumps(v)
    a = fi.AsyncIdentityClient(client_id="cid", secret=SECRET, base_url=emu.base_url)
    assert SECRET not in repr(a)
    with pytest.raises(TypeError):
        pickle.dumps(a)
    a.close()


def test_errors_and_logs_show_no_secret(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="frontegg_identity")
    token = emu.user_token("user-1")
    with IdentityClient(user_token=token, base_url=emu.base_url) as c:
        otc = c.phone_numbers.preverify(PHONE)
        code = emu.last_code(PHONE)
        assert code is not None
        wrong = str((int(code) + 1) % 10**6).zfill(6)
        with pytest.raises(fi.BadRequestError) as info:
            c.phone_numbers.verify(otc, wrong)
        c.phone_numbers.verify(otc.reveal(), code)
    with IdentityClient(client_id="emulator-client-id", secret=SECRET, tenant_id="t", base_url=emu.base_url) as v:
        with pytest.raises(fi.AuthenticationError) as auth:
            v.phone_numbers.list()
    texts = [
        str(info.value), repr(info.value), str(info.value.__dict__),
        str(auth.value), repr(auth.value), str(auth.value.__dict__),
        caplog.text, " ".join(str(r.__dict__) for r in caplog.records),
    ]
    secrets = [token, otc.reveal(), code, wrong, SECRET, "4155550100"]
    for text in texts:
        for secret in secrets:
            assert secret not in text
    assert caplog.records, "the SDK logged nothing at DEBUG"


def test_logging_goes_through_the_frontegg_identity_logger(
    client: IdentityClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="frontegg_identity")
    client.phone_numbers.list_mine()
    records = [r for r in caplog.records if r.name == "frontegg_identity"]
    assert records
    record = records[-1]
    assert record.levelno == logging.DEBUG
    assert getattr(record, "route") == "list_mine"
    assert getattr(record, "status") == 200
    assert getattr(record, "attempt") == 1
    assert isinstance(getattr(record, "elapsed_ms"), int)
    assert "route=list_mine" in record.getMessage()


def test_logging_follows_level_changes(client: IdentityClient, caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("frontegg_identity")
    caplog.set_level(logging.WARNING, logger="frontegg_identity")
    client.phone_numbers.list_mine()
    assert not [r for r in caplog.records if r.name == "frontegg_identity"]
    caplog.handler.setLevel(logging.DEBUG)
    logger.setLevel(logging.DEBUG)  # seen on the next call, without any refresh call
    client.phone_numbers.list_mine()
    assert [r for r in caplog.records if r.name == "frontegg_identity"]
    caplog.clear()
    logging.disable(logging.CRITICAL)
    try:
        client.phone_numbers.list_mine()
    finally:
        logging.disable(logging.NOTSET)
    assert not caplog.records


def test_retries_are_logged_as_warnings(emu: Emulator, client: IdentityClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="frontegg_identity")
    emu.inject_fault("list_mine", retry_after="0")
    client.phone_numbers.list_mine()
    warnings = [r for r in caplog.records if r.name == "frontegg_identity"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert getattr(warnings[0], "route") == "list_mine"


def test_emulator_sms_repr_hides_codes(emu: Emulator, client: IdentityClient) -> None:
    client.phone_numbers.preverify(PHONE)
    (sms,) = emu.sms()
    assert sms.code not in repr(sms) and sms.otc_token not in repr(sms) and "4155550100" not in repr(sms)
