//! Labelled message sets, evaluation and training of Hotline's intent model.
//!
//! The scorer itself lives in `hotline-domain` ([`hotline_domain::BuiltinIntentScorer`]);
//! this crate reads labelled files ([`labelled`]), measures a scorer on them
//! ([`metrics`]), splits the corpus once ([`split`]) and fits the logistic
//! regression the scorer ships with ([`train`]). The `hotline-intent`
//! binary drives it; `docs/intent.md` says how.

pub mod labelled;
pub mod metrics;
pub mod split;
pub mod train;
