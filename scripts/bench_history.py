#!/usr/bin/env python3
"""The driver of scripts/bench-history: generates extended streaming history, imports it with
`spotkit history import`, runs `spotkit history stats --json`, and prints the figures as ratios of
the targets. The generated plays are designed (a made-up catalogue), with the field set, value
shapes and file split of Spotify's current Streaming_History_Audio_*.json."""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time

PER_FILE = 20_000
TARGETS = {"import_s": 15.0, "import_rss_mb": 200.0, "stats_s": 1.0}


def b62(rng):
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    return "".join(rng.choice(alphabet) for _ in range(22))


def generate(folder, plays):
    """Files of PER_FILE plays, oldest first, with a catalogue of 30 000 tracks and 400 episodes."""
    rng = random.Random(20)
    artists = [f"Artist {i}" for i in range(4000)]
    tracks = []
    for i in range(30_000):
        artist = rng.choice(artists)
        tracks.append((f"Track {i}", artist, f"Album {i // 12}", "spotify:track:" + b62(rng)))
    episodes = [(f"Episode {i}", f"Show {i % 40}", "spotify:episode:" + b62(rng)) for i in range(400)]
    platforms = ["android", "ios", "windows", "osx", "web_player"]
    reasons_start = ["trackdone", "clickrow", "fwdbtn", "backbtn", "playbtn", "appload"]
    reasons_end = ["trackdone", "endplay", "fwdbtn", "backbtn", "logout", "unexpected-exit"]
    os.makedirs(folder, exist_ok=True)
    ts = 1_420_070_400  # 2015-01-01
    step = (1_767_225_600 - ts) // plays  # spread over eleven years
    for n in range(0, plays, PER_FILE):
        entries = []
        for _ in range(min(PER_FILE, plays - n)):
            ts += rng.randint(1, 2 * step)
            ms = rng.randint(0, 300_000)
            skipped = ms < 30_000
            e = {
                "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts)),
                "platform": rng.choice(platforms),
                "ms_played": ms,
                "conn_country": rng.choice(["DE", "US", "GB", "IN", "BR"]),
                "ip_addr": f"198.51.100.{rng.randint(1, 254)}",
                "master_metadata_track_name": None,
                "master_metadata_album_artist_name": None,
                "master_metadata_album_album_name": None,
                "spotify_track_uri": None,
                "episode_name": None,
                "episode_show_name": None,
                "spotify_episode_uri": None,
                "audiobook_title": None,
                "audiobook_uri": None,
                "audiobook_chapter_uri": None,
                "audiobook_chapter_title": None,
                "reason_start": rng.choice(reasons_start),
                "reason_end": "fwdbtn" if skipped else rng.choice(reasons_end),
                "shuffle": rng.random() < 0.4,
                "skipped": skipped,
                "offline": rng.random() < 0.05,
                "offline_timestamp": ts - ms // 1000,
                "incognito_mode": False,
            }
            if rng.random() < 0.95:
                t = tracks[min(int(rng.paretovariate(1.2)) - 1, len(tracks) - 1) if rng.random() < 0.5 else rng.randrange(len(tracks))]
                e["master_metadata_track_name"], e["master_metadata_album_artist_name"], \
                    e["master_metadata_album_album_name"], e["spotify_track_uri"] = t
            else:
                ep = rng.choice(episodes)
                e["episode_name"], e["episode_show_name"], e["spotify_episode_uri"] = ep
            entries.append(e)
        year = time.gmtime(ts).tm_year
        with open(os.path.join(folder, f"Streaming_History_Audio_{year}_{n // PER_FILE}.json"), "w") as f:
            json.dump(entries, f, indent=2, ensure_ascii=False)
    with open(os.path.join(folder, "COMPLETE"), "w") as f:
        f.write(str(plays))


def timed(cmd):
    """Runs cmd; returns (seconds, peak RSS in MB of this child, user+system CPU seconds, stdout)."""
    start = time.monotonic()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    secs = time.monotonic() - start
    # The largest RSS of any child so far: each measured command runs in its own Python process
    # (`--measure`), so this is that command's peak, and the CPU time is that command's.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return secs, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spotkit", required=True)
    ap.add_argument("--plays", type=int, required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--no-targets", action="store_true")
    ap.add_argument("--measure", choices=["import", "stats"])
    ap.add_argument("--db")
    ap.add_argument("--folder")
    a = ap.parse_args()

    if a.measure:
        # Child mode: one measured command, its figures as JSON on stdout.
        if a.measure == "import":
            cmd = [a.spotkit, "--json", "history", "--db", a.db, "import", a.folder]
        else:
            cmd = [a.spotkit, "--json", "history", "--db", a.db, "stats"]
        secs, rss, cpu, out = timed(cmd)
        json.dump({"seconds": secs, "rss_mb": rss, "cpu_s": cpu, "output": json.loads(out)}, sys.stdout)
        return 0

    folder = os.path.join(a.work, f"plays-{a.plays}")
    if not os.path.exists(os.path.join(folder, "COMPLETE")):
        print(f"bench-history: generating {a.plays} plays in {folder}", flush=True)
        generate(folder, a.plays)
    db = os.path.join(a.work, f"history-{a.plays}.sqlite3")
    for suffix in ("", "-wal", "-shm", ".lock"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)

    def child(what):
        out = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--spotkit", a.spotkit, "--plays", str(a.plays),
             "--work", a.work, "--measure", what, "--db", db, "--folder", folder],
            check=True, capture_output=True, text=True)
        return json.loads(out.stdout)

    imp = child("import")
    again = child("import")
    stats = child("stats")
    failures = []
    if imp["output"]["total_plays"] != a.plays or imp["output"]["read"] != a.plays:
        failures.append(f"imported {imp['output']['total_plays']} of {a.plays} plays")
    if again["output"]["added"] != 0:
        failures.append(f"a re-import added {again['output']['added']}")
    if stats["output"]["totals"]["plays"] != a.plays:
        failures.append(f"stats counted {stats['output']['totals']['plays']} plays")
    figures = {
        "import_s": imp["seconds"],
        # CPU time (user + system): less noisy than wall time on a shared machine.
        "import_cpu_s": imp["cpu_s"],
        "import_rss_mb": imp["rss_mb"],
        "reimport_s": again["seconds"],
        "stats_s": stats["seconds"],
        "stats_rss_mb": stats["rss_mb"],
    }
    size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    print(f"bench-history: {a.plays} plays, {size / 1e6:.0f} MB of JSON, database {os.path.getsize(db) / 1e6:.0f} MB, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for k, v in figures.items():
        target = TARGETS.get(k)
        ratio = f"  ({v / target:.2f} of the {target:g} target)" if target and not a.no_targets else ""
        print(f"  {k:<14} {v:8.2f}{ratio}")
        if target and not a.no_targets and v > target:
            failures.append(f"{k} {v:.2f} over the target {target:g}")
    for f in failures:
        print(f"bench-history: FAILED: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
