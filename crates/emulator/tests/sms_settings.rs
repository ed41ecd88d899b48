//! Routes 23 to 31 (SMS configuration and templates) over real HTTP.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Env, Req};
use frontegg_identity_emulator::EmulatorConfig;
use reqwest::Method;
use serde_json::{Value, json};

const SMS: &str = "/identity/resources/configurations/v1/sms";

/// The vendor's requests to the settings routes; `suffix` follows `SMS`.
struct Vendor<'a> {
    env: &'a Env,
    token: String,
}

impl Vendor<'_> {
    async fn new(env: &Env) -> Vendor<'_> {
        Vendor {
            token: env.vendor_token().await,
            env,
        }
    }

    fn req(&self, method: Method, suffix: &str, body: Option<Value>) -> Req {
        let req = self.env.req(method, &format!("{SMS}{suffix}")).auth(&self.token);
        match body {
            Some(b) => req.json(b),
            None => req,
        }
    }

    fn get(&self, suffix: &str) -> Req {
        self.req(Method::GET, suffix, None)
    }

    fn post(&self, suffix: &str, body: Value) -> Req {
        self.req(Method::POST, suffix, Some(body))
    }

    fn delete(&self, suffix: &str) -> Req {
        self.req(Method::DELETE, suffix, None)
    }
}

#[tokio::test]
async fn sms_configuration_one_or_none_token_never_answered() {
    let env = Env::new().await;
    let v = Vendor::new(&env).await;
    v.get("").fails(404, "ER-EMULATOR-SMS-CONFIG-NOT-FOUND").await;
    let config = json!({"senderName": "Acme", "accountId": "AC1", "token": "provider-secret-1",
        "serviceId": "MG1", "provider": "twilio", "channel": "sms", "extra": 1});
    let b = v.post("", config).ok(201).await;
    let expected = json!({"senderName": "Acme", "accountId": "AC1", "serviceId": "MG1", "provider": "twilio", "channel": "sms"});
    assert_eq!(b, expected);
    assert_eq!(v.get("").ok(200).await, b);
    let b = v
        .post("", json!({"senderName": "Other", "token": "provider-secret-2"}))
        .ok(200)
        .await;
    assert_eq!(b, json!({"senderName": "Other"}));
    let text = v.get("").send().await.text().await.unwrap();
    assert_eq!(text, r#"{"senderName":"Other"}"#);
    for _ in 0..2 {
        assert_eq!(v.delete("").ok(200).await, Value::Null);
    }
    v.get("").fails(404, "ER-EMULATOR-SMS-CONFIG-NOT-FOUND").await;
    // Bad input: a field of the wrong type, not an object.
    for body in [json!({"token": 1}), json!([]), json!("x")] {
        v.post("", body).fails(400, "ER-EMULATOR-VALIDATION").await;
    }
    // The log holds no provider token.
    let (log, _) = env.request_log().await;
    assert!(!log.contains("provider-secret"), "{log}");
    for name in ["get_sms_config", "set_sms_config", "delete_sms_config"] {
        assert!(log.contains(&format!("\"{name}\"")), "{name}: {log}");
    }
}

#[tokio::test]
async fn custom_templates_by_type() {
    let env = Env::new().await;
    let v = Vendor::new(&env).await;
    assert_eq!(v.get("/templates").ok(200).await, json!([]));
    v.get("/templates/mfa_login")
        .fails(404, "ER-EMULATOR-SMS-TEMPLATE-NOT-FOUND")
        .await;
    let body = json!({"body": "Code: {{code}}", "type": "ignored", "senderName": "Acme"});
    let b = v.post("/templates/mfa_login", body).ok(201).await;
    assert_eq!(
        b,
        json!({"body": "Code: {{code}}", "type": "mfa_login", "senderName": "Acme"})
    );
    let b2 = v
        .post("/templates/mfa_login", json!({"body": "New {{code}}"}))
        .ok(200)
        .await;
    assert_eq!(b2, json!({"body": "New {{code}}", "type": "mfa_login"}));
    // Any non-empty type, percent-decoded.
    let b3 = v.post("/templates/My%20Type", json!({})).ok(201).await;
    assert_eq!(b3, json!({"type": "My Type"}));
    assert_eq!(v.get("/templates/mfa_login").ok(200).await, b2);
    assert_eq!(v.get("/templates").ok(200).await, json!([b3, b2]));
    for _ in 0..2 {
        assert_eq!(v.delete("/templates/mfa_login").ok(200).await, Value::Null);
    }
    v.get("/templates/mfa_login")
        .fails(404, "ER-EMULATOR-SMS-TEMPLATE-NOT-FOUND")
        .await;
    for body in [json!([]), json!("x"), json!(1)] {
        v.post("/templates/t", body)
            .fails(400, "ER-EMULATOR-VALIDATION")
            .await;
    }
    let long = format!("/templates/{}", "x".repeat(257));
    v.post(&long, json!({}))
        .fails(400, "ER-EMULATOR-VALIDATION")
        .await;
}

#[tokio::test]
async fn built_in_defaults_one_per_purpose() {
    let env = Env::new().await;
    let v = Vendor::new(&env).await;
    let all = v.get("/templates/default/all").ok(200).await;
    let all = all.as_array().unwrap().clone();
    let types: Vec<&str> = all.iter().map(|t| t["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "assign",
            "preverify",
            "delete",
            "mfa_enroll",
            "mfa_login",
            "mfa_disable",
            "passwordless",
            "password_reset",
        ]
    );
    for t in &all {
        assert_eq!(t["body"], "Your code is {{code}}");
        let path = format!("/templates/{}/default", t["type"].as_str().unwrap());
        assert_eq!(&v.get(&path).ok(200).await, t);
    }
    for unknown in ["OTC", "default", "all"] {
        let code = v.get(&format!("/templates/{unknown}/default")).err(404).await;
        assert_eq!(code, "ER-EMULATOR-SMS-TEMPLATE-NOT-FOUND");
    }
    // A custom template named "default" does not hide default/all.
    v.post("/templates/default", json!({"body": "b"})).ok(201).await;
    assert_eq!(v.get("/templates/default/all").ok(200).await, json!(all));
    assert_eq!(v.get("/templates/default").ok(200).await["body"], "b");
    // Defaults do not change with custom templates.
    v.post("/templates/assign", json!({"body": "mine"})).ok(201).await;
    let d = v.get("/templates/assign/default").ok(200).await;
    assert_eq!(d["body"], "Your code is {{code}}");
}

#[tokio::test]
async fn templates_are_bounded_in_number_and_size() {
    let config = EmulatorConfig::default()
        .with_max_sms_templates(2)
        .with_max_sms_template_bytes(100);
    let env = Env::with(config).await;
    let v = Vendor::new(&env).await;
    for t in ["a", "b"] {
        v.post(&format!("/templates/{t}"), json!({"body": t}))
            .ok(201)
            .await;
    }
    v.post("/templates/c", json!({"body": "c"}))
        .fails(507, "ER-EMULATOR-STORAGE-FULL")
        .await;
    // Replacing stays possible; too large is refused.
    v.post("/templates/a", json!({"body": "again"})).ok(200).await;
    let big = json!({"body": "x".repeat(200)});
    v.post("/templates/a", big)
        .fails(413, "ER-EMULATOR-PAYLOAD-TOO-LARGE")
        .await;
    v.delete("/templates/b").ok(200).await;
    v.post("/templates/c", json!({"body": "c"})).ok(201).await;
}

#[tokio::test]
async fn vendor_token_only() {
    let env = Env::new().await;
    let t = env.user("u1");
    let cases = [
        (Method::GET, "", "get_sms_config"),
        (Method::POST, "", "set_sms_config"),
        (Method::DELETE, "", "delete_sms_config"),
        (Method::GET, "/templates", "sms_templates"),
        (Method::GET, "/templates/x", "sms_template"),
        (Method::POST, "/templates/x", "set_sms_template"),
        (Method::DELETE, "/templates/x", "delete_sms_template"),
        (Method::GET, "/templates/x/default", "default_sms_template"),
        (Method::GET, "/templates/default/all", "default_sms_templates"),
    ];
    for (method, suffix, name) in cases {
        for (token, status, code) in [
            (t.as_str(), 403, "ER-EMULATOR-FORBIDDEN"),
            ("not-a-token", 401, "ER-EMULATOR-UNAUTHORIZED"),
        ] {
            let mut req = env.req(method.clone(), &format!("{SMS}{suffix}")).auth(token);
            if method == Method::POST {
                req = req.json(json!({}));
            }
            assert_eq!(req.err(status).await, code, "{method} {suffix}");
            assert_eq!(env.emu.requests().pop().unwrap().route, name);
        }
    }
}
