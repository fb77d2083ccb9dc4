//! `spotkit import` end to end against a sandbox: Exportify CSV and a GDPR folder with matched,
//! searched, unmatched, local and invalid rows; re-runs and a run killed half-way add nothing
//! twice; malformed inputs name the file and line and create nothing.

mod common;

use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use common::{
    clear_quota, cmd, login_paste, ok, reset_stats, run, sandbox, sandbox_stats, set_quota,
};
use serde_json::Value;
use spotkit_sandbox::RunningSandbox;

/// A client of the sandbox's Web API as the demo user (the test's view of the account).
struct Api {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Api {
    async fn new(sb: &RunningSandbox) -> Api {
        let token = sb
            .token(
                "demo",
                &[
                    "user-library-read",
                    "playlist-read-private",
                    "playlist-read-collaborative",
                ],
            )
            .await
            .unwrap();
        Api {
            base: sb.api_url(),
            token: token.access_token.clone(),
            http: spotkit::http::client().unwrap(),
        }
    }

    async fn get(&self, path: &str) -> Value {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}/{path}", self.base.trim_end_matches('/'))
        };
        let resp = self
            .http
            .get(&url)
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "GET {url}: {}", resp.status());
        resp.json().await.unwrap()
    }

    /// Every item of a paged list.
    async fn all(&self, path: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut next = Some(path.to_owned());
        while let Some(p) = next {
            let page = self.get(&p).await;
            out.extend(page["items"].as_array().unwrap().iter().cloned());
            next = page["next"].as_str().map(str::to_owned);
        }
        out
    }

    async fn playlists(&self) -> Vec<Value> {
        self.all("me/playlists?limit=50").await
    }

    async fn playlist_named(&self, name: &str) -> Option<Value> {
        self.playlists()
            .await
            .into_iter()
            .find(|p| p["name"] == name)
    }

    async fn item_uris(&self, playlist_id: &str) -> Vec<String> {
        self.all(&format!("playlists/{playlist_id}/items?limit=50"))
            .await
            .iter()
            .map(|i| i["item"]["uri"].as_str().unwrap().to_owned())
            .collect()
    }

    async fn liked_tracks(&self) -> Vec<Value> {
        self.all("me/tracks?limit=50")
            .await
            .into_iter()
            .map(|s| s["track"].clone())
            .collect()
    }
}

fn artists(track: &Value) -> String {
    track["artists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().replace(';', ""))
        .collect::<Vec<_>>()
        .join(";")
}

fn cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// An Exportify row for `track`, with or without its URI.
fn exportify_row(track: &Value, with_uri: bool) -> String {
    format!(
        "{},{},{},{},{},{},,false,,2024-01-01T00:00:00Z,\"\",\"\",,,,,,,,,,,,",
        if with_uri {
            track["uri"].as_str().unwrap()
        } else {
            ""
        },
        cell(track["name"].as_str().unwrap()),
        cell(track["album"]["name"].as_str().unwrap()),
        cell(&artists(track)),
        track["album"]["release_date"].as_str().unwrap(),
        track["duration_ms"],
    )
}

const HEADER: &str = "\u{feff}Track URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Explicit,Added By,Added At,Genres,Record Label,Danceability,Energy,Key,Loudness,Mode,Speechiness,Acousticness,Instrumentalness,Liveness,Valence,Tempo,Time Signature";

fn read_report(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect()
}

/// A logged-in sandbox whose first 250 liked songs are written to `big_mix.csv`, an Exportify
/// file for a playlist called "big mix", and the URIs that playlist should end with.
async fn big_mix() -> (RunningSandbox, tempfile::TempDir, Api, Vec<String>) {
    let sb = sandbox(260).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let api = Api::new(&sb).await;
    let liked = api.liked_tracks().await;
    let mut csv = format!("{HEADER}\n");
    for t in &liked[..250] {
        csv.push_str(&exportify_row(t, true));
        csv.push('\n');
    }
    std::fs::write(dir.path().join("big_mix.csv"), &csv).unwrap();
    let expected: Vec<String> = liked[..250]
        .iter()
        .map(|t| t["uri"].as_str().unwrap().to_owned())
        .collect();
    (sb, dir, api, expected)
}

/// Runs the interrupted import of `big_mix.csv` again and checks that it resumed: the `partial`
/// items already added count as present, the playlist ends as `expected`, and no second playlist
/// called "big mix" was made.
async fn rerun_resumes(
    sb: &RunningSandbox,
    dir: &Path,
    api: &Api,
    id: &str,
    expected: &[String],
    partial: usize,
) {
    let out = ok(&run(sb, dir, &["import", "exportify", "big_mix.csv", "--json"]).await);
    let summary: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        summary["targets"][0]["already_present"].as_u64(),
        Some(partial as u64)
    );
    assert_eq!(api.item_uris(id).await, expected);
    let named = api
        .playlists()
        .await
        .into_iter()
        .filter(|p| p["name"] == "big mix")
        .count();
    assert_eq!(named, 1, "the re-run continued the same playlist");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exportify_import_matches_creates_and_reruns_without_duplicates() {
    let sb = sandbox(40).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let api = Api::new(&sb).await;
    let liked = api.liked_tracks().await;

    // 5 rows by URI, 3 by name only (one lower-cased), one that exists nowhere, a local file,
    // a broken URI, and the first track again (playlists may repeat a track).
    let mut csv = format!("{HEADER}\n");
    for t in &liked[..5] {
        csv.push_str(&exportify_row(t, true));
        csv.push('\n');
    }
    for (i, t) in liked[5..8].iter().enumerate() {
        let mut t = t.clone();
        if i == 0 {
            t["name"] = Value::from(t["name"].as_str().unwrap().to_lowercase());
        }
        csv.push_str(&exportify_row(&t, false));
        csv.push('\n');
    }
    csv += ",\"Qwxz Nonexistent Tune\",\"Nowhere\",\"Nobody Atall\",2020,123000,,false,,,\"\",\"\",,,,,,,,,,,,\n";
    csv += "spotify:local:Me:Demos:Garage%20Take:200,\"Garage Take\",\"Demos\",\"Me\",,200000,,false,,,\"\",\"\",,,,,,,,,,,,\n";
    csv += "spotify:track:not-a-real-id!,\"Broken\",\"X\",\"Y\",,1000,,false,,,\"\",\"\",,,,,,,,,,,,\n";
    csv.push_str(&exportify_row(&liked[0], true));
    csv.push('\n');
    std::fs::write(dir.path().join("road_trip.csv"), &csv).unwrap();
    let expected: Vec<String> = liked[..8]
        .iter()
        .chain(std::iter::once(&liked[0]))
        .map(|t| t["uri"].as_str().unwrap().to_owned())
        .collect();
    let before = api.playlists().await.len();

    // Dry run: the plan, nothing created.
    let out = ok(&run(
        &sb,
        dir.path(),
        &[
            "import",
            "exportify",
            "road_trip.csv",
            "--dry-run",
            "--report",
            "plan.csv",
            "--json",
        ],
    )
    .await);
    let plan: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(plan["dry_run"], true);
    let t = &plan["targets"][0];
    assert_eq!(t["destination"], "playlist `road trip`");
    assert_eq!(
        (t["rows"].as_u64(), t["matched"].as_u64()),
        (Some(12), Some(9))
    );
    assert_eq!(
        (
            t["unmatched"].as_u64(),
            t["local"].as_u64(),
            t["invalid"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(t["added"], 0);
    assert_eq!(
        api.playlists().await.len(),
        before,
        "a dry run creates nothing"
    );
    let plan_rows = read_report(&dir.path().join("plan.csv"));
    assert_eq!(plan_rows.len(), 12);
    assert_eq!(&plan_rows[0][0], "road_trip.csv:2");
    assert_eq!(&plan_rows[5][6], "search", "{:?}", plan_rows[5]);
    assert_eq!(&plan_rows[5][8], expected[5]);
    assert_eq!(&plan_rows[8][5], "unmatched");
    assert_eq!(&plan_rows[9][5], "skipped");
    assert_eq!(&plan_rows[10][5], "invalid");
    assert!(
        plan_rows[10][10].contains("bad Spotify URI"),
        "{:?}",
        plan_rows[10]
    );

    // The import: one new playlist holding the matched items in the file's order.
    let out = ok(&run(
        &sb,
        dir.path(),
        &[
            "import",
            "exportify",
            "road_trip.csv",
            "--report",
            "r1.csv",
            "--json",
        ],
    )
    .await);
    let summary: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["targets"][0]["added"], 9, "{summary}");
    let playlist = api
        .playlist_named("road trip")
        .await
        .expect("playlist created");
    let id = playlist["id"].as_str().unwrap().to_owned();
    assert_eq!(summary["targets"][0]["playlist_id"], id.as_str());
    assert_eq!(api.item_uris(&id).await, expected);
    assert_eq!(api.playlists().await.len(), before + 1);
    let rows = read_report(&dir.path().join("r1.csv"));
    assert_eq!(rows.iter().filter(|r| &r[5] == "added").count(), 9);

    // Again: nothing added, no second playlist.
    let out = ok(&run(
        &sb,
        dir.path(),
        &[
            "import",
            "exportify",
            "road_trip.csv",
            "--report",
            "r2.csv",
            "--json",
        ],
    )
    .await);
    let summary: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["targets"][0]["added"], 0, "{summary}");
    assert_eq!(summary["targets"][0]["already_present"], 9);
    assert_eq!(api.item_uris(&id).await, expected);
    assert_eq!(api.playlists().await.len(), before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_killed_half_way_continues_without_duplicates() {
    let (sb, dir, api, expected) = big_mix().await;

    // Slow requests, then a SIGKILL half-way through adding the items: the CLI notes the new
    // playlist in its journal right after creating it, then reads the (empty) playlist back and
    // adds three chunks of 100, each request taking 400 ms.
    sb.set_faults(spotkit_sandbox::Faults {
        latency_ms: 400,
        ..Default::default()
    });
    let mut child = cmd(&sb, dir.path())
        .args(["import", "exportify", "big_mix.csv", "-q"])
        .spawn()
        .unwrap();
    let journal_names_playlist = || {
        let Ok(entries) = std::fs::read_dir(dir.path().join("imports")) else {
            return false;
        };
        entries.filter_map(Result::ok).any(|e| {
            std::fs::read(e.path())
                .ok()
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                .is_some_and(|j| j["playlists"]["big mix"].is_string())
        })
    };
    while !journal_names_playlist() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before creating its playlist"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    sb.set_faults(spotkit_sandbox::Faults::default());
    let id = api.playlist_named("big mix").await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let partial = api.item_uris(&id).await;
    assert!(
        !partial.is_empty() && partial.len() < 250,
        "{} items",
        partial.len()
    );
    sb.set_faults(spotkit_sandbox::Faults::default());

    rerun_resumes(&sb, dir.path(), &api, &id, &expected, partial.len()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gdpr_folder_imports_playlists_and_library() {
    let sb = sandbox(30).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let api = Api::new(&sb).await;
    let liked = api.liked_tracks().await;
    // Tracks the demo user has not liked: from another user's public playlist.
    let other = api.get("search?q=a&type=track&limit=10").await;
    let fresh: Vec<Value> = other["tracks"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| !liked.iter().any(|l| l["uri"] == t["uri"]))
        .take(3)
        .cloned()
        .collect();
    assert_eq!(fresh.len(), 3);
    let item = |t: &Value, with_uri: bool| {
        serde_json::json!({
            "track": {"trackName": t["name"], "artistName": t["artists"][0]["name"],
                      "albumName": t["album"]["name"],
                      "trackUri": if with_uri { t["uri"].clone() } else { Value::from("") }},
            "episode": null, "localTrack": null, "addedDate": "2024-05-01"
        })
    };
    let playlists = serde_json::json!({"playlists": [
        {"name": "Gdpr One", "lastModifiedDate": "2024-05-01", "description": "from the export",
         "numberOfFollowers": 0, "items": [
            item(&liked[0], true), item(&liked[1], true), item(&liked[2], false),
            {"track": null, "episode": null, "localTrack": {"uri": "spotify:local:A:B:C:100"}, "addedDate": "2024"},
            {"track": {"trackName": "Qwxz Nonexistent Tune", "artistName": "Nobody Atall", "albumName": "X", "trackUri": ""},
             "episode": null, "localTrack": null}
         ]},
        {"name": "Gdpr Two", "lastModifiedDate": "2024-05-01", "items": [item(&liked[3], true)]}
    ]});
    let library = serde_json::json!({
        "tracks": [
            {"artist": "x", "album": "y", "track": "z", "uri": liked[4]["uri"]},
            {"artist": "x", "album": "y", "track": "z", "uri": fresh[0]["uri"]},
            {"artist": "x", "album": "y", "track": "z", "uri": fresh[1]["uri"]}
        ],
        "albums": [], "artists": [], "shows": [], "episodes": [], "bannedTracks": [], "other": []
    });
    let data = dir.path().join("MyData");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("Playlist1.json"),
        serde_json::to_vec_pretty(&playlists).unwrap(),
    )
    .unwrap();
    std::fs::write(
        data.join("YourLibrary.json"),
        serde_json::to_vec_pretty(&library).unwrap(),
    )
    .unwrap();
    std::fs::write(data.join("StreamingHistory_music_0.json"), "[]").unwrap();

    let out = ok(&run(
        &sb,
        dir.path(),
        &["import", "gdpr", "MyData", "--json", "--report", "r.csv"],
    )
    .await);
    let summary: Value = serde_json::from_str(&out).unwrap();
    let targets = summary["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 3, "{summary}");
    assert_eq!(targets[0]["matched"], 3);
    assert_eq!(targets[0]["unmatched"], 1);
    assert_eq!(targets[0]["local"], 1);
    assert_eq!(targets[2]["destination"], "liked songs");
    assert_eq!(
        (
            targets[2]["added"].as_u64(),
            targets[2]["already_present"].as_u64()
        ),
        (Some(2), Some(1))
    );

    let one = api.playlist_named("Gdpr One").await.unwrap();
    assert_eq!(one["description"], "from the export");
    let uris: Vec<String> = liked[..3]
        .iter()
        .map(|t| t["uri"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(api.item_uris(one["id"].as_str().unwrap()).await, uris);
    let two = api.playlist_named("Gdpr Two").await.unwrap();
    assert_eq!(
        api.item_uris(two["id"].as_str().unwrap()).await,
        [liked[3]["uri"].as_str().unwrap()]
    );
    let now_liked: Vec<Value> = api.liked_tracks().await;
    for t in &fresh[..2] {
        assert!(
            now_liked.iter().any(|l| l["uri"] == t["uri"]),
            "{} saved",
            t["uri"]
        );
    }
    assert_eq!(now_liked.len(), liked.len() + 2);
    // The first library row is on top (saved last).
    assert_eq!(now_liked[0]["uri"], fresh[0]["uri"]);
}

/// Each malformed input: exit code 1, `file:line` (or the file) in the message, nothing created.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_inputs_name_file_and_line_and_create_nothing() {
    let sb = sandbox(10).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let api = Api::new(&sb).await;
    let before = api.playlists().await.len();
    let d = dir.path();

    std::fs::write(
        d.join("latin1.csv"),
        b"Track URI,Track Name,Artist Name(s)\n,Caf\xe9,X\n".as_slice(),
    )
    .unwrap();
    std::fs::write(
        d.join("quotes.csv"),
        "Track URI,Track Name,Artist Name(s)\n,Fine,A\n,\"Unclosed,B\n,Next,C\n",
    )
    .unwrap();
    std::fs::write(
        d.join("apple.csv"),
        "Track URI,Track Name,Artist Name(s)\n,Fine,A\nhttps://music.apple.com/us/album/x/123?i=456,Song,B\n",
    )
    .unwrap();
    std::fs::write(
        d.join("fine.csv"),
        "Track URI,Track Name,Artist Name(s)\n,Fine,A\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.join("shape")).unwrap();
    std::fs::write(
        d.join("shape/Playlist1.json"),
        "{\n  \"playlists\": {\"name\": \"not a list\"}\n}\n",
    )
    .unwrap();
    // A zip cut in half.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file::<_, ()>(
        "MyData/Playlist1.json",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(&vec![b' '; 20_000]).unwrap();
    zip.write_all(br#"{"playlists": []}"#).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    std::fs::write(d.join("my_spotify_data.zip"), &bytes[..bytes.len() / 2]).unwrap();

    let cases: [(&[&str], &str); 6] = [
        (&["import", "exportify", "latin1.csv"], "latin1.csv:2: "),
        (&["import", "exportify", "quotes.csv"], "quotes.csv:3: "),
        (&["import", "exportify", "apple.csv"], "apple.csv:3: "),
        (&["import", "gdpr", "shape"], "Playlist1.json:2: "),
        (
            &["import", "gdpr", "my_spotify_data.zip"],
            "my_spotify_data.zip: ",
        ),
        (
            &[
                "import",
                "exportify",
                "fine.csv",
                "--into",
                "https://music.apple.com/us/playlist/x/pl.u-123",
            ],
            "music.apple.com",
        ),
    ];
    for (args, wanted) in cases {
        let out = run(&sb, d, args).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(wanted),
            "{args:?}: wanted `{wanted}` in {stderr}"
        );
        assert!(
            stderr.contains("hint:") || stderr.contains("; "),
            "{args:?}: says what to do: {stderr}"
        );
    }
    assert_eq!(api.playlists().await.len(), before, "nothing created");
    let leftovers: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("spotkit-import-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no report for a refused input: {leftovers:?}"
    );
    assert!(
        !d.join("imports").exists(),
        "no journal for a refused input"
    );
}

/// The import journals of `dir` (one per source), parsed.
fn journals(dir: &Path) -> Vec<Value> {
    std::fs::read_dir(dir.join("imports"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| serde_json::from_slice(&std::fs::read(e.path()).unwrap()).unwrap())
        .collect()
}

/// Issue #25: the developer account's quota runs out while the items are being added. The run
/// stops at once with exit 75 and says what was kept; once the quota is back, the same command
/// continues the same playlist and adds nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_25_import_stopped_by_the_quota_resumes_without_duplicates() {
    let (sb, dir, api, expected) = big_mix().await;

    // Slow requests (400 ms each), so the quota can run out between the chunks of 100 items:
    // once the journal names the new playlist, the first chunk goes in, then the quota is gone.
    sb.set_faults(spotkit_sandbox::Faults {
        latency_ms: 400,
        ..Default::default()
    });
    let child = cmd(&sb, dir.path())
        .args([
            "import",
            "exportify",
            "big_mix.csv",
            "--report",
            "report.csv",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while !journals(dir.path())
        .iter()
        .any(|j| j["playlists"]["big mix"].is_string())
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    set_quota(&sb, serde_json::json!({"requests": 0, "window_secs": 3600})).await;
    let out = child.wait_with_output().await.unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(
        err.contains("spotkit: stopped: Spotify's request quota for your developer account is used up; the journal keeps the playlists created and what was added"),
        "{err}"
    );
    assert!(err.contains("adds nothing twice"), "{err}");
    assert!(err.contains("  hint: the quota is shared"), "{err}");
    let stats = sandbox_stats(&sb).await;
    assert_eq!(
        stats["faults"]["quota_exceeded"], 1,
        "asked once, not again: {stats}"
    );

    // Spotify's quota clears; the test looks at the account (not counted: the quota is off).
    sb.set_faults(spotkit_sandbox::Faults::default());
    clear_quota(&sb).await;
    let id = api.playlist_named("big mix").await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let partial = api.item_uris(&id).await;
    assert!(
        !partial.is_empty() && partial.len() < 250,
        "{} items",
        partial.len()
    );
    assert_eq!(partial[..], expected[..partial.len()]);

    rerun_resumes(&sb, dir.path(), &api, &id, &expected, partial.len()).await;
}

/// Issue #25: the quota runs out while rows are being matched by search. The searches that did
/// finish are kept in the journal, so the re-run does not spend the account's requests on them
/// again; nothing was written to Spotify.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_25_matches_found_before_the_quota_ran_out_are_kept() {
    let sb = sandbox(60).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let api = Api::new(&sb).await;
    let liked = api.liked_tracks().await;
    let rows = 40;
    let mut csv = format!("{HEADER}\n");
    for t in &liked[..rows] {
        csv.push_str(&exportify_row(t, false));
        csv.push('\n');
    }
    std::fs::write(dir.path().join("searched.csv"), &csv).unwrap();
    let before = api.playlists().await.len();

    set_quota(
        &sb,
        serde_json::json!({"requests": 15, "window_secs": 3600}),
    )
    .await;
    let out = run(&sb, dir.path(), &["import", "exportify", "searched.csv"]).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(err.contains("nothing was written to Spotify yet"), "{err}");
    let kept = journals(dir.path())
        .first()
        .map_or(0, |j| j["matches"].as_object().unwrap().len());
    assert!(kept > 0 && kept < rows, "{kept} matches kept");
    assert!(
        err.contains(&format!("the {kept} matches found so far are kept")),
        "{err}"
    );

    clear_quota(&sb).await;
    assert_eq!(api.playlists().await.len(), before, "nothing was created");
    reset_stats(&sb).await;
    let out = ok(&run(
        &sb,
        dir.path(),
        &["import", "exportify", "searched.csv", "--json"],
    )
    .await);
    let summary: Value = serde_json::from_str(&out).unwrap();
    let stats = sandbox_stats(&sb).await;
    let searches = stats["requests"]["GET /v1/search"]["200"]
        .as_u64()
        .unwrap_or(0);
    // Each row not in the journal needs one to three searches; the kept ones need none.
    assert!(
        searches <= 3 * (rows - kept) as u64,
        "{searches} searches for {} rows",
        rows - kept
    );
    let id = summary["targets"][0]["playlist_id"].as_str().unwrap();
    let items = api.item_uris(id).await;
    assert_eq!(
        items.len() as u64,
        summary["targets"][0]["added"].as_u64().unwrap()
    );
}

/// A track id Spotify's catalogue (the sandbox's) does not have: a removed track.
const DEAD: &str = "spotify:track:0DeadDeadDeadDeadDead0";

/// Issue #16 item 5: one URI Spotify no longer has made the import add nothing (`400 Payload
/// contains a non-existing ID` for the whole batch) after a dry run that said every row matched.
/// Now the dry run names the dead row by file and line, and the import adds the others in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_a_dead_uri_is_reported_and_the_rest_added() {
    let sb = sandbox(30).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let api = Api::new(&sb).await;
    let liked = api.liked_tracks().await;
    let mut csv = format!("{HEADER}\n");
    for (i, t) in liked[..20].iter().enumerate() {
        if i == 7 {
            csv.push_str(DEAD);
            csv += ",\"Gone\",\"Gone\",\"Nobody\",2020,1000,,false,,,\"\",\"\",,,,,,,,,,,,\n";
        }
        csv.push_str(&exportify_row(t, true));
        csv.push('\n');
    }
    std::fs::write(dir.path().join("mix.csv"), &csv).unwrap();
    let expected: Vec<String> = liked[..20]
        .iter()
        .map(|t| t["uri"].as_str().unwrap().to_owned())
        .collect();

    let out = ok(&run(
        &sb,
        dir.path(),
        &[
            "import",
            "exportify",
            "mix.csv",
            "--dry-run",
            "--report",
            "plan.csv",
            "--json",
        ],
    )
    .await);
    let plan: Value = serde_json::from_str(&out).unwrap();
    let t = &plan["targets"][0];
    assert_eq!(
        (t["matched"].as_u64(), t["unavailable"].as_u64()),
        (Some(20), Some(1)),
        "{plan}"
    );
    let rows = read_report(&dir.path().join("plan.csv"));
    let dead: Vec<_> = rows.iter().filter(|r| &r[5] == "unavailable").collect();
    assert_eq!(dead.len(), 1);
    assert_eq!((&dead[0][0], &dead[0][8]), ("mix.csv:9", DEAD));

    let out = run(
        &sb,
        dir.path(),
        &[
            "import",
            "exportify",
            "mix.csv",
            "--report",
            "r.csv",
            "--json",
        ],
    )
    .await;
    let stdout = ok(&out);
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    let t = &summary["targets"][0];
    assert_eq!(
        (t["added"].as_u64(), t["unavailable"].as_u64()),
        (Some(20), Some(1)),
        "{summary}"
    );
    let id = api.playlist_named("mix").await.expect("playlist created")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(api.item_uris(&id).await, expected);
    let rows = read_report(&dir.path().join("r.csv"));
    assert_eq!(&rows[7][5], "unavailable");
    assert_eq!(&rows[7][0], "mix.csv:9");
}

/// Issue #16 item 5: a small zip holding a huge entry was unpacked into memory whole (4.2 GB for
/// a 2 GB entry). Entries are read from the file one at a time and capped: a clear refusal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_a_zip_with_a_huge_entry_is_refused_without_unpacking_it() {
    let sb = sandbox(5).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let mut zip = zip::ZipWriter::new(
        std::fs::File::create(dir.path().join("spotify_playlists.zip")).unwrap(),
    );
    zip.start_file::<_, ()>(
        "huge.csv",
        zip::write::SimpleFileOptions::default().compression_level(Some(1)),
    )
    .unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..520 {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    let started = std::time::Instant::now();
    let out = run(
        &sb,
        dir.path(),
        &["import", "exportify", "spotify_playlists.zip", "--dry-run"],
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("spotify_playlists.zip!/huge.csv"),
        "{stderr}"
    );
    assert!(stderr.contains("520 MB, more than the 512 MB"), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

/// Issue #16 item 5: the same import started twice at once made two full playlists. The second
/// run now stops at once, naming the first; the first finishes alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_the_same_import_twice_at_once_makes_one_playlist() {
    let (sb, dir, api, expected) = big_mix().await;
    sb.set_faults(spotkit_sandbox::Faults {
        latency_ms: 200,
        ..Default::default()
    });
    let first = cmd(&sb, dir.path())
        .args(["import", "exportify", "big_mix.csv", "-q"])
        .spawn()
        .unwrap();
    // The first run holds the lock once its lock file names it.
    let locked = || {
        std::fs::read_dir(dir.path().join("imports"))
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.starts_with("pid ")))
    };
    let waited = std::time::Instant::now();
    while !locked() && waited.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let started = std::time::Instant::now();
    let second = run(&sb, dir.path(), &["import", "exportify", "big_mix.csv"]).await;
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("already running"), "{stderr}");
    assert!(stderr.contains("pid "), "names the first run: {stderr}");
    assert!(started.elapsed() < Duration::from_secs(3), "stops at once");
    let out = first.wait_with_output().await.unwrap();
    assert!(out.status.success());
    sb.set_faults(spotkit_sandbox::Faults::default());
    let named: Vec<Value> = api
        .playlists()
        .await
        .into_iter()
        .filter(|p| p["name"] == "big mix")
        .collect();
    assert_eq!(named.len(), 1, "one playlist");
    assert_eq!(
        api.item_uris(named[0]["id"].as_str().unwrap()).await,
        expected
    );
}

/// Issue #16 item 3: `export all --format csv`, as a folder and as a zip, imports back to the
/// same place. Every row is matched by its URI (local files reported as local), liked songs go
/// to liked songs and every playlist keeps its exact name. What is expected comes from the
/// sandbox's Web API, not from the exported files.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_export_all_as_csv_imports_back_to_the_same_place() {
    let sb = sandbox(120).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let api = Api::new(&sb).await;

    // Destination (as the report names it) → the URIs of its items, in order.
    let mut expected: std::collections::BTreeMap<String, Vec<String>> =
        std::collections::BTreeMap::new();
    expected.insert(
        "liked songs".into(),
        api.liked_tracks()
            .await
            .iter()
            .map(|t| t["uri"].as_str().unwrap().to_owned())
            .collect(),
    );
    let me = api.get("me").await["id"].as_str().unwrap().to_owned();
    for p in api.playlists().await {
        // Development Mode lists the items of playlists the user owns or collaborates on only.
        if p["owner"]["id"] != me.as_str() && p["collaborative"] != true {
            continue;
        }
        let uris = api
            .all(&format!(
                "playlists/{}/items?limit=50",
                p["id"].as_str().unwrap()
            ))
            .await
            .iter()
            .map(|i| i["item"]["uri"].as_str().unwrap().to_owned())
            .collect();
        expected.insert(format!("playlist `{}`", p["name"].as_str().unwrap()), uris);
    }
    assert!(expected.len() > 3, "{expected:?}");

    ok(&run(
        &sb,
        dir.path(),
        &["export", "all", "--format", "csv", "--out", "backup"],
    )
    .await);
    ok(&run(
        &sb,
        dir.path(),
        &[
            "export",
            "all",
            "--format",
            "csv",
            "--zip",
            "--out",
            "backup.zip",
        ],
    )
    .await);
    let folder = std::fs::read_dir(dir.path().join("backup"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();

    // Exportify's "Export All" shape: flat, `Liked_Songs.csv` first, names with their case, no
    // BOM in the entries (exportify.net writes one only on single downloads).
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(dir.path().join("backup.zip")).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert_eq!(names[0], "Liked_Songs.csv", "{names:?}");
    assert_eq!(names.last().unwrap(), "index.json", "{names:?}");
    assert!(names.iter().all(|n| !n.contains('/')), "{names:?}");
    assert!(names.contains(&"Road_Trip.csv".to_owned()), "{names:?}");
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut start = [0u8; 3];
        std::io::Read::read_exact(&mut entry, &mut start).unwrap();
        assert_ne!(&start, b"\xEF\xBB\xBF", "{name}");
        if Path::new(&name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            assert!(folder.join(&name).is_file(), "{name}");
        }
    }

    for input in [folder.to_str().unwrap(), "backup.zip"] {
        let out = ok(&run(
            &sb,
            dir.path(),
            &[
                "import",
                "exportify",
                input,
                "--dry-run",
                "--json",
                "--report",
                "back.csv",
            ],
        )
        .await);
        let summary: Value = serde_json::from_str(&out).unwrap();
        let mut destinations: Vec<&str> = summary["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["destination"].as_str().unwrap())
            .collect();
        destinations.sort_unstable();
        assert_eq!(
            destinations,
            expected.keys().map(String::as_str).collect::<Vec<_>>(),
            "{input}"
        );
        let mut got: std::collections::BTreeMap<String, Vec<csv::StringRecord>> =
            std::collections::BTreeMap::new();
        for r in read_report(&dir.path().join("back.csv")) {
            got.entry(r[1].to_owned()).or_default().push(r);
        }
        let mut rows = 0;
        for (destination, uris) in &expected {
            let report = got.get(destination).map_or(&[][..], Vec::as_slice);
            assert_eq!(report.len(), uris.len(), "{input}: {destination}");
            for (r, uri) in report.iter().zip(uris) {
                if uri.starts_with("spotify:local:") {
                    assert_eq!((&r[2], &r[5]), ("local", "skipped"), "{input}: {r:?}");
                } else {
                    assert_eq!(
                        (&r[5], &r[6], &r[8]),
                        ("matched", "uri", uri.as_str()),
                        "{input}: {destination}: {r:?}"
                    );
                }
                rows += 1;
            }
        }
        assert!(rows > 200, "{rows}");
    }
}
