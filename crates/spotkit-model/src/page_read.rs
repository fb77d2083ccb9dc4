//! How a [`Page`] and a [`CursorPage`] are read: their members, and their entries sorted
//! into readable ones and [`SkippedEntry`]s.
//!
//! Pages are the hot path of every list (a 100 000-song library is 2 000 of them), so they
//! are read without buffering: the page object is walked member by member (no
//! `#[serde(flatten)]`, which would buffer the whole page first), and each entry is taken
//! as raw JSON text, which serde_json only scans, then read as `T` on its own. An entry that
//! does not read leaves the parser where it was, so the rest of the page reads on.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use url::Url;

use crate::paging::{Cursor, CursorPage, Page, SkippedEntry};

/// serde_json's name for a raw value: a deserializer of serde_json answers a newtype struct
/// of this name with the value's JSON text instead of the value.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// A page as read, before it becomes a [`Page`].
pub(crate) struct PageRepr<T> {
    page: Page<T>,
}

impl<T> From<PageRepr<T>> for Page<T> {
    fn from(r: PageRepr<T>) -> Self {
        r.page
    }
}

/// A cursor page as read, before it becomes a [`CursorPage`].
pub(crate) struct CursorPageRepr<T> {
    page: CursorPage<T>,
}

impl<T> From<CursorPageRepr<T>> for CursorPage<T> {
    fn from(r: CursorPageRepr<T>) -> Self {
        r.page
    }
}

/// `null` and a missing member read as the default; anything else as `T`.
fn or_default<'de, A: MapAccess<'de>, U: Deserialize<'de> + Default>(
    map: &mut A,
) -> Result<U, A::Error> {
    Ok(map.next_value::<Option<U>>()?.unwrap_or_default())
}

/// A URL member, by the rule of [`crate::de::url`].
fn url<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Url>, A::Error> {
    struct UrlMember;
    impl<'de> DeserializeSeed<'de> for UrlMember {
        type Value = Option<Url>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            crate::de::url(d)
        }
    }
    map.next_value_seed(UrlMember)
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for PageRepr<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<T>(PhantomData<T>);

        impl<'de, T: DeserializeOwned> Visitor<'de> for Visit<T> {
            type Value = PageRepr<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a page object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut page = Page::default();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        "href" => page.href = map.next_value()?,
                        "items" => {
                            let entries: Entries<T> = or_default(&mut map)?;
                            page.items = entries.items;
                            page.skipped = entries.skipped;
                        }
                        "limit" => page.limit = or_default(&mut map)?,
                        "next" => page.next = url(&mut map)?,
                        "offset" => page.offset = or_default(&mut map)?,
                        "previous" => page.previous = url(&mut map)?,
                        "total" => page.total = or_default(&mut map)?,
                        _ => {
                            page.extra
                                .insert(key.into_owned(), map.next_value::<Value>()?);
                        }
                    }
                }
                Ok(PageRepr { page })
            }
        }

        deserializer.deserialize_map(Visit(PhantomData))
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for CursorPageRepr<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<T>(PhantomData<T>);

        impl<'de, T: DeserializeOwned> Visitor<'de> for Visit<T> {
            type Value = CursorPageRepr<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a cursor page object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut page = CursorPage::default();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        "href" => page.href = map.next_value()?,
                        "items" => {
                            let entries: Entries<T> = or_default(&mut map)?;
                            page.items = entries.items;
                            page.skipped = entries.skipped;
                        }
                        "limit" => page.limit = or_default(&mut map)?,
                        "next" => page.next = url(&mut map)?,
                        "cursors" => page.cursors = map.next_value::<Option<Cursor>>()?,
                        "total" => page.total = map.next_value()?,
                        _ => {
                            page.extra
                                .insert(key.into_owned(), map.next_value::<Value>()?);
                        }
                    }
                }
                Ok(CursorPageRepr { page })
            }
        }

        deserializer.deserialize_map(Visit(PhantomData))
    }
}

/// A page's `items` as sent, sorted into readable entries and skipped ones.
struct Entries<T> {
    items: Vec<T>,
    skipped: Vec<SkippedEntry>,
}

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries {
            items: Vec::new(),
            skipped: Vec::new(),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<T>(PhantomData<T>);

        impl<'de, T: DeserializeOwned> Visitor<'de> for Visit<T> {
            type Value = Entries<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of entries")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Entries {
                    items: Vec::with_capacity(seq.size_hint().unwrap_or(0)),
                    skipped: Vec::new(),
                };
                let mut position = 0;
                while let Some(entry) = seq.next_element::<Entry<T>>()? {
                    match entry {
                        Entry::Item(item) => out.items.push(item),
                        Entry::Null => out.skipped.push(SkippedEntry {
                            position,
                            error: None,
                        }),
                        Entry::Unreadable(error) => out.skipped.push(SkippedEntry {
                            position,
                            error: Some(error),
                        }),
                    }
                    position += 1;
                }
                Ok(out)
            }
        }

        deserializer.deserialize_seq(Visit(PhantomData))
    }
}

/// One entry of a page, read on its own.
enum Entry<T> {
    Item(T),
    Null,
    Unreadable(String),
}

impl<T: DeserializeOwned> Entry<T> {
    fn from_text(text: &str) -> Self {
        if text == "null" {
            return Entry::Null;
        }
        match serde_json::from_str(text) {
            Ok(item) => Entry::Item(item),
            Err(e) => Entry::Unreadable(e.to_string()),
        }
    }

    fn from_value(value: Value) -> Self {
        if value.is_null() {
            return Entry::Null;
        }
        match T::deserialize(value) {
            Ok(item) => Entry::Item(item),
            Err(e) => Entry::Unreadable(e.to_string()),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Entry<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // serde_json (text or `Value`) hands over the entry's JSON text; other deserializers
        // (a page nested in a buffered object) hand over the entry itself.
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, EntryVisitor(PhantomData))
    }
}

struct EntryVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for EntryVisitor<T> {
    type Value = Entry<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a page entry")
    }

    /// serde_json's raw-value protocol: one member, named by the token, whose value is the
    /// entry's JSON text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if map.next_key::<IgnoredAny>()?.is_none() {
            return Err(de::Error::custom("expected the JSON text of a page entry"));
        }
        map.next_value_seed(RawText(PhantomData))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        Value::deserialize(deserializer).map(Entry::from_value)
    }
}

/// The entry's JSON text, read as an entry.
struct RawText<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for RawText<T> {
    type Value = Entry<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<T: DeserializeOwned> Visitor<'_> for RawText<T> {
    type Value = Entry<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the JSON text of a page entry")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Entry::from_text(text))
    }
}
