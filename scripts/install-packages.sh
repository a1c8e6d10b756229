#!/usr/bin/env bash
# Makes sure the programs named as arguments are on this machine (each Debian package here is
# named like the program it brings: ffmpeg, curl, chromium, redis-server), installing the missing
# ones with apt-get. Does nothing when they are all there, so no root is needed then.
# Waits up to DOWNTUBE_APT_LOCK_WAIT seconds (default 300) for another package manager holding
# the dpkg lock; without root or sudo it says what to install and exits 1.
set -euo pipefail

missing=()
for program in "$@"; do
  command -v "$program" >/dev/null 2>&1 || missing+=("$program")
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
