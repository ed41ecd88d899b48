//! Routes 23 to 31 (SMS configuration and templates) over real HTTP.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Env, expect_error};
use frontegg_identity_emulator::EmulatorConfig;
use serde_json::{Value, json};

const SMS: &str = "/identity/resources/configurations/v1/sms";

async fn send(
    env: &Env,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = env.http.request(method, env.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

async fn ok(res: reqwest::Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status);
    let bytes = res.bytes().await.unwrap();
    if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    }
}

use reqwest::Method as M;

#[tokio::test]
async fn sms_configuration_one_or_none_token_never_answered() {
    let env = Env::new().await;
    let v = env.vendor_token().await;
    let res = send(&env, M::GET, SMS, &v, None).await;
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-SMS-CONFIG-NOT-FOUND");
    let config = json!({"senderName": "Acme", "accountId": "AC1", "token": "provider-secret-1", "serviceId": "MG1", "provider": "twilio", "channel": "sms", "extra": 1});
    let b = ok(send(&env, M::POST, SMS, &v, Some(config)).await, 201).await;
    assert_eq!(
        b,
        json!({"senderName": "Acme", "accountId": "AC1", "serviceId": "MG1", "provider": "twilio", "channel": "sms"})
    );
    assert_eq!(ok(send(&env, M::GET, SMS, &v, None).await, 200).await, b);
    let b = ok(
        send(
            &env,
            M::POST,
            SMS,
            &v,
            Some(json!({"senderName": "Other", "token": "provider-secret-2"})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(b, json!({"senderName": "Other"}));
    let text = send(&env, M::GET, SMS, &v, None).await.text().await.unwrap();
    assert_eq!(text, r#"{"senderName":"Other"}"#);
    assert_eq!(
        ok(send(&env, M::DELETE, SMS, &v, None).await, 200).await,
        Value::Null
    );
    assert_eq!(
        ok(send(&env, M::DELETE, SMS, &v, None).await, 200).await,
        Value::Null
    );
    let res = send(&env, M::GET, SMS, &v, None).await;
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-SMS-CONFIG-NOT-FOUND");
    // Bad input: a field of the wrong type, not an object.
    for body in [json!({"token": 1}), json!([]), json!("x")] {
        let res = send(&env, M::POST, SMS, &v, Some(body)).await;
        assert_eq!(expect_error(res, 400).await, "ER-00001");
    }
    // The log holds no provider token.
    let log = env
        .http
        .get(env.url("/_emulator/requests"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!log.contains("provider-secret"), "{log}");
    for name in ["get_sms_config", "set_sms_config", "delete_sms_config"] {
        assert!(log.contains(&format!("\"{name}\"")), "{name}: {log}");
    }
}

#[tokio::test]
async fn custom_templates_by_type() {
    let env = Env::new().await;
    let v = env.vendor_token().await;
    assert_eq!(
        ok(
            send(&env, M::GET, &format!("{SMS}/templates"), &v, None).await,
            200
        )
        .await,
        json!([])
    );
    let res = send(&env, M::GET, &format!("{SMS}/templates/mfa_login"), &v, None).await;
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-SMS-TEMPLATE-NOT-FOUND");
    let b = ok(
        send(
            &env,
            M::POST,
            &format!("{SMS}/templates/mfa_login"),
            &v,
            Some(json!({"body": "Code: {{code}}", "type": "ignored", "senderName": "Acme"})),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(
        b,
        json!({"body": "Code: {{code}}", "type": "mfa_login", "senderName": "Acme"})
    );
    let b2 = ok(
        send(
            &env,
            M::POST,
            &format!("{SMS}/templates/mfa_login"),
            &v,
            Some(json!({"body": "New {{code}}"})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(b2, json!({"body": "New {{code}}", "type": "mfa_login"}));
    // Any non-empty type, percent-decoded.
    let b3 = ok(
        send(
            &env,
            M::POST,
            &format!("{SMS}/templates/My%20Type"),
            &v,
            Some(json!({})),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(b3, json!({"type": "My Type"}));
    assert_eq!(
        ok(
            send(&env, M::GET, &format!("{SMS}/templates/mfa_login"), &v, None).await,
            200
        )
        .await,
        b2
    );
    assert_eq!(
        ok(
            send(&env, M::GET, &format!("{SMS}/templates"), &v, None).await,
            200
        )
        .await,
        json!([b3, b2])
    );
    assert_eq!(
        ok(
            send(&env, M::DELETE, &format!("{SMS}/templates/mfa_login"), &v, None).await,
            200
        )
        .await,
        Value::Null
    );
    assert_eq!(
        ok(
            send(&env, M::DELETE, &format!("{SMS}/templates/mfa_login"), &v, None).await,
            200
        )
        .await,
        Value::Null
    );
    let res = send(&env, M::GET, &format!("{SMS}/templates/mfa_login"), &v, None).await;
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-SMS-TEMPLATE-NOT-FOUND");
    for body in [json!([]), json!("x"), json!(1)] {
        let res = send(&env, M::POST, &format!("{SMS}/templates/t"), &v, Some(body)).await;
        assert_eq!(expect_error(res, 400).await, "ER-00001");
    }
    let long = "x".repeat(257);
    let res = send(
        &env,
        M::POST,
        &format!("{SMS}/templates/{long}"),
        &v,
        Some(json!({})),
    )
    .await;
    assert_eq!(expect_error(res, 400).await, "ER-00001");
}

#[tokio::test]
async fn built_in_defaults_one_per_purpose() {
    let env = Env::new().await;
    let v = env.vendor_token().await;
    let all = ok(
        send(&env, M::GET, &format!("{SMS}/templates/default/all"), &v, None).await,
        200,
    )
    .await;
    let types: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["type"].as_str().unwrap())
        .collect();
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
            "password_reset"
        ]
    );
    for t in all.as_array().unwrap() {
        assert_eq!(t["body"], "Your code is {{code}}");
        let path = format!("{SMS}/templates/{}/default", t["type"].as_str().unwrap());
        assert_eq!(&ok(send(&env, M::GET, &path, &v, None).await, 200).await, t);
    }
    for unknown in ["OTC", "default", "all"] {
        let res = send(
            &env,
            M::GET,
            &format!("{SMS}/templates/{unknown}/default"),
            &v,
            None,
        )
        .await;
        assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-SMS-TEMPLATE-NOT-FOUND");
    }
    // A custom template named "default" does not hide default/all.
    ok(
        send(
            &env,
            M::POST,
            &format!("{SMS}/templates/default"),
            &v,
            Some(json!({"body": "b"})),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(
        ok(
            send(&env, M::GET, &format!("{SMS}/templates/default/all"), &v, None).await,
            200
        )
        .await,
        all
    );
    assert_eq!(
        ok(
            send(&env, M::GET, &format!("{SMS}/templates/default"), &v, None).await,
            200
        )
        .await["body"],
        "b"
    );
    // Defaults do not change with custom templates, nor the other way round.
    ok(
        send(
            &env,
            M::POST,
            &format!("{SMS}/templates/assign"),
            &v,
            Some(json!({"body": "mine"})),
        )
        .await,
        201,
    )
    .await;
    let d = ok(
        send(&env, M::GET, &format!("{SMS}/templates/assign/default"), &v, None).await,
        200,
    )
    .await;
    assert_eq!(d["body"], "Your code is {{code}}");
}

#[tokio::test]
async fn templates_are_bounded_in_number_and_size() {
    let env = Env::with(
        EmulatorConfig::default()
            .with_max_sms_templates(2)
            .with_max_sms_template_bytes(100),
    )
    .await;
    let v = env.vendor_token().await;
    for t in ["a", "b"] {
        ok(
            send(
                &env,
                M::POST,
                &format!("{SMS}/templates/{t}"),
                &v,
                Some(json!({"body": t})),
            )
            .await,
            201,
        )
        .await;
    }
    let res = send(
        &env,
        M::POST,
        &format!("{SMS}/templates/c"),
        &v,
        Some(json!({"body": "c"})),
    )
    .await;
    assert_eq!(expect_error(res, 507).await, "ER-EMULATOR-STORAGE-FULL");
    // Replacing stays possible; too large is refused.
    ok(
        send(
            &env,
            M::POST,
            &format!("{SMS}/templates/a"),
            &v,
            Some(json!({"body": "again"})),
        )
        .await,
        200,
    )
    .await;
    let res = send(
        &env,
        M::POST,
        &format!("{SMS}/templates/a"),
        &v,
        Some(json!({"body": "x".repeat(200)})),
    )
    .await;
    assert_eq!(expect_error(res, 413).await, "ER-00413");
    ok(
        send(&env, M::DELETE, &format!("{SMS}/templates/b"), &v, None).await,
        200,
    )
    .await;
    ok(
        send(
            &env,
            M::POST,
            &format!("{SMS}/templates/c"),
            &v,
            Some(json!({"body": "c"})),
        )
        .await,
        201,
    )
    .await;
}

#[tokio::test]
async fn vendor_token_only() {
    let env = Env::new().await;
    let t = env.user("u1");
    let cases = [
        (M::GET, SMS.to_owned()),
        (M::POST, SMS.to_owned()),
        (M::DELETE, SMS.to_owned()),
        (M::GET, format!("{SMS}/templates")),
        (M::GET, format!("{SMS}/templates/x")),
        (M::POST, format!("{SMS}/templates/x")),
        (M::DELETE, format!("{SMS}/templates/x")),
        (M::GET, format!("{SMS}/templates/x/default")),
        (M::GET, format!("{SMS}/templates/default/all")),
    ];
    for (method, path) in cases {
        let body = (method == M::POST).then(|| json!({}));
        let res = send(&env, method.clone(), &path, &t, body.clone()).await;
        assert_eq!(expect_error(res, 403).await, "ER-01003", "{method} {path}");
        let res = send(&env, method.clone(), &path, "not-a-token", body).await;
        assert_eq!(expect_error(res, 401).await, "ER-01001", "{method} {path}");
    }
    let log = env.emu.requests();
    let names: Vec<&str> = log.iter().step_by(2).map(|e| e.route.as_str()).collect();
    assert_eq!(
        names,
        [
            "get_sms_config",
            "set_sms_config",
            "delete_sms_config",
            "sms_templates",
            "sms_template",
            "set_sms_template",
            "delete_sms_template",
            "default_sms_template",
            "default_sms_templates"
        ]
    );
}
