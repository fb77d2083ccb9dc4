//! Tolerant (de)serialization of single members: what a model does when Spotify sends
//! `null`, leaves a member out, or sends a value this version cannot read.
//!
//! The rules, documented once here and referred to by the models:
//!
//! * a plain member (`String`, `u32`, `Vec<T>`, a nested object) that is missing or
//!   `null` takes its type's default (`""`, `0`, `false`, empty list, default object);
//! * an id that is missing, `null` or not an id of its kind (local files have `null`
//!   ids) is `None`;
//! * a timestamp that is missing or not RFC 3339 is the Unix epoch
//!   ([`OffsetDateTime::UNIX_EPOCH`]) where the member is plain, `None` where it is an
//!   `Option`;
//! * a URL that does not parse is `None` (pages: see `page_read.rs`).

use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The default of a plain timestamp member: the Unix epoch.
pub(crate) fn epoch() -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH
}

/// A missing or `null` member becomes `T::default()`.
pub(crate) fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A string parsed with `FromStr`; `None` for `null` or a string that does not parse.
pub(crate) fn parsed<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
{
    let text = Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    Ok(text.and_then(|t| t.parse().ok()))
}

/// A typed id: `None` for `null` or a string that is not an id of the kind.
pub(crate) fn id<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
{
    parsed(deserializer)
}

/// A URL: `None` for `null` or a string that is not an absolute URL.
pub(crate) fn url<'de, D>(deserializer: D) -> Result<Option<url::Url>, D::Error>
where
    D: Deserializer<'de>,
{
    parsed(deserializer)
}

/// An RFC 3339 timestamp; `None` for `null` or anything else.
pub(crate) fn timestamp_opt<'de, D>(deserializer: D) -> Result<Option<OffsetDateTime>, D::Error>
where
    D: Deserializer<'de>,
{
    let text = Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    Ok(text.and_then(|t| OffsetDateTime::parse(&t, &Rfc3339).ok()))
}

/// An RFC 3339 timestamp; the Unix epoch for `null` or anything else.
pub(crate) fn timestamp<'de, D>(deserializer: D) -> Result<OffsetDateTime, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(timestamp_opt(deserializer)?.unwrap_or(OffsetDateTime::UNIX_EPOCH))
}

/// Writes a timestamp as RFC 3339 (`2026-03-01T10:00:00Z`), as Spotify does.
pub(crate) fn ser_timestamp<S: Serializer>(
    value: &OffsetDateTime,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let text = value.format(&Rfc3339).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

/// Writes an optional timestamp (members that are `None` are skipped before this runs).
#[allow(clippy::ref_option)] // `serialize_with` is handed a reference to the field
pub(crate) fn ser_timestamp_opt<S: Serializer>(
    value: &Option<OffsetDateTime>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => ser_timestamp(v, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use time::macros::datetime;

    use crate::TrackId;

    #[derive(Debug, Deserialize, Serialize)]
    struct S {
        #[serde(default, deserialize_with = "super::null_default")]
        name: String,
        #[serde(default, deserialize_with = "super::id")]
        id: Option<TrackId>,
        #[serde(
            default = "epoch",
            deserialize_with = "super::timestamp",
            serialize_with = "super::ser_timestamp"
        )]
        at: time::OffsetDateTime,
        #[serde(default, deserialize_with = "super::url")]
        next: Option<url::Url>,
    }

    fn epoch() -> time::OffsetDateTime {
        time::OffsetDateTime::UNIX_EPOCH
    }

    #[test]
    fn missing_null_and_odd_values_take_the_documented_defaults() {
        for json in [
            "{}",
            r#"{"name": null, "id": null, "at": null, "next": null}"#,
            r#"{"id": "not an id", "at": "yesterday", "next": "/relative"}"#,
        ] {
            let s: S = serde_json::from_str(json).unwrap();
            assert_eq!(s.name, "");
            assert_eq!(s.id, None);
            assert_eq!(s.at, epoch());
            assert_eq!(s.next, None);
        }
    }

    #[test]
    fn values_parse_and_timestamps_write_back_as_spotify_spells_them() {
        let json = r#"{"name":"Song","id":"4iV5W9uYEdYUVa79Axb7Rh","at":"2026-03-01T10:00:00Z","next":"https://api.spotify.com/v1/me/tracks?offset=50"}"#;
        let s: S = serde_json::from_str(json).unwrap();
        assert_eq!(
            s.id.as_ref().map(TrackId::id),
            Some("4iV5W9uYEdYUVa79Axb7Rh")
        );
        assert_eq!(s.at, datetime!(2026-03-01 10:00:00 UTC));
        assert_eq!(serde_json::to_string(&s).unwrap(), json);
    }
}
