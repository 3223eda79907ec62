//! E.164 phone numbers.
//!
//! Every phone number inside Hotline (a lead, a team member, a client's
//! Twilio number) is a [`PhoneNumber`]: a `+`, a country code and subscriber
//! number, 7 to 15 digits in all, with no spaces or punctuation. That is the
//! form Twilio sends and expects, so two numbers are equal exactly when their
//! strings are.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a string is not an E.164 phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneNumberError {
    /// The string does not start with `+`.
    #[error("phone number must start with + and the country code (E.164), got {0:?}")]
    MissingPlus(String),
    /// Something other than a digit follows the `+`.
    #[error("phone number may contain only digits after the +, got {0:?}")]
    NotDigits(String),
    /// Too few or too many digits, or a leading zero in the country code.
    #[error("phone number must have 7 to 15 digits and no leading 0 (E.164), got {0:?}")]
    BadLength(String),
}

/// A phone number in E.164 form, such as `+14155550123`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Parses an E.164 number.
    ///
    /// # Errors
    ///
    /// Returns a [`PhoneNumberError`] naming what is wrong when `input` is not
    /// exactly `+` followed by 7 to 15 digits, the first not `0`.
    ///
    /// # Example
    ///
    /// ```
    /// use hotline_domain::PhoneNumber;
    ///
    /// let lead = PhoneNumber::parse("+14035550142")?;
    /// assert_eq!(lead.as_str(), "+14035550142");
    /// assert!(PhoneNumber::parse("(403) 555-0142").is_err());
    /// assert!(PhoneNumber::parse("+0123456789").is_err());
    /// # Ok::<(), hotline_domain::PhoneNumberError>(())
    /// ```
    pub fn parse(input: &str) -> Result<Self, PhoneNumberError> {
        let Some(digits) = input.strip_prefix('+') else {
            return Err(PhoneNumberError::MissingPlus(input.to_owned()));
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PhoneNumberError::NotDigits(input.to_owned()));
        }
        if !(7..=15).contains(&digits.len()) || digits.starts_with('0') {
            return Err(PhoneNumberError::BadLength(input.to_owned()));
        }
        Ok(Self(input.to_owned()))
    }

    /// The number as an E.164 string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with all but its last four digits hidden, for logs.
    pub fn redacted(&self) -> String {
        let keep = self.0.len().saturating_sub(4);
        format!("+…{}", &self.0[keep..])
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for PhoneNumber {
    type Err = PhoneNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for PhoneNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PhoneNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_e164_numbers() {
        for ok in [
            "+14155550123",
            "+447911123456",
            "+6831234",
            "+123456789012345",
        ] {
            assert_eq!(
                PhoneNumber::parse(ok).map(|p| p.to_string()),
                Ok(ok.to_owned())
            );
        }
    }

    #[test]
    fn rejects_everything_else_with_the_reason() {
        type Expected = fn(String) -> PhoneNumberError;
        let cases: &[(&str, Expected)] = &[
            ("14155550123", PhoneNumberError::MissingPlus),
            ("", PhoneNumberError::MissingPlus),
            ("+1 415 555 0123", PhoneNumberError::NotDigits),
            ("+1-415-555-0123", PhoneNumberError::NotDigits),
            ("+", PhoneNumberError::BadLength),
            ("+123456", PhoneNumberError::BadLength),
            ("+1234567890123456", PhoneNumberError::BadLength),
            ("+0123456789", PhoneNumberError::BadLength),
        ];
        for (input, expected) in cases {
            assert_eq!(
                PhoneNumber::parse(input),
                Err(expected((*input).to_owned())),
                "{input}"
            );
        }
    }

    #[test]
    fn redaction_keeps_only_the_last_four_digits() {
        let phone = PhoneNumber::parse("+14155550123").map(|p| p.redacted());
        assert_eq!(phone, Ok("+…0123".to_owned()));
    }

    #[test]
    fn serde_round_trips_and_validates() {
        let phone: PhoneNumber = serde_json::from_str("\"+14155550123\"").unwrap_or_else(|e| {
            panic!("valid number rejected: {e}");
        });
        assert_eq!(
            serde_json::to_string(&phone).ok().as_deref(),
            Some("\"+14155550123\"")
        );
        assert!(serde_json::from_str::<PhoneNumber>("\"555-0123\"").is_err());
    }
}
