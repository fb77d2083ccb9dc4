//! Planning: which tracks to download, which files to keep and, with `--delete`, which to
//! remove, from the manifest and what Spotify lists.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::fetch::{Collection, Selection};
use crate::index::{self, Entry, Manifest, PlaylistEntry};
use crate::names;
use crate::options::Options;
use crate::report::Clash;
use crate::tag;
use crate::track::TrackInfo;

pub(crate) struct Work {
    pub(crate) track: TrackInfo,
    pub(crate) file: String,
    /// A previous file of this track in another format, removed once the new one is in place.
    pub(crate) replaces: Option<String>,
    /// The name it would have had, held by a file spotkit did not make (left alone).
    pub(crate) clash: Option<String>,
}

pub(crate) struct Plan {
    pub(crate) work: Vec<Work>,
    pub(crate) keep: Vec<(TrackInfo, String)>,
    /// Files to delete (relative).
    pub(crate) delete: Vec<String>,
    /// The `.lrc` files of those, deleted with them.
    pub(crate) delete_lyrics: Vec<String>,
    pub(crate) delete_ids: HashSet<String>,
    /// Playlists to drop from the manifest (deleted on Spotify), with their M3U8s.
    pub(crate) drop_playlists: Vec<String>,
    /// Each collection's M3U8, relative, in the order of the collections.
    pub(crate) m3u: Vec<String>,
    /// Names held by files spotkit did not make, and the names used instead.
    pub(crate) clashes: Vec<Clash>,
}

/// Whether something spotkit did not make for `t` is at `rel`: then it must not be replaced.
fn foreign(dir: &Path, rel: &str, t: &TrackInfo) -> bool {
    let path = index::resolve(dir, rel);
    if std::fs::symlink_metadata(&path).is_err() {
        return false;
    }
    // Not foreign: this track's file, renamed into place by a run killed before it saved the
    // manifest (the worker adopts or replaces it).
    !tag::read(&path).is_ok_and(|r| r.spotify_uri.as_deref() == Some(t.uri.as_str()))
}

/// `{stem} (2).{ext}`, `{stem} (3).{ext}`, ...: the first name neither taken nor held.
fn beside(stem: &str, ext: &str, free: impl Fn(&str) -> bool) -> String {
    let mut n = 2u32;
    loop {
        let name = format!("{stem} ({n}).{ext}");
        if free(&name) {
            return name;
        }
        n += 1;
    }
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
    let mut clashes = Vec::new();
    for t in unique {
        let old = manifest.tracks.get(&t.id);
        if let Some(e) = old.filter(|e| e.format == opts.format && file_ok(&opts.dir, e)) {
            keep.push((t.clone(), e.file.clone()));
            continue;
        }
        let mut clash = None;
        let file = if let Some(e) = old.filter(|e| e.format == opts.format) {
            e.file.clone()
        } else {
            let taken_by_other = |f: &str| taken.get(&names::fold(f)).is_some_and(|id| id != &t.id);
            let mut stem = names::render(&opts.template, t);
            if taken_by_other(&format!("{stem}.{ext}")) {
                stem = format!("{stem} [{}]", t.id);
            }
            let file = format!("{stem}.{ext}");
            if foreign(&opts.dir, &file, t) {
                let used = beside(&stem, ext, |f| {
                    !taken_by_other(f) && !foreign(&opts.dir, f, t)
                });
                clashes.push(Clash {
                    file: file.clone(),
                    used: used.clone(),
                    label: t.label(),
                });
                clash = Some(file);
                used
            } else {
                file
            }
        };
        taken.insert(names::fold(&file), t.id.clone());
        work.push(Work {
            track: t.clone(),
            replaces: old.map(|e| e.file.clone()).filter(|f| f != &file),
            file,
            clash,
        });
    }
    let mut drop_playlists = Vec::new();
    let mut delete = Vec::new();
    let mut delete_lyrics = Vec::new();
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
                delete_lyrics.extend(e.lyrics.clone());
                delete_ids.insert(id.clone());
            }
        }
    }
    let m3u = m3u_names(
        &opts.dir,
        manifest,
        collections,
        &drop_playlists,
        &mut clashes,
    );
    Plan {
        work,
        keep,
        delete,
        delete_lyrics,
        delete_ids,
        drop_playlists,
        m3u,
        clashes,
    }
}

/// Each collection's M3U8 name: its own name, unique among the manifest's playlists, and
/// beside any file of that name spotkit did not make (a new clash is pushed to `clashes`).
fn m3u_names(
    dir: &Path,
    manifest: &Manifest,
    collections: &[Collection],
    drop_playlists: &[String],
    clashes: &mut Vec<Clash>,
) -> Vec<String> {
    let ours: HashSet<String> = manifest
        .playlists
        .values()
        .map(|p| names::fold(&p.m3u))
        .collect();
    let held = |f: &str| {
        !ours.contains(&names::fold(f)) && std::fs::symlink_metadata(index::resolve(dir, f)).is_ok()
    };
    let mut taken: HashMap<String, String> = manifest
        .playlists
        .iter()
        .filter(|(k, _)| !collections.iter().any(|c| &c.key == *k) && !drop_playlists.contains(k))
        .map(|(k, p)| (names::fold(&p.m3u), k.clone()))
        .collect();
    let mut out = Vec::new();
    for c in collections {
        let taken_by_other = |f: &str| taken.get(&names::fold(f)).is_some_and(|k| k != &c.key);
        let mut stem = names::sanitize(&c.name);
        let reserved = [index::MANIFEST, index::ERRORS];
        if taken_by_other(&format!("{stem}.m3u8"))
            || reserved.contains(&format!("{stem}.m3u8").as_str())
        {
            stem = format!("{stem} [{}]", c.key);
        }
        let mut m3u = format!("{stem}.m3u8");
        if held(&m3u) {
            let used = beside(&stem, "m3u8", |f| !taken_by_other(f) && !held(f));
            // Said once, when the name is new; later runs find it in the manifest.
            if manifest.playlists.get(&c.key).is_none_or(|p| p.m3u != used) {
                clashes.push(Clash {
                    file: m3u.clone(),
                    used: used.clone(),
                    label: c.name.clone(),
                });
            }
            m3u = used;
        }
        taken.insert(names::fold(&m3u), c.key.clone());
        out.push(m3u);
    }
    out
}
