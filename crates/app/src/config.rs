//! Hotline's configuration, read from the environment in one place.
//!
//! Each setting has the contract's default; a bad value is an error that
//! names the variable, so start-up can stop with one clear line.

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

/// Reads `HOTLINE_INTENT_THRESHOLD` (default 0.7): a lead is hot when its
/// score is strictly above it.
pub fn intent_threshold() -> Result<IntentThreshold, ConfigError> {
    const VARIABLE: &str = "HOTLINE_INTENT_THRESHOLD";
    let Some(raw) = read(VARIABLE)? else {
        return Ok(IntentThreshold::DEFAULT);
    };
    let value: f64 = raw.trim().parse().map_err(|_| ConfigError {
        variable: VARIABLE,
        problem: format!("{raw:?} is not a number from 0 to 1"),
    })?;
    IntentThreshold::new(value).map_err(|error| ConfigError {
        variable: VARIABLE,
        problem: error.to_string(),
    })
}

/// The variable's value, `None` when unset or empty.
fn read(variable: &'static str) -> Result<Option<String>, ConfigError> {
    match std::env::var(variable) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError {
            variable,
            problem: "is not valid UTF-8".to_owned(),
        }),
    }
}
