//! Operations (CONTRACT section 11) over real HTTP: `/metrics` read by the
//! official Prometheus client's parsers, its optional token, the limit on
//! failed token checks per address, admins listed, revoked and expiring,
//! and stalled clients that hold no webhook slot.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::fake_twilio::Behaviour;
use crate::helpers::{
    ADMIN_TOKEN, Backend, LEAD_PHONE, TestApp, attribute, spawn_app, spawn_app_limited,
    spawn_app_tuned,
};

/// Parses Prometheus text with the official Python client's parser and
/// answers the families as JSON: `[{name, type, samples: [{name, labels,
/// value}]}]`. Every family must be typed (none `unknown`).
const PARSE: &str = r#"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
text = sys.stdin.read()
families = []
for f in text_string_to_metric_families(text):
    assert f.type != "unknown", (f.name, f.type)
    families.append({"name": f.name, "type": f.type, "samples": [
        {"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]})
print(json.dumps(families))
"#;

/// `text` as the official parsers read it; `None` (the test is skipped)
/// where Python's `prometheus_client` is missing, except in CI.
fn parse_metrics(text: &str) -> Option<Vec<Value>> {
    let child = std::process::Command::new("python3")
        .args(["-c", PARSE])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) if std::env::var_os("HOTLINE_CI").is_none() => {
            eprintln!("skipped: no python3 ({error})");
            return None;
        }
        Err(error) => panic!("python3: {error}"),
    };
    if let Some(mut stdin) = child.stdin.take() {
        std::io::Write::write_all(&mut stdin, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("No module named 'prometheus_client'")
        && std::env::var_os("HOTLINE_CI").is_none()
    {
        eprintln!("skipped: pip install prometheus-client to run this test");
        return None;
    }
    assert!(
        output.status.success(),
        "the Prometheus parsers refused /metrics: {stderr}\n{text}"
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"))
}

/// The value of the sample `name` whose labels include `labels`.
fn sample(families: &[Value], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    families
        .iter()
        .flat_map(|f| f["samples"].as_array().into_iter().flatten())
        .find(|s| {
            s["name"] == name
                && labels
                    .iter()
                    .all(|(key, value)| s["labels"][*key] == *value)
        })
        .and_then(|s| s["value"].as_f64())
}

fn family_type(families: &[Value], name: &str) -> Option<String> {
    families
        .iter()
        .find(|f| f["name"] == name)
        .and_then(|f| f["type"].as_str().map(str::to_owned))
}

async fn get_metrics(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut request = app.http.get(format!("{}/metrics", app.base_url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap_or_else(|e| panic!("{e}"))
}

/// Answers the first leg of the group and presses 1, as Twilio would.
async fn accept_first_leg(app: &TestApp, calls: &[crate::fake_twilio::Received]) -> String {
    let first = &calls[0];
    let sid = format!("CA{:032}", 1);
    let answered = app
        .post_signed(
            first.get("Url").unwrap_or_default(),
            &[("CallSid", &sid), ("AnsweredBy", "human")],
        )
        .await;
    let gather = answered.text().await.unwrap_or_default();
    let action = attribute(&gather, "action").unwrap_or_default();
    let bridged = app
        .post_signed(&action, &[("CallSid", &sid), ("Digits", "1")])
        .await;
    assert!(bridged.status().is_success());
    action
}

#[tokio::test]
async fn metrics_carry_the_contract_families_and_parse_with_the_official_parsers() {
    // Monday 10:00 in Edmonton: open.
    let app = spawn_app("2026-11-23T10:00:00-07:00", 2).await;
    let answered = app
        .sms(
            "SM1",
            LEAD_PHONE,
            "Water pouring through the ceiling, call me now",
        )
        .await;
    assert_eq!(answered.status(), 200);
    let calls = app.twilio.wait_for("/Calls.json", 2).await;
    let action = accept_first_leg(&app, &calls).await;
    // Twilio retries the press: still one accepted group.
    let sid = format!("CA{:032}", 1);
    app.post_signed(&action, &[("CallSid", &sid), ("Digits", "1")])
        .await;
    app.twilio
        .wait_for(&format!("/Calls/CA{:032}.json", 2), 1)
        .await;

    // The cancel is counted once Twilio's answer is back: wait for it.
    for _ in 0..50 {
        let text = get_metrics(&app, None)
            .await
            .text()
            .await
            .unwrap_or_default();
        if text.contains(r#"hotline_twilio_requests_total{operation="cancel_call",outcome="ok"} 1"#)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let response = get_metrics(&app, None).await;
    assert_eq!(response.status(), 200);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let text = response.text().await.unwrap_or_default();
    let Some(families) = parse_metrics(&text) else {
        return;
    };
    assert_eq!(
        family_type(&families, "hotline_http_request_duration_seconds").as_deref(),
        Some("histogram"),
        "{text}"
    );
    let sms_requests = sample(
        &families,
        "hotline_http_request_duration_seconds_count",
        &[("route", "/api/webhook/sms"), ("status", "2xx")],
    );
    assert_eq!(sms_requests, Some(1.0), "{text}");
    assert_eq!(
        family_type(&families, "hotline_speed_to_lead_seconds").as_deref(),
        Some("histogram")
    );
    assert_eq!(
        sample(&families, "hotline_speed_to_lead_seconds_count", &[]),
        Some(1.0),
        "one ring group, one first call: {text}"
    );
    assert_eq!(
        sample(
            &families,
            "hotline_ring_groups_total",
            &[("outcome", "accepted")]
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &families,
            "hotline_twilio_requests_total",
            &[("operation", "create_call"), ("outcome", "ok")]
        ),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &families,
            "hotline_twilio_requests_total",
            &[("operation", "cancel_call"), ("outcome", "ok")]
        ),
        Some(1.0),
        "the losing leg was cancelled: {text}"
    );
    // Every outcome is there from the start, at 0 until it happens.
    assert_eq!(
        sample(
            &families,
            "hotline_ring_groups_total",
            &[("outcome", "unanswered")]
        ),
        Some(0.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &families,
            "hotline_twilio_requests_total",
            &[("operation", "send_sms"), ("outcome", "rejected")]
        ),
        Some(0.0),
        "{text}"
    );
    // The parser names a counter family without its `_total`.
    for counter in ["hotline_ring_groups", "hotline_twilio_requests"] {
        assert_eq!(
            family_type(&families, counter).as_deref(),
            Some("counter"),
            "{text}"
        );
    }
    assert_eq!(
        family_type(&families, "hotline_jobs_pending").as_deref(),
        Some("gauge")
    );
    assert!(sample(&families, "hotline_jobs_oldest_pending_seconds", &[]).is_some());
}

#[tokio::test]
async fn metrics_need_the_metrics_token_when_one_is_set() {
    const METRICS_TOKEN: &str = "metrics-token-0123456789abcdef0123";
    let app = spawn_app_tuned(
        Backend::Sqlite,
        "2026-11-23T10:00:00-07:00",
        1,
        Behaviour::Normal,
        |config| config.metrics_token = Some(METRICS_TOKEN.to_owned()),
    )
    .await;
    assert_eq!(get_metrics(&app, None).await.status(), 401);
    assert_eq!(get_metrics(&app, Some("wrong")).await.status(), 401);
    assert_eq!(get_metrics(&app, Some(ADMIN_TOKEN)).await.status(), 401);
    let allowed = get_metrics(&app, Some(METRICS_TOKEN)).await;
    assert_eq!(allowed.status(), 200);
    let text = allowed.text().await.unwrap_or_default();
    assert!(text.contains("hotline_jobs_pending"), "{text}");
}

/// The CSRF guard of the sign-in form: its cookie and hidden field.
async fn sign_in_attempt(app: &TestApp, token: &str) -> reqwest::Response {
    let page = app
        .http
        .get(format!("{}/login", app.base_url))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let cookie = page
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .to_owned();
    let html = page.text().await.unwrap_or_default();
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    app.http
        .post(format!("{}/login", app.base_url))
        .header("cookie", cookie)
        .form(&[("csrf", csrf.as_str()), ("token", token)])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn twenty_failed_token_checks_from_one_address_then_429_until_the_minute_passes() {
    let app = spawn_app("2026-11-23T10:00:00-07:00", 1).await;
    for n in 0..10 {
        let (status, _) = app
            .api(Method::GET, "/api/clients", &format!("guess-{n}"), None)
            .await;
        assert_eq!(status, 401, "bearer guess {n}");
        let page = sign_in_attempt(&app, &format!("guess-{n}")).await;
        assert_eq!(page.status(), 401, "sign-in guess {n}");
    }
    // The 21st failed attempt from this address: refused before checking.
    let response = app
        .http
        .get(format!("{}/api/clients", app.base_url))
        .bearer_auth("guess-21")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(body["error"]["code"], "too_many_attempts", "{body}");
    // Even the right token waits, and so does the sign-in form.
    let (status, _) = app
        .api(Method::GET, "/api/clients", ADMIN_TOKEN, None)
        .await;
    assert_eq!(status, 429);
    let page = sign_in_attempt(&app, ADMIN_TOKEN).await;
    assert_eq!(page.status(), 429);
    assert!(page.headers().contains_key("retry-after"));
    // Twilio's webhooks are not behind the limit.
    assert_eq!(app.sms("SM1", LEAD_PHONE, "ok thanks").await.status(), 200);
}

#[tokio::test]
async fn admins_are_listed_revoked_and_expire() {
    let app = spawn_app("2026-11-23T10:00:00-07:00", 1).await;
    let (_, clients) = app
        .api(Method::GET, "/api/clients", ADMIN_TOKEN, None)
        .await;
    let client = clients[0]["id"].as_str().unwrap_or_default().to_owned();

    let (status, body) = app
        .api(
            Method::POST,
            "/api/admins",
            ADMIN_TOKEN,
            Some(json!({"email": "dup@example.com", "client_ids": [client, client]})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("client_ids[1]")),
        "{body}"
    );
    for (expires_at, code) in [
        ("2026-11-23T09:00:00-07:00", "in_the_past"),
        ("next tuesday", "invalid_time"),
    ] {
        let (status, body) = app
            .api(
                Method::POST,
                "/api/admins",
                ADMIN_TOKEN,
                Some(json!({"email": "x@example.com", "client_ids": [client], "expires_at": expires_at})),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["field"], "expires_at", "{body}");
        assert_eq!(body["error"]["code"], code, "{body}");
    }

    let (status, temporary) = app
        .api(
            Method::POST,
            "/api/admins",
            ADMIN_TOKEN,
            Some(json!({"email": "temp@example.com", "client_ids": [client], "expires_at": "2026-11-23T11:00:00-07:00"})),
        )
        .await;
    assert_eq!(status, 201, "{temporary}");
    assert_eq!(temporary["expires_at"], "2026-11-23T18:00:00Z");
    let (status, lasting) = app
        .api(
            Method::POST,
            "/api/admins",
            ADMIN_TOKEN,
            Some(json!({"email": "office@example.com", "client_ids": [client]})),
        )
        .await;
    assert_eq!(status, 201, "{lasting}");
    let temporary_token = temporary["token"].as_str().unwrap_or_default().to_owned();
    let lasting_token = lasting["token"].as_str().unwrap_or_default().to_owned();

    let (status, admins) = app.api(Method::GET, "/api/admins", ADMIN_TOKEN, None).await;
    assert_eq!(status, 200, "{admins}");
    let emails: Vec<&str> = admins
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["email"].as_str())
        .collect();
    assert_eq!(emails, ["temp@example.com", "office@example.com"]);
    assert!(admins[0].get("token").is_none(), "never a token: {admins}");
    assert_eq!(admins[0]["expired"], false);
    assert_eq!(admins[1]["expires_at"], Value::Null);
    // Only the super-admin lists and revokes.
    assert_eq!(
        app.api(Method::GET, "/api/admins", &lasting_token, None)
            .await
            .0,
        403
    );
    let lasting_id = lasting["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        app.api(
            Method::DELETE,
            &format!("/api/admins/{lasting_id}"),
            &lasting_token,
            None
        )
        .await
        .0,
        403
    );

    // Revoked: the token stops working at once.
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/clients/{client}"),
            &lasting_token,
            None
        )
        .await
        .0,
        200
    );
    assert_eq!(
        app.api(
            Method::DELETE,
            &format!("/api/admins/{lasting_id}"),
            ADMIN_TOKEN,
            None
        )
        .await
        .0,
        204
    );
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/clients/{client}"),
            &lasting_token,
            None
        )
        .await
        .0,
        401
    );
    let (status, again) = app
        .api(
            Method::DELETE,
            &format!("/api/admins/{lasting_id}"),
            ADMIN_TOKEN,
            None,
        )
        .await;
    assert_eq!(
        (status, again["error"]["code"].as_str()),
        (404, Some("not_found"))
    );

    // Expired: works until 11:00, not after.
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/clients/{client}"),
            &temporary_token,
            None
        )
        .await
        .0,
        200
    );
    app.clock
        .set(crate::helpers::at("2026-11-23T11:00:01-07:00"));
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/clients/{client}"),
            &temporary_token,
            None
        )
        .await
        .0,
        401
    );
    let (_, admins) = app.api(Method::GET, "/api/admins", ADMIN_TOKEN, None).await;
    assert_eq!(admins.as_array().map(Vec::len), Some(1), "{admins}");
    assert_eq!(admins[0]["expired"], true, "{admins}");
}

/// Opens a connection and sends `request` (headers and part of a body),
/// then holds it open.
async fn stall(base_url: &str, request: &str) -> tokio::net::TcpStream {
    let address = base_url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    stream
        .write_all(request.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    stream
}

/// What the server sent before closing `stream`, within `limit`; `None`
/// when it still holds the connection open after that long.
async fn answer_before_close(
    stream: &mut tokio::net::TcpStream,
    limit: Duration,
) -> Option<String> {
    let mut answer = Vec::new();
    match tokio::time::timeout(limit, stream.read_to_end(&mut answer)).await {
        Ok(_) => Some(String::from_utf8_lossy(&answer).into_owned()),
        Err(_) => None,
    }
}

#[tokio::test]
async fn stalled_clients_hold_no_webhook_slot_and_are_dropped_after_five_seconds() {
    // 64 slots, 300 stalled bodies: before the fix every slot was taken
    // by a stalled body and the signed SMS got 503.
    let app = spawn_app_limited(
        Backend::Sqlite,
        "2026-11-23T10:00:00-07:00",
        1,
        Behaviour::Normal,
        64,
    )
    .await;
    let host = app.base_url.trim_start_matches("http://").to_owned();
    let half_body = format!(
        "POST /api/webhook/sms HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         X-Twilio-Signature: forged\r\nContent-Length: 2000\r\n\r\nMessageSid=SMstalled&Body={}",
        "x".repeat(900)
    );
    let started = Instant::now();
    let mut stalled = Vec::new();
    for _ in 0..300 {
        stalled.push(stall(&app.base_url, &half_body).await);
    }
    let mut half_headers = stall(
        &app.base_url,
        &format!("POST /api/webhook/sms HTTP/1.1\r\nHost: {host}\r\nContent-Ty"),
    )
    .await;
    // Give the server time to read every stalled request's headers.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let sent = Instant::now();
    let answered = app.sms("SM1", LEAD_PHONE, "ok thanks").await;
    let took = sent.elapsed();
    assert_eq!(
        answered.status(),
        200,
        "a signed SMS among 300 stalled bodies"
    );
    eprintln!("signed SMS answered 200 in {took:?} with 300 stalled bodies open");

    // The stalled bodies are answered 408 and closed about 5 s after they
    // began, the stalled headers closed too.
    for stream in stalled.iter_mut().step_by(50) {
        let answer = answer_before_close(stream, Duration::from_secs(10))
            .await
            .unwrap_or_else(|| {
                panic!(
                    "a stalled body was still held after {:?}",
                    started.elapsed()
                )
            });
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    }
    eprintln!(
        "stalled bodies dropped {:?} after they began",
        started.elapsed()
    );
    let closed = answer_before_close(&mut half_headers, Duration::from_secs(10)).await;
    assert!(
        closed.is_some(),
        "stalled headers were still held after 10 s"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "not before the 5 s"
    );
    // Nothing of them was stored.
    assert_eq!(app.count("messages").await, 1);
}
