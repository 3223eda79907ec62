//! Checks on administrative input, naming the field.

use crate::routing::model::RingStrategyKind;
use crate::{PhoneNumber, TimeZoneName};

use super::Invalid;

/// Longest accepted name, reason or reply text, in characters.
pub const MAX_TEXT: usize = 500;

/// Whether `text` holds a control character other than tab, line feed and
/// carriage return (NUL, escape, DEL…).
pub fn has_control_characters(text: &str) -> bool {
    text.chars().any(is_forbidden_control)
}

/// `text` without control characters other than tab, line feed and
/// carriage return; for what Twilio sends, which is stored, never refused.
pub fn strip_control_characters(text: &str) -> std::borrow::Cow<'_, str> {
    if has_control_characters(text) {
        std::borrow::Cow::Owned(text.chars().filter(|c| !is_forbidden_control(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// A name, reason or reply: trimmed, 1 to [`MAX_TEXT`] characters, no
/// control characters.
pub(crate) fn text(field: &str, value: &str) -> Result<String, Invalid> {
    if has_control_characters(value) {
        return Err(Invalid::new(
            field,
            "control_characters",
            "must not contain control characters",
        ));
    }
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.chars().count() > MAX_TEXT {
        return Err(Invalid::new(
            field,
            "invalid_text",
            format!("must be 1 to {MAX_TEXT} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// An E.164 phone number.
pub(super) fn phone(field: &str, value: &str) -> Result<PhoneNumber, Invalid> {
    if has_control_characters(value) {
        return Err(Invalid::new(
            field,
            "control_characters",
            "must not contain control characters",
        ));
    }
    PhoneNumber::parse(value).map_err(|e| Invalid::new(field, "invalid_phone", e.to_string()))
}

/// A ring strategy's name.
pub(super) fn ring_strategy(field: &str, value: &str) -> Result<RingStrategyKind, Invalid> {
    RingStrategyKind::parse(value).ok_or_else(|| {
        Invalid::new(
            field,
            "unknown_ring_strategy",
            "must be simultaneous, lead_first, sequential or tiered",
        )
    })
}

/// A whole number within `range`.
pub(super) fn within(
    field: &str,
    value: i64,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, Invalid> {
    u32::try_from(value)
        .ok()
        .filter(|v| range.contains(v))
        .ok_or_else(|| {
            Invalid::new(
                field,
                "out_of_range",
                format!("must be {} to {}", range.start(), range.end()),
            )
        })
}

/// An IANA time zone name.
pub(super) fn timezone(field: &str, value: &str) -> Result<TimeZoneName, Invalid> {
    TimeZoneName::parse(value).map_err(|e| Invalid::new(field, "unknown_timezone", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_in_input_and_stripped_from_twilio_fields() {
        assert!(text("name", "Acme\u{0}").is_err_and(|e| e.code == "control_characters"));
        assert!(text("name", "Acme\u{1b}[31m").is_err());
        assert_eq!(
            text("name", "  Acme\tRoofing \n").ok().as_deref(),
            Some("Acme\tRoofing")
        );
        assert_eq!(strip_control_characters("le\u{0}ak\u{7f}\n"), "leak\n");
        assert!(matches!(
            strip_control_characters("fine"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert!(text("name", "   ").is_err_and(|e| e.field == "name" && e.code == "invalid_text"));
        assert!(text("name", &"x".repeat(MAX_TEXT + 1)).is_err());
        assert!(text("name", &"é".repeat(MAX_TEXT)).is_ok());
    }
}
