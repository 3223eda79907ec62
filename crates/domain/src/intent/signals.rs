//! Rule signals: what the phrase lists, negation and a few shapes (a clock
//! time, a phone number, an acknowledgement) find in a normalized message.
//!
//! A cue of intent (a problem, a request to book or be called, a time) is
//! cancelled when a negator ("no", "not", "don't", "ne", "sin"…) stands up to
//! four words before it in the same clause, unless that negator belongs to a
//! phrase of its own ("no heat"). A price question counts for the lead when
//! it comes with a request to book or come out, and against when it stands
//! alone. The signals are features of the learned model and part of its
//! explanation.

use std::collections::BTreeSet;

use super::Signal;
use super::normalize::{BREAK, Normalized};
use super::patterns::{Found, PatternSet};
use super::rules::{ACKNOWLEDGEMENTS, GROUPS, OPT_OUT_KEYWORDS};

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

/// Reads rule signals from normalized messages.
#[derive(Debug, Clone)]
pub(super) struct RuleReader {
    patterns: PatternSet<Signal>,
}

impl RuleReader {
    /// Compiles the phrase lists.
    pub fn new() -> Self {
        Self {
            patterns: PatternSet::new(GROUPS),
        }
    }

    /// Whether the message opts out: a keyword (STOP, BAJA…) as the whole
    /// message, or an opt-out phrase ("wrong number") anywhere.
    pub fn is_opt_out(message: &Normalized, signals: &BTreeSet<Signal>) -> bool {
        is_opt_out_keyword(message) || signals.contains(&Signal::OptOut)
    }

    /// The signals found in `message`.
    pub fn read(&self, message: &Normalized) -> BTreeSet<Signal> {
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
    use super::super::normalize::normalize;
    use super::*;

    fn signals(text: &str) -> Vec<Signal> {
        RuleReader::new()
            .read(&normalize(text))
            .into_iter()
            .collect()
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
}
