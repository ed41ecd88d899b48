//! The clients' attempt loop against mockall transports: vendor auth and its
//! cache, re-authentication, retries (and the calls never retried), rate
//! limits, credentials per route and the headers that go with them.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use common::{Answer, answer, async_transport, blocking_transport};
use frontegg_identity_core::http::{self, HeaderMap, Method, Request, StatusCode};
use frontegg_identity_core::{
    AccessToken, AsyncSleep, BlockingClient, BoxError, Client, ClientBuilder, Error, ListQuery,
    MockBlockingIdentityTransport, MockIdentityTransport, OtcToken, PhoneNumber, PhoneNumberId, RetryPolicy,
    TenantId, TransportError, TransportErrorKind, UserId, VendorSecret, VerificationCode,
};

const AUTH_PATH: &str = "/auth/vendor";
const PHONES: &str = "/identity/resources/users/phone-numbers";

fn ok(body: &str) -> Answer {
    answer(200, &[], body)
}

const PAGE: &str =
    r#"{"items":[{"userId":"u1","phoneNumber":"+14155550100"}],"_metadata":{"totalItems":1,"totalPages":1}}"#;
const MINE: &str = r#"[{"id":"p1","phoneNumber":"+14155550100","verified":true}]"#;

/// What a transport saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    path: String,
    headers: HeaderMap,
    body: String,
}

impl Seen {
    fn of(request: &Request<Vec<u8>>) -> Self {
        Self {
            method: request.method().clone(),
            path: request.uri().path().to_owned(),
            headers: request.headers().clone(),
            body: String::from_utf8(request.body().clone()).unwrap(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    fn is_auth(&self) -> bool {
        self.path == AUTH_PATH
    }
}

/// Every request a fake transport received, in order.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<Seen>>>);

impl Log {
    fn push(&self, request: &Request<Vec<u8>>) -> Seen {
        let seen = Seen::of(request);
        self.0.lock().unwrap().push(seen.clone());
        seen
    }
    fn all(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }
    fn count(&self, f: impl Fn(&Seen) -> bool) -> usize {
        self.all().iter().filter(|s| f(s)).count()
    }
    fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

/// Keeps every request in `log`, then answers it with `f`.
fn logged(
    log: &Log,
    mut f: impl FnMut(&Seen) -> Answer + Send + 'static,
) -> impl FnMut(Request<Vec<u8>>) -> Answer + Send + 'static {
    let log = log.clone();
    move |request| {
        let seen = log.push(&request);
        f(&seen)
    }
}

/// An async transport whose every answer comes from `f`.
fn async_mock(log: &Log, f: impl FnMut(&Seen) -> Answer + Send + 'static) -> MockIdentityTransport {
    async_transport(logged(log, f))
}

fn blocking_mock(
    log: &Log,
    f: impl FnMut(&Seen) -> Answer + Send + 'static,
) -> MockBlockingIdentityTransport {
    blocking_transport(logged(log, f))
}

/// A management route's vendor headers: the tenant, not the user.
fn assert_tenant_only(call: &Seen) {
    assert_eq!(
        call.header("frontegg-tenant-id"),
        Some("tenant-1"),
        "{}",
        call.path
    );
    assert_eq!(call.header("frontegg-user-id"), None, "{}", call.path);
}

/// A sleep that returns at once and remembers what it was asked.
#[derive(Default)]
struct RecordingSleep(Mutex<Vec<Duration>>);

impl RecordingSleep {
    fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

impl AsyncSleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.0.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

fn build(
    builder: ClientBuilder,
    transport: MockIdentityTransport,
) -> (Client<MockIdentityTransport>, Arc<RecordingSleep>) {
    let sleep = Arc::new(RecordingSleep::default());
    let client = builder
        .build_with_sleep(transport, Arc::clone(&sleep) as Arc<dyn AsyncSleep>)
        .unwrap();
    (client, sleep)
}

fn user() -> ClientBuilder {
    ClientBuilder::new().user_token(AccessToken::new("user-token-1").unwrap())
}

fn vendor() -> ClientBuilder {
    ClientBuilder::new()
        .vendor_credentials("client-1", VendorSecret::new("secret-1").unwrap())
        .tenant_id(TenantId::new("tenant-1").unwrap())
}

/// Backoffs short enough for the blocking client's real sleeps.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(2))
}

fn phone() -> PhoneNumber {
    PhoneNumber::parse("+14155550100").unwrap()
}

/// A vendor backend: `/auth/vendor` grants `vt-<n>` (n counts grants); the
/// list answers a page, anything else an empty 200.
fn vendor_backend(auth_delay: Duration) -> impl FnMut(&Seen) -> Answer + Send + 'static {
    let grants = AtomicUsize::new(0);
    move |seen| {
        if seen.is_auth() {
            std::thread::sleep(auth_delay);
            let n = grants.fetch_add(1, Ordering::SeqCst) + 1;
            ok(&format!(r#"{{"token":"vt-{n}","expiresIn":3600}}"#))
        } else if seen.path.ends_with("/v2") {
            ok(PAGE)
        } else if seen.path.ends_with("/v1/me") {
            ok(MINE)
        } else {
            answer(201, &[], "")
        }
    }
}

#[tokio::test]
async fn vendor_auth_happens_once_across_many_calls() {
    let log = Log::default();
    let (client, _) = build(vendor(), async_mock(&log, vendor_backend(Duration::ZERO)));
    let phones = client.phone_numbers();
    let user_id = UserId::new("user-9").unwrap();
    for _ in 0..5 {
        assert_eq!(phones.list(&ListQuery::new()).await.unwrap().items.len(), 1);
    }
    phones.vendor_add(&user_id, &phone()).await.unwrap();
    phones
        .vendor_delete(&user_id, &PhoneNumberId::new("p1").unwrap())
        .await
        .unwrap();

    let seen = log.all();
    assert_eq!(seen.len(), 8);
    let auth = &seen[0];
    assert!(auth.is_auth());
    assert_eq!(auth.method, Method::POST);
    assert_eq!(auth.body, r#"{"clientId":"client-1","secret":"secret-1"}"#);
    assert_eq!(auth.header("authorization"), None);
    assert_eq!(auth.header("frontegg-tenant-id"), None);
    assert_eq!(log.count(Seen::is_auth), 1);
    for call in &seen[1..] {
        assert_eq!(call.header("authorization"), Some("Bearer vt-1"), "{}", call.path);
        assert!(call.headers["authorization"].is_sensitive());
        assert_tenant_only(call);
    }
    assert_eq!(seen[6].path, format!("{PHONES}/v1/vendor/user-9"));
    assert_eq!(seen[6].body, r#"{"phoneNumber":"+14155550100"}"#);
    assert_eq!(seen[7].method, Method::DELETE);
    assert_eq!(seen[7].path, format!("{PHONES}/v1/vendor/user-9/p1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn vendor_auth_happens_once_under_32_concurrent_tasks() {
    let log = Log::default();
    // A slow grant keeps the first refresh in flight while the others ask.
    let (client, _) = build(
        vendor(),
        async_mock(&log, vendor_backend(Duration::from_millis(50))),
    );
    let barrier = Arc::new(tokio::sync::Barrier::new(32));
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let client = client.clone();
            let barrier = Arc::clone(&barrier);
            tokio::spawn(async move {
                barrier.wait().await;
                client.phone_numbers().list(&ListQuery::new()).await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(log.count(Seen::is_auth), 1);
    assert_eq!(log.count(|s| !s.is_auth()), 32);
    assert_eq!(
        log.count(|s| s.header("authorization") == Some("Bearer vt-1")),
        32
    );
}

#[test]
fn blocking_vendor_auth_happens_once_under_32_threads() {
    let log = Log::default();
    let client = vendor()
        .build_blocking_with(blocking_mock(&log, vendor_backend(Duration::from_millis(50))))
        .unwrap();
    let barrier = std::sync::Barrier::new(32);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..32)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    client.phone_numbers().list(&ListQuery::new())
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap().unwrap();
        }
    });
    assert_eq!(log.count(Seen::is_auth), 1);
    assert_eq!(log.count(|s| !s.is_auth()), 32);
}

/// Rejects `vt-1`, accepts any later token (or rejects every token).
fn rejecting_backend(reject_all: bool) -> impl FnMut(&Seen) -> Answer + Send + 'static {
    let mut inner = vendor_backend(Duration::ZERO);
    move |seen| {
        let stale = seen.header("authorization") == Some("Bearer vt-1");
        if !seen.is_auth() && (reject_all || stale) {
            answer(401, &[], r#"{"errors":["Unauthorized"]}"#)
        } else {
            inner(seen)
        }
    }
}

#[tokio::test]
async fn a_rejected_vendor_token_is_refreshed_once() {
    let log = Log::default();
    let (client, sleep) = build(vendor(), async_mock(&log, rejecting_backend(false)));
    client.phone_numbers().list(&ListQuery::new()).await.unwrap();
    let paths: Vec<_> = log
        .all()
        .iter()
        .map(|s| (s.is_auth(), s.header("authorization").map(str::to_owned)))
        .collect();
    assert_eq!(
        paths,
        [
            (true, None),
            (false, Some("Bearer vt-1".to_owned())),
            (true, None),
            (false, Some("Bearer vt-2".to_owned())),
        ]
    );
    assert!(sleep.waits().is_empty(), "re-authentication does not wait");
    // The new token is cached for the next call.
    client.phone_numbers().list(&ListQuery::new()).await.unwrap();
    assert_eq!(log.count(Seen::is_auth), 2);
}

#[tokio::test]
async fn a_second_401_fails_with_status_401() {
    let log = Log::default();
    let (client, _) = build(vendor(), async_mock(&log, rejecting_backend(true)));
    let err = client.phone_numbers().list(&ListQuery::new()).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(matches!(err, Error::Api(_)));
    assert_eq!(log.count(Seen::is_auth), 2);
    assert_eq!(log.count(|s| !s.is_auth()), 2);
}

#[test]
fn blocking_rejected_vendor_token_is_refreshed_once_then_fails() {
    let log = Log::default();
    let client = vendor()
        .build_blocking_with(blocking_mock(&log, rejecting_backend(false)))
        .unwrap();
    client.phone_numbers().list(&ListQuery::new()).unwrap();
    assert_eq!(log.count(Seen::is_auth), 2);

    let log = Log::default();
    let client = vendor()
        .build_blocking_with(blocking_mock(&log, rejecting_backend(true)))
        .unwrap();
    let err = client.phone_numbers().list(&ListQuery::new()).unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(log.len(), 4);
}

#[tokio::test]
async fn a_user_token_401_is_not_retried() {
    let log = Log::default();
    let (client, sleep) = build(user(), async_mock(&log, |_| answer(401, &[], "{}")));
    let err = client.phone_numbers().list_mine().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(log.len(), 1);
    assert!(sleep.waits().is_empty());
}

/// A failure after which the request may have reached Frontegg.
#[derive(Debug, Clone, Copy)]
enum MaybeSent {
    Timeout,
    Reset,
    Status(u16),
}

impl MaybeSent {
    const ALL: [Self; 5] = [
        Self::Timeout,
        Self::Reset,
        Self::Status(502),
        Self::Status(503),
        Self::Status(504),
    ];

    fn answer(self) -> Answer {
        match self {
            Self::Timeout => Err(TransportError::timeout(true, "read timed out")),
            Self::Reset => Err(TransportError::io("connection reset by peer")),
            Self::Status(s) => answer(s, &[], r#"{"statusCode":503,"message":"unavailable"}"#),
        }
    }

    fn check(self, err: &Error, what: &str) {
        assert!(err.may_have_been_sent(), "{what}: {err:?}");
        match self {
            Self::Timeout => assert!(err.is_timeout(), "{what}: {err:?}"),
            Self::Reset => {
                assert!(
                    matches!(err, Error::Transport(e) if e.kind == TransportErrorKind::Io),
                    "{what}: {err:?}"
                )
            }
            Self::Status(s) => assert_eq!(err.status().map(|s| s.as_u16()), Some(s), "{what}"),
        }
    }
}

/// The routes that send an SMS or consume a code.
#[derive(Debug, Clone, Copy)]
enum Unsafe {
    Assign,
    Preverify,
    StartDelete,
    Verify,
    ConfirmDelete,
}

impl Unsafe {
    const ALL: [Self; 5] = [
        Self::Assign,
        Self::Preverify,
        Self::StartDelete,
        Self::Verify,
        Self::ConfirmDelete,
    ];

    async fn call_async(self, client: &Client<MockIdentityTransport>) -> Result<(), Error> {
        let phones = client.phone_numbers();
        let (otc, code, id) = secrets();
        match self {
            Self::Assign => phones.assign(&phone(), true).await.map(drop),
            Self::Preverify => phones.preverify(&phone()).await.map(drop),
            Self::StartDelete => phones.start_delete(&id).await.map(drop),
            Self::Verify => phones.verify(&otc, &code).await,
            Self::ConfirmDelete => phones.confirm_delete(&id, &otc, &code).await,
        }
    }

    fn call_blocking(self, client: &BlockingClient<MockBlockingIdentityTransport>) -> Result<(), Error> {
        let phones = client.phone_numbers();
        let (otc, code, id) = secrets();
        match self {
            Self::Assign => phones.assign(&phone(), true).map(drop),
            Self::Preverify => phones.preverify(&phone()).map(drop),
            Self::StartDelete => phones.start_delete(&id).map(drop),
            Self::Verify => phones.verify(&otc, &code),
            Self::ConfirmDelete => phones.confirm_delete(&id, &otc, &code),
        }
    }

    /// A success answer for the route.
    fn success(self) -> Answer {
        match self {
            Self::Assign => answer(201, &[], r#"{"otcToken":"otc-new"}"#),
            Self::Preverify => ok(r#"{"otcToken":"otc-new"}"#),
            Self::StartDelete => ok(r#"{"phoneId":"p1","otcToken":"otc-new"}"#),
            Self::Verify | Self::ConfirmDelete => ok(""),
        }
    }
}

fn secrets() -> (OtcToken, VerificationCode, PhoneNumberId) {
    (
        OtcToken::new("otc-1").unwrap(),
        VerificationCode::parse("123456").unwrap(),
        PhoneNumberId::new("p1").unwrap(),
    )
}

#[tokio::test]
async fn sms_and_code_routes_are_never_retried_after_a_maybe_sent_failure() {
    for route in Unsafe::ALL {
        for failure in MaybeSent::ALL {
            let what = format!("{route:?} after {failure:?}");
            let log = Log::default();
            let (client, sleep) = build(
                user().retry_policy(RetryPolicy::default().max_attempts(5)),
                async_mock(&log, move |_| failure.answer()),
            );
            let err = route.call_async(&client).await.unwrap_err();
            failure.check(&err, &what);
            assert_eq!(log.len(), 1, "{what}: the transport is called exactly once");
            assert!(sleep.waits().is_empty(), "{what}");
        }
    }
}

#[test]
fn blocking_sms_and_code_routes_are_never_retried_after_a_maybe_sent_failure() {
    for route in Unsafe::ALL {
        for failure in MaybeSent::ALL {
            let what = format!("{route:?} after {failure:?}");
            let log = Log::default();
            let client = user()
                .retry_policy(fast_retries().max_attempts(5))
                .build_blocking_with(blocking_mock(&log, move |_| failure.answer()))
                .unwrap();
            let err = route.call_blocking(&client).unwrap_err();
            failure.check(&err, &what);
            assert_eq!(log.len(), 1, "{what}: the transport is called exactly once");
        }
    }
}

#[tokio::test]
async fn a_refused_connection_is_retried_on_every_route() {
    for route in Unsafe::ALL {
        let log = Log::default();
        let mut refused = 2;
        let (client, sleep) = build(
            user().retry_policy(RetryPolicy::default().jitter(false)),
            async_mock(&log, move |_| {
                if refused > 0 {
                    refused -= 1;
                    Err(TransportError::connect("connection refused"))
                } else {
                    route.success()
                }
            }),
        );
        route.call_async(&client).await.unwrap();
        assert_eq!(log.len(), 3, "{route:?}");
        assert_eq!(
            sleep.waits(),
            [Duration::from_millis(200), Duration::from_millis(400)],
            "{route:?}"
        );
    }
}

#[test]
fn blocking_refused_connection_is_retried() {
    for route in Unsafe::ALL {
        let log = Log::default();
        let mut refused = true;
        let client = user()
            .retry_policy(fast_retries())
            .build_blocking_with(blocking_mock(&log, move |_| {
                if std::mem::take(&mut refused) {
                    Err(TransportError::connect("connection refused"))
                } else {
                    route.success()
                }
            }))
            .unwrap();
        route.call_blocking(&client).unwrap();
        assert_eq!(log.len(), 2, "{route:?}");
    }
}

/// Fails `n` times with `failure`, then answers `then`.
fn flaky(
    mut n: usize,
    failure: MaybeSent,
    then: &'static str,
) -> impl FnMut(&Seen) -> Answer + Send + 'static {
    move |_| {
        if n > 0 {
            n -= 1;
            failure.answer()
        } else {
            ok(then)
        }
    }
}

#[tokio::test]
async fn gets_retry_on_maybe_sent_failures_then_succeed() {
    let policy = RetryPolicy::default().jitter(false);
    let log = Log::default();
    let (client, sleep) = build(
        user().retry_policy(policy.clone()),
        async_mock(&log, flaky(2, MaybeSent::Status(503), MINE)),
    );
    let mine = client.phone_numbers().list_mine().await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(log.len(), 3);
    assert!(log.all().iter().all(|s| s.method == Method::GET));
    assert_eq!(
        sleep.waits(),
        [Duration::from_millis(200), Duration::from_millis(400)]
    );

    for failure in [
        MaybeSent::Timeout,
        MaybeSent::Reset,
        MaybeSent::Status(502),
        MaybeSent::Status(504),
    ] {
        let log = Log::default();
        let (client, _) = build(
            user().retry_policy(policy.clone()),
            async_mock(&log, flaky(1, failure, MINE)),
        );
        client.phone_numbers().list_mine().await.unwrap();
        assert_eq!(log.len(), 2, "{failure:?}");
    }

    // The budget is bounded: three attempts, then the last answer.
    let log = Log::default();
    let (client, _) = build(
        user().retry_policy(policy),
        async_mock(&log, flaky(9, MaybeSent::Status(503), MINE)),
    );
    let err = client.phone_numbers().list_mine().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(log.len(), 3);

    // 500 is not transient.
    let log = Log::default();
    let (client, _) = build(user(), async_mock(&log, |_| answer(500, &[], "{}")));
    assert!(client.phone_numbers().list_mine().await.is_err());
    assert_eq!(log.len(), 1);
}

#[test]
fn blocking_get_retries_on_503_then_succeeds() {
    let log = Log::default();
    let client = user()
        .retry_policy(fast_retries())
        .build_blocking_with(blocking_mock(&log, flaky(2, MaybeSent::Status(503), MINE)))
        .unwrap();
    assert_eq!(client.phone_numbers().list_mine().unwrap().len(), 1);
    assert_eq!(log.len(), 3);
}

fn rfc3339_in(wait: Duration) -> String {
    chrono::DateTime::<chrono::Utc>::from(SystemTime::now() + wait)
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Answers one 429 with `headers`, then the route's success.
fn limited_once(headers: Vec<(&'static str, String)>) -> impl FnMut(&Seen) -> Answer + Send + 'static {
    let mut first = true;
    move |_| {
        if std::mem::take(&mut first) {
            let pairs: Vec<_> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
            answer(429, &pairs, r#"{"errors":["Too many requests"]}"#)
        } else {
            ok(r#"{"otcToken":"otc-after-wait"}"#)
        }
    }
}

#[tokio::test]
async fn a_429_waits_as_told() {
    // X-Rate-Limit-Reset, as Frontegg's gateway sends it; 429 means not
    // processed, so even an SMS-sending route is retried.
    let log = Log::default();
    let reset = rfc3339_in(Duration::from_secs(2));
    let (client, sleep) = build(
        user(),
        async_mock(&log, limited_once(vec![("x-rate-limit-reset", reset)])),
    );
    let otc = client.phone_numbers().preverify(&phone()).await.unwrap();
    assert_eq!(otc.expose_secret(), "otc-after-wait");
    assert_eq!(log.len(), 2);
    let waits = sleep.waits();
    assert_eq!(waits.len(), 1);
    assert!(
        waits[0] > Duration::from_millis(1500) && waits[0] <= Duration::from_secs(2),
        "{waits:?}"
    );

    // Retry-After in seconds.
    let log = Log::default();
    let (client, sleep) = build(
        user(),
        async_mock(&log, limited_once(vec![("retry-after", "3".into())])),
    );
    client.phone_numbers().preverify(&phone()).await.unwrap();
    assert_eq!(sleep.waits(), [Duration::from_secs(3)]);

    // X-Rate-Limit-Reset wins over Retry-After.
    let log = Log::default();
    let headers = vec![
        ("x-rate-limit-reset", rfc3339_in(Duration::from_secs(1))),
        ("retry-after", "20".into()),
    ];
    let (client, sleep) = build(user(), async_mock(&log, limited_once(headers)));
    client.phone_numbers().preverify(&phone()).await.unwrap();
    let waits = sleep.waits();
    assert!(
        waits.len() == 1 && waits[0] <= Duration::from_secs(1),
        "{waits:?}"
    );

    // Neither header: exponential backoff.
    let log = Log::default();
    let (client, sleep) = build(
        user().retry_policy(RetryPolicy::default().jitter(false)),
        async_mock(&log, limited_once(vec![])),
    );
    client.phone_numbers().preverify(&phone()).await.unwrap();
    assert_eq!(sleep.waits(), [Duration::from_millis(200)]);
}

#[tokio::test]
async fn an_enormous_wait_fails_at_once_with_rate_limited() {
    for headers in [
        vec![("retry-after", "86400".to_owned())],
        vec![("x-rate-limit-reset", rfc3339_in(Duration::from_secs(3600)))],
    ] {
        let log = Log::default();
        let (client, sleep) = build(user(), async_mock(&log, limited_once(headers.clone())));
        let err = client.phone_numbers().preverify(&phone()).await.unwrap_err();
        assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
        assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert!(err.is_retryable() && !err.may_have_been_sent());
        let told = err.retry_after().unwrap();
        assert!(told > Duration::from_secs(3500), "{headers:?}: {told:?}");
        assert_eq!(log.len(), 1, "{headers:?}");
        assert!(sleep.waits().is_empty(), "{headers:?}");
    }
}

#[tokio::test]
async fn retry_policy_none_makes_exactly_one_attempt() {
    let failures: [Box<dyn Fn() -> Answer + Send + Sync>; 4] = [
        Box::new(|| answer(503, &[], "")),
        Box::new(|| Err(TransportError::connect("refused"))),
        Box::new(|| Err(TransportError::timeout(true, "slow"))),
        Box::new(|| answer(429, &[("retry-after", "1")], "")),
    ];
    for (i, failure) in failures.into_iter().enumerate() {
        let log = Log::default();
        let (client, sleep) = build(
            user().retry_policy(RetryPolicy::none()),
            async_mock(&log, move |_| failure()),
        );
        let err = client.phone_numbers().list_mine().await.unwrap_err();
        assert_eq!(log.len(), 1, "case {i}: {err:?}");
        assert!(sleep.waits().is_empty());
        if i == 3 {
            assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
        }
    }
}

#[tokio::test]
async fn credentials_must_fit_the_route_before_anything_is_sent() {
    let never = || {
        let mut mock = MockIdentityTransport::new();
        mock.expect_execute().never();
        mock
    };
    let user_id = UserId::new("u1").unwrap();
    let id = PhoneNumberId::new("p1").unwrap();

    // A user token (or provider) on a vendor route.
    let provider = || -> Result<AccessToken, BoxError> { Ok(AccessToken::new("t").unwrap()) };
    for builder in [user(), ClientBuilder::new().token_provider(provider)] {
        let (client, _) = build(builder, never());
        let phones = client.phone_numbers();
        for err in [
            phones.list(&ListQuery::new()).await.unwrap_err(),
            phones.vendor_add(&user_id, &phone()).await.unwrap_err(),
            phones.vendor_delete(&user_id, &id).await.unwrap_err(),
        ] {
            assert!(matches!(err, Error::Configuration(_)), "{err:?}");
            assert!(!err.may_have_been_sent());
        }
    }

    // A vendor client on a user route without user_id.
    let (client, _) = build(vendor(), never());
    let phones = client.phone_numbers();
    let (otc, code, _) = secrets();
    for err in [
        phones.list_mine().await.unwrap_err(),
        phones.preverify(&phone()).await.unwrap_err(),
        phones.verify(&otc, &code).await.unwrap_err(),
        phones.start_delete(&id).await.unwrap_err(),
    ] {
        assert!(
            matches!(err, Error::Configuration(ref m) if m.contains("user_id")),
            "{err:?}"
        );
    }

    // No credentials at all.
    let (client, _) = build(ClientBuilder::new(), never());
    assert!(matches!(
        client.phone_numbers().list_mine().await,
        Err(Error::Configuration(_))
    ));

    // The blocking twin.
    let mut mock = MockBlockingIdentityTransport::new();
    mock.expect_execute().never();
    let client = user().build_blocking_with(mock).unwrap();
    assert!(matches!(
        client.phone_numbers().list(&ListQuery::new()),
        Err(Error::Configuration(_))
    ));
}

#[tokio::test]
async fn vendor_clients_send_tenant_and_user_headers_where_the_spec_says() {
    let log = Log::default();
    let (client, _) = build(
        vendor().user_id(UserId::new("user-42").unwrap()),
        async_mock(&log, vendor_backend(Duration::ZERO)),
    );
    let phones = client.phone_numbers();
    phones.list_mine().await.unwrap();
    phones.list(&ListQuery::new()).await.unwrap();
    phones
        .vendor_add(&UserId::new("user-7").unwrap(), &phone())
        .await
        .unwrap();

    let seen = log.all();
    assert_eq!(seen.len(), 4);
    // /auth/vendor: no token, no tenant, no user.
    assert!(seen[0].is_auth());
    for name in ["authorization", "frontegg-tenant-id", "frontegg-user-id"] {
        assert_eq!(seen[0].header(name), None, "{name}");
    }
    // A self-service route acting on a user: both headers.
    assert_eq!(seen[1].path, format!("{PHONES}/v1/me"));
    assert_eq!(seen[1].header("frontegg-tenant-id"), Some("tenant-1"));
    assert_eq!(seen[1].header("frontegg-user-id"), Some("user-42"));
    assert_eq!(seen[1].header("authorization"), Some("Bearer vt-1"));
    // Management routes: the tenant only (the user is in the path).
    for call in &seen[2..] {
        assert_tenant_only(call);
    }

    // A user token never sends the vendor headers, even if they are configured.
    let log = Log::default();
    let (client, _) = build(
        user()
            .tenant_id(TenantId::new("tenant-1").unwrap())
            .user_id(UserId::new("user-42").unwrap()),
        async_mock(&log, |_| ok(MINE)),
    );
    client.phone_numbers().list_mine().await.unwrap();
    let seen = &log.all()[0];
    assert_eq!(seen.header("authorization"), Some("Bearer user-token-1"));
    assert!(seen.headers["authorization"].is_sensitive());
    assert_eq!(seen.header("frontegg-tenant-id"), None);
    assert_eq!(seen.header("frontegg-user-id"), None);
    assert!(
        seen.header("user-agent")
            .unwrap()
            .starts_with("frontegg-identity-rust/")
    );
}

#[tokio::test]
async fn the_token_provider_is_asked_on_every_call() {
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let provider = move || -> Result<AccessToken, BoxError> {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(AccessToken::new(format!("tok-{n}")).unwrap())
    };
    let log = Log::default();
    let (client, _) = build(
        ClientBuilder::new().token_provider(provider),
        async_mock(&log, |_| ok(MINE)),
    );
    for _ in 0..3 {
        client.phone_numbers().list_mine().await.unwrap();
    }
    assert_eq!(asked.load(Ordering::SeqCst), 3);
    let tokens: Vec<_> = log
        .all()
        .iter()
        .map(|s| s.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(tokens, ["Bearer tok-1", "Bearer tok-2", "Bearer tok-3"]);

    // A failing provider: nothing is sent.
    let mut mock = MockIdentityTransport::new();
    mock.expect_execute().never();
    let failing = || -> Result<AccessToken, BoxError> { Err("the session store is down".into()) };
    let (client, _) = build(ClientBuilder::new().token_provider(failing), mock);
    let err = client.phone_numbers().list_mine().await.unwrap_err();
    assert!(
        matches!(err, Error::Credentials { ref message, .. } if message.contains("session store")),
        "{err:?}"
    );
}

#[tokio::test]
async fn invalid_input_never_reaches_the_transport() {
    let mut mock = MockIdentityTransport::new();
    mock.expect_execute().never();
    let (client, _) = build(vendor().user_id(UserId::new("u").unwrap()), mock);
    let phones = client.phone_numbers();

    // Phone numbers are refused when parsed: there is no way to send one.
    for bad in [
        "",
        "415 555 0100",
        "+0123456789",
        "+1 415 555 0100 ext 5",
        "+123",
        "+1234567890123456",
    ] {
        let err: Error = PhoneNumber::parse(bad).unwrap_err().into();
        assert!(matches!(err, Error::InvalidPhoneNumber(_)), "{bad:?}");
        assert!(!err.may_have_been_sent());
    }

    // A list query out of bounds.
    for limit in [0, 251] {
        let err = phones.list(&ListQuery::new().limit(limit)).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    // Ids that a server handed back and that cannot be put in a path.
    for bad in [r#"".""#, r#""..""#] {
        let id: PhoneNumberId = serde_json::from_str(bad).unwrap();
        let err = phones.start_delete(&id).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
        let user: UserId = serde_json::from_str(bad).unwrap();
        let err = phones.vendor_add(&user, &phone()).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
    // Bad secrets are refused when made.
    assert!(OtcToken::new("").is_err());
    assert!(VerificationCode::parse("12 34").is_err());
    assert!(AccessToken::new("bad token").is_err());
}

#[test]
fn user_agent_and_json_headers_reach_the_blocking_transport() {
    let log = Log::default();
    let client = user()
        .user_agent("my-app/1.0")
        .build_blocking_with(blocking_mock(&log, |_| ok(r#"{"otcToken":"o"}"#)))
        .unwrap();
    client.phone_numbers().preverify(&phone()).unwrap();
    let seen = &log.all()[0];
    assert_eq!(seen.method, Method::POST);
    assert_eq!(seen.path, format!("{PHONES}/v1/preverify"));
    assert_eq!(seen.header("user-agent"), Some("my-app/1.0"));
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.header("accept"), Some("application/json"));
    assert!(seen.headers[http::header::AUTHORIZATION].is_sensitive());
    assert_eq!(seen.body, r#"{"phoneNumber":"+14155550100"}"#);
}
