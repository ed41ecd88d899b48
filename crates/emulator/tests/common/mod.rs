//! Helpers shared by the integration tests: a plain HTTP client, no SDK.
#![allow(dead_code, missing_docs, clippy::unwrap_used)]

use frontegg_identity_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

pub const PHONES: &str = "/identity/resources/users/phone-numbers";

pub struct Env {
    pub emu: Emulator,
    pub http: reqwest::Client,
}

impl Env {
    pub async fn new() -> Self {
        Self::with(EmulatorConfig::default()).await
    }

    pub async fn with(config: EmulatorConfig) -> Self {
        let emu = Emulator::start(config).await.unwrap();
        Self {
            emu,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.emu.base_url(), path)
    }

    pub fn phones(&self, suffix: &str) -> String {
        format!("{}{PHONES}{suffix}", self.emu.base_url())
    }

    pub fn user(&self, id: &str) -> String {
        self.emu.mint_user_token(id, Some("tenant-1"))
    }

    pub async fn vendor_token(&self) -> String {
        let (client_id, secret) = self.emu.vendor_credentials();
        let res = self
            .http
            .post(self.url("/auth/vendor"))
            .json(&json!({"clientId": client_id, "secret": secret}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    pub async fn post(&self, suffix: &str, token: &str, body: Value) -> reqwest::Response {
        self.http
            .post(self.phones(suffix))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, suffix: &str, token: &str) -> reqwest::Response {
        self.http
            .get(self.phones(suffix))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn delete(&self, suffix: &str, token: &str) -> reqwest::Response {
        self.http
            .delete(self.phones(suffix))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// Assigns with verify and returns the otcToken.
    pub async fn assign(&self, token: &str, phone: &str) -> String {
        let res = self.post("/v1", token, json!({"phoneNumber": phone})).await;
        assert_eq!(res.status(), 201);
        let body: Value = res.json().await.unwrap();
        body["otcToken"].as_str().unwrap().to_owned()
    }

    pub async fn verify(&self, token: &str, otc: &str, code: &str) -> reqwest::Response {
        self.post("/v1/verify", token, json!({"otcToken": otc, "code": code}))
            .await
    }

    pub async fn mine(&self, token: &str) -> Vec<Value> {
        let res = self.get("/v1/me", token).await;
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }
}

/// Asserts a Frontegg-shaped error and returns its errorCode.
pub async fn expect_error(res: reqwest::Response, status: u16) -> String {
    assert_eq!(res.status().as_u16(), status, "unexpected status");
    assert!(
        res.headers().contains_key("frontegg-trace-id"),
        "missing trace id"
    );
    let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("application/json"), "content-type {ct}");
    let body: Value = res.json().await.unwrap();
    assert!(
        body["errors"]
            .as_array()
            .is_some_and(|e| !e.is_empty() && e[0].is_string()),
        "{body}"
    );
    body["errorCode"].as_str().unwrap().to_owned()
}

/// A JWT with `alg: none`.
pub fn unsigned_jwt(payload: &Value) -> String {
    use base64::Engine as _;
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.",
        e.encode(br#"{"alg":"none","typ":"JWT"}"#),
        e.encode(payload.to_string())
    )
}
