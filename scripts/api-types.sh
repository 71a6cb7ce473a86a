#!/usr/bin/env bash
# Refreshes the committed OpenAPI snapshot (dashboard/openapi.json) and the dashboard's
# types generated from it (dashboard/src/api.gen.ts). The test command fails when either
# is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "writing dashboard/openapi.json (cargo run -p local -- openapi)"
cargo run -q -p local -- openapi > dashboard/openapi.json
echo "generating dashboard/src/api.gen.ts (json-schema-to-typescript)"
(cd dashboard && node scripts/api-types.mjs)
