//! `spotkit-sandbox`: runs the Spotify emulator in the foreground.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use spotkit_sandbox::cli::Args;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("spotkit_sandbox=info")),
        )
        .init();
    let config = match args.into_config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("spotkit-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    match spotkit_sandbox::cli::run(config, |url| {
        // Exactly one line on stdout, flushed, so scripts can wait for it.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "spotkit-sandbox listening on {url}");
        let _ = out.flush();
    })
    .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("spotkit-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
