#!/usr/bin/env bash
# Fuzzes the parsers of hostile input with libFuzzer (Sources/dossier-fuzz, FuzzTarget):
#   scripts/fuzz.sh [SECONDS] [TARGET…]     (default 60 s each; targets: all)
# targets: filing-json bundle bagit ocfl-inventory ofd age-header
# Builds with -sanitize=fuzzer,address into .build-fuzz (the normal build is untouched; lld
# links it: gold fails on this toolchain's debug info), seeds each target's working corpus
# from Tests/Fixtures/fuzz-corpus/<target> (age-header: Tests/Fixtures/age-header-corpus),
# runs it, and prints one line per target: runs, seconds, crashes. A crash leaves
# .build-fuzz/crashes/<target>/crash-…; replay it with the normal build:
#   swift build --product dossier-fuzz && .build/debug/dossier-fuzz <target> .build-fuzz/crashes/<target>/crash-…
# Exit 1 when a target crashed. Record the figures in BENCHMARKS.md ("Fuzzing").
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(filing-json bundle bagit ocfl-inventory ofd age-header)
swift build -c debug --product dossier-fuzz --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld 2>&1 | grep -v "Cannot export local symbol" | tail -1
[ -x .build-fuzz/debug/dossier-fuzz ] || { echo "fuzz: the fuzzer did not build" >&2; exit 2; }
crashed=0
for target in "${targets[@]}"; do
  corpus=.build-fuzz/corpus/$target
  crashes=.build-fuzz/crashes/$target
  mkdir -p "$corpus" "$crashes"
  seeds=Tests/Fixtures/fuzz-corpus/$target
  [ "$target" = age-header ] && seeds=Tests/Fixtures/age-header-corpus
  cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true
  rm -f "$corpus"/make-corpus.sh
  log=.build-fuzz/$target.log
  DOSSIER_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 .build-fuzz/debug/dossier-fuzz "$corpus" \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=20 -artifact_prefix="$crashes/" >"$log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  [ -n "$runs" ] || runs=$(grep -oE '#[0-9]+' "$log" | tail -1 | tr -d '#')
  found=$(find "$crashes" -type f | wc -l)
  echo "fuzz $target: ${runs:-?} runs in $seconds s, corpus $(find "$corpus" -type f | wc -l) inputs, $found crash files (exit $status)"
  if [ "$status" != 0 ] || [ "$found" != 0 ]; then crashed=1; tail -20 "$log" >&2; fi
done
[ $crashed = 0 ]
