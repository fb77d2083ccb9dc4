//! The deterministic catalogue: artists, albums, tracks, shows, episodes, audiobooks, users, playlists
//! and the demo user's library, all generated from one seed.
//!
//! Everything is stored compactly (indices, not copies) so that a library of 100 000 liked songs starts
//! in well under a second and a few tens of megabytes; JSON is rendered per request by [`crate::render`].

use std::collections::HashMap;
use std::fmt::Write as _;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::names;

/// Unix time the catalogue's "now" is anchored to (2026-11-01T00:00:00Z), so that seeds give
/// byte-identical responses whatever day they run on.
pub const EPOCH: i64 = 1_793_491_200;

/// The id of the user every token belongs to unless asked otherwise.
pub const DEMO_USER: &str = "demo";

/// The user that owns Spotify's editorial and algorithmic playlists.
pub const SPOTIFY_USER: &str = "spotify";

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A fresh 22-character base62 id, like Spotify's.
pub fn base62_id(rng: &mut impl Rng) -> String {
    (0..22)
        .map(|_| char::from(BASE62[rng.random_range(0..BASE62.len())]))
        .collect()
}

/// Whether `s` has the shape of a Spotify id (22 base62 characters).
pub fn is_base62_id(s: &str) -> bool {
    s.len() == 22 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// How precise a release date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Precision {
    /// `YYYY`
    Year,
    /// `YYYY-MM`
    Month,
    /// `YYYY-MM-DD`
    Day,
}

impl Precision {
    /// Spotify's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
        }
    }
}

/// A release date with its precision.
#[derive(Debug, Clone)]
pub struct ReleaseDate {
    /// Date text at the given precision.
    pub date: String,
    /// Its precision.
    pub precision: Precision,
}

#[derive(Debug, Clone)]
pub struct Artist {
    pub id: String,
    pub name: String,
    pub genres: Vec<&'static str>,
    pub popularity: u8,
    pub followers: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlbumType {
    Album,
    Single,
    Compilation,
}

impl AlbumType {
    pub fn as_str(self) -> &'static str {
        match self {
            AlbumType::Album => "album",
            AlbumType::Single => "single",
            AlbumType::Compilation => "compilation",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Album {
    pub id: String,
    pub name: String,
    pub album_type: AlbumType,
    pub artists: Vec<u32>,
    pub tracks: Vec<u32>,
    pub release: ReleaseDate,
    pub upc: String,
    pub label: String,
    pub popularity: u8,
    pub genres: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Track {
    pub id: String,
    pub name: String,
    pub album: u32,
    pub artists: Vec<u32>,
    pub duration_ms: u32,
    pub explicit: bool,
    pub disc_number: u8,
    pub track_number: u16,
    pub isrc: String,
    pub popularity: u8,
}

#[derive(Debug, Clone)]
pub struct Show {
    pub id: String,
    pub name: String,
    pub publisher: String,
    pub episodes: Vec<u32>,
    pub explicit: bool,
}

#[derive(Debug, Clone)]
pub struct Episode {
    pub id: String,
    pub name: String,
    pub show: u32,
    pub duration_ms: u32,
    pub release_date: String,
    pub explicit: bool,
}

#[derive(Debug, Clone)]
pub struct Audiobook {
    pub id: String,
    pub name: String,
    pub author: String,
    pub narrator: String,
    pub publisher: String,
    pub chapters: Vec<u32>,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    pub id: String,
    pub name: String,
    pub audiobook: u32,
    pub number: u32,
    pub duration_ms: u32,
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub display_name: String,
    pub email: String,
    pub country: &'static str,
    pub product: &'static str,
    pub followers: u32,
}

/// What a playlist entry points at.
#[derive(Debug, Clone)]
pub enum ItemRef {
    Track(u32),
    Episode(u32),
    /// A local file the user added from their own disk: no Spotify ids at all.
    Local {
        artist: String,
        album: String,
        title: String,
        duration_ms: u32,
    },
}

#[derive(Debug, Clone)]
pub struct PlaylistEntry {
    /// Identity of this entry (the same track added twice is two entries), so positions given
    /// against an older snapshot can be mapped onto the current list.
    pub uid: u64,
    pub item: ItemRef,
    /// Unix seconds.
    pub added_at: i64,
    /// Index into `users`.
    pub added_by: u32,
}

#[derive(Debug, Clone)]
pub struct Playlist {
    pub id: String,
    pub name: String,
    pub description: String,
    pub owner: u32,
    pub public: bool,
    pub collaborative: bool,
    pub collaborators: Vec<u32>,
    pub followers: u32,
    pub entries: Vec<PlaylistEntry>,
    /// Bumped on every change; rendered into `snapshot_id`.
    pub version: u64,
    pub has_image: bool,
    /// Entry order of recent versions (version, uids), oldest first, for snapshot-relative edits.
    pub history: Vec<(u64, Vec<u64>)>,
    /// An uploaded cover (JPEG bytes), replacing the generated one.
    pub uploaded_image: Option<Vec<u8>>,
}

/// Versions of a playlist kept for snapshot-relative edits.
pub const SNAPSHOT_HISTORY: usize = 32;

impl Playlist {
    /// Records the current order before a change and bumps the version.
    pub fn bump(&mut self) {
        if self.history.len() >= SNAPSHOT_HISTORY {
            self.history.remove(0);
        }
        self.history
            .push((self.version, self.entries.iter().map(|e| e.uid).collect()));
        self.version += 1;
    }

    /// Entry uids in the order of `version` (the current one or a recorded one).
    pub fn order_at(&self, version: u64) -> Option<Vec<u64>> {
        if version == self.version {
            return Some(self.entries.iter().map(|e| e.uid).collect());
        }
        self.history
            .iter()
            .find(|(v, _)| *v == version)
            .map(|(_, uids)| uids.clone())
    }
}

/// One saved thing with the time it was saved (Unix seconds).
#[derive(Debug, Clone, Copy)]
pub struct Saved {
    pub idx: u32,
    pub added_at: i64,
}

/// A user's library. Lists are kept newest first, the order Spotify returns them in.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub tracks: Vec<Saved>,
    pub albums: Vec<Saved>,
    pub shows: Vec<Saved>,
    pub episodes: Vec<Saved>,
    pub audiobooks: Vec<Saved>,
    pub artists: Vec<u32>,
    pub users: Vec<u32>,
    /// Playlists in the order `/me/playlists` lists them (owned and followed).
    pub playlists: Vec<u32>,
    pub top_tracks: Vec<u32>,
    pub top_artists: Vec<u32>,
    /// (track, played_at) newest first.
    pub recently_played: Vec<Saved>,
}

/// Sizes of the generated world.
#[derive(Debug, Clone)]
pub struct Sizes {
    pub seed: u64,
    pub liked: usize,
    pub playlists: usize,
    pub albums: usize,
}

/// The whole generated world.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub artists: Vec<Artist>,
    pub albums: Vec<Album>,
    pub tracks: Vec<Track>,
    pub shows: Vec<Show>,
    pub episodes: Vec<Episode>,
    pub audiobooks: Vec<Audiobook>,
    pub chapters: Vec<Chapter>,
    pub users: Vec<User>,
    pub playlists: Vec<Playlist>,
    /// Libraries by user index.
    pub libraries: HashMap<u32, Library>,
    pub index: Index,
    /// Next playlist-entry uid.
    pub next_uid: u64,
}

/// id → position lookups.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub artists: HashMap<String, u32>,
    pub albums: HashMap<String, u32>,
    pub tracks: HashMap<String, u32>,
    pub shows: HashMap<String, u32>,
    pub episodes: HashMap<String, u32>,
    pub audiobooks: HashMap<String, u32>,
    pub chapters: HashMap<String, u32>,
    pub users: HashMap<String, u32>,
    pub playlists: HashMap<String, u32>,
}

fn index_of<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<String, u32> {
    items
        .iter()
        .enumerate()
        .map(|(i, t)| (id(t).to_owned(), i as u32))
        .collect()
}

fn release_date(rng: &mut impl Rng) -> ReleaseDate {
    let year = rng.random_range(1962..=2026);
    let month = rng.random_range(1..=12);
    let day = rng.random_range(1..=28);
    let roll = rng.random_range(0..100);
    // Old catalogue often only knows the year; a few releases only know the month.
    if roll < 12 || (year < 1980 && roll < 60) {
        ReleaseDate {
            date: format!("{year}"),
            precision: Precision::Year,
        }
    } else if roll < 18 {
        ReleaseDate {
            date: format!("{year}-{month:02}"),
            precision: Precision::Month,
        }
    } else {
        ReleaseDate {
            date: format!("{year}-{month:02}-{day:02}"),
            precision: Precision::Day,
        }
    }
}

fn digits(rng: &mut impl Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

fn isrc(rng: &mut impl Rng, year: &str) -> String {
    const COUNTRIES: &[&str] = &["US", "GB", "DE", "FR", "SE", "JP", "BR", "QZ"];
    let cc = COUNTRIES[rng.random_range(0..COUNTRIES.len())];
    let registrant: String = (0..3)
        .map(|_| char::from(b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"[rng.random_range(0..34)]))
        .collect();
    let yy = year.get(2..4).unwrap_or("00");
    format!("{cc}{registrant}{yy}{}", digits(rng, 5))
}

impl Catalog {
    /// Generates the world for `sizes`. Deterministic: the same sizes give the same world.
    pub fn generate(sizes: &Sizes) -> Catalog {
        let mut rng = ChaCha8Rng::seed_from_u64(sizes.seed);
        // Enough tracks for the liked songs, the playlists and a catalogue around them.
        let target_tracks = sizes.liked + sizes.liked / 10 + 3_000;
        let n_artists = 80 + target_tracks / 30;

        let users = gen_users(&mut rng);
        let artists: Vec<Artist> = (0..n_artists)
            .map(|_| {
                let n_genres = rng.random_range(0..=3);
                Artist {
                    id: base62_id(&mut rng),
                    name: names::artist(&mut rng),
                    genres: (0..n_genres).map(|_| names::genre(&mut rng)).collect(),
                    popularity: rng.random_range(0..=100),
                    followers: rng.random_range(0..5_000_000),
                }
            })
            .collect();

        let mut albums = Vec::new();
        let mut tracks: Vec<Track> = Vec::with_capacity(target_tracks + 32);
        while tracks.len() < target_tracks {
            let album_idx = albums.len() as u32;
            let roll = rng.random_range(0..100);
            let (album_type, n_tracks): (AlbumType, usize) = match roll {
                0..=59 => (AlbumType::Album, rng.random_range(7..=16)),
                60..=91 => (AlbumType::Single, rng.random_range(1..=3)),
                _ => (AlbumType::Compilation, rng.random_range(10..=20)),
            };
            let main_artist = rng.random_range(0..n_artists) as u32;
            let mut album_artists = vec![main_artist];
            if album_type == AlbumType::Album && rng.random_bool(0.08) {
                album_artists.push(rng.random_range(0..n_artists) as u32);
            }
            let release = release_date(&mut rng);
            let year = release.date.get(0..4).unwrap_or("2000").to_owned();
            let discs = if n_tracks >= 14 && rng.random_bool(0.3) {
                2
            } else {
                1
            };
            let per_disc = n_tracks.div_ceil(discs);
            let mut album_tracks = Vec::with_capacity(n_tracks);
            for t in 0..n_tracks {
                let mut track_artists = if album_type == AlbumType::Compilation {
                    vec![rng.random_range(0..n_artists) as u32]
                } else {
                    album_artists.clone()
                };
                let mut name = names::title(&mut rng);
                if rng.random_bool(0.07) {
                    let guest = rng.random_range(0..n_artists) as u32;
                    name = format!("{name} (feat. {})", artists[guest as usize].name);
                    track_artists.push(guest);
                } else if year.as_str() < "1995" && rng.random_bool(0.15) {
                    name = format!("{name} - Remastered {}", rng.random_range(2005..=2024));
                } else if rng.random_bool(0.03) {
                    name = format!("{name} - Live");
                }
                let idx = tracks.len() as u32;
                album_tracks.push(idx);
                tracks.push(Track {
                    id: base62_id(&mut rng),
                    name,
                    album: album_idx,
                    artists: track_artists,
                    duration_ms: rng.random_range(95_000..420_000),
                    explicit: rng.random_bool(0.15),
                    disc_number: (t / per_disc + 1) as u8,
                    track_number: (t % per_disc + 1) as u16,
                    isrc: isrc(&mut rng, &year),
                    popularity: rng.random_range(0..=100),
                });
            }
            let genres = artists[main_artist as usize].genres.clone();
            albums.push(Album {
                id: base62_id(&mut rng),
                name: names::album(&mut rng),
                album_type,
                artists: if album_type == AlbumType::Compilation {
                    Vec::new()
                } else {
                    album_artists
                },
                tracks: album_tracks,
                release,
                upc: digits(&mut rng, 12),
                label: names::label(&mut rng),
                popularity: rng.random_range(0..=100),
                genres,
            });
        }
        // Compilations are credited to "Various Artists", as Spotify does.
        let various = artists.len() as u32;
        let mut artists = artists;
        artists.push(Artist {
            id: base62_id(&mut rng),
            name: "Various Artists".into(),
            genres: Vec::new(),
            popularity: 0,
            followers: 0,
        });
        for album in &mut albums {
            if album.artists.is_empty() {
                album.artists.push(various);
            }
        }

        let (shows, episodes) = gen_shows(&mut rng);
        let (audiobooks, chapters) = gen_audiobooks(&mut rng);

        let mut catalog = Catalog {
            artists,
            albums,
            tracks,
            shows,
            episodes,
            audiobooks,
            chapters,
            users,
            playlists: Vec::new(),
            libraries: HashMap::new(),
            index: Index::default(),
            next_uid: 1,
        };
        catalog.gen_playlists(&mut rng, sizes.playlists);
        catalog.gen_libraries(&mut rng, sizes);
        // Its own generator, so the rest of the world is what the seed gave before these existed.
        catalog.gen_spotify_owned(&mut ChaCha8Rng::seed_from_u64(sizes.seed ^ 0x0ed1_70a1));
        catalog.reindex();
        catalog
    }

    /// Spotify's own playlists: two editorial ones and an algorithmic one ("made for" the demo
    /// user), owned by [`SPOTIFY_USER`], with ids of the `37i9dQZF1...` shape Spotify gives them.
    /// The demo user follows the first and the last, after the playlists of its own list.
    fn gen_spotify_owned(&mut self, rng: &mut ChaCha8Rng) {
        let owner = self.users.len() as u32;
        self.users.push(User {
            id: SPOTIFY_USER.into(),
            display_name: "Spotify".into(),
            email: String::new(),
            country: "SE",
            product: "premium",
            followers: 0,
        });
        let mut owned = Vec::new();
        for (name, description) in [
            (
                "Today's Top Hits",
                "The hottest 50. Cover: the artist of the week.",
            ),
            (
                "Chill Vibes",
                "Kick back to the best new and recent chill hits.",
            ),
            (
                "Discover Weekly",
                "Your weekly mixtape of fresh music. Enjoy new music and deep cuts picked for you. Updates every Monday.",
            ),
        ] {
            let id: String = format!("37i9dQZF1{}", &base62_id(rng)[..13]);
            let entries = (0..50)
                .map(|_| {
                    self.next_uid += 1;
                    PlaylistEntry {
                        uid: self.next_uid,
                        item: ItemRef::Track(rng.random_range(0..self.tracks.len()) as u32),
                        added_at: EPOCH - rng.random_range(0..7) * 86_400,
                        added_by: owner,
                    }
                })
                .collect();
            owned.push(self.playlists.len() as u32);
            self.playlists.push(Playlist {
                id,
                name: name.into(),
                description: description.into(),
                owner,
                public: true,
                collaborative: false,
                collaborators: Vec::new(),
                followers: rng.random_range(100_000..30_000_000),
                entries,
                version: 1,
                has_image: true,
                history: Vec::new(),
                uploaded_image: None,
            });
        }
        self.next_uid += 1;
        if let Some(demo) = self.libraries.get_mut(&0) {
            demo.playlists.extend([owned[0], owned[2]]);
        }
        self.libraries.insert(
            owner,
            Library {
                playlists: owned,
                ..Library::default()
            },
        );
    }

    /// Whether a playlist is one of Spotify's own (editorial or algorithmic), which
    /// Development-Mode apps may not read (Spotify, November 2024).
    pub fn spotify_owned(&self, playlist: u32) -> bool {
        let p = &self.playlists[playlist as usize];
        self.users[p.owner as usize].id == SPOTIFY_USER
    }

    /// Rebuilds the id lookups (after generation or after creating things).
    pub fn reindex(&mut self) {
        self.index = Index {
            artists: index_of(&self.artists, |a| &a.id),
            albums: index_of(&self.albums, |a| &a.id),
            tracks: index_of(&self.tracks, |t| &t.id),
            shows: index_of(&self.shows, |s| &s.id),
            episodes: index_of(&self.episodes, |e| &e.id),
            audiobooks: index_of(&self.audiobooks, |a| &a.id),
            chapters: index_of(&self.chapters, |c| &c.id),
            users: index_of(&self.users, |u| &u.id),
            playlists: index_of(&self.playlists, |p| &p.id),
        };
    }

    fn random_item(&self, rng: &mut impl Rng, episodes: bool, locals: bool) -> ItemRef {
        let roll = rng.random_range(0..100);
        if episodes && roll < 6 && !self.episodes.is_empty() {
            ItemRef::Episode(rng.random_range(0..self.episodes.len()) as u32)
        } else if locals && roll >= 97 {
            ItemRef::Local {
                artist: names::artist(rng),
                album: names::album(rng),
                title: names::title(rng),
                duration_ms: rng.random_range(120_000..360_000),
            }
        } else {
            ItemRef::Track(rng.random_range(0..self.tracks.len()) as u32)
        }
    }

    fn gen_playlists(&mut self, rng: &mut ChaCha8Rng, count: usize) {
        const THEMES: &[&str] = &[
            "Road Trip",
            "Focus",
            "Sunday Morning",
            "Gym",
            "Rainy Days",
            "Party",
            "Late Night Drive",
            "Dinner Jazz",
            "Throwbacks",
            "Discover Later",
            "Summer '26",
            "Chill",
            "Running",
            "Sleep",
            "Kitchen Disco",
            "Study Beats",
        ];
        let demo = 0u32;
        let mut playlists = Vec::new();
        let mut next_uid = 0u64;
        // The demo user's own and followed playlists, then a few the demo user does not follow.
        for i in 0..count + 3 {
            let followed_by_demo = i < count;
            let owner = if !followed_by_demo || (i % 4 == 3) {
                rng.random_range(1..self.users.len()) as u32
            } else {
                demo
            };
            let collaborative = followed_by_demo && i % 6 == 5 && owner != demo;
            let size = match i {
                1 => 1_000 + rng.random_range(50..300),
                2 => 0,
                _ => rng.random_range(0..=300),
            };
            let theme = THEMES[i % THEMES.len()];
            let name = if i >= THEMES.len() {
                format!("{theme} {}", i / THEMES.len() + 1)
            } else {
                theme.to_owned()
            };
            let episodes = i % 5 == 4;
            let locals = i % 3 == 0;
            let mut contributors = vec![owner];
            if collaborative {
                contributors.push(demo);
                contributors.push(rng.random_range(1..self.users.len()) as u32);
            }
            let start = EPOCH - rng.random_range(30..1_500) * 86_400;
            let mut at = start;
            let entries = (0..size)
                .map(|_| {
                    at += rng.random_range(30..86_400);
                    next_uid += 1;
                    PlaylistEntry {
                        uid: next_uid,
                        item: self.random_item(rng, episodes, locals),
                        added_at: at,
                        added_by: contributors[rng.random_range(0..contributors.len())],
                    }
                })
                .collect();
            playlists.push(Playlist {
                id: base62_id(rng),
                name,
                description: if i % 2 == 0 {
                    format!(
                        "Songs for {} — curated with care, updated weekly.",
                        theme.to_lowercase()
                    )
                } else {
                    String::new()
                },
                owner,
                public: !collaborative && i % 5 != 1,
                collaborative,
                collaborators: if collaborative {
                    contributors[1..].to_vec()
                } else {
                    Vec::new()
                },
                followers: rng.random_range(0..20_000),
                entries,
                version: 1,
                has_image: size > 0,
                history: Vec::new(),
                uploaded_image: None,
            });
        }
        self.playlists = playlists;
        self.next_uid = next_uid + 1;
    }

    fn gen_libraries(&mut self, rng: &mut ChaCha8Rng, sizes: &Sizes) {
        let demo = 0u32;
        let mut lib = Library::default();

        // Liked songs: distinct tracks, newest first, a few minutes to days apart.
        let mut order: Vec<u32> = (0..self.tracks.len() as u32).collect();
        let liked = sizes.liked.min(order.len());
        let (picked, _) = order.partial_shuffle(rng, liked);
        let mut at = EPOCH - rng.random_range(0..86_400);
        lib.tracks = picked
            .iter()
            .map(|&idx| {
                let saved = Saved { idx, added_at: at };
                at -= rng.random_range(60..86_400 * 2);
                saved
            })
            .collect();

        let mut album_order: Vec<u32> = (0..self.albums.len() as u32).collect();
        let n_albums = sizes.albums.min(album_order.len());
        let (picked, _) = album_order.partial_shuffle(rng, n_albums);
        lib.albums = newest_first(rng, picked);

        let shows: Vec<u32> = (0..self.shows.len() as u32).step_by(2).collect();
        lib.shows = newest_first(rng, &shows);
        let episodes: Vec<u32> = (0..self.episodes.len() as u32).step_by(7).collect();
        lib.episodes = newest_first(rng, &episodes);
        let books: Vec<u32> = (0..self.audiobooks.len() as u32).step_by(2).collect();
        lib.audiobooks = newest_first(rng, &books);

        let mut artist_order: Vec<u32> = (0..self.artists.len() as u32 - 1).collect();
        let n_followed = 30.min(artist_order.len());
        let (picked, _) = artist_order.partial_shuffle(rng, n_followed);
        // Followed artists are cursor-paged in id order, like Spotify's `after` cursor.
        let mut followed = picked.to_vec();
        followed.sort_by(|a, b| {
            self.artists[*a as usize]
                .id
                .cmp(&self.artists[*b as usize].id)
        });
        lib.artists = followed;
        lib.users = vec![1, 2];

        lib.playlists = (0..sizes.playlists as u32).collect();
        lib.top_tracks = lib.tracks.iter().take(50).map(|s| s.idx).collect();
        let mut top_artists: Vec<u32> = Vec::new();
        for t in &lib.top_tracks {
            let a = self.tracks[*t as usize].artists[0];
            if !top_artists.contains(&a) {
                top_artists.push(a);
            }
        }
        lib.top_artists = top_artists;
        let mut played = EPOCH - 600;
        lib.recently_played = (0..50)
            .map(|_| {
                let saved = Saved {
                    idx: rng.random_range(0..self.tracks.len()) as u32,
                    added_at: played,
                };
                played -= rng.random_range(150..1_800);
                saved
            })
            .collect();
        self.libraries.insert(demo, lib);
        // The other users' libraries: their own playlists, nothing else.
        for u in 1..self.users.len() as u32 {
            let playlists = (0..self.playlists.len() as u32)
                .filter(|p| self.playlists[*p as usize].owner == u)
                .collect();
            self.libraries.insert(
                u,
                Library {
                    playlists,
                    ..Library::default()
                },
            );
        }
    }

    /// The index of a user id.
    pub fn user_idx(&self, id: &str) -> Option<u32> {
        self.index.users.get(id).copied()
    }
}

fn newest_first(rng: &mut impl Rng, items: &[u32]) -> Vec<Saved> {
    let mut at = EPOCH - rng.random_range(0..86_400 * 3);
    items
        .iter()
        .map(|&idx| {
            let saved = Saved { idx, added_at: at };
            at -= rng.random_range(3_600..86_400 * 20);
            saved
        })
        .collect()
}

fn gen_users(rng: &mut impl Rng) -> Vec<User> {
    let mut users = vec![User {
        id: DEMO_USER.into(),
        display_name: "Demo Listener".into(),
        email: "demo@example.com".into(),
        country: "SE",
        product: "premium",
        followers: 12,
    }];
    const HANDLES: &[&str] = &[
        "mixtape_mara",
        "dj.kofi",
        "lena-s",
        "bergstrom",
        "nightowl77",
        "curator_jp",
        "paulo.r",
        "wavelength",
    ];
    for (i, handle) in HANDLES.iter().enumerate() {
        let markets = names::markets();
        users.push(User {
            id: (*handle).to_owned(),
            display_name: names::artist(rng),
            email: format!("{}@example.com", handle.replace('.', "_")),
            country: markets[i % markets.len()],
            product: if i % 3 == 0 { "free" } else { "premium" },
            followers: rng.random_range(0..50_000),
        });
    }
    users
}

fn gen_shows(rng: &mut impl Rng) -> (Vec<Show>, Vec<Episode>) {
    let mut shows = Vec::new();
    let mut episodes = Vec::new();
    for s in 0..6u32 {
        let (name, publisher) = names::show(rng);
        let n = rng.random_range(5..=30);
        let mut date = EPOCH - rng.random_range(0..30) * 86_400;
        let mut list = Vec::new();
        for e in (1..=n).rev() {
            list.push(episodes.len() as u32);
            episodes.push(Episode {
                id: base62_id(rng),
                name: format!("#{e}: {}", names::title(rng)),
                show: s,
                duration_ms: rng.random_range(900_000..5_400_000),
                release_date: date_string(date),
                explicit: rng.random_bool(0.1),
            });
            date -= 7 * 86_400;
        }
        shows.push(Show {
            id: base62_id(rng),
            name,
            publisher,
            episodes: list,
            explicit: s % 3 == 0,
        });
    }
    (shows, episodes)
}

fn gen_audiobooks(rng: &mut impl Rng) -> (Vec<Audiobook>, Vec<Chapter>) {
    let mut books = Vec::new();
    let mut chapters = Vec::new();
    for b in 0..4u32 {
        let n = rng.random_range(8..=24);
        let list = (0..n)
            .map(|c| {
                chapters.push(Chapter {
                    id: base62_id(rng),
                    name: format!("Chapter {}", c + 1),
                    audiobook: b,
                    number: c,
                    duration_ms: rng.random_range(600_000..2_400_000),
                });
                chapters.len() as u32 - 1
            })
            .collect();
        books.push(Audiobook {
            id: base62_id(rng),
            name: names::book(rng),
            author: names::artist(rng),
            narrator: names::artist(rng),
            publisher: format!("{} House", names::label(rng)),
            chapters: list,
        });
    }
    (books, chapters)
}

/// A stable opaque hex string derived from `s` (for pseudonymous ids).
pub fn base62_like(s: &str) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(s.as_bytes());
    digest.iter().take(12).fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Spotify-style snapshot id of a playlist version: opaque, changes with every edit, and
/// carries the version so a stale one can be recognised.
pub fn snapshot(playlist_id: &str, version: u64) -> String {
    use base64::Engine as _;
    let tag = base62_like(&format!("{playlist_id}:{version}"));
    base64::engine::general_purpose::STANDARD.encode(format!("{version},{tag}"))
}

/// The version a snapshot id was made from, if it is one of ours.
pub fn snapshot_version(snapshot_id: &str) -> Option<u64> {
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(snapshot_id)
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    text.split_once(',')?.0.parse().ok()
}

/// `YYYY-MM-DD` of a Unix time.
pub fn date_string(unix: i64) -> String {
    let dt =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}",
        dt.year(),
        u8::from(dt.month()),
        dt.day()
    )
}

/// ISO-8601 UTC timestamp (`2026-11-01T12:00:00Z`) of a Unix time, as Spotify writes `added_at`.
pub fn timestamp(unix: i64) -> String {
    let dt =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(seed: u64) -> Sizes {
        Sizes {
            seed,
            liked: 250,
            playlists: 12,
            albums: 40,
        }
    }

    #[test]
    fn same_seed_same_world_other_seed_other_world() {
        let a = Catalog::generate(&sizes(1));
        let b = Catalog::generate(&sizes(1));
        let c = Catalog::generate(&sizes(2));
        assert_eq!(a.tracks[10].id, b.tracks[10].id);
        assert_eq!(a.playlists[1].entries.len(), b.playlists[1].entries.len());
        assert_ne!(a.tracks[10].id, c.tracks[10].id);
    }

    #[test]
    fn default_library_has_the_documented_shape() {
        let cat = Catalog::generate(&sizes(7));
        let lib = &cat.libraries[&0];
        assert_eq!(lib.tracks.len(), 250);
        assert_eq!(lib.albums.len(), 40);
        // The 12 asked for, then the two Spotify-owned playlists the demo user follows.
        assert_eq!(lib.playlists.len(), 14);
        assert_eq!(
            lib.playlists
                .iter()
                .filter(|p| cat.spotify_owned(**p))
                .count(),
            2
        );
        let sizes: Vec<usize> = lib
            .playlists
            .iter()
            .map(|p| cat.playlists[*p as usize].entries.len())
            .collect();
        assert!(
            sizes.iter().any(|n| *n > 1000),
            "one playlist has more than 1000 items: {sizes:?}"
        );
        assert!(
            sizes.contains(&0),
            "an empty playlist is part of a real library"
        );
        let all = || {
            lib.playlists
                .iter()
                .flat_map(|p| &cat.playlists[*p as usize].entries)
        };
        assert!(all().any(|e| matches!(e.item, ItemRef::Local { .. })));
        assert!(all().any(|e| matches!(e.item, ItemRef::Episode(_))));
        assert!(
            lib.playlists
                .iter()
                .any(|p| cat.playlists[*p as usize].owner != 0)
        );
        // Liked songs are distinct and newest first.
        let mut ids: Vec<u32> = lib.tracks.iter().map(|s| s.idx).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 250);
        assert!(lib.tracks.windows(2).all(|w| w[0].added_at > w[1].added_at));
    }

    #[test]
    fn ids_isrcs_and_dates_look_like_spotifys() {
        let cat = Catalog::generate(&sizes(3));
        assert!(cat.tracks.iter().all(|t| is_base62_id(&t.id)));
        assert!(cat.tracks.iter().all(|t| t.isrc.len() == 12));
        let precisions: std::collections::HashSet<_> =
            cat.albums.iter().map(|a| a.release.precision).collect();
        assert_eq!(
            precisions.len(),
            3,
            "all three release-date precisions occur"
        );
        assert_eq!(timestamp(EPOCH), "2026-11-01T00:00:00Z");
    }
}
