//! The loopback redirect for native apps (RFC 8252 §7.3), and the paste-the-URL fallback.
//!
//! [`LoopbackListener::bind`] opens a socket on `127.0.0.1` (or `[::1]`, or any bind address such
//! as `0.0.0.0` inside a container, while the redirect URI stays loopback) on a chosen or free
//! port. [`LoopbackListener::receive`] answers requests until exactly one `/callback` with the
//! right `state` arrives, shows a small "you can close this tab" page, and returns the code. It
//! never outlives its timeout. On a machine without a browser, print
//! [`AuthorizationRequest::url`], let the user open it anywhere and paste the address the browser
//! ended up at into [`parse_redirect`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use super::{AuthorizationCode, AuthorizationRequest, RedirectUri};
use crate::error::{Error, Result};

/// Where the loopback listener binds and which redirect URI it announces.
#[derive(Debug, Clone)]
pub struct LoopbackConfig {
    host: IpAddr,
    port: u16,
    bind: Option<IpAddr>,
    path: String,
}

impl Default for LoopbackConfig {
    /// `http://127.0.0.1:<free port>/callback`.
    fn default() -> Self {
        LoopbackConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            bind: None,
            path: "/callback".into(),
        }
    }
}

impl LoopbackConfig {
    /// Uses this port (it must be registered with your app, e.g. 8888); `0` picks a free one.
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Announces `http://[::1]:PORT/callback` and binds `[::1]` (unless a bind address is set).
    #[must_use]
    pub fn ipv6(mut self) -> Self {
        self.host = IpAddr::V6(Ipv6Addr::LOCALHOST);
        self
    }

    /// Binds this address instead of the loopback host (e.g. `0.0.0.0` inside Docker with a
    /// published port); the redirect URI still names the loopback host.
    #[must_use]
    pub fn bind_addr(mut self, addr: IpAddr) -> Self {
        self.bind = Some(addr);
        self
    }

    /// The callback path (default `/callback`).
    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Self {
        let mut path = path.into();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        self.path = path;
        self
    }
}

/// A bound socket waiting for the one redirect of a login.
#[derive(Debug)]
pub struct LoopbackListener {
    listener: TcpListener,
    redirect_uri: RedirectUri,
    path: String,
}

impl LoopbackListener {
    /// Binds the socket; with port 0 the OS picks a free port, which the redirect URI then names.
    pub async fn bind(config: LoopbackConfig) -> Result<Self> {
        let bind_ip = config.bind.unwrap_or(config.host);
        let listener = TcpListener::bind(SocketAddr::new(bind_ip, config.port))
            .await
            .map_err(|e| Error::Callback {
                message: format!(
                    "cannot listen on {bind_ip}:{} for the login redirect ({e}); choose another port or use the paste fallback",
                    config.port
                ),
            })?;
        let port = listener
            .local_addr()
            .map_err(|e| Error::Callback {
                message: format!("cannot read the listening port: {e}"),
            })?
            .port();
        let host = match config.host {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        let redirect_uri = RedirectUri::new(&format!("http://{host}:{port}{}", config.path))?;
        Ok(LoopbackListener {
            listener,
            redirect_uri,
            path: config.path,
        })
    }

    /// The redirect URI to register with the app and to pass to
    /// [`Auth::authorize_url`](super::Auth::authorize_url).
    pub fn redirect_uri(&self) -> &RedirectUri {
        &self.redirect_uri
    }

    /// The address the socket is bound to.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().map_err(|e| Error::Callback {
            message: format!("cannot read the listening address: {e}"),
        })
    }

    /// Serves requests until the callback for `request` arrives, then closes the socket.
    ///
    /// Other paths get a 404 and a callback with a foreign `state` gets a 400; neither ends the
    /// wait (a stray or forged request must not abort the login). A callback with the right
    /// `state` ends it: with the code, or with [`Error::Callback`] if the user denied access.
    /// After `timeout` it gives up with [`Error::Callback`].
    pub async fn receive(
        self,
        request: &AuthorizationRequest,
        timeout: Duration,
    ) -> Result<AuthorizationCode> {
        if request.redirect_uri() != &self.redirect_uri {
            return Err(Error::Config(format!(
                "the authorization request was made for {} but this listener serves {}",
                request.redirect_uri(),
                self.redirect_uri
            )));
        }
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let mut connections = FuturesUnordered::new();
        loop {
            tokio::select! {
                () = &mut deadline => {
                    return Err(Error::Callback {
                        message: format!(
                            "no browser came back to {} within {}s; start the login again, or paste the redirect URL instead",
                            self.redirect_uri,
                            timeout.as_secs()
                        ),
                    });
                }
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, _peer)) => connections.push(serve(stream, &self.path, request)),
                    Err(e) => tracing::warn!(error = %e, "accepting a loopback connection failed"),
                },
                Some(outcome) = connections.next(), if !connections.is_empty() => {
                    if let Some(result) = outcome {
                        return result;
                    }
                }
            }
        }
    }
}

/// Reads one request and answers it. `Some` ends the wait.
async fn serve(
    mut stream: TcpStream,
    path: &str,
    request: &AuthorizationRequest,
) -> Option<Result<AuthorizationCode>> {
    // Browsers open speculative connections that never send anything: do not wait on them forever.
    let Ok(Some(head)) =
        tokio::time::timeout(Duration::from_secs(10), read_head(&mut stream)).await
    else {
        return None;
    };
    let Some(target) = parse_request_line(&head) else {
        respond(
            &mut stream,
            400,
            "Bad request",
            "This server only answers Spotify's login redirect.",
        )
        .await;
        return None;
    };
    let (req_path, query) = target.split_once('?').unwrap_or((target, ""));
    if req_path != path {
        respond(
            &mut stream,
            404,
            "Not found",
            "This server only answers Spotify's login redirect.",
        )
        .await;
        return None;
    }
    if !request.state_matches(query) {
        respond(
            &mut stream,
            400,
            "Login not recognised",
            "This redirect does not belong to the login that is waiting (wrong state). Start the login again from the app.",
        )
        .await;
        tracing::warn!("ignored a loopback callback with a foreign state");
        return None;
    }
    match request.code_from_query(query) {
        Ok(code) => {
            respond(
                &mut stream,
                200,
                "Logged in",
                "spotkit received the login. You can close this tab.",
            )
            .await;
            Some(Ok(code))
        }
        Err(e) => {
            let message = e.to_string();
            respond(&mut stream, 400, "Login failed", &message).await;
            Some(Err(e))
        }
    }
}

/// Reads up to the end of the request head (at most 16 KiB).
async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") || buf.windows(2).any(|w| w == b"\n\n") {
            return String::from_utf8(buf).ok();
        }
        if buf.len() > 16 * 1024 {
            return None;
        }
    }
}

/// `GET /callback?x HTTP/1.1` → `/callback?x`.
fn parse_request_line(head: &str) -> Option<&str> {
    let line = head.lines().next()?;
    let mut parts = line.split(' ');
    let method = parts.next()?;
    let target = parts.next()?;
    let version = parts.next()?;
    (method == "GET" && version.starts_with("HTTP/1.") && target.starts_with('/')).then_some(target)
}

async fn respond(stream: &mut TcpStream, status: u16, title: &str, message: &str) {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family:sans-serif;max-width:32em;margin:4em auto\">\
         <h1>{title}</h1><p>{}</p></body></html>",
        escape_html(message)
    );
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // The browser may already be gone; the outcome does not depend on this write.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The paste fallback: takes what the user copied from the browser's address bar after the
/// login (the whole redirect URL, or just its `?code=..&state=..` part), checks `state` and
/// returns the code.
pub fn parse_redirect(pasted: &str, request: &AuthorizationRequest) -> Result<AuthorizationCode> {
    let pasted = pasted.trim();
    if pasted.is_empty() {
        return Err(Error::Callback {
            message: "nothing was pasted; copy the whole address from the browser after logging in"
                .into(),
        });
    }
    let query = if let Ok(url) = Url::parse(pasted) {
        url.query().unwrap_or_default().to_owned()
    } else if let Some((_, q)) = pasted.split_once('?') {
        q.to_owned()
    } else {
        pasted.to_owned()
    };
    request.code_from_query(&query)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::CsrfToken;

    fn request_for(uri: &RedirectUri) -> AuthorizationRequest {
        AuthorizationRequest::new(
            Url::parse("https://accounts.example/authorize").unwrap(),
            CsrfToken::new("the-state"),
            None,
            uri.clone(),
        )
    }

    async fn get(addr: SocketAddr, target: &str) -> (u16, String) {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        let status = out[9..12].parse().unwrap();
        (status, out)
    }

    #[tokio::test]
    async fn serves_one_callback_and_validates_state() {
        let listener = LoopbackListener::bind(LoopbackConfig::default())
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let uri = listener.redirect_uri().clone();
        assert_eq!(
            uri.as_str(),
            format!("http://127.0.0.1:{}/callback", addr.port())
        );
        let request = request_for(&uri);
        let client = tokio::spawn(async move {
            // An idle speculative connection must not block the real callback.
            let _idle = TcpStream::connect(addr).await.unwrap();
            let (s404, _) = get(addr, "/favicon.ico").await;
            let (s_forged, page) = get(addr, "/callback?code=evil&state=wrong").await;
            assert!(page.contains("wrong state"));
            let (s_ok, page) = get(addr, "/callback?code=the-code&state=the-state").await;
            assert!(page.contains("You can close this tab"));
            assert!(page.contains("Content-Type: text/html"));
            (s404, s_forged, s_ok)
        });
        let code = listener
            .receive(&request, Duration::from_secs(10))
            .await
            .unwrap();
        assert_eq!(code.secret(), "the-code");
        assert_eq!(client.await.unwrap(), (404, 400, 200));
        // Exactly one callback: the socket is closed now.
        assert!(TcpStream::connect(addr).await.is_err());
    }

    #[tokio::test]
    async fn denied_login_ends_with_an_error() {
        let listener = LoopbackListener::bind(LoopbackConfig::default())
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let request = request_for(listener.redirect_uri());
        let client = tokio::spawn(async move {
            get(addr, "/callback?error=access_denied&state=the-state").await
        });
        let err = listener
            .receive(&request, Duration::from_secs(10))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Callback { .. }));
        assert!(err.to_string().contains("denied"));
        let (status, page) = client.await.unwrap();
        assert_eq!(status, 400);
        assert!(page.contains("Login failed"));
    }

    #[tokio::test]
    async fn times_out_cleanly_and_frees_the_port() {
        let listener = LoopbackListener::bind(LoopbackConfig::default())
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let request = request_for(listener.redirect_uri());
        let started = std::time::Instant::now();
        let err = listener
            .receive(&request, Duration::from_millis(200))
            .await
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(err.to_string().contains("paste"), "{err}");
        // The port can be bound again at once.
        let again = LoopbackListener::bind(LoopbackConfig::default().port(addr.port()))
            .await
            .unwrap();
        assert_eq!(again.local_addr().unwrap().port(), addr.port());
    }

    #[tokio::test]
    async fn ipv6_and_bind_address() {
        let v6 = LoopbackListener::bind(LoopbackConfig::default().ipv6())
            .await
            .unwrap();
        assert!(v6.redirect_uri().as_str().starts_with("http://[::1]:"));
        let any = LoopbackListener::bind(
            LoopbackConfig::default().bind_addr(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        )
        .await
        .unwrap();
        assert!(any.local_addr().unwrap().ip().is_unspecified());
        assert!(any.redirect_uri().as_str().starts_with("http://127.0.0.1:"));
        let custom = LoopbackListener::bind(LoopbackConfig::default().path("cb"))
            .await
            .unwrap();
        assert!(custom.redirect_uri().as_str().ends_with("/cb"));
    }

    #[tokio::test]
    async fn request_for_another_uri_is_refused() {
        let listener = LoopbackListener::bind(LoopbackConfig::default())
            .await
            .unwrap();
        let other = RedirectUri::new("http://127.0.0.1:1/callback").unwrap();
        let err = listener
            .receive(&request_for(&other), Duration::from_secs(1))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)));
    }

    #[test]
    fn paste_parsing() {
        let uri = RedirectUri::new("http://127.0.0.1:8888/callback").unwrap();
        let r = request_for(&uri);
        for ok in [
            "http://127.0.0.1:8888/callback?code=c1&state=the-state",
            "  http://127.0.0.1:8888/callback?state=the-state&code=c1\n",
            "/callback?code=c1&state=the-state",
            "code=c1&state=the-state",
            "127.0.0.1:8888/callback?code=c1&state=the-state",
        ] {
            assert_eq!(parse_redirect(ok, &r).unwrap().secret(), "c1", "{ok}");
        }
        for bad in [
            "",
            "http://127.0.0.1:8888/callback?code=c1&state=nope",
            "http://127.0.0.1:8888/callback?code=c1",
            "http://127.0.0.1:8888/callback?error=access_denied&state=the-state",
            "http://127.0.0.1:8888/callback",
        ] {
            assert!(
                matches!(parse_redirect(bad, &r), Err(Error::Callback { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn request_line_and_escaping() {
        assert_eq!(
            parse_request_line("GET /callback?a=b HTTP/1.1\r\n"),
            Some("/callback?a=b")
        );
        assert_eq!(parse_request_line("POST /callback HTTP/1.1\r\n"), None);
        assert_eq!(parse_request_line("GET http://x/ HTTP/1.1\r\n"), None);
        assert_eq!(escape_html("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }
}
