#![no_main]
//! Any header value: the rate-limit parsers never panic, and a wait they
//! return is in the future of `now`.

use std::time::{Duration, SystemTime};

use frontegg_identity_core::retry::{parse_rate_limit_reset, parse_retry_after, rate_limit_wait};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u32, &str)| {
    let (now_secs, value) = input;
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::from(now_secs));
    let _ = parse_rate_limit_reset(value, now);
    let _ = parse_retry_after(value, now);
    if let Ok(header) = http::HeaderValue::from_str(value) {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-rate-limit-reset", header.clone());
        headers.insert("retry-after", header);
        let _ = rate_limit_wait(&headers, now);
    }
});
