#!/usr/bin/env bash
# Installs the given Debian packages (as root, or through sudo). Used by the setup scripts once
# they know what is missing.
set -euo pipefail
[ $# -eq 0 ] && exit 0
echo "setup: installing $* from Debian packages" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
  echo "setup: need root to install $*; install them and run again" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
