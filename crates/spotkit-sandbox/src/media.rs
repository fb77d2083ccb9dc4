//! `/_sandbox/media/`: a media catalogue for the catalogue's tracks, the way a video site or a
//! user's own media server would offer them to `spotkit sync`.
//!
//! * `GET /_sandbox/media/catalog.json`: every track's candidates in one document,
//!   `{"version":1,"items":[{"id","url","title","artist","channel","duration","isrc"?,"official"}]}`.
//!   Like search results on a video site, the candidates of a track are the right recording (often
//!   carrying its ISRC) mixed with decoys: live versions, covers, karaoke, sped-up/nightcore edits,
//!   remixes, instrumentals, music videos of the wrong length, near-name songs, other artists'
//!   songs of the same name and re-uploads on unofficial channels. About one track in ten has
//!   *no* good candidate at all, so a matcher has to be able to say "not found".
//! * `GET /_sandbox/media/audio/{candidate}.wav`: a short real clip (16-bit PCM WAV, mono,
//!   22.05 kHz, [`CLIP_SECONDS`] long) whose tone derives from the candidate id, so each one is
//!   distinct, stable and convertible by ffmpeg. The fault settings' `latency_ms` delays it, like
//!   the Web API, so throughput tests see a slow network; `media_latency_ms`, when set, delays
//!   it instead (a slow media server behind a fast API: tests that act while a sync downloads).
//!
//! [`candidates`] is the same list with the truth attached ([`Kind`]): tests use it to know which
//! tracks must be matched and to which candidate; the served JSON carries no such label.

use std::fmt::Write as _;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::json;
use sha2::Digest as _;

use crate::catalog::{Catalog, Track};
use crate::state::AppState;

/// Length of every served clip.
pub const CLIP_SECONDS: f64 = 2.0;
/// Sample rate of the clips.
pub const SAMPLE_RATE: u32 = 22_050;

/// What a candidate really is (not served; tests read it through [`candidates`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The recording on Spotify: the one a matcher must pick.
    Right,
    /// A live recording.
    Live,
    /// Another artist's cover.
    Cover,
    /// A karaoke backing track.
    Karaoke,
    /// A sped-up edit.
    SpedUp,
    /// A nightcore edit.
    Nightcore,
    /// A remix.
    Remix,
    /// The instrumental.
    Instrumental,
    /// A music video with a long intro/outro: right song, wrong length.
    WrongDuration,
    /// A different song of the same artist whose title is close.
    NearName,
    /// A different artist's song with the same title.
    OtherArtist,
    /// A re-upload on an unofficial channel, cut differently (a few seconds off).
    Reupload,
}

impl Kind {
    /// `true` only for the right recording.
    pub fn is_right(self) -> bool {
        self == Kind::Right
    }
}

/// One candidate of a track.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// Stable id: `{track id}-{n}`.
    pub id: String,
    /// What it really is.
    #[serde(skip)]
    pub kind: Kind,
    /// Title as uploaded.
    pub title: String,
    /// Credited artist (what a music site lists; video sites often only have the channel).
    pub artist: String,
    /// Uploading channel.
    pub channel: String,
    /// Declared duration in seconds.
    pub duration: f64,
    /// ISRC, when the uploader supplied one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isrc: Option<String>,
    /// A verified artist channel, a label's channel or an auto-generated "Topic" channel.
    pub official: bool,
}

fn rng_for(track_id: &str) -> ChaCha8Rng {
    let digest = sha2::Sha256::digest(format!("media:{track_id}").as_bytes());
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&digest);
    ChaCha8Rng::from_seed(seed)
}

/// Whether the media catalogue offers the right recording of this track (about 90% of tracks).
pub fn has_good_candidate(track_id: &str) -> bool {
    let digest = sha2::Sha256::digest(format!("media-good:{track_id}").as_bytes());
    digest[0] >= 26 // 26/256 ≈ 10% have none
}

const VENUES: &[&str] = &[
    "Red Rocks",
    "Glastonbury",
    "the Royal Albert Hall",
    "Primavera Sound",
    "KEXP",
    "Paradiso",
    "Fuji Rock",
];
const COVER_CHANNELS: &[&str] = &[
    "Maya Lin Music",
    "acoustic afternoons",
    "Theo Park Covers",
    "Juniper Sessions",
    "Lou & Remy",
];
const KARAOKE_CHANNELS: &[&str] = &["Sing King", "KaraFun", "Karaoke Hits Factory"];
const EDIT_CHANNELS: &[&str] = &["sped up nation", "nightcore ☆ galaxy", "slowed vibes"];
const REUPLOAD_CHANNELS: &[&str] = &["MusicLover1998", "Tunes Archive HD", "lyrics vault"];

/// The "(feat. X)" and " - Remastered 2011" parts a video title usually writes differently.
fn base_title(name: &str) -> (&str, Option<&str>) {
    if let Some((base, rest)) = name.split_once(" (feat. ") {
        return (base, rest.strip_suffix(')'));
    }
    if let Some((base, _)) = name.split_once(" - Remastered") {
        return (base, None);
    }
    (name, None)
}

/// A candidate before it has an id: kind, title, artist, channel, duration, ISRC, official.
type Raw = (Kind, String, String, String, f64, Option<String>, bool);

/// The candidates of one track, right one (if any) and decoys in a shuffled order.
pub fn candidates(world: &Catalog, track: &Track) -> Vec<Candidate> {
    let mut rng = rng_for(&track.id);
    let artists: Vec<&str> = track
        .artists
        .iter()
        .map(|a| world.artists[*a as usize].name.as_str())
        .collect();
    let artist = artists.first().copied().unwrap_or("Unknown Artist");
    let secs = f64::from(track.duration_ms) / 1000.0;
    let (base, feat) = base_title(&track.name);
    let with_feat = match feat {
        Some(f) => format!("{base} ft. {f}"),
        None => base.to_owned(),
    };
    let mut out: Vec<Raw> = Vec::new();
    let good = has_good_candidate(&track.id);
    if good {
        let jitter = rng.random_range(-1.5..1.5);
        let isrc = rng.random_bool(0.55).then(|| track.isrc.clone());
        let (title, channel) = match rng.random_range(0..4) {
            0 => (track.name.clone(), format!("{artist} - Topic")),
            1 => (
                format!("{artist} - {with_feat} (Official Audio)"),
                artist.to_owned(),
            ),
            2 => (
                format!("{artist} - {with_feat}"),
                format!("{}VEVO", artist.replace(' ', "")),
            ),
            _ => (
                format!("{artist} - {with_feat} [Official Audio]"),
                format!("{} Records", world.albums[track.album as usize].label),
            ),
        };
        out.push((
            Kind::Right,
            title,
            artists.join(", "),
            channel,
            secs + jitter,
            isrc,
            true,
        ));
    }
    // Decoys: a no-good track gets more of them, so it is not simply an empty result.
    let mut kinds = vec![
        Kind::Live,
        Kind::Cover,
        Kind::Karaoke,
        Kind::SpedUp,
        Kind::Nightcore,
        Kind::Remix,
        Kind::Instrumental,
        Kind::WrongDuration,
        Kind::NearName,
        Kind::OtherArtist,
        Kind::Reupload,
    ];
    if !good {
        // A clean re-upload would be a good candidate after all.
        kinds.retain(|k| *k != Kind::Reupload);
    }
    let n = if good {
        rng.random_range(2..=4)
    } else {
        rng.random_range(3..=5)
    };
    let picked: Vec<Kind> = kinds.choose_multiple(&mut rng, n).copied().collect();
    for kind in picked {
        let other = crate::names::artist(&mut rng);
        let item = match kind {
            Kind::Live => (
                format!(
                    "{artist} - {base} (Live at {} {})",
                    VENUES.choose(&mut rng).copied().unwrap_or("KEXP"),
                    rng.random_range(2008..=2025)
                ),
                artist.to_owned(),
                artist.to_owned(),
                secs + rng.random_range(12.0..70.0),
                None,
                true,
            ),
            Kind::Cover => {
                let ch = COVER_CHANNELS.choose(&mut rng).copied().unwrap_or("covers");
                (
                    format!("{base} - {artist} (Cover by {ch})"),
                    ch.to_owned(),
                    ch.to_owned(),
                    secs + rng.random_range(-6.0..6.0),
                    None,
                    false,
                )
            }
            Kind::Karaoke => {
                let ch = KARAOKE_CHANNELS
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or("Karaoke");
                (
                    format!("{artist} - {base} (Karaoke Version)"),
                    ch.to_owned(),
                    ch.to_owned(),
                    secs + rng.random_range(-2.0..2.0),
                    None,
                    false,
                )
            }
            Kind::SpedUp => (
                format!("{artist} - {base} (sped up)"),
                artist.to_owned(),
                EDIT_CHANNELS[0].to_owned(),
                secs * 0.8,
                None,
                false,
            ),
            Kind::Nightcore => (
                format!("Nightcore - {base}"),
                EDIT_CHANNELS[1].to_owned(),
                EDIT_CHANNELS[1].to_owned(),
                secs * 0.85,
                None,
                false,
            ),
            Kind::Remix => (
                format!("{artist} - {base} ({other} Remix)"),
                format!("{artist}, {other}"),
                other.clone(),
                secs + rng.random_range(20.0..90.0),
                None,
                false,
            ),
            Kind::Instrumental => (
                format!("{artist} - {base} (Instrumental)"),
                artist.to_owned(),
                format!("{artist} - Topic"),
                secs + rng.random_range(-1.0..1.0),
                None,
                true,
            ),
            Kind::WrongDuration => (
                format!("{artist} - {with_feat} (Official Music Video)"),
                artist.to_owned(),
                format!("{}VEVO", artist.replace(' ', "")),
                secs + rng.random_range(25.0..95.0),
                None,
                true,
            ),
            Kind::NearName => {
                let near = near_name(&mut rng, base);
                (
                    format!("{artist} - {near} (Official Audio)"),
                    artist.to_owned(),
                    artist.to_owned(),
                    f64::from(rng.random_range(95_000..420_000u32)) / 1000.0,
                    None,
                    true,
                )
            }
            Kind::OtherArtist => (
                format!("{other} - {base}"),
                other.clone(),
                format!("{other} - Topic"),
                secs + rng.random_range(-30.0..30.0),
                None,
                true,
            ),
            Kind::Reupload => (
                format!("{artist} - {with_feat} (lyrics)"),
                String::new(),
                REUPLOAD_CHANNELS
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or("uploads")
                    .to_owned(),
                secs + rng.random_range(3.5..9.0),
                None,
                false,
            ),
            Kind::Right => continue,
        };
        out.push((kind, item.0, item.1, item.2, item.3, item.4, item.5));
    }
    // Search results come in no particular order of rightness.
    let mut order: Vec<usize> = (0..out.len()).collect();
    for i in (1..order.len()).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i, j);
    }
    order
        .into_iter()
        .enumerate()
        .map(|(n, i)| {
            let (kind, title, artist, channel, duration, isrc, official) = out[i].clone();
            Candidate {
                id: format!("{}-{n}", track.id),
                kind,
                title,
                artist,
                channel,
                duration: (duration.max(20.0) * 10.0).round() / 10.0,
                isrc,
                official,
            }
        })
        .collect()
}

/// A title one or two letters or words away from `base`.
fn near_name(rng: &mut impl Rng, base: &str) -> String {
    match rng.random_range(0..3) {
        0 => format!("{base} II"),
        1 => format!("{base} (Reprise)"),
        _ => {
            let words: Vec<&str> = base.split(' ').collect();
            if words.len() > 1 {
                words[..words.len() - 1].join(" ") + " Heart"
            } else {
                format!("{base}s of Glass")
            }
        }
    }
}

/// `GET /_sandbox/media/catalog.json`
pub async fn catalog(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base_url(&headers);
    let world = state.world();
    let mut items = Vec::with_capacity(world.tracks.len() * 4);
    for track in &world.tracks {
        for c in candidates(&world, track) {
            let mut v = match serde_json::to_value(&c) {
                Ok(v) => v,
                Err(e) => {
                    return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response();
                }
            };
            if let Some(obj) = v.as_object_mut() {
                obj.insert(
                    "url".into(),
                    format!("{base}/_sandbox/media/audio/{}.wav", c.id).into(),
                );
            }
            items.push(v);
        }
    }
    (
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(json!({ "version": 1, "items": items })),
    )
        .into_response()
}

fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// `GET /_sandbox/media/audio/{candidate}.wav`
pub async fn audio(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(id) = file.strip_suffix(".wav") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some((track_id, n)) = id.rsplit_once('-') else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let known = {
        let world = state.world();
        world.index.tracks.get(track_id).is_some_and(|idx| {
            let track = &world.tracks[*idx as usize];
            candidates(&world, track).iter().any(|c| c.id == id)
        })
    };
    if !known || n.parse::<u32>().is_err() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let faults = state.faults();
    let latency = faults.media_latency_ms.unwrap_or(faults.latency_ms);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    (
        [
            (header::CONTENT_TYPE, "audio/wav"),
            (header::CACHE_CONTROL, "max-age=86400"),
        ],
        wav(id),
    )
        .into_response()
}

/// Frequency of a candidate's tone, 220..=880 Hz, derived from its id.
pub fn tone_hz(candidate_id: &str) -> f64 {
    let digest = sha2::Sha256::digest(candidate_id.as_bytes());
    220.0 + f64::from(u16::from_be_bytes([digest[0], digest[1]]) % 661)
}

/// A mono 16-bit PCM WAV of [`CLIP_SECONDS`]: a sine at [`tone_hz`] with 50 ms fades.
pub fn wav(candidate_id: &str) -> Vec<u8> {
    let freq = tone_hz(candidate_id);
    let samples = (CLIP_SECONDS * f64::from(SAMPLE_RATE)) as u32;
    let fade = f64::from(SAMPLE_RATE) * 0.05;
    let data_len = samples * 2;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    out.extend_from_slice(&(SAMPLE_RATE * 2).to_le_bytes()); // byte rate
    out.extend_from_slice(&2u16.to_le_bytes()); // block align
    out.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..samples {
        let t = f64::from(i) / f64::from(SAMPLE_RATE);
        let edge = f64::from(i.min(samples - 1 - i));
        let gain = (edge / fade).min(1.0) * 0.5;
        let v = (t * freq * std::f64::consts::TAU).sin() * gain * f64::from(i16::MAX);
        out.extend_from_slice(&(v as i16).to_le_bytes());
    }
    out
}

/// A short human summary of a track's candidates, for test failure messages.
pub fn describe(cands: &[Candidate]) -> String {
    let mut s = String::new();
    for c in cands {
        let _ = writeln!(
            s,
            "  {:?} {:?} by {:?} on {:?} {:.1}s isrc={:?}",
            c.kind, c.title, c.artist, c.channel, c.duration, c.isrc
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Sizes;

    #[test]
    fn every_track_gets_decoys_and_about_one_in_ten_no_right_candidate() {
        let world = Catalog::generate(&Sizes {
            seed: 5,
            liked: 50,
            playlists: 2,
            albums: 5,
        });
        let mut without = 0;
        for track in &world.tracks {
            let c = candidates(&world, track);
            let right = c.iter().filter(|c| c.kind.is_right()).count();
            assert_eq!(right, usize::from(has_good_candidate(&track.id)));
            assert!(c.iter().filter(|c| !c.kind.is_right()).count() >= 2);
            without += usize::from(right == 0);
            // Stable: the same track gives the same list.
            assert_eq!(
                candidates(&world, track)
                    .iter()
                    .map(|c| &c.title)
                    .collect::<Vec<_>>(),
                c.iter().map(|c| &c.title).collect::<Vec<_>>()
            );
        }
        let share = without as f64 / world.tracks.len() as f64;
        assert!((0.05..0.16).contains(&share), "{share}");
    }

    #[test]
    fn clips_are_valid_wav_of_the_documented_length() {
        let bytes = wav("abc-0");
        assert_eq!(&bytes[0..4], b"RIFF");
        assert_eq!(&bytes[8..16], b"WAVEfmt ");
        let data = u32::from_le_bytes([bytes[40], bytes[41], bytes[42], bytes[43]]);
        assert_eq!(data as usize, bytes.len() - 44);
        assert!((f64::from(data) / 2.0 / f64::from(SAMPLE_RATE) - CLIP_SECONDS).abs() < 1e-9);
        assert_ne!(
            wav("abc-0"),
            wav("abc-1"),
            "each candidate sounds different"
        );
    }
}
