//! Public value types: routes, SMS, faults, request-log entries.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::Serialize;

/// A fieldless enum whose values have names: the enum, `ALL` and `as_str`.
macro_rules! named_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$doc:meta])* $variant:ident => $str:literal,)* }) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$doc])* $variant,)*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($str),*].len()] = [$($name::$variant),*];

            /// The name, as in fault scripting, the request log and the outbox.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $str,)*
                }
            }

            fn from_name(name: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|v| v.as_str() == name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum! {
    /// A route of the emulated API, named as in fault scripting and the request log.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum Route {
        /// `POST /auth/vendor`: `vendor_auth`.
        VendorAuth => "vendor_auth",
        /// `POST /identity/resources/users/phone-numbers/v1`: `assign`.
        Assign => "assign",
        /// `POST .../v1/preverify`: `preverify`.
        Preverify => "preverify",
        /// `POST .../v1/verify`: `verify`.
        Verify => "verify",
        /// `GET .../v1/me`: `list_mine`.
        ListMine => "list_mine",
        /// `DELETE .../v1/{id}`: `start_delete`.
        StartDelete => "start_delete",
        /// `POST .../v1/{id}/delete/verify`: `confirm_delete`.
        ConfirmDelete => "confirm_delete",
        /// `GET .../v2`: `list`.
        List => "list",
        /// `GET .../v1`: `list_v1` (deprecated twin of `list`).
        ListV1 => "list_v1",
        /// `POST .../v1/vendor/{userId}`: `vendor_add`.
        VendorAdd => "vendor_add",
        /// `DELETE .../v1/vendor/{userId}/{phoneId}`: `vendor_delete`.
        VendorDelete => "vendor_delete",
        /// `POST /identity/resources/auth/v1/user/mfa/sms/enroll`: `start_sms_enrollment` (11).
        StartSmsEnrollment => "start_sms_enrollment",
        /// `POST /identity/resources/auth/v1/user/mfa/sms/enroll/verify`: `finish_sms_enrollment` (12).
        FinishSmsEnrollment => "finish_sms_enrollment",
        /// `POST /identity/resources/auth/v1/user/mfa/sms/{deviceId}`: `send_sms_code` (13).
        SendSmsCode => "send_sms_code",
        /// `POST /identity/resources/auth/v1/user/mfa/sms/{deviceId}/verify`: `verify_sms_code` (14).
        VerifySmsCode => "verify_sms_code",
        /// `POST /identity/resources/users/v1/mfa/sms/enroll`: `enroll_sms` (15).
        EnrollSms => "enroll_sms",
        /// `POST /identity/resources/users/v1/mfa/sms/enroll/verify`: `verify_sms_enrollment` (16).
        VerifySmsEnrollment => "verify_sms_enrollment",
        /// `POST /identity/resources/users/v1/mfa/sms/{deviceId}/disable`: `start_sms_disable` (17).
        StartSmsDisable => "start_sms_disable",
        /// `POST /identity/resources/users/v1/mfa/sms/{deviceId}/disable/verify`: `confirm_sms_disable` (18).
        ConfirmSmsDisable => "confirm_sms_disable",
        /// `POST /identity/resources/auth/v1/passwordless/smscode/prelogin`: `start_sms_login` (19).
        StartSmsLogin => "start_sms_login",
        /// `POST /identity/resources/auth/v1/passwordless/smscode/postlogin`: `finish_sms_login` (20).
        FinishSmsLogin => "finish_sms_login",
        /// `POST /identity/resources/users/v2/passwords/reset/sms`: `start_sms_reset` (21).
        StartSmsReset => "start_sms_reset",
        /// `POST /identity/resources/users/v2/passwords/reset/sms/verify`: `verify_sms_reset` (22).
        VerifySmsReset => "verify_sms_reset",
        /// `GET /identity/resources/users/v1/mfa/devices`: `mfa_devices` (32; not in Frontegg's OpenAPI).
        MfaDevices => "mfa_devices",
        /// `GET /identity/resources/configurations/v1/sms`: `get_sms_config` (23).
        GetSmsConfig => "get_sms_config",
        /// `POST .../configurations/v1/sms`: `set_sms_config` (24).
        SetSmsConfig => "set_sms_config",
        /// `DELETE .../configurations/v1/sms`: `delete_sms_config` (25).
        DeleteSmsConfig => "delete_sms_config",
        /// `GET .../configurations/v1/sms/templates`: `sms_templates` (26).
        SmsTemplates => "sms_templates",
        /// `GET .../configurations/v1/sms/templates/{type}`: `sms_template` (27).
        SmsTemplate => "sms_template",
        /// `POST .../configurations/v1/sms/templates/{type}`: `set_sms_template` (28).
        SetSmsTemplate => "set_sms_template",
        /// `DELETE .../configurations/v1/sms/templates/{type}`: `delete_sms_template` (29).
        DeleteSmsTemplate => "delete_sms_template",
        /// `GET .../configurations/v1/sms/templates/{type}/default`: `default_sms_template` (30).
        DefaultSmsTemplate => "default_sms_template",
        /// `GET .../configurations/v1/sms/templates/default/all`: `default_sms_templates` (31).
        DefaultSmsTemplates => "default_sms_templates",
    }
}

/// Error of [`Route::from_str`]: the name is not a route name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown route name {0:?}")]
pub struct UnknownRoute(pub String);

impl FromStr for Route {
    type Err = UnknownRoute;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Route::from_name(s).ok_or_else(|| UnknownRoute(s.to_owned()))
    }
}

named_enum! {
    /// Why an SMS was sent (serde `snake_case`, as in `GET /_emulator/sms`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum SmsPurpose {
        /// `assign` with `verify: true`.
        Assign => "assign",
        /// `preverify`.
        Preverify => "preverify",
        /// `start_delete`.
        Delete => "delete",
        /// `start_sms_enrollment`, `enroll_sms`.
        MfaEnroll => "mfa_enroll",
        /// `send_sms_code`.
        MfaLogin => "mfa_login",
        /// `start_sms_disable`.
        MfaDisable => "mfa_disable",
        /// `start_sms_login`.
        Passwordless => "passwordless",
        /// `start_sms_reset`.
        PasswordReset => "password_reset",
    }
}

impl FromStr for SmsPurpose {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SmsPurpose::from_name(s).ok_or_else(|| UnknownName("SMS purpose", s.to_owned()))
    }
}

/// Error of [`SmsPurpose::from_str`]: what was looked up, and the name given.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {0} {1:?}")]
pub struct UnknownName(pub &'static str, pub String);

/// An SMS the emulator "sent". This is the test backdoor: it holds the code.
///
/// `Debug` masks the number and redacts the code and token.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sms {
    /// Destination number (E.164).
    pub phone_number: String,
    /// The code in the message.
    pub code: String,
    /// The handle the code goes with: the `otcToken`, the passwordless flow
    /// id (the cookie of `start_sms_login`) or the reset `sessionId`.
    pub otc_token: String,
    /// Why it was sent.
    pub purpose: SmsPurpose,
    /// When it was sent (RFC 3339, UTC, with `Z`).
    pub sent_at: String,
}

impl fmt::Debug for Sms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sms")
            .field("phone_number", &mask_phone(&self.phone_number))
            .field("code", &"[redacted]")
            .field("otc_token", &"[redacted]")
            .field("purpose", &self.purpose)
            .field("sent_at", &self.sent_at)
            .finish()
    }
}

/// When a dropping fault closes the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FaultDrop {
    /// Close the connection without answering and without processing.
    Before,
    /// Process the request (state changes, SMS sent), then close without answering.
    After,
}

/// A scripted fault: the next [`count`](Self::count) requests to
/// [`route`](Self::route) consume it.
///
/// - `delay` alone waits, then processes normally;
/// - `status` (or `rate_limit_reset` / `retry_after`, which default the status
///   to 429) answers without processing, with `body` (default a Frontegg
///   error body) and `headers`;
/// - `drop` closes the connection without any answer, before or after processing;
/// - `headers` without a status are added to the normal answer.
///
/// ```
/// use std::time::Duration;
/// use frontegg_identity_emulator::{FaultSpec, Route};
///
/// let fault = FaultSpec::on(Route::Verify).times(2).status(503);
/// let slow = FaultSpec::any().delay(Duration::from_millis(50));
/// let limited = FaultSpec::on(Route::List).rate_limit_reset("2030-01-01T00:00:00Z");
/// # let _ = (fault, slow, limited);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FaultSpec {
    /// The route, or `None` for any route (`"*"`).
    pub route: Option<Route>,
    /// How many requests consume it (default 1; 0 is treated as 1).
    pub count: u32,
    /// Answer this status without processing.
    pub status: Option<u16>,
    /// Body of the answer when `status` applies (default a Frontegg error body).
    pub body: Option<serde_json::Value>,
    /// Extra response headers (invalid names or values are ignored).
    pub headers: Vec<(String, String)>,
    /// Wait before handling the request.
    pub delay: Option<Duration>,
    /// Sets `X-Rate-Limit-Reset`; the status defaults to 429.
    pub rate_limit_reset: Option<String>,
    /// Sets `Retry-After`; the status defaults to 429.
    pub retry_after: Option<String>,
    /// Close the connection without answering.
    pub drop: Option<FaultDrop>,
}

impl FaultSpec {
    /// A fault for one route, consumed by one request, that does nothing yet.
    pub fn on(route: Route) -> Self {
        Self {
            route: Some(route),
            count: 1,
            status: None,
            body: None,
            headers: Vec::new(),
            delay: None,
            rate_limit_reset: None,
            retry_after: None,
            drop: None,
        }
    }

    /// A fault for any route (`"*"`).
    pub fn any() -> Self {
        Self {
            route: None,
            ..Self::on(Route::Assign)
        }
    }

    /// Sets how many requests consume the fault.
    #[must_use]
    pub fn times(mut self, count: u32) -> Self {
        self.count = count;
        self
    }

    /// Answers this status without processing.
    #[must_use]
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the body of the answer.
    #[must_use]
    pub fn body(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Adds a response header.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Waits before handling.
    #[must_use]
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Sets `X-Rate-Limit-Reset` (status defaults to 429).
    #[must_use]
    pub fn rate_limit_reset(mut self, value: impl Into<String>) -> Self {
        self.rate_limit_reset = Some(value.into());
        self
    }

    /// Sets `Retry-After` (status defaults to 429).
    #[must_use]
    pub fn retry_after(mut self, value: impl Into<String>) -> Self {
        self.retry_after = Some(value.into());
        self
    }

    /// Closes the connection before processing, without answering.
    #[must_use]
    pub fn drop_before(mut self) -> Self {
        self.drop = Some(FaultDrop::Before);
        self
    }

    /// Processes the request, then closes the connection without answering.
    #[must_use]
    pub fn drop_after(mut self) -> Self {
        self.drop = Some(FaultDrop::After);
        self
    }
}

/// One entry of the request log. It holds no secret: no token, code,
/// `otcToken` or full phone number (`_phoneNumber` query values are masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    /// Sequence number, from 1, increasing.
    pub seq: u64,
    /// Route name (see [`Route`]), or `"unknown"` for an unknown route or method.
    pub route: String,
    /// HTTP method.
    pub method: String,
    /// Path and query (with `_phoneNumber` values masked).
    pub path: String,
    /// Status answered; `None` when the connection was dropped.
    pub status: Option<u16>,
    /// Whether the route's state logic ran.
    pub processed: bool,
    /// The fault applied, if any: `"status"`, `"delay"`, `"headers"`, `"drop_before"`, `"drop_after"`.
    pub fault: Option<String>,
    /// The acting or target user, when known.
    pub user_id: Option<String>,
    /// When the request arrived (RFC 3339, UTC, with `Z`).
    pub at: String,
}

/// Masks a phone number, keeping only its last 2 characters: `+*********00`.
pub fn mask_phone(phone: &str) -> String {
    let n = phone.chars().count();
    phone
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if (i == 0 && c == '+') || i + 2 >= n {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Why the emulator refused a helper call ([`Emulator::create_user`](crate::Emulator::create_user),
/// [`Emulator::mfa_token`](crate::Emulator::mfa_token)): what its HTTP twin
/// would answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} ({status}, {error_code})")]
pub struct EmulatorError {
    /// HTTP status.
    pub status: u16,
    /// The `errorCode`.
    pub error_code: String,
    /// The message.
    pub message: String,
}
