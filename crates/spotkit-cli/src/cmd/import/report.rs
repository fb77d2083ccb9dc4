//! Phase 4 of an import: the report, a CSV with one line per row and its outcome.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};

use super::outcome::{Outcome, Write};
use crate::import::Target;
use crate::output;

/// `spotkit-import-<date>-<time>.csv` in the current folder.
pub fn default_report_path() -> PathBuf {
    let now = time::OffsetDateTime::now_utc();
    PathBuf::from(format!(
        "spotkit-import-{:04}{:02}{:02}-{:02}{:02}{:02}.csv",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    ))
}

/// Report columns.
const REPORT_COLUMNS: [&str; 11] = [
    "Source",
    "Destination",
    "Kind",
    "Title",
    "Artists",
    "Outcome",
    "Method",
    "Confidence",
    "Spotify URI",
    "Matched As",
    "Reason",
];

pub fn write_report(path: &Path, targets: &[Target], outcomes: &[Vec<Outcome>]) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(REPORT_COLUMNS)?;
    for (target, outs) in targets.iter().zip(outcomes) {
        for (row, outcome) in target.rows.iter().zip(outs) {
            let (state, m, reason) = match outcome {
                Outcome::Matched(m, Write::Planned) => ("matched", Some(m), String::new()),
                Outcome::Matched(m, Write::Added) => ("added", Some(m), String::new()),
                Outcome::Matched(m, Write::Present) => ("already present", Some(m), String::new()),
                Outcome::Unmatched(best) => (
                    "unmatched",
                    best.as_ref(),
                    if best.is_some() {
                        "best candidate below the confidence threshold".to_owned()
                    } else {
                        "no candidate found".to_owned()
                    },
                ),
                Outcome::Local => ("skipped", None, "local file: not on Spotify".to_owned()),
                Outcome::Invalid(why) => ("invalid", None, why.clone()),
                Outcome::Unavailable(m) => (
                    "unavailable",
                    Some(m),
                    "Spotify no longer has this item (removed from its catalogue): find it again by name, or leave it out".to_owned(),
                ),
            };
            let kind = serde_json::to_value(row.kind)?;
            w.write_record([
                row.origin.to_string(),
                target.destination.to_string(),
                kind.as_str().unwrap_or_default().to_owned(),
                row.query.title.clone(),
                row.query.artists.join(";"),
                state.to_owned(),
                m.map(|m| {
                    serde_json::to_value(m.method)
                        .map(|v| v.as_str().unwrap_or_default().to_owned())
                })
                .transpose()?
                .unwrap_or_default(),
                m.map(|m| format!("{:.3}", m.confidence))
                    .unwrap_or_default(),
                m.map(|m| m.uri.clone()).unwrap_or_default(),
                m.map(|m| m.found.clone()).unwrap_or_default(),
                reason,
            ])?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow!("cannot write the report: {e}"))?;
    output::write_atomic(path, &bytes)
}
