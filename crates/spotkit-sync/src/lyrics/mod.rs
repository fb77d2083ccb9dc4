//! Lyrics: looked up on [LRCLIB](https://lrclib.net/docs) ([`lrclib`]), embedded into the file's
//! tags ([`crate::tag`]) and, when synced, written as an `.lrc` file beside the audio.
//!
//! Synced lyrics are kept as LRC text (`[mm:ss.xx] line`) everywhere: that is what LRCLIB hands
//! out, what the `.lrc` file holds and what players read from the lyrics tag; [`lrc`] parses the
//! timestamps where a format has a binary field of its own (ID3v2 `SYLT`).

pub mod lrc;
pub mod lrclib;

/// The lyrics a file gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lyrics {
    /// LRC text when `synced`, plain text otherwise.
    pub text: String,
    /// Whether `text` carries timestamps.
    pub synced: bool,
}

impl Lyrics {
    /// What a record offers: its synced lyrics, else its plain ones, else nothing (instrumental
    /// tracks and records without text).
    pub fn from_record(r: &lrclib::Record) -> Option<Lyrics> {
        fn non_empty(s: Option<&String>) -> Option<&str> {
            s.map(|s| s.trim()).filter(|s| !s.is_empty())
        }
        if let Some(text) = non_empty(r.synced_lyrics.as_ref()) {
            return Some(Lyrics {
                text: text.to_owned(),
                synced: true,
            });
        }
        non_empty(r.plain_lyrics.as_ref()).map(|text| Lyrics {
            text: text.to_owned(),
            synced: false,
        })
    }

    /// Lyrics read back from a tag: synced when the text has LRC timestamps.
    pub fn from_tag(text: &str) -> Lyrics {
        Lyrics {
            text: text.to_owned(),
            synced: !lrc::parse(text).is_empty(),
        }
    }
}
