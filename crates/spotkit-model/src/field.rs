//! [`Field`]: an optional member that remembers whether it was absent or `null`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The unknown members of an object, kept verbatim so that they survive a
/// parse → serialize round trip.
///
/// Every model struct has a `#[serde(flatten)] pub extra: Extra` field.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// An optional object member, in one of three states: absent, `null`, or a value.
///
/// Spotify omits some members in some modes (Development-Mode apps lose
/// `popularity`, `available_markets`, `email`, …), sends `null` for others
/// (`preview_url`, ids of local tracks), and may do either for the same member
/// over time. `Option<T>` cannot tell the two apart, so a round trip through it
/// turns `null` into a missing member (or the reverse). `Field<T>` keeps the
/// difference, which makes every model serialize back to exactly what was parsed.
///
/// Most code only needs [`Field::get`] (`None` for both absent and `null`):
///
/// ```
/// use spotkit_model::{Field, Track};
///
/// let track: Track = serde_json::from_str(r#"{"name": "Song", "preview_url": null}"#).unwrap();
/// assert_eq!(track.name.get().map(String::as_str), Some("Song"));
/// assert_eq!(track.preview_url.get(), None);
/// assert!(track.preview_url.is_null());
/// assert!(track.popularity.is_absent());
/// // … and the `null` is written back as `null`, the missing member stays missing.
/// assert_eq!(serde_json::to_string(&track).unwrap(), r#"{"name":"Song","preview_url":null}"#);
/// ```
///
/// In a struct, a `Field` is declared with
/// `#[serde(default, skip_serializing_if = "Field::is_absent")]`; on its own
/// (e.g. inside a `Vec`) an absent field serializes as `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Field<T> {
    /// The member was not in the object.
    #[default]
    Absent,
    /// The member was present with the value `null`.
    Null,
    /// The member was present with a value.
    Value(T),
}

impl<T> Field<T> {
    /// `true` if the member was not in the object.
    pub const fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// `true` if the member was present with the value `null`.
    pub const fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// `true` if the member was present with a (non-`null`) value.
    pub const fn is_value(&self) -> bool {
        matches!(self, Self::Value(_))
    }

    /// The value, or `None` when absent or `null`.
    pub const fn get(&self) -> Option<&T> {
        match self {
            Self::Value(v) => Some(v),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value mutably, or `None` when absent or `null`.
    pub const fn get_mut(&mut self) -> Option<&mut T> {
        match self {
            Self::Value(v) => Some(v),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, or `None` when absent or `null`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Self::Value(v) => Some(v),
            Self::Absent | Self::Null => None,
        }
    }

    /// Borrows the value, keeping the state.
    pub const fn as_ref(&self) -> Field<&T> {
        match self {
            Self::Absent => Field::Absent,
            Self::Null => Field::Null,
            Self::Value(v) => Field::Value(v),
        }
    }

    /// Maps the value, keeping the state.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Self::Absent => Field::Absent,
            Self::Null => Field::Null,
            Self::Value(v) => Field::Value(f(v)),
        }
    }

    /// The value dereferenced (e.g. `&str` for a `Field<String>`), or `None`.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.get().map(|v| &**v)
    }

    /// The value, or `default` when absent or `null`.
    pub fn unwrap_or(self, default: T) -> T {
        self.into_option().unwrap_or(default)
    }

    /// Sets the value (state becomes [`Field::Value`]) and returns a reference to it.
    pub fn insert(&mut self, value: T) -> &mut T {
        *self = Self::Value(value);
        match self {
            Self::Value(v) => v,
            // Just assigned above.
            Self::Absent | Self::Null => unreachable!(),
        }
    }

    /// Takes the value out, leaving the field absent.
    pub fn take(&mut self) -> Option<T> {
        std::mem::take(self).into_option()
    }
}

impl<T: Copy> Field<&T> {
    /// Copies the value out of a borrowed field.
    pub fn copied(self) -> Field<T> {
        self.map(|v| *v)
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T> From<Option<T>> for Field<T> {
    /// `Some` becomes a value, `None` becomes [`Field::Absent`] (the member is left out).
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Absent, Self::Value)
    }
}

impl<T> From<Field<T>> for Option<T> {
    fn from(value: Field<T>) -> Self {
        value.into_option()
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Absent members are skipped by `skip_serializing_if`; outside a struct
            // (where nothing can be skipped) `null` is the closest spelling.
            Self::Absent | Self::Null => serializer.serialize_none(),
            Self::Value(v) => serializer.serialize_some(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Only called when the member is present (`#[serde(default)]` covers absence).
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Self::Null, Self::Value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct S {
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        a: Field<u32>,
    }

    #[test]
    fn three_states_round_trip() {
        for (json, want) in [
            ("{}", Field::Absent),
            (r#"{"a":null}"#, Field::Null),
            (r#"{"a":7}"#, Field::Value(7)),
        ] {
            let s: S = serde_json::from_str(json).unwrap();
            assert_eq!(s.a, want);
            assert_eq!(serde_json::to_string(&s).unwrap(), json);
        }
    }

    #[test]
    fn accessors() {
        let mut f: Field<String> = "x".to_owned().into();
        assert_eq!(f.as_deref(), Some("x"));
        assert_eq!(f.take().as_deref(), Some("x"));
        assert!(f.is_absent());
        f.insert("y".into()).push('z');
        assert_eq!(f.get().map(String::as_str), Some("yz"));
        assert_eq!(Field::<u8>::from(None), Field::Absent);
        assert_eq!(Option::<u8>::from(Field::Null), None);
        assert_eq!(Field::Value(&3u8).copied(), Field::Value(3));
    }
}
