//! The command line of `hotline`, as the contract's section 1 defines it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Hotline: speed-to-lead routing for small service businesses.
#[derive(Debug, Parser)]
#[command(name = "hotline", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The commands `hotline` understands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve HTTP until SIGINT or SIGTERM.
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Delete messages (with their routing decisions), call attempts and
    /// webhook records older than a date, in small batches.
    Prune(PruneArgs),
    /// Work with business-hours schedules offline.
    #[command(subcommand)]
    Hours(HoursCommand),
    /// Score messages for hot intent, as the server does.
    #[command(subcommand)]
    Intent(IntentCommand),
}

/// `hotline intent …`
#[derive(Debug, Subcommand)]
pub enum IntentCommand {
    /// Print the score, hot verdict and signals for one message.
    Score(IntentScoreArgs),
    /// Score a labelled file (TSV with `label` and `text` columns, or JSON
    /// lines with `text` and `hot`) and print precision, recall and F1.
    Eval(IntentEvalArgs),
}

/// Arguments of `hotline intent eval`.
#[derive(Debug, Args)]
pub struct IntentEvalArgs {
    /// The labelled file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Arguments of `hotline intent score`.
#[derive(Debug, Args)]
pub struct IntentScoreArgs {
    /// The message text; several words are joined with spaces.
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
}

/// `hotline hours …`
#[derive(Debug, Subcommand)]
pub enum HoursCommand {
    /// Evaluate a schedule document: is it open, when does it next open and close.
    Check(HoursCheckArgs),
    /// Print the opening of each local date from a date on, with what decided it.
    Preview(HoursPreviewArgs),
}

/// Arguments of `hotline hours preview`.
#[derive(Debug, Args)]
pub struct HoursPreviewArgs {
    /// Path of a schedule document (JSON).
    #[arg(long, value_name = "FILE")]
    pub schedule: PathBuf,
    /// First local date, YYYY-MM-DD; defaults to today in the schedule's zone.
    #[arg(long, value_name = "DATE")]
    pub from: Option<jiff::civil::Date>,
    /// How many dates, 1 to 400.
    #[arg(long, value_name = "N", default_value_t = 14, value_parser = clap::value_parser!(u32).range(1..=400))]
    pub days: u32,
}

/// Arguments of `hotline hours check`.
#[derive(Debug, Args)]
pub struct HoursCheckArgs {
    /// Path of a schedule document (JSON).
    #[arg(long, value_name = "FILE")]
    pub schedule: PathBuf,
    /// Instant to evaluate at, RFC 3339 (for example 2026-11-23T14:00:00-07:00); defaults to now.
    #[arg(long, value_name = "INSTANT")]
    pub at: Option<jiff::Timestamp>,
}

/// Arguments of `hotline prune`.
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Cutoff: a date (YYYY-MM-DD, midnight UTC) or an RFC 3339 instant.
    #[arg(long, value_name = "DATE")]
    pub before: String,
}
