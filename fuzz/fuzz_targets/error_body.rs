#![no_main]
//! Any error body: parsed without a panic into a bounded error.

use frontegg_identity_core::{ApiError, BODY_EXCERPT_LIMIT, Route};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let status = http::StatusCode::from_u16(300 + u16::from(selector) % 300).unwrap();
    let error = ApiError::from_response(Route::Verify, status, &http::HeaderMap::new(), body);
    assert!(error.body_excerpt.len() <= 3 * BODY_EXCERPT_LIMIT);
    assert!(error.messages.len() <= 16);
    let _ = error.to_string();
});
