#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Fault matrix rows for the SMS routes (11 to 32), on every Rust client:
//! a POST that sends an SMS, consumes a code or writes settings reaches the
//! server at most once, whatever fails after it may have been sent (a reset
//! connection, a 503, no answer); the reads are retried; and a 429 (nothing
//! was processed) is retried on every route.

use std::time::Duration;

use frontegg_identity_core::{AccessToken, AuthScheme, ClientBuilder, Error, Route, TenantId, VendorSecret};
use frontegg_identity_scenarios::raw_server::{Behavior, RawServer};
use frontegg_identity_scenarios::{Backend, CLIENT_ID, Op, TENANT, USER_TOKEN, VENDOR_SECRET, fast_retries};
use futures_util::future::join_all;

fn builder(base_url: &str, route: Route) -> ClientBuilder {
    let base = ClientBuilder::new()
        .base_url(base_url)
        .proxy_from_env(false)
        .connect_timeout(Duration::from_secs(2))
        // Generous: every route runs at once, on a machine that may be busy;
        // "no answer" waits for it once per call.
        .timeout(Duration::from_secs(2))
        .retry_policy(fast_retries().max_attempts(2));
    match route.auth() {
        AuthScheme::User => base.user_token(AccessToken::new(USER_TOKEN).unwrap()),
        AuthScheme::Vendor => base
            .vendor_credentials(CLIENT_ID, VendorSecret::new(VENDOR_SECRET).unwrap())
            .tenant_id(TenantId::new(TENANT).unwrap()),
        _ => base,
    }
}

fn sms_family() -> Vec<Op> {
    Op::one_of_each()
        .into_iter()
        .filter(|op| op.route().number() >= 11)
        .collect()
}

/// Runs every SMS-family route once against its own raw server answering
/// `behavior`, and returns each route with its outcome and how many times
/// the server saw it.
async fn run_all(backend: Backend, behavior: &Behavior) -> Vec<(Route, Result<(), Error>, usize)> {
    let calls = sms_family().into_iter().map(|op| {
        let behavior = behavior.clone();
        async move {
            let route = op.route();
            let server = RawServer::start(behavior);
            let client = backend.build(builder(server.base_url(), route));
            let outcome = client.run(op).await.map(|_| ());
            let seen = server
                .requests()
                .iter()
                .filter(|r| r.path() != "/auth/vendor")
                .count();
            (route, outcome, seen)
        }
    });
    join_all(calls).await
}

async fn maybe_sent_failures_are_retried_only_on_reads(backend: Backend) {
    let behaviors = [
        ("reset", Behavior::Reset),
        ("503", Behavior::respond("503 Service Unavailable", &[], b"")),
        ("no answer", Behavior::NeverAnswer),
    ];
    for (name, behavior) in behaviors {
        for (route, outcome, seen) in run_all(backend, &behavior).await {
            assert!(outcome.is_err(), "{backend:?} {name} {route}: {outcome:?}");
            if route.is_idempotent() {
                assert_eq!(seen, 2, "{backend:?} {name} {route}: a read is retried");
            } else {
                assert_eq!(
                    seen, 1,
                    "{backend:?} {name} {route}: never sent twice: {outcome:?}"
                );
                assert!(route.method() != http::Method::GET, "{route}");
            }
        }
    }
}

async fn rate_limits_are_retried_on_every_route(backend: Backend) {
    let limited = Behavior::respond("429 Too Many Requests", &[("retry-after", "0")], b"");
    for (route, outcome, seen) in run_all(backend, &limited).await {
        assert!(
            matches!(outcome, Err(Error::RateLimited { .. })),
            "{backend:?} {route}: {outcome:?}"
        );
        assert_eq!(
            seen, 2,
            "{backend:?} {route}: a 429 was not processed, so it is retried"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_routes_on_reqwest() {
    maybe_sent_failures_are_retried_only_on_reads(Backend::Reqwest).await;
    rate_limits_are_retried_on_every_route(Backend::Reqwest).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_routes_on_hyper() {
    maybe_sent_failures_are_retried_only_on_reads(Backend::Hyper).await;
    rate_limits_are_retried_on_every_route(Backend::Hyper).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_routes_on_ureq() {
    maybe_sent_failures_are_retried_only_on_reads(Backend::Ureq).await;
    rate_limits_are_retried_on_every_route(Backend::Ureq).await;
}
