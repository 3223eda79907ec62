//! The `hotline` binary: parses the command line and runs one command.

mod cli;
mod hours;
mod intent;

use hotline_app::{config, serve};

use std::process::ExitCode;

use clap::Parser;

/// Exit status for bad configuration or input.
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Hours(cli::HoursCommand::Check(args)) => hours::check(&args),
        cli::Command::Hours(cli::HoursCommand::Preview(args)) => hours::preview(&args),
        cli::Command::Intent(cli::IntentCommand::Score(args)) => intent::score(&args),
        cli::Command::Intent(cli::IntentCommand::Eval(args)) => intent::eval(&args),
        cli::Command::Serve => run_server(Task::Serve),
        cli::Command::Migrate => run_server(Task::Migrate),
        cli::Command::Prune(args) => match serve::parse_cutoff(&args.before) {
            Some(before) => run_server(Task::Prune(before)),
            None => {
                eprintln!(
                    "error: --before: {:?} is not a date (YYYY-MM-DD) or an RFC 3339 instant",
                    args.before
                );
                ExitCode::from(BAD_INPUT)
            }
        },
    }
}

/// What to do once configured.
enum Task {
    /// Serve HTTP.
    Serve,
    /// Only apply migrations.
    Migrate,
    /// Delete old records.
    Prune(hotline_domain::Timestamp),
}

/// Runs a task that needs the configuration and the database.
fn run_server(task: Task) -> ExitCode {
    let config = match config::Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    let _log_guard = serve::init_logging(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match task {
            Task::Serve => serve::serve(config).await,
            Task::Migrate => serve::migrate(&config).await.map(drop),
            Task::Prune(before) => serve::prune(&config, before).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Prints `value` as one line of JSON: exit 0, or 1 when it cannot be written.
fn print_json<T: serde::Serialize>(value: &T) -> ExitCode {
    match serde_json::to_string(value) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot write the answer: {error}");
            ExitCode::FAILURE
        }
    }
}
