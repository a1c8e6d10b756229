#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it: tools, typecheck, lint and format, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-test-deps.sh
echo "== typecheck (tsc --noEmit, strict)"
tsc --noEmit
echo "== lint and format (biome ci)"
biome ci --reporter=summary .
echo "== tests (bun test)"
bun test "$@"
