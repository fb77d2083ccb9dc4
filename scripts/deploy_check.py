#!/usr/bin/env python3
"""Checks deploy/ without a container engine (no container engine runs on the project's machines).

Usage (scripts/check.d/45-deploy.sh runs these with the deploy venv's Python, which has PyYAML):

    deploy_check.py lint
        The compose file's shape: the services, the image build, no secret written in the file
        (each comes from .env, and .env.example names it), the proxy's fixed address is the one
        the servers trust, nginx's upstream lists exactly the server services on their port, and
        the Dockerfile's Rust version is rust-toolchain.toml's.
    deploy_check.py env SERVICE [--set NAME=VALUE ...] [--add NAME=VALUE ...]
        The environment compose gives SERVICE (the image's ENV, then the service's environment,
        ${...} filled from .env.example and the process environment), NUL-separated. --set
        replaces a value that names a container host (it must be a name compose sets, so the
        names stay the file's); --add adds a variable the compose file does not set.
    deploy_check.py nginx-conf OUT HTTP_PORT HTTPS_PORT CERT_DIR UPSTREAM...
        deploy/nginx.conf with its listen ports, certificate paths and upstream servers moved
        to this machine (everything else as written), for `nginx -t` and a local run.
"""

from __future__ import annotations

import ipaddress
import os
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SERVERS = ["spotkit-server-1", "spotkit-server-2"]
SERVICES = {"postgres", "migrate", "proxy", *SERVERS}
# Settings whose values are secrets: they must come from .env, never be written in the file.
SECRETS = re.compile(r"(SECRET|PASSWORD|KEYS__K\d+|DATABASE_URL)$")
VAR = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:\?|:-|\?|-)(?P<arg>[^}]*))?\}")


def fail(message: str) -> None:
    sys.exit(f"deploy check: {message}")


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def env_example() -> dict[str, str]:
    out = {}
    for line in (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            out[name.strip()] = value.strip()
    return out


def dockerfile_env() -> dict[str, str]:
    """ENV lines of the image's final stage (KEY=VALUE form)."""
    stages = (DEPLOY / "Dockerfile").read_text(encoding="utf-8").split("\nFROM ")
    out = {}
    for line in stages[-1].splitlines():
        m = re.match(r"ENV\s+([A-Z0-9_]+)=(\S+)\s*$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?error} ($$ is a literal $)."""

    def one(m: re.Match) -> str:
        name, op, arg = m.group("name"), m.group("op"), m.group("arg")
        got = variables.get(name)
        if op in (":?", "?") and (got is None or (op == ":?" and got == "")):
            fail(f"{name} is not set: {arg}")
        if op in (":-", "-") and (got is None or (op == ":-" and got == "")):
            return arg
        return got or ""

    return VAR.sub(one, value.replace("$$", "\0")).replace("\0", "$")


def service_env(doc: dict, name: str) -> dict[str, str]:
    env = doc["services"][name].get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def lint() -> None:
    doc = compose()
    services = doc.get("services", {})
    if set(services) != SERVICES:
        fail(f"compose.yaml has services {sorted(services)}, expected {sorted(SERVICES)}")
    example = env_example()

    proxy_ip = services["proxy"]["networks"]["backend"]["ipv4_address"]
    subnet = doc["networks"]["backend"]["ipam"]["config"][0]["subnet"]
    if ipaddress.ip_address(proxy_ip) not in ipaddress.ip_network(subnet):
        fail(f"the proxy's address {proxy_ip} is outside the backend network {subnet}")

    image_env = dockerfile_env()
    listen_port = image_env.get("SPOTKIT_SERVER_LISTEN", "").rpartition(":")[2]
    if not listen_port:
        fail("deploy/Dockerfile sets no SPOTKIT_SERVER_LISTEN")

    for name in ["migrate", *SERVERS]:
        svc = services[name]
        build = svc.get("build", {})
        if build.get("context") != ".." or build.get("dockerfile") != "deploy/Dockerfile":
            fail(f"{name} is not built from deploy/Dockerfile with the repository root as context")
        if svc.get("ports"):
            fail(f"{name} publishes ports: only the proxy is reachable from outside")
        env = service_env(doc, name)
        if env.get("SPOTKIT_SERVER_TRUSTED_PROXIES") != proxy_ip:
            fail(f"{name} trusts {env.get('SPOTKIT_SERVER_TRUSTED_PROXIES')!r}, the proxy is {proxy_ip}")
        if not env.get("SPOTKIT_SERVER_DATABASE_URL", "").startswith("postgres://"):
            fail(f"{name} does not use the postgres service")
        for key, value in env.items():
            if SECRETS.search(key) and not VAR.search(value):
                fail(f"{name}: {key} is written in compose.yaml; take it from .env as ${{...}}")
    for name, svc in services.items():
        for key, value in service_env(doc, name).items():
            for m in VAR.finditer(value):
                if m.group("name") not in example:
                    fail(f"{name}: {key} uses ${{{m.group('name')}}}, which .env.example does not name")
    if services["spotkit-server-1"].get("environment") != services["spotkit-server-2"].get("environment"):
        fail("the two server instances are configured differently")
    if services["migrate"].get("command") != ["migrate"]:
        fail("the migrate service does not run `spotkit-server migrate`")

    nginx = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    upstreams = re.findall(r"^\s*server\s+([\w.-]+:\d+)", nginx, re.M)
    expected = [f"{s}:{listen_port}" for s in SERVERS]
    if upstreams != expected:
        fail(f"nginx.conf's upstream servers are {upstreams}, compose runs {expected}")
    if "X-Forwarded-For $proxy_add_x_forwarded_for" not in nginx:
        fail("nginx.conf does not pass X-Forwarded-For as docs/server.md says")

    toolchain = (ROOT / "rust-toolchain.toml").read_text(encoding="utf-8")
    channel = re.search(r'channel\s*=\s*"([^"]+)"', toolchain).group(1)
    docker = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    pinned = re.search(r"^ARG RUST_VERSION=(\S+)", docker, re.M).group(1)
    if pinned != channel:
        fail(f"deploy/Dockerfile builds with Rust {pinned}, rust-toolchain.toml says {channel}")
    print(f"compose.yaml: {len(services)} services, servers trust the proxy at {proxy_ip}, "
          f"upstreams {', '.join(expected)}; Dockerfile Rust {pinned}")


def env(args: list[str]) -> None:
    name, rest = args[0], args[1:]
    doc = compose()
    if name not in doc["services"]:
        fail(f"no service {name}")
    variables = {**env_example(), **os.environ}
    out = dict(dockerfile_env()) if name in ["migrate", *SERVERS] else {}
    out.update({k: interpolate(v, variables) for k, v in service_env(doc, name).items()})
    for flag, pair in zip(rest[::2], rest[1::2]):
        key, _, value = pair.partition("=")
        if flag == "--set" and key not in out:
            fail(f"--set {key}: compose.yaml gives {name} no such variable")
        if flag == "--add" and key in out:
            fail(f"--add {key}: compose.yaml sets it already; use --set")
        out[key] = value
    sys.stdout.write("".join(f"{k}={v}\0" for k, v in out.items()))


def nginx_conf(args: list[str]) -> None:
    out, http_port, https_port, cert_dir, *upstreams = args
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")

    def replace(pattern: str, repl, count: int) -> None:
        nonlocal text
        text, n = re.subn(pattern, repl, text, flags=re.M)
        if n != count:
            fail(f"nginx.conf: expected {count} match(es) of {pattern!r}, found {n}")

    replace(r"^(\s*listen\s+)80;", rf"\g<1>127.0.0.1:{http_port};", 1)
    replace(r"^(\s*listen\s+)443 ssl;", rf"\g<1>127.0.0.1:{https_port} ssl;", 1)
    replace(r"/etc/nginx/certs/", cert_dir.rstrip("/") + "/", 2)
    it = iter(upstreams)
    replace(r"^(\s*server\s+)[\w.-]+:\d+", lambda m: m.group(1) + next(it), len(upstreams))
    Path(out).write_text(text, encoding="utf-8")


def main() -> None:
    if len(sys.argv) < 2:
        fail(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    if command == "lint":
        lint()
    elif command == "env":
        env(args)
    elif command == "nginx-conf":
        nginx_conf(args)
    else:
        fail(f"unknown command {command}")


if __name__ == "__main__":
    main()
