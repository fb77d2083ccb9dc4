# `spotkit sync` drives two external tools, and its integration tests run the real ones:
# ffmpeg (Debian) converts, yt-dlp (PyPI, in a venv) downloads. Exports the paths the tests read;
# a test that finds one of these variables set but the tool missing fails instead of skipping.
apt_install ffmpeg

SPOTKIT_SYNC_VENV="${SPOTKIT_SYNC_VENV:-$HOME/.cache/spotkit-sync-venv}"
SPOTKIT_YTDLP_VERSION="2026.10.26"
if ! "$SPOTKIT_SYNC_VENV/bin/yt-dlp" --version 2>/dev/null | grep -qx "$SPOTKIT_YTDLP_VERSION"; then
  step "installing yt-dlp $SPOTKIT_YTDLP_VERSION into $SPOTKIT_SYNC_VENV"
  python3 -m venv "$SPOTKIT_SYNC_VENV"
  "$SPOTKIT_SYNC_VENV/bin/pip" install --quiet --disable-pip-version-check "yt-dlp==$SPOTKIT_YTDLP_VERSION"
fi
export SPOTKIT_YTDLP="$SPOTKIT_SYNC_VENV/bin/yt-dlp"
SPOTKIT_FFMPEG="$(command -v ffmpeg)"
SPOTKIT_FFPROBE="$(command -v ffprobe)"
export SPOTKIT_FFMPEG SPOTKIT_FFPROBE
