//! Tests of the `hotline` binary, run as a user runs it.

mod crash_campaign;
mod helpers;
mod hours_check;
mod hours_preview;
mod intent_eval;
mod intent_score;
mod serve;
mod shutdown;
mod two_processes;
