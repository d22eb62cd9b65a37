#!/usr/bin/env bash
# The test suite under a sanitizer, in its own build folder (the normal build is untouched):
#   scripts/sanitize.sh address [swift test options…]   the whole suite under AddressSanitizer
#                                                      (.build-asan; the CLI tests run the
#                                                      ASan-built dossier too)
#   scripts/sanitize.sh thread  [swift test options…]   the parallel verifier and the index
#                                                      (their suites, the four-properties check and
#                                                      the classified reads by default) under
#                                                      ThreadSanitizer (.build-tsan)
# Not part of scripts/test.sh: the ASan build and suite take several times the normal
# suite's time on CI's 2 cores (README, "Sanitizers and fuzzing"); run before a release.
# Exit status: swift test's (a sanitizer report fails the test that triggered it).
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
kind=${1:-}
shift || true
[ -d .venv/bin ] && export DOSSIER_VALIDATORS="${DOSSIER_VALIDATORS:-$PWD/.venv/bin}"
[ -d ../shared/fixtures ] && export DOSSIER_FIXTURES="${DOSSIER_FIXTURES:-$(cd ../shared/fixtures && pwd)}"
case "$kind" in
  address)
    scratch=.build-asan
    # Swift's runtime keeps some allocations for the process's life: leaks are not errors here.
    export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:${ASAN_OPTIONS:-}"
    swift build --build-tests --sanitize=address --scratch-path "$scratch"
    export DOSSIER_BINARY="$PWD/$scratch/debug/dossier"
    swift test --skip-build --sanitize=address --scratch-path "$scratch" "$@"
    ;;
  thread)
    scratch=.build-tsan
    export TSAN_OPTIONS="halt_on_error=1:${TSAN_OPTIONS:-}"
    swift build --build-tests --sanitize=thread --scratch-path "$scratch"
    export DOSSIER_BINARY="$PWD/$scratch/debug/dossier"
    if [ $# -eq 0 ]; then set -- --filter 'StoreVerifier|ParallelVerif|Verify|Index|Freshness|OCR|FourProperties|Confidentiality'; fi
    swift test --skip-build --sanitize=thread --scratch-path "$scratch" "$@"
    ;;
  *)
    echo "usage: scripts/sanitize.sh address|thread [swift test options…]" >&2
    exit 64
    ;;
esac
