//! `GET/POST /metadata` and `GET /metadata/versions`: per-user, per-track, per-type versioned
//! JSON documents (beat grids, cue points, tags, ...).
//!
//! Versions are immutable: posting an existing version is a 409; without `version` the next
//! one is taken. Reads return the latest version unless `version` is given. Every query is
//! scoped to the caller, so ids in the request can never reach another user's documents.

use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use spotkit::model::TrackId;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::metadata::{self as store, Document, Insert};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::ServerCaller;
use crate::extract::{JsonBody, QueryParams};
use crate::middleware::ip_limited;
use crate::state::AppState;

/// `GET`/`POST /metadata` and `GET /metadata/versions`, under the per-IP API budget. Bodies
/// may be as large as the largest collection (`metadata_max_bytes`) plus the JSON around it.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::default()
        .routes(routes!(get, post))
        .routes(routes!(versions))
        .layer(DefaultBodyLimit::max(
            state.config().metadata_max_bytes.saturating_add(64 * 1024),
        ));
    ip_limited(routes, state)
}

/// Query of `GET /metadata`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct MetadataQuery {
    /// Spotify track id (22 characters) or `spotify:track:` URI.
    #[param(
        pattern = "^(spotify:track:)?[0-9A-Za-z]{22}$",
        example = "4iV5W9uYEdYUVa79Axb7Rh"
    )]
    pub track_id: Option<String>,
    /// Document type: 1-64 of `a-z 0-9 _ - .`, e.g. `beats`.
    #[serde(rename = "type")]
    #[param(rename = "type", pattern = "^[a-z0-9_.-]{1,64}$", example = "beats")]
    pub kind: Option<String>,
    /// A version; the latest when absent.
    #[param(pattern = "^[1-9][0-9]{0,9}$")]
    pub version: Option<String>,
}

/// Query of `GET /metadata/versions`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct VersionsQuery {
    /// Spotify track id or URI.
    #[param(
        pattern = "^(spotify:track:)?[0-9A-Za-z]{22}$",
        example = "4iV5W9uYEdYUVa79Axb7Rh"
    )]
    pub track_id: Option<String>,
    /// Document type.
    #[serde(rename = "type")]
    #[param(rename = "type", pattern = "^[a-z0-9_.-]{1,64}$", example = "beats")]
    pub kind: Option<String>,
}

/// Body of `POST /metadata`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetadataWrite {
    /// Spotify track id or URI.
    #[schema(
        pattern = "^(spotify:track:)?[0-9A-Za-z]{22}$",
        example = "4iV5W9uYEdYUVa79Axb7Rh"
    )]
    pub track_id: String,
    /// Document type.
    #[serde(rename = "type")]
    #[schema(pattern = "^[a-z0-9_.-]{1,64}$", example = "beats")]
    pub kind: String,
    /// The version to store (must not exist yet); the next one when absent.
    #[schema(minimum = 1, maximum = 2_147_483_647)]
    pub version: Option<i64>,
    /// The document: a JSON object.
    #[schema(value_type = Object)]
    pub collection: Value,
}

/// A stored document.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetadataDocument {
    /// Track id (bare, 22 characters).
    pub track_id: String,
    /// Document type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Version.
    pub version: i64,
    /// The document.
    #[schema(value_type = Object)]
    pub collection: Value,
    /// When it was stored (Unix seconds).
    pub created_at: i64,
}

/// One version in a listing.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    /// Version.
    pub version: i64,
    /// Size of the document in bytes.
    pub size: i64,
    /// When it was stored (Unix seconds).
    pub created_at: i64,
}

/// `GET /metadata/versions`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionList {
    /// Track id.
    pub track_id: String,
    /// Document type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Every version, oldest first (empty when none).
    pub versions: Vec<VersionInfo>,
}

fn track_id(raw: Option<&str>) -> AppResult<String> {
    let raw = raw
        .filter(|s| !s.is_empty())
        .ok_or_else(|| AppError::field("trackId", "trackId is required"))?;
    TrackId::parse(raw).map(|t| t.id().to_owned()).map_err(|e| {
        AppError::field(
            "trackId",
            format!("trackId {raw:?} is not a Spotify track id or URI: {e}"),
        )
    })
}

fn kind(raw: Option<&str>) -> AppResult<String> {
    let raw = raw
        .filter(|s| !s.is_empty())
        .ok_or_else(|| AppError::field("type", "type is required"))?;
    let ok = raw.len() <= 64
        && raw.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'.')
        });
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(AppError::field(
            "type",
            "type must be 1-64 characters of a-z, 0-9, `_`, `-`, `.`",
        ))
    }
}

fn version(raw: Option<i64>) -> AppResult<Option<i64>> {
    match raw {
        Some(v) if !(1..=i64::from(i32::MAX)).contains(&v) => Err(AppError::field(
            "version",
            "version must be a whole number from 1 to 2147483647",
        )),
        v => Ok(v),
    }
}

fn document(d: Document) -> AppResult<MetadataDocument> {
    Ok(MetadataDocument {
        collection: serde_json::from_str(&d.collection)
            .map_err(|e| AppError::Internal(format!("stored metadata does not parse: {e}")))?,
        track_id: d.track_id,
        kind: d.kind,
        version: d.version,
        created_at: d.created_at,
    })
}

/// Reads the latest (or a given) version of a document.
#[utoipa::path(get, path = "/metadata", tag = "metadata", params(MetadataQuery),
    responses(
        (status = 200, description = "The document", body = MetadataDocument),
        (status = 400, description = "A missing or invalid field (named in `field`)", body = ErrorBody),
        (status = 401, description = "Not authenticated with a session or a server API token (Spotify access tokens are refused here)", body = ErrorBody),
        (status = 404, description = "No such document for this user", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    ServerCaller(caller): ServerCaller,
    QueryParams(q): QueryParams<MetadataQuery>,
) -> AppResult<Json<MetadataDocument>> {
    let track = track_id(q.track_id.as_deref())?;
    let kind = kind(q.kind.as_deref())?;
    let v = match q.version.as_deref() {
        None | Some("") => None,
        Some(s) => version(Some(s.parse().map_err(|_| {
            AppError::field("version", "version must be a whole number")
        })?))?,
    };
    let doc = store::get(state.db(), &caller.user_id, &track, &kind, v)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "no {kind:?} metadata{} for track {track}",
                v.map(|v| format!(" version {v}")).unwrap_or_default()
            ))
        })?;
    Ok(Json(document(doc)?))
}

/// Lists the versions of a document.
#[utoipa::path(get, path = "/metadata/versions", tag = "metadata", params(VersionsQuery),
    responses(
        (status = 200, description = "The versions (empty when none)", body = VersionList),
        (status = 400, description = "A missing or invalid field (named in `field`)", body = ErrorBody),
        (status = 401, description = "Not authenticated with a session or a server API token (Spotify access tokens are refused here)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn versions(
    State(state): State<AppState>,
    ServerCaller(caller): ServerCaller,
    QueryParams(q): QueryParams<VersionsQuery>,
) -> AppResult<Json<VersionList>> {
    let track = track_id(q.track_id.as_deref())?;
    let kind = kind(q.kind.as_deref())?;
    let docs = store::versions(state.db(), &caller.user_id, &track, &kind).await?;
    Ok(Json(VersionList {
        track_id: track,
        kind,
        versions: docs
            .into_iter()
            .map(|d| VersionInfo {
                version: d.version,
                size: d.size,
                created_at: d.created_at,
            })
            .collect(),
    }))
}

/// The per-user quota. Checked before the write, not with it: writers racing each other may go
/// a few versions over, which the per-user rate limit keeps small.
async fn check_quota(state: &AppState, user_id: &str, adding: usize) -> AppResult<()> {
    let config = state.config();
    let (max_docs, max_bytes) = (
        config.metadata_max_documents_per_user,
        config.metadata_max_bytes_per_user,
    );
    if max_docs == 0 && max_bytes == 0 {
        return Ok(());
    }
    let (docs, bytes) = store::usage(state.db(), user_id).await?;
    // Versions cannot be deleted through the API, so the way out is the operator.
    if max_docs > 0 && docs >= max_docs {
        return Err(AppError::QuotaExceeded {
            documents: true,
            message: format!(
                "this account stores {docs} metadata versions, the most this server keeps per user (metadata_max_documents_per_user = {max_docs}); versions cannot be deleted through the API, so ask the server's operator to raise the limit"
            ),
        });
    }
    let after = bytes.saturating_add(adding as u64);
    if max_bytes > 0 && after > max_bytes {
        return Err(AppError::QuotaExceeded {
            documents: false,
            message: format!(
                "storing this collection ({adding} bytes) would bring this account's metadata to {after} bytes, over the per-user limit (metadata_max_bytes_per_user = {max_bytes}); send a smaller collection, or ask the server's operator to raise the limit"
            ),
        });
    }
    Ok(())
}

fn field_of<'a>(body: &'a Value, name: &'static str) -> Option<&'a Value> {
    body.get(name).filter(|v| !v.is_null())
}

/// Stores a new version of a document.
#[utoipa::path(post, path = "/metadata", tag = "metadata", request_body = MetadataWrite,
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (cookie sessions)")),
    responses(
        (status = 201, description = "Stored", body = MetadataDocument),
        (status = 400, description = "A missing or invalid field (named in `field`)", body = ErrorBody),
        (status = 401, description = "Not authenticated with a session or a server API token (Spotify access tokens are refused here)", body = ErrorBody),
        (status = 403, description = "Missing or wrong CSRF token (cookie sessions)", body = ErrorBody),
        (status = 409, description = "That version exists", body = ErrorBody),
        (status = 413, description = "The collection (or body) is larger than allowed, or `metadata_quota_exceeded`: it would take the user's metadata beyond metadata_max_bytes_per_user", body = ErrorBody),
        (status = 429, description = "Too many requests, or `metadata_quota_exceeded`: the user stores metadata_max_documents_per_user versions already", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn post(
    State(state): State<AppState>,
    ServerCaller(caller): ServerCaller,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> AppResult<(StatusCode, Json<MetadataDocument>)> {
    caller.check_csrf(&headers)?;
    if !body.is_object() {
        return Err(AppError::BadRequest {
            code: "invalid_json",
            message: "the body must be a JSON object with trackId, type, version and collection"
                .into(),
        });
    }
    let str_field = |name: &'static str| -> AppResult<Option<&str>> {
        match field_of(&body, name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(AppError::field(name, format!("{name} must be a string"))),
        }
    };
    let track = track_id(str_field("trackId")?)?;
    let kind = kind(str_field("type")?)?;
    let v = match field_of(&body, "version") {
        None => None,
        Some(v) => version(Some(v.as_i64().ok_or_else(|| {
            AppError::field("version", "version must be a whole number")
        })?))?,
    };
    let collection = match field_of(&body, "collection") {
        Some(c @ Value::Object(_)) => c,
        Some(_) => {
            return Err(AppError::field(
                "collection",
                "collection must be a JSON object",
            ));
        }
        None => return Err(AppError::field("collection", "collection is required")),
    };
    let text = collection.to_string();
    let limit = state.config().metadata_max_bytes;
    if text.len() > limit {
        return Err(AppError::TooLarge {
            field: Some("collection"),
            message: format!(
                "collection is {} bytes; the limit is {limit} bytes",
                text.len()
            ),
        });
    }
    check_quota(&state, &caller.user_id, text.len()).await?;
    match store::insert(state.db(), &caller.user_id, &track, &kind, v, &text).await? {
        Insert::Stored(d) => Ok((StatusCode::CREATED, Json(document(d)?))),
        Insert::Exists(v) => Err(AppError::Conflict {
            code: "version_exists",
            message: format!(
                "version {v} of {kind:?} for track {track} exists; versions are immutable, post without `version` for the next one"
            ),
        }),
    }
}
