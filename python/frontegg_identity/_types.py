"""The results of the phone-number routes: frozen dataclasses, equal by
value, picklable, and with a ``repr`` that masks phone numbers (and never
shows a one-time-code token)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional, Tuple

from ._native import OtcToken, mask_phone_number

__all__ = ["PhoneNumber", "Page", "PendingDeletion"]


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
