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

    /// The bitrates, in kbit/s, `--bitrate` accepts for this format (`None`: lossless, no
    /// bitrate to set).
    pub fn bitrates(self) -> Option<std::ops::RangeInclusive<u32>> {
        match self {
            // libopus' own limits.
            Format::Opus => Some(6..=510),
            // Below 32 the AAC and MP3 encoders fall back to low sample rates; above 320 MP3
            // has no bitrate and AAC gains nothing audible.
            Format::M4a | Format::Mp3 => Some(32..=320),
            Format::Flac => None,
        }
    }

    /// Checks a `--bitrate` for this format.
    pub fn check_bitrate(self, kbps: u32) -> Result<(), String> {
        match self.bitrates() {
            None => Err(format!(
                "--bitrate does not apply to {self}: it is lossless; drop --bitrate or choose another --format"
            )),
            Some(r) if !r.contains(&kbps) => Err(format!(
                "--bitrate {kbps} is out of range for {self}: use {} to {} kbit/s",
                r.start(),
                r.end()
            )),
            Some(_) => Ok(()),
        }
    }

    /// The encoder's arguments; `bitrate` (kbit/s, checked by [`Format::check_bitrate`])
    /// replaces the default rate or quality.
    fn args(self, bitrate: Option<u32>) -> Vec<String> {
        let rate =
            |default: &str| bitrate.map_or_else(|| default.to_owned(), |kbps| format!("{kbps}k"));
        let args: Vec<String> = match self {
            Format::Opus => vec!["-c:a".into(), "libopus".into(), "-b:a".into(), rate("128k")],
            Format::M4a => vec!["-c:a".into(), "aac".into(), "-b:a".into(), rate("192k")],
            Format::Mp3 => match bitrate {
                // Constant bitrate when one is asked for; VBR V2 (~190 kbit/s) otherwise.
                Some(kbps) => vec![
                    "-c:a".into(),
                    "libmp3lame".into(),
                    "-b:a".into(),
                    format!("{kbps}k"),
                ],
                None => vec![
                    "-c:a".into(),
                    "libmp3lame".into(),
                    "-q:a".into(),
                    "2".into(),
                ],
            },
            Format::Flac => vec!["-c:a".into(), "flac".into()],
        };
        let container: &[&str] = match self {
            Format::Opus => &["-f", "opus"],
            Format::M4a => &["-movflags", "+faststart", "-f", "ipod"],
            Format::Mp3 => &["-f", "mp3"],
            Format::Flac => &["-f", "flac"],
        };
        args.into_iter()
            .chain(container.iter().map(|s| (*s).to_owned()))
            .collect()
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

    /// The executable.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The first line of `ffmpeg -version`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Converts `src` into `dst` (written in `format` whatever its name). Output is bit-exact
    /// (no random Ogg serials or timestamps), so the same input gives the same file.
    pub async fn convert(
        &self,
        src: &Path,
        dst: &Path,
        format: Format,
        bitrate: Option<u32>,
    ) -> Result<(), String> {
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
            .args(format.args(bitrate))
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

    #[test]
    fn bitrates_per_format() {
        assert!(Format::Opus.check_bitrate(96).is_ok());
        assert!(Format::Mp3.check_bitrate(320).is_ok());
        assert!(
            Format::Mp3
                .check_bitrate(512)
                .unwrap_err()
                .contains("32 to 320")
        );
        assert!(
            Format::Flac
                .check_bitrate(320)
                .unwrap_err()
                .contains("lossless")
        );
        let mp3 = Format::Mp3.args(Some(256)).join(" ");
        assert!(mp3.contains("-b:a 256k") && !mp3.contains("-q:a"), "{mp3}");
        assert!(Format::Mp3.args(None).join(" ").contains("-q:a 2"));
        assert!(Format::Opus.args(Some(96)).join(" ").contains("-b:a 96k"));
        assert!(
            Format::M4a
                .args(None)
                .join(" ")
                .contains("-b:a 192k -movflags +faststart -f ipod")
        );
    }
}
