//! The HTTP service driven over real HTTP, as Twilio drives it, with a
//! fresh database and a local stand-in for Twilio's REST API.

mod admin;
mod browser;
mod calendar;
mod errors;
mod faults;
mod follow_through;
mod helpers;
mod hours_editor;
mod intent_feedback;
mod lead_pages;
mod operations;
mod outbound;
mod owner_tasks;
mod page_kit;
mod pages;
mod reports;
mod restart;
mod strategies;
mod webdriver;
mod webhooks;

/// The one fake of Twilio's REST API every test uses.
use hotline_testkit::twilio as fake_twilio;
