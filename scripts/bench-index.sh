#!/usr/bin/env bash
# Index benchmark: builds a vault of N pilot-like dossiers (6 documents each: plain text, PDF
# with a Chinese text layer, DOCX), then measures
#   - `dossier index --rebuild` (release build) and the index's size per document;
#   - 100 searches (1-, 2-, 3+-character Chinese, mixed Chinese/Latin, names, with filters),
#     timed inside one process (median, p95), and one search end to end (process start, the
#     freshness check of every object, the query);
#   - for comparison, SQLite's own trigram tokenizer over the same texts (sqlite3 CLI): its
#     build time and size, and how many of the 1- and 2-character queries it can answer.
# Usage: scripts/bench-index.sh [DOSSIERS] (default 10000). Data goes to $BENCH_DIR (default
# /tmp/dossier-bench-index) and is deleted at the end unless KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
dossiers="${1:-10000}"
work="${BENCH_DIR:-/tmp/dossier-bench-index}"
bin=.build/release

swift build -c release --product dossier >/dev/null
swift build -c release --product dossier-bench >/dev/null
mkdir -p "$work"
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT

vault="$work/Vault"
if [ ! -d "$vault/store" ]; then
  echo "bench: generating $dossiers dossiers × 6 documents in $vault" >&2
  "$bin/dossier-bench" generate "$vault" --dossiers "$dossiers" --documents 6 --size 3000 --legal
fi
"$bin/dossier-bench" queries "$work/queries.tsv"

seconds() { python3 -c 'import sys,time; print(f"{time.time():.3f}")'; }
start=$(seconds)
"$bin/dossier" index --rebuild --vault "$vault" --json >"$work/rebuild.json"
end=$(seconds)
rebuild=$(python3 -c "print(f'{$end - $start:.1f}')")
read -r documents text_bytes index_bytes < <(python3 -c "
import json; r = json.load(open('$work/rebuild.json')); print(r['documents'], r['textBytes'], r['indexBytes'])")

"$bin/dossier" search --vault "$vault" --bench-queries "$work/queries.tsv" >"$work/queries.json"
read -r median p95 maxms hits < <(python3 -c "
import json; r = json.load(open('$work/queries.json')); print(r['medianMs'], r['p95Ms'], r['maxMs'], r['hits'])")

# End to end: the whole process, 11 runs, median.
e2e=$(python3 - "$bin/dossier" "$vault" <<'PY'
import statistics, subprocess, sys, time
runs = []
for _ in range(11):
    start = time.perf_counter()
    subprocess.run([sys.argv[1], "search", "玉米", "--json", "--vault", sys.argv[2]], check=True, stdout=subprocess.DEVNULL)
    runs.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(runs):.0f}")
PY
)
fresh=$(python3 - "$bin/dossier" "$vault" <<'PY'
import statistics, subprocess, sys, time
runs = []
for _ in range(5):
    start = time.perf_counter()
    subprocess.run([sys.argv[1], "index", "--vault", sys.argv[2]], check=True, stdout=subprocess.DEVNULL)
    runs.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(runs):.0f}")
PY
)

# Comparison: SQLite's trigram tokenizer over the same document texts.
trigram="$work/trigram.sqlite"
rm -f "$trigram"
start=$(seconds)
sqlite3 "$trigram" "ATTACH '$vault/index.sqlite' AS source; CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram'); INSERT INTO t(rowid, body) SELECT id, c3 FROM source.text_content;"
end=$(seconds)
trigram_build=$(python3 -c "print(f'{$end - $start:.1f}')")
trigram_bytes=$(stat -c %s "$trigram")
short_total=0; short_answered=0; short_ours=0
while IFS=$'\t' read -r query _; do
  length=$(python3 -c "import sys; print(len(sys.argv[1]))" "$query")
  if [ "$length" -le 2 ] && python3 -c "import sys; sys.exit(0 if all('\u4e00' <= c <= '\u9fff' for c in sys.argv[1]) else 1)" "$query"; then
    short_total=$((short_total + 1))
    n=$(sqlite3 "$trigram" "SELECT count(*) FROM t WHERE t MATCH '\"$query\"'")
    [ "$n" -gt 0 ] && short_answered=$((short_answered + 1))
    ours=$("$bin/dossier" search "$query" --vault "$vault" --json --limit 1 | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
    [ "$ours" -gt 0 ] && short_ours=$((short_ours + 1))
  fi
done <"$work/queries.tsv"

per_doc=$(python3 -c "print(f'{$index_bytes / $documents / 1024:.1f}')")
text_mib=$(python3 -c "print(f'{$text_bytes / 1048576:.0f}')")
index_mib=$(python3 -c "print(f'{$index_bytes / 1048576:.0f}')")
trigram_mib=$(python3 -c "print(f'{$trigram_bytes / 1048576:.0f}')")
ratio=$(python3 -c "print(f'{$index_bytes / $trigram_bytes:.2f}')")
cat <<TABLE

Index benchmark: $dossiers dossiers, $documents documents, $text_mib MiB of extracted text ($(nproc) cores)
| what | dossier (unigram + bigram tokenizer) | SQLite trigram (comparison) |
|---|---|---|
| rebuild from store/ (extract PDF/DOCX/text, index) | $rebuild s | $trigram_build s (index only, texts already extracted) |
| index size | $index_mib MiB, $per_doc KiB per document | $trigram_mib MiB (ours ÷ trigram = $ratio) |
| 100 queries, in-process: median / p95 / max | $median ms / $p95 ms / $maxms ms ($hits hits) | – |
| 1–2-character Chinese queries answered | $short_ours of $short_total | $short_answered of $short_total |
| one search end to end (process start, freshness check, query), median of 11 | $e2e ms | – |
| freshness check alone (\`dossier index\`, no change), median of 5 | $fresh ms | – |
TABLE
