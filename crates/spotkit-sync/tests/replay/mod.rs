//! A local stand-in for music.youtube.com that answers with recorded answers, byte for byte.
//!
//! It serves the recordings of the conformance data (`matcher/recordings/*.json.gz`, see that
//! folder's README): `GET /` answers the recorded home page (its `ytcfg` gives the client version
//! and visitor id), `POST /youtubei/v1/search` answers the recorded search with the same query and
//! filter. Queries are compared normalised (NFKC, case-folded, punctuation as spaces, the same
//! multiset of words: spotDL wrote "A, B - Title" where spotkit writes "A B - Title"), filters by
//! what their `params` decode to. A search never recorded gets a recorded "No results found"
//! answer, as the real host gives, not an error.
//!
//! Recorded headers are replayed except `Content-Encoding`, `Content-Length` and
//! `Transfer-Encoding`: the recordings hold the bodies decoded, so those would no longer be true.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Read as _;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, Response, StatusCode};
use axum::routing::{get, post};
use serde_json::Value;
use spotkit_sync::ytmusic::Filter;
use unicode_normalization::UnicodeNormalization as _;

/// One recorded answer.
#[derive(Debug, Clone)]
pub struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

/// The recordings, indexed.
#[derive(Debug, Default)]
pub struct Recordings {
    home: Option<Answer>,
    searches: HashMap<(Vec<String>, Option<Filter>), Answer>,
    no_results: Option<Answer>,
    /// Every file read, for the record.
    pub files: Vec<String>,
}

/// What was asked: (query, filter).
pub type Log = Arc<Mutex<Vec<(String, Option<Filter>)>>>;

/// Words of a query as the server compares them.
pub fn query_key(q: &str) -> Vec<String> {
    let folded: String = q
        .nfkc()
        .collect::<String>()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<String> = folded.split_whitespace().map(str::to_owned).collect();
    words.sort();
    words
}

fn read_gz(path: &Path) -> Vec<Value> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn answer(entry: &Value) -> Answer {
    let resp = &entry["response"];
    let mut headers = Vec::new();
    if let Some(h) = resp["headers"].as_object() {
        for (name, values) in h {
            if matches!(
                name.to_ascii_lowercase().as_str(),
                "content-encoding" | "content-length" | "transfer-encoding"
            ) {
                continue;
            }
            let values: Vec<&str> = match values {
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                Value::String(s) => vec![s.as_str()],
                _ => Vec::new(),
            };
            for v in values {
                headers.push((name.clone(), v.to_owned()));
            }
        }
    }
    Answer {
        status: resp["status"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(200),
        headers,
        body: resp["body"].as_str().unwrap_or_default().to_owned(),
    }
}

impl Recordings {
    /// Reads every `*.json.gz` in `dir`.
    pub fn load(dir: &Path) -> Recordings {
        let mut rec = Recordings::default();
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
            .collect();
        paths.sort();
        for path in paths {
            rec.files
                .push(path.file_name().unwrap().to_string_lossy().into_owned());
            for entry in read_gz(&path) {
                let req = &entry["request"];
                let url = req["url"].as_str().unwrap_or_default();
                let method = req["method"].as_str().unwrap_or_default();
                if method == "GET" && url.trim_end_matches('/') == "https://music.youtube.com" {
                    rec.home = Some(answer(&entry));
                    continue;
                }
                if method != "POST" || !url.contains("/youtubei/v1/search") {
                    continue;
                }
                let body = &req["body"];
                let Some(query) = body["query"].as_str() else {
                    continue;
                };
                let filter = body["params"].as_str().and_then(Filter::from_params);
                let a = answer(&entry);
                if rec.no_results.is_none()
                    && a.body.contains("No results found")
                    && !a.body.contains("musicResponsiveListItemRenderer")
                {
                    rec.no_results = Some(a.clone());
                }
                rec.searches.entry((query_key(query), filter)).or_insert(a);
            }
        }
        rec
    }

    /// Number of recorded searches.
    pub fn searches(&self) -> usize {
        self.searches.len()
    }
}

struct Shared {
    rec: Recordings,
    log: Log,
}

fn respond(a: &Answer) -> Response<Body> {
    let mut resp = Response::new(Body::from(a.body.clone()));
    *resp.status_mut() = StatusCode::from_u16(a.status).unwrap_or(StatusCode::OK);
    for (name, value) in &a.headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            resp.headers_mut().append(n, v);
        }
    }
    resp
}

async fn home(State(s): State<Arc<Shared>>) -> Response<Body> {
    if let Some(a) = &s.rec.home {
        return respond(a);
    }
    let mut r = Response::new(Body::from("no recorded home page"));
    *r.status_mut() = StatusCode::NOT_FOUND;
    r
}

async fn search(State(s): State<Arc<Shared>>, body: String) -> Response<Body> {
    let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let query = v["query"].as_str().unwrap_or_default().to_owned();
    let filter = v["params"].as_str().and_then(Filter::from_params);
    s.log.lock().unwrap().push((query.clone(), filter));
    let found = s
        .rec
        .searches
        .get(&(query_key(&query), filter))
        .or(s.rec.no_results.as_ref());
    if let Some(a) = found {
        return respond(a);
    }
    let mut r = Response::new(Body::from("no recorded answer"));
    *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    r
}

/// A running replay server.
pub struct Server {
    /// `http://127.0.0.1:PORT`
    pub base: url::Url,
    /// The searches it was asked.
    pub log: Log,
}

/// Starts a server on 127.0.0.1 for `rec`.
pub async fn serve(rec: Recordings) -> Server {
    let log: Log = Arc::default();
    let shared = Arc::new(Shared {
        rec,
        log: log.clone(),
    });
    let app = axum::Router::new()
        .route("/", get(home))
        .route("/youtubei/v1/search", post(search))
        .with_state(shared);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Server {
        base: url::Url::parse(&format!("http://{addr}")).unwrap(),
        log,
    }
}
