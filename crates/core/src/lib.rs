//! The sans-IO core of `frontegg-identity`, an SDK for the phone and SMS side
//! of Frontegg's identity API: phone numbers, MFA by SMS, passwordless SMS
//! sign-in, password reset by SMS and the vendor's SMS settings.
//!
//! Most users depend on a transport crate instead, which re-exports this one:
//! `frontegg-identity-reqwest` (async) or `frontegg-identity-ureq` (blocking).
//!
//! This crate holds everything that is not I/O: the domain types
//! ([`PhoneNumber`], [`PhoneNumberRecord`], ...), the secret types
//! ([`AccessToken`], [`OtcToken`], [`VerificationCode`], [`VendorSecret`]),
//! the [`Error`] enum, the [`endpoint`]s (pure request builders and response
//! parsers), the vendor-token cache, the [`RetryPolicy`], the transport
//! traits and the generic [`Client`] and [`BlockingClient`].
//!
//! # Routes
//!
//! | method | route | credentials |
//! |---|---|---|
//! | [`assign`](PhoneNumbers::assign) | `POST /resources/users/phone-numbers/v1` | user |
//! | [`preverify`](PhoneNumbers::preverify) | `POST .../v1/preverify` | user |
//! | [`verify`](PhoneNumbers::verify) | `POST .../v1/verify` | user |
//! | [`list_mine`](PhoneNumbers::list_mine) | `GET .../v1/me` | user (or vendor + user id) |
//! | [`start_delete`](PhoneNumbers::start_delete) | `DELETE .../v1/{id}` | user |
//! | [`confirm_delete`](PhoneNumbers::confirm_delete) | `POST .../v1/{id}/delete/verify` | user |
//! | [`list`](PhoneNumbers::list), [`list_all`](PhoneNumbers::list_all) | `GET .../v2` | vendor |
//! | [`vendor_add`](PhoneNumbers::vendor_add) | `POST .../v1/vendor/{userId}` | vendor |
//! | [`vendor_delete`](PhoneNumbers::vendor_delete) | `DELETE .../v1/vendor/{userId}/{phoneId}` | vendor |
//!
//! The deprecated `GET .../v1` list (the twin of `.../v2`) is left out on purpose.
//!
//! The SMS family, each group a method of both clients:
//!
//! | group | routes | credentials |
//! |---|---|---|
//! | [`mfa()`](Mfa): `start_sms_enrollment`, `finish_sms_enrollment` (and `_at_login`) | 11, 12 | user, or a login-step `MfaToken` |
//! | [`mfa()`](Mfa): `send_sms_code`, `verify_sms_code` | 13, 14 | none (the `MfaToken`) |
//! | [`mfa()`](Mfa): `enroll_sms`, `verify_sms_enrollment`, `start_sms_disable`, `confirm_sms_disable` | 15 to 18 | vendor |
//! | [`mfa()`](Mfa): `list_devices` (unstable: not in Frontegg's OpenAPI) | 32 | user, or vendor |
//! | [`passwordless()`](Passwordless): `start_sms_login`, `finish_sms_login` | 19, 20 | none |
//! | [`passwords()`](Passwords): `start_sms_reset`, `verify_sms_reset` | 21, 22 | none |
//! | [`sms_settings()`](SmsSettings): `get`, `set`, `delete`, `templates`, `template`, `set_template`, `delete_template`, `default_template`, `default_templates` | 23 to 31 | vendor |
//!
//! Every route is one row of [`Route`]'s table ([`route`]); a group method
//! returns `Result<T, Error>` on [`BlockingClient`] and a future of it on
//! [`Client`] ([`Dispatch`]).
//!
//! # Bring your own transport
//!
//! ```
//! use frontegg_identity_core::{
//!     AccessToken, BlockingIdentityTransport, ClientBuilder, PhoneNumber, TransportError,
//! };
//!
//! /// A transport that answers every request itself.
//! struct Canned;
//!
//! impl BlockingIdentityTransport for Canned {
//!     fn execute(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> {
//!         assert_eq!(request.uri().path(), "/identity/resources/users/phone-numbers/v1/preverify");
//!         Ok(http::Response::new(br#"{"otcToken":"t-1"}"#.to_vec()))
//!     }
//! }
//!
//! let client = ClientBuilder::new()
//!     .user_token(AccessToken::new("eyJhbGciOi...").unwrap())
//!     .build_blocking_with(Canned)
//!     .unwrap();
//! let number = PhoneNumber::parse("+1 415 555 0100").unwrap();
//! let otc = client.phone_numbers().preverify(&number).unwrap();
//! assert_eq!(format!("{otc:?}"), "OtcToken([redacted])");
//! ```
//!
//! The async [`Client`] is the same with an [`IdentityTransport`] and `.await`:
//!
//! ```
//! use frontegg_identity_core::{AccessToken, ClientBuilder, IdentityTransport, PhoneNumber, TransportError};
//!
//! struct Canned;
//!
//! #[async_trait::async_trait]
//! impl IdentityTransport for Canned {
//!     async fn execute(&self, _: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, TransportError> {
//!         Ok(http::Response::new(br#"[{"id":"p1","phoneNumber":"+14155550100","verified":true}]"#.to_vec()))
//!     }
//! }
//!
//! # futures_util::FutureExt::now_or_never(async {
//! let client = ClientBuilder::new()
//!     .user_token(AccessToken::new("eyJhbGciOi...").unwrap())
//!     .build_with(Canned)
//!     .unwrap();
//! let mine = client.phone_numbers().list_mine().await.unwrap();
//! assert!(mine[0].verified);
//! # }).unwrap();
//! ```
//!
//! # Guarantees
//!
//! - Input is checked before anything is sent: phone numbers are normalised
//!   to E.164 or refused with [`Error::InvalidPhoneNumber`]; ids and codes are
//!   checked; ids are percent-encoded into a single path segment.
//! - A call that may have sent an SMS or consumed a code is never retried
//!   automatically (see [`retry`]).
//! - Secrets never appear in `Debug`, errors or logs; phone numbers are masked.

#![cfg_attr(docsrs, feature(doc_cfg))]

/// Builder methods that set one field and hand the builder back, written
/// once: each `name(arg: Type) => field = value;` (after its doc comment)
/// becomes `#[must_use] pub fn name(mut self, arg: Type) -> Self`, which
/// assigns `value` to `self.field` and returns `self`.
macro_rules! setters {
    ($(
        $(#[$attr:meta])*
        $name:ident($arg:ident: $ty:ty) => $($field:ident).+ = $value:expr;
    )*) => {
        $(
            $(#[$attr])*
            #[must_use]
            pub fn $name(mut self, $arg: $ty) -> Self {
                self.$($field).+ = $value;
                self
            }
        )*
    };
}

pub mod api;
mod auth;
mod blocking;
mod call;
mod client;
mod config;
pub mod defaults;
pub mod endpoint;
mod error;
mod ids;
mod model;
mod options;
mod phone;
pub mod retry;
pub mod route;
mod secret;
mod sms;
#[cfg(feature = "rustls")]
pub mod tls;
mod transport;

pub use api::{BoxFuture, Dispatch, Groups, Mfa, Pager, Passwordless, Passwords, PhoneNumbers, SmsSettings};
pub use blocking::{BlockingClient, ListAll};
pub use client::Client;
pub use config::{ClientBuilder, Credentials, EnvOverrides, Region, TokenProvider, USER_AGENT};
pub use error::{
    ApiError, BODY_EXCERPT_LIMIT, BoxError, DeadlineExceeded, DecodeError, Error, InvalidInput,
    TransportError, TransportErrorKind,
};
pub use ids::{DeviceId, PhoneNumberId, TemplateType, TenantId, UserId};
pub use model::{ListQuery, MAX_PAGE_SIZE, Page, PendingDeletion, PhoneNumberRecord, SortBy, SortOrder};
pub use options::CallOptions;
pub use phone::{
    PhoneNumber, PhoneNumberError, StoredPhoneNumber, mask_phone, scrub_digits, scrub_personal_data,
};
pub use retry::RetryPolicy;
pub use route::{AuthScheme, Route};
pub use secret::{
    AccessToken, InvitationToken, MfaToken, OpaqueSecret, OtcToken, ProviderToken, RecaptchaToken,
    RecoveryCode, RefreshToken, ResetPhoneNumberToken, ResetSessionId, ResetToken, SessionCookies,
    VendorSecret, VerificationCode,
};
pub use sms::{
    AuthResult, IdentifierType, LoginIdentifier, MAX_TEMPLATE_BYTES, MfaDevices, MfaEmail, MfaPhone,
    MfaRequired, PasswordResetSession, PasswordResetToken, ResetIdentifier, SignedIn, SmsConfig, SmsLogin,
    SmsLoginOptions, SmsTemplate, WebAuthnDevice, mask_email,
};
#[cfg(feature = "tokio")]
pub use transport::TokioSleep;
pub use transport::{
    AsyncSleep, AttemptTimeout, BlockingIdentityTransport, BoundedBody, IdentityTransport, TimerSleep,
    TransportOptions, find_source,
};
#[cfg(feature = "mock")]
pub use transport::{MockBlockingIdentityTransport, MockIdentityTransport};

pub use http;

/// The phone-number routes of a [`BlockingClient`].
#[deprecated(
    since = "0.2.0",
    note = "use `PhoneNumbers<'_, BlockingClient<T>>`: one type serves both clients"
)]
pub type BlockingPhoneNumbers<'a, T> = PhoneNumbers<'a, BlockingClient<T>>;
