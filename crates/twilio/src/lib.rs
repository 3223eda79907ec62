//! Hotline's Twilio adapter.
//!
//! This crate will hold the Twilio REST client that implements the domain's
//! `Telephony` port (create and update calls, send messages), TwiML rendering,
//! and the validation of Twilio's webhook signatures.
