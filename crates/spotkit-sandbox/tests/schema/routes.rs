//! The table of the routes the sandbox serves, and the requests the schema walk makes on each.
//!
//! Add a row here when the sandbox serves a new route (`every_served_route_is_in_the_table` fails
//! until then): its method, the template as in `src/api/`, the operation's path in the spec, whether
//! Spotify removed it for Development-Mode apps, and the requests (with the statuses they may answer
//! per mode, their phase, and whether to follow their pages).

use serde_json::{Value, json};
use spotkit_sandbox::Mode;

/// What to do with the pages of a 200 answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// Nothing.
    No,
    /// Offset paging: `next` once, the last page, a page past the end. Cursor paging: to the end.
    Sample,
    /// Every page (`next` until null), then a page past the end.
    All,
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    Json(Value),
    /// Sent as is (`PUT /playlists/{id}/images` takes base64 text).
    Raw(&'static str),
}

/// When a request runs. Every route's phase-0 requests run first (reads of the seeded catalogue),
/// then phase 1 (writes and player commands, in table order), and so on, so reads see the catalogue
/// the ids were found in and player reads see a playing player.
pub const PHASES: u8 = 5;

/// One request of a route's walk.
#[derive(Debug, Clone)]
pub struct Req {
    /// Path and query below `/v1`.
    pub url: String,
    pub body: Option<Body>,
    /// Acceptable statuses.
    pub expect: &'static [u16],
    pub follow: Follow,
    pub phase: u8,
}

impl Req {
    pub fn ok(url: impl Into<String>) -> Req {
        Req::status(url, &[200])
    }
    pub fn status(url: impl Into<String>, expect: &'static [u16]) -> Req {
        Req {
            url: url.into(),
            body: None,
            expect,
            follow: Follow::No,
            phase: 0,
        }
    }
    pub fn sample(mut self) -> Req {
        self.follow = Follow::Sample;
        self
    }
    pub fn all(mut self) -> Req {
        self.follow = Follow::All;
        self
    }
    pub fn json(mut self, body: Value) -> Req {
        self.body = Some(Body::Json(body));
        self
    }
    pub fn raw(mut self, body: &'static str) -> Req {
        self.body = Some(Body::Raw(body));
        self
    }
    pub fn phase(mut self, phase: u8) -> Req {
        self.phase = phase;
        self
    }
}

/// Ids found in the running sandbox.
#[derive(Debug, Default)]
pub struct Ids {
    pub tracks: Vec<String>,
    pub albums: Vec<String>,
    pub artists: Vec<String>,
    pub shows: Vec<String>,
    pub episodes: Vec<String>,
    pub audiobooks: Vec<String>,
    pub chapters: Vec<String>,
    pub playlists: Vec<PlaylistInfo>,
    /// A user other than `demo` who owns playlists.
    pub other_user: String,
    /// A playlist the demo user owns (the target of playlist writes).
    pub owned: String,
    /// A public playlist of another user (follow/unfollow).
    pub others_public: String,
    /// The demo user's Connect devices.
    pub devices: Vec<String>,
    /// A browse category.
    pub category: String,
}

#[derive(Debug, Clone)]
pub struct PlaylistInfo {
    pub id: String,
    pub owner: String,
    pub public: bool,
    pub collaborative: bool,
}

/// A route of the sandbox and how to walk it.
pub struct Route {
    pub method: &'static str,
    /// Template as in `src/api/mod.rs`.
    pub path: &'static str,
    /// The operation's path in the spec.
    pub spec: &'static str,
    /// Spotify removed it for Development-Mode apps: dev answers 403.
    pub dev_removed: bool,
    /// The requests of the walk (the first one of the route's earliest phase is the base of the
    /// error checks, so it should be one that succeeds).
    pub requests: fn(&Ids, Mode) -> Vec<Req>,
}

/// `ok`, or 403 in dev mode (operations Spotify removed for Development-Mode apps).
pub fn ext(mode: Mode, ok: &'static [u16]) -> &'static [u16] {
    match mode {
        Mode::Dev => &[403],
        Mode::Extended => ok,
    }
}

/// `METHOD template`, how failures and counts name a route.
pub fn key(route: &Route) -> String {
    format!("{} {}", route.method, route.path)
}

/// 200, or 403 in dev mode.
pub fn extended_only(mode: Mode) -> &'static [u16] {
    ext(mode, &[200])
}

/// 200 in extended mode, 400 in dev mode (dev-mode limits are smaller).
pub fn dev_rejects(mode: Mode) -> &'static [u16] {
    match mode {
        Mode::Dev => &[400],
        Mode::Extended => &[200],
    }
}

pub const ALL_SEARCH_TYPES: &str = "track,album,artist,playlist,show,episode,audiobook";

/// A well-formed id the catalogue does not have.
pub const UNKNOWN_ID: &str = "0123456789abcdefABCDEF";

/// A (truncated) JPEG, base64: the sandbox, like Spotify, takes base64 JPEG text for covers.
pub const TINY_JPEG_BASE64: &str = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////2Q==";

pub fn track_uri(ids: &Ids, i: usize) -> String {
    format!("spotify:track:{}", ids.tracks[i % ids.tracks.len()])
}

pub fn episode_uri(ids: &Ids) -> String {
    format!("spotify:episode:{}", ids.episodes[0])
}

/// Every route the sandbox serves under `/v1` (checked against the source by
/// [`every_served_route_is_in_the_table`]).
pub const ROUTES: &[Route] = &[
    Route {
        method: "GET",
        path: "/me",
        spec: "/me",
        dev_removed: false,
        requests: |_, _| vec![Req::ok("/me")],
    },
    Route {
        method: "GET",
        path: "/users/{user_id}/playlists",
        spec: "/users/{user_id}/playlists",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status("/users/demo/playlists", extended_only(m)),
                Req::status("/users/demo/playlists?limit=2", extended_only(m)).sample(),
                Req::status(
                    format!("/users/{}/playlists?limit=1", ids.other_user),
                    extended_only(m),
                )
                .sample(),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/me/playlists",
        spec: "/me/playlists",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::ok("/me/playlists"),
                Req::ok("/me/playlists?limit=2").sample(),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/playlists/{playlist_id}",
        spec: "/playlists/{playlist_id}",
        dev_removed: false,
        requests: |ids, _| {
            let mut out: Vec<Req> = ids
                .playlists
                .iter()
                .map(|p| Req::ok(format!("/playlists/{}", p.id)))
                .collect();
            if let Some(p) = ids.playlists.first() {
                out.push(Req::ok(format!("/playlists/{}?market=SE", p.id)));
            }
            out
        },
    },
    Route {
        method: "GET",
        path: "/playlists/{playlist_id}/items",
        spec: "/playlists/{playlist_id}/items",
        dev_removed: false,
        requests: |ids, _| {
            let mut out: Vec<Req> = ids
                .playlists
                .iter()
                .map(|p| {
                    // Only the items of playlists the user owns or collaborates on, in both modes
                    // (the spec's note: 403 otherwise; Extended-Quota apps use `/tracks` for others).
                    let expect: &'static [u16] = if p.owner == "demo" {
                        &[200]
                    } else if p.collaborative {
                        &[200, 403]
                    } else {
                        &[403]
                    };
                    Req::status(format!("/playlists/{}/items?limit=50", p.id), expect).all()
                })
                .collect();
            // Put an owned playlist first: the error checks start from the first request.
            out.sort_by_key(|r| r.expect != [200]);
            if let Some(first) = out.first().cloned() {
                let url = first.url.replace("?limit=50", "?limit=3");
                out.push(Req { url, ..first }.sample());
            }
            out
        },
    },
    Route {
        method: "GET",
        path: "/playlists/{playlist_id}/tracks",
        spec: "/playlists/{playlist_id}/tracks",
        dev_removed: true,
        requests: |ids, m| {
            ids.playlists
                .iter()
                .map(|p| {
                    Req::status(
                        format!("/playlists/{}/tracks?limit=100", p.id),
                        extended_only(m),
                    )
                    .all()
                })
                .collect()
        },
    },
    Route {
        method: "GET",
        path: "/me/tracks",
        spec: "/me/tracks",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::ok("/me/tracks"),
                Req::ok("/me/tracks?limit=7").sample(),
                Req::ok("/me/tracks?limit=50&market=SE").sample(),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/me/albums",
        spec: "/me/albums",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::ok("/me/albums"),
                Req::ok("/me/albums?limit=3").sample(),
                Req::ok("/me/albums?limit=50").all(),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/me/shows",
        spec: "/me/shows",
        dev_removed: false,
        requests: |_, _| vec![Req::ok("/me/shows"), Req::ok("/me/shows?limit=2").sample()],
    },
    Route {
        method: "GET",
        path: "/me/episodes",
        spec: "/me/episodes",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::ok("/me/episodes"),
                Req::ok("/me/episodes?limit=2").sample(),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/me/audiobooks",
        spec: "/me/audiobooks",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::ok("/me/audiobooks"),
                Req::ok("/me/audiobooks?limit=2").sample(),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/me/library/contains",
        spec: "/me/library/contains",
        dev_removed: false,
        requests: |ids, _| {
            let mut uris = vec![
                format!("spotify:track:{}", ids.tracks[0]),
                format!("spotify:album:{}", ids.albums[0]),
                format!("spotify:artist:{}", ids.artists[0]),
                format!("spotify:show:{}", ids.shows[0]),
                format!("spotify:episode:{}", ids.episodes[0]),
                format!("spotify:audiobook:{}", ids.audiobooks[0]),
                format!("spotify:playlist:{}", ids.playlists[0].id),
                format!("spotify:user:{}", ids.other_user),
                "spotify:track:0123456789abcdefABCDEF".to_owned(),
            ];
            let ok = format!("/me/library/contains?uris={}", uris.join(","));
            uris.resize(41, "spotify:track:0123456789abcdefABCDEF".to_owned());
            vec![
                Req::ok(ok),
                Req::status("/me/library/contains", &[400]),
                Req::status("/me/library/contains?uris=spotify:track:no!", &[400]),
                Req::status("/me/library/contains?uris=not-a-uri", &[400]),
                Req::status(
                    format!("/me/library/contains?uris={}", uris.join(",")),
                    &[400],
                ),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/me/following",
        spec: "/me/following",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::ok("/me/following?type=artist"),
                Req::ok("/me/following?type=artist&limit=2").sample(),
                Req::status("/me/following", &[400]),
                Req::status("/me/following?type=user", &[400]),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/me/top/artists",
        spec: "/me/top/artists",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::ok("/me/top/artists"),
                Req::ok("/me/top/artists?time_range=short_term&limit=3").sample(),
                Req::ok("/me/top/artists?time_range=long_term&limit=50"),
                Req::status("/me/top/artists?time_range=forever", &[400]),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/me/top/tracks",
        spec: "/me/top/tracks",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::ok("/me/top/tracks"),
                Req::ok("/me/top/tracks?time_range=medium_term&limit=3").sample(),
                Req::status("/me/top/tracks?time_range=forever", &[400]),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/me/player/recently-played",
        spec: "/me/player/recently-played",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::ok("/me/player/recently-played"),
                Req::ok("/me/player/recently-played?limit=7").sample(),
                Req::ok("/me/player/recently-played?after=0&limit=3"),
                Req::status("/me/player/recently-played?after=1&before=2", &[400]),
                Req::status("/me/player/recently-played?before=yesterday", &[400]),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/tracks/{id}",
        spec: "/tracks/{id}",
        dev_removed: false,
        requests: |ids, _| {
            let mut out: Vec<Req> = ids
                .tracks
                .iter()
                .map(|id| Req::ok(format!("/tracks/{id}")))
                .collect();
            out.push(Req::ok(format!("/tracks/{}?market=SE", ids.tracks[0])));
            out
        },
    },
    Route {
        method: "GET",
        path: "/albums/{id}",
        spec: "/albums/{id}",
        dev_removed: false,
        requests: |ids, _| {
            ids.albums
                .iter()
                .map(|id| Req::ok(format!("/albums/{id}")))
                .collect()
        },
    },
    Route {
        method: "GET",
        path: "/albums/{id}/tracks",
        spec: "/albums/{id}/tracks",
        dev_removed: false,
        requests: |ids, _| {
            let mut out: Vec<Req> = ids
                .albums
                .iter()
                .map(|id| Req::ok(format!("/albums/{id}/tracks?limit=2")).sample())
                .collect();
            out.push(Req::ok(format!("/albums/{}/tracks", ids.albums[0])));
            out
        },
    },
    Route {
        method: "GET",
        path: "/artists/{id}",
        spec: "/artists/{id}",
        dev_removed: false,
        requests: |ids, _| {
            ids.artists
                .iter()
                .map(|id| Req::ok(format!("/artists/{id}")))
                .collect()
        },
    },
    Route {
        method: "GET",
        path: "/artists/{id}/albums",
        spec: "/artists/{id}/albums",
        dev_removed: false,
        requests: |ids, m| {
            let a = &ids.artists[0];
            let mut out = vec![
                Req::ok(format!("/artists/{a}/albums")),
                Req::ok(format!("/artists/{a}/albums?limit=1")).sample(),
                Req::ok(format!(
                    "/artists/{a}/albums?include_groups=album,single&limit=10"
                )),
                Req::ok(format!(
                    "/artists/{a}/albums?include_groups=appears_on,compilation"
                )),
                Req::status(format!("/artists/{a}/albums?limit=11"), dev_rejects(m)),
                Req::status(format!("/artists/{a}/albums?include_groups=bogus"), &[400]),
            ];
            for other in ids.artists.iter().skip(1) {
                out.push(Req::ok(format!("/artists/{other}/albums?limit=10")));
            }
            out
        },
    },
    Route {
        method: "GET",
        path: "/shows/{id}",
        spec: "/shows/{id}",
        dev_removed: false,
        requests: |ids, _| {
            ids.shows
                .iter()
                .map(|id| Req::ok(format!("/shows/{id}")))
                .collect()
        },
    },
    Route {
        method: "GET",
        path: "/shows/{id}/episodes",
        spec: "/shows/{id}/episodes",
        dev_removed: false,
        requests: |ids, _| {
            ids.shows
                .iter()
                .map(|id| Req::ok(format!("/shows/{id}/episodes?limit=2")).sample())
                .collect()
        },
    },
    Route {
        method: "GET",
        path: "/episodes/{id}",
        spec: "/episodes/{id}",
        dev_removed: false,
        requests: |ids, _| {
            ids.episodes
                .iter()
                .map(|id| Req::ok(format!("/episodes/{id}")))
                .collect()
        },
    },
    Route {
        method: "GET",
        path: "/audiobooks/{id}",
        spec: "/audiobooks/{id}",
        dev_removed: false,
        requests: |ids, _| {
            ids.audiobooks
                .iter()
                .map(|id| Req::ok(format!("/audiobooks/{id}")))
                .collect()
        },
    },
    Route {
        method: "GET",
        path: "/audiobooks/{id}/chapters",
        spec: "/audiobooks/{id}/chapters",
        dev_removed: false,
        requests: |ids, _| {
            ids.audiobooks
                .iter()
                .map(|id| Req::ok(format!("/audiobooks/{id}/chapters?limit=2")).sample())
                .collect()
        },
    },
    Route {
        method: "GET",
        path: "/chapters/{id}",
        spec: "/chapters/{id}",
        dev_removed: false,
        requests: |ids, _| {
            ids.chapters
                .iter()
                .map(|id| Req::ok(format!("/chapters/{id}")))
                .collect()
        },
    },
    Route {
        method: "GET",
        path: "/search",
        spec: "/search",
        dev_removed: false,
        requests: |_, m| {
            let t = ALL_SEARCH_TYPES;
            let mut out = vec![
                Req::ok(format!("/search?q=a&type={t}")).sample(),
                Req::ok(format!("/search?q=e&type={t}&limit=10&offset=3")),
                Req::ok(format!("/search?q=zzzqqqxxx&type={t}")),
                Req::status(format!("/search?q=a&type={t}&limit=11"), dev_rejects(m)),
                Req::status("/search?type=track", &[400]),
                Req::status("/search?q=a", &[400]),
                Req::status("/search?q=a&type=podcast", &[400]),
                Req::status("/search?q=a&type=track&offset=1001", &[400]),
            ];
            for single in t.split(',') {
                out.push(Req::ok(format!("/search?q=a&type={single}&limit=2")).sample());
            }
            out.push(Req::ok("/search?q=year:1950-2030&type=track,album"));
            out
        },
    },
    // ---- Operations Spotify removed for Development-Mode apps (403 in dev mode). ----
    Route {
        method: "GET",
        path: "/users/{user_id}",
        spec: "/users/{user_id}",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(format!("/users/{}", ids.other_user), extended_only(m)),
                Req::status("/users/demo", extended_only(m)),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/tracks",
        spec: "/tracks",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/tracks?ids={},{UNKNOWN_ID}", ids.tracks.join(",")),
                    extended_only(m),
                ),
                Req::status("/tracks", ext(m, &[400])),
                Req::status("/tracks?ids=not-base62!", ext(m, &[400])),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/albums",
        spec: "/albums",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/albums?ids={},{UNKNOWN_ID}", ids.albums.join(",")),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/artists",
        spec: "/artists",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/artists?ids={},{UNKNOWN_ID}", ids.artists.join(",")),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/artists/{id}/top-tracks",
        spec: "/artists/{id}/top-tracks",
        dev_removed: true,
        requests: |ids, m| {
            ids.artists
                .iter()
                .map(|a| {
                    Req::status(
                        format!("/artists/{a}/top-tracks?market=SE"),
                        extended_only(m),
                    )
                })
                .collect()
        },
    },
    Route {
        method: "GET",
        path: "/artists/{id}/related-artists",
        spec: "/artists/{id}/related-artists",
        dev_removed: true,
        requests: |ids, m| {
            ids.artists
                .iter()
                .map(|a| Req::status(format!("/artists/{a}/related-artists"), extended_only(m)))
                .collect()
        },
    },
    Route {
        method: "GET",
        path: "/shows",
        spec: "/shows",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/shows?ids={},{UNKNOWN_ID}", ids.shows.join(",")),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/episodes",
        spec: "/episodes",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/episodes?ids={},{UNKNOWN_ID}", ids.episodes.join(",")),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/audiobooks",
        spec: "/audiobooks",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/audiobooks?ids={},{UNKNOWN_ID}", ids.audiobooks.join(",")),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/chapters",
        spec: "/chapters",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/chapters?ids={},{UNKNOWN_ID}", ids.chapters.join(",")),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/browse/categories",
        spec: "/browse/categories",
        dev_removed: true,
        requests: |_, m| {
            vec![
                Req::status("/browse/categories", extended_only(m)),
                Req::status("/browse/categories?limit=3&locale=sv_SE", extended_only(m)).sample(),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/browse/categories/{category_id}",
        spec: "/browse/categories/{category_id}",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/browse/categories/{}", ids.category),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/browse/categories/{category_id}/playlists",
        spec: "/browse/categories/{category_id}/playlists",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/browse/categories/{}/playlists?limit=2", ids.category),
                    extended_only(m),
                )
                .sample(),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/browse/featured-playlists",
        spec: "/browse/featured-playlists",
        dev_removed: true,
        requests: |_, m| {
            vec![Req::status("/browse/featured-playlists?limit=2", extended_only(m)).sample()]
        },
    },
    Route {
        method: "GET",
        path: "/browse/new-releases",
        spec: "/browse/new-releases",
        dev_removed: true,
        requests: |_, m| {
            vec![
                Req::status("/browse/new-releases", extended_only(m)),
                Req::status("/browse/new-releases?limit=7", extended_only(m)).sample(),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/markets",
        spec: "/markets",
        dev_removed: true,
        requests: |_, m| vec![Req::status("/markets", extended_only(m))],
    },
    Route {
        method: "GET",
        path: "/recommendations",
        spec: "/recommendations",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/recommendations?seed_tracks={}&limit=5", ids.tracks[0]),
                    extended_only(m),
                ),
                Req::status(
                    format!(
                        "/recommendations?seed_artists={}&seed_tracks={}&market=SE",
                        ids.artists[0], ids.tracks[0]
                    ),
                    extended_only(m),
                ),
                Req::status("/recommendations", ext(m, &[400])),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/recommendations/available-genre-seeds",
        spec: "/recommendations/available-genre-seeds",
        dev_removed: true,
        requests: |_, m| {
            vec![Req::status(
                "/recommendations/available-genre-seeds",
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/audio-features",
        spec: "/audio-features",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/audio-features?ids={}", ids.tracks.join(",")),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/audio-features/{id}",
        spec: "/audio-features/{id}",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/audio-features/{}", ids.tracks[0]),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/audio-analysis/{id}",
        spec: "/audio-analysis/{id}",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/audio-analysis/{}", ids.tracks[0]),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/me/tracks/contains",
        spec: "/me/tracks/contains",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/me/tracks/contains?ids={},{UNKNOWN_ID}", ids.tracks[0]),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/me/albums/contains",
        spec: "/me/albums/contains",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/me/albums/contains?ids={},{UNKNOWN_ID}", ids.albums[0]),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/me/shows/contains",
        spec: "/me/shows/contains",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/me/shows/contains?ids={},{UNKNOWN_ID}", ids.shows[0]),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/me/episodes/contains",
        spec: "/me/episodes/contains",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!("/me/episodes/contains?ids={},{UNKNOWN_ID}", ids.episodes[0]),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/me/audiobooks/contains",
        spec: "/me/audiobooks/contains",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!(
                    "/me/audiobooks/contains?ids={},{UNKNOWN_ID}",
                    ids.audiobooks[0]
                ),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/me/following/contains",
        spec: "/me/following/contains",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!(
                        "/me/following/contains?type=artist&ids={}",
                        ids.artists.join(",")
                    ),
                    extended_only(m),
                ),
                Req::status(
                    format!("/me/following/contains?type=user&ids={}", ids.other_user),
                    extended_only(m),
                ),
                Req::status("/me/following/contains?type=album&ids=x", &[400]),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/playlists/{playlist_id}/followers/contains",
        spec: "/playlists/{playlist_id}/followers/contains",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(
                format!(
                    "/playlists/{}/followers/contains?ids=demo,{}",
                    ids.others_public, ids.other_user
                ),
                extended_only(m),
            )]
        },
    },
    Route {
        method: "GET",
        path: "/playlists/{playlist_id}/images",
        spec: "/playlists/{playlist_id}/images",
        dev_removed: false,
        requests: |ids, _| {
            ids.playlists
                .iter()
                .take(4)
                .map(|p| Req::ok(format!("/playlists/{}/images", p.id)))
                .collect()
        },
    },
    // ---- Player reads (phase 0: nothing plays yet; phase 2/4: after the commands). ----
    Route {
        method: "GET",
        path: "/me/player/devices",
        spec: "/me/player/devices",
        dev_removed: false,
        requests: |_, _| vec![Req::ok("/me/player/devices")],
    },
    Route {
        method: "GET",
        path: "/me/player",
        spec: "/me/player",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::status("/me/player", &[200, 204]),
                Req::ok("/me/player").phase(2),
                Req::ok("/me/player?additional_types=episode").phase(4),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/me/player/currently-playing",
        spec: "/me/player/currently-playing",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::status("/me/player/currently-playing", &[200, 204]),
                Req::ok("/me/player/currently-playing?market=SE").phase(2),
                Req::ok("/me/player/currently-playing?additional_types=track,episode").phase(4),
            ]
        },
    },
    Route {
        method: "GET",
        path: "/me/player/queue",
        spec: "/me/player/queue",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::ok("/me/player/queue"),
                Req::ok("/me/player/queue").phase(2),
                Req::ok("/me/player/queue").phase(4),
            ]
        },
    },
    // ---- Writes (phase 1, in this order), then player commands. ----
    Route {
        method: "POST",
        path: "/me/playlists",
        spec: "/me/playlists",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::status("/me/playlists", &[201])
                    .json(json!({ "name": "Schema walk", "description": "made by tests/schema.rs", "public": false }))
                    .phase(1),
                Req::status("/me/playlists", &[201])
                    .json(json!({ "name": "Schema walk (collaborative)", "collaborative": true, "public": false }))
                    .phase(1),
                Req::status("/me/playlists", &[400]).json(json!({ "public": true })).phase(1),
            ]
        },
    },
    Route {
        method: "POST",
        path: "/users/{user_id}/playlists",
        spec: "/users/{user_id}/playlists",
        dev_removed: true,
        requests: |_, m| {
            vec![
                Req::status("/users/demo/playlists", ext(m, &[201]))
                    .json(json!({ "name": "Schema walk (old path)" }))
                    .phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/playlists/{playlist_id}",
        spec: "/playlists/{playlist_id}",
        dev_removed: false,
        requests: |ids, _| {
            vec![
                Req::ok(format!("/playlists/{}", ids.owned))
                    .json(json!({ "name": "Renamed by the schema walk", "description": "walked" }))
                    .phase(1),
                Req::status(format!("/playlists/{}", ids.owned), &[400])
                    .json(json!({ "name": "" }))
                    .phase(1),
            ]
        },
    },
    Route {
        method: "POST",
        path: "/playlists/{playlist_id}/items",
        spec: "/playlists/{playlist_id}/items",
        dev_removed: false,
        requests: |ids, _| {
            let p = &ids.owned;
            vec![
                Req::status(format!("/playlists/{p}/items"), &[201])
                    .json(json!({ "uris": [track_uri(ids, 0), episode_uri(ids)], "position": 0 }))
                    .phase(1),
                Req::status(
                    format!("/playlists/{p}/items?uris={}", track_uri(ids, 1)),
                    &[201],
                )
                .phase(1),
                Req::status(format!("/playlists/{p}/items"), &[400])
                    .json(json!({ "uris": [] }))
                    .phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/playlists/{playlist_id}/items",
        spec: "/playlists/{playlist_id}/items",
        dev_removed: false,
        requests: |ids, _| {
            let p = &ids.owned;
            vec![
                Req::ok(format!("/playlists/{p}/items"))
                    .json(json!({ "range_start": 0, "insert_before": 2, "range_length": 1 }))
                    .phase(1),
                Req::ok(format!("/playlists/{p}/items"))
                    .json(
                        json!({ "uris": [track_uri(ids, 0), track_uri(ids, 1), episode_uri(ids)] }),
                    )
                    .phase(1),
            ]
        },
    },
    Route {
        method: "DELETE",
        path: "/playlists/{playlist_id}/items",
        spec: "/playlists/{playlist_id}/items",
        dev_removed: false,
        requests: |ids, _| {
            vec![
                Req::ok(format!("/playlists/{}/items", ids.owned))
                    .json(json!({ "items": [{ "uri": track_uri(ids, 1) }] }))
                    .phase(1),
            ]
        },
    },
    Route {
        method: "POST",
        path: "/playlists/{playlist_id}/tracks",
        spec: "/playlists/{playlist_id}/tracks",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(format!("/playlists/{}/tracks", ids.owned), ext(m, &[201]))
                    .json(json!({ "uris": [track_uri(ids, 2)] }))
                    .phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/playlists/{playlist_id}/tracks",
        spec: "/playlists/{playlist_id}/tracks",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(format!("/playlists/{}/tracks", ids.owned), ext(m, &[200]))
                    .json(json!({ "range_start": 1, "insert_before": 0 }))
                    .phase(1),
            ]
        },
    },
    Route {
        method: "DELETE",
        path: "/playlists/{playlist_id}/tracks",
        spec: "/playlists/{playlist_id}/tracks",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(format!("/playlists/{}/tracks", ids.owned), ext(m, &[200]))
                    .json(json!({ "tracks": [{ "uri": track_uri(ids, 2) }] }))
                    .phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/playlists/{playlist_id}/images",
        spec: "/playlists/{playlist_id}/images",
        dev_removed: false,
        requests: |ids, _| {
            vec![
                Req::status(format!("/playlists/{}/images", ids.owned), &[202])
                    .raw(TINY_JPEG_BASE64)
                    .phase(1),
                Req::status(format!("/playlists/{}/images", ids.owned), &[400])
                    .raw("not an image")
                    .phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/playlists/{playlist_id}/followers",
        spec: "/playlists/{playlist_id}/followers",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/playlists/{}/followers", ids.others_public),
                    extended_only(m),
                )
                .json(json!({ "public": true }))
                .phase(1),
            ]
        },
    },
    Route {
        method: "DELETE",
        path: "/playlists/{playlist_id}/followers",
        spec: "/playlists/{playlist_id}/followers",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/playlists/{}/followers", ids.others_public),
                    extended_only(m),
                )
                .phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/me/library",
        spec: "/me/library",
        dev_removed: false,
        requests: |ids, _| {
            vec![
                Req::ok(format!(
                    "/me/library?uris={},spotify:album:{},spotify:artist:{}",
                    track_uri(ids, 2),
                    ids.albums[1 % ids.albums.len()],
                    ids.artists[0]
                ))
                .phase(1),
                Req::ok("/me/library")
                    .json(json!({ "uris": [episode_uri(ids)] }))
                    .phase(1),
                Req::status("/me/library?uris=not-a-uri", &[400]).phase(1),
                Req::status("/me/library", &[400]).phase(1),
            ]
        },
    },
    Route {
        method: "DELETE",
        path: "/me/library",
        spec: "/me/library",
        dev_removed: false,
        requests: |ids, _| {
            vec![
                Req::ok(format!("/me/library?uris={}", track_uri(ids, 2))).phase(1),
                Req::status(
                    format!("/me/library?uris=spotify:track:{UNKNOWN_ID}"),
                    &[404],
                )
                .phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/me/tracks",
        spec: "/me/tracks",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/me/tracks?ids={}", ids.tracks[0]),
                    extended_only(m),
                )
                .phase(1),
                Req::status("/me/tracks", extended_only(m))
                    .json(json!({ "ids": [ids.tracks[0]] }))
                    .phase(1),
            ]
        },
    },
    Route {
        method: "DELETE",
        path: "/me/tracks",
        spec: "/me/tracks",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/me/tracks?ids={}", ids.tracks[0]),
                    extended_only(m),
                )
                .phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/me/albums",
        spec: "/me/albums",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/me/albums?ids={}", ids.albums[0]),
                    extended_only(m),
                )
                .phase(1),
            ]
        },
    },
    Route {
        method: "DELETE",
        path: "/me/albums",
        spec: "/me/albums",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/me/albums?ids={}", ids.albums[0]),
                    extended_only(m),
                )
                .phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/me/shows",
        spec: "/me/shows",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(format!("/me/shows?ids={}", ids.shows[0]), extended_only(m)).phase(1)]
        },
    },
    Route {
        method: "DELETE",
        path: "/me/shows",
        spec: "/me/shows",
        dev_removed: true,
        requests: |ids, m| {
            vec![Req::status(format!("/me/shows?ids={}", ids.shows[0]), extended_only(m)).phase(1)]
        },
    },
    Route {
        method: "PUT",
        path: "/me/episodes",
        spec: "/me/episodes",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/me/episodes?ids={}", ids.episodes[0]),
                    extended_only(m),
                )
                .phase(1),
            ]
        },
    },
    Route {
        method: "DELETE",
        path: "/me/episodes",
        spec: "/me/episodes",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/me/episodes?ids={}", ids.episodes[0]),
                    extended_only(m),
                )
                .phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/me/audiobooks",
        spec: "/me/audiobooks",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/me/audiobooks?ids={}", ids.audiobooks[0]),
                    extended_only(m),
                )
                .phase(1),
            ]
        },
    },
    Route {
        method: "DELETE",
        path: "/me/audiobooks",
        spec: "/me/audiobooks",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/me/audiobooks?ids={}", ids.audiobooks[0]),
                    extended_only(m),
                )
                .phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/me/following",
        spec: "/me/following",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/me/following?type=artist&ids={}", ids.artists[0]),
                    ext(m, &[204]),
                )
                .phase(1),
                Req::status("/me/following?type=user", ext(m, &[204]))
                    .json(json!({ "ids": [ids.other_user] }))
                    .phase(1),
            ]
        },
    },
    Route {
        method: "DELETE",
        path: "/me/following",
        spec: "/me/following",
        dev_removed: true,
        requests: |ids, m| {
            vec![
                Req::status(
                    format!("/me/following?type=artist&ids={}", ids.artists[0]),
                    ext(m, &[204]),
                )
                .phase(1),
            ]
        },
    },
    // Player commands: transfer, play, queue, skip, seek, repeat, volume, shuffle, pause (phase
    // 1), then an episode (phase 3).
    Route {
        method: "PUT",
        path: "/me/player",
        spec: "/me/player",
        dev_removed: false,
        requests: |ids, _| {
            vec![
                Req::status("/me/player", &[204])
                    .json(json!({ "device_ids": [ids.devices[0]], "play": false }))
                    .phase(1),
                Req::status("/me/player", &[404])
                    .json(json!({ "device_ids": [UNKNOWN_ID] }))
                    .phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/me/player/play",
        spec: "/me/player/play",
        dev_removed: false,
        requests: |ids, _| {
            vec![
                Req::status("/me/player/play", &[204])
                    .json(json!({ "context_uri": format!("spotify:album:{}", ids.albums[0]), "offset": { "position": 0 } }))
                    .phase(1),
                Req::status(format!("/me/player/play?device_id={}", ids.devices[0]), &[204])
                    .json(json!({ "uris": [track_uri(ids, 0), track_uri(ids, 1), episode_uri(ids)], "position_ms": 1000 }))
                    .phase(1),
                Req::status("/me/player/play", &[204])
                    .json(json!({ "uris": [episode_uri(ids)] }))
                    .phase(3),
            ]
        },
    },
    Route {
        method: "POST",
        path: "/me/player/queue",
        spec: "/me/player/queue",
        dev_removed: false,
        requests: |ids, _| {
            vec![
                Req::status(
                    format!("/me/player/queue?uri={}", track_uri(ids, 2)),
                    &[204],
                )
                .phase(1),
                Req::status(format!("/me/player/queue?uri={}", episode_uri(ids)), &[204]).phase(3),
                Req::status("/me/player/queue", &[400]).phase(1),
            ]
        },
    },
    Route {
        method: "POST",
        path: "/me/player/next",
        spec: "/me/player/next",
        dev_removed: false,
        requests: |_, _| vec![Req::status("/me/player/next", &[204]).phase(1)],
    },
    Route {
        method: "POST",
        path: "/me/player/previous",
        spec: "/me/player/previous",
        dev_removed: false,
        requests: |_, _| vec![Req::status("/me/player/previous", &[204]).phase(1)],
    },
    Route {
        method: "PUT",
        path: "/me/player/seek",
        spec: "/me/player/seek",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::status("/me/player/seek?position_ms=1500", &[204]).phase(1),
                Req::status("/me/player/seek", &[400]).phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/me/player/repeat",
        spec: "/me/player/repeat",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::status("/me/player/repeat?state=context", &[204]).phase(1),
                Req::status("/me/player/repeat?state=always", &[400]).phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/me/player/volume",
        spec: "/me/player/volume",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::status("/me/player/volume?volume_percent=55", &[204]).phase(1),
                Req::status("/me/player/volume?volume_percent=101", &[400]).phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/me/player/shuffle",
        spec: "/me/player/shuffle",
        dev_removed: false,
        requests: |_, _| {
            vec![
                Req::status("/me/player/shuffle?state=true", &[204]).phase(1),
                Req::status("/me/player/shuffle?state=maybe", &[400]).phase(1),
            ]
        },
    },
    Route {
        method: "PUT",
        path: "/me/player/pause",
        spec: "/me/player/pause",
        dev_removed: false,
        requests: |_, _| vec![Req::status("/me/player/pause", &[204]).phase(1)],
    },
];
