"""Every method of the sync client against the emulator."""

from __future__ import annotations

import datetime

import pytest

from frontegg_identity import (
    IdentityClient,
    OtcToken,
    Page,
    PendingDeletion,
    PhoneNumber,
    normalize_phone_number,
)
from frontegg_identity.testing import Emulator

from conftest import PHONE, PHONE_E164


def code_for(emu: Emulator, phone: str) -> str:
    code = emu.last_code(phone)
    assert code is not None
    return code


def test_preverify_and_verify(emu: Emulator, client: IdentityClient) -> None:
    otc = client.phone_numbers.preverify(PHONE)
    assert isinstance(otc, OtcToken)
    sms = emu.sms(PHONE)
    assert len(sms) == 1 and sms[0].purpose == "preverify" and sms[0].phone_number == PHONE_E164
    assert otc.reveal() == sms[0].otc_token
    client.phone_numbers.verify(otc, code_for(emu, PHONE))
    # Pre-verifying does not assign the number.
    assert client.phone_numbers.list_mine() == []


def test_verify_takes_a_plain_str_and_a_rebuilt_token(emu: Emulator, client: IdentityClient) -> None:
    stored = client.phone_numbers.preverify(PHONE).reveal()
    client.phone_numbers.verify(stored, code_for(emu, PHONE))
    stored = client.phone_numbers.preverify(PHONE).reveal()
    client.phone_numbers.verify(OtcToken(stored), " " + code_for(emu, PHONE) + "\n")


def test_assign_verify_list_mine(emu: Emulator, client: IdentityClient) -> None:
    otc = client.phone_numbers.assign(PHONE)
    assert otc is not None
    client.phone_numbers.verify(otc, code_for(emu, PHONE))
    mine = client.phone_numbers.list_mine()
    assert len(mine) == 1
    number = mine[0]
    assert isinstance(number, PhoneNumber)
    assert number.phone_number == PHONE_E164
    assert number.verified is True
    assert number.id
    assert isinstance(number.created_at, datetime.datetime)
    assert number.created_at.tzinfo is not None
    assert number.masked == "+*********00"


def test_assign_without_verify(emu: Emulator, client: IdentityClient) -> None:
    assert client.phone_numbers.assign(PHONE, verify=False) is None
    assert emu.sms() == []
    (number,) = client.phone_numbers.list_mine()
    assert number.verified is False


def test_start_and_confirm_delete(emu: Emulator, client: IdentityClient) -> None:
    client.phone_numbers.assign(PHONE, verify=False)
    (number,) = client.phone_numbers.list_mine()
    assert number.id is not None
    pending = client.phone_numbers.start_delete(number.id)
    assert isinstance(pending, PendingDeletion)
    assert pending.phone_id == number.id
    assert emu.sms(PHONE)[-1].purpose == "delete"
    client.phone_numbers.confirm_delete(number.id, pending.otc_token, code_for(emu, PHONE))
    assert client.phone_numbers.list_mine() == []


def test_vendor_add_list_delete(emu: Emulator, vendor: IdentityClient) -> None:
    vendor.phone_numbers.vendor_add("user-7", "+44 20 7946 0958")
    page = vendor.phone_numbers.list(user_ids=["user-7"])
    assert isinstance(page, Page)
    assert page.total_items == 1 and page.page == 0 and not page.has_next
    (number,) = page.items
    assert number.user_id == "user-7" and number.verified
    assert number.id is not None
    vendor.phone_numbers.vendor_delete("user-7", number.id)
    assert vendor.phone_numbers.list(user_ids=["user-7"]).items == ()


def test_list_options(vendor: IdentityClient) -> None:
    for i in range(5):
        vendor.phone_numbers.vendor_add(f"user-{i}", f"+1415555010{i}")
    page = vendor.phone_numbers.list(limit=2, page=1, sort_by="phone_number", order="desc")
    assert [n.phone_number for n in page.items] == ["+14155550102", "+14155550101"]
    assert page.total_items == 5 and page.total_pages == 3 and page.has_next
    one = vendor.phone_numbers.list(phone_number="+1 415 555 0103")
    assert [n.user_id for n in one.items] == ["user-3"]
    by_user = vendor.phone_numbers.list(sort_by="user_id", order="ASC", user_ids=["user-4", "user-0"])
    assert [n.user_id for n in by_user.items] == ["user-0", "user-4"]


def test_iter_all_across_pages(emu: Emulator, vendor: IdentityClient) -> None:
    for i in range(7):
        vendor.phone_numbers.vendor_add(f"user-{i}", f"+1415555020{i}")
    numbers = list(vendor.phone_numbers.iter_all(limit=3, sort_by="phone_number"))
    assert [n.phone_number for n in numbers] == [f"+1415555020{i}" for i in range(7)]
    lists = [r for r in emu.requests() if r["route"] == "list"]
    assert len(lists) == 3
    # From a later page on, and lazily.
    it = vendor.phone_numbers.iter_all(limit=3, page=2, sort_by="phone_number")
    assert [n.phone_number for n in it] == ["+14155550206"]


def test_vendor_with_user_id_acts_on_the_user(emu: Emulator) -> None:
    client_id, secret = emu.vendor_credentials()
    with IdentityClient(
        client_id=client_id, secret=secret, tenant_id="tenant-1", user_id="user-9", base_url=emu.base_url
    ) as c:
        c.phone_numbers.vendor_add("user-9", PHONE)
        assert [n.phone_number for n in c.phone_numbers.list_mine()] == [PHONE_E164]


def test_token_provider_is_called_per_call(emu: Emulator) -> None:
    calls: list[int] = []

    def provider() -> str:
        calls.append(1)
        return emu.user_token("user-1")

    with IdentityClient(user_token=provider, base_url=emu.base_url) as c:
        c.phone_numbers.list_mine()
        c.phone_numbers.list_mine()
    assert len(calls) == 2


def test_results_are_values(client: IdentityClient) -> None:
    client.phone_numbers.assign(PHONE, verify=False)
    a = client.phone_numbers.list_mine()
    b = client.phone_numbers.list_mine()
    assert a == b and hash(a[0]) == hash(b[0])
    with pytest.raises(AttributeError):
        a[0].verified = False  # type: ignore[misc]


def test_normalize_phone_number() -> None:
    assert normalize_phone_number("0044 20 7946 0958") == "+442079460958"


def test_records_behave_like_constructed_dataclasses(client: IdentityClient) -> None:
    import dataclasses
    import pickle

    client.phone_numbers.assign(PHONE, verify=False)
    (number,) = client.phone_numbers.list_mine()
    built = PhoneNumber(**dataclasses.asdict(number))
    assert built == number and hash(built) == hash(number) and repr(built) == repr(number)
    assert dataclasses.replace(number, verified=True).verified is True
    assert pickle.loads(pickle.dumps(number)) == number
    with pytest.raises(dataclasses.FrozenInstanceError):
        number.phone_number = "+1"  # type: ignore[misc]
