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
swift build -c release --product dossier >&2
swift build -c release --product dossier-bench >&2
bin="$(swift build -c release --show-bin-path)"
vault="$work/Vault"

echo "generating $count realistic dossiers in $vault …" >&2
start=$(date +%s.%N)
"$bin/dossier-bench" generate "$vault" --dossiers "$count" --realistic --size 300 --jobs 32
echo "generated in $(echo "$(date +%s.%N) - $start" | bc) s ($(du -sh "$vault" | cut -f1))" >&2

# Five timed runs after one untimed (page cache warm). The machine is shared: the fastest run
# shows what the tool can do, the median what it did among its neighbours; both are printed.
timings() {
  "$@" >/dev/null 2>&1 || true
  local times=()
  for _ in 1 2 3 4 5; do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  echo "$(echo "$sorted" | sed -n 1p) $(echo "$sorted" | sed -n 3p)"
}

floor_read() {
  # The bytes validate needs, read by cat: each object's inventory.json, sidecar and the head dossier.json
  # (found through the inventory's head state the way the store does, approximated here by the newest content file).
  find "$vault/store" -name inventory.json -path '*/[0-9a-f]*/[0-9a-f]*/[0-9a-f]*/*/inventory.json' -print0 | xargs -0 cat >/dev/null
  find "$vault/store" -name 'inventory.json.sha512' -print0 | xargs -0 cat >/dev/null
  find "$vault/store" -path '*/content/dossier.json' -print0 | xargs -0 cat >/dev/null
}

read -r v_min v_med <<<"$(timings "$bin/dossier" validate --all --as-of 2026-11-28 --vault "$vault")"
read -r j_min j_med <<<"$(timings "$bin/dossier" validate --all --as-of 2026-11-28 --json --vault "$vault")"
read -r f_min f_med <<<"$(timings "$bin/dossier" flags --vault "$vault")"
read -r d_min d_med <<<"$(timings "$bin/dossier" due --as-of 2026-11-28 --vault "$vault")"
read -r c_min c_med <<<"$(timings floor_read)"
findings=$("$bin/dossier" validate --all --as-of 2026-11-28 --vault "$vault" | tail -1 || true)

rate() { echo "scale=0; $count / $1" | bc; }
ratio() { echo "scale=2; $1 / $c_min" | bc; }
row() { printf '| %-52s | %8.3f | %8.3f | %10s | %10s | %11s |\n' "$1" "$2" "$3" "$(rate "$2")" "$(rate "$3")" "$(ratio "$2")"; }
printf '\n%s dossiers; %s\n(load average at the end: %s)\n\n' "$count" "$findings" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-52s | %8s | %8s | %10s | %10s | %11s |\n' "what" "best s" "median s" "best /s" "median /s" "× cat floor"
printf '|%s|%s|%s|%s|%s|%s|\n' "------------------------------------------------------" "----------" "----------" "------------" "------------" "-------------"
row "dossier validate --all" "$v_min" "$v_med"
row "dossier validate --all --json" "$j_min" "$j_med"
row "dossier flags" "$f_min" "$f_med"
row "dossier due" "$d_min" "$d_med"
row "cat of every inventory, sidecar, dossier.json (floor)" "$c_min" "$c_med"
best=$(rate "$v_min")
if [ "$best" -ge 2000 ]; then echo "target met: validate --all at $best dossiers/s (best run) ≥ 2000"; else echo "target MISSED: validate --all at $best dossiers/s (best run) < 2000"; fi
