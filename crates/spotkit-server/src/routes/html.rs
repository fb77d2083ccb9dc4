//! Text into the server's HTML pages (`/` and `/docs`).

/// `s` escaped for HTML text and double-quoted attribute values.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
