#!/usr/bin/env bash
# Export and bag verification speed on one ~700 MB dossier, next to bsdtar and bdbag.
#
#   bash scripts/bench-export.sh            # RUNS=3 (best of 3 for the fast tools), BENCH_DIR=/tmp/…
#   SEAL_ONLY=1 bash scripts/bench-export.sh   # only what the seal costs (sealed vs unsealed exports)
#
# The dossier: 30 documents of 20 MB of random bytes named .pdf (already compressed: stored)
# and 10 of 10 MB of Chinese text (compressible), filed into a fresh vault with the release
# build. Each tool then packs the same files:
#   export tar / tar.gz   dossier export (every byte checked against the store's digests)
#   bsdtar -cf / -czf     the 40 source files, nothing checked
#   bdbag --archiver      bdbag bags a copy of the folder (sha256 + sha512) and archives it
# and the tar and tar.gz exports are verified by dossier verify-bundle and bdbag --validate full.
# Times are wall-clock seconds, best of RUNS (bdbag's archiving once: it takes a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8

RUNS="${RUNS:-3}"
WORK="${BENCH_DIR:-/tmp/dossier-bench-export}"

bash scripts/setup.sh --validators
swift build -c release --product dossier >/dev/null
swift build -c release --product dossier-bench >/dev/null
DOSSIER="$PWD/.build/release/dossier"
BENCH="$PWD/.build/release/dossier-bench"
BDBAG="$PWD/.venv/bin/bdbag"

rm -rf "$WORK"
mkdir -p "$WORK/docs" "$WORK/out" "$WORK/home"
trap 'rm -rf "$WORK"' EXIT

echo "bench-export: writing the documents (30 × 20 MB pdf, 10 × 10 MB text) in $WORK" >&2
python3 - "$WORK/docs" <<'PY'
import os, random, sys
folder = sys.argv[1]
for index in range(30):
    with open(os.path.join(folder, f"合同{index:02d}.pdf"), "wb") as out:
        out.write(os.urandom(20_000_000))
words = "玉米 大豆 马铃薯 风光互补 储能系统 控制方法 草原生态 修复 稀土永磁 材料 羊绒加工 工艺 奶牛 疫苗 检测装置 煤化工 催化剂 赋权 协议 团队 单位 公示 异议 转化 收益".split()
generator = random.Random(2024)
for index in range(10):
    with open(os.path.join(folder, f"说明{index:02d}.txt"), "w", encoding="utf-8") as out:
        written = 0
        while written < 10_000_000:
            line = "".join(generator.choice(words) for _ in range(12)) + f"，第{generator.randrange(1000)}条。\n"
            out.write(line)
            written += len(line.encode("utf-8"))
PY

export DOSSIER_VAULT="$WORK/Vault" DOSSIER_USER="基准测试" DOSSIER_EMAIL="bench@example.org"
"$DOSSIER" init >/dev/null
# Every export is sealed (tagmanifest-sha512.txt.sig): the vault needs its seal key.
"$DOSSIER" seal init >/dev/null
"$DOSSIER" new BENCH-0001 --title "基准成果" --unit imut --type patent --grant ownership --funding fiscal >/dev/null
"$DOSSIER" file BENCH-0001 --kind annual-report --incomplete --fact signedOn=2021-04-20 --fact 'parties=["内蒙古工业大学"]' --fact year=2021 "$WORK"/docs/* >&2
SIZE_MB=$(du -sm "$WORK/docs" | cut -f1)

# best LABEL PREPARE RUNS COMMAND…: the fastest of RUNS runs of COMMAND (wall clock, and the CPU
# time of that run), PREPARE and a sync before each, so that no run pays for another's writeback.
declare -A WALL CPU
best() {
  local label=$1 prepare=$2 runs=$3
  shift 3
  local wall="" cpu="" took
  for _ in $(seq "$runs"); do
    eval "$prepare"
    sync
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/last.err" || { echo "bench-export: $label failed:" >&2; cat "$WORK/last.err" >&2; exit 1; }
    took=$(awk '{ print $1 }' "$WORK/time")
    if [ -z "$wall" ] || awk -v a="$took" -v b="$wall" 'BEGIN { exit !(a < b) }'; then
      wall=$took
      cpu=$(awk '{ printf "%.2f", $2 + $3 }' "$WORK/time")
    fi
  done
  WALL[$label]=$wall
  CPU[$label]=$cpu
  echo "bench-export: $label: $wall s (CPU $cpu s)" >&2
}

OUT="$WORK/out"
if [ "${SEAL_ONLY:-0}" != 1 ]; then
best "export tar" "rm -f $OUT/e.tar" "$RUNS" "$DOSSIER" export BENCH-0001 -o "$OUT/e.tar"
best "bsdtar -cf" "rm -f $OUT/b.tar" "$RUNS" bsdtar -cf "$OUT/b.tar" -C "$WORK" docs
best "export tar --sync" "rm -f $OUT/s.tar" "$RUNS" "$DOSSIER" export BENCH-0001 --sync -o "$OUT/s.tar"
best "bsdtar -cf + fsync" "rm -f $OUT/b.tar" "$RUNS" sh -c "bsdtar -cf '$OUT/b.tar' -C '$WORK' docs && sync '$OUT/b.tar'"
rm -f "$OUT/b.tar" "$OUT/s.tar"
best "export tar.gz" "rm -f $OUT/e.tar.gz" "$RUNS" "$DOSSIER" export BENCH-0001 -o "$OUT/e.tar.gz"
best "bsdtar -czf" "rm -f $OUT/b.tgz" 1 bsdtar -czf "$OUT/b.tgz" -C "$WORK" docs
rm -f "$OUT/b.tgz"
best "export zip" "rm -f $OUT/e.zip" "$RUNS" "$DOSSIER" export BENCH-0001 -o "$OUT/e.zip"
# bdbag bags the folder in place, so each run gets a fresh copy (copying is not timed).
best "bdbag --archiver tar" "rm -rf $WORK/bdbag $WORK/bdbag.t*; cp -r $WORK/docs $WORK/bdbag" 1 env HOME="$WORK/home" "$BDBAG" --checksum sha256 --checksum sha512 --archiver tar "$WORK/bdbag"
best "bdbag --archiver tgz" "rm -rf $WORK/bdbag $WORK/bdbag.t*; cp -r $WORK/docs $WORK/bdbag" 1 env HOME="$WORK/home" "$BDBAG" --checksum sha256 --checksum sha512 --archiver tgz "$WORK/bdbag"
rm -rf "$WORK/bdbag" "$WORK"/bdbag.t*
best "verify-bundle tar" ":" "$RUNS" "$DOSSIER" verify-bundle "$OUT/e.tar"
best "bdbag --validate full tar" ":" "$RUNS" env HOME="$WORK/home" "$BDBAG" --validate full "$OUT/e.tar"
best "verify-bundle tar.gz" ":" "$RUNS" "$DOSSIER" verify-bundle "$OUT/e.tar.gz"
best "bdbag --validate full tar.gz" ":" "$RUNS" env HOME="$WORK/home" "$BDBAG" --validate full "$OUT/e.tar.gz"

ratio() { awk -v a="${WALL[$1]}" -v b="${WALL[$2]}" 'BEGIN { printf "%.2f", a / b }'; }
row() { printf '| %-44s | %7s | %7s | %-40s |\n' "$1" "${WALL[$2]}" "${CPU[$2]}" "$3"; }
echo
echo "Export and verification of one ${SIZE_MB} MB dossier (40 documents: 30 PDF stored, 10 text compressed)."
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wall-clock seconds, best of $RUNS (bdbag archiving and bsdtar -czf: 1 run), and that run's CPU seconds."
echo
printf '| %-44s | %7s | %7s | %-40s |\n' "task" "wall s" "CPU s" "ratio (wall)"
printf '|%s|%s|%s|%s|\n' "----------------------------------------------" "---------" "---------" "------------------------------------------"
row "dossier export, tar" "export tar" "$(ratio 'export tar' 'bsdtar -cf') x bsdtar -cf (goal <= 1.5)"
row "bsdtar -cf (same files, nothing checked)" "bsdtar -cf" ""
row "bdbag --archiver tar (bag + archive)" "bdbag --archiver tar" "$(ratio 'bdbag --archiver tar' 'export tar') x export tar"
row "dossier export --sync, tar (flushed)" "export tar --sync" "$(ratio 'export tar --sync' 'bsdtar -cf + fsync') x bsdtar -cf + fsync"
row "bsdtar -cf + fsync" "bsdtar -cf + fsync" ""
row "dossier export, tar.gz" "export tar.gz" "bdbag takes $(ratio 'bdbag --archiver tgz' 'export tar.gz') x as long (goal >= 5)"
row "bsdtar -czf (same files, nothing checked)" "bsdtar -czf" "$(ratio 'bsdtar -czf' 'export tar.gz') x export tar.gz"
row "bdbag --archiver tgz (bag + archive)" "bdbag --archiver tgz" ""
row "dossier export, zip" "export zip" ""
row "dossier verify-bundle, tar" "verify-bundle tar" "bdbag takes $(ratio 'bdbag --validate full tar' 'verify-bundle tar') x as long (goal >= 5)"
row "bdbag --validate full, tar" "bdbag --validate full tar" ""
row "dossier verify-bundle, tar.gz" "verify-bundle tar.gz" "bdbag takes $(ratio 'bdbag --validate full tar.gz' 'verify-bundle tar.gz') x as long"
row "bdbag --validate full, tar.gz" "bdbag --validate full tar.gz" ""
fi

# What the seal costs: sealed and unsealed exports of the same dossier, interleaved in one
# process (RUNS_SEAL of each, median), and the seal alone (key read + signature).
echo
echo "Sealing (dossier-bench export-seal, tar, ${RUNS_SEAL:-7} of each, interleaved):"
sync
"$BENCH" export-seal "$WORK/Vault" BENCH-0001 "$OUT" --runs "${RUNS_SEAL:-7}"
