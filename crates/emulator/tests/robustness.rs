//! Malformed input always gets a Frontegg-shaped 4xx with a trace id.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use common::{Env, expect_error};
use frontegg_identity_emulator::EmulatorConfig;
use serde_json::json;

/// Path, content type, body, expected status and errorCode.
type Case = (&'static str, Option<&'static str>, Vec<u8>, u16, &'static str);

#[tokio::test]
async fn malformed_bodies() {
    let env = Env::with(EmulatorConfig::default().with_max_body_bytes(1024)).await;
    let t = env.user("u1");
    let send = |path: &'static str, ct: Option<&'static str>, body: Vec<u8>| {
        let mut req = env.http.post(env.phones(path)).bearer_auth(&t).body(body);
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        req.send()
    };
    let json_ct = Some("application/json");
    let cases: Vec<Case> = vec![
        // Not JSON at all: Frontegg's own code and words.
        ("/v1", json_ct, b"{not json".to_vec(), 400, "ER-00006"),
        ("/v1", json_ct, b"".to_vec(), 400, "ER-00006"),
        ("/v1", json_ct, b"[]".to_vec(), 400, "ER-EMULATOR-VALIDATION"),
        (
            "/v1",
            json_ct,
            br#"{"phoneNumber": 14155550100}"#.to_vec(),
            400,
            "ER-EMULATOR-VALIDATION",
        ),
        (
            "/v1",
            json_ct,
            br#"{"phoneNumber": "+14155550100", "verify": "yes"}"#.to_vec(),
            400,
            "ER-EMULATOR-VALIDATION",
        ),
        ("/v1", json_ct, br#"{}"#.to_vec(), 400, "ER-EMULATOR-VALIDATION"),
        (
            "/v1/verify",
            json_ct,
            br#"{"otcToken": "x"}"#.to_vec(),
            400,
            "ER-EMULATOR-VALIDATION",
        ),
        (
            "/v1/verify",
            json_ct,
            br#"{"otcToken": "x", "code": 123456}"#.to_vec(),
            400,
            "ER-EMULATOR-VALIDATION",
        ),
        (
            "/v1",
            Some("text/plain"),
            br#"{"phoneNumber": "+14155550100"}"#.to_vec(),
            415,
            "ER-EMULATOR-UNSUPPORTED-MEDIA-TYPE",
        ),
        (
            "/v1",
            None,
            br#"{"phoneNumber": "+14155550100"}"#.to_vec(),
            415,
            "ER-EMULATOR-UNSUPPORTED-MEDIA-TYPE",
        ),
        (
            "/v1/preverify",
            json_ct,
            vec![b' '; 4096],
            413,
            "ER-EMULATOR-PAYLOAD-TOO-LARGE",
        ),
    ];
    for (path, ct, body, status, code) in cases {
        let res = send(path, ct, body).await.unwrap();
        assert_eq!(expect_error(res, status).await, code, "{path} {ct:?} {status}");
    }
    // Chunked oversized body (no content-length).
    let stream = futures_stream(vec![vec![b' '; 800], vec![b' '; 800]]);
    let res = env
        .http
        .post(env.phones("/v1"))
        .bearer_auth(&t)
        .header("content-type", "application/json")
        .body(stream)
        .send()
        .await
        .unwrap();
    assert_eq!(expect_error(res, 413).await, "ER-EMULATOR-PAYLOAD-TOO-LARGE");
    // The error message does not echo the input.
    let res = send(
        "/v1/verify",
        json_ct,
        br#"{"otcToken": "x", "code": 987654}"#.to_vec(),
    )
    .await
    .unwrap();
    assert!(!res.text().await.unwrap().contains("987654"));
    // Nothing was stored.
    assert!(env.mine(&t).await.is_empty());
    // Bad vendor auth body.
    let res = env.post_json("/auth/vendor", json!({"clientId": 1})).send().await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-VALIDATION");
}

fn futures_stream(chunks: Vec<Vec<u8>>) -> reqwest::Body {
    // A body of unknown length, sent chunked.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    tokio::spawn(async move {
        for c in chunks {
            if tx.send(Ok(c)).await.is_err() {
                break;
            }
        }
    });
    reqwest::Body::wrap(ChunkBody { rx })
}

struct ChunkBody {
    rx: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
}

impl http_body::Body for ChunkBody {
    type Data = bytes::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        self.rx
            .poll_recv(cx)
            .map(|o| o.map(|r| r.map(|v| http_body::Frame::data(bytes::Bytes::from(v)))))
    }
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let env = Env::new().await;
    let res = env.http.get(env.url("/nope")).send().await.unwrap();
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-ROUTE-NOT-FOUND");
    let res = env.http.get(env.phones("/v3")).send().await.unwrap();
    assert_eq!(expect_error(res, 404).await, "ER-EMULATOR-ROUTE-NOT-FOUND");
    let res = env.http.put(env.phones("/v1")).send().await.unwrap();
    assert_eq!(expect_error(res, 405).await, "ER-EMULATOR-METHOD-NOT-ALLOWED");
    let res = env.http.get(env.url("/auth/vendor")).send().await.unwrap();
    assert_eq!(expect_error(res, 405).await, "ER-EMULATOR-METHOD-NOT-ALLOWED");
    let res = env.http.patch(env.url("/_emulator/health")).send().await.unwrap();
    assert_eq!(expect_error(res, 405).await, "ER-EMULATOR-METHOD-NOT-ALLOWED");
    let log = env.emu.requests();
    assert_eq!(log.len(), 5);
    assert!(log.iter().all(|r| r.route == "unknown" && !r.processed));
}

#[tokio::test]
async fn trace_ids_are_unique_and_everywhere() {
    let env = Env::new().await;
    let mut seen = std::collections::HashSet::new();
    for path in [
        "/_emulator/health",
        "/_emulator/requests",
        "/nope",
        "/auth/vendor",
    ] {
        for _ in 0..3 {
            let res = env.http.get(env.url(path)).send().await.unwrap();
            let id = res.headers()["frontegg-trace-id"].to_str().unwrap().to_owned();
            assert!(!id.is_empty());
            assert!(seen.insert(id));
        }
    }
}

#[tokio::test]
async fn emulator_route_errors() {
    let env = Env::new().await;
    let res = env
        .post_json("/_emulator/faults", json!({"route": "nope"}))
        .send()
        .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-VALIDATION");
    let res = env
        .post_json("/_emulator/faults", json!({"route": "*", "drop": "sideways"}))
        .send()
        .await;
    assert_eq!(expect_error(res, 400).await, "ER-EMULATOR-VALIDATION");
    let res = env
        .http
        .post(env.url("/_emulator/tokens"))
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(expect_error(res, 400).await, "ER-00006");
}
