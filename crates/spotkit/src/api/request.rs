//! What every write and multi-id call shares: one request with an optional JSON body, and the
//! chunking of long id lists to the API's maximum per request.
//!
//! Spotify answers writes with `200` + JSON, `201` + JSON or `204` without a body; an empty body
//! is decoded as JSON `null`, so `()` and `Option<T>` outputs cover all of them.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use bytes::Bytes;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::Spotify;
use crate::error::{Error, Result, decode_json};
use crate::http::transport::ApiRequest;

/// Sends one request and decodes its answer (an empty body as `null`).
pub(crate) async fn send<T: DeserializeOwned>(
    spotify: &Spotify,
    method: Method,
    url: Url,
    body: Option<&Value>,
) -> Result<T> {
    let body = match body {
        Some(v) => Some(Bytes::from(
            serde_json::to_vec(v).map_err(|e| Error::encode("request body", e))?,
        )),
        None => None,
    };
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

/// The URL of `path` with the given query pairs.
pub(crate) fn url_with_pairs(
    spotify: &Spotify,
    path: &str,
    pairs: &[(&str, String)],
) -> Result<Url> {
    super::url_with_query(spotify, path, pairs)
}

/// Declares the builder of one request with a method other than a plain read, or a read with a
/// body-free answer: the listed query parameters, an optional JSON body, `.send()` / `.await`.
macro_rules! request_builder {
    (
        $(#[$meta:meta])*
        $name:ident => $out:ty, $method:ident;
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
            body: Option<serde_json::Value>,
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

            #[allow(dead_code)]
            pub(crate) fn with_body(mut self, body: serde_json::Value) -> Self {
                self.body = Some(body);
                self
            }

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

        impl<'a> std::future::IntoFuture for $name<'a> {
            type Output = $crate::Result<$out>;
            type IntoFuture = futures::future::BoxFuture<'a, Self::Output>;
            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
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
            let mut pairs = vec![("ids", ids.join(","))];
            if let Some(m) = &self.market {
                pairs.push(("market", m.clone()));
            }
            let url = url_with_pairs(self.spotify, self.path, &pairs)?;
            let body: BTreeMap<String, Value> = send(self.spotify, Method::GET, url, None).await?;
            out.extend(single_list::<Option<T>>(body)?);
        }
        Ok(out)
    }
}

impl<'a, T: DeserializeOwned + Send + 'a> std::future::IntoFuture for Several<'a, T> {
    type Output = Result<Vec<Option<T>>>;
    type IntoFuture = futures::future::BoxFuture<'a, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Where a chunked id list goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdsIn {
    /// `?ids=a,b` (`?uris=` for `/me/library`).
    Query(&'static str),
    /// `{"ids": [...]}`.
    Body,
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
    extra: Vec<(&'static str, String)>,
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
            extra: Vec::new(),
        }
    }

    pub(crate) fn with_query(mut self, key: &'static str, value: String) -> Self {
        self.extra.push((key, value));
        self
    }

    /// Sends every chunk, stopping at the first failure (earlier chunks stay applied).
    pub async fn send(self) -> Result<()> {
        for ids in self.ids.chunks(self.chunk.max(1)) {
            let mut pairs = self.extra.clone();
            let body = match self.ids_in {
                IdsIn::Query(key) => {
                    pairs.push((key, ids.join(",")));
                    None
                }
                IdsIn::Body => Some(serde_json::json!({ "ids": ids })),
            };
            let url = url_with_pairs(self.spotify, self.path, &pairs)?;
            send::<Value>(self.spotify, self.method.clone(), url, body.as_ref()).await?;
        }
        Ok(())
    }
}

impl<'a> std::future::IntoFuture for IdsWrite<'a> {
    type Output = Result<()>;
    type IntoFuture = futures::future::BoxFuture<'a, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Builder for a chunked `.../contains` check: one `bool` per id, in order.
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct Contains<'a> {
    spotify: &'a Spotify,
    path: String,
    key: &'static str,
    ids: Vec<String>,
    chunk: usize,
    extra: Vec<(&'static str, String)>,
}

impl<'a> Contains<'a> {
    pub(crate) fn new(
        spotify: &'a Spotify,
        path: String,
        key: &'static str,
        ids: Vec<String>,
        chunk: usize,
    ) -> Self {
        Contains {
            spotify,
            path,
            key,
            ids,
            chunk,
            extra: Vec::new(),
        }
    }

    pub(crate) fn with_query(mut self, key: &'static str, value: String) -> Self {
        self.extra.push((key, value));
        self
    }

    /// Checks every id, one request per chunk.
    pub async fn send(self) -> Result<Vec<bool>> {
        let mut out = Vec::with_capacity(self.ids.len());
        for ids in self.ids.chunks(self.chunk.max(1)) {
            let mut pairs = self.extra.clone();
            pairs.push((self.key, ids.join(",")));
            let url = url_with_pairs(self.spotify, &self.path, &pairs)?;
            let part: Vec<bool> = send(self.spotify, Method::GET, url, None).await?;
            out.extend(part);
        }
        Ok(out)
    }
}

impl<'a> std::future::IntoFuture for Contains<'a> {
    type Output = Result<Vec<bool>>;
    type IntoFuture = futures::future::BoxFuture<'a, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
