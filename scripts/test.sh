#!/usr/bin/env bash
# The one test command (README, .ci/run): tools, types, lint, then every vitest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
npm run --silent typecheck
npm run --silent lint
npx vitest run
