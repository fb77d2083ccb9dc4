//! `Player`: Spotify Connect playback — devices, state, commands, the queue and recently played
//! tracks. Commands fail with [`Error::NoActiveDevice`](crate::Error::NoActiveDevice) and
//! [`Error::PremiumRequired`](crate::Error::PremiumRequired) as Spotify reports them.

use futures::Stream;
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use super::request::{NO_BODY, request_builder, send};
use super::{AdditionalTypes, get_builder, stream_cursor, url_with_query};
use crate::Spotify;
use crate::error::{Result, decode_json};
use crate::model::{
    CurrentlyPlaying, CurrentlyPlayingContext, CursorPage, Device, DeviceId, ManyDevices,
    PlayHistory, PlayableUri, Queue, SpotifyUri,
};

/// `spotify.player()`.
#[derive(Debug, Clone, Copy)]
pub struct PlayerHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> PlayerHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        PlayerHandler { spotify }
    }

    /// `GET /me/player/recently-played`: the user's recently played tracks, newest first
    /// (cursor paging; scope `user-read-recently-played`).
    pub fn recently_played(&self) -> RecentlyPlayed<'a> {
        RecentlyPlayed {
            spotify: self.spotify,
            limit: None,
            after: None,
            before: None,
        }
    }
}

/// Builder for `GET /me/player/recently-played`.
#[derive(Debug, Serialize)]
#[must_use = "a builder does nothing until `.send()`, `.stream()`, `.all()` or `.await`"]
pub struct RecentlyPlayed<'a> {
    #[serde(skip)]
    spotify: &'a Spotify,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<i64>,
}

const PATH: &str = "me/player/recently-played";

impl RecentlyPlayed<'_> {
    /// Items per page (1..=50, default 20).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only plays after this Unix time in milliseconds (exclusive with `before`).
    pub fn after(mut self, unix_ms: i64) -> Self {
        self.after = Some(unix_ms);
        self.before = None;
        self
    }

    /// Only plays before this Unix time in milliseconds (exclusive with `after`).
    pub fn before(mut self, unix_ms: i64) -> Self {
        self.before = Some(unix_ms);
        self.after = None;
        self
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<CursorPage<PlayHistory>> {
        let url = url_with_query(self.spotify, PATH, &self)?;
        self.spotify.transport().get_json(url).await
    }

    /// Every play, following the `next` links.
    pub fn stream(self) -> impl Stream<Item = Result<PlayHistory>> + Send + Unpin + 'static {
        stream_cursor(
            self.spotify,
            url_with_query(self.spotify, PATH, &self),
            decode_json::<CursorPage<PlayHistory>>,
        )
    }

    /// Every play, collected.
    pub async fn all(self) -> Result<Vec<PlayHistory>> {
        futures::TryStreamExt::try_collect(self.stream()).await
    }
}

super::into_future!(RecentlyPlayed => CursorPage<PlayHistory>);

/// The repeat mode of `player().repeat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RepeatState {
    /// Repeat the current track.
    Track,
    /// Repeat the current context (album, playlist, ...).
    Context,
    /// No repeat.
    Off,
}

impl<'a> PlayerHandler<'a> {
    /// `GET /me/player`: the playback state, `None` when nothing is playing anywhere (204; scope
    /// `user-read-playback-state`).
    pub fn state(&self) -> PlaybackState<'a> {
        PlaybackState::new(self.spotify, "me/player".into())
    }

    /// `PUT /me/player`: moves playback to `device_id` (scope `user-modify-playback-state`).
    pub fn transfer(&self, device_id: &DeviceId) -> Transfer<'a> {
        Transfer {
            spotify: self.spotify,
            device_id: device_id.id().to_owned(),
            play: None,
        }
    }

    /// `GET /me/player/devices`: the user's available devices (scope `user-read-playback-state`).
    pub fn devices(&self) -> GetDevices<'a> {
        GetDevices {
            spotify: self.spotify,
        }
    }

    /// `GET /me/player/currently-playing`: what is playing, `None` when nothing is (204; scope
    /// `user-read-currently-playing`).
    pub fn currently_playing(&self) -> NowPlaying<'a> {
        NowPlaying::new(self.spotify, "me/player/currently-playing".into())
    }

    /// `PUT /me/player/play`: starts or resumes playback; set a context, URIs, an offset or a
    /// position on the builder (scope `user-modify-playback-state`; Premium only).
    pub fn play(&self) -> Play<'a> {
        Play {
            spotify: self.spotify,
            device_id: None,
            body: PlayBody::default(),
        }
    }

    /// `PUT /me/player/pause`: pauses playback (scope `user-modify-playback-state`; Premium only).
    pub fn pause(&self) -> PlayerCommand<'a> {
        PlayerCommand::new(self.spotify, Method::PUT, "me/player/pause")
    }

    /// `POST /me/player/next`: skips to the next item (scope `user-modify-playback-state`).
    pub fn next(&self) -> PlayerCommand<'a> {
        PlayerCommand::new(self.spotify, Method::POST, "me/player/next")
    }

    /// `POST /me/player/previous`: skips to the previous item (scope
    /// `user-modify-playback-state`).
    pub fn previous(&self) -> PlayerCommand<'a> {
        PlayerCommand::new(self.spotify, Method::POST, "me/player/previous")
    }

    /// `PUT /me/player/seek`: jumps to `position_ms` in the current item (scope
    /// `user-modify-playback-state`).
    pub fn seek(&self, position_ms: u64) -> PlayerCommand<'a> {
        let mut cmd = PlayerCommand::new(self.spotify, Method::PUT, "me/player/seek");
        cmd.query.position_ms = Some(position_ms);
        cmd
    }

    /// `PUT /me/player/repeat`: sets the repeat mode (scope `user-modify-playback-state`).
    pub fn repeat(&self, state: RepeatState) -> PlayerCommand<'a> {
        let mut cmd = PlayerCommand::new(self.spotify, Method::PUT, "me/player/repeat");
        cmd.query.state = Some(CommandState::Repeat(state));
        cmd
    }

    /// `PUT /me/player/volume`: sets the volume, 0..=100 (scope `user-modify-playback-state`).
    pub fn volume(&self, percent: u8) -> PlayerCommand<'a> {
        let mut cmd = PlayerCommand::new(self.spotify, Method::PUT, "me/player/volume");
        cmd.query.volume_percent = Some(percent);
        cmd
    }

    /// `PUT /me/player/shuffle`: turns shuffle on or off (scope `user-modify-playback-state`).
    pub fn shuffle(&self, on: bool) -> PlayerCommand<'a> {
        let mut cmd = PlayerCommand::new(self.spotify, Method::PUT, "me/player/shuffle");
        cmd.query.state = Some(CommandState::Shuffle(on));
        cmd
    }

    /// `GET /me/player/queue`: the current item and the queue (scopes
    /// `user-read-currently-playing`, `user-read-playback-state`).
    pub fn queue(&self) -> GetQueue<'a> {
        GetQueue::new(self.spotify, "me/player/queue".into())
    }

    /// `POST /me/player/queue`: adds a track or episode to the end of the queue (scope
    /// `user-modify-playback-state`).
    pub fn add_to_queue(&self, uri: &PlayableUri) -> PlayerCommand<'a> {
        let mut cmd = PlayerCommand::new(self.spotify, Method::POST, "me/player/queue");
        cmd.query.uri = Some(uri.clone());
        cmd
    }
}

/// Builder for `GET /me/player/devices`.
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct GetDevices<'a> {
    spotify: &'a Spotify,
}

impl GetDevices<'_> {
    /// Fetches the devices (an empty list when Spotify reports none).
    pub async fn send(self) -> Result<Vec<Device>> {
        let url = self.spotify.transport().endpoint("me/player/devices")?;
        let many: ManyDevices = send(self.spotify, Method::GET, url, NO_BODY).await?;
        Ok(many.devices)
    }
}

super::into_future!(GetDevices => Vec<Device>);

get_builder! {
    /// Builder for `GET /me/player/queue`.
    GetQueue => Queue;
}

request_builder! {
    /// Builder for `GET /me/player`.
    PlaybackState => Option<CurrentlyPlayingContext>, GET;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
    /// Item types besides tracks to report (pass `Episode` to see podcasts).
    additional_types: AdditionalTypes,
}

request_builder! {
    /// Builder for `GET /me/player/currently-playing`.
    NowPlaying => Option<CurrentlyPlaying>, GET;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
    /// Item types besides tracks to report (pass `Episode` to see podcasts).
    additional_types: AdditionalTypes,
}

/// The `state` of `repeat` (a mode) or `shuffle` (`true`/`false`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
enum CommandState {
    Repeat(RepeatState),
    Shuffle(bool),
}

/// The query of a player command: its one argument, if any, then `device_id`.
#[derive(Debug, Default, Serialize)]
struct CommandQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    position_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<CommandState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    volume_percent: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<PlayableUri>,
    #[serde(skip_serializing_if = "Option::is_none")]
    device_id: Option<String>,
}

/// Builder for a player command (`pause`, `next`, `seek`, ...): an optional `device_id`, then
/// `.send()` / `.await`.
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct PlayerCommand<'a> {
    spotify: &'a Spotify,
    method: Method,
    path: &'static str,
    query: CommandQuery,
}

impl<'a> PlayerCommand<'a> {
    fn new(spotify: &'a Spotify, method: Method, path: &'static str) -> Self {
        PlayerCommand {
            spotify,
            method,
            path,
            query: CommandQuery::default(),
        }
    }

    /// Act on this device instead of the active one.
    pub fn device_id(mut self, id: &DeviceId) -> Self {
        self.query.device_id = Some(id.id().to_owned());
        self
    }

    fn url(&self) -> Result<url::Url> {
        url_with_query(self.spotify, self.path, &self.query)
    }

    /// Sends the command. Fails with [`Error::NoActiveDevice`](crate::Error::NoActiveDevice)
    /// or [`Error::PremiumRequired`](crate::Error::PremiumRequired) as Spotify says.
    pub async fn send(self) -> Result<()> {
        let url = self.url()?;
        send::<Value, _>(self.spotify, self.method, url, NO_BODY).await?;
        Ok(())
    }
}

super::into_future!(PlayerCommand => ());

/// Builder for `PUT /me/player`.
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct Transfer<'a> {
    spotify: &'a Spotify,
    device_id: String,
    play: Option<bool>,
}

impl Transfer<'_> {
    /// `true`: start playing on the new device; `false` (default): keep the current state.
    pub fn play(mut self, play: bool) -> Self {
        self.play = Some(play);
        self
    }

    /// Transfers playback.
    pub async fn send(self) -> Result<()> {
        let url = self.spotify.transport().endpoint("me/player")?;
        let body = TransferBody {
            device_ids: [&self.device_id],
            play: self.play,
        };
        send::<Value, _>(self.spotify, Method::PUT, url, Some(&body)).await?;
        Ok(())
    }
}

super::into_future!(Transfer => ());

/// The body of `PUT /me/player` (Spotify takes a list but allows one device).
#[derive(Debug, Serialize)]
struct TransferBody<'a> {
    device_ids: [&'a str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    play: Option<bool>,
}

/// The body of `PUT /me/player/play`.
#[derive(Debug, Default, Serialize)]
struct PlayBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    context_uri: Option<SpotifyUri>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uris: Option<Vec<PlayableUri>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<PlayOffset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    position_ms: Option<u64>,
}

/// Where in the context or list playback starts: `{"position": n}` or `{"uri": "..."}`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum PlayOffset {
    Position { position: u32 },
    Uri { uri: PlayableUri },
}

/// `?device_id=...` when one is given.
#[derive(Debug, Serialize)]
struct DeviceQuery<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    device_id: Option<&'a str>,
}

/// Builder for `PUT /me/player/play`.
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct Play<'a> {
    spotify: &'a Spotify,
    device_id: Option<String>,
    body: PlayBody,
}

impl Play<'_> {
    /// Play this album, artist or playlist (`spotify:album:...`).
    pub fn context(mut self, uri: &SpotifyUri) -> Self {
        self.body.context_uri = Some(uri.clone());
        self
    }

    /// Play these tracks or episodes.
    pub fn uris(mut self, uris: &[PlayableUri]) -> Self {
        self.body.uris = Some(uris.to_vec());
        self
    }

    /// Start at this zero-based position in the context or list.
    pub fn offset_position(mut self, position: u32) -> Self {
        self.body.offset = Some(PlayOffset::Position { position });
        self
    }

    /// Start at this item of the context or list.
    pub fn offset_uri(mut self, uri: &PlayableUri) -> Self {
        self.body.offset = Some(PlayOffset::Uri { uri: uri.clone() });
        self
    }

    /// Start this far into the first item.
    pub fn position_ms(mut self, position_ms: u64) -> Self {
        self.body.position_ms = Some(position_ms);
        self
    }

    /// Play on this device instead of the active one.
    pub fn device_id(mut self, id: &DeviceId) -> Self {
        self.device_id = Some(id.id().to_owned());
        self
    }

    /// Starts playback.
    pub async fn send(self) -> Result<()> {
        let query = DeviceQuery {
            device_id: self.device_id.as_deref(),
        };
        let url = url_with_query(self.spotify, "me/player/play", &query)?;
        send::<Value, _>(self.spotify, Method::PUT, url, Some(&self.body)).await?;
        Ok(())
    }
}

super::into_future!(Play => ());

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TRACK: &str = "spotify:track:4iV5W9uYEdYUVa79Axb7Rh";
    const ALBUM: &str = "spotify:album:4aawyAB9vmqN3uQ7FjRGTy";

    #[test]
    fn play_body_is_what_spotify_expects() {
        let spotify = Spotify::builder()
            .api_base_url("http://127.0.0.1:1/v1")
            .build()
            .unwrap();
        let track = PlayableUri::parse(TRACK).unwrap();
        let play = spotify
            .player()
            .play()
            .context(&SpotifyUri::parse(ALBUM).unwrap())
            .offset_uri(&track)
            .position_ms(1500);
        assert_eq!(
            serde_json::to_value(&play.body).unwrap(),
            json!({ "context_uri": ALBUM, "offset": { "uri": TRACK }, "position_ms": 1500 })
        );
        let play = spotify
            .player()
            .play()
            .uris(std::slice::from_ref(&track))
            .offset_position(2);
        assert_eq!(
            serde_json::to_value(&play.body).unwrap(),
            json!({ "uris": [TRACK], "offset": { "position": 2 } })
        );
        assert_eq!(
            serde_json::to_value(PlayBody::default()).unwrap(),
            json!({})
        );
    }

    #[test]
    fn devices_and_queue_are_builders_like_the_rest() {
        fn awaitable<F: std::future::IntoFuture>(_: F) {}
        let spotify = Spotify::builder()
            .api_base_url("http://127.0.0.1:1/v1")
            .build()
            .unwrap();
        let player = spotify.player();
        awaitable(player.devices());
        awaitable(player.queue());
        // Both also have `.send()`, like every other builder.
        drop(player.devices().send());
        drop(player.queue().send());
    }

    #[test]
    fn transfer_body_is_what_spotify_expects() {
        let body = TransferBody {
            device_ids: ["dev"],
            play: None,
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({ "device_ids": ["dev"] })
        );
        let body = TransferBody {
            device_ids: ["dev"],
            play: Some(true),
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({ "device_ids": ["dev"], "play": true })
        );
    }

    #[test]
    fn command_queries_are_serialized_by_serde() {
        let spotify = Spotify::builder()
            .api_base_url("http://127.0.0.1:1/v1")
            .build()
            .unwrap();
        let player = spotify.player();
        let query = |cmd: PlayerCommand<'_>| cmd.url().unwrap().query().map(str::to_owned);
        assert_eq!(query(player.pause()), None);
        assert_eq!(
            query(
                player
                    .repeat(RepeatState::Context)
                    .device_id(&DeviceId::new("d1"))
            )
            .as_deref(),
            Some("state=context&device_id=d1")
        );
        assert_eq!(
            query(player.repeat(RepeatState::Track)).as_deref(),
            Some("state=track")
        );
        assert_eq!(
            query(player.repeat(RepeatState::Off)).as_deref(),
            Some("state=off")
        );
        assert_eq!(query(player.shuffle(true)).as_deref(), Some("state=true"));
        assert_eq!(
            query(player.seek(25_000)).as_deref(),
            Some("position_ms=25000")
        );
        assert_eq!(
            query(player.volume(40)).as_deref(),
            Some("volume_percent=40")
        );
        assert_eq!(
            query(player.add_to_queue(&PlayableUri::parse(TRACK).unwrap())).as_deref(),
            Some("uri=spotify%3Atrack%3A4iV5W9uYEdYUVa79Axb7Rh")
        );
    }
}
