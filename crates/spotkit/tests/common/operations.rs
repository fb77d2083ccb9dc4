//! The operations of Spotify's OpenAPI definition, read straight from the YAML (not from
//! spotkit), when the conformance data is present.

/// One operation as the spec declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecOperation {
    pub operation_id: String,
    pub method: String,
    pub path: String,
    pub deprecated: bool,
    pub tag: String,
    /// The scopes of its `oauth_2_0` security requirement, in the spec's order.
    pub scopes: Vec<String>,
}

/// Every operation, in the spec's order (paths, then get/put/post/delete as written), or `None`
/// when the conformance data is absent (the calling test is skipped, and says so).
pub fn spec_operations() -> Option<Vec<SpecOperation>> {
    let path = spotkit_conformance::file("spotify-openapi/fixed-spotify-open-api.yml")?;
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read the spec at {}: {e}", path.display()));
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    let paths = spec["paths"].as_mapping().expect("spec has paths");
    let mut out = Vec::new();
    for (p, item) in paths {
        let p = p.as_str().expect("path keys are strings");
        let item = item.as_mapping().expect("path items are maps");
        for (m, op) in item {
            let m = m.as_str().expect("method keys are strings");
            if !matches!(m, "get" | "put" | "post" | "delete" | "patch") {
                continue;
            }
            let scopes = op["security"]
                .as_sequence()
                .into_iter()
                .flatten()
                .filter_map(|req| req["oauth_2_0"].as_sequence())
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect();
            out.push(SpecOperation {
                operation_id: op["operationId"]
                    .as_str()
                    .expect("every operation has an operationId")
                    .to_owned(),
                method: m.to_uppercase(),
                path: p.to_owned(),
                deprecated: op["deprecated"].as_bool().unwrap_or(false),
                tag: op["tags"][0].as_str().unwrap_or("").to_owned(),
                scopes,
            });
        }
    }
    Some(out)
}
