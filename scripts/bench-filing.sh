#!/usr/bin/env bash
# Filing a 1 GiB document next to the tools that only hash it, in one run.
#   dossier file: read once, sha512 + sha256, write into the store, fsync, commit
#   sha512sum, openssl dgst -sha512: read and hash only (openssl is one core's sha512 limit)
# Prints median wall time of RUNS runs (default 3), MiB/s, peak memory, and ratios to openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8
runs=${RUNS:-3}
bash scripts/setup.sh
swift build -c release --product dossier >/dev/null
dossier="$PWD/.build/release/dossier"
work=$(mktemp -d "${BENCH_DIR:-/tmp}/bench-filing.XXXXXX")
trap 'rm -rf "$work"' EXIT

head -c $((1 << 30)) /dev/urandom > "$work/扫描件.bin"
cat "$work/扫描件.bin" > /dev/null   # into the page cache, as for the hashing tools
# Each filing ends with fsync, which on ext4 also pays for other dirty pages in the journal:
# flush the source file, and before each run the previous run's vault, so that a run pays
# for its own writes only.
sync

results="$work/results"
python3 scripts/measure.py "$runs" "openssl-dgst-sha512" -- openssl dgst -sha512 "$work/扫描件.bin" >> "$results"
python3 scripts/measure.py "$runs" "sha512sum" -- sha512sum "$work/扫描件.bin" >> "$results"
for run in $(seq "$runs"); do
  rm -rf "$work/Vault"
  "$dossier" init --vault "$work/Vault" >/dev/null
  DOSSIER_USER=bench DOSSIER_EMAIL=bench@example.org "$dossier" new BENCH-1 --vault "$work/Vault" --title 基准 --unit imut --type patent --grant ownership --funding fiscal >/dev/null
  sync
  python3 scripts/measure.py 1 "dossier-file" -- env DOSSIER_USER=bench DOSSIER_EMAIL=bench@example.org \
    "$dossier" file BENCH-1 --vault "$work/Vault" --kind ownership-change-record --incomplete "$work/扫描件.bin" \
    --fact issuedOn=2021-05-01 --fact 'parties=["国家知识产权局"]' >> "$work/filing-runs"
done
sort -k2 -n "$work/filing-runs" | sed -n "$(( (runs + 1) / 2 ))p" >> "$results"

python3 - "$results" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
table = {label: (float(seconds), int(peak)) for label, seconds, peak in rows}
base = table["openssl-dgst-sha512"][0]
print(f"{'1 GiB file':<22}{'seconds':>9}{'MiB/s':>9}{'peak MiB':>10}{'× openssl':>11}")
for label in ["openssl-dgst-sha512", "sha512sum", "dossier-file"]:
    seconds, peak = table[label]
    print(f"{label:<22}{seconds:>9.2f}{1024 / seconds:>9.0f}{peak / 1024:>10.1f}{seconds / base:>11.2f}")
PY
