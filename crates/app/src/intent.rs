//! `hotline intent score`: scores one message with the server's scorer.

use std::process::ExitCode;

use hotline_domain::BuiltinIntentScorer;

use crate::cli::IntentScoreArgs;
use crate::config;

/// Exit status for a bad configuration value.
const BAD_CONFIG: u8 = 2;

/// Prints `{"score", "hot", "signals"}` for the message, or a one-line error.
pub fn score(args: &IntentScoreArgs) -> ExitCode {
    let threshold = match config::intent_threshold() {
        Ok(threshold) => threshold,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(BAD_CONFIG);
        }
    };
    let assessment = BuiltinIntentScorer::new(threshold).assess(&args.text.join(" "));
    match serde_json::to_string(&assessment) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot write the answer: {error}");
            ExitCode::FAILURE
        }
    }
}
