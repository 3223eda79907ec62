//! Hotline's built-in intent scorer: rule signals and a learned model.
//!
//! A message is normalized, its rule signals read (phrase lists and
//! negation, [`super::signals`]), and an opt-out ends there: score 0, never
//! hot. Otherwise the learned model ([`IntentModel`]) weighs the signals,
//! the message's shape, its words, word pairs and letter runs; the logistic
//! of the sum is the score. The evidence reported is what pushed the score
//! most, each letter run credited to the word it came from.

use std::collections::BTreeSet;
use std::sync::Arc;

use async_trait::async_trait;

use super::features::{MessageFeatures, Origin};
use super::model::IntentModel;
use super::normalize::normalize;
use super::signals::RuleReader;
use super::{
    Evidence, IntentAssessment, IntentScore, IntentScorer, IntentScorerError, IntentThreshold,
    Signal,
};

/// The most pieces of evidence reported for one message.
const MAX_EVIDENCE: usize = 5;

/// Evidence that moved the log-odds less than this is not reported.
const MIN_EVIDENCE_WEIGHT: f32 = 0.15;

/// The scorer Hotline ships: pure, deterministic, no network.
#[derive(Debug, Clone)]
pub struct BuiltinIntentScorer {
    threshold: IntentThreshold,
    rules: RuleReader,
    model: Arc<IntentModel>,
}

impl Default for BuiltinIntentScorer {
    fn default() -> Self {
        Self::new(IntentThreshold::DEFAULT)
    }
}

impl BuiltinIntentScorer {
    /// A scorer with the shipped model that calls a message hot when its
    /// score exceeds `threshold`.
    pub fn new(threshold: IntentThreshold) -> Self {
        Self::with_model(threshold, IntentModel::shipped())
    }

    /// A scorer with another model, for training and evaluation.
    pub fn with_model(threshold: IntentThreshold, model: Arc<IntentModel>) -> Self {
        Self {
            threshold,
            rules: RuleReader::new(),
            model,
        }
    }

    /// The threshold in use.
    pub fn threshold(&self) -> IntentThreshold {
        self.threshold
    }

    /// Assesses one message; the same as [`IntentScorer::score`], without
    /// the async wrapper.
    ///
    /// # Example
    ///
    /// ```
    /// use hotline_domain::{BuiltinIntentScorer, IntentThreshold};
    ///
    /// let scorer = BuiltinIntentScorer::new(IntentThreshold::DEFAULT);
    /// let hired = scorer.assess("you're hired, when can your crew start?");
    /// assert!(hired.hot);
    /// // The evidence names what pushed the score most.
    /// assert!(!hired.signals.is_empty());
    ///
    /// assert!(!scorer.assess("we went with another company, thanks anyway").hot);
    ///
    /// // An opt-out is never hot, whatever else it says.
    /// let stop = scorer.assess("STOP");
    /// assert!(stop.is_opt_out() && !stop.hot);
    /// ```
    pub fn assess(&self, text: &str) -> IntentAssessment {
        let message = normalize(text);
        let signals = self.rules.read(&message);
        if RuleReader::is_opt_out(&message, &signals) {
            return opt_out();
        }
        let signals: Vec<Signal> = signals.into_iter().collect();
        let features = MessageFeatures::new(&message, &signals);
        let mut log_odds = self.model.bias();
        let mut credits: Vec<(Origin, f32)> = Vec::with_capacity(64);
        features.for_each(|feature, origin| {
            let push = self.model.weight(feature.key()) * feature.value();
            log_odds += push;
            match credits.last_mut() {
                Some((last, credit)) if *last == origin => *credit += push,
                _ => credits.push((origin, push)),
            }
        });
        let score = IntentScore::new(round3(1.0 / (1.0 + (-f64::from(log_odds)).exp())));
        IntentAssessment {
            score,
            hot: self.threshold.is_hot(score),
            signals: strongest_evidence(&features, credits),
        }
    }

    /// The features of `text` by name with their values, as the model reads
    /// them, or `None` for an opt-out (which the model never scores). For
    /// training a model.
    pub fn features(&self, text: &str) -> Option<Vec<(String, f32)>> {
        let message = normalize(text);
        let signals = self.rules.read(&message);
        if RuleReader::is_opt_out(&message, &signals) {
            return None;
        }
        let signals: Vec<Signal> = signals.into_iter().collect();
        let features = MessageFeatures::new(&message, &signals);
        let mut named = Vec::with_capacity(128);
        features.for_each(|feature, _| named.push((feature.to_string(), feature.value())));
        Some(named)
    }

    /// The rule signals of `text`, without the model.
    pub fn rule_signals(&self, text: &str) -> BTreeSet<Signal> {
        self.rules.read(&normalize(text))
    }
}

#[async_trait]
impl IntentScorer for BuiltinIntentScorer {
    async fn score(&self, text: &str) -> Result<IntentAssessment, IntentScorerError> {
        Ok(self.assess(text))
    }
}

/// The parts of the message that pushed the score most, either way.
fn strongest_evidence(
    features: &MessageFeatures<'_>,
    mut credits: Vec<(Origin, f32)>,
) -> Vec<Evidence> {
    credits.retain(|(_, credit)| credit.abs() >= MIN_EVIDENCE_WEIGHT);
    credits.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    let mut evidence: Vec<Evidence> = Vec::with_capacity(MAX_EVIDENCE);
    for (origin, _) in credits {
        let item = match origin {
            Origin::Rule(signal) => Evidence::Rule(signal),
            Origin::Shape(shape) => Evidence::Shape(shape.to_owned()),
            Origin::Word(index) => Evidence::Word(features.word(index).to_owned()),
            Origin::Pair(index) => Evidence::Phrase(format!(
                "{} {}",
                features.word(index),
                features.word(index + 1)
            )),
        };
        if !evidence.contains(&item) {
            evidence.push(item);
        }
        if evidence.len() == MAX_EVIDENCE {
            break;
        }
    }
    evidence
}

fn opt_out() -> IntentAssessment {
    IntentAssessment {
        score: IntentScore::new(0.0),
        hot: false,
        signals: vec![Evidence::Rule(Signal::OptOut)],
    }
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assess(text: &str) -> IntentAssessment {
        BuiltinIntentScorer::default().assess(text)
    }

    #[test]
    fn ordinary_buying_language_is_hot() {
        for text in [
            "you're hired, when can your crew start?",
            "the price works, put us down",
            "any openings thursday?",
            "call me",
            "toilet overflowing",
            "on prend la soumission, vous pouvez commencer lundi?",
            "dale, hagámoslo. cuándo empiezan?",
            "pipe burst in the basement, water everywhere",
        ] {
            let assessment = assess(text);
            assert!(assessment.hot, "{text}: {assessment:?}");
        }
    }

    #[test]
    fn hard_negatives_are_not_hot() {
        for text in [
            "we went with another company, thanks anyway",
            "thinking about a new roof next spring, no rush",
            "We help contractors get 30 leads a month, call me today for a free audit",
            "confirming tuesday 10am",
            "thanks so much!",
            "👍",
            "how much do you charge per hour? just getting a few quotes",
        ] {
            let assessment = assess(text);
            assert!(!assessment.hot, "{text}: {assessment:?}");
        }
    }

    #[test]
    fn the_evidence_names_what_pushed_the_score() {
        let assessment = assess("water is leaking through the kitchen ceiling, can you come today");
        let names: Vec<String> = assessment.signals.iter().map(ToString::to_string).collect();
        assert!(names.contains(&"urgent_problem".to_owned()), "{names:?}");
        assert!(names.len() <= MAX_EVIDENCE, "{names:?}");
        let hired = assess("you're hired");
        assert!(
            hired
                .signals
                .iter()
                .any(|e| matches!(e, Evidence::Word(w) if w == "hired")),
            "{hired:?}"
        );
    }

    #[test]
    fn opt_outs_are_never_hot_and_are_recognisable() {
        for text in [
            "STOP",
            "Stop",
            "unsubscribe",
            "ARRÊT",
            "BAJA",
            "stop texting me, call me asap",
            "wrong number",
        ] {
            let assessment = assess(text);
            assert!(assessment.is_opt_out(), "{text}");
            assert!(!assessment.hot, "{text}");
            assert_eq!(assessment.score.value(), 0.0, "{text}");
            assert_eq!(
                assessment.signals,
                [Evidence::Rule(Signal::OptOut)],
                "{text}"
            );
        }
        for text in [
            "stop the leak please",
            "no me manden cotización por correo, solo vengan hoy",
        ] {
            assert!(!assess(text).is_opt_out(), "{text}");
        }
    }

    #[test]
    fn hot_is_strictly_above_the_threshold() {
        let text = "can someone call me";
        let score = assess(text).score.value();
        let at = |t: f64| IntentThreshold::new(t).map(BuiltinIntentScorer::new);
        assert_eq!(at(score).map(|s| s.assess(text).hot), Ok(false));
        assert_eq!(at(score - 0.001).map(|s| s.assess(text).hot), Ok(true));
    }

    #[test]
    fn scores_stay_within_zero_and_one() {
        for text in [
            "",
            "🔥🔥🔥",
            "leak flood burst no heat asap today call me book now",
            "a".repeat(5000).as_str(),
            "\u{0}\u{1}\u{7f}",
        ] {
            let score = assess(text).score.value();
            assert!((0.0..=1.0).contains(&score), "{score} for {text:?}");
        }
    }

    #[test]
    fn features_are_what_the_model_reads_and_none_for_an_opt_out() {
        let scorer = BuiltinIntentScorer::default();
        let features = scorer.features("call me").unwrap_or_default();
        assert!(
            features.iter().any(|(name, _)| name == "p:call me"),
            "{features:?}"
        );
        assert!(scorer.features("STOP").is_none());
    }
}
