//! Listening history: Spotify's streaming-history files read into a local SQLite database
//! (`spotkit history import`), figures over it (`stats`) and a self-contained HTML page
//! (`report`), and URIs for account-data plays (`lookups`, `spotkit history enrich`). `parse` reads the two layouts, `store` is the database, `stats` computes the
//! figures, `report` draws them.

pub mod lookups;
pub mod parse;
pub mod report;
pub mod stats;
pub mod store;
