#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it: tools, typecheck, lint and format, then every test.
# The YouTube-facing files run twice: with the default extractors (ytdl-core, then youtubei.js)
# and with youtubei.js alone, so both extractors pass every one of them.
set -euo pipefail
cd "$(dirname "$0")/.."

fixtures="../shared/fixtures/youtube-2020"
if [ ! -d "$fixtures" ]; then
  echo "test: the recorded YouTube pages are missing: the tests read them from $(cd .. && pwd)/shared/fixtures/youtube-2020 (the clone must sit beside the shared/ folder)" >&2
  exit 1
fi
bash scripts/setup-test-deps.sh
bun scripts/build-youtubei.ts
echo "== typecheck (tsc --noEmit, strict)"
tsc --noEmit
echo "== lint and format (biome ci)"
biome ci --reporter=summary .
echo "== media of the simulated YouTube (made once by ffmpeg, in test/.media)"
bun --eval 'await (await import("./fake-youtube/media.ts")).prepareMedia(); await (await import("./fake-youtube/long-media.ts")).prepareLongMedia()'
echo "== tests (bun test)"
# bunfig.toml's [test] timeout is not read by Bun 1.4.5: the per-test limit is given here.
bun test --timeout 20000 "$@"
if [ $# -eq 0 ]; then
  # Files that start the stack with the run's extractors (extractor-fallback.test.ts names its own).
  mapfile -t youtube_facing < <(grep -rlE "startStack|hostile-stack" test --include='*.test.ts' |
    grep -v extractor-fallback | sort)
  echo "== YouTube-facing tests again, with youtubei.js as the only extractor"
  DOWNTUBE_YOUTUBE_EXTRACTORS=youtubei bun test --timeout 20000 "${youtube_facing[@]}"
fi
