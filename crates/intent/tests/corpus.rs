//! The corpus as committed, and the shipped model's figures on its test split.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use hotline_domain::BuiltinIntentScorer;
use hotline_intent::labelled::{Example, read_file};
use hotline_intent::metrics::evaluate;

/// The trades Hotline serves, as the corpus names them.
const TRADES: &[&str] = &[
    "roofing",
    "plumbing",
    "hvac",
    "electrical",
    "landscaping",
    "cleaning",
    "movers",
    "auto_repair",
    "dental",
    "medical",
    "real_estate",
    "legal",
    "pest_control",
    "locksmith",
    "garage_door",
    "appliance_repair",
];

fn split(name: &str) -> Vec<Example> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../domain/data/intent")
        .join(format!("{name}.tsv"));
    read_file(&path).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn the_corpus_covers_every_trade_and_language_in_disjoint_splits() {
    let parts = [split("train"), split("dev"), split("test")];
    let all: Vec<&Example> = parts.iter().flatten().collect();
    assert!(all.len() >= 2000, "{} messages", all.len());

    let mut texts = HashSet::new();
    for example in &all {
        assert!(
            texts.insert(example.text.to_lowercase()),
            "repeated: {}",
            example.text
        );
    }
    let mut by_trade: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_lang: BTreeMap<&str, usize> = BTreeMap::new();
    for example in &all {
        *by_trade
            .entry(example.trade.as_deref().unwrap_or(""))
            .or_default() += 1;
        *by_lang
            .entry(example.lang.as_deref().unwrap_or(""))
            .or_default() += 1;
    }
    for trade in TRADES {
        assert!(
            by_trade.get(trade).is_some_and(|n| *n >= 50),
            "{trade}: {by_trade:?}"
        );
    }
    for lang in ["en", "fr", "es"] {
        let share = by_lang.get(lang).copied().unwrap_or(0) as f64 / all.len() as f64;
        assert!(share >= 0.15, "{lang}: {by_lang:?}");
    }
    let hot = all.iter().filter(|e| e.hot).count() as f64 / all.len() as f64;
    assert!((0.35..0.55).contains(&hot), "hot share {hot}");
    // Hard negatives: every kind of not-hot message is there.
    let kinds: HashSet<&str> = all.iter().filter_map(|e| e.kind.as_deref()).collect();
    for kind in [
        "vendor",
        "job_seeker",
        "already_handled",
        "future_timing",
        "sarcasm",
        "opt_out",
    ] {
        assert!(kinds.contains(kind), "{kind}");
    }
}

#[test]
fn the_shipped_scorer_reaches_its_targets_on_the_test_split() {
    let evaluation = evaluate(&BuiltinIntentScorer::default(), &split("test"));
    let overall = evaluation.overall;
    let mistakes: Vec<String> = evaluation
        .mistakes
        .iter()
        .map(|m| format!("{} {:.3} {}", m.example.hot, m.score, m.example.text))
        .collect();
    assert!(
        overall.precision() >= 0.90 && overall.f1() >= 0.92,
        "precision {:.3} recall {:.3} F1 {:.3}; mistakes:\n{}",
        overall.precision(),
        overall.recall(),
        overall.f1(),
        mistakes.join("\n")
    );
}
