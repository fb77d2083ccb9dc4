"""The benchmark driver behind scripts/bench: spotkit, spotipy and rspotify against one sandbox.

Each workload starts one sandbox process (same seed for every client), then runs every client
`--runs` times in turn. A run is one child process; the driver measures its peak RSS (wait4's
ru_maxrss), takes the wall time the client reports (first request to last item), reads the
requests it made from /_sandbox/stats (reset before each run) and checks its item count against
/_sandbox/catalog: a crash, a timeout or a wrong count is a failed run. Results go to a JSON file,
a Markdown report (docs/benchmarks.md) and, given a chart binary, an SVG chart.

Workload 5 is a large library exported through the `spotkit` CLI (`export all --format jsonl`),
with spotipy's and rspotify's programs writing the same files beside it. Workload 6 is spotkit's
own: the CLI's `export liked --format jsonl` at two library sizes (its own sandbox each), to show
that its peak memory does not grow with the library.

Standard library only: scripts/bench runs it with any python3.
"""
import argparse
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

SCOPES = ["user-library-read", "playlist-read-private", "playlist-read-collaborative"]
CLIENT_SECRET = "bench-secret"
REDIRECT = "http://127.0.0.1:8888/callback"
PAGE = 50
RATE_WINDOW_S = 30


def http_json(url, body=None, method=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method or ("POST" if data is not None else "GET"),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        raw = r.read()
    return json.loads(raw) if raw else None


class Sandbox:
    """One sandbox process; stopped when the workload is done."""

    def __init__(self, binary, flags, clients):
        args = [binary, "--mode", "extended"] + flags
        for cid in clients:
            args += ["--client", f"{cid}:{CLIENT_SECRET}:{REDIRECT}"]
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        if "listening on" not in line:
            self.proc.kill()
            self.log.seek(0)
            raise SystemExit(f"bench: the sandbox did not start ({' '.join(args)}): "
                             f"{self.log.read().decode(errors='replace')[-2000:]}")
        self.url = line.strip().rsplit(" ", 1)[-1]
        self.pid = self.proc.pid

    def catalog(self):
        return http_json(f"{self.url}/_sandbox/catalog")["users"]["demo"]

    def token(self, client_id):
        return http_json(f"{self.url}/_sandbox/token", {"scopes": SCOPES, "client_id": client_id})

    def reset_stats(self):
        req = urllib.request.Request(f"{self.url}/_sandbox/reset-stats", data=b"", method="POST")
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()

    def stats(self):
        return http_json(f"{self.url}/_sandbox/stats")

    def cpu_seconds(self):
        """User + system CPU the sandbox process has used so far (from /proc)."""
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            return None

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def requests_made(stats):
    """Web API and accounts requests (not the control plane), and how many were answered 429."""
    total = limited = 0
    for route, by_status in stats.get("requests", {}).items():
        if " /_sandbox" in route:
            continue
        for status, n in by_status.items():
            total += n
            if str(status) == "429":
                limited += n
    return total, limited


def vm_hwm_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class Usage:
    """What a finished client used: peak RSS (KiB) and CPU seconds."""

    def __init__(self, rusage, hwm_kib):
        self.ru_maxrss = hwm_kib or rusage.ru_maxrss
        self.ru_utime = rusage.ru_utime
        self.ru_stime = rusage.ru_stime


def run_client(cmd, timeout, env=None, report_on_stdout=True):
    """Runs one client process; returns (report or None, rusage, wall s, error)."""
    started = time.perf_counter()
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
    deadline = started + timeout
    status = rusage = None
    # Peak RSS is the process's VmHWM, sampled while it runs: wait4's ru_maxrss would also count
    # the memory of this driver that the child had between fork and exec (Linux keeps the
    # maximum across exec), a floor of ~24 MiB under every client.
    hwm_kib = 0
    while True:
        hwm_kib = max(hwm_kib, vm_hwm_kib(proc.pid))
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, rusage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            return None, Usage(rusage, hwm_kib), wall, f"killed after {timeout} s"
        time.sleep(0.002)
    rusage = Usage(rusage, hwm_kib)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    out.seek(0)
    err.seek(0)
    stdout = out.read().decode(errors="replace")
    stderr = err.read().decode(errors="replace")
    if proc.returncode != 0:
        return None, rusage, wall, (stderr.strip().splitlines() or ["exit %d" % proc.returncode])[-1]
    if not report_on_stdout:
        return {"seconds": wall}, rusage, wall, None
    try:
        report = json.loads(stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None, rusage, wall, f"no report on stdout: {stdout[-300:]!r}"
    return report, rusage, wall, None


def client_cmd(name, bins, sandbox, client_id, token_file, workload, out_file):
    if name == "spotkit":
        cmd = [bins["spotkit"], "--api", f"{sandbox.url}/v1", "--accounts", sandbox.url,
               "--client-id", client_id, "--client-secret", CLIENT_SECRET, "--token", token_file, workload]
    elif name == "spotipy":
        cmd = [bins["python"], bins["spotipy"], "--base", sandbox.url, "--client-id", client_id,
               "--client-secret", CLIENT_SECRET, "--token", token_file, workload]
    else:
        cmd = [bins["rspotify"], "--base", sandbox.url, "--client-id", client_id,
               "--client-secret", CLIENT_SECRET, "--token", token_file, workload]
    if out_file:
        cmd += ["--out", out_file]
    return cmd


def summary(values):
    if not values:
        return None, None, None
    return statistics.median(values), min(values), max(values)


WARM_UP_ID = "bench-warm-up"


def run_record(error, report, wall, rusage, made, limited, items, cpu0, cpu1):
    """What one run of a client measured, as bench/results.json keeps it."""
    return {
        "ok": error is None, "error": error,
        "seconds": report["seconds"] if report else None, "process_seconds": wall,
        "rss_mib": rusage.ru_maxrss / 1024, "client_cpu_s": rusage.ru_utime + rusage.ru_stime,
        "requests": made, "answered_429": limited, "items": items,
        "sandbox_cpu_s": (cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None,
    }


def run_workload(spec, clients, bins, runs, workdir, log):
    ids = [f"bench-{c}-{i}" for c in clients for i in range(runs)] + [WARM_UP_ID]
    sandbox = Sandbox(bins["sandbox"], spec["flags"], ids)
    try:
        cat = sandbox.catalog()
        if spec["workload"] == "playlists":
            # The user's own playlists (Spotify answers /items only for playlists the user owns or
            # collaborates on); one request for the user's id, one for the list, then the pages.
            own = [p for p in cat["playlists"] if p["owner"] == "demo"]
            expected = sum(p["items"] for p in own)
            pages = 2 + sum(max(1, math.ceil(p["items"] / PAGE)) for p in own)
        else:
            expected = cat["liked"]
            pages = math.ceil(expected / PAGE)
        spec["expected_items"] = expected
        spec["pages"] = pages
        results = {c: [] for c in clients}
        # The sandbox renders a list page once and answers later reads of it from its page cache
        # (Spotify's rendering is not on the client's machine): one read first, not counted, so
        # that no client's run pays for the rendering. Not for a rate-limited workload (its
        # 40 pages render in milliseconds) nor one too big for the cache (workload 4).
        if spec["latency_ms"] and not spec.get("rate_limit"):
            token_file = os.path.join(workdir, f"token-{WARM_UP_ID}.json")
            with open(token_file, "w") as f:
                json.dump(sandbox.token(WARM_UP_ID), f)
            run_client(client_cmd("spotkit", bins, sandbox, WARM_UP_ID, token_file, spec["workload"], None),
                       spec["timeout"])
        # Interleave the clients run by run, so a burst of load elsewhere on the machine does not
        # fall on one client only.
        for i in range(runs):
            for c in clients:
                client_id = f"bench-{c}-{i}"
                token_file = os.path.join(workdir, f"token-{client_id}.json")
                with open(token_file, "w") as f:
                    json.dump(sandbox.token(client_id), f)
                out_file = os.path.join(workdir, f"{c}.jsonl") if spec["workload"] == "jsonl" else None
                sandbox.reset_stats()
                cpu0 = sandbox.cpu_seconds()
                report, rusage, wall, error = run_client(
                    client_cmd(c, bins, sandbox, client_id, token_file, spec["workload"], out_file),
                    spec["timeout"])
                cpu1 = sandbox.cpu_seconds()
                made, limited = requests_made(sandbox.stats())
                items = report["items"] if report else None
                if report and items != expected:
                    error = f"got {items} items, the catalogue has {expected}"
                if report and out_file and not error:
                    with open(out_file) as f:
                        lines = sum(1 for line in f if line.strip())
                    if lines != expected:
                        error = f"the JSONL file has {lines} lines, the catalogue has {expected} items"
                if out_file and os.path.exists(out_file):
                    os.remove(out_file)
                run = run_record(error, report, wall, rusage, made, limited, items, cpu0, cpu1)
                results[c].append(run)
                state = "ok" if error is None else f"FAILED: {error}"
                secs = f"{run['seconds']:.3f} s" if run["seconds"] is not None else f"{wall:.1f} s (process)"
                log(f"  {spec['id']}. {c:8} run {i + 1}/{runs}: {secs}, {run['rss_mib']:.1f} MiB, "
                    f"{made} requests ({limited} answered 429), {items} items, CPU client {run['client_cpu_s']:.2f} s "
                    f"sandbox {run['sandbox_cpu_s'] or 0:.2f} s, {state}")
        return results
    finally:
        sandbox.stop()


def cli_env(sandbox, client_id, workdir):
    """The environment of a `spotkit` CLI run logged in to `sandbox` as `client_id` through the
    token file the CLI keeps (written here as the CLI writes it)."""
    config = os.path.join(workdir, f"cli-{client_id}")
    os.makedirs(os.path.join(config, "tokens"), exist_ok=True)
    t = sandbox.token(client_id)
    record = {"version": 1, "access_token": t["access_token"],
              "expires_at": int(time.time()) + int(t.get("expires_in", 3600)),
              "scope": t.get("scope", " ".join(SCOPES))}
    if t.get("refresh_token"):
        record["refresh_token"] = t["refresh_token"]
    token_file = os.path.join(config, "tokens", "default.json")
    with open(os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
        json.dump(record, f)
    env = dict(os.environ, SPOTKIT_CONFIG_DIR=config, SPOTKIT_CLIENT_ID=client_id,
               SPOTKIT_API_BASE=f"{sandbox.url}/v1", SPOTKIT_ACCOUNTS_BASE=sandbox.url)
    env.pop("SPOTKIT_PROFILE", None)
    return env


def count_lines(root):
    """JSON lines in every `.jsonl` file under `root`, and the files under `root/**/playlists/`."""
    lines = playlists = 0
    for here, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".jsonl"):
                continue
            with open(os.path.join(here, name)) as f:
                lines += sum(1 for line in f if line.strip())
            playlists += os.path.basename(here) == "playlists"
    return lines, playlists


def run_cli_export(spec, clients, bins, runs, workdir, log):
    """Workload 5: a whole library exported to a folder of JSONL files. spotkit is its CLI
    (`spotkit --quiet export all --format jsonl --out DIR`); spotipy and rspotify write the same
    files with their `export` programs. The item count of every file is checked against the
    catalogue; a client that reads entries through `/items` only cannot read the playlists the user
    neither owns nor collaborates on, so it is checked against those it can read."""
    ids = [f"bench-{c}-{i}" for c in clients for i in range(runs)]
    sandbox = Sandbox(bins["sandbox"], spec["flags"], ids)
    try:
        cat = sandbox.catalog()
        lists = cat["playlists"]
        base = cat["liked"] + cat["albums"] + cat["shows"]
        # Another user's private playlist is listed but not found (404): every client skips it.
        # `/items` answers only for the user's own and collaborative playlists (403 otherwise).
        visible = [p for p in lists if p["owner"] == "demo" or p["collaborative"] or p["public"]]
        readable = [p for p in lists if p["owner"] == "demo" or p["collaborative"]]
        expected = {"spotkit": (base + sum(p["items"] for p in visible), len(visible))}
        for peer in ("spotipy", "rspotify"):
            expected[peer] = (base + sum(p["items"] for p in readable), len(readable))
        pages_of = lambda n: max(1, math.ceil(n / PAGE))  # noqa: E731
        spec["expected_items"] = expected["spotkit"][0]
        spec["pages"] = (math.ceil(cat["liked"] / PAGE) + pages_of(len(lists))
                         + sum(pages_of(p["items"]) for p in visible)
                         + pages_of(cat["albums"]) + pages_of(cat["shows"]))
        spec["skipped_by_peers"] = (len(visible) - len(readable),
                                    sum(p["items"] for p in visible) - sum(p["items"] for p in readable))
        spec["private_of_others"] = len(lists) - len(visible)
        results = {c: [] for c in clients}
        for i in range(runs):
            for c in clients:
                client_id = f"bench-{c}-{i}"
                out_dir = os.path.join(workdir, f"export-{c}")
                shutil.rmtree(out_dir, ignore_errors=True)
                os.makedirs(out_dir)
                if c == "spotkit":
                    env = cli_env(sandbox, client_id, workdir)
                    cmd = [bins["spotkit_cli"], "--quiet", "export", "all", "--format", "jsonl",
                           "--out", out_dir]
                else:
                    env = None
                    token_file = os.path.join(workdir, f"token-{client_id}.json")
                    with open(token_file, "w") as f:
                        json.dump(sandbox.token(client_id), f)
                    cmd = client_cmd(c, bins, sandbox, client_id, token_file, "export", out_dir)
                sandbox.reset_stats()
                cpu0 = sandbox.cpu_seconds()
                report, rusage, wall, error = run_client(cmd, spec["timeout"], env=env,
                                                         report_on_stdout=c != "spotkit")
                cpu1 = sandbox.cpu_seconds()
                made, limited = requests_made(sandbox.stats())
                lines, files = count_lines(out_dir)
                shutil.rmtree(out_dir, ignore_errors=True)
                want_items, want_files = expected[c]
                if not error and (lines, files) != (want_items, want_files):
                    error = (f"wrote {lines} items in {files} playlist files, the catalogue has "
                             f"{want_items} in {want_files}")
                run = run_record(error, report, wall, rusage, made, limited, lines, cpu0, cpu1)
                results[c].append(run)
                log(f"  {spec['id']}. {c:8} run {i + 1}/{runs}: {wall:.1f} s (process), "
                    f"{run['rss_mib']:.1f} MiB, {made} requests ({limited} answered 429), {lines} items "
                    f"in {files} playlist files, CPU client {run['client_cpu_s']:.2f} s sandbox "
                    f"{run['sandbox_cpu_s'] or 0:.2f} s, {'ok' if error is None else 'FAILED: ' + error}")
        return results
    finally:
        sandbox.stop()


def run_cli_memory(spec, bins, runs, workdir, log):
    """Workload 6: `spotkit export liked --format jsonl --out FILE` (the CLI, logged in through its
    token file) at each library size of `spec["sizes"]`, one sandbox per size. The pseudo-clients
    are named by size; the figure is the CLI process's peak RSS."""
    results = {}
    for size in spec["sizes"]:
        name = "spotkit CLI, " + f"{size:,}".replace(",", " ") + " songs"
        flags = ["--seed", "28", "--liked", str(size)]
        client_ids = [f"bench-cli-{size}-{i}" for i in range(runs)]
        sandbox = Sandbox(bins["sandbox"], flags, client_ids)
        results[name] = []
        try:
            expected = sandbox.catalog()["liked"]
            for i, client_id in enumerate(client_ids):
                env = cli_env(sandbox, client_id, workdir)
                out_file = os.path.join(workdir, "cli.jsonl")
                sandbox.reset_stats()
                report, rusage, wall, error = run_client(
                    [bins["spotkit_cli"], "--quiet", "export", "liked", "--format", "jsonl", "--out", out_file],
                    spec["timeout"], env=env, report_on_stdout=False)
                made, limited = requests_made(sandbox.stats())
                lines = None
                if os.path.exists(out_file):
                    with open(out_file) as f:
                        lines = sum(1 for line in f if line.strip())
                    os.remove(out_file)
                if not error and lines != expected:
                    error = f"the JSONL file has {lines} lines, the catalogue has {expected} items"
                results[name].append({
                    "ok": error is None, "error": error, "seconds": wall, "process_seconds": wall,
                    "rss_mib": rusage.ru_maxrss / 1024, "client_cpu_s": rusage.ru_utime + rusage.ru_stime,
                    "requests": made, "answered_429": limited, "items": lines, "sandbox_cpu_s": None,
                })
                log(f"  {spec['id']}. {name} run {i + 1}/{runs}: {wall:.1f} s, {rusage.ru_maxrss / 1024:.1f} MiB, "
                    f"{made} requests, {lines} lines, {'ok' if error is None else 'FAILED: ' + error}")
        finally:
            sandbox.stop()
    spec["expected_items"] = spec["sizes"][-1]
    spec["pages"] = math.ceil(spec["sizes"][-1] / PAGE)
    return results


def floor_seconds(spec, concurrency):
    latency = spec["latency_ms"] / 1000
    floor = math.ceil(spec["pages"] / concurrency) * latency
    if spec.get("rate_limit"):
        # Request k (from 0) may start at 30 s × floor(k / limit) at the earliest, and answers
        # after `latency`: the last page cannot arrive earlier than this.
        floor = max(floor, RATE_WINDOW_S * ((spec["pages"] - 1) // spec["rate_limit"]) + latency)
    return floor


def aggregate(spec, results, concurrency):
    out = []
    for client, runs in results.items():
        ok = [r for r in runs if r["ok"]]
        metric = "rss_mib" if spec["metric"] == "rss" else "seconds"
        med, lo, hi = summary([r[metric] for r in ok])
        out.append({
            "client": client,
            "runs": len(runs),
            "failures": len(runs) - len(ok),
            "errors": sorted({r["error"] for r in runs if r["error"]}),
            "median": med, "min": lo, "max": hi,
            "seconds": summary([r["seconds"] for r in ok])[0],
            "rss_mib": summary([r["rss_mib"] for r in ok])[0],
            "rss_max_mib": max((r["rss_mib"] for r in runs), default=None),
            "requests": summary([r["requests"] for r in ok])[0],
            "answered_429": summary([r["answered_429"] for r in ok])[0],
            "client_cpu_s": summary([r["client_cpu_s"] for r in ok])[0],
            "sandbox_cpu_s": summary([r["sandbox_cpu_s"] for r in ok if r["sandbox_cpu_s"] is not None])[0],
            "all": runs,
        })
    floor = floor_seconds(spec, concurrency) if spec["metric"] == "seconds" else None
    return {
        "id": spec["id"], "title": spec["title"], "description": spec["description"],
        "workload": spec["workload"], "flags": spec["flags"], "metric": spec["metric"],
        "unit": "MiB" if spec["metric"] == "rss" else "s",
        "expected_items": spec["expected_items"], "pages": spec["pages"],
        "latency_ms": spec["latency_ms"], "rate_limit": spec.get("rate_limit"),
        "floor": floor, "clients": out,
        # What workload 5 found in the catalogue, for its note.
        **{k: spec[k] for k in ("skipped_by_peers", "private_of_others") if k in spec},
    }


def machine():
    mem_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = os.cpu_count()
    return {
        "cores": cores, "memory_gib": round(mem_kib / 1024 / 1024, 1), "cpu": model,
        "kernel": platform.release(), "python": platform.python_version(),
        "summary": f"{cores} cores, {mem_kib / 1024 / 1024:.0f} GiB",
    }


def load_average():
    return list(os.getloadavg())


def fmt_s(v):
    return "–" if v is None else (f"{v:.2f}" if v >= 1 else f"{v:.3f}")


def write_markdown(path, res):
    m = res["machine"]
    v = {"spotkit": "?", "git": "?", "spotipy": "2.26.0", "rspotify": "0.16.1", "rustc": "rustc"} | res["versions"]
    lines = [
        "# Benchmarks",
        "",
        "<!-- Written by scripts/bench; do not edit by hand: rerun `scripts/bench`. -->",
        "",
        "spotkit against the two clients people would otherwise pick, "
        f"[spotipy](https://pypi.org/project/spotipy/) {v['spotipy']} and "
        f"[rspotify](https://crates.io/crates/rspotify) {v['rspotify']}, each fetching the same library "
        "from the same sandbox process (`spotkit-sandbox`, same seed, Extended-Quota mode, which both "
        "peers speak) with its own idiomatic \"get everything\" code and its default settings: "
        "[`crates/spotkit/examples/fetch_library.rs`](../crates/spotkit/examples/fetch_library.rs), "
        "[`bench/spotipy_client.py`](../bench/spotipy_client.py), "
        "[`bench/peers/src/bin/rspotify_client.rs`](../bench/peers/src/bin/rspotify_client.rs). "
        "Each is pointed at the sandbox by its documented configuration (spotkit: `api_base_url` / "
        "`accounts_base_url`; spotipy: `Spotify.prefix` and `SpotifyOAuth.OAUTH_TOKEN_URL`; rspotify: "
        "`Config { api_base_url, auth_base_url, .. }`). Pages are 50 items for every client.",
        "",
        f"Every figure is the median of {res['runs']} runs, with the fastest and slowest run in brackets. "
        "Wall time is measured by each client from its first request to its last item (interpreter or "
        "process start-up excluded), peak RSS is the client process's high-water mark (`VmHWM`, sampled every few milliseconds while it runs), and "
        "requests are what the sandbox counted (`/_sandbox/stats`, token refreshes included). A run that "
        "crashes, times out or returns a wrong item count is a failed run and is left out of the figures. "
        "The floor is `ceil(pages / concurrency) × latency` with spotkit's default concurrency "
        f"({res['concurrency']}) and, for the rate-limited run, the earliest moment the last page can "
        "arrive under the limit.",
        "",
        "![chart](benchmarks.svg)",
        "",
        "## Results",
        "",
    ]
    for w in res["workloads"]:
        lines += [f"### {w['id']}. {w['title']}", "", w["description"], "",
                  f"Sandbox: `spotkit-sandbox {' '.join(w['flags'])}`; {w['expected_items']} items in "
                  f"{w['pages']} pages." + (f" Floor: {fmt_s(w['floor'])} s." if w["floor"] else "")
                  + (f" Measured from {w['started']}, load average {w['load_before'][0]:.1f} before and "
                     f"{w['load_after'][0]:.1f} after." if w.get("started") else ""), ""]
        spotkit = next((c for c in w["clients"] if c["client"] == "spotkit"), None)
        if w["metric"] == "rss":
            lines += ["| client | peak RSS, MiB | × spotkit | wall time, s | requests | failed runs |",
                      "|---|---|---|---|---|---|"]
        else:
            lines += ["| client | wall time, s | × spotkit | × floor | peak RSS, MiB | requests (429s) | failed runs |",
                      "|---|---|---|---|---|---|---|"]
        for c in w["clients"]:
            if c["median"] is None:
                cell = "all runs failed"
                ratio = "–"
            else:
                cell = f"{fmt_s(c['median'])} ({fmt_s(c['min'])}–{fmt_s(c['max'])})"
                ratio = (f"{c['median'] / spotkit['median']:.2f}×"
                         if spotkit and spotkit["median"] else "–")
            failed = f"{c['failures']} of {c['runs']}"
            if c["errors"]:
                failed += " (" + "; ".join(e.replace("|", "\\|")[:160] for e in c["errors"]) + ")"
            if w["metric"] == "rss":
                lines.append(f"| {c['client']} | {cell} | {ratio} | {fmt_s(c['seconds'])} | "
                             f"{c['requests'] if c['requests'] is not None else '–'} | {failed} |")
            else:
                floor = (f"{c['median'] / w['floor']:.2f}×" if c["median"] is not None and w["floor"] else "–")
                rss = f"{c['rss_mib']:.1f}" if c["rss_mib"] is not None else "–"
                reqs = (f"{c['requests']:.0f} ({c['answered_429']:.0f})" if c["requests"] is not None else "–")
                lines.append(f"| {c['client']} | {cell} | {ratio} | {floor} | {rss} | {reqs} | {failed} |")
        lines.append("")
    server = res.get("server")
    if server:
        me, hello = server["me"], server["hello"]
        lines += [
            "### Server: `GET /me` on spotkit-server", "",
            "`scripts/bench-server`: spotkit-server (release, SQLite) answering `GET /me` with a server API "
            "token, after a mobile log-in against a sandbox; wrk on the same cores "
            f"({server['threads']} threads, {server['connections']} connections, {server['duration']}). "
            "The ceiling is the same wrk against the smallest axum service on this machine "
            "([`crates/spotkit-server/examples/hello.rs`](../crates/spotkit-server/examples/hello.rs)). "
            f"Measured {server.get('measured', '')}, load average {server['load_after'][0]:.1f} after.", "",
            "| service | requests/s | p50, ms | p90, ms | p99, ms | share of the ceiling |",
            "|---|---|---|---|---|---|",
        ]
        for name, r in (("spotkit-server `GET /me`", me), ("axum hello (ceiling)", hello)):
            lat = r["latency_ms"]
            lines.append(f"| {name} | {r['requests_per_s']:.0f} | {lat['50']:.2f} | {lat['90']:.2f} | "
                         f"{lat['99']:.2f} | {100 * r['requests_per_s'] / hello['requests_per_s']:.0f} % |")
        lines.append("")
    lines += ["## Targets", "", "| target | measured | |", "|---|---|---|"]
    for t in res["targets"]:
        lines.append(f"| {t['target']} | {t['measured']} | {'met' if t['met'] else '**missed**'} |")
    lines += [""]
    if res.get("notes"):
        lines += ["## Notes", ""] + [f"- {n}" for n in res["notes"]] + [""]
    soak_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "soak-results.json")
    if os.path.exists(soak_path):
        with open(soak_path) as f:
            soak = json.load(f)["total"]
        faults = soak["faults"]
        lines += [
            "## Fault soak", "",
            "`scripts/soak --seeds N` (see its header) exports liked songs and every playlist as JSON and CSV "
            "through the CLI from a sandbox that answers 10% of Web API requests with a 5xx, 5% with a 429 "
            "and drops 2% of connections, with access tokens that expire every 30 s, and compares every file "
            "byte for byte with a fault-free export of the same catalogue; exports killed with SIGKILL at "
            "random moments must leave no partial file, and a re-run must then produce the fault-free "
            "export. Seeds alternate Development-Mode and Extended-Quota sandboxes. Last full run "
            f"({soak.get('when', 'recorded in bench/soak-results.json')}, {soak['minutes']:.0f} min):", "",
            f"| seeds | exports | gave up (re-run) | SIGKILLs | faults injected | in exports that completed | differences | partial files |",
            "|---|---|---|---|---|---|---|---|",
            f"| {soak['seeds']} | {soak['exports']} | {soak['gave_up']} | {soak['kills']} | "
            f"{sum(faults.values())} ({', '.join(f'{k} {v}' for k, v in sorted(faults.items()))}) | "
            f"{soak['faults_in_good_runs']} | {soak['differences']} | {soak['partial']} |", "",
            f"Token refreshes during the faulty exports: {soak.get('refreshes', '–')}; saved logins lost to a kill "
            f"between a refresh-token rotation and its save: {soak.get('logins_lost', '–')}; temp files left "
            f"behind by killed exports: {soak.get('leftover_temps', '–')} (never under a final name).", "",
        ]
    lines += [
        "## Machine and versions", "",
        f"- Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB memory, Linux {m['kernel']}. "
        f"The clients and the sandbox share the cores.",
        f"- Load average (1, 5, 15 min) before the run: {', '.join(f'{x:.2f}' for x in res['load_before'])}; "
        f"after: {', '.join(f'{x:.2f}' for x in res['load_after'])}."
        + (" On 2 cores a load average near 2 means the cores were busy (other work on the machine, or the "
           "virtual machine's host taking CPU time), so CPU-bound figures (spotkit's wall times, workload 4's "
           "times) are slower than on an idle machine; latency-bound ones (the sequential peers, workload 3) "
           "and peak RSS are not affected much." if max(res["load_before"][0], res["load_after"][0]) > 1.5 else ""),
        f"- spotkit {v['spotkit']} (git `{v['git']}`), built `--release`; rspotify {v['rspotify']} "
        f"(features `client-reqwest`, `reqwest-rustls-tls`), built `--release`; spotipy {v['spotipy']} on "
        f"Python {m['python']}; {v['rustc']}.",
        f"- Started {res['started']}, took {res['duration_s'] / 60:.1f} min. Raw runs: "
        "[`bench/results.json`](../bench/results.json).",
        "",
        "Reproduce with `scripts/bench` (about 15 minutes; `scripts/bench --quick` is the small smoke run "
        "that `./scripts/test` does).",
        "",
    ]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def targets(res):
    by = {w["id"]: {c["client"]: c for c in w["clients"]} for w in res["workloads"]}
    ws = {w["id"]: w for w in res["workloads"]}
    out = []

    def med(w, c):
        return by.get(w, {}).get(c, {}).get("median")

    if 1 in by and med(1, "spotkit"):
        sk = med(1, "spotkit")
        for peer in ("spotipy", "rspotify"):
            if peer in by[1]:
                p = med(1, peer)
                out.append({"target": f"workload 1: spotkit ≥ 8× faster than {peer}",
                            "measured": f"{p / sk:.2f}×" if p else f"{peer} failed every run",
                            "met": bool(p) and p / sk >= 8})
        out.append({"target": "workload 1: spotkit within 1.2× of the floor",
                    "measured": f"{sk / ws[1]['floor']:.2f}× ({fmt_s(sk)} s vs {fmt_s(ws[1]['floor'])} s)",
                    "met": sk / ws[1]["floor"] <= 1.2})
    if 2 in by and med(2, "spotkit"):
        sk = med(2, "spotkit")
        out.append({"target": "workload 2: spotkit within 1.5× of the floor",
                    "measured": f"{sk / ws[2]['floor']:.2f}× ({fmt_s(sk)} s vs {fmt_s(ws[2]['floor'])} s)",
                    "met": sk / ws[2]["floor"] <= 1.5})
    for w in (1, 4):
        sk, peer = by.get(w, {}).get("spotkit"), by.get(w, {}).get("rspotify")
        if sk and peer and sk["rss_mib"] and peer["rss_mib"]:
            out.append({"target": f"workload {w}: spotkit peak RSS ≤ rspotify's",
                        "measured": f"{sk['rss_mib']:.1f} MiB vs {peer['rss_mib']:.1f} MiB",
                        "met": sk["rss_mib"] <= peer["rss_mib"]})
    if 3 in by and "spotkit" in by[3]:
        c = by[3]["spotkit"]
        out.append({"target": "workload 3: spotkit fails 0 runs of 5",
                    "measured": f"{c['failures']} of {c['runs']}", "met": c["failures"] == 0 and c["runs"] >= 5})
        if c["median"]:
            out.append({"target": "workload 3: spotkit within 1.1× of the time the rate limit allows",
                        "measured": f"{c['median'] / ws[3]['floor']:.2f}× ({fmt_s(c['median'])} s vs "
                                    f"{fmt_s(ws[3]['floor'])} s)",
                        "met": c["median"] / ws[3]["floor"] <= 1.1})
    if 4 in by and "spotkit" in by[4]:
        c = by[4]["spotkit"]
        worst = c["rss_max_mib"]
        out.append({"target": "workload 4: spotkit peak RSS ≤ 64 MB (worst run)",
                    "measured": f"{worst * 1.048576:.1f} MB ({worst:.1f} MiB)" if worst else "no run",
                    "met": bool(worst) and worst * 1024 * 1024 <= 64_000_000 and c["failures"] == 0})
    if 5 in by and med(5, "spotkit"):
        sk = med(5, "spotkit")
        out.append({"target": "workload 5: the CLI within 1.5× of the floor",
                    "measured": f"{sk / ws[5]['floor']:.2f}× ({fmt_s(sk)} s vs {fmt_s(ws[5]['floor'])} s)",
                    "met": sk / ws[5]["floor"] <= 1.5})
    server = res.get("server")
    if server:
        me, hello = server["me"], server["hello"]
        fast = me["requests_per_s"] >= 20000 and me["latency_ms"]["99"] <= 5
        out.append({"target": "server: GET /me ≥ 20 000 req/s with p99 ≤ 5 ms (or the machine's ceiling shown)",
                    "measured": f"{me['requests_per_s']:.0f} req/s, p99 {me['latency_ms']['99']:.2f} ms; "
                                f"ceiling (axum hello) {hello['requests_per_s']:.0f} req/s, p99 "
                                f"{hello['latency_ms']['99']:.2f} ms",
                    "met": fast and not me["errors"]})
    if 6 in by and len(by[6]) == 2:
        small, large = list(by[6].values())
        if small["median"] and large["median"]:
            ratio = large["median"] / small["median"]
            out.append({"target": "workload 6: the CLI's peak RSS for 100 000 songs within 1.2× of 10 000",
                        "measured": f"{ratio:.2f}× ({large['median']:.1f} MiB vs {small['median']:.1f} MiB)",
                        "met": ratio <= 1.2 and large["failures"] == 0 and small["failures"] == 0})
        else:
            out.append({"target": "workload 6: the CLI's peak RSS for 100 000 songs within 1.2× of 10 000",
                        "measured": "failed runs", "met": False})
    return out


def notes(res):
    """What a reader needs to judge the figures, from the figures themselves."""
    out = []
    if res.get("quick"):
        return out
    ws = {w["id"]: w for w in res["workloads"]}
    by = {w["id"]: {c["client"]: c for c in w["clients"]} for w in res["workloads"]}
    if 1 in ws and "spotkit" in by[1]:
        w = ws[1]
        rounds = 1 + math.ceil((w["pages"] - 1) / res["concurrency"])
        c = by[1]["spotkit"]
        out.append(
            f"spotkit reads the first page alone (it tells the total), then the other {w['pages'] - 1} "
            f"{res['concurrency']} at a time: its own minimum is {rounds} × {w['latency_ms']} ms = "
            f"{rounds * w['latency_ms'] / 1000:.2f} s, {rounds * w['latency_ms'] / 1000 / w['floor']:.2f}× the floor. "
            f"The rest is CPU: per run the sandbox spent {c.get('sandbox_cpu_s') or 0:.2f} s serving "
            f"{w['pages']} pages of 50 Extended-Quota tracks (about 97 KB of JSON each; it renders each page once "
            "and answers later reads of it from its page cache, byte for byte the same; one untimed read fills "
            "the cache before the counted runs) and spotkit "
            f"{c.get('client_cpu_s') or 0:.2f} s decoding them, on the same two cores as everything else on the machine.")
        if c["median"] and c["median"] / w["floor"] > 1.25:
            load = w.get("load_before", res["load_before"])[0]
            out.append(
                f"Why workload 1 misses its floor target here: it is CPU-bound, not latency-bound. spotkit keeps 8 "
                f"requests in flight, so the 50 ms sleeps overlap and what is left is the "
                f"{(c.get('sandbox_cpu_s') or 0) + (c.get('client_cpu_s') or 0):.2f} s of CPU above, served by "
                f"whatever share of 2 cores the machine leaves (load average {load:.1f} when it ran). A profile "
                "of the sandbox (`perf record`, before its page cache) put its time in malloc/free and in building "
                "`serde_json::Value` trees for every track of every page; the sequential peers only wait on latency, so load barely "
                "moves them and the ratio between them and spotkit shrinks as the machine gets busier. On a quiet "
                f"machine that CPU overlaps the waits and spotkit's time approaches its "
                f"{rounds * w['latency_ms'] / 1000:.2f} s minimum; this machine was never quiet while these figures "
                "were taken, so that is not shown here.")
    if 2 in ws:
        w = ws[2]
        out.append(
            f"Workload 2 has {w['expected_items']} items in the user's own playlists of 12, not the ~5 000 the issue asked for: the "
            "sandbox's generator makes one playlist of 1 050–1 300 items, one empty one and ten of 0–300, and "
            "seed 28 is the largest library of seeds 1–30. The peers read the playlists one after another; "
            "spotkit reads them together (`playlists().items_of(listed)`): the playlists and their pages share "
            f"one budget of {res['concurrency']} requests in flight, each playlist's pages are asked for at once "
            "(the list of playlists tells their sizes), and the entries still come out playlist by playlist, "
            "in order. Before the counted runs one untimed read fills the sandbox's page cache, as for "
            "workload 1.")
    if 3 in ws:
        w = ws[3]
        for client, c in by[3].items():
            if c["failures"]:
                out.append(f"Workload 3, {client}: {c['failures']} of {c['runs']} runs failed: "
                           f"{'; '.join(c['errors'])}.")
        out.append(
            f"Workload 3's floor is the rate limit's: {w['pages']} requests at {w['rate_limit']} per rolling 30 s "
            f"cannot end before 30 s × floor(({w['pages']} − 1) / {w['rate_limit']}) + {w['latency_ms']} ms = "
            f"{w['floor']:.2f} s. spotkit's default is no client-side pacing: it reads at full speed, takes the "
            "429 and waits out its Retry-After (whole seconds, as Spotify sends it).")
    if 4 in ws:
        out.append("Workload 4 adds no latency: it measures memory, and the wall time is the CPU cost of 2 000 "
                   "pages on both sides. spotkit streams with its default 10 requests in flight (rspotify reads "
                   "one page at a time): each request in flight holds a connection with its own read buffer, and "
                   "pages that arrive ahead of the reader wait as JSON in the reorder window, about 3 MiB of heap "
                   "more at the peak. (The sandbox speaks plain HTTP/1.1, hence a connection per request; spotkit "
                   "offers HTTP/2, which Spotify's Web API answers (spotify/web-api#803), and there its requests "
                   "in flight share one connection.) Read one page at a time (`.concurrency(1)` on the builder; measured "
                   "separately, 5 runs), spotkit peaks at 7.2–7.4 MiB with less heap than rspotify (0.9 MiB "
                   "against 1.6 MiB of heap and thread arenas); what remains is program text, 3.6 MiB of it "
                   "resident against rspotify's 2.5 MiB (retries, token refresh, rate-limit and quota handling, "
                   "HTTP/2, decode errors that name the failing path). The breakdown: issue #19's notes.")
    if 5 in ws:
        w = ws[5]
        skipped = w.get("skipped_by_peers") or (0, 0)
        out.append(
            "Workload 5 runs the `spotkit` binary itself (`spotkit --quiet export all --format jsonl --out DIR`, "
            "logged in through a token file the driver writes), so its time is the whole process, start-up "
            "included, while the peers' times start at their first request. The CLI writes liked songs, then "
            "every playlist (read together under its one request budget, see workload 2), then saved albums and "
            "shows. spotipy 2.26 and rspotify 0.16 read a playlist's entries through `/items` only, which "
            "Spotify answers only for playlists the user owns or collaborates on: they skip the other "
            f"{skipped[0]} playlists ({skipped[1]} items), which spotkit reads through `/tracks` as an "
            "Extended-Quota app may; each client's files are checked against what it can read. "
            f"{w.get('private_of_others', 0)} listed playlists are other users' private ones, which no client "
            "can read (404); all three skip them.")
    if 6 in ws:
        out.append("Workload 6 runs the `spotkit` binary itself (`spotkit --quiet export liked --format jsonl "
                   "--out FILE`, logged in through a token file the driver writes), so its figure includes the "
                   "CLI's own start-up; each size has its own sandbox (`--seed 28 --liked N`). Before issue #21 "
                   "the CLI kept every song it had written (as a model, for the summary): 70 MB for 10 000 "
                   "songs and 294 MB for 50 000.")
    out += res.get("extra_notes", [])
    if res.get("remeasured"):
        again = res["remeasured"]
        which = (f"Workload {again[0]} was" if len(again) == 1
                 else f"Workloads {', '.join(str(i) for i in again)} were")
        out.append(f"{which} measured again after the first full run (`scripts/bench --only N --merge`); "
                   "each workload section gives its own start time and load.")
    return out


def write_readme(path, res):
    """The figures section of the README, between `<!-- bench:start -->` and `<!-- bench:end -->`."""
    with open(path) as f:
        text = f.read()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text or end not in text:
        return
    rows = ["| workload | spotkit | spotipy 2.26.0 | rspotify 0.16.1 |", "|---|---|---|---|"]
    for w in res["workloads"]:
        cells = []
        sk = next((c for c in w["clients"] if c["client"] == "spotkit"), None)
        for name in ("spotkit", "spotipy", "rspotify"):
            c = next((c for c in w["clients"] if c["client"] == name), None)
            if c is None:
                cells.append("–")
            elif c["median"] is None:
                cells.append(f"failed {c['failures']} of {c['runs']} runs")
            else:
                v = f"{fmt_s(c['median'])} {w['unit']}"
                if name != "spotkit" and sk and sk["median"]:
                    v += f" ({c['median'] / sk['median']:.1f}×)"
                if c["failures"]:
                    v += f", {c['failures']} of {c['runs']} runs failed"
                cells.append(v)
        if sk is None and w["clients"] and all(c["client"].startswith("spotkit") for c in w["clients"]):
            # Workload 6: one spotkit row per library size, no peers.
            cells[0] = " / ".join(f"{fmt_s(c['median'])} {w['unit']}" if c["median"] is not None else "failed"
                                  for c in w["clients"]) + " (" + ", ".join(
                                      c["client"].split(", ")[-1] for c in w["clients"]) + ")"
        short = w["title"].split(":")[0] if ":" in w["title"] else w["title"]
        rows.append(f"| {w['id']}. {w['title']} | " + " | ".join(cells) + " |")
    server = res.get("server")
    if server:
        rows.append(f"| spotkit-server `GET /me` (wrk, same cores) | {server['me']['requests_per_s']:.0f} req/s, "
                    f"p99 {server['me']['latency_ms']['99']:.1f} ms | – | – |")
    body = "\n".join([
        "",
        f"Median of {res['runs']} runs on {res['machine']['summary']}, all against one sandbox per workload "
        "(wall time, or peak RSS for workload 4; the factor is the peer's figure over spotkit's). "
        "From [docs/benchmarks.md](docs/benchmarks.md), written by `scripts/bench`, with the floors, "
        "min–max, requests and the machine:",
        "",
        *rows,
        "",
        *([("Missed on this run: " + "; ".join(f"{t['target']} ({t['measured']})" for t in res["targets"] if not t["met"])
            + ". Why, and what is left to do: [docs/benchmarks.md](docs/benchmarks.md#notes)."), ""]
          if any(not t["met"] for t in res.get("targets", [])) else []),
    ])
    a = text.index(start) + len(start)
    b = text.index(end)
    with open(path, "w") as f:
        f.write(text[:a] + body + text[b:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sandbox", required=True)
    ap.add_argument("--spotkit", required=True)
    ap.add_argument("--spotkit-cli", help="the `spotkit` CLI binary (workloads 5 and 6; left out when missing)")
    ap.add_argument("--cli-build", default="release", choices=["release", "debug"],
                    help="how --spotkit-cli (and --sandbox) were built, for workload 6's description")
    ap.add_argument("--python", required=True, help="the venv python that has spotipy")
    ap.add_argument("--rspotify", help="the rspotify client binary (left out when missing)")
    ap.add_argument("--chart", help="the chart binary")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", help="comma-separated workload numbers")
    ap.add_argument("--json", required=True)
    ap.add_argument("--markdown")
    ap.add_argument("--svg")
    ap.add_argument("--versions", default="{}")
    ap.add_argument("--render-only", action="store_true", help="rewrite the reports from --json")
    ap.add_argument("--merge", action="store_true", help="replace only the workloads run in --json")
    ap.add_argument("--readme", help="README whose figures between the bench markers to update")
    ap.add_argument("--server", help="JSON_OUT of scripts/bench-server: spotkit-server's GET /me and the "
                                     "axum hello ceiling, reported beside the client workloads")
    args = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    bins = {"sandbox": args.sandbox, "spotkit": args.spotkit, "spotkit_cli": args.spotkit_cli,
            "python": args.python,
            "spotipy": os.path.join(here, "spotipy_client.py"), "rspotify": args.rspotify}
    clients = ["spotkit", "spotipy"] + (["rspotify"] if args.rspotify else [])

    if args.quick:
        specs = [
            dict(id=1, title="Liked songs (quick)", workload="liked", latency_ms=10, metric="seconds",
                 flags=["--seed", "28", "--liked", "1000", "--latency-ms", "10"], timeout=120,
                 description="1 000 liked songs, 10 ms latency."),
            dict(id=2, title="Playlists (quick)", workload="playlists", latency_ms=10, metric="seconds",
                 flags=["--seed", "28", "--liked", "200", "--playlists", "4", "--latency-ms", "10"], timeout=120,
                 description="The user's own playlists of 4, with every item, 10 ms latency."),
            dict(id=4, title="Streamed to JSONL (quick)", workload="jsonl", latency_ms=0, metric="rss",
                 flags=["--seed", "28", "--liked", "5000"], timeout=120,
                 description="5 000 liked songs streamed to a JSONL file."),
        ]
        if args.spotkit_cli:
            specs.append(
                dict(id=5, title="Library export through the CLI (quick)", workload="cli-export",
                     latency_ms=10, metric="seconds",
                     flags=["--seed", "28", "--liked", "1000", "--playlists", "20", "--latency-ms", "10"],
                     timeout=300,
                     description="`spotkit export all --format jsonl`: 1 000 liked songs and 20 playlists, "
                                 "10 ms latency."))
    else:
        specs = [
            dict(id=1, title="Liked songs: 10 000 tracks, 50 ms latency", workload="liked", latency_ms=50,
                 metric="seconds", flags=["--seed", "28", "--liked", "10000", "--latency-ms", "50"], timeout=600,
                 description="Every liked song of a 10 000-song library, collected in memory; the sandbox "
                             "adds 50 ms to every Web API request."),
            dict(id=2, title="All playlists with all items, 50 ms latency", workload="playlists", latency_ms=50,
                 metric="seconds", flags=["--seed", "28", "--liked", "2000", "--playlists", "12", "--latency-ms", "50"],
                 timeout=600,
                 description="The user's id and list of playlists, then every item of each playlist the user owns "
                             "(Spotify answers `/items` only for playlists the user owns or collaborates on)."),
            dict(id=3, title="Rate-limited: 2 000 liked songs, 30 requests per 30 s", workload="liked",
                 latency_ms=50, metric="seconds", rate_limit=30,
                 flags=["--seed", "28", "--liked", "2000", "--latency-ms", "50", "--rate-limit", "30"], timeout=300,
                 description="40 pages against a limit of 30 Web API requests per rolling 30 s per app, as "
                             "Spotify enforces it (429 with a `Retry-After` beyond it). Any client that reads "
                             "faster than one page a second hits 429s; one app id per run, so each run starts "
                             "with an empty window."),
            dict(id=4, title="100 000 liked songs streamed to a JSONL file", workload="jsonl", latency_ms=0,
                 metric="rss", flags=["--seed", "28", "--liked", "100000"], timeout=900,
                 description="Every liked song of a 100 000-song library written to a file as JSON lines as "
                             "they arrive (no added latency): what matters is the client's peak memory."),
        ]
        if args.spotkit_cli:
            specs.append(
                dict(id=5, title="A large library through the CLI: 100 000 liked songs and 200 playlists, "
                                 "50 ms latency", workload="cli-export", latency_ms=50, metric="seconds",
                     flags=["--seed", "28", "--liked", "100000", "--playlists", "200", "--latency-ms", "50"],
                     timeout=1500,
                     description="`spotkit export all --format jsonl --out DIR` (the CLI binary): liked songs, "
                                 "every playlist, saved albums and shows, one JSONL file each, in a folder. "
                                 "spotipy and rspotify write the same files with their idiomatic calls "
                                 "(`export` in their programs)."))
            specs.append(
                dict(id=6, title="The CLI's JSONL export: 10 000 and 100 000 liked songs", workload="cli-jsonl",
                     latency_ms=0, metric="rss", sizes=[10000, 100000],
                     flags=["--seed", "28", "--liked", "10000 (then 100000)"], timeout=900,
                     description="`spotkit export liked --format jsonl --out FILE` at two library sizes, no "
                                 "added latency: the CLI streams each song to the file as it arrives, so its "
                                 "peak memory must not grow with the library (target: 100 000 songs within "
                                 "1.2× of 10 000)." + (" Measured with the workspace's debug build (`cargo build`), "
                                 "which holds more memory than `--release` at both sizes; the ratio is the target."
                                 if args.cli_build == "debug" else "")))
    if args.only:
        keep = {int(x) for x in args.only.split(",") if x.strip().isdigit()}
        specs = [s for s in specs if s["id"] in keep]

    def log(msg):
        print(msg, flush=True)

    if args.render_only:
        with open(args.json) as f:
            res = json.load(f)
        workloads = res["workloads"]
    else:
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        t0 = time.time()
        load_before = load_average()
        workloads = []
        concurrency = 10
        with tempfile.TemporaryDirectory(prefix="spotkit-bench-") as workdir:
            for spec in specs:
                log(f"bench: workload {spec['id']}: {spec['title']}")
                w_load = load_average()
                w_started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
                if spec["workload"] == "cli-jsonl":
                    results = run_cli_memory(spec, bins, args.runs, workdir, log)
                elif spec["workload"] == "cli-export":
                    results = run_cli_export(spec, clients, bins, args.runs, workdir, log)
                else:
                    results = run_workload(spec, clients, bins, args.runs, workdir, log)
                w = aggregate(spec, results, concurrency)
                w["started"] = w_started
                w["load_before"] = w_load
                w["load_after"] = load_average()
                workloads.append(w)
        res = {
            "started": started, "duration_s": time.time() - t0, "runs": args.runs, "quick": args.quick,
            "machine": machine(), "versions": json.loads(args.versions), "concurrency": concurrency,
            "load_before": load_before, "load_after": load_average(), "workloads": workloads,
        }
        if args.merge and os.path.exists(args.json):
            # Re-measured workloads replace their old figures; the others stay as they were.
            with open(args.json) as f:
                old = json.load(f)
            fresh = {w["id"]: w for w in workloads}
            merged = [fresh.pop(w["id"], w) for w in old["workloads"]] + list(fresh.values())
            old["workloads"] = sorted(merged, key=lambda w: w["id"])
            old["remeasured"] = sorted(set(old.get("remeasured", [])) | {w["id"] for w in workloads})
            old["load_after"] = res["load_after"]
            old["versions"] = res["versions"]
            res = old
            workloads = res["workloads"]
    if args.server:
        with open(args.server) as f:
            res["server"] = json.load(f)
        res["server"].setdefault("measured", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    res["targets"] = targets(res) if not res.get("quick") else []
    res["notes"] = notes(res)
    with open(args.json, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    if args.markdown:
        write_markdown(args.markdown, res)
    if args.chart and args.svg:
        subprocess.run([args.chart, args.json, args.svg], check=True)
    if args.readme:
        write_readme(args.readme, res)

    failed = [(w["id"], c["client"], c["failures"]) for w in workloads for c in w["clients"]
              if c["client"] == "spotkit" and c["failures"]]
    for t in res["targets"]:
        log(f"bench: target {t['target']}: {t['measured']} -> {'met' if t['met'] else 'MISSED'}")
    if res.get("quick"):
        # The quick run only checks that every client still works (counts, reports); timings on a
        # busy CI machine prove nothing.
        broken = [(w["id"], c["client"], c["errors"]) for w in workloads for c in w["clients"] if c["failures"]]
        for wid, client, errors in broken:
            log(f"bench: workload {wid}: {client} failed: {'; '.join(errors)}")
        return 1 if broken else 0
    if failed or not all(t["met"] for t in res["targets"]):
        log("bench: some spotkit target was missed (see the Targets table)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
