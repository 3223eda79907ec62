//! Every parameter the client sends exists on its operation in Twilio's
//! OpenAPI description (`tests/data/twilio_operations.json`, the three
//! operations extracted from twilio_api_v2010.json; source and sha256 inside).

use std::time::Duration;

use hotline_domain::PhoneNumber;
use hotline_domain::routing::model::CallSid;
use hotline_twilio::Credentials;
use serde_json::Value;

use crate::fake_twilio::FakeTwilio;
use crate::rest_client::outbound_call;

const OPERATIONS: &str = include_str!("../data/twilio_operations.json");

fn operation(name: &str) -> Value {
    let spec: Value = serde_json::from_str(OPERATIONS).unwrap_or_else(|e| panic!("{e}"));
    spec["operations"][name].clone()
}

pub fn check(name: &str, form: &[(String, String)]) {
    let op = operation(name);
    let properties = op["properties"].as_object().cloned().unwrap_or_default();
    assert!(
        !properties.is_empty(),
        "{name} has no properties in the fixture"
    );
    for (key, _) in form {
        assert!(
            properties.contains_key(key),
            "{key} is not a parameter of {name}"
        );
    }
    let repeated: Vec<&String> = form
        .iter()
        .map(|(k, _)| k)
        .filter(|k| form.iter().filter(|(other, _)| other == *k).count() > 1)
        .collect();
    for key in repeated {
        assert_eq!(
            properties[key]["type"], "array",
            "{key} repeats but is not a list in {name}"
        );
    }
    for required in op["required"].as_array().cloned().unwrap_or_default() {
        let required = required.as_str().unwrap_or_default();
        assert!(
            form.iter().any(|(k, _)| k == required),
            "{name} requires {required}"
        );
    }
}

#[tokio::test]
async fn every_sent_parameter_is_in_twilios_description() {
    let fake = FakeTwilio::start().await;
    let client = fake.client_with(
        Credentials::AuthToken("t".to_owned()),
        0.0,
        Duration::from_secs(2),
    );
    let phone = |t: &str| PhoneNumber::parse(t).unwrap_or_else(|e| panic!("{e}"));
    assert!(client.create_call(&outbound_call()).await.is_ok());
    assert!(
        client
            .update_call_status(&CallSid("CA1".into()), "canceled")
            .await
            .is_ok()
    );
    fake.script([crate::fake_twilio::Answer::status(201, r#"{"sid": "SM1"}"#)]);
    assert!(
        client
            .create_message(&phone("+15875550100"), &phone("+17805550101"), "hi")
            .await
            .is_ok()
    );
    let received = fake.received();
    check("CreateCall", &received[0].form);
    check("UpdateCall", &received[1].form);
    check("CreateMessage", &received[2].form);
}
