#!/usr/bin/env bash
# Benchmark (not a test): the periodic storage-stage four-properties check against `dossier
# verify` over the same generated vault, in one run (release build).
#   bash scripts/bench-check.sh [DOSSIERS]     (default 10000; data in /tmp, removed at the end)
#   RUNS=3 (timed runs of each, after one untimed run that warms the page cache)
# Goal: `dossier check --all --stage storage` within 1.5× of `dossier verify`.
#
# The storage stage runs A1 (every digest recomputed: the same pass as verify), A4, A6, I1, I4,
# U1, U3 (the text the index read from the same bytes), S3 and S4, so the index is built first
# (untimed), as it is in a vault in use. dossier-bench writes no audit log: A6/I4 find no filing
# lines and fail for every dossier, which the check reports (and the timing includes). The vault
# is bench-index.sh's (6 documents per dossier: text, PDF with a Chinese text layer, DOCX):
# `generate --realistic` stops at its classified dossiers since the confidentiality changes.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
count=${1:-10000}
runs=${RUNS:-3}
work=$(mktemp -d /tmp/bench-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
swift build -c release --product dossier >&2
swift build -c release --product dossier-bench >&2
bin="$(swift build -c release --show-bin-path)"
vault="$work/Vault"

echo "generating $count dossiers × 6 documents (plain text, PDF with a Chinese text layer, DOCX) in $vault …" >&2
"$bin/dossier-bench" generate "$vault" --dossiers "$count" --documents 6 --size 3000 --legal
echo "building the index (untimed) …" >&2
"$bin/dossier" index --vault "$vault" >/dev/null 2>&1 || true

# One untimed run of each, then RUNS alternating timed runs; prints "best median" of each.
declare -a verify_times check_times
run() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
"$bin/dossier" verify --vault "$vault" >/dev/null 2>&1 || true
"$bin/dossier" check --all --stage storage --vault "$vault" >/dev/null 2>&1 || true
for _ in $(seq "$runs"); do
  verify_times+=("$(run "$bin/dossier" verify --vault "$vault")")
  check_times+=("$(run "$bin/dossier" check --all --stage storage --vault "$vault")")
done
stats() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { printf "%.2f %.2f", a[1], a[int((NR + 1) / 2)] }'; }
read -r v_best v_median <<<"$(stats "${verify_times[@]}")"
read -r c_best c_median <<<"$(stats "${check_times[@]}")"
summary=$("$bin/dossier" check --all --stage storage --vault "$vault" 2>/dev/null | tail -2 | head -1 || true)
store=$(du -sh "$vault/store" | cut -f1)

printf '\n%s dossiers, %s store; %s\n(load average at the end: %s)\n\n' "$count" "$store" "$summary" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-45s | %7s | %9s |\n' "run" "best s" "median s"
printf '|%s|%s|%s|\n' "-----------------------------------------------" "---------" "-----------"
printf '| %-45s | %7s | %9s |\n' "dossier verify" "$v_best" "$v_median"
printf '| %-45s | %7s | %9s |\n' "dossier check --all --stage storage" "$c_best" "$c_median"
ratio_best=$(echo "scale=2; $c_best / $v_best" | bc)
ratio_median=$(echo "scale=2; $c_median / $v_median" | bc)
printf '\ncheck / verify: %s× (best), %s× (median)\n' "$ratio_best" "$ratio_median"
if [ "$(echo "$ratio_median <= 1.5" | bc)" = 1 ]; then echo "goal met: ≤ 1.5×"; else echo "goal MISSED: > 1.5×"; fi
