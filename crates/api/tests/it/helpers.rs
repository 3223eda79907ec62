//! Booting the real service on port 0 against a fresh database, wired by
//! the same composition root as `hotline serve`.

use std::sync::Arc;

use hotline_app::compose::{self, Overrides};
use hotline_app::config::{Config, TwilioSettings};
use hotline_domain::admin::{NewClient, NewMember, Principal};
use hotline_domain::routing::memory::ManualClock;
use hotline_domain::routing::model::TeamMember;
use hotline_domain::{ScheduleDocument, Timestamp};
use hotline_twilio::{Credentials, TwilioClient, TwilioConfig, signature};

use crate::fake_twilio::{Behaviour, FakeTwilio};

pub const AUTH_TOKEN: &str = "test-auth-token";
pub const ADMIN_TOKEN: &str = "test-admin-token";
pub const CLIENT_NUMBER: &str = "+15875550100";
pub const LEAD_PHONE: &str = "+14035550142";

pub fn at(text: &str) -> Timestamp {
    text.parse().unwrap_or_else(|e| panic!("{e}"))
}

pub use hotline_testkit::database::Backend;
use hotline_testkit::database::TestDatabase;

pub struct TestApp {
    pub base_url: String,
    pub twilio: FakeTwilio,
    pub http: reqwest::Client,
    pub members: Vec<TeamMember>,
    /// The app's database, to look inside.
    pub database: TestDatabase,
    /// The app's clock: tests move it to make retries fall due.
    pub clock: Arc<ManualClock>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.database.drop_database_blocking();
    }
}

/// The service on a free port, with a client open Monday 9-17 in Edmonton,
/// `team_size` agents, and the clock at `now`.
pub async fn spawn_app(now: &str, team_size: u32) -> TestApp {
    spawn_app_on(Backend::Sqlite, now, team_size).await
}

/// [`spawn_app`] on the given database.
pub async fn spawn_app_on(backend: Backend, now: &str, team_size: u32) -> TestApp {
    spawn_app_with(backend, now, team_size, Behaviour::Normal).await
}

/// [`spawn_app_on`] with a fake Twilio whose call creates behave as told,
/// and a Twilio client with short timeouts and retry delays.
pub async fn spawn_app_with(
    backend: Backend,
    now: &str,
    team_size: u32,
    behaviour: Behaviour,
) -> TestApp {
    spawn_app_limited(backend, now, team_size, behaviour, 512).await
}

/// [`spawn_app_with`] handling at most `max_webhooks_in_flight` Twilio
/// requests at once.
pub async fn spawn_app_limited(
    backend: Backend,
    now: &str,
    team_size: u32,
    behaviour: Behaviour,
    max_webhooks_in_flight: usize,
) -> TestApp {
    spawn_app_tuned(backend, now, team_size, behaviour, |config| {
        config.max_webhooks_in_flight = max_webhooks_in_flight;
    })
    .await
}

/// [`spawn_app_with`] with its configuration changed by `tune` before the
/// service is built.
pub async fn spawn_app_tuned(
    backend: Backend,
    now: &str,
    team_size: u32,
    behaviour: Behaviour,
    tune: impl FnOnce(&mut Config),
) -> TestApp {
    let database = TestDatabase::create(backend).await;
    let database_url = database.url.clone();

    let twilio = FakeTwilio::start_with(behaviour).await;
    let mut twilio_config =
        TwilioConfig::new("AC123", Credentials::AuthToken(AUTH_TOKEN.to_owned()));
    twilio_config.base_url = twilio.base_url.clone();
    twilio_config.calls_per_second = 0.0;
    if behaviour != Behaviour::Normal {
        twilio_config.request_timeout = std::time::Duration::from_millis(300);
        twilio_config.retry_delay = std::time::Duration::from_millis(10);
    }
    let telephony = Arc::new(TwilioClient::new(twilio_config).unwrap_or_else(|e| panic!("{e}")));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let base_url = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    let mut config = Config::new(&database_url, &base_url);
    config.admin_token = Some(ADMIN_TOKEN.to_owned());
    config.twilio = Some(TwilioSettings {
        account_sid: "AC123".to_owned(),
        auth_token: AUTH_TOKEN.to_owned(),
        api_key: None,
    });
    // The tests' receivers listen on 127.0.0.1.
    config.webhook_allow_private = true;
    tune(&mut config);
    let clock = Arc::new(ManualClock::at(at(now)));
    let hotline = compose::build(
        &config,
        Overrides {
            clock: Some(clock.clone()),
            telephony: Some(telephony),
            routing: None,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e:#}"));
    // Seeded through the same services the admin API uses.
    let admin = &hotline.state.admin;
    let principal = Principal::SuperAdmin;
    let client = admin
        .create_client(
            &principal,
            NewClient {
                name: "Acme Roofing".to_owned(),
                twilio_number: CLIENT_NUMBER.to_owned(),
                timezone: Some("America/Edmonton".to_owned()),
                out_of_hours_reply: Some("We're closed now and open {next_open}.".to_owned()),
                record_calls: false,
                ring_strategy: Default::default(),
                tier_delay_seconds: None,
                follow_through: Default::default(),
            },
            at(now),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let document: ScheduleDocument = serde_json::from_str(
        r#"{"timezone": "America/Edmonton", "hours": [{"day_of_week": 1, "start_time": "09:00", "end_time": "17:00"}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    admin
        .replace_schedule(&principal, client.id, &document, at(now))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut members = Vec::new();
    for n in 1..=team_size {
        let new = NewMember {
            name: format!("Agent {n}"),
            phone: format!("+1780555{n:04}"),
            receives_hot_transfers: true,
            priority: None,
            available: None,
        };
        let member = admin
            .add_member(&principal, client.id, new, at(now))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        members.push(member);
    }

    let app = hotline.router();
    let workers = hotline.start_workers(None);
    tokio::spawn(async move {
        let _workers = workers;
        let _ = hotline_app::http_server::serve_http(listener, app, std::future::pending()).await;
    });
    TestApp {
        base_url,
        twilio,
        http: reqwest::Client::new(),
        members,
        database,
        clock,
    }
}

impl TestApp {
    /// POSTs a form to `url` (absolute, as Twilio was given it), signed.
    pub async fn post_signed(&self, url: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let params: Vec<(String, String)> = form
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let signature = signature::expected_signature(AUTH_TOKEN, url, &params);
        self.http
            .post(url)
            .header("X-Twilio-Signature", signature)
            .form(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn sms(&self, sid: &str, from: &str, body: &str) -> reqwest::Response {
        let url = format!("{}/api/webhook/sms", self.base_url);
        self.post_signed(
            &url,
            &[
                ("MessageSid", sid),
                ("From", from),
                ("To", CLIENT_NUMBER),
                ("Body", body),
                ("NumMedia", "0"),
            ],
        )
        .await
    }

    /// An agent's leg `call` (as the fake Twilio received it, answered
    /// with `call_sid`) rings, is picked up by a person who presses 1;
    /// the TwiML that answers the press.
    pub async fn answer_and_press_1(
        &self,
        call: &crate::fake_twilio::Received,
        call_sid: &str,
    ) -> String {
        let status_url = call.get("StatusCallback").unwrap_or_default().to_owned();
        for (status, sequence) in [("ringing", "1"), ("in-progress", "2")] {
            let answer = self
                .post_signed(
                    &status_url,
                    &[
                        ("CallSid", call_sid),
                        ("CallStatus", status),
                        ("SequenceNumber", sequence),
                    ],
                )
                .await;
            assert!(answer.status().is_success());
        }
        let gather = self
            .post_signed(
                call.get("Url").unwrap_or_default(),
                &[("CallSid", call_sid), ("AnsweredBy", "human")],
            )
            .await
            .text()
            .await
            .unwrap_or_default();
        let action = attribute(&gather, "action").unwrap_or_default();
        self.post_signed(&action, &[("CallSid", call_sid), ("Digits", "1")])
            .await
            .text()
            .await
            .unwrap_or_default()
    }

    /// The id of the first row of `table`.
    pub async fn first_id(&self, table: &str) -> String {
        self.database.first_id(table).await
    }

    /// Rows of `from` (a table, or a table and a `WHERE`).
    pub async fn count(&self, from: &str) -> i64 {
        self.database.count(from).await
    }
}

/// The value of attribute `name` in a TwiML document, unescaped.
pub fn attribute(xml: &str, name: &str) -> Option<String> {
    let start = xml.find(&format!("{name}=\""))? + name.len() + 2;
    let end = xml[start..].find('"')? + start;
    Some(
        xml[start..end]
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&apos;", "'"),
    )
}

impl TestApp {
    /// Calls the admin API: status and JSON body (null when not JSON).
    pub async fn api(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }
}
