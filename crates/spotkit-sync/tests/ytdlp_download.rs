//! The real yt-dlp, run as `spotkit sync` runs it for a YouTube download, fetching a clip from a
//! local server over loopback, in a resident worker and as a process of its own: the version
//! check, the worker protocol and the download arguments (the output template, `--no-playlist`,
//! the format) work with the tool itself, not only with the stubs the CLI tests use.
//!
//! `scripts/test` installs yt-dlp (scripts/setup.d/20-sync.sh) and exports SPOTKIT_YTDLP: then a
//! missing yt-dlp fails the test. Without the variable it looks on PATH and skips, saying why
//! (`common::ytdlp`).

use axum::http::header;
use axum::routing::get;
use spotkit_sync::ytdlp::YtDlp;

mod common;
use common::ytdlp;

#[tokio::test]
async fn the_real_ytdlp_downloads_to_the_part_name_it_is_given() {
    let Some(path) = ytdlp() else { return };
    let clip = spotkit_sandbox::media::wav("clip-1");
    let served = clip.clone();
    let app = axum::Router::new().route(
        "/media/clip.wav",
        get(move || {
            let body = served.clone();
            async move { ([(header::CONTENT_TYPE, "audio/wav")], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let resident = YtDlp::locate(Some(&path)).await.unwrap();
    if std::env::var_os("SPOTKIT_YTDLP").is_some() {
        // scripts/setup.d/20-sync.sh installs it with pip: a Python script, so workers can run.
        assert!(resident.has_resident_workers(), "{path:?}");
    }
    let processes = resident.clone().one_process_per_call();
    let dir = tempfile::tempdir().unwrap();
    // A `%` in the folder: yt-dlp's output template must take the path as it is.
    let folder = dir.path().join("100% sure");
    std::fs::create_dir_all(&folder).unwrap();
    // Twice each way: the second download reuses the worker the first one started.
    for (how, ytdlp) in [("resident", &resident), ("process", &processes)] {
        for n in 0..2 {
            let out = folder.join(format!(".spotkit-{how}{n}-1.src.part"));
            ytdlp
                .download(&format!("http://{addr}/media/clip.wav"), &out)
                .await
                .unwrap_or_else(|e| panic!("{how}: yt-dlp {}: {}", ytdlp.version(), e.message));
            assert_eq!(std::fs::read(&out).unwrap(), clip, "{how}");
        }
        let out = folder.join(format!(".spotkit-{how}-gone.src.part"));
        let missing = ytdlp
            .download(&format!("http://{addr}/media/gone.wav"), &out)
            .await
            .unwrap_err();
        assert!(
            missing.message.contains("404"),
            "{how}: {}",
            missing.message
        );
    }
    let mut left: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            ".spotkit-process0-1.src.part",
            ".spotkit-process1-1.src.part",
            ".spotkit-resident0-1.src.part",
            ".spotkit-resident1-1.src.part"
        ],
        "only the files asked for"
    );
}
