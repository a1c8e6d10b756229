#!/usr/bin/env bash
# Installs the programs the test suite and the demo use that npm cannot bring: ffmpeg/ffprobe
# (media for the simulated YouTube, and a real client in the download tests), curl, and Chromium
# (the browser test drives Debian's build through playwright-core: its own download needs the
# internet), redis-server (the shared store is tested against a real one) and openssl (a
# throwaway certificate for the https media origin of the direct-URL source's tests).
# Idempotent: does nothing when they are already there. Needs root (or sudo) only to install.
set -euo pipefail

missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]} from Debian packages" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
  echo "setup: need root to install ${missing[*]}; install them and run again" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
