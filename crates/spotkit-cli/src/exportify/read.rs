//! Reads an Exportify CSV of any layout into [`ExportifyRow`]s.
//!
//! Every layout of both Exportify projects is read ([`super::layout`] knows their headers); any
//! CSV with a `Track Name` or `Track URI` column works too. Rows shorter than the header
//! (Exportify leaves out the audio-feature cells when that request fails) read the missing cells
//! as empty; `undefined` (Exportify's word for a missing value) reads as empty.

use super::layout::{Columns, split_artists};
use super::row::ExportifyRow;
use crate::source::{SourceError, decode_text};

/// A row and the line it starts on (1-based; the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Line in the file.
    pub line: usize,
    /// What it says.
    pub row: ExportifyRow,
}

/// A cell as the reader sees it: trimmed, `undefined` and empty as `None`.
fn value(cell: Option<&str>) -> Option<&str> {
    cell.map(str::trim)
        .filter(|s| !s.is_empty() && *s != "undefined")
}

/// The rows of one CSV file (`name` is shown in errors). Structural errors (encoding, quotes,
/// long rows, unknown header) stop with `name:line: what is wrong`.
pub fn read(name: &str, bytes: &[u8]) -> Result<Vec<Record>, SourceError> {
    let text = decode_text(name, bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| csv_error(name, &e))?.clone();
    let cols = Columns::from_header(header.iter());
    if !cols.usable() {
        return Err(SourceError::at(
            name,
            Some(1),
            format!(
                "this is not an Exportify CSV: the header has no `Track URI` or `Track Name` column (it has: {})",
                header.iter().take(6).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(name, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        check_length(name, line, header.len(), &record)?;
        records.push((line, record));
    }
    // exportify.net joins artists with `;` since 2025-09, with `,` before: decided per file.
    let semicolons = cols.artists.is_some_and(|a| {
        records
            .iter()
            .any(|(_, r)| r.get(a).is_some_and(|c| c.contains(';')))
    });
    Ok(records
        .iter()
        .map(|(line, record)| Record {
            line: *line,
            row: row(&cols, semicolons, record),
        })
        .collect())
}

fn row(cols: &Columns, semicolons: bool, record: &csv::StringRecord) -> ExportifyRow {
    let cell = |i: Option<usize>| value(i.and_then(|i| record.get(i)));
    let owned = |i: Option<usize>| cell(i).map(str::to_owned);
    ExportifyRow {
        track_uri: owned(cols.uri),
        track_name: owned(cols.title),
        album_name: owned(cols.album),
        artists: cell(cols.artists)
            .map_or_else(Vec::new, |a| split_artists(a, cols.join, semicolons)),
        release_date: owned(cols.release_date),
        duration_ms: cell(cols.duration).and_then(|d| d.parse().ok()),
        popularity: cell(cols.popularity).and_then(|p| p.parse().ok()),
        explicit: cell(cols.explicit).and_then(|e| e.to_lowercase().parse().ok()),
        added_by: owned(cols.added_by),
        added_at: owned(cols.added_at),
        genres: cell(cols.genres).map_or_else(Vec::new, |g| {
            g.split(',')
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(str::to_owned)
                .collect()
        }),
        record_label: owned(cols.record_label),
        isrc: cell(cols.isrc).map(str::to_uppercase),
    }
}

/// A row shorter than the header is Exportify's (audio features left out) unless a cell spans
/// lines, which is a quote left open; a longer row is a quote missing, unless the extra cells
/// are empty (a spreadsheet's trailing commas).
fn check_length(
    file: &str,
    line: usize,
    expected: usize,
    record: &csv::StringRecord,
) -> Result<(), SourceError> {
    let len = record.len();
    let open_quote = len < expected && record.iter().any(|c| c.contains('\n'));
    let long = len > expected && record.iter().skip(expected).any(|c| !c.trim().is_empty());
    if open_quote || long {
        return Err(SourceError::at(
            file,
            Some(line),
            format!(
                "this row has {len} cells but the header has {expected}; a quote is probably not closed (cells containing `,` or `\"` must be quoted, with `\"` written as `\"\"`)"
            ),
        ));
    }
    Ok(())
}

fn csv_error(file: &str, e: &csv::Error) -> SourceError {
    let line = e.position().map(|p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "this row has {len} cells but the header has {expected_len}; a quote is probably not closed (cells containing `,` or `\"` must be quoted, with `\"` written as `\"\"`)"
        ),
        csv::ErrorKind::Utf8 { .. } => {
            "the file is not UTF-8 text; save it as UTF-8 and try again".to_owned()
        }
        _ => format!("cannot read the CSV: {e}"),
    };
    SourceError::at(file, line, message)
}
