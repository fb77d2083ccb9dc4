//! `spotkit player`: what is playing, and the remote-control basics (Spotify Premium only for
//! the commands that change playback).

use anyhow::{Result, anyhow};
use serde_json::json;
use spotkit::model::{PlayableUri, SpotifyUri};

use crate::config::Settings;
use crate::hint::Hinted;
use crate::output::print_json;

/// Flags of `spotkit player`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  spotkit player status
  spotkit player devices
  spotkit player play spotify:playlist:37i9dQZF1DXcBWIGoYBM5M
  spotkit player play spotify:track:4uLU6hMCjMI75M1A2tKUQC --device 'Kitchen speaker'
  spotkit player queue https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC
  spotkit player pause")]
pub struct PlayerArgs {
    #[command(subcommand)]
    action: Action,
    /// Device to act on: its id or (case-insensitive) name (default: the active one).
    #[arg(long, short, global = true)]
    device: Option<String>,
}

/// Player actions.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Action {
    /// What is playing, on which device, and where in the track.
    Status,
    /// Resume playback, or play an album/playlist/artist or one or more tracks/episodes.
    Play {
        /// A context (album, playlist, artist, show) or tracks/episodes, as URIs or links.
        uris: Vec<String>,
    },
    /// Pause playback.
    Pause,
    /// Skip to the next track.
    Next,
    /// Go back to the previous track.
    Previous,
    /// Add a track or episode to the queue.
    Queue {
        /// The track or episode (URI or link).
        uri: String,
    },
    /// List the devices Spotify can play on.
    Devices,
}

/// Runs `spotkit player`.
pub async fn run(settings: &Settings, args: PlayerArgs) -> Result<()> {
    let spotify = settings.logged_in_client().await?;
    let player = spotify.player();
    let device = match &args.device {
        Some(d) => Some(resolve_device(&spotify, d).await?),
        None => None,
    };
    macro_rules! on_device {
        ($cmd:expr) => {{
            let cmd = $cmd;
            match &device {
                Some(id) => cmd.device_id(id),
                None => cmd,
            }
        }};
    }
    let done = |what: &str| -> Result<()> {
        if settings.json {
            print_json(&json!({"ok": true, "action": what}))
        } else {
            if !settings.quiet {
                eprintln!("{what}");
            }
            Ok(())
        }
    };
    match args.action {
        Action::Status => status(settings, &spotify).await,
        Action::Devices => {
            let devices = player.devices().await?;
            if settings.json {
                return print_json(&devices);
            }
            if devices.is_empty() {
                eprintln!("no devices: open Spotify on a phone, computer or speaker first");
            }
            for d in devices {
                println!(
                    "{} {:<24} {:<12} volume {:>3}%  id {}",
                    if d.is_active { "*" } else { " " },
                    d.name,
                    d.kind,
                    d.volume_percent.unwrap_or(0),
                    d.id.as_deref().unwrap_or("-")
                );
            }
            Ok(())
        }
        Action::Play { uris } => {
            let mut play = on_device!(player.play());
            if let [one] = uris.as_slice()
                && let Ok(uri) = SpotifyUri::parse(one)
                && !matches!(uri, SpotifyUri::Track(_) | SpotifyUri::Episode(_))
            {
                play = play.context(&uri);
            } else if !uris.is_empty() {
                let items = uris
                    .iter()
                    .map(|u| PlayableUri::parse(u).map_err(|e| anyhow!(Hinted::new(e.to_string(), "pass one album/playlist/artist/show, or tracks and episodes (spotify: URIs or open.spotify.com links)"))))
                    .collect::<Result<Vec<_>>>()?;
                play = play.uris(&items);
            }
            play.send().await?;
            done(if uris.is_empty() {
                "playing"
            } else {
                "playing the new selection"
            })
        }
        Action::Pause => {
            on_device!(player.pause()).send().await?;
            done("paused")
        }
        Action::Next => {
            on_device!(player.next()).send().await?;
            done("skipped to the next track")
        }
        Action::Previous => {
            on_device!(player.previous()).send().await?;
            done("back to the previous track")
        }
        Action::Queue { uri } => {
            let item = PlayableUri::parse(&uri)?;
            on_device!(player.add_to_queue(&item)).send().await?;
            done(&format!("queued {}", item.uri()))
        }
    }
}

async fn status(settings: &Settings, spotify: &spotkit::Spotify) -> Result<()> {
    let state = spotify.player().state().send().await?;
    if settings.json {
        return print_json(&state);
    }
    let Some(state) = state else {
        println!("nothing is playing");
        return Ok(());
    };
    let playing = state.is_playing;
    let progress = state.progress_ms.unwrap_or(0);
    let (title, by, length) = match &state.item {
        Some(item) => (
            item.name().unwrap_or_default().to_owned(),
            item.artist_names(),
            item.duration_ms(),
        ),
        None => ("(unknown item)".to_owned(), String::new(), None),
    };
    let device = if state.device.name.is_empty() {
        "?"
    } else {
        state.device.name.as_str()
    };
    println!(
        "{} {title}{} [{}{}] on {device}",
        if playing { "▶" } else { "⏸" },
        if by.is_empty() {
            String::new()
        } else {
            format!(" — {by}")
        },
        clock(progress),
        length
            .map(|l| format!(" / {}", clock(l)))
            .unwrap_or_default(),
    );
    Ok(())
}

/// `m:ss`.
fn clock(ms: u64) -> String {
    format!("{}:{:02}", ms / 60_000, ms / 1000 % 60)
}

/// A device by id or name.
async fn resolve_device(
    spotify: &spotkit::Spotify,
    wanted: &str,
) -> Result<spotkit::model::DeviceId> {
    let devices = spotify.player().devices().await?;
    let hit = devices
        .iter()
        .find(|d| d.id.as_deref() == Some(wanted) || d.name.eq_ignore_ascii_case(wanted));
    match hit.and_then(|d| d.id.clone()) {
        Some(id) => Ok(id),
        None => Err(anyhow!(Hinted::new(
            format!("no device called `{wanted}`"),
            format!(
                "pick one of: {} (`spotkit player devices`)",
                devices
                    .iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clock_formats_minutes_and_seconds() {
        assert_eq!(super::clock(61_500), "1:01");
        assert_eq!(super::clock(0), "0:00");
    }
}
