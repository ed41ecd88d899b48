//! Happy paths and main errors of every route.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Env, expect_error, unsigned_jwt};
use frontegg_identity_emulator::{EmulatorConfig, SmsPurpose};
use serde_json::{Value, json};

const PHONE: &str = "+14155550100";

#[tokio::test]
async fn vendor_auth_ok_and_bad_credentials() {
    let env = Env::new().await;
    let res = env.vendor_auth("emulator-client-id", "emulator-secret").await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert!(body["token"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(body["expiresIn"], 3600);

    let res = env.vendor_auth("emulator-client-id", "nope").await;
    assert_eq!(expect_error(res, 401).await, "ER-EMULATOR-INVALID-CREDENTIALS");
}

#[tokio::test]
async fn assign_with_verify_then_verify() {
    let env = Env::new().await;
    let t = env.user("u1");
    let otc = env.assign(&t, PHONE).await;
    assert!(otc.len() >= 32);
    let sms = env.emu.sms(Some(PHONE));
    assert_eq!(sms.len(), 1);
    assert_eq!(sms[0].purpose, SmsPurpose::Assign);
    assert_eq!(sms[0].otc_token, otc);
    assert_eq!(sms[0].code.len(), 6);
    assert!(sms[0].code.chars().all(|c| c.is_ascii_digit()));

    let mine = env.mine(&t).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["verified"], false);
    assert_eq!(mine[0]["phoneNumber"], PHONE);
    assert_eq!(mine[0]["userId"], "u1");
    assert!(mine[0]["createdAt"].as_str().unwrap().ends_with('Z'));

    let code = env.emu.last_code(PHONE).unwrap();
    let res = env.verify(&t, &otc, &code).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("frontegg-trace-id"));
    assert!(res.bytes().await.unwrap().is_empty());
    let mine = env.mine(&t).await;
    assert_eq!(mine[0]["verified"], true);

    // A token is used once.
    let res = env.verify(&t, &otc, &code).await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-OTC-TOKEN-INVALID");
    // Another user does not see it.
    assert!(env.mine(&env.user("u2")).await.is_empty());
}

#[tokio::test]
async fn assign_without_verify_and_preverify() {
    let env = Env::new().await;
    let t = env.user("u1");
    let res = env
        .post("/v1", &t, json!({"phoneNumber": PHONE, "verify": false}))
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({}));
    assert!(env.emu.sms(None).is_empty());
    assert_eq!(env.mine(&t).await[0]["verified"], false);

    // Pre-verify a second number, then assign it without verify: verified.
    let other = "+14155550101";
    let res = env.post("/v1/preverify", &t, json!({"phoneNumber": other})).await;
    assert_eq!(res.status(), 200);
    let otc = res.json::<Value>().await.unwrap()["otcToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(env.mine(&t).await.len(), 1, "preverify assigns nothing");
    let sms = env.emu.sms(Some(other));
    assert_eq!(sms[0].purpose, SmsPurpose::Preverify);
    assert_eq!(env.verify(&t, &otc, &sms[0].code).await.status(), 200);
    let res = env
        .post("/v1", &t, json!({"phoneNumber": other, "verify": false}))
        .await;
    assert_eq!(res.status(), 201);
    let mine = env.mine(&t).await;
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[1]["verified"], true);

    // Pre-verification by another user does not count.
    let u2 = env.user("u2");
    let res = env
        .post("/v1", &u2, json!({"phoneNumber": other, "verify": false}))
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(env.mine(&u2).await[0]["verified"], false);
}

#[tokio::test]
async fn duplicates_and_invalid_numbers() {
    let env = Env::new().await;
    let t = env.user("u1");
    env.assign(&t, PHONE).await;
    let res = env.post("/v1", &t, json!({"phoneNumber": PHONE})).await;
    assert_eq!(expect_error(res, 409).await, "ER-EMULATOR-PHONE-EXISTS");
    let res = env
        .post("/v1", &t, json!({"phoneNumber": PHONE, "verify": false}))
        .await;
    assert_eq!(expect_error(res, 409).await, "ER-EMULATOR-PHONE-EXISTS");
    // Another user may have the same number.
    env.assign(&env.user("u2"), PHONE).await;

    for bad in [
        "4155550100",
        "+0123456789",
        "+12345",
        "+1234567890123456",
        "+1415555O100",
        "",
    ] {
        let res = env.post("/v1", &t, json!({"phoneNumber": bad})).await;
        assert_eq!(
            expect_error(res, 400).await,
            "ER-EMULATOR-INVALID-PHONE-NUMBER",
            "{bad}"
        );
        let res = env.post("/v1/preverify", &t, json!({"phoneNumber": bad})).await;
        assert_eq!(
            expect_error(res, 400).await,
            "ER-EMULATOR-INVALID-PHONE-NUMBER",
            "{bad}"
        );
    }
    let v = env.vendor_token().await;
    let res = env.post("/v1/vendor/u1", &v, json!({"phoneNumber": PHONE})).await;
    assert_eq!(expect_error(res, 409).await, "ER-EMULATOR-PHONE-EXISTS");
    let res = env.post("/v1/vendor/u1", &v, json!({"phoneNumber": "12"})).await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-INVALID-PHONE-NUMBER");
}

/// Verifies `otc` with a code other than `code`, `times` times.
async fn wrong_codes(env: &Env, t: &str, otc: &str, code: &str, times: usize) {
    for _ in 0..times {
        let res = env.verify(t, otc, common::wrong(code)).await;
        assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-INVALID-CODE");
    }
}

#[tokio::test]
async fn wrong_code_and_burnt_token() {
    let env = Env::with(EmulatorConfig::default().with_max_attempts(3)).await;
    let t = env.user("u1");
    let otc = env.assign(&t, PHONE).await;
    let code = env.emu.last_code(PHONE).unwrap();
    // Two wrong, then right: works.
    wrong_codes(&env, &t, &otc, &code, 2).await;
    assert_eq!(env.verify(&t, &otc, &code).await.status(), 200);

    // Three wrong burn the token: the right code no longer works.
    let other = "+14155550102";
    let otc = env.assign(&t, other).await;
    let code = env.emu.last_code(other).unwrap();
    wrong_codes(&env, &t, &otc, &code, 3).await;
    assert_eq!(
        expect_error(env.verify(&t, &otc, &code).await, 400).await,
        "ER-EMULATOR-OTC-TOKEN-INVALID"
    );
    assert_eq!(env.mine(&t).await[1]["verified"], false);
}

#[tokio::test]
async fn expired_and_unknown_tokens() {
    let env = Env::with(EmulatorConfig::default().with_otc_ttl(Duration::from_millis(200))).await;
    let t = env.user("u1");
    let otc = env.assign(&t, PHONE).await;
    let code = env.emu.last_code(PHONE).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        expect_error(env.verify(&t, &otc, &code).await, 400).await,
        "ER-EMULATOR-OTC-TOKEN-INVALID"
    );
    let res = env
        .verify(&t, "no-such-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "123456")
        .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-OTC-TOKEN-INVALID");
    // Another user's token is unknown to this user.
    let t2 = env.user("u2");
    let otc2 = env.assign(&t2, PHONE).await;
    let code2 = env.emu.last_code(PHONE).unwrap();
    assert_eq!(
        expect_error(env.verify(&t, &otc2, &code2).await, 400).await,
        "ER-EMULATOR-OTC-TOKEN-INVALID"
    );
    assert_eq!(env.verify(&t2, &otc2, &code2).await.status(), 200);
}

#[tokio::test]
async fn delete_flow() {
    let env = Env::new().await;
    let t = env.user("u1");
    let otc = env.assign(&t, PHONE).await;
    env.verify(&t, &otc, &env.emu.last_code(PHONE).unwrap()).await;
    let id = env.mine(&t).await[0]["id"].as_str().unwrap().to_owned();

    let res = env.delete("/v1/no-such-id", &t).await;
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-PHONE-NOT-FOUND");
    // Another user cannot delete it.
    let res = env.delete(&format!("/v1/{id}"), &env.user("u2")).await;
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-PHONE-NOT-FOUND");

    let res = env.delete(&format!("/v1/{id}"), &t).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["phoneId"], id.as_str());
    let del_otc = body["otcToken"].as_str().unwrap().to_owned();
    let sms = env.emu.sms(Some(PHONE));
    let last = sms.last().unwrap();
    assert_eq!(last.purpose, SmsPurpose::Delete);
    let wrong = common::wrong(&last.code);
    let confirm = format!("/v1/{id}/delete/verify");
    let res = env
        .post(&confirm, &t, json!({"otcToken": del_otc, "code": wrong}))
        .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-INVALID-CODE");
    // The delete token does not complete a plain verify.
    assert_eq!(
        expect_error(env.verify(&t, &del_otc, &last.code).await, 400).await,
        "ER-EMULATOR-OTC-TOKEN-INVALID"
    );
    let res = env
        .post(&confirm, &t, json!({"otcToken": del_otc, "code": last.code}))
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().is_empty());
    assert!(env.mine(&t).await.is_empty());
    let res = env
        .post(&confirm, &t, json!({"otcToken": del_otc, "code": last.code}))
        .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-OTC-TOKEN-INVALID");
}

#[tokio::test]
async fn authentication() {
    let env = Env::new().await;
    let body = json!({"phoneNumber": PHONE});
    // Missing, malformed, wrong scheme.
    let res = env.http.post(env.phones("/v1")).json(&body).send().await.unwrap();
    assert_eq!(expect_error(res, 401).await, "ER-EMULATOR-UNAUTHORIZED");
    assert_eq!(
        expect_error(env.post("/v1", "not-a-jwt", body.clone()).await, 401).await,
        "ER-EMULATOR-UNAUTHORIZED"
    );
    let res = env
        .http
        .get(env.phones("/v1/me"))
        .header("authorization", format!("Basic {}", env.user("u1")))
        .send()
        .await
        .unwrap();
    assert_eq!(expect_error(res, 401).await, "ER-EMULATOR-UNAUTHORIZED");
    // Expired crafted token.
    let expired = unsigned_jwt(&json!({"sub": "u1", "tenantId": "t", "exp": 1_000_000}));
    assert_eq!(
        expect_error(env.get("/v1/me", &expired).await, 401).await,
        "ER-EMULATOR-UNAUTHORIZED"
    );
    // A crafted unsigned token is refused by default.
    let crafted = unsigned_jwt(&json!({"sub": "crafted", "tenantId": "t"}));
    assert_eq!(
        expect_error(env.get("/v1/me", &crafted).await, 401).await,
        "ER-EMULATOR-UNAUTHORIZED"
    );
    // No sub.
    let nosub = unsigned_jwt(&json!({"tenantId": "t"}));
    assert_eq!(
        expect_error(env.get("/v1/me", &nosub).await, 401).await,
        "ER-EMULATOR-UNAUTHORIZED"
    );

    // User token on a vendor route: 403.
    assert_eq!(
        expect_error(env.get("/v2", &env.user("u1")).await, 403).await,
        "ER-EMULATOR-FORBIDDEN"
    );

    // Vendor token on a user route with frontegg-user-id.
    let v = env.vendor_token().await;
    let res = env
        .http
        .post(env.phones("/v1"))
        .bearer_auth(&v)
        .header("frontegg-user-id", "u9")
        .header("frontegg-tenant-id", "t9")
        .json(&json!({"phoneNumber": PHONE, "verify": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let res = env
        .http
        .get(env.phones("/v1/me"))
        .bearer_auth(&v)
        .header("frontegg-user-id", "u9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<Vec<Value>>().await.unwrap().len(), 1);
    // ... and without it: 401.
    assert_eq!(
        expect_error(env.get("/v1/me", &v).await, 401).await,
        "ER-EMULATOR-UNAUTHORIZED"
    );
}

#[tokio::test]
async fn vendor_token_expires() {
    let env = Env::with(EmulatorConfig::default().with_vendor_token_ttl(Duration::from_millis(500))).await;
    let v = env.vendor_token().await;
    assert_eq!(env.get("/v2", &v).await.status(), 200);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        expect_error(env.get("/v2", &v).await, 401).await,
        "ER-EMULATOR-UNAUTHORIZED"
    );
    // A fresh one works again.
    assert_eq!(env.get("/v2", &env.vendor_token().await).await.status(), 200);
}

#[tokio::test]
async fn unsigned_tokens_only_when_accepted() {
    let env = Env::with(EmulatorConfig::default().with_accept_unsigned_jwt(true)).await;
    let crafted = unsigned_jwt(&json!({"sub": "crafted"}));
    assert_eq!(env.get("/v1/me", &crafted).await.status(), 200);
    // A crafted user token on a vendor route: 403 (it is never a vendor token).
    let vendorish = unsigned_jwt(&json!({"sub": "crafted", "type": "vendor"}));
    assert_eq!(
        expect_error(env.get("/v2", &vendorish).await, 403).await,
        "ER-EMULATOR-FORBIDDEN"
    );
    // Expired is refused even then.
    let expired = unsigned_jwt(&json!({"sub": "u1", "exp": 1_000_000}));
    assert_eq!(
        expect_error(env.get("/v1/me", &expired).await, 401).await,
        "ER-EMULATOR-UNAUTHORIZED"
    );

    // By default, a token signed by another key is refused.
    let strict = Env::new().await;
    let pinned = Env::with(
        EmulatorConfig::default().with_signing_key(Some(include_str!("fixtures/signing-key.pem").into())),
    )
    .await;
    assert_eq!(strict.get("/v1/me", &strict.user("u1")).await.status(), 200);
    assert_eq!(
        expect_error(strict.get("/v1/me", &pinned.user("u1")).await, 401).await,
        "ER-EMULATOR-UNAUTHORIZED"
    );
    assert_eq!(
        expect_error(strict.get("/v1/me", &crafted).await, 401).await,
        "ER-EMULATOR-UNAUTHORIZED"
    );
}

#[tokio::test]
async fn vendor_add_delete_and_list_pagination() {
    let env = Env::new().await;
    let v = env.vendor_token().await;
    // 7 numbers: u1 x3, u2 x2, u3 x2.
    let data = [
        ("u1", "+14155550107"),
        ("u2", "+14155550106"),
        ("u1", "+14155550105"),
        ("u3", "+14155550104"),
        ("u2", "+14155550103"),
        ("u1", "+14155550102"),
        ("u3", "+14155550101"),
    ];
    for (u, p) in data {
        let res = env
            .post(&format!("/v1/vendor/{u}"), &v, json!({"phoneNumber": p}))
            .await;
        assert_eq!(res.status(), 201);
        assert!(res.bytes().await.unwrap().is_empty());
    }
    assert!(
        env.mine(&env.user("u1"))
            .await
            .iter()
            .all(|r| r["verified"] == true)
    );

    let page = |q: &'static str| {
        let env = &env;
        let v = v.clone();
        async move {
            let res = env.get(&format!("/v2{q}"), &v).await;
            assert_eq!(res.status(), 200, "{q}");
            res.json::<Value>().await.unwrap()
        }
    };
    let p0 = page("?_limit=3").await;
    assert_eq!(p0["_metadata"], json!({"totalItems": 7, "totalPages": 3}));
    assert_eq!(p0["items"].as_array().unwrap().len(), 3);
    assert_eq!(p0["items"][0]["phoneNumber"], "+14155550107");
    assert_eq!(p0["_links"]["next"], "?_limit=3&_offset=1");
    assert_eq!(p0["_links"]["prev"], "");
    assert_eq!(p0["_links"]["first"], "?_limit=3&_offset=0");
    assert_eq!(p0["_links"]["last"], "?_limit=3&_offset=2");
    let p2 = page("?_limit=3&_offset=2").await;
    assert_eq!(p2["items"].as_array().unwrap().len(), 1);
    assert_eq!(p2["items"][0]["phoneNumber"], "+14155550101");
    assert_eq!(p2["_links"]["next"], "");
    assert_eq!(p2["_links"]["prev"], "?_limit=3&_offset=1");
    let p9 = page("?_limit=3&_offset=9").await;
    assert!(p9["items"].as_array().unwrap().is_empty());
    let all = page("").await;
    assert_eq!(all["items"].as_array().unwrap().len(), 7);
    assert_eq!(all["_links"]["first"], "?_limit=50&_offset=0");

    let sorted = page("?_sortBy=phoneNumber&_order=ASC&_limit=2").await;
    assert_eq!(sorted["items"][0]["phoneNumber"], "+14155550101");
    let sorted = page("?_sortBy=userId&_order=DESC").await;
    assert_eq!(sorted["items"][0]["userId"], "u3");
    assert_eq!(sorted["items"][6]["userId"], "u1");

    let filtered = page("?_phoneNumber=%2B14155550103").await;
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1);
    assert_eq!(filtered["items"][0]["userId"], "u2");
    let users = page("?userIds=u2&userIds=u3").await;
    assert_eq!(users["_metadata"]["totalItems"], 4);
    let users = page("?userIds=u1,u2").await;
    assert_eq!(users["_metadata"]["totalItems"], 5);

    // v1 ignores userIds.
    let res = env.get("/v1?userIds=u2&_limit=250", &v).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["_metadata"]["totalItems"], 7);

    for bad in [
        "?_limit=0",
        "?_limit=251",
        "?_limit=abc",
        "?_offset=-1",
        "?_offset=x",
        "?_sortBy=id",
        "?_order=up",
    ] {
        let res = env.get(&format!("/v2{bad}"), &v).await;
        assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-VALIDATION", "{bad}");
    }

    // vendor_delete
    let id = env.mine(&env.user("u2")).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = env.delete(&format!("/v1/vendor/u1/{id}"), &v).await;
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-PHONE-NOT-FOUND");
    let res = env.delete(&format!("/v1/vendor/u2/{id}"), &v).await;
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.unwrap().is_empty());
    let res = env.delete(&format!("/v1/vendor/u2/{id}"), &v).await;
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-PHONE-NOT-FOUND");
    assert_eq!(env.mine(&env.user("u2")).await.len(), 1);
}

#[tokio::test]
async fn caps_answer_507_and_429() {
    let env = Env::with(
        EmulatorConfig::default()
            .with_max_phone_numbers(2)
            .with_max_pending_tokens(2),
    )
    .await;
    let t = env.user("u1");
    env.assign(&t, "+14155550101").await;
    env.assign(&t, "+14155550102").await;
    let res = env.post("/v1", &t, json!({"phoneNumber": "+14155550103"})).await;
    assert_eq!(expect_error(res, 507).await, "ER-EMULATOR-STORAGE-FULL");
    let res = env
        .post("/v1/preverify", &t, json!({"phoneNumber": "+14155550103"}))
        .await;
    assert_eq!(expect_error(res, 429).await, "ER-EMULATOR-TOO-MANY-PENDING");
    assert_eq!(env.mine(&t).await.len(), 2);
}

#[tokio::test]
async fn emulator_routes_and_reset() {
    let env = Env::new().await;
    let res = env.http.get(env.url("/_emulator/health")).send().await.unwrap();
    assert!(res.headers().contains_key("frontegg-trace-id"));
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"status": "ok"}));

    let res = env
        .post_json("/_emulator/tokens", json!({"userId": "u5", "tenantId": "t5"}))
        .send()
        .await;
    let token = res.json::<Value>().await.unwrap()["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    env.assign(&token, PHONE).await;
    let sms_of = |query: &str| {
        env.req(reqwest::Method::GET, &format!("/_emulator/sms?{query}"))
            .parse()
    };
    let sms: Vec<Value> = sms_of("phoneNumber=%2B14155550100").await;
    assert_eq!(sms.len(), 1);
    assert_eq!(sms[0]["purpose"], "assign");
    assert_eq!(sms[0]["phoneNumber"], PHONE);
    assert!(sms[0]["code"].is_string() && sms[0]["otcToken"].is_string() && sms[0]["sentAt"].is_string());
    // A raw `+` decodes as a space: still found.
    let sms: Vec<Value> = sms_of("phoneNumber=+14155550100").await;
    assert_eq!(sms.len(), 1);

    let res = env.http.post(env.url("/_emulator/reset")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(env.mine(&token).await.is_empty());
    assert!(env.emu.sms(None).is_empty());
    // The reset itself is not logged; only the list_mine call after it is.
    assert_eq!(env.emu.requests().len(), 1);
}

#[tokio::test]
async fn spawn_works_from_sync_code() {
    let emu = std::thread::spawn(|| {
        frontegg_identity_emulator::Emulator::spawn(EmulatorConfig::default()).unwrap()
    })
    .join()
    .unwrap();
    let res = reqwest::get(format!("{}/_emulator/health", emu.base_url()))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let url = emu.base_url().to_owned();
    std::thread::spawn(move || emu.stop()).join().unwrap();
    assert!(reqwest::get(format!("{url}/_emulator/health")).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_users_end_in_the_right_state() {
    let env = std::sync::Arc::new(Env::new().await);
    let mut tasks = Vec::new();
    for i in 0..32 {
        let env = env.clone();
        tasks.push(tokio::spawn(async move {
            let user = format!("user-{i}");
            let t = env.user(&user);
            let phone = format!("+1415555{i:04}");
            let otc = env.assign(&t, &phone).await;
            let code = env
                .emu
                .sms(Some(&phone))
                .into_iter()
                .find(|s| s.otc_token == otc)
                .unwrap()
                .code;
            assert_eq!(env.verify(&t, &otc, &code).await.status(), 200);
            // A second number, left unverified.
            env.assign(&t, &format!("+1415666{i:04}")).await;
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let v = env.vendor_token().await;
    let res = env.get("/v2?_limit=250", &v).await;
    let body: Value = res.json().await.unwrap();
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 64);
    for i in 0..32 {
        let user = format!("user-{i}");
        let mine: Vec<&Value> = items.iter().filter(|r| r["userId"] == user.as_str()).collect();
        assert_eq!(mine.len(), 2);
        let verified = format!("+1415555{i:04}");
        for r in mine {
            assert_eq!(r["verified"], r["phoneNumber"] == verified.as_str(), "{r}");
        }
    }
    assert_eq!(env.emu.sms(None).len(), 64);
}

#[test]
fn handle_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<frontegg_identity_emulator::Emulator>();
    assert_send_sync::<EmulatorConfig>();
}
