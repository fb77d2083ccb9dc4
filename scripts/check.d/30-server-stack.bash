# Sourced (not run) by check.d/30-server-api.sh and scripts/bench-server: starts a sandbox
# (auto-approve) and a spotkit-server on 127.0.0.1, logs in through the mobile hand-off with curl,
# and sets SANDBOX, SERVER and TOKEN (a server API token). Stops both on exit.
# Needs BIN (the directory with spotkit-server and spotkit-sandbox).

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# wait_line PID NAME PATTERN: waits (up to 30 s) for the line in $WORK/NAME.out that says where
# the server PID listens, and prints its URL. Fails at once, with the server's output and
# errors, when the server exits first (a bad setting, a port taken).
wait_line() {
  local pid="$1" out="$WORK/$2.out" err="$WORK/$2.err"
  for _ in $(seq 300); do
    if grep -q "$3" "$out" 2>/dev/null; then grep -o 'http://[0-9.:]*' "$out" | head -1; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$2 exited before saying '$3'; its output and errors:" >&2
      cat "$out" "$err" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "timed out after 30 s waiting for '$3' from $2; its output and errors:" >&2
  cat "$out" "$err" >&2
  return 1
}

"$BIN/spotkit-sandbox" --addr 127.0.0.1:0 --auto-approve --playlists 5 >"$WORK/sandbox.out" 2>"$WORK/sandbox.err" &
PIDS+=($!)
SANDBOX="$(wait_line "$!" sandbox 'listening on')"

# The public URL (the redirect URI) must be known before the server starts, so a free port is
# picked first; another process may take it in between, hence a few tries.
APP="com.example.app://callback"
KEY="$(python3 -c 'import os, base64; print(base64.b64encode(os.urandom(32)).decode())')"
for try in 1 2 3; do
  PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  SERVER="http://127.0.0.1:$PORT"
  env SPOTKIT_SERVER_LISTEN="127.0.0.1:$PORT" \
      SPOTKIT_SERVER_PUBLIC_URL="$SERVER" \
      SPOTKIT_SERVER_DATABASE_URL="sqlite://$WORK/server.db" \
      SPOTKIT_SERVER_COOKIE_SECURE=false \
      SPOTKIT_SERVER_MOBILE_REDIRECT_URIS="$APP" \
      SPOTKIT_SERVER_SPOTIFY__CLIENT_ID=spotkit-demo \
      SPOTKIT_SERVER_SPOTIFY__CLIENT_SECRET=spotkit-demo-secret \
      SPOTKIT_SERVER_SPOTIFY__API_BASE_URL="$SANDBOX/v1" \
      SPOTKIT_SERVER_SPOTIFY__ACCOUNTS_BASE_URL="$SANDBOX" \
      SPOTKIT_SERVER_RATE_LIMITS__LOGIN_PER_IP_PER_MINUTE=0 \
      SPOTKIT_SERVER_RATE_LIMITS__API_PER_IP_PER_MINUTE=0 \
      SPOTKIT_SERVER_RATE_LIMITS__API_PER_USER_PER_MINUTE=0 \
      SPOTKIT_SERVER_KEYS__CURRENT=k1 \
      SPOTKIT_SERVER_KEYS__K1="$KEY" \
      RUST_LOG=warn \
      "$BIN/spotkit-server" serve >"$WORK/server.out" 2>"$WORK/server.err" &
  PIDS+=($!)
  if wait_line "$!" server 'listening on' >/dev/null; then break; fi
  if [[ $try == 3 ]] || ! grep -q "cannot listen on" "$WORK/server.err"; then exit 1; fi
  echo "port $PORT was taken before the server bound it; trying another" >&2
done

# The mobile hand-off with curl: /login -> sandbox (auto-approve) -> /callback -> app redirect.
VERIFIER="$(python3 -c 'import os, base64; print(base64.urlsafe_b64encode(os.urandom(48)).decode().rstrip("="))')"
CHALLENGE="$(python3 -c 'import sys, hashlib, base64; print(base64.urlsafe_b64encode(hashlib.sha256(sys.argv[1].encode()).digest()).decode().rstrip("="))' "$VERIFIER")"
JAR="$WORK/jar"
hop() { curl -s -o /dev/null -b "$JAR" -c "$JAR" -w '%{redirect_url}' "$@"; }
TO_SANDBOX="$(hop -G "$SERVER/login" --data-urlencode "redirect_uri=$APP" --data-urlencode "code_challenge=$CHALLENGE")"
TO_CALLBACK="$(hop "$TO_SANDBOX")"
TO_APP="$(curl -s -o /dev/null -b "$JAR" -c "$JAR" -D - "$TO_CALLBACK" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')"
CODE="$(python3 -c 'import sys, urllib.parse as u; print(u.parse_qs(u.urlsplit(sys.argv[1]).query)["code"][0])' "$TO_APP")"
TOKEN="$(curl -sf "$SERVER/token" -d grant_type=authorization_code -d "code=$CODE" -d "code_verifier=$VERIFIER" -d "redirect_uri=$APP" \
  | python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])')"

