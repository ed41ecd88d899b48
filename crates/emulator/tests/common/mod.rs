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

/// A request being built: `env.req(Method::POST, path).auth(t).json(body).ok(201)`.
pub struct Req(reqwest::RequestBuilder);

impl Env {
    /// A request to `path` (from the gateway root).
    pub fn req(&self, method: reqwest::Method, path: &str) -> Req {
        Req(self.http.request(method, self.url(path)))
    }

    /// A POST of `body` to `path`.
    pub fn post_json(&self, path: &str, body: Value) -> Req {
        self.req(reqwest::Method::POST, path).json(body)
    }
}

impl Req {
    pub fn auth(self, token: &str) -> Self {
        Self(self.0.bearer_auth(token))
    }

    pub fn headers(self, headers: &[(&str, &str)]) -> Self {
        Self(headers.iter().fold(self.0, |r, (k, v)| r.header(*k, *v)))
    }

    pub fn json(self, body: Value) -> Self {
        Self(self.0.json(&body))
    }

    pub async fn send(self) -> reqwest::Response {
        self.0.send().await.unwrap()
    }

    /// Sends, asserts `status`, and returns the JSON body (`Null` when empty).
    pub async fn ok(self, status: u16) -> Value {
        let res = self.send().await;
        assert_eq!(res.status().as_u16(), status, "unexpected status");
        let bytes = res.bytes().await.unwrap();
        if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap()
        }
    }

    /// Sends, asserts a Frontegg-shaped error with `status`, returns its errorCode.
    pub async fn err(self, status: u16) -> String {
        expect_error(self.send().await, status).await
    }
}

/// `v[key]` as a string (panics when missing).
pub fn s(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
        .to_owned()
}

/// A code that is not `code`.
pub fn wrong(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}
