#!/usr/bin/env bash
# The main job, on the committed demo vault Vault/: set-up, a release build, then the checks a
# unit's staff and its confidentiality officers run. Reads the vault, never changes it.
# `validate` exits 1 because the demo holds findings on purpose; that is shown, not fatal.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
bash scripts/setup.sh
swift build -c release --product dossier >&2
dossier="$(swift build -c release --show-bin-path)/dossier"
export DOSSIER_VAULT="$PWD/Vault"
as_of=2026-11-28

run() {
  printf '\n$ dossier %s\n' "$*"
  status=0
  "$dossier" "$@" || status=$?
  [ "$status" -eq 0 ] || printf '(exit status %d)\n' "$status"
  # 1 is "the check found problems": expected here. Anything else is a real failure.
  [ "$status" -le 1 ] || exit "$status"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run verify
run validate --all --as-of "$as_of"
run flags
run due --as-of "$as_of"
run show IMUT-2023-0004
run log IMUT-2023-0004
run search 稀土
run search 非国有 --kind transfer-contract --since 2023-01-01
run list --status "pending review"
run report annual --unit imut --year 2023
run audit verify
# An export is itself recorded in the audit log; the demo exports from a copy so that the
# committed vault stays as it is.
cp -r Vault "$work/Vault"
run export IMUT-2022-0031 --vault "$work/Vault" --format tar.gz -o "$work/IMUT-2022-0031-v6.tar.gz" --as-of "$as_of"
run verify-bundle "$work/IMUT-2022-0031-v6.tar.gz"
