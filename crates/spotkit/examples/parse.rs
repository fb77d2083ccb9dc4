//! Parses a JSON file as one of the Spotify Web API's schemas and prints it back.
//!
//! ```text
//! cargo run -p spotkit --example parse -- <Name> <file.json | ->
//! cargo run -p spotkit --example parse -- --list
//! ```
//!
//! `<Name>` is a schema name (`TrackObject`, `PagingPlaylistTrackObject`, …) or a
//! response name (`OneTrack`, `ManyTracks`, `PagedPlaylists`, …) of Spotify's OpenAPI
//! definition, or `TokenResponse` / `TokenError`; `-` reads standard input. The
//! re-serialized JSON goes to standard output: it equals the input (up to key order
//! and whitespace) because the models keep every member. When the JSON does not fit,
//! the exit status is 1 and the message names the JSON path of the failure; a bad
//! name or file gives status 2.

use std::io::Read;
use std::process::ExitCode;

use spotkit::model::{Error, schema};

const USAGE: &str = "usage: parse <Name> <file.json | ->   (parse --list shows the names)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag] if flag == "--list" => {
            for name in schema::NAMES {
                println!("{name}");
            }
            ExitCode::SUCCESS
        }
        [flag] if flag == "--help" || flag == "-h" => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        [name, file] => run(name, file),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(name: &str, file: &str) -> ExitCode {
    if !schema::NAMES.contains(&name) {
        eprintln!(
            "error: {}",
            Error::UnknownSchema {
                name: name.to_owned()
            }
        );
        eprintln!("run `parse --list` to see every valid name");
        return ExitCode::from(2);
    }
    let source = if file == "-" { "<stdin>" } else { file };
    let text = if file == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map(|_| text)
    } else {
        std::fs::read_to_string(file)
    };
    let text = match text {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {source}: {e}");
            return ExitCode::from(2);
        }
    };
    match schema::roundtrip(name, &text) {
        Ok(value) => match serde_json::to_string_pretty(&value) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write the result: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("error: {source}: {e}");
            ExitCode::FAILURE
        }
    }
}
