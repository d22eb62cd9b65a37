#!/usr/bin/env bash
# Benchmark: `dossier validate --all` over 10,000 generated dossiers (release build).
# Target: at least 2,000 dossiers per second on this machine (2 cores).
#   bash scripts/bench-rules.sh [DOSSIERS]      (default 10000; data in /tmp, removed at the end)
# Compares with the floor of the same I/O: reading every root inventory, its sidecar and the
# head dossier.json with cat (what validate must read at least), and with flags and due.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
count=${1:-10000}
work=$(mktemp -d /tmp/bench-rules.XXXXXX)
trap 'rm -rf "$work"' EXIT
swift build -c release --product dossier --product dossier-bench >&2 2>/dev/null || { swift build -c release --product dossier >&2; swift build -c release --product dossier-bench >&2; }
bin="$(swift build -c release --show-bin-path)"
vault="$work/Vault"

echo "generating $count realistic dossiers in $vault …" >&2
start=$(date +%s.%N)
"$bin/dossier-bench" generate "$vault" --dossiers "$count" --realistic --size 300 --jobs 32
echo "generated in $(echo "$(date +%s.%N) - $start" | bc) s ($(du -sh "$vault" | cut -f1))" >&2

# Median of three runs, page cache warm (one untimed run first).
median() {
  "$@" >/dev/null 2>&1 || true
  local times=()
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}

floor_read() {
  # The bytes validate needs, read by cat: each object's inventory.json, sidecar and the head dossier.json
  # (found through the inventory's head state the way the store does, approximated here by the newest content file).
  find "$vault/store" -name inventory.json -path '*/[0-9a-f]*/[0-9a-f]*/[0-9a-f]*/*/inventory.json' -print0 | xargs -0 cat >/dev/null
  find "$vault/store" -name 'inventory.json.sha512' -print0 | xargs -0 cat >/dev/null
  find "$vault/store" -path '*/content/dossier.json' -print0 | xargs -0 cat >/dev/null
}

t_validate=$(median "$bin/dossier" validate --all --as-of 2026-11-28 --vault "$vault")
t_json=$(median "$bin/dossier" validate --all --as-of 2026-11-28 --json --vault "$vault")
t_flags=$(median "$bin/dossier" flags --vault "$vault")
t_due=$(median "$bin/dossier" due --as-of 2026-11-28 --vault "$vault")
t_floor=$(median floor_read)
findings=$("$bin/dossier" validate --all --as-of 2026-11-28 --vault "$vault" | tail -1 || true)

rate() { echo "scale=0; $count / $1" | bc; }
ratio() { echo "scale=2; $1 / $t_floor" | bc; }
printf '\n%s dossiers; %s\n\n' "$count" "$findings"
printf '| %-52s | %9s | %14s | %14s |\n' "what" "seconds" "dossiers/s" "× cat floor"
printf '|%s|%s|%s|%s|\n' "------------------------------------------------------" "-----------" "----------------" "----------------"
printf '| %-52s | %9.3f | %14s | %14s |\n' "dossier validate --all" "$t_validate" "$(rate "$t_validate")" "$(ratio "$t_validate")"
printf '| %-52s | %9.3f | %14s | %14s |\n' "dossier validate --all --json" "$t_json" "$(rate "$t_json")" "$(ratio "$t_json")"
printf '| %-52s | %9.3f | %14s | %14s |\n' "dossier flags" "$t_flags" "$(rate "$t_flags")" "$(ratio "$t_flags")"
printf '| %-52s | %9.3f | %14s | %14s |\n' "dossier due" "$t_due" "$(rate "$t_due")" "$(ratio "$t_due")"
printf '| %-52s | %9.3f | %14s | %14s |\n' "cat of every inventory, sidecar, dossier.json (floor)" "$t_floor" "$(rate "$t_floor")" "1.00"
target=$(rate "$t_validate")
if [ "$target" -ge 2000 ]; then echo "target met: $target ≥ 2000 dossiers/s"; else echo "target MISSED: $target < 2000 dossiers/s"; fi
