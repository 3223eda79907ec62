//! Parsing Twilio's webhook forms into domain events.
//!
//! A form is kept as the full list of its parameters (unknown ones and
//! repeats included), because the signature covers all of them; the
//! parsers then pick the fields they need and name the first that is
//! missing or malformed.

use hotline_domain::PhoneNumber;
use hotline_domain::routing::InboundSms;
use hotline_domain::routing::model::{CallSid, LegStatus, LegUpdate, MessageSid};

/// The longest SMS body accepted (Twilio concatenates up to 1600 characters).
pub const MAX_BODY_CHARS: usize = 1600;

/// A webhook form field is missing or malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct WebhookError {
    /// The form field at fault.
    pub field: &'static str,
    /// What is wrong.
    pub problem: String,
}

/// Every parameter of a form-encoded webhook body, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormParams(pub Vec<(String, String)>);

impl FormParams {
    /// Decodes an `application/x-www-form-urlencoded` body.
    pub fn parse(body: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn required(&self, key: &'static str) -> Result<&str, WebhookError> {
        self.get(key).filter(|v| !v.is_empty()).ok_or(WebhookError {
            field: key,
            problem: "missing".to_owned(),
        })
    }

    fn phone(&self, key: &'static str) -> Result<PhoneNumber, WebhookError> {
        PhoneNumber::parse(self.required(key)?).map_err(|e| WebhookError {
            field: key,
            problem: e.to_string(),
        })
    }

    fn number(&self, key: &'static str) -> Result<Option<u32>, WebhookError> {
        self.get(key)
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse::<u32>().map_err(|_| WebhookError {
                    field: key,
                    problem: format!("{v:?} is not a whole number"),
                })
            })
            .transpose()
    }
}

/// Reads an inbound-SMS webhook (`MessageSid`, `From`, `To`, `Body`).
///
/// # Errors
///
/// [`WebhookError`] naming the first missing or malformed field.
pub fn inbound_sms(form: &FormParams) -> Result<InboundSms, WebhookError> {
    let sid = form
        .required("MessageSid")
        .or_else(|missing| form.required("SmsSid").map_err(|_| missing))?;
    if sid.len() > 64 || !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(WebhookError {
            field: "MessageSid",
            problem: "not a message sid".to_owned(),
        });
    }
    let body = form.get("Body").unwrap_or_default();
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(WebhookError {
            field: "Body",
            problem: format!("longer than {MAX_BODY_CHARS} characters"),
        });
    }
    Ok(InboundSms {
        sid: MessageSid(sid.to_owned()),
        from: form.phone("From")?,
        to: form.phone("To")?,
        body: body.to_owned(),
    })
}

/// Reads a voice status callback (`CallSid`, `CallStatus`, `SequenceNumber`,
/// `CallDuration`, `AnsweredBy`).
///
/// # Errors
///
/// [`WebhookError`] naming the first missing or malformed field.
pub fn leg_status(form: &FormParams) -> Result<(CallSid, LegUpdate), WebhookError> {
    let sid = form.required("CallSid")?;
    let status_text = form.required("CallStatus")?;
    let status = call_status(status_text).ok_or_else(|| WebhookError {
        field: "CallStatus",
        problem: format!("unknown status {status_text:?}"),
    })?;
    let update = LegUpdate {
        status,
        sequence: form.number("SequenceNumber")?,
        answered_by: form
            .get("AnsweredBy")
            .filter(|v| !v.is_empty())
            .map(str::to_owned),
        duration_seconds: form.number("CallDuration")?,
    };
    Ok((CallSid(sid.to_owned()), update))
}

/// Twilio's `CallStatus` as a leg state.
pub fn call_status(value: &str) -> Option<LegStatus> {
    Some(match value {
        "queued" => LegStatus::Queued,
        "initiated" => LegStatus::Initiated,
        "ringing" => LegStatus::Ringing,
        "in-progress" | "answered" => LegStatus::InProgress,
        "completed" => LegStatus::Completed,
        "busy" => LegStatus::Busy,
        "no-answer" => LegStatus::NoAnswer,
        "failed" => LegStatus::Failed,
        "canceled" => LegStatus::Canceled,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_inbound_sms_keeping_unknown_parameters() {
        let form = FormParams::parse(
            b"ToCountry=CA&MessageSid=SM123&From=%2B14035550142&To=%2B15875550100&Body=Leak+%26+flood&NumMedia=0",
        );
        assert_eq!(form.0.len(), 6);
        let sms = inbound_sms(&form).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sms.body, "Leak & flood");
        assert_eq!(sms.from.as_str(), "+14035550142");
    }

    #[test]
    fn names_the_bad_field() {
        let cases: &[(&[u8], &str)] = &[
            (b"From=%2B14035550142&To=%2B15875550100", "MessageSid"),
            (b"MessageSid=SM1&From=4035550142&To=%2B15875550100", "From"),
            (b"MessageSid=SM1&From=%2B14035550142", "To"),
            (
                b"MessageSid=SM%3Cx%3E&From=%2B14035550142&To=%2B15875550100",
                "MessageSid",
            ),
        ];
        for (body, field) in cases {
            assert_eq!(
                inbound_sms(&FormParams::parse(body)).err().map(|e| e.field),
                Some(*field)
            );
        }
    }

    #[test]
    fn parses_status_callbacks() {
        let form = FormParams::parse(
            b"CallSid=CA1&CallStatus=no-answer&SequenceNumber=3&CallDuration=0&AnsweredBy=",
        );
        let (sid, update) = leg_status(&form).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sid.0, "CA1");
        assert_eq!(update.status, LegStatus::NoAnswer);
        assert_eq!(update.sequence, Some(3));
        assert_eq!(update.answered_by, None);
        let bad = FormParams::parse(b"CallSid=CA1&CallStatus=exploded");
        assert_eq!(leg_status(&bad).err().map(|e| e.field), Some("CallStatus"));
        let bad_seq = FormParams::parse(b"CallSid=CA1&CallStatus=ringing&SequenceNumber=x");
        assert_eq!(
            leg_status(&bad_seq).err().map(|e| e.field),
            Some("SequenceNumber")
        );
    }
}
