//! Secret values: tokens, the vendor secret, one-time-code tokens, codes,
//! and the secrets of the SMS flows (MFA tokens, recovery codes, reset
//! sessions and tokens, the SMS provider's token, sign-in cookies).
//!
//! Every type here prints `Name([redacted])` under `Debug`, has no `Display`,
//! and gives its value only through an explicit `expose_secret()`.
//!
//! What is wiped: the value a secret type owns is overwritten with zeros
//! when that value is dropped. What is not: copies made to send it (the
//! `Authorization` header, a JSON request body, the transport's buffers) and
//! the string a caller passed in before it was moved here, which this crate
//! does not own. Wiping is defence in depth against reading freed memory,
//! not a guarantee that no copy of a secret remains in the process.

use std::fmt;

use zeroize::Zeroize;

use crate::error::{Error, InvalidInput};

/// The longest secret accepted from a user (a JWT with many claims fits).
const MAX_SECRET_LEN: usize = 16 * 1024;
/// The longest verification code accepted: Frontegg sends short numeric codes.
const MAX_CODE_LEN: usize = 64;

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name(String);

        impl $name {
            /// The secret value. Call it only where the value must be sent or stored.
            #[must_use]
            pub fn expose_secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                self.0.zeroize();
            }
        }
    };
}

secret_type!(
    /// A bearer token: a user's JWT or a vendor token from `/auth/vendor`.
    AccessToken
);
secret_type!(
    /// The vendor API key that goes with a client id.
    VendorSecret
);
secret_type!(
    /// The token Frontegg returns when it sends an SMS code; it is sent back
    /// with the code to complete a verification or a deletion.
    ///
    /// It may be stored between web requests: keep it with
    /// [`expose_secret`](Self::expose_secret) and rebuild it with [`OtcToken::new`].
    OtcToken
);
secret_type!(
    /// The code the user received by SMS.
    VerificationCode
);

/// Secrets that Frontegg hands out and a caller may store and bring back:
/// `new` checks one given by the caller, and the SDK wraps Frontegg's as is.
macro_rules! issued_secret {
    ($($(#[$meta:meta])* $name:ident, $field:literal;)*) => {$(
        secret_type!($(#[$meta])* $name);

        impl $name {
            /// Rebuilds a value stored earlier, refusing an empty one or one
            /// with control characters.
            pub fn new(value: impl Into<String>) -> Result<Self, Error> {
                let value = Self(value.into());
                check_secret($field, &value.0, MAX_SECRET_LEN)?;
                Ok(value)
            }

            /// Wraps a value received from Frontegg; no check is made.
            #[allow(dead_code, reason = "not every secret comes from Frontegg")]
            pub(crate) fn from_server(value: String) -> Self {
                Self(value)
            }
        }
    )*};
}

issued_secret! {
    /// The token of a sign-in that needs a second factor: it names the user
    /// to the MFA routes, in place of an access token.
    MfaToken, "mfa token";
    /// A refresh token, from a completed sign-in.
    RefreshToken, "refresh token";
    /// A recovery code, given when a user's first MFA device is enrolled:
    /// show it to the user once.
    RecoveryCode, "recovery code";
    /// The id of a password reset by SMS: it goes back with the code.
    ResetSessionId, "reset session id";
    /// The token a verified password reset by SMS gives, to set the new
    /// password with.
    ResetToken, "reset token";
    /// The SMS provider's credential in the SMS configuration.
    ProviderToken, "provider token";
    /// A token Frontegg may return when an SMS sign-in starts (undocumented;
    /// kept, not used).
    ResetPhoneNumberToken, "reset phone number token";
    /// An invitation token, sent with an SMS sign-in.
    InvitationToken, "invitation token";
    /// A reCAPTCHA token, sent with an SMS sign-in.
    RecaptchaToken, "recaptcha token";
    /// The `Cookie` header of one SMS sign-in flow: the cookies Frontegg set
    /// when it started, sent back when it finishes.
    SessionCookies, "session cookies";
    /// Other secrets an authentication answer may carry (an MFA QR code, a
    /// reset-password token, an `otcToken`).
    OpaqueSecret, "secret";
}

/// Rejects what cannot be a header or JSON value (empty, too long, control
/// characters) without echoing it: secrets, and the free-text identifiers.
pub(crate) fn check_secret(field: &'static str, value: &str, max: usize) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(InvalidInput::new(field, "must not be empty").into());
    }
    if value.len() > max {
        return Err(InvalidInput::new(field, "is too long").into());
    }
    if value.chars().any(char::is_control) {
        return Err(InvalidInput::new(field, "must not contain control characters").into());
    }
    Ok(())
}

impl AccessToken {
    /// Wraps a bearer token, refusing an empty one or one that cannot be sent
    /// in a header.
    pub fn new(token: impl Into<String>) -> Result<Self, Error> {
        let token = Self(token.into());
        check_secret("access token", &token.0, MAX_SECRET_LEN)?;
        if !token.0.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InvalidInput::new("access token", "must be printable ASCII").into());
        }
        Ok(token)
    }

    /// Wraps a token received from Frontegg; no check is made.
    pub(crate) fn from_server(token: String) -> Self {
        Self(token)
    }
}

impl VendorSecret {
    /// Wraps a vendor secret (API key), refusing an empty one.
    pub fn new(secret: impl Into<String>) -> Result<Self, Error> {
        let secret = Self(secret.into());
        check_secret("vendor secret", &secret.0, MAX_SECRET_LEN)?;
        Ok(secret)
    }
}

impl OtcToken {
    /// Rebuilds a token that was stored earlier, refusing an empty one.
    pub fn new(token: impl Into<String>) -> Result<Self, Error> {
        let token = Self(token.into());
        check_secret("otc token", &token.0, MAX_SECRET_LEN)?;
        Ok(token)
    }

    /// Wraps a token received from Frontegg; no check is made.
    pub(crate) fn from_server(token: String) -> Self {
        Self(token)
    }
}

impl VerificationCode {
    /// Parses the code the user typed or pasted: surrounding white space
    /// and invisible formatting characters (bidi marks, zero-width spaces, a
    /// byte-order mark: what SMS apps paste along) are dropped; an empty or
    /// over-long code, or one with white space, control or other non-ASCII
    /// characters, is refused. A refused code is never sent, so it never
    /// burns one of the token's verify attempts.
    pub fn parse(code: &str) -> Result<Self, Error> {
        if code.len() > MAX_SECRET_LEN {
            return Err(InvalidInput::new("verification code", "is too long").into());
        }
        let visible: String = code.chars().filter(|c| !is_invisible_format(*c)).collect();
        let trimmed = visible.trim();
        check_secret("verification code", trimmed, MAX_CODE_LEN)?;
        if trimmed.chars().any(char::is_whitespace) {
            return Err(InvalidInput::new("verification code", "must not contain white space").into());
        }
        if !trimmed.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InvalidInput::new("verification code", "must be printable ASCII").into());
        }
        Ok(Self(trimmed.to_owned()))
    }
}

/// Unicode format characters that render as nothing and are pasted along
/// with codes: soft hyphen, zero-width characters, bidi marks, embeddings,
/// isolates and overrides, word joiners, the byte-order mark.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
    )
}

impl std::str::FromStr for VerificationCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let canary = "canary-4e1f";
        let token = AccessToken::new(canary).unwrap();
        let secret = VendorSecret::new(canary).unwrap();
        let otc = OtcToken::new(canary).unwrap();
        let code = VerificationCode::parse(canary).unwrap();
        let sms_secrets = [
            format!("{:?}", MfaToken::new(canary).unwrap()),
            format!("{:?}", RefreshToken::new(canary).unwrap()),
            format!("{:?}", RecoveryCode::new(canary).unwrap()),
            format!("{:?}", ResetSessionId::new(canary).unwrap()),
            format!("{:?}", ResetToken::new(canary).unwrap()),
            format!("{:?}", ProviderToken::new(canary).unwrap()),
            format!("{:?}", ResetPhoneNumberToken::new(canary).unwrap()),
            format!("{:?}", InvitationToken::new(canary).unwrap()),
            format!("{:?}", RecaptchaToken::new(canary).unwrap()),
            format!("{:?}", SessionCookies::new(canary).unwrap()),
            format!("{:?}", OpaqueSecret::new(canary).unwrap()),
        ];
        for text in sms_secrets.into_iter().chain([
            format!("{token:?}"),
            format!("{secret:?}"),
            format!("{otc:?}"),
            format!("{code:?}"),
            format!("{:#?}", (&token, &otc)),
        ]) {
            assert!(!text.contains(canary), "{text}");
            assert!(text.contains("[redacted]"), "{text}");
        }
        assert_eq!(format!("{otc:?}"), "OtcToken([redacted])");
        assert_eq!(otc.expose_secret(), canary);
    }

    #[test]
    fn codes_are_trimmed_and_checked() {
        assert_eq!(
            VerificationCode::parse(" 123456\n").unwrap().expose_secret(),
            "123456"
        );
        assert_eq!(
            VerificationCode::parse("\u{200f}123\u{200b}456\u{feff}")
                .unwrap()
                .expose_secret(),
            "123456"
        );
        for bad in [
            "",
            "   ",
            "\t\n",
            "12 34",
            "12\u{0}34",
            &"1".repeat(65),
            "١٢٣٤٥٦",
            "12😀34",
            "\u{200b}",
        ] {
            let err = VerificationCode::parse(bad).unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{bad:?}");
            if !bad.trim().is_empty() {
                assert!(!err.to_string().contains(bad.trim()));
            }
        }
    }

    #[test]
    fn tokens_are_checked() {
        assert!(AccessToken::new("").is_err());
        assert!(AccessToken::new("a b").is_err());
        assert!(AccessToken::new("abc\r\ndef").is_err());
        assert!(OtcToken::new(" ").is_err());
        assert!(VendorSecret::new("").is_err());
        assert!(OtcToken::new("x".repeat(MAX_SECRET_LEN + 1)).is_err());
    }
}
