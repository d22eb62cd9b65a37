#!/usr/bin/env bash
# Measurements (not tests): text extraction of a 100-page per-character OFD against ofdkit
# (`dossier-bench ofd-text`, release build), and peak RSS while refusing large zip bombs.
# Writes its files under ${OFD_BENCH_DIR:-/tmp/ofd-bench}; ofdkit comes from `scripts/setup.sh --validators`.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
work="${OFD_BENCH_DIR:-/tmp/ofd-bench}"
mkdir -p "$work"
bash scripts/setup.sh --validators
python="$here/.venv/bin/python"
swift build -c release --product dossier-bench >/dev/null
bench="$here/.build/release/dossier-bench"

[ -f "$work/100-pages.ofd" ] || "$python" scripts/make-ofd-fixtures.py --bench "$work/100-pages.ofd"
[ -f "$work/bomb-1g-bin.ofd" ] || "$python" scripts/make-ofd-fixtures.py --bombs "$work"
ls -l "$work"/*.ofd | awk '{print "  " $5 " bytes  " $9}'

# Peak RSS (KiB) and wall time of one command, through getrusage of the child.
measure() {
  "$python" - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
detail = (result.stderr.strip() or "exit %d" % result.returncode)[:160]
print(f"  peak RSS {rss / 1024:7.1f} MiB  {elapsed:6.2f} s  {detail}")
PY
}

echo "100-page OFD ($(unzip -l "$work/100-pages.ofd" 2>/dev/null | tail -1 | awk '{print $1}') bytes uncompressed):"
"$bench" ofd-text "$work/100-pages.ofd" > "$work/swift.txt"
"$python" scripts/ofdkit-text.py "$work/100-pages.ofd" "$work/ofdkit.txt"
cmp -s "$work/swift.txt" "$work/ofdkit.txt" && echo "  texts equal ($(wc -m < "$work/swift.txt") characters)" || echo "  TEXTS DIFFER"
echo -n "  Swift (release) open+text, mean of 5:"; "$bench" ofd-text "$work/100-pages.ofd" --time 5 | sed 's/^/ /'
echo -n "  ofdkit 0.2.0 open+text, mean of 5:   "
"$python" - "$work/100-pages.ofd" <<'PY'
import sys, time, ofdkit
runs = 5
start = time.perf_counter()
for _ in range(runs):
    ofdkit.extract_text(sys.argv[1], page_separator="\f")
print(f"{(time.perf_counter() - start) / runs:.4f} s per open+text")
PY
echo "  Swift peak RSS on it:"; measure "$bench" ofd-text "$work/100-pages.ofd"

echo "1 GiB of zeros in Doc_0/Res/bomb.bin (1 MiB compressed), default limits (streamed, stops at the 64 MiB member limit):"
measure "$bench" ofd-text "$work/bomb-1g-bin.ofd"
echo "the same member named bomb.xml (read into memory as an XML part: stops at the 32 MiB part limit):"
measure "$bench" ofd-text "$work/bomb-1g.ofd"
echo "bomb.bin with the member limit raised to 1 GiB (the 100:1 ratio limit stops it at ~100 MiB):"
OFD_MEMBER_BYTES=1073741824 measure "$bench" ofd-text "$work/bomb-1g-bin.ofd"
echo "40 stored members of 16 MiB (640 MiB), default limits (stops at the 512 MiB total):"
measure "$bench" ofd-text "$work/bomb-total.ofd"
echo "ofdkit on the 1 GiB bomb, for comparison (it never reads members the document does not name):"
measure "$python" scripts/ofdkit-text.py "$work/bomb-1g.ofd" /dev/null
