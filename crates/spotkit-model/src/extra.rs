//! [`Extra`]: the members of an object that this version does not model, kept verbatim.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The unknown members of an object, kept verbatim so that what Spotify adds after this
/// version survives a parse → serialize round trip.
///
/// Every model struct has a `#[serde(flatten)] pub extra: Extra` field. It reads and writes as a
/// [`serde_json::Map`] (it dereferences to one), but stores nothing until it holds a member:
/// most objects have none, and a track has about fifteen nested objects, so an empty map inline
/// in each would be a good part of a large library's memory.
#[derive(Clone, Default)]
pub struct Extra(Option<Box<Map<String, Value>>>);

impl Extra {
    /// No members.
    pub const fn new() -> Self {
        Extra(None)
    }

    /// The members as a map.
    pub fn into_map(self) -> Map<String, Value> {
        self.0.map(|m| *m).unwrap_or_default()
    }
}

fn empty() -> &'static Map<String, Value> {
    static EMPTY: OnceLock<Map<String, Value>> = OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

impl Deref for Extra {
    type Target = Map<String, Value>;

    fn deref(&self) -> &Map<String, Value> {
        self.0.as_deref().unwrap_or_else(|| empty())
    }
}

impl DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Map<String, Value> {
        self.0.get_or_insert_with(Box::default)
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        Extra((!map.is_empty()).then(|| Box::new(map)))
    }
}

impl From<Extra> for Map<String, Value> {
    fn from(extra: Extra) -> Self {
        extra.into_map()
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(Extra::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_until_a_member_arrives() {
        let mut extra = Extra::new();
        assert!(extra.is_empty());
        assert_eq!(extra, Extra::from(Map::new()));
        extra.insert("a".into(), json!(1));
        assert_eq!(extra.get("a"), Some(&json!(1)));
        assert_eq!(serde_json::to_value(&extra).unwrap(), json!({"a": 1}));
        let back: Extra = serde_json::from_value(json!({"a": 1})).unwrap();
        assert_eq!(back, extra);
        assert_eq!(
            format!("{extra:?}"),
            format!("{:?}", extra.clone().into_map())
        );
        // One pointer, not a map, inline in every model.
        assert_eq!(size_of::<Extra>(), size_of::<usize>());
    }
}
