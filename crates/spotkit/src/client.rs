//! [`Spotify`], the client, and [`SpotifyBuilder`], its settings.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::api;
use crate::auth::{Auth, OAuth};
use crate::error::{Error, Result};
use crate::http::ratelimit::Governor;
use crate::http::transport::Transport;
use crate::http::{RateLimit, RetryPolicy};
use crate::token::refresh::{Renewal, TokenManager};
use crate::token::{ClientSecret, Token, TokenStore};

/// Spotify's Web API.
pub const DEFAULT_API_BASE: &str = "https://api.spotify.com/v1/";
/// Spotify's accounts service.
pub const DEFAULT_ACCOUNTS_BASE: &str = "https://accounts.spotify.com/";

/// Which path serves a playlist's entries.
///
/// Development-Mode apps (since February 2026) must use `/playlists/{id}/items` and get 403 on
/// `/tracks`; Extended-Quota apps keep `/tracks`. `Auto` tries `/items` first, falls back to
/// `/tracks` on 403/404 (`/items` answers only for playlists the user owns or collaborates on;
/// Extended-Quota apps read the others through `/tracks`), and once `/tracks` has worked uses it
/// first for the rest of the client's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PlaylistItemsEndpoint {
    /// Try `/items`, fall back to `/tracks`.
    #[default]
    Auto,
    /// Always `/playlists/{id}/items`.
    Items,
    /// Always `/playlists/{id}/tracks`.
    Tracks,
}

impl PlaylistItemsEndpoint {
    fn to_u8(self) -> u8 {
        match self {
            PlaylistItemsEndpoint::Auto => 0,
            PlaylistItemsEndpoint::Items => 1,
            PlaylistItemsEndpoint::Tracks => 2,
        }
    }
    fn from_u8(v: u8) -> Self {
        match v {
            1 => PlaylistItemsEndpoint::Items,
            2 => PlaylistItemsEndpoint::Tracks,
            _ => PlaylistItemsEndpoint::Auto,
        }
    }
}

/// An async client of the Spotify Web API. Cheap to clone; clones share the connection pool,
/// the token (and its single-flight refresh) and the rate governor.
///
/// Requests are grouped by API area, octocrab style: `spotify.tracks().saved().all().await`.
#[derive(Clone)]
pub struct Spotify {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Arc<Transport>,
    concurrency: usize,
    playlist_items: AtomicU8,
}

impl std::fmt::Debug for Spotify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spotify")
            .field("api_base", &self.inner.transport.api_base.as_str())
            .field("profile", &self.inner.transport.tokens.profile())
            .field("concurrency", &self.inner.concurrency)
            .finish_non_exhaustive()
    }
}

impl Spotify {
    /// Starts configuring a client.
    pub fn builder() -> SpotifyBuilder {
        SpotifyBuilder::default()
    }

    pub(crate) fn transport(&self) -> &Arc<Transport> {
        &self.inner.transport
    }

    pub(crate) fn tokens(&self) -> &TokenManager {
        &self.inner.transport.tokens
    }

    /// How many pages `.stream()`/`.all()` fetch at once by default.
    pub fn concurrency(&self) -> usize {
        self.inner.concurrency
    }

    /// The Web API base URL (ends with `/`).
    pub fn api_base(&self) -> &Url {
        &self.inner.transport.api_base
    }

    pub(crate) fn playlist_items_endpoint(&self) -> PlaylistItemsEndpoint {
        PlaylistItemsEndpoint::from_u8(self.inner.playlist_items.load(Ordering::Relaxed))
    }

    pub(crate) fn remember_playlist_items_endpoint(&self, endpoint: PlaylistItemsEndpoint) {
        // Only an `Auto` setting learns; an explicit choice stays.
        let _ = self.inner.playlist_items.compare_exchange(
            PlaylistItemsEndpoint::Auto.to_u8(),
            endpoint.to_u8(),
            Ordering::Relaxed,
            Ordering::Relaxed,
        );
    }

    /// Logging in and token management.
    pub fn auth(&self) -> Auth<'_> {
        Auth::new(self)
    }

    /// Albums: one album and its tracks, and the user's saved albums; for Extended-Quota apps
    /// also several albums at once, saving, removing and checking saved albums, and new releases.
    pub fn albums(&self) -> api::albums::AlbumsHandler<'_> {
        api::albums::AlbumsHandler::new(self)
    }

    /// Artists: one artist and their albums, singles, compilations and appearances; for
    /// Extended-Quota apps also several artists at once, an artist's top tracks and related
    /// artists.
    pub fn artists(&self) -> api::artists::ArtistsHandler<'_> {
        api::artists::ArtistsHandler::new(self)
    }

    /// Audiobooks: one audiobook and its chapters, and the user's saved audiobooks; for
    /// Extended-Quota apps also several at once, saving, removing and checking saved audiobooks.
    pub fn audiobooks(&self) -> api::audiobooks::AudiobooksHandler<'_> {
        api::audiobooks::AudiobooksHandler::new(self)
    }

    /// Categories: Spotify's browse categories, the list and one by id (Extended-Quota apps
    /// only; a category's playlists are on [`Spotify::playlists`]).
    pub fn categories(&self) -> api::categories::CategoriesHandler<'_> {
        api::categories::CategoriesHandler::new(self)
    }

    /// Chapters: one audiobook chapter; for Extended-Quota apps also several at once.
    pub fn chapters(&self) -> api::chapters::ChaptersHandler<'_> {
        api::chapters::ChaptersHandler::new(self)
    }

    /// Genres: the genre names recommendations accept as seeds (Extended-Quota apps only).
    pub fn genres(&self) -> api::genres::GenresHandler<'_> {
        api::genres::GenresHandler::new(self)
    }

    /// Library: save, remove and check any item by URI (`/me/library`): tracks, albums, shows,
    /// episodes and audiobooks, and follows of artists, users and playlists.
    pub fn library(&self) -> api::library::LibraryHandler<'_> {
        api::library::LibraryHandler::new(self)
    }

    /// Markets: the countries Spotify is available in (Extended-Quota apps only).
    pub fn markets(&self) -> api::markets::MarketsHandler<'_> {
        api::markets::MarketsHandler::new(self)
    }

    /// Episodes: one podcast episode and the user's saved episodes; for Extended-Quota apps also
    /// several at once, saving, removing and checking saved episodes.
    pub fn episodes(&self) -> api::episodes::EpisodesHandler<'_> {
        api::episodes::EpisodesHandler::new(self)
    }

    /// Player: Spotify Connect playback: the playback state, what is playing, the devices,
    /// transfer to a device, play/pause/next/previous/seek, repeat, shuffle and volume, the
    /// queue (read and add), and the recently played tracks.
    pub fn player(&self) -> api::player::PlayerHandler<'_> {
        api::player::PlayerHandler::new(self)
    }

    /// Playlists: one playlist and its entries, the user's playlists, creating a playlist,
    /// changing its details, adding, moving, replacing and removing entries (chunked), and its
    /// cover image (read and upload); for Extended-Quota apps also the old `/tracks` paths,
    /// other users' playlists, featured and category playlists.
    pub fn playlists(&self) -> api::playlists::PlaylistsHandler<'_> {
        api::playlists::PlaylistsHandler::new(self)
    }

    /// Search: the catalog's albums, artists, playlists, tracks, shows, episodes and
    /// audiobooks by query.
    pub fn search(&self) -> api::search::SearchHandler<'_> {
        api::search::SearchHandler::new(self)
    }

    /// Shows: one podcast show and its episodes, and the user's saved shows; for Extended-Quota
    /// apps also several at once, saving, removing and checking saved shows.
    pub fn shows(&self) -> api::shows::ShowsHandler<'_> {
        api::shows::ShowsHandler::new(self)
    }

    /// Tracks: one track and the user's saved ("liked") tracks; for Extended-Quota apps also
    /// several tracks at once, saving, removing and checking saved tracks, audio features and
    /// analysis, and recommendations.
    pub fn tracks(&self) -> api::tracks::TracksHandler<'_> {
        api::tracks::TracksHandler::new(self)
    }

    /// Users: the current user's profile, followed artists, top artists and top tracks; for
    /// Extended-Quota apps also other users' profiles, following and unfollowing artists, users
    /// and playlists, and checking follows.
    pub fn users(&self) -> api::users::UsersHandler<'_> {
        api::users::UsersHandler::new(self)
    }

    /// GETs any Web API path (relative to the API base, e.g. `"me/tracks"`) with a query
    /// serialized from `query` and decodes the JSON body, with all of spotkit's token, retry and
    /// error handling. For endpoints without a handler yet.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &(impl Serialize + ?Sized),
    ) -> Result<T> {
        let url = api::url_with_query(self, path, query)?;
        self.transport().get_json(url).await
    }
}

/// Settings of a [`Spotify`] client.
///
/// ```no_run
/// # fn demo() -> spotkit::Result<()> {
/// use spotkit::{Spotify, token::FileStore};
/// let spotify = Spotify::builder()
///     .pkce("my-client-id")
///     .token_store(FileStore::new()?, "default")
///     .concurrency(8)
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use]
pub struct SpotifyBuilder {
    api_base: String,
    accounts_base: String,
    app: Option<App>,
    token: Option<Token>,
    store: Option<Arc<dyn TokenStore>>,
    profile: String,
    retry: RetryPolicy,
    concurrency: usize,
    rate_limit: Option<RateLimit>,
    refresh_skew: Duration,
    timeout: Duration,
    connect_timeout: Duration,
    playlist_items: PlaylistItemsEndpoint,
    http: Option<reqwest::Client>,
}

#[derive(Debug)]
struct App {
    client_id: String,
    grant: AppGrant,
}

/// How the app gets its tokens: one variant per builder method, so that combinations such as
/// Client Credentials without a secret, or with a PKCE challenge, cannot be written.
#[derive(Debug)]
enum AppGrant {
    /// Authorization Code with PKCE and no secret (a public client).
    Pkce,
    /// Authorization Code with the client secret, plus PKCE S256 when `pkce`.
    AuthorizationCode { secret: ClientSecret, pkce: bool },
    /// App-only tokens, no user.
    ClientCredentials { secret: ClientSecret },
}

impl Default for SpotifyBuilder {
    fn default() -> Self {
        SpotifyBuilder {
            api_base: DEFAULT_API_BASE.into(),
            accounts_base: DEFAULT_ACCOUNTS_BASE.into(),
            app: None,
            token: None,
            store: None,
            profile: "default".into(),
            retry: RetryPolicy::default(),
            concurrency: 10,
            rate_limit: None,
            refresh_skew: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            playlist_items: PlaylistItemsEndpoint::Auto,
            http: None,
        }
    }
}

impl SpotifyBuilder {
    /// The Web API base URL (default `https://api.spotify.com/v1/`), e.g. a sandbox's `/v1`.
    pub fn api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base = url.into();
        self
    }

    /// The accounts service base URL (default `https://accounts.spotify.com/`).
    pub fn accounts_base_url(mut self, url: impl Into<String>) -> Self {
        self.accounts_base = url.into();
        self
    }

    /// A public client using Authorization Code with PKCE (no secret; refresh tokens rotate).
    pub fn pkce(mut self, client_id: impl Into<String>) -> Self {
        self.app = Some(App {
            client_id: client_id.into(),
            grant: AppGrant::Pkce,
        });
        self
    }

    /// A confidential client using Authorization Code with its client secret.
    pub fn authorization_code(
        mut self,
        client_id: impl Into<String>,
        secret: ClientSecret,
    ) -> Self {
        self.app = Some(App {
            client_id: client_id.into(),
            grant: AppGrant::AuthorizationCode {
                secret,
                pkce: false,
            },
        });
        self
    }

    /// A confidential client using Authorization Code with its client secret *and* PKCE S256,
    /// as RFC 9700 recommends for server-side apps: a stolen code is useless without the
    /// verifier. Refresh works as for [`SpotifyBuilder::authorization_code`].
    pub fn authorization_code_pkce(
        mut self,
        client_id: impl Into<String>,
        secret: ClientSecret,
    ) -> Self {
        self.app = Some(App {
            client_id: client_id.into(),
            grant: AppGrant::AuthorizationCode { secret, pkce: true },
        });
        self
    }

    /// An app without a user (Client Credentials); tokens are fetched and renewed automatically.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        secret: ClientSecret,
    ) -> Self {
        self.app = Some(App {
            client_id: client_id.into(),
            grant: AppGrant::ClientCredentials { secret },
        });
        self
    }

    /// A token to start with (otherwise it is loaded from the token store). Without an app
    /// (`pkce`, `authorization_code`, `client_credentials`) it cannot be renewed.
    pub fn token(mut self, token: Token) -> Self {
        self.token = Some(token);
        self
    }

    /// Where tokens are loaded from and saved to, and under which profile name.
    pub fn token_store(
        mut self,
        store: impl TokenStore + 'static,
        profile: impl Into<String>,
    ) -> Self {
        self.store = Some(Arc::new(store));
        self.profile = profile.into();
        self
    }

    /// Like [`SpotifyBuilder::token_store`] for a store that is shared with other code.
    pub fn shared_token_store(
        mut self,
        store: Arc<dyn TokenStore>,
        profile: impl Into<String>,
    ) -> Self {
        self.store = Some(store);
        self.profile = profile.into();
        self
    }

    /// Retry behaviour (default: 5 attempts, 60 s `Retry-After` cap).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Pages fetched at once by `.stream()`/`.all()` (default 10; 1 = one after another).
    ///
    /// Spotify limits requests per rolling 30 s, not requests in flight: more at once ends a
    /// long read sooner without spending more of the limit (a 429 is waited out either way).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Paces requests client-side (off by default).
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.rate_limit = limit;
        self
    }

    /// Renew tokens this long before they expire (default 60 s).
    pub fn refresh_skew(mut self, skew: Duration) -> Self {
        self.refresh_skew = skew;
        self
    }

    /// Total time allowed for one HTTP attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Which playlist entries path to use (default: `Auto`).
    pub fn playlist_items_endpoint(mut self, endpoint: PlaylistItemsEndpoint) -> Self {
        self.playlist_items = endpoint;
        self
    }

    /// Uses this reqwest client instead of building one (it should not follow redirects).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client. Fails on an unusable URL or profile name; never touches the network.
    pub fn build(self) -> Result<Spotify> {
        let api_base = base_url(&self.api_base, "API")?;
        let accounts_base = base_url(&self.accounts_base, "accounts")?;
        crate::token::validate_profile(&self.profile)?;
        let http = match self.http {
            Some(h) => h,
            None => crate::http::client_builder()?
                // The bearer token must not follow a redirect anywhere.
                .redirect(reqwest::redirect::Policy::none())
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .pool_idle_timeout(Duration::from_secs(60))
                .user_agent(concat!("spotkit/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let renewal = match self.app {
            None => Renewal::None,
            Some(App { client_id, grant }) => {
                let oauth = |secret, pkce| {
                    OAuth::new(
                        client_id,
                        secret,
                        pkce,
                        &accounts_base,
                        http.clone(),
                        self.retry.clone(),
                    )
                    .map(Arc::new)
                };
                match grant {
                    AppGrant::Pkce => Renewal::Refresh(oauth(None, true)?),
                    AppGrant::AuthorizationCode { secret, pkce } => {
                        Renewal::Refresh(oauth(Some(secret), pkce)?)
                    }
                    AppGrant::ClientCredentials { secret } => {
                        Renewal::ClientCredentials(oauth(Some(secret), false)?)
                    }
                }
            }
        };
        let tokens = TokenManager::new(
            renewal,
            self.store,
            self.profile,
            self.refresh_skew,
            self.token,
        );
        let transport = Transport {
            http,
            api_base,
            policy: self.retry,
            governor: self.rate_limit.map(Governor::new),
            tokens,
        };
        Ok(Spotify {
            inner: Arc::new(Inner {
                transport: Arc::new(transport),
                concurrency: self.concurrency,
                playlist_items: AtomicU8::new(self.playlist_items.to_u8()),
            }),
        })
    }
}

/// Parses a base URL and makes sure it ends with `/`, so relative joins append to its path.
fn base_url(s: &str, what: &str) -> Result<Url> {
    let mut url = Url::parse(s)
        .map_err(|e| Error::Config(format!("the {what} base URL {s:?} is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(Error::Config(format!(
            "the {what} base URL {s:?} must be an http(s) URL"
        )));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_get_a_trailing_slash() {
        assert_eq!(
            base_url("http://127.0.0.1:9/v1", "API").unwrap().as_str(),
            "http://127.0.0.1:9/v1/"
        );
        assert_eq!(
            base_url("https://api.spotify.com/v1/", "API")
                .unwrap()
                .as_str(),
            "https://api.spotify.com/v1/"
        );
        assert_eq!(
            base_url("http://127.0.0.1:9", "API").unwrap().as_str(),
            "http://127.0.0.1:9/"
        );
        assert!(base_url("ftp://x/", "API").is_err());
        assert!(base_url("nope", "API").is_err());
    }

    #[tokio::test]
    async fn builder_defaults_and_links() {
        let s = Spotify::builder()
            .api_base_url("http://127.0.0.1:9/v1")
            .build()
            .unwrap();
        assert_eq!(s.concurrency(), 10);
        let t = s.transport();
        assert_eq!(
            t.endpoint("me/tracks").unwrap().as_str(),
            "http://127.0.0.1:9/v1/me/tracks"
        );
        assert!(
            t.check_link("http://127.0.0.1:9/v1/me/tracks?offset=50")
                .is_ok()
        );
        assert!(matches!(
            t.check_link("http://evil.example/v1/me/tracks"),
            Err(Error::Config(_))
        ));
        assert!(t.check_link("http://127.0.0.1:10/v1/me/tracks").is_err());
        assert!(t.check_link("http://127.0.0.1:9/other").is_err());
        assert!(
            Spotify::builder()
                .token_store(crate::token::MemoryStore::new(), "../x")
                .build()
                .is_err()
        );
        // No token and no app: a request says to log in, without touching the network.
        let err = s.users().me().await.unwrap_err();
        assert!(
            matches!(err, Error::ReauthorizationRequired { .. }),
            "{err:?}"
        );
    }

    #[test]
    fn each_grant_gets_its_renewal_secret_and_pkce() {
        use crate::auth::RedirectUri;
        let redirect = RedirectUri::new("http://127.0.0.1:1/callback").unwrap();
        let secret = || ClientSecret::new("s3cr3t");
        let cases = [
            (Spotify::builder().pkce("id"), false, true),
            (
                Spotify::builder().authorization_code("id", secret()),
                true,
                false,
            ),
            (
                Spotify::builder().authorization_code_pkce("id", secret()),
                true,
                true,
            ),
        ];
        for (builder, has_secret, pkce) in cases {
            let s = builder.build().unwrap();
            let Renewal::Refresh(oauth) = s.tokens().renewal() else {
                panic!("a user grant renews by refresh")
            };
            assert_eq!(oauth.has_secret(), has_secret);
            let url = s
                .auth()
                .authorize_url(&redirect, &[])
                .unwrap()
                .url()
                .clone();
            let challenged = url.query_pairs().any(|(k, _)| k == "code_challenge");
            assert_eq!(challenged, pkce, "{url}");
        }
        let app = Spotify::builder()
            .client_credentials("id", secret())
            .build()
            .unwrap();
        let Renewal::ClientCredentials(oauth) = app.tokens().renewal() else {
            panic!("an app-only grant renews by client credentials")
        };
        assert!(oauth.has_secret());
        assert!(app.auth().authorize_url(&redirect, &[]).is_err());
    }

    #[test]
    fn playlist_endpoint_learning() {
        let s = Spotify::builder().build().unwrap();
        assert_eq!(s.playlist_items_endpoint(), PlaylistItemsEndpoint::Auto);
        s.remember_playlist_items_endpoint(PlaylistItemsEndpoint::Tracks);
        assert_eq!(s.playlist_items_endpoint(), PlaylistItemsEndpoint::Tracks);
        s.remember_playlist_items_endpoint(PlaylistItemsEndpoint::Items);
        assert_eq!(s.playlist_items_endpoint(), PlaylistItemsEndpoint::Tracks);
        let fixed = Spotify::builder()
            .playlist_items_endpoint(PlaylistItemsEndpoint::Items)
            .build()
            .unwrap();
        fixed.remember_playlist_items_endpoint(PlaylistItemsEndpoint::Tracks);
        assert_eq!(
            fixed.playlist_items_endpoint(),
            PlaylistItemsEndpoint::Items
        );
    }
}
