//! `spotkit export all --zip`: the export in one zip, shaped like Exportify's "Export All"
//! (`spotify_playlists.zip`: one `<name>.csv` per playlist at the top, liked songs as
//! `Liked_Songs.csv` first, no BOMs; pavelkomarov/exportify, `exportify.js` @ 048eb3f,
//! `exportAll`), plus spotkit's `index.json` listing what each file holds and what was skipped.
//!
//! The files are exported into a private temp folder by [`super::export::export_all`], then
//! packed (deflated, where Exportify stores) into a zip written atomically: an export that
//! stops half-way leaves no zip and no folder.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use spotkit::Spotify;
use spotkit_files::{AtomicFile, Mode};
use zip::write::SimpleFileOptions;

use super::export::{Written, export_all};
use crate::cli::Format;
use crate::export_index;
use crate::output;

/// Exports everything into the zip at `path`; the paths of what it returns are `path!/entry`.
pub async fn export_all_zip(
    spotify: &Spotify,
    path: &Path,
    format: Format,
    hidden: bool,
) -> Result<Vec<Written>> {
    let staging = tempfile::Builder::new()
        .prefix("spotkit-export-")
        .tempdir()
        .context("cannot create a temporary folder for the export")?;
    output::scratch_dir(staging.path(), true);
    let result = pack(spotify, staging.path(), path, format, hidden).await;
    output::scratch_dir(staging.path(), false);
    result
}

async fn pack(
    spotify: &Spotify,
    staging: &Path,
    path: &Path,
    format: Format,
    hidden: bool,
) -> Result<Vec<Written>> {
    let mut written = export_all(spotify, staging, format, hidden).await?;
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        output::create_dir_for(dir, path)?;
    }
    let mut zip = zip::ZipWriter::new(AtomicFile::create(path, Mode::Shared)?);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let entries = written
        .iter()
        .filter(|w| w.skipped.is_none())
        .map(|w| w.path.clone())
        .chain([staging.join(export_index::FILE)]);
    for file in entries {
        let name = entry_name(staging, &file);
        zip.start_file(name.as_str(), options)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let mut from = std::fs::File::open(&file)
            .with_context(|| format!("cannot read back {}", file.display()))?;
        std::io::copy(&mut from, &mut zip)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut file = zip
        .finish()
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.commit()?;
    output::finished(path);
    for w in &mut written {
        if w.skipped.is_none() {
            w.path = PathBuf::from(format!(
                "{}!/{}",
                path.display(),
                entry_name(staging, &w.path)
            ));
        }
    }
    Ok(written)
}

/// A file's name inside the zip: its path below the export folder, `/`-separated.
fn entry_name(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
