//! File names as exportify.net gives them, and which names mean liked songs.
//!
//! exportify.net (pavelkomarov/exportify, `exportify.js` @ 048eb3f, 2026-01-02, `fileName()`):
//! `playlist.name.replace(/[\/\\:*?"<>|]/g, '').replace(/\s+/g, '_')`: case kept, only the
//! characters file systems refuse dropped, each run of whitespace one `_`; liked songs are its
//! pseudo-playlist "Liked Songs", so `Liked_Songs.csv`. In "Export All" a name already taken gets
//! `_` appended until it is free. (exportify.app, watsonbox/exportify, lower-cases names and turns
//! more characters into `_`: its files import too, but spotkit writes exportify.net's.)

use std::collections::HashSet;

/// The name liked songs go under in Exportify.
pub const LIKED_SONGS: &str = "Liked Songs";

/// exportify.net's file stem for a playlist name.
pub fn file_stem(name: &str) -> String {
    let mut stem = String::with_capacity(name.len());
    let mut in_space = false;
    for c in name.chars() {
        if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
            continue;
        }
        if c.is_whitespace() {
            if !in_space {
                stem.push('_');
            }
            in_space = true;
        } else {
            stem.push(c);
            in_space = false;
        }
    }
    stem
}

/// Whether a file stem names liked songs: exportify.net's `Liked_Songs`, exportify.app's `liked`,
/// and the lower-case `liked_songs` of older versions.
pub fn is_liked(stem: &str) -> bool {
    ["liked_songs", "liked"]
        .iter()
        .any(|l| stem.eq_ignore_ascii_case(l))
}

/// Stems of one multi-file export: Exportify's rule, `_` appended while a stem is taken.
///
/// Two differences, both so that the files import back to where they came from: stems are
/// compared case-insensitively (macOS and Windows would put `Mix.csv` and `MIX.csv` in one file),
/// and a playlist whose stem would read as liked songs (`Liked_Songs`, `liked`) gets a `_` too.
/// A name with nothing left (`???`) is named after the playlist id.
#[derive(Debug, Default)]
pub struct Stems {
    used: HashSet<String>,
}

impl Stems {
    /// Reserves the liked-songs stem; returns it.
    pub fn liked(&mut self) -> String {
        let stem = file_stem(LIKED_SONGS);
        self.used.insert(stem.to_lowercase());
        stem
    }

    /// A free stem for the playlist `name` (id `id`).
    pub fn playlist(&mut self, name: &str, id: &str) -> String {
        let mut stem = file_stem(name);
        if stem.is_empty() {
            id.clone_into(&mut stem);
        }
        while is_liked(&stem) || !self.used.insert(stem.to_lowercase()) {
            stem.push('_');
        }
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_follow_exportify_net() {
        assert_eq!(file_stem(LIKED_SONGS), "Liked_Songs");
        assert_eq!(file_stem("Road Trip! 2024 — Mix"), "Road_Trip!_2024_—_Mix");
        assert_eq!(file_stem("a/b: c?  d"), "ab_c_d");
        assert_eq!(file_stem("Summer '26"), "Summer_'26");
        assert_eq!(file_stem("Ünïcode"), "Ünïcode");
        assert_eq!(file_stem(" x "), "_x_");
    }

    #[test]
    fn stems_of_one_export_are_unique_and_never_liked() {
        let mut stems = Stems::default();
        assert_eq!(stems.liked(), "Liked_Songs");
        assert_eq!(stems.playlist("Mix", "a1"), "Mix");
        assert_eq!(stems.playlist("MIX", "b2"), "MIX_");
        assert_eq!(stems.playlist("Mix", "b3"), "Mix__");
        assert_eq!(stems.playlist("Liked Songs", "c3"), "Liked_Songs_");
        assert_eq!(stems.playlist("liked", "c4"), "liked_");
        assert_eq!(stems.playlist("???", "d4"), "d4");
        assert!(is_liked("Liked_Songs") && is_liked("liked") && !is_liked("Liked_Songs_"));
    }
}
