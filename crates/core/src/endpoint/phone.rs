//! The phone-number routes (1 to 10) and vendor authentication.

use std::time::Duration;

use http::{HeaderValue, Response};
use serde::Deserialize;

use super::{CodeBody, Endpoint, PhoneBody, decode, is_blank, json_body, push_param};
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

/// Vendor authentication: `POST /auth/vendor`.
#[derive(Debug, Clone, Copy)]
pub struct VendorAuth<'a> {
    /// The environment's client id.
    pub client_id: &'a str,
    /// The environment's API key.
    pub secret: &'a VendorSecret,
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

impl Endpoint for VendorAuth<'_> {
    type Output = VendorTokenGrant;
    const ROUTE: Route = Route::VendorAuth;

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&VendorAuthBody {
            client_id: self.client_id,
            secret: self.secret.expose_secret(),
        })
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Self::Output, Error> {
        let answer: VendorAuthAnswer = decode(Self::ROUTE, &response)?;
        let token = answer
            .token
            .filter(|t| !t.is_empty() && HeaderValue::from_str(t).is_ok())
            .ok_or_else(|| {
                DecodeError::missing(
                    Self::ROUTE,
                    response.status(),
                    response.headers(),
                    "no usable token",
                )
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
}

/// Route 1: assign a number to the user, sending a code when `verify` is true.
#[derive(Debug, Clone, Copy)]
pub struct Assign<'a> {
    /// The number.
    pub phone_number: &'a PhoneNumber,
    /// Whether to send a verification code.
    pub verify: bool,
}

impl Endpoint for Assign<'_> {
    type Output = Option<OtcToken>;
    const ROUTE: Route = Route::Assign;

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&PhoneBody {
            verify: Some(self.verify),
            ..PhoneBody::new(self.phone_number)
        })
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Self::Output, Error> {
        if is_blank(response.body()) {
            return Ok(None);
        }
        let answer: OtcAnswer = decode(Self::ROUTE, &response)?;
        Ok(answer
            .otc_token
            .filter(|t| !t.is_empty())
            .map(OtcToken::from_server))
    }
}

/// Route 2: send a code to a number before it is assigned.
#[derive(Debug, Clone, Copy)]
pub struct Preverify<'a> {
    /// The number.
    pub phone_number: &'a PhoneNumber,
}

impl Endpoint for Preverify<'_> {
    type Output = OtcToken;
    const ROUTE: Route = Route::Preverify;

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&PhoneBody::new(self.phone_number))
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Self::Output, Error> {
        let answer: OtcAnswer = decode(Self::ROUTE, &response)?;
        answer
            .otc_token
            .filter(|t| !t.is_empty())
            .map(OtcToken::from_server)
            .ok_or_else(|| {
                DecodeError::missing(Self::ROUTE, response.status(), response.headers(), "no otcToken").into()
            })
    }
}

/// Route 3: confirm an assignment or a pre-verification with the code.
#[derive(Debug, Clone, Copy)]
pub struct Verify<'a> {
    /// The token returned when the code was sent.
    pub otc_token: &'a OtcToken,
    /// The code the user received.
    pub code: &'a VerificationCode,
}

impl Endpoint for Verify<'_> {
    type Output = ();
    const ROUTE: Route = Route::Verify;

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&CodeBody::new(self.otc_token, self.code))
    }

    fn parse_success(&self, _response: Response<Vec<u8>>) -> Result<(), Error> {
        Ok(())
    }
}

/// Route 4: the caller's own numbers.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListMine;

#[derive(Deserialize)]
#[serde(untagged)]
enum RecordList {
    Bare(Vec<PhoneNumberRecord>),
    Wrapped { items: Vec<PhoneNumberRecord> },
}

impl Endpoint for ListMine {
    type Output = Vec<PhoneNumberRecord>;
    const ROUTE: Route = Route::ListMine;

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Self::Output, Error> {
        if let Ok(list) = serde_json::from_slice::<Vec<PhoneNumberRecord>>(response.body()) {
            return Ok(list);
        }
        match decode::<RecordList>(Self::ROUTE, &response)? {
            RecordList::Bare(items) | RecordList::Wrapped { items } => Ok(items),
        }
    }
}

/// Route 5: start deleting a number; Frontegg sends a code to it.
#[derive(Debug, Clone, Copy)]
pub struct StartDelete<'a> {
    /// The record to delete.
    pub phone_id: &'a PhoneNumberId,
}

#[derive(Deserialize)]
struct DeleteAnswer {
    #[serde(rename = "phoneId")]
    phone_id: Option<PhoneNumberId>,
    #[serde(rename = "otcToken")]
    otc_token: Option<String>,
}

impl Endpoint for StartDelete<'_> {
    type Output = PendingDeletion;
    const ROUTE: Route = Route::StartDelete;

    fn path_param(&self, _name: &str) -> Result<&str, Error> {
        self.phone_id.checked()
    }

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Self::Output, Error> {
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
#[derive(Debug, Clone, Copy)]
pub struct ConfirmDelete<'a> {
    /// The record being deleted.
    pub phone_id: &'a PhoneNumberId,
    /// The token from [`StartDelete`].
    pub otc_token: &'a OtcToken,
    /// The code the user received.
    pub code: &'a VerificationCode,
}

impl Endpoint for ConfirmDelete<'_> {
    type Output = ();
    const ROUTE: Route = Route::ConfirmDelete;

    fn path_param(&self, _name: &str) -> Result<&str, Error> {
        self.phone_id.checked()
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&CodeBody::new(self.otc_token, self.code))
    }

    fn parse_success(&self, _response: Response<Vec<u8>>) -> Result<(), Error> {
        Ok(())
    }
}

/// Route 7: the environment's numbers, a page at a time (vendor token).
#[derive(Debug, Clone, Copy)]
pub struct List<'a> {
    /// The query.
    pub query: &'a ListQuery,
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

impl Endpoint for List<'_> {
    type Output = Page<PhoneNumberRecord>;
    const ROUTE: Route = Route::List;

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

    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Self::Output, Error> {
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
#[derive(Debug, Clone, Copy)]
pub struct VendorAdd<'a> {
    /// The user.
    pub user_id: &'a UserId,
    /// The number.
    pub phone_number: &'a PhoneNumber,
}

impl Endpoint for VendorAdd<'_> {
    type Output = ();
    const ROUTE: Route = Route::VendorAdd;

    fn path_param(&self, _name: &str) -> Result<&str, Error> {
        self.user_id.checked()
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&PhoneBody::new(self.phone_number))
    }

    fn parse_success(&self, _response: Response<Vec<u8>>) -> Result<(), Error> {
        Ok(())
    }
}

/// Route 10: remove a user's number without a code (vendor token).
#[derive(Debug, Clone, Copy)]
pub struct VendorDelete<'a> {
    /// The user.
    pub user_id: &'a UserId,
    /// The record.
    pub phone_id: &'a PhoneNumberId,
}

impl Endpoint for VendorDelete<'_> {
    type Output = ();
    const ROUTE: Route = Route::VendorDelete;

    fn path_param(&self, name: &str) -> Result<&str, Error> {
        if name == "userId" {
            self.user_id.checked()
        } else {
            self.phone_id.checked()
        }
    }

    fn parse_success(&self, _response: Response<Vec<u8>>) -> Result<(), Error> {
        Ok(())
    }
}
