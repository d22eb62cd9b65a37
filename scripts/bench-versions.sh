#!/usr/bin/env bash
# One dossier of many versions (issue 13): with the release build, one page filed V times into
# one dossier (`dossier file ID --kind … PAGE`, each filing a new version), the filing timed at
# every quarter of the way (the median of three filings). Each OCFL inventory lists every version
# before it, so a filing that reads them all costs about V³; one that reads the new inventory and
# the one before it costs what writing the inventory costs (about V × documents).
#   bash scripts/bench-versions.sh [V]      (default 200; data in /tmp, removed at the end)
#   BENCH_BASELINE=/path/to/older/dossier … (also three filings with that binary at each point)
#   BENCH_BUILD=debug …                     (the debug build, to check the script quickly)
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8 DOSSIER_USER=bench
versions=${1:-200}
work=$(mktemp -d /tmp/bench-versions.XXXXXX)
trap 'rm -rf "$work"' EXIT
. scripts/build-dossier.sh
vault="$work/Vault"
"$bin/dossier" init --vault "$vault" >/dev/null
"$bin/dossier" new BENCH-V --vault "$vault" --title 基准多版本卷宗 --unit imut --type patent --grant ownership --funding fiscal >/dev/null
file_page() { # binary, page number → seconds
  printf '第%d页：成果转化年度报告\n' "$2" > "$work/page.txt"
  local t0 t1; t0=$(date +%s.%N)
  "$1" file BENCH-V --kind annual-report "$work/page.txt" --fact year=2024 --fact signedOn=2025-01-15 \
    --fact 'parties=["内蒙古工业大学"]' --vault "$vault" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  t1=$(date +%s.%N); echo "$t1 - $t0" | bc
}
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
baseline=${BENCH_BASELINE:-}
if [ -n "$baseline" ]; then
  echo "| versions | this build: seconds to file one page (median of 3) | $baseline |"
  echo "|---:|---:|---:|"
else
  echo "| versions | seconds to file one page (median of 3) |"
  echo "|---:|---:|"
fi
page=1
step=$((versions / 4)); [ "$step" -ge 1 ] || step=1
current=1
for target in 1 $(seq "$step" "$step" "$versions"); do
  while [ "$current" -lt "$target" ]; do page=$((page + 1)); file_page "$bin/dossier" "$page" >/dev/null; current=$((current + 1)); done
  ours=(); theirs=()
  for _ in 1 2 3; do page=$((page + 1)); ours+=("$(file_page "$bin/dossier" "$page")"); done
  if [ -n "$baseline" ]; then
    for _ in 1 2 3; do page=$((page + 1)); theirs+=("$(file_page "$baseline" "$page")"); done
    printf '| %d | %.2f | %.2f |\n' "$current" "$(median3 "${ours[@]}")" "$(median3 "${theirs[@]}")"
  else
    printf '| %d | %.2f |\n' "$current" "$(median3 "${ours[@]}")"
  fi
  current=$((current + ${#ours[@]} + ${#theirs[@]}))
done
