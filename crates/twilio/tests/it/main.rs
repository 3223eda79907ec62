//! Tests of the Twilio REST client against a local HTTP server standing in
//! for Twilio, and fuzzing of what Hotline reads from Twilio.

mod fake_twilio;
mod fuzz;
mod openapi_params;
mod rest_client;
