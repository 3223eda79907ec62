//! A crash campaign: two `hotline serve` processes on one PostgreSQL
//! database take hot leads at about 20 SMS a second, in and out of
//! business hours, while one of them is killed with SIGKILL every few
//! seconds (1.5 s) and started again (some kills while Twilio answers slowly).
//! Afterwards every acknowledged hot lead had every phone of its ring
//! group called (at most twice) or every team member texted: nothing
//! decided was lost.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::helpers::{DroppedAtEnd, free_port, wait_ready};
use hotline_testkit::database::{Backend, TestDatabase};
use hotline_testkit::twilio::{Answer, FakeTwilio};
use serde_json::{Value, json};

const AUTH_TOKEN: &str = "campaign-token";
const ADMIN_TOKEN: &str = "campaign-admin";
const OPEN_NUMBER: &str = "+15875550100";
const CLOSED_NUMBER: &str = "+15875550200";
const HOT: &str = "pipe burst, water everywhere, call me asap";

/// Leads sent, 50 ms apart (20 a second).
const LEADS: usize = 240;
/// A kill every this many leads (1.5 s).
const KILL_EVERY: usize = 30;
/// Members per client.
const TEAM: usize = 3;

/// One `hotline serve` process, killed with SIGKILL when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
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
        .env("HOTLINE_WEBHOOK_ALLOW_PRIVATE", "true")
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

/// A client with `TEAM` members; open around the clock or never.
async fn client(http: &reqwest::Client, port: u16, number: &str, open: bool) -> String {
    let client = admin(
        http,
        port,
        reqwest::Method::POST,
        "/api/clients",
        json!({"name": number, "twilio_number": number, "timezone": "UTC"}),
    )
    .await;
    let id = client["id"].as_str().unwrap_or_default().to_owned();
    if open {
        let always: Vec<Value> = (0..7)
            .map(|d| json!({"day_of_week": d, "start_time": "00:00", "end_time": "00:00"}))
            .collect();
        admin(
            http,
            port,
            reqwest::Method::PUT,
            &format!("/api/clients/{id}/business-hours"),
            json!({"timezone": "UTC", "hours": always}),
        )
        .await;
    }
    for n in 1..=TEAM {
        let prefix = if open { "+1780555" } else { "+1780666" };
        admin(
            http,
            port,
            reqwest::Method::POST,
            &format!("/api/clients/{id}/team-members"),
            json!({"name": format!("Agent {n}"), "phone": format!("{prefix}{n:04}")}),
        )
        .await;
    }
    id
}

/// Sends lead `n`'s hot SMS as Twilio would: again until answered 200
/// (a refused connection or a 5xx is delivered again). `true` once
/// acknowledged.
async fn send_lead(http: &reqwest::Client, ports: [u16; 2], n: usize) -> bool {
    let to = if n.is_multiple_of(2) {
        OPEN_NUMBER
    } else {
        CLOSED_NUMBER
    };
    let from = format!("+1403{n:07}");
    let sid = format!("SM{n:032}");
    let started = Instant::now();
    let mut attempt = 0;
    while started.elapsed() < Duration::from_secs(60) {
        let port = ports[(n + attempt) % 2];
        attempt += 1;
        let url = format!("http://127.0.0.1:{port}/api/webhook/sms");
        let form = [
            ("MessageSid", sid.as_str()),
            ("From", from.as_str()),
            ("To", to),
            ("Body", HOT),
        ];
        let params: Vec<(String, String)> = form
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let signature = hotline_twilio::signature::expected_signature(AUTH_TOKEN, &url, &params);
        let answer = http
            .post(&url)
            .header("X-Twilio-Signature", signature)
            .form(&form)
            .timeout(Duration::from_secs(5))
            .send()
            .await;
        if answer.is_ok_and(|a| a.status() == 200) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

/// Every page of `GET path` (`?limit=200&offset=…`).
async fn all_pages(http: &reqwest::Client, port: u16, path: &str) -> Vec<Value> {
    let mut rows = Vec::new();
    loop {
        let page = admin(
            http,
            port,
            reqwest::Method::GET,
            &format!("{path}?limit=200&offset={}", rows.len()),
            Value::Null,
        )
        .await;
        let page = page.as_array().cloned().unwrap_or_default();
        let done = page.len() < 200;
        rows.extend(page);
        if done {
            return rows;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_processes_lose_no_decided_call_or_text() {
    let database = DroppedAtEnd(TestDatabase::create(Backend::Postgres).await);
    let url = database.0.url.clone();
    let fake = FakeTwilio::start().await;
    let twilio = fake.base_url.clone();
    let ports = [free_port(), free_port()];
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let mut servers = [
        start(&url, ports[0], &twilio),
        start(&url, ports[1], &twilio),
    ];
    wait_ready(&http, ports[0]).await;
    wait_ready(&http, ports[1]).await;
    let open = client(&http, ports[0], OPEN_NUMBER, true).await;
    let closed = client(&http, ports[0], CLOSED_NUMBER, false).await;

    // The leads, 20 a second, each sent until acknowledged.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut sends = Vec::new();
    for n in 0..LEADS {
        let due = started + Duration::from_millis(50) * u32::try_from(n).unwrap_or(0);
        tokio::time::sleep_until(due.into()).await;
        let http = http.clone();
        let acknowledged = acknowledged.clone();
        sends.push(tokio::spawn(async move {
            if send_lead(&http, ports, n).await {
                acknowledged.fetch_add(1, Ordering::SeqCst);
            }
        }));
        // A kill every 1.5 s, alternating processes, restarted at once; the
        // fourth to sixth while Twilio answers slowly (1.5 s a request).
        if n % KILL_EVERY == KILL_EVERY / 2 {
            let kill = n / KILL_EVERY;
            if (3..=5).contains(&kill) {
                fake.script((0..30).map(|i| Answer {
                    delay: Duration::from_millis(1500),
                    ..Answer::status(201, &format!(r#"{{"sid": "CA{kill}{i:031}"}}"#))
                }));
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            let which = kill % 2;
            let _ = servers[which].0.kill();
            let _ = servers[which].0.wait();
            servers[which] = start(&url, ports[which], &twilio);
        }
    }
    let kills = (0..LEADS)
        .filter(|n| n % KILL_EVERY == KILL_EVERY / 2)
        .count();
    for send in sends {
        send.await.unwrap_or_else(|e| panic!("{e}"));
    }
    let acknowledged = acknowledged.load(Ordering::SeqCst);
    assert_eq!(acknowledged, LEADS, "every lead acknowledged in the end");

    // Let the work settle: calls placed, then (nobody presses 1) each ring
    // group times out (5 s + 15 s grace) and its lead is texted to the team.
    wait_ready(&http, ports[0]).await;
    wait_ready(&http, ports[1]).await;
    let settle = Instant::now();
    let escalations = loop {
        let open_escalations =
            all_pages(&http, ports[1], &format!("/api/clients/{open}/escalations")).await;
        let closed_escalations = all_pages(
            &http,
            ports[1],
            &format!("/api/clients/{closed}/escalations"),
        )
        .await;
        let texted = |e: &Value| {
            e["texts"]
                .as_array()
                .is_some_and(|t| t.len() == TEAM && t.iter().all(|t| t["state"] == "sent"))
        };
        let all: Vec<Value> = open_escalations
            .into_iter()
            .chain(closed_escalations)
            .collect();
        if all.len() == LEADS && all.iter().all(texted) {
            break all;
        }
        assert!(
            settle.elapsed() < Duration::from_secs(90),
            "work lost: {} of {LEADS} leads escalated and texted to every member",
            all.iter().filter(|e| texted(e)).count()
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    };

    // Every phone of every ring group was called, and none more than twice.
    let attempts = all_pages(
        &http,
        ports[0],
        &format!("/api/clients/{open}/call-attempts"),
    )
    .await;
    assert_eq!(
        attempts.len(),
        LEADS / 2 * TEAM,
        "one leg per member per in-hours lead"
    );
    let creates: Vec<String> = fake
        .received()
        .iter()
        .filter(|r| r.path.ends_with("/Calls.json"))
        .filter_map(|r| r.get("Url").map(str::to_owned))
        .collect();
    let mut duplicates = 0;
    for attempt in &attempts {
        let id = attempt["id"].as_str().unwrap_or_default();
        let placed = creates.iter().filter(|url| url.ends_with(id)).count();
        assert!((1..=2).contains(&placed), "leg {id} placed {placed} times");
        if placed == 2 {
            duplicates += 1;
        }
    }
    // Each member was texted once per lead (a text cut off by a kill may go
    // twice, like a call).
    let texts = fake.count("/Messages.json");
    assert!(
        texts >= LEADS * TEAM && texts <= LEADS * TEAM + kills * 32,
        "{texts} texts for {LEADS} leads"
    );
    eprintln!(
        "crash campaign: {LEADS} leads ({} in hours), {kills} kills, {} escalations texted to \
         every member, lost 0, legs placed twice {duplicates} of {}, texts {texts} for {} owed, \
         settled in {:.1} s",
        LEADS / 2,
        escalations.len(),
        attempts.len(),
        LEADS * TEAM,
        settle.elapsed().as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_the_work_and_do_each_piece_once() {
    let database = DroppedAtEnd(TestDatabase::create(Backend::Postgres).await);
    let url = database.0.url.clone();
    let fake = FakeTwilio::start().await;
    let ports = [free_port(), free_port()];
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let _servers = [
        start(&url, ports[0], &fake.base_url),
        start(&url, ports[1], &fake.base_url),
    ];
    wait_ready(&http, ports[0]).await;
    wait_ready(&http, ports[1]).await;
    let open = client(&http, ports[0], OPEN_NUMBER, true).await;
    client(&http, ports[0], CLOSED_NUMBER, false).await;
    // 40 leads, each to either process; half in hours, half out.
    let leads = 40;
    let sends: Vec<_> = (0..leads)
        .map(|n| {
            let http = http.clone();
            tokio::spawn(async move { send_lead(&http, ports, n).await })
        })
        .collect();
    for send in sends {
        assert!(send.await.unwrap_or_else(|e| panic!("{e}")));
    }
    let owed = leads / 2 * TEAM;
    fake.wait_for("/Calls.json", owed).await;
    fake.wait_for("/Messages.json", owed).await;
    // Both workers poll the same queue: give a second chance to repeat.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(fake.count("/Calls.json"), owed, "each leg called once");
    assert_eq!(
        fake.count("/Messages.json"),
        owed,
        "each member texted once"
    );
    let attempts = all_pages(
        &http,
        ports[1],
        &format!("/api/clients/{open}/call-attempts"),
    )
    .await;
    assert_eq!(attempts.len(), owed);
    assert!(
        attempts.iter().all(|a| a["call_sid"].is_string()),
        "every leg placed: {attempts:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_whose_receiver_is_down_across_a_restart_is_still_delivered() {
    let database = DroppedAtEnd(TestDatabase::create(Backend::Postgres).await);
    let url = database.0.url.clone();
    let fake = FakeTwilio::start().await;
    let port = free_port();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let mut server = start(&url, port, &fake.base_url);
    wait_ready(&http, port).await;
    let client = client(&http, port, CLOSED_NUMBER, false).await;
    // The receiver's port is free: nobody listens yet.
    let receiver_port = free_port();
    admin(
        &http,
        port,
        reqwest::Method::POST,
        &format!("/api/clients/{client}/webhooks"),
        json!({"url": format!("http://127.0.0.1:{receiver_port}/hooks"), "events": ["escalation.opened"]}),
    )
    .await;
    assert!(send_lead(&http, [port, port], 1).await);
    // The first attempt is refused (nobody listens) and logged.
    let endpoints = admin(
        &http,
        port,
        reqwest::Method::GET,
        &format!("/api/clients/{client}/webhooks"),
        Value::Null,
    )
    .await;
    let id = endpoints[0]["id"].as_str().unwrap_or_default().to_owned();
    let log_path = format!("/api/clients/{client}/webhooks/{id}/deliveries");
    let started = std::time::Instant::now();
    while admin(&http, port, reqwest::Method::GET, &log_path, Value::Null)
        .await
        .as_array()
        .is_none_or(Vec::is_empty)
    {
        assert!(started.elapsed() < Duration::from_secs(10), "never tried");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Hotline is killed while the delivery waits for its retry.
    let _ = server.0.kill();
    let _ = server.0.wait();
    let (deliveries, mut received) = tokio::sync::mpsc::unbounded_channel::<String>();
    let app = axum::Router::new().fallback(move |body: axum::body::Bytes| {
        let deliveries = deliveries.clone();
        async move {
            let _ = deliveries.send(String::from_utf8_lossy(&body).into_owned());
            axum::http::StatusCode::OK
        }
    });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", receiver_port))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    server = start(&url, port, &fake.base_url);
    wait_ready(&http, port).await;
    let body = tokio::time::timeout(Duration::from_secs(30), received.recv())
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("not delivered after the restart"));
    assert!(body.contains("escalation.opened"), "{body}");
    // The attempt is logged once the receiver's answer is back.
    let logged = std::time::Instant::now();
    let log = loop {
        let log = admin(&http, port, reqwest::Method::GET, &log_path, Value::Null).await;
        let delivered = log
            .as_array()
            .is_some_and(|l| l.iter().any(|a| a["status_code"] == json!(200)));
        if delivered || logged.elapsed() > Duration::from_secs(10) {
            break log;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    drop(server);
    let tries: Vec<(u64, Value)> = log
        .as_array()
        .map(|l| {
            l.iter()
                .rev()
                .map(|a| (a["attempt"].as_u64().unwrap_or(0), a["status_code"].clone()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(tries.first().map(|t| t.0), Some(1), "{log}");
    assert_eq!(
        tries.first().map(|t| t.1.clone()),
        Some(Value::Null),
        "refused first: {log}"
    );
    assert_eq!(tries.last().map(|t| t.1.clone()), Some(json!(200)), "{log}");
}
