#!/usr/bin/env bash
# Runs every check and test of Frontline. Installs what it needs on a fresh machine:
# cargo-nextest (crates.io) if missing, the pinned moto server (PyPI, into .tools/), the
# SAM CLI with cfn-lint, cargo-lambda and zig (PyPI, into .tools/sam-venv), and for the
# browser tests Debian's Chromium and the dashboard's npm packages
# (scripts/browser-tests.sh). The date-sensitive end-to-end tests run again as of six
# other instants (scripts/date-matrix.sh). Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
# A test run builds everything once: incremental caches would only take disk (a fresh
# clone's target/ is about a third smaller without them; CI once ran out of space).
export CARGO_INCREMENTAL=0
say() { printf '\n==> %s\n' "$*"; }

say "toolchain: $(cargo --version); free disk: $(df -h . | awk 'NR==2 {print $4}')"
rustup component list --installed 2>/dev/null | grep -q clippy || { say "installing clippy and rustfmt"; rustup component add clippy rustfmt; }
if ! cargo nextest --version >/dev/null 2>&1; then
  say "installing cargo-nextest from crates.io"
  cargo install --locked cargo-nextest
fi

say "installing the pinned moto server into .tools/ (first run only)"
cargo run -q -p local -- setup
bash scripts/sam-tools.sh
SAM_VENV=.tools/sam-venv/bin
export SAM_CLI_TELEMETRY=0

say "cargo fmt --check"
cargo fmt --all -- --check

say "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -q -- -D warnings

say "cfn-lint template.yaml (warnings fail too)"
$SAM_VENV/cfn-lint template.yaml

say "sam validate --lint"
$SAM_VENV/sam validate --lint --template template.yaml

say "the embedded triage model is what its corpus trains (cargo run -p local -- train-triage --check)"
cargo run -q -p local -- train-triage --check

say "tests (unit, and end-to-end against the moto server through the local stack)"
cargo nextest run --workspace --no-fail-fast --success-output never --failure-output final

say "the date-sensitive end-to-end tests as of six other instants (scripts/date-matrix.sh)"
bash scripts/date-matrix.sh

say "release build of call-turn for Lambda arm64 (cargo lambda build --release --arm64)"
PATH="$PWD/$SAM_VENV:$PATH" cargo lambda build --release --arm64 -p call-turn
say "call-turn bootstrap (arm64, release, stripped): $(stat -c %s target/lambda/call-turn/bootstrap) bytes"

say "the owner dashboard in a real browser (scripts/browser-tests.sh)"
bash scripts/browser-tests.sh

# The dev set only: a sealed set is scored once, by hand, when it is new (docs/EVAL.md).
say "quality on the dev set: triage targets and call scenarios (cargo run -p local -- eval --dev-only)"
cargo run -q -p local -- eval --dev-only 2>&1 | sed -n '/^## Targets/,/^## Triage/p' | sed '$d'

