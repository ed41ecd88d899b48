//! One scenario list, run against both real transports over loopback HTTP:
//! every route, every error shape, rate limits, a read timeout, an
//! oversized body and a redirect that must not be followed.
#![allow(clippy::unwrap_used, missing_docs)]

use std::time::{Duration, Instant, SystemTime};

use frontegg_identity_core::{
    Error, ListQuery, OtcToken, PhoneNumberId, SortBy, SortOrder, TransportErrorKind, USER_AGENT, UserId,
    VerificationCode,
};
use frontegg_identity_scenarios::{
    Backend, CLIENT_ID, Op, PHONES, TENANT, USER_TOKEN, VENDOR_SECRET, chunked_server, phone,
    refused_base_url, user, vendor,
};
use serde_json::json;
use wiremock::matchers::{any, body_json, header, method, path, query_param};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

/// A mock of `verb` requests to `route` carrying this bearer token.
fn route(verb: &str, route: impl Into<String>, bearer: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(route))
        .and(header("authorization", bearer))
}

/// Runs every scenario on each transport, as `on_reqwest::name`, `on_hyper::name` and `on_ureq::name`.
macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        mod on_reqwest {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::Reqwest).await;
                }
            )*
        }
        mod on_hyper {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::Hyper).await;
                }
            )*
        }
        mod on_ureq {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::Ureq).await;
                }
            )*
        }
    };
}

scenarios!(
    assign_sends_the_number_with_the_user_token,
    preverify_then_verify,
    list_mine_reads_records,
    start_and_confirm_delete_with_an_encoded_id,
    vendor_routes_authenticate_once,
    a_rejected_vendor_token_is_refreshed_once,
    frontegg_error_body,
    gateway_error_on_an_sms_route_is_not_retried,
    html_error_on_a_get_is_retried_then_reported,
    rate_limit_reset_is_waited_for,
    an_enormous_rate_limit_fails_at_once,
    a_read_timeout_is_reported_in_time,
    an_oversized_body_is_refused,
    an_oversized_chunked_body_is_refused,
    a_redirect_is_not_followed,
    a_refused_connection_is_reported,
);

const BEARER: &str = "Bearer user-token-1";

fn otc() -> OtcToken {
    OtcToken::new("otc-1").unwrap()
}

fn code() -> VerificationCode {
    VerificationCode::parse("123456").unwrap()
}

async fn assign_sends_the_number_with_the_user_token(backend: Backend) {
    let server = MockServer::start().await;
    route("POST", format!("{PHONES}/v1"), BEARER)
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(header("user-agent", USER_AGENT))
        .and(body_json(json!({"phoneNumber": "+14155550100", "verify": true})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"otcToken": "otc-new"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("{PHONES}/v1")))
        .and(body_json(json!({"phoneNumber": "+14155550100", "verify": false})))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;

    let client = backend.build(user(&server.uri()));
    let token = client
        .run(Op::Assign(phone(), true))
        .await
        .unwrap()
        .otc()
        .unwrap();
    assert_eq!(token.expose_secret(), "otc-new");
    assert!(
        client
            .run(Op::Assign(phone(), false))
            .await
            .unwrap()
            .otc()
            .is_none()
    );

    let requests = server.received_requests().await.unwrap();
    assert!(USER_AGENT.starts_with("frontegg-identity-rust/"));
    let agent = requests[0].headers["user-agent"].to_str().unwrap();
    assert!(agent.starts_with("frontegg-identity-rust/"), "{agent}");
}

async fn preverify_then_verify(backend: Backend) {
    let server = MockServer::start().await;
    route("POST", format!("{PHONES}/v1/preverify"), BEARER)
        .and(body_json(json!({"phoneNumber": "+14155550100"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"otcToken": "otc-1"})))
        .expect(1)
        .mount(&server)
        .await;
    route("POST", format!("{PHONES}/v1/verify"), BEARER)
        .and(body_json(json!({"otcToken": "otc-1", "code": "123456"})))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    let client = backend.build(user(&server.uri()));
    let token = client.run(Op::Preverify(phone())).await.unwrap().otc().unwrap();
    assert_eq!(token.expose_secret(), "otc-1");
    client.run(Op::Verify(token, code())).await.unwrap();
}

async fn list_mine_reads_records(backend: Backend) {
    let server = MockServer::start().await;
    route("GET", format!("{PHONES}/v1/me"), BEARER)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "p1", "phoneNumber": "+14155550100", "verified": true,
             "createdAt": "2026-01-02T03:04:05Z", "unknown": {"x": 1}},
            {"id": "p2", "phoneNumber": "0415 555", "verified": false}
        ])))
        .expect(1)
        .mount(&server)
        .await;

    let client = backend.build(user(&server.uri()));
    let records = client.run(Op::ListMine).await.unwrap().records();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].id.as_ref().unwrap().as_str(), "p1");
    assert!(records[0].verified && records[0].created_at.is_some());
    assert_eq!(records[1].phone_number.as_str(), "0415 555");
    let request = &server.received_requests().await.unwrap()[0];
    assert!(request.body.is_empty());
    assert!(request.headers.get("content-type").is_none());
}

async fn start_and_confirm_delete_with_an_encoded_id(backend: Backend) {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"phoneId": "a/../b c", "otcToken": "otc-del"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_json(json!({"otcToken": "otc-del", "code": "123456"})))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;

    let client = backend.build(user(&server.uri()));
    let id = PhoneNumberId::new("a/../b c").unwrap();
    let pending = client.run(Op::StartDelete(id.clone())).await.unwrap().pending();
    assert_eq!(pending.phone_id, id);
    client
        .run(Op::ConfirmDelete(pending.phone_id, pending.otc_token, code()))
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let paths: Vec<_> = requests.iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(
        paths,
        [
            format!("{PHONES}/v1/a%2F..%2Fb%20c"),
            format!("{PHONES}/v1/a%2F..%2Fb%20c/delete/verify"),
        ]
    );
    assert!(requests.iter().all(|r| r.headers["authorization"] == BEARER));
}

async fn mount_vendor_auth(server: &MockServer, expected: u64) {
    Mock::given(method("POST"))
        .and(path("/auth/vendor"))
        .and(body_json(json!({"clientId": CLIENT_ID, "secret": VENDOR_SECRET})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "vt-1", "expiresIn": 3600})))
        .expect(expected)
        .mount(server)
        .await;
}

async fn vendor_routes_authenticate_once(backend: Backend) {
    let server = MockServer::start().await;
    mount_vendor_auth(&server, 1).await;
    route("GET", format!("{PHONES}/v2"), "Bearer vt-1")
        .and(header("frontegg-tenant-id", TENANT))
        .and(query_param("_limit", "10"))
        .and(query_param("_offset", "1"))
        .and(query_param("_sortBy", "phoneNumber"))
        .and(query_param("_order", "DESC"))
        .and(query_param("_phoneNumber", "+14155550100"))
        .and(query_param("userIds", "u/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"userId": "u/1", "phoneNumber": "+14155550100"}],
            "_metadata": {"totalItems": 11.0, "totalPages": 2.0},
            "_links": {"next": null}
        })))
        .expect(2)
        .mount(&server)
        .await;
    route("POST", format!("{PHONES}/v1/vendor/u%2F1"), "Bearer vt-1")
        .and(body_json(json!({"phoneNumber": "+14155550100"})))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    route("DELETE", format!("{PHONES}/v1/vendor/u%2F1/p1"), "Bearer vt-1")
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    let client = backend.build(vendor(&server.uri()));
    let query = ListQuery::new()
        .limit(10)
        .page(1)
        .sort_by(SortBy::PhoneNumber)
        .order(SortOrder::Desc)
        .phone_number(phone())
        .user_ids([UserId::new("u/1").unwrap()]);
    for _ in 0..2 {
        let page = client.run(Op::List(query.clone())).await.unwrap().page();
        assert_eq!((page.page, page.total_items, page.total_pages), (1, 11, 2));
        assert!(!page.has_next());
    }
    let user_id = UserId::new("u/1").unwrap();
    client.run(Op::VendorAdd(user_id.clone(), phone())).await.unwrap();
    client
        .run(Op::VendorDelete(user_id, PhoneNumberId::new("p1").unwrap()))
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 5);
    assert_eq!(requests[0].url.path(), "/auth/vendor");
    assert!(requests[0].headers.get("authorization").is_none());
    assert!(requests[0].headers.get("frontegg-tenant-id").is_none());
    // The raw query keeps the `+` of the number encoded.
    let query = requests[1].url.query().unwrap();
    assert!(query.contains("_phoneNumber=%2B14155550100"), "{query}");
}

async fn a_rejected_vendor_token_is_refreshed_once(backend: Backend) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/vendor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "vt-old"})))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/vendor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "vt-new"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer vt-old"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"errors": ["Unauthorized"]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer vt-new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": []})))
        .expect(1)
        .mount(&server)
        .await;

    let client = backend.build(vendor(&server.uri()));
    let page = client.run(Op::List(ListQuery::new())).await.unwrap().page();
    assert!(page.items.is_empty());
}

async fn frontegg_error_body(backend: Backend) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{PHONES}/v1/verify")))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("frontegg-trace-id", "trace-xyz")
                .set_body_json(json!({"errors": ["Invalid code"], "errorCode": "ER-00008", "context": {}})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = backend.build(user(&server.uri()));
    let err = client.run(Op::Verify(otc(), code())).await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.messages, ["Invalid code"]);
    assert_eq!(err.error_code(), Some("ER-00008"));
    assert_eq!(err.trace_id(), Some("trace-xyz"));
    assert!(!err.is_retryable());
}

async fn gateway_error_on_an_sms_route_is_not_retried(backend: Backend) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(502).set_body_json(json!({"statusCode": 502, "message": "Bad Gateway"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = backend.build(user(&server.uri()));
    let err = client.run(Op::Preverify(phone())).await.unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 502);
    assert_eq!(err.api_error().unwrap().messages, ["Bad Gateway"]);
    assert!(err.may_have_been_sent());
}

async fn html_error_on_a_get_is_retried_then_reported(backend: Backend) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_raw(
            "<html><body><h1>503 Service Unavailable</h1></body></html>",
            "text/html",
        ))
        .expect(3)
        .mount(&server)
        .await;

    let client = backend.build(user(&server.uri()));
    let err = client.run(Op::ListMine).await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status.as_u16(), 503);
    assert!(api.messages.is_empty());
    assert!(api.body_excerpt.starts_with("<html>"), "{}", api.body_excerpt);
}

fn rfc3339_in(wait: Duration) -> String {
    chrono::DateTime::<chrono::Utc>::from(SystemTime::now() + wait)
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

async fn rate_limit_reset_is_waited_for(backend: Backend) {
    let server = MockServer::start().await;
    // Timed from before the reset is computed, so a slow machine cannot shorten the bound.
    let started = Instant::now();
    let reset = rfc3339_in(Duration::from_millis(700));
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-rate-limit-reset", reset.as_str())
                .set_body_json(json!({"errors": ["Too many requests"]})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"otcToken": "otc-later"})))
        .expect(1)
        .mount(&server)
        .await;

    let client = backend.build(user(&server.uri()));
    let token = client.run(Op::Preverify(phone())).await.unwrap().otc().unwrap();
    assert_eq!(token.expose_secret(), "otc-later");
    // The client waited until the reset rather than for its 5 ms backoff.
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(650), "{elapsed:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

async fn an_enormous_rate_limit_fails_at_once(backend: Backend) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header(
            "x-rate-limit-reset",
            rfc3339_in(Duration::from_secs(3600)).as_str(),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let client = backend.build(user(&server.uri()));
    let started = Instant::now();
    let err = client.run(Op::Preverify(phone())).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert!(err.retry_after().unwrap() > Duration::from_secs(3500));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

async fn a_read_timeout_is_reported_in_time(backend: Backend) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"otcToken": "too-late"}))
                .set_delay(Duration::from_secs(2)),
        )
        .expect(1)
        .mount(&server)
        .await;

    let timeout = Duration::from_millis(300);
    let client = backend.build(user(&server.uri()).timeout(timeout));
    let started = Instant::now();
    let err = client.run(Op::Preverify(phone())).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.may_have_been_sent(), "a read timeout may have sent the SMS");
    // Not retried (`expect(1)`), and back well before the server answers.
    assert!(elapsed < timeout + Duration::from_millis(1500), "{elapsed:?}");
}

async fn an_oversized_body_is_refused(backend: Backend) {
    let server = MockServer::start().await;
    let big = format!("[{}]", vec![r#"{"phoneNumber":"+14155550100"}"#; 200].join(","));
    assert!(big.len() > 4096);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(big, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let client = backend.build(user(&server.uri()).max_response_bytes(1024));
    let err = client.run(Op::ListMine).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport(ref e) if e.kind == TransportErrorKind::BodyTooLarge),
        "{err:?}"
    );
    assert!(!err.is_retryable());
}

async fn an_oversized_chunked_body_is_refused(backend: Backend) {
    let url = chunked_server(64 * 1024);
    let client = backend.build(user(&url).max_response_bytes(1024));
    let err = client.run(Op::ListMine).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport(ref e) if e.kind == TransportErrorKind::BodyTooLarge),
        "{err:?}"
    );

    // The same server within the limit parses (blank JSON is not a list).
    let client = backend.build(user(&url).max_response_bytes(1024 * 1024));
    let err = client.run(Op::ListMine).await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

async fn a_redirect_is_not_followed(backend: Backend) {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}{PHONES}/v1/me", elsewhere.uri()).as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = backend.build(user(&server.uri()));
    let err = client.run(Op::ListMine).await.unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.status().unwrap().as_u16(), 302);
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
    let seen = server.received_requests().await.unwrap();
    assert_eq!(seen[0].headers["authorization"], BEARER);
    assert!(!format!("{err} {err:?}").contains(USER_TOKEN));
}

async fn a_refused_connection_is_reported(backend: Backend) {
    let client = backend.build(user(&refused_base_url()));
    let started = Instant::now();
    let err = client.run(Op::Preverify(phone())).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport(ref e) if e.kind == TransportErrorKind::Connect),
        "{err:?}"
    );
    assert!(!err.may_have_been_sent());
    assert!(err.is_retryable());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
