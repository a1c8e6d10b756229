#!/usr/bin/env bash
# Installs Debian's nginx (built with the slice module that `npm run start:nginx` and the offload
# tests use) and its js module (the slice guard runs in it) when they are missing, then checks
# that nginx has the slice module. Idempotent. Needs root (or sudo) only to install.
set -euo pipefail

nginx_bin="${DOWNTUBE_NGINX:-/usr/sbin/nginx}"
if [ -x "$nginx_bin" ]; then
  bash "$(dirname "$0")/setup-test-deps.sh" libnginx-mod-http-js
else
  bash "$(dirname "$0")/setup-test-deps.sh" nginx libnginx-mod-http-js
fi
if ! "$nginx_bin" -V 2>&1 | grep -q -- --with-http_slice_module; then
  echo "setup: $nginx_bin lacks the slice module (http_slice_module); install Debian's nginx package" >&2
  exit 1
fi
