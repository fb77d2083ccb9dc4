//! JSON rendering of catalogue objects in the shapes of the API generation being played.
//!
//! Development Mode (Feb 2026) drops the deprecated members (popularity, available_markets, label,
//! genres, followers, publisher, user email/country/product/explicit_content) and renames playlist
//! `tracks` → `items` and playlist-item `track` → `item`. Extended Quota keeps the older shapes.
//! In transition mode both names are sent.

use serde_json::{Map, Value, json};

use crate::catalog::{Catalog, ItemRef, Playlist, PlaylistEntry, Saved, timestamp};
pub use crate::ctx::Ctx;
use crate::paging::{Window, page_of};
use crate::params::Params;

fn external(kind: &str, id: &str) -> Value {
    json!({ "spotify": format!("https://open.spotify.com/{kind}/{id}") })
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// `SimplifiedArtistObject`
pub fn simplified_artist(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    let a = &cat.artists[idx as usize];
    json!({
        "external_urls": external("artist", &a.id),
        "href": ctx.api(&format!("/artists/{}", a.id)),
        "id": a.id,
        "name": a.name,
        "type": "artist",
        "uri": format!("spotify:artist:{}", a.id),
    })
}

/// `ArtistObject`
pub fn artist(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    let a = &cat.artists[idx as usize];
    let mut o = obj(json!({ "external_urls": external("artist", &a.id) }));
    if !ctx.dev() {
        o.insert(
            "followers".into(),
            json!({ "href": null, "total": a.followers }),
        );
        o.insert("genres".into(), json!(a.genres));
    }
    o.insert("href".into(), ctx.api(&format!("/artists/{}", a.id)).into());
    o.insert("id".into(), a.id.clone().into());
    o.insert("images".into(), ctx.images(&a.id, &[640, 320, 160]));
    o.insert("name".into(), a.name.clone().into());
    if !ctx.dev() {
        o.insert("popularity".into(), a.popularity.into());
    }
    o.insert("type".into(), "artist".into());
    o.insert("uri".into(), format!("spotify:artist:{}", a.id).into());
    Value::Object(o)
}

fn album_base(ctx: &Ctx, cat: &Catalog, idx: u32) -> Map<String, Value> {
    let a = &cat.albums[idx as usize];
    let mut o = Map::new();
    o.insert("album_type".into(), a.album_type.as_str().into());
    o.insert("total_tracks".into(), a.tracks.len().into());
    ctx.markets(&mut o);
    o.insert("external_urls".into(), external("album", &a.id));
    o.insert("href".into(), ctx.api(&format!("/albums/{}", a.id)).into());
    o.insert("id".into(), a.id.clone().into());
    o.insert("images".into(), ctx.images(&a.id, &[640, 300, 64]));
    o.insert("name".into(), a.name.clone().into());
    o.insert("release_date".into(), a.release.date.clone().into());
    o.insert(
        "release_date_precision".into(),
        a.release.precision.as_str().into(),
    );
    o.insert("type".into(), "album".into());
    o.insert("uri".into(), format!("spotify:album:{}", a.id).into());
    o.insert(
        "artists".into(),
        Value::Array(
            a.artists
                .iter()
                .map(|x| simplified_artist(ctx, cat, *x))
                .collect(),
        ),
    );
    o
}

/// `SimplifiedAlbumObject`
pub fn simplified_album(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    Value::Object(album_base(ctx, cat, idx))
}

/// `AlbumObject`; `tracks` is the first page of its tracks, built by the caller.
pub fn album(ctx: &Ctx, cat: &Catalog, idx: u32, tracks: Value) -> Value {
    let a = &cat.albums[idx as usize];
    let mut o = album_base(ctx, cat, idx);
    o.insert("tracks".into(), tracks);
    let year = a.release.date.get(0..4).unwrap_or("2000");
    o.insert(
        "copyrights".into(),
        json!([
            { "text": format!("© {year} {}", a.label), "type": "C" },
            { "text": format!("℗ {year} {}", a.label), "type": "P" },
        ]),
    );
    o.insert("external_ids".into(), json!({ "upc": a.upc }));
    if !ctx.dev() {
        o.insert("genres".into(), json!(a.genres));
        o.insert("label".into(), a.label.clone().into());
        o.insert("popularity".into(), a.popularity.into());
    }
    Value::Object(o)
}

fn track_common(ctx: &Ctx, cat: &Catalog, idx: u32, full: bool) -> Map<String, Value> {
    let t = &cat.tracks[idx as usize];
    let mut o = Map::new();
    if full {
        o.insert("album".into(), simplified_album(ctx, cat, t.album));
    }
    o.insert(
        "artists".into(),
        Value::Array(
            t.artists
                .iter()
                .map(|x| simplified_artist(ctx, cat, *x))
                .collect(),
        ),
    );
    ctx.markets(&mut o);
    o.insert("disc_number".into(), t.disc_number.into());
    o.insert("duration_ms".into(), t.duration_ms.into());
    o.insert("explicit".into(), t.explicit.into());
    if full {
        o.insert("external_ids".into(), json!({ "isrc": t.isrc }));
    }
    o.insert("external_urls".into(), external("track", &t.id));
    o.insert("href".into(), ctx.api(&format!("/tracks/{}", t.id)).into());
    o.insert("id".into(), t.id.clone().into());
    o.insert("is_local".into(), false.into());
    o.insert("name".into(), t.name.clone().into());
    if full && !ctx.dev() {
        o.insert("popularity".into(), t.popularity.into());
    }
    // Preview URLs were switched off for new apps in Nov 2024; the member stays, null.
    o.insert("preview_url".into(), Value::Null);
    o.insert("track_number".into(), t.track_number.into());
    o.insert("type".into(), "track".into());
    o.insert("uri".into(), format!("spotify:track:{}", t.id).into());
    o
}

/// `TrackObject`
pub fn track(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    Value::Object(track_common(ctx, cat, idx, true))
}

/// `SimplifiedTrackObject`
pub fn simplified_track(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    Value::Object(track_common(ctx, cat, idx, false))
}

/// The URI Spotify gives a local file: `spotify:local:artist:album:title:seconds`, form-encoded.
pub fn local_uri(artist: &str, album: &str, title: &str, duration_ms: u32) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "spotify:local:{}:{}:{}:{}",
        enc(artist),
        enc(album),
        enc(title),
        duration_ms / 1000
    )
}

/// A local file in a playlist, as Spotify renders it: a track object with null ids.
fn local_track(ctx: &Ctx, artist: &str, album: &str, title: &str, duration_ms: u32) -> Value {
    let mut album_obj = obj(json!({
        "album_type": null, "artists": [],
    }));
    ctx.markets(&mut album_obj);
    for (k, v) in [
        ("external_urls", json!({})),
        ("href", Value::Null),
        ("id", Value::Null),
        ("images", json!([])),
        ("name", album.into()),
        ("release_date", Value::Null),
        ("release_date_precision", Value::Null),
        ("type", "album".into()),
        ("uri", Value::Null),
    ] {
        album_obj.insert(k.into(), v);
    }
    let mut o = obj(json!({
        "album": album_obj,
        "artists": [{ "external_urls": {}, "href": null, "id": null, "name": artist, "type": "artist", "uri": null }],
    }));
    ctx.markets(&mut o);
    for (k, v) in [
        ("disc_number", json!(0)),
        ("duration_ms", json!(duration_ms)),
        ("explicit", json!(false)),
        ("external_ids", json!({})),
        ("external_urls", json!({})),
        ("href", Value::Null),
        ("id", Value::Null),
        ("is_local", json!(true)),
        ("name", title.into()),
    ] {
        o.insert(k.into(), v);
    }
    if !ctx.dev() {
        o.insert("popularity".into(), 0.into());
    }
    o.insert("preview_url".into(), Value::Null);
    o.insert("track_number".into(), 0.into());
    o.insert("type".into(), "track".into());
    o.insert(
        "uri".into(),
        local_uri(artist, album, title, duration_ms).into(),
    );
    Value::Object(o)
}

fn show_base(ctx: &Ctx, cat: &Catalog, idx: u32) -> Map<String, Value> {
    let s = &cat.shows[idx as usize];
    let mut o = Map::new();
    ctx.markets(&mut o);
    let description = format!(
        "{} — conversations about {}.",
        s.name,
        s.name.to_lowercase()
    );
    for (k, v) in [
        ("copyrights", json!([])),
        ("description", description.clone().into()),
        ("html_description", format!("<p>{description}</p>").into()),
        ("explicit", s.explicit.into()),
        ("external_urls", external("show", &s.id)),
        ("href", ctx.api(&format!("/shows/{}", s.id)).into()),
        ("id", s.id.clone().into()),
        ("images", ctx.images(&s.id, &[640, 300, 64])),
        ("is_externally_hosted", false.into()),
        ("languages", json!(["en"])),
        ("media_type", "audio".into()),
        ("name", s.name.clone().into()),
    ] {
        o.insert(k.into(), v);
    }
    if !ctx.dev() {
        o.insert("publisher".into(), s.publisher.clone().into());
    }
    o.insert("type".into(), "show".into());
    o.insert("uri".into(), format!("spotify:show:{}", s.id).into());
    o.insert("total_episodes".into(), s.episodes.len().into());
    o
}

/// `SimplifiedShowObject`
pub fn simplified_show(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    Value::Object(show_base(ctx, cat, idx))
}

/// `ShowObject`; `episodes` is the first page, built by the caller.
pub fn show(ctx: &Ctx, cat: &Catalog, idx: u32, episodes: Value) -> Value {
    let mut o = show_base(ctx, cat, idx);
    o.insert("episodes".into(), episodes);
    Value::Object(o)
}

fn episode_base(ctx: &Ctx, cat: &Catalog, idx: u32) -> Map<String, Value> {
    let e = &cat.episodes[idx as usize];
    let description = format!("In this episode: {}.", e.name);
    obj(json!({
        "audio_preview_url": null,
        "description": description,
        "html_description": format!("<p>{description}</p>"),
        "duration_ms": e.duration_ms,
        "explicit": e.explicit,
        "external_urls": external("episode", &e.id),
        "href": ctx.api(&format!("/episodes/{}", e.id)),
        "id": e.id,
        "images": ctx.images(&e.id, &[640, 300, 64]),
        "is_externally_hosted": false,
        "is_playable": true,
        "languages": ["en"],
        "name": e.name,
        "release_date": e.release_date,
        "release_date_precision": "day",
        "type": "episode",
        "uri": format!("spotify:episode:{}", e.id),
    }))
}

/// `SimplifiedEpisodeObject`
pub fn simplified_episode(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    Value::Object(episode_base(ctx, cat, idx))
}

/// `EpisodeObject`
pub fn episode(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    let mut o = episode_base(ctx, cat, idx);
    let show_idx = cat.episodes[idx as usize].show;
    o.insert("show".into(), simplified_show(ctx, cat, show_idx));
    Value::Object(o)
}

fn audiobook_base(ctx: &Ctx, cat: &Catalog, idx: u32) -> Map<String, Value> {
    let b = &cat.audiobooks[idx as usize];
    let description = format!("{} by {}, read by {}.", b.name, b.author, b.narrator);
    let mut o = obj(json!({ "authors": [{ "name": b.author }] }));
    ctx.markets(&mut o);
    for (k, v) in [
        ("copyrights", json!([])),
        ("description", description.clone().into()),
        ("html_description", format!("<p>{description}</p>").into()),
        ("edition", "Unabridged".into()),
        ("explicit", false.into()),
        ("external_urls", external("show", &b.id)),
        ("href", ctx.api(&format!("/audiobooks/{}", b.id)).into()),
        ("id", b.id.clone().into()),
        ("images", ctx.images(&b.id, &[640, 300, 64])),
        ("languages", json!(["en"])),
        ("media_type", "audio".into()),
        ("name", b.name.clone().into()),
        ("narrators", json!([{ "name": b.narrator }])),
    ] {
        o.insert(k.into(), v);
    }
    if !ctx.dev() {
        o.insert("publisher".into(), b.publisher.clone().into());
    }
    o.insert("type".into(), "audiobook".into());
    o.insert("uri".into(), format!("spotify:show:{}", b.id).into());
    o.insert("total_chapters".into(), b.chapters.len().into());
    o
}

/// `SimplifiedAudiobookObject`
pub fn simplified_audiobook(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    Value::Object(audiobook_base(ctx, cat, idx))
}

/// `AudiobookObject`; `chapters` is the first page, built by the caller.
pub fn audiobook(ctx: &Ctx, cat: &Catalog, idx: u32, chapters: Value) -> Value {
    let mut o = audiobook_base(ctx, cat, idx);
    o.insert("chapters".into(), chapters);
    Value::Object(o)
}

fn chapter_base(ctx: &Ctx, cat: &Catalog, idx: u32) -> Map<String, Value> {
    let c = &cat.chapters[idx as usize];
    let mut o = obj(json!({ "audio_preview_url": null }));
    ctx.markets(&mut o);
    for (k, v) in [
        ("chapter_number", json!(c.number)),
        ("description", format!("{}.", c.name).into()),
        ("html_description", format!("<p>{}.</p>", c.name).into()),
        ("duration_ms", c.duration_ms.into()),
        ("explicit", false.into()),
        ("external_urls", external("episode", &c.id)),
        ("href", ctx.api(&format!("/chapters/{}", c.id)).into()),
        ("id", c.id.clone().into()),
        ("images", ctx.images(&c.id, &[640, 300, 64])),
        ("is_playable", true.into()),
        ("languages", json!(["en"])),
        ("name", c.name.clone().into()),
        ("release_date", "2024-01-01".into()),
        ("release_date_precision", "day".into()),
        // The spec types chapters as "episode" (ChapterBase.type enum).
        ("type", "episode".into()),
        ("uri", format!("spotify:episode:{}", c.id).into()),
    ] {
        o.insert(k.into(), v);
    }
    o
}

/// `SimplifiedChapterObject`
pub fn simplified_chapter(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    Value::Object(chapter_base(ctx, cat, idx))
}

/// `ChapterObject`
pub fn chapter(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    let mut o = chapter_base(ctx, cat, idx);
    let book = cat.chapters[idx as usize].audiobook;
    o.insert("audiobook".into(), simplified_audiobook(ctx, cat, book));
    Value::Object(o)
}

/// `PlaylistUserObject` (`added_by`).
pub fn playlist_user(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    let u = &cat.users[idx as usize];
    json!({
        "external_urls": external("user", &u.id),
        "href": ctx.api(&format!("/users/{}", u.id)),
        "id": u.id,
        "type": "user",
        "uri": format!("spotify:user:{}", u.id),
    })
}

/// `PlaylistOwnerObject`
pub fn owner(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    let mut o = obj(playlist_user(ctx, cat, idx));
    o.insert(
        "display_name".into(),
        cat.users[idx as usize].display_name.clone().into(),
    );
    Value::Object(o)
}

/// `PublicUserObject`
pub fn public_user(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    let u = &cat.users[idx as usize];
    let mut o =
        obj(json!({ "display_name": u.display_name, "external_urls": external("user", &u.id) }));
    if !ctx.dev() {
        o.insert(
            "followers".into(),
            json!({ "href": null, "total": u.followers }),
        );
    }
    for (k, v) in [
        ("href", ctx.api(&format!("/users/{}", u.id)).into()),
        ("id", u.id.clone().into()),
        ("images", ctx.images(&u.id, &[300, 64])),
        ("type", "user".into()),
        ("uri", format!("spotify:user:{}", u.id).into()),
    ] {
        o.insert(k.into(), v);
    }
    Value::Object(o)
}

/// `PrivateUserObject` (`/me`). Email needs `user-read-email`; country, product and explicit-content
/// settings need `user-read-private`; all of them are gone for Development-Mode apps.
pub fn private_user(ctx: &Ctx, cat: &Catalog, idx: u32, email: bool, private: bool) -> Value {
    let u = &cat.users[idx as usize];
    let mut o = Map::new();
    // A stable pseudonymous id (added to the API in May 2026).
    o.insert(
        "account_id".into(),
        format!("acct-{}", crate::catalog::base62_like(&u.id)).into(),
    );
    if !ctx.dev() && private {
        o.insert("country".into(), u.country.into());
    }
    o.insert("display_name".into(), u.display_name.clone().into());
    if !ctx.dev() && email {
        o.insert("email".into(), u.email.clone().into());
    }
    if !ctx.dev() && private {
        o.insert(
            "explicit_content".into(),
            json!({ "filter_enabled": false, "filter_locked": false }),
        );
    }
    o.insert("external_urls".into(), external("user", &u.id));
    if !ctx.dev() {
        o.insert(
            "followers".into(),
            json!({ "href": null, "total": u.followers }),
        );
    }
    o.insert("href".into(), ctx.api(&format!("/users/{}", u.id)).into());
    o.insert("id".into(), u.id.clone().into());
    o.insert("images".into(), ctx.images(&u.id, &[300, 64]));
    if !ctx.dev() && private {
        o.insert("product".into(), u.product.into());
    }
    o.insert("type".into(), "user".into());
    o.insert("uri".into(), format!("spotify:user:{}", u.id).into());
    Value::Object(o)
}

/// The snapshot id of a playlist version.
pub fn snapshot_id(p: &Playlist) -> String {
    crate::catalog::snapshot(&p.id, p.version)
}

fn playlist_head(ctx: &Ctx, cat: &Catalog, idx: u32) -> Map<String, Value> {
    let p = &cat.playlists[idx as usize];
    let mut o = Map::new();
    o.insert("collaborative".into(), p.collaborative.into());
    o.insert("description".into(), p.description.clone().into());
    o.insert("external_urls".into(), external("playlist", &p.id));
    o.insert(
        "href".into(),
        ctx.api(&format!("/playlists/{}", p.id)).into(),
    );
    o.insert("id".into(), p.id.clone().into());
    let images = if p.has_image {
        // Spotify's mosaic and uploaded playlist images come without dimensions.
        json!([{ "url": format!("{}/_sandbox/image/{}/640", ctx.base, p.id), "height": null, "width": null }])
    } else {
        json!([])
    };
    o.insert("images".into(), images);
    o.insert("name".into(), p.name.clone().into());
    o.insert("owner".into(), owner(ctx, cat, p.owner));
    o.insert("public".into(), p.public.into());
    o.insert("snapshot_id".into(), snapshot_id(p).into());
    o
}

fn playlist_tail(o: &mut Map<String, Value>, p: &Playlist) {
    o.insert("type".into(), "playlist".into());
    o.insert("uri".into(), format!("spotify:playlist:{}", p.id).into());
}

/// `SimplifiedPlaylistObject`
pub fn simplified_playlist(ctx: &Ctx, cat: &Catalog, idx: u32) -> Value {
    let p = &cat.playlists[idx as usize];
    let mut o = playlist_head(ctx, cat, idx);
    if ctx.new_names() {
        let href = ctx.api(&format!("/playlists/{}/items", p.id));
        o.insert(
            "items".into(),
            json!({ "href": href, "total": p.entries.len() }),
        );
    }
    if ctx.old_names() {
        let href = ctx.api(&format!("/playlists/{}/tracks", p.id));
        o.insert(
            "tracks".into(),
            json!({ "href": href, "total": p.entries.len() }),
        );
    }
    playlist_tail(&mut o, p);
    Value::Object(o)
}

/// `PlaylistObject`; `items` is the first page of its items (or `None` when the caller may not see
/// them), built by the caller in the right shape.
pub fn playlist(
    ctx: &Ctx,
    cat: &Catalog,
    idx: u32,
    items: Option<Value>,
    old_items: Option<Value>,
) -> Value {
    let p = &cat.playlists[idx as usize];
    let mut o = playlist_head(ctx, cat, idx);
    if !ctx.dev() {
        o.insert(
            "followers".into(),
            json!({ "href": null, "total": p.followers }),
        );
    }
    if let Some(items) = items {
        o.insert("items".into(), items);
    }
    if let Some(tracks) = old_items {
        o.insert("tracks".into(), tracks);
    }
    playlist_tail(&mut o, p);
    Value::Object(o)
}

/// The playable object of an entry (`TrackObject`, `EpisodeObject`, or a local track).
pub fn playable(ctx: &Ctx, cat: &Catalog, item: &ItemRef) -> Value {
    match item {
        ItemRef::Track(t) => track(ctx, cat, *t),
        ItemRef::Episode(e) => episode(ctx, cat, *e),
        ItemRef::Local {
            artist,
            album,
            title,
            duration_ms,
        } => local_track(ctx, artist, album, title, *duration_ms),
    }
}

/// `PlaylistTrackObject` with `item` and/or `track` depending on the generation.
pub fn playlist_entry(
    ctx: &Ctx,
    cat: &Catalog,
    e: &PlaylistEntry,
    new_name: bool,
    old_name: bool,
) -> Value {
    let mut o = Map::new();
    o.insert("added_at".into(), timestamp(e.added_at).into());
    o.insert("added_by".into(), playlist_user(ctx, cat, e.added_by));
    o.insert(
        "is_local".into(),
        matches!(e.item, ItemRef::Local { .. }).into(),
    );
    let body = playable(ctx, cat, &e.item);
    if new_name {
        o.insert("item".into(), body.clone());
    }
    if old_name {
        o.insert("track".into(), body);
    }
    o.insert("primary_color".into(), Value::Null);
    o.insert("video_thumbnail".into(), json!({ "url": null }));
    Value::Object(o)
}

/// `SavedTrackObject`
pub fn saved_track(ctx: &Ctx, cat: &Catalog, s: Saved) -> Value {
    json!({ "added_at": timestamp(s.added_at), "track": track(ctx, cat, s.idx) })
}

/// Renders an album with the first page of its tracks (as `AlbumObject` and `SavedAlbumObject` do).
pub fn full_album(ctx: &Ctx, world: &Catalog, idx: u32) -> Value {
    let a = &world.albums[idx as usize];
    let tracks = page_of(
        ctx,
        &format!("/albums/{}/tracks", a.id),
        &Params::default(),
        Window {
            offset: 0,
            limit: 50,
        },
        &a.tracks,
        |t| simplified_track(ctx, world, *t),
    );
    album(ctx, world, idx, tracks)
}

/// Renders an audiobook with the first page of its chapters (`AudiobookObject`).
pub fn full_audiobook(ctx: &Ctx, world: &Catalog, idx: u32) -> Value {
    let b = &world.audiobooks[idx as usize];
    let chapters = page_of(
        ctx,
        &format!("/audiobooks/{}/chapters", b.id),
        &Params::default(),
        Window {
            offset: 0,
            limit: 50,
        },
        &b.chapters,
        |c| simplified_chapter(ctx, world, *c),
    );
    audiobook(ctx, world, idx, chapters)
}
