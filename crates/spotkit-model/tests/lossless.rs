//! Property tests of what a model promises (issue #14), whatever Spotify adds, leaves out
//! or sends as `null`:
//!
//! * tolerance: removing any member or setting it to `null` never makes a parse fail;
//! * nothing sent is lost: unknown members added anywhere, and every other value that is
//!   not `null`, survive decode → encode ([`support::survives`]);
//! * decode → encode is a fixed point after the first encode:
//!   `encode(decode(encode(decode(x)))) == encode(decode(x))`.

#[path = "support/survives.rs"]
mod support;

use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use spotkit_model::{
    CursorPagingPlayHistory, Page, Playlist, PlaylistTrack, SavedTrack, SearchResults, Track,
};
use support::survives;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Arbitrary JSON, a few levels deep.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Pointers (JSON Pointer syntax) to every object in `v`, in document order.
fn objects(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            out.push(at.to_owned());
            for (k, child) in m {
                objects(
                    child,
                    &format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                objects(child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A change to a document.
#[derive(Debug, Clone)]
enum Edit {
    /// Adds an unknown member (`x_` keys are never modelled) to the n-th object.
    Add(usize, String, Value),
    /// Sets the k-th member of the n-th object to `null`.
    Null(usize, usize),
    /// Removes the k-th member of the n-th object.
    Remove(usize, usize),
}

/// Any edit.
fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), "x_[a-z0-9_]{0,10}", json()).prop_map(|(n, k, v)| Edit::Add(n, k, v)),
        removal(),
    ]
}

/// An edit that takes something away: a `null` or a removal.
fn removal() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(n, k)| Edit::Null(n, k)),
        (any::<usize>(), any::<usize>()).prop_map(|(n, k)| Edit::Remove(n, k)),
    ]
}

fn apply(doc: &mut Value, edits: &[Edit]) {
    for e in edits {
        let mut pointers = Vec::new();
        objects(doc, "", &mut pointers);
        let (Edit::Add(n, ..) | Edit::Null(n, _) | Edit::Remove(n, _)) = e;
        let Some(Value::Object(object)) = doc.pointer_mut(&pointers[n % pointers.len()]) else {
            unreachable!()
        };
        match e {
            Edit::Add(_, key, value) => {
                object.insert(key.clone(), value.clone());
            }
            Edit::Null(_, k) if !object.is_empty() => {
                let key = object.keys().nth(k % object.len()).cloned().unwrap();
                object.insert(key, Value::Null);
            }
            Edit::Remove(_, k) if !object.is_empty() => {
                let key = object.keys().nth(k % object.len()).cloned().unwrap();
                object.shift_remove(&key);
            }
            _ => {}
        }
    }
}

/// Adds `key: value` to every object of `doc`.
fn add_everywhere(doc: &mut Value, key: &str, value: &Value) {
    let mut pointers = Vec::new();
    objects(doc, "", &mut pointers);
    for pointer in pointers {
        if let Some(Value::Object(object)) = doc.pointer_mut(&pointer) {
            object.insert(key.to_owned(), value.clone());
        }
    }
}

fn encode<T: Serialize>(model: &T) -> String {
    serde_json::to_string(model).unwrap()
}

/// The three promises for `doc` read as `T`: it parses, what it holds survives, and a
/// second decode → encode changes nothing.
fn check<T: DeserializeOwned + Serialize>(doc: &Value) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(doc).unwrap();
    let model: T = serde_json::from_str(&text)
        .map_err(|e| TestCaseError::fail(format!("does not parse: {e}\n{text}")))?;
    let encoded = encode(&model);
    let back: Value = serde_json::from_str(&encoded).unwrap();
    survives(doc, &back)
        .map_err(|e| TestCaseError::fail(format!("lost {e}\n in: {text}\nout: {encoded}")))?;
    let again: T = serde_json::from_str(&encoded).map_err(|e| {
        TestCaseError::fail(format!("its own output does not parse: {e}\n{encoded}"))
    })?;
    prop_assert_eq!(encode(&again), encoded, "not a fixed point");
    Ok(())
}

/// A designed fixture and the model it is read as.
#[derive(Debug, Clone, Copy)]
enum Model {
    Track,
    Playlist,
    PlaylistTrack,
    SavedTracks,
    RecentlyPlayed,
    Search,
}

const FIXTURES: &[(&str, Model)] = &[
    ("track_dev.json", Model::Track),
    ("track_extended.json", Model::Track),
    ("playlist_dev.json", Model::Playlist),
    ("playlist_extended.json", Model::Playlist),
    ("playlist_transition.json", Model::Playlist),
    ("item_episode.json", Model::PlaylistTrack),
    ("item_local_track.json", Model::PlaylistTrack),
    ("item_unknown_type.json", Model::PlaylistTrack),
    ("item_null.json", Model::PlaylistTrack),
    ("saved_tracks.json", Model::SavedTracks),
    ("recently_played.json", Model::RecentlyPlayed),
    ("search_with_null_playlists.json", Model::Search),
];

fn check_as(model: Model, doc: &Value) -> Result<(), TestCaseError> {
    match model {
        Model::Track => check::<Track>(doc),
        Model::Playlist => check::<Playlist>(doc),
        Model::PlaylistTrack => check::<PlaylistTrack>(doc),
        Model::SavedTracks => check::<Page<SavedTrack>>(doc),
        Model::RecentlyPlayed => check::<CursorPagingPlayHistory>(doc),
        Model::Search => check::<SearchResults>(doc),
    }
}

#[test]
fn every_fixture_keeps_its_promises_unedited() {
    for (name, model) in FIXTURES {
        check_as(*model, &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random additions, removals and `null`s anywhere, mixed.
    #[test]
    fn edited_documents_keep_the_promises(
        which in 0..FIXTURES.len(),
        edits in prop::collection::vec(edit(), 1..16),
    ) {
        let (name, model) = FIXTURES[which];
        let mut doc = fixture(name);
        apply(&mut doc, &edits);
        check_as(model, &doc)?;
    }

    /// Only removals and `null`s: tolerance, with nothing else sent lost.
    #[test]
    fn removing_or_nulling_members_never_fails_a_parse(
        which in 0..FIXTURES.len(),
        edits in prop::collection::vec(removal(), 1..24),
    ) {
        let (name, model) = FIXTURES[which];
        let mut doc = fixture(name);
        apply(&mut doc, &edits);
        check_as(model, &doc)?;
    }

    /// An unknown member in every object at once, at every depth.
    #[test]
    fn unknown_members_survive_everywhere(which in 0..FIXTURES.len(), key in "x_[a-z0-9_]{0,10}", value in json()) {
        let (name, model) = FIXTURES[which];
        let mut doc = fixture(name);
        add_everywhere(&mut doc, &key, &value);
        check_as(model, &doc)?;
    }

    #[test]
    fn unknown_members_survive_at_the_top(extra in prop::collection::btree_map("x_[a-z]{1,8}", json(), 1..6)) {
        for (name, model) in FIXTURES {
            let mut doc = fixture(name);
            doc.as_object_mut().unwrap().extend(extra.clone());
            check_as(*model, &doc)?;
        }
    }
}

/// The checks can fail: a model that dropped what it was sent would be caught.
#[test]
fn a_dropped_unknown_member_would_be_caught() {
    let mut doc = fixture("track_dev.json");
    add_everywhere(&mut doc, "x_probe", &Value::from(1));
    let track: Track = serde_json::from_value(doc.clone()).unwrap();
    let mut back = serde_json::to_value(&track).unwrap();
    back["album"]
        .as_object_mut()
        .unwrap()
        .shift_remove("x_probe");
    let e = survives(&doc, &back).unwrap_err();
    assert!(e.contains("`$.album.x_probe`"), "{e}");
}
