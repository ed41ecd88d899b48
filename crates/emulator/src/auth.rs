//! Caller authentication: who is calling, and whether that caller may call
//! the route. Also the vendor-authentication route itself.

use http::{HeaderMap, StatusCode};
use serde::Deserialize;

use crate::app::Shared;
use crate::jwt;
use crate::pipeline::Ctx;
use crate::state::{Answer, ApiError, State, codes};
use crate::types::Route;

/// Who is calling.
pub(crate) enum Caller {
    /// No credentials (public routes, or a login step without `Authorization`).
    Anonymous,
    /// A user: from a user JWT's `sub`, or named by `frontegg-user-id` under a
    /// vendor token (`by_vendor`).
    User { id: String, by_vendor: bool },
    /// The vendor, on a vendor-only route.
    Vendor,
}

impl Caller {
    /// The calling user, or 401.
    pub(crate) fn user(&self) -> Result<&str, ApiError> {
        match self {
            Caller::User { id, .. } => Ok(id),
            _ => Err(ApiError::unauthorized()),
        }
    }
}

/// What a route accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AuthKind {
    /// No credentials; `Authorization` is ignored.
    Public,
    /// A user JWT, or a vendor token plus `frontegg-user-id`.
    User,
    /// As `User` when `Authorization` is present, else anonymous (login steps).
    UserOrAnonymous,
    /// A vendor token only; a user JWT gets 403.
    Vendor,
}

fn auth_kind(route: Route) -> AuthKind {
    use Route::*;
    match route {
        VendorAuth | SendSmsCode | VerifySmsCode | StartSmsLogin | FinishSmsLogin | StartSmsReset
        | VerifySmsReset => AuthKind::Public,
        StartSmsEnrollment | FinishSmsEnrollment => AuthKind::UserOrAnonymous,
        List | ListV1 | VendorAdd | VendorDelete | GetSmsConfig | SetSmsConfig | DeleteSmsConfig
        | SmsTemplates | SmsTemplate | SetSmsTemplate | DeleteSmsTemplate | DefaultSmsTemplate
        | DefaultSmsTemplates => AuthKind::Vendor,
        Assign | Preverify | Verify | ListMine | StartDelete | ConfirmDelete | EnrollSms
        | VerifySmsEnrollment | StartSmsDisable | ConfirmSmsDisable | MfaDevices => AuthKind::User,
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = v.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The header Frontegg's own SDKs send the vendor token in.
const ACCESS_TOKEN_HEADER: &str = "x-access-token";

/// Whether the request carries credentials at all.
fn has_credentials(headers: &HeaderMap) -> bool {
    headers.contains_key(http::header::AUTHORIZATION) || headers.contains_key(ACCESS_TOKEN_HEADER)
}

/// The token: `Authorization: Bearer`, else `x-access-token` (as Frontegg's
/// SDKs send it).
fn token(headers: &HeaderMap) -> Option<&str> {
    if headers.contains_key(http::header::AUTHORIZATION) {
        return bearer(headers);
    }
    header_str(headers, ACCESS_TOKEN_HEADER)
}

/// A header's value, trimmed; `None` when missing, empty or not visible ASCII.
pub(crate) fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

pub(crate) fn authenticate(app: &Shared, route: Route, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let kind = auth_kind(route);
    if kind == AuthKind::Public || (kind == AuthKind::UserOrAnonymous && !has_credentials(headers)) {
        return Ok(Caller::Anonymous);
    }
    let token = token(headers).ok_or_else(ApiError::unauthorized)?;
    let parsed = jwt::parse(app.signer(), token).ok_or_else(ApiError::unauthorized)?;
    if parsed.claims.expired() {
        return Err(ApiError::unauthorized());
    }
    let trusted = parsed.signed_by_us || app.config.accept_unsigned_jwt;
    let is_vendor = parsed.signed_by_us && parsed.claims.kind.as_deref() == Some("vendor");
    if kind == AuthKind::Vendor {
        return if is_vendor {
            Ok(Caller::Vendor)
        } else if trusted && parsed.claims.sub.is_some() {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                codes::FORBIDDEN,
                "A vendor token is required",
            ))
        } else {
            Err(ApiError::unauthorized())
        };
    }
    if is_vendor {
        return match header_str(headers, "frontegg-user-id") {
            Some(user) => Ok(Caller::User {
                id: user.to_owned(),
                by_vendor: true,
            }),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                codes::UNAUTHORIZED,
                "frontegg-user-id header is required with a vendor token",
            )),
        };
    }
    if !trusted {
        return Err(ApiError::unauthorized());
    }
    match parsed.claims.sub {
        Some(sub) if !sub.is_empty() => Ok(Caller::User {
            id: sub,
            by_vendor: false,
        }),
        _ => Err(ApiError::unauthorized()),
    }
}

/// Checks that the request carries a valid vendor token (routes outside the
/// pipeline: the vendor configuration).
pub(crate) fn require_vendor(app: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    authenticate(app, Route::GetSmsConfig, headers).map(drop)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VendorCreds {
    client_id: String,
    secret: String,
}

/// `POST /auth/vendor`.
pub(crate) fn vendor_auth(app: &Shared, _: &mut State, _: &Ctx, b: VendorCreds) -> Result<Answer, ApiError> {
    if b.client_id == app.config.client_id && b.secret == app.config.secret {
        Ok(Answer::json(
            StatusCode::OK,
            &serde_json::json!({
                "token": app.mint_vendor_token(),
                "expiresIn": app.config.vendor_token_ttl.as_secs(),
            }),
        ))
    } else {
        Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::BAD_CREDENTIALS,
            "Invalid authentication",
        ))
    }
}
