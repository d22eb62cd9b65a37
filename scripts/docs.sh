#!/usr/bin/env bash
# Builds the DocC documentation of the library and the model with warnings as errors (every
# public symbol documented, every link resolving). Part of scripts/test.sh, so CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
for target in DossierModel DossierKit; do
  swift package --disable-sandbox generate-documentation --target "$target" --warnings-as-errors >/dev/null 2>/tmp/dossier-docc-$target.log \
    || { cat "/tmp/dossier-docc-$target.log" >&2; echo "docs: $target has DocC warnings (above)" >&2; exit 1; }
done
echo "docs: DossierModel and DossierKit build without warnings" >&2
