//! Search filters: which shelf of YouTube Music's search a request asks for, as the `params`
//! string innertube expects, and back.
//!
//! `params` is a base64 protobuf. Field 2 holds the search options; inside it field 17 says which
//! result type is wanted: `{1: 1}` songs, `{2: 1}` videos. Clients spell the same filter
//! differently (spotDL 3 sent `Eg-KAQwIARAAGAAgACgAMABq…`, which sets every type field, most to
//! 0; ytmusicapi sends the short form used here), so comparing filters means decoding them.

use base64::Engine as _;

/// A result type to search for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Filter {
    /// Songs: audio tracks as distributed by labels (`MUSIC_VIDEO_TYPE_ATV`), with album and
    /// artist credits.
    Songs,
    /// Videos: music videos and uploads.
    Videos,
}

impl Filter {
    /// The `params` value that asks for this filter (the spelling ytmusicapi uses, without the
    /// "ignore spelling" flag).
    pub fn params(self) -> &'static str {
        match self {
            Filter::Songs => "EgWKAQIIAWoMEA4QChADEAQQCRAF",
            Filter::Videos => "EgWKAQIQAWoMEA4QChADEAQQCRAF",
        }
    }

    /// What a `params` value filters by, however it is spelled (URL-escaped or not, padded or
    /// not); `None` for no filter or one that is neither songs nor videos.
    pub fn from_params(params: &str) -> Option<Filter> {
        let unescaped = params.replace("%3D", "=").replace("%3d", "=");
        let trimmed = unescaped.trim_end_matches('=');
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(trimmed)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed))
            .ok()?;
        let options = field(&bytes, 2)?;
        let types = field(options, 17)?;
        match first_set_varint(types)? {
            1 => Some(Filter::Songs),
            2 => Some(Filter::Videos),
            _ => None,
        }
    }
}

impl std::fmt::Display for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Filter::Songs => "songs",
            Filter::Videos => "videos",
        })
    }
}

fn varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// One protobuf field: (number, wire type, value or payload range).
enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Other,
}

fn fields(bytes: &[u8]) -> impl Iterator<Item = (u64, Value<'_>)> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let key = varint(bytes, &mut pos)?;
        let value = match key & 7 {
            0 => Value::Varint(varint(bytes, &mut pos)?),
            2 => {
                let len = usize::try_from(varint(bytes, &mut pos)?).ok()?;
                let payload = bytes.get(pos..pos.checked_add(len)?)?;
                pos += len;
                Value::Bytes(payload)
            }
            1 => {
                pos += 8;
                Value::Other
            }
            5 => {
                pos += 4;
                Value::Other
            }
            _ => return None,
        };
        Some((key >> 3, value))
    })
}

fn field(bytes: &[u8], number: u64) -> Option<&[u8]> {
    fields(bytes).find_map(|(n, v)| match v {
        Value::Bytes(b) if n == number => Some(b),
        _ => None,
    })
}

/// The number of the first varint field that is not 0.
fn first_set_varint(bytes: &[u8]) -> Option<u64> {
    fields(bytes).find_map(|(n, v)| match v {
        Value::Varint(x) if x != 0 => Some(n),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_decode_to_the_same_filter() {
        for f in [Filter::Songs, Filter::Videos] {
            assert_eq!(Filter::from_params(f.params()), Some(f));
        }
        // The long form spotDL 3 sent, escaped as it went over the wire.
        assert_eq!(
            Filter::from_params("Eg-KAQwIARAAGAAgACgAMABqChAEEAMQCRAFEAo%3D"),
            Some(Filter::Songs)
        );
        assert_eq!(
            Filter::from_params("Eg-KAQwIABABGAAgACgAMABqChAEEAMQCRAFEAo="),
            Some(Filter::Videos)
        );
        assert_eq!(Filter::from_params(""), None);
        assert_eq!(Filter::from_params("not base64 at all!"), None);
    }
}
