#![no_main]
//! Any text: parsing never panics, and what it accepts is E.164 and stable.

use frontegg_identity_core::{PhoneNumber, VerificationCode, mask_phone};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    if let Ok(number) = PhoneNumber::parse(input) {
        let s = number.as_str();
        let digits = &s[1..];
        assert!(s.starts_with('+'));
        assert!((7..=15).contains(&digits.len()));
        assert!(digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0'));
        assert_eq!(PhoneNumber::parse(s).unwrap(), number);
        assert_eq!(number.masked().chars().filter(char::is_ascii_digit).count(), 2);
    }
    assert!(mask_phone(input).chars().filter(char::is_ascii_digit).count() <= 2);
    let _ = VerificationCode::parse(input);
});
