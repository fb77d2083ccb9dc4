//! Every example of the spec parses into its type and everything it holds survives
//! serializing again ([`support::survives`]), and every schema and response name of the
//! spec has a type.

#[path = "support/spec.rs"]
mod spec;
#[path = "support/survives.rs"]
mod support;

use std::collections::BTreeSet;

use spotkit_model::schema::{self, NAMES};
use support::{short, survives};

#[test]
fn every_spec_example_survives_a_round_trip() {
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
        // An entry a page could not read is left out while the example has it (not null)
        // there: `survives` reports that as a shorter array.
        match schema::roundtrip(&ex.name, &text) {
            Ok(back) => {
                if let Err(difference) = survives(&ex.json, &back) {
                    failures.push(format!(
                        "{} ({}): lost on the way {difference}\n  in:  {}\n  out: {}",
                        ex.name,
                        ex.origin,
                        short(&ex.json),
                        short(&back)
                    ));
                }
            }
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
        "{} examples over {} names survived a round trip",
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
        let minimal: serde_json::Value = serde_json::from_str(minimal).unwrap();
        // What was sent comes back; members left out may come back as their defaults.
        survives(&minimal, &back).unwrap_or_else(|e| panic!("{name}: {e}"));
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
        "QueueObject",
        r#"{"queue":[{"type":"track","duration_ms":"long"}]}"#,
    )
    .unwrap_err();
    let spotkit_model::Error::Parse { path, message, .. } = &e else {
        panic!("{e}")
    };
    assert_eq!(path, "queue[0]");
    assert!(
        message.contains("invalid track at `duration_ms`"),
        "{message}"
    );

    // The same entry in a page does not fail the page: it is left out (see `Page::skipped`).
    let back = schema::roundtrip(
        "PagingPlaylistTrackObject",
        r#"{"items":[{"item":{"type":"track","duration_ms":"long"}},{"item":{"type":"track","name":"Song"}}]}"#,
    )
    .unwrap();
    assert_eq!(back["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(back["items"][0]["item"]["name"], "Song");

    let e = schema::roundtrip("TrackObject", "{} trailing")
        .unwrap_err()
        .to_string();
    assert!(e.contains("trailing characters"), "{e}");
}
