//! The phone-number routes (1 to 10) and vendor authentication.

use std::time::Duration;

use http::{HeaderValue, Response};
use serde::Deserialize;

use super::{CodeBody, PhoneBody, decode, endpoints, is_blank, nothing, push_param};
use crate::error::{DecodeError, Error};
use crate::ids::{PhoneNumberId, UserId};
use crate::model::{ListQuery, Page, PendingDeletion, PhoneNumberRecord};
use crate::phone::PhoneNumber;
use crate::route::Route;
use crate::secret::{AccessToken, OtcToken, VendorSecret, VerificationCode};

#[derive(Deserialize)]
struct OtcAnswer {
    #[serde(rename = "otcToken", default)]
    otc_token: Option<String>,
}

#[derive(serde::Serialize)]
struct VendorAuthBody<'a> {
    #[serde(rename = "clientId")]
    client_id: &'a str,
    secret: &'a str,
}

#[derive(Deserialize)]
struct VendorAuthAnswer {
    token: Option<String>,
    #[serde(rename = "expiresIn")]
    expires_in: Option<f64>,
}

/// A vendor token and how long it lives.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VendorTokenGrant {
    /// The token.
    pub token: AccessToken,
    /// Its lifetime, when Frontegg said.
    pub expires_in: Option<Duration>,
}

/// Vendor authentication's answer: a usable token, and its lifetime when sane.
fn vendor_token_grant(route: Route, response: &Response<Vec<u8>>) -> Result<VendorTokenGrant, Error> {
    let answer: VendorAuthAnswer = decode(route, response)?;
    let token = answer
        .token
        .filter(|t| !t.is_empty() && HeaderValue::from_str(t).is_ok())
        .ok_or_else(|| {
            DecodeError::missing(route, response.status(), response.headers(), "no usable token")
        })?;
    let expires_in = answer
        .expires_in
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|s| Duration::from_secs_f64(s.min(365.0 * 86400.0)));
    Ok(VendorTokenGrant {
        token: AccessToken::from_server(token),
        expires_in,
    })
}

/// The `otcToken` of an answer, if it has a non-empty one.
fn otc_answer(route: Route, response: &Response<Vec<u8>>) -> Result<Option<OtcToken>, Error> {
    let answer: OtcAnswer = decode(route, response)?;
    Ok(answer
        .otc_token
        .filter(|t| !t.is_empty())
        .map(OtcToken::from_server))
}

/// Route 1's answer: the token when a code was sent, an empty body when not.
fn assign_answer(route: Route, response: &Response<Vec<u8>>) -> Result<Option<OtcToken>, Error> {
    if is_blank(response.body()) {
        return Ok(None);
    }
    otc_answer(route, response)
}

/// Route 2's answer: the token of the code sent.
fn preverify_answer(route: Route, response: &Response<Vec<u8>>) -> Result<OtcToken, Error> {
    otc_answer(route, response)?.ok_or_else(|| {
        DecodeError::missing(route, response.status(), response.headers(), "no otcToken").into()
    })
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RecordList {
    Bare(Vec<PhoneNumberRecord>),
    Wrapped { items: Vec<PhoneNumberRecord> },
}

/// Route 4's answer: a bare list, or one wrapped in `items`.
fn record_list(route: Route, response: &Response<Vec<u8>>) -> Result<Vec<PhoneNumberRecord>, Error> {
    if let Ok(list) = serde_json::from_slice::<Vec<PhoneNumberRecord>>(response.body()) {
        return Ok(list);
    }
    match decode::<RecordList>(route, response)? {
        RecordList::Bare(items) | RecordList::Wrapped { items } => Ok(items),
    }
}

#[derive(Deserialize)]
struct DeleteAnswer {
    #[serde(rename = "phoneId")]
    phone_id: Option<PhoneNumberId>,
    #[serde(rename = "otcToken")]
    otc_token: Option<String>,
}

#[derive(Deserialize)]
struct PageAnswer {
    #[serde(default)]
    items: Vec<PhoneNumberRecord>,
    #[serde(rename = "_metadata", default)]
    metadata: Option<PageMetadata>,
}

#[derive(Deserialize)]
struct PageMetadata {
    #[serde(rename = "totalItems", default)]
    total_items: Option<f64>,
    #[serde(rename = "totalPages", default)]
    total_pages: Option<f64>,
}

fn count(value: Option<f64>) -> u64 {
    match value {
        // Truncation is intended: counts arrive as JSON numbers.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Some(v) if v.is_finite() && v >= 0.0 => v.min(u64::MAX as f64) as u64,
        _ => 0,
    }
}

endpoints! {
    /// Vendor authentication: `POST /auth/vendor`.
    pub struct VendorAuth<'a> {
        /// The environment's client id.
        pub client_id: &'a str,
        /// The environment's API key.
        pub secret: &'a VendorSecret,
    }
    Route::VendorAuth -> VendorTokenGrant {
        body: |e| VendorAuthBody { client_id: e.client_id, secret: e.secret.expose_secret() };
        parse: vendor_token_grant;
    }

    /// Route 1: assign a number to the user, sending a code when `verify` is true.
    pub struct Assign<'a> {
        /// The number.
        pub phone_number: &'a PhoneNumber,
        /// Whether to send a verification code.
        pub verify: bool,
    }
    Route::Assign -> Option<OtcToken> {
        body: |e| PhoneBody { verify: Some(e.verify), ..PhoneBody::new(e.phone_number) };
        parse: assign_answer;
    }

    /// Route 2: send a code to a number before it is assigned.
    pub struct Preverify<'a> {
        /// The number.
        pub phone_number: &'a PhoneNumber,
    }
    Route::Preverify -> OtcToken { body: |e| PhoneBody::new(e.phone_number); parse: preverify_answer; }

    /// Route 3: confirm an assignment or a pre-verification with the code.
    pub struct Verify<'a> {
        /// The token returned when the code was sent.
        pub otc_token: &'a OtcToken,
        /// The code the user received.
        pub code: &'a VerificationCode,
    }
    Route::Verify -> () { body: |e| CodeBody::new(e.otc_token, e.code); parse: nothing; }

    /// Route 4: the caller's own numbers.
    #[derive(Default)]
    pub struct ListMine;
    Route::ListMine -> Vec<PhoneNumberRecord> { parse: record_list; }

    /// Route 5: start deleting a number; Frontegg sends a code to it.
    pub struct StartDelete<'a> {
        /// The record to delete.
        pub phone_id: &'a PhoneNumberId,
    }
    Route::StartDelete -> PendingDeletion {
        path: phone_id;
        fn parse_success(&self, response: Response<Vec<u8>>) -> Result<PendingDeletion, Error> {
            let answer: DeleteAnswer = decode(Self::ROUTE, &response)?;
            let otc_token = answer
                .otc_token
                .filter(|t| !t.is_empty())
                .map(OtcToken::from_server)
                .ok_or_else(|| {
                    DecodeError::missing(Self::ROUTE, response.status(), response.headers(), "no otcToken")
                })?;
            Ok(PendingDeletion {
                phone_id: answer.phone_id.unwrap_or_else(|| self.phone_id.clone()),
                otc_token,
            })
        }
    }

    /// Route 6: confirm a deletion with the code.
    pub struct ConfirmDelete<'a> {
        /// The record being deleted.
        pub phone_id: &'a PhoneNumberId,
        /// The token from [`StartDelete`].
        pub otc_token: &'a OtcToken,
        /// The code the user received.
        pub code: &'a VerificationCode,
    }
    Route::ConfirmDelete -> () {
        path: phone_id;
        body: |e| CodeBody::new(e.otc_token, e.code);
        parse: nothing;
    }

    /// Route 7: the environment's numbers, a page at a time (vendor token).
    pub struct List<'a> {
        /// The query.
        pub query: &'a ListQuery,
    }
    Route::List -> Page<PhoneNumberRecord> {
        fn write_query(&self, out: &mut String) -> Result<(), Error> {
            let q = self.query;
            q.check()?;
            if let Some(limit) = q.limit {
                push_param(out, "_limit", &limit.to_string());
            }
            push_param(out, "_offset", &q.page.to_string());
            if let Some(sort_by) = q.sort_by {
                push_param(out, "_sortBy", sort_by.as_str());
            }
            if let Some(order) = q.order {
                push_param(out, "_order", order.as_str());
            }
            if let Some(phone) = &q.phone_number {
                push_param(out, "_phoneNumber", phone.as_str());
            }
            for user in &q.user_ids {
                push_param(out, "userIds", user.as_str());
            }
            Ok(())
        }

        fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Page<PhoneNumberRecord>, Error> {
            let answer: PageAnswer = decode(Self::ROUTE, &response)?;
            let (total_items, total_pages) = match answer.metadata {
                Some(m) => (count(m.total_items), count(m.total_pages)),
                None => (answer.items.len() as u64, u64::from(!answer.items.is_empty())),
            };
            Ok(Page {
                items: answer.items,
                page: self.query.page,
                total_items,
                total_pages,
            })
        }
    }

    /// Route 9: add an already verified number to a user (vendor token).
    pub struct VendorAdd<'a> {
        /// The user.
        pub user_id: &'a UserId,
        /// The number.
        pub phone_number: &'a PhoneNumber,
    }
    Route::VendorAdd -> () { path: user_id; body: |e| PhoneBody::new(e.phone_number); parse: nothing; }

    /// Route 10: remove a user's number without a code (vendor token).
    pub struct VendorDelete<'a> {
        /// The user.
        pub user_id: &'a UserId,
        /// The record.
        pub phone_id: &'a PhoneNumberId,
    }
    Route::VendorDelete -> () {
        parse: nothing;
        fn path_param(&self, name: &str) -> Result<&str, Error> {
            if name == "userId" {
                self.user_id.checked()
            } else {
                self.phone_id.checked()
            }
        }
    }
}
