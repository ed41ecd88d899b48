#![no_main]
//! Any body on any success status through every response decoder: never a panic.

use frontegg_identity_core::endpoint::{Assign, Endpoint, List, ListMine, Preverify, StartDelete, VendorAuth};
use frontegg_identity_core::{ListQuery, PhoneNumber, PhoneNumberId, VendorSecret};
use libfuzzer_sys::fuzz_target;

fn response(status: u16, body: &[u8]) -> http::Response<Vec<u8>> {
    let mut r = http::Response::new(body.to_vec());
    *r.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    r
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let status = 200 + u16::from(selector % 8);
    let number = PhoneNumber::parse("+14155550100").unwrap();
    let id = PhoneNumberId::new("p").unwrap();
    let query = ListQuery::new();
    let secret = VendorSecret::new("s").unwrap();
    match selector / 8 % 6 {
        0 => drop(Assign { phone_number: &number, verify: true }.parse_success(response(status, body))),
        1 => drop(Preverify { phone_number: &number }.parse_success(response(status, body))),
        2 => drop(ListMine.parse_success(response(status, body))),
        3 => drop(StartDelete { phone_id: &id }.parse_success(response(status, body))),
        4 => drop(List { query: &query }.parse_success(response(status, body))),
        _ => drop(VendorAuth { client_id: "c", secret: &secret }.parse_success(response(status, body))),
    }
});
