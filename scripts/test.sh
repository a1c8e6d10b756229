#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it: tools, typecheck, lint and format, then every test.
# The YouTube-facing files run twice: with the default extractors (ytdl-core, then youtubei.js)
# and with youtubei.js alone, so both extractors pass every one of them.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-test-deps.sh
bun scripts/build-youtubei.ts
echo "== typecheck (tsc --noEmit, strict)"
tsc --noEmit
echo "== lint and format (biome ci)"
biome ci --reporter=summary .
echo "== tests (bun test)"
bun test "$@"
if [ $# -eq 0 ]; then
  # Files that start the stack with the run's extractors (extractor-fallback.test.ts names its own).
  mapfile -t youtube_facing < <(grep -rlE "startStack|hostile-stack" test --include='*.test.ts' |
    grep -v extractor-fallback | sort)
  echo "== YouTube-facing tests again, with youtubei.js as the only extractor"
  DOWNTUBE_YOUTUBE_EXTRACTORS=youtubei bun test "${youtube_facing[@]}"
fi
