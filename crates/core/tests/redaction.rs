//! No secret reaches a log line, a `Debug`, an error message or an error's
//! source chain; a phone number appears only masked.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use common::{
    Answer, MASKED, PHONE, PHONE_DIGITS, answer, async_transport, blocking_transport, error_texts,
    with_captured_logs,
};
use frontegg_identity_core::http::Request;
use frontegg_identity_core::{
    AccessToken, AsyncSleep, ClientBuilder, Credentials, Error, ListQuery, OtcToken, PhoneNumber,
    PhoneNumberId, RetryPolicy, TransportError, UserId, VendorSecret, VerificationCode,
};

const USER_TOKEN: &str = "utok-CANARY-a1b2c3";
const VENDOR_SECRET: &str = "vsecret-CANARY-d4e5f6";
const VENDOR_TOKEN: &str = "vtok-CANARY-g7h8i9";
const OTC: &str = "otc-CANARY-j1k2l3";
const CODE: &str = "code-CANARY-m4n5o6";

const CANARIES: &[&str] = &[
    USER_TOKEN,
    VENDOR_SECRET,
    VENDOR_TOKEN,
    OTC,
    CODE,
    "CANARY",
    PHONE_DIGITS,
];

fn assert_clean(what: &str, text: &str) {
    for canary in CANARIES {
        assert!(!text.contains(canary), "{what} leaks {canary:?}:\n{text}");
    }
}

struct NoSleep;

impl AsyncSleep for NoSleep {
    fn sleep(&self, _: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(std::future::ready(()))
    }
}

/// A fake Frontegg that succeeds on every route, echoing secrets where the
/// real one does (tokens in answers), and phone numbers in records.
fn happy(path: &str) -> Answer {
    if path == "/auth/vendor" {
        return answer(
            200,
            &[],
            &format!(r#"{{"token":"{VENDOR_TOKEN}","expiresIn":3600}}"#),
        );
    }
    let record = format!(r#"{{"id":"p1","userId":"u1","phoneNumber":"{PHONE}","verified":true}}"#);
    if path.ends_with("/v1/me") {
        answer(200, &[], &format!("[{record}]"))
    } else if path.ends_with("/v2") {
        answer(
            200,
            &[],
            &format!(r#"{{"items":[{record}],"_metadata":{{"totalItems":1,"totalPages":1}}}}"#),
        )
    } else if path.ends_with("/v1/p1") {
        answer(200, &[], &format!(r#"{{"phoneId":"p1","otcToken":"{OTC}"}}"#))
    } else {
        answer(200, &[], &format!(r#"{{"otcToken":"{OTC}"}}"#))
    }
}

/// A fake Frontegg that fails in every way it can, echoing the phone number
/// and hiding tokens in bodies that will not decode.
fn unhappy(n: usize, path: &str) -> Answer {
    if path == "/auth/vendor" {
        return answer(
            200,
            &[],
            &format!(r#"{{"token":"{VENDOR_TOKEN}","expiresIn":3600}}"#),
        );
    }
    let phone_error = format!(r#"{{"errors":["Phone {PHONE} is already assigned"],"errorCode":"ER-1"}}"#);
    match n % 7 {
        0 => answer(409, &[("frontegg-trace-id", "trace-1")], &phone_error),
        1 => answer(200, &[], &format!(r#"{{"otcToken":"{OTC}","x":"#)),
        2 => answer(
            502,
            &[],
            &format!(r#"{{"statusCode":502,"message":"upstream {PHONE}"}}"#),
        ),
        3 => answer(503, &[], &format!("<html>{PHONE}</html>")),
        4 => answer(429, &[("retry-after", "86400")], &phone_error),
        5 => Err(TransportError::timeout(true, "operation timed out")),
        _ => answer(401, &[], r#"{"errors":["Unauthorized"]}"#),
    }
}

fn user_builder() -> ClientBuilder {
    ClientBuilder::new()
        .user_token(AccessToken::new(USER_TOKEN).unwrap())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
}

fn vendor_builder() -> ClientBuilder {
    ClientBuilder::new()
        .vendor_credentials("client-1", VendorSecret::new(VENDOR_SECRET).unwrap())
        .user_id(UserId::new("u1").unwrap())
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
}

/// The fake Frontegg a transport answers from: [`unhappy`] or [`happy`].
fn fake(unhappy_paths: bool) -> impl FnMut(Request<Vec<u8>>) -> Answer + Send + 'static {
    let mut n = 0;
    move |request| {
        let path = request.uri().path().to_owned();
        n += 1;
        if unhappy_paths {
            unhappy(n, &path)
        } else {
            happy(&path)
        }
    }
}

/// Runs every route on async and blocking clients, user and vendor, and
/// returns what could be shown of every result.
fn exercise(unhappy_paths: bool) -> (String, usize) {
    let phone = PhoneNumber::parse(PHONE).unwrap();
    let otc = OtcToken::new(OTC).unwrap();
    let code = VerificationCode::parse(CODE).unwrap();
    let id = PhoneNumberId::new("p1").unwrap();
    let user_id = UserId::new("u1").unwrap();
    let mut shown = String::new();
    let mut errors = 0;
    let mut show = |what: &str, debug: String, err: Option<&Error>| {
        shown.push_str(&format!("{what}: {debug}\n"));
        if let Some(err) = err {
            errors += 1;
            shown.push_str(&error_texts(err));
        }
    };
    macro_rules! record {
        ($what:expr, $result:expr) => {{
            let result = $result;
            show($what, format!("{result:?} {result:#?}"), result.as_ref().err());
        }};
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for builder in [user_builder(), vendor_builder()] {
        show("builder", format!("{builder:?} {builder:#?}"), None);
        let client = builder
            .clone()
            .build_with_sleep(async_transport(fake(unhappy_paths)), Arc::new(NoSleep))
            .unwrap();
        show("client", format!("{client:?} {client:#?}"), None);
        let phones = client.phone_numbers();
        runtime.block_on(async {
            for _ in 0..2 {
                record!("assign", phones.assign(&phone, true).await);
                record!("preverify", phones.preverify(&phone).await);
                record!("verify", phones.verify(&otc, &code).await);
                record!("list_mine", phones.list_mine().await);
                record!("start_delete", phones.start_delete(&id).await);
                record!("confirm_delete", phones.confirm_delete(&id, &otc, &code).await);
                record!(
                    "list",
                    phones.list(&ListQuery::new().phone_number(phone.clone())).await
                );
                record!("vendor_add", phones.vendor_add(&user_id, &phone).await);
            }
        });

        let client = builder
            .build_blocking_with(blocking_transport(fake(unhappy_paths)))
            .unwrap();
        show("blocking client", format!("{client:?}"), None);
        let phones = client.phone_numbers();
        for _ in 0..2 {
            record!("b assign", phones.assign(&phone, true));
            record!("b preverify", phones.preverify(&phone));
            record!("b verify", phones.verify(&otc, &code));
            record!("b list_mine", phones.list_mine());
            record!("b start_delete", phones.start_delete(&id));
            record!("b confirm_delete", phones.confirm_delete(&id, &otc, &code));
            record!("b list", phones.list(&ListQuery::new()));
        }
    }
    (shown, errors)
}

#[test]
fn successful_calls_leak_nothing() {
    let ((shown, errors), log) = with_captured_logs(|| exercise(false));
    // Only the user clients' calls of vendor routes fail (list and vendor_add
    // twice on the async client, list twice on the blocking one).
    assert_eq!(errors, 6, "{shown}");
    assert!(!shown.contains("Api(") && !shown.contains("Decode("), "{shown}");
    assert!(
        log.contains("frontegg call answered"),
        "the log was captured:\n{log}"
    );
    assert_clean("log", &log);
    assert_clean("results", &shown);
    assert!(shown.contains(MASKED), "records show the masked number:\n{shown}");
}

#[test]
fn failing_calls_leak_nothing() {
    let ((shown, errors), log) = with_captured_logs(|| exercise(true));
    assert!(errors > 20, "{errors} errors:\n{shown}");
    assert!(
        log.contains("retrying frontegg call") || log.contains("frontegg call failed"),
        "{log}"
    );
    assert_clean("log", &log);
    assert_clean("errors", &shown);
    assert!(
        shown.contains("ER-1") && shown.contains("trace-1"),
        "errors keep what helps:\n{shown}"
    );
    assert!(shown.contains(MASKED), "echoed numbers are masked:\n{shown}");
}

#[test]
fn secrets_and_credentials_debug_redacted() {
    let values = format!(
        "{:?} {:?} {:?} {:?} {:?} {:?} {:?}",
        AccessToken::new(USER_TOKEN).unwrap(),
        VendorSecret::new(VENDOR_SECRET).unwrap(),
        OtcToken::new(OTC).unwrap(),
        VerificationCode::parse(CODE).unwrap(),
        PhoneNumber::parse(PHONE).unwrap(),
        Credentials::UserToken(AccessToken::new(USER_TOKEN).unwrap()),
        ListQuery::new().phone_number(PhoneNumber::parse(PHONE).unwrap()),
    );
    assert_clean("values", &values);
    assert!(values.contains(MASKED), "{values}");

    // Refused inputs do not echo what was given.
    let mut texts = String::new();
    for err in [
        Error::from(PhoneNumber::parse(&format!("{PHONE} ext CANARY")).unwrap_err()),
        AccessToken::new(format!("{USER_TOKEN} x")).unwrap_err(),
        VerificationCode::parse(&format!("{CODE} {CODE}")).unwrap_err(),
        OtcToken::new(format!("{OTC}\n")).unwrap_err(),
    ] {
        texts.push_str(&error_texts(&err));
    }
    assert_clean("input errors", &texts);
}
