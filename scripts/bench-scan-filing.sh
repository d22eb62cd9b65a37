#!/usr/bin/env bash
# Filing a 50-page scanned PDF next to a typed one of the same size, in one run: OCR must not
# make filing slow (it runs in the index step), so the two should take the same time. Then the
# index step's OCR of the scan, for scale.
#   scan.pdf   N pages, each a 300 dpi JPEG scan, no text layer (make-fixtures.py --bench N)
#   typed.pdf  the same pages, each with a text layer too (make-fixtures.py --bench-typed N)
# Each filing is into a fresh vault with an index (so filing also updates the index, as it does
# for users). Prints median wall seconds of RUNS runs (default 5), interleaved, and the ratio.
# Usage: scripts/bench-scan-filing.sh [PAGES] (default 50).
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
pages="${1:-50}"
runs="${RUNS:-5}"
bash scripts/setup.sh --bench
swift build -c release --product dossier >/dev/null
dossier="$PWD/.build/release/dossier"
work=$(mktemp -d "${BENCH_DIR:-/tmp}/bench-scan-filing.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "bench: rendering $pages scanned pages twice (scan, typed)" >&2
.venv/bin/python Tests/Fixtures/ocr/make-fixtures.py --bench "$pages" "$work/scan.pdf"
.venv/bin/python Tests/Fixtures/ocr/make-fixtures.py --bench-typed "$pages" "$work/typed.pdf"
cat "$work/scan.pdf" "$work/typed.pdf" > /dev/null
export DOSSIER_USER=bench DOSSIER_EMAIL=bench@example.org

file_once() {  # $1 = scan|typed, $2 = run: prints seconds
  local vault="$work/Vault-$1-$2"
  "$dossier" init --vault "$vault" >/dev/null
  "$dossier" new BENCH-1 --vault "$vault" --title 基准 --unit imut --type patent --grant ownership --funding fiscal >/dev/null
  "$dossier" list --vault "$vault" >/dev/null 2>&1   # builds the index, which filing then updates
  sync
  python3 scripts/measure.py 1 "$1" -- "$dossier" file BENCH-1 --vault "$vault" --kind ownership-agreement --incomplete "$work/$1.pdf" \
    --fact signedOn=2021-05-01 --fact 'parties=["内蒙古工业大学"]' | awk '{print $2}'
}

: > "$work/scan.times"; : > "$work/typed.times"
for run in $(seq "$runs"); do
  file_once scan "$run" >> "$work/scan.times"
  file_once typed "$run" >> "$work/typed.times"
done
ocr_start=$(date +%s.%N)
"$dossier" index --vault "$work/Vault-scan-1" >/dev/null
ocr_end=$(date +%s.%N)

python3 - "$work" "$pages" "$ocr_start" "$ocr_end" <<'PY'
import os, statistics, sys
work, pages, start, end = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
scan = [float(x) for x in open(f"{work}/scan.times")]
typed = [float(x) for x in open(f"{work}/typed.times")]
size = lambda name: os.path.getsize(f"{work}/{name}.pdf") / 1e6
print(f"| {pages}-page PDF | size MB | median filing s (of {len(scan)}) |")
print("|---|---|---|")
print(f"| scanned (no text layer) | {size('scan'):.1f} | {statistics.median(scan):.3f} |")
print(f"| typed (same pages with a text layer) | {size('typed'):.1f} | {statistics.median(typed):.3f} |")
print(f"\nscanned / typed filing time: {statistics.median(scan) / statistics.median(typed):.3f} (goal: within 1.10)")
print(f"dossier index then read the scan by OCR in {end - start:.1f} s ({pages / (end - start):.2f} pages/s)")
PY
