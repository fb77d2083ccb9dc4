//! What the tests that run the real yt-dlp share.

use std::path::PathBuf;

/// The real yt-dlp: `SPOTKIT_YTDLP` (set by scripts/setup.d/20-sync.sh, then it must exist),
/// else `yt-dlp` on PATH, else `None` after saying the test is skipped.
pub fn ytdlp() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SPOTKIT_YTDLP") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "SPOTKIT_YTDLP={} is set (by scripts/setup.d/20-sync.sh) but there is no such file",
            path.display()
        );
        return Some(path);
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("yt-dlp"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        println!("SKIPPED: yt-dlp is not on PATH and SPOTKIT_YTDLP is not set; run ./scripts/test");
    }
    found
}
