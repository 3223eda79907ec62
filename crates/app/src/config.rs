//! Hotline's configuration, read from the environment in one place.
//!
//! Each setting has the contract's default; a bad value is an error that
//! names the variable, so start-up stops with one clear line.

use std::net::SocketAddr;

use hotline_domain::IntentThreshold;

/// A configuration variable has a value Hotline cannot use.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub variable: &'static str,
    /// What is wrong with its value.
    pub problem: String,
}

/// Twilio requests handled at once unless configured: about half a second
/// of work at this machine's capacity, far above a healthy load's handful.
pub const DEFAULT_MAX_WEBHOOKS_IN_FLIGHT: usize = 512;

/// Twilio credentials; without them Hotline runs in sandbox mode.
#[derive(Clone)]
pub struct TwilioSettings {
    /// `TWILIO_ACCOUNT_SID`.
    pub account_sid: String,
    /// `TWILIO_AUTH_TOKEN`, also the key of webhook signatures.
    pub auth_token: String,
    /// `TWILIO_API_KEY_SID` and `TWILIO_API_KEY_SECRET`, when set.
    pub api_key: Option<(String, String)>,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// For people.
    Text,
    /// One JSON object per line.
    Json,
}

/// Everything `hotline serve` needs.
#[derive(Clone)]
pub struct Config {
    /// `DATABASE_URL`.
    pub database_url: String,
    /// `HOTLINE_DATABASE_POOL_SIZE`: connections to the database at most;
    /// `None` keeps the adapter's default.
    pub database_pool_size: Option<u32>,
    /// `HOTLINE_LISTEN`.
    pub listen: SocketAddr,
    /// `HOTLINE_PUBLIC_URL`, without a trailing slash.
    pub public_url: String,
    /// `HOTLINE_ADMIN_TOKEN`.
    pub admin_token: Option<String>,
    /// Twilio credentials, or sandbox mode.
    pub twilio: Option<TwilioSettings>,
    /// `TWILIO_API_BASE`.
    pub twilio_api_base: String,
    /// `TWILIO_CALLS_PER_SECOND`; 0 turns pacing off.
    pub calls_per_second: f64,
    /// `HOTLINE_INTENT_THRESHOLD`.
    pub intent_threshold: IntentThreshold,
    /// `HOTLINE_RING_TIMEOUT_SECONDS`.
    pub ring_timeout_seconds: u32,
    /// `HOTLINE_LOG_FORMAT`: `text` (default) or `json`.
    pub log_format: LogFormat,
    /// `HOTLINE_MAX_WEBHOOKS_IN_FLIGHT`: Twilio requests handled at once;
    /// more are answered 503 at once.
    pub max_webhooks_in_flight: usize,
    /// `HOTLINE_RETENTION_DAYS`: when set, the worker prunes records older
    /// than this many days once an hour.
    pub retention_days: Option<u32>,
    /// `HOTLINE_AGENT_MACHINE_DETECTION` (default false): agent legs ask
    /// Twilio to detect answering machines.
    pub agent_machine_detection: bool,
    /// `HOTLINE_SHUTDOWN_GRACE_SECONDS` (default 10, 0..300): on SIGTERM,
    /// how long running work may finish after the last request.
    pub shutdown_grace_seconds: u32,
    /// `HOTLINE_WEBHOOK_ALLOW_PRIVATE` (default false): outbound webhooks
    /// may go to loopback, private, link-local and unspecified addresses.
    pub webhook_allow_private: bool,
    /// `HOTLINE_METRICS_TOKEN`: when set, `/metrics` answers only requests
    /// bearing it.
    pub metrics_token: Option<String>,
}

impl Config {
    /// The contract's defaults on `database_url`, served at `public_url`:
    /// sandbox mode (no Twilio credentials), no admin token. For tests and
    /// embedders that set the fields they need.
    pub fn new(database_url: &str, public_url: &str) -> Self {
        Self {
            database_url: database_url.to_owned(),
            database_pool_size: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: public_url.trim_end_matches('/').to_owned(),
            admin_token: None,
            twilio: None,
            twilio_api_base: "https://api.twilio.com".to_owned(),
            calls_per_second: 1.0,
            intent_threshold: IntentThreshold::DEFAULT,
            ring_timeout_seconds: 30,
            log_format: LogFormat::Text,
            max_webhooks_in_flight: DEFAULT_MAX_WEBHOOKS_IN_FLIGHT,
            retention_days: None,
            agent_machine_detection: false,
            shutdown_grace_seconds: 10,
            webhook_allow_private: false,
            metrics_token: None,
        }
    }

    /// Reads and validates every variable.
    ///
    /// # Errors
    ///
    /// The first [`ConfigError`], naming its variable.
    pub fn from_env() -> Result<Self, ConfigError> {
        let database_url =
            read("DATABASE_URL")?.unwrap_or_else(|| "sqlite://hotline.db?mode=rwc".to_owned());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(problem(
                "DATABASE_URL",
                "must start with sqlite: or postgres://",
            ));
        }
        let listen = read("HOTLINE_LISTEN")?
            .unwrap_or_else(|| "127.0.0.1:8080".to_owned())
            .parse()
            .map_err(|_| {
                problem(
                    "HOTLINE_LISTEN",
                    "must be an address such as 127.0.0.1:8080",
                )
            })?;
        let public_url = url("HOTLINE_PUBLIC_URL", "http://127.0.0.1:8080")?;
        let twilio_api_base = url("TWILIO_API_BASE", "https://api.twilio.com")?;
        let twilio = twilio_settings()?;
        let calls_per_second = calls_per_second()?;
        let ring_timeout_seconds =
            whole_number("HOTLINE_RING_TIMEOUT_SECONDS", 5, 600, "seconds")?.unwrap_or(30);
        let log_format = match read("HOTLINE_LOG_FORMAT")?.as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(problem(
                    "HOTLINE_LOG_FORMAT",
                    &format!("{other:?} is not text or json"),
                ));
            }
        };
        let database_pool_size = whole_number("HOTLINE_DATABASE_POOL_SIZE", 1, 200, "connections")?;
        let max_webhooks_in_flight =
            whole_number("HOTLINE_MAX_WEBHOOKS_IN_FLIGHT", 1, 100_000, "requests")?
                .map_or(DEFAULT_MAX_WEBHOOKS_IN_FLIGHT, |n| {
                    usize::try_from(n).unwrap_or(DEFAULT_MAX_WEBHOOKS_IN_FLIGHT)
                });
        let retention_days = whole_number("HOTLINE_RETENTION_DAYS", 1, 3650, "days")?;
        let agent_machine_detection = flag("HOTLINE_AGENT_MACHINE_DETECTION")?;
        let shutdown_grace_seconds =
            whole_number("HOTLINE_SHUTDOWN_GRACE_SECONDS", 0, 300, "seconds")?.unwrap_or(10);
        Ok(Self {
            database_url,
            database_pool_size,
            listen,
            public_url,
            admin_token: read("HOTLINE_ADMIN_TOKEN")?,
            twilio,
            twilio_api_base,
            calls_per_second,
            intent_threshold: intent_threshold()?,
            ring_timeout_seconds,
            log_format,
            max_webhooks_in_flight,
            retention_days,
            agent_machine_detection,
            shutdown_grace_seconds,
            webhook_allow_private: flag("HOTLINE_WEBHOOK_ALLOW_PRIVATE")?,
            metrics_token: read("HOTLINE_METRICS_TOKEN")?,
        })
    }
}

/// Reads `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN` and the optional API key;
/// `None` (sandbox mode) without both of the first two.
fn twilio_settings() -> Result<Option<TwilioSettings>, ConfigError> {
    let settings = match (read("TWILIO_ACCOUNT_SID")?, read("TWILIO_AUTH_TOKEN")?) {
        (Some(account_sid), Some(auth_token)) => {
            if !account_sid.starts_with("AC") {
                return Err(problem("TWILIO_ACCOUNT_SID", "must start with AC"));
            }
            let api_key = match (read("TWILIO_API_KEY_SID")?, read("TWILIO_API_KEY_SECRET")?) {
                (Some(sid), Some(secret)) => Some((sid, secret)),
                (None, None) => None,
                (Some(_), None) => {
                    return Err(problem(
                        "TWILIO_API_KEY_SECRET",
                        "must be set with TWILIO_API_KEY_SID",
                    ));
                }
                (None, Some(_)) => {
                    return Err(problem(
                        "TWILIO_API_KEY_SID",
                        "must be set with TWILIO_API_KEY_SECRET",
                    ));
                }
            };
            Some(TwilioSettings {
                account_sid,
                auth_token,
                api_key,
            })
        }
        _ => None,
    };
    Ok(settings)
}

/// Reads a yes-or-no setting: `true` or `false` (also `1`/`0`, `yes`/`no`,
/// any case); unset is false.
fn flag(variable: &'static str) -> Result<bool, ConfigError> {
    match read(variable)?
        .map(|raw| raw.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("false" | "0" | "no") => Ok(false),
        Some("true" | "1" | "yes") => Ok(true),
        Some(other) => Err(problem(
            variable,
            &format!("{other:?} is not true or false"),
        )),
    }
}

/// Reads `TWILIO_CALLS_PER_SECOND` (default 1; 0 turns pacing off).
fn calls_per_second() -> Result<f64, ConfigError> {
    let value = match read("TWILIO_CALLS_PER_SECOND")? {
        None => 1.0,
        Some(raw) => raw
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| {
                problem(
                    "TWILIO_CALLS_PER_SECOND",
                    &format!("{raw:?} is not a number of calls per second (0 turns pacing off)"),
                )
            })?,
    };
    Ok(value)
}

/// Reads `HOTLINE_INTENT_THRESHOLD` (default 0.7): a lead is hot when its
/// score is strictly above it.
pub fn intent_threshold() -> Result<IntentThreshold, ConfigError> {
    const VARIABLE: &str = "HOTLINE_INTENT_THRESHOLD";
    let Some(raw) = read(VARIABLE)? else {
        return Ok(IntentThreshold::DEFAULT);
    };
    let value: f64 = raw
        .trim()
        .parse()
        .map_err(|_| problem(VARIABLE, &format!("{raw:?} is not a number from 0 to 1")))?;
    IntentThreshold::new(value).map_err(|error| problem(VARIABLE, &error.to_string()))
}

/// A whole number from `min` to `max` (of `unit`), `None` when unset.
fn whole_number(
    variable: &'static str,
    min: u32,
    max: u32,
    unit: &str,
) -> Result<Option<u32>, ConfigError> {
    let Some(raw) = read(variable)? else {
        return Ok(None);
    };
    raw.trim()
        .parse::<u32>()
        .ok()
        .filter(|v| (min..=max).contains(v))
        .map(Some)
        .ok_or_else(|| {
            problem(
                variable,
                &format!("{raw:?} is not a whole number of {unit} from {min} to {max}"),
            )
        })
}

fn problem(variable: &'static str, text: &str) -> ConfigError {
    ConfigError {
        variable,
        problem: text.to_owned(),
    }
}

/// An http(s) URL without a trailing slash.
fn url(variable: &'static str, default: &str) -> Result<String, ConfigError> {
    let value = read(variable)?.unwrap_or_else(|| default.to_owned());
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| problem(variable, &format!("{value:?} is not an http(s) URL")))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || rest.contains(char::is_whitespace) {
        return Err(problem(
            variable,
            &format!("{value:?} is not an http(s) URL"),
        ));
    }
    Ok(value.trim_end_matches('/').to_owned())
}

/// The variable's value, `None` when unset or empty.
fn read(variable: &'static str) -> Result<Option<String>, ConfigError> {
    match std::env::var(variable) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(problem(variable, "is not valid UTF-8")),
    }
}
