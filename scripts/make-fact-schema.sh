#!/usr/bin/env bash
# Regenerates Schemas/facts.schema.json from FactSchema (the Swift definition of each kind's
# facts). Run after changing FactSchema; the test suite fails while the two differ.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8
swift build --product dossier-bench >/dev/null
"$(swift build --show-bin-path)/dossier-bench" fact-schema > Schemas/facts.schema.json
echo "make-fact-schema: wrote Schemas/facts.schema.json" >&2
