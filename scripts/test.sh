#!/usr/bin/env bash
# The whole test suite, from a fresh clone: set-up, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
bash scripts/setup.sh --validators
export DOSSIER_VALIDATORS="$PWD/.venv/bin"
if [ -d ../shared/fixtures ]; then
  export DOSSIER_FIXTURES="$(cd ../shared/fixtures && pwd)"
else
  echo "test: ../shared/fixtures is missing; the conformance tests will fail" >&2
fi
swift build --build-tests
swift test --skip-build "$@"
# The fault campaign's short form (crash points, SIGKILLs, disk full, concurrent filers; about
# 2 minutes) and the DocC documentation, with warnings as errors (both skipped when only some
# tests were asked for).
[ $# -gt 0 ] || bash scripts/campaign.sh --short all
[ $# -gt 0 ] || bash scripts/docs.sh
