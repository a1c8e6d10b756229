#!/usr/bin/env bash
# Installs the programs the test suite and the demo use that npm cannot bring: ffmpeg/ffprobe
# (media for the simulated YouTube, and a real client in the download tests), curl, and Chromium
# (the browser test drives Debian's build through playwright-core: its own download needs the
# internet), redis-server (the shared store is tested against a real one) and nginx (the offload
# mode is tested behind a real one; scripts/setup-nginx.sh checks its slice module).
# Idempotent: does nothing when they are already there. Needs root (or sudo) only to install.
set -euo pipefail

missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ ${#missing[@]} -eq 0 ] && exit 0

bash "$(dirname "$0")/apt-install.sh" "${missing[@]}"
