//! Spotify's OpenAPI 3.0.3 description, turned into JSON Schema (draft 2020-12) validators.
//!
//! OpenAPI 3.0 schemas are almost JSON Schema; the differences handled here:
//! - `$ref: "#/components/schemas/X"` becomes `$ref: "#/$defs/X"`, every component schema is put under
//!   `$defs` of each validator's root.
//! - `nullable: true` adds `"null"` to `type` (and to `enum`); where the schema has no plain `type`
//!   (a `$ref`, `allOf`, ...) it becomes `if: {not: {type: null}}, then: schema` (null, or else the
//!   schema; unlike `anyOf`, errors inside the schema keep their own locations).
//! - `oneOf` with a `discriminator` becomes one `if`/`then` per branch keyed on the discriminator
//!   property (equivalent here, since every branch pins that property with an `enum`), so a failure
//!   reports the member that is wrong rather than "valid under none of the schemas".
//! - OpenAPI-only keywords (`x-*`, `example`, `deprecated`, `discriminator`, `xml`, `externalDocs`)
//!   are dropped; `deprecated` is read first (see [`Converter::required`]).
//! - `format` is validated (`date-time` for `added_at`/`played_at`); unknown formats (`float`,
//!   `int64`) are ignored.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use jsonschema::Validator;
use serde_json::{Map, Value, json};
use spotkit_sandbox::Mode;

/// The spec's place inside the conformance data (sonallux/spotify-web-api's fixed variant of
/// Spotify's OpenAPI definition).
pub const SPEC: &str = "spotify-openapi/fixed-spotify-open-api.yml";

/// A place where the real service deviates from the spec, and how the spec is relaxed for it.
/// Keep this list minimal: every entry hides a class of sandbox bugs.
#[derive(Debug)]
pub struct Deviation {
    /// Schemas made nullable, as JSON pointers below `#/components`.
    pub nullable: &'static [&'static str],
    /// Why Spotify sends `null` there.
    pub why: &'static str,
}

/// Known spec deviations of the real service: each listed schema also accepts `null`.
pub const SPEC_DEVIATIONS: &[Deviation] = &[
    Deviation {
        nullable: &["/schemas/CursorPagingObject/properties/next"],
        why: "Spotify sends `next: null` on the last page of cursor paging (the spec forgets `nullable`)",
    },
    Deviation {
        nullable: &["/schemas/CursorObject/properties/after"],
        why: "Spotify sends `cursors.after: null` on the last page of cursor paging",
    },
    Deviation {
        nullable: &["/schemas/CursorObject/properties/before"],
        why: "an empty cursor page has nothing to point at (Spotify sends null cursors there)",
    },
    Deviation {
        nullable: &["/schemas/PlayHistoryObject/properties/context"],
        why: "a track played outside a playlist/album/artist/show has `context: null` in recently-played",
    },
    Deviation {
        nullable: &[
            "/schemas/CurrentlyPlayingContextObject/properties/context",
            "/schemas/CurrentlyPlayingObject/properties/context",
            "/schemas/QueueObject/properties/currently_playing",
        ],
        why: "playback without a context, or nothing playing: the spec's own descriptions say \
              \"Can be `null`\" without `nullable`",
    },
    Deviation {
        nullable: &[
            "/responses/ManyTracks/content/application~1json/schema/properties/tracks/items",
            "/responses/ManyAlbums/content/application~1json/schema/properties/albums/items",
            "/responses/ManyArtists/content/application~1json/schema/properties/artists/items",
            "/responses/ManySimplifiedShows/content/application~1json/schema/properties/shows/items",
            "/responses/ManyEpisodes/content/application~1json/schema/properties/episodes/items",
            "/responses/ManyAudiobooks/content/application~1json/schema/properties/audiobooks/items",
            "/responses/ManyChapters/content/application~1json/schema/properties/chapters/items",
        ],
        why: "multi-gets answer `null` in the place of an unknown id (documented for audiobooks only)",
    },
];

/// Answers the real service gives that the spec does not document: (method, path, status, why).
/// They are accepted without a body.
pub const UNDOCUMENTED_ANSWERS: &[(&str, &str, u16, &str)] = &[(
    "GET",
    "/me/player/currently-playing",
    204,
    "204 No Content when nothing is playing (the reference's prose says so; the spec omits it)",
)];

/// The schema whose instances are local files when `is_local` is `true`.
pub const LOCAL_ENTRY: &str = "PlaylistTrackObject";
/// The schema of a local file's playable object, relaxed as a whole.
pub const LOCAL_ITEM: &str = "TrackObject";
/// Suffix of the relaxed local-file variants in `$defs`.
const LOCAL_SUFFIX: &str = "__local";

/// The loaded spec.
#[derive(Debug)]
pub struct Spec {
    doc: Value,
}

/// Looks `key` up in a JSON object, or `Value::Null`.
fn get<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

impl Spec {
    /// Loads the spec from the conformance data, or `None` when it is absent (the calling test is
    /// skipped, and says so; with `SPOTKIT_REQUIRE_CONFORMANCE=1` the lookup fails instead).
    pub fn load() -> Option<Spec> {
        let path = spotkit_conformance::file(SPEC)?;
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read the Spotify OpenAPI spec at {}: {e}",
                path.display()
            )
        });
        let mut doc: Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not valid YAML/JSON: {e}", path.display()));
        for d in SPEC_DEVIATIONS {
            for pointer in d.nullable {
                let schema = doc
                    .pointer_mut(&format!("/components{pointer}"))
                    .and_then(Value::as_object_mut)
                    .unwrap_or_else(|| {
                        panic!(
                            "SPEC_DEVIATIONS names {pointer}, which the spec no longer has: drop it"
                        )
                    });
                assert!(
                    schema.get("nullable") != Some(&Value::Bool(true)),
                    "{pointer} is nullable in the spec now: drop it from SPEC_DEVIATIONS"
                );
                schema.insert("nullable".into(), Value::Bool(true));
            }
        }
        Some(Spec { doc })
    }

    fn schemas(&self) -> &Map<String, Value> {
        self.doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .expect("the spec has components.schemas")
    }

    /// The operation object of `method path`, if the spec has it.
    pub fn operation(&self, method: &str, path: &str) -> Option<&Value> {
        self.doc
            .get("paths")?
            .get(path)?
            .get(method.to_ascii_lowercase())
    }

    /// Follows a `#/components/...` reference inside the spec.
    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let pointer = r
                    .strip_prefix('#')
                    .unwrap_or_else(|| panic!("external $ref {r} in the spec"));
                self.resolve(
                    self.doc
                        .pointer(pointer)
                        .unwrap_or_else(|| panic!("dangling $ref {r} in the spec")),
                )
            }
            None => v,
        }
    }

    /// The JSON schema (OpenAPI form) of the `status` answer of `method path`: `Ok(None)` when
    /// the spec documents that answer without a body (`204`, most writes' `200`), `Err` when it
    /// does not document the status at all.
    pub fn response_schema(
        &self,
        method: &str,
        path: &str,
        status: u16,
    ) -> Result<Option<&Value>, String> {
        let op = self
            .operation(method, path)
            .ok_or_else(|| format!("the spec has no operation {method} {path}"))?;
        if UNDOCUMENTED_ANSWERS
            .iter()
            .any(|(m, p, s, _)| *m == method && *p == path && *s == status)
        {
            return Ok(None);
        }
        let response = op
            .get("responses")
            .and_then(|r| r.get(status.to_string()))
            .ok_or_else(|| {
                let documented: Vec<&String> = get(op, "responses")
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k)
                    .collect();
                format!(
                    "{method} {path}: the spec documents no {status} answer (only {documented:?})"
                )
            })?;
        Ok(self
            .resolve(response)
            .pointer("/content/application~1json/schema"))
    }

    /// The first documented success status of `method path` (200, 201, 202 or 204).
    pub fn success_status(&self, method: &str, path: &str) -> Result<u16, String> {
        let op = self
            .operation(method, path)
            .ok_or_else(|| format!("the spec has no operation {method} {path}"))?;
        [200, 201, 202, 204]
            .into_iter()
            .find(|s| op.pointer(&format!("/responses/{s}")).is_some())
            .ok_or_else(|| format!("{method} {path}: no success answer in the spec"))
    }

    /// The error envelope `{"error": ErrorObject}` of `components.responses` for an HTTP status.
    ///
    /// Every operation's 401/403/429 refers to these; 400/404 are documented for a few operations
    /// only (and `/me/library/contains` documents a bare `ErrorObject`), but Spotify answers every
    /// error with the same envelope, so every error body is checked against it.
    pub fn error_schema(&self, status: u16) -> Result<&Value, String> {
        let name = match status {
            400 => "BadRequest",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            429 => "TooManyRequests",
            other => return Err(format!("no error response in the spec for status {other}")),
        };
        self.doc
            .pointer(&format!(
                "/components/responses/{name}/content/application~1json/schema"
            ))
            .ok_or_else(|| format!("components.responses.{name} has no JSON schema"))
    }

    /// Whether `method path` declares the query parameter `name`.
    pub fn has_query_param(&self, method: &str, path: &str, name: &str) -> bool {
        let Some(op) = self.operation(method, path) else {
            return false;
        };
        get(op, "parameters")
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| self.resolve(p))
            .any(|p| get(p, "in") == "query" && get(p, "name") == name)
    }

    /// Compiles `schema` (OpenAPI form) into a validator for `mode`.
    pub fn validator(&self, schema: &Value, mode: Mode) -> Result<Validator, String> {
        let conv = Converter {
            schemas: self.schemas(),
            mode,
            local: false,
        };
        let mut root = match conv.schema(schema) {
            Value::Object(m) => m,
            other => {
                let mut m = Map::new();
                m.insert("allOf".into(), json!([other]));
                m
            }
        };
        root.insert(
            "$schema".into(),
            "https://json-schema.org/draft/2020-12/schema".into(),
        );
        root.insert("$defs".into(), Value::Object(conv.defs()));
        jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&Value::Object(root))
            .map_err(|e| format!("the converted schema does not compile: {e}"))
    }
}

/// Turns OpenAPI 3.0 schemas into JSON Schema 2020-12 for one mode.
struct Converter<'a> {
    schemas: &'a Map<String, Value>,
    mode: Mode,
    /// Inside the relaxed local-file variant: every member nullable, none required.
    local: bool,
}

impl Converter<'_> {
    /// All component schemas, plus the relaxed local-file variants.
    fn defs(&self) -> Map<String, Value> {
        let mut defs = Map::new();
        for (name, schema) in self.schemas {
            defs.insert(name.clone(), self.schema(schema));
        }
        // Local files in playlists (`is_local: true`) are track objects with null ids, hrefs, URIs and
        // album fields, and an album that lacks `total_tracks`, `artists` and the release date
        // (Spotify's documented local-file shape). They are checked against a relaxed copy of the
        // track object (every member nullable, none required: types are still checked), and only
        // `item`/`track` of such entries is relaxed: `added_at`, `added_by`, `is_local` stay strict.
        let relaxed = Converter {
            schemas: self.schemas,
            mode: self.mode,
            local: true,
        };
        for name in closure(self.schemas, LOCAL_ITEM) {
            defs.insert(
                format!("{name}{LOCAL_SUFFIX}"),
                relaxed.schema(&self.schemas[&name]),
            );
        }
        let mut entry = defs
            .get(LOCAL_ENTRY)
            .cloned()
            .unwrap_or_else(|| panic!("the spec has no {LOCAL_ENTRY}"));
        let props = entry
            .get_mut("properties")
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{LOCAL_ENTRY} has no properties"));
        for member in ["item", "track"] {
            if let Some(p) = props.get_mut(member) {
                *p = json!({ "$ref": format!("#/$defs/{LOCAL_ITEM}{LOCAL_SUFFIX}") });
            }
        }
        defs.insert(format!("{LOCAL_ENTRY}{LOCAL_SUFFIX}"), entry);
        defs
    }

    /// Where a component reference points in `$defs`.
    fn reference(&self, r: &str) -> Value {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected $ref {r} in a schema"));
        if self.local {
            json!({ "$ref": format!("#/$defs/{name}{LOCAL_SUFFIX}") })
        } else if name == LOCAL_ENTRY {
            // A playlist entry: local files against the relaxed variant, everything else strictly.
            json!({
                "if": { "properties": { "is_local": { "const": true } }, "required": ["is_local"] },
                "then": { "$ref": format!("#/$defs/{name}{LOCAL_SUFFIX}") },
                "else": { "$ref": format!("#/$defs/{name}") },
            })
        } else {
            json!({ "$ref": format!("#/$defs/{name}") })
        }
    }

    /// Converts one schema.
    fn schema(&self, s: &Value) -> Value {
        let Value::Object(obj) = s else {
            return s.clone();
        };
        let nullable = obj.get("nullable") == Some(&Value::Bool(true));
        if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
            // OpenAPI 3.0 ignores the siblings of `$ref`.
            let out = self.reference(r);
            return if nullable { make_nullable(out) } else { out };
        }
        let mut out = Map::new();
        for (k, v) in obj {
            match k.as_str() {
                "properties" => {
                    let props = v
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(name, p)| {
                            let p = self.schema(p);
                            (name.clone(), if self.local { make_nullable(p) } else { p })
                        })
                        .collect();
                    out.insert(k.clone(), Value::Object(props));
                }
                "items" | "not" | "additionalProperties" => {
                    out.insert(k.clone(), self.schema(v));
                }
                "allOf" | "anyOf" => {
                    let list = v.as_array().into_iter().flatten();
                    out.insert(k.clone(), list.map(|m| self.schema(m)).collect());
                }
                "oneOf" => self.one_of(obj, &mut out),
                "required" => {
                    if !self.local {
                        out.insert(k.clone(), self.required(obj));
                    }
                }
                "nullable" | "example" | "deprecated" | "discriminator" | "xml"
                | "externalDocs" => {}
                _ if k.starts_with("x-") => {}
                _ => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        let out = Value::Object(out);
        if nullable { make_nullable(out) } else { out }
    }

    /// `required`, mode-aware: Development-Mode apps no longer get the members the spec marks
    /// `deprecated: true`, so in dev mode those are not required (their types are still checked when
    /// present); Extended-Quota apps get every member, so the spec's list stands.
    fn required(&self, obj: &Map<String, Value>) -> Value {
        let list = obj
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str);
        let deprecated = match self.mode {
            Mode::Dev => self.deprecated_members(obj, 0),
            Mode::Extended => BTreeSet::new(),
        };
        list.filter(|name| !deprecated.contains(*name))
            .map(|name| Value::String(name.to_owned()))
            .collect()
    }

    /// Properties marked deprecated in `obj` and in the schemas it combines with `allOf`.
    fn deprecated_members(&self, obj: &Map<String, Value>, depth: usize) -> BTreeSet<String> {
        assert!(depth < 32, "allOf nesting too deep (a cycle?)");
        let mut out: BTreeSet<String> = obj
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, p)| p.get("deprecated") == Some(&Value::Bool(true)))
            .map(|(name, _)| name.clone())
            .collect();
        for member in obj
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let member = match member.get("$ref").and_then(Value::as_str) {
                Some(r) => &self.schemas[r.trim_start_matches("#/components/schemas/")],
                None => member,
            };
            if let Value::Object(m) = member {
                out.extend(self.deprecated_members(m, depth + 1));
            }
        }
        out
    }

    /// `oneOf`, with a `discriminator` turned into one `if`/`then` per branch.
    fn one_of(&self, obj: &Map<String, Value>, out: &mut Map<String, Value>) {
        let branches: Vec<&Value> = obj
            .get("oneOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        let converted: Vec<Value> = branches.iter().map(|b| self.schema(b)).collect();
        let property = obj
            .get("discriminator")
            .filter(|d| d.get("mapping").is_none())
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str);
        let values: Option<Vec<String>> = property.and_then(|p| {
            branches
                .iter()
                .map(|b| {
                    let name = b.get("$ref")?.as_str()?;
                    self.pinned_value(
                        &self.schemas[name.trim_start_matches("#/components/schemas/")],
                        p,
                        0,
                    )
                })
                .collect()
        });
        let (Some(p), Some(values)) = (property, values) else {
            out.insert("oneOf".into(), Value::Array(converted));
            return;
        };
        let mut rules: Vec<Value> = out
            .remove("allOf")
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
        for (value, branch) in values.iter().zip(converted) {
            rules.push(json!({
                "if": { "properties": { p: { "const": value } }, "required": [p] },
                "then": branch,
            }));
        }
        out.insert("allOf".into(), Value::Array(rules));
        out.insert("required".into(), json!([p]));
        out.insert("properties".into(), json!({ p: { "enum": values } }));
    }

    /// The single `enum` value a schema pins `property` to (looking through `allOf`).
    fn pinned_value(&self, schema: &Value, property: &str, depth: usize) -> Option<String> {
        if depth > 32 {
            return None;
        }
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let target = &self.schemas[r.trim_start_matches("#/components/schemas/")];
            return self.pinned_value(target, property, depth + 1);
        }
        if let Some(values) = schema
            .pointer(&format!("/properties/{property}/enum"))
            .and_then(Value::as_array)
            && let [Value::String(v)] = values.as_slice()
        {
            return Some(v.clone());
        }
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find_map(|m| self.pinned_value(m, property, depth + 1))
    }
}

/// `schema` that also accepts `null`.
fn make_nullable(schema: Value) -> Value {
    let Value::Object(mut obj) = schema else {
        return schema;
    };
    let combined = ["$ref", "allOf", "anyOf", "oneOf", "if", "not"]
        .iter()
        .any(|k| obj.contains_key(*k));
    if combined {
        // "null, or else the schema": unlike `anyOf`, a failure of the schema reports its own
        // errors (location and keyword) instead of "valid under none".
        return json!({ "if": { "not": { "type": "null" } }, "then": Value::Object(obj) });
    }
    match obj.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            if t != "null" {
                obj.insert("type".into(), json!([t, "null"]));
            }
        }
        Some(Value::Array(types)) if !types.contains(&json!("null")) => {
            types.push(json!("null"));
        }
        // No type: anything (including null) already passes, unless an enum says otherwise.
        _ => {}
    }
    if let Some(Value::Array(values)) = obj.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    Value::Object(obj)
}

/// `name` and every component schema it refers to, transitively.
fn closure(schemas: &Map<String, Value>, name: &str) -> BTreeSet<String> {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    match (k.as_str(), x) {
                        ("$ref", Value::String(r)) => {
                            if let Some(n) = r.strip_prefix("#/components/schemas/") {
                                out.push(n.to_owned());
                            }
                        }
                        (k, _) if k.starts_with("x-") || k == "example" => {}
                        _ => refs(x, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut seen = BTreeSet::new();
    let mut todo = vec![name.to_owned()];
    while let Some(n) = todo.pop() {
        if seen.insert(n.clone()) {
            let schema = schemas
                .get(&n)
                .unwrap_or_else(|| panic!("the spec refers to a missing schema {n}"));
            refs(schema, &mut todo);
        }
    }
    seen
}

/// Compiled validators, by (spec schema identity, mode).
#[derive(Default)]
pub struct Validators {
    cache: HashMap<(String, &'static str), Arc<Validator>>,
}

impl std::fmt::Debug for Validators {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validators")
            .field("compiled", &self.cache.len())
            .finish()
    }
}

impl Validators {
    /// The validator of the `status` answer of `method path`; `Ok(None)` when the spec documents
    /// that answer without a body.
    pub fn success(
        &mut self,
        spec: &Spec,
        method: &str,
        path: &str,
        status: u16,
        mode: Mode,
    ) -> Result<Option<Arc<Validator>>, String> {
        let key = (format!("{method} {path} {status}"), mode.as_str());
        if let Some(v) = self.cache.get(&key) {
            return Ok(Some(v.clone()));
        }
        let Some(schema) = spec.response_schema(method, path, status)? else {
            return Ok(None);
        };
        let v = Arc::new(spec.validator(schema, mode)?);
        self.cache.insert(key, v.clone());
        Ok(Some(v))
    }

    /// The validator of the error envelope for `status`.
    pub fn error(&mut self, spec: &Spec, status: u16) -> Result<Arc<Validator>, String> {
        // Error bodies do not depend on the mode.
        let key = (format!("error {status}"), "any");
        if let Some(v) = self.cache.get(&key) {
            return Ok(v.clone());
        }
        let schema = spec.error_schema(status)?;
        let v = Arc::new(spec.validator(schema, Mode::Extended)?);
        self.cache.insert(key, v.clone());
        Ok(v)
    }
}

/// One validation error, located.
#[derive(Debug, Clone)]
pub struct Violation {
    /// JSON pointer into the body.
    pub instance_path: String,
    /// Path through the (converted) schema.
    pub schema_path: String,
    /// The validator's message.
    pub message: String,
    /// The offending value, shortened.
    pub snippet: String,
}

/// Validates `body`, returning every violation.
pub fn violations(validator: &Validator, body: &Value) -> Vec<Violation> {
    validator
        .iter_errors(body)
        .map(|e| Violation {
            instance_path: e.instance_path().to_string(),
            schema_path: e.schema_path().to_string(),
            message: shorten(&e.to_string(), 300),
            snippet: shorten(&e.instance().to_string(), 300),
        })
        .collect()
}

/// `s`, cut to at most `max` characters.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}
