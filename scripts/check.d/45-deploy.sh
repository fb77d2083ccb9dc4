#!/usr/bin/env bash
# deploy/: the container image and the compose file are linted, and what can run without a
# container engine (none runs on the project's machines) runs on 127.0.0.1:
#   - hadolint on deploy/Dockerfile; the compose file's shape (scripts/deploy_check.py lint), and
#     `docker compose config` when the compose plugin is there;
#   - `nginx -t` on deploy/nginx.conf, with its upstreams, ports and certificates moved here;
#   - the compose file's migrate service and its two server instances run as processes from the
#     debug build with the environment compose gives them (the server refuses an unknown
#     SPOTKIT_SERVER_* name, so every name in compose.yaml is proven a setting), on a throwaway
#     PostgreSQL (SQLite files when PostgreSQL is not installed), behind that nginx: both
#     instances answer through it, HTTP redirects to HTTPS, and the servers take the client's
#     address from the proxy's X-Forwarded-For and never from the client's own.
# Only the database's, the listen address's and the trusted proxy's values are changed (they name
# container hosts); everything else is compose.yaml's, with .env.example's values.
set -euo pipefail
cd "$(dirname "$0")/../.."

TARGET="${CARGO_TARGET_DIR:-$HOME/.cache/spotkit-target}"
VENV="${SPOTKIT_DEPLOY_VENV:-$HOME/.cache/spotkit-deploy-venv}"
for tool in "$VENV/bin/hadolint" "$VENV/bin/python"; do
  [[ -x $tool ]] || { echo "$tool is missing; scripts/setup.d/40-deploy.sh installs it" >&2; exit 1; }
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x $NGINX ]] || { echo "nginx is missing; scripts/setup.d/40-deploy.sh installs it" >&2; exit 1; }
CHECK=("$VENV/bin/python" scripts/deploy_check.py)

"$VENV/bin/hadolint" deploy/Dockerfile
"${CHECK[@]}" lint
if docker compose version >/dev/null 2>&1; then
  SPOTKIT_KEY_K1=x POSTGRES_PASSWORD=x docker compose -f deploy/compose.yaml config --quiet
fi

if [[ ! -x "$TARGET/debug/spotkit-server" ]]; then
  cargo build --quiet --locked -p spotkit-server --bin spotkit-server
fi
SERVER_BIN="$TARGET/debug/spotkit-server"

WORK="$(mktemp -d)"
PIDS=()
PG_STOP=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if ((${#PG_STOP[@]})); then "${PG_STOP[@]}" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
chmod 755 "$WORK"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The database: a throwaway PostgreSQL cluster (run as `postgres` when we are root: PostgreSQL
# refuses root), or one SQLite file per instance.
INITDB=""
for candidate in /usr/lib/postgresql/*/bin/initdb; do [[ -x $candidate ]] && INITDB="$candidate"; done
if [[ -n $INITDB ]]; then
  PGBIN="$(dirname "$INITDB")"
  AS=()
  if [[ $(id -u) -eq 0 ]]; then AS=(runuser -u postgres --); fi
  mkdir "$WORK/pg"
  [[ ${#AS[@]} -eq 0 ]] || chown postgres:postgres "$WORK/pg"
  "${AS[@]}" "$PGBIN/initdb" -A trust -U spotkit --no-sync -D "$WORK/pg/data" >"$WORK/pg/initdb.log" 2>&1 \
    || { cat "$WORK/pg/initdb.log" >&2; exit 1; }
  PG_PORT="$(free_port)"
  PG_STOP=("${AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop)
  "${AS[@]}" "$PGBIN/pg_ctl" -w -t 60 -D "$WORK/pg/data" -l "$WORK/pg/log" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pg -c fsync=off" start >/dev/null \
    || { cat "$WORK/pg/log" >&2; exit 1; }
  DBS=("postgres://spotkit@127.0.0.1:$PG_PORT/postgres" "postgres://spotkit@127.0.0.1:$PG_PORT/postgres")
else
  echo "PostgreSQL is not installed: the instances use one SQLite file each" >&2
  DBS=("sqlite://$WORK/server-1.db" "sqlite://$WORK/server-2.db")
fi

# Secrets .env.example leaves empty; a real key, so the server's key check runs.
SPOTKIT_KEY_K1="$(openssl rand -base64 32)"
POSTGRES_PASSWORD=unused
export SPOTKIT_KEY_K1 POSTGRES_PASSWORD

# compose_env SERVICE DB [ARGS...]: the environment compose gives SERVICE, with the values that
# name container hosts moved here, into the array ENV.
compose_env() {
  local service="$1" db="$2"; shift 2
  mapfile -d '' ENV < <("${CHECK[@]}" env "$service" \
    --set "SPOTKIT_SERVER_DATABASE_URL=$db" "$@")
  ((${#ENV[@]})) || { echo "no environment for $service" >&2; exit 1; }
  ENV+=("PATH=$PATH" "RUST_LOG=warn")
}

compose_env migrate "${DBS[0]}"
env -i "${ENV[@]}" "$SERVER_BIN" migrate >"$WORK/migrate.out" 2>&1 \
  || { echo "the migrate service's command failed:" >&2; cat "$WORK/migrate.out" >&2; exit 1; }
grep -q "migrations applied" "$WORK/migrate.out"

# wait_url NAME: the URL server NAME prints once it listens (30 s at most).
wait_url() {
  local name="$1" pid="$2"
  for _ in $(seq 300); do
    if grep -q 'listening on' "$WORK/$name.out" 2>/dev/null; then
      grep -o 'http://[0-9.:]*' "$WORK/$name.out" | head -1; return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited with the environment compose gives it; its output:" >&2
      cat "$WORK/$name.out" "$WORK/$name.err" >&2; return 1
    fi
    sleep 0.1
  done
  echo "$name did not listen within 30 s" >&2; cat "$WORK/$name.err" >&2; return 1
}

# Two logins a minute per client address and instance, so the X-Forwarded-For check below sees
# a 429 after a few requests.
UPSTREAMS=()
for i in 1 2; do
  compose_env "spotkit-server-$i" "${DBS[i - 1]}" \
    --set SPOTKIT_SERVER_LISTEN=127.0.0.1:0 \
    --set SPOTKIT_SERVER_TRUSTED_PROXIES=127.0.0.1 \
    --add SPOTKIT_SERVER_RATE_LIMITS__LOGIN_PER_IP_PER_MINUTE=2
  env -i "${ENV[@]}" "$SERVER_BIN" serve >"$WORK/server-$i.out" 2>"$WORK/server-$i.err" &
  PIDS+=($!)
  url="$(wait_url "server-$i" "$!")"
  UPSTREAMS+=("${url#http://}")
done

# The proxy: deploy/nginx.conf with a self-signed certificate, on free ports, in its own prefix.
mkdir -p "$WORK/nginx/certs"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -keyout "$WORK/nginx/certs/privkey.pem" -out "$WORK/nginx/certs/fullchain.pem" 2>/dev/null
NGINX_GLOBALS="pid $WORK/nginx/nginx.pid; error_log $WORK/nginx/error.log;"
for try in 1 2 3; do
  HTTP_PORT="$(free_port)"; HTTPS_PORT="$(free_port)"
  "${CHECK[@]}" nginx-conf "$WORK/nginx/nginx.conf" "$HTTP_PORT" "$HTTPS_PORT" "$WORK/nginx/certs" "${UPSTREAMS[@]}"
  "$NGINX" -q -t -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g "$NGINX_GLOBALS"
  "$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g "daemon off; $NGINX_GLOBALS" \
    >"$WORK/nginx/access.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do
    if curl -sk -o /dev/null "https://127.0.0.1:$HTTPS_PORT/healthz"; then break 2; fi
    kill -0 "${PIDS[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  if [[ $try == 3 ]] || ! grep -q "in use" "$WORK/nginx/error.log"; then
    echo "nginx did not start:" >&2; cat "$WORK/nginx/error.log" >&2; exit 1
  fi
done

PROXY="https://127.0.0.1:$HTTPS_PORT"
status() { curl -sk -o /dev/null -w '%{http_code}' "$@"; }
fail() { echo "45-deploy: $*" >&2; echo "proxy log:" >&2; cat "$WORK/nginx/access.log" >&2; exit 1; }

for _ in 1 2 3 4; do
  code="$(status "$PROXY/readyz")"
  [[ $code == 200 ]] || fail "GET /readyz through the proxy answered $code"
done
for upstream in "${UPSTREAMS[@]}"; do
  grep -q "upstream=$upstream " "$WORK/nginx/access.log" || fail "the proxy sent nothing to $upstream"
done
location="$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$HTTP_PORT/readyz")"
[[ $location == https://127.0.0.1:$HTTP_PORT/readyz || $location == https://127.0.0.1/readyz ]] \
  || fail "plain HTTP is not sent to HTTPS (Location: $location)"

# One client (127.0.0.2) claiming a new address in X-Forwarded-For each time: five logins over
# two instances allowing two each must meet a 429, since the servers take the address nginx
# appends. Another client (127.0.0.3) is then let in: the servers do not see the proxy's address.
limited=0
for n in 1 2 3 4 5; do
  code="$(status --interface 127.0.0.2 -H "X-Forwarded-For: 198.51.100.$n" "$PROXY/login")"
  [[ $code == 429 ]] && limited=1
  [[ $code == 429 || $code == 302 ]] || fail "GET /login through the proxy answered $code"
done
((limited)) || fail "a client escaped the login limit by sending its own X-Forwarded-For"
code="$(status --interface 127.0.0.3 "$PROXY/login")"
[[ $code == 302 ]] || fail "a second client was limited with the first ($code): the servers see the proxy's address"

backend="PostgreSQL"; [[ -n $INITDB ]] || backend="SQLite"
echo "deploy: hadolint, compose shape and nginx -t pass; migrate + 2 instances ($backend) behind nginx answer with compose.yaml's environment"
