#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
//! The fault matrix's deadline rows: every Rust client return by their
//! call deadline (plus a small margin) under a trickling body, a server that
//! never answers and repeated 503s on a read, whatever their attempt timeout
//! and retry policy would allow; per-call overrides bound a copy of a client
//! the same way; a retry that cannot start before the deadline is not made.

use std::time::{Duration, Instant};

use frontegg_identity_core::{CallOptions, ClientBuilder, Error, RetryPolicy};
use frontegg_identity_scenarios::raw_server::{Behavior, RawServer};
use frontegg_identity_scenarios::{AnyClient, Backend, Op, PHONES, user};

/// The call deadline the rows hold the clients to.
const DEADLINE: Duration = Duration::from_secs(1);
/// Scheduling slack on a loaded machine.
const MARGIN: Duration = Duration::from_millis(400);

/// Many attempts, each allowed far longer than the deadline: only the
/// deadline can end the call in time.
fn patient(base_url: &str) -> ClientBuilder {
    user(base_url)
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(50)
                .initial_backoff(Duration::from_millis(100))
                .max_backoff(Duration::from_millis(100))
                .jitter(false)
                .max_total_wait(Duration::from_secs(60)),
        )
}

/// Runs a list-mine and checks it ended by `bound` with a deadline error.
async fn held_to(client: &AnyClient, bound: Duration, what: &str) -> Error {
    let start = Instant::now();
    let error = client.run(Op::ListMine).await.expect_err(what);
    let took = start.elapsed();
    assert!(took <= bound + MARGIN, "{what}: took {took:?}, bound {bound:?}");
    assert!(error.is_timeout(), "{what}: {error:?}");
    let deadline = error
        .deadline_exceeded()
        .unwrap_or_else(|| panic!("{what}: {error:?}"));
    assert_eq!(deadline.deadline, bound, "{what}");
    assert!(error.to_string().contains("deadline"), "{what}: {error}");
    error
}

fn rows() -> [(&'static str, Behavior); 3] {
    [
        (
            "trickling body",
            Behavior::Trickle {
                len: 10_000,
                every: Duration::from_millis(20),
            },
        ),
        ("no answer", Behavior::NeverAnswer),
        (
            "503 every time",
            Behavior::respond("503 Service Unavailable", &[], b"{}"),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn the_builder_deadline_bounds_every_call() {
    for (what, behavior) in rows() {
        for backend in Backend::ALL {
            let server = RawServer::start(behavior.clone());
            let client = backend.build(patient(server.base_url()).deadline(DEADLINE));
            let label = format!("{what} on {backend:?}");
            let error = held_to(&client, DEADLINE, &label).await;
            if what.starts_with("503") {
                let attempts = server.count(&format!("{PHONES}/v1/me"));
                assert!(attempts >= 2, "{label}: {attempts} attempts");
                let last = error.deadline_exceeded().and_then(|d| d.last.as_ref());
                assert_eq!(
                    last.and_then(Error::status).map(|s| s.as_u16()),
                    Some(503),
                    "{label}"
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_per_call_deadline_bounds_a_copy_of_the_client() {
    for (what, behavior) in rows() {
        for backend in Backend::ALL {
            let server = RawServer::start(behavior.clone());
            let client = backend.build(patient(server.base_url()));
            let bounded = client
                .with_options(CallOptions::new().deadline(DEADLINE))
                .unwrap();
            held_to(&bounded, DEADLINE, &format!("{what} on {backend:?}, per call")).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_per_call_timeout_and_retries_bound_each_attempt() {
    for backend in Backend::ALL {
        let server = RawServer::start(Behavior::NeverAnswer);
        let client = backend.build(patient(server.base_url()));
        let quick = client
            .with_options(
                CallOptions::new()
                    .timeout(Duration::from_millis(300))
                    .max_retries(1),
            )
            .unwrap();
        let start = Instant::now();
        let error = quick.run(Op::ListMine).await.expect_err("no answer");
        let took = start.elapsed();
        assert!(
            took <= Duration::from_millis(700) + MARGIN,
            "{backend:?}: {took:?}"
        );
        assert!(
            error.is_timeout() && error.deadline_exceeded().is_none(),
            "{backend:?}: {error:?}"
        );
        assert_eq!(
            server.count(&format!("{PHONES}/v1/me")),
            2,
            "{backend:?}: one retry"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_that_cannot_start_before_the_deadline_is_not_made() {
    for backend in Backend::ALL {
        let server = RawServer::start(Behavior::respond("503 Service Unavailable", &[], b"{}"));
        let builder = patient(server.base_url()).deadline(DEADLINE).retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_secs(2))
                .jitter(false),
        );
        let client = backend.build(builder);
        let start = Instant::now();
        let error = client.run(Op::ListMine).await.expect_err("503");
        assert!(start.elapsed() < Duration::from_millis(500), "{backend:?}: slept");
        let deadline = error.deadline_exceeded().unwrap_or_else(|| panic!("{error:?}"));
        assert_eq!(deadline.attempts, 1, "{backend:?}");
        assert!(error.may_have_been_sent(), "{backend:?}");
        assert_eq!(server.count(&format!("{PHONES}/v1/me")), 1, "{backend:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn time_bounds_are_checked_before_anything_is_sent() {
    let server = RawServer::start(Behavior::json("[]"));
    for backend in Backend::ALL {
        let client = backend.build(patient(server.base_url()));
        for options in [
            CallOptions::new().timeout(Duration::ZERO),
            CallOptions::new().deadline(Duration::ZERO),
            CallOptions::new().deadline(Duration::from_millis(100)),
        ] {
            let refused = client.with_options(options).expect_err("refused");
            assert!(matches!(refused, Error::Configuration(_)), "{refused:?}");
        }
        // Overrides layer: the copy of a copy keeps what it did not replace.
        let copy = client.with_options(CallOptions::new().max_retries(0)).unwrap();
        let copy = copy.with_options(CallOptions::new().deadline(DEADLINE)).unwrap();
        assert_eq!(
            copy.options(),
            CallOptions::new().max_retries(0).deadline(DEADLINE)
        );
        copy.run(Op::ListMine)
            .await
            .expect("a copy shares the connections");
    }
    assert_eq!(server.total(), Backend::ALL.len());
    for builder in [
        patient(server.base_url()).deadline(Duration::ZERO),
        patient(server.base_url()).deadline(Duration::from_millis(200)),
        patient(server.base_url()).timeout(Duration::ZERO),
    ] {
        let rt = tokio::runtime::Handle::current();
        let _guard = rt.enter();
        let error = frontegg_identity_reqwest::ReqwestBuild::build(builder.clone()).expect_err("refused");
        assert!(matches!(error, Error::Configuration(_)), "{error:?}");
        let error = frontegg_identity_ureq::UreqBuild::build(builder).expect_err("refused");
        assert!(matches!(error, Error::Configuration(_)), "{error:?}");
    }
}
