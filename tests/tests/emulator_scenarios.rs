#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every route, its errors and each fault kind, through every SDK client
//! (async reqwest, async hyper and blocking ureq), against the emulator over
//! loopback.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use frontegg_identity_core::{
    AccessToken, ClientBuilder, Error, ListQuery, OtcToken, PhoneNumber, PhoneNumberId, RetryPolicy, SortBy,
    TransportErrorKind, UserId, VendorSecret, VerificationCode,
};
use frontegg_identity_emulator::{Emulator, EmulatorConfig, FaultSpec, Route};
use frontegg_identity_hyper::{HyperBuild, HyperClient};
use frontegg_identity_reqwest::{ReqwestBuild, ReqwestClient};
use frontegg_identity_ureq::{UreqBuild, UreqClient};
use futures_util::TryStreamExt;

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
});

/// One of the SDK clients, driven the same way.
enum Sdk {
    Async(ReqwestClient),
    Hyper(HyperClient),
    Blocking(UreqClient),
}

/// Calls the same phone-number method on either client.
macro_rules! call {
    ($sdk:expr, $method:ident($($arg:expr),*)) => {
        match $sdk {
            Sdk::Async(c) => RUNTIME.block_on(c.phone_numbers().$method($($arg),*)),
            Sdk::Hyper(c) => RUNTIME.block_on(c.phone_numbers().$method($($arg),*)),
            Sdk::Blocking(c) => c.phone_numbers().$method($($arg),*),
        }
    };
}

impl Sdk {
    fn all(builder: &ClientBuilder) -> [Sdk; 3] {
        let (reqwest, hyper) = {
            let _guard = RUNTIME.enter();
            (
                ReqwestBuild::build(builder.clone()).expect("reqwest client"),
                HyperBuild::build(builder.clone()).expect("hyper client"),
            )
        };
        [
            Sdk::Async(reqwest),
            Sdk::Hyper(hyper),
            Sdk::Blocking(UreqBuild::build(builder.clone()).expect("blocking client")),
        ]
    }

    fn name(&self) -> &'static str {
        match self {
            Sdk::Async(_) => "reqwest",
            Sdk::Hyper(_) => "hyper",
            Sdk::Blocking(_) => "ureq",
        }
    }

    fn list_all(&self, query: &ListQuery) -> Result<Vec<frontegg_identity_core::PhoneNumberRecord>, Error> {
        match self {
            Sdk::Async(c) => RUNTIME.block_on(c.phone_numbers().list_all(query).try_collect()),
            Sdk::Hyper(c) => RUNTIME.block_on(c.phone_numbers().list_all(query).try_collect()),
            Sdk::Blocking(c) => c.phone_numbers().list_all(query).collect(),
        }
    }
}

/// Every SDK client built from `builder`, the emulator reset before each.
fn fresh<'a>(emu: &'a Emulator, builder: &ClientBuilder) -> impl Iterator<Item = Sdk> + 'a {
    Sdk::all(builder).into_iter().inspect(move |_| emu.reset())
}

/// Asserts the error code of `err`, naming the client.
fn assert_code(sdk: &Sdk, err: &Error, expected: &str) {
    assert_eq!(error_code(err), expected, "{}", sdk.name());
}

fn emulator(config: EmulatorConfig) -> Emulator {
    Emulator::spawn(config).expect("emulator")
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

fn user_builder(emu: &Emulator, user: &str) -> ClientBuilder {
    ClientBuilder::new()
        .base_url(emu.base_url())
        .retry_policy(fast_retries())
        .timeout(Duration::from_secs(5))
        .user_token(AccessToken::new(emu.mint_user_token(user, Some("tenant-1"))).unwrap())
}

fn vendor_builder(emu: &Emulator) -> ClientBuilder {
    let (id, secret) = emu.vendor_credentials();
    ClientBuilder::new()
        .base_url(emu.base_url())
        .retry_policy(fast_retries())
        .vendor_credentials(id, VendorSecret::new(secret).unwrap())
}

fn phone(n: &str) -> PhoneNumber {
    PhoneNumber::parse(n).unwrap()
}

fn code(emu: &Emulator, number: &PhoneNumber) -> VerificationCode {
    VerificationCode::parse(&emu.last_code(number.as_str()).expect("an SMS was sent")).unwrap()
}

fn wrong_code(emu: &Emulator, number: &PhoneNumber) -> VerificationCode {
    let right = emu.last_code(number.as_str()).unwrap();
    let wrong: String = right.chars().map(|c| if c == '1' { '2' } else { '1' }).collect();
    VerificationCode::parse(&wrong).unwrap()
}

fn error_code(error: &Error) -> &str {
    error.error_code().unwrap_or_default()
}

fn requests_to(emu: &Emulator, route: Route) -> usize {
    emu.requests()
        .iter()
        .filter(|r| r.route == route.as_str())
        .count()
}

fn sms_to(emu: &Emulator, number: &PhoneNumber) -> usize {
    emu.sms(Some(number.as_str())).len()
}

#[test]
fn assign_verify_list_and_delete_with_sms() {
    let emu = emulator(EmulatorConfig::default());
    for sdk in fresh(&emu, &user_builder(&emu, "user-1")) {
        let number = phone("+1 415 555 0100");
        let otc = call!(&sdk, assign(&number, true)).unwrap().expect("an otcToken");
        let mine = call!(&sdk, list_mine()).unwrap();
        assert_eq!(mine.len(), 1, "{}", sdk.name());
        assert!(!mine[0].verified);
        call!(&sdk, verify(&otc, &code(&emu, &number))).unwrap();
        let mine = call!(&sdk, list_mine()).unwrap();
        assert!(mine[0].verified, "{}", sdk.name());
        assert_eq!(mine[0].phone_number.as_str(), "+14155550100");
        assert_eq!(mine[0].user_id.as_ref().unwrap().as_str(), "user-1");
        assert!(mine[0].created_at.is_some());

        let id = mine[0].id.clone().unwrap();
        let pending = call!(&sdk, start_delete(&id)).unwrap();
        assert_eq!(pending.phone_id, id);
        call!(
            &sdk,
            confirm_delete(&id, &pending.otc_token, &code(&emu, &number))
        )
        .unwrap();
        assert!(call!(&sdk, list_mine()).unwrap().is_empty(), "{}", sdk.name());
        assert_eq!(sms_to(&emu, &number), 2);
    }
}

/// A base URL with a host name, not an IP: the blocking transport resolves
/// it once and reuses the addresses, the async one resolves it its own way;
/// both reach the emulator and keep working across calls.
#[test]
fn a_host_name_base_url_is_resolved_and_reused() {
    let emu = emulator(EmulatorConfig::default());
    let by_name = emu.base_url().replace("127.0.0.1", "localhost");
    assert!(by_name.starts_with("http://localhost:"), "{by_name}");
    let builder = user_builder(&emu, "user-1").base_url(by_name);
    for sdk in fresh(&emu, &builder) {
        let number = phone("+1 415 555 0177");
        for _ in 0..3 {
            assert!(call!(&sdk, list_mine()).unwrap().is_empty(), "{}", sdk.name());
        }
        let otc = call!(&sdk, preverify(&number)).unwrap();
        call!(&sdk, verify(&otc, &code(&emu, &number))).unwrap();
        assert_eq!(requests_to(&emu, Route::ListMine), 3, "{}", sdk.name());
    }
}

#[test]
fn preverify_then_assign_without_a_second_sms() {
    let emu = emulator(EmulatorConfig::default());
    for sdk in fresh(&emu, &user_builder(&emu, "user-2")) {
        let number = phone("+44 20 7946 0958");
        let otc = call!(&sdk, preverify(&number)).unwrap();
        assert!(
            call!(&sdk, list_mine()).unwrap().is_empty(),
            "pre-verifying assigns nothing"
        );
        call!(&sdk, verify(&otc, &code(&emu, &number))).unwrap();
        assert_eq!(
            call!(&sdk, assign(&number, false))
                .unwrap()
                .map(|t| t.expose_secret().to_owned()),
            None
        );
        let mine = call!(&sdk, list_mine()).unwrap();
        assert!(mine[0].verified, "{}", sdk.name());
        assert_eq!(sms_to(&emu, &number), 1);
    }
}

#[test]
fn wrong_unknown_expired_and_burnt_codes() {
    let emu = emulator(
        EmulatorConfig::default()
            .with_otc_ttl(Duration::from_millis(400))
            .with_max_attempts(3),
    );
    for sdk in fresh(&emu, &user_builder(&emu, "user-3")) {
        let number = phone("+33 1 23 45 67 89");
        // Wrong code, then the right one still works.
        let otc = call!(&sdk, preverify(&number)).unwrap();
        let err = call!(&sdk, verify(&otc, &wrong_code(&emu, &number))).unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{}", sdk.name());
        assert_eq!(error_code(&err), "ER-EMULATOR-INVALID-CODE");
        assert!(err.trace_id().is_some());
        call!(&sdk, verify(&otc, &code(&emu, &number))).unwrap();
        // A token is used once.
        let err = call!(&sdk, verify(&otc, &code(&emu, &number))).unwrap_err();
        assert_eq!(error_code(&err), "ER-EMULATOR-OTC-TOKEN-INVALID");

        // Too many wrong attempts burn the token.
        let otc = call!(&sdk, preverify(&number)).unwrap();
        for _ in 0..3 {
            let err = call!(&sdk, verify(&otc, &wrong_code(&emu, &number))).unwrap_err();
            assert_eq!(error_code(&err), "ER-EMULATOR-INVALID-CODE");
        }
        let err = call!(&sdk, verify(&otc, &code(&emu, &number))).unwrap_err();
        assert_code(&sdk, &err, "ER-EMULATOR-OTC-TOKEN-INVALID");

        // Unknown token.
        let err = call!(
            &sdk,
            verify(&OtcToken::new("no-such-token").unwrap(), &code(&emu, &number))
        )
        .unwrap_err();
        assert_eq!(error_code(&err), "ER-EMULATOR-OTC-TOKEN-INVALID");

        // Expired token.
        let otc = call!(&sdk, preverify(&number)).unwrap();
        std::thread::sleep(Duration::from_millis(500));
        let err = call!(&sdk, verify(&otc, &code(&emu, &number))).unwrap_err();
        assert_code(&sdk, &err, "ER-EMULATOR-OTC-TOKEN-INVALID");
        // None of these failures was retried.
        assert_eq!(requests_to(&emu, Route::Verify), 9);
    }
}

#[test]
fn duplicate_number_is_a_conflict_and_unknown_id_not_found() {
    let emu = emulator(EmulatorConfig::default());
    for sdk in fresh(&emu, &user_builder(&emu, "user-4")) {
        let number = phone("+61 2 9374 4000");
        call!(&sdk, assign(&number, false)).unwrap();
        let err = call!(&sdk, assign(&number, false)).unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(409), "{}", sdk.name());
        assert_eq!(error_code(&err), "ER-EMULATOR-PHONE-EXISTS");
        let err = call!(&sdk, start_delete(&PhoneNumberId::new("nope/../x").unwrap())).unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
        assert_eq!(
            requests_to(&emu, Route::StartDelete),
            1,
            "the id stayed one segment of the delete route"
        );
    }
}

#[test]
fn missing_bad_and_expired_auth() {
    let emu = emulator(EmulatorConfig::default().with_user_token_ttl(Duration::from_millis(200)));
    let expired = AccessToken::new(emu.mint_user_token("user-5", None)).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let base = ClientBuilder::new().base_url(emu.base_url());
    let number = phone("+14155550123");
    for token in [AccessToken::new("not-a-jwt").unwrap(), expired] {
        for sdk in Sdk::all(&base.clone().user_token(token.clone())) {
            let err = call!(&sdk, preverify(&number)).unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{}", sdk.name());
        }
    }
    // Wrong vendor secret: vendor authentication itself answers 401.
    let bad_vendor = base
        .clone()
        .vendor_credentials("emulator-client-id", VendorSecret::new("wrong").unwrap());
    for sdk in Sdk::all(&bad_vendor) {
        let err = call!(&sdk, list(&ListQuery::new())).unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{}", sdk.name());
        assert_eq!(err.api_error().unwrap().route, "vendor_auth");
    }
    // No credentials, or the wrong kind, fail before anything is sent.
    emu.reset();
    for sdk in Sdk::all(&base) {
        assert!(matches!(call!(&sdk, list_mine()), Err(Error::Configuration(_))));
    }
    for sdk in Sdk::all(&user_builder(&emu, "user-5")) {
        let err = call!(
            &sdk,
            vendor_delete(&UserId::new("u").unwrap(), &PhoneNumberId::new("p").unwrap())
        );
        assert!(matches!(err, Err(Error::Configuration(_))), "{}", sdk.name());
    }
    assert!(emu.requests().is_empty());
}

#[test]
fn vendor_routes_and_paging() {
    let emu = emulator(EmulatorConfig::default());
    for sdk in fresh(&emu, &vendor_builder(&emu)) {
        let users: Vec<UserId> = (0..5)
            .map(|i| UserId::new(format!("user-{i}")).unwrap())
            .collect();
        for (i, user) in users.iter().enumerate() {
            call!(&sdk, vendor_add(user, &phone(&format!("+1415555010{i}")))).unwrap();
        }
        let query = ListQuery::new().limit(2).sort_by(SortBy::PhoneNumber);
        let first = call!(&sdk, list(&query)).unwrap();
        assert_eq!(
            (first.items.len(), first.total_items, first.total_pages),
            (2, 5, 3),
            "{}",
            sdk.name()
        );
        assert!(first.items.iter().all(|r| r.verified));
        let last = call!(&sdk, list(&query.clone().page(2))).unwrap();
        assert_eq!(last.items.len(), 1);
        assert!(!last.has_next());
        let all = sdk.list_all(&query).unwrap();
        let numbers: Vec<_> = all.iter().map(|r| r.phone_number.as_str().to_owned()).collect();
        assert_eq!(
            numbers,
            (0..5).map(|i| format!("+1415555010{i}")).collect::<Vec<_>>(),
            "{}",
            sdk.name()
        );
        let only = call!(&sdk, list(&ListQuery::new().user_ids([users[3].clone()]))).unwrap();
        assert_eq!(only.items.len(), 1);
        assert_eq!(only.items[0].user_id.as_ref(), Some(&users[3]));

        let id = all[0].id.clone().unwrap();
        call!(&sdk, vendor_delete(&users[0], &id)).unwrap();
        assert_eq!(call!(&sdk, list(&query)).unwrap().total_items, 4);
        let err = call!(&sdk, vendor_delete(&users[0], &id)).unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
        let err = call!(&sdk, vendor_add(&users[1], &phone("+14155550101"))).unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(409));
        assert!(
            requests_to(&emu, Route::VendorAuth) <= 1,
            "the vendor token is cached"
        );
    }
}

#[test]
fn vendor_token_is_fetched_once_and_refreshed_after_a_401() {
    let emu = emulator(EmulatorConfig::default());
    for sdk in fresh(&emu, &vendor_builder(&emu)) {
        for _ in 0..5 {
            call!(&sdk, list(&ListQuery::new())).unwrap();
        }
        assert_eq!(requests_to(&emu, Route::VendorAuth), 1, "{}", sdk.name());
        emu.inject_fault(FaultSpec::on(Route::List).status(401));
        call!(&sdk, list(&ListQuery::new())).unwrap();
        assert_eq!(
            requests_to(&emu, Route::VendorAuth),
            2,
            "re-authenticated once ({})",
            sdk.name()
        );
        // A second 401 in a row fails the call.
        emu.inject_fault(FaultSpec::on(Route::List).status(401).times(2));
        let err = call!(&sdk, list(&ListQuery::new())).unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{}", sdk.name());
    }
}

#[test]
fn vendor_credentials_act_on_a_user() {
    let emu = emulator(EmulatorConfig::default());
    let number = phone("+14155550177");
    let builder = vendor_builder(&emu).user_id(UserId::new("user-9").unwrap());
    for sdk in fresh(&emu, &builder) {
        call!(&sdk, assign(&number, false)).unwrap();
        let mine = call!(&sdk, list_mine()).unwrap();
        assert_eq!(mine.len(), 1, "{}", sdk.name());
        assert_eq!(mine[0].user_id.as_ref().map(UserId::as_str), Some("user-9"));
    }
}

#[test]
fn faults_are_typed_and_sms_routes_are_never_repeated() {
    let emu = emulator(EmulatorConfig::default());
    let builder = user_builder(&emu, "user-6").timeout(Duration::from_millis(400));
    let number = phone("+14155550142");
    for sdk in Sdk::all(&builder) {
        let name = sdk.name();
        // A status fault on an SMS route: one request, the typed error.
        emu.reset();
        emu.inject_fault(FaultSpec::on(Route::Preverify).status(503));
        let err = call!(&sdk, preverify(&number)).unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{name}");
        assert_eq!(
            requests_to(&emu, Route::Preverify),
            1,
            "{name}: a 503 on preverify is not retried"
        );

        // The same on a read is retried and succeeds.
        emu.inject_fault(FaultSpec::on(Route::ListMine).status(503));
        call!(&sdk, list_mine()).unwrap();
        assert_eq!(requests_to(&emu, Route::ListMine), 2, "{name}");

        // 429 was not processed: even an SMS route is retried, after the told wait.
        emu.reset();
        let reset_at = chrono::Utc::now() + chrono::Duration::milliseconds(300);
        emu.inject_fault(FaultSpec::on(Route::Preverify).rate_limit_reset(reset_at.to_rfc3339()));
        let started = Instant::now();
        call!(&sdk, preverify(&number)).unwrap();
        assert!(
            started.elapsed() >= Duration::from_millis(150),
            "{name}: waited {:?}",
            started.elapsed()
        );
        assert_eq!(sms_to(&emu, &number), 1, "{name}");
        assert_eq!(requests_to(&emu, Route::Preverify), 2);

        // Retry-After far beyond the budget: an immediate RateLimited error.
        emu.inject_fault(FaultSpec::on(Route::Preverify).retry_after("86400"));
        let started = Instant::now();
        let err = call!(&sdk, preverify(&number)).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(err.retry_after(), Some(Duration::from_secs(86400)), "{name}");
        assert!(matches!(err, Error::RateLimited { .. }));

        // A delay beyond the timeout: a timeout error, in time, not retried on a POST.
        emu.reset();
        emu.inject_fault(FaultSpec::on(Route::Preverify).delay(Duration::from_millis(800)));
        let started = Instant::now();
        let err = call!(&sdk, preverify(&number)).unwrap_err();
        assert!(err.is_timeout(), "{name}: {err}");
        assert!(
            started.elapsed() < Duration::from_millis(750),
            "{name}: {:?}",
            started.elapsed()
        );
        // The server still processed it once the delay was over: that SMS
        // is why a timed-out POST is never sent again.
        std::thread::sleep(Duration::from_millis(700));
        assert_eq!(requests_to(&emu, Route::Preverify), 1, "{name}");
        assert_eq!(sms_to(&emu, &number), 1, "{name}");

        // Dropped before processing: a transport error, nothing sent, not retried.
        emu.reset();
        emu.inject_fault(FaultSpec::on(Route::Preverify).drop_before());
        let err = call!(&sdk, preverify(&number)).unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{name}: {err:?}");
        assert!(
            err.may_have_been_sent(),
            "{name}: the client cannot know it was not processed"
        );
        assert_eq!(sms_to(&emu, &number), 0);
        assert_eq!(requests_to(&emu, Route::Preverify), 1, "{name}");

        // Dropped after processing: the SMS went out once, and is not sent again.
        emu.inject_fault(FaultSpec::on(Route::Preverify).drop_after());
        let err = call!(&sdk, preverify(&number)).unwrap_err();
        assert!(
            matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::Io),
            "{name}: {err:?}"
        );
        assert_eq!(sms_to(&emu, &number), 1, "{name}");
        assert_eq!(requests_to(&emu, Route::Preverify), 2);

        // A dropped read is retried.
        emu.inject_fault(FaultSpec::on(Route::ListMine).drop_before());
        call!(&sdk, list_mine()).unwrap();
        assert_eq!(requests_to(&emu, Route::ListMine), 2, "{name}");
    }
}

#[test]
fn thirty_two_users_verifying_at_once() {
    let emu = emulator(EmulatorConfig::default());
    let users: Vec<(String, PhoneNumber)> = (0..32)
        .map(|i| (format!("concurrent-{i}"), phone(&format!("+4915112345{i:03}"))))
        .collect();

    // Async: 32 tasks, each with its own user client.
    let clients: Vec<ReqwestClient> = {
        let _guard = RUNTIME.enter();
        users
            .iter()
            .map(|(u, _)| ReqwestBuild::build(user_builder(&emu, u)).unwrap())
            .collect()
    };
    RUNTIME.block_on(async {
        let tasks: Vec<_> = clients
            .into_iter()
            .zip(users.clone())
            .map(|(client, (_, number))| {
                let codes = emu.base_url().to_owned();
                tokio::spawn(async move {
                    let otc = client.phone_numbers().assign(&number, true).await?.expect("otc");
                    let code = sms_code(&codes, &number).await;
                    client.phone_numbers().verify(&otc, &code).await?;
                    Ok::<_, Error>(())
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
    });
    check_all_verified(&emu, &users);

    // Blocking: 32 threads.
    emu.reset();
    std::thread::scope(|scope| {
        for (user, number) in &users {
            let client = UreqBuild::build(user_builder(&emu, user)).unwrap();
            let emu = &emu;
            scope.spawn(move || {
                let otc = client.phone_numbers().assign(number, true).unwrap().expect("otc");
                client.phone_numbers().verify(&otc, &code(emu, number)).unwrap();
            });
        }
    });
    check_all_verified(&emu, &users);
}

/// Reads a code through the emulator's HTTP backdoor (`/_emulator/sms`).
async fn sms_code(base: &str, number: &PhoneNumber) -> VerificationCode {
    let url = format!(
        "{base}/_emulator/sms?phoneNumber={}",
        number.as_str().replace('+', "%2B")
    );
    let body: serde_json::Value = reqwest_get_json(&url).await;
    let code = body
        .as_array()
        .and_then(|a| a.last())
        .and_then(|s| s["code"].as_str())
        .expect("sms");
    VerificationCode::parse(code).unwrap()
}

async fn reqwest_get_json(url: &str) -> serde_json::Value {
    let transport = frontegg_identity_reqwest::ReqwestTransport::new(&Default::default()).unwrap();
    let request = http::Request::get(url).body(Vec::new()).unwrap();
    let response = frontegg_identity_core::IdentityTransport::execute(&transport, request)
        .await
        .unwrap();
    serde_json::from_slice(response.body()).unwrap()
}

fn check_all_verified(emu: &Emulator, users: &[(String, PhoneNumber)]) {
    let (id, secret) = emu.vendor_credentials();
    let admin = UreqBuild::build(
        ClientBuilder::new()
            .base_url(emu.base_url())
            .vendor_credentials(id, VendorSecret::new(secret).unwrap()),
    )
    .unwrap();
    let all: Vec<_> = admin
        .phone_numbers()
        .list_all(&ListQuery::new().limit(250))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), users.len());
    for (user, number) in users {
        let record = all
            .iter()
            .find(|r| r.user_id.as_ref().map(UserId::as_str) == Some(user.as_str()))
            .unwrap();
        assert_eq!(record.phone_number.as_str(), number.as_str());
        assert!(record.verified, "{user}");
    }
    assert_eq!(emu.sms(None).len(), users.len());
}
