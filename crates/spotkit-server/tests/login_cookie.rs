//! Issue #18 (Low): `GET /login` must not end the session a browser has. The login in progress
//! has its own short-lived cookie; the session cookie is replaced only when `/callback`
//! succeeds (and then by a new id, the old session ending).

mod common;

use common::*;

async fn me_with(client: &reqwest::Client, server: &TestServer) -> u16 {
    client
        .get(format!("{}/me", server.url))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// `name=value` of the `Set-Cookie` named `name`.
fn pair(cookies: &[String], name: &str) -> Option<String> {
    cookies
        .iter()
        .map(|c| c.split(';').next().unwrap().to_owned())
        .find(|p| p.starts_with(&format!("{name}=")))
}

#[tokio::test]
async fn starting_a_login_keeps_the_session_until_the_callback_succeeds() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let client = browser_login(&server, "demo").await;
    assert_eq!(me_with(&client, &server).await, 200);

    // A login started (by a link another site planted, or a second tab) and never finished.
    let r = client
        .get(format!("{}/login", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let set = cookies(&r);
    assert!(pair(&set, "spotkit_session").is_none(), "{set:?}");
    assert!(pair(&set, "spotkit_login").is_some(), "{set:?}");
    assert_eq!(
        me_with(&client, &server).await,
        200,
        "the session survives /login"
    );

    // A mobile login in the same browser leaves the session alone too, start to end.
    let r = client
        .get(format!("{}/login", server.url))
        .query(&[
            ("redirect_uri", "com.example.app://callback"),
            (
                "code_challenge",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let back = consent(&client, &location(&r), "demo").await;
    let r = client.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 302);
    assert!(location(&r).starts_with("com.example.app://callback?code="));
    assert!(pair(&cookies(&r), "spotkit_session").is_none());
    assert_eq!(me_with(&client, &server).await, 200);

    // Finishing a browser login replaces the session: a new id, the old one ends.
    let plain = browser();
    let r = plain
        .get(format!("{}/login", server.url))
        .send()
        .await
        .unwrap();
    let back = consent(&plain, &location(&r), "demo").await;
    let first = plain.get(&back).send().await.unwrap();
    assert_eq!(first.status(), 302);
    let old = pair(&cookies(&first), "spotkit_session").unwrap();
    let r = plain
        .get(format!("{}/login", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(me_with(&plain, &server).await, 200);
    let back = consent(&plain, &location(&r), "demo").await;
    let second = plain.get(&back).send().await.unwrap();
    assert_eq!(second.status(), 302);
    let set = cookies(&second);
    let new = pair(&set, "spotkit_session").unwrap();
    assert_ne!(new, old);
    assert_eq!(
        pair(&set, "spotkit_login").as_deref(),
        Some("spotkit_login="),
        "the login cookie is cleared: {set:?}"
    );
    let status_of = |cookie: String| {
        let url = format!("{}/me", server.url);
        async move {
            spotkit::http::client()
                .unwrap()
                .get(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(status_of(old.clone()).await, 401, "the old session ended");
    assert_eq!(status_of(new).await, 200);
    // The login cookie's row is no session, even under the session cookie's name.
    let login_value = pair(&cookies(&r), "spotkit_login").unwrap();
    let as_session = login_value.replacen("spotkit_login", "spotkit_session", 1);
    assert_eq!(status_of(as_session).await, 401);
}
