//! What the SMS routes (11 to 32) take and return: sign-in results, MFA
//! devices, the SMS sign-in and reset handles, the SMS configuration and
//! templates.
//!
//! Frontegg leaves most of these answers' schemas empty, so every answer is
//! read leniently: a missing or odd field is `None`, unknown fields are
//! ignored. Secrets are secret types; phone numbers and e-mail addresses are
//! masked in `Debug`.

use std::fmt;

use serde_json::{Map, Value};

use crate::error::{Error, InvalidInput};
use crate::ids::{DeviceId, UserId};
use crate::phone::{PhoneNumber, StoredPhoneNumber, mask_phone};
use crate::secret::{
    AccessToken, InvitationToken, MfaToken, OpaqueSecret, ProviderToken, RecaptchaToken, RecoveryCode,
    RefreshToken, ResetPhoneNumberToken, ResetSessionId, ResetToken, SessionCookies, check_secret,
};

/// Hides an e-mail address but its first character and its domain:
/// `jane@example.com` becomes `j***@example.com`.
#[must_use]
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// A string field of a JSON object, if it is a non-empty string.
pub(crate) fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn array<'a>(object: &'a Map<String, Value>, key: &str) -> impl Iterator<Item = &'a Map<String, Value>> {
    object
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
}

/// The outcome of a completed sign-in step (routes 12, 14 and 20): signed
/// in, or a second factor is needed first.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AuthResult {
    /// The user is signed in.
    SignedIn(SignedIn),
    /// The user must pass a second factor (routes 13 and 14) first.
    MfaRequired(MfaRequired),
}

impl AuthResult {
    /// Reads an authentication answer: *MFA required* when it says so or
    /// carries an `mfaToken` and no access token, else *signed in*.
    pub(crate) fn from_json(object: &Map<String, Value>) -> Option<Self> {
        let access_token = text(object, "accessToken");
        let mfa_required = object.get("mfaRequired").and_then(Value::as_bool) == Some(true);
        if let Some(token) = text(object, "mfaToken").filter(|_| mfa_required || access_token.is_none()) {
            return Some(Self::MfaRequired(MfaRequired {
                mfa_token: MfaToken::from_server(token),
                devices: object
                    .get("mfaDevices")
                    .and_then(Value::as_object)
                    .map(MfaDevices::from_json)
                    .unwrap_or_default(),
                user_id: text(object, "userId"),
            }));
        }
        let access_token = access_token?;
        Some(Self::SignedIn(SignedIn {
            access_token: AccessToken::from_server(access_token),
            refresh_token: text(object, "refreshToken").map(RefreshToken::from_server),
            expires_in: object.get("expiresIn").and_then(Value::as_f64).and_then(seconds),
            expires: text(object, "expires"),
            token_type: text(object, "tokenType"),
            user_id: text(object, "userId"),
            user_email: text(object, "userEmail"),
            recovery_code: text(object, "recoveryCode").map(RecoveryCode::from_server),
            mfa_enrolled: object.get("mfaEnrolled").and_then(Value::as_bool),
            other_secrets: ["otcToken", "qrCode", "resetPasswordToken"]
                .into_iter()
                .filter_map(|key| text(object, key).map(|v| (key, OpaqueSecret::from_server(v))))
                .collect(),
        }))
    }

    /// The sign-in, if the user is signed in.
    #[must_use]
    pub fn signed_in(&self) -> Option<&SignedIn> {
        match self {
            Self::SignedIn(s) => Some(s),
            Self::MfaRequired(_) => None,
        }
    }

    /// What the second factor needs, if one is required.
    #[must_use]
    pub fn mfa_required(&self) -> Option<&MfaRequired> {
        match self {
            Self::MfaRequired(m) => Some(m),
            Self::SignedIn(_) => None,
        }
    }
}

fn seconds(value: f64) -> Option<u64> {
    // Truncation is intended: lifetimes arrive as JSON numbers.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    (value.is_finite() && value >= 0.0).then(|| value.min(u64::MAX as f64) as u64)
}

/// A completed sign-in.
#[derive(Clone)]
#[non_exhaustive]
pub struct SignedIn {
    /// The user's access token (a JWT).
    pub access_token: AccessToken,
    /// The refresh token, when Frontegg gave one.
    pub refresh_token: Option<RefreshToken>,
    /// How long the access token lives, in seconds.
    pub expires_in: Option<u64>,
    /// When it expires, as Frontegg wrote it (format undocumented).
    pub expires: Option<String>,
    /// The token type (`bearer`).
    pub token_type: Option<String>,
    /// The user's id, when Frontegg said.
    pub user_id: Option<String>,
    /// The user's e-mail address, when Frontegg said (masked in `Debug`).
    pub user_email: Option<String>,
    /// A recovery code, when this step enrolled the user's first MFA device.
    pub recovery_code: Option<RecoveryCode>,
    /// Whether the user has an MFA device.
    pub mfa_enrolled: Option<bool>,
    /// Other secrets the answer carried (`otcToken`, `qrCode`,
    /// `resetPasswordToken`), by field name.
    pub other_secrets: Vec<(&'static str, OpaqueSecret)>,
}

impl fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedIn")
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("expires_in", &self.expires_in)
            .field("user_id", &self.user_id)
            .field("user_email", &self.user_email.as_deref().map(mask_email))
            .field("recovery_code", &self.recovery_code)
            .field("mfa_enrolled", &self.mfa_enrolled)
            .finish_non_exhaustive()
    }
}

/// A sign-in that needs a second factor: send a code to one of `devices`
/// (route 13) and verify it (route 14) with `mfa_token`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MfaRequired {
    /// Names the user to the MFA routes.
    pub mfa_token: MfaToken,
    /// The user's MFA devices.
    pub devices: MfaDevices,
    /// The user's id, when Frontegg said.
    pub user_id: Option<String>,
}

/// A user's MFA devices (Frontegg's `UserMFADevicesResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MfaDevices {
    /// SMS devices: a phone's `id` is the device id of routes 13, 14, 17, 18.
    pub phones: Vec<MfaPhone>,
    /// Security keys and platform authenticators.
    pub webauthn: Vec<WebAuthnDevice>,
    /// Authenticator apps, by id.
    pub authenticators: Vec<String>,
    /// E-mail factors (masked in `Debug`).
    pub emails: Vec<MfaEmail>,
}

impl MfaDevices {
    pub(crate) fn from_json(object: &Map<String, Value>) -> Self {
        Self {
            phones: array(object, "phones")
                .filter_map(|p| {
                    Some(MfaPhone {
                        id: DeviceId::new(text(p, "id")?).ok()?,
                        phone_number: StoredPhoneNumber::from(text(p, "phoneNumber").unwrap_or_default()),
                    })
                })
                .collect(),
            webauthn: array(object, "webauthn")
                .map(|w| WebAuthnDevice {
                    id: text(w, "id"),
                    device_type: text(w, "deviceType"),
                    name: text(w, "name"),
                })
                .collect(),
            authenticators: array(object, "authenticators")
                .filter_map(|a| text(a, "id"))
                .collect(),
            emails: array(object, "emails")
                .filter_map(|e| text(e, "email").map(MfaEmail))
                .collect(),
        }
    }
}

/// An SMS MFA device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MfaPhone {
    /// The device id.
    pub id: DeviceId,
    /// Its number, as Frontegg sent it (possibly masked already).
    pub phone_number: StoredPhoneNumber,
}

/// A WebAuthn device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebAuthnDevice {
    /// The device id.
    pub id: Option<String>,
    /// `Platform` or `CrossPlatform`.
    pub device_type: Option<String>,
    /// Its name.
    pub name: Option<String>,
}

/// An e-mail MFA factor; `Debug` masks the address.
#[derive(Clone, PartialEq, Eq)]
pub struct MfaEmail(pub String);

impl fmt::Debug for MfaEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MfaEmail({})", mask_email(&self.0))
    }
}

/// Who signs in by SMS (route 19): exactly one identifier.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginIdentifier {
    /// The user's e-mail address.
    Email(String),
    /// The user's id.
    UserId(UserId),
    /// The user's username.
    Username(String),
    /// The user's phone number.
    PhoneNumber(PhoneNumber),
}

impl fmt::Debug for LoginIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Email(e) => write!(f, "Email({})", mask_email(e)),
            Self::UserId(u) => write!(f, "UserId({u})"),
            Self::Username(_) => f.write_str("Username([masked])"),
            Self::PhoneNumber(p) => write!(f, "PhoneNumber({})", mask_phone(p.as_str())),
        }
    }
}

impl LoginIdentifier {
    /// An e-mail identifier: 1 to 320 bytes with an `@`, no white space or
    /// control characters.
    pub fn email(email: impl AsRef<str>) -> Result<Self, Error> {
        checked_email(email.as_ref()).map(Self::Email)
    }

    /// A username identifier: 1 to 256 bytes, no control characters.
    pub fn username(username: impl Into<String>) -> Result<Self, Error> {
        let username = username.into();
        check_secret("username", &username, 256)?;
        Ok(Self::Username(username))
    }

    /// The body field and value.
    pub(crate) fn field(&self) -> (&'static str, &str) {
        match self {
            Self::Email(e) => ("email", e),
            Self::UserId(u) => ("userId", u.as_str()),
            Self::Username(u) => ("username", u),
            Self::PhoneNumber(p) => ("phoneNumber", p.as_str()),
        }
    }
}

fn checked_email(email: &str) -> Result<String, Error> {
    let email = email.trim();
    if email.is_empty() || email.len() > 320 || !email.contains('@') {
        return Err(InvalidInput::new("email", "is not an e-mail address").into());
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(InvalidInput::new("email", "must not contain white space").into());
    }
    Ok(email.to_owned())
}

/// An SMS sign-in under way (route 19 started it, route 20 finishes it).
///
/// It holds the cookies Frontegg set for this one flow (sent back only on
/// its route 20, never shared) and where the code went. To finish in another
/// web request, store [`cookies`](Self::cookies) and rebuild it with
/// [`SmsLogin::resume`].
#[derive(Clone)]
pub struct SmsLogin {
    cookies: Option<SessionCookies>,
    phone_number: Option<String>,
    reset_phone_number_token: Option<ResetPhoneNumberToken>,
}

impl fmt::Debug for SmsLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmsLogin")
            .field("cookies", &self.cookies)
            .field("phone_number", &self.phone_number.as_deref().map(mask_phone))
            .finish_non_exhaustive()
    }
}

impl SmsLogin {
    pub(crate) fn from_parts(
        cookies: Option<SessionCookies>,
        phone_number: Option<String>,
        reset_phone_number_token: Option<ResetPhoneNumberToken>,
    ) -> Self {
        Self {
            cookies,
            phone_number,
            reset_phone_number_token,
        }
    }

    /// Rebuilds a sign-in from its stored cookies (`None` if Frontegg set none).
    #[must_use]
    pub fn resume(cookies: Option<SessionCookies>) -> Self {
        Self::from_parts(cookies, None, None)
    }

    /// The flow's `Cookie` header value, if Frontegg set cookies.
    #[must_use]
    pub fn cookies(&self) -> Option<&SessionCookies> {
        self.cookies.as_ref()
    }

    /// Where the code went, as Frontegg wrote it (often masked); personal
    /// data: do not log it.
    #[must_use]
    pub fn phone_number(&self) -> Option<&str> {
        self.phone_number.as_deref()
    }

    /// The undocumented `resetPhoneNumberToken` of the answer, if any.
    #[must_use]
    pub fn reset_phone_number_token(&self) -> Option<&ResetPhoneNumberToken> {
        self.reset_phone_number_token.as_ref()
    }
}

/// Optional extras of an SMS sign-in (route 19 and 20).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SmsLoginOptions {
    /// An invitation token.
    pub invitation_token: Option<InvitationToken>,
    /// A reCAPTCHA token.
    pub recaptcha_token: Option<RecaptchaToken>,
}

/// What identifies the user of a password reset by SMS (route 21).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdentifierType {
    /// An e-mail address.
    Email,
    /// A phone number.
    PhoneNumber,
    /// A username.
    Username,
}

impl IdentifierType {
    /// Frontegg's name for it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::PhoneNumber => "phoneNumber",
            Self::Username => "username",
        }
    }
}

impl std::str::FromStr for IdentifierType {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "email" => Ok(Self::Email),
            "phoneNumber" | "phone_number" => Ok(Self::PhoneNumber),
            "username" => Ok(Self::Username),
            _ => Err(InvalidInput::new("identifier type", "must be email, phone_number or username").into()),
        }
    }
}

/// The identifier of a password reset, checked for its type.
#[derive(Clone, PartialEq, Eq)]
pub struct ResetIdentifier {
    pub(crate) value: String,
    pub(crate) kind: IdentifierType,
}

impl fmt::Debug for ResetIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = match self.kind {
            IdentifierType::Email => mask_email(&self.value),
            IdentifierType::PhoneNumber => mask_phone(&self.value),
            IdentifierType::Username => "[masked]".to_owned(),
        };
        write!(f, "ResetIdentifier({:?}, {shown})", self.kind)
    }
}

impl ResetIdentifier {
    /// Checks `value` as an identifier of `kind`: an e-mail address, an
    /// E.164 number (normalised), or a username.
    pub fn new(value: &str, kind: IdentifierType) -> Result<Self, Error> {
        let value = match kind {
            IdentifierType::Email => checked_email(value)?,
            IdentifierType::PhoneNumber => PhoneNumber::parse(value)?.as_str().to_owned(),
            IdentifierType::Username => {
                check_secret("identifier", value, 256)?;
                value.to_owned()
            }
        };
        Ok(Self { value, kind })
    }

    /// The identifier's type.
    #[must_use]
    pub fn kind(&self) -> IdentifierType {
        self.kind
    }
}

/// A password reset by SMS under way (route 21): verify it with the code
/// (route 22). Store [`session_id`](Self::session_id) to finish it in
/// another web request.
#[derive(Debug, Clone)]
pub struct PasswordResetSession {
    /// The reset's session id.
    pub session_id: ResetSessionId,
}

/// A verified password reset by SMS (route 22): the user and the token to
/// set the new password with (`POST /resources/users/v1/passwords/reset/verify`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PasswordResetToken {
    /// The user whose password is being reset.
    pub user_id: Option<String>,
    /// The reset token.
    pub token: ResetToken,
}

/// A text field of [`SmsConfig`]: a plain string, or the provider's
/// credential, which is kept as a secret.
trait ConfigText {
    fn from_text(text: String) -> Self;
    fn expose(&self) -> &str;
}

impl ConfigText for String {
    fn from_text(text: String) -> Self {
        text
    }
    fn expose(&self) -> &str {
        self
    }
}

impl ConfigText for ProviderToken {
    fn from_text(text: String) -> Self {
        Self::from_server(text)
    }
    fn expose(&self) -> &str {
        self.expose_secret()
    }
}

/// Declares [`SmsConfig`] from one list of its fields, each with its JSON
/// key: the struct and the three methods that walk every field.
macro_rules! sms_config {
    ($($(#[$doc:meta])* $field:ident: $ty:ty = $key:literal,)*) => {
        /// The SMS provider configuration (routes 23 and 24). `token` is the
        /// provider's credential; Frontegg may not echo it.
        #[derive(Debug, Clone, Default)]
        #[non_exhaustive]
        pub struct SmsConfig {
            $($(#[$doc])* pub $field: Option<$ty>,)*
        }

        impl SmsConfig {
            /// A configuration to send with [`set`](crate::api::SmsSettings::set);
            /// fields left `None` are not sent.
            #[must_use]
            pub fn new() -> Self {
                Self::default()
            }

            pub(crate) fn from_json(object: &Map<String, Value>) -> Self {
                Self {
                    $($field: text(object, $key).map(<$ty as ConfigText>::from_text),)*
                }
            }

            /// Whether every field is `None` (Frontegg answered `{}`).
            #[must_use]
            pub fn is_empty(&self) -> bool {
                $(self.$field.is_none())&&*
            }

            pub(crate) fn to_json(&self) -> Map<String, Value> {
                [$(($key, self.$field.as_ref().map(ConfigText::expose)),)*]
                    .into_iter()
                    .filter_map(|(key, value)| Some((key.to_owned(), Value::String(value?.to_owned()))))
                    .collect()
            }
        }
    };
}

sms_config! {
    /// The alphanumeric sender name (where the provider supports one).
    sender_name: String = "senderName",
    /// The provider account id.
    account_id: String = "accountId",
    /// The provider's credential.
    token: ProviderToken = "token",
    /// The provider's service id.
    service_id: String = "serviceId",
    /// The provider (undocumented values).
    provider: String = "provider",
    /// The channel (undocumented values).
    channel: String = "channel",
}

/// An SMS template: an opaque JSON object (Frontegg publishes no fields).
/// `Debug` shows its type and field names, not their values.
#[derive(Clone, PartialEq)]
pub struct SmsTemplate(Map<String, Value>);

impl fmt::Debug for SmsTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmsTemplate")
            .field("type", &self.template_type())
            .field("fields", &self.0.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The largest template sent, in bytes of JSON.
pub const MAX_TEMPLATE_BYTES: usize = 64 * 1024;

impl SmsTemplate {
    /// Wraps a JSON object; anything else is refused.
    pub fn new(value: Value) -> Result<Self, Error> {
        match value {
            Value::Object(object) => Ok(Self(object)),
            _ => Err(InvalidInput::new("template", "must be a JSON object").into()),
        }
    }

    /// The template's `type`, when it has one.
    #[must_use]
    pub fn template_type(&self) -> Option<&str> {
        self.0.get("type").and_then(Value::as_str)
    }

    /// The template's fields.
    #[must_use]
    pub fn as_object(&self) -> &Map<String, Value> {
        &self.0
    }

    /// The template as a JSON value.
    #[must_use]
    pub fn into_value(self) -> Value {
        Value::Object(self.0)
    }

    pub(crate) fn from_object(object: Map<String, Value>) -> Self {
        Self(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn auth_results() {
        let signed = AuthResult::from_json(&object(
            r#"{"accessToken":"a-canary","refreshToken":"r-canary","expiresIn":300,"mfaRequired":false,
                "userEmail":"jane@example.com","recoveryCode":"rc-canary","qrCode":"q-canary"}"#,
        ))
        .unwrap();
        let s = signed.signed_in().unwrap();
        assert_eq!(s.access_token.expose_secret(), "a-canary");
        assert_eq!(s.expires_in, Some(300));
        let text = format!("{signed:?}");
        for secret in ["a-canary", "r-canary", "rc-canary", "q-canary", "jane@"] {
            assert!(!text.contains(secret), "{text}");
        }
        let mfa = AuthResult::from_json(&object(
            r#"{"mfaRequired":true,"mfaToken":"m-canary","userId":"u1",
                "mfaDevices":{"phones":[{"id":"d1","phoneNumber":"+14155550100"}],"webauthn":[],"authenticators":[{"id":"a"}],"emails":[{"email":"jane@example.com"}]}}"#,
        ))
        .unwrap();
        let m = mfa.mfa_required().unwrap();
        assert_eq!(m.devices.phones[0].id.as_str(), "d1");
        assert_eq!(m.devices.authenticators, ["a"]);
        let text = format!("{mfa:?}");
        for secret in ["m-canary", "4155550100", "jane@"] {
            assert!(!text.contains(secret), "{text}");
        }
        // An mfaToken and no access token is MFA, whatever mfaRequired says.
        assert!(
            AuthResult::from_json(&object(r#"{"mfaToken":"m"}"#))
                .unwrap()
                .mfa_required()
                .is_some()
        );
        assert!(AuthResult::from_json(&object(r"{}")).is_none());
    }

    #[test]
    fn identifiers_are_checked_and_masked() {
        assert!(LoginIdentifier::email("nope").is_err());
        assert!(LoginIdentifier::email("a b@c").is_err());
        let e = LoginIdentifier::email(" jane@example.com ").unwrap();
        assert_eq!(e.field(), ("email", "jane@example.com"));
        assert!(!format!("{e:?}").contains("jane"));
        assert!(LoginIdentifier::username("").is_err());
        let r = ResetIdentifier::new("+1 415 555 0100", IdentifierType::PhoneNumber).unwrap();
        assert_eq!(r.value, "+14155550100");
        assert!(!format!("{r:?}").contains("4155550100"));
        assert!(ResetIdentifier::new("x", IdentifierType::Email).is_err());
        assert_eq!(
            "phone_number".parse::<IdentifierType>().unwrap(),
            IdentifierType::PhoneNumber
        );
        assert!("fax".parse::<IdentifierType>().is_err());
    }

    #[test]
    fn sms_config_round_trips_without_printing_the_token() {
        let config = SmsConfig::from_json(&object(r#"{"senderName":"Acme","token":"t-canary","channel":7}"#));
        assert_eq!(config.sender_name.as_deref(), Some("Acme"));
        assert_eq!(config.channel, None);
        assert!(!format!("{config:?}").contains("t-canary"));
        let json = config.to_json();
        assert_eq!(json.get("token").and_then(Value::as_str), Some("t-canary"));
        assert!(!json.contains_key("accountId"));
        assert!(SmsConfig::from_json(&object("{}")).is_empty());
    }

    #[test]
    fn templates_are_objects() {
        assert!(SmsTemplate::new(Value::Null).is_err());
        let t = SmsTemplate::new(serde_json::json!({"type": "OTC", "body": "x"})).unwrap();
        assert_eq!(t.template_type(), Some("OTC"));
    }
}
