//! Reading the fixed Spotify OpenAPI spec and collecting its examples.
//!
//! Shared by `spotkit-model`'s tests and `spotkit`'s `parse_examples` test
//! (included with `#[path]`), so both check the same examples.
#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::{Map, Value};
use serde_yaml::Value as Yaml;

/// The spec inside the conformance data (sonallux/spotify-web-api's fixed variant of Spotify's
/// OpenAPI definition), or `None` when the conformance data is absent (the test is skipped).
pub fn spec_path() -> Option<PathBuf> {
    spotkit_conformance::file("spotify-openapi/fixed-spotify-open-api.yml")
}

/// The parsed spec, or `None` when the conformance data is absent (the caller returns: skipped).
pub fn load_spec() -> Option<Yaml> {
    let path = spec_path()?;
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the spec at {}: {e}", path.display()));
    Some(
        serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display())),
    )
}

fn components<'a>(spec: &'a Yaml, part: &str) -> &'a serde_yaml::Mapping {
    spec["components"][part]
        .as_mapping()
        .unwrap_or_else(|| panic!("the spec has no components.{part}"))
}

fn keys(map: &serde_yaml::Mapping) -> Vec<String> {
    map.keys()
        .filter_map(Yaml::as_str)
        .map(str::to_owned)
        .collect()
}

/// The names in `components.schemas`, in spec order.
pub fn schema_names(spec: &Yaml) -> Vec<String> {
    keys(components(spec, "schemas"))
}

/// The names in `components.responses`, in spec order.
pub fn response_names(spec: &Yaml) -> Vec<String> {
    keys(components(spec, "responses"))
}

/// One JSON document to parse as `name`.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The schema or response name to parse it as.
    pub name: String,
    /// Where it comes from, for failure messages.
    pub origin: String,
    /// The document.
    pub json: Value,
}

fn to_json(yaml: &Yaml) -> Value {
    serde_json::to_value(yaml)
        .unwrap_or_else(|e| panic!("example is not JSON-compatible: {e}: {yaml:?}"))
}

fn deref<'a>(spec: &'a Yaml, node: &'a Yaml) -> &'a Yaml {
    match node.get("$ref").and_then(Yaml::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            &spec["components"]["schemas"][name]
        }
        None => node,
    }
}

/// The properties of an object schema, including those of its `allOf` parts.
fn properties<'a>(spec: &'a Yaml, schema: &'a Yaml) -> Vec<(String, &'a Yaml)> {
    let schema = deref(spec, schema);
    let mut out: Vec<(String, &Yaml)> = Vec::new();
    if let Some(parts) = schema.get("allOf").and_then(Yaml::as_sequence) {
        for part in parts {
            for (k, v) in properties(spec, part) {
                out.retain(|(name, _)| *name != k);
                out.push((k, v));
            }
        }
    }
    if let Some(props) = schema.get("properties").and_then(Yaml::as_mapping) {
        for (k, v) in props {
            let k = k.as_str().unwrap_or_default().to_owned();
            out.retain(|(name, _)| *name != k);
            out.push((k, v));
        }
    }
    out
}

/// Property-level examples of `schema`, wrapped in the objects that lead to them
/// (nested inline objects are followed, `$ref`s are not: they have their own names).
fn property_examples(
    spec: &Yaml,
    schema: &Yaml,
    wrap: &dyn Fn(Value) -> Value,
    origin: &str,
    out: &mut Vec<(String, Value)>,
) {
    for (name, prop) in properties(spec, schema) {
        let single = |v: Value| {
            let mut m = Map::new();
            m.insert(name.clone(), v);
            wrap(Value::Object(m))
        };
        if let Some(example) = prop.get("example") {
            out.push((format!("{origin}.{name}.example"), single(to_json(example))));
        }
        if let Some(example) = prop.get("items").and_then(|i| i.get("example")) {
            out.push((
                format!("{origin}.{name}.items.example"),
                single(Value::Array(vec![to_json(example)])),
            ));
        }
        let inline_object = prop.get("$ref").is_none() && prop.get("properties").is_some();
        if inline_object {
            property_examples(spec, prop, &single, &format!("{origin}.{name}"), out);
        }
    }
}

/// A document combining every example reachable from `schema` (through `$ref`s,
/// `allOf`, `oneOf` and array items), or `None` if there is none.
fn combined(spec: &Yaml, schema: &Yaml, depth: usize) -> Option<Value> {
    // The spec has no cycles; the limit only guards against a future one.
    if depth > 40 {
        return None;
    }
    if let Some(example) = schema.get("example") {
        return Some(to_json(example));
    }
    let target = deref(spec, schema);
    if !std::ptr::eq(target, schema) {
        return combined(spec, target, depth + 1);
    }
    if let Some(first) = schema
        .get("oneOf")
        .and_then(Yaml::as_sequence)
        .and_then(|s| s.first())
    {
        return combined(spec, first, depth + 1);
    }
    if let Some(items) = schema.get("items") {
        return combined(spec, items, depth + 1).map(|item| Value::Array(vec![item]));
    }
    let mut object = Map::new();
    for (name, prop) in properties(spec, schema) {
        if let Some(v) = combined(spec, prop, depth + 1) {
            object.insert(name, v);
        }
    }
    (!object.is_empty()).then_some(Value::Object(object))
}

/// Every example of the spec, as (name to parse as, origin, document):
/// schema-level examples, property-level examples (wrapped in their object), and one
/// combined document per schema and per response built from all reachable examples.
pub fn examples(spec: &Yaml) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut push = |name: &str, found: Vec<(String, Value)>| {
        for (origin, json) in found {
            let e = Example {
                name: name.to_owned(),
                origin,
                json,
            };
            if !out.contains(&e) {
                out.push(e);
            }
        }
    };
    let identity = |v: Value| v;
    for (part, key) in [("schemas", None), ("responses", Some("content"))] {
        for (name, node) in components(spec, part) {
            let name = name.as_str().unwrap_or_default();
            let schema = match key {
                None => node,
                Some(_) => &node["content"]["application/json"]["schema"],
            };
            let origin = format!("components.{part}.{name}");
            let mut found = Vec::new();
            if let Some(example) = schema.get("example") {
                found.push((format!("{origin}.example"), to_json(example)));
            }
            property_examples(spec, schema, &identity, &origin, &mut found);
            if let Some(all) = combined(spec, schema, 0) {
                found.push((format!("{origin} (all examples combined)"), all));
            }
            push(name, found);
        }
    }
    out
}
