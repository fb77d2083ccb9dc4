//! Typed Spotify ids, URIs and URLs.
//!
//! Each id type accepts a bare id (`4iV5W9uYEdYUVa79Axb7Rh`), a URI
//! (`spotify:track:4iV5W9uYEdYUVa79Axb7Rh`) or an `open.spotify.com` URL
//! (`https://open.spotify.com/intl-de/track/4iV5W9uYEdYUVa79Axb7Rh?si=…`), and renders
//! as any of the three:
//!
//! ```
//! use spotkit_model::{PlayableUri, SpotifyUri, TrackId};
//!
//! let id: TrackId = "https://open.spotify.com/intl-de/track/4iV5W9uYEdYUVa79Axb7Rh?si=abc".parse()?;
//! assert_eq!(id.id(), "4iV5W9uYEdYUVa79Axb7Rh");
//! assert_eq!(id.uri(), "spotify:track:4iV5W9uYEdYUVa79Axb7Rh");
//! assert_eq!(id.url(), "https://open.spotify.com/track/4iV5W9uYEdYUVa79Axb7Rh");
//!
//! let err = "spotify:album:4aawyAB9vmqN3uQ7FjRGTy".parse::<TrackId>().unwrap_err();
//! assert!(err.to_string().starts_with("expected a Spotify track id, URI or URL"));
//!
//! let item: PlayableUri = "spotify:episode:512ojhOuo1ktJprKbVcKyQ".parse()?;
//! assert!(matches!(item, PlayableUri::Episode(_)));
//! let any: SpotifyUri = "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M".parse()?;
//! assert_eq!(any.to_string(), "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M");
//! # Ok::<(), spotkit_model::Error>(())
//! ```
//!
//! Ids are base62 strings of 22 characters, except user ids, which can be almost
//! anything (`spotify:user:wizzler`, `spotify:user:1234567890`). Serde reads any of
//! the three forms and writes the bare id (the URI for [`PlayableUri`] and
//! [`SpotifyUri`]).
//!
//! The models keep ids as plain strings, so that an odd id in a response never makes
//! it fail to parse; parse them into these types where you need the guarantee.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

/// Where an input points, before checking the kind.
enum Reference<'a> {
    /// A bare id: the kind is up to the caller.
    Bare(&'a str),
    /// A URI or URL naming its kind.
    Typed { kind: &'a str, id: &'a str },
}

/// Splits a bare id, `spotify:` URI or `open.spotify.com` URL into kind and id.
fn reference(input: &str) -> Result<Reference<'_>, String> {
    if let Some(rest) = input.strip_prefix("spotify:") {
        let parts: Vec<&str> = rest.split(':').collect();
        return match parts.as_slice() {
            [kind, id] => Ok(Reference::Typed { kind, id }),
            // The old playlist URI form: spotify:user:{user}:playlist:{id}.
            ["user", _, "playlist", id] => Ok(Reference::Typed {
                kind: "playlist",
                id,
            }),
            _ => Err("a Spotify URI has the form spotify:{type}:{id}".to_owned()),
        };
    }
    let without_scheme = input
        .strip_prefix("https://")
        .or_else(|| input.strip_prefix("http://"))
        .unwrap_or(input);
    if let Some(path) = without_scheme
        .strip_prefix("open.spotify.com/")
        .or_else(|| without_scheme.strip_prefix("play.spotify.com/"))
    {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let segments: Vec<&str> = path
            .split('/')
            .filter(|s| !s.is_empty())
            // Localised links (`/intl-de/…`) and embed links (`/embed/…`) point to the same item.
            .skip_while(|s| s.starts_with("intl-") || *s == "embed")
            .collect();
        return match segments.as_slice() {
            [kind, id] => Ok(Reference::Typed { kind, id }),
            ["user", _, "playlist", id] => Ok(Reference::Typed {
                kind: "playlist",
                id,
            }),
            _ => Err("a Spotify URL has the form https://open.spotify.com/{type}/{id}".to_owned()),
        };
    }
    if input.contains("://") {
        return Err("only open.spotify.com URLs point to Spotify items".to_owned());
    }
    Ok(Reference::Bare(input))
}

fn check_base62(id: &str) -> Result<(), String> {
    if id.len() != 22 {
        return Err(format!(
            "a Spotify id has 22 characters, this one has {}",
            id.chars().count()
        ));
    }
    if let Some(c) = id.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(format!(
            "a Spotify id has only letters and digits, this one has {c:?}"
        ));
    }
    Ok(())
}

fn check_user(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("the user id is empty".to_owned());
    }
    if let Some(c) = id
        .chars()
        .find(|c| c.is_whitespace() || matches!(c, ':' | '/' | '?' | '#'))
    {
        return Err(format!("a user id cannot contain {c:?}"));
    }
    Ok(())
}

/// Parses `input` as an id of `kind` (any of the three forms).
fn parse_kind(
    input: &str,
    kind: &'static str,
    also: Option<&str>,
    check: fn(&str) -> Result<(), String>,
) -> Result<String, Error> {
    let invalid = |reason: String| Error::InvalidId {
        kind,
        input: input.to_owned(),
        reason,
    };
    let trimmed = input.trim();
    let id = match reference(trimmed).map_err(invalid)? {
        Reference::Bare(id) => id,
        Reference::Typed { kind: found, id } if found == kind || Some(found) == also => id,
        Reference::Typed { kind: found, .. } => {
            return Err(invalid(format!("it points to a {found}, not a {kind}")));
        }
    };
    check(id).map_err(invalid)?;
    Ok(id.to_owned())
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident, $kind:literal, $check:path $(, also $also:literal)?) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The kind of item, as in its URI (`spotify:{KIND}:{id}`).
            pub const KIND: &'static str = $kind;

            /// Parses a bare id, a `spotify:` URI or an `open.spotify.com` URL.
            pub fn parse(input: &str) -> Result<Self, Error> {
                parse_kind(input, $kind, None $(.or(Some($also)))?, $check).map(Self)
            }

            /// The bare id.
            pub fn id(&self) -> &str {
                &self.0
            }

            /// The Spotify URI, `spotify:{kind}:{id}`.
            pub fn uri(&self) -> String {
                format!("spotify:{}:{}", $kind, self.0)
            }

            /// The web URL, `https://open.spotify.com/{kind}/{id}`.
            pub fn url(&self) -> String {
                format!("https://open.spotify.com/{}/{}", $kind, self.0)
            }

            /// The bare id, consuming `self`.
            pub fn into_id(self) -> String {
                self.0
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl fmt::Display for $name {
            /// Writes the bare id.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            /// The bare id, so that `track.id.as_deref()` is an `Option<&str>`.
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

id_type!(
    /// The id of a track.
    TrackId, "track", check_base62
);
id_type!(
    /// The id of an album.
    AlbumId, "album", check_base62
);
id_type!(
    /// The id of an artist.
    ArtistId, "artist", check_base62
);
id_type!(
    /// The id of a playlist (also parsed from the old `spotify:user:{user}:playlist:{id}` form).
    PlaylistId, "playlist", check_base62
);
id_type!(
    /// The id of a user: any non-empty string without whitespace, `:`, `/`, `?` or `#`.
    UserId, "user", check_user
);
id_type!(
    /// The id of a podcast show.
    ShowId, "show", check_base62
);
id_type!(
    /// The id of a podcast episode.
    EpisodeId, "episode", check_base62
);
id_type!(
    /// The id of an audiobook.
    AudiobookId, "audiobook", check_base62
);
id_type!(
    /// The id of an audiobook chapter.
    ///
    /// Chapters' `uri` members use the `episode` kind (`spotify:episode:{id}`), so
    /// such URIs and URLs are accepted too.
    ChapterId, "chapter", check_base62, also "episode"
);

/// The URI of something that can be played or put in a playlist: a track or an episode.
///
/// Parsed from a `spotify:track:`/`spotify:episode:` URI or an `open.spotify.com` URL;
/// displayed and serialized as the URI (the form playlist and queue endpoints take).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlayableUri {
    /// `spotify:track:{id}`
    Track(TrackId),
    /// `spotify:episode:{id}`
    Episode(EpisodeId),
}

/// Another name for [`PlayableUri`].
pub type ItemUri = PlayableUri;

impl PlayableUri {
    /// Parses a `spotify:track:`/`spotify:episode:` URI or an `open.spotify.com` URL.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let invalid = |reason: String| Error::InvalidId {
            kind: "track or episode",
            input: input.to_owned(),
            reason,
        };
        match reference(input.trim()).map_err(invalid)? {
            Reference::Typed { kind: "track", .. } => TrackId::parse(input).map(Self::Track),
            Reference::Typed {
                kind: "episode", ..
            } => EpisodeId::parse(input).map(Self::Episode),
            Reference::Typed { kind, .. } => Err(invalid(format!(
                "it points to a {kind}, which cannot be played as an item"
            ))),
            Reference::Bare(_) => Err(invalid(
                "a bare id does not say whether it is a track or an episode; use a URI".to_owned(),
            )),
        }
    }

    /// The URI, `spotify:{track|episode}:{id}`.
    pub fn uri(&self) -> String {
        match self {
            Self::Track(id) => id.uri(),
            Self::Episode(id) => id.uri(),
        }
    }

    /// The bare id.
    pub fn id(&self) -> &str {
        match self {
            Self::Track(id) => id.id(),
            Self::Episode(id) => id.id(),
        }
    }
}

impl From<TrackId> for PlayableUri {
    fn from(id: TrackId) -> Self {
        Self::Track(id)
    }
}

impl From<EpisodeId> for PlayableUri {
    fn from(id: EpisodeId) -> Self {
        Self::Episode(id)
    }
}

/// The URI of an item of a user's library or of the catalogue: track, album, artist,
/// playlist, show, episode, audiobook or user.
///
/// Parsed from a `spotify:` URI or an `open.spotify.com` URL; displayed and serialized
/// as the URI.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SpotifyUri {
    /// `spotify:track:{id}`
    Track(TrackId),
    /// `spotify:album:{id}`
    Album(AlbumId),
    /// `spotify:artist:{id}`
    Artist(ArtistId),
    /// `spotify:playlist:{id}`
    Playlist(PlaylistId),
    /// `spotify:show:{id}`
    Show(ShowId),
    /// `spotify:episode:{id}`
    Episode(EpisodeId),
    /// `spotify:audiobook:{id}`
    Audiobook(AudiobookId),
    /// `spotify:user:{id}`
    User(UserId),
}

impl SpotifyUri {
    /// Parses a `spotify:` URI or an `open.spotify.com` URL.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let invalid = |reason: String| Error::InvalidId {
            kind: "item",
            input: input.to_owned(),
            reason,
        };
        match reference(input.trim()).map_err(invalid)? {
            Reference::Typed { kind, .. } => match kind {
                "track" => TrackId::parse(input).map(Self::Track),
                "album" => AlbumId::parse(input).map(Self::Album),
                "artist" => ArtistId::parse(input).map(Self::Artist),
                "playlist" => PlaylistId::parse(input).map(Self::Playlist),
                "show" => ShowId::parse(input).map(Self::Show),
                "episode" => EpisodeId::parse(input).map(Self::Episode),
                "audiobook" => AudiobookId::parse(input).map(Self::Audiobook),
                "user" => UserId::parse(input).map(Self::User),
                other => Err(invalid(format!("{other:?} is not a kind of library item"))),
            },
            Reference::Bare(_) => Err(invalid(
                "a bare id does not say what it points to; use a URI or URL".to_owned(),
            )),
        }
    }

    /// The kind, as in the URI: `track`, `album`, …
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Track(_) => TrackId::KIND,
            Self::Album(_) => AlbumId::KIND,
            Self::Artist(_) => ArtistId::KIND,
            Self::Playlist(_) => PlaylistId::KIND,
            Self::Show(_) => ShowId::KIND,
            Self::Episode(_) => EpisodeId::KIND,
            Self::Audiobook(_) => AudiobookId::KIND,
            Self::User(_) => UserId::KIND,
        }
    }

    /// The bare id.
    pub fn id(&self) -> &str {
        match self {
            Self::Track(id) => id.id(),
            Self::Album(id) => id.id(),
            Self::Artist(id) => id.id(),
            Self::Playlist(id) => id.id(),
            Self::Show(id) => id.id(),
            Self::Episode(id) => id.id(),
            Self::Audiobook(id) => id.id(),
            Self::User(id) => id.id(),
        }
    }

    /// The URI, `spotify:{kind}:{id}`.
    pub fn uri(&self) -> String {
        format!("spotify:{}:{}", self.kind(), self.id())
    }

    /// The web URL, `https://open.spotify.com/{kind}/{id}`.
    pub fn url(&self) -> String {
        format!("https://open.spotify.com/{}/{}", self.kind(), self.id())
    }
}

impl From<PlayableUri> for SpotifyUri {
    fn from(uri: PlayableUri) -> Self {
        match uri {
            PlayableUri::Track(id) => Self::Track(id),
            PlayableUri::Episode(id) => Self::Episode(id),
        }
    }
}

macro_rules! uri_impls {
    ($name:ident) => {
        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            /// Writes the URI.
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.uri())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

uri_impls!(PlayableUri);
uri_impls!(SpotifyUri);

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "4iV5W9uYEdYUVa79Axb7Rh";

    #[test]
    fn track_id_from_every_form() {
        for input in [
            ID.to_owned(),
            format!("spotify:track:{ID}"),
            format!("https://open.spotify.com/track/{ID}"),
            format!("https://open.spotify.com/track/{ID}?si=0123abcd&utm_source=copy-link"),
            format!("https://open.spotify.com/intl-pt/track/{ID}"),
            format!("http://open.spotify.com/embed/track/{ID}/"),
            format!("open.spotify.com/track/{ID}#x"),
            format!("  spotify:track:{ID}\n"),
        ] {
            let id = TrackId::parse(&input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(id.id(), ID);
        }
        let id = TrackId::parse(ID).unwrap();
        assert_eq!(id.uri(), format!("spotify:track:{ID}"));
        assert_eq!(id.url(), format!("https://open.spotify.com/track/{ID}"));
        assert_eq!(id.to_string(), ID);
    }

    #[test]
    fn wrong_inputs_say_what_is_wrong() {
        let cases = [
            (
                format!("spotify:album:{ID}"),
                "it points to a album, not a track",
            ),
            ("abc".to_owned(), "22 characters, this one has 3"),
            (
                "4iV5W9uYEdYUVa79Axb7R!".to_owned(),
                "only letters and digits",
            ),
            (
                format!("https://example.com/track/{ID}"),
                "only open.spotify.com URLs",
            ),
            ("spotify:track".to_owned(), "spotify:{type}:{id}"),
            (
                "https://open.spotify.com/".to_owned(),
                "open.spotify.com/{type}/{id}",
            ),
        ];
        for (input, want) in cases {
            let e = TrackId::parse(&input).unwrap_err().to_string();
            assert!(
                e.starts_with(&format!(
                    "expected a Spotify track id, URI or URL, got {input:?}"
                )),
                "{e}"
            );
            assert!(e.contains(want), "{e} should contain {want}");
        }
    }

    #[test]
    fn users_and_playlists() {
        assert_eq!(
            UserId::parse("spotify:user:wizzler.2").unwrap().id(),
            "wizzler.2"
        );
        assert_eq!(
            UserId::parse("https://open.spotify.com/user/1234567890?si=x")
                .unwrap()
                .id(),
            "1234567890"
        );
        assert!(UserId::parse("").is_err());
        assert!(UserId::parse("a b").is_err());
        let p = PlaylistId::parse("spotify:user:spotify:playlist:37i9dQZF1DXcBWIGoYBM5M").unwrap();
        assert_eq!(p.id(), "37i9dQZF1DXcBWIGoYBM5M");
        let p = PlaylistId::parse(
            "https://open.spotify.com/user/spotify/playlist/37i9dQZF1DXcBWIGoYBM5M",
        )
        .unwrap();
        assert_eq!(
            p.url(),
            "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M"
        );
    }

    #[test]
    fn playable_and_library_uris() {
        let t: PlayableUri = format!("spotify:track:{ID}").parse().unwrap();
        assert_eq!(t, PlayableUri::Track(TrackId::parse(ID).unwrap()));
        assert_eq!(t.to_string(), format!("spotify:track:{ID}"));
        assert!(
            PlayableUri::parse(ID)
                .unwrap_err()
                .to_string()
                .contains("bare id")
        );
        assert!(PlayableUri::parse(&format!("spotify:album:{ID}")).is_err());
        assert!(PlayableUri::parse("spotify:local:Artist:Album:Title:123").is_err());

        for kind in [
            "track",
            "album",
            "artist",
            "playlist",
            "show",
            "episode",
            "audiobook",
            "user",
        ] {
            let uri = SpotifyUri::parse(&format!("https://open.spotify.com/{kind}/{ID}")).unwrap();
            assert_eq!(uri.kind(), kind);
            assert_eq!(uri.uri(), format!("spotify:{kind}:{ID}"));
            assert_eq!(SpotifyUri::parse(&uri.uri()).unwrap(), uri);
        }
        assert!(SpotifyUri::parse("spotify:genre:rock").is_err());
    }

    #[test]
    fn serde_as_strings() {
        let id: TrackId = serde_json::from_str(&format!("\"spotify:track:{ID}\"")).unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{ID}\""));
        let uri: PlayableUri = serde_json::from_str(&format!("\"{}\"", id.url())).unwrap();
        assert_eq!(
            serde_json::to_string(&uri).unwrap(),
            format!("\"spotify:track:{ID}\"")
        );
        let err = serde_json::from_str::<TrackId>("\"nope\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected a Spotify track id"), "{err}");
    }
}

/// Declares an id whose form Spotify does not fix (device ids, category ids): any
/// non-empty string, kept as given.
macro_rules! opaque_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id as Spotify gave it.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id.
            pub fn id(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::new(s))
            }
        }
    };
}

opaque_id!(
    /// The id of a playback device (from [`Device::id`](crate::Device::id)): opaque, and
    /// valid only while Spotify lists the device.
    DeviceId
);
opaque_id!(
    /// The id of a browse category (`toplists`, or a base62 id): any string Spotify lists.
    CategoryId
);
