//! The browser login over real HTTP with a cookie jar, against the sandbox.

mod common;

use common::*;

#[tokio::test]
async fn browser_login_fetches_profile_playlists_and_logs_out() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let client = browser();

    // /login: a short-lived login cookie (not the session's) and a redirect to Spotify with
    // state and PKCE.
    let r = client
        .get(format!("{}/login", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let pre_login_cookie = set_cookie(&r).unwrap();
    assert!(
        pre_login_cookie.starts_with("spotkit_login="),
        "{pre_login_cookie}"
    );
    assert!(
        pre_login_cookie.contains("HttpOnly") && pre_login_cookie.contains("SameSite=Lax"),
        "{pre_login_cookie}"
    );
    let authorize = location(&r);
    let url = url::Url::parse(&authorize).unwrap();
    assert!(
        authorize.starts_with(&format!("{}/authorize?", sandbox.url())),
        "{authorize}"
    );
    let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(q["client_id"], "spotkit-demo");
    assert_eq!(q["redirect_uri"], format!("{}/callback", server.url));
    assert_eq!(q["code_challenge_method"], "S256");
    assert!(q["state"].len() >= 22);

    // Spotify's consent page, then the callback with the jar's cookie.
    let back = consent(&client, &authorize, "demo").await;
    let r = client.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 302, "{:?}", r.text().await);
    assert_eq!(location(&r), "/");
    let session_cookie = set_cookie(&r).unwrap();
    let value = |c: &str| c.split(';').next().unwrap().to_owned();
    assert_ne!(
        value(&session_cookie),
        value(&pre_login_cookie),
        "the session id is rotated at login"
    );

    // The code was single-use: replaying the callback is refused without a redirect.
    let again = client.get(&back).send().await.unwrap();
    assert_eq!(again.status(), 400);
    assert_eq!(json(again).await["error"]["code"], "login_session_missing");

    let me = json(
        client
            .get(format!("{}/me", server.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me["id"], "demo");
    assert_eq!(me["auth"], "session");
    assert_eq!(me["display_name"], "Demo Listener");
    assert!(me["token_expires_at"].as_i64().unwrap() > spotkit_server::db::now());
    let csrf = me["csrf_token"].as_str().unwrap().to_owned();

    // The home page shows who is logged in.
    let home = client
        .get(&server.url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("data-user-id=\"demo\""), "{home}");

    // Every playlist, every page: compare with the sandbox's own totals.
    let catalog = json(
        spotkit::http::client()
            .unwrap()
            .get(format!("{}/_sandbox/catalog", sandbox.url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let lists = json(
        client
            .get(format!("{}/playlists", server.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let total = lists["total"].as_u64().unwrap();
    assert!(total >= 12, "{lists}");
    assert_eq!(lists["items"].as_array().unwrap().len() as u64, total);
    let first = &lists["items"][0];
    let id = first["id"].as_str().unwrap();
    let detail = json(
        client
            .get(format!("{}/playlists/{id}", server.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(detail["id"], id);
    assert_eq!(
        detail["total"].as_u64(),
        first["total"].as_u64(),
        "{detail}"
    );
    assert_eq!(
        detail["items"].as_array().unwrap().len() as u64,
        detail["total"].as_u64().unwrap()
    );
    let _ = catalog;

    // Writes with the cookie need the CSRF token.
    let r = client
        .post(format!("{}/logout", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(json(r).await["error"]["code"], "csrf_failed");
    let r = client
        .post(format!("{}/logout", server.url))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = client
        .get(format!("{}/me", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body = json(r).await;
    assert_eq!(body["error"]["code"], "unauthenticated");
    assert_eq!(body["error"]["status"], 401);
}

#[tokio::test]
async fn callback_rejects_a_foreign_state_and_a_missing_session() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let client = browser();
    let r = client
        .get(format!("{}/login", server.url))
        .send()
        .await
        .unwrap();
    let authorize = location(&r);
    let back = consent(&client, &authorize, "demo").await;
    let forged = url::Url::parse(&back).unwrap();
    let code: String = forged
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let r = client
        .get(format!(
            "{}/callback?code={code}&state=not-the-state",
            server.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body = json(r).await;
    assert_eq!(body["error"]["code"], "login_failed");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("state"),
        "{body}"
    );
    // Another browser (no session cookie) cannot complete someone's login.
    let stranger = browser();
    let r = stranger.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(json(r).await["error"]["code"], "login_session_missing");
}

#[tokio::test]
async fn a_denied_consent_is_a_clear_error() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let client = browser();
    let r = client
        .get(format!("{}/login", server.url))
        .send()
        .await
        .unwrap();
    let authorize = url::Url::parse(&location(&r)).unwrap();
    let mut form: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
    form.push(("decision".into(), "deny".into()));
    let r = client
        .post(authorize.join("/authorize/decision").unwrap())
        .form(&form)
        .send()
        .await
        .unwrap();
    let back = location(&r);
    let r = client.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let body = json(r).await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("denied"),
        "{body}"
    );
}
