//! Issue #16: every real Exportify file and Spotify data export in the conformance folder
//! (`real-files/`, other people's files, never copied here) imports in a dry run against the
//! sandbox with one report line per row, and every id or URI the file holds is recognised.
//!
//! Rows are counted here independently of spotkit: a plain `csv` parse of each CSV (or zip entry)
//! and the array lengths of each JSON file.

mod common;

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use common::{login_paste, run};
use serde_json::Value;

/// One report line: its source (`file:line` or `file#/pointer`), outcome, method and URI.
#[derive(Debug)]
struct Line {
    source: String,
    outcome: String,
    method: String,
    uri: String,
}

fn report(path: &Path) -> Vec<Line> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(|r| {
            let r = r.unwrap();
            Line {
                source: r[0].to_owned(),
                outcome: r[5].to_owned(),
                method: r[6].to_owned(),
                uri: r[8].to_owned(),
            }
        })
        .collect()
}

/// What a URI or id cell names, as a `spotify:track:`/`spotify:episode:` URI.
fn expected_uri(cell: &str) -> Option<String> {
    let cell = cell.trim();
    let is_id = |s: &str| s.len() == 22 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if is_id(cell) {
        return Some(format!("spotify:track:{cell}"));
    }
    let mut parts = cell.split(':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("spotify"), Some(kind @ ("track" | "episode")), Some(id), None) if is_id(id) => {
            Some(format!("spotify:{kind}:{id}"))
        }
        _ => None,
    }
}

/// Rows of one CSV text by a plain parse: (line, URI named by the first cell). Every Exportify
/// layout puts the track's URI or id first.
fn csv_rows(bytes: &[u8]) -> Vec<(u64, Option<String>)> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(Result::unwrap)
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .map(|r| {
            (
                r.position().unwrap().line(),
                r.get(0).and_then(expected_uri),
            )
        })
        .collect()
}

/// The CSV files of one Exportify fixture: (name as the report shows it, bytes).
fn exportify_inputs(path: &Path) -> Vec<(String, Vec<u8>)> {
    let shown = path.display().to_string();
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut out = Vec::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let inner = entry.name().unwrap().into_owned();
            if entry.is_dir()
                || !Path::new(&inner)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
            {
                continue;
            }
            let name = format!("{shown}!/{inner}");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            out.push((name, bytes));
        }
        out
    } else {
        vec![(shown, std::fs::read(path).unwrap())]
    }
}

fn fixtures(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for case in std::fs::read_dir(dir).unwrap() {
        for f in std::fs::read_dir(case.unwrap().path()).unwrap() {
            out.push(f.unwrap().path());
        }
    }
    out.sort();
    out
}

/// Runs a dry run of `args` and returns its report, or the failure's stderr.
async fn dry_run(
    sb: &spotkit_sandbox::RunningSandbox,
    dir: &Path,
    args: &[&str],
) -> Result<Vec<Line>, String> {
    let report_path = dir.join("report.csv");
    let _ = std::fs::remove_file(&report_path);
    let mut all = args.to_vec();
    all.extend(["--dry-run", "--json", "--report"]);
    let shown = report_path.display().to_string();
    all.push(&shown);
    let out = run(sb, dir, &all).await;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(report(&report_path))
}

/// Checks a report against the rows counted independently: one line per row, in order of the
/// lines, with the row's URI when it has one. Returns the problems found.
fn check_csv_file(name: &str, rows: &[(u64, Option<String>)], lines: &[&Line]) -> Vec<String> {
    let mut problems = Vec::new();
    if rows.len() != lines.len() {
        problems.push(format!(
            "{name}: {} rows but {} report lines",
            rows.len(),
            lines.len()
        ));
        return problems;
    }
    for ((line, uri), l) in rows.iter().zip(lines) {
        if !l.source.ends_with(&format!(":{line}")) {
            problems.push(format!(
                "{name}: row at line {line} reported as {}",
                l.source
            ));
        }
        if let Some(uri) = uri
            && (l.uri != *uri || l.method != "uri")
        {
            problems.push(format!(
                "{}: the row's {uri} not recognised (report: {:?} {:?} {:?})",
                l.source, l.outcome, l.method, l.uri
            ));
        }
    }
    problems
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_every_real_exportify_file_dry_runs_row_for_row() {
    let Some(root) = spotkit_conformance::dir("real-files/exportify") else {
        return;
    };
    let sb = common::sandbox(20).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let mut problems = Vec::new();
    let mut total = 0;
    for path in fixtures(&root) {
        let shown = path.display().to_string();
        let lines = match dry_run(&sb, dir.path(), &["import", "exportify", &shown]).await {
            Ok(lines) => lines,
            Err(stderr) => {
                problems.push(format!("{shown}: refused: {}", stderr.trim()));
                continue;
            }
        };
        let mut by_file: HashMap<String, Vec<&Line>> = HashMap::new();
        for l in &lines {
            let file = l.source.rsplit_once(':').map_or(&*l.source, |(f, _)| f);
            by_file.entry(file.to_owned()).or_default().push(l);
        }
        for (name, bytes) in exportify_inputs(&path) {
            let rows = csv_rows(&bytes);
            total += rows.len();
            let got = by_file.remove(&name).unwrap_or_default();
            problems.extend(check_csv_file(&name, &rows, &got));
        }
        for (name, got) in by_file {
            problems.push(format!("{name}: {} report lines for no file", got.len()));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(total > 20_000, "all fixtures read: {total} rows");
}

/// What one JSON file of a data export holds, counted here: pointer of each entry → its URI
/// (`None`: names only, or a local file).
fn json_entries(base: &str, doc: &Value) -> Vec<(String, Option<String>)> {
    let uri = |v: &Value, keys: &[&str]| {
        keys.iter()
            .find_map(|k| v.get(k).and_then(Value::as_str))
            .filter(|u| u.starts_with("spotify:") && !u.starts_with("spotify:local:"))
            .map(str::to_owned)
    };
    let mut out = Vec::new();
    let is_playlist_file = base.starts_with("Playlist")
        && base[8..]
            .trim_end_matches(".json")
            .bytes()
            .all(|b| b.is_ascii_digit());
    if is_playlist_file {
        for (p, playlist) in doc["playlists"].as_array().unwrap().iter().enumerate() {
            for (i, item) in playlist["items"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let u = uri(&item["track"], &["trackUri"])
                    .or_else(|| uri(&item["episode"], &["episodeUri"]));
                out.push((format!("/playlists/{p}/items/{i}"), u));
            }
        }
    } else if base == "YourLibrary.json" {
        for section in ["tracks", "albums", "shows", "episodes", "artists"] {
            for (i, entry) in doc[section].as_array().into_iter().flatten().enumerate() {
                out.push((format!("/{section}/{i}"), uri(entry, &["uri"])));
            }
        }
    } else if base == "Follow.json" {
        for i in 0..doc["followingArtists"].as_array().map_or(0, Vec::len) {
            out.push((format!("/followingArtists/{i}"), None));
        }
    }
    out
}

/// The JSON files of one data export (folder or zip): (name as the report shows it, parsed).
fn export_files(path: &Path) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    let shown = path.display().to_string();
    let mut add = |name: String, bytes: &[u8]| {
        let base = name.rsplit('/').next().unwrap().to_owned();
        if let Ok(v) = serde_json::from_slice::<Value>(bytes) {
            out.push((name, base, v));
        }
    };
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let inner = entry.name().unwrap().into_owned();
            if entry.is_dir()
                || !Path::new(&inner)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            {
                continue;
            }
            let name = format!("{shown}!/{inner}");
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            add(name, &bytes);
        }
    } else {
        let mut stack = vec![path.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "json") {
                    add(p.display().to_string(), &std::fs::read(&p).unwrap());
                }
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_16_every_real_data_export_dry_runs_entry_for_entry() {
    let Some(root) = spotkit_conformance::dir("real-files/gdpr") else {
        return;
    };
    let sb = common::sandbox(20).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let mut problems = Vec::new();
    let mut total = 0;
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    // SPOTKIT_REAL_FILES_ONLY=G09 narrows the run to the cases whose folder name contains it.
    if let Ok(only) = std::env::var("SPOTKIT_REAL_FILES_ONLY") {
        cases.retain(|c| c.display().to_string().contains(&only));
    }
    for case in cases {
        // A zip is passed as is, a folder as the folder the export unpacked to.
        let zip = std::fs::read_dir(&case)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "zip"));
        let input = zip.unwrap_or_else(|| case.clone());
        let shown = input.display().to_string();
        let files = export_files(&input);
        let expected: Vec<(String, Option<String>)> = files
            .iter()
            .flat_map(|(name, base, doc)| {
                json_entries(base, doc)
                    .into_iter()
                    .map(move |(p, u)| (format!("{name}#{p}"), u))
            })
            .collect();
        total += expected.len();
        let started = std::time::Instant::now();
        let result = dry_run(&sb, dir.path(), &["import", "gdpr", &shown]).await;
        eprintln!("{shown}: {:?}", started.elapsed());
        if expected.is_empty() {
            // Only streaming history: refused with a message saying what the file is.
            match result {
                Ok(_) => problems.push(format!("{shown}: streaming history imported")),
                Err(stderr) if !stderr.contains("streaming history") => {
                    problems.push(format!("{shown}: unclear refusal: {stderr}"));
                }
                Err(_) => {}
            }
            continue;
        }
        let lines = match result {
            Ok(lines) => lines,
            Err(stderr) => {
                problems.push(format!("{shown}: refused: {}", stderr.trim()));
                continue;
            }
        };
        let by_source: HashMap<&str, &Line> = lines.iter().map(|l| (&*l.source, l)).collect();
        if lines.len() != expected.len() {
            problems.push(format!(
                "{shown}: {} entries but {} report lines",
                expected.len(),
                lines.len()
            ));
        }
        for (source, uri) in &expected {
            match (by_source.get(source.as_str()), uri) {
                (None, _) => problems.push(format!("{source}: no report line")),
                (Some(l), Some(uri)) if l.uri != *uri || l.method != "uri" => {
                    problems.push(format!(
                        "{source}: {uri} not recognised ({} {} {})",
                        l.outcome, l.method, l.uri
                    ));
                }
                (Some(l), None) if l.outcome == "invalid" => {
                    problems.push(format!("{source}: a names-only entry is invalid: {l:?}"));
                }
                _ => {}
            }
        }
    }
    // Each streaming-history file on its own is refused too, naming what it is.
    let history = if std::env::var("SPOTKIT_REAL_FILES_ONLY").is_ok() {
        &[][..]
    } else {
        &[
            "G01_2020-07_zihanye96/MyData/StreamingHistory0.json",
            "G07_2021-12_erickmay-extended/endsong_1.json",
        ][..]
    };
    for name in history {
        let path = root.join(name).display().to_string();
        match dry_run(&sb, dir.path(), &["import", "gdpr", &path]).await {
            Ok(_) => problems.push(format!("{name}: streaming history imported")),
            Err(stderr) if stderr.contains("streaming history") && stderr.contains("hint") => {}
            Err(stderr) => problems.push(format!("{name}: unclear refusal: {stderr}")),
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    if std::env::var("SPOTKIT_REAL_FILES_ONLY").is_err() {
        assert!(total > 25_000, "all exports read: {total} entries");
    }
}
