//! The files an import reads: one file, a folder (searched recursively) or a zip archive, each
//! capped in size; text decoded from UTF-8 or UTF-16; errors that name the file and line.

use std::path::{Path, PathBuf};

/// A malformed source: names the file and line and says what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct SourceError {
    /// The file.
    pub file: String,
    /// The line, when known.
    pub line: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

impl SourceError {
    /// An error at `file:line`.
    pub fn at(file: impl Into<String>, line: Option<usize>, message: impl Into<String>) -> Self {
        SourceError {
            file: file.into(),
            line,
            message: message.into(),
        }
    }
}

/// One input file: its display name (`archive.zip!/inner.json` inside a zip) and its bytes.
#[derive(Debug)]
pub struct InputFile {
    /// Name shown in errors and in the report.
    pub name: String,
    /// The file name without directories (what naming rules look at).
    pub base: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Reads the input files of an import: `path` is a file, a directory (searched recursively) or a
/// zip archive; `keep` selects file names (e.g. `*.csv`).
pub fn read_inputs(
    path: &Path,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Vec<InputFile>, SourceError> {
    let mut out = Vec::new();
    for_each_input(path, keep, &mut |f| {
        out.push(f);
        Ok(())
    })?;
    Ok(out)
}

/// Like [`read_inputs`], but hands each file to `each` as it is read, in name order, so only one
/// file is in memory at a time (listening histories run to gigabytes over many files).
pub fn for_each_input(
    path: &Path,
    keep: &dyn Fn(&str) -> bool,
    each: &mut dyn FnMut(InputFile) -> Result<(), SourceError>,
) -> Result<(), SourceError> {
    let shown = path.display().to_string();
    let io_err = |e: std::io::Error| SourceError::at(&shown, None, format!("cannot read it: {e}"));
    let meta = std::fs::metadata(path).map_err(io_err)?;
    let base_of = |p: &str| p.rsplit(['/', '\\']).next().unwrap_or(p).to_owned();
    if meta.is_dir() {
        for p in files_in(path, keep).map_err(io_err)? {
            let name = p.display().to_string();
            let size = std::fs::metadata(&p)
                .map_err(|e| SourceError::at(&name, None, format!("cannot read it: {e}")))?
                .len();
            if size > MAX_FILE_BYTES {
                return Err(too_big(&name, size));
            }
            let bytes = std::fs::read(&p)
                .map_err(|e| SourceError::at(&name, None, format!("cannot read it: {e}")))?;
            each(InputFile {
                base: base_of(&name),
                name,
                bytes,
            })?;
        }
        return Ok(());
    }
    let mut magic = [0u8; 2];
    let is_zip = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut magic))
        .map_err(io_err)?
        == 2
        && magic == *b"PK";
    if is_zip || shown.to_lowercase().ends_with(".zip") {
        let file = std::fs::File::open(path).map_err(io_err)?;
        return read_zip(&shown, file, keep, each);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(&shown, meta.len()));
    }
    let bytes = std::fs::read(path).map_err(io_err)?;
    each(InputFile {
        base: base_of(&shown),
        name: shown,
        bytes,
    })
}

/// The largest file (or zip entry) an import reads: Exportify's and Spotify's largest files are
/// tens of megabytes, so anything bigger is not an export (a zip bomb, a video).
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

fn too_big(name: &str, size: u64) -> SourceError {
    SourceError::at(
        name,
        None,
        format!(
            "this file is {} MB, more than the {} MB an export file can be; it is not an Exportify CSV or a Spotify data file: pass the export itself",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

/// Reads the wanted entries of a zip in name order, one at a time from the file (not the whole
/// archive into memory), each capped at [`MAX_FILE_BYTES`] whatever its header claims.
fn read_zip(
    shown: &str,
    file: std::fs::File,
    keep: &dyn Fn(&str) -> bool,
    each: &mut dyn FnMut(InputFile) -> Result<(), SourceError>,
) -> Result<(), SourceError> {
    let broken = |e: zip::result::ZipError| {
        SourceError::at(
            shown,
            None,
            format!(
                "the zip archive is damaged or incomplete ({e}); download it again, or unpack it and pass the folder"
            ),
        )
    };
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(broken)?;
    let mut wanted = Vec::new();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(broken)?;
        if entry.is_dir() {
            continue;
        }
        let inner = entry.name().map_err(broken)?.into_owned();
        let base = inner.rsplit('/').next().unwrap_or(&inner).to_owned();
        if base.is_empty()
            || base.starts_with('.')
            || inner.starts_with("__MACOSX/")
            || !keep(&base)
        {
            continue;
        }
        wanted.push((format!("{shown}!/{inner}"), base, i));
    }
    wanted.sort();
    for (name, base, i) in wanted {
        let entry = archive.by_index(i).map_err(broken)?;
        if entry.size() > MAX_FILE_BYTES {
            return Err(too_big(&name, entry.size()));
        }
        let mut data = Vec::with_capacity(entry.size().min(64 * 1024 * 1024) as usize);
        // The header's size can lie: read one byte past the cap to tell.
        std::io::Read::read_to_end(
            &mut std::io::Read::take(entry, MAX_FILE_BYTES + 1),
            &mut data,
        )
        .map_err(|e| {
            SourceError::at(
                &name,
                None,
                format!("the zip archive is damaged or incomplete ({e}); download it again"),
            )
        })?;
        if data.len() as u64 > MAX_FILE_BYTES {
            return Err(too_big(&name, data.len() as u64));
        }
        each(InputFile {
            name,
            base,
            bytes: data,
        })?;
    }
    Ok(())
}

/// Files under `dir` (recursively, sorted) whose name satisfies `keep`.
pub fn files_in(dir: &Path, keep: &dyn Fn(&str) -> bool) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with('.') && keep(n))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Decodes a text file: UTF-8 (a BOM is dropped) or UTF-16 with a BOM (as Excel saves "Unicode
/// text"). Anything else is an error naming the line of the first bad byte.
pub fn decode_text(file: &str, bytes: &[u8]) -> Result<String, SourceError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(file, rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(file, rest, u16::from_be_bytes);
    }
    // UTF-16 without a BOM: every other byte of ASCII text is zero.
    if bytes.len() >= 4 && bytes[1] == 0 && bytes[3] == 0 && bytes[0] != 0 {
        return utf16(file, bytes, u16::from_le_bytes);
    }
    if bytes.len() >= 4 && bytes[0] == 0 && bytes[2] == 0 && bytes[1] != 0 {
        return utf16(file, bytes, u16::from_be_bytes);
    }
    // Exportify's 2015–2019 files start with two BOMs (its own and FileSaver's).
    let mut bytes = bytes;
    while let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        bytes = rest;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            let line = bytes[..e.valid_up_to()].split(|b| *b == b'\n').count();
            Err(SourceError::at(
                file,
                Some(line),
                format!(
                    "the file is not UTF-8 text (byte 0x{:02X}); save it as UTF-8 (Exportify and Spotify write UTF-8) and try again",
                    bytes[e.valid_up_to()]
                ),
            ))
        }
    }
}

fn utf16(file: &str, bytes: &[u8], word: fn([u8; 2]) -> u16) -> Result<String, SourceError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(SourceError::at(
            file,
            None,
            "the file is cut off in the middle of a UTF-16 character; export it again",
        ));
    }
    let words: Vec<u16> = bytes.chunks_exact(2).map(|c| word([c[0], c[1]])).collect();
    String::from_utf16(&words)
        .map(|s| s.trim_start_matches('\u{feff}').to_owned())
        .map_err(|_| {
            SourceError::at(
                file,
                None,
                "the file is not valid UTF-16 text; save it as UTF-8 and try again",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_utf16() {
        assert_eq!(decode_text("f", b"\xEF\xBB\xBFabc").unwrap(), "abc");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_text("f", &utf16).unwrap(), "hé");
        assert_eq!(
            decode_text("f", b"\xEF\xBB\xBF\xEF\xBB\xBFabc").unwrap(),
            "abc"
        );
        let bare16: Vec<u8> = "ab,c".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode_text("f", &bare16).unwrap(), "ab,c");
        let err = decode_text("list.csv", b"a\nb\n\xE9t\xE9\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.to_string().starts_with("list.csv:3: "), "{err}");
        assert!(err.to_string().contains("0xE9"), "{err}");
    }
}
