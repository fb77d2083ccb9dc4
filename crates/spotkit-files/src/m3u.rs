//! Extended M3U8 playlists: UTF-8, `#EXTM3U`, an optional `#PLAYLIST:<name>`, then per entry
//! `#EXTINF:<whole seconds>,<label>` and its location (a relative `/`-separated path for synced
//! files, a `spotify:` URI for exports). Labels and names are kept on one line.

use std::io::{self, Write};

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Length in whole seconds (`None`: unknown, written `-1` as the format says).
    pub seconds: Option<u64>,
    /// What players show, by convention `Artist - Title`.
    pub label: String,
    /// The file path or URI.
    pub location: String,
}

/// Writes the playlist `name` with `items`, in order.
pub fn write(w: &mut impl Write, name: &str, items: &[Item]) -> io::Result<()> {
    writeln!(w, "#EXTM3U")?;
    writeln!(w, "#PLAYLIST:{}", one_line(name))?;
    for item in items {
        let seconds = item
            .seconds
            .map_or_else(|| "-1".to_owned(), |s| s.to_string());
        writeln!(w, "#EXTINF:{seconds},{}", one_line(&item.label))?;
        writeln!(w, "{}", one_line(&item.location))?;
    }
    Ok(())
}

/// The playlist as text.
pub fn to_string(name: &str, items: &[Item]) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write(&mut out, name, items);
    String::from_utf8_lossy(&out).into_owned()
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_in_order_on_one_line() {
        let text = to_string(
            "Road\nTrip",
            &[
                Item {
                    seconds: Some(215),
                    label: "A - One".into(),
                    location: "A - One.opus".into(),
                },
                Item {
                    seconds: None,
                    label: "B - Two\r\n".into(),
                    location: "spotify:track:4uLU6hMCjMI75M1A2tKUQC".into(),
                },
            ],
        );
        assert_eq!(
            text,
            "#EXTM3U\n#PLAYLIST:Road Trip\n#EXTINF:215,A - One\nA - One.opus\n#EXTINF:-1,B - Two  \nspotify:track:4uLU6hMCjMI75M1A2tKUQC\n"
        );
    }
}
