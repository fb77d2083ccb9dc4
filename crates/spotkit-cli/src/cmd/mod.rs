//! One module per subcommand.

pub mod demo;
pub mod export;
pub mod export_zip;
pub mod history;
pub mod history_enrich;
pub mod import;
pub mod login;
pub mod menu;
pub mod player;
pub mod sandbox;
pub mod search;
pub mod sync;
