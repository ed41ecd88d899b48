//! What Frontegg's own SDKs rely on: vendor authentication at `/auth/vendor/`,
//! the vendor token in `x-access-token`, RS256 tokens with Frontegg's claims,
//! the public key as JWKS and PEM; and seeded, exported state.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Env, expect_error};
use frontegg_identity_emulator::{Emulator, EmulatorConfig, Seed, SeedUser};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey as _;
use rsa::signature::Verifier as _;
use serde_json::{Value, json};
use sha2::Sha256;

const KEY: &str = include_str!("fixtures/signing-key.pem");

fn part(token: &str, i: usize) -> Value {
    let p = token.split('.').nth(i).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap()
}

/// Sends `req` and reads the answer as JSON.
async fn json_of(req: reqwest::RequestBuilder) -> Value {
    req.send().await.unwrap().json().await.unwrap()
}

/// `GET path` (no credentials), as JSON.
async fn get_json(env: &Env, path: &str) -> Value {
    json_of(env.http.get(env.url(path))).await
}

/// `POST path` with a JSON body (no credentials), as JSON.
async fn post_json(env: &Env, path: &str, body: Value) -> Value {
    json_of(env.http.post(env.url(path)).json(&body)).await
}

/// Verifies an RS256 JWT against a PEM public key, as an application would.
fn verifies(pem: &str, token: &str) -> bool {
    let key = VerifyingKey::<Sha256>::new(rsa::RsaPublicKey::from_public_key_pem(pem).unwrap());
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = Signature::try_from(URL_SAFE_NO_PAD.decode(sig).unwrap().as_slice()).unwrap();
    key.verify(input.as_bytes(), &sig).is_ok()
}

#[tokio::test]
async fn vendor_auth_as_frontegg_sdks_call_it() {
    let env = Env::new().await;
    let (id, secret) = env.emu.vendor_credentials();
    for path in ["/auth/vendor", "/auth/vendor/"] {
        let res = env
            .http
            .post(env.url(path))
            .json(&json!({"clientId": id, "secret": secret}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let body: Value = res.json().await.unwrap();
        let token = body["token"].as_str().unwrap();
        assert_eq!(body["expiresIn"], 3600);
        let header = part(token, 0);
        assert_eq!(header["alg"], "RS256");
        let claims = part(token, 1);
        assert_eq!(claims["vendorId"], id.as_str());
        assert_eq!(claims["type"], "vendor");
        assert!(claims["scopes"].is_array());
        assert!(claims["iat"].is_u64() && claims["exp"].is_u64());
        assert!(verifies(&env.emu.public_key_pem(), token));
    }
    let res = env
        .http
        .post(env.url("/auth/vendor/"))
        .json(&json!({"clientId": id, "secret": "wrong"}))
        .send()
        .await
        .unwrap();
    expect_error(res, 401).await;

    // The vendor token in x-access-token, on a vendor route and on the
    // vendor configuration (with and without the trailing slash).
    let v = env.vendor_token().await;
    let res = env
        .http
        .get(env.phones("/v2"))
        .header("x-access-token", &v)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    for path in [
        "/identity/resources/configurations/v1",
        "/identity/resources/configurations/v1/",
    ] {
        let res = env
            .http
            .get(env.url(path))
            .header("x-access-token", &v)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["publicKey"].as_str().unwrap(), env.emu.public_key_pem());
        // A user token or none: refused.
        let res = env.http.get(env.url(path)).send().await.unwrap();
        expect_error(res, 401).await;
        let res = env
            .http
            .get(env.url(path))
            .bearer_auth(env.user("u1"))
            .send()
            .await
            .unwrap();
        expect_error(res, 403).await;
    }
}

#[tokio::test]
async fn user_tokens_are_rs256_with_frontegg_claims_and_a_jwks() {
    let env = Env::new().await;
    env.emu
        .create_user_with(SeedUser {
            user_id: "u1".into(),
            email: Some("u1@example.com".into()),
            tenant_id: Some("t1".into()),
            tenant_ids: vec!["t2".into()],
            roles: vec!["admin".into()],
            permissions: vec!["fe.secure.read.*".into()],
            ..SeedUser::default()
        })
        .unwrap();
    let token = env.emu.mint_user_token("u1", None);
    let header = part(&token, 0);
    let claims = part(&token, 1);
    assert_eq!(header["alg"], "RS256");
    for (k, v) in [
        ("sub", json!("u1")),
        ("tenantId", json!("t1")),
        ("tenantIds", json!(["t1", "t2"])),
        ("roles", json!(["admin"])),
        ("permissions", json!(["fe.secure.read.*"])),
        ("email", json!("u1@example.com")),
        ("type", json!("userToken")),
        ("iss", json!(env.emu.base_url())),
        ("aud", json!("emulator-client-id")),
    ] {
        assert_eq!(claims[k], v, "{k}");
    }
    assert!(claims["sid"].is_string() && claims["iat"].is_u64() && claims["exp"].is_u64());

    // JWKS: the kid of the token, a key that verifies it.
    let jwks: Value = get_json(&env, "/.well-known/jwks.json").await;
    assert_eq!(jwks, env.emu.jwks());
    let jwk = &jwks["keys"][0];
    assert_eq!(jwk["kid"], header["kid"]);
    assert_eq!(
        (jwk["kty"].as_str(), jwk["alg"].as_str()),
        (Some("RSA"), Some("RS256"))
    );
    let n = rsa::BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap());
    let e = rsa::BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap());
    let key = VerifyingKey::<Sha256>::new(rsa::RsaPublicKey::new(n, e).unwrap());
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = Signature::try_from(URL_SAFE_NO_PAD.decode(sig).unwrap().as_slice()).unwrap();
    assert!(key.verify(input.as_bytes(), &sig).is_ok());

    // Extra claims over HTTP, overriding the defaults; odd ones are kept.
    let claims = json!({"roles": ["viewer"], "metadata": {"a": [1, null]}, "custom": 5});
    let body = json!({"userId": "u2", "tenantId": "t9", "claims": claims});
    let res = post_json(&env, "/_emulator/tokens", body).await;
    let t2 = res["accessToken"].as_str().unwrap();
    let c2 = part(t2, 1);
    assert_eq!(c2["roles"], json!(["viewer"]));
    assert_eq!(c2["tenantIds"], json!(["t9"]));
    assert_eq!(c2["custom"], 5);
    assert_eq!(env.get("/v1/me", t2).await.status(), 200);
    // Claims that are not an object: 400, not a 5xx.
    let res = env
        .http
        .post(env.url("/_emulator/tokens"))
        .json(&json!({"userId": "u2", "claims": [1]}))
        .send()
        .await
        .unwrap();
    expect_error(res, 400).await;

    // Expired: 401. Wrong kid, same signature: 401.
    let mut past = serde_json::Map::new();
    past.insert("exp".into(), json!(1_000_000));
    let expired = env.emu.mint_user_token_with_claims("u1", None, past);
    expect_error(env.get("/v1/me", &expired).await, 401).await;
    let mut parts: Vec<&str> = token.split('.').collect();
    let other_kid = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT","kid":"nope"}"#);
    parts[0] = &other_kid;
    expect_error(env.get("/v1/me", &parts.join(".")).await, 401).await;
}

#[tokio::test]
async fn a_pinned_signing_key_is_used_and_a_malformed_one_refused() {
    let a = Env::with(EmulatorConfig::default().with_signing_key(Some(KEY.into()))).await;
    let b = Env::with(EmulatorConfig::default().with_signing_key(Some(KEY.into()))).await;
    assert_eq!(a.emu.jwks(), b.emu.jwks());
    // Same key: each accepts the other's tokens.
    assert_eq!(b.get("/v1/me", &a.user("u1")).await.status(), 200);
    for bad in [
        "",
        "not a key",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "-----BEGIN RSA PRIVATE KEY-----\n!!\n-----END RSA PRIVATE KEY-----\n",
    ] {
        let err = Emulator::start(EmulatorConfig::default().with_signing_key(Some(bad.into())))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{bad:?}");
        assert!(err.to_string().contains("invalid signing key"), "{err}");
        assert!(!err.to_string().contains("AAAA"), "{err}");
    }
}

#[tokio::test]
async fn seed_loads_exports_round_trips_and_survives_reset() {
    let seed = Seed::from_json(
        &json!({
            "tenants": [{"tenantId": "t1", "name": "Acme"}],
            "users": [{"userId": "u1", "email": "u1@example.com", "username": "one",
                       "tenantId": "t1", "roles": ["admin"], "permissions": ["read"]},
                      {"userId": "u2"}],
            "phoneNumbers": [{"userId": "u1", "phoneNumber": "+14155550100"},
                             {"id": "p2", "userId": "u2", "phoneNumber": "+14155550101", "verified": false,
                              "createdAt": "2026-01-01T00:00:00.000Z"}],
            "mfaDevices": [{"userId": "u1", "phoneNumber": "+14155550199"}]
        })
        .to_string(),
    )
    .unwrap();
    let env = Env::with(EmulatorConfig::default().with_seed(Some(seed.clone()))).await;
    let mine = env.mine(&env.user("u1")).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["verified"], true);
    let claims = part(&env.emu.mint_user_token("u1", None), 1);
    assert_eq!(claims["roles"], json!(["admin"]));
    assert_eq!(claims["tenantId"], "t1");
    // SMS sign-in finds the seeded user by e-mail.
    let res = env
        .http
        .post(env.url("/identity/resources/auth/v1/passwordless/smscode/prelogin"))
        .json(&json!({"email": "u1@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);

    // Export: the same format, with ids and dates filled in.
    let exported: Value = get_json(&env, "/_emulator/state").await;
    let exported = Seed::from_json(&exported.to_string()).unwrap();
    assert_eq!(exported, env.emu.export_state());
    assert_eq!(exported.tenants, seed.tenants);
    assert_eq!(exported.users, seed.users);
    assert_eq!(exported.phone_numbers.len(), 2);
    assert_eq!(exported.phone_numbers[1].id.as_deref(), Some("p2"));
    assert_eq!(
        exported.phone_numbers[1].created_at.as_deref(),
        Some("2026-01-01T00:00:00.000Z")
    );
    assert_eq!(exported.mfa_devices.len(), 1);

    // Round trip: a new emulator seeded with the export exports the same.
    let again = Env::with(EmulatorConfig::default().with_seed(Some(exported.clone()))).await;
    assert_eq!(again.emu.export_state(), exported);

    // Reset goes back to the seed.
    env.post(
        "/v1",
        &env.user("u1"),
        json!({"phoneNumber": "+14155550177", "verify": false}),
    )
    .await;
    assert_eq!(env.mine(&env.user("u1")).await.len(), 2);
    env.emu.reset();
    assert_eq!(env.mine(&env.user("u1")).await.len(), 1);
}

#[tokio::test]
async fn a_malformed_seed_is_a_clear_error() {
    let err = Seed::from_json("{\n  \"users\": [\n    {\"userId\": 5}\n  ]\n}").unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");
    let err = Seed::from_json("{\"users\": [], \"phoneNumbrs\": []}").unwrap_err();
    assert!(err.to_string().contains("phoneNumbrs"), "{err}");
    let err = Seed::from_json("{\n\"users\": [\n").unwrap_err();
    assert!(err.to_string().contains("line"), "{err}");
    // Parses, but an entry is invalid: the start fails and names it.
    let seed = Seed::from_json(r#"{"phoneNumbers": [{"userId": "u1", "phoneNumber": "555"}]}"#).unwrap();
    let err = Emulator::start(EmulatorConfig::default().with_seed(Some(seed)))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(err.to_string().contains("phoneNumbers[0]"), "{err}");
}

#[tokio::test]
async fn sessions_of_the_sms_sign_in_routes_are_signed_the_same_way() {
    let seed = Seed::from_json(
        r#"{"users": [{"userId": "u1", "roles": ["admin"]}],
            "mfaDevices": [{"id": "d1", "userId": "u1", "phoneNumber": "+14155550100"}]}"#,
    )
    .unwrap();
    let env = Env::with(EmulatorConfig::default().with_seed(Some(seed))).await;
    let mfa = env.emu.mfa_token("u1").unwrap();
    let base = "/identity/resources/auth/v1/user/mfa/sms/d1";
    let res = post_json(&env, base, json!({"mfaToken": mfa})).await;
    let code = env.emu.last_code("+14155550100").unwrap();
    let res = env
        .http
        .post(env.url(&format!("{base}/verify")))
        .json(&json!({"otcToken": res["otcToken"], "code": code, "mfaToken": mfa}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    let token = body["accessToken"].as_str().unwrap();
    assert_eq!(part(token, 0)["kid"], env.emu.jwks()["keys"][0]["kid"]);
    let claims = part(token, 1);
    assert_eq!(
        (claims["sub"].as_str(), claims["type"].as_str()),
        (Some("u1"), Some("userToken"))
    );
    assert_eq!(claims["roles"], json!(["admin"]));
    assert!(verifies(&env.emu.public_key_pem(), token));
    assert_eq!(env.get("/v1/me", token).await.status(), 200);
}
