//! The error type of this crate.

/// What can go wrong when using the models directly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A string is not a Spotify id, URI or URL of the expected kind. Fix the input.
    #[error("expected a Spotify {kind} id, URI or URL, got {input:?}: {reason}")]
    InvalidId {
        /// The kind of id expected: `track`, `playlist`, …
        kind: &'static str,
        /// The input as given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A name passed to [`crate::schema`] is not a schema or response name.
    #[error(
        "unknown schema name {name:?}: use a schema or response name of the Spotify OpenAPI spec \
         (e.g. `TrackObject`, `ManyTracks`) or `TokenResponse`/`TokenError`; \
         `spotkit_model::schema::NAMES` lists them all"
    )]
    UnknownSchema {
        /// The name as given.
        name: String,
    },
    /// JSON does not fit the type of a schema (see [`crate::schema`]).
    #[error(
        "the JSON does not fit `{schema}` at `{path}`: {message} \
         (fix the input, or report a model bug if Spotify sent it)"
    )]
    Parse {
        /// The schema or response name.
        schema: String,
        /// Where in the JSON it failed, e.g. `items[3].track.album.release_date` (`.` for the root).
        path: String,
        /// What failed there.
        message: String,
    },
}
