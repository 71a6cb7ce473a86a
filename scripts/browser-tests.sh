#!/usr/bin/env bash
# Browser tests of the owner dashboard: installs Debian's Chromium (first run only) and
# the dashboard's npm packages, builds the dashboard, starts the local runner on a free
# port (its own moto, fresh data) as of a pinned instant, runs dashboard/e2e with
# Playwright (playwright-core) and stops the runner. Screenshots land in SCREENSHOT_DIR
# (default: a new temporary folder, so a test run leaves the tree clean;
# scripts/screenshots.sh refreshes the committed ones in docs/screenshots/).
# Usage: bash scripts/browser-tests.sh   (scripts/test.sh runs it)
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n==> %s\n' "$*"; }

if [ ! -x /usr/bin/chromium ]; then
  say "installing Chromium from Debian's packages (apt-get install chromium)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -q chromium >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q chromium >/dev/null
  }
fi
if [ ! -f dashboard/node_modules/.package-lock.json ]; then
  say "installing the dashboard's npm packages (npm ci)"
  (cd dashboard && npm ci --no-audit --no-fund --loglevel=error)
fi
say "building the dashboard (tsc, then vite build)"
(cd dashboard && npm run --silent build)

# The tests say "tuesday morning": they run as of the Thursday morning they were written
# for (no holiday in the days they book), and the browser's clock is set to the stack's.
export FRONTLINE_NOW="${BROWSER_TESTS_NOW:-2026-11-19T16:00:00Z}"
SCREENSHOT_DIR="${SCREENSHOT_DIR:-$(mktemp -d)}"
export SCREENSHOT_DIR
cargo build -q -p local
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LOG=$(mktemp)
say "starting the local runner on port $PORT as of $FRONTLINE_NOW (log: $LOG; screenshots: $SCREENSHOT_DIR)"
FRONTLINE_PORT=$PORT target/debug/local >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$PORT/config.json" >/dev/null 2>&1 && grep -q "Frontline is running" "$LOG"; then break; fi
  if ! kill -0 $PID 2>/dev/null; then cat "$LOG"; echo "the local runner stopped"; exit 1; fi
  sleep 1
done

say "browser tests (Playwright driving $(/usr/bin/chromium --version 2>/dev/null | head -1))"
BASE_URL="http://127.0.0.1:$PORT" LOCAL_BIN="$PWD/target/debug/local" \
  node --test --test-concurrency=1 --test-reporter=spec dashboard/e2e/ || { echo "--- local runner log"; tail -50 "$LOG"; exit 1; }
