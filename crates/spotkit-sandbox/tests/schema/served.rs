//! The routes the sandbox serves, read from the source of `src/api/` (axum cannot enumerate a
//! `Router`), so a route added there without a row in the schema test's table fails the test.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The Web API sources, relative to the crate.
pub const API_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/api");

/// Routing functions of `axum::routing` this reader understands, by HTTP method.
const METHODS: &[&str] = &["get", "post", "put", "delete", "patch", "head", "options"];

/// `(METHOD, path)` of every `.route("path", get(..).post(..))` under `src/api/`, or why the
/// source cannot be read that way.
pub fn served_routes() -> Result<BTreeSet<(String, String)>, String> {
    let mut files = Vec::new();
    collect_rs(Path::new(API_DIR), &mut files)?;
    let mut routes = BTreeSet::new();
    for file in files {
        let src = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let src = strip_comments(&src);
        // `.merge(` is fine: the routers merged are built from `.route(..)` calls under
        // `src/api/` too (one group per client handler), and every such call is read here.
        for unsupported in [".nest(", ".route_service(", ".nest_service("] {
            if src.contains(unsupported) {
                return Err(format!(
                    "{} uses `{unsupported}`: the schema test's route guard only reads \
                     `.route(\"..\", get(..))` calls; extend tests/schema/served.rs",
                    file.display()
                ));
            }
        }
        for (path, args) in route_calls(&src) {
            let methods = methods_in(args);
            if methods.is_empty() {
                return Err(format!(
                    "{}: cannot tell the HTTP methods of route {path:?} from `{}`; extend \
                     tests/schema/served.rs",
                    file.display(),
                    args.trim()
                ));
            }
            for m in methods {
                routes.insert((m.to_ascii_uppercase(), path.clone()));
            }
        }
    }
    Ok(routes)
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
    out.sort();
    Ok(())
}

/// The source without `//` comments (doc comments mention routes that are not calls).
fn strip_comments(src: &str) -> String {
    src.lines()
        .map(|line| {
            // A `//` inside a string literal (URLs) is kept: only cut outside quotes.
            let mut in_str = false;
            let bytes = line.as_bytes();
            for i in 0..bytes.len() {
                match bytes[i] {
                    b'"' if i == 0 || bytes[i - 1] != b'\\' => in_str = !in_str,
                    b'/' if !in_str && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
                    _ => {}
                }
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each `.route(` call: its path literal and the text of the rest of its arguments.
fn route_calls(src: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(i) = rest.find(".route(") {
        rest = &rest[i + ".route(".len()..];
        let mut depth = 1usize;
        let mut in_str = false;
        let mut prev = ' ';
        let mut end = rest.len();
        for (j, c) in rest.char_indices() {
            match c {
                '"' if prev != '\\' => in_str = !in_str,
                '(' if !in_str => depth += 1,
                ')' if !in_str => {
                    depth -= 1;
                    if depth == 0 {
                        end = j;
                        break;
                    }
                }
                _ => {}
            }
            prev = c;
        }
        let args = &rest[..end];
        let Some(open) = args.find('"') else { continue };
        let Some(len) = args[open + 1..].find('"') else {
            continue;
        };
        let path = args[open + 1..open + 1 + len].to_owned();
        out.push((path, &args[open + 1 + len + 1..]));
        rest = &rest[end..];
    }
    out
}

/// The routing functions called in a `.route(..)`'s method-router argument.
fn methods_in(args: &str) -> Vec<&'static str> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut found = Vec::new();
    for m in METHODS {
        let needle = format!("{m}(");
        let mut from = 0;
        while let Some(i) = args[from..].find(&needle) {
            let at = from + i;
            let before = args[..at].chars().next_back();
            if !before.is_some_and(is_ident) && !found.contains(m) {
                found.push(*m);
            }
            from = at + needle.len();
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_single_and_multi_line_routes() {
        let src = r#"
            Router::new()
                .route("/me", get(users::me))
                // .route("/commented", get(x))
                .route(
                    "/audiobooks/{id}/chapters",
                    get(catalog::audiobook_chapters),
                )
                .route("/x", get(a::get_x).post(a::post_x))
        "#;
        let calls: Vec<(String, Vec<&str>)> = route_calls(&strip_comments(src))
            .into_iter()
            .map(|(p, a)| (p, methods_in(a)))
            .collect();
        assert_eq!(
            calls,
            vec![
                ("/me".to_owned(), vec!["get"]),
                ("/audiobooks/{id}/chapters".to_owned(), vec!["get"]),
                ("/x".to_owned(), vec!["get", "post"]),
            ]
        );
    }
}
