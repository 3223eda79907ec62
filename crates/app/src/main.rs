//! The `hotline` binary: parses the command line and runs one command.

mod cli;
mod config;
mod hours;
mod intent;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Hours(cli::HoursCommand::Check(args)) => hours::check(&args),
        cli::Command::Intent(cli::IntentCommand::Score(args)) => intent::score(&args),
    }
}
