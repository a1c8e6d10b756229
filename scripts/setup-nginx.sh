#!/usr/bin/env bash
# Installs Debian's nginx (built with the slice module that `npm run start:nginx` and the offload
# tests use) when it is missing. Idempotent. Needs root (or sudo) only to install.
set -euo pipefail

nginx_bin="${DOWNTUBE_NGINX:-/usr/sbin/nginx}"
if [ -x "$nginx_bin" ]; then
  if "$nginx_bin" -V 2>&1 | grep -q -- --with-http_slice_module; then exit 0; fi
  echo "setup: $nginx_bin lacks the slice module (http_slice_module); install Debian's nginx package" >&2
  exit 1
fi

bash "$(dirname "$0")/apt-install.sh" nginx
