//! Emulator configuration.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

/// Configuration of an [`Emulator`](crate::Emulator).
///
/// Every field is public; start from [`EmulatorConfig::default`] and change
/// what you need, directly or with the chainable setters:
///
/// ```
/// use std::time::Duration;
/// use frontegg_identity_emulator::EmulatorConfig;
///
/// let config = EmulatorConfig::default()
///     .with_otc_ttl(Duration::from_secs(1))
///     .with_max_attempts(3);
/// assert_eq!(config.code_length, 6);
/// ```
///
/// `Debug` never prints the secret.
#[derive(Clone)]
pub struct EmulatorConfig {
    /// Address to bind; `None` (default) binds `127.0.0.1:0` (a free port).
    pub bind: Option<SocketAddr>,
    /// Vendor client id accepted by `POST /auth/vendor` (default `"emulator-client-id"`).
    pub client_id: String,
    /// Vendor secret accepted by `POST /auth/vendor` (default `"emulator-secret"`).
    pub secret: String,
    /// Number of digits of SMS codes (default 6; clamped to 1..=32).
    pub code_length: usize,
    /// Lifetime of an `otcToken` and of a successful pre-verification (default 5 minutes).
    pub otc_ttl: Duration,
    /// Wrong codes after which an `otcToken` is burnt (default 5).
    pub max_attempts: u32,
    /// Lifetime of vendor tokens; `expiresIn` of `/auth/vendor` (default 1 hour).
    pub vendor_token_ttl: Duration,
    /// Lifetime of user tokens minted by the emulator (default 1 hour).
    pub user_token_ttl: Duration,
    /// Accept user JWTs that the emulator did not sign (`alg: none`, another
    /// key, a forged signature) as long as the payload parses (default
    /// `false`: such tokens get 401). Expired tokens are refused either way.
    pub accept_unsigned_jwt: bool,
    /// The RSA private key that signs every token, as PEM text (PKCS#8
    /// `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`, at least 1024
    /// bits). `None` (default): a 2048-bit key generated once per process.
    /// A malformed key makes [`Emulator::start`](crate::Emulator::start) fail
    /// with [`std::io::ErrorKind::InvalidInput`]. `Debug` never prints it.
    pub signing_key: Option<String>,
    /// State loaded at start, and again by every reset (default none).
    /// An invalid entry makes [`Emulator::start`](crate::Emulator::start)
    /// fail with [`std::io::ErrorKind::InvalidData`].
    pub seed: Option<crate::seed::Seed>,
    /// Phone-number records stored across all users; beyond it, 507 (default 100 000).
    pub max_phone_numbers: usize,
    /// Pending `otcToken`s (also passwordless flows and reset sessions), and
    /// separately `mfaToken`s and reset tokens; when full, expired ones are
    /// evicted, then 429 (default 100 000).
    pub max_pending_tokens: usize,
    /// Users created with `POST /_emulator/users`; beyond it, 507 (default 100 000).
    pub max_users: usize,
    /// SMS MFA devices across all users; beyond it, 507 (default 100 000).
    pub max_mfa_devices: usize,
    /// Custom SMS templates; beyond it, 507 (default 1 000).
    pub max_sms_templates: usize,
    /// Largest custom SMS template, as JSON; beyond it, 413 (default 16 KiB).
    pub max_sms_template_bytes: usize,
    /// SMS kept for [`Emulator::sms`](crate::Emulator::sms); oldest dropped (default 10 000).
    pub max_sms_log: usize,
    /// Requests kept in the request log (ring buffer, default 10 000).
    pub max_request_log: usize,
    /// Largest accepted request body; beyond it, 413 (default 64 KiB).
    pub max_body_bytes: usize,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            bind: None,
            client_id: "emulator-client-id".to_owned(),
            secret: "emulator-secret".to_owned(),
            code_length: 6,
            otc_ttl: Duration::from_secs(5 * 60),
            max_attempts: 5,
            vendor_token_ttl: Duration::from_secs(60 * 60),
            user_token_ttl: Duration::from_secs(60 * 60),
            accept_unsigned_jwt: false,
            signing_key: None,
            seed: None,
            max_phone_numbers: 100_000,
            max_pending_tokens: 100_000,
            max_users: 100_000,
            max_mfa_devices: 100_000,
            max_sms_templates: 1_000,
            max_sms_template_bytes: 16 * 1024,
            max_sms_log: 10_000,
            max_request_log: 10_000,
            max_body_bytes: 64 * 1024,
        }
    }
}

impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("EmulatorConfig");
        /// `d.field("name", &self.name)` for each field named.
        macro_rules! fields {
            ($($field:ident)*) => { $(d.field(stringify!($field), &self.$field);)* };
        }
        fields! { bind client_id }
        d.field("secret", &"[redacted]");
        fields! { code_length otc_ttl max_attempts vendor_token_ttl user_token_ttl accept_unsigned_jwt }
        d.field("signing_key", &self.signing_key.as_ref().map(|_| "[redacted]"));
        d.field("seed", &self.seed.as_ref().map(|_| "[seed]"));
        fields! { max_phone_numbers max_pending_tokens max_users max_mfa_devices max_sms_templates }
        fields! { max_sms_template_bytes max_sms_log max_request_log max_body_bytes }
        d.finish()
    }
}

macro_rules! setter {
    ($(#[$doc:meta] $name:ident: $field:ident: $ty:ty),* $(,)?) => {
        impl EmulatorConfig {
            $(
                #[$doc]
                #[must_use]
                pub fn $name(mut self, value: $ty) -> Self {
                    self.$field = value;
                    self
                }
            )*
        }
    };
}

setter! {
    /// Sets [`bind`](Self::bind).
    with_bind: bind: Option<SocketAddr>,
    /// Sets [`code_length`](Self::code_length).
    with_code_length: code_length: usize,
    /// Sets [`otc_ttl`](Self::otc_ttl).
    with_otc_ttl: otc_ttl: Duration,
    /// Sets [`max_attempts`](Self::max_attempts).
    with_max_attempts: max_attempts: u32,
    /// Sets [`vendor_token_ttl`](Self::vendor_token_ttl).
    with_vendor_token_ttl: vendor_token_ttl: Duration,
    /// Sets [`user_token_ttl`](Self::user_token_ttl).
    with_user_token_ttl: user_token_ttl: Duration,
    /// Sets [`accept_unsigned_jwt`](Self::accept_unsigned_jwt).
    with_accept_unsigned_jwt: accept_unsigned_jwt: bool,
    /// Sets [`signing_key`](Self::signing_key) (PEM text).
    with_signing_key: signing_key: Option<String>,
    /// Sets [`seed`](Self::seed).
    with_seed: seed: Option<crate::seed::Seed>,
    /// Sets [`max_phone_numbers`](Self::max_phone_numbers).
    with_max_phone_numbers: max_phone_numbers: usize,
    /// Sets [`max_pending_tokens`](Self::max_pending_tokens).
    with_max_pending_tokens: max_pending_tokens: usize,
    /// Sets [`max_users`](Self::max_users).
    with_max_users: max_users: usize,
    /// Sets [`max_mfa_devices`](Self::max_mfa_devices).
    with_max_mfa_devices: max_mfa_devices: usize,
    /// Sets [`max_sms_templates`](Self::max_sms_templates).
    with_max_sms_templates: max_sms_templates: usize,
    /// Sets [`max_sms_template_bytes`](Self::max_sms_template_bytes).
    with_max_sms_template_bytes: max_sms_template_bytes: usize,
    /// Sets [`max_sms_log`](Self::max_sms_log).
    with_max_sms_log: max_sms_log: usize,
    /// Sets [`max_request_log`](Self::max_request_log).
    with_max_request_log: max_request_log: usize,
    /// Sets [`max_body_bytes`](Self::max_body_bytes).
    with_max_body_bytes: max_body_bytes: usize,
}

impl EmulatorConfig {
    /// Sets the vendor credentials accepted by `POST /auth/vendor`.
    #[must_use]
    pub fn with_credentials(mut self, client_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.client_id = client_id.into();
        self.secret = secret.into();
        self
    }
}
