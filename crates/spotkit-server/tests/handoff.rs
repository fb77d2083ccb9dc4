//! Issue #18 (Low): the mobile hand-off's code exchange follows RFC 6749 §4.1.3 and §10.5:
//! `redirect_uri` is required when it was given at the start, and replaying a used code revokes
//! the tokens it produced.

mod common;

use common::*;

#[tokio::test]
async fn redirect_uri_is_required_at_the_exchange() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let (code, verifier) = mobile_code(&server, "demo").await;
    let r = exchange(
        &server,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    let body = json(r).await;
    assert_eq!(body["error"]["field"], "redirect_uri", "{body}");
}

#[tokio::test]
async fn replaying_a_used_code_revokes_the_tokens_it_gave() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let (code, verifier) = mobile_code(&server, "demo").await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("code_verifier", verifier.as_str()),
        ("redirect_uri", APP),
    ];
    let r = exchange(&server, &form).await;
    assert_eq!(r.status(), 200);
    let tokens = json(r).await;
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(me_status(&server, access).await, 200);
    let replay = exchange(&server, &form).await;
    assert_eq!(replay.status(), 400);
    assert_eq!(json(replay).await["error"]["code"], "invalid_grant");
    assert_eq!(
        me_status(&server, access).await,
        401,
        "the tokens of a replayed code stay valid"
    );
    let r = refresh_api_token(&server, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn mobile_logins_always_show_spotify_s_consent_screen() {
    // A custom scheme can be claimed by any app on the device (RFC 8252 §8.6): Spotify's
    // consent screen is what tells the user which app is asking.
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let r = browser()
        .get(format!("{}/login", server.url))
        .query(&[
            ("redirect_uri", APP),
            (
                "code_challenge",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let to_spotify = url::Url::parse(&location(&r)).unwrap();
    assert!(
        to_spotify
            .query_pairs()
            .any(|(k, v)| k == "show_dialog" && v == "true"),
        "{to_spotify}"
    );
}
