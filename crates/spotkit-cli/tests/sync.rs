//! `spotkit sync` end to end against a sandbox, downloading the sandbox media catalogue's clips
//! over loopback (`--source catalog:`, in-process) and converting them with the real ffmpeg:
//! every format (files ffprobe reads, tags read back with lofty, the M3U8 in order, exactly the
//! tracks without a good candidate in `sync-errors.json`), an incremental re-run, `--delete`,
//! `--dry-run`, runs killed with SIGKILL at random points, the YouTube search path through a stub
//! `yt-dlp` replaying `--dump-json` output, and the YouTube Music search path through a local
//! search server answering in YouTube Music's own layout (`--search-base-url`).
//!
//! `scripts/test` installs the tools (scripts/setup.d/20-sync.sh) and exports SPOTKIT_FFMPEG and
//! SPOTKIT_FFPROBE: then a missing tool fails the tests. Run on their own without those
//! variables, the tests look on PATH and skip, saying why, when a tool is missing. Tests that
//! act while a sync downloads slow the sandbox's media downloads (`media_latency_ms`).

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use common::{cmd, login_paste, sandbox};
use lofty::file::TaggedFileExt as _;
use lofty::tag::Accessor as _;
use serde_json::{Value, json};
use spotkit_sandbox::RunningSandbox;
use spotkit_sandbox::media;

struct Tools {
    ytdlp: PathBuf,
    ffmpeg: PathBuf,
    ffprobe: PathBuf,
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// ffmpeg and ffprobe, or `None` (with the reason printed) outside `scripts/test` when one is
/// missing. yt-dlp is never run for real here: a catalogue's files are downloaded in-process
/// (`Tools::ytdlp` points at no file, so a sync that started it would fail), and the YouTube
/// paths run a stub. `spotkit-sync`'s `ytdlp_download` test runs the real one.
fn tools() -> Option<Tools> {
    let mut found = Vec::new();
    for (var, name) in [("SPOTKIT_FFMPEG", "ffmpeg"), ("SPOTKIT_FFPROBE", "ffprobe")] {
        if let Some(path) = std::env::var_os(var) {
            let path = PathBuf::from(path);
            assert!(
                path.is_file(),
                "{var}={} is set (by scripts/setup.d/20-sync.sh) but there is no such file: the set-up hook failed",
                path.display()
            );
            found.push(path);
        } else {
            let Some(p) = on_path(name) else {
                println!(
                    "SKIPPED: {name} is not on PATH and {var} is not set; run ./scripts/test, which installs it"
                );
                return None;
            };
            found.push(p);
        }
    }
    let mut it = found.into_iter();
    Some(Tools {
        ytdlp: PathBuf::from("/nonexistent/yt-dlp"),
        ffmpeg: it.next()?,
        ffprobe: it.next()?,
    })
}

/// The sandbox as the demo user sees it through the Web API.
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
                    "playlist-read-private",
                    "playlist-modify-private",
                    "playlist-modify-public",
                ],
            )
            .await
            .unwrap();
        Api {
            base: sb.api_url(),
            token: token.access_token,
            http: spotkit::http::client().unwrap(),
        }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let resp = self
            .http
            .request(method.clone(), format!("{}/{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }
}

/// A track of the test playlist with what the sandbox knows about it.
#[derive(Debug, Clone)]
struct Want {
    id: String,
    title: String,
    artists: Vec<String>,
    album: String,
    album_id: String,
    isrc: String,
    track_number: u32,
    good: bool,
}

/// Creates a playlist of `n` tracks, three of which have no good candidate in the media catalogue.
async fn make_playlist(sb: &RunningSandbox, name: &str, n: usize) -> (String, Vec<Want>) {
    let wants: Vec<Want> = {
        let world = sb.state().world();
        let mut good = world
            .tracks
            .iter()
            .filter(|t| media::has_good_candidate(&t.id));
        let mut bad = world
            .tracks
            .iter()
            .filter(|t| !media::has_good_candidate(&t.id));
        (0..n)
            .filter_map(|i| {
                if matches!(i, 3 | 14 | 26) {
                    bad.next()
                } else {
                    good.next()
                }
            })
            .map(|t| Want {
                id: t.id.clone(),
                title: t.name.clone(),
                artists: t
                    .artists
                    .iter()
                    .map(|a| world.artists[*a as usize].name.clone())
                    .collect(),
                album: world.albums[t.album as usize].name.clone(),
                album_id: world.albums[t.album as usize].id.clone(),
                isrc: t.isrc.clone(),
                track_number: u32::from(t.track_number),
                good: media::has_good_candidate(&t.id),
            })
            .collect()
    };
    let api = Api::new(sb).await;
    let created = api
        .send(
            reqwest::Method::POST,
            "me/playlists",
            json!({"name": name, "public": false}),
        )
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let uris: Vec<String> = wants
        .iter()
        .map(|w| format!("spotify:track:{}", w.id))
        .collect();
    api.send(
        reqwest::Method::POST,
        &format!("playlists/{id}/items"),
        json!({ "uris": uris }),
    )
    .await;
    (id, wants)
}

async fn remove_from_playlist(sb: &RunningSandbox, playlist: &str, ids: &[&str]) {
    let api = Api::new(sb).await;
    let items: Vec<Value> = ids
        .iter()
        .map(|id| json!({"uri": format!("spotify:track:{id}")}))
        .collect();
    api.send(
        reqwest::Method::DELETE,
        &format!("playlists/{playlist}/items"),
        json!({ "items": items }),
    )
    .await;
}

fn catalog_source(sb: &RunningSandbox) -> String {
    format!("catalog:{}/_sandbox/media/catalog.json", sb.url())
}

async fn sync(sb: &RunningSandbox, cfg: &Path, tools: &Tools, args: &[&str]) -> Output {
    cmd(sb, cfg)
        .arg("sync")
        .args(args)
        .env("SPOTKIT_YTDLP", &tools.ytdlp)
        .env("SPOTKIT_FFMPEG", &tools.ffmpeg)
        .output()
        .await
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The final JSON summary of a `--json` run (the last line on stdout).
fn summary(out: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let s: Value = serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {}", text(out)));
    assert_eq!(s["event"], "summary", "{}", text(out));
    s
}

/// Relative path → (size, sha256-ish fingerprint) of every file below `dir`.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let path = e.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

fn has_ext(name: &str, ext: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn audio_files(dir: &Path, ext: &str) -> BTreeSet<String> {
    snapshot(dir)
        .into_keys()
        .filter(|k| k.ends_with(&format!(".{ext}")))
        .collect()
}

fn ffprobe(tools: &Tools, path: &Path) -> Value {
    let out = std::process::Command::new(&tools.ffprobe)
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=format_name,duration:stream=codec_name",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ffprobe {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn cover_png(sb: &RunningSandbox, album_id: &str) -> Vec<u8> {
    spotkit::http::client()
        .unwrap()
        .get(format!("{}/_sandbox/image/{album_id}/640", sb.url()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

/// Everything acceptance item 1 asks of one synced directory.
async fn check_synced(
    sb: &RunningSandbox,
    tools: &Tools,
    dir: &Path,
    format: &str,
    name: &str,
    wants: &[Want],
) {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("spotkit-sync.json")).unwrap()).unwrap();
    let good: Vec<&Want> = wants.iter().filter(|w| w.good).collect();
    assert_eq!(
        audio_files(dir, format).len(),
        good.len(),
        "{:?}",
        snapshot(dir).keys()
    );
    let (codec, container) = match format {
        "opus" => ("opus", "ogg"),
        "m4a" => ("aac", "mov"),
        "mp3" => ("mp3", "mp3"),
        _ => ("flac", "flac"),
    };
    let mut covers: HashMap<String, Vec<u8>> = HashMap::new();
    for w in &good {
        let entry = &manifest["tracks"][&w.id];
        let rel = entry["file"]
            .as_str()
            .unwrap_or_else(|| panic!("{} not in the manifest", w.id));
        assert!(rel.ends_with(&format!(".{format}")));
        assert_eq!(entry["format"], format);
        let path = dir.join(rel);
        // Playable: ffprobe reads the container and codec, and the clip's 2 s are there.
        let probe = ffprobe(tools, &path);
        assert!(
            probe["format"]["format_name"]
                .as_str()
                .unwrap()
                .contains(container),
            "{probe}"
        );
        assert_eq!(probe["streams"][0]["codec_name"], codec, "{probe}");
        let secs: f64 = probe["format"]["duration"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((secs - media::CLIP_SECONDS).abs() < 0.2, "{rel}: {secs} s");
        // Tags, read with lofty's generic API.
        let tagged = lofty::read_from_path(&path).unwrap();
        let tag = tagged.primary_tag().expect("a tag");
        assert_eq!(tag.title().as_deref(), Some(w.title.as_str()), "{rel}");
        assert_eq!(
            tag.artist().as_deref(),
            Some(w.artists.join(", ").as_str()),
            "{rel}"
        );
        assert_eq!(tag.album().as_deref(), Some(w.album.as_str()), "{rel}");
        assert_eq!(tag.track(), Some(w.track_number), "{rel}");
        assert_eq!(
            tag.get_string(lofty::tag::ItemKey::Isrc),
            Some(w.isrc.as_str()),
            "{rel}"
        );
        let cover = tag.pictures().first().expect("cover art").data().to_vec();
        if !covers.contains_key(&w.album_id) {
            covers.insert(w.album_id.clone(), cover_png(sb, &w.album_id).await);
        }
        assert_eq!(cover, covers[&w.album_id], "{rel}: the album's cover");
        // spotkit's own fields.
        let ours = spotkit_sync::tag::read(&path).unwrap();
        assert_eq!(
            ours.spotify_uri.as_deref(),
            Some(format!("spotify:track:{}", w.id).as_str())
        );
        assert!(
            ours.source
                .as_deref()
                .unwrap()
                .contains("/_sandbox/media/audio/"),
            "{ours:?}"
        );
        assert!(
            ours.duration_check.as_deref().unwrap().starts_with("ok: "),
            "{ours:?}"
        );
        assert_eq!(entry["source"].as_str(), ours.source.as_deref());
        // The chosen clip is the right candidate's.
        let world = sb.state().world();
        let t = &world.tracks[world.index.tracks[&w.id] as usize];
        let right = media::candidates(&world, t)
            .into_iter()
            .find(|c| c.kind.is_right())
            .unwrap();
        assert!(
            ours.source
                .unwrap()
                .ends_with(&format!("/{}.wav", right.id))
        );
    }
    // The M3U8: relative paths, playlist order, the synced tracks only.
    let m3u = std::fs::read_to_string(dir.join(format!("{name}.m3u8"))).unwrap();
    assert!(m3u.starts_with("#EXTM3U\n"), "{m3u}");
    let paths: Vec<&str> = m3u.lines().filter(|l| !l.starts_with('#')).collect();
    let expected: Vec<&str> = good
        .iter()
        .map(|w| manifest["tracks"][&w.id]["file"].as_str().unwrap())
        .collect();
    assert_eq!(paths, expected);
    for p in &paths {
        assert!(!p.starts_with('/') && dir.join(p).is_file(), "{p}");
    }
    // Exactly the tracks without a good candidate failed, each with the best candidates found.
    let errors: Value =
        serde_json::from_slice(&std::fs::read(dir.join("sync-errors.json")).unwrap()).unwrap();
    let failed: BTreeSet<&str> = errors["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let bad: BTreeSet<&str> = wants
        .iter()
        .filter(|w| !w.good)
        .map(|w| w.id.as_str())
        .collect();
    assert_eq!(failed, bad, "{errors:#}");
    for e in errors["errors"].as_array().unwrap() {
        assert_eq!(e["stage"], "resolve");
        assert!(!e["candidates"].as_array().unwrap().is_empty(), "{e}");
    }
    assert!(
        snapshot(dir).keys().all(|k| !has_ext(k, "part")),
        "no temporary file is left"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_a_playlist_to_every_format_then_rerun_and_delete() {
    let Some(tools) = tools() else { return };
    let sb = sandbox(20).await;
    let cfg = tempfile::tempdir().unwrap();
    login_paste(&sb, cfg.path()).await;
    let (playlist, wants) = make_playlist(&sb, "Sync Test", 30).await;
    let source = catalog_source(&sb);
    let music = cfg.path().join("music");
    let dir = music.to_str().unwrap();

    // Acceptance 1, Opus (the default format).
    let out = sync(
        &sb,
        cfg.path(),
        &tools,
        &[
            "playlist", &playlist, "--to", dir, "--source", &source, "--jobs", "4",
        ],
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(1),
        "3 tracks have no good candidate: {}",
        text(&out)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("3 of 30 tracks could not be synced"),
        "{stderr}"
    );
    assert!(stderr.contains("sync-errors.json"), "{stderr}");
    assert!(stderr.contains("downloaded 27"), "{stderr}");
    check_synced(&sb, &tools, &music, "opus", "Sync Test", &wants).await;

    // Acceptance 2: an immediate re-run downloads nothing and changes no file.
    let before = snapshot(&music);
    let out = sync(
        &sb,
        cfg.path(),
        &tools,
        &[
            "playlist", &playlist, "--to", dir, "--source", &source, "--json",
        ],
    )
    .await;
    let s = summary(&out);
    assert_eq!(s["downloaded"], 0, "{}", text(&out));
    assert_eq!(s["kept"], 27);
    assert_eq!(s["failed"].as_array().unwrap().len(), 3);
    assert_eq!(snapshot(&music), before, "a re-run changes nothing");

    // Three tracks leave the playlist: a dry run shows their deletion and touches nothing...
    let gone: Vec<&Want> = wants
        .iter()
        .filter(|w| w.good)
        .skip(5)
        .step_by(9)
        .take(3)
        .collect();
    assert_eq!(gone.len(), 3);
    let gone_ids: Vec<&str> = gone.iter().map(|w| w.id.as_str()).collect();
    remove_from_playlist(&sb, &playlist, &gone_ids).await;
    let manifest: Value = serde_json::from_slice(&before["spotkit-sync.json"]).unwrap();
    let gone_files: BTreeSet<String> = gone_ids
        .iter()
        .map(|id| manifest["tracks"][id]["file"].as_str().unwrap().to_owned())
        .collect();
    let out = sync(
        &sb,
        cfg.path(),
        &tools,
        &[
            "playlist",
            &playlist,
            "--to",
            dir,
            "--source",
            &source,
            "--delete",
            "--dry-run",
        ],
    )
    .await;
    let plan = String::from_utf8_lossy(&out.stdout).into_owned();
    for f in &gone_files {
        assert!(
            plan.lines()
                .any(|l| l.starts_with("delete") && l.contains(f.as_str())),
            "{plan}"
        );
    }
    assert_eq!(
        plan.lines().filter(|l| l.starts_with("delete")).count(),
        3,
        "{plan}"
    );
    assert_eq!(
        plan.lines().filter(|l| l.starts_with("keep")).count(),
        24,
        "{plan}"
    );
    assert_eq!(
        plan.lines().filter(|l| l.starts_with("unmatched")).count(),
        3,
        "{plan}"
    );
    assert_eq!(snapshot(&music), before, "a dry run touches nothing");

    // ...and the real run with --delete removes exactly those files.
    let out = sync(
        &sb,
        cfg.path(),
        &tools,
        &[
            "playlist", &playlist, "--to", dir, "--source", &source, "--delete",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let after = audio_files(&music, "opus");
    let expected: BTreeSet<String> = audio_files_of(&before, "opus")
        .difference(&gone_files)
        .cloned()
        .collect();
    assert_eq!(after, expected);
    let m3u = std::fs::read_to_string(music.join("Sync Test.m3u8")).unwrap();
    for f in &gone_files {
        assert!(!m3u.contains(f.as_str()), "{m3u}");
    }
    assert_eq!(m3u.lines().filter(|l| !l.starts_with('#')).count(), 24);

    // Acceptance 1 for the other formats, each into its own folder, the three runs at once.
    let (playlist2, wants2) = make_playlist(&sb, "Formats", 30).await;
    let formats = ["m4a", "mp3", "flac"];
    let dirs: Vec<PathBuf> = formats.iter().map(|f| cfg.path().join(f)).collect();
    let runs = formats.iter().zip(&dirs).map(|(format, dir)| {
        let (sb, cfg, tools, playlist2, source) = (&sb, cfg.path(), &tools, &playlist2, &source);
        async move {
            let dir = dir.to_str().unwrap();
            let args = [
                "playlist", playlist2, "--to", dir, "--source", source, "--format", format,
            ];
            sync(sb, cfg, tools, &args).await
        }
    });
    let outs = futures::future::join_all(runs).await;
    for ((format, dir), out) in formats.iter().zip(&dirs).zip(outs) {
        assert_eq!(out.status.code(), Some(1), "{format}: {}", text(&out));
        check_synced(&sb, &tools, dir, format, "Formats", &wants2).await;
    }
}

fn audio_files_of(snapshot: &BTreeMap<String, Vec<u8>>, ext: &str) -> BTreeSet<String> {
    snapshot
        .keys()
        .filter(|k| k.ends_with(&format!(".{ext}")))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_at_random_points_ends_like_an_uninterrupted_one() {
    let Some(tools) = tools() else {
        return;
    };
    let sb = sandbox(20).await;
    let cfg = tempfile::tempdir().unwrap();
    login_paste(&sb, cfg.path()).await;
    let (playlist, _) = make_playlist(&sb, "Killed", 16).await;
    let source = catalog_source(&sb);
    let reference = cfg.path().join("reference");
    let killed = cfg.path().join("killed");
    let args = |dir: &Path| -> Vec<String> {
        [
            "playlist",
            &playlist,
            "--to",
            dir.to_str().unwrap(),
            "--source",
            &source,
            "--jobs",
            "3",
        ]
        .map(str::to_owned)
        .to_vec()
    };
    let out = sync(
        &sb,
        cfg.path(),
        &tools,
        &args(&reference)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));

    // Kill the run several times at pseudo-random moments (fixed seed: reproducible), while
    // each download takes 0.8 s: every kill but the last lands mid-way through a round of
    // downloads.
    slow_media(&sb, 800);
    let mut state: u64 = 0x5eed_0007;
    let mut kills = 0;
    for _ in 0..4 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let delay = Duration::from_millis(300 + (state >> 33) % 2_200);
        let mut child = cmd(&sb, cfg.path())
            .arg("sync")
            .args(args(&killed))
            .env("SPOTKIT_YTDLP", &tools.ytdlp)
            .env("SPOTKIT_FFMPEG", &tools.ffmpeg)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        tokio::time::sleep(delay).await;
        if child.try_wait().unwrap().is_none() {
            // SIGKILL: no destructor, no signal handler runs.
            child.start_kill().unwrap();
            kills += 1;
        }
        let _ = child.wait().await;
    }
    assert!(
        kills >= 2,
        "the run was killed mid-way at least twice ({kills})"
    );
    let out = sync(
        &sb,
        cfg.path(),
        &tools,
        &args(&killed).iter().map(String::as_str).collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));

    let a = snapshot(&reference);
    let b = snapshot(&killed);
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (name, bytes) in &a {
        assert!(!has_ext(name, "part"), "{name} left behind");
        if has_ext(name, "opus") {
            assert_eq!(
                spotkit_sync::tag::read(&reference.join(name)).unwrap(),
                spotkit_sync::tag::read(&killed.join(name)).unwrap(),
                "{name}: the same tags"
            );
        }
        assert!(bytes == &b[name], "{name} differs between the runs");
    }
    // Some tracks were finished by killed runs and adopted, some downloaded by the last run.
    let log = text(&out);
    assert!(!log.contains("downloaded 0,"), "{log}");
}

/// A stand-in `yt-dlp`: answers `--version`, replays designed `--dump-json` search output of
/// YouTube searches (`ytsearch8:`) by query, and "downloads" a one-second WAV; every call is
/// logged for the test to inspect. YouTube Music is not searched through yt-dlp any more: a
/// search for it here fails loudly.
const STUB: &str = r#"#!/usr/bin/env python3
import json, math, os, struct, sys, wave
args = sys.argv[1:]
with open(os.environ["STUB_LOG"], "a") as log:
    log.write(json.dumps(args) + "\n")
if "--version" in args:
    print("2026.10.26")
    sys.exit(0)
replay = json.load(open(os.environ["STUB_REPLAY"]))
if "--dump-json" in args:
    q = args[-1]
    if not q.startswith("ytsearch"):
        sys.stderr.write("ERROR: the stub only replays ytsearch queries, not " + q + "\n")
        sys.exit(2)
    q = q.split(":", 1)[1]
    for line in replay.get(q, []):
        print(json.dumps(line))
    sys.exit(0)
out = args[args.index("-o") + 1].replace("%%", "%")
url = args[-1]
if url not in replay["__downloads__"]:
    sys.stderr.write("ERROR: [youtube] " + url + ": Video unavailable\n")
    sys.exit(1)
with wave.open(out, "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(22050)
    w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i * 0.06))) for i in range(22050)))
"#;

/// Designed search results in the shape of `yt-dlp --flat-playlist --dump-json` lines of a
/// YouTube search: the right upload and decoys.
fn recorded(w: &Want, secs: f64, n: usize) -> Vec<Value> {
    let artist = &w.artists[0];
    let entry = |id: String, title: String, channel: String, duration: f64, verified: bool| {
        json!({
            "_type": "url", "ie_key": "Youtube", "id": id,
            "url": format!("https://www.youtube.com/watch?v={id}"),
            "title": title, "description": null, "duration": duration,
            "channel_id": "UC0000000000000000000000", "channel": channel,
            "channel_url": "https://www.youtube.com/channel/UC0000000000000000000000",
            "uploader": channel, "channel_is_verified": verified,
            "view_count": 1_234_567, "live_status": null, "release_timestamp": null,
            "availability": null, "__x_forwarded_for_ip": null,
        })
    };
    vec![
        entry(
            format!("live{n:07}"),
            format!("{artist} - {} (Live at KEXP)", w.title),
            "KEXP".into(),
            secs + 31.0,
            true,
        ),
        entry(
            format!("right{n:06}"),
            format!("{artist} - {} (Official Audio)", w.title),
            artist.clone(),
            secs + 0.6,
            true,
        ),
        entry(
            format!("karaoke{n:04}"),
            format!("{} (Karaoke Version)", w.title),
            "Sing King".into(),
            secs,
            false,
        ),
    ]
}

/// One designed row of a YouTube Music songs search, in its innertube layout.
fn ytmusic_row(id: &str, title: &str, artist: &str, album: &str, secs: f64) -> Value {
    let page = |name: &str, page_type: &str| {
        json!({"text": name, "navigationEndpoint": {"browseEndpoint": {"browseId": "UC0",
            "browseEndpointContextSupportedConfigs": {"browseEndpointContextMusicConfig": {"pageType": page_type}}}}})
    };
    let secs = secs.round() as u64;
    json!({"musicResponsiveListItemRenderer": {
    "playlistItemData": {"videoId": id},
    "flexColumns": [
        {"musicResponsiveListItemFlexColumnRenderer": {"text": {"runs": [{"text": title,
            "navigationEndpoint": {"watchEndpoint": {"videoId": id, "watchEndpointMusicSupportedConfigs":
                {"watchEndpointMusicConfig": {"musicVideoType": "MUSIC_VIDEO_TYPE_ATV"}}}}}]}}},
        {"musicResponsiveListItemFlexColumnRenderer": {"text": {"runs": [
            page(artist, "MUSIC_PAGE_TYPE_ARTIST"), {"text": " • "},
            page(album, "MUSIC_PAGE_TYPE_ALBUM"), {"text": " • "},
            {"text": format!("{}:{:02}", secs / 60, secs % 60)}]}}}
    ]}})
}

fn ytmusic_page(rows: &[Value]) -> Value {
    json!({"contents": {"tabbedSearchResultsRenderer": {"tabs": [{"tabRenderer": {"selected": true,
        "content": {"sectionListRenderer": {"contents": [{"musicShelfRenderer": {"contents": rows}}]}}}}]}}})
}

/// What the YouTube Music stand-in was asked: (query, filter).
type Asked = std::sync::Arc<std::sync::Mutex<Vec<(String, Option<spotkit_sync::ytmusic::Filter>)>>>;

/// A stand-in for music.youtube.com: designed songs pages by query; every other search (ISRCs,
/// videos, unknown queries) finds nothing.
async fn ytmusic_server(pages: HashMap<String, Value>) -> (String, Asked) {
    use spotkit_sync::ytmusic::Filter;
    let asked: Asked = Asked::default();
    let log = asked.clone();
    let pages = std::sync::Arc::new(pages);
    let app = axum::Router::new()
        .route("/", axum::routing::get(|| async { "<html></html>" }))
        .route(
            "/youtubei/v1/search",
            axum::routing::post(move |body: String| {
                let pages = pages.clone();
                let log = log.clone();
                async move {
                    let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                    let query = v["query"].as_str().unwrap_or_default().to_owned();
                    let filter = v["params"].as_str().and_then(Filter::from_params);
                    log.lock().unwrap().push((query.clone(), filter));
                    let page = match (filter, pages.get(&query)) {
                        (Some(Filter::Songs), Some(p)) => p.clone(),
                        _ => ytmusic_page(&[]),
                    };
                    axum::Json(page)
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), asked)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn youtube_search_path_through_a_stub_ytdlp() {
    let Some(tools) = tools() else { return };
    let sb = sandbox(20).await;
    let cfg = tempfile::tempdir().unwrap();
    login_paste(&sb, cfg.path()).await;
    let (playlist, wants) = make_playlist(&sb, "Searched", 5).await;
    let bin = cfg.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let stub = bin.join("yt-dlp");
    std::fs::write(&stub, STUB).unwrap();
    std::fs::set_permissions(&stub, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    // Recorded search output per query, for the tracks with a good candidate; the others find
    // only decoys.
    let world_secs: HashMap<String, f64> = {
        let world = sb.state().world();
        wants
            .iter()
            .map(|w| {
                (
                    w.id.clone(),
                    f64::from(world.tracks[world.index.tracks[&w.id] as usize].duration_ms)
                        / 1000.0,
                )
            })
            .collect()
    };
    let mut replay = serde_json::Map::new();
    let mut downloads = Vec::new();
    let mut songs = HashMap::new();
    for (n, w) in wants.iter().enumerate() {
        let secs = world_secs[&w.id];
        let mut lines = recorded(w, secs, n);
        let artist = &w.artists[0];
        let mut rows = vec![
            ytmusic_row(
                &format!("live{n:07}"),
                &format!("{} (Live at KEXP)", w.title),
                artist,
                "Live at KEXP",
                secs + 31.0,
            ),
            ytmusic_row(
                &format!("right{n:06}"),
                &w.title,
                artist,
                &w.album,
                secs + 0.4,
            ),
            ytmusic_row(
                &format!("karaoke{n:04}"),
                &format!("{} (Karaoke Version)", w.title),
                "Sing King",
                "Karaoke Hits",
                secs,
            ),
        ];
        if w.good {
            downloads.push(lines[1]["url"].clone());
        } else {
            lines.remove(1);
            rows.remove(1);
        }
        let query = format!("{} - {}", w.artists.join(" "), w.title);
        songs.insert(query.clone(), ytmusic_page(&rows));
        replay.insert(query, Value::Array(lines));
    }
    let (ytmusic_base, asked) = ytmusic_server(songs).await;
    replay.insert("__downloads__".into(), Value::Array(downloads));
    let replay_path = cfg.path().join("replay.json");
    std::fs::write(
        &replay_path,
        serde_json::to_vec(&Value::Object(replay)).unwrap(),
    )
    .unwrap();
    let log = cfg.path().join("stub.log");
    let cookies = cfg.path().join("cookies.txt");
    std::fs::write(&cookies, "# Netscape HTTP Cookie File\n").unwrap();

    for source in ["youtube-music", "youtube"] {
        let dir = cfg.path().join(source);
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = cmd(&sb, cfg.path())
            .args([
                "sync",
                "playlist",
                &playlist,
                "--to",
                dir.to_str().unwrap(),
                "--source",
                source,
                "--search-base-url",
                &ytmusic_base,
                "--json",
                "--cookies",
                cookies.to_str().unwrap(),
                "--sponsorblock",
                "--sponsorblock-base-url",
                "http://127.0.0.1:9/sb",
            ])
            .env("PATH", path)
            .env_remove("SPOTKIT_YTDLP")
            .env("SPOTKIT_FFMPEG", &tools.ffmpeg)
            .env("STUB_REPLAY", &replay_path)
            .env("STUB_LOG", &log)
            .output()
            .await
            .unwrap();
        let bad = wants.iter().filter(|w| !w.good).count();
        assert_eq!(
            out.status.code(),
            Some(i32::from(bad > 0)),
            "{}",
            text(&out)
        );
        let s = summary(&out);
        assert_eq!(
            s["downloaded"].as_u64(),
            Some((wants.len() - bad) as u64),
            "{}",
            text(&out)
        );
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(dir.join("spotkit-sync.json")).unwrap()).unwrap();
        for (n, w) in wants.iter().enumerate() {
            let entry = &manifest["tracks"][&w.id];
            if w.good {
                assert_eq!(
                    entry["source"],
                    format!("https://www.youtube.com/watch?v=right{n:06}"),
                    "{w:?}"
                );
                let secs = ffprobe(&tools, &dir.join(entry["file"].as_str().unwrap()))["format"]["duration"]
                    .as_str()
                    .unwrap()
                    .parse::<f64>()
                    .unwrap();
                assert!((secs - 1.0).abs() < 0.1);
            } else {
                assert!(entry.is_null(), "{entry}");
            }
        }
    }
    // The searches and downloads were asked the way real yt-dlp needs.
    let calls: Vec<Vec<String>> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let searches: Vec<&Vec<String>> = calls
        .iter()
        .filter(|c| c.contains(&"--dump-json".to_owned()))
        .collect();
    assert!(
        searches
            .iter()
            .all(|c| c.last().unwrap().starts_with("ytsearch8:")),
        "only YouTube is searched through yt-dlp: {searches:?}"
    );
    assert!(!searches.is_empty());
    // YouTube Music was asked by ISRC first, then by text among songs, then among videos for
    // the tracks without a good song.
    use spotkit_sync::ytmusic::Filter;
    let asked = asked.lock().unwrap().clone();
    for w in &wants {
        let text = format!("{} - {}", w.artists.join(" "), w.title);
        let mine: Vec<_> = asked
            .iter()
            .filter(|(q, _)| *q == w.isrc || *q == text)
            .cloned()
            .collect();
        let mut expected = vec![
            (w.isrc.clone(), Some(Filter::Songs)),
            (text.clone(), Some(Filter::Songs)),
        ];
        if !w.good {
            expected.push((text, Some(Filter::Videos)));
        }
        assert_eq!(mine, expected, "{w:?}");
    }
    for c in &calls {
        if c.contains(&"--version".to_owned()) {
            continue;
        }
        assert!(c.contains(&"--no-config".to_owned()), "{c:?}");
        let after = |flag: &str| c.iter().position(|a| a == flag).map(|i| c[i + 1].as_str());
        assert_eq!(after("--cookies"), cookies.to_str(), "{c:?}");
        if !c.contains(&"--dump-json".to_owned()) {
            for flag in ["--no-playlist", "-f", "bestaudio/best", "-o"] {
                assert!(c.contains(&flag.to_owned()), "{flag} in {c:?}");
            }
            assert_eq!(
                after("--sponsorblock-remove"),
                Some("music_offtopic"),
                "{c:?}"
            );
            assert_eq!(
                after("--sponsorblock-api"),
                Some("http://127.0.0.1:9/sb"),
                "{c:?}"
            );
            assert_eq!(after("--ffmpeg-location"), tools.ffmpeg.to_str(), "{c:?}");
        }
    }
}

#[tokio::test]
async fn missing_tools_and_bad_flags_are_explained() {
    let sb = sandbox(5).await;
    let cfg = tempfile::tempdir().unwrap();
    login_paste(&sb, cfg.path()).await;
    let dir = cfg.path().join("m");
    let out = cmd(&sb, cfg.path())
        .args(["sync", "liked", "--to", dir.to_str().unwrap()])
        .env("SPOTKIT_YTDLP", "/nonexistent/yt-dlp")
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("yt-dlp cannot be run"), "{stderr}");
    assert!(stderr.contains("pip install"), "{stderr}");

    let out = cmd(&sb, cfg.path())
        .args([
            "sync",
            "liked",
            "--to",
            dir.to_str().unwrap(),
            "--format",
            "wav",
        ])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("opus, m4a, mp3 or flac"));

    let out = cmd(&sb, cfg.path())
        .args([
            "sync",
            "liked",
            "--to",
            dir.to_str().unwrap(),
            "--template",
            "{artist} - {name}",
            "--source",
            "catalog:http://127.0.0.1:9/x.json",
        ])
        .output()
        .await
        .unwrap();
    // A usage error, caught while parsing (issue #21).
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("{name}"),
        "{}",
        text(&out)
    );
    let out = cmd(&sb, cfg.path())
        .args(["sync", "liked"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--to"));
}

/// `spotkit sync` for a catalogue source.
fn catalog_sync(sb: &RunningSandbox, cfg: &Path, tools: &Tools) -> tokio::process::Command {
    let mut c = cmd(sb, cfg);
    c.arg("sync")
        .env("SPOTKIT_YTDLP", &tools.ytdlp)
        .env("SPOTKIT_FFMPEG", &tools.ffmpeg);
    c
}

/// Media downloads from the sandbox take `ms` each from now on (the Web API stays fast).
fn slow_media(sb: &RunningSandbox, ms: u64) {
    sb.set_faults(spotkit_sandbox::Faults {
        media_latency_ms: Some(ms),
        ..Default::default()
    });
}

/// Media files the sandbox has served so far.
fn media_served(sb: &RunningSandbox) -> u64 {
    sb.state()
        .stats()
        .requests
        .iter()
        .filter(|(k, _)| k.contains("/_sandbox/media/audio/"))
        .flat_map(|(_, by_status)| by_status.values())
        .sum()
}

fn manifest_of(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("spotkit-sync.json")).unwrap()).unwrap()
}

/// Issue #15 item 7a: files of the user's own at the names spotkit would pick are never
/// overwritten, with or without `--delete`; the track and the M3U8 go beside them, the run
/// says so, and the dry run shows it as such.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_spotkit_did_not_make_are_never_overwritten() {
    let sb = sandbox(20).await;
    let cfg = tempfile::tempdir().unwrap();
    let Some(tools) = tools() else {
        return;
    };
    login_paste(&sb, cfg.path()).await;
    let (playlist, wants) = make_playlist(&sb, "Mine", 5).await;
    let source = catalog_source(&sb);
    let run = |dir: &Path, extra: &[&str]| {
        let mut c = catalog_sync(&sb, cfg.path(), &tools);
        c.args([
            "playlist",
            &playlist,
            "--to",
            dir.to_str().unwrap(),
            "--source",
            &source,
        ])
        .args(extra);
        c
    };

    // The names spotkit picks, learnt in a folder of its own.
    let scratch = cfg.path().join("scratch");
    let out = run(&scratch, &[]).output().await.unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let good = wants.iter().find(|w| w.good).unwrap();
    let name = manifest_of(&scratch)["tracks"][&good.id]["file"]
        .as_str()
        .unwrap()
        .to_owned();

    // The user's own files at those names.
    let music = cfg.path().join("music");
    std::fs::create_dir_all(&music).unwrap();
    let own_track = b"my own recording, not spotkit's".to_vec();
    let own_list = b"#EXTM3U\n#PLAYLIST:my own list\nsomewhere/else.opus\n".to_vec();
    std::fs::write(music.join(&name), &own_track).unwrap();
    std::fs::write(music.join("Mine.m3u8"), &own_list).unwrap();

    // The dry run shows the track going beside the user's file, not as a plain download.
    let out = run(&music, &["--dry-run"]).output().await.unwrap();
    let plan = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = plan
        .lines()
        .find(|l| l.contains(&good.title))
        .unwrap_or_else(|| panic!("{}", text(&out)));
    assert!(!line.starts_with("download"), "{plan}");
    assert!(line.starts_with("aside"), "{plan}");
    assert!(line.contains(&format!("{name} is not spotkit's")), "{plan}");
    assert!(plan.contains("Mine.m3u8 is not spotkit's"), "{plan}");

    for extra in [&[][..], &["--delete"][..]] {
        let out = run(&music, extra).output().await.unwrap();
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {}", text(&out));
        assert_eq!(
            std::fs::read(music.join(&name)).unwrap(),
            own_track,
            "{extra:?}"
        );
        assert_eq!(
            std::fs::read(music.join("Mine.m3u8")).unwrap(),
            own_list,
            "{extra:?}"
        );
        let manifest = manifest_of(&music);
        let file = manifest["tracks"][&good.id]["file"].as_str().unwrap();
        assert_ne!(file, name);
        assert!(file.ends_with(" (2).opus"), "{file}");
        assert!(music.join(file).is_file());
        let m3u = manifest["playlists"][&playlist]["m3u"].as_str().unwrap();
        assert_eq!(m3u, "Mine (2).m3u8");
        assert!(
            std::fs::read_to_string(music.join(m3u))
                .unwrap()
                .contains(file),
            "the M3U8 lists the track under its new name"
        );
        if extra.is_empty() {
            // The first run says what it left alone.
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains(&format!("{name} is not spotkit's")),
                "{stderr}"
            );
            assert!(stderr.contains("Mine.m3u8 is not spotkit's"), "{stderr}");
        }
    }
}

/// Issue #15 item 7b: a second sync into a folder a first one is still writing refuses at once,
/// naming the first; the first ends with exactly the files its manifest lists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_sync_into_the_same_folder_refuses_while_the_first_runs() {
    let sb = sandbox(20).await;
    let cfg = tempfile::tempdir().unwrap();
    let Some(tools) = tools() else {
        return;
    };
    login_paste(&sb, cfg.path()).await;
    let (playlist, _) = make_playlist(&sb, "Twice", 8).await;
    let source = catalog_source(&sb);
    let music = cfg.path().join("music");
    let args = [
        "playlist",
        &playlist,
        "--to",
        music.to_str().unwrap(),
        "--source",
        &source,
        "--jobs",
        "2",
    ];
    // Each download takes half a second: the first run is still busy when the second starts.
    slow_media(&sb, 500);
    let first = catalog_sync(&sb, cfg.path(), &tools)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = first.id().unwrap();
    // Wait until the first run has downloaded a file.
    let started = std::time::Instant::now();
    while media_served(&sb) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the first run never downloaded"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let second = catalog_sync(&sb, cfg.path(), &tools)
        .args(args)
        .output()
        .await
        .unwrap();
    let first = first.wait_with_output().await.unwrap();
    assert_eq!(second.status.code(), Some(1), "{}", text(&second));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("another spotkit sync"), "{stderr}");
    assert!(stderr.contains(&format!("pid {pid}")), "{stderr}");
    assert_eq!(first.status.code(), Some(1), "{}", text(&first));

    // The folder holds exactly what the manifest lists, and nothing half-written.
    let manifest = manifest_of(&music);
    let listed: BTreeSet<String> = manifest["tracks"]
        .as_object()
        .unwrap()
        .values()
        .map(|e| e["file"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed.len(), 7, "{manifest:#}");
    assert_eq!(audio_files(&music, "opus"), listed);
    assert!(snapshot(&music).keys().all(|k| !has_ext(k, "part")));

    // Once the first is over, the folder is free again.
    slow_media(&sb, 0);
    let out = catalog_sync(&sb, cfg.path(), &tools)
        .args(args)
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("kept 7"),
        "{}",
        text(&out)
    );
}

/// Issue #15 item 7c: `--json` writes one compact JSON object per line, the summary included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_output_is_one_object_per_line() {
    let sb = sandbox(20).await;
    let cfg = tempfile::tempdir().unwrap();
    let Some(tools) = tools() else {
        return;
    };
    login_paste(&sb, cfg.path()).await;
    let (playlist, _) = make_playlist(&sb, "Lines", 5).await;
    let source = catalog_source(&sb);
    let music = cfg.path().join("music");
    for extra in [&["--dry-run"][..], &[][..]] {
        let out = catalog_sync(&sb, cfg.path(), &tools)
            .args([
                "--json",
                "playlist",
                &playlist,
                "--to",
                music.to_str().unwrap(),
            ])
            .args(["--source", &source])
            .args(extra)
            .output()
            .await
            .unwrap();
        let dry_run = !extra.is_empty();
        // One track has no good candidate: a failure of the run, a plan line of the dry run.
        assert_eq!(
            out.status.code(),
            Some(i32::from(!dry_run)),
            "{}",
            text(&out)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<Value> = stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?} in {stdout}")))
            .collect();
        assert!(lines.len() > 3, "{stdout}");
        for l in &lines {
            assert!(l["event"].is_string(), "{l} in {stdout}");
        }
        let last = lines.last().unwrap();
        assert_eq!(last["event"], "summary", "{stdout}");
        assert_eq!(last["tracks"], 5, "{stdout}");
        assert_eq!(last["dry_run"], dry_run, "{stdout}");
        let failed = last["failed"].as_array().unwrap().len();
        assert_eq!(failed, usize::from(!dry_run), "{stdout}");
    }
}

/// A stand-in `ffmpeg` that logs its arguments to `FFMPEG_LOG` and runs the real one.
fn logging_ffmpeg(cfg: &Path, real: &Path) -> PathBuf {
    let path = cfg.join("bin").join("ffmpeg-logged");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$FFMPEG_LOG\"\nexec '{}' \"$@\"\n",
            real.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    path
}

/// Requests the sandbox's LRCLIB answered so far.
fn lrclib_requests(sb: &RunningSandbox) -> u64 {
    sb.state()
        .stats()
        .requests
        .iter()
        .filter(|(k, _)| k.contains("/lrclib/api/"))
        .flat_map(|(_, by_status)| by_status.values())
        .sum()
}

/// The lyrics lofty reads from a file's tags, and for MP3 the lines of its ID3v2 SYLT frame.
fn lyrics_of(path: &Path) -> (Option<String>, Option<Vec<(u32, String)>>) {
    let tagged = lofty::read_from_path(path).unwrap();
    let tag = tagged.primary_tag().expect("a tag");
    let text = tag
        .get_string(lofty::tag::ItemKey::Lyrics)
        .or_else(|| tag.get_string(lofty::tag::ItemKey::UnsyncLyrics))
        .map(str::to_owned);
    let mut sylt = None;
    if has_ext(&path.to_string_lossy(), "mp3") {
        use lofty::file::AudioFile as _;
        let mut f = std::fs::File::open(path).unwrap();
        let mp3 =
            lofty::mpeg::MpegFile::read_from(&mut f, lofty::config::ParseOptions::new()).unwrap();
        for frame in mp3.id3v2().unwrap() {
            if let lofty::id3::v2::Frame::Binary(b) = frame
                && b.id().as_str() == "SYLT"
            {
                let parsed = lofty::id3::v2::SynchronizedTextFrame::parse(
                    &b.data,
                    lofty::id3::v2::FrameFlags::default(),
                )
                .unwrap();
                sylt = Some(parsed.content);
            }
        }
    }
    (text, sylt)
}

/// Issue #15 item 5: lyrics from LRCLIB (the sandbox's), embedded and, when synced, as `.lrc`
/// beside the file, in every lossy format; tracks without lyrics still sync; a re-run asks
/// LRCLIB nothing; `--delete` takes the `.lrc` with its track; an unreachable LRCLIB costs the
/// lyrics only; `--no-lyrics`; `--bitrate` reaches ffmpeg; `--cookies` and `--sponsorblock`
/// change nothing for a catalogue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lyrics_are_embedded_and_written_beside_the_files() {
    use spotkit_sandbox::lrclib::{self, Kind};
    let sb = sandbox(20).await;
    let cfg = tempfile::tempdir().unwrap();
    let Some(mut tools) = tools() else {
        return;
    };
    tools.ffmpeg = logging_ffmpeg(cfg.path(), &tools.ffmpeg);
    login_paste(&sb, cfg.path()).await;
    let (playlist, wants) = make_playlist(&sb, "Words", 14).await;
    let good: Vec<&Want> = wants.iter().filter(|w| w.good).collect();
    let kinds: HashMap<&str, Kind> = good
        .iter()
        .map(|w| (w.id.as_str(), lrclib::kind(&w.id)))
        .collect();
    // The playlist has every case (the seed is fixed).
    assert!(kinds.values().any(|k| *k == Kind::Synced), "{kinds:?}");
    assert!(
        kinds.values().any(|k| *k == Kind::SyncedOtherAlbum),
        "{kinds:?}"
    );
    assert!(
        kinds
            .values()
            .any(|k| matches!(k, Kind::Missing | Kind::Instrumental)),
        "{kinds:?}"
    );
    let source = catalog_source(&sb);
    let cookies = cfg.path().join("cookies.txt");
    std::fs::write(&cookies, "# Netscape HTTP Cookie File\n").unwrap();
    let ffmpeg_log = cfg.path().join("ffmpeg.log");
    let run = |dir: &Path, extra: &[&str]| {
        let mut c = catalog_sync(&sb, cfg.path(), &tools);
        c.env("FFMPEG_LOG", &ffmpeg_log)
            .args(["playlist", &playlist, "--to", dir.to_str().unwrap()])
            .args(["--source", &source])
            .args(extra);
        c
    };
    let with_lyrics = kinds
        .values()
        .filter(|k| matches!(k, Kind::Synced | Kind::SyncedOtherAlbum | Kind::PlainOnly))
        .count();

    for format in ["opus", "mp3", "m4a"] {
        let dir = cfg.path().join(format);
        let out = run(
            &dir,
            &[
                "--format",
                format,
                "--bitrate",
                "96",
                "--cookies",
                cookies.to_str().unwrap(),
                "--sponsorblock",
                "--sponsorblock-base-url",
                "http://127.0.0.1:9/sb",
            ],
        )
        .output()
        .await
        .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: {}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("downloaded {}", good.len())),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!("with lyrics {with_lyrics}")),
            "{stderr}"
        );
        let manifest = manifest_of(&dir);
        let world = sb.state().world();
        for w in &good {
            let entry = &manifest["tracks"][&w.id];
            let rel = entry["file"].as_str().unwrap();
            let path = dir.join(rel);
            let lrc_rel = format!("{}.lrc", rel.rsplit_once('.').unwrap().0);
            let t = &world.tracks[world.index.tracks[&w.id] as usize];
            let (text, sylt) = lyrics_of(&path);
            match kinds[w.id.as_str()] {
                Kind::Synced | Kind::SyncedOtherAlbum => {
                    let synced = lrclib::synced_lyrics(t);
                    assert_eq!(text.as_deref(), Some(synced.as_str()), "{format} {rel}");
                    assert_eq!(
                        std::fs::read_to_string(dir.join(&lrc_rel)).unwrap(),
                        format!("{synced}\n"),
                        "{format} {lrc_rel}"
                    );
                    assert_eq!(entry["lyrics"], lrc_rel.as_str(), "{entry}");
                    if format == "mp3" {
                        let sylt = sylt.expect("a SYLT frame");
                        assert_eq!(sylt.len(), 4, "{sylt:?}");
                        assert_eq!(sylt[0], (500, format!("Sing of {}", t.name)));
                    }
                }
                Kind::PlainOnly => {
                    let plain = lrclib::plain_lyrics(t);
                    assert_eq!(text.as_deref(), Some(plain.as_str()), "{format} {rel}");
                    assert!(!dir.join(&lrc_rel).exists(), "{lrc_rel}");
                    assert!(entry.get("lyrics").is_none(), "{entry}");
                }
                Kind::Instrumental | Kind::Missing => {
                    assert_eq!(text, None, "{format} {rel}");
                    assert!(!dir.join(&lrc_rel).exists(), "{lrc_rel}");
                    assert!(path.is_file(), "a track without lyrics still syncs");
                }
            }
        }
    }
    // --bitrate reached ffmpeg (--cookies and --sponsorblock are yt-dlp's: a catalogue's files
    // are downloaded without it, and the YouTube test checks that they reach it).
    let conversions: Vec<String> = std::fs::read_to_string(&ffmpeg_log)
        .unwrap()
        .lines()
        .filter(|l| l.contains(" -i "))
        .map(str::to_owned)
        .collect();
    assert_eq!(conversions.len(), 3 * good.len());
    for c in &conversions {
        assert!(c.contains("-b:a 96k"), "{c}");
        assert!(!c.contains("-q:a"), "{c}");
    }

    // A re-run asks LRCLIB nothing and changes nothing.
    let opus = cfg.path().join("opus");
    let before = snapshot(&opus);
    let asked = lrclib_requests(&sb);
    let out = run(&opus, &[]).output().await.unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(lrclib_requests(&sb), asked, "a re-run refetched lyrics");
    assert_eq!(snapshot(&opus), before);

    // A track with synced lyrics leaves the playlist: --delete takes its .lrc too.
    let gone = good.iter().find(|w| kinds[w.id.as_str()].synced()).unwrap();
    let gone_entry = manifest_of(&opus)["tracks"][&gone.id].clone();
    remove_from_playlist(&sb, &playlist, &[gone.id.as_str()]).await;
    let out = run(&opus, &["--delete"]).output().await.unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(!opus.join(gone_entry["file"].as_str().unwrap()).exists());
    assert!(!opus.join(gone_entry["lyrics"].as_str().unwrap()).exists());
    let left = manifest_of(&opus);
    for e in left["tracks"].as_object().unwrap().values() {
        if let Some(lrc) = e["lyrics"].as_str() {
            assert!(opus.join(lrc).is_file(), "{lrc}");
        }
    }

    // LRCLIB unreachable: every track still syncs, without lyrics, each with a note.
    let offline = cfg.path().join("offline");
    let out = run(&offline, &["--lyrics-base-url", "http://127.0.0.1:9"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("downloaded {}", good.len() - 1)),
        "{stderr}"
    );
    assert!(stderr.contains("note: "), "{stderr}");
    let errors: Value =
        serde_json::from_slice(&std::fs::read(offline.join("sync-errors.json")).unwrap()).unwrap();
    let notes = errors["notes"].as_array().unwrap();
    assert_eq!(notes.len(), good.len() - 1, "{errors:#}");
    assert!(
        notes[0]["note"]
            .as_str()
            .unwrap()
            .contains("LRCLIB could not be reached"),
        "{errors:#}"
    );
    assert!(snapshot(&offline).keys().all(|k| !has_ext(k, "lrc")));

    // --no-lyrics: LRCLIB is not asked.
    let asked = lrclib_requests(&sb);
    let plain = cfg.path().join("no-lyrics");
    let out = run(&plain, &["--no-lyrics"]).output().await.unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(lrclib_requests(&sb), asked);
    assert!(snapshot(&plain).keys().all(|k| !has_ext(k, "lrc")));

    // Flags that cannot work are said before anything happens.
    let out = run(&plain, &["--format", "flac", "--bitrate", "320"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("lossless"),
        "{}",
        text(&out)
    );
    let out = run(&plain, &["--cookies", "/nonexistent/cookies.txt"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("/nonexistent/cookies.txt does not exist"),
        "{}",
        text(&out)
    );
}
