//! The files a run writes at its end besides the manifest: one M3U8 per playlist and the error
//! report.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::fetch::Collection;
use crate::index::{self, Manifest, PlaylistEntry};
use crate::plan::Plan;
use crate::report::{Failure, Note, PlaylistReport, Summary};
use crate::track::Skipped;
use spotkit_files::{Mode, m3u};

pub(crate) fn write_playlists(
    dir: &Path,
    manifest: &mut Manifest,
    collections: &[Collection],
    plan: &Plan,
) -> Result<Vec<PlaylistReport>> {
    for key in &plan.drop_playlists {
        if let Some(p) = manifest.playlists.remove(key) {
            let _ = std::fs::remove_file(index::resolve(dir, &p.m3u));
        }
    }
    let mut previous = Vec::new();
    for (c, m3u) in collections.iter().zip(&plan.m3u) {
        let old = manifest.playlists.insert(
            c.key.clone(),
            PlaylistEntry {
                name: c.name.clone(),
                m3u: m3u.clone(),
                tracks: c.tracks.iter().map(|t| t.id.clone()).collect(),
            },
        );
        previous.push(old.map(|p| p.m3u).filter(|old| old != m3u));
    }
    // The names are in the manifest before the files: an M3U8 found without its manifest entry
    // is not spotkit's, never one of a run killed here.
    manifest.save(dir)?;
    let mut reports = Vec::new();
    for ((c, m3u), old) in collections.iter().zip(&plan.m3u).zip(previous) {
        let items: Vec<m3u::Item> = c
            .tracks
            .iter()
            .filter_map(|t| {
                manifest.tracks.get(&t.id).map(|e| m3u::Item {
                    seconds: Some(t.duration_ms.div_ceil(1000)),
                    label: t.label(),
                    location: e.file.clone(),
                })
            })
            .collect();
        spotkit_files::write_atomic(
            &index::resolve(dir, m3u),
            m3u::to_string(&c.name, &items).as_bytes(),
            Mode::Shared,
        )?;
        if let Some(old) = old {
            let _ = std::fs::remove_file(index::resolve(dir, &old));
        }
        reports.push(PlaylistReport {
            name: c.name.clone(),
            m3u: m3u.clone(),
            tracks: c.tracks.len(),
            present: items.len(),
        });
    }
    Ok(reports)
}

pub(crate) fn write_errors(dir: &Path, summary: &Summary) -> Result<()> {
    #[derive(Serialize)]
    struct Report<'a> {
        errors: &'a [Failure],
        notes: &'a [Note],
        skipped: &'a [Skipped],
        refused_playlists: Vec<BTreeMap<&'static str, &'a str>>,
    }
    let report = Report {
        errors: &summary.failed,
        notes: &summary.notes,
        skipped: &summary.skipped,
        refused_playlists: summary
            .refused
            .iter()
            .map(|(n, r)| BTreeMap::from([("name", n.as_str()), ("reason", r.as_str())]))
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&report)
        .map_err(|e| Error::Config(format!("cannot encode the error report: {e}")))?;
    bytes.push(b'\n');
    spotkit_files::write_atomic(&dir.join(index::ERRORS), &bytes, Mode::Shared)?;
    Ok(())
}
