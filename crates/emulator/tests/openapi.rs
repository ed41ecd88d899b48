//! Success responses conform to Frontegg's OpenAPI schemas.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Env, Req, s};
use reqwest::Method;
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
    let b = body(env.vendor_auth(&client_id, &secret).await, 200).await;
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

/// Sends `req`, expects `status`, and checks its body against the spec's
/// `method path status` ([`check_decided`] where the contract decides).
async fn conforms(doc: &Value, req: Req, method: &str, path: &str, status: u16, decided: bool) -> Value {
    let b = req.ok(status).await;
    let instance = (!b.is_null()).then_some(&b);
    let status = status.to_string();
    if decided {
        check_decided(doc, path, method, &status, instance);
    } else {
        check(doc, path, method, &status, instance);
    }
    b
}

#[tokio::test]
async fn every_sms_route_matches_the_spec() {
    let doc = load("identity-sms.openapi.json");
    let doc = &doc;
    let env = Env::new().await;
    let t = env.user("u1");
    let v = env.vendor_token().await;
    let as_u1: &[(&str, &str)] = &[("frontegg-user-id", "u1"), ("frontegg-tenant-id", "tenant-1")];
    let post = |path: &str, body: Value| env.post_json(&format!("/identity{path}"), body);
    let req = |method: Method, path: &str| env.req(method, &format!("/identity{path}")).auth(&v);
    let (auth, users) = ("/resources/auth/v1/user/mfa/sms", "/resources/users/v1/mfa/sms");
    let last = |phone: &str| env.emu.last_code(phone).unwrap();

    // 11, 12
    let (enroll, enroll_verify) = (format!("{auth}/enroll"), format!("{auth}/enroll/verify"));
    let r = post(&enroll, json!({"phoneNumber": PHONE})).auth(&t);
    let b = conforms(doc, r, "post", &enroll, 201, false).await;
    let r = post(
        &enroll_verify,
        json!({"otcToken": s(&b, "otcToken"), "code": last(PHONE)}),
    )
    .auth(&t);
    conforms(doc, r, "post", &enroll_verify, 201, false).await;

    // 32 (not in Frontegg's OpenAPI): the schema of mfaDevices.
    let b = env
        .req(Method::GET, "/identity/resources/users/v1/mfa/devices")
        .auth(&t)
        .ok(200)
        .await;
    check_component(doc, "UserMFADevicesResponse", &b);
    let device = s(&b["phones"][0], "id");

    // 13, 14
    let m = env
        .post_json("/_emulator/mfa-tokens", json!({"userId": "u1"}))
        .ok(200)
        .await;
    check_component(doc, "UserMFADevicesResponse", &m["mfaDevices"]);
    let mfa = s(&m, "mfaToken");
    let r = post(&format!("{auth}/{device}"), json!({"mfaToken": mfa}));
    let b = conforms(doc, r, "post", &format!("{auth}/{{deviceId}}"), 201, false).await;
    let verify =
        json!({"otcToken": s(&b, "otcToken"), "code": last(PHONE), "mfaToken": mfa, "rememberDevice": true});
    let r = post(&format!("{auth}/{device}/verify"), verify);
    conforms(doc, r, "post", &format!("{auth}/{{deviceId}}/verify"), 201, false).await;

    // 15, 16 (bodies decided by the contract), 17, 18
    let (venroll, venroll_verify) = (format!("{users}/enroll"), format!("{users}/enroll/verify"));
    let r = post(&venroll, json!({"phoneNumber": "+14155550101"}))
        .auth(&v)
        .headers(as_u1);
    let b = conforms(doc, r, "post", &venroll, 200, true).await;
    let otc = json!({"otcToken": s(&b, "otcToken"), "code": last("+14155550101")});
    let r = post(&venroll_verify, otc).auth(&v).headers(as_u1);
    conforms(doc, r, "post", &venroll_verify, 200, true).await;
    let r = post(&format!("{users}/{device}/disable"), json!({}))
        .auth(&v)
        .headers(as_u1);
    let b = conforms(
        doc,
        r,
        "post",
        &format!("{users}/{{deviceId}}/disable"),
        200,
        false,
    )
    .await;
    let otc = json!({"otcToken": s(&b, "otcToken"), "code": last(PHONE)});
    let r = post(&format!("{users}/{device}/disable/verify"), otc)
        .auth(&v)
        .headers(as_u1);
    conforms(
        doc,
        r,
        "post",
        &format!("{users}/{{deviceId}}/disable/verify"),
        200,
        false,
    )
    .await;

    // 19, 20 for a user without MFA.
    env.emu.create_user("u2", Some("b@example.com"), None).unwrap();
    assert_eq!(
        env.post("/v1/vendor/u2", &v, json!({"phoneNumber": "+14155550102"}))
            .await
            .status(),
        201
    );
    let (pre, post_) = (
        "/resources/auth/v1/passwordless/smscode/prelogin",
        "/resources/auth/v1/passwordless/smscode/postlogin",
    );
    let res = post(pre, json!({"email": "b@example.com"})).send().await;
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let b = body(res, 201).await;
    check(doc, pre, "post", "201", b.as_ref());
    let r = post(post_, json!({"token": last("+14155550102")})).headers(&[("cookie", &cookie)]);
    conforms(doc, r, "post", post_, 201, false).await;

    // 21, 22
    let (reset, reset_verify) = (
        "/resources/users/v2/passwords/reset/sms",
        "/resources/users/v2/passwords/reset/sms/verify",
    );
    let r = post(
        reset,
        json!({"identifier": "b@example.com", "identifierType": "email"}),
    );
    let b = conforms(doc, r, "post", reset, 200, false).await;
    let r = post(
        reset_verify,
        json!({"otcToken": last("+14155550102"), "sessionId": s(&b, "sessionId")}),
    );
    conforms(doc, r, "post", reset_verify, 200, false).await;

    // 23 to 31
    let sms = "/resources/configurations/v1/sms";
    let r = post(sms, json!({"senderName": "Acme", "token": "secret"})).auth(&v);
    conforms(doc, r, "post", sms, 201, false).await;
    conforms(
        doc,
        post(sms, json!({"senderName": "Acme"})).auth(&v),
        "post",
        sms,
        200,
        false,
    )
    .await;
    conforms(doc, req(Method::GET, sms), "get", sms, 200, false).await;
    conforms(doc, req(Method::DELETE, sms), "delete", sms, 200, false).await;
    let (one, mine) = (
        format!("{sms}/templates/{{type}}"),
        format!("{sms}/templates/mfa_login"),
    );
    for (body, status) in [("x", 201), ("y", 200)] {
        let r = post(&mine, json!({ "body": body })).auth(&v);
        conforms(doc, r, "post", &one, status, false).await;
    }
    conforms(doc, req(Method::GET, &mine), "get", &one, 200, false).await;
    let all = format!("{sms}/templates");
    conforms(doc, req(Method::GET, &all), "get", &all, 200, true).await;
    let r = req(Method::GET, &format!("{mine}/default"));
    conforms(doc, r, "get", &format!("{one}/default"), 200, false).await;
    let defaults = format!("{sms}/templates/default/all");
    conforms(doc, req(Method::GET, &defaults), "get", &defaults, 200, true).await;
    conforms(doc, req(Method::DELETE, &mine), "delete", &one, 200, false).await;

    // The authentication response's schema is really enforced.
    let mut root = doc["components"]["schemas"]["AuthenticationResponseDto"].clone();
    root["components"] = doc["components"].clone();
    assert!(
        !jsonschema::validator_for(&root)
            .unwrap()
            .is_valid(&json!({"mfaRequired": false}))
    );
}
