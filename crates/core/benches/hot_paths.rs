//! Micro-benchmarks of the SDK's hot pure functions: building requests,
//! parsing answers, parsing phone numbers and errors. No server, no I/O, so
//! a regression shows here before it shows end to end.
//!
//! ```text
//! cargo bench -p frontegg-identity-core --bench hot_paths
//! ```
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use chrono::{DateTime, Utc};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use frontegg_identity_core::endpoint::{Endpoint, List, ListMine, Preverify, RequestContext, Verify};
use frontegg_identity_core::http::{HeaderMap, HeaderValue, Response, StatusCode};
use frontegg_identity_core::{
    ApiError, ListQuery, OtcToken, PhoneNumber, Route, SortBy, SortOrder, UserId, VerificationCode,
};

const GATEWAY: &str = "https://api.frontegg.com";

/// Five records, as the emulator and the benchmark floor server answer
/// `list_mine` (the floor server answers with this file).
const LIST_MINE: &str = include_str!("list_mine.json");
const PREVERIFY: &str = r#"{"otcToken":"3f6c1d2e-8a9b-4c5d-9e0f-112233445566"}"#;
const ERROR: &str = r#"{"errors":["Invalid code"],"errorCode":"ER-00008","errorCodes":["ER-00008"],"context":{"field":"code"}}"#;

fn response(body: &str) -> Response<Vec<u8>> {
    let mut r = Response::new(body.as_bytes().to_vec());
    r.headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    r
}

/// What hand-written serde code parses `list_mine` into: the floor to compare
/// the SDK's lenient record parsing with.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PlainRecord {
    id: Option<String>,
    user_id: Option<String>,
    phone_number: String,
    #[serde(default)]
    verified: bool,
    created_at: Option<DateTime<Utc>>,
    updated_at: Option<DateTime<Utc>>,
}

/// Benchmarks building the request of the endpoint `endpoint` makes.
fn request<E: Endpoint>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    ctx: &RequestContext<'_>,
    endpoint: impl Fn() -> E,
) {
    g.bench_function(name, |b| {
        b.iter(|| black_box(endpoint().request(black_box(ctx)).unwrap()));
    });
}

fn requests(c: &mut Criterion) {
    let ua = HeaderValue::from_static("frontegg-identity-rust/0.1.0");
    let auth = HeaderValue::from_static("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaC11c2VyIn0.c2ln");
    let tenant = HeaderValue::from_static("tenant-acme");
    let mut ctx = RequestContext::new(GATEWAY, &ua);
    ctx.authorization = Some(&auth);
    let number = PhoneNumber::parse("+14155550100").unwrap();
    let otc = OtcToken::new("3f6c1d2e-8a9b-4c5d-9e0f-112233445566").unwrap();
    let code = VerificationCode::parse("123456").unwrap();
    let query = ListQuery::new()
        .limit(100)
        .page(3)
        .sort_by(SortBy::PhoneNumber)
        .order(SortOrder::Desc)
        .user_ids([UserId::new("user-1").unwrap(), UserId::new("user two/é").unwrap()]);

    let mut g = c.benchmark_group("request");
    let preverify = || Preverify {
        phone_number: black_box(&number),
    };
    request(&mut g, "preverify", &ctx, preverify);
    let verify = || Verify {
        otc_token: black_box(&otc),
        code: black_box(&code),
    };
    request(&mut g, "verify", &ctx, verify);
    request(&mut g, "list_mine", &ctx, || ListMine);
    let mut vendor = ctx;
    vendor.tenant_id = Some(&tenant);
    let list = || List {
        query: black_box(&query),
    };
    request(&mut g, "list_v2_query", &vendor, list);
    g.finish();
}

fn responses(c: &mut Criterion) {
    let number = PhoneNumber::parse("+14155550100").unwrap();
    let mut g = c.benchmark_group("parse");
    g.bench_function("list_mine_5_records", |b| {
        b.iter_batched(
            || response(LIST_MINE),
            |r| black_box(ListMine.parse(r).unwrap()),
            criterion::BatchSize::SmallInput,
        );
    });
    g.bench_function("list_mine_5_records_plain_serde", |b| {
        b.iter(|| black_box(serde_json::from_str::<Vec<PlainRecord>>(black_box(LIST_MINE)).unwrap()));
    });
    g.bench_function("preverify", |b| {
        b.iter_batched(
            || response(PREVERIFY),
            |r| {
                black_box(
                    Preverify {
                        phone_number: &number,
                    }
                    .parse(r)
                    .unwrap(),
                )
            },
            criterion::BatchSize::SmallInput,
        );
    });
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    headers.insert(
        "frontegg-trace-id",
        HeaderValue::from_static("0af7651916cd43dd8448eb211c80319c"),
    );
    g.bench_function("api_error_from_response", |b| {
        b.iter(|| {
            black_box(ApiError::from_response(
                Route::Verify,
                StatusCode::BAD_REQUEST,
                black_box(&headers),
                black_box(ERROR.as_bytes()),
            ))
        });
    });
    g.finish();
}

fn phones(c: &mut Criterion) {
    let mut g = c.benchmark_group("phone");
    g.bench_function("parse_e164", |b| {
        b.iter(|| black_box(PhoneNumber::parse(black_box("+14155550100")).unwrap()));
    });
    g.bench_function("parse_formatted", |b| {
        b.iter(|| black_box(PhoneNumber::parse(black_box("+1 (415) 555-0100")).unwrap()));
    });
    g.finish();
}

criterion_group!(benches, requests, responses, phones);
criterion_main!(benches);
