//! Helpers for the scenarios in `tests/`: one list of scenarios, each run
//! against every real transport (async reqwest, async hyper and blocking
//! ureq) over loopback HTTP.
//!
//! A scenario builds a client with [`Backend::build`] and runs calls as
//! [`Op`] values through [`AnyClient::run`], which sends them through the
//! async client, or through the blocking client on a `spawn_blocking`
//! thread (the mock servers need a tokio runtime to keep answering).

pub mod net;
pub mod raw_server;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use std::any::Any;
use std::fmt;

use frontegg_identity_core::endpoint::Endpoint;
use frontegg_identity_core::{
    AccessToken, BoxFuture, CallOptions, Client, ClientBuilder, DeviceId, Dispatch, Error, Groups,
    IdentifierType, IdentityTransport, ListQuery, LoginIdentifier, MfaToken, OtcToken, Page,
    PasswordResetSession, PendingDeletion, PhoneNumber, PhoneNumberId, PhoneNumberRecord, ResetIdentifier,
    ResetSessionId, RetryPolicy, Route, SmsConfig, SmsLogin, SmsLoginOptions, SmsTemplate, TemplateType,
    TenantId, UserId, VendorSecret, VerificationCode,
};
use frontegg_identity_hyper::{HyperBuild, HyperClient};
use frontegg_identity_reqwest::{ReqwestBuild, ReqwestClient};
use frontegg_identity_ureq::{UreqBuild, UreqClient};

/// The user token the scenarios send.
pub const USER_TOKEN: &str = "user-token-1";
/// The vendor client id.
pub const CLIENT_ID: &str = "client-1";
/// The vendor secret.
pub const VENDOR_SECRET: &str = "vendor-secret-1";
/// The tenant sent with vendor tokens.
pub const TENANT: &str = "tenant-1";
/// The identity routes' prefix.
pub const PHONES: &str = "/identity/resources/users/phone-numbers";

/// Which real transport a scenario runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The async client over reqwest.
    Reqwest,
    /// The async client over hyper.
    Hyper,
    /// The blocking client over ureq.
    Ureq,
}

impl Backend {
    /// Every backend: what a scenario runs on.
    pub const ALL: [Self; 3] = [Self::Reqwest, Self::Hyper, Self::Ureq];

    /// Builds a client of this kind with the transport crate's one-line
    /// builder, or says why it cannot.
    pub fn try_build(self, builder: ClientBuilder) -> Result<AnyClient, Error> {
        Ok(match self {
            Self::Reqwest => AnyClient::Async(ReqwestBuild::build(builder)?),
            Self::Hyper => AnyClient::Hyper(HyperBuild::build(builder)?),
            Self::Ureq => AnyClient::Blocking(UreqBuild::build(builder)?),
        })
    }

    /// Builds a client of this kind.
    ///
    /// # Panics
    /// When the builder is refused.
    #[must_use]
    pub fn build(self, builder: ClientBuilder) -> AnyClient {
        self.try_build(builder)
            .unwrap_or_else(|e| panic!("a {self:?} client: {e}"))
    }
}

/// A client of any kind.
#[derive(Debug, Clone)]
pub enum AnyClient {
    /// Async, over reqwest.
    Async(ReqwestClient),
    /// Async, over hyper.
    Hyper(HyperClient),
    /// Blocking, over ureq.
    Blocking(UreqClient),
}

/// One call of the API, owning its arguments: one variant per route of
/// core's table (vendor authentication aside), so that a scenario can send
/// any route through either client.
#[derive(Debug, Clone)]
pub enum Op {
    /// Route 1.
    Assign(PhoneNumber, bool),
    /// Route 2.
    Preverify(PhoneNumber),
    /// Route 3.
    Verify(OtcToken, VerificationCode),
    /// Route 4.
    ListMine,
    /// Route 5.
    StartDelete(PhoneNumberId),
    /// Route 6.
    ConfirmDelete(PhoneNumberId, OtcToken, VerificationCode),
    /// Route 7.
    List(ListQuery),
    /// Route 9.
    VendorAdd(UserId, PhoneNumber),
    /// Route 10.
    VendorDelete(UserId, PhoneNumberId),
    /// Route 11 (with an MFA token: the login-step variant).
    StartSmsEnrollment(PhoneNumber, Option<MfaToken>),
    /// Route 12 (with an MFA token: the login-step variant).
    FinishSmsEnrollment(OtcToken, VerificationCode, Option<MfaToken>),
    /// Route 13.
    SendSmsCode(DeviceId, MfaToken),
    /// Route 14.
    VerifySmsCode(DeviceId, MfaToken, OtcToken, VerificationCode),
    /// Route 15.
    EnrollSms(UserId, PhoneNumber),
    /// Route 16.
    VerifySmsEnrollment(UserId, OtcToken, VerificationCode),
    /// Route 17.
    StartSmsDisable(UserId, DeviceId, Option<TenantId>),
    /// Route 18.
    ConfirmSmsDisable(UserId, DeviceId, OtcToken, VerificationCode),
    /// Route 19.
    StartSmsLogin(LoginIdentifier),
    /// Route 20.
    FinishSmsLogin(SmsLogin, VerificationCode),
    /// Route 21.
    StartSmsReset(ResetIdentifier),
    /// Route 22.
    VerifySmsReset(PasswordResetSession, VerificationCode),
    /// Route 23.
    GetSmsConfig,
    /// Route 24.
    SetSmsConfig(SmsConfig),
    /// Route 25.
    DeleteSmsConfig,
    /// Route 26.
    SmsTemplates,
    /// Route 27.
    SmsTemplate(TemplateType),
    /// Route 28.
    SetSmsTemplate(TemplateType, SmsTemplate),
    /// Route 29.
    DeleteSmsTemplate(TemplateType),
    /// Route 30.
    DefaultSmsTemplate(TemplateType),
    /// Route 31.
    DefaultSmsTemplates,
    /// Route 32.
    MfaDevices(Option<UserId>),
}

impl Op {
    /// The route this call sends.
    #[must_use]
    pub fn route(&self) -> Route {
        match self {
            Self::Assign(..) => Route::Assign,
            Self::Preverify(..) => Route::Preverify,
            Self::Verify(..) => Route::Verify,
            Self::ListMine => Route::ListMine,
            Self::StartDelete(..) => Route::StartDelete,
            Self::ConfirmDelete(..) => Route::ConfirmDelete,
            Self::List(..) => Route::List,
            Self::VendorAdd(..) => Route::VendorAdd,
            Self::VendorDelete(..) => Route::VendorDelete,
            Self::StartSmsEnrollment(..) => Route::StartSmsEnrollment,
            Self::FinishSmsEnrollment(..) => Route::FinishSmsEnrollment,
            Self::SendSmsCode(..) => Route::SendSmsCode,
            Self::VerifySmsCode(..) => Route::VerifySmsCode,
            Self::EnrollSms(..) => Route::EnrollSms,
            Self::VerifySmsEnrollment(..) => Route::VerifySmsEnrollment,
            Self::StartSmsDisable(..) => Route::StartSmsDisable,
            Self::ConfirmSmsDisable(..) => Route::ConfirmSmsDisable,
            Self::StartSmsLogin(..) => Route::StartSmsLogin,
            Self::FinishSmsLogin(..) => Route::FinishSmsLogin,
            Self::StartSmsReset(..) => Route::StartSmsReset,
            Self::VerifySmsReset(..) => Route::VerifySmsReset,
            Self::GetSmsConfig => Route::GetSmsConfig,
            Self::SetSmsConfig(..) => Route::SetSmsConfig,
            Self::DeleteSmsConfig => Route::DeleteSmsConfig,
            Self::SmsTemplates => Route::SmsTemplates,
            Self::SmsTemplate(..) => Route::SmsTemplate,
            Self::SetSmsTemplate(..) => Route::SetSmsTemplate,
            Self::DeleteSmsTemplate(..) => Route::DeleteSmsTemplate,
            Self::DefaultSmsTemplate(..) => Route::DefaultSmsTemplate,
            Self::DefaultSmsTemplates => Route::DefaultSmsTemplates,
            Self::MfaDevices(..) => Route::MfaDevices,
        }
    }

    /// One call of every route, with well-formed (not necessarily valid)
    /// arguments: what a layer-coverage test sends.
    #[must_use]
    pub fn one_of_each() -> Vec<Self> {
        let otc = || OtcToken::new("otc-sample").expect("a token");
        let code = || VerificationCode::parse("000000").expect("a code");
        let user = || UserId::new("user-sample").expect("a user");
        let device = || DeviceId::new("device-sample").expect("a device");
        let mfa = || MfaToken::new("mfa-sample").expect("a token");
        let kind = || TemplateType::new("sample").expect("a type");
        let template = SmsTemplate::new(serde_json::json!({"body": "{{code}}"})).expect("an object");
        vec![
            Self::Assign(phone(), true),
            Self::Preverify(phone()),
            Self::Verify(otc(), code()),
            Self::ListMine,
            Self::StartDelete(PhoneNumberId::new("id-sample").expect("an id")),
            Self::ConfirmDelete(PhoneNumberId::new("id-sample").expect("an id"), otc(), code()),
            Self::List(ListQuery::new()),
            Self::VendorAdd(user(), phone()),
            Self::VendorDelete(user(), PhoneNumberId::new("id-sample").expect("an id")),
            Self::StartSmsEnrollment(phone(), None),
            Self::FinishSmsEnrollment(otc(), code(), None),
            Self::SendSmsCode(device(), mfa()),
            Self::VerifySmsCode(device(), mfa(), otc(), code()),
            Self::EnrollSms(user(), phone()),
            Self::VerifySmsEnrollment(user(), otc(), code()),
            Self::StartSmsDisable(user(), device(), None),
            Self::ConfirmSmsDisable(user(), device(), otc(), code()),
            Self::StartSmsLogin(LoginIdentifier::email("sample@example.com").expect("an e-mail")),
            Self::FinishSmsLogin(SmsLogin::resume(None), code()),
            Self::StartSmsReset(
                ResetIdentifier::new("sample@example.com", IdentifierType::Email).expect("an e-mail"),
            ),
            Self::VerifySmsReset(
                PasswordResetSession {
                    session_id: ResetSessionId::new("session-sample").expect("an id"),
                },
                code(),
            ),
            Self::GetSmsConfig,
            Self::SetSmsConfig(SmsConfig::new()),
            Self::DeleteSmsConfig,
            Self::SmsTemplates,
            Self::SmsTemplate(kind()),
            Self::SetSmsTemplate(kind(), template),
            Self::DeleteSmsTemplate(kind()),
            Self::DefaultSmsTemplate(kind()),
            Self::DefaultSmsTemplates,
            Self::MfaDevices(Some(user())),
        ]
    }
}

/// What a call returned: the route's output, whatever its type.
pub struct Outcome(Box<dyn Any + Send>);

impl fmt::Debug for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Outcome(..)")
    }
}

impl Outcome {
    /// The output, as the route's output type.
    ///
    /// # Panics
    /// When the output is of another type.
    #[must_use]
    pub fn take<T: 'static>(self) -> T {
        *self
            .0
            .downcast::<T>()
            .unwrap_or_else(|_| panic!("the outcome is not a {}", std::any::type_name::<T>()))
    }

    /// The token of an assign, preverify or start-delete.
    #[must_use]
    pub fn otc(self) -> Option<OtcToken> {
        if self.0.is::<OtcToken>() {
            return Some(self.take());
        }
        if self.0.is::<PendingDeletion>() {
            return Some(self.take::<PendingDeletion>().otc_token);
        }
        self.take::<Option<OtcToken>>()
    }

    /// The records of a list-mine.
    #[must_use]
    pub fn records(self) -> Vec<PhoneNumberRecord> {
        self.take()
    }

    /// The page of a list.
    #[must_use]
    pub fn page(self) -> Page<PhoneNumberRecord> {
        self.take()
    }

    /// The pending deletion of a start-delete.
    #[must_use]
    pub fn pending(self) -> PendingDeletion {
        self.take()
    }
}

/// A client whose calls can be awaited, whichever kind it is.
trait Awaitable: Dispatch {
    fn finish<'a, E: Endpoint + 'a>(call: Self::Call<'a, E>) -> BoxFuture<'a, Result<E::Output, Error>>;
}

impl<T: IdentityTransport> Awaitable for Client<T> {
    fn finish<'a, E: Endpoint + 'a>(call: Self::Call<'a, E>) -> BoxFuture<'a, Result<E::Output, Error>> {
        call
    }
}

impl Awaitable for UreqClient {
    fn finish<'a, E: Endpoint + 'a>(call: Self::Call<'a, E>) -> BoxFuture<'a, Result<E::Output, Error>> {
        Box::pin(std::future::ready(call))
    }
}

impl AnyClient {
    /// Runs `op` on this client (the blocking one on a blocking thread).
    pub async fn run(&self, op: Op) -> Result<Outcome, Error> {
        match self {
            Self::Async(client) => run_on(client, op).await,
            Self::Hyper(client) => run_on(client, op).await,
            Self::Blocking(client) => {
                let client = client.clone();
                tokio::task::spawn_blocking(move || futures_executor_block_on(run_on(&client, op)))
                    .await
                    .expect("the blocking call panicked")
            }
        }
    }
}

impl AnyClient {
    /// A copy of this client with `options` over its own.
    pub fn with_options(&self, options: CallOptions) -> Result<Self, Error> {
        Ok(match self {
            Self::Async(c) => Self::Async(c.with_options(options)?),
            Self::Hyper(c) => Self::Hyper(c.with_options(options)?),
            Self::Blocking(c) => Self::Blocking(c.with_options(options)?),
        })
    }

    /// The options this client's calls run with.
    #[must_use]
    pub fn options(&self) -> CallOptions {
        match self {
            Self::Async(c) => c.options(),
            Self::Hyper(c) => c.options(),
            Self::Blocking(c) => c.options(),
        }
    }
}

/// Drives a future that never waits (a blocking client's calls are done
/// when they return) to its end on this thread.
fn futures_executor_block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

fn out<T: Send + 'static>(value: T) -> Outcome {
    Outcome(Box::new(value))
}

/// The one dispatch table: `op` sent through either client's route groups.
async fn run_on<C: Awaitable>(client: &C, op: Op) -> Result<Outcome, Error> {
    let (p, m, s) = (client.phone_numbers(), client.mfa(), client.sms_settings());
    let (pl, pw) = (client.passwordless(), client.passwords());
    let none = SmsLoginOptions::default();
    Ok(match op {
        Op::Assign(n, verify) => out(C::finish(p.assign(&n, verify)).await?),
        Op::Preverify(n) => out(C::finish(p.preverify(&n)).await?),
        Op::Verify(otc, code) => out(C::finish(p.verify(&otc, &code)).await?),
        Op::ListMine => out(C::finish(p.list_mine()).await?),
        Op::StartDelete(id) => out(C::finish(p.start_delete(&id)).await?),
        Op::ConfirmDelete(id, otc, code) => out(C::finish(p.confirm_delete(&id, &otc, &code)).await?),
        Op::List(q) => out(C::finish(p.list(&q)).await?),
        Op::VendorAdd(u, n) => out(C::finish(p.vendor_add(&u, &n)).await?),
        Op::VendorDelete(u, id) => out(C::finish(p.vendor_delete(&u, &id)).await?),
        Op::StartSmsEnrollment(n, None) => out(C::finish(m.start_sms_enrollment(&n)).await?),
        Op::StartSmsEnrollment(n, Some(t)) => out(C::finish(m.start_sms_enrollment_at_login(&n, &t)).await?),
        Op::FinishSmsEnrollment(otc, code, None) => {
            out(C::finish(m.finish_sms_enrollment(&otc, &code)).await?)
        }
        Op::FinishSmsEnrollment(otc, code, Some(t)) => {
            out(C::finish(m.finish_sms_enrollment_at_login(&otc, &code, &t, false)).await?)
        }
        Op::SendSmsCode(d, t) => out(C::finish(m.send_sms_code(&d, &t)).await?),
        Op::VerifySmsCode(d, t, otc, code) => {
            out(C::finish(m.verify_sms_code(&d, &t, &otc, &code, false)).await?)
        }
        Op::EnrollSms(u, n) => out(C::finish(m.enroll_sms(&u, &n)).await?),
        Op::VerifySmsEnrollment(u, otc, code) => {
            out(C::finish(m.verify_sms_enrollment(&u, &otc, &code)).await?)
        }
        Op::StartSmsDisable(u, d, t) => out(C::finish(m.start_sms_disable(&u, &d, t.as_ref())).await?),
        Op::ConfirmSmsDisable(u, d, otc, code) => {
            out(C::finish(m.confirm_sms_disable(&u, &d, &otc, &code)).await?)
        }
        Op::StartSmsLogin(who) => out(C::finish(pl.start_sms_login(&who, &none)).await?),
        Op::FinishSmsLogin(login, code) => out(C::finish(pl.finish_sms_login(&login, &code, &none)).await?),
        Op::StartSmsReset(who) => out(C::finish(pw.start_sms_reset(&who)).await?),
        Op::VerifySmsReset(session, code) => out(C::finish(pw.verify_sms_reset(&session, &code)).await?),
        Op::GetSmsConfig => out(C::finish(s.get()).await?),
        Op::SetSmsConfig(config) => out(C::finish(s.set(&config)).await?),
        Op::DeleteSmsConfig => out(C::finish(s.delete()).await?),
        Op::SmsTemplates => out(C::finish(s.templates()).await?),
        Op::SmsTemplate(t) => out(C::finish(s.template(&t)).await?),
        Op::SetSmsTemplate(t, template) => out(C::finish(s.set_template(&t, &template)).await?),
        Op::DeleteSmsTemplate(t) => out(C::finish(s.delete_template(&t)).await?),
        Op::DefaultSmsTemplate(t) => out(C::finish(s.default_template(&t)).await?),
        Op::DefaultSmsTemplates => out(C::finish(s.default_templates()).await?),
        Op::MfaDevices(u) => out(C::finish(m.list_devices(u.as_ref())).await?),
    })
}

/// Retries with millisecond backoffs, so that retried scenarios stay fast.
#[must_use]
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(10))
}

/// A builder aimed at `base_url` with short timeouts, no proxy and fast retries.
#[must_use]
pub fn base(base_url: &str) -> ClientBuilder {
    ClientBuilder::new()
        .base_url(base_url)
        .proxy_from_env(false)
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
        .retry_policy(fast_retries())
}

/// A user-token client builder.
#[must_use]
pub fn user(base_url: &str) -> ClientBuilder {
    base(base_url).user_token(AccessToken::new(USER_TOKEN).expect("a token"))
}

/// A vendor client builder with a tenant.
#[must_use]
pub fn vendor(base_url: &str) -> ClientBuilder {
    base(base_url)
        .vendor_credentials(CLIENT_ID, VendorSecret::new(VENDOR_SECRET).expect("a secret"))
        .tenant_id(TenantId::new(TENANT).expect("a tenant"))
}

/// The phone number the scenarios use.
#[must_use]
pub fn phone() -> PhoneNumber {
    PhoneNumber::parse("+1 415 555 0100").expect("a phone number")
}

/// A base URL on which nothing listens (a port just released).
#[must_use]
pub fn refused_base_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("an address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A raw HTTP/1.1 server that answers every request with a 200 whose
/// `body_len`-byte body is sent chunked, with no `Content-Length`.
/// Returns its base URL; its thread lives as long as the test process.
#[must_use]
pub fn chunked_server(body_len: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                // Read the request head (the scenarios send bodiless GETs).
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                      transfer-encoding: chunked\r\nconnection: close\r\n\r\n",
                );
                let chunk = vec![b' '; 512];
                let mut sent = 0;
                while sent < body_len {
                    let n = chunk.len().min(body_len - sent);
                    if stream.write_all(format!("{n:x}\r\n").as_bytes()).is_err()
                        || stream.write_all(&chunk[..n]).is_err()
                        || stream.write_all(b"\r\n").is_err()
                    {
                        return;
                    }
                    sent += n;
                }
                let _ = stream.write_all(b"0\r\n\r\n");
            });
        }
    });
    url
}

/// The README's Rust examples, compiled as doc tests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
