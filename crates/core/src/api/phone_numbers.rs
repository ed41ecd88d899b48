//! Routes 1 to 10: a user's phone numbers, and the vendor's view of them.

use super::{Dispatch, group};
use crate::endpoint::{
    Assign, ConfirmDelete, List, ListMine, Preverify, StartDelete, VendorAdd, VendorDelete, Verify,
};
use crate::ids::{PhoneNumberId, UserId};
use crate::model::ListQuery;
use crate::phone::PhoneNumber;
use crate::secret::{OtcToken, VerificationCode};

group! {
    /// The phone-number routes of a [`Client`](crate::Client) or a
    /// [`BlockingClient`](crate::BlockingClient); see [`Dispatch`] for what each
    /// method returns.
    pub struct PhoneNumbers;

    /// Route 1: assigns `phone_number` to the user. With `verify`, Frontegg
    /// sends an SMS code and the token to confirm it with is returned.
    fn assign(phone_number: &'a PhoneNumber, verify: bool) -> Assign<'a>;

    /// Route 2: sends a code to `phone_number` to prove the user owns it,
    /// without assigning it.
    fn preverify(phone_number: &'a PhoneNumber) -> Preverify<'a>;

    /// Route 3: confirms an assignment or a pre-verification.
    fn verify(otc_token: &'a OtcToken, code: &'a VerificationCode) -> Verify<'a>;

    /// Route 4: the user's own numbers.
    fn list_mine() -> ListMine;

    /// Route 5: starts deleting a number; Frontegg sends a code to it.
    fn start_delete(phone_id: &'a PhoneNumberId) -> StartDelete<'a>;

    /// Route 6: confirms a deletion with the code.
    fn confirm_delete(phone_id: &'a PhoneNumberId, otc_token: &'a OtcToken, code: &'a VerificationCode)
        -> ConfirmDelete<'a>;

    /// Route 7: one page of the environment's numbers (vendor credentials).
    fn list(query: &'a ListQuery) -> List<'a>;

    /// Route 9: adds an already verified number to a user (vendor credentials).
    fn vendor_add(user_id: &'a UserId, phone_number: &'a PhoneNumber) -> VendorAdd<'a>;

    /// Route 10: removes a user's number without a code (vendor credentials).
    fn vendor_delete(user_id: &'a UserId, phone_id: &'a PhoneNumberId) -> VendorDelete<'a>;
}

impl<C: Dispatch> PhoneNumbers<'_, C> {
    /// Every number matching `query`, from its page on, fetching pages as
    /// it is read (vendor credentials): an iterator on the blocking client, a
    /// stream on the async client. After an error it ends.
    #[must_use]
    pub fn list_all(&self, query: &ListQuery) -> C::ListAll {
        self.client.list_all(query)
    }
}
