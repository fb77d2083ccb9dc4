//! Spotify's `fields` filter for playlist reads: `fields=name,items(added_at,item(name,album(name)))`,
//! dotted paths (`items.item.name`) and exclusions (`items(item(!album))`).

use serde_json::{Map, Value};

use crate::error::ApiError;

/// One selector of a field list.
#[derive(Debug, Clone, PartialEq)]
struct Selector {
    name: String,
    exclude: bool,
    /// Sub-selection applied to the member's value; `None` keeps it whole.
    sub: Option<Vec<Selector>>,
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn list(&mut self) -> Result<Vec<Selector>, ()> {
        let mut out = vec![self.selector()?];
        while self.s.get(self.pos) == Some(&b',') {
            self.pos += 1;
            out.push(self.selector()?);
        }
        Ok(out)
    }

    fn selector(&mut self) -> Result<Selector, ()> {
        let exclude = self.s.get(self.pos) == Some(&b'!');
        if exclude {
            self.pos += 1;
        }
        let start = self.pos;
        while self
            .s
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(());
        }
        let name = String::from_utf8_lossy(&self.s[start..self.pos]).into_owned();
        let sub = match self.s.get(self.pos) {
            Some(b'.') => {
                self.pos += 1;
                Some(vec![self.selector()?])
            }
            Some(b'(') => {
                self.pos += 1;
                let inner = self.list()?;
                if self.s.get(self.pos) != Some(&b')') {
                    return Err(());
                }
                self.pos += 1;
                Some(inner)
            }
            _ => None,
        };
        Ok(Selector { name, exclude, sub })
    }
}

/// A parsed `fields` expression.
#[derive(Debug, Clone)]
pub struct Fields(Vec<Selector>);

impl Fields {
    /// Parses a `fields` parameter; a malformed one is a 400 like Spotify's.
    pub fn parse(raw: &str) -> Result<Fields, ApiError> {
        let cleaned: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        let mut p = Parser {
            s: cleaned.as_bytes(),
            pos: 0,
        };
        match p.list() {
            Ok(list) if p.pos == cleaned.len() => Ok(Fields(list)),
            _ => Err(ApiError::bad_request(format!(
                "Invalid fields parameter: {raw}"
            ))),
        }
    }

    /// Applies the filter to a response body.
    pub fn apply(&self, v: Value) -> Value {
        apply(&self.0, v)
    }
}

fn apply(sel: &[Selector], v: Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.into_iter().map(|i| apply(sel, i)).collect()),
        Value::Object(map) => Value::Object(apply_object(sel, map)),
        other => other,
    }
}

fn apply_object(sel: &[Selector], mut map: Map<String, Value>) -> Map<String, Value> {
    let only_exclusions = sel.iter().all(|s| s.exclude);
    if only_exclusions {
        for s in sel {
            map.remove(&s.name);
        }
        return map;
    }
    let mut out = Map::new();
    for (k, v) in map {
        // Keep the response's member order, not the selector's.
        if let Some(s) = sel.iter().find(|s| s.name == k && !s.exclude) {
            let v = match &s.sub {
                Some(sub) => apply(sub, v),
                None => v,
            };
            out.insert(k, v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selects_nested_members() {
        let body = json!({
            "name": "P", "id": "x",
            "items": { "total": 2, "items": [
                { "added_at": "t", "item": { "name": "a", "album": { "name": "al", "id": "1" }, "id": "i" } }
            ]}
        });
        let f = Fields::parse("name,items(total,items(item(name,album(name))))").expect("valid");
        assert_eq!(
            f.apply(body.clone()),
            json!({ "name": "P", "items": { "total": 2, "items": [ { "item": { "name": "a", "album": { "name": "al" } } } ] } })
        );
        let f = Fields::parse("items.total").expect("valid");
        assert_eq!(f.apply(body.clone()), json!({ "items": { "total": 2 } }));
        let f = Fields::parse("items(items(item(!album)))").expect("valid");
        assert_eq!(
            f.apply(body),
            json!({ "items": { "items": [ { "item": { "name": "a", "id": "i" } } ] } })
        );
    }

    #[test]
    fn rejects_garbage() {
        assert!(Fields::parse("items(").is_err());
        assert!(Fields::parse(",").is_err());
    }
}
