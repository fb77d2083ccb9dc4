# spotkit-server: PostgreSQL (the two-instance refresh test starts its own server on 127.0.0.1),
# headless Chromium + chromedriver (the browser login test), wrk (check.d/35-server-bench-smoke.sh),
# schemathesis (check.d/30-server-api.sh).
apt_install postgresql chromium chromium-driver wrk
# With these installed a missing binary is a failure, not a skipped test.
export SPOTKIT_REQUIRE_POSTGRES=1
export SPOTKIT_REQUIRE_BROWSER=1

SPOTKIT_SCHEMATHESIS_VENV="${SPOTKIT_SCHEMATHESIS_VENV:-$HOME/.cache/spotkit-server-venv}"
if [[ ! -x "$SPOTKIT_SCHEMATHESIS_VENV/bin/schemathesis" ]]; then
  step "installing schemathesis into $SPOTKIT_SCHEMATHESIS_VENV"
  python3 -m venv "$SPOTKIT_SCHEMATHESIS_VENV"
  "$SPOTKIT_SCHEMATHESIS_VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==4.*"
fi
export SPOTKIT_SCHEMATHESIS_VENV
