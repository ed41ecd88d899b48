//! Success responses conform to Frontegg's OpenAPI schemas.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::Env;
use serde_json::{Value, json};

const PHONE: &str = "+14155550100";

fn load(name: &str) -> Value {
    let path = format!("{}/tests/openapi/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Validates `instance` against the success schema of `method path`.
fn check(doc: &Value, path: &str, method: &str, status: &str, instance: Option<&Value>) {
    let response = &doc["paths"][path][method]["responses"][status];
    assert!(response.is_object(), "no {method} {path} {status} in the spec");
    match response["content"]["application/json"]["schema"].as_object() {
        Some(schema) => {
            let mut root = Value::Object(schema.clone());
            root["components"] = doc["components"].clone();
            let validator = jsonschema::validator_for(&root).unwrap();
            let instance = instance.unwrap_or_else(|| panic!("{method} {path}: empty body, schema expected"));
            let errors: Vec<String> = validator.iter_errors(instance).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{method} {path}: {errors:?}\n{instance}");
        }
        None => assert!(
            instance.is_none(),
            "{method} {path}: body where the spec has none"
        ),
    }
}

async fn body(res: reqwest::Response, status: u16) -> Option<Value> {
    assert_eq!(res.status().as_u16(), status);
    let bytes = res.bytes().await.unwrap();
    (!bytes.is_empty()).then(|| serde_json::from_slice(&bytes).unwrap())
}

fn otc_token(v: &Option<Value>) -> String {
    let token = v.as_ref().unwrap()["otcToken"].as_str().unwrap().to_owned();
    assert!(!token.is_empty());
    token
}

#[tokio::test]
async fn every_route_matches_the_spec() {
    let identity = load("identity-phone-numbers.openapi.json");
    let vendor = load("vendor-auth.openapi.json");
    let base = "/resources/users/phone-numbers";
    let env = Env::new().await;
    let t = env.user("u1");

    let (client_id, secret) = env.emu.vendor_credentials();
    let res = env
        .http
        .post(env.url("/auth/vendor"))
        .json(&json!({"clientId": client_id, "secret": secret}))
        .send()
        .await
        .unwrap();
    let b = body(res, 200).await;
    check(&vendor, "/", "post", "200", b.as_ref());
    let v = b.unwrap()["token"].as_str().unwrap().to_owned();

    let b = body(env.post("/v1", &t, json!({"phoneNumber": PHONE})).await, 201).await;
    check(&identity, &format!("{base}/v1"), "post", "201", b.as_ref());
    let otc = otc_token(&b);

    let b = body(
        env.verify(&t, &otc, &env.emu.last_code(PHONE).unwrap()).await,
        200,
    )
    .await;
    check(&identity, &format!("{base}/v1/verify"), "post", "200", b.as_ref());

    let b = body(
        env.post("/v1", &t, json!({"phoneNumber": "+14155550101", "verify": false}))
            .await,
        201,
    )
    .await;
    check(&identity, &format!("{base}/v1"), "post", "201", b.as_ref());

    let b = body(
        env.post("/v1/preverify", &t, json!({"phoneNumber": "+14155550102"}))
            .await,
        200,
    )
    .await;
    check(
        &identity,
        &format!("{base}/v1/preverify"),
        "post",
        "200",
        b.as_ref(),
    );
    otc_token(&b);

    let b = body(env.get("/v1/me", &t).await, 200).await;
    check(&identity, &format!("{base}/v1/me"), "get", "200", b.as_ref());
    let id = b.unwrap()[0]["id"].as_str().unwrap().to_owned();

    let b = body(env.delete(&format!("/v1/{id}"), &t).await, 200).await;
    check(
        &identity,
        &format!("{base}/v1/{{id}}"),
        "delete",
        "200",
        b.as_ref(),
    );
    let del = otc_token(&b);
    assert_eq!(b.unwrap()["phoneId"], id.as_str());

    let b = body(
        env.post(
            &format!("/v1/{id}/delete/verify"),
            &t,
            json!({"otcToken": del, "code": env.emu.last_code(PHONE).unwrap()}),
        )
        .await,
        200,
    )
    .await;
    check(
        &identity,
        &format!("{base}/v1/{{id}}/delete/verify"),
        "post",
        "200",
        b.as_ref(),
    );

    let b = body(
        env.post("/v1/vendor/u2", &v, json!({"phoneNumber": PHONE})).await,
        201,
    )
    .await;
    check(
        &identity,
        &format!("{base}/v1/vendor/{{userId}}"),
        "post",
        "201",
        b.as_ref(),
    );

    let b = body(env.get("/v2?_limit=1", &v).await, 200).await;
    check(&identity, &format!("{base}/v2"), "get", "200", b.as_ref());
    let b = body(env.get("/v1", &v).await, 200).await;
    check(&identity, &format!("{base}/v1"), "get", "200", b.as_ref());
    let items = b.unwrap()["items"].clone();
    let u2 = items
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["userId"] == "u2")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let b = body(env.delete(&format!("/v1/vendor/u2/{u2}"), &v).await, 200).await;
    check(
        &identity,
        &format!("{base}/v1/vendor/{{userId}}/{{phoneId}}"),
        "delete",
        "200",
        b.as_ref(),
    );

    // The schemas are really enforced.
    let schema = {
        let mut root = identity["paths"][format!("{base}/v1/me")]["get"]["responses"]["200"]["content"]["application/json"]["schema"].clone();
        root["components"] = identity["components"].clone();
        root
    };
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(!validator.is_valid(&json!([{"id": "x"}])));
}

/// As [`check`], for answers the contract decides where Frontegg's OpenAPI
/// is silent or differs ([D] in the spec): a body is allowed where the spec
/// has none (15, 16), and a bare array (26, 31) is checked item by item.
fn check_decided(doc: &Value, path: &str, method: &str, status: &str, instance: Option<&Value>) {
    let response = &doc["paths"][path][method]["responses"][status];
    assert!(response.is_object(), "no {method} {path} {status} in the spec");
    let has_schema = response["content"]["application/json"]["schema"].is_object();
    match instance {
        Some(Value::Array(items)) if has_schema => {
            for item in items {
                check(doc, path, method, status, Some(item));
            }
        }
        Some(_) if !has_schema => {}
        _ => check(doc, path, method, status, instance),
    }
}

/// Validates `instance` against the component schema `name`.
fn check_component(doc: &Value, name: &str, instance: &Value) {
    let mut root = json!({"$ref": format!("#/components/schemas/{name}")});
    root["components"] = doc["components"].clone();
    let validator = jsonschema::validator_for(&root).unwrap();
    let errors: Vec<String> = validator.iter_errors(instance).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{name}: {errors:?}\n{instance}");
}

#[tokio::test]
async fn every_sms_route_matches_the_spec() {
    let doc = load("identity-sms.openapi.json");
    let env = Env::new().await;
    let t = env.user("u1");
    let v = env.vendor_token().await;
    let as_u1 = [("frontegg-user-id", "u1"), ("frontegg-tenant-id", "tenant-1")];
    let post = |path: &str, token: Option<&str>, headers: &[(&str, &str)], body: Value| {
        let mut req = env.http.post(env.url(&format!("/identity{path}"))).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send()
    };
    let send = |method: reqwest::Method, path: &str, token: &str| {
        env.http
            .request(method, env.url(&format!("/identity{path}")))
            .bearer_auth(token)
            .send()
    };
    let auth = "/resources/auth/v1/user/mfa/sms";
    let users = "/resources/users/v1/mfa/sms";

    // 11, 12
    let b = body(
        post(
            &format!("{auth}/enroll"),
            Some(&t),
            &[],
            json!({"phoneNumber": PHONE}),
        )
        .await
        .unwrap(),
        201,
    )
    .await;
    check(&doc, &format!("{auth}/enroll"), "post", "201", b.as_ref());
    let code = env.emu.last_code(PHONE).unwrap();
    let b = body(
        post(
            &format!("{auth}/enroll/verify"),
            Some(&t),
            &[],
            json!({"otcToken": otc_token(&b), "code": code}),
        )
        .await
        .unwrap(),
        201,
    )
    .await;
    check(&doc, &format!("{auth}/enroll/verify"), "post", "201", b.as_ref());

    // 32 (not in Frontegg's OpenAPI): the schema of mfaDevices.
    let b = body(
        send(reqwest::Method::GET, "/resources/users/v1/mfa/devices", &t)
            .await
            .unwrap(),
        200,
    )
    .await
    .unwrap();
    check_component(&doc, "UserMFADevicesResponse", &b);
    let device = b["phones"][0]["id"].as_str().unwrap().to_owned();

    // 13, 14
    let m: Value = env
        .http
        .post(env.url("/_emulator/mfa-tokens"))
        .json(&json!({"userId": "u1"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    check_component(&doc, "UserMFADevicesResponse", &m["mfaDevices"]);
    let mfa = m["mfaToken"].as_str().unwrap().to_owned();
    let b = body(
        post(&format!("{auth}/{device}"), None, &[], json!({"mfaToken": mfa}))
            .await
            .unwrap(),
        201,
    )
    .await;
    check(&doc, &format!("{auth}/{{deviceId}}"), "post", "201", b.as_ref());
    let code = env.emu.last_code(PHONE).unwrap();
    let verify = json!({"otcToken": otc_token(&b), "code": code, "mfaToken": mfa, "rememberDevice": true});
    let b = body(
        post(&format!("{auth}/{device}/verify"), None, &[], verify)
            .await
            .unwrap(),
        201,
    )
    .await;
    check(
        &doc,
        &format!("{auth}/{{deviceId}}/verify"),
        "post",
        "201",
        b.as_ref(),
    );

    // 15, 16 (bodies decided by the contract), 17, 18
    let b = body(
        post(
            &format!("{users}/enroll"),
            Some(&v),
            &as_u1,
            json!({"phoneNumber": "+14155550101"}),
        )
        .await
        .unwrap(),
        200,
    )
    .await;
    check_decided(&doc, &format!("{users}/enroll"), "post", "200", b.as_ref());
    let code = env.emu.last_code("+14155550101").unwrap();
    let b = body(
        post(
            &format!("{users}/enroll/verify"),
            Some(&v),
            &as_u1,
            json!({"otcToken": otc_token(&b), "code": code}),
        )
        .await
        .unwrap(),
        200,
    )
    .await;
    check_decided(&doc, &format!("{users}/enroll/verify"), "post", "200", b.as_ref());
    let b = body(
        post(&format!("{users}/{device}/disable"), Some(&v), &as_u1, json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    check(
        &doc,
        &format!("{users}/{{deviceId}}/disable"),
        "post",
        "200",
        b.as_ref(),
    );
    let code = env.emu.last_code(PHONE).unwrap();
    let b = body(
        post(
            &format!("{users}/{device}/disable/verify"),
            Some(&v),
            &as_u1,
            json!({"otcToken": otc_token(&b), "code": code}),
        )
        .await
        .unwrap(),
        200,
    )
    .await;
    check(
        &doc,
        &format!("{users}/{{deviceId}}/disable/verify"),
        "post",
        "200",
        b.as_ref(),
    );

    // 19, 20 for a user without MFA.
    env.emu.create_user("u2", Some("b@example.com"), None).unwrap();
    assert_eq!(
        env.post("/v1/vendor/u2", &v, json!({"phoneNumber": "+14155550102"}))
            .await
            .status(),
        201
    );
    let pre = "/resources/auth/v1/passwordless/smscode";
    let res = post(
        &format!("{pre}/prelogin"),
        None,
        &[],
        json!({"email": "b@example.com"}),
    )
    .await
    .unwrap();
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let b = body(res, 201).await;
    check(&doc, &format!("{pre}/prelogin"), "post", "201", b.as_ref());
    let code = env.emu.last_code("+14155550102").unwrap();
    let b = body(
        post(
            &format!("{pre}/postlogin"),
            None,
            &[("cookie", &cookie)],
            json!({"token": code}),
        )
        .await
        .unwrap(),
        201,
    )
    .await;
    check(&doc, &format!("{pre}/postlogin"), "post", "201", b.as_ref());

    // 21, 22
    let reset = "/resources/users/v2/passwords/reset/sms";
    let b = body(
        post(
            reset,
            None,
            &[],
            json!({"identifier": "b@example.com", "identifierType": "email"}),
        )
        .await
        .unwrap(),
        200,
    )
    .await;
    check(&doc, reset, "post", "200", b.as_ref());
    let session = b.unwrap()["sessionId"].as_str().unwrap().to_owned();
    let code = env.emu.last_code("+14155550102").unwrap();
    let b = body(
        post(
            &format!("{reset}/verify"),
            None,
            &[],
            json!({"otcToken": code, "sessionId": session}),
        )
        .await
        .unwrap(),
        200,
    )
    .await;
    check(&doc, &format!("{reset}/verify"), "post", "200", b.as_ref());

    // 23 to 31
    let sms = "/resources/configurations/v1/sms";
    let b = body(
        post(
            sms,
            Some(&v),
            &[],
            json!({"senderName": "Acme", "token": "secret"}),
        )
        .await
        .unwrap(),
        201,
    )
    .await;
    check(&doc, sms, "post", "201", b.as_ref());
    let b = body(
        post(sms, Some(&v), &[], json!({"senderName": "Acme"}))
            .await
            .unwrap(),
        200,
    )
    .await;
    check(&doc, sms, "post", "200", b.as_ref());
    let b = body(send(reqwest::Method::GET, sms, &v).await.unwrap(), 200).await;
    check(&doc, sms, "get", "200", b.as_ref());
    let b = body(send(reqwest::Method::DELETE, sms, &v).await.unwrap(), 200).await;
    check(&doc, sms, "delete", "200", b.as_ref());
    let one = format!("{sms}/templates/{{type}}");
    let b = body(
        post(
            &format!("{sms}/templates/mfa_login"),
            Some(&v),
            &[],
            json!({"body": "x"}),
        )
        .await
        .unwrap(),
        201,
    )
    .await;
    check(&doc, &one, "post", "201", b.as_ref());
    let b = body(
        post(
            &format!("{sms}/templates/mfa_login"),
            Some(&v),
            &[],
            json!({"body": "y"}),
        )
        .await
        .unwrap(),
        200,
    )
    .await;
    check(&doc, &one, "post", "200", b.as_ref());
    let b = body(
        send(reqwest::Method::GET, &format!("{sms}/templates/mfa_login"), &v)
            .await
            .unwrap(),
        200,
    )
    .await;
    check(&doc, &one, "get", "200", b.as_ref());
    let b = body(
        send(reqwest::Method::GET, &format!("{sms}/templates"), &v)
            .await
            .unwrap(),
        200,
    )
    .await;
    check_decided(&doc, &format!("{sms}/templates"), "get", "200", b.as_ref());
    let b = body(
        send(
            reqwest::Method::GET,
            &format!("{sms}/templates/mfa_login/default"),
            &v,
        )
        .await
        .unwrap(),
        200,
    )
    .await;
    check(&doc, &format!("{one}/default"), "get", "200", b.as_ref());
    let b = body(
        send(reqwest::Method::GET, &format!("{sms}/templates/default/all"), &v)
            .await
            .unwrap(),
        200,
    )
    .await;
    check_decided(
        &doc,
        &format!("{sms}/templates/default/all"),
        "get",
        "200",
        b.as_ref(),
    );
    let b = body(
        send(reqwest::Method::DELETE, &format!("{sms}/templates/mfa_login"), &v)
            .await
            .unwrap(),
        200,
    )
    .await;
    check(&doc, &one, "delete", "200", b.as_ref());

    // The authentication response's schema is really enforced.
    let mut root = doc["components"]["schemas"]["AuthenticationResponseDto"].clone();
    root["components"] = doc["components"].clone();
    assert!(
        !jsonschema::validator_for(&root)
            .unwrap()
            .is_valid(&json!({"mfaRequired": false}))
    );
}
