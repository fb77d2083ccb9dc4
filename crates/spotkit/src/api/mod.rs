//! One handler per API area, named after the first OpenAPI tag of its operations
//! (`GET /me/tracks` is tagged `Tracks`, so it is `spotify.tracks().saved()`).
//!
//! A handler method returns a builder; the builder's fields *are* the query string (serialized by
//! serde, unset ones skipped). Single objects are fetched with `.send().await` or just `.await`;
//! lists with `.send()` (one [`Page`]), `.stream()` (every item, in order) or
//! `.all()` (every item, collected).
//!
//! ```no_run
//! # async fn demo(spotify: spotkit::Spotify) -> spotkit::Result<()> {
//! use spotkit::model::PlaylistId;
//! let me = spotify.users().me().await?;
//! let first_page = spotify.tracks().saved().limit(50).send().await?;
//! let id = PlaylistId::parse("spotify:playlist:37i9dQZF1DXcBWIGoYBM5M")?;
//! let entries = spotify.playlists().items(&id).market("from_token").all().await?;
//! # Ok(()) }
//! ```

pub mod albums;
pub mod artists;
pub mod audiobooks;
pub mod categories;
pub mod chapters;
pub mod episodes;
pub mod genres;
pub mod library;
pub mod markets;
// The project's operation table: tests (coverage, README table) read it, but it is a fact sheet
// about the project rather than API, so it stays out of the docs; users read the README's table.
#[doc(hidden)]
pub mod operations;
pub mod player;
pub mod playlists;
pub mod playlists_items;
pub mod request;
pub mod search;
pub mod shows;
pub mod tracks;
pub mod users;

use futures::stream::{self, Stream, StreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::client::Spotify;
use crate::error::{Error, Result, decode_json};
use crate::model::{CursorPage, Page};
use crate::paging::{self, Decoder};

/// A list sent as one comma-separated query value (`type=album,track`), each item written by
/// its own `Serialize` (a unit enum variant or a string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CommaSeparated<T>(pub(crate) Vec<T>);

impl<T: Serialize> Serialize for CommaSeparated<T> {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let mut joined = String::new();
        for (n, item) in self.0.iter().enumerate() {
            // serde_json gives a unit variant's (renamed) name as a JSON string.
            let serde_json::Value::String(name) =
                serde_json::to_value(item).map_err(S::Error::custom)?
            else {
                return Err(S::Error::custom("a comma-separated item must be a string"));
            };
            if n > 0 {
                joined.push(',');
            }
            joined.push_str(&name);
        }
        serializer.serialize_str(&joined)
    }
}

/// Declares a public list type sent as one comma-separated query value, made from one item, an
/// array or a slice of them.
macro_rules! comma_list {
    ($(#[$meta:meta])* $list:ident of $item:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[serde(transparent)]
        pub struct $list($crate::api::CommaSeparated<$item>);

        impl From<&[$item]> for $list {
            fn from(items: &[$item]) -> Self {
                $list($crate::api::CommaSeparated(items.to_vec()))
            }
        }

        impl<const N: usize> From<[$item; N]> for $list {
            fn from(items: [$item; N]) -> Self {
                $list($crate::api::CommaSeparated(items.to_vec()))
            }
        }

        impl From<$item> for $list {
            fn from(item: $item) -> Self {
                $list($crate::api::CommaSeparated(vec![item]))
            }
        }
    };
}

pub(crate) use comma_list;

/// Item types a playlist or the player may return besides tracks (`additional_types`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AdditionalType {
    /// `track`
    Track,
    /// `episode`
    Episode,
}

comma_list! {
    /// A comma-separated `additional_types` value; made from one [`AdditionalType`], an array or
    /// a slice of them.
    AdditionalTypes of AdditionalType
}

/// Over what time frame top artists and tracks are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TimeRange {
    /// About the last year.
    LongTerm,
    /// About the last 6 months (Spotify's default).
    MediumTerm,
    /// About the last 4 weeks.
    ShortTerm,
}

/// The API URL for `path` with `query` serialized into its query string.
pub(crate) fn url_with_query(
    spotify: &Spotify,
    path: &str,
    query: &(impl Serialize + ?Sized),
) -> Result<Url> {
    let mut url = spotify.transport().endpoint(path)?;
    let qs = serde_urlencoded::to_string(query)
        .map_err(|e| Error::encode(format!("query for {path}"), e))?;
    if !qs.is_empty() {
        url.set_query(Some(&qs));
    }
    Ok(url)
}

/// A path segment (an id) with everything but letters, digits, `-`, `_` and `~` percent-encoded,
/// so no id can change the path it is put into (not even `..`).
pub(crate) fn segment(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Every item of an offset-paged list starting at `url`.
pub(crate) fn stream_offset<T: Send + 'static>(
    spotify: &Spotify,
    url: Result<Url>,
    concurrency: Option<usize>,
) -> impl Stream<Item = Result<T>> + Send + Unpin + 'static
where
    Page<T>: DeserializeOwned,
{
    stream_pages_of(spotify, url, decode_json::<Page<T>>, concurrency)
}

/// Every item of a cursor-paged list starting at `url`, decoded with `decode`.
pub(crate) fn stream_cursor<T: Send + 'static>(
    spotify: &Spotify,
    url: Result<Url>,
    decode: Decoder<CursorPage<T>>,
) -> impl Stream<Item = Result<T>> + Send + Unpin + 'static {
    stream_pages_of(spotify, url, decode, Some(1))
}

fn stream_pages_of<P: paging::PageInfo>(
    spotify: &Spotify,
    url: Result<Url>,
    decode: Decoder<P>,
    concurrency: Option<usize>,
) -> impl Stream<Item = Result<P::Item>> + Send + Unpin + 'static {
    let transport = spotify.transport().clone();
    let concurrency = concurrency.unwrap_or_else(|| spotify.concurrency());
    match url {
        Ok(url) => paging::items(
            transport.clone(),
            paging::first_page(transport, url, decode),
            decode,
            concurrency,
        )
        .left_stream(),
        Err(e) => stream::iter([Err(e)]).right_stream(),
    }
}

/// Makes a builder awaitable: `builder.await` is `builder.send().await`. Every builder gets its
/// `IntoFuture` from here, so they all box the same way. A builder generic over an item type
/// names it with its bound: `into_future!(Several<T: DeserializeOwned> => Vec<Option<T>>)`.
macro_rules! into_future {
    ($name:ident $(<$param:ident : $bound:path>)? => $out:ty) => {
        impl<'a $(, $param: $bound + Send + 'static)?> std::future::IntoFuture
            for $name<'a $(, $param)?>
        {
            type Output = $crate::Result<$out>;
            type IntoFuture = futures::future::BoxFuture<'a, Self::Output>;
            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}

pub(crate) use into_future;

/// Declares the builder of an offset-paged list: `limit`, `offset`, the listed parameters,
/// `concurrency`, and `.send()` / `.stream()` / `.all()` / `.await`.
macro_rules! paged_builder {
    (
        $(#[$meta:meta])*
        $name:ident => $item:ty;
        $( $(#[$pmeta:meta])* $param:ident : $pty:ty ),* $(,)?
    ) => {
        $(#[$meta])*
        #[derive(Debug, serde::Serialize)]
        #[must_use = "a builder does nothing until `.send()`, `.stream()`, `.all()` or `.await`"]
        #[serde(bound = "")]
        pub struct $name<'a, T = $item> {
            #[serde(skip)]
            spotify: &'a $crate::Spotify,
            #[serde(skip)]
            item: std::marker::PhantomData<fn() -> T>,
            #[serde(skip)]
            path: String,
            #[serde(skip)]
            concurrency: Option<usize>,
            $(
                #[serde(skip_serializing_if = "Option::is_none")]
                $param: Option<$pty>,
            )*
            #[serde(skip_serializing_if = "Option::is_none")]
            limit: Option<u32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            offset: Option<u32>,
        }

        impl<'a> $name<'a> {
            pub(crate) fn new(spotify: &'a $crate::Spotify, path: String) -> Self {
                $name {
                    spotify,
                    item: std::marker::PhantomData,
                    path,
                    concurrency: None,
                    $( $param: None, )*
                    limit: None,
                    offset: None,
                }
            }

            /// The same request, with every item as the JSON Spotify sent (each member and
            /// value kept, `null`s included): for exports that must write exactly what
            /// Spotify answered. Pages still follow [`Page`](crate::Page)'s entry rule.
            pub fn raw(self) -> $name<'a, serde_json::Value> {
                $name {
                    spotify: self.spotify,
                    item: std::marker::PhantomData,
                    path: self.path,
                    concurrency: self.concurrency,
                    $( $param: self.$param, )*
                    limit: self.limit,
                    offset: self.offset,
                }
            }
        }

        impl<'a, T: serde::de::DeserializeOwned + Send + 'static> $name<'a, T> {

            /// Items per page (Spotify's default is 20; most lists allow up to 50).
            pub fn limit(mut self, limit: u32) -> Self {
                self.limit = Some(limit);
                self
            }

            /// Index of the first item (default 0).
            pub fn offset(mut self, offset: u32) -> Self {
                self.offset = Some(offset);
                self
            }

            $(
                $(#[$pmeta])*
                pub fn $param(mut self, value: impl Into<$pty>) -> Self {
                    self.$param = Some(value.into());
                    self
                }
            )*

            /// Pages fetched at once by `.stream()` / `.all()` (default: the client's; 1 walks
            /// the `next` links one page after another).
            pub fn concurrency(mut self, pages: usize) -> Self {
                self.concurrency = Some(pages.max(1));
                self
            }

            pub(crate) fn url(&self) -> $crate::Result<url::Url> {
                $crate::api::url_with_query(self.spotify, &self.path, self)
            }

            /// Fetches one page.
            pub async fn send(self) -> $crate::Result<$crate::model::Page<T>> {
                let url = self.url()?;
                self.spotify.transport().get_json(url).await
            }

            /// Every item from `offset` on, in order, fetching pages concurrently once the
            /// first page tells how many there are.
            pub fn stream(self) -> impl futures::Stream<Item = $crate::Result<T>> + Send + Unpin + 'static {
                $crate::api::stream_offset(self.spotify, self.url(), self.concurrency)
            }

            /// Every item from `offset` on, collected.
            pub async fn all(self) -> $crate::Result<Vec<T>> {
                futures::TryStreamExt::try_collect(self.stream()).await
            }
        }

        $crate::api::into_future!($name<T: serde::de::DeserializeOwned> => $crate::model::Page<T>);
    };
}

/// Declares the builder of a single object: the listed parameters and `.send()` / `.await`.
/// Parameters after a `;` take their type itself rather than `impl Into<_>`, so integer
/// literals (`.limit(5)`) infer.
macro_rules! get_builder {
    (
        $(#[$meta:meta])*
        $name:ident => $out:ty;
        $( $(#[$pmeta:meta])* $param:ident : $pty:ty ),* $(,)?
        $( ; $( $(#[$xmeta:meta])* $xparam:ident : $xty:ty ),* $(,)? )?
    ) => {
        $(#[$meta])*
        #[derive(Debug, serde::Serialize)]
        #[must_use = "a builder does nothing until `.send()` or `.await`"]
        #[serde(bound = "")]
        pub struct $name<'a, T = $out> {
            #[serde(skip)]
            spotify: &'a $crate::Spotify,
            #[serde(skip)]
            out: std::marker::PhantomData<fn() -> T>,
            #[serde(skip)]
            path: String,
            $(
                #[serde(skip_serializing_if = "Option::is_none")]
                $param: Option<$pty>,
            )*
            $($(
                #[serde(skip_serializing_if = "Option::is_none")]
                $xparam: Option<$xty>,
            )*)?
        }

        impl<'a> $name<'a> {
            pub(crate) fn new(spotify: &'a $crate::Spotify, path: String) -> Self {
                $name {
                    spotify,
                    out: std::marker::PhantomData,
                    path,
                    $( $param: None, )*
                    $($( $xparam: None, )*)?
                }
            }

            /// The same request, answered with the JSON Spotify sent (each member and value
            /// kept): for exports that must write exactly what Spotify answered.
            pub fn raw(self) -> $name<'a, serde_json::Value> {
                $name {
                    spotify: self.spotify,
                    out: std::marker::PhantomData,
                    path: self.path,
                    $( $param: self.$param, )*
                    $($( $xparam: self.$xparam, )*)?
                }
            }
        }

        impl<'a, T: serde::de::DeserializeOwned + Send + 'static> $name<'a, T> {

            $(
                $(#[$pmeta])*
                pub fn $param(mut self, value: impl Into<$pty>) -> Self {
                    self.$param = Some(value.into());
                    self
                }
            )*

            $($(
                $(#[$xmeta])*
                pub fn $xparam(mut self, value: $xty) -> Self {
                    self.$xparam = Some(value);
                    self
                }
            )*)?

            /// Fetches it.
            pub async fn send(self) -> $crate::Result<T> {
                let url = $crate::api::url_with_query(self.spotify, &self.path, &self)?;
                self.spotify.transport().get_json(url).await
            }
        }

        $crate::api::into_future!($name<T: serde::de::DeserializeOwned> => T);
    };
}

pub(crate) use get_builder;
pub(crate) use paged_builder;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn additional_types_serialize_as_a_list() {
        let t: AdditionalTypes = [AdditionalType::Track, AdditionalType::Episode].into();
        assert_eq!(
            serde_urlencoded::to_string([("additional_types", &t)]).unwrap(),
            "additional_types=track%2Cepisode"
        );
        assert_eq!(
            serde_urlencoded::to_string([(
                "additional_types",
                AdditionalTypes::from(AdditionalType::Episode)
            )])
            .unwrap(),
            "additional_types=episode"
        );
        let none: &[AdditionalType] = &[];
        assert_eq!(
            serde_urlencoded::to_string([("t", AdditionalTypes::from(none))]).unwrap(),
            "t="
        );
    }

    #[test]
    fn a_comma_list_of_non_strings_is_an_error() {
        assert!(serde_urlencoded::to_string([("n", CommaSeparated(vec![1, 2]))]).is_err());
    }

    #[test]
    fn an_unencodable_query_is_an_encode_error() {
        let spotify = Spotify::builder()
            .api_base_url("http://127.0.0.1:1/v1")
            .build()
            .unwrap();
        // A nested list has no query-string form.
        let err = url_with_query(&spotify, "me", &[("a", [1, 2])]).unwrap_err();
        assert!(matches!(err, Error::Encode { .. }), "{err:?}");
        assert!(err.to_string().contains("query for me"), "{err}");
    }

    #[test]
    fn time_range_names() {
        assert_eq!(
            serde_urlencoded::to_string([("time_range", TimeRange::ShortTerm)]).unwrap(),
            "time_range=short_term"
        );
    }

    #[test]
    fn builders_are_the_query_string() {
        let spotify = Spotify::builder()
            .api_base_url("http://127.0.0.1:1/v1")
            .build()
            .unwrap();
        let b = spotify.tracks().saved().market("SE").limit(50).offset(100);
        assert_eq!(
            b.url().unwrap().as_str(),
            "http://127.0.0.1:1/v1/me/tracks?market=SE&limit=50&offset=100"
        );
        let b = spotify.tracks().saved();
        assert_eq!(b.url().unwrap().as_str(), "http://127.0.0.1:1/v1/me/tracks");
        assert_eq!(segment("a/b c"), "a%2Fb%20c");
        assert_eq!(segment(".."), "%2E%2E");
    }
}
