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
