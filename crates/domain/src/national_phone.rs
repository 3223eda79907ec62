//! Phone numbers as people type them: `(780) 555-0142`, `780.555.0142`,
//! `020 7946 0018`, read in the country of a number the business already
//! has (its Twilio number), and shown back the way that country writes
//! them. Hotline still stores and sends E.164 only.
//!
//! National numbers are read only where the rule is known: North America
//! (ten digits, an optional leading 1) and the countries of
//! [`TRUNK_ZERO_CODES`], whose national numbers start with a 0 that E.164
//! leaves out. Elsewhere (Italy keeps its 0, Spain has none) a number
//! must be typed with `+` or `00` and its country code.

use crate::phone::{PhoneNumber, PhoneNumberError};

/// The two-digit country calling codes (ITU-T E.164 assignments); `1` and
/// `7` are the one-digit codes and every other code has three digits.
const TWO_DIGIT_CODES: [&str; 44] = [
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
    "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65",
    "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
];

/// Countries whose national numbers start with a trunk `0` dropped in
/// E.164: the United Kingdom, Ireland, Australia, New Zealand, Germany,
/// France, the Netherlands, Belgium, Switzerland, Austria, Sweden,
/// Finland, South Africa, India, Japan and South Korea.
pub const TRUNK_ZERO_CODES: [&str; 16] = [
    "44", "353", "61", "64", "49", "33", "31", "32", "41", "43", "46", "358", "27", "91", "81",
    "82",
];

impl PhoneNumber {
    /// The country calling code of the number, without `+` (`1`, `44`, `353`).
    pub fn calling_code(&self) -> &str {
        let digits = &self.as_str()[1..];
        if digits.starts_with('1') || digits.starts_with('7') {
            &digits[..1]
        } else if TWO_DIGIT_CODES.iter().any(|code| digits.starts_with(code)) {
            &digits[..2]
        } else {
            &digits[..3.min(digits.len())]
        }
    }

    /// Reads a number as typed in the country of `home`: E.164 as it is;
    /// `00` or `011` then the country code (international prefixes); else a
    /// national number of North America or of [`TRUNK_ZERO_CODES`] (its
    /// trunk `0` dropped).
    /// Spaces, dots, dashes and parentheses are ignored.
    ///
    /// # Errors
    ///
    /// The [`PhoneNumberError`] of the E.164 number it makes, or `NotDigits`
    /// when something else than a digit or those separators was typed;
    /// `MissingPlus` for a national number of a country whose rule is not
    /// known.
    ///
    /// # Example
    ///
    /// ```
    /// use hotline_domain::PhoneNumber;
    ///
    /// let home = PhoneNumber::parse("+15875550100")?;
    /// let typed = PhoneNumber::parse_in_country_of("(780) 555-0142", &home)?;
    /// assert_eq!(typed.as_str(), "+17805550142");
    /// # Ok::<(), hotline_domain::PhoneNumberError>(())
    /// ```
    pub fn parse_in_country_of(input: &str, home: &Self) -> Result<Self, PhoneNumberError> {
        let trimmed = input.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' | '(' | ')' | '/' | '\u{a0}' => {}
                _ => return Err(PhoneNumberError::NotDigits(input.to_owned())),
            }
        }
        let code = home.calling_code();
        let international = if plus {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_owned()
        } else if code == "1" {
            match digits.strip_prefix("011") {
                Some(rest) => rest.to_owned(),
                // North American numbers have ten digits after the 1.
                None if digits.len() == 11 && digits.starts_with('1') => digits,
                None if digits.len() == 10 => format!("1{digits}"),
                None => return Err(PhoneNumberError::BadLength(input.to_owned())),
            }
        } else if let Some(national) = digits
            .strip_prefix('0')
            .filter(|_| TRUNK_ZERO_CODES.contains(&code))
        {
            format!("{code}{national}")
        } else {
            return Err(PhoneNumberError::MissingPlus(input.to_owned()));
        };
        Self::parse(&format!("+{international}"))
    }

    /// The number as written at home when it shares `home`'s country
    /// (`(780) 555-0142` in North America, `0` then the number in the
    /// countries of [`TRUNK_ZERO_CODES`]), else in E.164.
    pub fn national_format(&self, home: &Self) -> String {
        let code = self.calling_code();
        if code != home.calling_code() {
            return self.as_str().to_owned();
        }
        let national = &self.as_str()[1 + code.len()..];
        if code == "1" && national.len() == 10 {
            format!(
                "({}) {}-{}",
                &national[..3],
                &national[3..6],
                &national[6..]
            )
        } else if TRUNK_ZERO_CODES.contains(&code) {
            format!("0{national}")
        } else {
            self.as_str().to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home(number: &str) -> PhoneNumber {
        PhoneNumber::parse(number).expect("a home number")
    }

    fn read(input: &str, at: &str) -> Result<String, PhoneNumberError> {
        PhoneNumber::parse_in_country_of(input, &home(at)).map(|p| p.as_str().to_owned())
    }

    #[test]
    fn north_american_numbers_as_people_type_them() {
        for typed in [
            "(780) 555-0142",
            "780-555-0142",
            "780.555.0142",
            "7805550142",
            "1 780 555 0142",
            "+1 (780) 555-0142",
            "+17805550142",
        ] {
            assert_eq!(
                read(typed, "+15875550100").as_deref(),
                Ok("+17805550142"),
                "{typed}"
            );
        }
        assert_eq!(
            read("011 44 20 7946 0018", "+15875550100").as_deref(),
            Ok("+442079460018")
        );
    }

    #[test]
    fn other_countries_drop_the_trunk_zero() {
        assert_eq!(
            read("020 7946 0018", "+442079460999").as_deref(),
            Ok("+442079460018")
        );
        assert_eq!(
            read("0044 20 7946 0018", "+353151234567").as_deref(),
            Ok("+442079460018")
        );
        assert_eq!(
            read("01 234 5678", "+35312345670").as_deref(),
            Ok("+35312345678")
        );
    }

    #[test]
    fn countries_without_a_known_trunk_rule_need_the_country_code() {
        // Italy keeps its 0 (+39 06…), Spain has none: a national number
        // could be read wrong, so it is refused rather than guessed.
        assert!(read("06 1234 5678", "+390612345000").is_err());
        assert!(read("612 345 678", "+34612345000").is_err());
        assert_eq!(
            read("+39 06 1234 5678", "+390612345000").as_deref(),
            Ok("+390612345678")
        );
        assert_eq!(
            read("0039 06 1234 5678", "+34612345000").as_deref(),
            Ok("+390612345678")
        );
        let italy = home("+390612345000");
        assert_eq!(
            home("+390612345678").national_format(&italy),
            "+390612345678"
        );
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        assert!(read("call me", "+15875550100").is_err());
        assert!(
            read("555-0142", "+15875550100").is_err(),
            "seven digits and +1 is too short"
        );
        assert!(
            read("(780) 555–0142", "+15875550100").is_err(),
            "an en dash"
        );
        assert!(read("", "+15875550100").is_err());
    }

    #[test]
    fn calling_codes_of_one_two_and_three_digits() {
        assert_eq!(home("+17805550142").calling_code(), "1");
        assert_eq!(home("+74951234567").calling_code(), "7");
        assert_eq!(home("+442079460018").calling_code(), "44");
        assert_eq!(home("+35312345678").calling_code(), "353");
    }

    #[test]
    fn numbers_shown_as_written_at_home() {
        let canada = home("+15875550100");
        assert_eq!(
            home("+17805550142").national_format(&canada),
            "(780) 555-0142"
        );
        assert_eq!(
            home("+442079460018").national_format(&canada),
            "+442079460018"
        );
        let uk = home("+442079460999");
        assert_eq!(home("+442079460018").national_format(&uk), "02079460018");
    }
}
