//! Shared helpers: a sandbox, a server bound to 127.0.0.1:0 on a fresh database, and a
//! cookie-jar browser that clicks through the sandbox's consent page; [`postgres`]: a private
//! PostgreSQL server.
#![allow(dead_code)]

pub mod postgres;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use spotkit_sandbox::{RunningSandbox, Sandbox};
use spotkit_server::{AppState, Config};

/// The app redirect URI on the test server's allowlist.
pub const APP: &str = "com.example.app://callback";

/// A track id for metadata documents.
pub const TRACK: &str = "4iV5W9uYEdYUVa79Axb7Rh";

/// Every scope the server asks for in tests.
pub const SCOPES: &[&str] = &[
    "user-read-private",
    "user-read-email",
    "playlist-read-private",
    "playlist-read-collaborative",
    "playlist-modify-private",
    "playlist-modify-public",
];

pub async fn sandbox() -> RunningSandbox {
    Sandbox::builder()
        .seed(8)
        .playlists(12)
        .start()
        .await
        .unwrap()
}

/// A server under test.
pub struct TestServer {
    pub url: String,
    pub state: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    _dir: Option<Arc<tempfile::TempDir>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A database URL in a fresh temporary directory.
pub fn sqlite_url() -> (String, Arc<tempfile::TempDir>) {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let path: PathBuf = dir.path().join("server.db");
    (format!("sqlite://{}", path.display()), dir)
}

pub const KEY_B64: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

/// The config of a server on `addr` in front of `sandbox`, plain HTTP (no `Secure` cookies).
pub fn config(sandbox: &RunningSandbox, addr: SocketAddr, database_url: &str) -> Config {
    let scopes = SCOPES
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!(
        r#"
        public_url = "http://{addr}"
        database_url = "{database_url}"
        database_max_connections = 8
        cookie_secure = false
        mobile_redirect_uris = ["{APP}"]
        [spotify]
        client_id = "spotkit-demo"
        client_secret = "spotkit-demo-secret"
        api_base_url = "{api}"
        accounts_base_url = "{accounts}"
        scopes = [{scopes}]
        [rate_limits]
        login_per_ip_per_minute = 0
        api_per_ip_per_minute = 0
        api_per_user_per_minute = 0
        [keys]
        current = "k1"
        k1 = "{KEY_B64}"
        "#,
        api = sandbox.api_url(),
        accounts = sandbox.accounts_url(),
    );
    Config::from_toml(&text, std::iter::empty()).unwrap()
}

/// Binds 127.0.0.1:0 and serves `edit(config)` on it.
pub async fn server_with(
    sandbox: &RunningSandbox,
    database_url: Option<String>,
    edit: impl FnOnce(&mut Config),
) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (url, dir) = if let Some(u) = database_url {
        (u, None)
    } else {
        let (u, d) = sqlite_url();
        (u, Some(d))
    };
    let mut config = config(sandbox, addr, &url);
    edit(&mut config);
    let state = spotkit_server::connect(config).await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn({
        let state = state.clone();
        async move {
            spotkit_server::serve(listener, state, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        }
    });
    TestServer {
        url: format!("http://{addr}"),
        state,
        stop: Some(stop),
        task: Some(task),
        _dir: dir,
    }
}

pub async fn server(sandbox: &RunningSandbox) -> TestServer {
    server_with(sandbox, None, |_| {}).await
}

/// A client with a cookie jar that does not follow redirects (each hop is checked).
pub fn browser() -> reqwest::Client {
    spotkit::http::client_builder()
        .unwrap()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .unwrap_or_else(|| panic!("no Location in a {} response", r.status()))
        .to_str()
        .unwrap()
        .to_owned()
}

pub fn set_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
}

/// Submits the sandbox consent page for `authorize_url` as `user`, like the form's button
/// does (its hidden fields are the authorization request's parameters); returns the redirect.
pub async fn consent(client: &reqwest::Client, authorize_url: &str, user: &str) -> String {
    let page = client.get(authorize_url).send().await.unwrap();
    assert_eq!(page.status(), 200, "the sandbox consent page");
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"approve\""), "{html}");
    let url = url::Url::parse(authorize_url).unwrap();
    let mut form: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    form.push(("sandbox_user".into(), user.into()));
    form.push(("decision".into(), "approve".into()));
    let decision = url.join("/authorize/decision").unwrap();
    let r = client.post(decision).form(&form).send().await.unwrap();
    assert!(
        r.status().is_redirection(),
        "{}: {:?}",
        r.status(),
        r.text().await
    );
    location(&r)
}

/// The full browser login as `user`; returns the jar client, logged in.
pub async fn browser_login(server: &TestServer, user: &str) -> reqwest::Client {
    let client = browser();
    let r = client
        .get(format!("{}/login", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let authorize = location(&r);
    let back = consent(&client, &authorize, user).await;
    assert!(
        back.starts_with(&format!("{}/callback?", server.url)),
        "{back}"
    );
    let r = client.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 302, "{:?}", r.text().await);
    assert_eq!(location(&r), "/");
    client
}

pub async fn json(r: reqwest::Response) -> serde_json::Value {
    let status = r.status();
    let text = r.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}: not JSON ({e}): {text}"))
}

/// The `/_sandbox/stats` counters.
pub async fn stats(sandbox: &RunningSandbox) -> serde_json::Value {
    json(
        spotkit::http::client()
            .unwrap()
            .get(format!("{}/_sandbox/stats", sandbox.url()))
            .send()
            .await
            .unwrap(),
    )
    .await
}

pub async fn reset_stats(sandbox: &RunningSandbox) {
    spotkit::http::client()
        .unwrap()
        .post(format!("{}/_sandbox/reset-stats", sandbox.url()))
        .send()
        .await
        .unwrap();
}

/// The mobile hand-off as `user` with a fresh PKCE pair; returns `POST /token`'s answer.
pub async fn mobile_tokens(server: &TestServer, user: &str) -> serde_json::Value {
    let (code, verifier) = mobile_code(server, user).await;
    let r = exchange(
        server,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("code_verifier", &verifier),
            ("redirect_uri", APP),
        ],
    )
    .await;
    assert_eq!(r.status(), 200);
    json(r).await
}

/// `POST {server}/token` with `form`.
pub async fn exchange(server: &TestServer, form: &[(&str, &str)]) -> reqwest::Response {
    spotkit::http::client()
        .unwrap()
        .post(format!("{}/token", server.url))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The CSRF token of the session `client` holds, from `GET /me`.
pub async fn csrf(client: &reqwest::Client, server: &TestServer) -> String {
    json(
        client
            .get(format!("{}/me", server.url))
            .send()
            .await
            .unwrap(),
    )
    .await["csrf_token"]
        .as_str()
        .unwrap_or_else(|| panic!("GET /me gave no csrf_token: is {} logged in?", server.url))
        .to_owned()
}

/// The mobile login as `user` up to the app's redirect; returns the one-time code and the PKCE
/// verifier.
pub async fn mobile_code(server: &TestServer, user: &str) -> (String, String) {
    use spotkit::auth::{PkceChallenge, PkceVerifier};
    let app = APP;
    let verifier = PkceVerifier::random();
    let challenge = PkceChallenge::s256(&verifier);
    let client = browser();
    let r = client
        .get(format!("{}/login", server.url))
        .query(&[
            ("redirect_uri", app),
            ("code_challenge", challenge.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302, "{:?}", r.text().await);
    let back = consent(&client, &location(&r), user).await;
    let r = client.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 302, "{:?}", r.text().await);
    let to_app = url::Url::parse(&location(&r)).unwrap();
    let code = to_app
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    (code, verifier.secret().to_owned())
}

/// `POST /token` with `grant_type=refresh_token`.
pub async fn refresh_api_token(server: &TestServer, refresh: &str) -> reqwest::Response {
    exchange(
        server,
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await
}

/// The status of `GET {server}/me` with a server API token.
pub async fn me_status(server: &TestServer, access: &str) -> u16 {
    spotkit::http::client()
        .unwrap()
        .get(format!("{}/me", server.url))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}
