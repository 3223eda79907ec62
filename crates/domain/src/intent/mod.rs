//! Hot intent: does a lead's SMS mean a team member should phone them now?
//!
//! [`IntentScorer`] is the port: anything that turns a message into an
//! [`IntentAssessment`] (a score in 0..1, whether it is hot, and the signals
//! that explain why). [`BuiltinIntentScorer`] is the scorer Hotline ships: pure,
//! network-free, and fast enough to run on the webhook path. An ML- or
//! LLM-backed scorer can replace it behind the same port.
//!
//! A message is hot when its score is strictly above the configured
//! [`IntentThreshold`]. An opt-out (STOP, UNSUBSCRIBE, "wrong number") is never
//! hot, and [`IntentAssessment::is_opt_out`] lets the caller act on it.

mod builtin;
mod features;
pub mod feedback;
mod model;
mod normalize;
mod patterns;
mod rules;
mod signals;

use std::fmt;
use std::str::FromStr;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub use builtin::BuiltinIntentScorer;
pub use feedback::{FeedbackError, IntentFeedbackStore, IntentLabel, MessageRef, NewIntentLabel};
pub use model::{IntentModel, IntentModelError};

/// A score in `0.0..=1.0`; higher means hotter.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct IntentScore(f64);

impl IntentScore {
    /// Clamps `value` into `0.0..=1.0`; NaN becomes 0.
    pub fn new(value: f64) -> Self {
        if value.is_nan() {
            Self(0.0)
        } else {
            Self(value.clamp(0.0, 1.0))
        }
    }

    /// The score as a number.
    pub fn value(self) -> f64 {
        self.0
    }
}

/// The score a message must exceed to be hot.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct IntentThreshold(f64);

/// A threshold outside `0.0..=1.0`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("intent threshold must be a number from 0 to 1, got {0}")]
pub struct ThresholdOutOfRange(pub f64);

impl IntentThreshold {
    /// The contract's default, 0.7.
    pub const DEFAULT: Self = Self(0.7);

    /// Validates a threshold.
    ///
    /// # Errors
    ///
    /// Returns [`ThresholdOutOfRange`] unless `value` is within `0.0..=1.0`.
    pub fn new(value: f64) -> Result<Self, ThresholdOutOfRange> {
        if (0.0..=1.0).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ThresholdOutOfRange(value))
        }
    }

    /// The threshold as a number.
    pub fn value(self) -> f64 {
        self.0
    }

    /// Whether `score` is hot: strictly above the threshold.
    pub fn is_hot(self, score: IntentScore) -> bool {
        score.value() > self.0
    }
}

impl Default for IntentThreshold {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A rule signal: what the phrase lists and negation find in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// A problem happening now: a leak, no heat, a breakdown, pain.
    UrgentProblem,
    /// Wants it soon: today, tonight, asap, tomorrow.
    TimeUrgency,
    /// Wants to book, go ahead, or have someone come out.
    ReadyToBook,
    /// Asks to be called.
    CallRequest,
    /// Names a time to be called or seen.
    CallTime,
    /// Says they need a service or a professional.
    ServiceNeed,
    /// Gives a phone number to reach them on.
    GivesPhoneNumber,
    /// An emoji that signals alarm or urgency.
    UrgentEmoji,
    /// Asks a price while also asking to book or come out.
    PriceWithBooking,
    /// Asks a price with no sign of booking: early shopping.
    PriceShopping,
    /// A general question about what the business does.
    InformationRequest,
    /// A cue that was negated ("no need to", "don't").
    Negated,
    /// Asks not to be called, or to be texted instead.
    DeclinesCall,
    /// Says it is not urgent.
    NotUrgent,
    /// The need is months away or undecided.
    FutureTiming,
    /// A hypothetical or "just curious" message.
    Hypothetical,
    /// Already solved, or already hired someone else.
    AlreadyHandled,
    /// About an existing booking: confirming, running late, rescheduling.
    BookingLogistics,
    /// A vendor, marketer or job seeker, not a customer.
    VendorOrJobSeeker,
    /// Only an acknowledgement: ok, thanks, 👍.
    Acknowledgement,
    /// Opts out of messages: STOP, UNSUBSCRIBE, wrong number.
    OptOut,
}

impl Signal {
    /// The snake_case name used in JSON and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UrgentProblem => "urgent_problem",
            Self::TimeUrgency => "time_urgency",
            Self::ReadyToBook => "ready_to_book",
            Self::CallRequest => "call_request",
            Self::CallTime => "call_time",
            Self::ServiceNeed => "service_need",
            Self::GivesPhoneNumber => "gives_phone_number",
            Self::UrgentEmoji => "urgent_emoji",
            Self::PriceWithBooking => "price_with_booking",
            Self::PriceShopping => "price_shopping",
            Self::InformationRequest => "information_request",
            Self::Negated => "negated",
            Self::DeclinesCall => "declines_call",
            Self::NotUrgent => "not_urgent",
            Self::FutureTiming => "future_timing",
            Self::Hypothetical => "hypothetical",
            Self::AlreadyHandled => "already_handled",
            Self::BookingLogistics => "booking_logistics",
            Self::VendorOrJobSeeker => "vendor_or_job_seeker",
            Self::Acknowledgement => "acknowledgement",
            Self::OptOut => "opt_out",
        }
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is no [`Signal`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown intent signal `{0}`")]
pub struct UnknownSignal(pub String);

impl FromStr for Signal {
    type Err = UnknownSignal;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Signal::ALL
            .iter()
            .copied()
            .find(|signal| signal.as_str() == name)
            .ok_or_else(|| UnknownSignal(name.to_owned()))
    }
}

impl Signal {
    /// Every signal.
    pub const ALL: [Signal; 21] = [
        Self::UrgentProblem,
        Self::TimeUrgency,
        Self::ReadyToBook,
        Self::CallRequest,
        Self::CallTime,
        Self::ServiceNeed,
        Self::GivesPhoneNumber,
        Self::UrgentEmoji,
        Self::PriceWithBooking,
        Self::PriceShopping,
        Self::InformationRequest,
        Self::Negated,
        Self::DeclinesCall,
        Self::NotUrgent,
        Self::FutureTiming,
        Self::Hypothetical,
        Self::AlreadyHandled,
        Self::BookingLogistics,
        Self::VendorOrJobSeeker,
        Self::Acknowledgement,
        Self::OptOut,
    ];
}

/// One piece of evidence that pushed a message's score, reported so an
/// admin can see why a lead was or was not hot.
///
/// It reads as a string: a rule signal by its name (`urgent_problem`), a word
/// as `word:hired`, two words as `phrase:go ahead`, a shape of the message
/// as `shape:words_1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Evidence {
    /// A rule signal.
    Rule(Signal),
    /// A word of the message (digits read as 0).
    Word(String),
    /// Two words in a row (`^` and `$` mark the message's start and end).
    Phrase(String),
    /// The message's shape: its length in words, a question mark, emojis.
    Shape(String),
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rule(signal) => f.write_str(signal.as_str()),
            Self::Word(word) => write!(f, "word:{word}"),
            Self::Phrase(phrase) => write!(f, "phrase:{phrase}"),
            Self::Shape(shape) => write!(f, "shape:{shape}"),
        }
    }
}

impl FromStr for Evidence {
    type Err = UnknownSignal;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(word) = text.strip_prefix("word:") {
            Ok(Self::Word(word.to_owned()))
        } else if let Some(phrase) = text.strip_prefix("phrase:") {
            Ok(Self::Phrase(phrase.to_owned()))
        } else if let Some(shape) = text.strip_prefix("shape:") {
            Ok(Self::Shape(shape.to_owned()))
        } else {
            text.parse().map(Self::Rule)
        }
    }
}

impl Serialize for Evidence {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// What a scorer concluded about one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntentAssessment {
    /// How hot, from 0 to 1.
    pub score: IntentScore,
    /// Strictly above the threshold, and not an opt-out.
    pub hot: bool,
    /// What pushed the score most, strongest first, without repeats.
    pub signals: Vec<Evidence>,
}

impl IntentAssessment {
    /// Whether the sender asked to stop receiving messages.
    pub fn is_opt_out(&self) -> bool {
        self.signals.contains(&Evidence::Rule(Signal::OptOut))
    }
}

/// A scorer could not assess a message (a remote model was unreachable,
/// say). The built-in scorer never fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("intent scorer unavailable: {0}")]
pub struct IntentScorerError(pub String);

/// Port: assesses the intent of one inbound message.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait IntentScorer: Send + Sync {
    /// Scores `text`, the body of an SMS from a lead.
    ///
    /// MUST return an assessment whose `hot` is false whenever the message is
    /// an opt-out, and MUST report [`Signal::OptOut`] for opt-outs so the
    /// caller can stop messaging the lead.
    ///
    /// # Errors
    ///
    /// Returns [`IntentScorerError`] only when the scorer cannot run at all.
    async fn score(&self, text: &str) -> Result<IntentAssessment, IntentScorerError>;
}
