//! Resident yt-dlp processes: one long-lived Python process per job slot, each running searches
//! and downloads through yt-dlp's own Python API (`yt_dlp.parse_options` +
//! `YoutubeDL.download`) with the very arguments the command line would get.
//!
//! Starting yt-dlp costs about 0.9 s of CPU per call on a loaded two-core machine (Python start,
//! imports, the lazy extractor table), while a download in a warm process costs about 0.1 s
//! (measured with yt-dlp 2026.10.26 on loopback clips; see the crate README). A sync of hundreds
//! of tracks from YouTube (a search and a download each) pays that start once per slot instead
//! of twice per track.
//!
//! It works where yt-dlp is a Python script or zipapp (pip, pipx, a venv, the release zipapp):
//! the interpreter named in its `#!` line imports the same `yt_dlp` package the script runs.
//! Anything else (the self-contained release binaries, a wrapper script, a test stub), a worker
//! that does not come up, or one reporting another version than `yt-dlp --version` makes the
//! caller fall back to one process per download.
//!
//! Protocol: one JSON line per request on the worker's stdin (`{"args": [...], "capture":
//! bool}`), one JSON line per answer on a copy of its original stdout (`{"ok": bool, "error":
//! "...", "stdout": "..."}`). With `capture`, what yt-dlp prints to its standard output (the
//! `--dump-json` lines of a search) comes back in `stdout`, as the process would have printed
//! it; otherwise yt-dlp's output goes to stderr. The worker ends when its stdin closes, so a
//! killed spotkit leaves no worker behind.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// The worker, run as `python -c WORKER <yt-dlp path>`.
const WORKER: &str = r#"
import io, json, os, sys, zipfile
exe = sys.argv[1]
if zipfile.is_zipfile(exe):
    sys.path.insert(0, exe)
answers = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)
import yt_dlp
from yt_dlp.utils import DownloadError

class Log:
    def __init__(self):
        self.errors = []
    def debug(self, msg):
        pass
    def info(self, msg):
        pass
    def warning(self, msg):
        pass
    def error(self, msg):
        self.errors.append(msg)

answers.write(json.dumps({"ready": yt_dlp.version.__version__}) + "\n")
for line in sys.stdin:
    log = Log()
    ok = False
    request = json.loads(line)
    # YoutubeDL prints --dump-json lines to the sys.stdout it finds when it is made.
    out = io.StringIO() if request.get("capture") else None
    saved = sys.stdout
    if out is not None:
        sys.stdout = out
    try:
        _, _, urls, opts = yt_dlp.parse_options(request["args"])
        opts["logger"] = log
        with yt_dlp.YoutubeDL(opts) as ydl:
            ok = ydl.download(urls) == 0
    except DownloadError as e:
        if not log.errors:
            log.errors.append(str(e))
    except SystemExit as e:
        log.errors.append("yt-dlp refused the arguments (exit %s)" % e.code)
    except Exception as e:
        log.errors.append("%s: %s" % (type(e).__name__, e))
    finally:
        sys.stdout = saved
    answers.write(json.dumps({
        "ok": ok,
        "error": " | ".join(log.errors[-3:]),
        "stdout": out.getvalue() if out is not None else "",
    }) + "\n")
"#;

/// How long a worker may take to import yt-dlp and say it is ready.
const READY: Duration = Duration::from_secs(30);

#[derive(Deserialize)]
struct Ready {
    ready: String,
}

#[derive(Deserialize)]
struct Answer {
    ok: bool,
    #[serde(default)]
    error: String,
    #[serde(default)]
    stdout: String,
}

struct Worker {
    // Killed when dropped (`kill_on_drop`): a download abandoned half-way takes its worker along.
    _child: Child,
    stdin: ChildStdin,
    stdout: Lines<BufReader<ChildStdout>>,
}

/// What became of a call handed to a worker.
pub(crate) enum Outcome {
    /// yt-dlp finished without an error; what it printed to standard output when asked to
    /// capture it.
    Done(String),
    /// yt-dlp reported an error (its last messages).
    Failed(String),
    /// No worker could run it: run yt-dlp as a process instead.
    Unavailable,
}

/// Idle workers for one yt-dlp, started on demand; never more than the calls running at once
/// (a sync's job slots: each slot searches, then downloads).
pub(crate) struct Pool {
    exe: PathBuf,
    version: String,
    /// The `#!` line's program and arguments.
    interpreter: Vec<String>,
    idle: Mutex<Vec<Worker>>,
    /// Set when a worker failed to come up: the rest of the run uses processes.
    broken: AtomicBool,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("exe", &self.exe)
            .field("interpreter", &self.interpreter)
            .finish_non_exhaustive()
    }
}

/// The interpreter of a yt-dlp that is a Python script importing `yt_dlp` or a zipapp, from its
/// `#!` line; `None` for anything else.
fn interpreter(exe: &Path) -> Option<Vec<String>> {
    let mut head = vec![0u8; 4096];
    let n = {
        use std::io::Read as _;
        std::fs::File::open(exe).ok()?.read(&mut head).ok()?
    };
    head.truncate(n);
    let line_end = head.iter().position(|b| *b == b'\n')?;
    let shebang = std::str::from_utf8(head.get(..line_end)?.strip_prefix(b"#!")?).ok()?;
    let rest = &head[line_end + 1..];
    let is_script = rest.windows(6).any(|w| w == b"yt_dlp");
    let is_zipapp = rest.starts_with(b"PK\x03\x04");
    if !is_script && !is_zipapp {
        return None;
    }
    let words: Vec<String> = shebang.split_whitespace().map(str::to_owned).collect();
    (!words.is_empty()).then_some(words)
}

impl Pool {
    /// A pool for the yt-dlp at `exe`, which reported `version`; `None` when it cannot have one.
    pub(crate) fn new(exe: &Path, version: &str) -> Option<Pool> {
        Some(Pool {
            exe: exe.to_path_buf(),
            version: version.to_owned(),
            interpreter: interpreter(exe)?,
            idle: Mutex::new(Vec::new()),
            broken: AtomicBool::new(false),
        })
    }

    async fn start(&self) -> Result<Worker, String> {
        let (program, args) = self.interpreter.split_first().ok_or("no interpreter")?;
        let mut child = Command::new(program)
            .args(args)
            .arg("-c")
            .arg(WORKER)
            .arg(&self.exe)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {program}: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
        let line = tokio::time::timeout(READY, stdout.next_line())
            .await
            .map_err(|_| "did not come up in time".to_owned())?
            .map_err(|e| e.to_string())?
            .ok_or("exited at start (yt_dlp cannot be imported there)")?;
        let ready: Ready = serde_json::from_str(&line).map_err(|e| e.to_string())?;
        if ready.ready != self.version {
            return Err(format!(
                "imports yt-dlp {} but the executable is {}",
                ready.ready, self.version
            ));
        }
        Ok(Worker {
            _child: child,
            stdin,
            stdout,
        })
    }

    /// Runs yt-dlp with `args` (its command-line arguments, URL included) in an idle or new
    /// worker; with `capture`, what it prints to standard output is returned.
    pub(crate) async fn run(&self, args: &[OsString], capture: bool) -> Outcome {
        if self.broken.load(Ordering::Relaxed) {
            return Outcome::Unavailable;
        }
        let Some(args) = args
            .iter()
            .map(|a| a.to_str().map(str::to_owned))
            .collect::<Option<Vec<String>>>()
        else {
            // A path that is not UTF-8 cannot travel as JSON: the process takes it as it is.
            return Outcome::Unavailable;
        };
        let idle = crate::worker::lock(&self.idle).pop();
        let mut worker = match idle {
            Some(w) => w,
            None => match self.start().await {
                Ok(w) => w,
                Err(e) => {
                    tracing::info!(
                        "no resident yt-dlp ({e}); starting yt-dlp once per call instead"
                    );
                    self.broken.store(true, Ordering::Relaxed);
                    return Outcome::Unavailable;
                }
            },
        };
        let mut request = serde_json::json!({ "args": args, "capture": capture }).to_string();
        request.push('\n');
        if worker.stdin.write_all(request.as_bytes()).await.is_err() {
            return Outcome::Unavailable;
        }
        let answer = match worker.stdout.next_line().await {
            Ok(Some(line)) => serde_json::from_str::<Answer>(&line).ok(),
            _ => None,
        };
        match answer {
            Some(a) => {
                crate::worker::lock(&self.idle).push(worker);
                if a.ok {
                    Outcome::Done(a.stdout)
                } else {
                    Outcome::Failed(a.error)
                }
            }
            // The worker died mid-way (crashed, killed): this call is run as a process.
            None => Outcome::Unavailable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_python_scripts_of_ytdlp_and_zipapps_get_workers() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, body: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, body).unwrap();
            p
        };
        let pip = write(
            "pip",
            b"#!/opt/venv/bin/python3\nimport re\nimport sys\nfrom yt_dlp import main\n",
        );
        assert_eq!(
            interpreter(&pip),
            Some(vec!["/opt/venv/bin/python3".to_owned()])
        );
        let zipapp = write("zipapp", b"#!/usr/bin/env python3\nPK\x03\x04rest");
        assert_eq!(
            interpreter(&zipapp),
            Some(vec!["/usr/bin/env".to_owned(), "python3".to_owned()])
        );
        let stub = write(
            "stub",
            b"#!/usr/bin/env python3\nimport json, sys\nprint(1)\n",
        );
        assert_eq!(interpreter(&stub), None);
        let elf = write("elf", b"\x7fELF\x02\x01\x01yt_dlp");
        assert_eq!(interpreter(&elf), None);
        assert_eq!(interpreter(&dir.path().join("missing")), None);
    }
}
