//! Running the `hotline` binary from tests.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// What one run of the binary produced.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `hotline` with `args` and captures its output.
pub fn hotline(args: &[&str]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run hotline: {e}"));
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A file in a fresh temporary directory, removed with the directory at drop.
pub struct TempFile {
    dir: PathBuf,
    pub path: PathBuf,
}

impl TempFile {
    /// Writes `contents` to a new file named `name`.
    pub fn new(name: &str, contents: &[u8]) -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let unique = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("hotline-test-{}-{unique}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {dir:?}: {e}"));
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("cannot write {path:?}: {e}"));
        Self { dir, path }
    }

    /// The path as a string argument.
    pub fn arg(&self) -> &str {
        self.path
            .to_str()
            .unwrap_or_else(|| panic!("temporary path is not UTF-8"))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An admin API call with `token` to the server at `base` that must
/// succeed; its JSON answer.
pub async fn admin_call(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let response = http
        .request(method, format!("{base}{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap_or(serde_json::Value::Null)
}

/// A `hotline serve` process on SQLite in a temporary folder, talking to a
/// fake Twilio, with an admin token.
pub struct Served {
    pub child: std::process::Child,
    pub base: String,
    pub http: reqwest::Client,
    dir: PathBuf,
}

/// The admin token of [`Served`].
pub const SERVED_ADMIN_TOKEN: &str = "served-admin";
/// The Twilio auth token of [`Served`].
pub const SERVED_AUTH_TOKEN: &str = "served-token";

impl Served {
    /// Starts `hotline serve` with `env` added, and waits until it is ready.
    pub async fn start(twilio_base: &str, env: &[(&str, &str)]) -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("hotline-served-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let base = format!("http://127.0.0.1:{port}");
        let child = Command::new(env!("CARGO_BIN_EXE_hotline"))
            .arg("serve")
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/hotline.db?mode=rwc", dir.display()),
            )
            .env("HOTLINE_LISTEN", format!("127.0.0.1:{port}"))
            .env("HOTLINE_PUBLIC_URL", &base)
            .env("HOTLINE_ADMIN_TOKEN", SERVED_ADMIN_TOKEN)
            .env("TWILIO_ACCOUNT_SID", "AC123")
            .env("TWILIO_AUTH_TOKEN", SERVED_AUTH_TOKEN)
            .env("TWILIO_API_BASE", twilio_base)
            .env("TWILIO_CALLS_PER_SECOND", "0")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start hotline: {e}"));
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::new();
        let started = std::time::Instant::now();
        while !http
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            assert!(started.elapsed().as_secs() < 30, "never ready");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Self {
            child,
            base,
            http,
            dir,
        }
    }

    /// An admin API call that must succeed; its JSON answer.
    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> serde_json::Value {
        admin_call(
            &self.http,
            &self.base,
            SERVED_ADMIN_TOKEN,
            method,
            path,
            body,
        )
        .await
    }

    /// A client with `members` team members; its id. `open` sets hours
    /// around the clock, else it has none (always closed).
    pub async fn client_with_team(&self, members: u32, open: bool) -> String {
        let client = self
            .admin(
                reqwest::Method::POST,
                "/api/clients",
                serde_json::json!({"name": "Acme", "twilio_number": "+15875550100", "timezone": "UTC"}),
            )
            .await;
        let id = client["id"].as_str().unwrap_or_default().to_owned();
        if open {
            let always: Vec<serde_json::Value> = (0..7)
                .map(|d| serde_json::json!({"day_of_week": d, "start_time": "00:00", "end_time": "00:00"}))
                .collect();
            self.admin(
                reqwest::Method::PUT,
                &format!("/api/clients/{id}/business-hours"),
                serde_json::json!({"timezone": "UTC", "hours": always}),
            )
            .await;
        }
        for n in 1..=members {
            self.admin(
                reqwest::Method::POST,
                &format!("/api/clients/{id}/team-members"),
                serde_json::json!({"name": format!("Agent {n}"), "phone": format!("+178055501{n:02}")}),
            )
            .await;
        }
        id
    }

    /// A signed SMS from a lead to the client; the HTTP status.
    pub async fn sms(&self, sid: &str, body: &str) -> u16 {
        let url = format!("{}/api/webhook/sms", self.base);
        let form = [
            ("MessageSid", sid),
            ("From", "+14035550142"),
            ("To", "+15875550100"),
            ("Body", body),
        ];
        let params: Vec<(String, String)> = form
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let signature =
            hotline_twilio::signature::expected_signature(SERVED_AUTH_TOKEN, &url, &params);
        self.http
            .post(&url)
            .header("X-Twilio-Signature", signature)
            .form(&form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .status()
            .as_u16()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A PostgreSQL database dropped when the test ends, even by a panic.
pub struct DroppedAtEnd(pub hotline_testkit::database::TestDatabase);

impl Drop for DroppedAtEnd {
    fn drop(&mut self) {
        self.0.drop_database_blocking();
    }
}

/// A free local port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Waits until `hotline serve` on `port` answers `/readyz` (30 s at most).
pub async fn wait_ready(http: &reqwest::Client, port: u16) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if http
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("hotline on {port} never became ready");
}
