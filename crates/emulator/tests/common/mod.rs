//! Helpers shared by the integration tests: a plain HTTP client, no SDK.
#![allow(dead_code, missing_docs, clippy::unwrap_used)]

use frontegg_identity_emulator::{Emulator, EmulatorConfig, Route};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

pub const PHONES: &str = "/identity/resources/users/phone-numbers";
pub const VENDOR_AUTH: &str = "/auth/vendor";
pub const FAULTS: &str = "/_emulator/faults";

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

    /// `POST /auth/vendor` with these credentials.
    pub async fn vendor_auth(&self, client_id: &str, secret: &str) -> reqwest::Response {
        let body = json!({"clientId": client_id, "secret": secret});
        self.post_json(VENDOR_AUTH, body).send().await
    }

    /// A vendor token, from the emulator's own credentials.
    pub async fn vendor_token(&self) -> String {
        let (client_id, secret) = self.emu.vendor_credentials();
        let res = self.vendor_auth(&client_id, &secret).await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// A request to the phone-number routes (`suffix` follows `PHONES`) with `token`.
    pub fn phone_req(&self, method: Method, suffix: &str, token: &str) -> Req {
        self.req(method, &format!("{PHONES}{suffix}")).auth(token)
    }

    pub async fn post(&self, suffix: &str, token: &str, body: Value) -> reqwest::Response {
        self.phone_req(Method::POST, suffix, token)
            .json(body)
            .send()
            .await
    }

    pub async fn get(&self, suffix: &str, token: &str) -> reqwest::Response {
        self.phone_req(Method::GET, suffix, token).send().await
    }

    pub async fn delete(&self, suffix: &str, token: &str) -> reqwest::Response {
        self.phone_req(Method::DELETE, suffix, token).send().await
    }

    /// Scripts a fault through `POST /_emulator/faults`; asserts it is accepted.
    pub async fn post_fault(&self, fault: Value) {
        let res = self.post_json(FAULTS, fault).send().await;
        assert!(res.status().is_success(), "fault refused: {}", res.status());
    }

    /// The request log from `GET /_emulator/requests`: its text and its entries.
    pub async fn request_log(&self) -> (String, Vec<Value>) {
        let text = self
            .req(Method::GET, "/_emulator/requests")
            .send()
            .await
            .text()
            .await
            .unwrap();
        let log = serde_json::from_str(&text).unwrap();
        (text, log)
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

    /// Sends and parses the JSON body, whatever the status.
    pub async fn parse<T: DeserializeOwned>(self) -> T {
        self.send().await.json().await.unwrap()
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

    /// Sends, asserts a Frontegg-shaped error with `status` and `code`.
    pub async fn fails(self, status: u16, code: &str) {
        assert_eq!(self.err(status).await, code, "errorCode");
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

/// Asserts that the request log names `expected` (route names separated by
/// whitespace), in order, and that each is a name of [`Route`].
pub fn assert_routes(log: &[Value], expected: &str) {
    let routes: Vec<&str> = log.iter().map(|e| e["route"].as_str().unwrap()).collect();
    let expected: Vec<&str> = expected.split_whitespace().collect();
    assert_eq!(routes, expected, "routes of the request log");
    for name in expected {
        assert!(name.parse::<Route>().is_ok(), "{name} is not a route name");
    }
}
