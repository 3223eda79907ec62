//! What an agent's call leg hears and does, as a value the Twilio adapter
//! renders to TwiML.

/// One instruction of a voice response, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceVerb {
    /// Speak text.
    Say(String),
    /// Wait, in seconds.
    Pause(u32),
    /// Collect digits, speaking `prompt` meanwhile, then post them to `action`.
    Gather {
        /// How many digits to collect.
        num_digits: u32,
        /// Where the digits are posted.
        action: String,
        /// Seconds to wait for input.
        timeout_seconds: u32,
        /// Spoken while waiting.
        prompt: Vec<String>,
    },
    /// Connect the leg to a number, posting the outcome to `action`.
    Dial {
        /// The number to connect.
        number: String,
        /// Caller ID shown to the callee.
        caller_id: String,
        /// Seconds the callee's phone rings.
        timeout_seconds: u32,
        /// Where the outcome is posted.
        action: String,
        /// Keep the caller hearing ringing until the callee answers.
        answer_on_bridge: bool,
        /// Record the bridged call.
        record: bool,
    },
    /// Ring several numbers at once from this call; the first to answer
    /// (after its `url` whisper) is bridged, the others are cancelled.
    DialNumbers {
        /// Caller ID shown to the callees.
        caller_id: String,
        /// Seconds the phones ring.
        timeout_seconds: u32,
        /// Where the outcome is posted.
        action: String,
        /// Keep the caller hearing ringing until someone is bridged.
        answer_on_bridge: bool,
        /// Record the bridged call.
        record: bool,
        /// The numbers, each with its whisper and status callback.
        numbers: Vec<DialNumber>,
    },
    /// End the call.
    Hangup,
}

/// One `<Number>` of a [`VoiceVerb::DialNumbers`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialNumber {
    /// The phone to ring.
    pub number: String,
    /// Fetched when the callee answers, before the bridge (the whisper).
    pub url: String,
    /// Receives the leg's status changes.
    pub status_callback: String,
}

/// A whole voice response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VoiceResponse {
    /// The instructions, in order.
    pub verbs: Vec<VoiceVerb>,
}

impl VoiceResponse {
    /// A response that only speaks `text` and hangs up.
    pub fn say_and_hang_up(text: impl Into<String>) -> Self {
        Self {
            verbs: vec![VoiceVerb::Say(text.into()), VoiceVerb::Hangup],
        }
    }

    /// A response that hangs up at once.
    pub fn hang_up() -> Self {
        Self {
            verbs: vec![VoiceVerb::Hangup],
        }
    }
}

/// What an inbound SMS is answered with: an optional text back to the sender.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SmsReply {
    /// The text to send back, if any.
    pub message: Option<String>,
}
