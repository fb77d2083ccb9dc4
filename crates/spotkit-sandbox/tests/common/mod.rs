//! Helpers shared by the sandbox's integration tests: a started sandbox plus an HTTP client that
//! does not follow redirects (so the OAuth redirects can be inspected).
#![allow(dead_code, clippy::missing_panics_doc)]

use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use spotkit_sandbox::{Mode, RunningSandbox, Sandbox, SandboxBuilder};

/// A running sandbox and a client for it.
pub struct Env {
    pub sb: RunningSandbox,
    pub http: Client,
}

/// reqwest is built without a TLS crypto provider in this workspace (spotkit configures its own
/// per client); a test binary installs *ring* as the process default before building clients.
pub fn install_tls_provider() {
    // Err means a provider is installed already: fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[allow(clippy::disallowed_methods)] // the provider is installed just above
pub fn client() -> Client {
    install_tls_provider();
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

pub async fn start(builder: SandboxBuilder) -> Env {
    let sb = builder.start().await.expect("sandbox starts");
    Env { sb, http: client() }
}

pub async fn dev() -> Env {
    start(Sandbox::builder().seed(5).liked(130)).await
}

pub async fn extended() -> Env {
    start(Sandbox::builder().seed(5).liked(130).mode(Mode::Extended)).await
}

impl Env {
    pub fn api(&self, path: &str) -> String {
        format!("{}{path}", self.sb.api_url())
    }

    pub async fn token(&self, scopes: &[&str]) -> String {
        self.sb
            .token("demo", scopes)
            .await
            .expect("token")
            .access_token
    }

    pub async fn all_scopes(&self) -> String {
        self.token(spotkit_sandbox::tokens::ALL_SCOPES).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            self.api(path)
        };
        self.http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// GET that must succeed, as JSON.
    pub async fn ok(&self, path: &str, token: &str) -> Value {
        let r = self.get(path, token).await;
        let status = r.status();
        let body: Value = r.json().await.expect("json");
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        body
    }

    /// GET that must fail with `status`; returns Spotify's `error.message`.
    pub async fn err(&self, path: &str, token: &str, status: StatusCode) -> String {
        let r = self.get(path, token).await;
        assert_eq!(r.status(), status, "GET {path}");
        let body: Value = r.json().await.expect("json error body");
        assert_eq!(body["error"]["status"], status.as_u16(), "{body}");
        body["error"]["message"]
            .as_str()
            .expect("message")
            .to_owned()
    }

    /// Every item of a paged list, following `next`.
    pub async fn all(&self, first: &str, token: &str, key: Option<&str>) -> Vec<Value> {
        let mut out = Vec::new();
        let mut url = first.to_owned();
        loop {
            let mut page = self.ok(&url, token).await;
            if let Some(k) = key {
                page = page[k].clone();
            }
            out.extend(page["items"].as_array().expect("items").iter().cloned());
            match page["next"].as_str() {
                Some(next) => next.clone_into(&mut url),
                None => return out,
            }
        }
    }

    pub async fn catalog(&self) -> Value {
        self.http
            .get(format!("{}/_sandbox/catalog", self.sb.url()))
            .send()
            .await
            .expect("catalog")
            .json()
            .await
            .expect("json")
    }

    pub async fn stats(&self) -> Value {
        self.http
            .get(format!("{}/_sandbox/stats", self.sb.url()))
            .send()
            .await
            .expect("stats")
            .json()
            .await
            .expect("json")
    }

    /// Id of the demo user's playlist at `index` in `/me/playlists` order, and its catalogue entry.
    pub async fn playlist(&self, pick: impl Fn(&Value) -> bool) -> Value {
        let cat = self.catalog().await;
        cat["users"]["demo"]["playlists"]
            .as_array()
            .expect("playlists")
            .iter()
            .find(|p| pick(p))
            .cloned()
            .expect("a matching playlist")
    }
}
