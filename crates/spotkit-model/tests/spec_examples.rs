//! Every example of the spec parses into its type and serializes back unchanged, and
//! every schema and response name of the spec has a type.

#[path = "support/spec.rs"]
mod spec;

use std::collections::BTreeSet;

use spotkit_model::schema::{self, NAMES};

#[test]
fn every_spec_example_round_trips() {
    let Some(spec) = spec::load_spec() else {
        return; // no conformance data: skipped, and said so
    };
    let examples = spec::examples(&spec);
    assert!(
        examples.len() > 150,
        "only {} examples found: is the collector broken?",
        examples.len()
    );
    let mut failures = Vec::new();
    for ex in &examples {
        let text = serde_json::to_string(&ex.json).unwrap();
        match schema::roundtrip(&ex.name, &text) {
            Ok(back) if back == ex.json => {}
            Ok(back) => failures.push(format!(
                "{} ({}): changed on the way\n  in:  {}\n  out: {}",
                ex.name, ex.origin, ex.json, back
            )),
            Err(e) => failures.push(format!("{} ({}): {e}", ex.name, ex.origin)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples failed:\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
    // Every name of the spec is exercised at least once (responses via their schema).
    let named: BTreeSet<&str> = examples.iter().map(|e| e.name.as_str()).collect();
    eprintln!(
        "{} examples over {} names round-tripped",
        examples.len(),
        named.len()
    );
}

#[test]
fn names_cover_the_spec_both_ways() {
    let Some(spec) = spec::load_spec() else {
        return; // no conformance data: skipped, and said so
    };
    let in_spec: BTreeSet<String> = spec::schema_names(&spec)
        .into_iter()
        .chain(spec::response_names(&spec))
        .collect();
    let ours: BTreeSet<String> = NAMES.iter().map(|s| (*s).to_owned()).collect();
    let extra: BTreeSet<String> = ["TokenResponse", "TokenError"].map(str::to_owned).into();
    let missing: Vec<_> = in_spec.difference(&ours).collect();
    assert!(
        missing.is_empty(),
        "spec names without a type in schema::NAMES: {missing:?}"
    );
    let unknown: Vec<_> = ours
        .difference(&in_spec)
        .filter(|n| !extra.contains(*n))
        .collect();
    assert!(
        unknown.is_empty(),
        "schema::NAMES entries that are not in the spec: {unknown:?}"
    );
    assert_eq!(NAMES.len(), ours.len(), "schema::NAMES has duplicates");
    assert_eq!(spec::schema_names(&spec).len(), 90);
}

#[test]
fn every_name_is_dispatched() {
    // The minimal document of each kind parses under every name (all members are
    // optional), except the bodies with required members.
    for name in NAMES {
        let minimal = match *name {
            "TimeSignature" | "Key" | "Mode" | "Tempo" | "Loudness" => "4",
            "ArrayOfImages" | "ArrayOfBooleans" | "SingletonArrayOfBoolean" => "[]",
            "TokenResponse" => r#"{"access_token":"a","token_type":"Bearer","expires_in":3600}"#,
            "TokenError" => r#"{"error":"invalid_grant"}"#,
            "Unauthorized" | "Forbidden" | "NotFound" | "BadRequest" | "TooManyRequests" => {
                r#"{"error":{}}"#
            }
            _ => "{}",
        };
        let back = schema::roundtrip(name, minimal).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(minimal).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn errors_name_the_path_and_the_fix() {
    let e = schema::roundtrip("Nope", "{}").unwrap_err().to_string();
    assert!(
        e.contains("unknown schema name \"Nope\"") && e.contains("schema::NAMES"),
        "{e}"
    );

    let e = schema::roundtrip(
        "PagingPlaylistTrackObject",
        r#"{"items":[{"item":{"type":"track","duration_ms":"long"}}]}"#,
    )
    .unwrap_err();
    let spotkit_model::Error::Parse { path, message, .. } = &e else {
        panic!("{e}")
    };
    assert_eq!(path, "items[0].item");
    assert!(
        message.contains("invalid track at `duration_ms`"),
        "{message}"
    );

    let e = schema::roundtrip("TrackObject", "{} trailing")
        .unwrap_err()
        .to_string();
    assert!(e.contains("trailing characters"), "{e}");
}
