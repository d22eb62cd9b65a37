#!/usr/bin/env bash
# Rebuilds the demo vault Vault/ from scratch: `dossier init`, then `dossier file` of every
# checked-in bundle Demo/bundles/<ID>/<n>/ in order (one bundle = one version). The committed
# Vault/ is this script's output; run it after changing the bundles (Demo/make-bundles.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
swift build -c release --product dossier >&2
dossier="$(swift build -c release --show-bin-path)/dossier"
export DOSSIER_USER="演示档案员" DOSSIER_EMAIL="archivist@example.org"
rm -rf Vault
"$dossier" init --vault Vault --organisation "内蒙古自治区赋权试点（示范档案库）"
# The demo's confidentiality office, cleared for secret with a demo-only key
# (Demo/keys/demo-officer.key): the classified dossier's papers are stored encrypted to it.
officer=$(grep -o 'age1[a-z0-9]*' Demo/keys/demo-officer.key | head -1)
"$dossier" clearance add --vault Vault secret 保密办公室 "$officer"
# The demo's seal (demo-only, Demo/keys/demo-seal.key): every audit line seals the log's head.
# Git keeps no file modes and a seal key readable by others is refused, so a 600 copy is used.
seal_key=$(mktemp)
trap 'rm -f "$seal_key"' EXIT
cp Demo/keys/demo-seal.key "$seal_key"
chmod 600 "$seal_key"
export DOSSIER_SEAL_KEY="$seal_key"
for bundle_dir in Demo/bundles/*/; do
  for number in $(ls "$bundle_dir" | sort -n); do
    "$dossier" file --vault Vault "$bundle_dir$number"
  done
done
