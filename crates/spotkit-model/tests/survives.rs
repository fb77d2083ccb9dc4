//! The round-trip comparison the conformance tests rely on can fail: it catches a lost
//! unknown member, a changed value and a dropped entry, and lets through only what the
//! tolerant models are allowed to do (drop `null`s, write defaults).

#[path = "support/survives.rs"]
mod support;

use serde_json::json;
use support::survives;

#[test]
fn identical_documents_survive() {
    let doc = json!({"name": "Song", "n": 1, "ok": true, "list": [1, {"a": null}], "x_new": {"k": [null]}});
    assert_eq!(survives(&doc, &doc), Ok(()));
}

#[test]
fn a_lost_unknown_member_fails_and_names_its_path() {
    let input = json!({"track": {"name": "Song", "x_future": {"deep": 1}}});
    let output = json!({"track": {"name": "Song"}});
    let e = survives(&input, &output).unwrap_err();
    assert!(
        e.contains("`$.track.x_future`") && e.contains("missing"),
        "{e}"
    );

    let input = json!({"track": {"x_future": {"deep": 1, "deeper": "yes"}}});
    let output = json!({"track": {"x_future": {"deep": 1}}});
    let e = survives(&input, &output).unwrap_err();
    assert!(e.contains("`$.track.x_future.deeper`"), "{e}");
}

#[test]
fn a_changed_value_fails() {
    for (input, output, path) in [
        (json!({"name": "Song"}), json!({"name": "Sang"}), "$.name"),
        (json!({"n": 1}), json!({"n": 2}), "$.n"),
        (json!({"n": 1}), json!({"n": "1"}), "$.n"),
        (json!({"ok": true}), json!({"ok": false}), "$.ok"),
        (json!({"ok": true}), json!({"ok": null}), "$.ok"),
        (json!({"a": [1, 2]}), json!({"a": [2, 1]}), "$.a[0]"),
        (json!({"a": {"b": 1}}), json!({"a": [1]}), "$.a"),
        (json!({"a": [1]}), json!({"a": [1, 2]}), "$.a"),
        (
            json!({"at": "2026-03-01T10:00:00Z"}),
            json!({"at": "2026-03-01T10:00:01Z"}),
            "$.at",
        ),
        // A `null` member may become a default, not a value.
        (json!({"name": null}), json!({"name": "Song"}), "$.name"),
        (json!({"o": null}), json!({"o": {"total": 3}}), "$.o"),
        (json!({"odd key": 1}), json!({}), "$[\"odd key\"]"),
    ] {
        let e = survives(&input, &output).expect_err(&format!("{input} → {output}"));
        assert!(e.contains(&format!("`{path}`")), "{input} → {output}: {e}");
    }
}

#[test]
fn a_dropped_null_passes_but_a_dropped_value_fails() {
    let input = json!({"items": [{"id": "a"}, null, {"id": "b"}, null]});
    assert_eq!(
        survives(&input, &json!({"items": [{"id": "a"}, {"id": "b"}]})),
        Ok(())
    );
    // Kept in place is fine too.
    assert_eq!(survives(&input, &input), Ok(()));

    // A non-null entry left out (an entry a page could not read): fails.
    let e = survives(&input, &json!({"items": [{"id": "a"}]})).unwrap_err();
    assert!(e.contains("`$.items`"), "{e}");
    let e = survives(&json!([{"id": "a"}, {"id": "b"}]), &json!([{"id": "b"}])).unwrap_err();
    assert!(e.contains("`$`"), "{e}");
    // Entries are compared in order after the nulls are gone, named by input position.
    let e = survives(&input, &json!({"items": [{"id": "a"}, {"id": "c"}]})).unwrap_err();
    assert!(e.contains("`$.items[2].id`"), "{e}");
}

#[test]
fn null_members_may_be_missing_or_default_and_defaults_may_be_added() {
    let input =
        json!({"name": null, "total": null, "ok": null, "list": null, "at": null, "o": null});
    for output in [
        json!({}),
        input.clone(),
        json!({"name": "", "total": 0, "ok": false, "list": [], "at": "1970-01-01T00:00:00Z",
               "o": {"href": null, "total": 0, "external_urls": {}}}),
    ] {
        assert_eq!(survives(&input, &output), Ok(()), "{output}");
    }
    assert_eq!(
        survives(
            &json!({"name": "Song"}),
            &json!({"name": "Song", "popularity": 0, "artists": []})
        ),
        Ok(())
    );
}

#[test]
fn numbers_and_timestamps_compare_by_value() {
    assert_eq!(survives(&json!({"n": 1.0}), &json!({"n": 1})), Ok(()));
    assert_eq!(survives(&json!({"n": 120}), &json!({"n": 120.0})), Ok(()));
    assert_eq!(
        survives(
            &json!({"at": "2026-03-01T10:00:00.000Z"}),
            &json!({"at": "2026-03-01T11:00:00+01:00"})
        ),
        Ok(())
    );
    // Strings that are not timestamps must be equal.
    assert!(survives(&json!("1981-12"), &json!("1981-12-01")).is_err());
}
