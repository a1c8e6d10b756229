#!/usr/bin/env bash
# Installs Debian's nginx (built with the slice module that `npm run start:nginx` and the offload
# tests use) when it is missing, then checks that it has that module. Idempotent. Needs root (or
# sudo) only to install.
set -euo pipefail

nginx_bin="${DOWNTUBE_NGINX:-/usr/sbin/nginx}"
[ -x "$nginx_bin" ] || bash "$(dirname "$0")/setup-test-deps.sh" nginx
if ! "$nginx_bin" -V 2>&1 | grep -q -- --with-http_slice_module; then
  echo "setup: $nginx_bin lacks the slice module (http_slice_module); install Debian's nginx package" >&2
  exit 1
fi
