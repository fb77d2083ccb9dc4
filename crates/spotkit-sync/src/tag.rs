//! Tags, written and read with `lofty`: the common fields through lofty's format-independent
//! [`Tag`], the spotkit-specific ones (Spotify URI, source URL, duration check) through each
//! format's own tag (Vorbis comments for Opus/FLAC, ID3v2 `TXXX` for MP3, iTunes freeform atoms
//! for M4A), because a generic tag has no place for unknown keys.
//!
//! Lyrics go where players look for them: Vorbis `LYRICS` (Opus, FLAC) and MP4 `©lyr` through
//! [`ItemKey::Lyrics`], ID3v2 `USLT` through [`ItemKey::UnsyncLyrics`] (lofty maps
//! [`ItemKey::Lyrics`] to nothing in ID3v2). Synced lyrics are stored there as LRC text, the
//! common practice players that show synced lyrics read; MP3s also get an ID3v2 `SYLT` frame
//! with the same lines and timestamps, the format's own field for synced lyrics.

use std::fs::OpenOptions;
use std::path::Path;

use lofty::config::{ParseOptions, WriteOptions};
use lofty::file::{AudioFile as _, TaggedFileExt as _};
use lofty::id3::v2::{
    BinaryFrame, Frame, FrameId, Id3v2Tag, SyncTextContentType, SynchronizedTextFrame,
    TimestampFormat,
};
use lofty::mp4::{Atom, AtomData, AtomIdent, Ilst};
use lofty::ogg::VorbisComments;
use lofty::picture::{MimeType, Picture, PictureType};
use lofty::tag::{Accessor as _, ItemKey, Tag, TagExt as _, TagItem, TagType, items::Timestamp};

use crate::ffmpeg::Format;
use crate::lyrics::{Lyrics, lrc};
use crate::track::TrackInfo;

/// Custom key of the Spotify URI.
pub const KEY_SPOTIFY_URI: &str = "SPOTIFY_URI";
/// Custom key of the URL the audio was downloaded from.
pub const KEY_SOURCE: &str = "SPOTKIT_SOURCE";
/// Custom key of the duration check (`ok` or `mismatch`, with the figures).
pub const KEY_DURATION_CHECK: &str = "SPOTKIT_DURATION_CHECK";
const MP4_MEAN: &str = "com.apple.iTunes";

/// What spotkit writes besides the track's own metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    /// Where the audio came from.
    pub source_url: String,
    /// The duration check, e.g. `ok: source 214.3 s, Spotify 215.0 s (0.7 s apart)`.
    pub duration_check: String,
}

/// Tags as read back from a file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadTags {
    /// Title.
    pub title: Option<String>,
    /// Artist (all artists joined with ", ").
    pub artist: Option<String>,
    /// Every artist, one value each (where the format has multi-value fields).
    pub artists: Vec<String>,
    /// Album.
    pub album: Option<String>,
    /// Album artist.
    pub album_artist: Option<String>,
    /// Track number.
    pub track_number: Option<u32>,
    /// Disc number.
    pub disc_number: Option<u32>,
    /// Release date as written.
    pub date: Option<String>,
    /// ISRC.
    pub isrc: Option<String>,
    /// Spotify URI.
    pub spotify_uri: Option<String>,
    /// Source URL.
    pub source: Option<String>,
    /// Duration check.
    pub duration_check: Option<String>,
    /// Front cover bytes.
    pub cover: Option<Vec<u8>>,
    /// Lyrics (LRC text when synced).
    pub lyrics: Option<String>,
    /// Audio length in seconds, from the stream's properties.
    pub duration_secs: f64,
}

fn tag_type(format: Format) -> TagType {
    match format {
        Format::Opus | Format::Flac => TagType::VorbisComments,
        Format::M4a => TagType::Mp4Ilst,
        Format::Mp3 => TagType::Id3v2,
    }
}

fn freeform(name: &str) -> AtomIdent<'static> {
    AtomIdent::Freeform {
        mean: MP4_MEAN.into(),
        name: name.to_owned().into(),
    }
}

fn timestamp(date: &str) -> Option<Timestamp> {
    let mut it = date.split('-');
    let year: u16 = it.next()?.parse().ok()?;
    let month = it.next().and_then(|m| m.parse().ok());
    let day = it.next().and_then(|d| d.parse().ok());
    Some(Timestamp {
        year,
        month,
        day,
        ..Timestamp::default()
    })
}

/// Writes every tag into the file at `path` (whatever its name: the format is probed from the
/// content), replacing tags already there.
pub fn write(
    path: &Path,
    format: Format,
    track: &TrackInfo,
    cover: Option<&[u8]>,
    lyrics: Option<&Lyrics>,
    provenance: &Provenance,
) -> Result<(), String> {
    let mut tag = Tag::new(tag_type(format));
    tag.set_title(track.title.clone());
    tag.set_artist(track.artists.join(", "));
    for a in &track.artists {
        tag.push(TagItem::new(
            ItemKey::TrackArtists,
            lofty::tag::ItemValue::Text(a.clone()),
        ));
    }
    tag.set_album(track.album.clone());
    if let Some(aa) = track.album_artists.first() {
        tag.insert_text(ItemKey::AlbumArtist, track.album_artists.join(", "));
        let _ = aa;
    }
    if let Some(n) = track.track_number {
        tag.set_track(n);
    }
    if let Some(n) = track.disc_number {
        tag.set_disk(n);
    }
    if let Some(ts) = track.release_date.as_deref().and_then(timestamp) {
        tag.set_date(ts);
    }
    if let Some(isrc) = &track.isrc {
        tag.insert_text(ItemKey::Isrc, isrc.clone());
    }
    if let Some(bytes) = cover {
        let mime = if bytes.starts_with(b"\x89PNG") {
            MimeType::Png
        } else {
            MimeType::Jpeg
        };
        tag.push_picture(
            Picture::unchecked(bytes.to_vec())
                .pic_type(PictureType::CoverFront)
                .mime_type(mime)
                .build(),
        );
    }
    if let Some(l) = lyrics {
        let key = if format == Format::Mp3 {
            ItemKey::UnsyncLyrics
        } else {
            ItemKey::Lyrics
        };
        tag.insert_text(key, l.text.clone());
    }
    let custom = [
        (KEY_SPOTIFY_URI, track.uri.as_str()),
        (KEY_SOURCE, provenance.source_url.as_str()),
        (KEY_DURATION_CHECK, provenance.duration_check.as_str()),
    ];
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| format!("cannot open {} to tag it: {e}", path.display()))?;
    let options = WriteOptions::default();
    let result = match format {
        Format::Opus | Format::Flac => {
            let mut vc = VorbisComments::from(tag);
            vc.set_vendor("spotkit".to_owned());
            for (k, v) in custom {
                vc.insert(k.to_owned(), v.to_owned());
            }
            vc.save_to(&mut file, options)
        }
        Format::Mp3 => {
            let mut id3 = Id3v2Tag::from(tag);
            for (k, v) in custom {
                id3.insert_user_text(k.to_owned(), v.to_owned());
            }
            if let Some(l) = lyrics.filter(|l| l.synced) {
                id3.insert(sylt(l)?);
            }
            id3.save_to(&mut file, options)
        }
        Format::M4a => {
            let mut ilst = Ilst::from(tag);
            for (k, v) in custom {
                ilst.insert(Atom::new(freeform(k), AtomData::UTF8(v.to_owned())));
            }
            ilst.save_to(&mut file, options)
        }
    };
    result.map_err(|e| format!("cannot write the tags of {}: {e}", path.display()))
}

/// The ID3v2 `SYLT` frame of synced lyrics (lofty keeps `SYLT` as a binary frame).
fn sylt(l: &Lyrics) -> Result<Frame<'static>, String> {
    let frame = SynchronizedTextFrame::new(
        lofty::TextEncoding::UTF8,
        *b"XXX", // ID3v2's "language unknown"
        TimestampFormat::MS,
        SyncTextContentType::Lyrics,
        None,
        lrc::parse(&l.text),
    );
    let bytes = frame
        .as_bytes(WriteOptions::default())
        .map_err(|e| format!("cannot encode the synced lyrics as an ID3v2 SYLT frame: {e}"))?;
    Ok(Frame::Binary(BinaryFrame::new(
        FrameId::Valid("SYLT".into()),
        bytes,
    )))
}

/// Reads the tags of a file written by [`write()`] (or by anyone else).
pub fn read(path: &Path) -> Result<ReadTags, String> {
    let fail =
        |e: &dyn std::fmt::Display| format!("cannot read the tags of {}: {e}", path.display());
    let tagged = lofty::probe::Probe::open(path)
        .map_err(|e| fail(&e))?
        .guess_file_type()
        .map_err(|e| fail(&e))?
        .read()
        .map_err(|e| fail(&e))?;
    let mut out = ReadTags {
        duration_secs: tagged.properties().duration().as_secs_f64(),
        ..ReadTags::default()
    };
    if let Some(tag) = tagged.primary_tag() {
        out.title = tag.title().map(std::borrow::Cow::into_owned);
        out.artist = tag.artist().map(std::borrow::Cow::into_owned);
        out.artists = tag
            .get_strings(ItemKey::TrackArtists)
            .map(str::to_owned)
            .collect();
        out.album = tag.album().map(std::borrow::Cow::into_owned);
        out.album_artist = tag.get_string(ItemKey::AlbumArtist).map(str::to_owned);
        out.track_number = tag.track();
        out.disc_number = tag.disk();
        out.date = tag.date().map(|d| d.to_string());
        out.isrc = tag.get_string(ItemKey::Isrc).map(str::to_owned);
        out.lyrics = tag
            .get_string(ItemKey::Lyrics)
            .or_else(|| tag.get_string(ItemKey::UnsyncLyrics))
            .map(str::to_owned);
        out.cover = tag
            .pictures()
            .iter()
            .find(|p| p.pic_type() == PictureType::CoverFront)
            .or_else(|| tag.pictures().first())
            .map(|p| p.data().to_vec());
    }
    let mut file = std::fs::File::open(path).map_err(|e| fail(&e))?;
    let options = ParseOptions::new();
    let custom: Vec<Option<String>> = match tagged.file_type() {
        lofty::file::FileType::Opus => {
            let f = lofty::ogg::OpusFile::read_from(&mut file, options).map_err(|e| fail(&e))?;
            let vc = f.vorbis_comments();
            [KEY_SPOTIFY_URI, KEY_SOURCE, KEY_DURATION_CHECK]
                .map(|k| vc.get(k).map(str::to_owned))
                .to_vec()
        }
        lofty::file::FileType::Flac => {
            let f = lofty::flac::FlacFile::read_from(&mut file, options).map_err(|e| fail(&e))?;
            let vc = f.vorbis_comments();
            [KEY_SPOTIFY_URI, KEY_SOURCE, KEY_DURATION_CHECK]
                .map(|k| vc.and_then(|vc| vc.get(k)).map(str::to_owned))
                .to_vec()
        }
        lofty::file::FileType::Mpeg => {
            let f = lofty::mpeg::MpegFile::read_from(&mut file, options).map_err(|e| fail(&e))?;
            let id3 = f.id3v2();
            [KEY_SPOTIFY_URI, KEY_SOURCE, KEY_DURATION_CHECK]
                .map(|k| id3.and_then(|t| t.get_user_text(k)).map(str::to_owned))
                .to_vec()
        }
        lofty::file::FileType::Mp4 => {
            let f = lofty::mp4::Mp4File::read_from(&mut file, options).map_err(|e| fail(&e))?;
            let ilst = f.ilst();
            [KEY_SPOTIFY_URI, KEY_SOURCE, KEY_DURATION_CHECK]
                .map(|k| {
                    ilst.and_then(|t| t.get(&freeform(k))).and_then(|atom| {
                        atom.data().find_map(|d| match d {
                            AtomData::UTF8(s) | AtomData::UTF16(s) => Some(s.clone()),
                            _ => None,
                        })
                    })
                })
                .to_vec()
        }
        _ => vec![None, None, None],
    };
    let mut custom = custom.into_iter();
    out.spotify_uri = custom.next().flatten();
    out.source = custom.next().flatten();
    out.duration_check = custom.next().flatten();
    Ok(out)
}
