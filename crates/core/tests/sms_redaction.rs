//! Secret canaries for the SMS routes (11 to 32): every secret they send or
//! receive (codes, `otcToken`s, MFA tokens, access and refresh tokens,
//! recovery codes, reset sessions and tokens, the provider token, sign-in
//! cookies, invitation and reCAPTCHA tokens) stays out of `Debug`, errors
//! and logs, on both clients, whether the calls succeed or fail; phone
//! numbers and e-mail addresses appear only masked.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::time::Duration;

use common::{PHONE, PHONE_DIGITS, error_texts, with_captured_logs};
use frontegg_identity_core::http::{Request, Response, StatusCode};
use frontegg_identity_core::{
    BlockingIdentityTransport, ClientBuilder, DeviceId, Error, IdentifierType, IdentityTransport,
    InvitationToken, LoginIdentifier, MfaToken, OtcToken, PasswordResetSession, PhoneNumber, ProviderToken,
    RecaptchaToken, ResetIdentifier, ResetSessionId, RetryPolicy, SessionCookies, SmsConfig, SmsLogin,
    SmsLoginOptions, SmsTemplate, TemplateType, TenantId, TransportError, UserId, VendorSecret,
    VerificationCode,
};

const EMAIL: &str = "jane.canary@example.com";
/// Every secret value carries this marker; none may be shown.
const MARK: &str = "CANARY";

fn canary(name: &str) -> String {
    format!("{name}-{MARK}")
}

fn assert_clean(what: &str, text: &str) {
    for leak in [MARK, PHONE_DIGITS, "jane.canary"] {
        let lines: Vec<&str> = text.lines().filter(|l| l.contains(leak)).collect();
        assert!(lines.is_empty(), "{what} leaks {leak:?}:\n{}", lines.join("\n"));
    }
}

/// Answers every route with its secrets (or, `failing`, with errors and
/// undecodable bodies that echo them).
#[derive(Clone, Copy)]
struct Echo {
    failing: bool,
}

impl Echo {
    fn answer(self, request: &Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        let path = request.uri().path();
        let (status, body) = if path == "/auth/vendor" {
            (
                200,
                format!(r#"{{"token":"{}","expiresIn":3600}}"#, canary("vendor-token")),
            )
        } else if self.failing {
            let n = request.body().len() % 3;
            match n {
                0 => (
                    400,
                    format!(r#"{{"errors":["bad code for {PHONE} {EMAIL}"],"errorCode":"ER-X"}}"#),
                ),
                1 => (201, format!(r#"{{"accessToken":"{}","#, canary("access"))),
                _ => (503, format!("<html>{PHONE} {EMAIL}</html>")),
            }
        } else {
            (
                201,
                format!(
                    r#"{{"otcToken":"{otc}","accessToken":"{at}","refreshToken":"{rt}","recoveryCode":"{rc}",
                        "mfaRequired":false,"userEmail":"{EMAIL}","qrCode":"{qr}","sessionId":"{sid}",
                        "token":"{tok}","userId":"u1","phoneNumber":"{PHONE}","resetPhoneNumberToken":"{rp}",
                        "phones":[{{"id":"d1","phoneNumber":"{PHONE}"}}],"emails":[{{"email":"{EMAIL}"}}],
                        "senderName":"Acme","type":"t"}}"#,
                    otc = canary("otc"),
                    at = canary("access"),
                    rt = canary("refresh"),
                    rc = canary("recovery"),
                    qr = canary("qr"),
                    sid = canary("session"),
                    tok = canary("token"),
                    rp = canary("reset-phone"),
                ),
            )
        };
        let mut response = Response::new(body.into_bytes());
        *response.status_mut() = StatusCode::from_u16(status).unwrap();
        if path.ends_with("/prelogin") {
            response.headers_mut().insert(
                "set-cookie",
                format!("flow={}; HttpOnly", canary("cookie")).parse().unwrap(),
            );
        }
        Ok(response)
    }
}

impl BlockingIdentityTransport for Echo {
    fn execute(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        self.answer(&request)
    }
}

#[async_trait::async_trait]
impl IdentityTransport for Echo {
    async fn execute(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        self.answer(&request)
    }
}

/// The arguments every route is called with, each secret a canary.
struct Args {
    phone: PhoneNumber,
    otc: OtcToken,
    code: VerificationCode,
    mfa: MfaToken,
    device: DeviceId,
    user: UserId,
    tenant: TenantId,
    login_id: LoginIdentifier,
    login: SmsLogin,
    options: SmsLoginOptions,
    reset_id: ResetIdentifier,
    session: PasswordResetSession,
    config: SmsConfig,
    kind: TemplateType,
    template: SmsTemplate,
}

fn args() -> Args {
    let mut options = SmsLoginOptions::default();
    options.invitation_token = Some(InvitationToken::new(canary("invite")).unwrap());
    options.recaptcha_token = Some(RecaptchaToken::new(canary("captcha")).unwrap());
    let mut config = SmsConfig::new();
    config.token = Some(ProviderToken::new(canary("provider")).unwrap());
    Args {
        phone: PhoneNumber::parse(PHONE).unwrap(),
        otc: OtcToken::new(canary("otc-in")).unwrap(),
        code: VerificationCode::parse(&canary("code")).unwrap(),
        mfa: MfaToken::new(canary("mfa")).unwrap(),
        device: DeviceId::new("d1").unwrap(),
        user: UserId::new("u1").unwrap(),
        tenant: TenantId::new("t1").unwrap(),
        login_id: LoginIdentifier::email(EMAIL).unwrap(),
        login: SmsLogin::resume(Some(SessionCookies::new(canary("jar")).unwrap())),
        options,
        reset_id: ResetIdentifier::new(EMAIL, IdentifierType::Email).unwrap(),
        session: PasswordResetSession {
            session_id: ResetSessionId::new(canary("session-in")).unwrap(),
        },
        config,
        kind: TemplateType::new("t").unwrap(),
        template: SmsTemplate::new(serde_json::json!({"body": "x"})).unwrap(),
    }
}

/// Every SMS route's result on `client`, `Debug`-printed (errors with their
/// whole source chain).
macro_rules! every_route {
    ($client:expr, $a:expr, $finish:ident) => {{
        let (c, a) = (&$client, &$a);
        let mut shown = String::new();
        let mut show = |what: &str, text: String, err: Option<&Error>| {
            shown.push_str(&format!("{what}: {text}\n"));
            if let Some(err) = err {
                shown.push_str(&error_texts(err));
            }
        };
        macro_rules! record {
            ($what:literal, $call:expr) => {{
                let result = $finish!($call);
                show(
                    $what,
                    format!("{result:?} {result:#?}"),
                    result.as_ref().err(),
                );
            }};
        }
        let (m, pl, pw, s) = (c.mfa(), c.passwordless(), c.passwords(), c.sms_settings());
        record!("11", m.start_sms_enrollment(&a.phone));
        record!("11 login", m.start_sms_enrollment_at_login(&a.phone, &a.mfa));
        record!("12", m.finish_sms_enrollment(&a.otc, &a.code));
        record!(
            "12 login",
            m.finish_sms_enrollment_at_login(&a.otc, &a.code, &a.mfa, true)
        );
        record!("13", m.send_sms_code(&a.device, &a.mfa));
        record!("14", m.verify_sms_code(&a.device, &a.mfa, &a.otc, &a.code, true));
        record!("15", m.enroll_sms(&a.user, &a.phone));
        record!("16", m.verify_sms_enrollment(&a.user, &a.otc, &a.code));
        record!("17", m.start_sms_disable(&a.user, &a.device, Some(&a.tenant)));
        record!("18", m.confirm_sms_disable(&a.user, &a.device, &a.otc, &a.code));
        record!("19", pl.start_sms_login(&a.login_id, &a.options));
        record!("20", pl.finish_sms_login(&a.login, &a.code, &a.options));
        record!("21", pw.start_sms_reset(&a.reset_id));
        record!("22", pw.verify_sms_reset(&a.session, &a.code));
        record!("23", s.get());
        record!("24", s.set(&a.config));
        record!("25", s.delete());
        record!("26", s.templates());
        record!("27", s.template(&a.kind));
        record!("28", s.set_template(&a.kind, &a.template));
        record!("29", s.delete_template(&a.kind));
        record!("30", s.default_template(&a.kind));
        record!("31", s.default_templates());
        record!("32", m.list_devices(Some(&a.user)));
        shown
    }};
}

macro_rules! blocking {
    ($call:expr) => {
        $call
    };
}

fn run(failing: bool) -> (String, String) {
    with_captured_logs(|| {
        let a = args();
        let builder = ClientBuilder::new()
            .vendor_credentials("cid", VendorSecret::new(canary("secret")).unwrap())
            .tenant_id(a.tenant.clone())
            .user_id(a.user.clone())
            .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)));
        let mut shown = format!("{builder:?}\n{:?}\n", a.login);
        let blocking_client = builder.clone().build_blocking_with(Echo { failing }).unwrap();
        shown.push_str(&every_route!(blocking_client, a, blocking));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let async_client = builder.build_with(Echo { failing }).unwrap();
        macro_rules! awaited {
            ($call:expr) => {
                runtime.block_on($call)
            };
        }
        shown.push_str(&every_route!(async_client, a, awaited));
        shown
    })
}

#[test]
fn successful_sms_calls_leak_nothing() {
    let (shown, log) = run(false);
    assert!(shown.contains("SignedIn"), "{shown}");
    assert!(shown.contains("+*********23"), "numbers appear masked:\n{shown}");
    assert!(
        log.contains("frontegg call answered"),
        "the log was captured:\n{log}"
    );
    assert_clean("results", &shown);
    assert_clean("log", &log);
}

#[test]
fn failing_sms_calls_leak_nothing() {
    let (shown, log) = run(true);
    assert!(shown.contains("ER-X") && shown.contains("Decode"), "{shown}");
    assert_clean("errors", &shown);
    assert_clean("log", &log);
}
