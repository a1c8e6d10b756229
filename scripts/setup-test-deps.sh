#!/usr/bin/env bash
# The programs the test suite uses that npm cannot bring: ffmpeg/ffprobe (media for the simulated
# YouTube, and a real client in the download tests), curl, Chromium (the browser test drives
# Debian's build through playwright-core: its own download needs the internet) and redis-server
# (the shared store is tested against a real one). Installed only when missing.
set -euo pipefail
exec bash "$(dirname "$0")/install-packages.sh" ffmpeg curl chromium redis-server
