//! `hotline intent score` and `hotline intent eval`: the server's scorer
//! and threshold on one message or on a labelled file.

use std::process::ExitCode;

use hotline_domain::BuiltinIntentScorer;
use hotline_intent::labelled;
use hotline_intent::metrics::evaluate;

use crate::cli::{IntentEvalArgs, IntentScoreArgs};
use hotline_app::config;

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
    crate::print_json(&assessment)
}

/// Prints `{"n", "precision", "recall", "f1", "tp", "fp", "fn", "tn"}` for
/// a labelled file, or a one-line error (exit 2).
pub fn eval(args: &IntentEvalArgs) -> ExitCode {
    let threshold = match config::intent_threshold() {
        Ok(threshold) => threshold,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(BAD_CONFIG);
        }
    };
    let examples = match labelled::read_file(&args.file) {
        Ok(examples) => examples,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(BAD_CONFIG);
        }
    };
    let evaluation = evaluate(&BuiltinIntentScorer::new(threshold), &examples);
    crate::print_json(&evaluation.overall.report())
}
