"""spotipy 2.26.0 fetching a whole library from the sandbox: the Python peer of scripts/bench.

    python spotipy_client.py --base URL --client-id ID --client-secret S --token FILE \
        liked | playlists | jsonl --out FILE | export --out DIR

Configured the way spotipy documents for another endpoint (as scripts/peer_check.py does):
`SpotifyOAuth.OAUTH_TOKEN_URL` for the accounts service and `Spotify.prefix` for the Web API.
Everything else is spotipy's default (its urllib3 retries, which honour Retry-After), and each
list is read the idiomatic way: the first page, then `sp.next(page)` until `next` is null.
Prints one JSON line: {"client":"spotipy","workload":..,"items":N,"playlists":P,"seconds":S}.
"""
import argparse
import importlib.metadata
import json
import os
import sys
import time

import spotipy
import spotipy.oauth2
from spotipy.cache_handler import MemoryCacheHandler

SCOPE = "user-library-read playlist-read-private playlist-read-collaborative"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--client-id", required=True)
    ap.add_argument("--client-secret", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--out")
    ap.add_argument("workload", choices=["liked", "playlists", "jsonl", "export"])
    args = ap.parse_args()

    with open(args.token) as f:
        token = json.load(f)
    token["expires_at"] = int(time.time()) + int(token.get("expires_in", 3600))
    spotipy.oauth2.SpotifyOAuth.OAUTH_TOKEN_URL = f"{args.base}/api/token"
    auth = spotipy.oauth2.SpotifyOAuth(
        client_id=args.client_id,
        client_secret=args.client_secret,
        redirect_uri="http://127.0.0.1:8888/callback",
        scope=SCOPE,
        cache_handler=MemoryCacheHandler(token_info=token),
        open_browser=False,
    )
    sp = spotipy.Spotify(auth_manager=auth)
    sp.prefix = f"{args.base}/v1/"

    def pages(first):
        page = first
        while True:
            yield page
            if not page["next"]:
                return
            page = sp.next(page)

    started = time.perf_counter()
    playlists = 0
    if args.workload == "liked":
        liked = [i for p in pages(sp.current_user_saved_tracks(limit=50)) for i in p["items"]]
        items = len(liked)
    elif args.workload == "playlists":
        # The user's own playlists: Spotify answers /items only for playlists the user owns or
        # collaborates on, and spotipy 2.26 reads items through /items only.
        me = sp.me()["id"]
        listed = [i for p in pages(sp.current_user_playlists(limit=50)) for i in p["items"]]
        mine = [p for p in listed if p["owner"]["id"] == me]
        playlists = len(mine)
        items = 0
        for pl in mine:
            entries = [i for p in pages(sp.playlist_items(pl["id"], limit=50)) for i in p["items"]]
            items += len(entries)
    elif args.workload == "export":
        # The whole library into a folder, one JSON line per item, as `spotkit export all
        # --format jsonl` writes it: liked songs, every playlist, saved albums and shows.
        def dump(path, first):
            n = 0
            with open(path, "w") as out:
                for p in pages(first):
                    for i in p["items"]:
                        out.write(json.dumps(i))
                        out.write("\n")
                        n += 1
            return n

        os.makedirs(os.path.join(args.out, "playlists"), exist_ok=True)
        items = dump(os.path.join(args.out, "liked.jsonl"), sp.current_user_saved_tracks(limit=50))
        for pl in [i for p in pages(sp.current_user_playlists(limit=50)) for i in p["items"]]:
            try:
                first = sp.playlist_items(pl["id"], limit=50)
            except spotipy.SpotifyException as e:
                # spotipy reads entries through /items only, which Spotify answers only for
                # playlists the user owns or collaborates on (403), and a private playlist of
                # another user is not found (404): both are skipped, as spotkit's export does.
                if e.http_status not in (403, 404):
                    raise
                continue
            items += dump(os.path.join(args.out, "playlists", f"{pl['id']}.jsonl"), first)
            playlists += 1
        items += dump(os.path.join(args.out, "albums.jsonl"), sp.current_user_saved_albums(limit=50))
        items += dump(os.path.join(args.out, "shows.jsonl"), sp.current_user_saved_shows(limit=50))
    else:
        items = 0
        with open(args.out, "w") as out:
            for p in pages(sp.current_user_saved_tracks(limit=50)):
                for i in p["items"]:
                    out.write(json.dumps(i))
                    out.write("\n")
                    items += 1
    seconds = time.perf_counter() - started
    print(json.dumps({
        "client": "spotipy",
        "version": importlib.metadata.version("spotipy"),
        "workload": args.workload,
        "items": items,
        "playlists": playlists,
        "seconds": seconds,
    }))


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a failed run is reported by the exit status; say why on stderr
        print(f"spotipy_client: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
