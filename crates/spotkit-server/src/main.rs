//! `spotkit-server [--config server.toml] serve|migrate|rotate-key`.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use spotkit_server::Config;

/// A token broker and API for web and mobile apps that use Spotify.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// The TOML config file; every setting can also be given as SPOTKIT_SERVER_<NAME>
    /// (a table entry as SPOTKIT_SERVER_<TABLE>__<NAME>).
    #[arg(long, short, env = spotkit_server::config::CONFIG_PATH_ENV, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate the database and serve (the default).
    Serve {
        /// Listen here instead of the configured address.
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Re-encrypt every stored token with the current key (`[keys] current`), so old keys can
    /// be removed from the config afterwards.
    RotateKey,
}

fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("spotkit-server: {e:#}");
            std::process::ExitCode::from(1)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref()).context("while reading the configuration")?;
    init_logs(config.log_json);
    match cli.command.unwrap_or(Command::Serve { listen: None }) {
        Command::Serve { listen } => {
            let addr = listen.unwrap_or(config.listen);
            let state = spotkit_server::connect(config).await?;
            let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
                format!("cannot listen on {addr}; pick another address with --listen")
            })?;
            let local = listener.local_addr()?;
            // One line on stdout, so scripts can find the port when binding port 0.
            println!("spotkit-server listening on http://{local}");
            tracing::info!(%local, "serving");
            spotkit_server::serve(listener, state, shutdown_signal()).await?;
        }
        Command::Migrate => {
            let db = spotkit_server::db::Db::connect(&config.database_url, 2)
                .await
                .context("cannot open the database")?;
            db.migrate().await.context("cannot migrate the database")?;
            println!("migrations applied");
        }
        Command::RotateKey => {
            let state = spotkit_server::connect(config).await?;
            let n = spotkit_server::db::tokens::rotate_keys(state.db(), state.keys()).await?;
            println!(
                "re-encrypted {n} token(s) with key {:?}",
                state.keys().current_id()
            );
        }
    }
    Ok(())
}
