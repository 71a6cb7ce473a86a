#!/usr/bin/env bash
# Refreshes the committed screenshots in docs/screenshots/ by running the browser tests
# with SCREENSHOT_DIR pointing there (a test run writes them to a temporary folder).
# Usage: bash scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SCREENSHOT_DIR="$PWD/docs/screenshots" bash scripts/browser-tests.sh
echo "screenshots refreshed in docs/screenshots/ (review with git diff --stat docs/screenshots)"
