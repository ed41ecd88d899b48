//! The emulator-only API under `/_emulator/` (no authentication, not logged).

use axum::Router;
use axum::body::Body;
use axum::extract::State as AxState;
use axum::response::Response;
use axum::routing::{get, post};
use http::{HeaderMap, Uri};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::app::App;
use crate::config::EmulatorConfig;
use crate::faults::FaultRequest;
use crate::pipeline::{error_response, json_ok, read_json, respond};
use crate::seed::SeedUser;
use crate::state::{Answer, ApiError, State};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenRequest {
    user_id: String,
    #[serde(default)]
    tenant_id: Option<String>,
    /// Extra claims, overriding the defaults.
    #[serde(default)]
    claims: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MfaTokenRequest {
    user_id: String,
}

/// Runs `logic` on a JSON body, under the state lock.
async fn call<B: DeserializeOwned>(
    app: &App,
    headers: &HeaderMap,
    body: Body,
    logic: impl FnOnce(&EmulatorConfig, &mut State, B) -> Result<Answer, ApiError>,
) -> Response {
    let result = match read_json::<B>(app.config.max_body_bytes, headers, false, body).await {
        Ok(b) => logic(&app.config, &mut app.state.lock(), b),
        Err(e) => Err(e),
    };
    match result {
        Ok(a) => respond(a.status, a.body),
        Err(e) => error_response(&e),
    }
}

async fn users(AxState(app): AxState<App>, headers: HeaderMap, body: Body) -> Response {
    call(&app, &headers, body, |cfg, st, r: SeedUser| {
        st.create_user(cfg, r)
    })
    .await
}

async fn state(AxState(app): AxState<App>) -> Response {
    json_ok(&app.state.lock().export())
}

async fn mfa_tokens(AxState(app): AxState<App>, headers: HeaderMap, body: Body) -> Response {
    call(&app, &headers, body, |cfg, st, r: MfaTokenRequest| {
        st.mfa_token_answer(cfg, &r.user_id)
    })
    .await
}

async fn tokens(AxState(app): AxState<App>, headers: HeaderMap, body: Body) -> Response {
    match read_json::<TokenRequest>(app.config.max_body_bytes, &headers, false, body).await {
        Ok(r) if r.user_id.is_empty() => error_response(&ApiError::validation("userId must not be empty")),
        Ok(r) => {
            let st = app.state.lock();
            let token = app.mint_user_token(&st, &r.user_id, r.tenant_id.as_deref(), r.claims.as_ref());
            json_ok(&serde_json::json!({ "accessToken": token }))
        }
        Err(e) => error_response(&e),
    }
}

/// A `+` in a query decodes to a space: put it back.
pub(crate) fn fix_plus(v: &str) -> String {
    let v = v.trim();
    if v.starts_with('+') {
        v.to_owned()
    } else {
        format!("+{v}")
    }
}

async fn sms(AxState(app): AxState<App>, uri: Uri) -> Response {
    let phone = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "phoneNumber")
        .map(|(_, v)| fix_plus(&v));
    json_ok(&app.sms(phone.as_deref()))
}

async fn add_fault(AxState(app): AxState<App>, headers: HeaderMap, body: Body) -> Response {
    let spec = read_json::<FaultRequest>(app.config.max_body_bytes, &headers, false, body)
        .await
        .and_then(|r| r.into_spec().map_err(|e| ApiError::validation(e.to_string())));
    match spec {
        Ok(spec) => {
            app.inject_fault(spec);
            json_ok(&serde_json::json!({}))
        }
        Err(e) => error_response(&e),
    }
}

async fn clear_faults(AxState(app): AxState<App>) -> Response {
    app.clear_faults();
    json_ok(&serde_json::json!({}))
}

async fn requests(AxState(app): AxState<App>) -> Response {
    json_ok(&app.requests())
}

async fn reset(AxState(app): AxState<App>) -> Response {
    app.reset();
    json_ok(&serde_json::json!({}))
}

async fn health() -> Response {
    json_ok(&serde_json::json!({ "status": "ok" }))
}

/// The `/_emulator/*` routes.
pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/_emulator/tokens", post(tokens))
        .route("/_emulator/sms", get(sms))
        .route("/_emulator/users", post(users))
        .route("/_emulator/mfa-tokens", post(mfa_tokens))
        .route("/_emulator/faults", post(add_fault).delete(clear_faults))
        .route("/_emulator/requests", get(requests))
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/health", get(health))
        .route("/_emulator/state", get(state))
}
