//! `hotline intent score`: the contract's output and the threshold setting.

use std::process::Command;

use serde_json::Value;

use crate::helpers::hotline;

fn score(args: &[&str]) -> Value {
    let mut all = vec!["intent", "score"];
    all.extend_from_slice(args);
    let run = hotline(&all);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout))
}

#[test]
fn prints_score_hot_and_signals() {
    let answer = score(&["water pouring through the ceiling, can someone come today?"]);
    assert_eq!(answer["hot"], Value::Bool(true));
    let value = answer["score"].as_f64().unwrap_or(-1.0);
    assert!(value > 0.7 && value <= 1.0, "{answer}");
    let signals = answer["signals"].as_array().cloned().unwrap_or_default();
    assert!(signals.contains(&Value::from("urgent_problem")), "{answer}");
    let keys: Vec<&String> = answer
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys, ["hot", "score", "signals"]);
}

#[test]
fn joins_unquoted_words_and_reports_opt_outs() {
    let answer = score(&["no", "need", "to", "call"]);
    assert_eq!(answer["hot"], Value::Bool(false));
    let stop = score(&["STOP"]);
    assert_eq!(stop["hot"], Value::Bool(false));
    assert_eq!(stop["signals"], serde_json::json!(["opt_out"]));
}

#[test]
fn uses_the_configured_threshold() {
    let text = "can someone call me";
    let default = score(&[text]);
    assert_eq!(default["hot"], Value::Bool(true));
    // Hot is strictly above the threshold: at its own score it is not hot.
    let own_score = default["score"].to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_hotline"))
        .args(["intent", "score", text])
        .env("HOTLINE_INTENT_THRESHOLD", &own_score)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let strict: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    assert_eq!(strict["hot"], Value::Bool(false), "{strict}");
    assert_eq!(strict["score"], default["score"]);
}

#[test]
fn a_bad_threshold_stops_with_the_variable_named() {
    for bad in ["1.5", "-0.1", "hot"] {
        let output = Command::new(env!("CARGO_BIN_EXE_hotline"))
            .args(["intent", "score", "hello"])
            .env("HOTLINE_INTENT_THRESHOLD", bad)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.starts_with("error: HOTLINE_INTENT_THRESHOLD:"),
            "{stderr}"
        );
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
}
