#!/usr/bin/env bash
# Installs the programs the tests, the demo and the benchmarks use that npm cannot bring: ffmpeg/
# ffprobe (media for the simulated YouTube, and a real client in the download tests), curl,
# Chromium (the browser test drives Debian's build through playwright-core: its own download
# needs the internet), redis-server (the shared store is tested against a real one) and nginx
# (a real trusted reverse proxy in front of the gateway).
#
# Usage: setup-test-deps.sh [package ...]   (default: all of them; `npm run bench` names only
# what it needs: ffmpeg curl). Idempotent: does nothing when they are already there. Needs root
# (or sudo) only to install.
set -euo pipefail

# Debian package -> how to tell it is there.
present() {
  case "$1" in
    ffmpeg) command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 ;;
    curl) command -v curl >/dev/null 2>&1 ;;
    chromium) [ -x /usr/bin/chromium ] ;;
    redis-server) command -v redis-server >/dev/null 2>&1 ;;
    nginx) command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] ;;
    *)
      echo "setup: unknown package $1 (known: ffmpeg curl chromium redis-server nginx)" >&2
      exit 2
      ;;
  esac
}

wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(ffmpeg curl chromium redis-server nginx)
missing=()
for package in "${wanted[@]}"; do
  present "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]} from Debian packages" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
  echo "setup: need root to install ${missing[*]}; install them and run again" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
