"""The fault soak behind scripts/soak: spotkit's CLI exporting through a hostile network.

For every seed:
  1. a fault-free sandbox (`--seed S`): log the CLI in (paste flow, the script plays the browser)
     and export liked songs and all playlists as JSON and CSV: the reference;
  2. the same catalogue with `--fail-5xx 0.1 --fail-429 0.05 --fail-reset 0.02 --token-ttl 30`:
     the same four exports must come out byte for byte identical (`index.json` too, apart from its
     `exported_at` time stamp). An export that gives up (exit 1 after its retries) is counted and
     run again, as a user would, but must not leave a final file behind;
  3. SIGKILL: exports killed at random moments; every final file present afterwards must be
     identical to the reference (never partial or corrupt), and a re-run into the same place
     must then produce the reference.
Faults come from /_sandbox/stats (injected), against the exports that still came out right.
Seeds alternate Development-Mode (odd) and Extended-Quota (even) sandboxes.

Standard library only.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

FAULTS = ["--fail-5xx", "0.1", "--fail-429", "0.05", "--fail-reset", "0.02", "--token-ttl", "30"]
EXPORTS = [
    ("liked-json", ["export", "liked", "--format", "json", "--out", "{dir}/liked.json"], "liked.json"),
    ("liked-csv", ["export", "liked", "--format", "csv", "--out", "{dir}/liked.csv"], "liked.csv"),
    ("playlists-json", ["export", "playlists", "--format", "json", "--out", "{dir}/playlists-json"], "playlists-json"),
    ("playlists-csv", ["export", "playlists", "--format", "csv", "--out", "{dir}/playlists-csv"], "playlists-csv"),
]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sandbox:
    def __init__(self, binary, flags, port):
        # Both sandboxes of a seed listen on the same port: the exports carry the API's URLs
        # (`href`), which must be the same for a byte-for-byte comparison.
        self.proc = subprocess.Popen([binary, "--auto-approve", "--addr", f"127.0.0.1:{port}"] + flags,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        if "listening on" not in line:
            self.proc.kill()
            raise SystemExit(f"soak: the sandbox did not start with {flags}")
        self.url = line.strip().rsplit(" ", 1)[-1]

    def get(self, path):
        with urllib.request.urlopen(f"{self.url}{path}", timeout=30) as r:
            return json.load(r)

    def faults(self):
        return {k: v for k, v in self.get("/_sandbox/stats").get("faults", {}).items()}

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def cli_env(cli_config, sandbox):
    env = dict(os.environ)
    env.update({
        "SPOTKIT_CONFIG_DIR": cli_config,
        "SPOTKIT_API_BASE": f"{sandbox.url}/v1",
        "SPOTKIT_ACCOUNTS_BASE": sandbox.url,
        "SPOTKIT_CLIENT_ID": "spotkit-demo",
        "SPOTKIT_NO_OPEN": "1",
        "NO_COLOR": "1",
    })
    env.pop("SPOTKIT_PROFILE", None)
    env.pop("RUST_LOG", None)
    return env


def login(cli, env):
    """`spotkit login --no-browser`, with this script as the browser: open the printed URL (the
    sandbox auto-approves), paste where it redirects to."""
    proc = subprocess.Popen([cli, "login", "--no-browser"], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    url = None
    for line in proc.stdout:
        seen.append(line)
        if "/authorize?" in line:
            url = line.strip().split()[-1]
            break
    if not url:
        proc.kill()
        raise SystemExit("soak: `spotkit login` printed no authorization URL:\n" + "".join(seen))
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(url, timeout=30)
        raise SystemExit("soak: the sandbox did not redirect the authorization request")
    except urllib.error.HTTPError as e:
        location = e.headers["Location"]
    proc.stdin.write(location + "\n")
    proc.stdin.close()
    rest = proc.stdout.read()
    if proc.wait() != 0:
        raise SystemExit("soak: `spotkit login` failed:\n" + "".join(seen) + rest)


def export(cli, env, args, out_dir, timeout=600):
    cmd = [cli, "--quiet"] + [a.replace("{dir}", out_dir) for a in args]
    return subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          timeout=timeout)


def is_temp(name):
    return name.endswith(".tmp")


def tree(path):
    """{relative path: bytes} of the final files under `path` (a file or a directory), and the
    temp files left there."""
    files, temps = {}, []
    if os.path.isfile(path):
        return {os.path.basename(path): open(path, "rb").read()}, temps
    if not os.path.isdir(path):
        return files, temps
    for root, _, names in os.walk(path):
        for n in names:
            full = os.path.join(root, n)
            rel = os.path.relpath(full, path)
            if is_temp(n):
                temps.append(rel)
            else:
                files[rel] = open(full, "rb").read()
    return files, temps


def normalise(rel, data):
    """index.json carries the time of the export: compare everything else."""
    if os.path.basename(rel) == "index.json":
        doc = json.loads(data)
        doc.pop("exported_at", None)
        return json.dumps(doc, sort_keys=True).encode()
    return data


def compare(reference, got, what, partial_ok):
    """Differences between a reference tree and a produced one. With `partial_ok` (after a kill)
    files may be missing, but every file present must be whole and right."""
    problems = []
    for rel, data in got.items():
        if rel not in reference:
            problems.append(f"{what}: unexpected file {rel}")
        elif normalise(rel, data) != normalise(rel, reference[rel]):
            problems.append(f"{what}: {rel} differs from the fault-free export "
                            f"({len(data)} bytes vs {len(reference[rel])})")
    if not partial_ok:
        for rel in reference:
            if rel not in got:
                problems.append(f"{what}: {rel} is missing")
    return problems


def soak_seed(seed, bins, base, kills, rng, log, liked):
    mode = "dev" if seed % 2 else "extended"
    flags = ["--seed", str(seed), "--liked", str(liked), "--mode", mode]
    seed_dir = os.path.join(base, f"seed-{seed}")
    result = {"seed": seed, "mode": mode, "exports": 0, "gave_up": 0, "differences": [], "partial": [],
              "leftover_temps": 0, "kills": 0, "logins_lost": 0, "refreshes": 0, "faults": {}, "faults_in_good_runs": 0, "seconds": {}}

    # 1. The reference.
    ref_dir = os.path.join(seed_dir, "reference")
    os.makedirs(ref_dir)
    port = free_port()
    sb = Sandbox(bins["sandbox"], flags, port)
    try:
        env = cli_env(os.path.join(seed_dir, "cli-ref"), sb)
        login(bins["cli"], env)
        for name, args, _ in EXPORTS:
            r = export(bins["cli"], env, args, ref_dir)
            if r.returncode != 0:
                raise SystemExit(f"soak: seed {seed}: the fault-free `{name}` export failed: {r.stderr}")
    finally:
        sb.stop()
    reference = {name: tree(os.path.join(ref_dir, target))[0] for name, _, target in EXPORTS}

    # 2. The same exports through faults; 3. killed ones.
    sb = Sandbox(bins["sandbox"], flags + FAULTS, port)
    try:
        env = cli_env(os.path.join(seed_dir, "cli-faults"), sb)
        login(bins["cli"], env)

        def run_to_completion(name, args, out_dir):
            """Runs an export until it succeeds (a give-up is retried, at most 5 times)."""
            for _ in range(5):
                before = sum(sb.faults().values())
                t0 = time.perf_counter()
                r = export(bins["cli"], env, args, out_dir)
                result["seconds"].setdefault(name, []).append(time.perf_counter() - t0)
                result["exports"] += 1
                injected = sum(sb.faults().values()) - before
                if r.returncode == 0:
                    result["faults_in_good_runs"] += injected
                    return True
                if "log in again" in r.stderr:
                    # The kill landed between the accounts service rotating the refresh token
                    # and the CLI storing the new one: the saved login is gone, as it would be
                    # for a user. Counted, and the soak logs in again.
                    result["logins_lost"] += 1
                    log(f"  seed {seed}: `{name}`: the saved login no longer works "
                        f"({r.stderr.strip().splitlines()[0]}); logging in again")
                    login(bins["cli"], env)
                    continue
                result["gave_up"] += 1
                log(f"  seed {seed}: `{name}` gave up after {injected} faults "
                    f"({r.stderr.strip().splitlines()[0] if r.stderr.strip() else 'no message'}); running it again")
                # A give-up must not leave a final file that is not right.
                got, _ = tree(os.path.join(out_dir, target_of(name)))
                result["partial"] += compare(reference[name], got, f"seed {seed} {name} after a give-up", True)
            return False

        fault_dir = os.path.join(seed_dir, "faults")
        os.makedirs(fault_dir)
        for name, args, target in EXPORTS:
            if not run_to_completion(name, args, fault_dir):
                result["differences"].append(f"seed {seed}: `{name}` never completed")
                continue
            got, temps = tree(os.path.join(fault_dir, target))
            result["differences"] += compare(reference[name], got, f"seed {seed} {name}", False)
            result["leftover_temps"] += len(temps)

        for k in range(kills):
            name, args, target = EXPORTS[rng.randrange(len(EXPORTS))]
            kill_dir = os.path.join(seed_dir, f"kill-{k}")
            os.makedirs(kill_dir)
            typical = max(result["seconds"].get(name, [2.0]))
            delay = rng.uniform(0.05, typical)
            cmd = [bins["cli"], "--quiet"] + [a.replace("{dir}", kill_dir) for a in args]
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            result["kills"] += 1
            got, temps = tree(os.path.join(kill_dir, target))
            result["partial"] += compare(reference[name], got,
                                         f"seed {seed} {name} killed after {delay:.2f} s", True)
            # Then the user runs it again, into the same place.
            if run_to_completion(name, args, kill_dir):
                got, temps_after = tree(os.path.join(kill_dir, target))
                result["differences"] += compare(reference[name], got,
                                                 f"seed {seed} {name} re-run after a kill", False)
                result["leftover_temps"] += len(temps_after)
            else:
                result["differences"].append(f"seed {seed}: `{name}` never completed after a kill")
        result["faults"] = sb.faults()
        result["refreshes"] = sb.get("/_sandbox/stats").get("refreshes", 0)
    finally:
        sb.stop()
    return result


def target_of(name):
    return next(t for n, _, t in EXPORTS if n == name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--sandbox", required=True)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--kills", type=int, default=3, help="SIGKILLed exports per seed")
    ap.add_argument("--liked", type=int, default=1500)
    ap.add_argument("--keep", action="store_true", help="keep the exports (printed path)")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    bins = {"cli": args.cli, "sandbox": args.sandbox}

    def log(msg):
        print(msg, flush=True)

    base = tempfile.mkdtemp(prefix="spotkit-soak-")
    t0 = time.time()
    results = []
    try:
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            rng = random.Random(seed)
            r = soak_seed(seed, bins, base, args.kills, rng, log, args.liked)
            results.append(r)
            injected = sum(r["faults"].values())
            log(f"soak: seed {seed} ({r['mode']}): {r['exports']} exports, {r['gave_up']} gave up and were re-run, "
                f"{r['kills']} killed ({r['logins_lost']} logins lost), {r['refreshes']} token refreshes; faults injected {injected} "
                f"({', '.join(f'{k} {v}' for k, v in sorted(r['faults'].items()))}), "
                f"{r['faults_in_good_runs']} of them inside exports that completed; "
                f"{len(r['differences'])} differences, {len(r['partial'])} partial files, "
                f"{r['leftover_temps']} leftover temp files")
            for p in r["differences"] + r["partial"]:
                log(f"  {p}")
    finally:
        if args.keep:
            log(f"soak: files kept in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    total = {
        "seeds": len(results),
        "exports": sum(r["exports"] for r in results),
        "gave_up": sum(r["gave_up"] for r in results),
        "kills": sum(r["kills"] for r in results),
        "logins_lost": sum(r["logins_lost"] for r in results),
        "refreshes": sum(r["refreshes"] for r in results),
        "faults": {},
        "faults_in_good_runs": sum(r["faults_in_good_runs"] for r in results),
        "differences": sum(len(r["differences"]) for r in results),
        "partial": sum(len(r["partial"]) for r in results),
        "leftover_temps": sum(r["leftover_temps"] for r in results),
        "minutes": (time.time() - t0) / 60,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(t0)),
    }
    for r in results:
        for k, v in r["faults"].items():
            total["faults"][k] = total["faults"].get(k, 0) + v
    log(f"soak: {total['seeds']} seeds in {total['minutes']:.1f} min: {total['exports']} exports "
        f"({total['gave_up']} gave up and were re-run), {total['kills']} SIGKILLs "
        f"({total['logins_lost']} lost the saved login), {total['refreshes']} token refreshes; "
        f"faults injected {sum(total['faults'].values())} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(total['faults'].items()))}), "
        f"{total['faults_in_good_runs']} survived inside exports that completed; "
        f"{total['differences']} differences, {total['partial']} partial files")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"total": total, "seeds": results}, f, indent=1)
    return 1 if total["differences"] or total["partial"] else 0


if __name__ == "__main__":
    sys.exit(main())
