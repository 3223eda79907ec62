//! Scores a labelled set of messages with the built-in intent scorer and
//! prints precision, recall, F1 and every mistake.
//!
//! ```sh
//! cargo run -p hotline-domain --example intent_eval -- FILE.tsv [THRESHOLD]
//! ```
//!
//! FILE is tab-separated with a header line; the first column is the label
//! (`hot` or `not`) and the last column is the message text, so both the
//! team's set (`label trade lang kind text`) and a plain `label text` file work.

use std::process::ExitCode;

use hotline_domain::{BuiltinIntentScorer, IntentThreshold};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: intent_eval FILE.tsv [THRESHOLD]");
        return ExitCode::from(2);
    };
    let threshold = match args.next().map(|t| t.parse::<f64>()) {
        None => IntentThreshold::DEFAULT,
        Some(Ok(value)) => match IntentThreshold::new(value) {
            Ok(threshold) => threshold,
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(2);
            }
        },
        Some(Err(error)) => {
            eprintln!("error: threshold: {error}");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: {path}: {error}");
            return ExitCode::from(2);
        }
    };
    let scorer = BuiltinIntentScorer::new(threshold);
    let (mut tp, mut fp, mut fn_, mut tn) = (0u32, 0u32, 0u32, 0u32);
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (Some(label), Some(message)) = (fields.first(), fields.last()) else {
            continue;
        };
        let actual = *label == "hot";
        let assessment = scorer.assess(message);
        match (assessment.hot, actual) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => tn += 1,
        }
        if assessment.hot != actual {
            let signals: Vec<&str> = assessment.signals.iter().map(|s| s.as_str()).collect();
            println!(
                "{:9} {:.3} [{}] {message}",
                if actual { "missed" } else { "false hot" },
                assessment.score.value(),
                signals.join(",")
            );
        }
    }
    let precision = f64::from(tp) / f64::from(tp + fp).max(1.0);
    let recall = f64::from(tp) / f64::from(tp + fn_).max(1.0);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    println!(
        "messages {} precision {precision:.3} recall {recall:.3} f1 {f1:.3} (tp {tp} fp {fp} fn {fn_} tn {tn})",
        tp + fp + fn_ + tn
    );
    ExitCode::SUCCESS
}
