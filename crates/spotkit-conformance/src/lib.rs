//! The one way spotkit's tests reach third-party conformance data.
//!
//! Some tests check spotkit against data that belongs to others: Spotify's OpenAPI definition,
//! Web API responses people recorded, real Exportify files and Spotify data exports, real YouTube
//! Music searches. None of it is copied into the repository. It lives in a folder outside it,
//! named by the environment variable [`DIR_VAR`] (`SPOTKIT_CONFORMANCE_DIR`); `scripts/test` sets
//! it when it finds the data next to the checkout.
//!
//! A test asks for what it needs by its path inside that folder:
//!
//! ```no_run
//! let Some(spec) = spotkit_conformance::file("spotify-openapi/fixed-spotify-open-api.yml") else {
//!     return; // skipped, and said so
//! };
//! let text = std::fs::read_to_string(spec).unwrap();
//! # let _ = text;
//! ```
//!
//! - Data present: the path, and the test counts as run.
//! - Data absent: a line on standard error saying which data the test needed and where it looked,
//!   and `None`: the test returns early and counts as skipped.
//! - Data absent while [`REQUIRE_VAR`] (`SPOTKIT_REQUIRE_CONFORMANCE=1`, set by CI) is set: a
//!   panic naming the data and the folder, so a missing file fails the run instead of hiding.
//!
//! Every answer is also appended to the file named by [`LOG_VAR`] when it is set, one line per
//! request (`ran` or `skipped`, test binary, test name, data), from which `scripts/test` prints
//! its `conformance: N tests ran, M skipped` summary.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The folder holding the conformance data.
pub const DIR_VAR: &str = "SPOTKIT_CONFORMANCE_DIR";
/// When set to `1` (or `true`), missing conformance data fails the test instead of skipping it.
pub const REQUIRE_VAR: &str = "SPOTKIT_REQUIRE_CONFORMANCE";
/// A file each answer is appended to, for the summary of a whole run.
pub const LOG_VAR: &str = "SPOTKIT_CONFORMANCE_LOG";

/// The file at `relative` inside the conformance folder, or `None` when it is not there (the test
/// should return: it is skipped, and a line says so). Panics instead when [`REQUIRE_VAR`] is set.
pub fn file(relative: &str) -> Option<PathBuf> {
    lookup(relative, Path::is_file)
}

/// The folder at `relative` inside the conformance folder (e.g. `real-responses`), or `None` as
/// for [`file()`].
pub fn dir(relative: &str) -> Option<PathBuf> {
    lookup(relative, Path::is_dir)
}

/// Whether missing data fails instead of skipping.
pub fn required() -> bool {
    std::env::var(REQUIRE_VAR).is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes"))
}

fn lookup(relative: &str, exists: fn(&Path) -> bool) -> Option<PathBuf> {
    let root = std::env::var_os(DIR_VAR).filter(|v| !v.is_empty());
    let found = root
        .as_ref()
        .map(|root| Path::new(root).join(relative))
        .filter(|p| exists(p));
    let test = test_name();
    if let Some(path) = found {
        log("ran", &test, relative);
        return Some(path);
    }
    let looked = match &root {
        Some(root) => format!("not found in {DIR_VAR}={}", Path::new(root).display()),
        None => format!("{DIR_VAR} is not set"),
    };
    assert!(
        !required(),
        "conformance data `{relative}` is missing ({looked}); {REQUIRE_VAR} is set, so this is a \
         failure: point {DIR_VAR} at the conformance folder (scripts/test does when it is next to \
         the checkout)"
    );
    eprintln!("conformance: skipped {test}: needs `{relative}` ({looked})");
    log("skipped", &test, relative);
    None
}

/// The running test, as `binary::test` (libtest names each test's thread after the test).
fn test_name() -> String {
    let stem = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_default();
    // Cargo names test binaries `<target>-<16 hex digits>`.
    let binary = match stem.rsplit_once('-') {
        Some((name, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            name.to_owned()
        }
        _ => stem,
    };
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("?");
    format!("{binary}::{test}")
}

fn log(status: &str, test: &str, relative: &str) {
    let Some(path) = std::env::var_os(LOG_VAR).filter(|v| !v.is_empty()) else {
        return;
    };
    // One short line per write with O_APPEND: lines from parallel test processes do not mix.
    let line = format!("{status}\t{test}\t{relative}\n");
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(e) = written {
        eprintln!(
            "conformance: cannot append to {LOG_VAR}={}: {e}",
            Path::new(&path).display()
        );
    }
}
