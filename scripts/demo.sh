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

run validate --all --as-of "$as_of"
run flags
run due --as-of "$as_of"
run show IMUT-2023-0004
run log IMUT-2023-0004
