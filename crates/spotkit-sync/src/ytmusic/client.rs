//! The HTTP side: one innertube search request, as the YouTube Music web app (`WEB_REMIX`)
//! sends it, against a base URL that tests point at a local replay server.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::OnceCell;

use super::filter::Filter;
use super::parse::{self, Kind, PageError, Row};

/// The real host.
pub const DEFAULT_BASE: &str = "https://music.youtube.com";

/// Used when the home page does not name the web app's current version. Innertube accepts
/// older versions for a long time; the home page's is preferred.
const FALLBACK_CLIENT_VERSION: &str = "1.20250818.02.00";

/// Some answers differ for clients that do not look like a browser (consent pages, fewer
/// fields); the web app's own client is what this module imitates.
const USER_AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// Why a search could not be done.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// The request did not get an answer.
    #[error(
        "YouTube Music could not be reached at {base} ({reason}); check the network or --search-base-url"
    )]
    Network {
        /// The base URL used.
        base: String,
        /// The transport error.
        reason: String,
    },
    /// The host answered with an error status.
    #[error("YouTube Music answered the search with HTTP {status}{hint}")]
    Status {
        /// The status code.
        status: u16,
        /// What may help.
        hint: &'static str,
    },
    /// The answer is not JSON.
    #[error("YouTube Music's search answer is not JSON ({0}); check --search-base-url")]
    NotJson(String),
    /// The answer is JSON in an unknown shape.
    #[error(transparent)]
    Page(#[from] PageError),
}

impl SearchError {
    /// A retry may help (network trouble, 5xx, 429).
    pub fn is_transient(&self) -> bool {
        match self {
            SearchError::Network { .. } => true,
            SearchError::Status { status, .. } => *status >= 500 || *status == 429,
            SearchError::NotJson(_) | SearchError::Page(_) => false,
        }
    }
}

/// What the web app reads from the home page's `ytcfg` before its first request.
#[derive(Debug, Clone)]
struct Session {
    client_version: String,
    visitor_data: Option<String>,
}

/// A YouTube Music search client.
#[derive(Debug, Clone)]
pub struct YtMusic {
    http: reqwest::Client,
    base: url::Url,
    session: std::sync::Arc<OnceCell<Session>>,
}

/// The string value of `"key":"…"` in a page's inline `ytcfg.set({...})`.
fn ytcfg_value(page: &str, key: &str) -> Option<String> {
    let needle = format!("\"{key}\":\"");
    let start = page.find(&needle)? + needle.len();
    let len = page[start..].find('"')?;
    Some(page[start..start + len].to_owned()).filter(|v| !v.is_empty())
}

impl YtMusic {
    /// A client for `base` (normally [`DEFAULT_BASE`]; a local replay server in tests).
    pub fn new(http: reqwest::Client, base: url::Url) -> YtMusic {
        YtMusic {
            http,
            base,
            session: std::sync::Arc::new(OnceCell::new()),
        }
    }

    /// The base URL searched.
    pub fn base(&self) -> &url::Url {
        &self.base
    }

    fn endpoint(&self, path: &str) -> String {
        format!("{}/{path}", self.base.as_str().trim_end_matches('/'))
    }

    /// The web app's version and visitor id from the home page, once. A home page that cannot be
    /// read leaves the fallback version and no visitor id: searches mostly work without, and a
    /// real outage shows in the search itself.
    async fn session(&self) -> &Session {
        self.session
            .get_or_init(|| async {
                let page = match self
                    .http
                    .get(self.endpoint(""))
                    .header(reqwest::header::USER_AGENT, USER_AGENT)
                    .header(reqwest::header::ACCEPT_LANGUAGE, "en")
                    // Consent already given: otherwise EU visitors get a consent page.
                    .header(reqwest::header::COOKIE, "SOCS=CAI")
                    .timeout(Duration::from_secs(20))
                    .send()
                    .await
                {
                    Ok(resp) if resp.status().is_success() => resp.text().await.ok(),
                    Ok(resp) => {
                        tracing::debug!(status = %resp.status(), "YouTube Music home page");
                        None
                    }
                    Err(e) => {
                        tracing::debug!(error = %e, "YouTube Music home page");
                        None
                    }
                };
                let page = page.unwrap_or_default();
                Session {
                    client_version: ytcfg_value(&page, "INNERTUBE_CLIENT_VERSION")
                        .unwrap_or_else(|| FALLBACK_CLIENT_VERSION.to_owned()),
                    visitor_data: ytcfg_value(&page, "VISITOR_DATA"),
                }
            })
            .await
    }

    /// Searches `query` with `filter` and returns the rows of the first page.
    pub async fn search(&self, query: &str, filter: Filter) -> Result<Vec<Row>, SearchError> {
        let session = self.session().await;
        let mut client = json!({
            "clientName": "WEB_REMIX",
            "clientVersion": session.client_version,
            "hl": "en",
            "gl": "US",
        });
        if let (Some(v), Some(obj)) = (&session.visitor_data, client.as_object_mut()) {
            obj.insert("visitorData".into(), Value::String(v.clone()));
        }
        let body = json!({
            "context": {"client": client, "user": {}},
            "query": query,
            "params": filter.params(),
        });
        let mut request = self
            .http
            .post(self.endpoint("youtubei/v1/search"))
            .query(&[("prettyPrint", "false")])
            .header(reqwest::header::USER_AGENT, USER_AGENT)
            .header(
                reqwest::header::ORIGIN,
                self.base.as_str().trim_end_matches('/'),
            )
            .header(reqwest::header::COOKIE, "SOCS=CAI")
            .header("X-YouTube-Client-Name", "67")
            .header("X-YouTube-Client-Version", &session.client_version)
            .json(&body);
        if let Some(v) = &session.visitor_data {
            request = request.header("X-Goog-Visitor-Id", v);
        }
        let network = |e: reqwest::Error| SearchError::Network {
            base: self.base.to_string(),
            reason: e.to_string(),
        };
        let resp = request.send().await.map_err(network)?;
        let status = resp.status();
        if !status.is_success() {
            return Err(SearchError::Status {
                status: status.as_u16(),
                hint: match status.as_u16() {
                    429 => {
                        "; YouTube Music limits how fast it is searched: try again later or with fewer --jobs"
                    }
                    s if s >= 500 => "; try again later",
                    _ => {
                        "; YouTube Music may have changed its interface: update spotkit, or use --source youtube meanwhile"
                    }
                },
            });
        }
        let bytes = resp.bytes().await.map_err(network)?;
        let page: Value =
            serde_json::from_slice(&bytes).map_err(|e| SearchError::NotJson(e.to_string()))?;
        let kind = match filter {
            Filter::Songs => Kind::Song,
            Filter::Videos => Kind::Video,
        };
        Ok(parse::rows(&page, kind)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ytcfg_values_are_read_from_the_page() {
        let page = r#"<script>ytcfg.set({"VISITOR_DATA":"Cgt4eHg%3D","INNERTUBE_CLIENT_VERSION":"1.2"});</script>"#;
        assert_eq!(
            ytcfg_value(page, "VISITOR_DATA").as_deref(),
            Some("Cgt4eHg%3D")
        );
        assert_eq!(
            ytcfg_value(page, "INNERTUBE_CLIENT_VERSION").as_deref(),
            Some("1.2")
        );
        assert_eq!(ytcfg_value(page, "MISSING"), None);
        assert_eq!(ytcfg_value("\"VISITOR_DATA\":\"\"", "VISITOR_DATA"), None);
    }
}
