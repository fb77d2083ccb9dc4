//! Offset and cursor paging exactly like Spotify's: `href` is the request itself, `next`/`previous`
//! are absolute URLs that keep the rest of the query, `limit` is bounded per operation (out of range
//! is a 400 "Invalid limit"), and an offset past the end gives an empty `items`.

use serde_json::{Value, json};

use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::params::Params;

/// Limits of one operation's `limit`/`offset` parameters.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Default `limit`.
    pub default: usize,
    /// Smallest `limit`.
    pub min: usize,
    /// Largest `limit`.
    pub max: usize,
    /// Largest `offset`, where the operation has one (search: 1000).
    pub max_offset: Option<usize>,
}

impl Limits {
    /// `limit` in `1..=max`, default `default`.
    pub const fn new(default: usize, max: usize) -> Limits {
        Limits {
            default,
            min: 1,
            max,
            max_offset: None,
        }
    }
}

/// The slice of a list one request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First index.
    pub offset: usize,
    /// At most this many.
    pub limit: usize,
}

impl Window {
    /// The indices of this window within a list of `total`.
    pub fn range(self, total: usize) -> std::ops::Range<usize> {
        let start = self.offset.min(total);
        start..(self.offset.saturating_add(self.limit)).min(total)
    }
}

/// Reads and checks `limit` and `offset`.
pub fn window(params: &Params, limits: Limits) -> Result<Window, ApiError> {
    let limit = match params.get("limit") {
        None | Some("") => limits.default,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (limits.min..=limits.max).contains(&n) => n,
            _ => return Err(ApiError::bad_request("Invalid limit")),
        },
    };
    let offset = match params.get("offset") {
        None | Some("") => 0,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if limits.max_offset.is_none_or(|max| n <= max) => n,
            _ => return Err(ApiError::bad_request("Invalid offset")),
        },
    };
    Ok(Window { offset, limit })
}

fn page_url(ctx: &Ctx, path: &str, params: &Params, offset: usize, limit: usize) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    ser.append_pair("offset", &offset.to_string());
    ser.append_pair("limit", &limit.to_string());
    for (k, v) in params.pairs() {
        if k != "offset" && k != "limit" {
            ser.append_pair(k, v);
        }
    }
    format!("{}?{}", ctx.api(path), ser.finish())
}

/// A `PagingObject` for `items` (already the window's items) out of `total`.
pub fn page(
    ctx: &Ctx,
    path: &str,
    params: &Params,
    w: Window,
    total: usize,
    items: Vec<Value>,
) -> Value {
    let next = (w.offset + w.limit < total)
        .then(|| page_url(ctx, path, params, w.offset + w.limit, w.limit));
    let previous = (w.offset > 0)
        .then(|| page_url(ctx, path, params, w.offset.saturating_sub(w.limit), w.limit));
    json!({
        "href": page_url(ctx, path, params, w.offset, w.limit),
        "items": Value::Array(items),
        "limit": w.limit,
        "next": next,
        "offset": w.offset,
        "previous": previous,
        "total": total,
    })
}

/// Renders the window of `list` with `render` and wraps it in a page.
pub fn page_of<T>(
    ctx: &Ctx,
    path: &str,
    params: &Params,
    w: Window,
    list: &[T],
    mut render: impl FnMut(&T) -> Value,
) -> Value {
    let items = list[w.range(list.len())].iter().map(&mut render).collect();
    page(ctx, path, params, w, list.len(), items)
}

/// A `CursorPagingObject` over `list` (ordered by `key`): items strictly after the `after` cursor.
pub fn cursor_page<T>(
    ctx: &Ctx,
    path: &str,
    params: &Params,
    limits: Limits,
    list: &[T],
    key: impl Fn(&T) -> String,
    mut render: impl FnMut(&T) -> Value,
) -> Result<Value, ApiError> {
    let w = window(params, limits)?;
    let start = match params.get("after") {
        Some(after) => list
            .iter()
            .position(|t| key(t) == after)
            .map_or(list.len(), |i| i + 1),
        None => 0,
    };
    let end = (start + w.limit).min(list.len());
    let slice = &list[start..end];
    let after = slice.last().filter(|_| end < list.len()).map(&key);
    let next = after.as_ref().map(|a| {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in params.pairs() {
            if k != "after" && k != "limit" {
                ser.append_pair(k, v);
            }
        }
        ser.append_pair("after", a);
        ser.append_pair("limit", &w.limit.to_string());
        format!("{}?{}", ctx.api(path), ser.finish())
    });
    let mut href = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in params.pairs() {
        href.append_pair(k, v);
    }
    let query = href.finish();
    Ok(json!({
        "href": if query.is_empty() { ctx.api(path) } else { format!("{}?{query}", ctx.api(path)) },
        "items": slice.iter().map(&mut render).collect::<Vec<_>>(),
        "limit": w.limit,
        "next": next,
        "cursors": { "after": after, "before": slice.first().map(&key) },
        "total": list.len(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str) -> Params {
        Params::parse(Some(q))
    }

    #[test]
    fn limits_are_checked() {
        let l = Limits::new(20, 50);
        assert_eq!(window(&params(""), l).map(|w| w.limit).ok(), Some(20));
        assert_eq!(
            window(&params("limit=50"), l).map(|w| w.limit).ok(),
            Some(50)
        );
        assert!(window(&params("limit=51"), l).is_err());
        assert!(window(&params("limit=0"), l).is_err());
        assert!(window(&params("limit=x"), l).is_err());
        assert!(window(&params("offset=-1"), l).is_err());
    }

    #[test]
    fn next_keeps_the_query_and_stops_at_the_end() {
        let ctx = Ctx {
            base: "http://h".into(),
            mode: crate::config::Mode::Dev,
            transition: false,
        };
        let p = params("market=SE&limit=2&offset=0");
        let w = window(&p, Limits::new(20, 50)).expect("valid");
        let v = page(&ctx, "/me/tracks", &p, w, 3, vec![]);
        assert_eq!(
            v["next"],
            "http://h/v1/me/tracks?offset=2&limit=2&market=SE"
        );
        assert_eq!(v["previous"], Value::Null);
        let p = params("offset=2&limit=2");
        let w = window(&p, Limits::new(20, 50)).expect("valid");
        let v = page(&ctx, "/me/tracks", &p, w, 3, vec![]);
        assert_eq!(v["next"], Value::Null);
        assert_eq!(v["previous"], "http://h/v1/me/tracks?offset=0&limit=2");
        assert_eq!(
            Window {
                offset: 10,
                limit: 5
            }
            .range(3),
            3..3
        );
    }
}
