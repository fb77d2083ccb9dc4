//! `yt-dlp`: found and version-checked once, then used to search (`--dump-json`, no download)
//! and to download the best audio of one URL, both in resident workers
//! (`ytdlp_resident.rs`) where yt-dlp can have them, else in a process per call.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;

use serde_json::Value;
use tokio::process::Command;

use crate::error::{Error, Result};
use crate::score::Candidate;
use crate::ytdlp_resident::{Outcome, Pool};

/// Oldest yt-dlp accepted: YouTube changes often, and releases much older than a year or two no
/// longer read its pages.
pub const MIN_VERSION: (u32, u32, u32) = (2024, 1, 1);

const INSTALL_HINT: &str = "install it with `pipx install yt-dlp` (or `python3 -m pip install -U yt-dlp`), or point SPOTKIT_YTDLP / --yt-dlp at the executable";

/// Where SponsorBlock's API is, unless `SPOTKIT_SPONSORBLOCK_BASE` says otherwise.
pub const SPONSORBLOCK_DEFAULT_BASE: &str = "https://sponsor.ajay.app";

/// The SponsorBlock categories cut out: the non-music parts of music videos.
pub const SPONSORBLOCK_CATEGORIES: &str = "music_offtopic";

/// A located, recent-enough yt-dlp.
#[derive(Debug, Clone)]
pub struct YtDlp {
    path: PathBuf,
    version: String,
    cookies: Option<PathBuf>,
    sponsorblock: Option<SponsorBlock>,
    /// Resident workers for searches and downloads, where this yt-dlp can have them.
    resident: Option<Arc<Pool>>,
}

/// yt-dlp's SponsorBlock settings.
#[derive(Debug, Clone)]
struct SponsorBlock {
    api: url::Url,
    ffmpeg: PathBuf,
}

/// Why a download or search failed, and whether trying again may help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolFailure {
    /// The last lines yt-dlp wrote to stderr (or the spawn error).
    pub message: String,
    /// A network-ish failure (timeouts, resets, 5xx, 429) that a retry may fix.
    pub transient: bool,
}

fn parse_version(s: &str) -> Option<(u32, u32, u32)> {
    let mut it = s.trim().split(['.', '-']).map(|p| p.parse::<u32>().ok());
    Some((it.next()??, it.next()??, it.next()??))
}

/// The tail of a tool's stderr, for error messages.
pub(crate) fn tail(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" | ")
}

fn transient(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "timed out",
        "timeout",
        "connection reset",
        "connection refused",
        "temporary failure",
        "http error 5",
        "http error 429",
        "remote end closed",
        "incompleteread",
        "unable to download",
        "network is unreachable",
    ]
    .iter()
    .any(|w| m.contains(w))
}

/// Escapes `%` so yt-dlp's output template leaves a path as it is.
fn template_escape(path: &Path) -> String {
    path.display().to_string().replace('%', "%%")
}

impl YtDlp {
    /// Finds yt-dlp (`explicit` path, else `yt-dlp` on `PATH`) and checks its version.
    pub async fn locate(explicit: Option<&Path>) -> Result<YtDlp> {
        let path = explicit.map_or_else(|| PathBuf::from("yt-dlp"), Path::to_path_buf);
        let out = Command::new(&path)
            .arg("--version")
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| Error::Tool {
                tool: "yt-dlp",
                problem: format!("cannot be run ({}: {e})", path.display()),
                hint: INSTALL_HINT,
            })?;
        let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        match parse_version(&version) {
            Some(v) if out.status.success() && v >= MIN_VERSION => Ok(YtDlp {
                resident: on_path(&path)
                    .and_then(|exe| Pool::new(&exe, &version))
                    .map(Arc::new),
                path,
                version,
                cookies: None,
                sponsorblock: None,
            }),
            Some(_) if out.status.success() => Err(Error::Tool {
                tool: "yt-dlp",
                problem: format!(
                    "{version} is too old (spotkit needs {}.{:02}.{:02} or newer)",
                    MIN_VERSION.0, MIN_VERSION.1, MIN_VERSION.2
                ),
                hint: "upgrade it with `yt-dlp -U` or `python3 -m pip install -U yt-dlp`",
            }),
            _ => Err(Error::Tool {
                tool: "yt-dlp",
                problem: format!(
                    "at {} did not report a version ({})",
                    path.display(),
                    tail(&out.stderr)
                ),
                hint: INSTALL_HINT,
            }),
        }
    }

    /// The version it reported.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Hands yt-dlp a Netscape-format cookies file (`--cookies`) for every search and download.
    #[must_use]
    pub fn with_cookies(mut self, cookies: PathBuf) -> YtDlp {
        self.cookies = Some(cookies);
        self
    }

    /// Has yt-dlp cut the segments SponsorBlock (at `api`) marks as non-music out of YouTube
    /// downloads, with `ffmpeg`. Downloads from elsewhere are left as they are.
    #[must_use]
    pub fn with_sponsorblock(mut self, api: url::Url, ffmpeg: PathBuf) -> YtDlp {
        self.sponsorblock = Some(SponsorBlock { api, ffmpeg });
        self
    }

    /// Starts yt-dlp once per search and per download, never in a resident worker (one
    /// long-lived Python process per job slot): for comparisons, and where a worker must not be
    /// used.
    #[must_use]
    pub fn one_process_per_call(mut self) -> YtDlp {
        self.resident = None;
        self
    }

    /// Whether searches and downloads run in resident workers (until one fails to start).
    pub fn has_resident_workers(&self) -> bool {
        self.resident.is_some()
    }

    /// The arguments every call starts with.
    fn common_args(&self) -> Vec<OsString> {
        // No user config: a `-x` or `-o` in someone's yt-dlp.conf must not change what we get.
        let mut args: Vec<OsString> = [
            "--no-config",
            "--no-warnings",
            "--no-progress",
            "--socket-timeout",
            "30",
        ]
        .map(OsString::from)
        .to_vec();
        if let Some(cookies) = &self.cookies {
            args.push("--cookies".into());
            args.push(cookies.into());
        }
        args
    }

    /// Runs a search (`ytsearchN:...` or a search-page URL) and returns its entries as
    /// candidates, without downloading anything: in a resident worker where there can be one,
    /// else in a process of its own.
    pub async fn search(&self, query: &str, limit: usize) -> Result<Vec<Candidate>, ToolFailure> {
        let mut args = self.common_args();
        args.extend(
            [
                "--dump-json",
                "--flat-playlist",
                "--skip-download",
                "--playlist-items",
                &format!("1:{limit}"),
                query,
            ]
            .map(OsString::from),
        );
        let stdout = if let Some(stdout) = self.run_resident(&args, true).await? {
            stdout
        } else {
            self.run_process(&args).await?
        };
        Ok(stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter_map(|v| candidate_from_json(&v))
            .collect())
    }

    /// Runs yt-dlp with `args` as a process of its own and returns what it printed.
    async fn run_process(&self, args: &[OsString]) -> Result<String, ToolFailure> {
        let out = Command::new(&self.path)
            .args(args)
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| ToolFailure {
                message: format!("cannot run yt-dlp: {e}"),
                transient: false,
            })?;
        if !out.status.success() {
            let message = tail(&out.stderr);
            return Err(ToolFailure {
                transient: transient(&message),
                message,
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Runs yt-dlp with `args` in a resident worker: `Some` with what it printed (when
    /// `capture`), `None` when there is no worker (run a process instead), or its failure.
    async fn run_resident(
        &self,
        args: &[OsString],
        capture: bool,
    ) -> Result<Option<String>, ToolFailure> {
        let Some(pool) = &self.resident else {
            return Ok(None);
        };
        match pool.run(args, capture).await {
            Outcome::Done(stdout) => Ok(Some(stdout)),
            Outcome::Failed(message) => Err(ToolFailure {
                transient: transient(&message),
                message,
            }),
            Outcome::Unavailable => Ok(None),
        }
    }

    /// Downloads the best audio of `url` to exactly `out` (yt-dlp writes `out.part` first and
    /// renames it), in a resident worker where there can be one, else in a process of its own.
    /// Media files that are files already (catalogue entries) are fetched by [`crate::direct`]
    /// instead.
    pub async fn download(&self, url: &str, out: &Path) -> Result<(), ToolFailure> {
        let args = self.download_args(url, out);
        if self.run_resident(&args, false).await?.is_some() {
            return if out.exists() {
                Ok(())
            } else {
                Err(ToolFailure {
                    message: "yt-dlp finished without writing the file".to_owned(),
                    transient: false,
                })
            };
        }
        let result = Command::new(&self.path)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| ToolFailure {
                message: format!("cannot run yt-dlp: {e}"),
                transient: false,
            })?;
        if result.status.success() && out.exists() {
            return Ok(());
        }
        let message = if result.status.success() {
            "yt-dlp exited without writing the file".to_owned()
        } else {
            tail(&result.stderr)
        };
        Err(ToolFailure {
            transient: transient(&message),
            message,
        })
    }

    /// yt-dlp's arguments for a download of `url` to `out`, the same for a worker and a process.
    fn download_args(&self, url: &str, out: &Path) -> Vec<OsString> {
        let mut args = self.common_args();
        if let Some(sb) = &self.sponsorblock {
            args.extend(
                [
                    "--sponsorblock-remove",
                    SPONSORBLOCK_CATEGORIES,
                    "--sponsorblock-api",
                    sb.api.as_str().trim_end_matches('/'),
                    "--ffmpeg-location",
                ]
                .map(OsString::from),
            );
            args.push(sb.ffmpeg.clone().into());
            // The cut is written under our `.part` name, whose extension tells ffmpeg no
            // container: Matroska holds any audio codec as it is.
            args.push("--postprocessor-args".into());
            args.push("ModifyChapters+ffmpeg_o:-f matroska".into());
        }
        args.extend(
            [
                "--no-playlist",
                "-f",
                "bestaudio/best",
                "--force-overwrites",
                "--no-mtime",
                "--fixup",
                "never",
                "--retries",
                "3",
                "-o",
            ]
            .map(OsString::from),
        );
        args.push(template_escape(out).into());
        args.push("--".into());
        args.push(url.into());
        args
    }
}

/// `path` as given when it names a file, else the first `path` in a `PATH` directory.
fn on_path(path: &Path) -> Option<PathBuf> {
    if path.components().count() > 1 {
        return path.is_file().then(|| path.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(path))
        .find(|p| p.is_file())
}

/// One `--dump-json` line as a candidate. Accepts full and `--flat-playlist` entries of YouTube
/// and YouTube Music.
pub fn candidate_from_json(v: &Value) -> Option<Candidate> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let title = s("title").or_else(|| s("track"))?;
    let url = s("webpage_url")
        .or_else(|| s("url").filter(|u| u.starts_with("http")))
        .or_else(|| s("id").map(|id| format!("https://www.youtube.com/watch?v={id}")))?;
    if v.get("live_status").and_then(Value::as_str) == Some("is_live") {
        return None;
    }
    let artist = v
        .get("artists")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .filter(|a| !a.is_empty())
        .or_else(|| s("artist"))
        .or_else(|| s("creator"));
    let channel = s("channel").or_else(|| s("uploader"));
    let official = v.get("channel_is_verified").and_then(Value::as_bool) == Some(true)
        || channel.as_deref().is_some_and(|c| c.ends_with(" - Topic"));
    Some(Candidate {
        url,
        title,
        artist,
        channel,
        duration: v.get("duration").and_then(Value::as_f64),
        isrc: None,
        official,
        album: s("album"),
        explicit: v.get("explicit").and_then(Value::as_bool),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_failures() {
        assert_eq!(parse_version("2026.10.26\n"), Some((2026, 10, 26)));
        assert_eq!(parse_version("2025.01.15.232112"), Some((2025, 1, 15)));
        assert_eq!(parse_version("garbage"), None);
        assert!(transient(
            "ERROR: Unable to download webpage: HTTP Error 503"
        ));
        assert!(!transient("ERROR: Unsupported URL: x"));
        assert_eq!(
            template_escape(Path::new("/m/100% Pure/.x.part")),
            "/m/100%% Pure/.x.part"
        );
    }

    #[test]
    fn flat_search_entries_become_candidates() {
        let line = serde_json::json!({
            "_type": "url", "ie_key": "Youtube", "id": "dQw4w9WgXcQ",
            "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "title": "Rick Astley - Never Gonna Give You Up (Official Music Video)",
            "duration": 213.0, "channel": "Rick Astley", "channel_is_verified": true,
        });
        let c = candidate_from_json(&line).expect("a candidate");
        assert_eq!(c.url, "https://www.youtube.com/watch?v=dQw4w9WgXcQ");
        assert_eq!(c.duration, Some(213.0));
        assert!(c.official);
        let live = serde_json::json!({"id": "x", "title": "t", "live_status": "is_live"});
        assert!(candidate_from_json(&live).is_none());
    }
}
