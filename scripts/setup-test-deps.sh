#!/usr/bin/env bash
# Installs the programs the tests, the demo and the benchmarks use that npm cannot bring, from
# Debian packages: ffmpeg/ffprobe (media for the simulated YouTube, and a real client in the
# download tests), curl, Chromium (the browser tests drive Debian's build through playwright-core:
# its own download needs the internet), redis-server (the shared store is tested against a real
# one), nginx (a real trusted reverse proxy in front of the gateway) with its js module (the offload
# mode's slice guard), openssl (a throwaway certificate for the https media origin of the
# direct-URL source's tests), and a CJK and an emoji font (fonts-noto-cjk, fonts-noto-color-emoji),
# so the browser tests' screenshots, the README's among them, show the test titles' Japanese and
# emoji instead of missing-glyph boxes.
#
# Usage: setup-test-deps.sh [package ...]   (default: all of them; `npm run demo` names only
# ffmpeg, `npm run bench` ffmpeg and curl). Does nothing when they are there, so no root is needed
# then. Waits up to DOWNTUBE_APT_LOCK_WAIT seconds (default 300) for another package manager
# holding the dpkg lock; without root or sudo it says what to install and exits 1.
set -euo pipefail

# Debian package -> how to tell it is there.
present() {
  case "$1" in
    ffmpeg) command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 ;;
    curl) command -v curl >/dev/null 2>&1 ;;
    chromium) [ -x /usr/bin/chromium ] ;;
    redis-server) command -v redis-server >/dev/null 2>&1 ;;
    nginx) command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] ;;
    openssl) command -v openssl >/dev/null 2>&1 ;;
    libnginx-mod-http-js) [ -e /usr/lib/nginx/modules/ngx_http_js_module.so ] ;;
    fonts-noto-cjk) [ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto | grep -q CJK ;;
    fonts-noto-color-emoji) [ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] ;;
    *)
      echo "setup: unknown package $1 (known: ffmpeg curl chromium redis-server nginx libnginx-mod-http-js openssl fonts-noto-cjk fonts-noto-color-emoji)" >&2
      exit 2
      ;;
  esac
}

wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(ffmpeg curl chromium redis-server nginx libnginx-mod-http-js openssl fonts-noto-cjk fonts-noto-color-emoji)
missing=()
for package in "${wanted[@]}"; do
  present "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

# sudo only where it can work: without a password, or with a terminal to ask for one.
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
  sudo=(sudo)
else
  echo "setup: missing ${missing[*]}; installing needs root: run 'apt-get install ${missing[*]}' as root, then try again" >&2
  exit 1
fi
wait_s="${DOWNTUBE_APT_LOCK_WAIT:-300}"
echo "setup: installing ${missing[*]} from Debian packages (waiting up to ${wait_s}s if another package manager is busy)" >&2
export DEBIAN_FRONTEND=noninteractive
apt=("${sudo[@]}" apt-get -o "DPkg::Lock::Timeout=${wait_s}")
if ! "${apt[@]}" update -qq || ! "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "setup: could not install ${missing[*]} (see above); install them, then try again" >&2
  exit 1
fi
