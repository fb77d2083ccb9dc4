"""spotipy 2.26.0 against the spotkit sandbox: every count must match the catalogue."""
import json
import sys
import time
import urllib.request

import spotipy
import spotipy.oauth2
from spotipy.cache_handler import MemoryCacheHandler

base = sys.argv[1]
SCOPE = "user-library-read playlist-read-private playlist-read-collaborative"


def post_json(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def get_json(url):
    with urllib.request.urlopen(url) as r:
        return json.load(r)


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


def all_items(page):
    items = list(page["items"])
    while page["next"]:
        page = sp.next(page)
        items.extend(page["items"])
    return items


failures = []
checks = []


def check(what, got, want):
    checks.append(what)
    status = "ok" if got == want else "MISMATCH"
    print(f"peer-check: {what}: spotipy saw {got}, catalogue has {want} [{status}]")
    if got != want:
        failures.append(what)


liked = all_items(sp.current_user_saved_tracks(limit=50))
check("liked songs", len(liked), catalog["liked"])
check("distinct liked songs", len({i["track"]["id"] for i in liked}), catalog["liked"])

playlists = all_items(sp.current_user_playlists(limit=50))
check("playlists", len(playlists), len(catalog["playlists"]))

biggest = max(catalog["playlists"], key=lambda p: p["items"])
items = all_items(sp.playlist_items(biggest["id"]))  # spotipy 2.26 pages /items by 50
check(f"items of the biggest playlist ({biggest['name']})", len(items), biggest["items"])
check("its local tracks parse", all(("track" in i) for i in items), True)

refreshed = auth.cache_handler.get_cached_token()
check("token refreshed through /api/token", refreshed["access_token"] != token["access_token"], True)

print(f"peer-check: {len(checks) - len(failures)} passed, {len(failures)} failed")
if failures:
    print(f"peer-check: FAILED: {', '.join(failures)}")
    sys.exit(1)
