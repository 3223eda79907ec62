//! The `hotline` binary: parses the command line and runs one command.

mod cli;
mod config;
mod hours;
mod intent;
mod serve;

use std::process::ExitCode;

use clap::Parser;

/// Exit status for bad configuration or input.
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Hours(cli::HoursCommand::Check(args)) => hours::check(&args),
        cli::Command::Intent(cli::IntentCommand::Score(args)) => intent::score(&args),
        cli::Command::Serve => run_server(false),
        cli::Command::Migrate => run_server(true),
    }
}

/// Runs `serve`, or only the migrations.
fn run_server(migrate_only: bool) -> ExitCode {
    let config = match config::Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(BAD_INPUT);
        }
    };
    serve::init_logging(config.log_format);
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
        if migrate_only {
            serve::migrate(&config).await.map(drop)
        } else {
            serve::serve(config).await
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
