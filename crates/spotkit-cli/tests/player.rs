//! `spotkit player` against the sandbox's simulated Connect player.

mod common;

use common::{login_paste, ok, run, sandbox};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn player_commands_drive_the_connect_player() {
    let sb = sandbox(10).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    login_paste(&sb, d).await;
    let json = |out: &std::process::Output| -> Value { serde_json::from_str(&ok(out)).unwrap() };

    // Nothing plays yet: status says so, a command says what to do.
    assert_eq!(
        json(&run(&sb, d, &["player", "status", "--json"]).await),
        Value::Null
    );
    assert!(ok(&run(&sb, d, &["player", "status"]).await).contains("nothing is playing"));
    let out = run(&sb, d, &["player", "pause"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--device"), "{stderr}");
    // Issue #21: the CLI's advice, not the library's API (`player().devices()`, `device_id`).
    assert!(stderr.contains("`spotkit player devices`"), "{stderr}");
    assert!(!stderr.contains("()"), "{stderr}");
    assert!(!stderr.contains("device_id"), "{stderr}");

    let devices = json(&run(&sb, d, &["player", "devices", "--json"]).await);
    assert_eq!(devices.as_array().unwrap().len(), 3);
    assert!(ok(&run(&sb, d, &["player", "devices"]).await).contains("Kitchen Speaker"));

    let search = json(&run(&sb, d, &["search", "a", "--limit", "3", "--json"]).await);
    let uris: Vec<&str> = search["tracks"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["uri"].as_str().unwrap())
        .collect();
    ok(&run(
        &sb,
        d,
        &[
            "player",
            "play",
            uris[0],
            uris[1],
            "--device",
            "kitchen speaker",
        ],
    )
    .await);
    let state = json(&run(&sb, d, &["player", "status", "--json"]).await);
    assert_eq!(state["is_playing"], true);
    assert_eq!(state["item"]["uri"], uris[0]);
    assert_eq!(state["device"]["name"], "Kitchen Speaker");
    let human = ok(&run(&sb, d, &["player", "status"]).await);
    assert!(
        human.starts_with('▶') && human.contains("on Kitchen Speaker"),
        "{human}"
    );

    // The queue plays before the rest of the selection.
    ok(&run(&sb, d, &["player", "queue", uris[2]]).await);
    ok(&run(&sb, d, &["player", "next"]).await);
    assert_eq!(
        json(&run(&sb, d, &["player", "status", "--json"]).await)["item"]["uri"],
        uris[2]
    );
    ok(&run(&sb, d, &["player", "previous"]).await);
    ok(&run(&sb, d, &["player", "pause"]).await);
    let state = json(&run(&sb, d, &["player", "status", "--json"]).await);
    assert_eq!(state["is_playing"], false);
    assert!(ok(&run(&sb, d, &["player", "status"]).await).starts_with('⏸'));

    // A device that does not exist, and an album given where a track is needed.
    let out = run(&sb, d, &["player", "pause", "--device", "Toaster"]).await;
    assert!(String::from_utf8_lossy(&out.stderr).contains("Kitchen Speaker"));
    let out = run(
        &sb,
        d,
        &["player", "queue", "spotify:album:4aawyAB9vmqN3uQ7FjRGTy"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
}
