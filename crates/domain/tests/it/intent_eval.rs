//! Scores the team's labelled evaluation set (`tests/data/intent_eval.tsv`)
//! and holds the built-in scorer to its targets: precision and F1 of at
//! least 0.90 on hot leads at the default threshold.

use hotline_domain::BuiltinIntentScorer;

const EVAL_SET: &str = include_str!("../data/intent_eval.tsv");

/// One labelled message.
struct Example<'a> {
    hot: bool,
    lang: &'a str,
    text: &'a str,
}

fn examples() -> Vec<Example<'static>> {
    EVAL_SET
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 5, "malformed line: {line}");
            assert!(matches!(fields[0], "hot" | "not"), "bad label: {line}");
            Example {
                hot: fields[0] == "hot",
                lang: fields[2],
                text: fields[4],
            }
        })
        .collect()
}

/// Counts of a binary classification, hot being the positive class.
#[derive(Debug, Default)]
struct Confusion {
    true_positive: u32,
    false_positive: u32,
    false_negative: u32,
    true_negative: u32,
}

impl Confusion {
    fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.true_positive += 1,
            (true, false) => self.false_positive += 1,
            (false, true) => self.false_negative += 1,
            (false, false) => self.true_negative += 1,
        }
    }

    fn precision(&self) -> f64 {
        f64::from(self.true_positive) / f64::from(self.true_positive + self.false_positive).max(1.0)
    }

    fn recall(&self) -> f64 {
        f64::from(self.true_positive) / f64::from(self.true_positive + self.false_negative).max(1.0)
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

#[test]
fn the_team_set_is_large_and_balanced_enough() {
    let examples = examples();
    let hot = examples.iter().filter(|e| e.hot).count();
    assert!(examples.len() >= 200, "only {} examples", examples.len());
    let share = hot as f64 / examples.len() as f64;
    assert!((0.40..=0.50).contains(&share), "hot share {share:.2}");
    for lang in ["en", "fr", "es"] {
        assert!(
            examples.iter().filter(|e| e.lang == lang).count() >= 20,
            "too few {lang}"
        );
    }
}

#[test]
fn precision_and_f1_reach_the_targets_on_the_team_set() {
    let scorer = BuiltinIntentScorer::default();
    let mut overall = Confusion::default();
    let mut mistakes = Vec::new();
    for example in examples() {
        let assessment = scorer.assess(example.text);
        overall.add(assessment.hot, example.hot);
        if assessment.hot != example.hot {
            let signals: Vec<&str> = assessment.signals.iter().map(|s| s.as_str()).collect();
            mistakes.push(format!(
                "{} {:.3} [{}] {}",
                if example.hot { "missed" } else { "false hot" },
                assessment.score.value(),
                signals.join(","),
                example.text
            ));
        }
    }
    let report = format!(
        "precision {:.3} recall {:.3} f1 {:.3} ({overall:?})\n{}",
        overall.precision(),
        overall.recall(),
        overall.f1(),
        mistakes.join("\n")
    );
    println!("{report}");
    assert!(overall.precision() >= 0.90, "{report}");
    assert!(overall.f1() >= 0.90, "{report}");
}
