#!/usr/bin/env bash
# Installs the deploy and template tools into .tools/sam-venv from PyPI, once: the SAM CLI
# (with cfn-lint), cargo-lambda (builds the functions for Lambda) and zig (its arm64
# linker). Used by scripts/test.sh and scripts/deploy.sh. Usage: bash scripts/sam-tools.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.tools/sam-venv
PINS=(aws-sam-cli==1.170.0 cargo-lambda==1.9.2 ziglang==0.15.2)
if [ -x "$VENV/bin/sam" ] && [ -x "$VENV/bin/cargo-lambda" ] && [ "$(cat "$VENV/.pins" 2>/dev/null)" = "${PINS[*]}" ]; then
  exit 0
fi
printf '\n==> %s\n' "installing ${PINS[*]} into $VENV (PyPI, first run only)"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "${PINS[@]}"
echo "${PINS[*]}" > "$VENV/.pins"
