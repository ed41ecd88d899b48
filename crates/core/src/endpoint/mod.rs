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
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response, StatusCode};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, Error, InvalidInput, TransportError, TransportErrorKind};
use crate::ids::UserId;
pub use crate::route::{AuthScheme, Route};
use crate::route::{TemplatePart, template_parts};

mod mfa;
mod phone;
mod signin;
mod sms_settings;

pub use mfa::{
    ConfirmSmsDisable, EnrollSms, FinishSmsEnrollment, ListMfaDevices, SendSmsCode, StartSmsDisable,
    StartSmsEnrollment, VerifySmsCode, VerifySmsEnrollment,
};
pub use phone::{
    Assign, ConfirmDelete, List, ListMine, Preverify, StartDelete, VendorAdd, VendorAuth, VendorDelete,
    VendorTokenGrant, Verify,
};
pub use signin::{FinishSmsLogin, StartSmsLogin, StartSmsReset, VerifySmsReset};
pub use sms_settings::{
    DefaultSmsTemplate, DefaultSmsTemplates, DeleteSmsConfig, DeleteSmsTemplate, GetSmsConfig,
    GetSmsTemplate, SetSmsConfig, SetSmsTemplate, SmsTemplates,
};

/// Declares endpoints, each once: its struct as written (with `Debug`,
/// `Clone` and `Copy` derived), then a line that names its route and output
/// and says which of the recurring `Endpoint` methods it takes, then any
/// method of its own, written out.
///
/// ```text
/// /// Route 3: ...
/// pub struct Verify<'a> {              // or `pub struct ListMine;`
///     /// The token ...
///     pub otc_token: &'a OtcToken,
///     ...
/// }
/// Route::Verify -> () {                // the route and `Endpoint::Output`
///     path: field;                     // the one path parameter: `self.field`, checked
///     user: field;                     // acts on the user `self.field`
///     login_step: field;               // no credentials when `self.field` (an `mfaToken`) is set
///     body: |e| CodeBody::new(..);     // the JSON body, made from the endpoint `e`
///     not_found: value;                // a 404 answers `value`
///     parse: parser;                   // a success is `parser(Self::ROUTE, &response)`
///     fn parse_success(...) -> ... {}  // any other method, in full
/// }
/// ```
///
/// The keys are optional but keep this order; `parse_success` is given
/// either by `parse:` or in full.
macro_rules! endpoints {
    () => {};
    (
        @impl [$($ty:tt)*] $route:ident -> $output:ty {
            $(path: $path:ident;)?
            $(user: $user:ident;)?
            $(login_step: $step:ident;)?
            $(body: $body:expr;)?
            $(not_found: $not_found:expr;)?
            $(parse: $parse:ident;)?
            $(fn $method:ident $params:tt -> $ret:ty $block:block)*
        }
    ) => {
        impl $crate::endpoint::Endpoint for $($ty)* {
            type Output = $output;
            const ROUTE: $crate::route::Route = $crate::route::Route::$route;
            $(
                fn path_param(&self, _name: &str) -> Result<&str, $crate::error::Error> {
                    self.$path.checked()
                }
            )?
            $(
                fn user_id(&self) -> Option<&$crate::ids::UserId> {
                    Some(self.$user)
                }
            )?
            $(
                fn auth(&self) -> $crate::route::AuthScheme {
                    $crate::endpoint::step_auth(self.$step, Self::ROUTE)
                }
            )?
            $(
                fn body(&self) -> Result<Option<Vec<u8>>, $crate::error::Error> {
                    $crate::endpoint::json_body_of(self, $body)
                }
            )?
            $(
                fn not_found(&self) -> Option<$output> {
                    Some($not_found)
                }
            )?
            $(
                fn parse_success(
                    &self,
                    response: ::http::Response<Vec<u8>>,
                ) -> Result<$output, $crate::error::Error> {
                    $parse(Self::ROUTE, &response)
                }
            )?
            $(fn $method $params -> $ret $block)*
        }
    };
    (
        $(#[$attr:meta])*
        pub struct $name:ident;
        Route::$route:ident -> $output:ty { $($spec:tt)* }
        $($rest:tt)*
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        $crate::endpoint::endpoints!(@impl [$name] $route -> $output { $($spec)* });
        $crate::endpoint::endpoints!($($rest)*);
    };
    (
        $(#[$attr:meta])*
        pub struct $name:ident<'a> { $($fields:tt)* }
        Route::$route:ident -> $output:ty { $($spec:tt)* }
        $($rest:tt)*
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> { $($fields)* }

        $crate::endpoint::endpoints!(@impl [$name<'_>] $route -> $output { $($spec)* });
        $crate::endpoint::endpoints!($($rest)*);
    };
}
pub(crate) use endpoints;

/// Everything but RFC 3986 unreserved characters is percent-encoded, so an id
/// always stays one path segment and a value one query parameter.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The `frontegg-tenant-id` header.
pub static TENANT_ID_HEADER: HeaderName = HeaderName::from_static("frontegg-tenant-id");
/// The `frontegg-user-id` header.
pub static USER_ID_HEADER: HeaderName = HeaderName::from_static("frontegg-user-id");
static JSON: HeaderValue = HeaderValue::from_static("application/json");

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
    /// `frontegg-vendor-host`, the environment's login domain, for the
    /// sign-in routes that ask for it.
    pub vendor_host: Option<&'a HeaderValue>,
    /// Whether the call authenticates with a vendor token (which needs
    /// `frontegg-user-id` to act on a user).
    pub vendor: bool,
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
            vendor_host: None,
            vendor: false,
        }
    }
}

/// One call of the API, as pure functions: the route (from the route table),
/// the values of its path template, its query, body and extra headers, and
/// how its answer is parsed.
pub trait Endpoint: Send + Sync {
    /// What a success answer holds.
    type Output: Send + 'static;
    /// The route.
    const ROUTE: Route;

    /// The value of the placeholder `{name}` of the route's path template,
    /// checked (it is percent-encoded into one path segment).
    fn path_param(&self, name: &str) -> Result<&str, Error> {
        Err(Error::Configuration(format!(
            "{} has no value for the path parameter {name}",
            Self::ROUTE
        )))
    }

    /// Appends the path (from the gateway root) to `out`: the route's
    /// template with its placeholders filled in.
    fn write_path(&self, out: &mut String) -> Result<(), Error> {
        for part in template_parts(Self::ROUTE.path()) {
            match part {
                TemplatePart::Literal(text) => out.push_str(text),
                TemplatePart::Param(name) => {
                    out.extend(utf8_percent_encode(self.path_param(name)?, COMPONENT))
                }
            }
        }
        Ok(())
    }

    /// Appends the query string, without `?`, to `out`.
    fn write_query(&self, _out: &mut String) -> Result<(), Error> {
        Ok(())
    }

    /// The JSON body, if the route has one.
    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        Ok(None)
    }

    /// The credentials this call takes: the route's, unless the call
    /// carries its own proof (a login-step `mfaToken`, say).
    fn auth(&self) -> AuthScheme {
        Self::ROUTE.auth()
    }

    /// The user this call acts on, when an argument names one: sent as
    /// `frontegg-user-id` with a vendor token, in place of the client's.
    fn user_id(&self) -> Option<&UserId> {
        None
    }

    /// What a 404 answer means, for the reads where it means "there is none".
    fn not_found(&self) -> Option<Self::Output> {
        None
    }

    /// Adds the call's own headers (a user or tenant named by an argument,
    /// the cookies of a sign-in flow) after the context's.
    fn headers(&self, _ctx: &RequestContext<'_>, _headers: &mut HeaderMap) -> Result<(), Error> {
        Ok(())
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
        match (self.user_id(), ctx.vendor) {
            (Some(user), true) => {
                let value = HeaderValue::from_str(user.checked()?)
                    .map_err(|_| InvalidInput::new("user id", "cannot be sent in a header"))?;
                headers.insert(USER_ID_HEADER.clone(), value);
            }
            _ => {
                if let Some(user) = ctx.user_id {
                    headers.insert(USER_ID_HEADER.clone(), user.clone());
                }
            }
        }
        self.headers(ctx, headers)?;
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

pub(crate) fn push_param(out: &mut String, name: &str, value: &str) {
    if !out.ends_with('?') {
        out.push('&');
    }
    out.push_str(name);
    out.push('=');
    out.extend(utf8_percent_encode(value, COMPONENT));
}

pub(crate) fn json_body<T: serde::Serialize>(value: &T) -> Result<Option<Vec<u8>>, Error> {
    let mut out = Vec::with_capacity(96);
    serde_json::to_writer(&mut out, value)
        .map_err(|_| Error::Configuration("a request body could not be serialised".into()))?;
    Ok(Some(out))
}

/// The JSON body `body` makes from `endpoint` (the `body:` of `endpoints!`).
pub(crate) fn json_body_of<'a, E, B: serde::Serialize>(
    endpoint: &'a E,
    body: impl FnOnce(&'a E) -> B,
) -> Result<Option<Vec<u8>>, Error> {
    json_body(&body(endpoint))
}

pub(crate) fn decode<T: DeserializeOwned>(route: Route, response: &Response<Vec<u8>>) -> Result<T, Error> {
    serde_json::from_slice(response.body())
        .map_err(|e| DecodeError::from_json(route, response.status(), response.headers(), &e).into())
}

pub(crate) fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// The parser of a success that carries nothing to read (its body is not
/// looked at).
pub(crate) fn nothing(_route: Route, _response: &Response<Vec<u8>>) -> Result<(), Error> {
    Ok(())
}

/// The credentials of a call that may be a login step: none when it carries
/// the sign-in's `mfaToken` (its proof), else the route's.
pub(crate) fn step_auth(mfa_token: Option<&crate::MfaToken>, route: Route) -> AuthScheme {
    if mfa_token.is_some() {
        AuthScheme::None
    } else {
        route.auth()
    }
}

/// `{"phoneNumber", "verify"?, "mfaToken"?}`: the body of every route that
/// takes a number (1, 2, 9, 11, 15).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PhoneBody<'a> {
    pub(crate) phone_number: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) verify: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) mfa_token: Option<&'a str>,
}

impl<'a> PhoneBody<'a> {
    pub(crate) fn new(phone_number: &'a crate::PhoneNumber) -> Self {
        Self {
            phone_number: phone_number.as_str(),
            verify: None,
            mfa_token: None,
        }
    }

    /// The body of a login step, proved by the sign-in's `mfaToken` (if any).
    pub(crate) fn login_step(self, mfa_token: Option<&'a crate::MfaToken>) -> Self {
        Self {
            mfa_token: mfa_token.map(crate::MfaToken::expose_secret),
            ..self
        }
    }
}

/// `{"otcToken", "code", "mfaToken"?, "rememberDevice"?}`: the body of every
/// route that confirms a code (3, 6, 12, 14, 16, 18).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CodeBody<'a> {
    pub(crate) otc_token: &'a str,
    pub(crate) code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) mfa_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) remember_device: Option<bool>,
}

impl<'a> CodeBody<'a> {
    pub(crate) fn new(otc_token: &'a crate::OtcToken, code: &'a crate::VerificationCode) -> Self {
        Self {
            otc_token: otc_token.expose_secret(),
            code: code.expose_secret(),
            mfa_token: None,
            remember_device: None,
        }
    }

    /// The body of a login step: the sign-in's `mfaToken` (if any), and
    /// whether to trust the device.
    pub(crate) fn login_step(
        self,
        mfa_token: Option<&'a crate::MfaToken>,
        remember_device: Option<bool>,
    ) -> Self {
        Self {
            mfa_token: mfa_token.map(crate::MfaToken::expose_secret),
            remember_device,
            ..self
        }
    }
}

/// The answer as a JSON object: an empty body is an empty object, so that
/// lenient readers can say what is missing.
pub(crate) fn object(
    route: Route,
    response: &Response<Vec<u8>>,
) -> Result<serde_json::Map<String, serde_json::Value>, Error> {
    if is_blank(response.body()) {
        return Ok(serde_json::Map::new());
    }
    decode(route, response)
}

/// A field the answer must have, or the decode error naming it.
pub(crate) fn required<T>(
    route: Route,
    response: &Response<Vec<u8>>,
    value: Option<T>,
    what: &'static str,
) -> Result<T, Error> {
    value.ok_or_else(|| DecodeError::missing(route, response.status(), response.headers(), what).into())
}

/// The `otcToken` an answer must carry (the SMS was sent).
pub(crate) fn otc_token(route: Route, response: &Response<Vec<u8>>) -> Result<crate::OtcToken, Error> {
    let token = crate::sms::text(&object(route, response)?, "otcToken").map(crate::OtcToken::from_server);
    required(route, response, token, "no otcToken")
}

/// An authentication answer (routes 12, 14, 20).
pub(crate) fn auth_result(route: Route, response: &Response<Vec<u8>>) -> Result<crate::AuthResult, Error> {
    let result = crate::AuthResult::from_json(&object(route, response)?);
    required(route, response, result, "neither an accessToken nor an mfaToken")
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
