// Spotify's official TypeScript SDK (@spotify/web-api-ts-sdk 1.2.0), unmodified, through its read
// API against the spotkit sandbox (`--mode extended`). Run by scripts/peer-check:
//
//   node scripts/peer-node/peer_check.mjs SANDBOX_URL NODE_MODULES_PARENT
//
// The SDK has Spotify's hosts built in. Its documented `fetch` option (SdkOptions.fetch) carries
// the Web API calls, and its token refresh calls the global `fetch`: both get a fetch that sends
// `https://api.spotify.com/...` and `https://accounts.spotify.com/...` to the sandbox instead, as
// a hosts-file entry would. The SDK's code is not touched.
//
// Every call is checked against the sandbox's own data: counts against `/_sandbox/catalog`,
// values against the same resource read directly with the same token, and the resources against
// each other.
import { createRequire } from "node:module";
import path from "node:path";

const [base, modules] = process.argv.slice(2);
if (!base || !modules) {
  console.error("usage: node peer_check.mjs SANDBOX_URL NODE_MODULES_PARENT");
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(modules), "package.json"));
const { SpotifyApi } = require("@spotify/web-api-ts-sdk");

const realFetch = globalThis.fetch;
const seen = { api: 0, accounts: 0 };
const toSandbox = (req, init) => {
  let url = typeof req === "string" ? req : req instanceof URL ? req.href : req.url;
  for (const [host, kind] of [["https://api.spotify.com/", "api"], ["https://accounts.spotify.com/", "accounts"]]) {
    if (url.startsWith(host)) {
      seen[kind] += 1;
      url = `${base}/${url.slice(host.length)}`;
    }
  }
  return realFetch(url, init);
};
globalThis.fetch = toSandbox;

const SCOPES = [
  "user-read-private", "user-read-email", "user-library-read", "user-follow-read", "user-top-read",
  "playlist-read-private", "playlist-read-collaborative", "user-read-playback-state",
  "user-read-currently-playing", "user-read-recently-played",
];

async function getJson(url, token) {
  const r = await realFetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!r.ok) throw new Error(`GET ${url}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
}

const catalog = (await getJson(`${base}/_sandbox/catalog`)).users.demo;
const issued = await (await realFetch(`${base}/_sandbox/token`, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  // A PKCE login's token (rotating refresh token), as the SDK's own login flow would leave it.
  body: JSON.stringify({ scopes: SCOPES, pkce: true }),
})).json();
// Already expired: the SDK must refresh it through the (redirected) accounts service first.
const sdk = SpotifyApi.withAccessToken("spotkit-demo", { ...issued, expires: Date.now() - 1000 }, { fetch: toSandbox });

const checks = [];
const failures = [];
const shown = (v) => {
  const s = JSON.stringify(v) ?? "undefined";
  return s.length > 80 ? `${s.slice(0, 80)}...` : s;
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
function check(what, got, want) {
  checks.push(what);
  const ok = same(got, want);
  console.log(`peer-check: ${what}: the SDK saw ${shown(got)}, sandbox has ${shown(want)} [${ok ? "ok" : "MISMATCH"}]`);
  if (!ok) failures.push(what);
}
async function raw(pathAndQuery) {
  const token = (await sdk.getAccessToken()).access_token;
  return getJson(`${base}/v1/${pathAndQuery}`, token);
}
// Pages through a paging object with the SDK call `page(limit, offset)`.
async function all(page, limit = 50) {
  const items = [];
  for (let offset = 0; ; offset += limit) {
    const p = await page(limit, offset);
    items.push(...p.items);
    if (!p.next) return items;
  }
}
const ids = (items, inner) => items.map((i) => (inner ? i[inner] : i).id);

// -- current user --
const me = await sdk.currentUser.profile();
check("token refreshed through /api/token", [seen.accounts, (await sdk.getAccessToken()).access_token !== issued.access_token], [1, true]);
check("current user", me, await raw("me"));

// -- the library --
const liked = await all((l, o) => sdk.currentUser.tracks.savedTracks(l, o));
check("liked songs", liked.length, catalog.liked);
check("distinct liked songs", new Set(ids(liked, "track")).size, catalog.liked);
check("first page of liked songs", await sdk.currentUser.tracks.savedTracks(50, 0), await raw("me/tracks?limit=50&offset=0"));
const sample = ids(liked.slice(0, 20), "track");
check("liked songs contain the first 20", await sdk.currentUser.tracks.hasSavedTracks(sample), sample.map(() => true));
const albums = await all((l, o) => sdk.currentUser.albums.savedAlbums(l, o));
check("saved albums", albums.length, catalog.albums);
const shows = await all((l, o) => sdk.currentUser.shows.savedShows(l, o));
check("saved shows", shows.length, catalog.shows);
const episodes = await all((l, o) => sdk.currentUser.episodes.savedEpisodes(undefined, l, o));
check("saved episodes", episodes.length, catalog.episodes);
const followed = [];
for (let after; ;) {
  const page = (await sdk.currentUser.followedArtists(after, 50)).artists;
  followed.push(...page.items);
  if (!page.next) break;
  after = page.cursors.after;
}
check("followed artists", followed.length, catalog.followed_artists);

// -- playlists and their items --
const playlists = await all((l, o) => sdk.currentUser.playlists.playlists(l, o));
check("playlist ids in order", ids(playlists), catalog.playlists.map((p) => p.id));
for (const want of catalog.playlists) {
  const got = await sdk.playlists.getPlaylist(want.id);
  check(`playlist ${want.id} name, owner, size`, [got.name, got.owner.id, got.tracks.total], [want.name, want.owner, want.items]);
}
const biggest = catalog.playlists.reduce((a, b) => (b.items > a.items ? b : a));
const items = await all((l, o) => sdk.playlists.getPlaylistItems(biggest.id, undefined, undefined, l, o));
check(`items of the biggest playlist (${biggest.name})`, items.length, biggest.items);
check("first page of its items", await sdk.playlists.getPlaylistItems(biggest.id, undefined, undefined, 50, 0),
  await raw(`playlists/${biggest.id}/tracks?limit=50&offset=0`));

// -- catalogue reads: the first liked song, its album and artist --
const saved = liked[0].track;
const track = await sdk.tracks.get(saved.id);
check("track by id", track, await raw(`tracks/${saved.id}`));
check("track by id is the saved one", [track.id, track.name, track.album.id], [saved.id, saved.name, saved.album.id]);
check("several tracks", ids(await sdk.tracks.get(sample)), sample);
const album = await sdk.albums.get(saved.album.id);
check("album by id", album, await raw(`albums/${album.id}`));
const albumTracks = await all((l, o) => sdk.albums.tracks(album.id, undefined, l, o));
check("album tracks", albumTracks.length, album.total_tracks);
check("album lists the track", ids(albumTracks).includes(saved.id), true);
const artistId = saved.artists[0].id;
const artist = await sdk.artists.get(artistId);
check("artist by id", artist, await raw(`artists/${artistId}`));
check("artist name as on the track", artist.name, saved.artists[0].name);

// -- search --
const found = await sdk.search(saved.name, ["track"], undefined, 50, 0);
check("search page", found, await raw(`search?q=${encodeURIComponent(saved.name)}&type=track&limit=50&offset=0`));
check("search finds the liked song by its name", ids(found.tracks.items).includes(saved.id), true);

// -- player reads (compared field by field: progress moves with the clock) --
const devices = await sdk.player.getAvailableDevices();
check("devices", devices, await raw("me/player/devices"));
const state = await sdk.player.getPlaybackState();
const rawState = await raw("me/player");
const brief = (s) => (s ? [s.is_playing, s.device?.id, s.context?.uri, s.item?.uri] : null);
check("playback state", brief(state), brief(rawState));
const now = await sdk.player.getCurrentlyPlayingTrack();
check("currently playing", now?.item?.uri ?? null, (await raw("me/player/currently-playing"))?.item?.uri ?? null);
check("queue", await sdk.player.getUsersQueue(), await raw("me/player/queue"));
check("recently played", await sdk.player.getRecentlyPlayedTracks(50), await raw("me/player/recently-played?limit=50"));

console.log(`peer-check: web-api-ts-sdk: ${checks.length - failures.length} passed, ${failures.length} failed`);
if (failures.length) {
  console.log(`peer-check: FAILED: ${failures.join(", ")}`);
  process.exit(1);
}
