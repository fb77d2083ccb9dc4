//! Property tests: whatever Spotify adds or leaves out, a model keeps exactly what it
//! was given through decode → encode → decode.

use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use spotkit_model::{Page, Playlist, PlaylistTrack, SavedTrack, Track};

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

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), "x_[a-z0-9_]{0,10}", json()).prop_map(|(n, k, v)| Edit::Add(n, k, v)),
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

/// decode → encode gives the input back, and decoding that gives the same model.
fn check<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(
    doc: &Value,
) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(doc).unwrap();
    let model: T =
        serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    let encoded = serde_json::to_string(&model).unwrap();
    prop_assert_eq!(&serde_json::from_str::<Value>(&encoded).unwrap(), doc);
    let again: T = serde_json::from_str(&encoded).unwrap();
    prop_assert_eq!(again, model);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn track_keeps_everything(edits in prop::collection::vec(edit(), 1..12)) {
        let mut doc = fixture("track_extended.json");
        apply(&mut doc, &edits);
        check::<Track>(&doc)?;
    }

    #[test]
    fn playlist_keeps_everything(edits in prop::collection::vec(edit(), 1..16)) {
        let mut doc = fixture("playlist_transition.json");
        apply(&mut doc, &edits);
        check::<Playlist>(&doc)?;
    }

    #[test]
    fn dev_playlist_keeps_everything(edits in prop::collection::vec(edit(), 1..16)) {
        let mut doc = fixture("playlist_dev.json");
        apply(&mut doc, &edits);
        check::<Playlist>(&doc)?;
    }

    #[test]
    fn playlist_track_keeps_everything(edits in prop::collection::vec(edit(), 1..12), which in 0..4usize) {
        let name = ["item_episode.json", "item_local_track.json", "item_unknown_type.json", "item_null.json"][which];
        let mut doc = fixture(name);
        apply(&mut doc, &edits);
        check::<PlaylistTrack>(&doc)?;
    }

    #[test]
    fn saved_track_page_keeps_everything(edits in prop::collection::vec(edit(), 1..16)) {
        let mut doc = fixture("saved_tracks.json");
        apply(&mut doc, &edits);
        check::<Page<SavedTrack>>(&doc)?;
    }

    #[test]
    fn unknown_members_survive_at_the_top(extra in prop::collection::btree_map("x_[a-z]{1,8}", json(), 1..6)) {
        for (name, model) in [("track_dev.json", 0), ("playlist_dev.json", 1), ("item_episode.json", 2), ("saved_tracks.json", 3)] {
            let mut doc = fixture(name);
            doc.as_object_mut().unwrap().extend(extra.clone());
            match model {
                0 => check::<Track>(&doc)?,
                1 => check::<Playlist>(&doc)?,
                2 => check::<PlaylistTrack>(&doc)?,
                _ => check::<Page<SavedTrack>>(&doc)?,
            }
        }
    }
}
