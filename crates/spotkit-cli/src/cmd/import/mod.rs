//! `spotkit import exportify|gdpr`: playlists and library back into a Spotify account.
//!
//! Four phases, and nothing is written to Spotify before the third:
//! 1. **read**: every input file is parsed and validated ([`crate::import`]); a malformed file
//!    stops here with `file:line: what is wrong`.
//! 2. **match**: rows with a Spotify URI are taken as is; the others are matched by ISRC or by a
//!    field search scored by [`crate::matching`]. Results are cached in a journal.
//! 3. **write**: playlists are created (or continued) and filled in order; library items saved.
//!    Before adding, the playlist's current items are read back, so a re-run after a failure adds
//!    only what is missing. The journal (`imports/<key>.json` in the config dir) remembers which
//!    playlist each source created.
//! 4. **report**: a CSV with one line per row and its outcome.
//!
//! `--dry-run` stops after phase 2 and writes the report as the plan.
//!
//! One module per job: [`args`] (the command line), [`read`] (phase 1), [`journal`] and [`lock`]
//! (what a run remembers, one run at a time), [`find`] (phase 2), [`uris`] (dead URIs),
//! [`write`] (phase 3), [`report`] and [`summary`] (phase 4); [`outcome`] is what they share.

pub(crate) mod args;
pub(crate) mod find;
mod journal;
mod lock;
pub(crate) mod outcome;
mod read;
mod report;
mod summary;
mod uris;
mod write;

use anyhow::{Result, anyhow};

pub use args::ImportArgs;
use journal::Journal;

use crate::config::Settings;
use crate::hint::Hinted;
use crate::output;

/// Runs `spotkit import`.
pub async fn run(settings: &Settings, args: ImportArgs) -> Result<()> {
    // Phase 1: read everything; a malformed file stops here, before any login or write.
    let (input, kind, mut targets) = read::read_source(&args.source)?;
    if targets.iter().all(|t| t.rows.is_empty()) {
        return Err(anyhow!(Hinted::new(
            format!("{} holds nothing to import", input.display()),
            "pass an Exportify CSV (or a folder/zip of them) or Spotify's data export (my_spotify_data.zip)",
        )));
    }
    let spotify = settings.logged_in_client().await?;
    if let Some(into) = &args.into {
        let id = crate::cmd::export::resolve_playlist(&spotify, into).await?;
        targets = read::merge_into(targets, id.id());
    }
    let journal_path = Journal::path(settings, &input, kind);
    // Two runs of the same import at once would each create the playlists: the second waits
    // for nothing and stops at once, naming the first. A dry run writes nothing and needs no lock.
    let _lock = if args.dry_run {
        None
    } else {
        Some(lock::ImportLock::acquire(&journal_path, &input)?)
    };
    let mut journal = Journal::load(&journal_path, &input)?;

    // Phase 2: match.
    let hidden = settings.json || settings.quiet;
    let matched = find::match_rows(
        &spotify,
        &targets,
        &mut journal,
        args.min_confidence,
        hidden,
    )
    .await;
    if !args.dry_run {
        // Also when matching stopped half-way: the searches that did finish cost requests (and,
        // on Spotify's quota, the account's budget), so a re-run reuses them instead.
        journal.save(&journal_path)?;
    }
    let mut outcomes = matched.map_err(|e| {
        crate::hint::on_quota(
            e,
            &format!(
                "nothing was written to Spotify yet, and the {} matches found so far are kept in the journal{}",
                journal.matches.len(),
                if args.dry_run {
                    " of a real run only (this was a dry run)"
                } else {
                    ""
                }
            ),
        )
    })?;
    if args.dry_run {
        // The real run would be refused as a whole for one dead URI: find them now.
        find::mark_dead(&spotify, &mut outcomes)
            .await
            .map_err(|e| {
                crate::hint::on_quota(e, "nothing was written to Spotify (this was a dry run)")
            })?;
    }

    // Phase 3: write (unless --dry-run). A failure still writes the report before returning.
    let mut failure = None;
    let mut created = Vec::new();
    if !args.dry_run {
        for (t, target) in targets.iter().enumerate() {
            let res = write::write_target(
                &spotify,
                target,
                &mut outcomes[t],
                &mut journal,
                &journal_path,
                args.public,
            )
            .await;
            match res {
                Ok(Some(id)) => created.push((target.destination.to_string(), id)),
                Ok(None) => {}
                Err(e) => {
                    failure = Some(e.context(format!("importing into {}", target.destination)));
                    break;
                }
            }
        }
    }

    // Phase 4: report.
    let report_path = args
        .report
        .clone()
        .unwrap_or_else(report::default_report_path);
    report::write_report(&report_path, &targets, &outcomes)?;
    let summary = summary::summarize(&targets, &outcomes, &report_path, args.dry_run, &created);
    if settings.json {
        output::print_json(&summary)?;
    } else if !settings.quiet {
        summary::print_summary(&summary, &targets, &outcomes);
    }
    match failure {
        // The error keeps its chain, so `main` finds the quota in it (its hint, its exit status).
        Some(e) if crate::hint::quota_exceeded(&e) => Err(crate::hint::on_quota(
            e,
            &format!(
                "the journal keeps the playlists created and what was added: running the same command again once the quota has cleared continues there and adds nothing twice (report so far: {})",
                report_path.display()
            ),
        )),
        Some(e) => Err(anyhow!(Hinted::new(
            format!("{e:#}"),
            format!(
                "run the same command again to continue: rows already added are not added twice (report so far: {})",
                report_path.display()
            ),
        ))),
        None => Ok(()),
    }
}
