//! Property tests: the same properties the fuzz targets check, run on every
//! `cargo test`. No input makes a parser panic, and what is accepted is sound.

use std::time::{Duration, SystemTime};

use frontegg_identity_core::endpoint::{
    Assign, Endpoint, List, ListMine, Preverify, RequestContext, StartDelete, VendorAuth, VendorDelete,
};
use frontegg_identity_core::retry::{parse_rate_limit_reset, parse_retry_after};
use frontegg_identity_core::{
    ApiError, ListQuery, PhoneNumber, PhoneNumberId, Route, UserId, VendorSecret, VerificationCode,
    mask_phone,
};
use http::{HeaderValue, Response, StatusCode};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;

fn is_e164(s: &str) -> bool {
    let digits = &s[1..];
    s.starts_with('+')
        && (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

fn response(status: u16, body: Vec<u8>) -> Response<Vec<u8>> {
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn phone_parse_never_panics_and_accepts_only_e164(input in any::<String>()) {
        if let Ok(number) = PhoneNumber::parse(&input) {
            prop_assert!(is_e164(number.as_str()), "{:?}", number.as_str());
            prop_assert_eq!(PhoneNumber::parse(number.as_str()).unwrap(), number.clone());
            let masked = number.masked();
            prop_assert_eq!(masked.chars().filter(char::is_ascii_digit).count(), 2);
        }
    }

    #[test]
    fn phone_separators_do_not_matter(
        digits in "[1-9][0-9]{6,14}",
        seps in proptest::collection::vec(prop_oneof![Just(" "), Just("-"), Just("."), Just("("), Just(")"), Just("")], 16),
    ) {
        let mut spelled = String::from("+");
        for (i, d) in digits.chars().enumerate() {
            spelled.push(d);
            spelled.push_str(seps[i % seps.len()]);
        }
        let number = PhoneNumber::parse(&spelled).unwrap();
        prop_assert_eq!(number.as_str(), format!("+{digits}"));
    }

    #[test]
    fn mask_never_shows_more_than_two_digits(input in "[+0-9 ()-]{0,40}") {
        let masked = mask_phone(&input);
        prop_assert!(masked.chars().filter(char::is_ascii_digit).count() <= 2);
    }

    #[test]
    fn codes_never_panic(input in any::<String>()) {
        if let Ok(code) = VerificationCode::parse(&input) {
            prop_assert!(!code.expose_secret().is_empty());
            prop_assert!(!code.expose_secret().chars().any(char::is_whitespace));
        }
    }

    #[test]
    fn error_bodies_never_panic_and_stay_bounded(status in 300u16..600, body in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let status = StatusCode::from_u16(status).unwrap();
        let error = ApiError::from_response(Route::Verify, status, &http::HeaderMap::new(), &body);
        prop_assert!(error.body_excerpt.len() <= 3 * frontegg_identity_core::BODY_EXCERPT_LIMIT);
        prop_assert!(error.messages.len() <= 16);
        let _ = error.to_string();
    }

    #[test]
    fn json_error_bodies_keep_their_code(code in "[A-Z]{2}-[0-9]{5}", message in "[a-z ]{0,40}") {
        let body = serde_json::json!({"errors": [message.clone()], "errorCode": code.clone()}).to_string();
        let error = ApiError::from_response(Route::Assign, StatusCode::CONFLICT, &http::HeaderMap::new(), body.as_bytes());
        prop_assert_eq!(error.error_code.as_deref(), Some(code.as_str()));
        prop_assert_eq!(error.messages, vec![message]);
    }

    #[test]
    fn decoders_never_panic(status in 200u16..300, body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let number = PhoneNumber::parse("+14155550100").unwrap();
        let id = PhoneNumberId::new("p").unwrap();
        let query = ListQuery::new();
        let secret = VendorSecret::new("s").unwrap();
        let _ = Assign { phone_number: &number, verify: true }.parse_success(response(status, body.clone()));
        let _ = Preverify { phone_number: &number }.parse_success(response(status, body.clone()));
        let _ = ListMine.parse_success(response(status, body.clone()));
        let _ = StartDelete { phone_id: &id }.parse_success(response(status, body.clone()));
        let _ = List { query: &query }.parse_success(response(status, body.clone()));
        let _ = VendorAuth { client_id: "c", secret: &secret }.parse_success(response(status, body));
    }

    #[test]
    fn json_shaped_decoders_never_panic(body in json_value()) {
        let bytes = body.to_string().into_bytes();
        let query = ListQuery::new();
        let _ = ListMine.parse_success(response(200, bytes.clone()));
        let _ = List { query: &query }.parse_success(response(200, bytes));
    }

    #[test]
    fn rate_limit_headers_never_panic(value in any::<String>(), now_secs in 0u64..4_000_000_000) {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(now_secs);
        let _ = parse_rate_limit_reset(&value, now);
        let _ = parse_retry_after(&value, now);
    }

    #[test]
    fn ids_stay_one_path_segment(user in "[^\u{0}-\u{1f}\u{7f}]{1,40}", phone in "[/?#%. a-z0-9]{1,20}") {
        let (Ok(user_id), Ok(phone_id)) = (UserId::new(user.clone()), PhoneNumberId::new(phone.clone())) else {
            return Ok(());
        };
        let ua = HeaderValue::from_static("t");
        let ctx = RequestContext::new("https://api.frontegg.com", &ua);
        let request = VendorDelete { user_id: &user_id, phone_id: &phone_id }.request(&ctx).unwrap();
        prop_assert_eq!(request.uri().query(), None);
        let segments: Vec<_> = request.uri().path().split('/').collect();
        // "", identity, resources, users, phone-numbers, v1, vendor, {user}, {phone}
        prop_assert_eq!(segments.len(), 9, "{}", request.uri());
        prop_assert_eq!(percent_decode_str(segments[7]).decode_utf8().unwrap(), user.as_str());
        prop_assert_eq!(percent_decode_str(segments[8]).decode_utf8().unwrap(), phone.as_str());
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        "[a-zA-Z0-9+:.-]{0,30}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let keys = prop_oneof![
            Just("id".to_owned()),
            Just("userId".to_owned()),
            Just("phoneNumber".to_owned()),
            Just("verified".to_owned()),
            Just("createdAt".to_owned()),
            Just("items".to_owned()),
            Just("_metadata".to_owned()),
            Just("totalPages".to_owned()),
            Just("totalItems".to_owned()),
            "[a-z]{1,8}",
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
