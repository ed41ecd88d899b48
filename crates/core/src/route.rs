//! The route table: every route the SDK calls, declared once.
//!
//! Each row names the route, its number in the API contract, its method, its
//! path template (from the gateway root), the credentials it takes, whether a
//! failure that may have reached Frontegg may be retried, and whether it
//! sends an SMS. The endpoints build their paths from these templates, the
//! retry policy reads the retry column, and the bindings, the emulator and
//! the tests walk [`Route::ALL`] to prove that no layer misses a route.
//!
//! This module is a leaf: it depends on nothing else in the crate.

use std::fmt;

use http::Method;

/// Which credentials a route takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthScheme {
    /// None: vendor authentication itself, and the public sign-in routes
    /// (their proof is in the body: an `mfaToken`, a code, a session).
    None,
    /// A user's JWT, or a vendor token with `frontegg-user-id`.
    User,
    /// A vendor token only.
    Vendor,
}

macro_rules! routes {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $number:literal, $name:literal, $method:ident $path:literal,
            auth: $auth:ident, retry: $retry:literal, sms: $sms:literal;
    )*) => {
        /// Every route the SDK calls.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Route {
            $($(#[$doc])* $variant,)*
        }

        impl Route {
            /// Every route, in the contract's order.
            pub const ALL: [Self; [$(stringify!($variant)),*].len()] = [$(Self::$variant),*];

            /// The route's short name, used in errors, logs, the bindings
            /// and the emulator's request log.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }

            /// The route's number in the API contract (0 for vendor authentication).
            #[must_use]
            pub const fn number(self) -> u8 {
                match self { $(Self::$variant => $number,)* }
            }

            /// The path template from the gateway root; `{name}` marks a
            /// path segment filled in (percent-encoded) by the endpoint.
            #[must_use]
            pub const fn path(self) -> &'static str {
                match self { $(Self::$variant => $path,)* }
            }

            /// The HTTP method.
            #[must_use]
            pub const fn method(self) -> Method {
                match self { $(Self::$variant => Method::$method,)* }
            }

            /// The credentials the route takes (an endpoint may take none
            /// for a call whose proof is in its body, see
            /// [`Endpoint::auth`](crate::endpoint::Endpoint::auth)).
            #[must_use]
            pub const fn auth(self) -> AuthScheme {
                match self { $(Self::$variant => AuthScheme::$auth,)* }
            }

            /// Whether sending the request twice is harmless, so that it may
            /// be retried after a failure that may have reached the server.
            /// True for the reads and for vendor authentication; never for a
            /// route that sends an SMS, consumes a code or changes state.
            #[must_use]
            pub const fn is_idempotent(self) -> bool {
                match self { $(Self::$variant => $retry,)* }
            }

            /// Whether the route sends an SMS.
            #[must_use]
            pub const fn sends_sms(self) -> bool {
                match self { $(Self::$variant => $sms,)* }
            }

            /// The route with this [`name`](Self::name).
            #[must_use]
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(Self::$variant),)* _ => None }
            }
        }
    };
}

routes! {
    /// `POST /auth/vendor`.
    VendorAuth = 0, "vendor_auth", POST "/auth/vendor", auth: None, retry: true, sms: false;
    /// Route 1: `POST /resources/users/phone-numbers/v1`.
    Assign = 1, "assign", POST "/identity/resources/users/phone-numbers/v1",
        auth: User, retry: false, sms: true;
    /// Route 2: `POST /resources/users/phone-numbers/v1/preverify`.
    Preverify = 2, "preverify", POST "/identity/resources/users/phone-numbers/v1/preverify",
        auth: User, retry: false, sms: true;
    /// Route 3: `POST /resources/users/phone-numbers/v1/verify`.
    Verify = 3, "verify", POST "/identity/resources/users/phone-numbers/v1/verify",
        auth: User, retry: false, sms: false;
    /// Route 4: `GET /resources/users/phone-numbers/v1/me`.
    ListMine = 4, "list_mine", GET "/identity/resources/users/phone-numbers/v1/me",
        auth: User, retry: true, sms: false;
    /// Route 5: `DELETE /resources/users/phone-numbers/v1/{id}`.
    StartDelete = 5, "start_delete", DELETE "/identity/resources/users/phone-numbers/v1/{id}",
        auth: User, retry: false, sms: true;
    /// Route 6: `POST /resources/users/phone-numbers/v1/{id}/delete/verify`.
    ConfirmDelete = 6, "confirm_delete",
        POST "/identity/resources/users/phone-numbers/v1/{id}/delete/verify",
        auth: User, retry: false, sms: false;
    /// Route 7: `GET /resources/users/phone-numbers/v2`.
    List = 7, "list", GET "/identity/resources/users/phone-numbers/v2",
        auth: Vendor, retry: true, sms: false;
    /// Route 9: `POST /resources/users/phone-numbers/v1/vendor/{userId}`.
    VendorAdd = 9, "vendor_add", POST "/identity/resources/users/phone-numbers/v1/vendor/{userId}",
        auth: Vendor, retry: false, sms: false;
    /// Route 10: `DELETE /resources/users/phone-numbers/v1/vendor/{userId}/{phoneId}`.
    VendorDelete = 10, "vendor_delete",
        DELETE "/identity/resources/users/phone-numbers/v1/vendor/{userId}/{phoneId}",
        auth: Vendor, retry: false, sms: false;
    /// Route 11: `POST /resources/auth/v1/user/mfa/sms/enroll`.
    StartSmsEnrollment = 11, "start_sms_enrollment", POST "/identity/resources/auth/v1/user/mfa/sms/enroll",
        auth: User, retry: false, sms: true;
    /// Route 12: `POST /resources/auth/v1/user/mfa/sms/enroll/verify`.
    FinishSmsEnrollment = 12, "finish_sms_enrollment",
        POST "/identity/resources/auth/v1/user/mfa/sms/enroll/verify",
        auth: User, retry: false, sms: false;
    /// Route 13: `POST /resources/auth/v1/user/mfa/sms/{deviceId}`.
    SendSmsCode = 13, "send_sms_code", POST "/identity/resources/auth/v1/user/mfa/sms/{deviceId}",
        auth: None, retry: false, sms: true;
    /// Route 14: `POST /resources/auth/v1/user/mfa/sms/{deviceId}/verify`.
    VerifySmsCode = 14, "verify_sms_code", POST "/identity/resources/auth/v1/user/mfa/sms/{deviceId}/verify",
        auth: None, retry: false, sms: false;
    /// Route 15: `POST /resources/users/v1/mfa/sms/enroll`.
    EnrollSms = 15, "enroll_sms", POST "/identity/resources/users/v1/mfa/sms/enroll",
        auth: Vendor, retry: false, sms: true;
    /// Route 16: `POST /resources/users/v1/mfa/sms/enroll/verify`.
    VerifySmsEnrollment = 16, "verify_sms_enrollment", POST "/identity/resources/users/v1/mfa/sms/enroll/verify",
        auth: Vendor, retry: false, sms: false;
    /// Route 17: `POST /resources/users/v1/mfa/sms/{deviceId}/disable`.
    StartSmsDisable = 17, "start_sms_disable", POST "/identity/resources/users/v1/mfa/sms/{deviceId}/disable",
        auth: Vendor, retry: false, sms: true;
    /// Route 18: `POST /resources/users/v1/mfa/sms/{deviceId}/disable/verify`.
    ConfirmSmsDisable = 18, "confirm_sms_disable",
        POST "/identity/resources/users/v1/mfa/sms/{deviceId}/disable/verify",
        auth: Vendor, retry: false, sms: false;
    /// Route 19: `POST /resources/auth/v1/passwordless/smscode/prelogin`.
    StartSmsLogin = 19, "start_sms_login", POST "/identity/resources/auth/v1/passwordless/smscode/prelogin",
        auth: None, retry: false, sms: true;
    /// Route 20: `POST /resources/auth/v1/passwordless/smscode/postlogin`.
    FinishSmsLogin = 20, "finish_sms_login", POST "/identity/resources/auth/v1/passwordless/smscode/postlogin",
        auth: None, retry: false, sms: false;
    /// Route 21: `POST /resources/users/v2/passwords/reset/sms`.
    StartSmsReset = 21, "start_sms_reset", POST "/identity/resources/users/v2/passwords/reset/sms",
        auth: None, retry: false, sms: true;
    /// Route 22: `POST /resources/users/v2/passwords/reset/sms/verify`.
    VerifySmsReset = 22, "verify_sms_reset", POST "/identity/resources/users/v2/passwords/reset/sms/verify",
        auth: None, retry: false, sms: false;
    /// Route 23: `GET /resources/configurations/v1/sms`.
    GetSmsConfig = 23, "get_sms_config", GET "/identity/resources/configurations/v1/sms",
        auth: Vendor, retry: true, sms: false;
    /// Route 24: `POST /resources/configurations/v1/sms`.
    SetSmsConfig = 24, "set_sms_config", POST "/identity/resources/configurations/v1/sms",
        auth: Vendor, retry: false, sms: false;
    /// Route 25: `DELETE /resources/configurations/v1/sms`.
    DeleteSmsConfig = 25, "delete_sms_config", DELETE "/identity/resources/configurations/v1/sms",
        auth: Vendor, retry: false, sms: false;
    /// Route 26: `GET /resources/configurations/v1/sms/templates`.
    SmsTemplates = 26, "sms_templates", GET "/identity/resources/configurations/v1/sms/templates",
        auth: Vendor, retry: true, sms: false;
    /// Route 27: `GET /resources/configurations/v1/sms/templates/{type}`.
    SmsTemplate = 27, "sms_template", GET "/identity/resources/configurations/v1/sms/templates/{type}",
        auth: Vendor, retry: true, sms: false;
    /// Route 28: `POST /resources/configurations/v1/sms/templates/{type}`.
    SetSmsTemplate = 28, "set_sms_template", POST "/identity/resources/configurations/v1/sms/templates/{type}",
        auth: Vendor, retry: false, sms: false;
    /// Route 29: `DELETE /resources/configurations/v1/sms/templates/{type}`.
    DeleteSmsTemplate = 29, "delete_sms_template",
        DELETE "/identity/resources/configurations/v1/sms/templates/{type}",
        auth: Vendor, retry: false, sms: false;
    /// Route 30: `GET /resources/configurations/v1/sms/templates/{type}/default`.
    DefaultSmsTemplate = 30, "default_sms_template",
        GET "/identity/resources/configurations/v1/sms/templates/{type}/default",
        auth: Vendor, retry: true, sms: false;
    /// Route 31: `GET /resources/configurations/v1/sms/templates/default/all`.
    DefaultSmsTemplates = 31, "default_sms_templates",
        GET "/identity/resources/configurations/v1/sms/templates/default/all",
        auth: Vendor, retry: true, sms: false;
    /// Route 32 (unstable, not in Frontegg's OpenAPI): `GET /resources/users/v1/mfa/devices`.
    MfaDevices = 32, "mfa_devices", GET "/identity/resources/users/v1/mfa/devices",
        auth: User, retry: true, sms: false;
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A route equals its [`name`](Route::name).
impl PartialEq<&str> for Route {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

/// A route equals its [`name`](Route::name).
impl PartialEq<str> for Route {
    fn eq(&self, other: &str) -> bool {
        self.name() == other
    }
}

/// The parts of a path template: literal text and `{name}` placeholders.
pub(crate) fn template_parts(template: &'static str) -> impl Iterator<Item = TemplatePart> {
    let mut rest = template;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if let Some(after) = rest.strip_prefix('{') {
            let end = after.find('}').unwrap_or(after.len());
            rest = after.get(end + 1..).unwrap_or("");
            return Some(TemplatePart::Param(&after[..end]));
        }
        let end = rest.find('{').unwrap_or(rest.len());
        let (literal, tail) = rest.split_at(end);
        rest = tail;
        Some(TemplatePart::Literal(literal))
    })
}

/// One part of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TemplatePart {
    /// Text copied as it is.
    Literal(&'static str),
    /// A `{name}` placeholder.
    Param(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_are_unique_and_round_trip() {
        let mut names = std::collections::HashSet::new();
        let mut numbers = std::collections::HashSet::new();
        for route in Route::ALL {
            assert!(names.insert(route.name()), "{route}");
            assert!(numbers.insert(route.number()), "{route}");
            assert_eq!(Route::from_name(route.name()), Some(route));
            assert!(route.path().starts_with('/'), "{route}");
            // A route that sends an SMS is never retried after it may have been sent.
            assert!(!(route.sends_sms() && route.is_idempotent()), "{route}");
            // Only reads (and vendor authentication) are retried.
            assert_eq!(
                route.is_idempotent(),
                route.method() == Method::GET || route == Route::VendorAuth,
                "{route}"
            );
        }
        assert_eq!(Route::from_name("nope"), None);
    }

    #[test]
    fn templates_split_into_parts() {
        let parts: Vec<_> = template_parts("/a/{userId}/b/{phoneId}").collect();
        assert_eq!(
            parts,
            [
                TemplatePart::Literal("/a/"),
                TemplatePart::Param("userId"),
                TemplatePart::Literal("/b/"),
                TemplatePart::Param("phoneId"),
            ]
        );
        let parts: Vec<_> = template_parts("/plain").collect();
        assert_eq!(parts, [TemplatePart::Literal("/plain")]);
    }
}
