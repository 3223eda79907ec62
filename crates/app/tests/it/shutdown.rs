//! SIGTERM right after a hot after-hours SMS: the server stops taking
//! requests but lets the team's texts finish within the grace, then exits 0.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hotline_testkit::twilio::{Answer, FakeTwilio};
use serde_json::{Value, json};

const AUTH_TOKEN: &str = "shutdown-token";
const ADMIN_TOKEN: &str = "shutdown-admin";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn post_json(
    http: &reqwest::Client,
    url: &str,
    method: reqwest::Method,
    body: Value,
) -> Value {
    let response = http
        .request(method, url)
        .bearer_auth(ADMIN_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    response.json().await.unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sigterm_the_team_texts_already_decided_are_still_sent_then_exit_0() {
    let dir = std::env::temp_dir().join(format!("hotline-shutdown-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let database = dir.join("hotline.db");
    let fake = FakeTwilio::start().await;
    // Each text takes Twilio 1.5 s to answer, so the three are still being
    // sent, one after another, when SIGTERM arrives.
    fake.script((1..=3).map(|n| Answer {
        delay: Duration::from_millis(1500),
        ..Answer::status(201, &format!(r#"{{"sid": "SM{n:032}"}}"#))
    }));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", database.display()),
        )
        .env("HOTLINE_LISTEN", format!("127.0.0.1:{port}"))
        .env("HOTLINE_PUBLIC_URL", &base)
        .env("HOTLINE_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("TWILIO_ACCOUNT_SID", "AC123")
        .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
        .env("TWILIO_API_BASE", &fake.base_url)
        .env("HOTLINE_SHUTDOWN_GRACE_SECONDS", "10")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start hotline: {e}"));
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let started = Instant::now();
    while !http
        .get(format!("{base}/readyz"))
        .send()
        .await
        .is_ok_and(|r| r.status() == 200)
    {
        assert!(started.elapsed() < Duration::from_secs(30), "never ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A client with no business hours (always closed) and three members.
    let client = post_json(
        &http,
        &format!("{base}/api/clients"),
        reqwest::Method::POST,
        json!({"name": "Acme", "twilio_number": "+15875550100", "timezone": "UTC"}),
    )
    .await;
    let id = client["id"].as_str().unwrap_or_default().to_owned();
    for n in 1..=3 {
        post_json(
            &http,
            &format!("{base}/api/clients/{id}/team-members"),
            reqwest::Method::POST,
            json!({"name": format!("Agent {n}"), "phone": format!("+178055501{n:02}")}),
        )
        .await;
    }

    let sms_url = format!("{base}/api/webhook/sms");
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

    // SIGTERM at once, as a deploy would.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    assert!(killed.is_ok_and(|s| s.success()));
    let stopping = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            break status;
        }
        assert!(stopping.elapsed() < Duration::from_secs(20), "did not exit");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let _ = std::fs::remove_dir_all(&dir);
    assert!(status.success(), "{status}");
    assert_eq!(
        fake.count("/Messages.json"),
        3,
        "every member texted before exit"
    );
    let waited = stopping.elapsed();
    assert!(
        waited >= Duration::from_secs(2),
        "exited after {waited:?} without the texts' time"
    );
}
