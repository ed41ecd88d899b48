//! Routes 11 to 22 and 32 (the SMS family) over real HTTP.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Env, assert_routes, s, wrong};
use frontegg_identity_emulator::{EmulatorConfig, SmsPurpose, mask_phone};
use reqwest::Method;
use serde_json::{Value, json};

const PHONE: &str = "+14155550100";
const OTHER: &str = "+14155550199";
const AUTH_MFA: &str = "/identity/resources/auth/v1/user/mfa/sms";
const USERS_MFA: &str = "/identity/resources/users/v1/mfa";
const PRELOGIN: &str = "/identity/resources/auth/v1/passwordless/smscode/prelogin";
const POSTLOGIN: &str = "/identity/resources/auth/v1/passwordless/smscode/postlogin";
const RESET: &str = "/identity/resources/users/v2/passwords/reset/sms";
const RESET_VERIFY: &str = "/identity/resources/users/v2/passwords/reset/sms/verify";

fn enroll_path() -> String {
    format!("{AUTH_MFA}/enroll")
}

fn enroll_verify_path() -> String {
    format!("{AUTH_MFA}/enroll/verify")
}

/// 11 for the user of `token`.
fn start_enroll(env: &Env, token: &str, body: Value) -> common::Req {
    env.post_json(&enroll_path(), body).auth(token)
}

/// 12 for the user of `token`.
fn finish_enroll(env: &Env, token: &str, body: Value) -> common::Req {
    env.post_json(&enroll_verify_path(), body).auth(token)
}

/// The answer to the code sent to `phone` last, for the `otcToken` of `b`.
fn answer(env: &Env, b: &Value, phone: &str) -> Value {
    json!({"otcToken": s(b, "otcToken"), "code": env.emu.last_code(phone).unwrap()})
}

fn assert_signed_in(v: &Value, user: &str) {
    assert_eq!(v["mfaRequired"], false, "{v}");
    assert_eq!(s(v, "accessToken").split('.').count(), 3);
    assert!(!s(v, "refreshToken").is_empty());
    assert_eq!(v["expiresIn"], 3600);
    assert!(chrono::DateTime::parse_from_rfc3339(&s(v, "expires")).is_ok());
    assert_eq!(v["userId"], user);
}

/// Enrolls `phone` for the user of `token` (self-service 11 and 12); the auth response.
async fn enroll(env: &Env, token: &str, phone: &str) -> Value {
    let b = start_enroll(env, token, json!({"phoneNumber": phone}))
        .ok(201)
        .await;
    let code = env.emu.last_code_for(phone, SmsPurpose::MfaEnroll).unwrap();
    let body = json!({"otcToken": s(&b, "otcToken"), "code": code});
    finish_enroll(env, token, body).ok(201).await
}

async fn devices(env: &Env, token: &str, headers: &[(&str, &str)]) -> Vec<Value> {
    let path = format!("{USERS_MFA}/devices");
    let b = env
        .req(Method::GET, &path)
        .auth(token)
        .headers(headers)
        .ok(200)
        .await;
    for k in ["webauthn", "authenticators", "emails"] {
        assert_eq!(b[k], json!([]));
    }
    b["phones"].as_array().unwrap().clone()
}

async fn mfa_token(env: &Env, user: &str) -> Value {
    env.post_json("/_emulator/mfa-tokens", json!({"userId": user}))
        .ok(200)
        .await
}

/// 13 for `device` with `mfa`: the otcToken and the code sent.
async fn send_code(env: &Env, device: &str, mfa: &str) -> (String, String) {
    let path = format!("{AUTH_MFA}/{device}");
    let b = env.post_json(&path, json!({"mfaToken": mfa})).ok(201).await;
    let sms = env.emu.sms(None).pop().unwrap();
    assert_eq!(sms.purpose, SmsPurpose::MfaLogin);
    (s(&b, "otcToken"), sms.code)
}

/// 14 for `device`.
fn verify_code(env: &Env, device: &str, body: Value) -> common::Req {
    env.post_json(&format!("{AUTH_MFA}/{device}/verify"), body)
}

#[tokio::test]
async fn self_service_enrollment_sign_in_and_vendor_disable() {
    let env = Env::new().await;
    let t = env.user("u1");
    // 11, wrong code, then 12.
    let b = start_enroll(&env, &t, json!({"phoneNumber": PHONE}))
        .ok(201)
        .await;
    let otc = s(&b, "otcToken");
    let sms = env.emu.sms(Some(PHONE));
    assert_eq!((sms.len(), sms[0].purpose), (1, SmsPurpose::MfaEnroll));
    assert_eq!(sms[0].otc_token, otc);
    let code = env.emu.last_code_for(PHONE, SmsPurpose::MfaEnroll).unwrap();
    assert_eq!(env.emu.last_code(PHONE).unwrap(), code);
    assert_eq!(env.emu.last_code_for(PHONE, SmsPurpose::MfaLogin), None);
    let bad = json!({"otcToken": otc, "code": wrong(&code)});
    finish_enroll(&env, &t, bad)
        .fails(400, "ER-EMULATOR-INVALID-CODE")
        .await;
    let body = json!({"otcToken": otc, "code": code});
    let a = finish_enroll(&env, &t, body.clone()).ok(201).await;
    assert_signed_in(&a, "u1");
    assert!(!s(&a, "recoveryCode").is_empty());
    // The minted token is a user token of u1.
    assert_eq!(env.get("/v1/me", &s(&a, "accessToken")).await.status(), 200);
    // Reused token; number already enrolled; not a number.
    finish_enroll(&env, &t, body)
        .fails(400, "ER-EMULATOR-OTC-TOKEN-INVALID")
        .await;
    start_enroll(&env, &t, json!({"phoneNumber": PHONE}))
        .fails(409, "ER-EMULATOR-MFA-DEVICE-EXISTS")
        .await;
    start_enroll(&env, &t, json!({"phoneNumber": "0415"}))
        .fails(400, "ER-EMULATOR-INVALID-PHONE-NUMBER")
        .await;

    // 32: full numbers, with a user token or vendor + frontegg-user-id.
    let phones = devices(&env, &t, &[]).await;
    assert_eq!(phones.len(), 1);
    assert_eq!(phones[0]["phoneNumber"], PHONE);
    let device = s(&phones[0], "id");
    let v = env.vendor_token().await;
    assert_eq!(devices(&env, &v, &[("frontegg-user-id", "u1")]).await, phones);
    assert!(devices(&env, &v, &[("frontegg-user-id", "u2")]).await.is_empty());

    // Sign-in's second factor: 13 and 14.
    let m = mfa_token(&env, "u1").await;
    assert_eq!(m["mfaDevices"]["phones"][0]["phoneNumber"], "+*********00");
    assert_eq!(m["mfaDevices"]["phones"][0]["id"], device.as_str());
    let mfa = s(&m, "mfaToken");
    env.post_json(&format!("{AUTH_MFA}/{device}"), json!({"mfaToken": "nope"}))
        .fails(401, "ER-EMULATOR-MFA-TOKEN-INVALID")
        .await;
    let code = env
        .post_json(&format!("{AUTH_MFA}/other"), json!({"mfaToken": mfa}))
        .err(404)
        .await;
    assert_eq!(code, "ER-EMULATOR-MFA-DEVICE-NOT-FOUND");
    let (otc, code) = send_code(&env, &device, &mfa).await;
    let verify = json!({"otcToken": otc, "code": code, "mfaToken": mfa, "rememberDevice": true});
    let a = verify_code(&env, &device, verify.clone()).ok(201).await;
    assert_signed_in(&a, "u1");
    assert!(a.get("recoveryCode").is_none());
    // The mfaToken is spent.
    verify_code(&env, &device, verify)
        .fails(401, "ER-EMULATOR-MFA-TOKEN-INVALID")
        .await;

    // Another user's device is not found.
    let m2 = s(&mfa_token(&env, "u2").await, "mfaToken");
    env.post_json(&format!("{AUTH_MFA}/{device}"), json!({"mfaToken": m2}))
        .fails(404, "ER-EMULATOR-MFA-DEVICE-NOT-FOUND")
        .await;

    // 17 and 18 under a vendor token.
    let disable = format!("{USERS_MFA}/sms/{device}/disable");
    let confirm = format!("{disable}/verify");
    let as_u1: &[(&str, &str)] = &[("frontegg-user-id", "u1")];
    let with: &[(&str, &str)] = &[("frontegg-user-id", "u1"), ("frontegg-tenant-id", "tenant-1")];
    let vendor = |path: &str, headers: &[(&str, &str)], body: Value| {
        env.post_json(path, body).auth(&v).headers(headers)
    };
    vendor(&disable, as_u1, json!({}))
        .fails(400, "ER-EMULATOR-MISSING-HEADER")
        .await;
    let other = format!("{USERS_MFA}/sms/other/disable");
    vendor(&other, with, json!({}))
        .fails(404, "ER-EMULATOR-MFA-DEVICE-NOT-FOUND")
        .await;
    let otc = s(&vendor(&disable, with, json!({})).ok(200).await, "otcToken");
    let code = env.emu.last_code_for(PHONE, SmsPurpose::MfaDisable).unwrap();
    let bad = json!({"otcToken": "x", "code": code});
    vendor(&confirm, as_u1, bad)
        .fails(400, "ER-EMULATOR-OTC-TOKEN-INVALID")
        .await;
    let good = json!({"otcToken": otc, "code": code});
    assert_eq!(vendor(&confirm, as_u1, good).ok(200).await, Value::Null);
    assert!(devices(&env, &t, &[]).await.is_empty());
    vendor(&disable, with, json!({})).fails(400, "ER-01097").await;
    // A user token needs no tenant header on 17.
    enroll(&env, &t, OTHER).await;
    let device = s(&devices(&env, &t, &[]).await[0], "id");
    let path = format!("{USERS_MFA}/sms/{device}/disable");
    let b = env.post_json(&path, json!({})).auth(&t).ok(200).await;
    assert!(!s(&b, "otcToken").is_empty());
}

#[tokio::test]
async fn vendor_enrollment_answers_the_recovery_code_once() {
    let env = Env::new().await;
    let v = env.vendor_token().await;
    let (start, finish) = (
        format!("{USERS_MFA}/sms/enroll"),
        format!("{USERS_MFA}/sms/enroll/verify"),
    );
    let (as_u1, as_u2) = ([("frontegg-user-id", "u1")], [("frontegg-user-id", "u2")]);
    let vendor = |path: &str, headers: &[(&str, &str)], body: Value| {
        env.post_json(path, body).auth(&v).headers(headers)
    };
    let mut answers = Vec::new();
    for phone in [PHONE, OTHER] {
        let b = vendor(&start, &as_u1, json!({"phoneNumber": phone}))
            .ok(200)
            .await;
        let code = env.emu.last_code_for(phone, SmsPurpose::MfaEnroll).unwrap();
        let body = json!({"otcToken": s(&b, "otcToken"), "code": code});
        answers.push(vendor(&finish, &as_u1, body).ok(200).await);
    }
    assert!(!s(&answers[0], "recoveryCode").is_empty());
    assert_eq!(answers[1], Value::Null);
    assert_eq!(devices(&env, &env.user("u1"), &[]).await.len(), 2);
    // Without frontegg-user-id, a vendor token names nobody.
    env.post_json(&start, json!({"phoneNumber": PHONE}))
        .auth(&v)
        .fails(401, "ER-EMULATOR-UNAUTHORIZED")
        .await;
    // Another user's otcToken does not verify.
    let b = vendor(&start, &as_u2, json!({"phoneNumber": PHONE}))
        .ok(200)
        .await;
    vendor(&finish, &as_u1, answer(&env, &b, PHONE))
        .fails(400, "ER-EMULATOR-OTC-TOKEN-INVALID")
        .await;
}

#[tokio::test]
async fn login_step_enrollment_uses_the_mfa_token() {
    let env = Env::new().await;
    let start = |body: Value| env.post_json(&enroll_path(), body);
    start(json!({"phoneNumber": PHONE}))
        .fails(401, "ER-EMULATOR-UNAUTHORIZED")
        .await;
    start(json!({"phoneNumber": PHONE, "mfaToken": "bad"}))
        .fails(401, "ER-EMULATOR-MFA-TOKEN-INVALID")
        .await;
    let m = mfa_token(&env, "u3").await;
    assert_eq!(m["mfaDevices"]["phones"], json!([]));
    let mfa = s(&m, "mfaToken");
    assert_eq!(env.emu.mfa_token("u3").unwrap().len(), mfa.len());
    let b = start(json!({"phoneNumber": PHONE, "mfaToken": mfa}))
        .ok(201)
        .await;
    let code = env.emu.last_code_for(PHONE, SmsPurpose::MfaEnroll).unwrap();
    let body = json!({"otcToken": s(&b, "otcToken"), "code": code, "mfaToken": mfa, "rememberDevice": false});
    let a = env.post_json(&enroll_verify_path(), body).ok(201).await;
    assert_signed_in(&a, "u3");
    assert!(a["recoveryCode"].is_string());
    assert_eq!(a["mfaEnrolled"], true);
    let code = start(json!({"phoneNumber": OTHER, "mfaToken": mfa}))
        .err(401)
        .await;
    assert_eq!(code, "ER-EMULATOR-MFA-TOKEN-INVALID", "spent");
}

fn cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect()
}

fn postlogin(env: &Env, cookie: &str, code: &str) -> common::Req {
    env.post_json(POSTLOGIN, json!({"token": code}))
        .headers(&[("cookie", cookie)])
}

/// 19 with `body`, then 20 with the code; the answer of 20 and the flow cookie.
async fn passwordless(env: &Env, body: Value, phone: &str) -> (reqwest::Response, String) {
    let res = env.post_json(PRELOGIN, body).send().await;
    let cookie = cookies(&res).remove(0);
    assert_eq!(res.status(), 201);
    let b: Value = res.json().await.unwrap();
    assert_eq!(b["phoneNumber"], mask_phone(phone));
    let sms = env.emu.sms(Some(phone)).pop().unwrap();
    assert_eq!(sms.purpose, SmsPurpose::Passwordless);
    assert_eq!(cookie, format!("fe_passwordless_flow={}", sms.otc_token));
    let code = env.emu.last_code_for(phone, SmsPurpose::Passwordless).unwrap();
    (postlogin(env, &cookie, &code).send().await, cookie)
}

/// User u1, alias `a@example.com` and `alice`, with the verified number `PHONE`.
async fn alice(env: &Env) {
    env.emu
        .create_user("u1", Some("a@example.com"), Some("alice"))
        .unwrap();
    let v = env.vendor_token().await;
    let res = env.post("/v1/vendor/u1", &v, json!({"phoneNumber": PHONE})).await;
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn passwordless_sign_in_by_each_identifier() {
    let env = Env::new().await;
    alice(&env).await;
    for body in [
        json!({"email": "a@example.com"}),
        json!({"userId": "u1"}),
        json!({"username": "alice"}),
        json!({"phoneNumber": PHONE}),
        // Given twice: the first one (in the order email, userId, username, phoneNumber) wins.
        json!({"userId": "nobody", "email": "a@example.com"}),
    ] {
        let (res, cookie) = passwordless(&env, body, PHONE).await;
        let set = cookies(&res);
        assert_eq!(res.status(), 201);
        let a: Value = res.json().await.unwrap();
        assert_signed_in(&a, "u1");
        assert_eq!(set[0], format!("fe_refresh_emulator={}", s(&a, "refreshToken")));
        // The flow is single use.
        let code = env.emu.last_code(PHONE).unwrap();
        postlogin(&env, &cookie, &code)
            .fails(400, "ER-EMULATOR-OTC-TOKEN-INVALID")
            .await;
    }
    // A wrong code, with other cookies around the flow's.
    let res = env.post_json(PRELOGIN, json!({"userId": "u1"})).send().await;
    let cookie = format!("a=b; {}", cookies(&res).remove(0));
    let code = env.emu.last_code(PHONE).unwrap();
    postlogin(&env, &cookie, wrong(&code))
        .fails(400, "ER-EMULATOR-INVALID-CODE")
        .await;
    // Errors: no identifier, unknown user, user without number, no cookie.
    env.emu.create_user("u2", Some("b@example.com"), None).unwrap();
    let (missing, not_set) = ("ER-EMULATOR-MISSING-IDENTIFIER", "ER-EMULATOR-PHONE-NOT-SET");
    for (path, body, code) in [
        (PRELOGIN, json!({}), missing),
        (PRELOGIN, json!({"email": ""}), missing),
        (PRELOGIN, json!({"email": "x@example.com"}), not_set),
        (PRELOGIN, json!({"email": "b@example.com"}), not_set),
        (PRELOGIN, json!({"userId": "ghost"}), not_set),
        (
            POSTLOGIN,
            json!({"token": "123456"}),
            "ER-EMULATOR-OTC-TOKEN-INVALID",
        ),
    ] {
        let case = format!("{path} {body}");
        assert_eq!(env.post_json(path, body).err(400).await, code, "{case}");
    }
}

#[tokio::test]
async fn passwordless_with_mfa_requires_the_second_factor() {
    let env = Env::new().await;
    let t = env.user("u1");
    enroll(&env, &t, PHONE).await;
    // The number of an SMS MFA device serves SMS sign-in when no verified number exists.
    let (res, _) = passwordless(&env, json!({"userId": "u1"}), PHONE).await;
    assert!(cookies(&res).iter().all(|c| !c.starts_with("fe_refresh")));
    assert_eq!(res.status(), 201);
    let a: Value = res.json().await.unwrap();
    assert_eq!((&a["mfaRequired"], &a["userId"]), (&json!(true), &json!("u1")));
    assert!(a.get("accessToken").is_none() && a.get("refreshToken").is_none());
    let device = &a["mfaDevices"]["phones"][0];
    assert_eq!(device["phoneNumber"], "+*********00");
    let (device, mfa) = (s(device, "id"), s(&a, "mfaToken"));
    let (otc, code) = send_code(&env, &device, &mfa).await;
    let body = json!({"otcToken": otc, "code": code, "mfaToken": mfa});
    assert_signed_in(&verify_code(&env, &device, body).ok(201).await, "u1");
}

#[tokio::test]
async fn password_reset_by_sms() {
    let env = Env::new().await;
    alice(&env).await;
    for (identifier, kind) in [
        ("a@example.com", "email"),
        ("alice", "username"),
        (PHONE, "phoneNumber"),
    ] {
        let body = json!({"identifier": identifier, "identifierType": kind, "emailMetadata": {"x": 1}});
        let session = s(&env.post_json(RESET, body).ok(200).await, "sessionId");
        let sms = env.emu.sms(Some(PHONE)).pop().unwrap();
        assert_eq!(
            (sms.purpose, sms.otc_token.as_str()),
            (SmsPurpose::PasswordReset, session.as_str())
        );
        let code = env.emu.last_code_for(PHONE, SmsPurpose::PasswordReset).unwrap();
        let bad = json!({"otcToken": wrong(&code), "sessionId": session});
        env.post_json(RESET_VERIFY, bad)
            .fails(400, "ER-EMULATOR-INVALID-CODE")
            .await;
        let body = json!({"otcToken": code, "sessionId": session});
        let a = env.post_json(RESET_VERIFY, body.clone()).ok(200).await;
        assert_eq!(a["userId"], "u1");
        assert!(!s(&a, "token").is_empty());
        env.post_json(RESET_VERIFY, body)
            .fails(400, "ER-EMULATOR-OTC-TOKEN-INVALID")
            .await;
    }
    // No account probing: an unknown user gets a session id too, and no SMS.
    let before = env.emu.sms(None).len();
    let body = json!({"identifier": "ghost@example.com", "identifierType": "email"});
    let session = s(&env.post_json(RESET, body).ok(200).await, "sessionId");
    assert_eq!(env.emu.sms(None).len(), before);
    let body = json!({"otcToken": "123456", "sessionId": session});
    env.post_json(RESET_VERIFY, body)
        .fails(400, "ER-EMULATOR-OTC-TOKEN-INVALID")
        .await;
    env.post_json(RESET, json!({"identifierType": "email"}))
        .fails(400, "ER-EMULATOR-MISSING-IDENTIFIER")
        .await;
    let body = json!({"identifier": "alice", "identifierType": "nickname"});
    env.post_json(RESET, body)
        .fails(400, "ER-EMULATOR-VALIDATION")
        .await;
}

#[tokio::test]
async fn tokens_expire_and_codes_burn() {
    let config = EmulatorConfig::default()
        .with_otc_ttl(Duration::from_millis(300))
        .with_max_attempts(2);
    let env = Env::with(config).await;
    let t = env.user("u1");
    enroll(&env, &t, PHONE).await;
    let device = s(&devices(&env, &t, &[]).await[0], "id");
    let mfa = s(&mfa_token(&env, "u1").await, "mfaToken");
    let (otc, code) = send_code(&env, &device, &mfa).await;
    let bad = json!({"otcToken": otc, "code": wrong(&code), "mfaToken": mfa});
    for _ in 0..2 {
        verify_code(&env, &device, bad.clone())
            .fails(400, "ER-EMULATOR-INVALID-CODE")
            .await;
    }
    let good = json!({"otcToken": otc, "code": code, "mfaToken": mfa});
    let code = verify_code(&env, &device, good).err(400).await;
    assert_eq!(code, "ER-EMULATOR-OTC-TOKEN-INVALID", "burnt");
    // Expiry of the otcToken and of the mfaToken.
    let (otc, code) = send_code(&env, &device, &mfa).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let body = json!({"otcToken": otc, "code": code, "mfaToken": mfa});
    verify_code(&env, &device, body)
        .fails(401, "ER-EMULATOR-MFA-TOKEN-INVALID")
        .await;
    env.post_json(&format!("{AUTH_MFA}/{device}"), json!({"mfaToken": mfa}))
        .fails(401, "ER-EMULATOR-MFA-TOKEN-INVALID")
        .await;
}

#[tokio::test]
async fn state_is_bounded() {
    let config = EmulatorConfig::default()
        .with_max_users(1)
        .with_max_mfa_devices(1)
        .with_max_pending_tokens(1);
    let env = Env::with(config).await;
    env.emu.create_user("u1", Some("a@example.com"), None).unwrap();
    env.emu.create_user("u1", Some("a2@example.com"), None).unwrap();
    let err = env.emu.create_user("u2", None, None).unwrap_err();
    assert_eq!(
        (err.status, err.error_code.as_str()),
        (507, "ER-EMULATOR-STORAGE-FULL")
    );
    let code = env
        .post_json("/_emulator/users", json!({"userId": "u2"}))
        .err(507)
        .await;
    assert_eq!(code, "ER-EMULATOR-STORAGE-FULL");
    let body = json!({"userId": "u1", "email": "a2@example.com"});
    assert_eq!(
        env.post_json("/_emulator/users", body).ok(200).await["email"],
        "a2@example.com"
    );
    env.emu.mfa_token("u1").unwrap();
    let err = env.emu.mfa_token("u1").unwrap_err();
    assert_eq!(
        (err.status, err.error_code.as_str()),
        (429, "ER-EMULATOR-TOO-MANY-PENDING")
    );
    let t = env.user("u1");
    enroll(&env, &t, PHONE).await;
    let b = start_enroll(&env, &t, json!({"phoneNumber": OTHER}))
        .ok(201)
        .await;
    let body = answer(&env, &b, OTHER);
    finish_enroll(&env, &t, body)
        .fails(507, "ER-EMULATOR-STORAGE-FULL")
        .await;
}

#[tokio::test]
async fn identifiers_are_unique_and_checked() {
    let env = Env::new().await;
    env.emu
        .create_user("u1", Some("a@example.com"), Some("alice"))
        .unwrap();
    let err = env.emu.create_user("u2", None, Some("alice")).unwrap_err();
    assert_eq!(
        (err.status, err.error_code.as_str()),
        (409, "ER-EMULATOR-IDENTIFIER-TAKEN")
    );
    for (path, body) in [
        ("/_emulator/users", json!({"userId": ""})),
        ("/_emulator/mfa-tokens", json!({})),
    ] {
        let code = env.post_json(path, body).err(400).await;
        assert_eq!(code, "ER-EMULATOR-VALIDATION", "{path}");
    }
}

#[tokio::test]
async fn bad_input_is_never_a_server_error() {
    let env = Env::new().await;
    let t = env.user("u1");
    let paths = [
        enroll_path(),
        enroll_verify_path(),
        format!("{AUTH_MFA}/dev"),
        format!("{AUTH_MFA}/dev/verify"),
        format!("{USERS_MFA}/sms/enroll"),
        format!("{USERS_MFA}/sms/enroll/verify"),
        format!("{USERS_MFA}/sms/dev/disable"),
        format!("{USERS_MFA}/sms/dev/disable/verify"),
        PRELOGIN.to_owned(),
        POSTLOGIN.to_owned(),
        RESET.to_owned(),
        RESET_VERIFY.to_owned(),
        "/_emulator/users".to_owned(),
        "/_emulator/mfa-tokens".to_owned(),
    ];
    let bodies: [&[u8]; 5] = [
        b"{not json",
        b"[]",
        b"null",
        br#"{"phoneNumber": 1, "token": [], "mfaToken": {}}"#,
        b"\"x\"",
    ];
    for path in &paths {
        for body in bodies {
            for token in [None, Some(t.as_str())] {
                let mut req = env
                    .http
                    .post(env.url(path))
                    .header("content-type", "application/json");
                if let Some(t) = token {
                    req = req.bearer_auth(t);
                }
                let res = req.body(body.to_vec()).send().await.unwrap();
                assert!(res.status().is_client_error(), "{path}: {}", res.status());
            }
        }
    }
    // And the emulator still answers as before after all that.
    env.req(Method::GET, &format!("{USERS_MFA}/devices"))
        .fails(401, "ER-EMULATOR-UNAUTHORIZED")
        .await;
}

#[tokio::test]
async fn request_log_names_the_routes_and_holds_no_secrets() {
    let env = Env::new().await;
    let t = env.user("u1");
    let v = env.vendor_token().await;
    env.emu.create_user("u1", Some("a@example.com"), None).unwrap();
    assert_eq!(
        env.post("/v1/vendor/u1", &v, json!({"phoneNumber": PHONE}))
            .await
            .status(),
        201
    );
    let a = enroll(&env, &t, PHONE).await;
    let device = s(&devices(&env, &t, &[]).await[0], "id");
    let mfa = s(&mfa_token(&env, "u1").await, "mfaToken");
    let (otc, code) = send_code(&env, &device, &mfa).await;
    let body = json!({"otcToken": otc, "code": code, "mfaToken": mfa});
    verify_code(&env, &device, body).ok(201).await;
    let with: &[(&str, &str)] = &[("frontegg-user-id", "u1"), ("frontegg-tenant-id", "t")];
    let vendor = |path: String, body: Value| env.post_json(&path, body).auth(&v).headers(with);
    vendor(format!("{USERS_MFA}/sms/enroll"), json!({"phoneNumber": OTHER}))
        .ok(200)
        .await;
    let body = json!({"otcToken": "x", "code": "1"});
    vendor(format!("{USERS_MFA}/sms/enroll/verify"), body)
        .err(400)
        .await;
    let disable = format!("{USERS_MFA}/sms/{device}/disable");
    let d = vendor(disable.clone(), json!({})).ok(200).await;
    let body = answer(&env, &d, PHONE);
    vendor(format!("{disable}/verify"), body).ok(200).await;
    let (res, cookie) = passwordless(&env, json!({"email": "a@example.com"}), PHONE).await;
    let signed: Value = res.json().await.unwrap();
    let body = json!({"identifier": "a@example.com", "identifierType": "email"});
    let session = s(&env.post_json(RESET, body).ok(200).await, "sessionId");
    let reset_code = env.emu.last_code(PHONE).unwrap();
    let body = json!({"otcToken": reset_code, "sessionId": session});
    let reset_token = s(&env.post_json(RESET_VERIFY, body).ok(200).await, "token");

    let (text, log) = env.request_log().await;
    assert_routes(
        &log,
        "vendor_auth vendor_add start_sms_enrollment finish_sms_enrollment mfa_devices send_sms_code \
         verify_sms_code enroll_sms verify_sms_enrollment start_sms_disable confirm_sms_disable \
         start_sms_login finish_sms_login start_sms_reset verify_sms_reset",
    );
    assert_eq!(log[7]["userId"], "u1");
    let cookie_value = cookie.split('=').nth(1).unwrap().to_owned();
    for secret in [
        t,
        v,
        mfa,
        code,
        s(&a, "accessToken"),
        s(&a, "refreshToken"),
        s(&a, "recoveryCode"),
        s(&signed, "accessToken"),
        session,
        reset_code,
        reset_token,
        cookie_value,
        "4155550100".to_owned(),
        "4155550199".to_owned(),
    ] {
        assert!(!text.contains(&secret), "log leaks a secret: {text}");
    }
}
