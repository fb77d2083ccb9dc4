//! Issue #18 (Info): security headers on every response, and nothing per-user cached.

mod common;

use common::*;

#[tokio::test]
async fn every_response_has_the_security_headers_and_is_not_cached() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let tokens = mobile_tokens(&server, "demo").await;
    let api = spotkit::http::client().unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let responses = [
        (
            "/me",
            api.get(format!("{}/me", server.url)).bearer_auth(access),
        ),
        ("/docs", api.get(format!("{}/docs", server.url))),
        ("/", api.get(format!("{}/", server.url))),
        ("/me (401)", api.get(format!("{}/me", server.url))),
        ("/nowhere", api.get(format!("{}/nowhere", server.url))),
    ];
    for (what, request) in responses {
        let r = request.send().await.unwrap();
        let h = r.headers();
        let get = |name: &str| h.get(name).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(
            get("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{what}"
        );
        assert_eq!(get("x-frame-options").as_deref(), Some("DENY"), "{what}");
        let csp = get("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'none'"), "{what}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
        assert_eq!(
            get("referrer-policy").as_deref(),
            Some("no-referrer"),
            "{what}"
        );
        assert_eq!(get("cache-control").as_deref(), Some("no-store"), "{what}");
    }
}
