//! Routes 1 to 10: a user's phone numbers, and the vendor's view of them.

use super::Dispatch;
use crate::endpoint::{
    Assign, ConfirmDelete, List, ListMine, Preverify, StartDelete, VendorAdd, VendorDelete, Verify,
};
use crate::ids::{PhoneNumberId, UserId};
use crate::model::ListQuery;
use crate::phone::PhoneNumber;
use crate::secret::{OtcToken, VerificationCode};

/// The phone-number routes of a [`Client`](crate::Client) or a
/// [`BlockingClient`](crate::BlockingClient); see [`Dispatch`] for what each
/// method returns.
#[derive(Debug)]
pub struct PhoneNumbers<'c, C> {
    pub(crate) client: &'c C,
}

impl<C> Clone for PhoneNumbers<'_, C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C> Copy for PhoneNumbers<'_, C> {}

impl<'c, C: Dispatch> PhoneNumbers<'c, C> {
    /// Route 1: assigns `phone_number` to the user. With `verify`, Frontegg
    /// sends an SMS code and the token to confirm it with is returned.
    pub fn assign<'a>(&'a self, phone_number: &'a PhoneNumber, verify: bool) -> C::Call<'a, Assign<'a>> {
        self.client.dispatch(Assign { phone_number, verify })
    }

    /// Route 2: sends a code to `phone_number` to prove the user owns it,
    /// without assigning it.
    pub fn preverify<'a>(&'a self, phone_number: &'a PhoneNumber) -> C::Call<'a, Preverify<'a>> {
        self.client.dispatch(Preverify { phone_number })
    }

    /// Route 3: confirms an assignment or a pre-verification.
    pub fn verify<'a>(
        &'a self,
        otc_token: &'a OtcToken,
        code: &'a VerificationCode,
    ) -> C::Call<'a, Verify<'a>> {
        self.client.dispatch(Verify { otc_token, code })
    }

    /// Route 4: the user's own numbers.
    pub fn list_mine(&self) -> C::Call<'_, ListMine> {
        self.client.dispatch(ListMine)
    }

    /// Route 5: starts deleting a number; Frontegg sends a code to it.
    pub fn start_delete<'a>(&'a self, phone_id: &'a PhoneNumberId) -> C::Call<'a, StartDelete<'a>> {
        self.client.dispatch(StartDelete { phone_id })
    }

    /// Route 6: confirms a deletion with the code.
    pub fn confirm_delete<'a>(
        &'a self,
        phone_id: &'a PhoneNumberId,
        otc_token: &'a OtcToken,
        code: &'a VerificationCode,
    ) -> C::Call<'a, ConfirmDelete<'a>> {
        self.client.dispatch(ConfirmDelete {
            phone_id,
            otc_token,
            code,
        })
    }

    /// Route 7: one page of the environment's numbers (vendor credentials).
    pub fn list<'a>(&'a self, query: &'a ListQuery) -> C::Call<'a, List<'a>> {
        self.client.dispatch(List { query })
    }

    /// Every number matching `query`, from its page on, fetching pages as
    /// it is read (vendor credentials): an iterator on the blocking client, a
    /// stream on the async client. After an error it ends.
    #[must_use]
    pub fn list_all(&self, query: &ListQuery) -> C::ListAll {
        self.client.list_all(query)
    }

    /// Route 9: adds an already verified number to a user (vendor credentials).
    pub fn vendor_add<'a>(
        &'a self,
        user_id: &'a UserId,
        phone_number: &'a PhoneNumber,
    ) -> C::Call<'a, VendorAdd<'a>> {
        self.client.dispatch(VendorAdd {
            user_id,
            phone_number,
        })
    }

    /// Route 10: removes a user's number without a code (vendor credentials).
    pub fn vendor_delete<'a>(
        &'a self,
        user_id: &'a UserId,
        phone_id: &'a PhoneNumberId,
    ) -> C::Call<'a, VendorDelete<'a>> {
        self.client.dispatch(VendorDelete { user_id, phone_id })
    }
}
