//! The end of an import: counts per destination (`--json`) and the lines a person reads.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::outcome::{Outcome, Write};
use crate::import::Target;

/// Counts for one destination.
#[derive(Debug, Default, Serialize)]
pub struct Counts {
    destination: String,
    rows: usize,
    matched: usize,
    added: usize,
    already_present: usize,
    unmatched: usize,
    local: usize,
    invalid: usize,
    unavailable: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    playlist_id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    dry_run: bool,
    report: PathBuf,
    targets: Vec<Counts>,
}

pub fn summarize(
    targets: &[Target],
    outcomes: &[Vec<Outcome>],
    report: &Path,
    dry_run: bool,
    created: &[(String, String)],
) -> Summary {
    let targets = targets
        .iter()
        .zip(outcomes)
        .map(|(t, outs)| {
            let name = t.destination.to_string();
            let mut c = Counts {
                playlist_id: created
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, id)| id.clone()),
                destination: name,
                rows: outs.len(),
                ..Counts::default()
            };
            for o in outs {
                match o {
                    Outcome::Matched(_, w) => {
                        c.matched += 1;
                        match w {
                            Write::Added => c.added += 1,
                            Write::Present => c.already_present += 1,
                            Write::Planned => {}
                        }
                    }
                    Outcome::Unmatched(_) => c.unmatched += 1,
                    Outcome::Local => c.local += 1,
                    Outcome::Invalid(_) => c.invalid += 1,
                    Outcome::Unavailable(_) => c.unavailable += 1,
                }
            }
            c
        })
        .collect();
    Summary {
        dry_run,
        report: report.to_path_buf(),
        targets,
    }
}

pub fn print_summary(summary: &Summary, targets: &[Target], outcomes: &[Vec<Outcome>]) {
    for c in &summary.targets {
        let mut parts = vec![format!("{} of {} matched", c.matched, c.rows)];
        if !summary.dry_run {
            parts.push(format!("{} added", c.added));
            if c.already_present > 0 {
                parts.push(format!("{} already there", c.already_present));
            }
        }
        for (n, what) in [
            (c.unmatched, "unmatched"),
            (c.local, "local files skipped"),
            (c.invalid, "invalid"),
            (c.unavailable, "no longer on Spotify"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        eprintln!("{}: {}", c.destination, parts.join(", "));
    }
    let mut shown = 0;
    for (target, outs) in targets.iter().zip(outcomes) {
        for (row, o) in target.rows.iter().zip(outs) {
            let why = match o {
                Outcome::Unmatched(Some(best)) => {
                    format!("best guess {} ({:.2})", best.found, best.confidence)
                }
                Outcome::Unmatched(None) => "no candidate".to_owned(),
                Outcome::Invalid(why) => why.clone(),
                Outcome::Unavailable(m) => format!("{} is no longer on Spotify", m.uri),
                _ => continue,
            };
            if shown < 20 {
                eprintln!(
                    "  not imported: {} `{}` by {}: {why}",
                    row.origin,
                    row.query.title,
                    row.query.artists.join(", ")
                );
            }
            shown += 1;
        }
    }
    if shown > 20 {
        eprintln!("  … and {} more (see the report)", shown - 20);
    }
    let verb = if summary.dry_run {
        "plan (dry run, nothing changed)"
    } else {
        "report"
    };
    eprintln!("{verb}: {}", summary.report.display());
}
