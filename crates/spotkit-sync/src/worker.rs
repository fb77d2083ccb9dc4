//! The per-track worker: resolve → download (and look the lyrics up meanwhile) → convert → tag →
//! rename into place → `.lrc` beside it → record in the manifest, with retries of transient
//! failures.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::ffmpeg::{Ffmpeg, Format};
use crate::files::{remove_empty_parents, sha256_file};
use crate::index::{self, DurationCheck, Entry, Manifest};
use crate::lyrics::Lyrics;
use crate::lyrics::lrclib::{Lrclib, Query};
use crate::options::Options;
use crate::plan::Work;
use crate::report::{CandidateReport, Event, Failure, Note, OnEvent, Stage};
use crate::resolve::Resolver;
use crate::score::{Decision, Scored};
use crate::tag::{self, Provenance};
use crate::track::TrackInfo;
use crate::ytdlp::YtDlp;

pub(crate) enum Outcome {
    Written { adopted: bool, lyrics: bool },
    Failed(Failure),
}

/// One album's cover, fetched at most once however many tracks ask at the same time.
type CoverCell = Arc<tokio::sync::OnceCell<Option<Vec<u8>>>>;

pub(crate) struct Ctx<'a> {
    pub(crate) opts: &'a Options,
    pub(crate) resolver: Resolver,
    pub(crate) ytdlp: Option<YtDlp>,
    pub(crate) ffmpeg: Option<Ffmpeg>,
    pub(crate) http: reqwest::Client,
    /// `None` with `--no-lyrics`.
    pub(crate) lrclib: Option<Lrclib>,
    pub(crate) notes: Mutex<Vec<Note>>,
    pub(crate) covers: Mutex<HashMap<String, CoverCell>>,
    pub(crate) manifest: Mutex<Manifest>,
    pub(crate) last_save: Mutex<Instant>,
    pub(crate) on_event: OnEvent<'a>,
}

fn fail(track: &TrackInfo, stage: Stage, reason: impl Into<String>) -> Failure {
    Failure {
        id: track.id.clone(),
        uri: track.uri.clone(),
        label: track.label(),
        stage,
        reason: reason.into(),
        candidates: Vec::new(),
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn backoff(attempt: u32) {
    tokio::time::sleep(Duration::from_millis(250u64 << attempt.min(6))).await;
}

impl Ctx<'_> {
    fn stage(&self, track: &TrackInfo, stage: Stage) {
        (self.on_event)(Event::Stage {
            id: track.id.clone(),
            label: track.label(),
            stage,
        });
    }

    pub(crate) async fn process(&self, w: &Work) -> Outcome {
        match self.try_process(w).await {
            Ok((entry, adopted, lyrics)) => {
                (self.on_event)(Event::Done {
                    id: w.track.id.clone(),
                    label: w.track.label(),
                    file: entry.file.clone(),
                    adopted,
                });
                Outcome::Written { adopted, lyrics }
            }
            Err(f) => {
                (self.on_event)(Event::Failed(f.clone()));
                Outcome::Failed(f)
            }
        }
    }

    async fn resolve(&self, track: &TrackInfo) -> Result<Scored, Failure> {
        self.stage(track, Stage::Resolve);
        let mut attempt = 0;
        loop {
            match self.resolver.resolve(track).await {
                Ok(Decision::Matched(s)) => return Ok(s),
                Ok(Decision::Unmatched { best }) => {
                    let mut f = fail(
                        track,
                        Stage::Resolve,
                        if best.is_empty() {
                            "no candidate found".to_owned()
                        } else {
                            format!(
                                "no candidate good enough (best score {:.2}, {} needed)",
                                best[0].score, self.opts.matcher.threshold
                            )
                        },
                    );
                    f.candidates = best.iter().map(CandidateReport::from).collect();
                    return Err(f);
                }
                Err(e) if e.transient && attempt < self.opts.retries => {
                    backoff(attempt).await;
                    attempt += 1;
                }
                Err(e) => return Err(fail(track, Stage::Resolve, e.message)),
            }
        }
    }

    /// The entry, whether it was adopted, and whether the file has lyrics.
    async fn try_process(&self, w: &Work) -> Result<(Entry, bool, bool), Failure> {
        let t = &w.track;
        let chosen = self.resolve(t).await?;
        let dir = &self.opts.dir;
        let target = index::resolve(dir, &w.file);
        let parent = target.parent().unwrap_or(dir).to_path_buf();
        let duration_ok = chosen
            .candidate
            .duration
            .is_none_or(|d| (d - t.duration_secs()).abs() <= self.opts.matcher.max_duration_diff);

        // A file renamed into place by a run that was killed before it updated the manifest.
        if let Ok(existing) = tag::read(&target)
            && existing.spotify_uri.as_deref() == Some(t.uri.as_str())
            && existing.source.as_deref() == Some(chosen.candidate.url.as_str())
            && Format::from_path(&target) == Some(self.opts.format)
        {
            let mut entry = self
                .entry(w, &chosen, &target, existing.duration_secs, duration_ok)
                .map_err(|e| fail(t, Stage::Index, e))?;
            // Its `.lrc` may not have been written before the run was killed.
            let lyrics = existing.lyrics.as_deref().map(Lyrics::from_tag);
            entry.lyrics = lyrics.as_ref().and_then(|l| self.place_lrc(w, l));
            self.forget_old_lrc(w, &entry);
            self.record(w, entry.clone());
            return Ok((entry, true, lyrics.is_some()));
        }

        std::fs::create_dir_all(&parent).map_err(|e| {
            fail(
                t,
                Stage::Download,
                format!("cannot create {}: {e}", parent.display()),
            )
        })?;
        let pid = std::process::id();
        let src = parent.join(format!(".spotkit-{}-{pid}.src.part", t.id));
        let out = parent.join(format!(
            ".spotkit-{}-{pid}.{}.part",
            t.id,
            self.opts.format.ext()
        ));
        let result = self
            .produce(w, &chosen, &src, &out, &target, duration_ok)
            .await;
        let _ = std::fs::remove_file(&src);
        if result.is_err() {
            let _ = std::fs::remove_file(&out);
        }
        let (entry, lyrics) = result?;
        self.record(w, entry.clone());
        Ok((entry, false, lyrics))
    }

    async fn produce(
        &self,
        w: &Work,
        chosen: &Scored,
        src: &Path,
        out: &Path,
        target: &Path,
        duration_ok: bool,
    ) -> Result<(Entry, bool), Failure> {
        let t = &w.track;
        let Some(ffmpeg) = &self.ffmpeg else {
            return Err(fail(t, Stage::Download, "ffmpeg is needed to convert"));
        };
        self.stage(t, Stage::Download);
        // LRCLIB is asked while the audio downloads: the slower of the two sets the pace.
        let (downloaded, lyrics) =
            tokio::join!(self.download(chosen, src, t), self.lookup_lyrics(t));
        downloaded?;
        self.stage(t, Stage::Convert);
        ffmpeg
            .convert(src, out, self.opts.format, self.opts.bitrate)
            .await
            .map_err(|e| fail(t, Stage::Convert, e))?;
        self.stage(t, Stage::Tag);
        let cover = self.cover(t).await;
        let file_secs = tag::read(out).map_or(0.0, |r| r.duration_secs);
        let check = DurationCheck {
            spotify: t.duration_secs(),
            source: chosen.candidate.duration,
            file: (file_secs * 10.0).round() / 10.0,
            ok: duration_ok,
        };
        let provenance = Provenance {
            source_url: chosen.candidate.url.clone(),
            duration_check: check.describe(),
        };
        tag::write(
            out,
            self.opts.format,
            t,
            cover.as_deref(),
            lyrics.as_ref(),
            &provenance,
        )
        .map_err(|e| fail(t, Stage::Tag, e))?;
        self.stage(t, Stage::Index);
        // fsync before the rename: after a crash the final name holds all of the data or nothing.
        std::fs::File::open(out)
            .and_then(|f| f.sync_all())
            .map_err(|e| {
                fail(
                    t,
                    Stage::Index,
                    format!("cannot flush {}: {e}", out.display()),
                )
            })?;
        let mut entry = self
            .entry(w, chosen, out, file_secs, duration_ok)
            .map_err(|e| fail(t, Stage::Index, e))?;
        std::fs::rename(out, target).map_err(|e| {
            fail(
                t,
                Stage::Index,
                format!("cannot move the file to {}: {e}", target.display()),
            )
        })?;
        // After the audio: a run killed in between finds the lyrics in the file's tags.
        entry.lyrics = lyrics.as_ref().and_then(|l| self.place_lrc(w, l));
        self.forget_old_lrc(w, &entry);
        if let Some(old) = &w.replaces {
            let old_path = index::resolve(&self.opts.dir, old);
            let _ = std::fs::remove_file(&old_path);
            remove_empty_parents(&self.opts.dir, &old_path);
        }
        Ok((entry, lyrics.is_some()))
    }

    /// Downloads the chosen candidate to `src`: a catalogue's file in-process ([`crate::direct`]),
    /// anything else through yt-dlp.
    async fn download(&self, chosen: &Scored, src: &Path, t: &TrackInfo) -> Result<(), Failure> {
        let url = &chosen.candidate.url;
        let ytdlp = if self.opts.source.downloads_with_ytdlp() {
            match &self.ytdlp {
                Some(y) => Some(y),
                None => return Err(fail(t, Stage::Download, "yt-dlp is needed to download")),
            }
        } else {
            None
        };
        let mut attempt = 0;
        loop {
            let done = match ytdlp {
                Some(ytdlp) => ytdlp.download(url, src).await,
                None => crate::direct::download(&self.http, url, src).await,
            };
            match done {
                Ok(()) => return Ok(()),
                Err(e) if e.transient && attempt < self.opts.retries => {
                    tracing::info!("download of {} failed, retrying: {}", t.label(), e.message);
                    let _ = std::fs::remove_file(src);
                    backoff(attempt).await;
                    attempt += 1;
                }
                Err(e) => {
                    let who = if ytdlp.is_some() { "yt-dlp " } else { "" };
                    return Err(fail(
                        t,
                        Stage::Download,
                        format!("{who}could not download {url}: {}", e.message),
                    ));
                }
            }
        }
    }

    fn entry(
        &self,
        w: &Work,
        chosen: &Scored,
        path: &Path,
        file_secs: f64,
        duration_ok: bool,
    ) -> Result<Entry, String> {
        let (sha256, size) =
            sha256_file(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(Entry {
            file: w.file.clone(),
            uri: w.track.uri.clone(),
            label: w.track.label(),
            source: chosen.candidate.url.clone(),
            score: chosen.score,
            isrc_match: chosen.parts.isrc,
            format: self.opts.format,
            sha256,
            size,
            duration: DurationCheck {
                spotify: w.track.duration_secs(),
                source: chosen.candidate.duration,
                file: (file_secs * 10.0).round() / 10.0,
                ok: duration_ok,
            },
            lyrics: None,
        })
    }

    /// Puts an entry into the manifest and saves it now and then (a killed run loses at most
    /// the last second; those files are adopted by the next run).
    fn record(&self, w: &Work, entry: Entry) {
        let mut m = lock(&self.manifest);
        m.tracks.insert(w.track.id.clone(), entry);
        let mut last = lock(&self.last_save);
        if last.elapsed() >= Duration::from_secs(1) {
            if let Err(e) = m.save(&self.opts.dir) {
                tracing::warn!("{e}");
            }
            *last = Instant::now();
        }
    }

    fn note(&self, t: &TrackInfo, note: String) {
        let n = Note {
            id: t.id.clone(),
            label: t.label(),
            note,
        };
        (self.on_event)(Event::Note(n.clone()));
        lock(&self.notes).push(n);
    }

    /// The track's lyrics from LRCLIB (`None` with `--no-lyrics`, when LRCLIB has none, and when
    /// it cannot be asked: the track is synced without them, with a note).
    async fn lookup_lyrics(&self, t: &TrackInfo) -> Option<Lyrics> {
        let lrclib = self.lrclib.as_ref()?;
        let q = Query {
            title: &t.title,
            artist: t.artist(),
            album: &t.album,
            duration_secs: t.duration_secs(),
        };
        let mut attempt = 0;
        loop {
            match lrclib.find(&q).await {
                Ok(record) => return record.as_ref().and_then(Lyrics::from_record),
                Err(e) if e.transient() && attempt < self.opts.retries => {
                    backoff(attempt).await;
                    attempt += 1;
                }
                Err(e) => {
                    self.note(t, format!("synced without lyrics: {e}"));
                    return None;
                }
            }
        }
    }

    /// Writes synced lyrics as `.lrc` beside the track's file; returns its relative path.
    /// A file of that name spotkit did not make is left as it is (with a note).
    fn place_lrc(&self, w: &Work, lyrics: &Lyrics) -> Option<String> {
        if !lyrics.synced {
            return None;
        }
        let rel = index::lrc_of(&w.file);
        let path = index::resolve(&self.opts.dir, &rel);
        let text = format!("{}\n", lyrics.text.trim_end());
        let ours = lock(&self.manifest)
            .tracks
            .get(&w.track.id)
            .is_some_and(|e| e.lyrics.as_deref() == Some(rel.as_str()));
        if !ours {
            match std::fs::read(&path) {
                // Written by a run killed before it saved the manifest, or equal anyway.
                Ok(existing) if existing == text.as_bytes() => return Some(rel),
                Ok(_) => {
                    self.note(
                        &w.track,
                        format!("{rel} is not spotkit's: left as it is; the lyrics are in the file's tags"),
                    );
                    return None;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    self.note(&w.track, format!("cannot read {}: {e}", path.display()));
                    return None;
                }
            }
        }
        match spotkit_files::write_atomic(&path, text.as_bytes(), spotkit_files::Mode::Shared) {
            Ok(()) => Some(rel),
            Err(e) => {
                self.note(
                    &w.track,
                    format!("no .lrc file: {}", crate::error::Error::from(e)),
                );
                None
            }
        }
    }

    /// Removes the `.lrc` the manifest lists for the track when the new entry has another one
    /// or none (a new name, or lyrics gone from LRCLIB).
    fn forget_old_lrc(&self, w: &Work, entry: &Entry) {
        let old = lock(&self.manifest)
            .tracks
            .get(&w.track.id)
            .and_then(|e| e.lyrics.clone());
        if let Some(old) = old.filter(|old| entry.lyrics.as_ref() != Some(old)) {
            let path = index::resolve(&self.opts.dir, &old);
            let _ = std::fs::remove_file(&path);
            remove_empty_parents(&self.opts.dir, &path);
        }
    }

    /// The album's cover, fetched once per album.
    async fn cover(&self, t: &TrackInfo) -> Option<Vec<u8>> {
        let url = t.cover_url.clone()?;
        let key = t.album_id.clone().unwrap_or_else(|| url.clone());
        let cell = lock(&self.covers).entry(key).or_default().clone();
        cell.get_or_init(|| async {
            for attempt in 0..3u32 {
                if attempt > 0 {
                    backoff(attempt).await;
                }
                match self.http.get(&url).send().await {
                    Ok(r) if r.status().is_success() => {
                        if let Ok(b) = r.bytes().await {
                            return Some(b.to_vec());
                        }
                    }
                    Ok(r) if r.status().is_client_error() => return None,
                    _ => {}
                }
            }
            tracing::warn!("no cover art for {}: {url} could not be fetched", t.label());
            None
        })
        .await
        .clone()
    }
}
