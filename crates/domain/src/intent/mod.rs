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
mod normalize;
mod patterns;
mod rules;

use std::fmt;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub use builtin::BuiltinIntentScorer;

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

/// Evidence found in a message, reported so an admin can see why a lead was
/// or was not hot.
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

/// What a scorer concluded about one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntentAssessment {
    /// How hot, from 0 to 1.
    pub score: IntentScore,
    /// Strictly above the threshold, and not an opt-out.
    pub hot: bool,
    /// The evidence found, in a stable order, without repeats.
    pub signals: Vec<Signal>,
}

impl IntentAssessment {
    /// Whether the sender asked to stop receiving messages.
    pub fn is_opt_out(&self) -> bool {
        self.signals.contains(&Signal::OptOut)
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
