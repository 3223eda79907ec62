//! The system under test: a fresh PostgreSQL database and the real
//! `hotline serve` process on it.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};
use hotline_db::Db;
use sea_orm::{ConnectionTrait, Database as Connect, Statement};

use crate::log_drain::LogDrain;
use serde_json::json;

/// The Twilio auth token the server checks signatures with.
pub const AUTH_TOKEN: &str = "load-test-auth-token";
/// The super-admin token used to seed clients.
pub const ADMIN_TOKEN: &str = "load-test-admin-token";

/// A database created for one run.
pub struct Database {
    admin_url: String,
    name: String,
    /// Its URL.
    pub url: String,
}

impl Database {
    /// Creates `hotline_load_<random>` on the server at `admin_url`.
    pub async fn create(admin_url: &str) -> anyhow::Result<Self> {
        let name = format!("hotline_load_{}", uuid::Uuid::now_v7().simple());
        let admin = Connect::connect(admin_url)
            .await
            .with_context(|| format!("cannot reach PostgreSQL at {admin_url}"))?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await?;
        let _ = admin.close().await;
        // Swap the database name, keeping any query (`?host=/run/postgresql`).
        let (address, query) = admin_url
            .split_once('?')
            .map_or((admin_url, String::new()), |(a, q)| (a, format!("?{q}")));
        let (base, _) = address.rsplit_once('/').unwrap_or((address, ""));
        Ok(Self {
            admin_url: admin_url.to_owned(),
            url: format!("{base}/{name}{query}"),
            name,
        })
    }

    /// Drops it, whatever happened.
    pub async fn drop_it(&self) {
        if let Ok(admin) = Connect::connect(&self.admin_url).await {
            let _ = admin
                .execute_unprepared(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ))
                .await;
            let _ = admin.close().await;
        }
    }
}

/// A running `hotline serve`.
pub struct Hotline {
    child: Child,
    /// Where it listens.
    pub base_url: String,
    log: LogDrain,
}

impl Hotline {
    /// Starts the binary on `database_url` with Twilio at `twilio_url`
    /// creating `calls_per_second` calls a second (`"0"`: pacing off) and
    /// waits for `/readyz`. Its log is read through a pipe and written to
    /// `keep_log` only when given.
    pub async fn start(
        binary: &std::path::Path,
        database_url: &str,
        twilio_url: &str,
        calls_per_second: &str,
        keep_log: Option<&std::path::Path>,
    ) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let base_url = format!("http://127.0.0.1:{port}");
        let keep = keep_log.map(std::fs::File::create).transpose()?;
        let (output, writer) = std::io::pipe()?;
        let child = Command::new(binary)
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("HOTLINE_LISTEN", format!("127.0.0.1:{port}"))
            .env("HOTLINE_PUBLIC_URL", &base_url)
            .env("HOTLINE_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("TWILIO_ACCOUNT_SID", "AC00000000000000000000000000000000")
            .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
            .env("TWILIO_API_BASE", twilio_url)
            .env("TWILIO_CALLS_PER_SECOND", calls_per_second)
            // The harness's webhook receiver listens on 127.0.0.1.
            .env("HOTLINE_WEBHOOK_ALLOW_PRIVATE", "true")
            // Ring groups outlast the run: no callbacks come from the fake.
            .env("HOTLINE_RING_TIMEOUT_SECONDS", "600")
            .env("HOTLINE_LOG_FORMAT", "json")
            .stdout(writer.try_clone()?)
            .stderr(writer)
            .stdin(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let hotline = Self {
            child,
            base_url,
            log: LogDrain::start(output, keep),
        };
        let http = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(answer) = http
                .get(format!("{}/readyz", hotline.base_url))
                .send()
                .await
                && answer.status().is_success()
            {
                return Ok(hotline);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("hotline never became ready:\n{}", hotline.log.tail())
    }

    async fn admin(
        &self,
        http: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> anyhow::Result<serde_json::Value> {
        let answer = http
            .request(method, format!("{}{path}", self.base_url))
            .bearer_auth(ADMIN_TOKEN)
            .json(&body)
            .send()
            .await?;
        let status = answer.status();
        let body: serde_json::Value = answer.json().await.unwrap_or_default();
        if !status.is_success() {
            bail!("{path}: {status} {body}");
        }
        Ok(body)
    }

    /// Subscribes `url` to every event of a client.
    pub async fn subscribe(
        &self,
        http: &reqwest::Client,
        client: &str,
        url: &str,
    ) -> anyhow::Result<()> {
        self.admin(
            http,
            reqwest::Method::POST,
            &format!("/api/clients/{client}/webhooks"),
            json!({"url": url, "description": "load receiver"}),
        )
        .await
        .map(drop)
    }

    /// Sets a client's ring strategy.
    pub async fn set_strategy(
        &self,
        http: &reqwest::Client,
        client: &str,
        strategy: &str,
    ) -> anyhow::Result<()> {
        self.admin(
            http,
            reqwest::Method::PATCH,
            &format!("/api/clients/{client}"),
            json!({"ring_strategy": strategy}),
        )
        .await
        .map(drop)
    }

    /// Replaces a client's schedule with `document` (CONTRACT section 3).
    pub async fn set_business_hours(
        &self,
        http: &reqwest::Client,
        client: &str,
        document: serde_json::Value,
    ) -> anyhow::Result<()> {
        self.admin(
            http,
            reqwest::Method::PUT,
            &format!("/api/clients/{client}/business-hours"),
            document,
        )
        .await
        .map(drop)
    }

    /// Creates a client open around the clock with `members` team members;
    /// its id.
    pub async fn seed_client(
        &self,
        http: &reqwest::Client,
        name: &str,
        number: &str,
        members: u32,
        series: u32,
    ) -> anyhow::Result<String> {
        let client = self
            .admin(
                http,
                reqwest::Method::POST,
                "/api/clients",
                json!({"name": name, "twilio_number": number, "timezone": "UTC"}),
            )
            .await?;
        let id = client["id"].as_str().context("no client id")?.to_owned();
        let hours: Vec<serde_json::Value> = (0..7)
            .map(|day| json!({"day_of_week": day, "start_time": "00:00", "end_time": "24:00"}))
            .collect();
        self.admin(
            http,
            reqwest::Method::PUT,
            &format!("/api/clients/{id}/business-hours"),
            json!({"timezone": "UTC", "hours": hours, "closures": []}),
        )
        .await?;
        for m in 0..members {
            self.admin(
                http,
                reqwest::Method::POST,
                &format!("/api/clients/{id}/team-members"),
                json!({"name": format!("Agent {m}"), "phone": format!("+1780{:03}{:04}", 200 + series, m)}),
            )
            .await?;
        }
        Ok(id)
    }

    /// Rows in `table`.
    pub async fn count(&self, db: &Db, table: &str) -> anyhow::Result<i64> {
        let row = db
            .connection()
            .query_one_raw(Statement::from_string(
                db.backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await?
            .context("no count")?;
        Ok(row.try_get::<i64>("", "n")?)
    }

    /// The server's resident memory, from /proc (Linux only).
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    }

    /// Stops the server: the bytes it logged.
    pub fn stop(mut self) -> u64 {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.log.finish()
    }
}
