//! Spotify's plain-text 403s about the app rather than the request (a Development-Mode app whose
//! owner has no Premium, a user off the app's list) become errors a program can tell apart, on
//! every endpoint, `/me` included, without a retry or a token refresh.

mod common;

use futures::TryStreamExt;
use spotkit::Error;
use spotkit_sandbox::{AppConditions, Sandbox};

use common::{count, pkce_client};

#[tokio::test]
async fn an_owner_without_premium_is_its_own_error() {
    let sandbox = Sandbox::builder()
        .seed(41)
        .liked(5)
        .app_conditions(
            "spotkit-demo",
            AppConditions {
                owner_premium: false,
                ..AppConditions::default()
            },
        )
        .start()
        .await
        .unwrap();
    let (spotify, _) = pkce_client(&sandbox).await;
    let err = spotify.users().me().send().await.unwrap_err();
    match &err {
        Error::OwnerPremiumRequired { message } => {
            assert!(
                message.starts_with("Active premium subscription required"),
                "{message}"
            );
        }
        other => panic!("expected OwnerPremiumRequired, got {other:?}"),
    }
    assert_eq!(err.status(), Some(403));
    assert!(!err.needs_login());
    assert!(err.to_string().contains("Premium"), "{err}");
    let err = spotify
        .tracks()
        .saved()
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::OwnerPremiumRequired { .. }), "{err:?}");
    // Neither retried nor taken for an expired token.
    let stats = serde_json::to_value(sandbox.stats()).unwrap();
    assert_eq!(count(&stats, "GET /v1/me", 403), 1);
    assert_eq!(sandbox.stats().refreshes, 0);
}

#[tokio::test]
async fn a_user_off_the_apps_list_is_its_own_error_in_both_wordings() {
    let sandbox = Sandbox::builder()
        .seed(42)
        .liked(5)
        .app_conditions(
            "spotkit-demo",
            AppConditions {
                users: Some(vec!["dj.kofi".into()]),
                ..AppConditions::default()
            },
        )
        .start()
        .await
        .unwrap();
    let (spotify, _) = pkce_client(&sandbox).await;
    let err = spotify.users().me().send().await.unwrap_err();
    match &err {
        Error::UserNotRegistered { message } => {
            assert!(
                message.contains("not registered for this application"),
                "{message}"
            );
        }
        other => panic!("expected UserNotRegistered, got {other:?}"),
    }
    assert!(err.to_string().contains("User Management"), "{err}");
    sandbox
        .set_app_conditions(
            "spotkit-demo",
            AppConditions {
                users: Some(vec!["dj.kofi".into()]),
                old_wording: true,
                ..AppConditions::default()
            },
        )
        .unwrap();
    let err = spotify.users().me().send().await.unwrap_err();
    match &err {
        Error::UserNotRegistered { message } => {
            assert!(
                message.contains("the user may not be registered"),
                "{message}"
            );
        }
        other => panic!("expected UserNotRegistered, got {other:?}"),
    }
    // Once on the list, the same login works.
    sandbox
        .set_app_conditions(
            "spotkit-demo",
            AppConditions {
                users: Some(vec!["dj.kofi".into(), "demo".into()]),
                ..AppConditions::default()
            },
        )
        .unwrap();
    spotify.users().me().send().await.unwrap();
}
