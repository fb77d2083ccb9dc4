//! What every write and multi-id call shares: one request with an optional JSON body (a small
//! `#[derive(Serialize)]` struct per endpoint, serialized once in `send`), and the chunking of
//! long id lists to the API's maximum per request.
//!
//! Spotify answers writes with `200` + JSON, `201` + JSON or `204` without a body; an empty body
//! is decoded as JSON `null`, so `()` and `Option<T>` outputs cover all of them.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::Spotify;
use crate::api::url_with_query;
use crate::api::users::FollowType;
use crate::error::{Error, Result, decode_json};
use crate::http::transport::ApiRequest;

/// The `body` argument of [`send`] for a request without one.
pub(crate) const NO_BODY: Option<&()> = None;

/// Sends one request and decodes its answer (an empty body as `null`). `body` is serialized to
/// JSON here and nowhere else.
pub(crate) async fn send<T: DeserializeOwned, B: Serialize + ?Sized>(
    spotify: &Spotify,
    method: Method,
    url: Url,
    body: Option<&B>,
) -> Result<T> {
    let body = body.map(encode_body).transpose()?;
    // A POST may add items twice when repeated after a lost answer; everything else is idempotent.
    let repeatable = method != Method::POST;
    let request = ApiRequest {
        method,
        url,
        body,
        content_type: "application/json",
        repeatable,
    };
    let answer = spotify.transport().execute(&request).await?;
    if answer.iter().all(u8::is_ascii_whitespace) {
        decode_json(b"null")
    } else {
        decode_json(&answer)
    }
}

/// A request body as JSON bytes.
fn encode_body<B: Serialize + ?Sized>(body: &B) -> Result<Bytes> {
    serde_json::to_vec(body)
        .map(Bytes::from)
        .map_err(|e| Error::encode("request body", e))
}

/// Declares the builder of one request with a method other than a plain read, or a read with a
/// body-free answer: the listed query parameters, `.send()` / `.await`, and with
/// `, body: Type` after the method a JSON body of that (`Serialize`) type, set by `with_body`.
macro_rules! request_builder {
    // Without a body type the builder keeps an `Option<()>` that stays `None`.
    (@body) => { () };
    (@body $body:ty) => { $body };
    (
        $(#[$meta:meta])*
        $name:ident => $out:ty, $method:ident $(, body: $body:ty)?;
        $( $(#[$pmeta:meta])* $param:ident : $pty:ty ),* $(,)?
    ) => {
        $(#[$meta])*
        #[derive(Debug, serde::Serialize)]
        #[must_use = "a builder does nothing until `.send()` or `.await`"]
        pub struct $name<'a> {
            #[serde(skip)]
            spotify: &'a $crate::Spotify,
            #[serde(skip)]
            path: String,
            #[serde(skip)]
            body: Option<$crate::api::request::request_builder!(@body $($body)?)>,
            $(
                #[serde(skip_serializing_if = "Option::is_none")]
                $param: Option<$pty>,
            )*
        }

        impl<'a> $name<'a> {
            #[allow(dead_code)]
            pub(crate) fn new(spotify: &'a $crate::Spotify, path: String) -> Self {
                $name {
                    spotify,
                    path,
                    body: None,
                    $( $param: None, )*
                }
            }

            $(
                pub(crate) fn with_body(mut self, body: $body) -> Self {
                    self.body = Some(body);
                    self
                }
            )?

            $(
                $(#[$pmeta])*
                pub fn $param(mut self, value: impl Into<$pty>) -> Self {
                    self.$param = Some(value.into());
                    self
                }
            )*

            /// Sends it.
            pub async fn send(self) -> $crate::Result<$out> {
                let url = $crate::api::url_with_query(self.spotify, &self.path, &self)?;
                $crate::api::request::send(
                    self.spotify,
                    reqwest::Method::$method,
                    url,
                    self.body.as_ref(),
                )
                .await
            }
        }

        $crate::api::into_future!($name => $out);
    };
}

pub(crate) use request_builder;

/// Decodes `{"<key>": [...]}` (whatever the key) into the list.
fn single_list<T: DeserializeOwned>(body: BTreeMap<String, Value>) -> Result<Vec<T>> {
    match body.into_values().next() {
        Some(list) => serde_json::from_value(list).map_err(|e| Error::Decode {
            path: ".".into(),
            message: e.to_string(),
            snippet: String::new(),
        }),
        None => Ok(Vec::new()),
    }
}

/// The query of one multi-get chunk.
#[derive(Debug, Serialize)]
struct SeveralQuery<'a> {
    ids: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    market: Option<&'a str>,
}

/// Builder for a multi-get (`GET /tracks?ids=...` and the like): any number of ids, fetched
/// `chunk` at a time (the API's maximum) and returned in the order asked, `None` where Spotify
/// knows no such id.
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct Several<'a, T> {
    spotify: &'a Spotify,
    path: &'static str,
    ids: Vec<String>,
    chunk: usize,
    market: Option<String>,
    _item: PhantomData<fn() -> T>,
}

impl<'a, T: DeserializeOwned + Send + 'a> Several<'a, T> {
    pub(crate) fn new(
        spotify: &'a Spotify,
        path: &'static str,
        ids: Vec<String>,
        chunk: usize,
    ) -> Self {
        Several {
            spotify,
            path,
            ids,
            chunk,
            market: None,
            _item: PhantomData,
        }
    }

    /// An ISO 3166-1 country code or `from_token`.
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }

    /// Fetches every id, one request per chunk.
    pub async fn send(self) -> Result<Vec<Option<T>>> {
        let mut out = Vec::with_capacity(self.ids.len());
        for ids in self.ids.chunks(self.chunk.max(1)) {
            let query = SeveralQuery {
                ids: ids.join(","),
                market: self.market.as_deref(),
            };
            let url = url_with_query(self.spotify, self.path, &query)?;
            let body: BTreeMap<String, Value> =
                send(self.spotify, Method::GET, url, NO_BODY).await?;
            out.extend(single_list::<Option<T>>(body)?);
        }
        Ok(out)
    }
}

super::into_future!(Several<T: DeserializeOwned> => Vec<Option<T>>);

/// Where a chunked id list goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdsIn {
    /// `?ids=a,b`.
    QueryIds,
    /// `?uris=spotify:track:a,...` (`/me/library`).
    QueryUris,
    /// `{"ids": [...]}`.
    Body,
}

/// The query of one chunk of a chunked write or check: the ids (unless they go in the body)
/// and, for follows, the `type` they are of.
#[derive(Debug, Serialize)]
struct ChunkQuery {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<FollowType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ids: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uris: Option<String>,
}

impl ChunkQuery {
    fn new(kind: Option<FollowType>, ids_in: IdsIn, ids: &[String]) -> Self {
        let joined = || Some(ids.join(","));
        ChunkQuery {
            kind,
            ids: if ids_in == IdsIn::QueryIds {
                joined()
            } else {
                None
            },
            uris: if ids_in == IdsIn::QueryUris {
                joined()
            } else {
                None
            },
        }
    }
}

/// The body of a chunked write whose ids go in the body (`PUT /me/tracks`).
#[derive(Debug, Serialize)]
struct IdsBody<'a> {
    ids: &'a [String],
}

/// Builder for a chunked library or follow write (`PUT`/`DELETE` with ids): one call for any
/// number of ids, sent `chunk` at a time in order.
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct IdsWrite<'a> {
    spotify: &'a Spotify,
    method: Method,
    path: &'static str,
    ids: Vec<String>,
    chunk: usize,
    ids_in: IdsIn,
    kind: Option<FollowType>,
}

impl<'a> IdsWrite<'a> {
    pub(crate) fn new(
        spotify: &'a Spotify,
        method: Method,
        path: &'static str,
        ids: Vec<String>,
        chunk: usize,
        ids_in: IdsIn,
    ) -> Self {
        IdsWrite {
            spotify,
            method,
            path,
            ids,
            chunk,
            ids_in,
            kind: None,
        }
    }

    /// Sends `type=<kind>` with every chunk (`/me/following`).
    pub(crate) fn of_type(mut self, kind: FollowType) -> Self {
        self.kind = Some(kind);
        self
    }

    fn url(&self, ids: &[String]) -> Result<Url> {
        url_with_query(
            self.spotify,
            self.path,
            &ChunkQuery::new(self.kind, self.ids_in, ids),
        )
    }

    /// The URL of the first chunk.
    #[cfg(test)]
    pub(crate) fn first_url(&self) -> Url {
        self.url(&self.ids[..self.chunk.min(self.ids.len())])
            .unwrap()
    }

    /// Sends every chunk, stopping at the first failure (earlier chunks stay applied).
    pub async fn send(self) -> Result<()> {
        for ids in self.ids.chunks(self.chunk.max(1)) {
            let url = self.url(ids)?;
            let body = (self.ids_in == IdsIn::Body).then_some(IdsBody { ids });
            send::<Value, _>(self.spotify, self.method.clone(), url, body.as_ref()).await?;
        }
        Ok(())
    }
}

super::into_future!(IdsWrite => ());

/// Builder for a chunked `.../contains` check: one `bool` per id, in order.
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct Contains<'a> {
    spotify: &'a Spotify,
    path: String,
    ids_in: IdsIn,
    ids: Vec<String>,
    chunk: usize,
    kind: Option<FollowType>,
}

impl<'a> Contains<'a> {
    /// `ids_in` is [`IdsIn::QueryIds`] or [`IdsIn::QueryUris`] (a check has no body).
    pub(crate) fn new(
        spotify: &'a Spotify,
        path: String,
        ids_in: IdsIn,
        ids: Vec<String>,
        chunk: usize,
    ) -> Self {
        Contains {
            spotify,
            path,
            ids_in,
            ids,
            chunk,
            kind: None,
        }
    }

    /// Sends `type=<kind>` with every chunk (`/me/following/contains`).
    pub(crate) fn of_type(mut self, kind: FollowType) -> Self {
        self.kind = Some(kind);
        self
    }

    fn url(&self, ids: &[String]) -> Result<Url> {
        url_with_query(
            self.spotify,
            &self.path,
            &ChunkQuery::new(self.kind, self.ids_in, ids),
        )
    }

    /// The URL of the first chunk.
    #[cfg(test)]
    pub(crate) fn first_url(&self) -> Url {
        self.url(&self.ids[..self.chunk.min(self.ids.len())])
            .unwrap()
    }

    /// Checks every id, one request per chunk.
    pub async fn send(self) -> Result<Vec<bool>> {
        let mut out = Vec::with_capacity(self.ids.len());
        for ids in self.ids.chunks(self.chunk.max(1)) {
            let url = self.url(ids)?;
            let part: Vec<bool> = send(self.spotify, Method::GET, url, NO_BODY).await?;
            out.extend(part);
        }
        Ok(out)
    }
}

super::into_future!(Contains => Vec<bool>);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("id{i}")).collect()
    }

    #[test]
    fn ids_body_is_what_spotify_expects() {
        let ids = ids(2);
        let body = IdsBody { ids: &ids };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({ "ids": ["id0", "id1"] })
        );
        assert_eq!(
            &encode_body(&body).unwrap()[..],
            br#"{"ids":["id0","id1"]}"#
        );
    }

    #[test]
    fn chunk_queries_put_the_ids_under_their_key() {
        let ids = ids(2);
        let q = |kind, ids_in| serde_urlencoded::to_string(ChunkQuery::new(kind, ids_in, &ids));
        assert_eq!(q(None, IdsIn::QueryIds).unwrap(), "ids=id0%2Cid1");
        assert_eq!(q(None, IdsIn::QueryUris).unwrap(), "uris=id0%2Cid1");
        assert_eq!(q(None, IdsIn::Body).unwrap(), "");
        assert_eq!(
            q(Some(FollowType::Artist), IdsIn::QueryIds).unwrap(),
            "type=artist&ids=id0%2Cid1"
        );
        assert_eq!(
            q(Some(FollowType::User), IdsIn::QueryIds).unwrap(),
            "type=user&ids=id0%2Cid1"
        );
        let several = SeveralQuery {
            ids: "a,b".into(),
            market: Some("SE"),
        };
        assert_eq!(
            serde_urlencoded::to_string(several).unwrap(),
            "ids=a%2Cb&market=SE"
        );
    }

    #[test]
    fn an_unencodable_body_is_an_encode_error() {
        // JSON object keys must be strings.
        let body = BTreeMap::from([((1, 2), 3)]);
        let err = encode_body(&body).unwrap_err();
        assert!(matches!(err, Error::Encode { .. }), "{err:?}");
        assert!(err.to_string().contains("request body"), "{err}");
    }
}
