#!/usr/bin/env python3
"""Keeps third-party data out of the repository and the repository self-contained.

Run by `scripts/test` (step "repository check"); standard library only.

1. No tracked path reaches above the repository root, except the one conformance lookup in
   `scripts/test` (it sets SPOTKIT_CONFORMANCE_DIR to `../shared` when that folder exists):
   - a `../` chain that, resolved from the file's folder (or from its crate's folder where the
     line joins it to CARGO_MANIFEST_DIR), leaves the repository;
   - `../shared` anywhere else, or an absolute path into the machine's work folders.
2. Only the conformance helper (crates/spotkit-conformance) and the scripts read
   SPOTKIT_CONFORMANCE_DIR: tests reach third-party data through the helper alone.
3. Every fixtures folder has a README.md that says its files are designed (hand-written,
   modelled on real shapes), not recorded.
4. When the conformance folder is present (always in CI): no tracked file is a copy of a file in
   it, whole or trimmed. Checked by content hash (also of gzip members and zip entries), by
   JSON objects of six or more members that appear in both, and by long text lines (CSV rows,
   JSON lines) that appear in both.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOOKUP_FILE = "scripts/test"  # the one place allowed to name the conformance folder
SELF = "scripts/check_repo.py"
HELPER_DIR = "crates/spotkit-conformance/"
ENV_READERS = (HELPER_DIR, "scripts/", ".ci/")
TEXT_SUFFIXES = {
    ".rs", ".toml", ".md", ".py", ".sh", ".bash", ".json", ".jsonl", ".yml", ".yaml", ".csv",
    ".txt", ".html", ".sql", ".lock", ".svg", ".conf", "",
}
# Long lines that are too common to mean a copy (license-like or structural lines).
MIN_LINE = 48
MIN_OBJECT_MEMBERS = 6


def tracked() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode()
    return [p for p in out.split("\0") if p and (ROOT / p).is_file()]


def read_text(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def crate_dir(rel: str) -> Path:
    p = (ROOT / rel).parent
    while p != ROOT and not (p / "Cargo.toml").exists():
        p = p.parent
    return p


def escapes(base: Path, chain: str) -> bool:
    target = os.path.normpath(os.path.join(base, chain))
    return not (target == str(ROOT) or target.startswith(str(ROOT) + os.sep))


DOTDOT = re.compile(r"(?:\.\./)+[A-Za-z0-9_.\-]*")
ABSOLUTE = re.compile(r"/work/(?:shared|main|\.library)\b")


def check_paths(files: list[str], problems: list[str]) -> None:
    for rel in files:
        path = ROOT / rel
        if path.suffix not in TEXT_SUFFIXES:
            continue
        text = read_text(path)
        if text is None:
            continue
        for no, line in enumerate(text.splitlines(), 1):
            where = f"{rel}:{no}"
            if "../shared" in line and rel not in (LOOKUP_FILE, SELF):
                problems.append(
                    f"{where}: names ../shared; reach conformance data through "
                    "spotkit-conformance (SPOTKIT_CONFORMANCE_DIR) instead"
                )
                continue
            if ABSOLUTE.search(line):
                problems.append(f"{where}: an absolute path outside the repository")
            base = crate_dir(rel) if "CARGO_MANIFEST_DIR" in line else path.parent
            for chain in DOTDOT.findall(line):
                if rel == LOOKUP_FILE:
                    continue
                if escapes(base, chain):
                    problems.append(f"{where}: `{chain}` reaches above the repository root")
            if (
                "SPOTKIT_CONFORMANCE_DIR" in line
                and not rel.startswith(ENV_READERS)
                and re.search(r"env(::var(_os)?|!)\s*\(\s*\"SPOTKIT_CONFORMANCE_DIR", line)
            ):
                problems.append(
                    f"{where}: reads SPOTKIT_CONFORMANCE_DIR itself; use the "
                    "spotkit-conformance helper"
                )


def check_fixture_readmes(files: list[str], problems: list[str]) -> None:
    folders = {str(Path(f).parent) for f in files if "/fixtures/" in f"/{f}"}
    roots = set()
    for folder in folders:
        parts = Path(folder).parts
        idx = max(i for i, p in enumerate(parts) if p == "fixtures")
        roots.add(str(Path(*parts[: idx + 1])))
    for folder in sorted(roots):
        readme = ROOT / folder / "README.md"
        text = read_text(readme) if readme.exists() else None
        if text is None:
            problems.append(f"{folder}/: no README.md saying its files are designed")
        elif "designed" not in text.lower():
            problems.append(f"{folder}/README.md: does not say its files are designed")


# --- copies of conformance data -------------------------------------------------------------


def blobs(path: Path):
    """The file's bytes, and those of its gzip member or zip entries (name, bytes)."""
    try:
        data = path.read_bytes()
    except OSError:
        return
    yield str(path), data
    if path.suffix == ".gz":
        try:
            yield f"{path} (gunzipped)", gzip.decompress(data)
        except OSError:
            pass
    if path.suffix == ".zip":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for info in z.infolist():
                    if not info.is_dir() and info.file_size <= 64 << 20:
                        yield f"{path}!{info.filename}", z.read(info)
        except (zipfile.BadZipFile, OSError):
            pass


def objects(value, out: list) -> None:
    if isinstance(value, dict):
        if len(value) >= MIN_OBJECT_MEMBERS:
            out.append(value)
        for v in value.values():
            objects(v, out)
    elif isinstance(value, list):
        for v in value:
            objects(v, out)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def object_digest(obj) -> str:
    return digest(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode())


# A line that only names a catalogue object (a Spotify URL, URI or image address) is a fact two
# designs can share (Spotify's documentation reuses a handful of example ids); it is no copy.
IDENTIFIER_LINE = re.compile(
    r'^("[a-z_]+":\s*)?"(https://[a-z.]*(spotify|scdn)\.com?/\S*|spotify:[a-z]+:\S+)",?$'
)


def norm_lines(text: str):
    for line in text.splitlines():
        s = line.strip().lstrip("\ufeff")
        if len(s) >= MIN_LINE and not IDENTIFIER_LINE.match(s):
            yield s


class Corpus:
    def __init__(self, folder: Path):
        self.hashes: dict[str, str] = {}
        self.objects: dict[str, str] = {}
        self.lines: dict[str, str] = {}
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name.endswith(".md") or "hooks" in path.parts:
                continue
            for name, data in blobs(path):
                self.hashes.setdefault(digest(data), name)
                if len(data) > 8 << 20:
                    continue
                text = data.decode("utf-8", errors="ignore")
                if name.endswith((".json", ".json (gunzipped)")) or text.lstrip()[:1] in "[{":
                    try:
                        found: list = []
                        objects(json.loads(text), found)
                        for o in found:
                            self.objects.setdefault(object_digest(o), name)
                    except ValueError:
                        pass
                if path.suffix in {".yml", ".yaml"}:
                    continue  # the spec's lines are prose and schema text; hashes cover copies
                if name.endswith(".csv"):
                    # A CSV's header is the format, which designed files share on purpose.
                    text = text.split("\n", 1)[1] if "\n" in text else ""
                for s in norm_lines(text):
                    self.lines.setdefault(s, name)


def check_copies(files: list[str], folder: Path, problems: list[str]) -> int:
    corpus = Corpus(folder)
    checked = 0
    for rel in files:
        path = ROOT / rel
        for name, data in blobs(path):
            checked += 1
            label = name.replace(str(ROOT) + os.sep, "")
            if digest(data) in corpus.hashes:
                problems.append(
                    f"{label}: a copy of the conformance file "
                    f"{corpus.hashes[digest(data)].replace(str(folder), '<conformance>')}"
                )
                continue
            text = data.decode("utf-8", errors="ignore") if b"\0" not in data[:8192] else ""
            if not text:
                continue
            same_objects = set()
            if text.lstrip()[:1] in "[{":
                try:
                    found: list = []
                    objects(json.loads(text), found)
                    same_objects = {
                        corpus.objects[d] for d in map(object_digest, found) if d in corpus.objects
                    }
                except ValueError:
                    pass
            if same_objects:
                problems.append(
                    f"{label}: holds JSON objects copied from "
                    + ", ".join(sorted(s.replace(str(folder), "<conformance>") for s in same_objects))
                )
                continue
            same_lines = [s for s in norm_lines(text) if s in corpus.lines]
            if len(same_lines) >= 2:
                sources = sorted({corpus.lines[s] for s in same_lines})
                problems.append(
                    f"{label}: {len(same_lines)} lines copied from "
                    + ", ".join(s.replace(str(folder), "<conformance>") for s in sources[:3])
                )
    return checked


def main() -> int:
    files = tracked()
    problems: list[str] = []
    check_paths(files, problems)
    check_fixture_readmes(files, problems)
    folder = os.environ.get("SPOTKIT_CONFORMANCE_DIR")
    if folder and Path(folder).is_dir():
        checked = check_copies(files, Path(folder), problems)
        copies = f"{checked} files and entries compared with the conformance data"
    else:
        copies = "no conformance data, copies not checked"
    if problems:
        print(f"repository check: {len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    print(f"repository check: {len(files)} tracked files, paths stay inside, {copies}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
