//! Phone numbers: E.164 parsing and masking.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// How many trailing digits a masked phone number keeps.
const VISIBLE_DIGITS: usize = 2;
/// Input longer than this is refused before it is scanned.
const MAX_INPUT_LEN: usize = 64;

/// A phone number in E.164 form (`+` then 7 to 15 digits, the first not 0).
///
/// Built only by [`PhoneNumber::parse`], which accepts the usual international
/// spellings and normalises them. Phone numbers are personal data: `Debug` and
/// [`masked`](Self::masked) show only the last two digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PhoneNumber(Box<str>);

/// Why a phone number was refused. Never contains the number itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PhoneNumberError {
    /// Nothing but white space was given.
    #[error("phone number is empty")]
    Empty,
    /// The number does not start with `+` (or `00`).
    #[error("phone number must be in international format, starting with + and the country code")]
    NotInternational,
    /// A character that is neither a digit nor a separator (space, `-`, `.`, `(`, `)`).
    #[error(
        "phone number has an invalid character at position {position}: only digits, spaces, '-', '.', '(' and ')' may follow the leading +"
    )]
    InvalidCharacter {
        /// The 0-based character position in the input.
        position: usize,
    },
    /// Fewer than 7 digits.
    #[error("phone number has {digits} digits; E.164 needs 7 to 15")]
    TooShort {
        /// How many digits were found.
        digits: usize,
    },
    /// More than 15 digits, or an input far too long to be a phone number.
    #[error("phone number is too long; E.164 allows at most 15 digits")]
    TooLong,
    /// The country code starts with 0.
    #[error("phone number's country code cannot start with 0")]
    LeadingZero,
}

impl PhoneNumber {
    /// Parses an international phone number and normalises it to E.164.
    ///
    /// Spaces, dashes, dots and parentheses are dropped; a leading `00` is read
    /// as `+`. Anything else is refused with an error that says what is wrong.
    ///
    /// ```
    /// use frontegg_identity_core::PhoneNumber;
    /// let number = PhoneNumber::parse("+1 (415) 555-0100").unwrap();
    /// assert_eq!(number.as_str(), "+14155550100");
    /// assert!(PhoneNumber::parse("415 555 0100").is_err());
    /// ```
    pub fn parse(input: &str) -> Result<Self, PhoneNumberError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneNumberError::Empty);
        }
        if trimmed.len() > MAX_INPUT_LEN {
            return Err(PhoneNumberError::TooLong);
        }
        let (rest, offset) = if let Some(rest) = trimmed.strip_prefix('+') {
            (rest, 1)
        } else if let Some(rest) = trimmed.strip_prefix("00") {
            (rest, 2)
        } else {
            return Err(PhoneNumberError::NotInternational);
        };
        let mut out = String::with_capacity(16);
        out.push('+');
        let mut digits = 0usize;
        for (position, ch) in rest.chars().enumerate() {
            match ch {
                '0'..='9' => {
                    if digits == 0 && ch == '0' {
                        return Err(PhoneNumberError::LeadingZero);
                    }
                    digits += 1;
                    if digits > 15 {
                        return Err(PhoneNumberError::TooLong);
                    }
                    out.push(ch);
                }
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => {
                    return Err(PhoneNumberError::InvalidCharacter {
                        position: position + offset,
                    });
                }
            }
        }
        if digits < 7 {
            return Err(PhoneNumberError::TooShort { digits });
        }
        Ok(Self(out.into_boxed_str()))
    }

    /// The number in E.164 form. It is personal data: do not log it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but its last two digits hidden, for logs.
    #[must_use]
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", mask_phone(&self.0))
    }
}

impl std::str::FromStr for PhoneNumber {
    type Err = PhoneNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl<'de> Deserialize<'de> for PhoneNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// A phone number as Frontegg stored it, which may not be E.164.
///
/// Listing never fails because of an odd stored number. `Debug` masks it.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct StoredPhoneNumber(String);

impl StoredPhoneNumber {
    /// The number as stored. It is personal data: do not log it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The stored number parsed as E.164, if it is one.
    pub fn parse(&self) -> Result<PhoneNumber, PhoneNumberError> {
        PhoneNumber::parse(&self.0)
    }

    /// The number with all but its last two digits hidden.
    #[must_use]
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

impl From<String> for StoredPhoneNumber {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<PhoneNumber> for StoredPhoneNumber {
    fn from(value: PhoneNumber) -> Self {
        Self(value.0.into())
    }
}

impl fmt::Debug for StoredPhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoredPhoneNumber({})", mask_phone(&self.0))
    }
}

/// Hides every digit of `number` but the last two: `+14155550100` becomes
/// `+*********00`. Characters that are not digits are kept.
#[must_use]
pub fn mask_phone(number: &str) -> String {
    let total = number.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0usize;
    number
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen + VISIBLE_DIGITS > total { c } else { '*' }
            } else if c.is_control() {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// Masks every run of 7 or more digits in free text (server messages, body
/// excerpts), so a phone number echoed by a server never reaches a log.
#[must_use]
pub fn scrub_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let digits = run.chars().filter(char::is_ascii_digit).count();
        if digits >= 7 {
            out.push_str(&mask_phone(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit()
            || (c == '+' && run.is_empty())
            || (!run.is_empty() && matches!(c, ' ' | '-' | '.' | '(' | ')'))
        {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(if c.is_control() && c != '\n' { ' ' } else { c });
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Masks the personal data servers echo in free text: phone numbers (as
/// [`scrub_digits`]) and e-mail addresses (all of the local part but its
/// first character: `jane@example.com` becomes `j***@example.com`).
#[must_use]
pub fn scrub_personal_data(text: &str) -> String {
    let text = scrub_digits(text);
    if !text.contains('@') {
        return text;
    }
    let is_local = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find('@') {
        let (before, after) = rest.split_at(at);
        let local_start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_local(*c))
            .last()
            .map_or(before.len(), |(i, _)| i);
        let local = &before[local_start..];
        out.push_str(&before[..local_start]);
        if let Some(first) = local.chars().next() {
            out.push(first);
            out.push_str("***");
        }
        out.push('@');
        rest = &after[1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_scrubbed() {
        assert_eq!(
            scrub_personal_data("user jane.doe+x@example.com (+1 415 555 0100) @ home"),
            "user j***@example.com (+* *** *** **00) @ home"
        );
        assert_eq!(scrub_personal_data("no data here"), "no data here");
    }

    #[test]
    fn valid_numbers_normalise() {
        let cases = [
            ("+14155550100", "+14155550100"),
            ("+1 415 555 0100", "+14155550100"),
            ("+1 (415) 555-0100", "+14155550100"),
            ("+44 20 7946 0958", "+442079460958"),
            ("+33.1.23.45.67.89", "+33123456789"),
            ("  +972-54-123-4567 ", "+972541234567"),
            ("0044 20 7946 0958", "+442079460958"),
            ("+1234567", "+1234567"),
            ("+123456789012345", "+123456789012345"),
        ];
        for (input, expected) in cases {
            assert_eq!(PhoneNumber::parse(input).unwrap().as_str(), expected, "{input}");
        }
    }

    #[test]
    fn invalid_numbers_are_typed() {
        use PhoneNumberError::*;
        let cases: &[(&str, PhoneNumberError)] = &[
            ("", Empty),
            ("   ", Empty),
            ("4155550100", NotInternational),
            ("(415) 555-0100", NotInternational),
            ("0 415 555 0100", NotInternational),
            ("+", TooShort { digits: 0 }),
            ("+123456", TooShort { digits: 6 }),
            ("+1234567890123456", TooLong),
            ("+0123456789", LeadingZero),
            ("0001234567", LeadingZero),
            ("+1 415 555 0100 ext 5", InvalidCharacter { position: 16 }),
            ("+1-415-555-O100", InvalidCharacter { position: 11 }),
            ("+1 415 555 0100\u{0}", InvalidCharacter { position: 15 }),
            ("+1 415\u{202e}5550100", InvalidCharacter { position: 6 }),
            ("+1 415 😀 5550100", InvalidCharacter { position: 7 }),
            ("++14155550100", InvalidCharacter { position: 1 }),
            ("+1/415/5550100", InvalidCharacter { position: 2 }),
            ("+1\t415\t5550100", InvalidCharacter { position: 2 }),
            ("+١٤١٥٥٥٥٠١٠٠", InvalidCharacter { position: 1 }),
            ("tel:+14155550100", NotInternational),
        ];
        for (input, expected) in cases {
            assert_eq!(PhoneNumber::parse(input), Err(*expected), "{input:?}");
        }
        let huge = format!("+1{}", "5".repeat(10 * 1024 * 1024));
        assert_eq!(PhoneNumber::parse(&huge), Err(TooLong));
    }

    #[test]
    fn errors_never_echo_the_number() {
        for input in [
            "+1 415 555 0100 x",
            "4155550100",
            "+04155550100",
            "+1415555010099999",
        ] {
            let err = PhoneNumber::parse(input).unwrap_err().to_string();
            assert!(!err.contains("415"), "{err}");
        }
    }

    #[test]
    fn masking() {
        let n = PhoneNumber::parse("+14155550100").unwrap();
        assert_eq!(n.masked(), "+*********00");
        assert_eq!(format!("{n:?}"), "PhoneNumber(+*********00)");
        assert_eq!(
            format!("{:?}", StoredPhoneNumber::from("555-0100".to_owned())),
            "StoredPhoneNumber(***-**00)"
        );
        assert_eq!(
            scrub_digits("number +1 415 555 0100 exists, code 1234"),
            "number +* *** *** **00 exists, code 1234"
        );
    }
}
