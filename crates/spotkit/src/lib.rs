//! spotkit: an async Spotify Web API client (filled in by issue 4).
pub use spotkit_model as model;
