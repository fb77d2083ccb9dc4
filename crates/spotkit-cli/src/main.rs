//! `spotkit`: own your Spotify data from the command line.
//!
//! `cli.rs` parses, `config.rs` resolves flags + environment + config file once into
//! `Settings`, `cmd/*` run the commands, `output.rs` writes files and formats, `hint.rs` turns
//! errors into `spotkit: <what happened>` + `  hint: <what to do>`.
//!
//! Exit codes: 0 success (a closed stdout pipe counts as success), 1 failure, 2 usage error
//! (clap's, and [`hint::Hinted::usage`] errors caught before any request),
//! 75 stopped by the Spotify developer account's exhausted quota (try again later).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

mod cli;
mod cmd;
mod config;
mod export_index;
mod exportify;
mod hint;
mod history;
mod import;
mod matching;
mod output;
mod signals;
mod source;
mod waits;

use cli::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.global.quiet, cli.global.verbose);
    signals::install();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if hint::is_usage(&e) => {
            report_error(&e);
            ExitCode::from(2)
        }
        Err(e) if hint::quota_exceeded(&e) => {
            report_error(&e);
            ExitCode::from(hint::QUOTA_EXIT)
        }
        Err(e) => {
            report_error(&e);
            ExitCode::FAILURE
        }
    }
}

/// Log lines on stderr: `-v` shows every request and retry (the library logs requests at `debug`
/// and retries at `info`), `-vv` everything. Colour and timestamps only on a terminal, colour not
/// with `NO_COLOR` (<https://no-color.org>): a log file or pipe gets plain lines.
fn init_logging(quiet: bool, verbose: u8) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info,spotkit=debug",
        (false, _) => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let terminal = std::io::stderr().is_terminal();
    let colour = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let logs = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .with_env_filter(filter);
    if terminal {
        logs.init();
    } else {
        logs.without_time().init();
    }
}

/// Prints `spotkit: <error chain>` and, when one applies, `  hint: <what to do>`.
fn report_error(e: &anyhow::Error) {
    eprintln!("spotkit: {e:#}");
    if let Some(h) = hint::hint(e) {
        eprintln!("  hint: {h}");
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let Some(command) = cli.command else {
        // No subcommand: the menu in a terminal, otherwise a usage error with the help on stderr
        // (stdout may be a file a script reads).
        if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            return cmd::menu::run(&cli.global).await;
        }
        eprintln!("{}", Cli::command().render_help());
        return Err(anyhow::Error::new(hint::Hinted::usage(
            "no command given",
            "run `spotkit --help` for the commands, or `spotkit` in a terminal for a menu",
        )));
    };
    // Commands that need no config dir.
    let command = match command {
        Command::Demo(args) => return cmd::demo::run(args).await,
        Command::Sandbox(flags) => return cmd::sandbox::run(flags).await,
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "spotkit", &mut script);
            std::io::Write::write_all(&mut std::io::stdout().lock(), &script)?;
            return Ok(());
        }
        other => other,
    };
    let settings = config::Settings::resolve(&cli.global)?;
    match command {
        Command::Login(args) => cmd::login::login(&settings, args).await,
        Command::Logout => cmd::login::logout(&settings).await,
        Command::Status => cmd::login::status(&settings).await,
        Command::Profiles => cmd::login::profiles(&settings),
        Command::Config { action } => cmd::login::config(&settings, action),
        Command::Export(args) => cmd::export::run(&settings, args).await,
        Command::Search(args) => cmd::search::run(&settings, args).await,
        Command::Import(args) => cmd::import::run(&settings, args).await,
        Command::History(args) => cmd::history::run(&settings, args).await,
        Command::Sync(args) => cmd::sync::run(&settings, *args).await,
        Command::Player(args) => cmd::player::run(&settings, args).await,
        Command::Demo(_) | Command::Sandbox(_) | Command::Completions { .. } => Ok(()),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}
