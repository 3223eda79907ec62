//! The REST client's requests, errors, retries, timeouts and pacing.

use std::time::Duration;

use base64::Engine;
use hotline_domain::PhoneNumber;
use hotline_domain::routing::model::{CallAttemptId, CallSid};
use hotline_domain::routing::ports::{OutboundCall, Telephony, TelephonyError};
use hotline_twilio::{Credentials, TwilioError};

use crate::fake_twilio::{Answer, FakeTwilio};

fn phone(text: &str) -> PhoneNumber {
    PhoneNumber::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

pub fn outbound_call() -> OutboundCall {
    let attempt = CallAttemptId(uuid_like());
    OutboundCall {
        to: phone("+17805550101"),
        from: phone("+15875550100"),
        answer_url: format!("https://hotline.example/voice/answer/{attempt}"),
        status_callback_url: format!(
            "https://hotline.example/api/webhook/ring-group?attempt={attempt}"
        ),
        timeout_seconds: 30,
        machine_detection: false,
    }
}

fn uuid_like() -> uuid::Uuid {
    uuid::Uuid::from_u128(0x1234)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

#[tokio::test]
async fn create_call_sends_exactly_the_contracts_form() {
    let fake = FakeTwilio::start().await;
    let call = outbound_call();
    let sid = fake.client(0.0).place_call(&call).await;
    assert!(sid.is_ok_and(|s| s.0.starts_with("CA")));
    let received = fake.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.path, "/2010-04-01/Accounts/AC123/Calls.json");
    assert_eq!(
        request.authorization.as_deref(),
        Some(basic("AC123", "secret-token").as_str())
    );
    assert_eq!(
        request.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        request.form,
        pairs(&[
            ("To", "+17805550101"),
            ("From", "+15875550100"),
            ("Url", &call.answer_url),
            ("Method", "POST"),
            ("StatusCallback", &call.status_callback_url),
            ("StatusCallbackMethod", "POST"),
            ("StatusCallbackEvent", "initiated"),
            ("StatusCallbackEvent", "ringing"),
            ("StatusCallbackEvent", "answered"),
            ("StatusCallbackEvent", "completed"),
            ("Timeout", "30"),
        ])
    );
}

#[tokio::test]
async fn api_keys_authenticate_instead_of_the_auth_token() {
    let fake = FakeTwilio::start().await;
    let credentials = Credentials::ApiKey {
        sid: "SK999".to_owned(),
        secret: "key-secret".to_owned(),
    };
    let client = fake.client_with(credentials, 0.0, Duration::from_secs(2));
    assert!(client.place_call(&outbound_call()).await.is_ok());
    let received = fake.received();
    assert_eq!(
        received[0].authorization.as_deref(),
        Some(basic("SK999", "key-secret").as_str())
    );
    assert_eq!(received[0].path, "/2010-04-01/Accounts/AC123/Calls.json");
}

#[tokio::test]
async fn cancel_complete_and_messages() {
    let fake = FakeTwilio::start().await;
    let client = fake.client(0.0);
    assert_eq!(client.cancel_call(&CallSid("CA1".into())).await, Ok(()));
    assert_eq!(client.complete_call(&CallSid("CA2".into())).await, Ok(()));
    fake.script([Answer::status(201, r#"{"sid": "SM1"}"#)]);
    let sent = client
        .send_sms(
            &phone("+15875550100"),
            &phone("+17805550101"),
            "Hot lead & more",
        )
        .await;
    assert_eq!(sent, Ok(()));
    let received = fake.received();
    assert_eq!(
        received[0].path,
        "/2010-04-01/Accounts/AC123/Calls/CA1.json"
    );
    assert_eq!(received[0].form, pairs(&[("Status", "canceled")]));
    assert_eq!(
        received[1].path,
        "/2010-04-01/Accounts/AC123/Calls/CA2.json"
    );
    assert_eq!(received[1].form, pairs(&[("Status", "completed")]));
    assert_eq!(received[2].path, "/2010-04-01/Accounts/AC123/Messages.json");
    assert_eq!(
        received[2].form,
        pairs(&[
            ("To", "+17805550101"),
            ("From", "+15875550100"),
            ("Body", "Hot lead & more")
        ])
    );
}

#[tokio::test]
async fn twilios_error_json_becomes_a_typed_error() {
    let fake = FakeTwilio::start().await;
    fake.script([Answer::status(
        400,
        r#"{"code": 21211, "message": "The 'To' number is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#,
    )]);
    let result = fake.client(0.0).create_call(&outbound_call()).await;
    assert_eq!(
        result,
        Err(TwilioError::Api {
            status: 400,
            code: Some(21211),
            message: "The 'To' number is not a valid phone number.".to_owned(),
            more_info: Some("https://www.twilio.com/docs/errors/21211".to_owned()),
        })
    );
    fake.script([Answer::status(400, r#"{"code": 21211, "message": "bad"}"#)]);
    let port_error = fake.client(0.0).place_call(&outbound_call()).await;
    assert!(
        matches!(port_error, Err(TelephonyError::Rejected(_))),
        "{port_error:?}"
    );
}

#[tokio::test]
async fn a_429_on_create_is_retried_and_succeeds() {
    let fake = FakeTwilio::start().await;
    let mut too_many = Answer::status(429, r#"{"code": 20429, "message": "Too Many Requests"}"#);
    too_many.retry_after = Some(0);
    fake.script([too_many]);
    let result = fake.client(0.0).create_call(&outbound_call()).await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(fake.received().len(), 2);
}

#[tokio::test]
async fn a_500_on_create_is_not_retried() {
    let fake = FakeTwilio::start().await;
    fake.script([Answer::status(500, r#"{"message": "oops"}"#)]);
    let result = fake.client(0.0).create_call(&outbound_call()).await;
    assert!(
        matches!(result, Err(TwilioError::Api { status: 500, .. })),
        "{result:?}"
    );
    assert_eq!(fake.received().len(), 1);
    fake.script([Answer::status(503, "")]);
    let sms = fake
        .client(0.0)
        .create_message(&phone("+15875550100"), &phone("+17805550101"), "hi")
        .await;
    assert!(sms.is_err());
    assert_eq!(fake.received().len(), 2);
}

#[tokio::test]
async fn a_500_on_cancel_is_retried() {
    let fake = FakeTwilio::start().await;
    fake.script([Answer::status(500, ""), Answer::status(503, "")]);
    let result = fake
        .client(0.0)
        .update_call_status(&CallSid("CA1".into()), "canceled")
        .await;
    assert_eq!(result, Ok(()));
    assert_eq!(fake.received().len(), 3);
}

#[tokio::test]
async fn a_create_that_times_out_is_not_retried() {
    let fake = FakeTwilio::start().await;
    let mut slow = Answer::status(201, r#"{"sid": "CA1"}"#);
    slow.delay = Duration::from_secs(3);
    fake.script([slow]);
    let client = fake.client_with(
        Credentials::AuthToken("t".to_owned()),
        0.0,
        Duration::from_millis(200),
    );
    let result = client.create_call(&outbound_call()).await;
    assert_eq!(result, Err(TwilioError::Timeout));
    assert_eq!(fake.received().len(), 1);
}

#[tokio::test]
async fn an_unreachable_api_is_a_connect_error_that_may_be_retried() {
    let mut config =
        hotline_twilio::TwilioConfig::new("AC123", Credentials::AuthToken("t".to_owned()));
    config.base_url = "http://127.0.0.1:9".to_owned();
    config.retry_delay = Duration::from_millis(1);
    let client = hotline_twilio::TwilioClient::new(config).unwrap_or_else(|e| panic!("{e}"));
    let result = client.create_call(&outbound_call()).await;
    assert!(matches!(result, Err(TwilioError::Connect(_))), "{result:?}");
    // Nothing reached Twilio: the durable job may place it again.
    assert!(matches!(
        result.map_err(TelephonyError::from),
        Err(TelephonyError::Unavailable(_))
    ));
}

#[tokio::test]
async fn call_creation_is_paced() {
    let fake = FakeTwilio::start().await;
    let client = std::sync::Arc::new(fake.client(20.0));
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            client.create_call(&outbound_call()).await
        }));
    }
    for task in tasks {
        assert!(task.await.is_ok_and(|r| r.is_ok()));
    }
    let mut arrivals: Vec<_> = fake.received().into_iter().map(|r| r.at).collect();
    arrivals.sort();
    // Four creates at 20 per second take at least three intervals (150 ms);
    // one request's network delay may shift a single arrival, so the span
    // is checked with 20 ms to spare rather than each gap.
    let span = arrivals[3].duration_since(arrivals[0]);
    assert!(
        span >= Duration::from_millis(130),
        "four calls within {span:?} at 20 per second"
    );
}

#[tokio::test]
async fn machine_detection_is_requested_when_configured() {
    let fake = FakeTwilio::start().await;
    let mut config =
        hotline_twilio::TwilioConfig::new("AC123", Credentials::AuthToken("t".to_owned()));
    config.base_url = fake.base_url.clone();
    config.calls_per_second = 0.0;
    config.machine_detection = true;
    let client = hotline_twilio::TwilioClient::new(config).unwrap_or_else(|e| panic!("{e}"));
    assert!(client.create_call(&outbound_call()).await.is_ok());
    let form = &fake.received()[0].form;
    assert_eq!(
        form.last(),
        Some(&("MachineDetection".to_owned(), "Enable".to_owned()))
    );
    crate::openapi_params::check("CreateCall", form);
}

#[tokio::test]
async fn the_sandbox_places_nothing_and_answers_distinct_sids() {
    let sandbox = hotline_twilio::SandboxTelephony::default();
    let first = sandbox.place_call(&outbound_call()).await;
    let second = sandbox.place_call(&outbound_call()).await;
    assert!(first.is_ok() && second.is_ok() && first != second);
    assert_eq!(sandbox.cancel_call(&CallSid("CA1".into())).await, Ok(()));
    assert_eq!(
        sandbox
            .send_sms(&phone("+15875550100"), &phone("+17805550101"), "hi")
            .await,
        Ok(())
    );
}
