//! Tests of the Twilio REST client against a local HTTP server standing in
//! for Twilio, and fuzzing of what Hotline reads from Twilio.

mod fuzz;
mod openapi_params;
mod rest_client;

/// The one fake of Twilio's REST API every test uses.
use hotline_testkit::twilio as fake_twilio;
