//! Routes 19 and 20: passwordless sign-in by SMS, the flow held by a cookie.

use std::time::Duration;

use http::header::{COOKIE, SET_COOKIE};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde::Deserialize;
use serde_json::json;

use super::Entry;
use crate::accounts::{IdKind, mfa_required, signed_in};
use crate::app::Shared;
use crate::pipeline::{Ctx, endpoint};
use crate::state::{Answer, ApiError, State, codes};
use crate::types::Route;

type Res = Result<Answer, ApiError>;

/// The cookie that names a passwordless flow (set by 19, read by 20).
const FLOW_COOKIE: &str = "fe_passwordless_flow";
/// The refresh cookie set by 20.
const REFRESH_COOKIE: &str = "fe_refresh_emulator";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PreloginBody {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    phone_number: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct PostloginBody {
    token: String,
}

/// The first identifier given (in the order of the spec), or 400.
pub(crate) fn first_identifier(ids: [(IdKind, Option<&str>); 4]) -> Result<(IdKind, &str), ApiError> {
    ids.into_iter()
        .find_map(|(kind, v)| v.filter(|v| !v.is_empty()).map(|v| (kind, v)))
        .ok_or_else(missing_identifier)
}

pub(crate) fn missing_identifier() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        codes::MISSING_IDENTIFIER,
        "An identifier is required",
    )
}

fn set_cookie(a: &mut Answer, name: &str, value: &str, max_age: Duration) {
    let cookie = format!(
        "{name}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax",
        max_age.as_secs()
    );
    if let Ok(v) = HeaderValue::try_from(cookie) {
        a.headers.push((SET_COOKIE, v));
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn start_sms_login(app: &Shared, st: &mut State, _: &Ctx, b: PreloginBody) -> Res {
    let (kind, value) = first_identifier([
        (IdKind::Email, b.email.as_deref()),
        (IdKind::UserId, b.user_id.as_deref()),
        (IdKind::Username, b.username.as_deref()),
        (IdKind::PhoneNumber, b.phone_number.as_deref()),
    ])?;
    let (flow, masked) = st.start_passwordless(&app.config, kind, value)?;
    let mut a = Answer::json(StatusCode::CREATED, &json!({ "phoneNumber": masked }));
    set_cookie(&mut a, FLOW_COOKIE, &flow, app.config.otc_ttl);
    Ok(a)
}

fn finish_sms_login(app: &Shared, st: &mut State, c: &Ctx, b: PostloginBody) -> Res {
    let user = st.finish_passwordless(&app.config, cookie(&c.headers, FLOW_COOKIE), &b.token)?;
    if st.mfa_enrolled(&user) {
        return Ok(Answer::json(
            StatusCode::CREATED,
            &mfa_required(&app.config, st, &user)?,
        ));
    }
    let body = signed_in(app, st, &user, None);
    let mut a = Answer::json(StatusCode::CREATED, &body);
    if let Some(refresh) = body["refreshToken"].as_str() {
        set_cookie(&mut a, REFRESH_COOKIE, refresh, app.config.user_token_ttl);
    }
    set_cookie(&mut a, FLOW_COOKIE, "", Duration::ZERO);
    Ok(a)
}

const PASSWORDLESS: &str = "/identity/resources/auth/v1/passwordless/smscode";

pub(crate) fn routes() -> Vec<Entry> {
    vec![
        (
            format!("{PASSWORDLESS}/prelogin"),
            endpoint(Route::StartSmsLogin, Method::POST, start_sms_login),
        ),
        (
            format!("{PASSWORDLESS}/postlogin"),
            endpoint(Route::FinishSmsLogin, Method::POST, finish_sms_login),
        ),
    ]
}
