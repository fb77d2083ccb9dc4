//! Phase 1 of an import: the source read into targets, before any login or write; `--into`.

use std::path::PathBuf;

use anyhow::{Result, anyhow};

use super::args::{Part, Source};
use crate::export_index;
use crate::hint::Hinted;
use crate::import::{self, Destination, Kind, Target};
use crate::source;

pub fn read_source(source: &Source) -> Result<(PathBuf, &'static str, Vec<Target>)> {
    match source {
        Source::Exportify { path, name } => {
            // spotkit's own `index.json` gives each CSV its exact playlist name.
            let files = source::read_inputs(path, &|n| {
                n.to_lowercase().ends_with(".csv") || n == export_index::FILE
            })?;
            if files.iter().all(|f| f.base == export_index::FILE) {
                return Err(anyhow!(Hinted::new(
                    format!("no .csv file in {}", path.display()),
                    "pass an Exportify CSV, a folder of them, or Exportify's spotify_playlists.zip",
                )));
            }
            Ok((
                path.clone(),
                "exportify",
                import::exportify::parse(&files, name.as_deref())?,
            ))
        }
        Source::Gdpr { path, only } => {
            let files = source::read_inputs(path, &import::gdpr::wanted)?;
            if let Some((file, what)) = import::gdpr::history_only(&files) {
                return Err(anyhow!(Hinted::new(
                    format!(
                        "{file}: this is {what}: a list of plays, not playlists or saved items; nothing was created"
                    ),
                    "to import playlists and the library, pass the whole account data export (my_spotify_data.zip, or the folder holding Playlist1.json and YourLibrary.json); to import the listening history into a local database, run `spotkit history import` with this file, folder or zip",
                )));
            }
            if files.is_empty() {
                return Err(anyhow!(Hinted::new(
                    format!(
                        "no YourLibrary.json or Playlist*.json in {}",
                        path.display()
                    ),
                    "pass Spotify's account data export: my_spotify_data.zip as downloaded, or the folder it unpacks to",
                )));
            }
            let mut targets = import::gdpr::parse(&files)?;
            if !only.is_empty() {
                targets.retain(|t| {
                    only.contains(&match t.destination {
                        Destination::Playlist { .. } | Destination::Existing { .. } => {
                            Part::Playlists
                        }
                        Destination::Liked => Part::Liked,
                        Destination::Library => Part::Library,
                        Destination::Artists => Part::Artists,
                    })
                });
            }
            Ok((path.clone(), "gdpr", targets))
        }
    }
}

/// `--into`: every playable row goes to one existing playlist, in source order.
pub fn merge_into(targets: Vec<Target>, id: &str) -> Vec<Target> {
    let rows = targets
        .into_iter()
        .flat_map(|t| t.rows)
        .filter(|r| matches!(r.kind, Kind::Track | Kind::Episode | Kind::Local))
        .collect();
    vec![Target {
        destination: Destination::Existing { id: id.to_owned() },
        rows,
    }]
}
