//! Every Web API route the sandbox serves, walked over real HTTP, with every response body validated
//! against Spotify's OpenAPI schemas (`spotify-openapi/fixed-spotify-open-api.yml` in the
//! conformance data named by `SPOTKIT_CONFORMANCE_DIR`, OpenAPI 3.0.3, converted to JSON Schema
//! 2020-12 in `schema/openapi.rs`). Without the conformance data these tests are skipped, and
//! say so; the route table check still runs.
//!
//! What is walked, per configuration (dev, extended, and both with `transition`), against a fresh
//! in-process sandbox (`seed(3).liked(120)`):
//! - every row of [`ROUTES`] (reads, writes and player commands): first pages, a middle page (via
//!   `next`), the last page and a page past the end of each paged list, every item of every
//!   playlist, cursor paging to its end. Requests run in phases ([`PHASES`]): reads of the seeded
//!   catalogue first, then writes and player commands in table order, then player reads again;
//! - 2xx answers against the operation's documented answer for that status: its schema, or no body
//!   (`204`, most writes' `200`); an undocumented status fails (see
//!   [`openapi::UNDOCUMENTED_ANSWERS`]);
//! - the error bodies: 401 (no token, garbage token), 400 (malformed id, bad `limit`, bad parameters),
//!   404 (unknown id), 403 (operations Spotify removed for Development-Mode apps, other users'
//!   playlist items in dev mode, a token without scopes), all against `components.responses`
//!   (`{"error": ErrorObject}`), and `error.status` must equal the HTTP status.
//!
//! A failure names the configuration, `METHOD route`, URL, status, the JSON pointer into the body,
//! the schema path and the offending value.
//!
//! [`every_served_route_is_in_the_table`] reads `src/api/*.rs` for `.route("..", get(..))` calls and
//! fails when a served route has no row in [`ROUTES`] (or a row names a route no longer served), so
//! new routes cannot skip this test.
//!
//! # Mode-aware strictness
//! Development-Mode apps (Feb 2026) no longer receive the members the spec marks `deprecated: true`
//! (popularity, available_markets, label, genres, followers, publisher, user email/country/product,
//! `album_group`, ...). So in dev mode every `required` list drops the properties that the schema (or
//! a schema it combines with `allOf`) marks deprecated; their types are still checked when present.
//! In extended mode the spec's `required` lists stand as they are. Transition responses are checked
//! with the strictness of their mode.
//!
//! # Relaxations
//! - [`openapi::SPEC_DEVIATIONS`]: members the real service sends as `null` although the spec does
//!   not say `nullable` (each with its reason).
//! - Local files in playlists (`is_local: true`): their `item`/`track` is checked against a relaxed
//!   copy of `TrackObject` (every member nullable, none required), since Spotify's documented
//!   local-file shape has null ids/hrefs/URIs and an album without `total_tracks`, `artists` and
//!   release date. Every other entry is checked strictly.
//!
//! # Known sandbox bugs
//! [`KNOWN_SANDBOX_BUGS`] lists responses that violate the spec where Spotify would not. They are
//! reported but do not fail the test; an entry that no longer matches anything fails it, so a fix
//! removes its entry.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use reqwest::Url;
use serde_json::Value;
use spotkit_sandbox::{Mode, RunningSandbox, Sandbox};

#[path = "schema/openapi.rs"]
mod openapi;
#[path = "schema/routes.rs"]
mod routes;
#[path = "schema/served.rs"]
mod served;

use openapi::{Spec, Validators, Violation, shorten};
use routes::{Body, Follow, Ids, PHASES, PlaylistInfo, ROUTES, Req, Route, UNKNOWN_ID, key};

/// A sandbox configuration the walk runs against.
#[derive(Debug, Clone, Copy)]
struct Config {
    name: &'static str,
    mode: Mode,
    transition: bool,
}

const DEV: Config = Config {
    name: "dev",
    mode: Mode::Dev,
    transition: false,
};
const EXTENDED: Config = Config {
    name: "extended",
    mode: Mode::Extended,
    transition: false,
};
const DEV_TRANSITION: Config = Config {
    name: "dev+transition",
    mode: Mode::Dev,
    transition: true,
};
const EXTENDED_TRANSITION: Config = Config {
    name: "extended+transition",
    mode: Mode::Extended,
    transition: true,
};

/// A response that violates the spec because of a sandbox bug (not a spec deviation of Spotify).
/// Scoped narrowly: configurations, route, instance location and schema keyword.
#[derive(Debug)]
struct KnownBug {
    /// Configuration names ([`Config::name`]) where it shows.
    configs: &'static [&'static str],
    /// Sandbox route template, as in [`ROUTES`].
    route: &'static str,
    /// JSON pointer of the instance; `*` matches one segment, `**` any number.
    instance: &'static str,
    /// End of the schema path (the failing keyword).
    keyword: &'static str,
    /// What is wrong.
    bug: &'static str,
}

/// Sandbox bugs found by this test, to be fixed in the sandbox (then delete the entry).
const KNOWN_SANDBOX_BUGS: &[KnownBug] = &[];

/// A recorded failure.
#[derive(Debug)]
struct Failure {
    /// `METHOD template`.
    route: String,
    url: String,
    status: u16,
    violation: Violation,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = &self.violation;
        write!(
            f,
            "{route} → {status}  ({url})\n    at {inst}  schema {schema}\n    {msg}\n    value: {snip}",
            route = self.route,
            status = self.status,
            url = self.url,
            inst = if v.instance_path.is_empty() {
                "/"
            } else {
                &v.instance_path
            },
            schema = v.schema_path,
            msg = v.message,
            snip = v.snippet,
        )
    }
}

/// Whether the JSON pointer `path` matches `pattern` (`*` one segment, `**` any number).
fn pointer_matches(pattern: &str, path: &str) -> bool {
    fn go(p: &[&str], s: &[&str]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(&"**"), _) => go(&p[1..], s) || (!s.is_empty() && go(p, &s[1..])),
            (Some(&"*"), Some(_)) => go(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &s[1..]),
            _ => false,
        }
    }
    let p: Vec<&str> = pattern.split('/').skip(1).collect();
    let s: Vec<&str> = path.split('/').skip(1).collect();
    go(&p, &s)
}

/// Everything one configuration's walk keeps.
struct Walk {
    cfg: Config,
    spec: Spec,
    validators: Validators,
    client: reqwest::Client,
    api: String,
    token: String,
    scopeless: String,
    failures: Vec<Failure>,
    known: Vec<(usize, Failure)>,
    /// Bodies validated, per route.
    bodies: BTreeMap<String, usize>,
    visited: HashSet<String>,
    local_entries: usize,
    episode_entries: usize,
}

impl Walk {
    fn fail(&mut self, route: &Route, url: &str, status: u16, violation: Violation) {
        let failure = Failure {
            route: key(route),
            url: url.to_owned(),
            status,
            violation,
        };
        let known = KNOWN_SANDBOX_BUGS.iter().position(|b| {
            b.configs.contains(&self.cfg.name)
                && b.route == failure.route
                && pointer_matches(b.instance, &failure.violation.instance_path)
                && failure.violation.schema_path.ends_with(b.keyword)
        });
        match known {
            Some(i) => self.known.push((i, failure)),
            None => self.failures.push(failure),
        }
    }

    /// A failure that is not a schema violation; `what` stands in for the schema path (`status`,
    /// `body`, `json`, `error.status`, `paging`).
    fn note(&mut self, route: &Route, url: &str, status: u16, what: &str, message: String) {
        self.fail(
            route,
            url,
            status,
            Violation {
                instance_path: String::new(),
                schema_path: what.to_owned(),
                message,
                snippet: String::new(),
            },
        );
    }

    /// Sends `route.method url` (absolute, or below `/v1`; with `body` as JSON), checks the status
    /// against `expect` and validates the answer: 2xx against the operation's documented answer for
    /// that status (a schema, or no body), errors against the error envelope. Returns the body of a
    /// 200.
    async fn check(
        &mut self,
        route: &Route,
        url: &str,
        body: Option<&Body>,
        token: Option<&str>,
        expect: &[u16],
    ) -> Option<Value> {
        let url = if url.starts_with("http") {
            url.to_owned()
        } else {
            format!("{}{url}", self.api)
        };
        let method =
            reqwest::Method::from_bytes(route.method.as_bytes()).expect("a valid HTTP method");
        let mut request = self.client.request(method, &url);
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        match body {
            Some(Body::Json(b)) => request = request.json(b),
            Some(Body::Raw(text)) => {
                request = request.header("content-type", "image/jpeg").body(*text);
            }
            None => {}
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => {
                self.note(route, &url, 0, "request", format!("request failed: {e}"));
                return None;
            }
        };
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        if !expect.contains(&status) {
            self.note(
                route,
                &url,
                status,
                "status",
                format!(
                    "status {status}, expected one of {expect:?}: {}",
                    shorten(&text, 300)
                ),
            );
        }
        let validator = if (200..300).contains(&status) {
            self.validators
                .success(&self.spec, route.method, route.spec, status, self.cfg.mode)
        } else {
            self.validators.error(&self.spec, status).map(Some)
        };
        let validator = match validator {
            Ok(Some(v)) => v,
            Ok(None) => {
                // The spec documents this answer without a body.
                *self.bodies.entry(key(route)).or_default() += 1;
                if !text.trim().is_empty() {
                    self.note(
                        route,
                        &url,
                        status,
                        "body",
                        format!(
                            "the spec documents no body for {status}, got: {}",
                            shorten(&text, 300)
                        ),
                    );
                }
                return None;
            }
            Err(e) => {
                self.note(route, &url, status, "status", e);
                return None;
            }
        };
        let body: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                self.note(
                    route,
                    &url,
                    status,
                    "json",
                    format!("body is not JSON ({e}): {}", shorten(&text, 300)),
                );
                return None;
            }
        };
        *self.bodies.entry(key(route)).or_default() += 1;
        for v in openapi::violations(&validator, &body) {
            self.fail(route, &url, status, v);
        }
        if status >= 400 {
            if body.pointer("/error/status").and_then(Value::as_u64) != Some(u64::from(status)) {
                self.note(
                    route,
                    &url,
                    status,
                    "error.status",
                    format!("error.status differs from the HTTP status {status}"),
                );
            }
            return None;
        }
        count_entries(&body, &mut self.local_entries, &mut self.episode_entries);
        (status == 200).then_some(body)
    }

    /// Walks the pages of the paging objects in `body` (the body itself, or its members for
    /// `/search` and `/me/following`).
    async fn follow(&mut self, route: &Route, body: &Value, follow: Follow) {
        let pages: Vec<Value> = if is_page(body) {
            vec![body.clone()]
        } else {
            body.as_object()
                .into_iter()
                .flatten()
                .map(|(_, v)| v)
                .filter(|v| is_page(v))
                .cloned()
                .collect()
        };
        for page in pages {
            if page.get("cursors").is_some() {
                self.follow_cursor(route, &page).await;
            } else {
                self.follow_offset(route, &page, follow).await;
            }
        }
    }

    async fn get_page(&mut self, route: &Route, url: &str) -> Option<Value> {
        if !self.visited.insert(url.to_owned()) {
            return None;
        }
        let token = self.token.clone();
        self.check(route, url, None, Some(&token), &[200]).await
    }

    async fn follow_offset(&mut self, route: &Route, first: &Value, follow: Follow) {
        let href = first["href"].as_str().unwrap_or_default().to_owned();
        let total = first["total"].as_u64().unwrap_or(0);
        let limit = first["limit"].as_u64().unwrap_or(1).max(1);
        // Search takes offsets up to 1000 only.
        let max_offset = if route.path == "/search" {
            1000
        } else {
            u64::MAX
        };
        let mut next = first["next"].as_str().map(str::to_owned);
        let mut pages = 0;
        while let Some(url) = next.take() {
            let Some(page) = self.get_page(route, &url).await else {
                break;
            };
            pages += 1;
            if follow == Follow::Sample || pages > 200 {
                break;
            }
            next = page["next"].as_str().map(str::to_owned);
        }
        if follow == Follow::Sample && total > 0 {
            let last = (total - 1) / limit * limit;
            if last <= max_offset
                && let Some(url) = with_query(&href, "offset", &last.to_string())
                && let Some(page) = self.get_page(route, &url).await
                && !page["next"].is_null()
            {
                self.note(
                    route,
                    &url,
                    200,
                    "paging",
                    "the last page has a `next`".into(),
                );
            }
        }
        let past = (total + limit).min(max_offset);
        if past >= total
            && let Some(url) = with_query(&href, "offset", &past.to_string())
            && let Some(page) = self.get_page(route, &url).await
            && page["items"].as_array().is_some_and(|i| !i.is_empty())
        {
            self.note(
                route,
                &url,
                200,
                "paging",
                "a page past the end has items".into(),
            );
        }
    }

    async fn follow_cursor(&mut self, route: &Route, first: &Value) {
        let href = first["href"].as_str().unwrap_or_default().to_owned();
        let mut next = first["next"].as_str().map(str::to_owned);
        let mut pages = 0;
        while let Some(url) = next.take() {
            let Some(page) = self.get_page(route, &url).await else {
                break;
            };
            pages += 1;
            if pages > 200 {
                break;
            }
            next = page["next"].as_str().map(str::to_owned);
        }
        // Past the end: a cursor beyond every item.
        let past = if route.path == "/me/player/recently-played" {
            with_query(&href, "before", "1")
        } else {
            with_query(&href, "after", "zzzzzzzzzzzzzzzzzzzzzz")
        };
        if let Some(url) = past {
            self.get_page(route, &url).await;
        }
    }

    /// The error checks of a route, derived from its first request and its spec operation.
    async fn errors(&mut self, route: &Route, base: &Req) {
        let removed = route.dev_removed && self.cfg.mode == Mode::Dev;
        let token = self.token.clone();
        let body = base.body.as_ref();
        // 401: no token, a garbage token.
        self.check(route, &base.url, body, None, &[401]).await;
        self.check(route, &base.url, body, Some("not-a-real-token"), &[401])
            .await;
        // A token without scopes: the answer if the route needs none, else 403.
        let scopeless = self.scopeless.clone();
        let mut accept = base.expect.to_vec();
        accept.push(403);
        self.check(route, &base.url, body, Some(&scopeless), &accept)
            .await;
        // Malformed and unknown ids.
        let param = route
            .path
            .split('/')
            .find(|s| s.starts_with('{'))
            .map(str::to_owned);
        if let Some(param) = param {
            let (bad, unknown): (&[u16], &[u16]) = if removed {
                (&[403], &[403])
            } else {
                (&[400], &[404])
            };
            // Spotify ids are base62; user and category ids are free-form.
            let base62 = param == "{id}" || param == "{playlist_id}";
            if base62 {
                let url = route.path.replace(&param, "not-base62!");
                self.check(route, &url, body, Some(&token), bad).await;
            }
            let unknown_id = if base62 {
                UNKNOWN_ID
            } else {
                "no-such-thing-here"
            };
            let url = route.path.replace(&param, unknown_id);
            // Writing for another (unknown) user is forbidden before it is not found.
            let unknown: &[u16] = if !base62 && route.method != "GET" && !removed {
                &[403, 404]
            } else {
                unknown
            };
            self.check(route, &url, body, Some(&token), unknown).await;
        }
        // Out-of-range limits, where the operation pages.
        if self.spec.has_query_param(route.method, route.spec, "limit") {
            let expect: &[u16] = if removed { &[403] } else { &[400] };
            for limit in ["0", "1000", "ten"] {
                if let Some(url) = with_query(&format!("{}{}", self.api, base.url), "limit", limit)
                {
                    self.check(route, &url, body, Some(&token), expect).await;
                }
            }
        }
    }
}

/// Whether `v` is a paging object.
fn is_page(v: &Value) -> bool {
    v.get("items").is_some_and(Value::is_array) && v.get("href").is_some()
}

/// Counts playlist entries that are local files and episodes, so the walk proves it saw them.
fn count_entries(v: &Value, local: &mut usize, episodes: &mut usize) {
    match v {
        Value::Object(m) => {
            if m.contains_key("added_at") && m.contains_key("is_local") {
                if m["is_local"] == Value::Bool(true) {
                    *local += 1;
                }
                let item = m.get("item").or_else(|| m.get("track"));
                if item.and_then(|i| i.get("type")) == Some(&Value::from("episode")) {
                    *episodes += 1;
                }
            }
            m.values().for_each(|x| count_entries(x, local, episodes));
        }
        Value::Array(a) => a.iter().for_each(|x| count_entries(x, local, episodes)),
        _ => {}
    }
}

/// `url` with the query parameter `key` set to `value` (other parameters kept, in order).
fn with_query(url: &str, key: &str, value: &str) -> Option<String> {
    let mut u = Url::parse(url).ok()?;
    let mut pairs: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| k != key)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.push((key.to_owned(), value.to_owned()));
    u.query_pairs_mut().clear().extend_pairs(pairs);
    Some(u.to_string())
}

/// GET with the demo token, for finding ids (the walk validates these answers later).
async fn fetch(client: &reqwest::Client, url: &str, token: &str) -> Value {
    let response = client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    assert!(status.is_success(), "GET {url}: {status}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {url}: not JSON ({e}): {text}"))
}

/// The `id`s at `pointer` of each item of a paging object.
fn item_ids(page: &Value, pointer: &str) -> Vec<String> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i.pointer(pointer).and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

/// Up to `n` distinct values, keeping order.
fn distinct(list: impl IntoIterator<Item = String>, n: usize) -> Vec<String> {
    let mut seen = BTreeSet::new();
    list.into_iter()
        .filter(|x| seen.insert(x.clone()))
        .take(n)
        .collect()
}

/// Finds ids to walk with in the running sandbox.
async fn find_ids(sandbox: &RunningSandbox, client: &reqwest::Client, token: &str) -> Ids {
    let api = sandbox.api_url();
    let catalog = fetch(
        client,
        &format!("{}/_sandbox/catalog", sandbox.url()),
        token,
    )
    .await;
    let playlists: Vec<PlaylistInfo> = catalog
        .pointer("/users/demo/playlists")
        .and_then(Value::as_array)
        .expect("GET /_sandbox/catalog has users.demo.playlists")
        .iter()
        .map(|p| PlaylistInfo {
            id: p["id"].as_str().unwrap_or_default().to_owned(),
            owner: p["owner"].as_str().unwrap_or_default().to_owned(),
            public: p["public"].as_bool().unwrap_or(false),
            collaborative: p["collaborative"].as_bool().unwrap_or(false),
        })
        .collect();
    let other_user = playlists
        .iter()
        .map(|p| p.owner.clone())
        .find(|o| o != "demo")
        .expect("the demo user follows a playlist of another user");
    let owned = playlists
        .iter()
        .find(|p| p.owner == "demo")
        .expect("the demo user owns a playlist")
        .id
        .clone();
    let others_public = playlists
        .iter()
        .find(|p| p.owner != "demo" && p.public)
        .expect("the demo user follows a public playlist of another user")
        .id
        .clone();
    let devices = fetch(client, &format!("{api}/me/player/devices"), token).await;
    let devices: Vec<String> = devices["devices"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str().map(str::to_owned))
        .collect();
    assert!(!devices.is_empty(), "the demo user has no Connect devices");
    // Browse is Extended-Quota only; in dev mode any id gets the 403.
    let category = match client
        .get(format!("{api}/browse/categories?limit=1"))
        .bearer_auth(token)
        .send()
        .await
    {
        Ok(r) if r.status().is_success() => r
            .json::<Value>()
            .await
            .ok()
            .and_then(|v| {
                v.pointer("/categories/items/0/id")?
                    .as_str()
                    .map(str::to_owned)
            })
            .unwrap_or_default(),
        _ => "toplists".to_owned(),
    };
    let tracks = fetch(client, &format!("{api}/me/tracks?limit=50"), token).await;
    let albums = fetch(client, &format!("{api}/me/albums?limit=50"), token).await;
    // One album of each type and release-date precision, then the first ones.
    let mut album_ids = Vec::new();
    let mut shapes = BTreeSet::new();
    for a in albums["items"].as_array().into_iter().flatten() {
        let a = &a["album"];
        let shape = (
            a["album_type"].to_string(),
            a["release_date_precision"].to_string(),
        );
        if shapes.insert(shape) {
            album_ids.push(a["id"].as_str().unwrap_or_default().to_owned());
        }
    }
    album_ids.extend(item_ids(&albums, "/album/id"));
    let shows = fetch(client, &format!("{api}/me/shows?limit=50"), token).await;
    let episodes = fetch(client, &format!("{api}/me/episodes?limit=50"), token).await;
    let audiobooks = fetch(client, &format!("{api}/me/audiobooks?limit=50"), token).await;
    let audiobook_ids = distinct(item_ids(&audiobooks, "/audiobook/id"), 2);
    let mut chapters = Vec::new();
    for b in &audiobook_ids {
        let page = fetch(
            client,
            &format!("{api}/audiobooks/{b}/chapters?limit=2"),
            token,
        )
        .await;
        chapters.extend(item_ids(&page, "/id"));
    }
    let ids = Ids {
        tracks: distinct(item_ids(&tracks, "/track/id"), 3),
        albums: distinct(album_ids, 6),
        artists: distinct(
            tracks["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t.pointer("/track/artists/0/id").and_then(Value::as_str))
                .map(str::to_owned),
            3,
        ),
        shows: distinct(item_ids(&shows, "/show/id"), 2),
        episodes: distinct(item_ids(&episodes, "/episode/id"), 2),
        audiobooks: audiobook_ids,
        chapters: distinct(chapters, 3),
        playlists,
        other_user,
        owned,
        others_public,
        devices,
        category,
    };
    for (what, list) in [
        ("saved tracks", &ids.tracks),
        ("saved albums", &ids.albums),
        ("artists", &ids.artists),
        ("saved shows", &ids.shows),
        ("saved episodes", &ids.episodes),
        ("saved audiobooks", &ids.audiobooks),
        ("chapters", &ids.chapters),
    ] {
        assert!(
            !list.is_empty(),
            "the seed-3 catalogue has no {what}: the walk needs at least one (change the seed)"
        );
    }
    ids
}

/// Starts a sandbox for `cfg`, walks every route and asserts that every body matched the spec.
async fn walk(cfg: Config) {
    let Some(spec) = Spec::load() else {
        return; // no conformance data: skipped, and said so
    };
    let sandbox = Sandbox::builder()
        .seed(3)
        .liked(120)
        .mode(cfg.mode)
        .transition(cfg.transition)
        .start()
        .await
        .expect("the sandbox starts");
    let token = sandbox
        .token("demo", spotkit_sandbox::tokens::ALL_SCOPES)
        .await
        .expect("a token with every scope")
        .access_token;
    let scopeless = sandbox
        .token("demo", &[])
        .await
        .expect("a token without scopes")
        .access_token;
    let _ = rustls::crypto::ring::default_provider().install_default();
    #[allow(clippy::disallowed_methods)] // the provider is installed just above
    let client = reqwest::Client::new();
    let ids = find_ids(&sandbox, &client, &token).await;
    let mut w = Walk {
        cfg,
        spec,
        validators: Validators::default(),
        client,
        api: sandbox.api_url(),
        token: token.clone(),
        scopeless,
        failures: Vec::new(),
        known: Vec::new(),
        bodies: BTreeMap::new(),
        visited: HashSet::new(),
        local_entries: 0,
        episode_entries: 0,
    };
    let plans: Vec<Vec<Req>> = ROUTES
        .iter()
        .map(|r| (r.requests)(&ids, cfg.mode))
        .collect();
    for phase in 0..PHASES {
        for (route, requests) in ROUTES.iter().zip(&plans) {
            let mut first = None;
            for req in requests.iter().filter(|r| r.phase == phase) {
                first.get_or_insert(req);
                let url = format!("{}{}", w.api, req.url);
                w.visited.insert(url.clone());
                let body = w
                    .check(route, &url, req.body.as_ref(), Some(&token), req.expect)
                    .await;
                if let (Some(body), true) = (body, req.follow != Follow::No) {
                    w.follow(route, &body, req.follow).await;
                }
            }
            // The error checks run once, after the route's earliest phase.
            let earliest = requests.iter().map(|r| r.phase).min();
            if let Some(base) = first
                && earliest == Some(phase)
            {
                w.errors(route, base).await;
            }
        }
    }
    for (route, requests) in ROUTES.iter().zip(&plans) {
        if requests.is_empty() {
            w.note(
                route,
                route.path,
                0,
                "walk",
                "no requests: nothing walked".into(),
            );
        }
    }

    let total: usize = w.bodies.values().sum();
    println!(
        "[{}] {} bodies validated over {} routes ({} local-file and {} episode playlist entries):",
        cfg.name,
        total,
        w.bodies.len(),
        w.local_entries,
        w.episode_entries
    );
    for (route, n) in &w.bodies {
        println!("    {n:>5}  {route}");
    }
    for d in openapi::SPEC_DEVIATIONS {
        println!("    relaxed: {:?} may be null: {}", d.nullable, d.why);
    }
    for (m, p, status, why) in openapi::UNDOCUMENTED_ANSWERS {
        println!("    accepted: {m} {p} → {status}: {why}");
    }
    for (i, bug) in KNOWN_SANDBOX_BUGS.iter().enumerate() {
        let hits: Vec<&Failure> = w
            .known
            .iter()
            .filter(|(k, _)| *k == i)
            .map(|(_, f)| f)
            .collect();
        if let Some(first) = hits.first() {
            println!(
                "[{}] known sandbox bug, {} violation(s): {}\n    first: {first}",
                cfg.name,
                hits.len(),
                bug.bug
            );
        }
    }
    let mut problems: Vec<String> = w.failures.iter().map(ToString::to_string).collect();
    for route in ROUTES {
        if !w.bodies.contains_key(&key(route)) {
            problems.push(format!("{}: no answer was validated", key(route)));
        }
    }
    // The relaxed local-file variant must be exercised, and playlist episodes seen, where the
    // configuration can see every playlist's items.
    if cfg.mode == Mode::Extended && (w.local_entries == 0 || w.episode_entries == 0) {
        problems.push(format!(
            "the walk saw {} local-file and {} episode playlist entries; the seed-3 catalogue \
             should have both",
            w.local_entries, w.episode_entries
        ));
    }
    for (i, bug) in KNOWN_SANDBOX_BUGS.iter().enumerate() {
        if bug.configs.contains(&cfg.name) && !w.known.iter().any(|(k, _)| *k == i) {
            problems.push(format!(
                "KNOWN_SANDBOX_BUGS entry for {} {} ({}) matched nothing in {}: fixed? delete it",
                bug.route, bug.instance, bug.bug, cfg.name
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "[{}] {} response(s) do not match the OpenAPI spec:\n\n{}\n",
        cfg.name,
        problems.len(),
        problems.join("\n\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_mode_bodies_match_the_spec() {
    walk(DEV).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extended_mode_bodies_match_the_spec() {
    walk(EXTENDED).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_transition_bodies_match_the_spec() {
    walk(DEV_TRANSITION).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extended_transition_bodies_match_the_spec() {
    walk(EXTENDED_TRANSITION).await;
}

/// Every route served under `/v1` has a row in [`ROUTES`], every row is served, and every row's
/// operation is in the spec with a JSON success schema.
#[test]
fn every_served_route_is_in_the_table() {
    let served = served::served_routes().unwrap_or_else(|e| panic!("{e}"));
    let table: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    assert_eq!(
        table.len(),
        ROUTES.len(),
        "ROUTES has duplicate (method, path) rows"
    );
    let missing: Vec<String> = served
        .difference(&table)
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    let stale: Vec<String> = table
        .difference(&served)
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "the sandbox serves routes the schema test does not walk: {missing:?}; add a row to ROUTES \
         in crates/spotkit-sandbox/tests/schema/routes.rs (spec path and the requests to make)"
    );
    assert!(
        stale.is_empty(),
        "ROUTES has rows for routes src/api/ no longer serves: {stale:?}"
    );
    let Some(spec) = Spec::load() else {
        return; // no conformance data: skipped, and said so
    };
    for r in ROUTES {
        let schema = spec
            .success_status(r.method, r.spec)
            .and_then(|status| spec.response_schema(r.method, r.spec, status))
            .unwrap_or_else(|e| panic!("ROUTES row {} {}: {e}", r.method, r.path));
        for mode in [Mode::Dev, Mode::Extended] {
            if let Some(schema) = schema
                && let Err(e) = spec.validator(schema, mode)
            {
                panic!("{} {} ({}): {e}", r.method, r.spec, mode.as_str());
            }
        }
    }
}

#[test]
fn pointer_patterns() {
    assert!(pointer_matches("/items/*/type", "/items/3/type"));
    assert!(!pointer_matches("/items/*/type", "/items/3/item/type"));
    assert!(pointer_matches("/**/type", "/items/3/item/type"));
    assert!(pointer_matches("/**", ""));
}

/// The conversion keeps what the spec says: nullable, mode-aware `required`, local-file relaxation.
#[test]
fn conversion_rules() {
    use serde_json::json;
    let Some(spec) = Spec::load() else {
        return; // no conformance data: skipped, and said so
    };
    let album = json!({ "$ref": "#/components/schemas/AlbumObject" });
    let dev = spec.validator(&album, Mode::Dev).expect("compiles");
    let extended = spec.validator(&album, Mode::Extended).expect("compiles");
    let body = json!({
        "album_type": "album", "total_tracks": 0, "external_urls": {}, "href": "h", "id": "i",
        "images": [{ "url": "u", "height": null, "width": null }], "name": "n", "release_date": "2001",
        "release_date_precision": "year", "type": "album", "uri": "u", "artists": [],
        "tracks": { "href": "h", "items": [], "limit": 1, "next": null, "offset": 0, "previous": null, "total": 0 },
        "copyrights": [], "external_ids": {},
    });
    assert!(dev.is_valid(&body), "dev: deprecated members are optional");
    let missing: BTreeSet<String> = extended.iter_errors(&body).map(|e| e.to_string()).collect();
    for member in ["available_markets", "genres", "label", "popularity"] {
        assert!(
            missing.iter().any(|m| m.contains(member)),
            "extended: {member} is required ({missing:?})"
        );
    }
    let mut wrong = body.clone();
    wrong["release_date_precision"] = json!("week");
    assert!(!dev.is_valid(&wrong), "enums are checked");
    wrong["release_date_precision"] = Value::Null;
    assert!(!dev.is_valid(&wrong), "non-nullable members reject null");

    let page = json!({ "$ref": "#/components/schemas/PagingPlaylistTrackObject" });
    let v = spec.validator(&page, Mode::Dev).expect("compiles");
    let local = json!({ "added_at": "2020-01-01T00:00:00Z", "is_local": true, "item": {
        "album": { "album_type": null, "href": null, "id": null, "images": [], "name": "A", "type": "album", "uri": null },
        "artists": [{ "href": null, "id": null, "name": "B", "type": "artist", "uri": null }],
        "href": null, "id": null, "is_local": true, "name": "C", "type": "track", "uri": "spotify:local:B:A:C:1" } });
    let mut p = json!({ "href": "h", "items": [local], "limit": 1, "next": null, "offset": 0, "previous": null, "total": 1 });
    assert!(v.is_valid(&p), "local files: null ids are fine");
    p["items"][0]["is_local"] = json!(false);
    assert!(!v.is_valid(&p), "null ids are not fine for Spotify tracks");
    p["items"][0]["is_local"] = json!(true);
    p["items"][0]["added_at"] = json!("yesterday");
    assert!(!v.is_valid(&p), "entry members of local files stay strict");
}
