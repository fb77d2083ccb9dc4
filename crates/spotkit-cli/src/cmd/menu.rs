//! `spotkit` with no arguments in a terminal: a menu over the same actions as the subcommands.
//!
//! Each choice is turned into the equivalent command line and run through the normal parser, so
//! the menu and the commands cannot drift apart; the command line is shown, so the menu also
//! teaches the commands.

use std::path::PathBuf;

use anyhow::Result;
use inquire::{Confirm, InquireError, Select, Text};

use crate::cli::{Cli, Global};
use crate::config::Settings;

/// Menu entries, in order.
const ACTIONS: [&str; 9] = [
    "Log in",
    "Export",
    "Import",
    "Sync to audio files",
    "Search",
    "Status",
    "Setup help",
    "Log out",
    "Quit",
];

/// Runs the menu until the user quits (Esc or Ctrl-C also leave).
pub async fn run(global: &Global) -> Result<()> {
    println!(
        "spotkit {} — own your Spotify data. Arrow keys to move, Enter to choose, Esc to leave.",
        env!("CARGO_PKG_VERSION")
    );
    loop {
        let choice = match Select::new("What do you want to do?", ACTIONS.to_vec())
            .with_page_size(ACTIONS.len())
            .prompt()
        {
            Ok(c) => c,
            Err(InquireError::OperationCanceled | InquireError::OperationInterrupted) => {
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        let args = match ask(choice, global) {
            Ok(Some(args)) => args,
            Ok(None) | Err(InquireError::OperationInterrupted) => return Ok(()),
            // Esc inside a sub-menu goes back to the main menu.
            Err(InquireError::OperationCanceled) => continue,
            Err(e) => return Err(e.into()),
        };
        if args.is_empty() {
            continue;
        }
        println!("$ spotkit {}", shell_words(&args));
        let mut argv = vec!["spotkit".to_owned()];
        argv.extend(global_flags(global));
        argv.extend(args);
        match <Cli as clap::Parser>::try_parse_from(&argv) {
            Ok(cli) => {
                if let Err(e) = Box::pin(crate::run(cli)).await {
                    // Every other Spotify action would spend the same exhausted quota: end the
                    // menu, and let `main` report it once with its exit status.
                    if crate::hint::quota_exceeded(&e) {
                        return Err(e);
                    }
                    crate::report_error(&e);
                }
            }
            Err(e) => eprintln!("{e}"),
        }
        println!();
    }
}

/// The command line for a menu choice; `None` to quit, an empty list to show the menu again.
fn ask(choice: &str, global: &Global) -> Result<Option<Vec<String>>, InquireError> {
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    Ok(Some(match choice {
        "Log in" => {
            let mut args = s(&["login"]);
            if global.client_id.is_none() && !client_id_known(global) {
                let id = Text::new("Client id of your Spotify app:")
                    .with_help_message("developer.spotify.com/dashboard → your app → Settings")
                    .prompt()?;
                args.extend(["--client-id".to_owned(), id.trim().to_owned()]);
            }
            args
        }
        "Export" => {
            let what = Select::new(
                "Export what?",
                vec![
                    "Liked songs",
                    "All playlists",
                    "One playlist",
                    "Saved albums",
                    "Everything",
                ],
            )
            .prompt()?;
            let format = Select::new("Format?", vec!["csv", "json", "m3u", "jsonl"])
                .with_help_message("csv: Exportify-compatible; json: everything Spotify returned")
                .prompt()?;
            let mut args = s(&["export"]);
            let default_out = match what {
                "Liked songs" => {
                    args.push("liked".into());
                    format!("liked.{}", ext(format))
                }
                "All playlists" => {
                    args.push("playlists".into());
                    "playlists".into()
                }
                "One playlist" => {
                    let name = Text::new("Playlist (name, link or URI):").prompt()?;
                    args.extend(["playlist".to_owned(), name.clone()]);
                    format!(
                        "{}.{}",
                        crate::exportify::names::file_stem(&name),
                        ext(format)
                    )
                }
                "Saved albums" => {
                    args.push("albums".into());
                    "albums.json".into()
                }
                _ => {
                    args.push("all".into());
                    ".".into()
                }
            };
            let out = Text::new("Write to:").with_default(&default_out).prompt()?;
            args.extend([
                "--format".to_owned(),
                format.to_owned(),
                "--out".to_owned(),
                out,
            ]);
            args
        }
        "Import" => {
            let kind = Select::new(
                "Import from?",
                vec![
                    "Exportify CSV (file, folder or zip)",
                    "Spotify data export (my_spotify_data.zip or folder)",
                ],
            )
            .prompt()?;
            let path = Text::new("Path:").prompt()?;
            let dry = Confirm::new("Dry run first (show the plan, change nothing)?")
                .with_default(true)
                .prompt()?;
            let mut args = s(&[
                "import",
                if kind.starts_with("Exportify") {
                    "exportify"
                } else {
                    "gdpr"
                },
            ]);
            args.push(path);
            if dry {
                args.push("--dry-run".into());
            }
            args
        }
        "Sync to audio files" => {
            let what = Text::new(
                "Playlist to sync (name, link or URI; empty for liked songs, `all` for everything):",
            )
                .prompt()?;
            let dir = Text::new("Music folder:")
                .with_default("Music/spotkit")
                .prompt()?;
            let format = Select::new("Audio format?", vec!["opus", "m4a", "mp3", "flac"])
                .with_help_message("opus: smallest; m4a: Apple devices; mp3: plays everywhere")
                .prompt()?;
            let dry =
                Confirm::new("Dry run first (show what would be downloaded, change nothing)?")
                    .with_default(false)
                    .prompt()?;
            let mut args = s(&["sync"]);
            match what.trim() {
                "" => args.push("liked".into()),
                "all" => args.push("all".into()),
                _ => args.extend(["playlist".to_owned(), what]),
            }
            args.extend([
                "--to".to_owned(),
                dir,
                "--format".to_owned(),
                format.to_owned(),
            ]);
            if dry {
                args.push("--dry-run".into());
            }
            args
        }
        "Search" => {
            let q = Text::new("Search for:").prompt()?;
            vec!["search".into(), q]
        }
        "Status" => s(&["status"]),
        "Setup help" => {
            println!("{SETUP_HELP}");
            Vec::new()
        }
        "Log out" => s(&["logout"]),
        _ => return Ok(None),
    }))
}

const SETUP_HELP: &str = "\
Setting up spotkit with your Spotify account:
  1. Open https://developer.spotify.com/dashboard and create an app (any name).
  2. In its settings add the redirect URI  http://127.0.0.1:8888/callback
     (Spotify refuses `localhost`; it must be the IP literal 127.0.0.1).
  3. Copy the app's client id and choose \"Log in\" here (or run `spotkit login --client-id ID`).
  Without a browser on this machine (SSH, Docker): `spotkit login --no-browser` and paste the
  address your browser ends up on.
  No Spotify account at hand? `spotkit demo` shows everything on a built-in sandbox.";

fn ext(format: &str) -> &str {
    if format == "m3u" { "m3u8" } else { format }
}

fn client_id_known(global: &Global) -> bool {
    Settings::resolve(global).is_ok_and(|s| s.client_id.is_some())
}

/// The global flags of this invocation, repeated for each command the menu runs.
fn global_flags(g: &Global) -> Vec<String> {
    let mut out = Vec::new();
    let mut flag = |name: &str, value: Option<String>| {
        if let Some(v) = value {
            out.extend([format!("--{name}"), v]);
        }
    };
    flag("profile", g.profile.clone());
    flag("client-id", g.client_id.clone());
    flag("api-base", g.api_base.clone());
    flag("accounts-base", g.accounts_base.clone());
    flag(
        "config-dir",
        g.config_dir
            .as_ref()
            .map(|p: &PathBuf| p.display().to_string()),
    );
    out
}

/// The arguments as one would type them in a POSIX shell.
fn shell_words(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_quote_what_needs_it() {
        let args: Vec<String> = ["export", "playlist", "Road trip", "it's"]
            .map(String::from)
            .to_vec();
        assert_eq!(shell_words(&args), r"export playlist 'Road trip' 'it'\''s'");
    }
}
