//! File names: the `--template` rendered per track, each path component made safe for Windows,
//! macOS and Linux at once (a music folder is often copied between them or onto a FAT card).
//!
//! ```
//! use spotkit_sync::names::sanitize;
//! assert_eq!(sanitize("AC/DC: Back in Black?"), "AC_DC_ Back in Black_");
//! assert_eq!(sanitize("CON"), "_CON");
//! assert_eq!(sanitize("Tail dots..."), "Tail dots");
//! ```

use crate::track::TrackInfo;

/// Longest file name component, in bytes, leaving room for an extension and the temporary
/// `.spotkit-*.part` names (most file systems allow 255 bytes).
pub const MAX_COMPONENT_BYTES: usize = 180;

/// The default `--template`.
pub const DEFAULT_TEMPLATE: &str = "{artist} - {title}";

/// Placeholders a template may use.
pub const PLACEHOLDERS: &[&str] = &[
    "artist",
    "artists",
    "title",
    "album",
    "album_artist",
    "track_number",
    "disc_number",
    "year",
    "isrc",
    "id",
];

const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// One path component that every common file system accepts: no `<>:"/\|?*` or control
/// characters, no trailing dots or spaces, no leading dot, not a reserved DOS device name,
/// at most [`MAX_COMPONENT_BYTES`] bytes (cut at a character boundary).
pub fn sanitize(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.len() > MAX_COMPONENT_BYTES {
        let mut cut = MAX_COMPONENT_BYTES;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    let trimmed = out
        .trim_end_matches(['.', ' '])
        .trim_start_matches(['.', ' ']);
    let mut out = trimmed.to_owned();
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    if RESERVED.contains(&stem.as_str()) {
        out = format!("_{out}");
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// Checks a template: placeholders known, braces balanced, no absolute or parent paths.
pub fn check_template(template: &str) -> Result<(), String> {
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else {
            return Err(format!("the template {template:?} has a `{{` without `}}`"));
        };
        let name = &rest[start + 1..start + end];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!(
                "the template {template:?} uses {{{name}}}; known placeholders: {}",
                PLACEHOLDERS
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        rest = &rest[start + end + 1..];
    }
    if template.starts_with('/')
        || template
            .split('/')
            .any(|c| c == ".." || c.trim().is_empty())
    {
        return Err(format!(
            "the template {template:?} must be a relative path without empty or `..` parts"
        ));
    }
    Ok(())
}

fn value(track: &TrackInfo, name: &str) -> String {
    match name {
        "artist" => track.artist().to_owned(),
        "artists" => track.artists.join(", "),
        "title" => track.title.clone(),
        "album" => track.album.clone(),
        "album_artist" => track
            .album_artists
            .first()
            .cloned()
            .unwrap_or_else(|| track.artist().to_owned()),
        "track_number" => track
            .track_number
            .map(|n| format!("{n:02}"))
            .unwrap_or_default(),
        "disc_number" => track.disc_number.map(|n| n.to_string()).unwrap_or_default(),
        "year" => track
            .release_date
            .as_deref()
            .and_then(|d| d.get(0..4))
            .unwrap_or("")
            .to_owned(),
        "isrc" => track.isrc.clone().unwrap_or_default(),
        "id" => track.id.clone(),
        _ => String::new(),
    }
}

/// The relative path (components joined with `/`) of a track's file without extension.
/// Each `/`-separated part of the template becomes one sanitised directory or file name.
pub fn render(template: &str, track: &TrackInfo) -> String {
    template
        .split('/')
        .map(|part| {
            let mut out = String::new();
            let mut rest = part;
            while let Some(start) = rest.find('{') {
                out.push_str(&rest[..start]);
                if let Some(end) = rest[start..].find('}') {
                    out.push_str(&value(track, &rest[start + 1..start + end]));
                    rest = &rest[start + end + 1..];
                } else {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
            out.push_str(rest);
            sanitize(&out)
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Case-folded form of a relative path, for collision checks (Windows and macOS compare
/// names case-insensitively).
pub fn fold(path: &str) -> String {
    path.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_everywhere() {
        assert_eq!(sanitize("a<b>c:d\"e/f\\g|h?i*j"), "a_b_c_d_e_f_g_h_i_j");
        assert_eq!(sanitize("nul.txt"), "_nul.txt");
        assert_eq!(sanitize("  .hidden  "), "hidden");
        assert_eq!(sanitize("..."), "_");
        assert_eq!(sanitize("tab\there"), "tab_here");
        let long = "é".repeat(200);
        let s = sanitize(&long);
        assert!(s.len() <= MAX_COMPONENT_BYTES && s.chars().all(|c| c == 'é'));
    }

    #[test]
    fn templates_render_and_are_checked() {
        let t = TrackInfo {
            id: "4uLU6hMCjMI75M1A2tKUQC".into(),
            uri: String::new(),
            title: "Never Gonna Give You Up?".into(),
            artists: vec!["Rick Astley".into()],
            album: "Whenever You Need Somebody".into(),
            album_artists: vec!["Rick Astley".into()],
            album_id: None,
            track_number: Some(1),
            disc_number: Some(1),
            release_date: Some("1987-11-12".into()),
            isrc: None,
            duration_ms: 0,
            cover_url: None,
            explicit: None,
        };
        assert_eq!(
            render(DEFAULT_TEMPLATE, &t),
            "Rick Astley - Never Gonna Give You Up_"
        );
        assert_eq!(
            render("{album_artist}/{year} {album}/{track_number} {title}", &t),
            "Rick Astley/1987 Whenever You Need Somebody/01 Never Gonna Give You Up_"
        );
        assert!(check_template("{artist} - {name}").is_err());
        assert!(check_template("../{title}").is_err());
        assert!(check_template("{artist").is_err());
        assert!(check_template(DEFAULT_TEMPLATE).is_ok());
    }
}
