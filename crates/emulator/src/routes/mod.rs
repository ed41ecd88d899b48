//! The emulated API's routes, by family: each family lists its paths with
//! one [`endpoint`](crate::pipeline::endpoint) per route.

use axum::routing::MethodRouter;
use http::Method;

use crate::app::App;
use crate::pipeline::endpoint;
use crate::types::Route;

pub(crate) mod mfa;
pub(crate) mod passwordless;
pub(crate) mod passwords;
pub(crate) mod phones;
pub(crate) mod sms_settings;

/// A path and what answers there.
pub(crate) type Entry = (String, MethodRouter<App>);

/// Every API route.
pub(crate) fn all() -> Vec<Entry> {
    let mut all = vec![(
        "/auth/vendor".to_owned(),
        endpoint(Route::VendorAuth, Method::POST, crate::auth::vendor_auth),
    )];
    all.extend(phones::routes());
    all.extend(mfa::routes());
    all.extend(passwordless::routes());
    all.extend(passwords::routes());
    all.extend(sms_settings::routes());
    all
}
