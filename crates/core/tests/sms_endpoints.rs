//! Golden tests of the SMS routes (11 to 32) through a client: the exact
//! request each builds (method, path, credentials, headers, JSON body), how
//! each reads its answers, and what is refused before anything is sent.
#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::{Arc, Mutex};

use frontegg_identity_core::http::{Method, Request, Response, StatusCode};
use frontegg_identity_core::{
    AccessToken, AuthResult, BlockingClient, BlockingIdentityTransport, ClientBuilder, DeviceId, Error,
    IdentifierType, LoginIdentifier, MfaToken, OtcToken, PasswordResetSession, PhoneNumber, ResetIdentifier,
    ResetSessionId, Route, SmsConfig, SmsLoginOptions, SmsTemplate, TemplateType, TenantId, TransportError,
    UserId, VendorSecret, VerificationCode,
};
use serde_json::{Value, json};

const GATEWAY: &str = "https://api.frontegg.com";

/// One canned answer per request, in order; every request is kept.
#[derive(Clone, Default)]
struct Canned {
    answers: Arc<Mutex<Vec<Response<Vec<u8>>>>>,
    seen: Arc<Mutex<Vec<Request<Vec<u8>>>>>,
}

impl BlockingIdentityTransport for Canned {
    fn execute(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let is_auth = request.uri().path() == "/auth/vendor";
        self.seen.lock().unwrap().push(request);
        if is_auth {
            return Ok(Response::new(
                br#"{"token":"vendor-tok","expiresIn":600}"#.to_vec(),
            ));
        }
        let mut answers = self.answers.lock().unwrap();
        assert!(!answers.is_empty(), "an unexpected request");
        Ok(answers.remove(0))
    }
}

impl Canned {
    fn answer(&self, status: u16, headers: &[(&str, &str)], body: &str) -> &Self {
        let mut response = Response::new(body.as_bytes().to_vec());
        *response.status_mut() = StatusCode::from_u16(status).unwrap();
        for (name, value) in headers {
            response.headers_mut().append(
                frontegg_identity_core::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        self.answers.lock().unwrap().push(response);
        self
    }

    /// The requests sent, vendor authentication left out.
    fn calls(&self) -> Vec<Call> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.uri().path() != "/auth/vendor")
            .map(Call::of)
            .collect()
    }

    fn last(&self) -> Call {
        self.calls().pop().expect("a request")
    }
}

#[derive(Debug)]
struct Call {
    method: Method,
    uri: String,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Call {
    fn of(request: &Request<Vec<u8>>) -> Self {
        Self {
            method: request.method().clone(),
            uri: request.uri().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
                .collect(),
            body: if request.body().is_empty() {
                Value::Null
            } else {
                serde_json::from_slice(request.body()).unwrap()
            },
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn path(&self) -> &str {
        self.uri.strip_prefix(GATEWAY).unwrap()
    }
}

fn user_client(canned: &Canned) -> BlockingClient<Canned> {
    ClientBuilder::new()
        .user_token(AccessToken::new("user-tok").unwrap())
        .build_blocking_with(canned.clone())
        .unwrap()
}

fn vendor_client(canned: &Canned, tenant: bool) -> BlockingClient<Canned> {
    let builder = ClientBuilder::new().vendor_credentials("cid", VendorSecret::new("key").unwrap());
    let builder = if tenant {
        builder.tenant_id(TenantId::new("t-1").unwrap())
    } else {
        builder
    };
    builder.build_blocking_with(canned.clone()).unwrap()
}

fn anonymous_client(canned: &Canned) -> BlockingClient<Canned> {
    ClientBuilder::new()
        .vendor_host("app-x.frontegg.com")
        .build_blocking_with(canned.clone())
        .unwrap()
}

fn phone() -> PhoneNumber {
    PhoneNumber::parse("+1 415 555 0100").unwrap()
}

fn code() -> VerificationCode {
    VerificationCode::parse("123456").unwrap()
}

fn otc() -> OtcToken {
    OtcToken::new("otc-1").unwrap()
}

fn mfa_token() -> MfaToken {
    MfaToken::new("mfa-1").unwrap()
}

fn device() -> DeviceId {
    DeviceId::new("dev/1").unwrap()
}

const SIGNED_IN: &str = r#"{"accessToken":"at","refreshToken":"rt","expiresIn":300,"expires":"x","mfaRequired":false,"recoveryCode":"rc"}"#;

/// Answers an `otcToken`, then a signed-in result.
fn otc_then_signed_in(otc: &str) -> Canned {
    let canned = Canned::default();
    canned
        .answer(201, &[], &format!(r#"{{"otcToken":"{otc}"}}"#))
        .answer(201, &[], SIGNED_IN);
    canned
}

#[test]
fn user_enrollment_sends_the_user_token() {
    let canned = otc_then_signed_in("otc-1");
    let client = user_client(&canned);
    let otc = client.mfa().start_sms_enrollment(&phone()).unwrap();
    let first = canned.last();
    assert_eq!(first.method, Method::POST);
    assert_eq!(first.path(), "/identity/resources/auth/v1/user/mfa/sms/enroll");
    assert_eq!(first.header("authorization"), Some("Bearer user-tok"));
    assert_eq!(first.body, json!({"phoneNumber": "+14155550100"}));
    let result = client.mfa().finish_sms_enrollment(&otc, &code()).unwrap();
    let second = canned.last();
    assert_eq!(
        second.path(),
        "/identity/resources/auth/v1/user/mfa/sms/enroll/verify"
    );
    assert_eq!(second.body, json!({"otcToken": "otc-1", "code": "123456"}));
    let signed = result.signed_in().unwrap();
    assert_eq!(signed.access_token.expose_secret(), "at");
    assert_eq!(signed.recovery_code.as_ref().unwrap().expose_secret(), "rc");
    assert_eq!(signed.expires_in, Some(300));
}

#[test]
fn login_step_enrollment_needs_no_credentials() {
    let canned = otc_then_signed_in("otc-1");
    let client = anonymous_client(&canned);
    let token = mfa_token();
    client
        .mfa()
        .start_sms_enrollment_at_login(&phone(), &token)
        .unwrap();
    let first = canned.last();
    assert_eq!(first.header("authorization"), None);
    assert_eq!(
        first.body,
        json!({"phoneNumber": "+14155550100", "mfaToken": "mfa-1"})
    );
    client
        .mfa()
        .finish_sms_enrollment_at_login(&otc(), &code(), &token, true)
        .unwrap();
    assert_eq!(
        canned.last().body,
        json!({"otcToken": "otc-1", "code": "123456", "mfaToken": "mfa-1", "rememberDevice": true})
    );
    // Without the MFA token, the same route needs credentials: refused before sending.
    let err = client.mfa().start_sms_enrollment(&phone()).unwrap_err();
    assert!(matches!(err, Error::Configuration(_)), "{err}");
    assert_eq!(canned.calls().len(), 2);
}

#[test]
fn the_second_factor_at_sign_in() {
    let canned = otc_then_signed_in("otc-2");
    let client = anonymous_client(&canned);
    let (device, token) = (device(), mfa_token());
    let otc = client.mfa().send_sms_code(&device, &token).unwrap();
    let first = canned.last();
    assert_eq!(first.path(), "/identity/resources/auth/v1/user/mfa/sms/dev%2F1");
    assert_eq!(first.header("authorization"), None);
    assert_eq!(first.body, json!({"mfaToken": "mfa-1"}));
    assert_eq!(otc.expose_secret(), "otc-2");
    let result = client
        .mfa()
        .verify_sms_code(&device, &token, &otc, &code(), false)
        .unwrap();
    let second = canned.last();
    assert_eq!(
        second.path(),
        "/identity/resources/auth/v1/user/mfa/sms/dev%2F1/verify"
    );
    assert_eq!(
        second.body,
        json!({"otcToken": "otc-2", "code": "123456", "mfaToken": "mfa-1", "rememberDevice": false})
    );
    assert!(result.signed_in().is_some());
}

#[test]
fn vendor_management_names_the_user_and_the_tenant() {
    let canned = Canned::default();
    canned
        .answer(200, &[], r#"{"otcToken":"o"}"#)
        .answer(200, &[], r#"{"recoveryCode":"rc-9"}"#)
        .answer(200, &[], "")
        .answer(200, &[], r#"{"otcToken":"o2"}"#)
        .answer(200, &[], "")
        .answer(200, &[], r#"{"phones":[{"id":"d1","phoneNumber":"+14155550100"}],"webauthn":[],"authenticators":[],"emails":[]}"#);
    let client = vendor_client(&canned, true);
    let user = UserId::new("u-1").unwrap();
    client.mfa().enroll_sms(&user, &phone()).unwrap();
    let enroll = canned.last();
    assert_eq!(enroll.path(), "/identity/resources/users/v1/mfa/sms/enroll");
    assert_eq!(enroll.header("frontegg-user-id"), Some("u-1"));
    assert_eq!(enroll.header("authorization"), Some("Bearer vendor-tok"));
    let recovery = client
        .mfa()
        .verify_sms_enrollment(&user, &otc(), &code())
        .unwrap();
    assert_eq!(recovery.unwrap().expose_secret(), "rc-9");
    assert!(
        client
            .mfa()
            .verify_sms_enrollment(&user, &otc(), &code())
            .unwrap()
            .is_none()
    );
    let other_tenant = TenantId::new("t-2").unwrap();
    client
        .mfa()
        .start_sms_disable(&user, &device(), Some(&other_tenant))
        .unwrap();
    let disable = canned.last();
    assert_eq!(
        disable.path(),
        "/identity/resources/users/v1/mfa/sms/dev%2F1/disable"
    );
    assert_eq!(disable.header("frontegg-tenant-id"), Some("t-2"));
    assert_eq!(disable.body, json!({}));
    client
        .mfa()
        .confirm_sms_disable(&user, &device(), &otc(), &code())
        .unwrap();
    assert_eq!(
        canned.last().path(),
        "/identity/resources/users/v1/mfa/sms/dev%2F1/disable/verify"
    );
    let devices = client.mfa().list_devices(Some(&user)).unwrap();
    let list = canned.last();
    assert_eq!(
        (list.method.clone(), list.path()),
        (Method::GET, "/identity/resources/users/v1/mfa/devices")
    );
    assert_eq!(list.header("frontegg-user-id"), Some("u-1"));
    assert_eq!(devices.phones[0].id.as_str(), "d1");
}

#[test]
fn disabling_without_a_tenant_is_refused_before_sending() {
    let canned = Canned::default();
    let client = vendor_client(&canned, false);
    let user = UserId::new("u-1").unwrap();
    let err = client
        .mfa()
        .start_sms_disable(&user, &device(), None)
        .unwrap_err();
    assert!(
        matches!(err, Error::Configuration(ref m) if m.contains("tenant")),
        "{err}"
    );
    assert!(
        canned.seen.lock().unwrap().is_empty(),
        "nothing is sent, not even vendor auth"
    );
    // The vendor routes need vendor credentials.
    let err = user_client(&canned)
        .mfa()
        .enroll_sms(&user, &phone())
        .unwrap_err();
    assert!(matches!(err, Error::Configuration(_)));
    // With vendor credentials and no user anywhere, the device list is refused.
    let err = client.mfa().list_devices(None).unwrap_err();
    assert!(matches!(err, Error::Configuration(_)));
    assert!(canned.seen.lock().unwrap().is_empty());
}

#[test]
fn passwordless_sign_in_keeps_its_cookies_for_its_own_flow() {
    let canned = Canned::default();
    canned
        .answer(
            201,
            &[("set-cookie", "fe_flow=abc; Path=/; HttpOnly"), ("set-cookie", "other=1; Secure")],
            r#"{"phoneNumber":"+*********00"}"#,
        )
        .answer(201, &[], r#"{"mfaRequired":true,"mfaToken":"m","mfaDevices":{"phones":[{"id":"d","phoneNumber":"+*********00"}]}}"#);
    let client = anonymous_client(&canned);
    let who = LoginIdentifier::email("jane@example.com").unwrap();
    let options = SmsLoginOptions::default();
    let login = client.passwordless().start_sms_login(&who, &options).unwrap();
    let start = canned.last();
    assert_eq!(
        start.path(),
        "/identity/resources/auth/v1/passwordless/smscode/prelogin"
    );
    assert_eq!(start.body, json!({"email": "jane@example.com"}));
    assert_eq!(start.header("frontegg-vendor-host"), Some("app-x.frontegg.com"));
    assert_eq!(start.header("authorization"), None);
    assert_eq!(login.phone_number(), Some("+*********00"));
    assert!(!format!("{login:?}").contains("abc"));
    let result = client
        .passwordless()
        .finish_sms_login(&login, &code(), &options)
        .unwrap();
    let finish = canned.last();
    assert_eq!(finish.body, json!({"token": "123456"}));
    assert_eq!(finish.header("cookie"), Some("fe_flow=abc; other=1"));
    match result {
        AuthResult::MfaRequired(m) => assert_eq!(m.devices.phones[0].id.as_str(), "d"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn password_reset_by_sms() {
    let canned = Canned::default();
    canned
        .answer(200, &[], r#"{"sessionId":"s-1"}"#)
        .answer(200, &[], r#"{"userId":"u-1","token":"reset-tok"}"#)
        .answer(200, &[], "{}");
    let client = anonymous_client(&canned);
    let who = ResetIdentifier::new("+1 415 555 0100", IdentifierType::PhoneNumber).unwrap();
    let session = client.passwords().start_sms_reset(&who).unwrap();
    assert_eq!(
        canned.last().body,
        json!({"identifier": "+14155550100", "identifierType": "phoneNumber"})
    );
    let token = client.passwords().verify_sms_reset(&session, &code()).unwrap();
    assert_eq!(
        canned.last().body,
        json!({"otcToken": "123456", "sessionId": "s-1"})
    );
    assert_eq!(token.user_id.as_deref(), Some("u-1"));
    assert_eq!(token.token.expose_secret(), "reset-tok");
    // An answer without the token is a decode error that names no secret.
    let session = PasswordResetSession {
        session_id: ResetSessionId::new("s-2").unwrap(),
    };
    let err = client
        .passwords()
        .verify_sms_reset(&session, &code())
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err}");
}

#[test]
fn sms_settings() {
    let canned = Canned::default();
    canned
        .answer(404, &[], r#"{"errors":["none"]}"#)
        .answer(201, &[], r#"{"senderName":"Acme","provider":"twilio"}"#)
        .answer(200, &[], "")
        .answer(200, &[], r#"[{"type":"a","body":"x"},7]"#)
        .answer(404, &[], "")
        .answer(201, &[], "")
        .answer(200, &[], "")
        .answer(200, &[], r#"{"type":"b"}"#)
        .answer(200, &[], r#"{"type":"c"}"#);
    let client = vendor_client(&canned, true);
    let settings = client.sms_settings();
    assert!(settings.get().unwrap().is_none());
    let mut config = SmsConfig::new();
    config.sender_name = Some("Acme".into());
    config.token = Some(frontegg_identity_core::ProviderToken::new("provider-secret").unwrap());
    let stored = settings.set(&config).unwrap();
    assert_eq!(stored.provider.as_deref(), Some("twilio"));
    let set = canned.last();
    assert_eq!(
        (set.method.clone(), set.path()),
        (Method::POST, "/identity/resources/configurations/v1/sms")
    );
    assert_eq!(
        set.body,
        json!({"senderName": "Acme", "token": "provider-secret"})
    );
    settings.delete().unwrap();
    assert_eq!(canned.last().method, Method::DELETE);
    let templates = settings.templates().unwrap();
    assert_eq!(templates.len(), 1);
    assert_eq!(templates[0].template_type(), Some("a"));
    let kind = TemplateType::new("my type").unwrap();
    assert!(settings.template(&kind).unwrap().is_none());
    assert_eq!(
        canned.last().path(),
        "/identity/resources/configurations/v1/sms/templates/my%20type"
    );
    let template = SmsTemplate::new(json!({"body": "Code {{code}}"})).unwrap();
    let saved = settings.set_template(&kind, &template).unwrap();
    assert_eq!(saved, template, "an empty answer means what was sent was stored");
    settings.delete_template(&kind).unwrap();
    assert_eq!(canned.last().method, Method::DELETE);
    assert_eq!(
        settings.default_template(&kind).unwrap().unwrap().template_type(),
        Some("b")
    );
    assert_eq!(
        canned.last().path(),
        "/identity/resources/configurations/v1/sms/templates/my%20type/default"
    );
    assert_eq!(
        settings.default_templates().unwrap()[0].template_type(),
        Some("c")
    );
    assert_eq!(
        canned.last().path(),
        "/identity/resources/configurations/v1/sms/templates/default/all"
    );
}

#[test]
fn every_route_is_in_the_table_once_with_its_template() {
    let paths: Vec<_> = Route::ALL.iter().map(|r| (r.method(), r.path())).collect();
    for (i, path) in paths.iter().enumerate() {
        assert!(!paths[i + 1..].contains(path), "{path:?} twice");
    }
    assert_eq!(Route::ALL.len(), 32, "vendor auth and routes 1 to 32 but 8");
}
