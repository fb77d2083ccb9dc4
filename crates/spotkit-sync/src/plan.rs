//! Planning: which tracks to download, which files to keep and, with `--delete`, which to
//! remove, from the manifest and what Spotify lists.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::fetch::{Collection, Selection};
use crate::index::{self, Entry, Manifest, PlaylistEntry};
use crate::names;
use crate::options::Options;
use crate::track::TrackInfo;

pub(crate) struct Work {
    pub(crate) track: TrackInfo,
    pub(crate) file: String,
    /// A previous file of this track in another format, removed once the new one is in place.
    pub(crate) replaces: Option<String>,
}

pub(crate) struct Plan {
    pub(crate) work: Vec<Work>,
    pub(crate) keep: Vec<(TrackInfo, String)>,
    /// Files to delete (relative).
    pub(crate) delete: Vec<String>,
    pub(crate) delete_ids: HashSet<String>,
    /// Playlists to drop from the manifest (deleted on Spotify), with their M3U8s.
    pub(crate) drop_playlists: Vec<String>,
}

fn file_ok(dir: &Path, e: &Entry) -> bool {
    std::fs::metadata(index::resolve(dir, &e.file)).is_ok_and(|m| m.is_file() && m.len() == e.size)
}

pub(crate) fn plan(
    manifest: &Manifest,
    unique: &[TrackInfo],
    collections: &[Collection],
    selection: &Selection,
    opts: &Options,
) -> Plan {
    let ext = opts.format.ext();
    // Every name the manifest holds stays taken by its track.
    let mut taken: HashMap<String, String> = manifest
        .tracks
        .iter()
        .map(|(id, e)| (names::fold(&e.file), id.clone()))
        .collect();
    let mut work = Vec::new();
    let mut keep = Vec::new();
    for t in unique {
        let old = manifest.tracks.get(&t.id);
        if let Some(e) = old.filter(|e| e.format == opts.format && file_ok(&opts.dir, e)) {
            keep.push((t.clone(), e.file.clone()));
            continue;
        }
        let file = if let Some(e) = old.filter(|e| e.format == opts.format) {
            e.file.clone()
        } else {
            let stem = names::render(&opts.template, t);
            let file = format!("{stem}.{ext}");
            if taken.get(&names::fold(&file)).is_some_and(|id| id != &t.id) {
                format!("{stem} [{}].{ext}", t.id)
            } else {
                file
            }
        };
        taken.insert(names::fold(&file), t.id.clone());
        work.push(Work {
            track: t.clone(),
            replaces: old.map(|e| e.file.clone()).filter(|f| f != &file),
            file,
        });
    }
    let mut drop_playlists = Vec::new();
    let mut delete = Vec::new();
    let mut delete_ids = HashSet::new();
    if opts.delete {
        let mut playlists = manifest.playlists.clone();
        for c in collections {
            playlists.insert(
                c.key.clone(),
                PlaylistEntry {
                    name: c.name.clone(),
                    m3u: String::new(),
                    tracks: c.tracks.iter().map(|t| t.id.clone()).collect(),
                },
            );
        }
        // Listing the whole library tells which playlists are gone from it.
        if matches!(selection, Selection::Playlists | Selection::All) {
            let present: HashSet<&str> = collections.iter().map(|c| c.key.as_str()).collect();
            for key in manifest.playlists.keys() {
                if key != crate::fetch::LIKED_KEY && !present.contains(key.as_str()) {
                    drop_playlists.push(key.clone());
                    playlists.remove(key);
                }
            }
        }
        let kept: HashSet<&str> = playlists
            .values()
            .flat_map(|p| p.tracks.iter().map(String::as_str))
            .collect();
        for (id, e) in &manifest.tracks {
            if !kept.contains(id.as_str()) {
                delete.push(e.file.clone());
                delete_ids.insert(id.clone());
            }
        }
    }
    Plan {
        work,
        keep,
        delete,
        delete_ids,
        drop_playlists,
    }
}
