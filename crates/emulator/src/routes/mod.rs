//! The emulated API's routes, by family: each family declares its routes in
//! a [`table!`], one line per route (path, method, route name, logic).

use axum::routing::MethodRouter;

use crate::app::App;
use crate::auth::vendor_auth;

/// A route table: `path => [METHOD RouteVariant handler, ...]`, one line per
/// route; the routes of one path share its entry.
macro_rules! table {
    ($($path:expr => [$($method:ident $route:ident $logic:ident),+ $(,)?]),* $(,)?) => {
        vec![$(($path, table!(@merge $($method $route $logic),+))),*]
    };
    (@merge $method:ident $route:ident $logic:ident $(, $m:ident $r:ident $l:ident)*) => {
        crate::pipeline::endpoint(crate::types::Route::$route, http::Method::$method, $logic)
            $(.merge(crate::pipeline::endpoint(crate::types::Route::$r, http::Method::$m, $l)))*
    };
}

pub(crate) mod mfa;
pub(crate) mod passwordless;
pub(crate) mod passwords;
pub(crate) mod phones;
pub(crate) mod sms_settings;

/// A path and what answers there.
pub(crate) type Entry = (String, MethodRouter<App>);

/// Every API route.
pub(crate) fn all() -> Vec<Entry> {
    // Frontegg's own SDKs call `/auth/vendor/`, with the slash.
    let mut all = table![
        "/auth/vendor".to_owned() => [POST VendorAuth vendor_auth],
        "/auth/vendor/".to_owned() => [POST VendorAuth vendor_auth],
    ];
    all.extend(phones::routes());
    all.extend(mfa::routes());
    all.extend(passwordless::routes());
    all.extend(passwords::routes());
    all.extend(sms_settings::routes());
    all
}
