#!/usr/bin/env python3
"""Runs every command of the user guide against a sandbox, as a reader would paste it.

Usage: docs_check.py SPOTKIT_BIN SANDBOX_BIN [FILE.md ...]   (default: docs/*.md)

In a Markdown file, a ```sh block's lines that start with `$ ` are commands. Each file runs in a
fresh temporary folder with a fresh config dir, logged in to a fresh sandbox (auto-approve), with
`spotkit` on PATH; commands run in order (a later one may use what an earlier one wrote) and must
exit 0. `spotkit login ...` is driven like a person would: the checker plays the browser, pasting
the redirect (`--no-browser`) or following it to the loopback listener.

A block that cannot run here is preceded by a comment naming the test that runs it instead:

    <!-- docs-check: skip, tested by crates/spotkit-cli/tests/cli.rs (needs a real account) -->

The checker fails when such a comment names no test file, or a file that does not exist, so a
skipped command is never simply unchecked. Standard library only.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = re.compile(r"<!--\s*docs-check:\s*skip,\s*tested by\s+(?P<tests>[^()]+?)\s*(\((?P<why>.*)\))?\s*-->")
ANY_DIRECTIVE = re.compile(r"<!--\s*docs-check:")
TIMEOUT = 180


@dataclass
class Block:
    path: Path
    line: int
    commands: list[tuple[int, str]]
    skip_tests: list[str] = field(default_factory=list)
    skip_raw: str | None = None


def blocks(path: Path) -> list[Block]:
    """The ```sh blocks of a file with their `$ ` commands and any skip directive before them."""
    out: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    pending: str | None = None
    i = 0
    while i < len(lines):
        text = lines[i].strip()
        if ANY_DIRECTIVE.search(text):
            pending = text
        elif text.startswith("```"):
            lang = text[3:].strip()
            start = i + 1
            body: list[tuple[int, str]] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                s = lines[i]
                if s.startswith("$ "):
                    cmd = s[2:]
                    # A trailing backslash continues the command on the next line.
                    while cmd.endswith("\\") and i + 1 < len(lines):
                        i += 1
                        cmd = cmd[:-1] + " " + lines[i].strip()
                    body.append((i + 1, cmd))
                i += 1
            if lang in ("sh", "bash", "console", "shell") and body:
                b = Block(path, start, body)
                if pending:
                    b.skip_raw = pending
                    m = SKIP.search(pending)
                    if m:
                        b.skip_tests = [t for t in re.split(r",\s*|\s+and\s+", m.group("tests").strip()) if t]
                out.append(b)
            pending = None
        elif text:
            # A directive applies only to the block right after it.
            pending = None
        i += 1
    return out


class Sandbox:
    """The sandbox binary on a free loopback port, stopped by `stop()`."""

    def __init__(self, binary: str):
        self.proc = subprocess.Popen(
            [binary, "--auto-approve", "--addr", "127.0.0.1:0", "--seed", "11", "--liked", "300"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://\S+)", line)
        if not m:
            self.stop()
            raise SystemExit(f"docs-check: the sandbox did not start (printed {line!r})")
        self.url = m.group(1)

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: D102 - keep 3xx as answers
        return None


def play_browser(authorize_url: str) -> str:
    """GETs the authorize URL like a browser would and returns the redirect it answers with."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(authorize_url, timeout=10)
    except urllib.error.HTTPError as e:
        if e.code in (302, 303) and e.headers.get("Location"):
            return e.headers["Location"]
        raise
    raise RuntimeError(f"{authorize_url} did not redirect")


def run_login(cmd: str, env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """Runs a `spotkit login` command, playing the browser for it."""
    proc = subprocess.Popen(
        ["bash", "-c", cmd],
        cwd=cwd,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    seen: list[str] = []
    paste = "--no-browser" in cmd
    timer = threading.Timer(TIMEOUT, proc.kill)
    timer.start()
    try:
        for line in proc.stdout:
            seen.append(line)
            m = re.search(r"(https?://\S+/authorize\?\S+)", line)
            if not m:
                continue
            location = play_browser(m.group(1))
            if paste or "cannot listen" in "".join(seen):
                proc.stdin.write(location + "\n")
                proc.stdin.close()
            else:
                # The loopback listener receives the redirect, as from a browser.
                urllib.request.urlopen(location, timeout=10).read()
        proc.wait()
    finally:
        timer.cancel()
    return proc.returncode, "".join(seen)


def run_command(cmd: str, env: dict[str, str], cwd: Path) -> tuple[int, str]:
    if re.match(r"^\s*spotkit\s+login\b", cmd):
        return run_login(cmd, env, cwd)
    try:
        p = subprocess.run(
            ["bash", "-o", "pipefail", "-c", cmd],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired as e:
        return 124, f"timed out after {TIMEOUT} s\n{e.output or ''}"
    return p.returncode, p.stdout


def check_file(path: Path, spotkit: str, sandbox_bin: str) -> tuple[int, int, list[str]]:
    """Runs one file's commands; returns (run, skipped, failures)."""
    failures: list[str] = []
    found = blocks(path)
    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    runnable = []
    skipped = 0
    for b in found:
        if b.skip_raw is None:
            runnable.append(b)
            continue
        if not b.skip_tests:
            failures.append(f"{rel}:{b.line}: a skipped block must say `tested by <test file>`: {b.skip_raw}")
            continue
        for t in b.skip_tests:
            if not (ROOT / t).exists():
                failures.append(f"{rel}:{b.line}: the test named to cover this block does not exist: {t}")
        skipped += len(b.commands)
    if not runnable:
        return 0, skipped, failures
    sandbox = Sandbox(sandbox_bin)
    work = Path(tempfile.mkdtemp(prefix="spotkit-docs-"))
    try:
        bindir = work / "bin"
        bindir.mkdir()
        os.symlink(spotkit, bindir / "spotkit")
        env = dict(os.environ)
        env.update(
            PATH=f"{bindir}:{env.get('PATH', '')}",
            SPOTKIT_CONFIG_DIR=str(work / "config"),
            SPOTKIT_API_BASE=f"{sandbox.url}/v1",
            SPOTKIT_ACCOUNTS_BASE=sandbox.url,
            SPOTKIT_CLIENT_ID="spotkit-demo",
            SPOTKIT_NO_OPEN="1",
            SPOTKIT_SANDBOX_URL=sandbox.url,
        )
        env.pop("SPOTKIT_PROFILE", None)
        home = work / "home"
        home.mkdir()
        code, out = run_login("spotkit login --no-browser", env, home)
        if code != 0:
            failures.append(f"{rel}: logging in to the sandbox failed:\n{out}")
            return 0, skipped, failures
        ran = 0
        for b in runnable:
            for line, cmd in b.commands:
                started = time.monotonic()
                code, out = run_command(cmd, env, home)
                ran += 1
                took = time.monotonic() - started
                if code != 0:
                    tail = "\n    ".join(out.strip().splitlines()[-15:])
                    failures.append(f"{rel}:{line}: `{cmd}` exited {code}:\n    {tail}")
                else:
                    print(f"  ok  {rel}:{line}: {cmd}  ({took:.1f} s)")
        return ran, skipped, failures
    finally:
        sandbox.stop()
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    spotkit, sandbox_bin = sys.argv[1], sys.argv[2]
    files = [Path(f).resolve() for f in sys.argv[3:]] or sorted(Path(p) for p in glob.glob(str(ROOT / "docs" / "*.md")))
    total_run = total_skipped = 0
    failures: list[str] = []
    for f in files:
        ran, skipped, fails = check_file(f, spotkit, sandbox_bin)
        total_run += ran
        total_skipped += skipped
        failures += fails
    for f in failures:
        print(f"docs-check: {f}", file=sys.stderr)
    print(f"docs-check: {total_run} commands run, {total_skipped} covered by named tests, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
