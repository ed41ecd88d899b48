//! Routes 11 to 22 and 32 (the SMS family) over real HTTP.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Env, expect_error};
use frontegg_identity_emulator::{EmulatorConfig, SmsPurpose};
use serde_json::{Value, json};

const PHONE: &str = "+14155550100";
const OTHER: &str = "+14155550199";
const AUTH_MFA: &str = "/identity/resources/auth/v1/user/mfa/sms";
const USERS_MFA: &str = "/identity/resources/users/v1/mfa";
const PASSWORDLESS: &str = "/identity/resources/auth/v1/passwordless/smscode";
const RESET: &str = "/identity/resources/users/v2/passwords/reset/sms";

/// A request: path, bearer token, extra headers, JSON body (`None`: GET).
async fn call(
    env: &Env,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = match body {
        Some(b) => env.http.post(env.url(path)).json(&b),
        None => env.http.get(env.url(path)),
    };
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
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

fn s(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
        .to_owned()
}

fn assert_signed_in(v: &Value, user: &str) {
    assert_eq!(v["mfaRequired"], false, "{v}");
    assert!(v["accessToken"].as_str().unwrap().split('.').count() == 3);
    assert!(!s(v, "refreshToken").is_empty());
    assert_eq!(v["expiresIn"], 3600);
    assert!(chrono::DateTime::parse_from_rfc3339(&s(v, "expires")).is_ok());
    assert_eq!(v["userId"], user);
}

/// Enrolls `phone` for the user of `token` (self-service 11 and 12); the auth response.
async fn enroll(env: &Env, token: &str, phone: &str) -> Value {
    let b = ok(
        call(
            env,
            &format!("{AUTH_MFA}/enroll"),
            Some(token),
            &[],
            Some(json!({"phoneNumber": phone})),
        )
        .await,
        201,
    )
    .await;
    let code = env.emu.last_code_for(phone, SmsPurpose::MfaEnroll).unwrap();
    let body = json!({"otcToken": s(&b, "otcToken"), "code": code});
    ok(
        call(
            env,
            &format!("{AUTH_MFA}/enroll/verify"),
            Some(token),
            &[],
            Some(body),
        )
        .await,
        201,
    )
    .await
}

async fn devices(env: &Env, token: &str, headers: &[(&str, &str)]) -> Vec<Value> {
    let b = ok(
        call(env, &format!("{USERS_MFA}/devices"), Some(token), headers, None).await,
        200,
    )
    .await;
    for k in ["webauthn", "authenticators", "emails"] {
        assert_eq!(b[k], json!([]));
    }
    b["phones"].as_array().unwrap().clone()
}

async fn mfa_token(env: &Env, user: &str) -> Value {
    ok(
        call(
            env,
            "/_emulator/mfa-tokens",
            None,
            &[],
            Some(json!({"userId": user})),
        )
        .await,
        200,
    )
    .await
}

#[tokio::test]
async fn self_service_enrollment_sign_in_and_vendor_disable() {
    let env = Env::new().await;
    let t = env.user("u1");
    // 11, wrong code, then 12.
    let b = ok(
        call(
            &env,
            &format!("{AUTH_MFA}/enroll"),
            Some(&t),
            &[],
            Some(json!({"phoneNumber": PHONE})),
        )
        .await,
        201,
    )
    .await;
    let otc = s(&b, "otcToken");
    let sms = env.emu.sms(Some(PHONE));
    assert_eq!(
        (sms.len(), sms[0].purpose, sms[0].otc_token.as_str()),
        (1, SmsPurpose::MfaEnroll, otc.as_str())
    );
    let code = env.emu.last_code_for(PHONE, SmsPurpose::MfaEnroll).unwrap();
    assert_eq!(env.emu.last_code(PHONE).unwrap(), code);
    assert_eq!(env.emu.last_code_for(PHONE, SmsPurpose::MfaLogin), None);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = call(
        &env,
        &format!("{AUTH_MFA}/enroll/verify"),
        Some(&t),
        &[],
        Some(json!({"otcToken": otc, "code": wrong})),
    )
    .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-INVALID-CODE");
    let body = json!({"otcToken": otc, "code": code});
    let a = ok(
        call(
            &env,
            &format!("{AUTH_MFA}/enroll/verify"),
            Some(&t),
            &[],
            Some(body.clone()),
        )
        .await,
        201,
    )
    .await;
    assert_signed_in(&a, "u1");
    let recovery = s(&a, "recoveryCode");
    assert!(!recovery.is_empty());
    // The minted token is a user token of u1.
    assert_eq!(env.get("/v1/me", &s(&a, "accessToken")).await.status(), 200);
    // Reused token; number already enrolled.
    let res = call(
        &env,
        &format!("{AUTH_MFA}/enroll/verify"),
        Some(&t),
        &[],
        Some(body),
    )
    .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-OTC-TOKEN-INVALID");
    let res = call(
        &env,
        &format!("{AUTH_MFA}/enroll"),
        Some(&t),
        &[],
        Some(json!({"phoneNumber": PHONE})),
    )
    .await;
    assert_eq!(expect_error(res, 409).await, "ER-EMULATOR-MFA-DEVICE-EXISTS");
    let res = call(
        &env,
        &format!("{AUTH_MFA}/enroll"),
        Some(&t),
        &[],
        Some(json!({"phoneNumber": "0415"})),
    )
    .await;
    assert_eq!(res.status(), 400);

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
    let res = call(
        &env,
        &format!("{AUTH_MFA}/{device}"),
        None,
        &[],
        Some(json!({"mfaToken": "nope"})),
    )
    .await;
    assert_eq!(expect_error(res, 401).await, "ER-EMULATOR-MFA-TOKEN-INVALID");
    let res = call(
        &env,
        &format!("{AUTH_MFA}/not-a-device"),
        None,
        &[],
        Some(json!({"mfaToken": mfa})),
    )
    .await;
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-MFA-DEVICE-NOT-FOUND");
    let b = ok(
        call(
            &env,
            &format!("{AUTH_MFA}/{device}"),
            None,
            &[],
            Some(json!({"mfaToken": mfa})),
        )
        .await,
        201,
    )
    .await;
    let otc = s(&b, "otcToken");
    let code = env.emu.last_code_for(PHONE, SmsPurpose::MfaLogin).unwrap();
    let verify = json!({"otcToken": otc, "code": code, "mfaToken": mfa, "rememberDevice": true});
    let a = ok(
        call(
            &env,
            &format!("{AUTH_MFA}/{device}/verify"),
            None,
            &[],
            Some(verify.clone()),
        )
        .await,
        201,
    )
    .await;
    assert_signed_in(&a, "u1");
    assert!(a.get("recoveryCode").is_none());
    // The mfaToken is spent.
    let res = call(
        &env,
        &format!("{AUTH_MFA}/{device}/verify"),
        None,
        &[],
        Some(verify),
    )
    .await;
    assert_eq!(expect_error(res, 401).await, "ER-EMULATOR-MFA-TOKEN-INVALID");

    // Another user's device is not found.
    let m2 = s(&mfa_token(&env, "u2").await, "mfaToken");
    let res = call(
        &env,
        &format!("{AUTH_MFA}/{device}"),
        None,
        &[],
        Some(json!({"mfaToken": m2})),
    )
    .await;
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-MFA-DEVICE-NOT-FOUND");

    // 17 and 18 under a vendor token.
    let disable = format!("{USERS_MFA}/sms/{device}/disable");
    let as_u1 = [("frontegg-user-id", "u1")];
    let res = call(&env, &disable, Some(&v), &as_u1, Some(json!({}))).await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-MISSING-HEADER");
    let with_tenant = [("frontegg-user-id", "u1"), ("frontegg-tenant-id", "tenant-1")];
    let res = call(
        &env,
        &format!("{USERS_MFA}/sms/other/disable"),
        Some(&v),
        &with_tenant,
        Some(json!({})),
    )
    .await;
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-MFA-DEVICE-NOT-FOUND");
    let b = ok(
        call(&env, &disable, Some(&v), &with_tenant, Some(json!({}))).await,
        200,
    )
    .await;
    let otc = s(&b, "otcToken");
    let code = env.emu.last_code_for(PHONE, SmsPurpose::MfaDisable).unwrap();
    let res = call(
        &env,
        &format!("{disable}/verify"),
        Some(&v),
        &as_u1,
        Some(json!({"otcToken": "x", "code": code})),
    )
    .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-OTC-TOKEN-INVALID");
    let b = ok(
        call(
            &env,
            &format!("{disable}/verify"),
            Some(&v),
            &as_u1,
            Some(json!({"otcToken": otc, "code": code})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(b, Value::Null);
    assert!(devices(&env, &t, &[]).await.is_empty());
    let res = call(&env, &disable, Some(&v), &with_tenant, Some(json!({}))).await;
    assert_eq!(expect_error(res, 400).await, "ER-01097");
    // A user token needs no tenant header on 17.
    let device = s(&devices_after_enroll(&env, &t).await, "id");
    let b = ok(
        call(
            &env,
            &format!("{USERS_MFA}/sms/{device}/disable"),
            Some(&t),
            &[],
            Some(json!({})),
        )
        .await,
        200,
    )
    .await;
    assert!(!s(&b, "otcToken").is_empty());
}

async fn devices_after_enroll(env: &Env, t: &str) -> Value {
    enroll(env, t, OTHER).await;
    devices(env, t, &[]).await.last().unwrap().clone()
}

#[tokio::test]
async fn vendor_enrollment_answers_the_recovery_code_once() {
    let env = Env::new().await;
    let v = env.vendor_token().await;
    let as_u1 = [("frontegg-user-id", "u1")];
    let mut answers = Vec::new();
    for phone in [PHONE, OTHER] {
        let b = ok(
            call(
                &env,
                &format!("{USERS_MFA}/sms/enroll"),
                Some(&v),
                &as_u1,
                Some(json!({"phoneNumber": phone})),
            )
            .await,
            200,
        )
        .await;
        let code = env.emu.last_code_for(phone, SmsPurpose::MfaEnroll).unwrap();
        let body = json!({"otcToken": s(&b, "otcToken"), "code": code});
        answers.push(
            ok(
                call(
                    &env,
                    &format!("{USERS_MFA}/sms/enroll/verify"),
                    Some(&v),
                    &as_u1,
                    Some(body),
                )
                .await,
                200,
            )
            .await,
        );
    }
    assert!(!s(&answers[0], "recoveryCode").is_empty());
    assert_eq!(answers[1], Value::Null);
    assert_eq!(devices(&env, &env.user("u1"), &[]).await.len(), 2);
    // Without frontegg-user-id, a vendor token names nobody.
    let res = call(
        &env,
        &format!("{USERS_MFA}/sms/enroll"),
        Some(&v),
        &[],
        Some(json!({"phoneNumber": PHONE})),
    )
    .await;
    assert_eq!(expect_error(res, 401).await, "ER-01001");
    // Another user's otcToken does not verify.
    let b = ok(
        call(
            &env,
            &format!("{USERS_MFA}/sms/enroll"),
            Some(&v),
            &[("frontegg-user-id", "u2")],
            Some(json!({"phoneNumber": PHONE})),
        )
        .await,
        200,
    )
    .await;
    let code = env.emu.last_code(PHONE).unwrap();
    let res = call(
        &env,
        &format!("{USERS_MFA}/sms/enroll/verify"),
        Some(&v),
        &as_u1,
        Some(json!({"otcToken": s(&b, "otcToken"), "code": code})),
    )
    .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-OTC-TOKEN-INVALID");
}

#[tokio::test]
async fn login_step_enrollment_uses_the_mfa_token() {
    let env = Env::new().await;
    let res = call(
        &env,
        &format!("{AUTH_MFA}/enroll"),
        None,
        &[],
        Some(json!({"phoneNumber": PHONE})),
    )
    .await;
    assert_eq!(expect_error(res, 401).await, "ER-01001");
    let res = call(
        &env,
        &format!("{AUTH_MFA}/enroll"),
        None,
        &[],
        Some(json!({"phoneNumber": PHONE, "mfaToken": "bad"})),
    )
    .await;
    assert_eq!(expect_error(res, 401).await, "ER-EMULATOR-MFA-TOKEN-INVALID");
    let m = mfa_token(&env, "u3").await;
    assert_eq!(m["mfaDevices"]["phones"], json!([]));
    let mfa = s(&m, "mfaToken");
    assert_eq!(env.emu.mfa_token("u3").unwrap().len(), mfa.len());
    let b = ok(
        call(
            &env,
            &format!("{AUTH_MFA}/enroll"),
            None,
            &[],
            Some(json!({"phoneNumber": PHONE, "mfaToken": mfa})),
        )
        .await,
        201,
    )
    .await;
    let code = env.emu.last_code_for(PHONE, SmsPurpose::MfaEnroll).unwrap();
    let body = json!({"otcToken": s(&b, "otcToken"), "code": code, "mfaToken": mfa, "rememberDevice": false});
    let a = ok(
        call(&env, &format!("{AUTH_MFA}/enroll/verify"), None, &[], Some(body)).await,
        201,
    )
    .await;
    assert_signed_in(&a, "u3");
    assert!(a["recoveryCode"].is_string());
    assert_eq!(a["mfaEnrolled"], true);
    let res = call(
        &env,
        &format!("{AUTH_MFA}/enroll"),
        None,
        &[],
        Some(json!({"phoneNumber": OTHER, "mfaToken": mfa})),
    )
    .await;
    assert_eq!(
        expect_error(res, 401).await,
        "ER-EMULATOR-MFA-TOKEN-INVALID",
        "spent"
    );
}

fn cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect()
}

/// 19 with `body`, then 20 with the code; the answer of 20.
async fn passwordless(env: &Env, body: Value, phone: &str) -> (reqwest::Response, String) {
    let res = call(env, &format!("{PASSWORDLESS}/prelogin"), None, &[], Some(body)).await;
    let cookie = cookies(&res).remove(0);
    let b = ok(res, 201).await;
    assert_eq!(b["phoneNumber"], common_mask(phone));
    let sms = env.emu.sms(Some(phone)).pop().unwrap();
    assert_eq!(sms.purpose, SmsPurpose::Passwordless);
    assert_eq!(cookie, format!("fe_passwordless_flow={}", sms.otc_token));
    let code = env.emu.last_code_for(phone, SmsPurpose::Passwordless).unwrap();
    let res = call(
        env,
        &format!("{PASSWORDLESS}/postlogin"),
        None,
        &[("cookie", &cookie)],
        Some(json!({"token": code})),
    )
    .await;
    (res, cookie)
}

fn common_mask(phone: &str) -> String {
    frontegg_identity_emulator::mask_phone(phone)
}

#[tokio::test]
async fn passwordless_sign_in_by_each_identifier() {
    let env = Env::new().await;
    let v = env.vendor_token().await;
    env.emu
        .create_user("u1", Some("a@example.com"), Some("alice"))
        .unwrap();
    ok(
        env.post("/v1/vendor/u1", &v, json!({"phoneNumber": PHONE})).await,
        201,
    )
    .await;
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
        let a = ok(res, 201).await;
        assert_signed_in(&a, "u1");
        assert_eq!(set[0], format!("fe_refresh_emulator={}", s(&a, "refreshToken")));
        // The flow is single use.
        let code = env.emu.last_code(PHONE).unwrap();
        let res = call(
            &env,
            &format!("{PASSWORDLESS}/postlogin"),
            None,
            &[("cookie", &cookie)],
            Some(json!({"token": code})),
        )
        .await;
        assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-OTC-TOKEN-INVALID");
    }
    // Errors: no identifier, unknown user, user without number, no cookie, wrong code.
    for body in [json!({}), json!({"email": ""})] {
        let res = call(&env, &format!("{PASSWORDLESS}/prelogin"), None, &[], Some(body)).await;
        assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-MISSING-IDENTIFIER");
    }
    env.emu.create_user("u2", Some("b@example.com"), None).unwrap();
    for body in [
        json!({"email": "x@example.com"}),
        json!({"email": "b@example.com"}),
        json!({"userId": "ghost"}),
    ] {
        let res = call(&env, &format!("{PASSWORDLESS}/prelogin"), None, &[], Some(body)).await;
        assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-PHONE-NOT-SET");
    }
    let res = call(
        &env,
        &format!("{PASSWORDLESS}/postlogin"),
        None,
        &[],
        Some(json!({"token": "123456"})),
    )
    .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-OTC-TOKEN-INVALID");
    let res = call(
        &env,
        &format!("{PASSWORDLESS}/prelogin"),
        None,
        &[],
        Some(json!({"userId": "u1"})),
    )
    .await;
    let cookie = cookies(&res).remove(0);
    let code = env.emu.last_code(PHONE).unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = call(
        &env,
        &format!("{PASSWORDLESS}/postlogin"),
        None,
        &[("cookie", &format!("a=b; {cookie}"))],
        Some(json!({"token": wrong})),
    )
    .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-INVALID-CODE");
}

#[tokio::test]
async fn passwordless_with_mfa_requires_the_second_factor() {
    let env = Env::new().await;
    let t = env.user("u1");
    enroll(&env, &t, PHONE).await;
    // The number of an SMS MFA device serves SMS sign-in when no verified number exists.
    let (res, _) = passwordless(&env, json!({"userId": "u1"}), PHONE).await;
    assert!(cookies(&res).iter().all(|c| !c.starts_with("fe_refresh")));
    let a = ok(res, 201).await;
    assert_eq!(a["mfaRequired"], true);
    assert_eq!(a["userId"], "u1");
    assert!(a.get("accessToken").is_none() && a.get("refreshToken").is_none());
    let device = &a["mfaDevices"]["phones"][0];
    assert_eq!(device["phoneNumber"], "+*********00");
    let mfa = s(&a, "mfaToken");
    let b = ok(
        call(
            &env,
            &format!("{AUTH_MFA}/{}", s(device, "id")),
            None,
            &[],
            Some(json!({"mfaToken": mfa})),
        )
        .await,
        201,
    )
    .await;
    let code = env.emu.last_code_for(PHONE, SmsPurpose::MfaLogin).unwrap();
    let body = json!({"otcToken": s(&b, "otcToken"), "code": code, "mfaToken": mfa});
    let a = ok(
        call(
            &env,
            &format!("{AUTH_MFA}/{}/verify", s(device, "id")),
            None,
            &[],
            Some(body),
        )
        .await,
        201,
    )
    .await;
    assert_signed_in(&a, "u1");
}

#[tokio::test]
async fn password_reset_by_sms() {
    let env = Env::new().await;
    let v = env.vendor_token().await;
    env.emu
        .create_user("u1", Some("a@example.com"), Some("alice"))
        .unwrap();
    ok(
        env.post("/v1/vendor/u1", &v, json!({"phoneNumber": PHONE})).await,
        201,
    )
    .await;
    for (identifier, kind) in [
        ("a@example.com", "email"),
        ("alice", "username"),
        (PHONE, "phoneNumber"),
    ] {
        let b = ok(
            call(
                &env,
                RESET,
                None,
                &[],
                Some(json!({"identifier": identifier, "identifierType": kind, "emailMetadata": {"x": 1}})),
            )
            .await,
            200,
        )
        .await;
        let session = s(&b, "sessionId");
        let sms = env.emu.sms(Some(PHONE)).pop().unwrap();
        assert_eq!(
            (sms.purpose, sms.otc_token.as_str()),
            (SmsPurpose::PasswordReset, session.as_str())
        );
        let code = env.emu.last_code_for(PHONE, SmsPurpose::PasswordReset).unwrap();
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let res = call(
            &env,
            &format!("{RESET}/verify"),
            None,
            &[],
            Some(json!({"otcToken": wrong, "sessionId": session})),
        )
        .await;
        assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-INVALID-CODE");
        let body = json!({"otcToken": code, "sessionId": session});
        let a = ok(
            call(&env, &format!("{RESET}/verify"), None, &[], Some(body.clone())).await,
            200,
        )
        .await;
        assert_eq!(a["userId"], "u1");
        assert!(!s(&a, "token").is_empty());
        let res = call(&env, &format!("{RESET}/verify"), None, &[], Some(body)).await;
        assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-OTC-TOKEN-INVALID");
    }
    // No account probing: an unknown user gets a session id too, and no SMS.
    let before = env.emu.sms(None).len();
    let b = ok(
        call(
            &env,
            RESET,
            None,
            &[],
            Some(json!({"identifier": "ghost@example.com", "identifierType": "email"})),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(env.emu.sms(None).len(), before);
    let res = call(
        &env,
        &format!("{RESET}/verify"),
        None,
        &[],
        Some(json!({"otcToken": "123456", "sessionId": s(&b, "sessionId")})),
    )
    .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-OTC-TOKEN-INVALID");
    let res = call(&env, RESET, None, &[], Some(json!({"identifierType": "email"}))).await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-MISSING-IDENTIFIER");
    let res = call(
        &env,
        RESET,
        None,
        &[],
        Some(json!({"identifier": "alice", "identifierType": "nickname"})),
    )
    .await;
    assert_eq!(expect_error(res, 400).await, "ER-00001");
}

#[tokio::test]
async fn tokens_expire_and_codes_burn() {
    let env = Env::with(
        EmulatorConfig::default()
            .with_otc_ttl(Duration::from_millis(300))
            .with_max_attempts(2),
    )
    .await;
    let t = env.user("u1");
    enroll(&env, &t, PHONE).await;
    let device = s(&devices(&env, &t, &[]).await[0], "id");
    let mfa = s(&mfa_token(&env, "u1").await, "mfaToken");
    let b = ok(
        call(
            &env,
            &format!("{AUTH_MFA}/{device}"),
            None,
            &[],
            Some(json!({"mfaToken": mfa})),
        )
        .await,
        201,
    )
    .await;
    let otc = s(&b, "otcToken");
    let code = env.emu.last_code_for(PHONE, SmsPurpose::MfaLogin).unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let bad = json!({"otcToken": otc, "code": wrong, "mfaToken": mfa});
    let res = call(
        &env,
        &format!("{AUTH_MFA}/{device}/verify"),
        None,
        &[],
        Some(bad.clone()),
    )
    .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-INVALID-CODE");
    let res = call(&env, &format!("{AUTH_MFA}/{device}/verify"), None, &[], Some(bad)).await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-INVALID-CODE");
    let good = json!({"otcToken": otc, "code": code, "mfaToken": mfa});
    let res = call(
        &env,
        &format!("{AUTH_MFA}/{device}/verify"),
        None,
        &[],
        Some(good),
    )
    .await;
    assert_eq!(
        expect_error(res, 400).await,
        "ER-EMULATOR-OTC-TOKEN-INVALID",
        "burnt"
    );
    // Expiry of the otcToken and of the mfaToken.
    let b = ok(
        call(
            &env,
            &format!("{AUTH_MFA}/{device}"),
            None,
            &[],
            Some(json!({"mfaToken": mfa})),
        )
        .await,
        201,
    )
    .await;
    let code = env.emu.last_code_for(PHONE, SmsPurpose::MfaLogin).unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let body = json!({"otcToken": s(&b, "otcToken"), "code": code, "mfaToken": mfa});
    let res = call(
        &env,
        &format!("{AUTH_MFA}/{device}/verify"),
        None,
        &[],
        Some(body),
    )
    .await;
    assert_eq!(expect_error(res, 401).await, "ER-EMULATOR-MFA-TOKEN-INVALID");
    let res = call(
        &env,
        &format!("{AUTH_MFA}/{device}"),
        None,
        &[],
        Some(json!({"mfaToken": mfa})),
    )
    .await;
    assert_eq!(expect_error(res, 401).await, "ER-EMULATOR-MFA-TOKEN-INVALID");
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
    let res = call(&env, "/_emulator/users", None, &[], Some(json!({"userId": "u2"}))).await;
    assert_eq!(expect_error(res, 507).await, "ER-EMULATOR-STORAGE-FULL");
    let res = call(
        &env,
        "/_emulator/users",
        None,
        &[],
        Some(json!({"userId": "u1", "email": "a2@example.com"})),
    )
    .await;
    assert_eq!(ok(res, 200).await["email"], "a2@example.com");
    env.emu.mfa_token("u1").unwrap();
    let err = env.emu.mfa_token("u1").unwrap_err();
    assert_eq!(
        (err.status, err.error_code.as_str()),
        (429, "ER-PHONE-TOO-MANY-PENDING")
    );
    let t = env.user("u1");
    enroll(&env, &t, PHONE).await;
    let b = ok(
        call(
            &env,
            &format!("{AUTH_MFA}/enroll"),
            Some(&t),
            &[],
            Some(json!({"phoneNumber": OTHER})),
        )
        .await,
        201,
    )
    .await;
    let code = env.emu.last_code(OTHER).unwrap();
    let res = call(
        &env,
        &format!("{AUTH_MFA}/enroll/verify"),
        Some(&t),
        &[],
        Some(json!({"otcToken": s(&b, "otcToken"), "code": code})),
    )
    .await;
    assert_eq!(expect_error(res, 507).await, "ER-EMULATOR-STORAGE-FULL");
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
    let res = call(&env, "/_emulator/users", None, &[], Some(json!({"userId": ""}))).await;
    assert_eq!(expect_error(res, 400).await, "ER-00001");
    let res = call(&env, "/_emulator/mfa-tokens", None, &[], Some(json!({}))).await;
    assert_eq!(expect_error(res, 400).await, "ER-00001");
}

#[tokio::test]
async fn bad_input_is_never_a_server_error() {
    let env = Env::new().await;
    let t = env.user("u1");
    let paths = [
        format!("{AUTH_MFA}/enroll"),
        format!("{AUTH_MFA}/enroll/verify"),
        format!("{AUTH_MFA}/dev"),
        format!("{AUTH_MFA}/dev/verify"),
        format!("{USERS_MFA}/sms/enroll"),
        format!("{USERS_MFA}/sms/enroll/verify"),
        format!("{USERS_MFA}/sms/dev/disable"),
        format!("{USERS_MFA}/sms/dev/disable/verify"),
        format!("{PASSWORDLESS}/prelogin"),
        format!("{PASSWORDLESS}/postlogin"),
        RESET.to_owned(),
        format!("{RESET}/verify"),
        "/_emulator/users".to_owned(),
        "/_emulator/mfa-tokens".to_owned(),
    ];
    for path in &paths {
        for body in [
            &b"{not json"[..],
            b"[]",
            b"null",
            b"{\"phoneNumber\": 1, \"token\": [], \"mfaToken\": {}}",
            b"\"x\"",
        ] {
            for token in [None, Some(t.as_str())] {
                let mut req = env
                    .http
                    .post(env.url(path))
                    .header("content-type", "application/json")
                    .body(body.to_vec());
                if let Some(t) = token {
                    req = req.bearer_auth(t);
                }
                let res = req.send().await.unwrap();
                assert!(res.status().is_client_error(), "{path}: {}", res.status());
            }
        }
    }
    let res = env
        .http
        .get(env.url(&format!("{USERS_MFA}/devices")))
        .send()
        .await
        .unwrap();
    assert_eq!(expect_error(res, 401).await, "ER-01001");
}

#[tokio::test]
async fn request_log_names_the_routes_and_holds_no_secrets() {
    let env = Env::new().await;
    let t = env.user("u1");
    let v = env.vendor_token().await;
    env.emu.create_user("u1", Some("a@example.com"), None).unwrap();
    ok(
        env.post("/v1/vendor/u1", &v, json!({"phoneNumber": PHONE})).await,
        201,
    )
    .await;
    let a = enroll(&env, &t, PHONE).await;
    let device = s(&devices(&env, &t, &[]).await[0], "id");
    let mfa = s(&mfa_token(&env, "u1").await, "mfaToken");
    let b = ok(
        call(
            &env,
            &format!("{AUTH_MFA}/{device}"),
            None,
            &[],
            Some(json!({"mfaToken": mfa})),
        )
        .await,
        201,
    )
    .await;
    let code = env.emu.last_code(PHONE).unwrap();
    ok(
        call(
            &env,
            &format!("{AUTH_MFA}/{device}/verify"),
            None,
            &[],
            Some(json!({"otcToken": s(&b, "otcToken"), "code": code, "mfaToken": mfa})),
        )
        .await,
        201,
    )
    .await;
    let with = [("frontegg-user-id", "u1"), ("frontegg-tenant-id", "t")];
    ok(
        call(
            &env,
            &format!("{USERS_MFA}/sms/enroll"),
            Some(&v),
            &with,
            Some(json!({"phoneNumber": OTHER})),
        )
        .await,
        200,
    )
    .await;
    let _ = call(
        &env,
        &format!("{USERS_MFA}/sms/enroll/verify"),
        Some(&v),
        &with,
        Some(json!({"otcToken": "x", "code": "1"})),
    )
    .await;
    let d = ok(
        call(
            &env,
            &format!("{USERS_MFA}/sms/{device}/disable"),
            Some(&v),
            &with,
            Some(json!({})),
        )
        .await,
        200,
    )
    .await;
    let _ = call(
        &env,
        &format!("{USERS_MFA}/sms/{device}/disable/verify"),
        Some(&v),
        &with,
        Some(json!({"otcToken": s(&d, "otcToken"), "code": env.emu.last_code(PHONE).unwrap()})),
    )
    .await;
    let (res, cookie) = passwordless(&env, json!({"email": "a@example.com"}), PHONE).await;
    let signed = ok(res, 201).await;
    let r = ok(
        call(
            &env,
            RESET,
            None,
            &[],
            Some(json!({"identifier": "a@example.com", "identifierType": "email"})),
        )
        .await,
        200,
    )
    .await;
    let reset_code = env.emu.last_code(PHONE).unwrap();
    let rt = ok(
        call(
            &env,
            &format!("{RESET}/verify"),
            None,
            &[],
            Some(json!({"otcToken": reset_code, "sessionId": s(&r, "sessionId")})),
        )
        .await,
        200,
    )
    .await;

    let text = env
        .http
        .get(env.url("/_emulator/requests"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let log: Vec<Value> = serde_json::from_str(&text).unwrap();
    let routes: Vec<&str> = log.iter().map(|e| e["route"].as_str().unwrap()).collect();
    assert_eq!(
        routes,
        [
            "vendor_auth",
            "vendor_add",
            "start_sms_enrollment",
            "finish_sms_enrollment",
            "mfa_devices",
            "send_sms_code",
            "verify_sms_code",
            "enroll_sms",
            "verify_sms_enrollment",
            "start_sms_disable",
            "confirm_sms_disable",
            "start_sms_login",
            "finish_sms_login",
            "start_sms_reset",
            "verify_sms_reset",
        ]
    );
    assert_eq!(log[7]["userId"], "u1");
    let cookie_value = cookie.split('=').nth(1).unwrap().to_owned();
    for secret in [
        t.clone(),
        v.clone(),
        mfa,
        code,
        s(&a, "accessToken"),
        s(&a, "refreshToken"),
        s(&a, "recoveryCode"),
        s(&signed, "accessToken"),
        s(&r, "sessionId"),
        reset_code,
        s(&rt, "token"),
        cookie_value,
        "4155550100".to_owned(),
        "4155550199".to_owned(),
    ] {
        assert!(!text.contains(&secret), "log leaks a secret: {text}");
    }
}
