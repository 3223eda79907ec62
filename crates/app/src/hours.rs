//! `hotline hours check` and `hotline hours preview`: evaluate a schedule
//! document offline.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use hotline_domain::{ScheduleDocument, Timestamp, WeeklySchedule};
use serde::Serialize;

use crate::cli::{HoursCheckArgs, HoursPreviewArgs};

/// Exit status for a schedule file that cannot be read or is invalid.
const BAD_INPUT: u8 = 2;

/// What `hotline hours check` prints, as one JSON object.
#[derive(Debug, Serialize)]
struct CheckOutput {
    open: bool,
    next_open: Option<String>,
    next_close: Option<String>,
}

/// Runs `hotline hours check`, printing the answer or a one-line error.
pub fn check(args: &HoursCheckArgs) -> ExitCode {
    let at = args.at.unwrap_or_else(Timestamp::now);
    match load_schedule(&args.schedule) {
        Ok(schedule) => {
            let status = schedule.status(at);
            let output = CheckOutput {
                open: status.open,
                next_open: status.next_open.map(|t| t.to_string()),
                next_close: status.next_close.map(|t| t.to_string()),
            };
            crate::print_json(&output)
        }
        Err(error) => {
            eprintln!("error: {}: {error:#}", args.schedule.display());
            ExitCode::from(BAD_INPUT)
        }
    }
}

/// Runs `hotline hours preview`, printing the preview or a one-line error.
pub fn preview(args: &HoursPreviewArgs) -> ExitCode {
    match load_schedule(&args.schedule) {
        Ok(schedule) => {
            let from = args
                .from
                .unwrap_or_else(|| schedule.local_date_at(Timestamp::now()));
            crate::print_json(&schedule.preview_document(from, args.days))
        }
        Err(error) => {
            eprintln!("error: {}: {error:#}", args.schedule.display());
            ExitCode::from(BAD_INPUT)
        }
    }
}

/// Reads, parses and validates a schedule document, naming the bad field.
fn load_schedule(path: &Path) -> anyhow::Result<WeeklySchedule> {
    let text = std::fs::read_to_string(path).context("cannot read the file")?;
    let document: ScheduleDocument = hotline_api::json::from_json(text.as_bytes())
        .map_err(|error| match error.field {
            Some(field) => anyhow!("{field}: {}", error.message),
            None => anyhow!("{}", error.message),
        })
        .context("not a schedule document")?;
    WeeklySchedule::from_document(&document).map_err(|error| anyhow!("{error}"))
}
