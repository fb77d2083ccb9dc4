//! Files spotkit writes: [`atomic`] replacement (temp file, fsync, rename) with the right
//! permissions, and [`m3u`] playlists. One home for both, shared by the client library (its
//! token file), `spotkit-sync` and the CLI.

pub mod atomic;
pub mod m3u;

pub use atomic::{AtomicFile, Error, Mode, write_atomic};
