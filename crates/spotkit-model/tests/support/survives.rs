//! What "nothing was lost" means for a parse → serialize round trip (issue #14).
//!
//! The models are tolerant rather than byte-exact: a `null` member may come back missing
//! or as its default, members Spotify left out may come back with their defaults, and a
//! page drops its `null` entries. What must hold is that every value Spotify *sent*
//! comes back, known or not. [`survives`] checks exactly that.
//!
//! Shared by the tests that include it with `#[path]`; its own tests are in
//! `tests/survives.rs`.
#![allow(dead_code)]

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Checks that what `input` holds survived into `output`, or names the JSON path of the
/// first difference (`$.items[3].track.name`) and what differs there.
///
/// * every member of an input object whose value is not `null` is in the output, and its
///   value survives (recursively; this covers unknown members kept in `extra` maps);
/// * a `null` input member may be missing, `null` or a default (`""`, `0`, `false`, `[]`,
///   the Unix epoch, an object of defaults) in the output;
/// * the output may have members the input had not (defaults);
/// * an output array shorter than the input one must equal the input without its `null`
///   entries (pages leave them out); otherwise the arrays are compared entry by entry;
/// * strings are equal, or both RFC 3339 timestamps of the same instant; numbers are equal
///   as JSON numbers or as `f64`; booleans are equal.
pub fn survives(input: &Value, output: &Value) -> Result<(), String> {
    at("$", input, output)
}

fn at(path: &str, input: &Value, output: &Value) -> Result<(), String> {
    let differs = |what: String| Err(format!("at `{path}`: {what}"));
    match (input, output) {
        (Value::Null, out) if is_default(out) => Ok(()),
        (Value::Null, out) => differs(format!("null became {}", short(out))),
        (Value::Bool(a), Value::Bool(b)) if a == b => Ok(()),
        (Value::Number(a), Value::Number(b))
            if a == b || a.as_f64().is_some_and(|a| b.as_f64() == Some(a)) =>
        {
            Ok(())
        }
        (Value::String(a), Value::String(b)) if a == b || same_instant(a, b) => Ok(()),
        (Value::Array(a), Value::Array(b)) => {
            let kept: Vec<&Value> = if b.len() < a.len() {
                a.iter().filter(|v| !v.is_null()).collect()
            } else {
                a.iter().collect()
            };
            if kept.len() != b.len() {
                return differs(format!(
                    "{} entries ({} not null) became {}",
                    a.len(),
                    a.iter().filter(|v| !v.is_null()).count(),
                    b.len()
                ));
            }
            // Positions name the input's entries, so a failure points into the input.
            let positions = a
                .iter()
                .enumerate()
                .filter(|(_, v)| b.len() >= a.len() || !v.is_null());
            for ((i, a), b) in positions.zip(b) {
                at(&format!("{path}[{i}]"), a, b)?;
            }
            Ok(())
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, a) in a {
                let path = member(path, key);
                match b.get(key) {
                    Some(b) => at(&path, a, b)?,
                    None if a.is_null() => {}
                    None => return Err(format!("at `{path}`: missing, was {}", short(a))),
                }
            }
            Ok(())
        }
        (a, b) => differs(format!("{} became {}", short(a), short(b))),
    }
}

/// What a model writes for a member Spotify sent as `null`.
fn is_default(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty() || same_instant(s, "1970-01-01T00:00:00Z"),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.values().all(is_default),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (
        OffsetDateTime::parse(a, &Rfc3339),
        OffsetDateTime::parse(b, &Rfc3339),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn member(path: &str, key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{path}.{key}")
    } else {
        format!("{path}[{key:?}]")
    }
}

/// A value for a failure message, cut to a readable length.
pub fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 200 {
        format!("{}…", s.chars().take(200).collect::<String>())
    } else {
        s
    }
}
