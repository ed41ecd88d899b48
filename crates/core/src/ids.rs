//! Identifiers: users, tenants and phone-number records.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, InvalidInput};

const MAX_ID_LEN: usize = 256;

fn check_id(field: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(InvalidInput::new(field, "must not be empty").into());
    }
    if value.len() > MAX_ID_LEN {
        return Err(InvalidInput::new(field, "is longer than 256 bytes").into());
    }
    if value.chars().any(char::is_control) {
        return Err(InvalidInput::new(field, "must not contain control characters").into());
    }
    if value == "." || value == ".." {
        return Err(InvalidInput::new(field, "cannot be '.' or '..'").into());
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident, $field:literal) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Checks and wraps an identifier: it must be 1 to 256 bytes, with
            /// no control characters, and not `.` or `..`. Any other character
            /// is allowed: it is percent-encoded into a single path segment.
            pub fn new(id: impl Into<String>) -> Result<Self, Error> {
                let id = id.into();
                check_id($field, &id)?;
                Ok(Self(id))
            }

            /// The identifier as text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Checks an identifier that came from a server before it is put in a path.
            #[allow(dead_code, reason = "not every id type is put in a path")]
            pub(crate) fn checked(&self) -> Result<&str, Error> {
                check_id($field, &self.0)?;
                Ok(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({:?})"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// A Frontegg user id.
    UserId,
    "user id"
);
id_type!(
    /// A Frontegg tenant (account) id.
    TenantId,
    "tenant id"
);
id_type!(
    /// The id of a phone-number record.
    PhoneNumberId,
    "phone number id"
);
id_type!(
    /// The id of an MFA device (for SMS, a phone's `id` in `mfaDevices`).
    DeviceId,
    "device id"
);
id_type!(
    /// An SMS template's type (a free string: Frontegg publishes no list).
    TemplateType,
    "template type"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert!(UserId::new("u-1").is_ok());
        assert!(UserId::new("a/b?c#d%2F..").is_ok());
        for bad in ["", ".", "..", "a\nb", "\u{0}"] {
            assert!(UserId::new(bad).is_err(), "{bad:?}");
        }
        assert!(PhoneNumberId::new("x".repeat(257)).is_err());
        assert_eq!(format!("{:?}", TenantId::new("t").unwrap()), "TenantId(\"t\")");
    }
}
