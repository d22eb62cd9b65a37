#!/usr/bin/env bash
# Compares OFDDocument.text() (through `dossier-bench ofd-text`) with ofdkit (from
# `scripts/setup.sh --validators`) on every .ofd file given or found in the folders given.
# Prints SAME / DIFF / REFUSED / OFDKIT-FAILED per file.
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
python="$here/.venv/bin/python"
bench="$here/.build/release/dossier-bench"
[ -x "$bench" ] || bench="$here/.build/debug/dossier-bench"
same=0; diff=0; refused=0
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
for arg in "$@"; do
  if [ -d "$arg" ]; then find "$arg" -name '*.ofd' | sort; else echo "$arg"; fi
done | while read -r file; do
  timeout 120 "$python" "$here/scripts/ofdkit-text.py" "$file" "$tmp/expected" 2>"$tmp/pyerr" || { echo "OFDKIT-FAILED $file: $(tail -1 "$tmp/pyerr")"; continue; }
  if ! "$bench" ofd-text "$file" >"$tmp/actual" 2>"$tmp/err"; then
    echo "REFUSED $file: $(cat "$tmp/err")"
  elif cmp -s "$tmp/expected" "$tmp/actual"; then
    echo "SAME $file"
  else
    echo "DIFF $file"
    diff <(tr '\f' '\n' <"$tmp/expected") <(tr '\f' '\n' <"$tmp/actual") | head -10
  fi
done
