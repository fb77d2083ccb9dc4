//! `spotkit`: own your Spotify data from the command line.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// Own your Spotify data: log in, export, import, sync.
#[derive(Debug, Parser)]
#[command(name = "spotkit", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the whole product on an embedded sandbox, no Spotify account needed.
    Demo(cmd::demo::Args),
    /// Run the Spotify sandbox in the foreground (same flags as `spotkit-sandbox`).
    Sandbox(spotkit_sandbox::cli::Flags),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let result = match cli.command {
        Command::Demo(args) => cmd::demo::run(args).await,
        Command::Sandbox(flags) => cmd::sandbox::run(flags).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("spotkit: {e:#}");
            ExitCode::FAILURE
        }
    }
}
