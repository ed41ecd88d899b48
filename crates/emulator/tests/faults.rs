//! Fault injection and the request log.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::io::{Read as _, Write as _};
use std::time::{Duration, Instant};

use common::{Env, FAULTS, assert_routes, expect_error};
use frontegg_identity_emulator::{EmulatorConfig, FaultSpec, Route};
use serde_json::{Value, json};

const PHONE: &str = "+14155550100";

#[tokio::test]
async fn status_fault_answers_without_processing() {
    let env = Env::new().await;
    let t = env.user("u1");
    env.emu
        .inject_fault(FaultSpec::on(Route::Assign).times(2).status(503));
    for _ in 0..2 {
        let res = env.post("/v1", &t, json!({"phoneNumber": PHONE})).await;
        assert_eq!(expect_error(res, 503).await, "ER-EMULATOR-FAULT");
    }
    assert!(env.emu.sms(None).is_empty());
    assert!(env.mine(&t).await.is_empty());
    env.assign(&t, PHONE).await;
    // Custom body, via the HTTP API, on any route.
    env.post_fault(json!({"route": "*", "status": 500, "body": {"statusCode": 500, "message": "boom"}, "headers": {"x-extra": "1"}})).await;
    let res = env.get("/v1/me", &t).await;
    assert_eq!(res.status(), 500);
    assert_eq!(res.headers()["x-extra"], "1");
    assert!(res.headers().contains_key("frontegg-trace-id"));
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"statusCode": 500, "message": "boom"})
    );
    let log = env.emu.requests();
    let last = log.last().unwrap();
    assert_eq!(
        (
            last.route.as_str(),
            last.status,
            last.processed,
            last.fault.as_deref()
        ),
        ("list_mine", Some(500), false, Some("status"))
    );
    // Clearing.
    env.emu.inject_fault(FaultSpec::on(Route::ListMine).status(500));
    let res = env.req(reqwest::Method::DELETE, FAULTS).send().await;
    assert!(res.status().is_success());
    assert_eq!(env.get("/v1/me", &t).await.status(), 200);
}

#[tokio::test]
async fn rate_limit_fault_sets_headers() {
    let env = Env::new().await;
    let v = env.vendor_token().await;
    env.post_fault(json!({"route": "list", "rateLimitReset": "2030-01-01T00:00:00Z"}))
        .await;
    env.emu.inject_fault(FaultSpec::on(Route::List).retry_after("2"));
    let res = env.get("/v2", &v).await;
    assert_eq!(res.headers()["x-rate-limit-reset"], "2030-01-01T00:00:00Z");
    assert_eq!(expect_error(res, 429).await, "ER-EMULATOR-FAULT");
    let res = env.get("/v2", &v).await;
    assert_eq!(res.headers()["retry-after"], "2");
    assert_eq!(expect_error(res, 429).await, "ER-EMULATOR-FAULT");
    assert_eq!(env.get("/v2", &v).await.status(), 200);
}

#[tokio::test]
async fn delay_fault_then_normal_processing() {
    let env = Env::new().await;
    let t = env.user("u1");
    env.emu
        .inject_fault(FaultSpec::on(Route::Assign).delay(Duration::from_millis(300)));
    let start = Instant::now();
    env.assign(&t, PHONE).await;
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert_eq!(env.mine(&t).await.len(), 1);
    env.assign(&t, "+14155550101").await;
    let log = env.emu.requests();
    assert_eq!(log[0].fault.as_deref(), Some("delay"));
    assert!(log[0].processed);
    assert_eq!(log[2].route, "assign");
    assert_eq!(log[2].fault, None, "the fault was consumed once");
}

/// An assignment whose connection is dropped: the client's error.
async fn assign_unanswered(env: &Env, t: &str) -> reqwest::Error {
    reqwest::Client::new()
        .post(env.phones("/v1"))
        .bearer_auth(t)
        .json(&json!({"phoneNumber": PHONE}))
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn drop_before_closes_without_answer_or_processing() {
    let env = Env::new().await;
    let t = env.user("u1");
    env.emu.inject_fault(FaultSpec::on(Route::Assign).drop_before());
    let err = assign_unanswered(&env, &t).await;
    assert!(!err.is_status(), "{err:?}");
    assert!(env.emu.sms(None).is_empty());
    assert!(env.mine(&t).await.is_empty());
    let log = env.emu.requests();
    assert_eq!(
        (log[0].status, log[0].processed, log[0].fault.as_deref()),
        (None, false, Some("drop_before"))
    );

    // With a raw socket: zero bytes, then EOF (or reset).
    env.emu.inject_fault(FaultSpec::any().drop_before());
    let addr = env.emu.addr();
    let read = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(b"GET /identity/resources/users/phone-numbers/v1/me HTTP/1.1\r\nhost: x\r\n\r\n")
            .unwrap();
        let mut buf = Vec::new();
        match s.read_to_end(&mut buf) {
            Ok(_) => buf.len(),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => buf.len(),
            Err(e) => panic!("{e}"),
        }
    })
    .await
    .unwrap();
    assert_eq!(read, 0);
}

#[tokio::test]
async fn drop_after_processes_then_closes() {
    let env = Env::new().await;
    let t = env.user("u1");
    env.post_fault(json!({"route": "assign", "drop": "after"})).await;
    let err = assign_unanswered(&env, &t).await;
    assert!(!err.is_status());
    assert_eq!(env.emu.sms(Some(PHONE)).len(), 1);
    assert_eq!(env.mine(&t).await.len(), 1);
    let log = env.emu.requests();
    assert_eq!(
        (log[0].status, log[0].processed, log[0].fault.as_deref()),
        (None, true, Some("drop_after"))
    );
}

#[tokio::test]
async fn request_log_holds_no_secrets() {
    let env = Env::with(EmulatorConfig::default().with_code_length(8)).await;
    let t = env.user("u1");
    let v = env.vendor_token().await;
    let otc = env.assign(&t, PHONE).await;
    let code = env.emu.last_code(PHONE).unwrap();
    env.verify(&t, &otc, &code).await;
    let id = env.mine(&t).await[0]["id"].as_str().unwrap().to_owned();
    let res = env.delete(&format!("/v1/{id}"), &t).await;
    let del_otc = res.json::<Value>().await.unwrap()["otcToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let del_code = env.emu.last_code(PHONE).unwrap();
    env.post(
        &format!("/v1/{id}/delete/verify"),
        &t,
        json!({"otcToken": del_otc, "code": del_code}),
    )
    .await;
    env.get("/v2?_phoneNumber=%2B14155550100&_limit=5", &v).await;
    env.get("/v1?_phoneNumber=+14155550100", &v).await;
    env.post("/v1/vendor/u2", &v, json!({"phoneNumber": PHONE})).await;
    let (text, log) = env.request_log().await;
    assert_eq!(log.len(), 9, "{text}");
    for secret in [
        t.as_str(),
        v.as_str(),
        otc.as_str(),
        code.as_str(),
        del_otc.as_str(),
        del_code.as_str(),
        "emulator-secret",
        "4155550100",
    ] {
        assert!(!text.contains(secret), "log leaks {secret}: {text}");
    }
    assert_routes(
        &log,
        "vendor_auth assign verify list_mine start_delete confirm_delete list list_v1 vendor_add",
    );
    assert_eq!(log[1]["userId"], "u1");
    assert_eq!(log[1]["status"], 201);
    assert_eq!(log[1]["processed"], true);
    assert_eq!(log[1]["method"], "POST");
    assert!(log[6]["path"].as_str().unwrap().contains("_phoneNumber=***"));
    assert_eq!(log[8]["userId"], "u2");
    for (i, e) in log.iter().enumerate() {
        assert_eq!(e["seq"], i as u64 + 1);
        assert!(e["at"].as_str().unwrap().ends_with('Z'));
        assert!(e["fault"].is_null());
    }
    // The masking helper.
    assert_eq!(frontegg_identity_emulator::mask_phone(PHONE), "+*********00");
    // Debug of an SMS redacts it.
    let dbg = format!("{:?}", env.emu.sms(None)[0]);
    assert!(
        !dbg.contains(&code) && !dbg.contains(&otc) && !dbg.contains("4155550100"),
        "{dbg}"
    );
    let dbg = format!("{:?}", env.emu.config());
    assert!(!dbg.contains("emulator-secret"));
}

#[tokio::test]
async fn request_log_is_a_ring_buffer() {
    let env = Env::with(EmulatorConfig::default().with_max_request_log(3)).await;
    for _ in 0..5 {
        env.http.get(env.url("/nope")).send().await.unwrap();
    }
    let log = env.emu.requests();
    assert_eq!(log.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4, 5]);
}
