//! `hotline serve` as a newcomer runs it: SQLite, no Twilio credentials.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.lines().next().map(str::to_owned)
}

#[test]
fn serve_starts_on_sqlite_in_sandbox_mode_and_stops_cleanly_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("hotline-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .arg("serve")
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .env_remove("TWILIO_ACCOUNT_SID")
        .env_remove("TWILIO_AUTH_TOKEN")
        .env("HOTLINE_LISTEN", format!("127.0.0.1:{port}"))
        .env("HOTLINE_RETENTION_DAYS", "30")
        .env("HOTLINE_DATABASE_POOL_SIZE", "2")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start hotline: {e}"));
    let started = Instant::now();
    let mut ready = None;
    while started.elapsed() < Duration::from_secs(30) {
        ready = get(port, "/readyz");
        if ready.as_deref().is_some_and(|line| line.contains(" 200 ")) {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let logs = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        ready.as_deref().is_some_and(|line| line.contains(" 200 ")),
        "never ready: {ready:?}\n{logs}"
    );
    assert!(killed.is_ok_and(|s| s.success()));
    assert_eq!(output.status.code(), Some(0), "{logs}");
    assert!(logs.contains("SANDBOX MODE"), "{logs}");
    assert!(logs.contains("draining"), "{logs}");
    assert!(logs.contains("pruned old records"), "{logs}");
}

#[test]
fn a_bad_setting_stops_start_up_with_one_line_naming_it() {
    let cases = [
        ("HOTLINE_PUBLIC_URL", "not a url"),
        ("HOTLINE_INTENT_THRESHOLD", "1.5"),
        ("HOTLINE_LISTEN", "everywhere"),
        ("DATABASE_URL", "mysql://localhost/hotline"),
        ("TWILIO_CALLS_PER_SECOND", "-1"),
        ("HOTLINE_RING_TIMEOUT_SECONDS", "0"),
        ("HOTLINE_RETENTION_DAYS", "0"),
        ("HOTLINE_LOG_FORMAT", "xml"),
        ("HOTLINE_DATABASE_POOL_SIZE", "0"),
        ("HOTLINE_DATABASE_POOL_SIZE", "lots"),
        ("HOTLINE_MAX_WEBHOOKS_IN_FLIGHT", "0"),
        ("HOTLINE_SHUTDOWN_GRACE_SECONDS", "301"),
        ("HOTLINE_SHUTDOWN_GRACE_SECONDS", "soon"),
        ("HOTLINE_AGENT_MACHINE_DETECTION", "maybe"),
    ];
    for (variable, value) in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_hotline"))
            .arg("serve")
            .env(variable, value)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{variable}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{variable}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {variable}:")),
            "{stderr}"
        );
    }
}

#[test]
fn prune_reports_what_it_deleted_and_refuses_a_bad_date() {
    let dir = std::env::temp_dir().join(format!("hotline-prune-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let url = format!("sqlite://{}/prune.db?mode=rwc", dir.display());
    let output = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(["prune", "--before", "2026-01-01"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let bad = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(["prune", "--before", "last year"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(report["before"], "2026-01-01T00:00:00Z");
    assert_eq!(report["messages"], 0);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--before"));
}
