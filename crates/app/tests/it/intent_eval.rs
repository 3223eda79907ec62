//! `hotline intent eval`: the contract's report on a labelled file.

use serde_json::{Value, json};

use crate::helpers::{TempFile, hotline};

fn eval(file: &TempFile) -> Value {
    let run = hotline(&["intent", "eval", file.arg()]);
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout))
}

#[test]
fn a_tsv_file_is_scored_with_the_server_scorer() {
    // Two clear hot messages, two clear not, and one hot message labelled
    // not on purpose: the report must count it as a false positive.
    let file = TempFile::new(
        "set.tsv",
        "kind\tlabel\ttext\n\
         a\thot\tpipe burst in the basement, water everywhere, please come now\n\
         b\thot\tyou're hired, when can your crew start?\n\
         c\tnot\twe went with another company, thanks anyway\n\
         d\tnot\tSTOP\n\
         e\tnot\tcan someone call me right now, roof is leaking\n"
            .as_bytes(),
    );
    let report = eval(&file);
    assert_eq!(
        report,
        json!({"n": 5, "precision": 0.6667, "recall": 1.0, "f1": 0.8, "tp": 2, "fp": 1, "fn": 0, "tn": 2})
    );
    let keys: Vec<&String> = report
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        ["f1", "fn", "fp", "n", "precision", "recall", "tn", "tp"]
    );
}

#[test]
fn a_json_lines_file_is_scored_too() {
    let file = TempFile::new(
        "set.jsonl",
        b"{\"text\": \"no heat and it's freezing, send someone today\", \"hot\": true}\n\
          {\"text\": \"thanks!\", \"hot\": false}\n",
    );
    let report = eval(&file);
    assert_eq!(
        (
            report["n"].clone(),
            report["tp"].clone(),
            report["tn"].clone()
        ),
        (json!(2), json!(1), json!(1))
    );
}

#[test]
fn a_bad_file_exits_2_naming_the_line() {
    let file = TempFile::new("bad.tsv", b"label\ttext\nmaybe\tcall me\n");
    let run = hotline(&["intent", "eval", file.arg()]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("bad.tsv:2: label must be hot or not"),
        "{}",
        run.stderr
    );
    let run = hotline(&["intent", "eval", "/nonexistent/set.tsv"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("/nonexistent/set.tsv"),
        "{}",
        run.stderr
    );
}
