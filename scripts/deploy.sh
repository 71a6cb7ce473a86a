#!/usr/bin/env bash
# Builds and deploys one stage to AWS, then publishes the dashboard.
# Usage: bash scripts/deploy.sh dev|prod   (README, "Deploy to AWS", lists what it needs)
set -euo pipefail
cd "$(dirname "$0")/.."
stage=${1:?usage: bash scripts/deploy.sh dev|prod}
[ -f "infra/parameters/$stage.json" ] || { echo "no infra/parameters/$stage.json" >&2; exit 2; }
say() { printf '\n==> %s\n' "$*"; }
export SAM_CLI_TELEMETRY=0
bash scripts/sam-tools.sh
VENV=.tools/sam-venv/bin
export PATH="$PWD/$VENV:$PATH"

say "resolving infra/parameters/$stage.json (secret names to ARNs)"
overrides=$("$VENV/python" infra/deploy.py overrides "$stage")

say "checking the template (cfn-lint, sam validate --lint)"
cfn-lint template.yaml
sam validate --lint --template template.yaml

say "sam build (cargo lambda, release, arm64; every function)"
sam build --template template.yaml --config-file infra/samconfig.toml

say "sam deploy --config-env $stage"
eval "sam deploy --config-file infra/samconfig.toml --config-env $stage --parameter-overrides $overrides"

say "building and publishing the dashboard"
(cd dashboard && npm ci --no-audit --no-fund && npm run build)
"$VENV/python" infra/deploy.py dashboard "frontline-$stage"
