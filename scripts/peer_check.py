"""spotipy 2.26.0 through its read API against the spotkit sandbox (`--mode extended`).

Every call is checked against the sandbox's own data: counts against its catalogue
(`/_sandbox/catalog`), values against the same resource read directly over HTTP with the same
token, and the resources against each other (the track read by id is the saved one, its album
lists it, search finds it). spotipy is used unmodified; only its documented knobs are set (the
token URL, the API prefix, no retries).
"""
import json
import sys
import time
import urllib.parse
import urllib.request

import spotipy
import spotipy.oauth2
from spotipy.cache_handler import MemoryCacheHandler

base = sys.argv[1]
SCOPE = (
    "user-read-private user-read-email user-library-read user-follow-read user-top-read "
    "playlist-read-private playlist-read-collaborative user-read-playback-state "
    "user-read-currently-playing user-read-recently-played user-modify-playback-state"
)


def post_json(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def get_json(url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
        return json.load(r) if r.status != 204 else None


catalog = get_json(f"{base}/_sandbox/catalog")["users"]["demo"]
token = post_json(f"{base}/_sandbox/token", {"scopes": SCOPE.split()})
# An already expired token: spotipy must refresh it through the sandbox's accounts service first.
token["expires_at"] = int(time.time()) - 10

spotipy.oauth2.SpotifyOAuth.OAUTH_TOKEN_URL = f"{base}/api/token"
auth = spotipy.oauth2.SpotifyOAuth(
    client_id="spotkit-demo",
    client_secret="spotkit-demo-secret",
    redirect_uri="http://127.0.0.1:8888/callback",
    scope=SCOPE,
    cache_handler=MemoryCacheHandler(token_info=token),
    open_browser=False,
)
sp = spotipy.Spotify(auth_manager=auth, retries=0)
sp.prefix = f"{base}/v1/"

failures = []
checks = []


def check(what, got, want):
    checks.append(what)
    ok = got == want
    shown = lambda v: (repr(v)[:80] + "...") if len(repr(v)) > 80 else repr(v)  # noqa: E731
    print(f"peer-check: {what}: spotipy saw {shown(got)}, sandbox has {shown(want)} [{'ok' if ok else 'MISMATCH'}]")
    if not ok:
        failures.append(what)


def raw(path, **query):
    """The sandbox's own answer to `GET /v1/{path}`, with spotipy's current token."""
    q = f"?{urllib.parse.urlencode(query)}" if query else ""
    return get_json(f"{base}/v1/{path}{q}", auth.get_cached_token()["access_token"])


def all_items(page, key=None):
    page = page[key] if key else page
    items = list(page["items"])
    while page["next"]:
        page = sp.next(page)
        page = page[key] if key else page
        items.extend(page["items"])
    return items


def ids(items, inner=None):
    return [(i[inner] if inner else i)["id"] for i in items]


# -- current user (spotipy sends GET /v1/me/, with the trailing slash) --
me = sp.current_user()
check("token refreshed through /api/token", auth.cache_handler.get_cached_token()["access_token"] != token["access_token"], True)
check("current user", me, raw("me"))
check("current user id", me["id"], "demo")
check("user profile by id", sp.user("demo")["id"], raw("users/demo")["id"])

# -- the library --
liked = all_items(sp.current_user_saved_tracks(limit=50))
check("liked songs", len(liked), catalog["liked"])
check("distinct liked songs", len(set(ids(liked, "track"))), catalog["liked"])
check("first page of liked songs", sp.current_user_saved_tracks(limit=50), raw("me/tracks", limit=50))
sample = ids(liked[:20], "track")
check("liked songs contain the first 20", sp.current_user_saved_tracks_contains(sample), [True] * len(sample))

albums = all_items(sp.current_user_saved_albums(limit=50))
check("saved albums", len(albums), catalog["albums"])
check("first page of saved albums", sp.current_user_saved_albums(limit=50), raw("me/albums", limit=50))
if albums:
    some = ids(albums[:20], "album")
    check("saved albums contain the first 20", sp.current_user_saved_albums_contains(some), [True] * len(some))

shows = all_items(sp.current_user_saved_shows(limit=50))
check("saved shows", len(shows), catalog["shows"])
check("first page of saved shows", sp.current_user_saved_shows(limit=50), raw("me/shows", limit=50))
if shows:
    some = ids(shows[:20], "show")
    check("saved shows contain the first 20", sp.current_user_saved_shows_contains(some), [True] * len(some))

episodes = all_items(sp.current_user_saved_episodes(limit=50))
check("saved episodes", len(episodes), catalog["episodes"])

followed = all_items(sp.current_user_followed_artists(limit=50), key="artists")
check("followed artists", len(followed), catalog["followed_artists"])
if followed:
    some = ids(followed[:20])
    check("following the first 20 artists", sp.current_user_following_artists(some), [True] * len(some))

check("top artists", sp.current_user_top_artists(limit=20), raw("me/top/artists", limit=20, offset=0, time_range="medium_term"))
check("top tracks", sp.current_user_top_tracks(limit=20), raw("me/top/tracks", limit=20, offset=0, time_range="medium_term"))

# -- playlists and their items --
playlists = all_items(sp.current_user_playlists(limit=50))
check("playlists", len(playlists), len(catalog["playlists"]))
check("playlist ids in order", ids(playlists), [p["id"] for p in catalog["playlists"]])
check("playlists of user demo", ids(all_items(sp.user_playlists("demo"))), ids(playlists))
for want in catalog["playlists"]:
    got = sp.playlist(want["id"])
    check(f"playlist {want['id']} name, owner, size", (got["name"], got["owner"]["id"], got["tracks"]["total"]),
          (want["name"], want["owner"], want["items"]))

biggest = max(catalog["playlists"], key=lambda p: p["items"])
items = all_items(sp.playlist_items(biggest["id"]))  # spotipy 2.26 pages /items by 50
check(f"items of the biggest playlist ({biggest['name']})", len(items), biggest["items"])
check("its local tracks parse", all(("track" in i) for i in items), True)
check("first page of its items", sp.playlist_items(biggest["id"]), raw(f"playlists/{biggest['id']}/items", limit=50, offset=0, additional_types="track,episode"))
check("its cover image", sp.playlist_cover_image(biggest["id"]), raw(f"playlists/{biggest['id']}/images"))

# -- catalogue reads: the first liked song, its album and artist --
saved = liked[0]["track"]
track = sp.track(saved["id"])
check("track by id is the saved one", (track["id"], track["name"], track["duration_ms"], track["album"]["id"]),
      (saved["id"], saved["name"], saved["duration_ms"], saved["album"]["id"]))
check("track by id", track, raw(f"tracks/{saved['id']}"))
check("several tracks", ids(sp.tracks(sample)["tracks"]), sample)

album = sp.album(saved["album"]["id"])
check("album by id", album, raw(f"albums/{album['id']}"))
album_tracks = all_items(sp.album_tracks(album["id"]))
check("album tracks", len(album_tracks), album["total_tracks"])
check("album lists the track", saved["id"] in ids(album_tracks), True)
check("several albums", ids(sp.albums([album["id"]])["albums"]), [album["id"]])

artist_id = saved["artists"][0]["id"]
artist = sp.artist(artist_id)
check("artist by id", artist, raw(f"artists/{artist_id}"))
check("artist name as on the track", artist["name"], saved["artists"][0]["name"])
check("several artists", ids(sp.artists([artist_id])["artists"]), [artist_id])
artist_albums = all_items(sp.artist_albums(artist_id, limit=50))
check("artist albums", len(artist_albums), raw(f"artists/{artist_id}/albums", limit=1)["total"])
check("artist top tracks", sp.artist_top_tracks(artist_id), raw(f"artists/{artist_id}/top-tracks", country="US"))
check("related artists", sp.artist_related_artists(artist_id), raw(f"artists/{artist_id}/related-artists"))

if shows:
    show = sp.show(shows[0]["show"]["id"])
    check("show by id", show, raw(f"shows/{show['id']}"))
    show_episodes = all_items(sp.show_episodes(show["id"]))
    check("show episodes", len(show_episodes), show["total_episodes"])
    episode = sp.episode(show_episodes[0]["id"])
    check("episode by id", episode, raw(f"episodes/{episode['id']}"))

# -- search --
found = sp.search(q=saved["name"], type="track", limit=50)
check("search page", found, raw("search", q=saved["name"], type="track", limit=50, offset=0))
hits = all_items(found, key="tracks")
check("search finds the liked song by its name", saved["id"] in ids(hits), True)
check("search paging reaches the total", len(hits), found["tracks"]["total"])
several = sp.search(q=artist["name"], type="artist,album", limit=10)
check("search for artist and album", several, raw("search", q=artist["name"], type="artist,album", limit=10, offset=0))
check("search finds the artist", artist_id in ids(several["artists"]["items"]), True)

# -- player reads, idle and then playing the biggest playlist --
check("nothing playing", sp.current_playback(), None)
check("nothing playing now", sp.currently_playing(), None)
devices = sp.devices()["devices"]
check("devices", devices, raw("me/player/devices")["devices"])
sp.start_playback(device_id=devices[0]["id"], context_uri=f"spotify:playlist:{biggest['id']}")
playback = sp.current_playback()
first = items[0]["track"]
check("playback: device, context, item",
      (playback["is_playing"], playback["device"]["id"], playback["context"]["uri"], playback["item"]["uri"]),
      (True, devices[0]["id"], f"spotify:playlist:{biggest['id']}", first["uri"]))
check("currently playing item", sp.currently_playing()["item"]["uri"], first["uri"])
queue = sp.queue()
check("queue: now playing", queue["currently_playing"]["uri"], first["uri"])
check("queue: up next", [q["uri"] for q in queue["queue"]], [i["track"]["uri"] for i in items[1:21]])
recent = sp.current_user_recently_played(limit=50)
check("recently played", recent, raw("me/player/recently-played", limit=50))

print(f"peer-check: spotipy: {len(checks) - len(failures)} passed, {len(failures)} failed")
if failures:
    print(f"peer-check: FAILED: {', '.join(failures)}")
    sys.exit(1)
