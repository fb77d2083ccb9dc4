# scripts/peer-check also runs Spotify's TypeScript SDK, which needs Node 18 or newer (its global
# fetch) and npm to install the pinned SDK into a cache dir. Debian's nodejs is 18.
if [[ -z "${SPOTKIT_SKIP_PEER:-}" ]] && ! { command -v node && command -v npm; } >/dev/null; then
  apt_install nodejs npm
fi
