//! Issue #20: `spotkit history import|stats|report`.
//!
//! Real streaming-history files (other people's, in the conformance folder, never copied here)
//! import with counts equal to an independent count (`serde_json::Value` array lengths, and
//! Python for the play identities), a re-import adds nothing, and every figure of
//! `stats --json` equals `tests/history_stats.py`'s independent computation over the same files.
//! Bad input names the file and position and leaves the database unchanged. The report is
//! rendered by headless Chromium and its screenshot checked.
//!
//! The small files written here are designed: hand-written in the real layouts' shapes.

mod common;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn spotkit(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spotkit"))
        .env("SPOTKIT_CONFIG_DIR", dir)
        .env_remove("SPOTKIT_DATA_DIR")
        .env_remove("SPOTKIT_PROFILE")
        .args(args)
        .output()
        .unwrap()
}

fn json_ok(dir: &Path, args: &[&str]) -> Value {
    let out = spotkit(dir, args);
    assert!(
        out.status.success(),
        "spotkit {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "spotkit {args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn is_history(base: &str) -> bool {
    let l = base.to_lowercase();
    Path::new(&l)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        && (l.starts_with("streaminghistory")
            || l.starts_with("streaming_history")
            || l.starts_with("endsong"))
}

/// Array lengths of the history files of an input, by a plain `serde_json::Value` parse.
fn independent_entries(path: &Path) -> usize {
    let len = |bytes: &[u8]| {
        serde_json::from_slice::<Value>(bytes)
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    };
    if path.is_dir() {
        let mut n = 0;
        for e in std::fs::read_dir(path).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                n += independent_entries(&p);
            } else if is_history(&p.file_name().unwrap().to_string_lossy()) {
                n += len(&std::fs::read(&p).unwrap());
            }
        }
        return n;
    }
    if path.extension().is_some_and(|e| e == "zip") {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut n = 0;
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().into_owned();
            let base = name.rsplit('/').next().unwrap_or("").to_owned();
            if f.is_file() && is_history(&base) {
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes).unwrap();
                n += len(&bytes);
            }
        }
        return n;
    }
    len(&std::fs::read(path).unwrap())
}

fn python(args: &[&str]) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/history_stats.py");
    let out = Command::new("python3")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "history_stats.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The real inputs: (label, path) for each history set of the conformance data.
fn real_inputs() -> Option<Vec<PathBuf>> {
    let root = spotkit_conformance::dir("real-files/gdpr")?;
    Some(
        [
            "G01_2020-07_zihanye96/MyData/StreamingHistory0.json",
            "G05_2025-01_zoetrev/spotify_account_data",
            "G06_2025-08_kevin-warren/Spotify Account Data",
            "G07_2021-12_erickmay-extended/endsong_1.json",
            "G08_2026-06_Efrrowini-extended",
            "G09_2020-05_nishalsach/my_spotify_data.zip",
        ]
        .iter()
        .map(|p| root.join(p))
        .collect(),
    )
}

/// Every differing leaf of two JSON values, as `path: left != right`.
fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                diff(
                    &format!("{path}.{k}"),
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), p, q, out);
            }
        }
        _ if a == b => {}
        _ if a.as_f64().is_some() && a.as_f64() == b.as_f64() => {}
        _ => out.push(format!("{path}: spotkit {a} != python {b}")),
    }
}

#[test]
fn real_files_import_once_and_stats_match_python() {
    let Some(inputs) = real_inputs() else { return };
    let dir = tempfile::tempdir().unwrap();
    let all_db = dir.path().join("all.sqlite3");
    let all_db = all_db.to_str().unwrap();
    for input in &inputs {
        let shown = input.to_str().unwrap();
        let db = dir.path().join("one.sqlite3");
        let _ = std::fs::remove_file(&db);
        let db = db.to_str().unwrap();
        let first = json_ok(
            dir.path(),
            &["--json", "history", "--db", db, "import", shown],
        );
        let entries = independent_entries(input);
        assert_eq!(first["read"], entries, "{shown}: plays read");
        // Distinct plays by Python's identity rule (Spotify logs some extended plays twice).
        let expected = python(&[shown])["totals"]["plays"].clone();
        assert_eq!(
            first["total_plays"], expected,
            "{shown}: plays stored {first}"
        );
        let again = json_ok(
            dir.path(),
            &["--json", "history", "--db", db, "import", shown],
        );
        assert_eq!(
            again["added"], 0,
            "{shown}: a re-import adds nothing: {again}"
        );
        assert_eq!(again["total_plays"], expected, "{shown}");
        // Nothing personal stored without --keep-personal.
        json_ok(
            dir.path(),
            &["--json", "history", "--db", all_db, "import", shown],
        );
    }
    let shown: Vec<&str> = inputs.iter().map(|p| p.to_str().unwrap()).collect();
    for range in [
        &[][..],
        &["--year", "2024"][..],
        &["--from", "2019-02-03", "--to", "2021-10-01", "--top", "25"][..],
    ] {
        let mut args = vec!["--json", "history", "--db", all_db, "stats"];
        args.extend_from_slice(range);
        let ours = json_ok(dir.path(), &args);
        let mut py_args: Vec<&str> = match range {
            ["--year", y] => {
                let from = format!("{y}-01-01");
                let to = format!("{y}-12-31");
                let theirs = python(&[&["--from", &from, "--to", &to][..], &shown[..]].concat());
                let mut problems = Vec::new();
                diff("", &ours, &theirs, &mut problems);
                assert!(problems.is_empty(), "--year {y}:\n{}", problems.join("\n"));
                assert!(ours["totals"]["plays"].as_u64().unwrap() > 1000);
                continue;
            }
            r => r.to_vec(),
        };
        py_args.extend_from_slice(&shown);
        let theirs = python(&py_args);
        let mut problems = Vec::new();
        diff("", &ours, &theirs, &mut problems);
        assert!(
            problems.is_empty(),
            "{range:?}: {} figures differ:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    let all = json_ok(dir.path(), &["--json", "history", "--db", all_db, "stats"]);
    // Both families, episodes and audiobooks are all in there.
    for kind in ["track", "episode", "audiobook"] {
        assert!(
            all["totals"]["plays_by_kind"][kind].as_i64().unwrap() > 0,
            "{kind}"
        );
    }
    assert!(all["skips"]["known"].as_u64().unwrap() > 0);
}

const ACCOUNT: &str = r#"[
  {"endTime": "2024-03-01 08:15", "artistName": "Designed Artist", "trackName": "Designed Song", "msPlayed": 201000},
  {"endTime": "2024-03-02 22:40", "artistName": "Other Artist", "trackName": "Other Song", "msPlayed": 15000},
  {"endTime": "2024-03-03 09:00", "podcastName": "Designed Show", "episodeName": "Episode 1", "msPlayed": 1800000}
]"#;

const EXTENDED: &str = r#"[
  {"ts": "2024-03-01T08:15:41Z", "username": "designed-user", "platform": "android", "ms_played": 201000,
   "conn_country": "DE", "ip_addr": "192.0.2.7", "master_metadata_track_name": "Designed Song",
   "master_metadata_album_artist_name": "Designed Artist", "master_metadata_album_album_name": "Designed Album",
   "spotify_track_uri": "spotify:track:0000000000000000000001", "episode_name": null, "episode_show_name": null,
   "spotify_episode_uri": null, "reason_start": "clickrow", "reason_end": "trackdone", "shuffle": false,
   "skipped": false, "offline": false, "offline_timestamp": 1709280940, "incognito_mode": false},
  {"ts": "2024-03-04T12:00:00Z", "platform": "android", "ms_played": 5000, "conn_country": "DE",
   "ip_addr": "192.0.2.7", "master_metadata_track_name": "Third Song",
   "master_metadata_album_artist_name": "Designed Artist", "master_metadata_album_album_name": "Designed Album",
   "spotify_track_uri": "spotify:track:0000000000000000000003", "episode_name": null, "episode_show_name": null,
   "spotify_episode_uri": null, "reason_start": "clickrow", "reason_end": "fwdbtn", "shuffle": true,
   "skipped": true, "offline": false, "offline_timestamp": 1709553595, "incognito_mode": false}
]"#;

fn plays(dir: &Path, db: &str) -> Value {
    json_ok(dir, &["--json", "history", "--db", db, "stats"])["totals"]["plays"].clone()
}

#[test]
fn both_families_overlap_once_and_personal_fields_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    std::fs::create_dir_all(export.join("Spotify Account Data")).unwrap();
    std::fs::write(
        export.join("Spotify Account Data/StreamingHistory_music_0.json"),
        ACCOUNT,
    )
    .unwrap();
    std::fs::write(export.join("Streaming_History_Audio_2024.json"), EXTENDED).unwrap();
    std::fs::write(export.join("YourLibrary.json"), r#"{"tracks": []}"#).unwrap();
    // The default database: in the data dir (here the config dir), per profile.
    let out = json_ok(
        dir.path(),
        &["--json", "history", "import", export.to_str().unwrap()],
    );
    assert_eq!(out["read"], 5, "{out}");
    assert_eq!(out["total_plays"], 4, "the shared play once: {out}");
    assert_eq!(out["personal_fields"], "dropped");
    let db = dir.path().join("history/default.sqlite3");
    assert!(db.is_file());
    let bytes = std::fs::read(&db).unwrap();
    let wal = std::fs::read(db.with_extension("sqlite3-wal")).unwrap_or_default();
    for secret in ["192.0.2.7", "designed-user"] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes())
                && !wal.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} stored"
        );
    }
    let stats = json_ok(dir.path(), &["--json", "history", "stats"]);
    assert_eq!(stats["top_albums"]["by_time"][0]["name"], "Designed Album");
    assert_eq!(stats["skips"]["skipped"], 1);
    assert_eq!(stats["skips"]["known"], 2);
    assert_eq!(stats["streaks"]["longest"]["days"], 4);
    // Text output names the top artist.
    let text = spotkit(dir.path(), &["history", "stats"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Designed Artist"));

    let kept = dir.path().join("kept.sqlite3");
    json_ok(
        dir.path(),
        &[
            "--json",
            "history",
            "--db",
            kept.to_str().unwrap(),
            "import",
            "--keep-personal",
            export.to_str().unwrap(),
        ],
    );
    drop(spotkit(
        dir.path(),
        &["history", "--db", kept.to_str().unwrap(), "stats"],
    ));
    let mut all = std::fs::read(&kept).unwrap();
    all.extend(std::fs::read(kept.with_extension("sqlite3-wal")).unwrap_or_default());
    assert!(
        all.windows(9).any(|w| w == b"192.0.2.7"),
        "--keep-personal keeps the IP"
    );
}

#[test]
fn bad_input_names_file_and_position_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let db = db.to_str().unwrap();
    let good = dir.path().join("StreamingHistory0.json");
    std::fs::write(&good, ACCOUNT).unwrap();
    json_ok(
        dir.path(),
        &[
            "--json",
            "history",
            "--db",
            db,
            "import",
            good.to_str().unwrap(),
        ],
    );
    let before = plays(dir.path(), db);
    assert_eq!(before, 3);
    let cases: [(&str, &[u8], &[&str]); 4] = [
        (
            "StreamingHistory1.json",
            &EXTENDED.as_bytes()[..EXTENDED.len() / 2],
            &["StreamingHistory1.json (line ", "column", "cut off"],
        ),
        ("StreamingHistory2.json", b"", &["StreamingHistory2.json", "empty"]),
        (
            "YourLibrary.json",
            br#"{"tracks": [{"artist": "A", "track": "B"}]}"#,
            &["YourLibrary.json (line 1 column", "not a Spotify streaming history file"],
        ),
        (
            "endsong_0.json",
            br#"[{"ts": "2024-03-04T12:00:00Z", "ms_played": 1}, {"ts": "yesterday", "ms_played": 1}]"#,
            &["endsong_0.json (entry [1])", "yesterday"],
        ),
    ];
    for (name, bytes, wanted) in cases {
        // A good new file beside the bad one: its plays must not stay behind either.
        let folder = dir.path().join(format!("case-{name}"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("Streaming_History_Audio_2024.json"), EXTENDED).unwrap();
        let bad = folder.join(name);
        std::fs::write(&bad, bytes).unwrap();
        let inputs = if name.starts_with("YourLibrary") {
            // Not a history name: a folder walk passes it by, so only named on its own.
            vec![bad.to_str().unwrap()]
        } else {
            vec![folder.to_str().unwrap(), bad.to_str().unwrap()]
        };
        for input in inputs {
            let out = spotkit(dir.path(), &["history", "--db", db, "import", input]);
            assert!(!out.status.success(), "{name} accepted");
            let err = String::from_utf8_lossy(&out.stderr);
            for w in wanted {
                assert!(err.contains(w), "{name}: `{w}` not in: {err}");
            }
            assert_eq!(
                plays(dir.path(), db),
                before,
                "{name}: the database changed"
            );
        }
    }
    // A folder without history files says so.
    let empty = dir.path().join("nothing");
    std::fs::create_dir_all(&empty).unwrap();
    let out = spotkit(
        dir.path(),
        &["history", "--db", db, "import", empty.to_str().unwrap()],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no streaming history"));
    assert_eq!(plays(dir.path(), db), before);
}

#[test]
fn a_second_import_into_one_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let good = dir.path().join("StreamingHistory0.json");
    std::fs::write(&good, ACCOUNT).unwrap();
    let lock_path = dir.path().join("h.sqlite3.lock");
    let held =
        spotkit_sync::run_lock::RunLock::acquire(&lock_path, "pid 4242, started now").unwrap();
    let out = spotkit(
        dir.path(),
        &[
            "history",
            "--db",
            db.to_str().unwrap(),
            "import",
            good.to_str().unwrap(),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("another history import") && err.contains("pid 4242"),
        "{err}"
    );
    drop(held);
    json_ok(
        dir.path(),
        &[
            "--json",
            "history",
            "--db",
            db.to_str().unwrap(),
            "import",
            good.to_str().unwrap(),
        ],
    );
}

#[test]
fn gdpr_import_points_history_files_to_history_import() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("StreamingHistory0.json");
    std::fs::write(&file, ACCOUNT).unwrap();
    let out = spotkit(
        dir.path(),
        &["import", "gdpr", "--dry-run", file.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("spotkit history import"), "{err}");
}

/// Headless Chromium, when installed (scripts/test installs it; CI sets SPOTKIT_REQUIRE_BROWSER).
fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var_os("SPOTKIT_REQUIRE_BROWSER").is_none(),
            "SPOTKIT_REQUIRE_BROWSER is set but chromium is not installed"
        );
        eprintln!("skipped: chromium is not installed (apt-get install chromium)");
    }
    found
}

#[test]
fn report_renders_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite3");
    let db = db.to_str().unwrap();
    let input = real_inputs().map_or_else(
        || {
            let p = dir.path().join("StreamingHistory0.json");
            std::fs::write(&p, ACCOUNT).unwrap();
            p
        },
        |i| i[0].clone(),
    );
    json_ok(
        dir.path(),
        &[
            "--json",
            "history",
            "--db",
            db,
            "import",
            input.to_str().unwrap(),
        ],
    );
    let html_path = dir.path().join("report.html");
    json_ok(
        dir.path(),
        &[
            "--json",
            "history",
            "--db",
            db,
            "report",
            "--out",
            html_path.to_str().unwrap(),
        ],
    );
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("<svg") && html.contains("Hours per month"));
    // Self-contained: nothing fetched.
    for needle in ["http://", "https://", "<script", "<link", "@import", "url("] {
        let outside_svg_ns = html.replace("http://www.w3.org/2000/svg", "");
        assert!(
            !outside_svg_ns.contains(needle),
            "the report refers to `{needle}`"
        );
    }
    let Some(chrome) = chromium() else { return };
    let png = dir.path().join("shot.png");
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1100,1400")
        .arg(format!("file://{}", html_path.display()))
        .output()
        .unwrap();
    assert!(
        png.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1100, 1400));
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let distinct: std::collections::HashSet<&[u8]> = pixels.iter().copied().collect();
    assert!(
        distinct.len() > 50,
        "a blank page: {} colours",
        distinct.len()
    );
    // The charts' colours are on screen: the month bars' green and the artist bars' blue.
    let near = |p: &[u8], c: [u8; 3]| p.iter().zip(c).all(|(a, b)| a.abs_diff(b) < 12);
    let green = pixels
        .iter()
        .filter(|p| near(p, [0x1d, 0xb9, 0x54]))
        .count();
    let blue = pixels
        .iter()
        .filter(|p| near(p, [0x1e, 0x88, 0xe5]))
        .count();
    assert!(
        green > 500 && blue > 500,
        "charts missing: {green} green, {blue} blue pixels"
    );
}

/// Search requests the sandbox answered so far, whatever their status.
async fn searches(sb: &spotkit_sandbox::RunningSandbox) -> u64 {
    let stats = common::sandbox_stats(sb).await;
    stats["requests"]["GET /v1/search"]
        .as_object()
        .map_or(0, |by_status| {
            by_status.values().filter_map(Value::as_u64).sum()
        })
}

/// The demo user's liked tracks as the API lists them: title, main artist, URI; each title and
/// artist once, so the expected URI is the only right answer.
async fn catalogue_tracks(sb: &spotkit_sandbox::RunningSandbox) -> Vec<(String, String, String)> {
    let page = common::liked_page(sb, 30).await;
    let mut tracks: Vec<(String, String, String)> = Vec::new();
    for item in page["items"].as_array().unwrap() {
        let t = &item["track"];
        let entry = (
            t["name"].as_str().unwrap().to_owned(),
            t["artists"][0]["name"].as_str().unwrap().to_owned(),
            t["uri"].as_str().unwrap().to_owned(),
        );
        // Titles that occur once with their artist, so the expected URI is the only answer.
        if !tracks.iter().any(|x| x.0 == entry.0 && x.1 == entry.1) {
            tracks.push(entry);
        }
    }
    tracks
}

/// Item 3: `history enrich` gives account-data plays the URIs of the sandbox catalogue's tracks
/// (by search, scored by the import's matcher), takes those the extended history already has for
/// free, caches misses, and a rerun asks nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrich_finds_uris_once_and_caches_misses() {
    let sb = common::sandbox(30).await;
    let dir = tempfile::tempdir().unwrap();
    common::login_paste(&sb, dir.path()).await;
    let tracks = catalogue_tracks(&sb).await;
    assert!(tracks.len() >= 4, "{tracks:?}");
    let (searched, extended) = (&tracks[..3], &tracks[3]);
    // Designed account-data plays of those tracks (one twice), a track that is nowhere in the
    // catalogue, and the extended history's play of another catalogue track.
    let mut account = Vec::new();
    for (i, (name, artist, _)) in searched.iter().chain([extended]).enumerate() {
        account.push(
            serde_json::json!({"endTime": format!("2024-05-0{} 10:00", i + 1),
            "artistName": artist, "trackName": name, "msPlayed": 180_000}),
        );
    }
    account.push(
        serde_json::json!({"endTime": "2024-05-09 10:00", "artistName": searched[0].1,
        "trackName": searched[0].0, "msPlayed": 90_000}),
    );
    account.push(serde_json::json!({"endTime": "2024-05-10 10:00",
        "artistName": "Nobody Qwxzv", "trackName": "Zzyzx Unfindable Song", "msPlayed": 60_000}));
    let ext = serde_json::json!([{"ts": "2024-06-01T12:00:00Z", "ms_played": 200_000,
        "master_metadata_track_name": extended.0, "master_metadata_album_artist_name": extended.1,
        "master_metadata_album_album_name": "Designed Album", "spotify_track_uri": extended.2,
        "skipped": false}]);
    let export = dir.path().join("export");
    std::fs::create_dir_all(&export).unwrap();
    std::fs::write(
        export.join("StreamingHistory_music_0.json"),
        serde_json::to_vec(&account).unwrap(),
    )
    .unwrap();
    std::fs::write(
        export.join("Streaming_History_Audio_2024.json"),
        serde_json::to_vec(&ext).unwrap(),
    )
    .unwrap();
    let db = dir.path().join("h.sqlite3");
    let db_s = db.to_str().unwrap();
    let history = |args: &[&str]| {
        let mut all = vec!["--json", "history", "--db", db_s];
        all.extend_from_slice(args);
        all.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let args = history(&["import", export.to_str().unwrap()]);
    let imported: Value = serde_json::from_str(&common::ok(
        &common::run(
            &sb,
            dir.path(),
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        )
        .await,
    ))
    .unwrap();
    assert_eq!(imported["total_plays"], 7, "{imported}");

    let before = searches(&sb).await;
    let args = history(&["enrich"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let first: Value =
        serde_json::from_str(&common::ok(&common::run(&sb, dir.path(), &args).await)).unwrap();
    assert_eq!(first["names"], 5, "{first}");
    assert_eq!(first["from_extended"], 1, "{first}");
    assert_eq!(first["from_search"], 3, "{first}");
    assert_eq!(first["unmatched"], 1, "{first}");
    assert_eq!(first["pending"], 0, "{first}");
    assert_eq!(
        first["searched_now"], 4,
        "the extended track is not searched: {first}"
    );
    let used = searches(&sb).await - before;
    assert!(used >= 4, "{used} searches");

    // The URIs are in the database, per name; the miss is cached as one.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let uri_of = |name: &str, artist: &str| -> Option<String> {
        conn.query_row(
            "SELECT uri FROM lookups WHERE name = ?1 AND creator = ?2",
            [name, artist],
            |r| r.get(0),
        )
        .unwrap()
    };
    for (name, artist, uri) in searched.iter().chain([extended]) {
        assert_eq!(
            uri_of(name, artist).as_deref(),
            Some(uri.as_str()),
            "{name}"
        );
    }
    assert_eq!(uri_of("Zzyzx Unfindable Song", "Nobody Qwxzv"), None);

    // A rerun asks Spotify nothing.
    let before = searches(&sb).await;
    let again: Value =
        serde_json::from_str(&common::ok(&common::run(&sb, dir.path(), &args).await)).unwrap();
    assert_eq!(searches(&sb).await, before, "a rerun searched: {again}");
    assert_eq!(again["searched_now"], 0, "{again}");
    assert_eq!(again["from_search"], 3, "{again}");
    assert_eq!(again["unmatched"], 1, "{again}");

    // `stats --by-uri` groups by those URIs and names them; the miss stays grouped by its names.
    let args = history(&["stats", "--by-uri"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let stats: Value =
        serde_json::from_str(&common::ok(&common::run(&sb, dir.path(), &args).await)).unwrap();
    let top = stats["top_tracks"]["by_plays"].as_array().unwrap();
    assert_eq!(top.len(), 5, "{stats}");
    for (name, artist, uri) in searched.iter().chain([extended]) {
        let e = top.iter().find(|e| e["name"] == name.as_str()).unwrap();
        assert_eq!(e["uri"], uri.as_str(), "{e}");
        assert_eq!(e["artist"], artist.as_str(), "{e}");
    }
    assert_eq!(top[0]["plays"], 2, "{stats}");
    let miss = top
        .iter()
        .find(|e| e["name"] == "Zzyzx Unfindable Song")
        .unwrap();
    assert!(miss.get("uri").is_none(), "{miss}");
}

/// An exhausted quota stops `enrich` (exit status 75) keeping every answer it got; once the quota
/// clears, a rerun searches only the names left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrich_stopped_by_the_quota_continues_where_it_stopped() {
    let sb = common::sandbox(30).await;
    let dir = tempfile::tempdir().unwrap();
    common::login_paste(&sb, dir.path()).await;
    let tracks = catalogue_tracks(&sb).await;
    assert!(tracks.len() >= 20, "{tracks:?}");
    let account: Vec<Value> = tracks[..20]
        .iter()
        .enumerate()
        .map(|(i, (name, artist, _))| {
            serde_json::json!({"endTime": format!("2024-05-{:02} 10:00", i + 1),
                "artistName": artist, "trackName": name, "msPlayed": 180_000})
        })
        .collect();
    let file = dir.path().join("StreamingHistory0.json");
    std::fs::write(&file, serde_json::to_vec(&account).unwrap()).unwrap();
    let db = dir.path().join("h.sqlite3");
    let db = db.to_str().unwrap();
    common::ok(
        &common::run(
            &sb,
            dir.path(),
            &["history", "--db", db, "import", file.to_str().unwrap()],
        )
        .await,
    );
    common::set_quota(&sb, serde_json::json!({"requests": 6, "window_secs": 3600})).await;
    let out = common::run(&sb, dir.path(), &["history", "--db", db, "enrich"]).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(
        err.contains("names looked up in this run are kept"),
        "{err}"
    );
    let conn = rusqlite::Connection::open(db).unwrap();
    let kept: i64 = conn
        .query_row("SELECT count(*) FROM lookups", [], |r| r.get(0))
        .unwrap();
    assert!(kept > 0 && kept < 20, "{kept} lookups kept");
    assert!(err.contains(&format!("the {kept} names")), "{err}");

    common::clear_quota(&sb).await;
    let again: Value = serde_json::from_str(&common::ok(
        &common::run(
            &sb,
            dir.path(),
            &["--json", "history", "--db", db, "enrich"],
        )
        .await,
    ))
    .unwrap();
    assert_eq!(again["searched_now"], 20 - kept, "{again}");
    assert_eq!(again["from_search"], 20, "{again}");
    assert_eq!(again["pending"], 0, "{again}");
}
