//! Exportify CSV, the de-facto playlist export: one typed row ([`ExportifyRow`]), the reader of
//! every layout ([`read`], [`layout`]), the writer of exportify.net's current one ([`write`]),
//! and its file names ([`names`]). Facts and sources: `shared/formats/README.md`.

pub mod layout;
pub mod names;
pub mod read;
pub mod row;
pub mod write;

pub use row::ExportifyRow;
