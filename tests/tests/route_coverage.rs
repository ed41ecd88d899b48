#![allow(clippy::unwrap_used, clippy::expect_used)]
//! No layer misses a route: every route of core's table is in the scenario
//! harness once, every Rust client sends it, and the emulator routes it under
//! the same name in its request log. (The Python layers are checked against
//! the same table by `python/tests/test_route_coverage.py`.)

use std::collections::BTreeSet;

use frontegg_identity_core::{AccessToken, AuthScheme, ClientBuilder, Route, VendorSecret};
use frontegg_identity_emulator::{Emulator, EmulatorConfig};
use frontegg_identity_scenarios::{Backend, Op, TENANT};

#[test]
fn the_harness_has_one_call_of_every_route() {
    let ops = Op::one_of_each();
    let routes: Vec<Route> = ops.iter().map(Op::route).collect();
    let unique: BTreeSet<Route> = routes.iter().copied().collect();
    assert_eq!(unique.len(), routes.len(), "a route is in the harness twice");
    let expected: BTreeSet<Route> = Route::ALL
        .into_iter()
        .filter(|r| *r != Route::VendorAuth)
        .collect();
    assert_eq!(unique, expected, "the harness and core's route table differ");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_clients_send_every_route_and_the_emulator_knows_it() {
    let emu = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let base = emu.base_url().to_owned();
    let (id, secret) = emu.vendor_credentials();
    let user = ClientBuilder::new()
        .base_url(&base)
        .user_token(AccessToken::new(emu.mint_user_token("user-sample", Some(TENANT))).unwrap());
    let vendor = ClientBuilder::new()
        .base_url(&base)
        .vendor_credentials(id, VendorSecret::new(secret).unwrap())
        .tenant_id(frontegg_identity_core::TenantId::new(TENANT).unwrap());
    let anonymous = ClientBuilder::new().base_url(&base);
    for backend in Backend::ALL {
        for op in Op::one_of_each() {
            let route = op.route();
            let builder = match route.auth() {
                AuthScheme::User => user.clone(),
                AuthScheme::Vendor => vendor.clone(),
                _ => anonymous.clone(),
            };
            let client = backend.build(builder.retry_policy(frontegg_identity_core::RetryPolicy::none()));
            // The call may fail (the samples are well-formed, not valid): what
            // counts is that it was sent and routed.
            let _ = client.run(op).await;
            let logged = emu.requests();
            let last = logged
                .iter()
                .rev()
                .find(|r| r.route != "vendor_auth")
                .unwrap_or_else(|| panic!("{backend:?} sent nothing for {route}"));
            assert_eq!(
                last.route,
                route.name(),
                "{backend:?}: {} {}",
                last.method,
                last.path
            );
            assert_eq!(last.method, route.method().as_str(), "{backend:?} {route}");
            emu.reset();
        }
    }
}
