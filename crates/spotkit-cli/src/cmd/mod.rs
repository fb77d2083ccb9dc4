//! One module per subcommand.

pub mod demo;
pub mod export;
pub mod login;
pub mod sandbox;
pub mod search;
