//! A real headless Chromium, driven over WebDriver (chromedriver), clicks through the sandbox's
//! consent page and lands logged in on the server's home page.
//!
//! Needs Debian's `chromium` and `chromium-driver` (installed by `scripts/setup.d/30-server.sh`,
//! which also sets `SPOTKIT_REQUIRE_BROWSER=1` so that a missing browser fails the run there).

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    child: Child,
    url: String,
    http: reqwest::Client,
    session: Option<String>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Option<Driver> {
        let exe = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let Some(exe) = exe else {
            assert!(
                std::env::var_os("SPOTKIT_REQUIRE_BROWSER").is_none(),
                "SPOTKIT_REQUIRE_BROWSER is set but chromedriver is not installed"
            );
            eprintln!(
                "skipping: chromedriver is not installed (scripts/test installs chromium-driver)"
            );
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(exe)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            http: spotkit::http::client_builder()
                .unwrap()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            session: None,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = driver
                .http
                .get(format!("{}/status", driver.url))
                .send()
                .await
                && r.status().is_success()
            {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Some(driver)
    }

    async fn try_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let session = self.session.as_deref().unwrap_or("");
        let url = format!("{}/session/{session}{path}", self.url);
        let mut req = self.http.request(method, url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.map_err(|e| e.to_string())?;
        let status = r.status();
        let v: Value = r.json().await.map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(v["value"].clone())
        } else {
            Err(format!("WebDriver {path}: {status} {v}"))
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Clicks the element matching `css` once it is there. A page that is still loading can
    /// replace the element between finding and clicking it (a stale reference): find it again.
    async fn click(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let element = self.wait_for(css).await;
            match self
                .try_call(
                    reqwest::Method::POST,
                    &format!("/element/{element}/click"),
                    Some(json!({})),
                )
                .await
            {
                Ok(_) => return,
                Err(e) => assert!(Instant::now() < deadline, "clicking {css}: {e}"),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn open_session(&mut self, profile_dir: &std::path::Path) {
        let mut args = vec![
            "--headless=new".to_owned(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            format!("--user-data-dir={}", profile_dir.display()),
        ];
        // Chromium's sandbox needs user namespaces, which containers and root often lack.
        args.push("--no-sandbox".into());
        let mut options = json!({ "args": args });
        if std::path::Path::new("/usr/bin/chromium").exists() {
            options["binary"] = "/usr/bin/chromium".into();
        }
        let r = self
            .http
            .post(format!("{}/session", self.url))
            .json(&json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}}))
            .send()
            .await
            .unwrap();
        let v: Value = r.json().await.unwrap();
        let id = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {v}"));
        self.session = Some(id.to_owned());
    }

    async fn find(&self, css: &str) -> Option<String> {
        let session = self.session.as_deref().unwrap_or("");
        let r = self
            .http
            .post(format!("{}/session/{session}/element", self.url))
            .json(&json!({"using": "css selector", "value": css}))
            .send()
            .await
            .unwrap();
        if !r.status().is_success() {
            return None;
        }
        let v: Value = r.json().await.unwrap();
        v["value"][ELEMENT].as_str().map(str::to_owned)
    }

    /// The text of the element matching `css` once it is there, found again if the page
    /// replaced it in between (a stale reference), like [`Driver::click`].
    async fn text(&self, css: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let element = self.wait_for(css).await;
            match self
                .try_call(
                    reqwest::Method::GET,
                    &format!("/element/{element}/text"),
                    None,
                )
                .await
            {
                Ok(text) => return text,
                Err(e) if e.contains("stale element") && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("{e}"),
            }
        }
    }

    /// Waits until the browser is at `url`.
    async fn wait_for_url(&self, url: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let at = self.call(reqwest::Method::GET, "/url", None).await;
            if at.as_str() == Some(url) {
                return;
            }
            assert!(Instant::now() < deadline, "never reached {url} (at {at})");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_for(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(e) = self.find(css).await {
                return e;
            }
            if Instant::now() >= deadline {
                let url = self.try_call(reqwest::Method::GET, "/url", None).await;
                panic!("{css} never appeared (at {url:?})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headless_chromium_clicks_through_consent_and_lands_logged_in() {
    let Some(mut driver) = Driver::start().await else {
        return;
    };
    let sandbox = common::sandbox().await;
    let server = common::server(&sandbox).await;
    let profile = tempfile::tempdir().unwrap();
    driver.open_session(profile.path()).await;

    driver
        .call(
            reqwest::Method::POST,
            "/url",
            Some(json!({"url": format!("{}/", server.url)})),
        )
        .await;
    driver.click("#login").await;
    // The sandbox's consent page (on another origin): click "Agree".
    driver.wait_for("#approve").await;
    let consent_url = driver.call(reqwest::Method::GET, "/url", None).await;
    assert!(
        consent_url.as_str().unwrap().starts_with(sandbox.url()),
        "{consent_url}"
    );
    driver.click("#approve").await;
    // The consent page has a `#user` too (its account picker): read the app's only once the
    // browser is back on the app (reading it at once raced the navigation and failed once).
    driver.wait_for_url(&format!("{}/", server.url)).await;
    let text = driver.text("#user").await;
    assert_eq!(text, "Demo Listener");
    let cookies = driver.call(reqwest::Method::GET, "/cookie", None).await;
    let session = cookies
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "spotkit_session")
        .unwrap_or_else(|| panic!("no session cookie: {cookies}"));
    assert_eq!(session["httpOnly"], true);
    assert_eq!(session["sameSite"], "Lax");
    // Script cannot read it (HttpOnly).
    let seen = driver
        .call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": "return document.cookie", "args": []})),
        )
        .await;
    assert!(
        !seen.as_str().unwrap_or("").contains("spotkit_session"),
        "{seen}"
    );
    driver.call(reqwest::Method::DELETE, "", None).await;
    driver.session = None;
}
