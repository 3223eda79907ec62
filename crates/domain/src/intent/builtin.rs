//! Hotline's built-in intent scorer: phrase signals, negation, and a
//! weighted sum squashed into 0..1.
//!
//! Each signal found in the message adds its weight (positive for intent,
//! negative for reasons not to ring a crew) to a bias; the logistic of the
//! sum is the score. A cue of intent (a problem, a request to book or be
//! called, a time) is cancelled when a negator ("no", "not", "don't", "ne",
//! "sin"…) stands up to four words before it in the same clause, unless that
//! negator belongs to a phrase of its own ("no heat"). A price question counts
//! for the lead when it comes with a request to book or come out, and
//! against when it stands alone. An opt-out overrides everything: score 0,
//! never hot.

use std::collections::BTreeSet;

use async_trait::async_trait;

use super::normalize::{BREAK, Normalized, normalize};
use super::patterns::{Found, PatternSet};
use super::rules::{ACKNOWLEDGEMENTS, GROUPS, OPT_OUT_KEYWORDS};
use super::{
    IntentAssessment, IntentScore, IntentScorer, IntentScorerError, IntentThreshold, Signal,
};

/// Log-odds of a message with no signal at all.
const BIAS: f64 = -2.2;

/// How many words before a cue a negator may stand.
const NEGATION_REACH: usize = 4;

/// Words that negate the cue after them.
const NEGATORS: &[&str] = &[
    "no", "not", "dont", "never", "without", "nobody", "noone", "ne", "pas", "jamais", "nunca",
    "nadie", "sans",
];

/// Words after which a negator negates nothing that follows
/// ("not sure", "don't hesitate").
const NEGATION_RELEASES: &[&str] = &[
    "know", "sure", "worry", "hesitate", "mind", "wait", "problem", "matter", "se", "sais",
];

/// The weight each signal adds to the log-odds of being hot.
fn weight(signal: Signal) -> f64 {
    match signal {
        Signal::UrgentProblem => 3.2,
        Signal::TimeUrgency => 1.2,
        Signal::ReadyToBook => 3.3,
        Signal::CallRequest => 3.3,
        Signal::CallTime => 0.6,
        Signal::ServiceNeed => 2.0,
        Signal::GivesPhoneNumber => 1.0,
        Signal::UrgentEmoji => 0.8,
        Signal::PriceWithBooking => 0.3,
        Signal::PriceShopping => -1.5,
        Signal::InformationRequest => -0.8,
        Signal::Negated => 0.0,
        Signal::DeclinesCall => -4.0,
        Signal::NotUrgent => -2.5,
        Signal::FutureTiming => -5.0,
        Signal::Hypothetical => -4.5,
        Signal::AlreadyHandled => -6.0,
        Signal::BookingLogistics => -3.5,
        Signal::VendorOrJobSeeker => -6.0,
        Signal::Acknowledgement => -1.0,
        Signal::OptOut => f64::NEG_INFINITY,
    }
}

/// Signals that state intent and can be negated.
fn is_negatable(signal: Signal) -> bool {
    matches!(
        signal,
        Signal::UrgentProblem
            | Signal::TimeUrgency
            | Signal::ReadyToBook
            | Signal::CallRequest
            | Signal::ServiceNeed
    )
}

/// The scorer Hotline ships: pure, deterministic, no network.
#[derive(Debug, Clone)]
pub struct BuiltinIntentScorer {
    threshold: IntentThreshold,
    patterns: PatternSet<Signal>,
}

impl Default for BuiltinIntentScorer {
    fn default() -> Self {
        Self::new(IntentThreshold::DEFAULT)
    }
}

impl BuiltinIntentScorer {
    /// A scorer that calls a message hot when its score exceeds `threshold`.
    pub fn new(threshold: IntentThreshold) -> Self {
        Self {
            threshold,
            patterns: PatternSet::new(GROUPS),
        }
    }

    /// The threshold in use.
    pub fn threshold(&self) -> IntentThreshold {
        self.threshold
    }

    /// Assesses one message; the same as [`IntentScorer::score`], without
    /// the async wrapper.
    pub fn assess(&self, text: &str) -> IntentAssessment {
        let message = normalize(text);
        if is_opt_out_keyword(&message) {
            return opt_out();
        }
        let signals = self.signals(&message);
        if signals.contains(&Signal::OptOut) {
            return opt_out();
        }
        let log_odds: f64 = BIAS + signals.iter().map(|s| weight(*s)).sum::<f64>();
        let score = IntentScore::new(round3(1.0 / (1.0 + (-log_odds).exp())));
        IntentAssessment {
            score,
            hot: self.threshold.is_hot(score),
            signals: signals.into_iter().collect(),
        }
    }

    fn signals(&self, message: &Normalized) -> BTreeSet<Signal> {
        let tokens = &message.tokens;
        let mut found: Vec<Found<Signal>> = Vec::new();
        self.patterns.find_all(tokens, |f| found.push(f));

        // A negator inside a phrase of intent ("no heat", "will not start") is
        // part of that phrase and negates nothing else.
        let in_phrase = |index: usize| {
            found
                .iter()
                .any(|f| is_negatable(f.tag) && f.start <= index && index < f.end)
        };
        let negated = |start: usize| {
            let reach = start.saturating_sub(NEGATION_REACH);
            (reach..start)
                .rev()
                .take_while(|i| tokens[*i] != BREAK)
                .any(|i| {
                    NEGATORS.contains(&tokens[i].as_str())
                        && !in_phrase(i)
                        && !tokens
                            .get(i + 1)
                            .is_some_and(|next| NEGATION_RELEASES.contains(&next.as_str()))
                })
        };

        let mut signals = BTreeSet::new();
        for f in &found {
            if is_negatable(f.tag) && negated(f.start) {
                signals.insert(Signal::Negated);
            } else {
                signals.insert(f.tag);
            }
        }

        let asks_for_action = [
            Signal::ReadyToBook,
            Signal::CallRequest,
            Signal::UrgentProblem,
            Signal::TimeUrgency,
        ]
        .iter()
        .any(|s| signals.contains(s));
        if signals.remove(&Signal::PriceShopping) {
            signals.insert(if asks_for_action {
                Signal::PriceWithBooking
            } else {
                Signal::PriceShopping
            });
        }
        if (signals.contains(&Signal::CallRequest) || signals.contains(&Signal::ReadyToBook))
            && names_a_time(tokens)
        {
            signals.insert(Signal::CallTime);
        }
        if has_phone_number(tokens) {
            signals.insert(Signal::GivesPhoneNumber);
        }
        if message.urgent_emoji {
            signals.insert(Signal::UrgentEmoji);
        }
        let words_acknowledge = message.words().all(|w| ACKNOWLEDGEMENTS.contains(&w));
        if words_acknowledge && (message.ack_emoji || message.words().next().is_some()) {
            signals.insert(Signal::Acknowledgement);
        }
        signals
    }
}

#[async_trait]
impl IntentScorer for BuiltinIntentScorer {
    async fn score(&self, text: &str) -> Result<IntentAssessment, IntentScorerError> {
        Ok(self.assess(text))
    }
}

fn opt_out() -> IntentAssessment {
    IntentAssessment {
        score: IntentScore::new(0.0),
        hot: false,
        signals: vec![Signal::OptOut],
    }
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// The whole message is an opt-out keyword (STOP, UNSUBSCRIBE, ARRÊT, BAJA…).
fn is_opt_out_keyword(message: &Normalized) -> bool {
    let words: Vec<&str> = message.words().collect();
    let joined = words.join(" ");
    OPT_OUT_KEYWORDS.contains(&joined.as_str())
}

/// A clock time: `3pm`, `5:30`, `noon`, or `at|after|before|around|by|between`
/// followed by an hour.
fn names_a_time(tokens: &[String]) -> bool {
    const LEADS: &[&str] = &[
        "at", "after", "before", "around", "by", "between", "until", "a", "vers", "apres", "avant",
        "las",
    ];
    tokens.iter().enumerate().any(|(i, token)| {
        let t = token.as_str();
        let clock = t.ends_with("am") || t.ends_with("pm") || t.contains(':') || t.ends_with('h');
        let numeric_start = t.chars().next().is_some_and(|c| c.is_ascii_digit());
        (numeric_start && clock && t.len() <= 7)
            || matches!(t, "noon" | "midi" | "mediodia" | "lunch" | "lunchtime")
            || (numeric_start
                && t.len() <= 2
                && i.checked_sub(1)
                    .and_then(|j| tokens.get(j))
                    .is_some_and(|p| LEADS.contains(&p.as_str())))
    })
}

/// Seven or more digits in consecutive number tokens: a phone number.
fn has_phone_number(tokens: &[String]) -> bool {
    let mut run = 0;
    for token in tokens {
        let is_number = !token.is_empty() && token.chars().all(|c| c.is_ascii_digit() || c == '.');
        if is_number {
            run += token.chars().filter(char::is_ascii_digit).count();
            if run >= 7 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(text: &str) -> Vec<Signal> {
        BuiltinIntentScorer::default().assess(text).signals
    }

    fn hot(text: &str) -> bool {
        BuiltinIntentScorer::default().assess(text).hot
    }

    /// Each signal, from a message that should raise it.
    #[test]
    fn each_signal_fires_on_its_cue() {
        let cases: &[(&str, Signal)] = &[
            (
                "water is leaking through the kitchen ceiling",
                Signal::UrgentProblem,
            ),
            ("no heat since last night", Signal::UrgentProblem),
            ("sin calefacción y hace mucho frío", Signal::UrgentProblem),
            ("fuite d'eau dans le sous-sol", Signal::UrgentProblem),
            ("are you open tonight", Signal::TimeUrgency),
            ("need it fixed tmrw", Signal::TimeUrgency),
            ("I'd like to book a cleaning", Signal::ReadyToBook),
            ("we accept the quote, go ahead", Signal::ReadyToBook),
            ("quiero agendar una cita", Signal::ReadyToBook),
            ("pls call me", Signal::CallRequest),
            ("rappelez-moi svp", Signal::CallRequest),
            ("llámame por favor", Signal::CallRequest),
            ("call me at 3pm", Signal::CallTime),
            ("call me after 5", Signal::CallTime),
            ("need a plumber", Signal::ServiceNeed),
            ("reach me at 403 555 0142", Signal::GivesPhoneNumber),
            ("basement 💧💧", Signal::UrgentEmoji),
            (
                "how much to fix it, can you come today",
                Signal::PriceWithBooking,
            ),
            ("how much for a furnace tune-up", Signal::PriceShopping),
            ("do you service Airdrie", Signal::InformationRequest),
            ("text only please, can't talk at work", Signal::DeclinesCall),
            ("not urgent, whenever works", Signal::NotUrgent),
            (
                "thinking about a new roof next spring",
                Signal::FutureTiming,
            ),
            (
                "if it ever leaks again I'll let you know",
                Signal::Hypothetical,
            ),
            ("we already hired someone, thanks", Signal::AlreadyHandled),
            ("running 10 min late", Signal::BookingLogistics),
            (
                "are you hiring? I have 5 years experience",
                Signal::VendorOrJobSeeker,
            ),
            ("ok thanks", Signal::Acknowledgement),
            ("👍", Signal::Acknowledgement),
            ("wrong number", Signal::OptOut),
        ];
        for (text, signal) in cases {
            assert!(
                signals(text).contains(signal),
                "{signal} not in {:?} for {text:?}",
                signals(text)
            );
        }
    }

    #[test]
    fn negators_cancel_the_cue_after_them() {
        for text in [
            "don't call me",
            "no need to call",
            "ne m'appelez pas",
            "no me llamen",
        ] {
            assert!(!signals(text).contains(&Signal::CallRequest), "{text}");
            assert!(!hot(text), "{text}");
        }
        assert!(signals("not urgent").contains(&Signal::Negated));
        assert!(!signals("not urgent").contains(&Signal::UrgentProblem));
    }

    #[test]
    fn negation_stays_within_its_clause_and_its_own_phrase() {
        // "no heat" is a phrase of its own: its "no" negates nothing else.
        assert!(signals("no heat please come today").contains(&Signal::ReadyToBook));
        // A sentence break stops a negator.
        assert!(signals("No. Please call me").contains(&Signal::CallRequest));
        // Too far back to reach.
        assert!(
            signals("no idea what happened but the pipe burst").contains(&Signal::UrgentProblem)
        );
        // "not sure" negates nothing.
        assert!(signals("not sure why but the furnace died").contains(&Signal::UrgentProblem));
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
        ] {
            let assessment = BuiltinIntentScorer::default().assess(text);
            assert!(assessment.is_opt_out(), "{text}");
            assert!(!assessment.hot, "{text}");
            assert_eq!(assessment.score.value(), 0.0, "{text}");
        }
        assert!(
            !BuiltinIntentScorer::default()
                .assess("stop the leak please")
                .is_opt_out()
        );
    }

    #[test]
    fn hot_is_strictly_above_the_threshold() {
        let text = "can someone call me";
        let score = BuiltinIntentScorer::default().assess(text).score.value();
        let at = |t: f64| IntentThreshold::new(t).map(BuiltinIntentScorer::new);
        assert_eq!(at(score).map(|s| s.assess(text).hot), Ok(false));
        assert_eq!(at(score - 0.001).map(|s| s.assess(text).hot), Ok(true));
        assert!(IntentThreshold::new(1.5).is_err());
        assert!(IntentThreshold::new(f64::NAN).is_err());
    }

    #[test]
    fn scores_stay_within_zero_and_one() {
        for text in [
            "",
            "🔥🔥🔥",
            "leak flood burst no heat asap today call me book now",
            "a".repeat(5000).as_str(),
        ] {
            let score = BuiltinIntentScorer::default().assess(text).score.value();
            assert!((0.0..=1.0).contains(&score), "{score} for {text:?}");
        }
    }
}
