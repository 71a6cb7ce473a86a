#!/usr/bin/env bash
# Runs the date-sensitive end-to-end tests (spine, race, scenarios, jobs, sms, calendar,
# owner) as of several instants, through the local stack's clock (FRONTLINE_NOW): the
# main test run proves them on today's date, this proves them on the days that used to
# break them. A test pinned to the instant it was written for (common::stack_at) keeps
# its own instant. Usage: bash scripts/date-matrix.sh [INSTANT ...]
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n==> %s\n' "$*"; }

INSTANTS=("$@")
if [ ${#INSTANTS[@]} -eq 0 ]; then
  INSTANTS=(
    2026-11-23T15:00:00Z # Monday 09:00 in Kansas (America/Chicago)
    2026-12-01T16:00:00Z # Tuesday 10:00 ("next Wednesday" is ambiguous on a Tuesday)
    2026-11-30T04:30:00Z # Sunday 22:30, after hours
    2027-03-13T18:00:00Z # Saturday 12:00, the day before clocks spring forward
    2026-11-01T15:00:00Z # Sunday 09:00, the day clocks fall back
    2026-12-23T21:00:00Z # Wednesday 15:00 of Christmas week (closed the 24th and 25th)
  )
fi
# Selected with a filter over the whole workspace, not `-p e2e`: the main run's build (the
# workspace's feature set) is reused instead of building every dependency again.
FILTER='package(e2e) & (binary(spine) | binary(race) | binary(scenarios) | binary(jobs) | binary(sms) | binary(calendar) | binary(owner))'

for at in "${INSTANTS[@]}"; do
  say "date-sensitive tests as of $at ($(TZ=America/Chicago date -d "$at" '+%A %Y-%m-%d %H:%M %Z'))"
  FRONTLINE_NOW="$at" cargo nextest run --workspace -E "$FILTER" --no-fail-fast \
    --success-output never --failure-output final --status-level fail
done
