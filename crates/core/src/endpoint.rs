//! Sans-IO endpoints: each builds an `http::Request<Vec<u8>>` and parses an
//! `http::Response<Vec<u8>>`, with no I/O, so the async and blocking clients
//! (and anyone bringing their own HTTP stack) share every line of it.
//!
//! ```
//! use frontegg_identity_core::endpoint::{Endpoint, Preverify, RequestContext};
//! use frontegg_identity_core::PhoneNumber;
//!
//! let number = PhoneNumber::parse("+1 415 555 0100").unwrap();
//! let user_agent = http::HeaderValue::from_static("example");
//! let ctx = RequestContext::new("https://api.frontegg.com", &user_agent);
//! let request = Preverify { phone_number: &number }.request(&ctx).unwrap();
//! assert_eq!(
//!     request.uri(),
//!     "https://api.frontegg.com/identity/resources/users/phone-numbers/v1/preverify"
//! );
//! assert_eq!(request.body(), br#"{"phoneNumber":"+14155550100"}"#);
//! ```

use std::time::Duration;

use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, Error, TransportError, TransportErrorKind};
use crate::ids::{PhoneNumberId, UserId};
use crate::model::{ListQuery, Page, PendingDeletion, PhoneNumberRecord};
use crate::phone::PhoneNumber;
use crate::secret::{AccessToken, OtcToken, VendorSecret, VerificationCode};

/// Everything but RFC 3986 unreserved characters is percent-encoded, so an id
/// always stays one path segment and a value one query parameter.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

const PHONE_NUMBERS: &str = "/identity/resources/users/phone-numbers";

/// The `frontegg-tenant-id` header.
pub static TENANT_ID_HEADER: HeaderName = HeaderName::from_static("frontegg-tenant-id");
/// The `frontegg-user-id` header.
pub static USER_ID_HEADER: HeaderName = HeaderName::from_static("frontegg-user-id");
static JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Every route the SDK calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Route {
    /// `POST /auth/vendor`.
    VendorAuth,
    /// Route 1: `POST /resources/users/phone-numbers/v1`.
    Assign,
    /// Route 2: `POST /resources/users/phone-numbers/v1/preverify`.
    Preverify,
    /// Route 3: `POST /resources/users/phone-numbers/v1/verify`.
    Verify,
    /// Route 4: `GET /resources/users/phone-numbers/v1/me`.
    ListMine,
    /// Route 5: `DELETE /resources/users/phone-numbers/v1/{id}`.
    StartDelete,
    /// Route 6: `POST /resources/users/phone-numbers/v1/{id}/delete/verify`.
    ConfirmDelete,
    /// Route 7: `GET /resources/users/phone-numbers/v2`.
    List,
    /// Route 9: `POST /resources/users/phone-numbers/v1/vendor/{userId}`.
    VendorAdd,
    /// Route 10: `DELETE /resources/users/phone-numbers/v1/vendor/{userId}/{phoneId}`.
    VendorDelete,
}

/// Which credentials a route takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthScheme {
    /// None (vendor authentication itself).
    None,
    /// A user's JWT, or a vendor token with `frontegg-user-id`.
    User,
    /// A vendor token only.
    Vendor,
}

impl Route {
    /// Every route.
    pub const ALL: [Self; 10] = [
        Self::VendorAuth,
        Self::Assign,
        Self::Preverify,
        Self::Verify,
        Self::ListMine,
        Self::StartDelete,
        Self::ConfirmDelete,
        Self::List,
        Self::VendorAdd,
        Self::VendorDelete,
    ];

    /// The route's short name, used in errors, logs and the emulator.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::VendorAuth => "vendor_auth",
            Self::Assign => "assign",
            Self::Preverify => "preverify",
            Self::Verify => "verify",
            Self::ListMine => "list_mine",
            Self::StartDelete => "start_delete",
            Self::ConfirmDelete => "confirm_delete",
            Self::List => "list",
            Self::VendorAdd => "vendor_add",
            Self::VendorDelete => "vendor_delete",
        }
    }

    /// The HTTP method.
    #[must_use]
    pub fn method(self) -> Method {
        match self {
            Self::ListMine | Self::List => Method::GET,
            Self::StartDelete | Self::VendorDelete => Method::DELETE,
            _ => Method::POST,
        }
    }

    /// The credentials the route takes.
    #[must_use]
    pub const fn auth(self) -> AuthScheme {
        match self {
            Self::VendorAuth => AuthScheme::None,
            Self::List | Self::VendorAdd | Self::VendorDelete => AuthScheme::Vendor,
            _ => AuthScheme::User,
        }
    }

    /// Whether sending the request twice is harmless, so that it may be
    /// retried after a failure that may have reached the server. True for the
    /// reads and for vendor authentication; never for a route that sends an
    /// SMS, consumes a code or changes state.
    #[must_use]
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Self::ListMine | Self::List | Self::VendorAuth)
    }

    /// Whether the route sends an SMS.
    #[must_use]
    pub const fn sends_sms(self) -> bool {
        matches!(self, Self::Assign | Self::Preverify | Self::StartDelete)
    }
}

/// What every request carries besides the endpoint's own data.
#[derive(Debug, Clone, Copy)]
pub struct RequestContext<'a> {
    /// The gateway root, without a trailing slash (`https://api.frontegg.com`).
    pub gateway: &'a str,
    /// The `Authorization` header (`Bearer ...`), marked sensitive.
    pub authorization: Option<&'a HeaderValue>,
    /// The `User-Agent` header.
    pub user_agent: &'a HeaderValue,
    /// `frontegg-tenant-id`, sent with vendor tokens.
    pub tenant_id: Option<&'a HeaderValue>,
    /// `frontegg-user-id`, sent with vendor tokens on routes that act on a user.
    pub user_id: Option<&'a HeaderValue>,
}

impl<'a> RequestContext<'a> {
    /// A context with no credentials.
    #[must_use]
    pub fn new(gateway: &'a str, user_agent: &'a HeaderValue) -> Self {
        Self {
            gateway,
            authorization: None,
            user_agent,
            tenant_id: None,
            user_id: None,
        }
    }
}

/// One call of the API, as pure functions.
pub trait Endpoint {
    /// What a success answer holds.
    type Output;
    /// The route.
    const ROUTE: Route;

    /// Appends the path (from the gateway root) to `out`.
    fn write_path(&self, out: &mut String) -> Result<(), Error>;

    /// Appends the query string, without `?`, to `out`.
    fn write_query(&self, _out: &mut String) -> Result<(), Error> {
        Ok(())
    }

    /// The JSON body, if the route has one.
    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        Ok(None)
    }

    /// Parses a success (2xx) answer.
    fn parse_success(&self, response: Response<Vec<u8>>) -> Result<Self::Output, Error>;

    /// Builds the request.
    fn request(&self, ctx: &RequestContext<'_>) -> Result<Request<Vec<u8>>, Error> {
        let mut uri = String::with_capacity(ctx.gateway.len() + 96);
        uri.push_str(ctx.gateway);
        self.write_path(&mut uri)?;
        let path_end = uri.len();
        uri.push('?');
        self.write_query(&mut uri)?;
        if uri.len() == path_end + 1 {
            uri.truncate(path_end);
        }
        let body = self.body()?;
        let has_body = body.is_some();
        let mut request = Request::new(body.unwrap_or_default());
        *request.method_mut() = Self::ROUTE.method();
        *request.uri_mut() = uri
            .try_into()
            .map_err(|_| Error::Configuration("the base URL does not make a valid request URI".into()))?;
        let headers = request.headers_mut();
        headers.insert(ACCEPT, JSON.clone());
        headers.insert(USER_AGENT, ctx.user_agent.clone());
        if has_body {
            headers.insert(CONTENT_TYPE, JSON.clone());
        }
        if let Some(auth) = ctx.authorization {
            // Marked sensitive whoever built the context, so that `http` and
            // any transport that honours the flag never print it.
            let mut auth = auth.clone();
            auth.set_sensitive(true);
            headers.insert(AUTHORIZATION, auth);
        }
        if let Some(tenant) = ctx.tenant_id {
            headers.insert(TENANT_ID_HEADER.clone(), tenant.clone());
        }
        if let Some(user) = ctx.user_id {
            headers.insert(USER_ID_HEADER.clone(), user.clone());
        }
        Ok(request)
    }

    /// Parses any answer: a 2xx with [`parse_success`](Self::parse_success),
    /// anything else as an error.
    fn parse(&self, response: Response<Vec<u8>>) -> Result<Self::Output, Error> {
        if response.status().is_success() {
            self.parse_success(response)
        } else {
            Err(error_from_response(Self::ROUTE, &response, None))
        }
    }
}

/// The error for a non-2xx answer: [`Error::RateLimited`] for 429, otherwise
/// [`Error::Api`] (a 3xx is an error too: redirects are never followed).
#[must_use]
pub fn error_from_response(
    route: Route,
    response: &Response<Vec<u8>>,
    retry_after: Option<Duration>,
) -> Error {
    let api = Box::new(ApiError::from_response(
        route,
        response.status(),
        response.headers(),
        response.body(),
    ));
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        Error::RateLimited {
            retry_after,
            error: api,
        }
    } else {
        Error::Api(api)
    }
}

fn push_segment(out: &mut String, segment: &str) {
    out.push('/');
    out.extend(utf8_percent_encode(segment, COMPONENT));
}

fn push_param(out: &mut String, name: &str, value: &str) {
    if !out.ends_with('?') {
        out.push('&');
    }
    out.push_str(name);
    out.push('=');
    out.extend(utf8_percent_encode(value, COMPONENT));
}

fn json_body<T: serde::Serialize>(value: &T) -> Result<Option<Vec<u8>>, Error> {
    let mut out = Vec::with_capacity(96);
    serde_json::to_writer(&mut out, value)
        .map_err(|_| Error::Configuration("a request body could not be serialised".into()))?;
    Ok(Some(out))
}

fn decode<T: DeserializeOwned>(route: Route, response: &Response<Vec<u8>>) -> Result<T, Error> {
    serde_json::from_slice(response.body())
        .map_err(|e| DecodeError::from_json(route, response.status(), response.headers(), &e).into())
}

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

#[derive(serde::Serialize)]
struct PhoneBody<'a> {
    #[serde(rename = "phoneNumber")]
    phone_number: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    verify: Option<bool>,
}

#[derive(serde::Serialize)]
struct OtcBody<'a> {
    #[serde(rename = "otcToken")]
    otc_token: &'a str,
    code: &'a str,
}

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

    fn write_path(&self, out: &mut String) -> Result<(), Error> {
        out.push_str("/auth/vendor");
        Ok(())
    }

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

    fn write_path(&self, out: &mut String) -> Result<(), Error> {
        out.push_str(PHONE_NUMBERS);
        out.push_str("/v1");
        Ok(())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&PhoneBody {
            phone_number: self.phone_number.as_str(),
            verify: Some(self.verify),
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

    fn write_path(&self, out: &mut String) -> Result<(), Error> {
        out.push_str(PHONE_NUMBERS);
        out.push_str("/v1/preverify");
        Ok(())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&PhoneBody {
            phone_number: self.phone_number.as_str(),
            verify: None,
        })
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

    fn write_path(&self, out: &mut String) -> Result<(), Error> {
        out.push_str(PHONE_NUMBERS);
        out.push_str("/v1/verify");
        Ok(())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&OtcBody {
            otc_token: self.otc_token.expose_secret(),
            code: self.code.expose_secret(),
        })
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

    fn write_path(&self, out: &mut String) -> Result<(), Error> {
        out.push_str(PHONE_NUMBERS);
        out.push_str("/v1/me");
        Ok(())
    }

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

    fn write_path(&self, out: &mut String) -> Result<(), Error> {
        out.push_str(PHONE_NUMBERS);
        out.push_str("/v1");
        push_segment(out, self.phone_id.checked()?);
        Ok(())
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

    fn write_path(&self, out: &mut String) -> Result<(), Error> {
        out.push_str(PHONE_NUMBERS);
        out.push_str("/v1");
        push_segment(out, self.phone_id.checked()?);
        out.push_str("/delete/verify");
        Ok(())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&OtcBody {
            otc_token: self.otc_token.expose_secret(),
            code: self.code.expose_secret(),
        })
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

    fn write_path(&self, out: &mut String) -> Result<(), Error> {
        out.push_str(PHONE_NUMBERS);
        out.push_str("/v2");
        Ok(())
    }

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

    fn write_path(&self, out: &mut String) -> Result<(), Error> {
        out.push_str(PHONE_NUMBERS);
        out.push_str("/v1/vendor");
        push_segment(out, self.user_id.checked()?);
        Ok(())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        json_body(&PhoneBody {
            phone_number: self.phone_number.as_str(),
            verify: None,
        })
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

    fn write_path(&self, out: &mut String) -> Result<(), Error> {
        out.push_str(PHONE_NUMBERS);
        out.push_str("/v1/vendor");
        push_segment(out, self.user_id.checked()?);
        push_segment(out, self.phone_id.checked()?);
        Ok(())
    }

    fn parse_success(&self, _response: Response<Vec<u8>>) -> Result<(), Error> {
        Ok(())
    }
}

/// Builds the transport error a client reports when a transport fails,
/// tagged with the route.
#[must_use]
pub fn tag_transport_error(route: Route, error: TransportError) -> Error {
    Error::Transport(error.with_route(route))
}

/// Whether a transport error left the request unsent for sure.
#[must_use]
pub fn never_sent(error: &TransportError) -> bool {
    !error.may_have_been_sent && error.kind == TransportErrorKind::Connect
}
