//! `ffmpeg`: found and checked once (version, and an encoder for the chosen format), then used
//! to convert a downloaded file into the target format.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde::{Deserialize, Serialize};
use tokio::process::Command;

use crate::error::{Error, Result};
use crate::ytdlp::tail;

/// Oldest ffmpeg major version accepted (4.x has every encoder and flag used here).
pub const MIN_MAJOR: u32 = 4;

const INSTALL_HINT: &str = "install it (`apt install ffmpeg`, `brew install ffmpeg`, `winget install ffmpeg`) or point SPOTKIT_FFMPEG / --ffmpeg at the executable";

/// Target audio format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Opus in Ogg, 128 kbit/s (transparent for most, the smallest files).
    Opus,
    /// AAC in MP4, 192 kbit/s (Apple devices).
    M4a,
    /// MP3 VBR ~190 kbit/s (plays everywhere).
    Mp3,
    /// FLAC (lossless container of what was downloaded: no gain over the source's quality).
    Flac,
}

impl Format {
    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Opus => "opus",
            Format::M4a => "m4a",
            Format::Mp3 => "mp3",
            Format::Flac => "flac",
        }
    }

    /// The ffmpeg encoder it needs.
    pub fn encoder(self) -> &'static str {
        match self {
            Format::Opus => "libopus",
            Format::M4a => "aac",
            Format::Mp3 => "libmp3lame",
            Format::Flac => "flac",
        }
    }

    fn args(self) -> &'static [&'static str] {
        match self {
            Format::Opus => &["-c:a", "libopus", "-b:a", "128k", "-f", "opus"],
            Format::M4a => &[
                "-c:a",
                "aac",
                "-b:a",
                "192k",
                "-movflags",
                "+faststart",
                "-f",
                "ipod",
            ],
            Format::Mp3 => &["-c:a", "libmp3lame", "-q:a", "2", "-f", "mp3"],
            Format::Flac => &["-c:a", "flac", "-f", "flac"],
        }
    }
}

impl Format {
    /// The format a file name's extension says.
    pub fn from_path(path: &Path) -> Option<Format> {
        path.extension()?.to_str()?.parse().ok()
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "opus" => Ok(Format::Opus),
            "m4a" | "aac" => Ok(Format::M4a),
            "mp3" => Ok(Format::Mp3),
            "flac" => Ok(Format::Flac),
            other => Err(format!(
                "unknown format {other:?}: use opus, m4a, mp3 or flac"
            )),
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.ext())
    }
}

/// A located, checked ffmpeg.
#[derive(Debug, Clone)]
pub struct Ffmpeg {
    path: PathBuf,
    version: String,
}

fn parse_major(version_line: &str) -> Option<u32> {
    // "ffmpeg version 5.1.6-0+deb12u1 Copyright ..." or "ffmpeg version n6.1 ..."
    let v = version_line.split_whitespace().nth(2)?;
    let v = v.trim_start_matches('n');
    v.split(['.', '-']).next()?.parse().ok()
}

impl Ffmpeg {
    /// Finds ffmpeg (`explicit`, else `ffmpeg` on `PATH`), checks its version and that it can
    /// encode `format`.
    pub async fn locate(explicit: Option<&Path>, format: Format) -> Result<Ffmpeg> {
        let path = explicit.map_or_else(|| PathBuf::from("ffmpeg"), Path::to_path_buf);
        let run = |args: &'static [&'static str]| {
            let mut c = Command::new(&path);
            c.args(args).stdin(Stdio::null()).kill_on_drop(true);
            c
        };
        let out = run(&["-hide_banner", "-version"])
            .output()
            .await
            .map_err(|e| Error::Tool {
                tool: "ffmpeg",
                problem: format!("cannot be run ({}: {e})", path.display()),
                hint: INSTALL_HINT,
            })?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let first = text.lines().next().unwrap_or("").to_owned();
        match parse_major(&first) {
            Some(m) if m >= MIN_MAJOR => {}
            Some(_) => {
                return Err(Error::Tool {
                    tool: "ffmpeg",
                    problem: format!("is too old ({first}); spotkit needs {MIN_MAJOR}.0 or newer"),
                    hint: INSTALL_HINT,
                });
            }
            // Builds from git report a date or hash instead of a version: accept them.
            None if out.status.success() && first.starts_with("ffmpeg version") => {}
            None => {
                return Err(Error::Tool {
                    tool: "ffmpeg",
                    problem: format!("at {} did not report a version", path.display()),
                    hint: INSTALL_HINT,
                });
            }
        }
        let encoders = run(&["-hide_banner", "-encoders"])
            .output()
            .await
            .map_err(|e| Error::Tool {
                tool: "ffmpeg",
                problem: format!("cannot list its encoders: {e}"),
                hint: INSTALL_HINT,
            })?;
        let list = String::from_utf8_lossy(&encoders.stdout);
        if !list
            .lines()
            .any(|l| l.split_whitespace().nth(1) == Some(format.encoder()))
        {
            return Err(Error::Tool {
                tool: "ffmpeg",
                problem: format!(
                    "has no {} encoder, needed for --format {format}",
                    format.encoder()
                ),
                hint: "install a full ffmpeg build (Debian/Ubuntu: `apt install ffmpeg`), or choose another --format",
            });
        }
        Ok(Ffmpeg {
            path,
            version: first,
        })
    }

    /// The first line of `ffmpeg -version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Converts `src` into `dst` (written in `format` whatever its name). Output is bit-exact
    /// (no random Ogg serials or timestamps), so the same input gives the same file.
    pub async fn convert(&self, src: &Path, dst: &Path, format: Format) -> Result<(), String> {
        let out = Command::new(&self.path)
            .args(["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i"])
            .arg(src)
            .args([
                "-map",
                "0:a:0",
                "-vn",
                "-map_metadata",
                "-1",
                "-map_chapters",
                "-1",
            ])
            .args(["-fflags", "+bitexact", "-flags:a", "+bitexact"])
            .args(format.args())
            .arg(dst)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| format!("cannot run ffmpeg: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "ffmpeg could not convert the download to {format}: {}",
                tail(&out.stderr)
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_formats() {
        assert_eq!(
            parse_major("ffmpeg version 5.1.6-0+deb12u1 Copyright (c) 2000-2024"),
            Some(5)
        );
        assert_eq!(parse_major("ffmpeg version n6.1.1 Copyright"), Some(6));
        assert_eq!(parse_major("ffmpeg version N-113000-g1234"), None);
        assert_eq!("MP3".parse::<Format>(), Ok(Format::Mp3));
        assert!("wav".parse::<Format>().is_err());
    }
}
