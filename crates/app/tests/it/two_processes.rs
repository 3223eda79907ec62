//! Two `hotline serve` processes on one PostgreSQL database: a ring group
//! that times out with no callbacks is escalated exactly once.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{DroppedAtEnd, free_port, wait_ready};
use hotline_testkit::database::{Backend, TestDatabase};
use hotline_testkit::twilio::FakeTwilio;
use serde_json::{Value, json};

const AUTH_TOKEN: &str = "two-process-token";
const ADMIN_TOKEN: &str = "two-process-admin";

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

fn start(database_url: &str, port: u16, twilio: &str) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("HOTLINE_LISTEN", format!("127.0.0.1:{port}"))
        .env("HOTLINE_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("HOTLINE_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("TWILIO_ACCOUNT_SID", "AC123")
        .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
        .env("TWILIO_API_BASE", twilio)
        .env("TWILIO_CALLS_PER_SECOND", "0")
        .env("HOTLINE_RING_TIMEOUT_SECONDS", "5")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start hotline: {e}"));
    Server(child)
}

async fn admin(
    http: &reqwest::Client,
    port: u16,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> Value {
    let base = format!("http://127.0.0.1:{port}");
    crate::helpers::admin_call(http, &base, ADMIN_TOKEN, method, path, body).await
}

fn count(twilio: &FakeTwilio, suffix: &str) -> usize {
    twilio
        .received()
        .iter()
        .filter(|r| r.path.ends_with(suffix))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_ring_group_is_escalated_once_by_two_processes() {
    let database = DroppedAtEnd(TestDatabase::create(Backend::Postgres).await);
    let url = database.0.url.clone();
    let fake = FakeTwilio::start().await;
    let twilio = fake.base_url.clone();
    let (port_a, port_b) = (free_port(), free_port());
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let server_a = start(&url, port_a, &twilio);
    wait_ready(&http, port_a).await;
    let server_b = start(&url, port_b, &twilio);
    wait_ready(&http, port_b).await;

    let client = admin(
        &http,
        port_a,
        reqwest::Method::POST,
        "/api/clients",
        json!({"name": "Acme", "twilio_number": "+15875550100", "timezone": "UTC"}),
    )
    .await;
    let id = client["id"].as_str().unwrap_or_default().to_owned();
    let always: Vec<Value> = (0..7)
        .map(|d| json!({"day_of_week": d, "start_time": "00:00", "end_time": "00:00"}))
        .collect();
    admin(
        &http,
        port_a,
        reqwest::Method::PUT,
        &format!("/api/clients/{id}/business-hours"),
        json!({"timezone": "UTC", "hours": always}),
    )
    .await;
    for n in 1..=2 {
        admin(
            &http,
            port_a,
            reqwest::Method::POST,
            &format!("/api/clients/{id}/team-members"),
            json!({"name": format!("Agent {n}"), "phone": format!("+178055501{n:02}")}),
        )
        .await;
    }

    let sms_url = format!("http://127.0.0.1:{port_a}/api/webhook/sms");
    let form = [
        ("MessageSid", "SM1"),
        ("From", "+14035550142"),
        ("To", "+15875550100"),
        ("Body", "pipe burst, water everywhere, call me asap"),
    ];
    let params: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let signature = hotline_twilio::signature::expected_signature(AUTH_TOKEN, &sms_url, &params);
    let answer = http
        .post(&sms_url)
        .header("X-Twilio-Signature", signature)
        .form(&form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.status(), 200);

    // No status callbacks arrive. After the ring timeout (5 s) plus the grace
    // period (15 s), both workers see the deadline; one escalates.
    let started = Instant::now();
    while count(&fake, "/Messages.json") < 2 && started.elapsed() < Duration::from_secs(40) {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let escalations = admin(
        &http,
        port_b,
        reqwest::Method::GET,
        &format!("/api/clients/{id}/escalations"),
        Value::Null,
    )
    .await;
    let (calls, texts) = (count(&fake, "/Calls.json"), count(&fake, "/Messages.json"));
    drop((server_a, server_b));
    assert_eq!(calls, 2, "one call per agent");
    assert_eq!(
        escalations.as_array().map(Vec::len),
        Some(1),
        "{escalations}"
    );
    assert_eq!(escalations[0]["reason"], "no_answer");
    assert_eq!(texts, 2, "each agent texted once");
}
