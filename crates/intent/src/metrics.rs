//! Precision, recall and F1 of a scorer on labelled messages.

use std::collections::BTreeMap;

use hotline_domain::BuiltinIntentScorer;
use serde::Serialize;

use crate::labelled::Example;

/// Counts of right and wrong verdicts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confusion {
    /// Hot, and called hot.
    pub tp: u32,
    /// Not hot, but called hot.
    pub fp: u32,
    /// Hot, but not called hot.
    pub fn_: u32,
    /// Not hot, and not called hot.
    pub tn: u32,
}

impl Confusion {
    /// Counts one verdict.
    pub fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    /// Messages counted.
    pub fn n(&self) -> u32 {
        self.tp + self.fp + self.fn_ + self.tn
    }

    /// Of the messages called hot, the share that were; 1 when none was called hot.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Of the hot messages, the share called hot; 1 when none was hot.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// The harmonic mean of precision and recall; 0 when both are 0.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }

    /// Of all messages, the share called right.
    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.n())
    }

    /// The contract's report: `{"n", "precision", "recall", "f1", "tp", "fp", "fn", "tn"}`,
    /// ratios rounded to four decimals.
    pub fn report(&self) -> Report {
        Report {
            n: self.n(),
            precision: round4(self.precision()),
            recall: round4(self.recall()),
            f1: round4(self.f1()),
            tp: self.tp,
            fp: self.fp,
            fn_: self.fn_,
            tn: self.tn,
        }
    }
}

/// What `hotline intent eval` prints.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Report {
    /// Messages scored.
    pub n: u32,
    /// Share of the messages called hot that were.
    pub precision: f64,
    /// Share of the hot messages called hot.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
    /// True positives.
    pub tp: u32,
    /// False positives.
    pub fp: u32,
    /// False negatives.
    #[serde(rename = "fn")]
    pub fn_: u32,
    /// True negatives.
    pub tn: u32,
}

/// A verdict the scorer got wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Mistake {
    /// The example.
    pub example: Example,
    /// The score given.
    pub score: f64,
    /// The evidence given.
    pub signals: Vec<String>,
}

/// A scorer's results on a set of examples, overall and by language, trade
/// and kind.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// All examples.
    pub overall: Confusion,
    /// By language.
    pub by_lang: BTreeMap<String, Confusion>,
    /// By trade.
    pub by_trade: BTreeMap<String, Confusion>,
    /// By kind of message.
    pub by_kind: BTreeMap<String, Confusion>,
    /// Every wrong verdict.
    pub mistakes: Vec<Mistake>,
}

/// Scores every example with `scorer` and counts the verdicts.
pub fn evaluate(scorer: &BuiltinIntentScorer, examples: &[Example]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for example in examples {
        let assessment = scorer.assess(&example.text);
        evaluation.overall.add(assessment.hot, example.hot);
        for (field, table) in [
            (&example.lang, &mut evaluation.by_lang),
            (&example.trade, &mut evaluation.by_trade),
            (&example.kind, &mut evaluation.by_kind),
        ] {
            if let Some(key) = field {
                table
                    .entry(key.clone())
                    .or_default()
                    .add(assessment.hot, example.hot);
            }
        }
        if assessment.hot != example.hot {
            evaluation.mistakes.push(Mistake {
                example: example.clone(),
                score: assessment.score.value(),
                signals: assessment.signals.iter().map(ToString::to_string).collect(),
            });
        }
    }
    evaluation
}

fn ratio(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        1.0
    } else {
        f64::from(part) / f64::from(whole)
    }
}

fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_recall_and_f1_follow_the_counts() {
        let mut c = Confusion::default();
        for (predicted, actual) in [(true, true), (true, true), (true, false), (false, true)] {
            c.add(predicted, actual);
        }
        c.add(false, false);
        assert_eq!((c.tp, c.fp, c.fn_, c.tn, c.n()), (2, 1, 1, 1, 5));
        assert!((c.precision() - 2.0 / 3.0).abs() < 1e-12);
        assert!((c.recall() - 2.0 / 3.0).abs() < 1e-12);
        assert!((c.f1() - 2.0 / 3.0).abs() < 1e-12);
        let json = serde_json::to_value(c.report()).expect("serializes");
        assert_eq!(json["fn"], 1);
        assert_eq!(json["precision"], 0.6667);
        let none = Confusion::default();
        assert_eq!(
            (none.precision(), none.recall(), none.f1()),
            (1.0, 1.0, 1.0)
        );
    }
}
