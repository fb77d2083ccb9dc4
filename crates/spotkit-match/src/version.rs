//! Words that say a text names another version of a song.
//!
//! Two kinds: [`RECORDING`] words mark another recording or a changed one (a live take, a remix,
//! a sped-up upload): never the track asked for unless it says so too. [`EDITION`] words mark the
//! same recording presented otherwise (remastered, radio edit, mono): a match for finding audio,
//! a difference when a row names a precise edition.

use crate::similarity::contains_words;

/// Another recording, or the recording changed (normalised words and phrases).
pub const RECORDING: &[&str] = &[
    "live",
    "cover",
    "karaoke",
    "remix",
    "sped up",
    "speed up",
    "sped",
    "nightcore",
    "instrumental",
    "slowed",
    "reverb",
    "8d",
    "acoustic",
    "reprise",
    "extended",
    "bass boosted",
    "tribute",
    "in the style of",
    "piano version",
    "demo",
    "mashup",
    "parody",
];

/// The same recording, another edition (normalised words and phrases).
pub const EDITION: &[&str] = &[
    "remaster",
    "remastered",
    "edit",
    "radio edit",
    "mono",
    "stereo",
    "deluxe",
];

/// The [`RECORDING`] words a [`normalize`](crate::normalize())d text contains.
pub fn recording_words(norm: &str) -> Vec<&'static str> {
    words_of(RECORDING, norm)
}

/// The [`RECORDING`] and [`EDITION`] words a normalised text contains.
pub fn version_words(norm: &str) -> Vec<&'static str> {
    let mut out = words_of(RECORDING, norm);
    out.extend(words_of(EDITION, norm));
    out
}

fn words_of(list: &[&'static str], norm: &str) -> Vec<&'static str> {
    list.iter()
        .copied()
        .filter(|w| contains_words(norm, w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize;

    #[test]
    fn recording_and_edition_words() {
        assert_eq!(recording_words(&normalize("Song (Live at KEXP)")), ["live"]);
        assert_eq!(
            recording_words(&normalize("Song - Sped Up")),
            ["sped up", "sped"]
        );
        assert_eq!(recording_words(&normalize("Song (8D Audio)")), ["8d"]);
        assert!(recording_words(&normalize("Liver Song")).is_empty());
        assert_eq!(
            version_words(&normalize("Song - Remastered 2011")),
            ["remastered"]
        );
    }
}
