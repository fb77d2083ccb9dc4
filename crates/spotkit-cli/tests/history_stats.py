#!/usr/bin/env python3
"""An independent computation of `spotkit history stats --json`, for tests/history.rs.

Reads the same streaming-history files (JSON files, folders, zips) with Python's json module and
prints the figures in the shape spotkit prints them, following the definitions in docs/history.md:
one play per (family, end time, ms played, URI or names); an account-data play that an extended
play holds too (same minute, ms played, kind and names) counts once, as the extended play; UTC.

    history_stats.py [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--top N] INPUT...
"""

import argparse
import collections
import datetime as dt
import json
import math
import os
import sys
import zipfile

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def is_history(name):
    low = os.path.basename(name).lower()
    return low.endswith(".json") and (
        low.startswith("streaminghistory") or low.startswith("streaming_history") or low.startswith("endsong")
    )


def documents(path):
    if os.path.isdir(path):
        for root, _, files in os.walk(path):
            for f in files:
                if is_history(f) and not f.startswith("."):
                    with open(os.path.join(root, f), "rb") as fh:
                        yield json.load(fh)
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                if not n.endswith("/") and is_history(n) and not n.startswith("__MACOSX/"):
                    yield json.loads(z.read(n))
    else:
        with open(path, "rb") as fh:
            yield json.load(fh)


def text(v):
    return v if isinstance(v, str) and v.strip() else None


def epoch(s, fmt):
    return int(dt.datetime.strptime(s, fmt).replace(tzinfo=dt.timezone.utc).timestamp())


def play_of(e):
    """(family, ts, ms, kind, name, creator, collection, uri, skipped)."""
    if "ts" in e:
        ts = epoch(e["ts"], "%Y-%m-%dT%H:%M:%SZ")
        if text(e.get("master_metadata_track_name")):
            item = (0, e["master_metadata_track_name"], e.get("master_metadata_album_artist_name") or "",
                    e.get("master_metadata_album_album_name") or "", e.get("spotify_track_uri") or "")
        elif text(e.get("episode_name")):
            item = (1, e["episode_name"], e.get("episode_show_name") or "", "", e.get("spotify_episode_uri") or "")
        elif text(e.get("audiobook_title")):
            item = (2, e.get("audiobook_chapter_title") or "", e["audiobook_title"], "",
                    text(e.get("audiobook_chapter_uri")) or e.get("audiobook_uri") or "")
        else:
            uri = text(e.get("spotify_track_uri")) or text(e.get("spotify_episode_uri")) or text(e.get("audiobook_chapter_uri")) or ""
            item = (3, "", "", "", uri)
        return (1, ts, e["ms_played"]) + item + (e.get("skipped"),)
    ts = epoch(e["endTime"], "%Y-%m-%d %H:%M")
    if "trackName" in e and e["trackName"] is not None:
        item = (0, e["trackName"], e.get("artistName") or "", "", "")
    elif e.get("episodeName") is not None:
        item = (1, e["episodeName"], e.get("podcastName") or "", "", "")
    else:
        item = (2, e.get("chapterName") or "", e.get("audiobookName") or "", e.get("authorName") or "", "")
    return (0, ts, e["msPlayed"]) + item + (None,)


def identity(p):
    fam, ts, ms, kind, name, creator, _, uri, _ = p
    return (fam, ts, ms) + ((kind, uri) if uri else (kind, name, creator))


def moment(p):
    return (p[1] // 60, p[2], p[3], p[4], p[5])


def load(inputs):
    plays = {}
    for path in inputs:
        for doc in documents(path):
            for e in doc:
                p = play_of(e)
                plays.setdefault(identity(p), p)
    extended = {moment(p) for p in plays.values() if p[0] == 1}
    return [p for p in plays.values() if p[0] == 1 or moment(p) not in extended]


def r(x, digits):
    f = 10**digits
    return math.floor(x * f + 0.5) / f


def day_str(day):
    return (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat()


def rank(groups, top, with_artist):
    def entry(k, v):
        name, artist = (k if with_artist else (k, None))
        out = {"name": name}
        if artist is not None:
            out["artist"] = artist
        out["plays"] = v[0]
        out["ms_played"] = v[1]
        return out

    key_name = lambda kv: kv[0] if with_artist else (kv[0], "")  # noqa: E731
    by_time = sorted(groups.items(), key=lambda kv: (-kv[1][1], -kv[1][0], key_name(kv)))[:top]
    by_plays = sorted(groups.items(), key=lambda kv: (-kv[1][0], -kv[1][1], key_name(kv)))[:top]
    return {"by_time": [entry(k, v) for k, v in by_time], "by_plays": [entry(k, v) for k, v in by_plays]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="frm")
    ap.add_argument("--to")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("inputs", nargs="+")
    a = ap.parse_args()
    lo = epoch(a.frm, "%Y-%m-%d") if a.frm else None
    hi = epoch(a.to, "%Y-%m-%d") + 86400 if a.to else None
    plays = [p for p in load(a.inputs) if (lo is None or p[1] >= lo) and (hi is None or p[1] < hi)]

    kinds = ["track", "episode", "audiobook", "unknown"]
    plays_by_kind = dict.fromkeys(kinds, 0)
    ms_by_kind = dict.fromkeys(kinds, 0)
    tracks, artists, albums, shows = (collections.defaultdict(lambda: [0, 0]) for _ in range(4))
    hw_plays = [[0] * 24 for _ in range(7)]
    hw_ms = [[0] * 24 for _ in range(7)]
    months = collections.defaultdict(lambda: [0, 0])
    days = set()
    skipped = known = short = 0
    for fam, ts, ms, kind, name, creator, coll, uri, sk in plays:
        plays_by_kind[kinds[kind]] += 1
        ms_by_kind[kinds[kind]] += ms
        def add(g, k):
            g[k][0] += 1
            g[k][1] += ms
        if kind == 0:
            add(tracks, (name, creator))
            if creator:
                add(artists, creator)
            if coll:
                add(albums, (coll, creator))
        elif kind == 1 and creator:
            add(shows, creator)
        t = dt.datetime.fromtimestamp(ts, dt.timezone.utc)
        hw_plays[t.weekday()][t.hour] += 1
        hw_ms[t.weekday()][t.hour] += ms
        add(months, t.strftime("%Y-%m"))
        days.add(ts // 86400)
        if sk is not None:
            known += 1
            skipped += int(sk is True)
        if ms < 30000:
            short += 1

    total_ms = sum(p[2] for p in plays)
    longest = None
    run_start = None
    prev = None
    for d in sorted(days) + [None]:
        if prev is not None and (d is None or d != prev + 1):
            if longest is None or prev - run_start > longest[1] - longest[0]:
                longest = (run_start, prev)
            run_start = d
        elif prev is None:
            run_start = d
        prev = d

    def play_out(p):
        if p is None:
            return None
        t = dt.datetime.fromtimestamp(p[1], dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {"time": t, "kind": kinds[p[3]], "name": p[4], "creator": p[5], "ms_played": p[2]}

    order = lambda p: (p[1], p[4], p[5], p[2])  # noqa: E731
    out = {
        "range": {"from": a.frm, "to": a.to},
        "totals": {
            "plays": len(plays),
            "ms_played": total_ms,
            "hours": r(total_ms / 3600000, 1),
            "plays_by_kind": plays_by_kind,
            "ms_by_kind": ms_by_kind,
            "distinct_tracks": len(tracks),
            "distinct_artists": len(artists),
            "distinct_shows": len(shows),
            "days_with_plays": len(days),
        },
        "first_play": play_out(min(plays, key=order) if plays else None),
        "last_play": play_out(max(plays, key=order) if plays else None),
        "top_tracks": rank(tracks, a.top, True),
        "top_artists": rank(artists, a.top, False),
        "top_albums": rank(albums, a.top, True),
        "top_shows": rank(shows, a.top, False),
        "skips": {"skipped": skipped, "known": known, "rate": r(skipped / known, 3) if known else None,
                  "short_plays": short},
        "by_month": [{"month": m, "plays": v[0], "ms_played": v[1]} for m, v in sorted(months.items())],
        "hour_weekday": {"weekdays": WEEKDAYS, "plays": hw_plays, "ms_played": hw_ms},
        "streaks": {"longest": None if longest is None else {
            "days": longest[1] - longest[0] + 1, "from": day_str(longest[0]), "to": day_str(longest[1])}},
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
