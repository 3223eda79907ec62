//! Tests of the Twilio REST client against a local HTTP server standing in
//! for Twilio.

mod fake_twilio;
mod openapi_params;
mod rest_client;
