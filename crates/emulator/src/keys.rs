//! Where Frontegg's SDKs find the key that signs user tokens: JWKS at
//! `GET /.well-known/jwks.json` (public) and `publicKey` (PEM) in the vendor
//! configuration, `GET /identity/resources/configurations/v1` (vendor token;
//! also with a trailing slash, as Frontegg's Python SDK calls it). Outside
//! the route pipeline: no faults, not in the request log.

use axum::Router;
use axum::extract::State as AxState;
use axum::response::Response;
use axum::routing::get;
use http::HeaderMap;

use crate::app::App;
use crate::auth::require_vendor;
use crate::pipeline::{error_response, json_ok};

async fn jwks(AxState(app): AxState<App>) -> Response {
    json_ok(&app.signer().jwks())
}

async fn vendor_config(AxState(app): AxState<App>, headers: HeaderMap) -> Response {
    match require_vendor(&app, &headers) {
        Ok(()) => json_ok(&serde_json::json!({
            "publicKey": app.signer().public_pem(),
            "kid": app.signer().kid(),
            "algorithm": "RS256",
        })),
        Err(e) => error_response(&e),
    }
}

/// The key routes.
pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/.well-known/jwks.json", get(jwks))
        .route("/identity/resources/configurations/v1", get(vendor_config))
        .route("/identity/resources/configurations/v1/", get(vendor_config))
}
