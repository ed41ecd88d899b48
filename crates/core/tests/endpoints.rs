//! Golden tests of every endpoint: the exact request each one builds
//! (method, path, query, headers, JSON body) and how each one reads answers
//! kept as fixtures, success and error alike.
#![allow(clippy::unwrap_used, missing_docs)]

use std::time::Duration;

use frontegg_identity_core::endpoint::{
    Assign, ConfirmDelete, Endpoint, List, ListMine, Preverify, RequestContext, StartDelete, VendorAdd,
    VendorAuth, VendorDelete, Verify,
};
use frontegg_identity_core::http::{self, HeaderValue, Method, Request, Response, StatusCode};
use frontegg_identity_core::{
    Error, ListQuery, OtcToken, PhoneNumber, PhoneNumberId, SortBy, SortOrder, UserId, VendorSecret,
    VerificationCode,
};

const GATEWAY: &str = "https://api.frontegg.com";
const BASE: &str = "https://api.frontegg.com/identity/resources/users/phone-numbers";
const UA: &str = "frontegg-identity-rust/test";

/// The values a context borrows.
struct Ctx {
    ua: HeaderValue,
    auth: HeaderValue,
    tenant: HeaderValue,
    user: HeaderValue,
}

impl Ctx {
    fn new() -> Self {
        Self {
            ua: HeaderValue::from_static(UA),
            // Deliberately not marked sensitive: the endpoint must mark it.
            auth: HeaderValue::from_static("Bearer tok-1"),
            tenant: HeaderValue::from_static("tenant-1"),
            user: HeaderValue::from_static("user-1"),
        }
    }

    /// A user-token context: no vendor headers.
    fn user(&self) -> RequestContext<'_> {
        RequestContext {
            authorization: Some(&self.auth),
            ..RequestContext::new(GATEWAY, &self.ua)
        }
    }

    /// A vendor-token context with `frontegg-tenant-id` and `frontegg-user-id`.
    fn vendor(&self) -> RequestContext<'_> {
        RequestContext {
            authorization: Some(&self.auth),
            tenant_id: Some(&self.tenant),
            user_id: Some(&self.user),
            ..RequestContext::new(GATEWAY, &self.ua)
        }
    }

    fn anonymous(&self) -> RequestContext<'_> {
        RequestContext::new(GATEWAY, &self.ua)
    }
}

fn phone() -> PhoneNumber {
    PhoneNumber::parse("+1 (415) 555-0100").unwrap()
}

/// Every header as sorted `(name, value)` pairs.
fn headers(request: &Request<Vec<u8>>) -> Vec<(String, String)> {
    let mut out: Vec<_> = request
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect();
    out.sort();
    out
}

fn expected_headers(auth: bool, json_body: bool, vendor: bool) -> Vec<(String, String)> {
    let mut out = vec![
        ("accept".to_owned(), "application/json".to_owned()),
        ("user-agent".to_owned(), UA.to_owned()),
    ];
    if auth {
        out.push(("authorization".to_owned(), "Bearer tok-1".to_owned()));
    }
    if json_body {
        out.push(("content-type".to_owned(), "application/json".to_owned()));
    }
    if vendor {
        out.push(("frontegg-tenant-id".to_owned(), "tenant-1".to_owned()));
        out.push(("frontegg-user-id".to_owned(), "user-1".to_owned()));
    }
    out.sort();
    out
}

/// Asserts one request to `BASE` + `path` down to the byte, with both kinds of context.
fn golden<E: Endpoint>(endpoint: &E, method: Method, path: &str, body: Option<&str>) {
    let uri = format!("{BASE}{path}");
    let ctx = Ctx::new();
    for (vendor, context) in [(false, ctx.user()), (true, ctx.vendor())] {
        let request = endpoint.request(&context).unwrap();
        assert_eq!(request.method(), method, "{uri}");
        assert_eq!(request.uri().to_string(), uri);
        assert_eq!(
            headers(&request),
            expected_headers(true, body.is_some(), vendor),
            "{uri}"
        );
        let auth = request.headers().get(http::header::AUTHORIZATION).unwrap();
        assert!(
            auth.is_sensitive(),
            "Authorization must be marked sensitive on {uri}"
        );
        match body {
            Some(expected) => assert_eq!(std::str::from_utf8(request.body()).unwrap(), expected, "{uri}"),
            None => assert!(request.body().is_empty(), "{uri}"),
        }
    }
}

#[test]
fn vendor_auth_request() {
    let secret = VendorSecret::new("s3cret \"quoted\"").unwrap();
    let endpoint = VendorAuth {
        client_id: "client-1",
        secret: &secret,
    };
    let ctx = Ctx::new();
    let request = endpoint.request(&ctx.anonymous()).unwrap();
    assert_eq!(request.method(), Method::POST);
    assert_eq!(request.uri().to_string(), "https://api.frontegg.com/auth/vendor");
    assert_eq!(headers(&request), expected_headers(false, true, false));
    assert_eq!(
        std::str::from_utf8(request.body()).unwrap(),
        r#"{"clientId":"client-1","secret":"s3cret \"quoted\""}"#
    );
}

/// Every route's request down to the byte: the endpoint, its method, its
/// path after `BASE` and its JSON body.
#[rustfmt::skip]
#[test]
fn requests_are_golden() {
    let number = phone();
    let (otc_1, code_1) = (OtcToken::new("otc-1").unwrap(), VerificationCode::parse(" 123456 ").unwrap());
    let (otc_2, code_2) = (OtcToken::new("otc-2").unwrap(), VerificationCode::parse("654321").unwrap());
    let (id, user) = (PhoneNumberId::new("phone-9").unwrap(), UserId::new("user-7").unwrap());
    let number_body = Some(r#"{"phoneNumber":"+14155550100"}"#);

    golden(&Assign { phone_number: &number, verify: true }, Method::POST, "/v1", Some(r#"{"phoneNumber":"+14155550100","verify":true}"#));
    golden(&Assign { phone_number: &number, verify: false }, Method::POST, "/v1", Some(r#"{"phoneNumber":"+14155550100","verify":false}"#));
    golden(&Preverify { phone_number: &number }, Method::POST, "/v1/preverify", number_body);
    golden(&Verify { otc_token: &otc_1, code: &code_1 }, Method::POST, "/v1/verify", Some(r#"{"otcToken":"otc-1","code":"123456"}"#));
    golden(&ListMine, Method::GET, "/v1/me", None);
    golden(&StartDelete { phone_id: &id }, Method::DELETE, "/v1/phone-9", None);
    golden(
        &ConfirmDelete { phone_id: &id, otc_token: &otc_2, code: &code_2 },
        Method::POST, "/v1/phone-9/delete/verify", Some(r#"{"otcToken":"otc-2","code":"654321"}"#),
    );
    golden(&VendorAdd { user_id: &user, phone_number: &number }, Method::POST, "/v1/vendor/user-7", number_body);
    golden(&VendorDelete { user_id: &user, phone_id: &id }, Method::DELETE, "/v1/vendor/user-7/phone-9", None);

    // The list query, empty, full and partial.
    let query = ListQuery::new();
    golden(&List { query: &query }, Method::GET, "/v2?_offset=0", None);
    let query = ListQuery::new().limit(250).page(3).sort_by(SortBy::PhoneNumber).order(SortOrder::Desc)
        .phone_number(phone()).user_ids([UserId::new("u-1").unwrap(), UserId::new("u 2/&=?").unwrap()]);
    golden(
        &List { query: &query }, Method::GET,
        "/v2?_limit=250&_offset=3&_sortBy=phoneNumber&_order=DESC&_phoneNumber=%2B14155550100&userIds=u-1&userIds=u%202%2F%26%3D%3F",
        None,
    );
    let query = ListQuery::new().limit(1).sort_by(SortBy::UserId).order(SortOrder::Asc);
    golden(&List { query: &query }, Method::GET, "/v2?_limit=1&_offset=0&_sortBy=userId&_order=ASC", None);
}

#[test]
fn list_limit_bounds_are_refused_before_building() {
    let ctx = Ctx::new();
    for limit in [0, 251, u32::MAX] {
        let query = ListQuery::new().limit(limit);
        let err = List { query: &query }.request(&ctx.vendor()).unwrap_err();
        match err {
            Error::InvalidInput(e) => assert_eq!(e.field, "limit"),
            other => panic!("limit {limit}: {other:?}"),
        }
    }
    let too_many = ListQuery::new().user_ids((0..1001).map(|i| UserId::new(format!("u{i}")).unwrap()));
    assert!(matches!(
        List { query: &too_many }.request(&ctx.vendor()),
        Err(Error::InvalidInput(_))
    ));
}

const HOSTILE_IDS: &[&str] = &[
    "a/b",
    "../../admin",
    "a/../b",
    "..x",
    "x..",
    "%2F",
    "a%2F..%2Fb",
    "a?b=c",
    "a#frag",
    "with space",
    "ünïcødé/日本",
    "a;b",
    "a\\b",
    "+4155550100",
    "@host:1",
];

/// The path segments after the gateway's `/identity/resources/users/phone-numbers`.
fn segments(request: &Request<Vec<u8>>) -> Vec<String> {
    assert_eq!(request.uri().query(), None);
    let path = request.uri().path();
    let rest = path
        .strip_prefix("/identity/resources/users/phone-numbers/")
        .unwrap_or_else(|| panic!("route changed: {path}"));
    rest.split('/')
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .unwrap()
                .into_owned()
        })
        .collect()
}

#[test]
fn hostile_ids_stay_in_one_path_segment() {
    let ctx = Ctx::new();
    let otc = OtcToken::new("otc").unwrap();
    let code = VerificationCode::parse("1").unwrap();
    let number = phone();
    for &raw in HOSTILE_IDS {
        let id = PhoneNumberId::new(raw).unwrap();
        let user = UserId::new(raw).unwrap();

        let request = StartDelete { phone_id: &id }.request(&ctx.user()).unwrap();
        assert_eq!(segments(&request), ["v1", raw], "{raw}");

        let request = ConfirmDelete {
            phone_id: &id,
            otc_token: &otc,
            code: &code,
        }
        .request(&ctx.user())
        .unwrap();
        assert_eq!(segments(&request), ["v1", raw, "delete", "verify"], "{raw}");

        let request = VendorAdd {
            user_id: &user,
            phone_number: &number,
        }
        .request(&ctx.vendor())
        .unwrap();
        assert_eq!(segments(&request), ["v1", "vendor", raw], "{raw}");

        let request = VendorDelete {
            user_id: &user,
            phone_id: &id,
        }
        .request(&ctx.vendor())
        .unwrap();
        assert_eq!(segments(&request), ["v1", "vendor", raw, raw], "{raw}");
        // The raw path never holds a separator, a dot-segment or a query from the id.
        let path = request.uri().path();
        assert_eq!(path.split('/').count(), 9, "{path}");
        assert!(!path.split('/').any(|s| s == "." || s == ".."), "{path}");
    }
}

#[test]
fn dot_ids_are_refused() {
    for bad in [".", ".."] {
        assert!(matches!(PhoneNumberId::new(bad), Err(Error::InvalidInput(_))));
        assert!(matches!(UserId::new(bad), Err(Error::InvalidInput(_))));
    }
    // An id that came from a server skips `new`: the endpoint checks it again.
    let ctx = Ctx::new();
    for bad in [r#"".""#, r#""..""#, r#""""#] {
        let id: PhoneNumberId = serde_json::from_str(bad).unwrap();
        let user: UserId = serde_json::from_str(bad).unwrap();
        assert!(
            matches!(
                StartDelete { phone_id: &id }.request(&ctx.user()),
                Err(Error::InvalidInput(_))
            ),
            "{bad}"
        );
        let number = phone();
        assert!(matches!(
            VendorAdd {
                user_id: &user,
                phone_number: &number
            }
            .request(&ctx.vendor()),
            Err(Error::InvalidInput(_))
        ));
    }
}

#[test]
fn a_gateway_with_a_path_prefix_is_kept() {
    let ua = HeaderValue::from_static(UA);
    let ctx = RequestContext::new("http://127.0.0.1:8787/proxy", &ua);
    let request = ListMine.request(&ctx).unwrap();
    assert_eq!(
        request.uri().to_string(),
        "http://127.0.0.1:8787/proxy/identity/resources/users/phone-numbers/v1/me"
    );
    assert!(request.headers().get(http::header::AUTHORIZATION).is_none());
}

// ---------------------------------------------------------------- answers

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn answer(status: u16, body: impl Into<Vec<u8>>) -> Response<Vec<u8>> {
    let mut response = Response::new(body.into());
    *response.status_mut() = StatusCode::from_u16(status).unwrap();
    response
        .headers_mut()
        .insert("frontegg-trace-id", HeaderValue::from_static("trace-abc"));
    response
}

#[test]
fn assign_answers() {
    let number = phone();
    let assign = Assign {
        phone_number: &number,
        verify: true,
    };
    let otc = assign
        .parse(answer(201, fixture("assign_with_token.json")))
        .unwrap()
        .unwrap();
    assert_eq!(otc.expose_secret(), "otc-canary-assign-7f3a");
    // No token, or an empty one: nothing to verify.
    for body in [
        fixture("empty_object.json"),
        b"".to_vec(),
        b" \n".to_vec(),
        br#"{"otcToken":""}"#.to_vec(),
    ] {
        let shown = String::from_utf8_lossy(&body).into_owned();
        assert_eq!(
            assign.parse(answer(201, body)).unwrap().map(|_| ()),
            None,
            "{shown:?}"
        );
    }
}

#[test]
fn preverify_answers() {
    let number = phone();
    let preverify = Preverify {
        phone_number: &number,
    };
    let otc = preverify.parse(answer(200, fixture("preverify.json"))).unwrap();
    assert_eq!(otc.expose_secret(), "otc-canary-preverify-19c2");

    let err = preverify
        .parse(answer(200, fixture("empty_object.json")))
        .unwrap_err();
    match &err {
        Error::Decode(e) => {
            assert_eq!(e.route, "preverify");
            assert_eq!(e.status, StatusCode::OK);
            assert_eq!(e.trace_id.as_deref(), Some("trace-abc"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert!(matches!(preverify.parse(answer(200, "")), Err(Error::Decode(_))));
}

#[test]
fn decode_errors_never_quote_the_body() {
    let number = phone();
    let preverify = Preverify {
        phone_number: &number,
    };
    for (name, canary) in [
        ("preverify_truncated.json", "otc-canary-truncated-5d1e"),
        ("preverify_wrong_type.json", "otc-canary-wrongtype-8b0c"),
    ] {
        let err = preverify.parse(answer(200, fixture(name))).unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{name}: {err:?}");
        for text in [err.to_string(), format!("{err:?}"), format!("{err:#?}")] {
            assert!(!text.contains(canary), "{name}: {text}");
            assert!(!text.contains("otc-canary"), "{name}: {text}");
        }
        assert!(err.to_string().contains("preverify"), "{err}");
    }
    let id = PhoneNumberId::new("phone-9").unwrap();
    let err = StartDelete { phone_id: &id }
        .parse(answer(200, r#"{"otcToken":"otc-canary-x","phoneId":7"#))
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)));
    assert!(!format!("{err} {err:?}").contains("otc-canary"));
}

#[test]
fn verify_and_confirm_delete_accept_any_success_body() {
    let otc = OtcToken::new("otc").unwrap();
    let code = VerificationCode::parse("123456").unwrap();
    let id = PhoneNumberId::new("phone-9").unwrap();
    for body in ["", "{}", r#"{"ok":true,"extra":[1]}"#, "null", "not json at all"] {
        Verify {
            otc_token: &otc,
            code: &code,
        }
        .parse(answer(200, body))
        .unwrap();
        ConfirmDelete {
            phone_id: &id,
            otc_token: &otc,
            code: &code,
        }
        .parse(answer(200, body))
        .unwrap();
    }
}

#[test]
fn list_mine_answer_is_lenient() {
    let records = ListMine.parse(answer(200, fixture("list_mine.json"))).unwrap();
    assert_eq!(records.len(), 3);

    let first = &records[0];
    assert_eq!(first.id.as_ref().unwrap().as_str(), "9a3c2f1e-0001");
    assert_eq!(first.user_id.as_ref().unwrap().as_str(), "user-1");
    assert_eq!(first.phone_number.as_str(), "+14155550100");
    assert_eq!(first.phone_number.parse().unwrap(), phone());
    assert!(first.verified);
    assert_eq!(
        first.created_at.unwrap().to_rfc3339(),
        "2026-01-02T03:04:05.678+00:00"
    );
    assert!(first.updated_at.is_some());

    let second = &records[1];
    assert_eq!(second.user_id, None);
    assert_eq!(second.phone_number.as_str(), "0415 555 0199");
    assert!(
        second.phone_number.parse().is_err(),
        "a stored number that is not E.164 still lists"
    );
    assert!(!second.verified);
    assert_eq!(second.created_at, None);

    let third = &records[2];
    assert_eq!(third.id, None);
    assert_eq!(third.phone_number.as_str(), "+442079460958");

    // Debug masks every stored number.
    let debug = format!("{records:?}");
    for digits in ["4155550100", "4155550199", "2079460958"] {
        assert!(!debug.contains(digits), "{debug}");
    }

    assert!(ListMine.parse(answer(200, "[]")).unwrap().is_empty());
    let wrapped = ListMine
        .parse(answer(
            200,
            r#"{"items":[{"id":"p","phoneNumber":"+14155550100"}]}"#,
        ))
        .unwrap();
    assert_eq!(wrapped.len(), 1);
    assert!(matches!(ListMine.parse(answer(200, "{")), Err(Error::Decode(_))));
    assert!(matches!(
        ListMine.parse(answer(200, r#"{"x":1}"#)),
        Err(Error::Decode(_))
    ));
}

#[test]
fn list_page_answer_reads_float_metadata() {
    let query = ListQuery::new().limit(2);
    let page = List { query: &query }
        .parse(answer(200, fixture("list_v2.json")))
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.page, 0);
    assert_eq!(page.total_items, 3);
    assert_eq!(page.total_pages, 2);
    assert!(page.has_next());
    assert_eq!(page.items[0].user_id.as_ref().unwrap().as_str(), "user-1");
    assert_eq!(page.items[0].id, None);
    assert!(page.items[1].verified);

    let last = ListQuery::new().limit(2).page(1);
    let page = List { query: &last }
        .parse(answer(200, fixture("list_v2.json")))
        .unwrap();
    assert_eq!(page.page, 1);
    assert!(!page.has_next());

    // Without metadata the page describes itself.
    let page = List { query: &query }
        .parse(answer(200, r#"{"items":[]}"#))
        .unwrap();
    assert_eq!((page.total_items, page.total_pages), (0, 0));
    assert!(!page.has_next());
    assert!(matches!(
        List { query: &query }.parse(answer(200, "42")),
        Err(Error::Decode(_))
    ));
}

#[test]
fn start_delete_answers() {
    let id = PhoneNumberId::new("phone-asked").unwrap();
    let start = StartDelete { phone_id: &id };
    let pending = start.parse(answer(200, fixture("start_delete.json"))).unwrap();
    assert_eq!(pending.phone_id.as_str(), "phone-9");
    assert_eq!(pending.otc_token.expose_secret(), "otc-canary-delete-44aa");
    assert!(!format!("{pending:?}").contains("otc-canary"));

    let pending = start
        .parse(answer(200, fixture("start_delete_no_phone_id.json")))
        .unwrap();
    assert_eq!(pending.phone_id.as_str(), "phone-asked");
    assert_eq!(pending.otc_token.expose_secret(), "otc-canary-delete-55bb");

    let err = start
        .parse(answer(200, fixture("start_delete_no_token.json")))
        .unwrap_err();
    assert!(
        matches!(err, Error::Decode(ref e) if e.route == "start_delete"),
        "{err:?}"
    );
}

#[test]
fn vendor_auth_answers() {
    // What is sent plays no part in reading the answer.
    let auth = VendorAuth {
        client_id: "c",
        secret: &VendorSecret::new("s").unwrap(),
    };
    let grant = auth.parse(answer(200, fixture("vendor_auth.json"))).unwrap();
    assert_eq!(grant.token.expose_secret(), "vendor-token-canary-1");
    assert_eq!(grant.expires_in, Some(Duration::from_secs(86400)));
    assert!(!format!("{grant:?}").contains("vendor-token-canary"));

    let grant = auth
        .parse(answer(200, fixture("vendor_auth_no_expiry.json")))
        .unwrap();
    assert_eq!(grant.token.expose_secret(), "vendor-token-canary-2");
    assert_eq!(grant.expires_in, None);

    let grant = auth
        .parse(answer(200, r#"{"token":"t","expiresIn":1.5}"#))
        .unwrap();
    assert_eq!(grant.expires_in, Some(Duration::from_millis(1500)));
    for odd in [
        r#"{"token":"t","expiresIn":0}"#,
        r#"{"token":"t","expiresIn":-5}"#,
    ] {
        assert_eq!(auth.parse(answer(200, odd)).unwrap().expires_in, None, "{odd}");
    }

    for bad in [
        fixture("vendor_auth_no_token.json"),
        br#"{"token":""}"#.to_vec(),
        b"{\"token\":\"bad\\nheader\"}".to_vec(),
        b"<html></html>".to_vec(),
    ] {
        let err = auth.parse(answer(200, bad)).unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
    }
    let err = auth
        .parse(answer(401, r#"{"errors":["Unauthorized"]}"#))
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
}

#[test]
fn frontegg_error_bodies() {
    let otc = OtcToken::new("otc").unwrap();
    let code = VerificationCode::parse("1").unwrap();
    let verify = Verify {
        otc_token: &otc,
        code: &code,
    };
    let err = verify
        .parse(answer(400, fixture("frontegg_error.json")))
        .unwrap_err();
    let api = match &err {
        Error::Api(api) => api,
        other => panic!("{other:?}"),
    };
    assert_eq!(api.status, StatusCode::BAD_REQUEST);
    assert_eq!(api.route, "verify");
    assert_eq!(
        api.messages,
        ["Invalid code", "Phone number +*********00 is already assigned"]
    );
    assert_eq!(api.error_code.as_deref(), Some("ER-00008"));
    assert_eq!(api.error_codes, ["ER-00008", "ER-00009"]);
    assert_eq!(api.trace_id.as_deref(), Some("trace-abc"));
    assert_eq!(err.error_code(), Some("ER-00008"));
    assert_eq!(err.trace_id(), Some("trace-abc"));
    assert!(!err.is_retryable());
    let text = err.to_string();
    assert!(text.contains("400 Bad Request on verify: Invalid code"), "{text}");
    assert!(
        text.contains("[ER-00008]") && text.contains("trace-abc"),
        "{text}"
    );
    assert!(
        !format!("{text}{err:?}").contains("4155550100"),
        "phone numbers are masked"
    );

    let err = ListMine
        .parse(answer(403, fixture("frontegg_error_codes.json")))
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.messages, ["forbidden for this tenant"]);
    assert_eq!(api.error_codes, ["ER-01001", "ER-01002"]);
    assert_eq!(api.error_code.as_deref(), Some("ER-01001"));

    for status in [404, 409, 413, 500] {
        let err = ListMine
            .parse(answer(status, fixture("frontegg_error.json")))
            .unwrap_err();
        assert_eq!(err.status().unwrap().as_u16(), status);
        assert!(matches!(err, Error::Api(_)));
    }
}

#[test]
fn gateway_and_html_error_bodies() {
    let err = ListMine
        .parse(answer(502, fixture("gateway_error.json")))
        .unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.status, StatusCode::BAD_GATEWAY);
    assert_eq!(api.messages, ["Bad Gateway"]);
    assert_eq!(api.error_code, None);
    assert!(err.is_retryable());

    let html = fixture("proxy_error.html");
    let err = ListMine.parse(answer(503, html.clone())).unwrap_err();
    let api = err.api_error().unwrap();
    assert!(api.messages.is_empty());
    assert!(api.body_excerpt.starts_with("<html>"), "{}", api.body_excerpt);
    assert!(api.body_excerpt.contains("503 Service Temporarily Unavailable"));

    let big = format!("<html>{}</html>", "x".repeat(10_000));
    let err = ListMine.parse(answer(503, big)).unwrap_err();
    assert_eq!(
        err.api_error().unwrap().body_excerpt.len(),
        frontegg_identity_core::BODY_EXCERPT_LIMIT
    );

    // A redirect is an error: it is never followed.
    let mut redirect = answer(302, "");
    redirect.headers_mut().insert(
        http::header::LOCATION,
        HeaderValue::from_static("https://evil.example/"),
    );
    let err = ListMine.parse(redirect).unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::FOUND));

    // 429 is a rate limit (the wait is decided by the client, not the endpoint).
    let err = ListMine
        .parse(answer(429, r#"{"errors":["Too many requests"]}"#))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::RateLimited {
                retry_after: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
}
