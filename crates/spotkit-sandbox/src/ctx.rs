//! The per-request rendering context: the base URL the client addressed and the API generation
//! being played. Renderers ([`crate::render`]) and paging links ([`crate::paging`]) both need it.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use serde_json::{Map, Value, json};

use crate::config::Mode;
use crate::names;
use crate::state::AppState;

/// Per-request rendering context: the public base URL and the API generation.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// `http://host:port`, as the client addressed us.
    pub base: String,
    /// API generation.
    pub mode: Mode,
    /// Send both old and new member names.
    pub transition: bool,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| {
                parts
                    .uri
                    .authority()
                    .map(axum::http::uri::Authority::as_str)
            })
            .unwrap_or("127.0.0.1")
            .to_owned();
        Ok(Ctx {
            base: format!("http://{host}"),
            mode: state.mode,
            transition: state.transition,
        })
    }
}

impl Ctx {
    pub(crate) fn dev(&self) -> bool {
        self.mode == Mode::Dev
    }
    /// Whether new member names (`items`, `item`) are sent.
    pub fn new_names(&self) -> bool {
        self.dev() || self.transition
    }
    /// Whether old member names (`tracks`, `track`) are sent.
    pub fn old_names(&self) -> bool {
        !self.dev() || self.transition
    }
    /// `{base}/v1{path}`
    pub fn api(&self, path: &str) -> String {
        format!("{}/v1{path}", self.base)
    }
    pub(crate) fn images(&self, id: &str, sizes: &[u32]) -> Value {
        Value::Array(
            sizes
                .iter()
                .map(|s| json!({ "url": format!("{}/_sandbox/image/{id}/{s}", self.base), "height": s, "width": s }))
                .collect(),
        )
    }
    pub(crate) fn markets(&self, obj: &mut Map<String, Value>) {
        if !self.dev() {
            obj.insert("available_markets".into(), json!(names::markets()));
        }
    }
}
