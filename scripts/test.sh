#!/usr/bin/env bash
# Runs every check and test of Frontline. Installs what it needs on a fresh machine:
# cargo-nextest (crates.io) if missing, the pinned moto server (PyPI, into .tools/),
# cfn-lint (PyPI, into .tools/), and for the browser tests Debian's Chromium and the
# dashboard's npm packages (scripts/browser-tests.sh). Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
say() { printf '\n==> %s\n' "$*"; }

say "toolchain: $(cargo --version)"
rustup component list --installed 2>/dev/null | grep -q clippy || { say "installing clippy and rustfmt"; rustup component add clippy rustfmt; }
if ! cargo nextest --version >/dev/null 2>&1; then
  say "installing cargo-nextest from crates.io"
  cargo install --locked cargo-nextest
fi

say "installing the pinned moto server and cfn-lint into .tools/ (first run only)"
cargo run -q -p local -- setup
if [ ! -x .tools/lint-venv/bin/cfn-lint ]; then
  python3 -m venv .tools/lint-venv
  .tools/lint-venv/bin/pip install --quiet --disable-pip-version-check 'cfn-lint>=1,<2'
fi

say "cargo fmt --check"
cargo fmt --all -- --check

say "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -q -- -D warnings

say "cfn-lint template.yaml"
.tools/lint-venv/bin/cfn-lint template.yaml

say "tests (unit, and end-to-end against the moto server through the local stack)"
cargo nextest run --workspace --no-fail-fast --success-output never --failure-output final

say "the owner dashboard in a real browser (scripts/browser-tests.sh)"
bash scripts/browser-tests.sh

say "quality on the dev set: triage targets and call scenarios (cargo run -p local -- eval)"
cargo run -q -p local -- eval 2>&1 | sed -n '/^## Targets/,/^## Triage/p' | sed '$d'

