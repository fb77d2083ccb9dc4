//! Serde models of the Spotify Web API (filled in by issue 4).
