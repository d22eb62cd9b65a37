#!/usr/bin/env bash
# Benchmark of `dossier verify` (not a test): builds two synthetic vaults with dossier-bench and
# times, in one run, on the same files:
#   (a) 2,000 dossiers × 5 documents: `dossier verify` against ocfl-py's ocfl-validate.py given
#       every object folder (its storage-root mode does not check the objects);
#   (b) 1 GiB of documents (16 dossiers × 4 × 16 MiB): `dossier verify` against
#       `openssl dgst -sha512` over the same content files (one core's hashing limit).
# Every timed command runs with warm page cache; each figure is the median of RUNS runs
# (ocfl-py: OCFL_PY_RUNS runs, it is slow). Prints a table with the ratios, and the idle share
# of the CPUs just before each run: the machine may be shared, and `dossier verify` needs both
# cores where the tools it is compared with use one.
#
#   scripts/bench-verify.sh     # BENCH_DIR=/tmp/dossier-bench-verify RUNS=3 OCFL_PY_RUNS=1 QUIET=0 KEEP=0
#   QUIET=1 scripts/bench-verify.sh   # before each run, wait (up to 2 min) for the CPUs to be 90% idle
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8

RUNS=${RUNS:-3}
QUIET=${QUIET:-0}
OCFL_PY_RUNS=${OCFL_PY_RUNS:-1}
WORK=${BENCH_DIR:-/tmp/dossier-bench-verify}

bash scripts/setup.sh --validators >&2
swift build -c release >&2
bin=.build/release
venv=.venv/bin

rm -rf "$WORK"
mkdir -p "$WORK"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

# The idle share of all CPUs over the next second, in percent (from /proc/stat).
idle() {
  local u n s i w x y z t1 i1
  read -r _ u n s i w x y z _ < /proc/stat; t1=$((u + n + s + i + w + x + y + z)); i1=$i
  sleep 1
  read -r _ u n s i w x y z _ < /proc/stat
  echo $(( 100 * (i - i1) / (u + n + s + i + w + x + y + z - t1) ))
}

# With QUIET=1, waits up to two minutes for a second in which the CPUs are 90% idle.
settle() {
  local share
  share=$(idle)
  if [ "$QUIET" = 1 ]; then
    for _ in $(seq 120); do
      [ "$share" -ge 90 ] && break
      share=$(idle)
    done
  fi
  # median runs in a command substitution (a subshell): the shares go through a file.
  echo "$share" >> "$WORK/idle-shares"
}

# The median wall time of running "$@" N times (stdout discarded), in seconds.
median() {
  local n=$1; shift
  local times=()
  for _ in $(seq "$n"); do
    settle
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

warm() { find "$1" -type f -print0 | xargs -0 cat > /dev/null; }

echo "bench-verify: generating (a) 2,000 dossiers × 5 documents of 4 KiB" >&2
"$bin/dossier-bench" generate "$WORK/small" --dossiers 2000 --documents 5 --size 4096
mapfile -t objects < <(find "$WORK/small/store" -name '0=ocfl_object_1.1' -printf '%h\n' | sort)
echo "bench-verify: generating (b) 16 dossiers × 4 documents of 16 MiB (1 GiB)" >&2
"$bin/dossier-bench" generate "$WORK/big" --dossiers 16 --documents 4 --size 16777216
mapfile -t contents < <(find "$WORK/big/store" -path '*/content/*' -type f | sort)

# Both tools must agree that everything is valid before their times mean anything.
"$bin/dossier" verify --vault "$WORK/small" > /dev/null
"$venv/ocfl-validate.py" -q "${objects[@]}" > /dev/null
"$bin/dossier" verify --vault "$WORK/big" > /dev/null

warm "$WORK/small/store"
ours_small=$(median "$RUNS" "$bin/dossier" verify --vault "$WORK/small")
ours_small_structure=$(median "$RUNS" "$bin/dossier" verify --vault "$WORK/small" --no-digests)
theirs_small=$(median "$OCFL_PY_RUNS" "$venv/ocfl-validate.py" -q "${objects[@]}")

warm "$WORK/big/store"
bytes=$(cat "${contents[@]}" | wc -c)
openssl_big=$(median "$RUNS" openssl dgst -sha512 "${contents[@]}")
ours_big=$(median "$RUNS" "$bin/dossier" verify --vault "$WORK/big")

mib=$(echo "$bytes / 1048576" | bc -l)
printf '\n%s, %s cores, load average %s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-58s | %9s | %9s |\n' "run (median wall time)" "seconds" "ratio"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" "$(printf -- '-%.0s' {1..11})" "$(printf -- '-%.0s' {1..11})"
printf '| %-58s | %9.2f | %9s |\n' "ocfl-validate.py, 2,000 objects (12,000 files)" "$theirs_small" "1.0×"
printf '| %-58s | %9.2f | %8.1f× |\n' "dossier verify, same store (every digest)" "$ours_small" "$(echo "$theirs_small / $ours_small" | bc -l)"
printf '| %-58s | %9.2f | %8.1f× |\n' "dossier verify --no-digests, same store" "$ours_small_structure" "$(echo "$theirs_small / $ours_small_structure" | bc -l)"
printf '| %-58s | %9.2f | %9s |\n' "openssl dgst -sha512, $(printf '%.0f' "$mib") MiB in ${#contents[@]} files" "$openssl_big" "1.0×"
printf '| %-58s | %9.2f | %8.2f× |\n' "dossier verify (sha512 + sha256 fixity), same files" "$ours_big" "$(echo "$openssl_big / $ours_big" | bc -l)"
printf '\nthroughput: openssl %.0f MiB/s, dossier verify %.0f MiB/s (two digests per byte)\n' \
  "$(echo "$mib / $openssl_big" | bc -l)" "$(echo "$mib / $ours_big" | bc -l)"
printf 'CPU idle in the second before each timed run (%%; ours small ×RUNS, --no-digests ×RUNS, ocfl-py, openssl ×RUNS, ours 1 GiB ×RUNS): %s\n' "$(tr '\n' ' ' < "$WORK/idle-shares")"
