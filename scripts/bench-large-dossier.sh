#!/usr/bin/env bash
# One dossier of many documents (issue 13: linear in a dossier's size): with the release build,
#   filing   the dossier's N documents in one filing (dossier-bench generate, the library's
#            filing path), then one more one-page document with `dossier file` (reads and
#            rewrites the whole inventory, holding the dossier's lock);
#   indexing `dossier index --rebuild` (text of every document);
#   verifying `dossier verify` (every inventory, every file hashed).
# Goal: each under 60 s at N = 100,000 on this machine; a quadratic step shows at once.
#   bash scripts/bench-large-dossier.sh [N]      (default 100000; data in /tmp, removed at the end)
#   BENCH_BUILD=debug …                          (the debug build, to check the script quickly)
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8 DOSSIER_USER=bench
count=${1:-100000}
work=$(mktemp -d /tmp/bench-large-dossier.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ "${BENCH_BUILD:-release}" = debug ]; then
  # A quick check of the script itself with the debug build (figures not comparable).
  bin=.build/debug
else
  # One product per call: given two, swift build builds only the last.
  swift build -c release --product dossier >&2
  swift build -c release --product dossier-bench >&2
  bin="$(swift build -c release --show-bin-path)"
fi
vault="$work/Vault"
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; return 1; }; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
generate=$(seconds "$bin/dossier-bench" generate "$vault" --dossiers 1 --documents "$count" --size 200 --text --jobs 1)
printf 'one more page\n' > "$work/page.txt"
index=$(seconds "$bin/dossier" index --rebuild --no-ocr --vault "$vault")
file=$(seconds "$bin/dossier" file BENCH-000000 --kind annual-report "$work/page.txt" --fact year=2024 --fact signedOn=2025-01-15 --fact 'parties=["内蒙古工业大学"]' --vault "$vault")
verify=$(seconds "$bin/dossier" verify --vault "$vault")
size=$(du -sh "$vault/store" | cut -f1)
met() { awk -v s="$1" 'BEGIN { print (s < 60 ? "yes" : "NO") }'; }
echo "One dossier of $(printf "%'d" "$count") documents of 200 bytes ($size in the store):"
echo
echo "| step | seconds | under 60 s |"
echo "|---|---:|---|"
printf '| filing the %s documents (one filing) | %.1f | %s |\n' "$count" "$generate" "$(met "$generate")"
printf '| index --rebuild | %.1f | %s |\n' "$index" "$(met "$index")"
printf '| file one more page (dossier file) | %.1f | %s |\n' "$file" "$(met "$file")"
printf '| verify | %.1f | %s |\n' "$verify" "$(met "$verify")"
