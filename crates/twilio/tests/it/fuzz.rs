//! Fuzzing with proptest: the signature check and the webhook form parser
//! take any input without panicking, and the signature check still tells a
//! genuine request from a changed one.

use hotline_twilio::signature::{expected_signature, is_valid};
use hotline_twilio::webhook::{FormParams, inbound_sms, leg_status};
use proptest::prelude::*;

fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((".{0,12}", ".{0,40}"), 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn any_header_is_checked_without_panicking(
        token in ".{0,40}",
        url in ".{0,80}",
        params in params(),
        header in prop::option::of(".{0,60}"),
    ) {
        let _ = is_valid(&token, &url, &params, header.as_deref());
    }

    #[test]
    fn a_genuine_signature_passes_and_a_changed_value_fails(
        token in "[ -~]{1,40}",
        path in "[a-z/]{0,30}",
        params in params(),
        extra in "[a-z]{1,10}",
    ) {
        let url = format!("https://hotline.example.com/{path}");
        let signature = expected_signature(&token, &url, &params);
        prop_assert!(is_valid(&token, &url, &params, Some(&signature)));
        let mut changed = params.clone();
        changed.push(("Body".to_owned(), extra));
        prop_assert!(!is_valid(&token, &url, &changed, Some(&signature)));
        let other_token = format!("{}x", token);
        prop_assert!(!is_valid(&other_token, &url, &params, Some(&signature)));
    }

    #[test]
    fn any_form_body_is_parsed_without_panicking(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let form = FormParams::parse(&body);
        let _ = inbound_sms(&form);
        let _ = leg_status(&form);
    }

    #[test]
    fn any_field_values_are_read_or_refused_by_name(
        from in ".{0,20}",
        to in ".{0,20}",
        sid in ".{0,40}",
        status in ".{0,12}",
        sequence in ".{0,6}",
        duration in ".{0,6}",
    ) {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("MessageSid", sid.as_str()),
                ("From", from.as_str()),
                ("To", to.as_str()),
                ("Body", "hi"),
                ("CallSid", sid.as_str()),
                ("CallStatus", status.as_str()),
                ("SequenceNumber", sequence.as_str()),
                ("CallDuration", duration.as_str()),
            ])
            .finish();
        let form = FormParams::parse(body.as_bytes());
        match inbound_sms(&form) {
            Ok(sms) => prop_assert!(sms.from.as_str().starts_with('+')),
            Err(error) => prop_assert!(["MessageSid", "From", "To", "Body"].contains(&error.field)),
        }
        if let Err(error) = leg_status(&form) {
            prop_assert!(["CallSid", "CallStatus", "SequenceNumber", "CallDuration", "AnsweredBy"].contains(&error.field));
        }
    }
}
