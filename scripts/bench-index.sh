#!/usr/bin/env bash
# Index benchmark: builds a vault of N pilot-like dossiers (6 documents each: plain text, PDF
# with a Chinese text layer, DOCX), then measures with the release build
#   - `dossier index --rebuild` (text extraction on two threads, one writer) and the index's
#     size per document;
#   - the 100 searches of `dossier-bench queries` (1-, 2-, 3+-character Chinese, mixed
#     Chinese/Latin, names, with filters), timed inside one process: median, p95, max, and how
#     many were ranked among the most recent matches only (common words);
#   - one search end to end (process start, freshness check, query), median of 11;
#   - the freshness check alone (one stat per tuple folder and per inventory), inside one
#     process, median of 11, and `dossier index` end to end with nothing changed;
#   - for comparison, SQLite's own trigram tokenizer over the same texts (sqlite3 CLI): its
#     build time and size, and how many of the 1- and 2-character queries it can answer.
# With BASELINE=/path/to/an/older/dossier, the same rows are measured for that binary too, on a
# hard-linked copy of the vault (its own index.sqlite), and printed beside ours.
#   e.g. git worktree add /tmp/base 8c7fd4c && (cd /tmp/base && swift build -c release --product dossier)
#        BASELINE=/tmp/base/.build/release/dossier scripts/bench-index.sh
# Usage: scripts/bench-index.sh [DOSSIERS] (default 10000). Data goes to $BENCH_DIR (default
# /tmp/dossier-bench-index) and is deleted at the end unless KEEP=1 (the vault takes minutes to
# generate: keep it between runs).
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

# measure DOSSIER VAULT OUT [BENCH]: writes OUT. In-process latencies come from BENCH
# (dossier-bench search-latency / freshness); without it, from an older dossier's hidden
# --bench-queries / --bench-freshness options.
measure() {
  local dossier="$1" vault="$2" out="$3" bench="${4:-}"
  python3 - "$dossier" "$vault" "$out" "$work/queries.tsv" "$bench" <<'PY'
import json, statistics, subprocess, sys, time
dossier, vault, out, queries, bench = sys.argv[1:6]
def run(args, **kw):
    return subprocess.run([dossier] + args + ["--vault", vault], check=True, capture_output=True, text=True, **kw)
def in_process(verb, argument, old):
    if bench:
        return subprocess.run([bench, verb, vault, argument], check=True, capture_output=True, text=True).stdout
    return run(old).stdout
result = {}
start = time.perf_counter()
rebuild = json.loads(run(["index", "--rebuild", "--json"]).stdout)
result["rebuild_s"] = time.perf_counter() - start
result["documents"] = rebuild["documents"]
result["text_bytes"] = rebuild["textBytes"]
result["index_bytes"] = rebuild["indexBytes"]
q = json.loads(in_process("search-latency", queries, ["search", "--bench-queries", queries]))
result["median_ms"], result["p95_ms"], result["max_ms"], result["hits"] = q["medianMs"], q["p95Ms"], q["maxMs"], q["hits"]
result["slowest"] = sorted(q["perQuery"], key=lambda x: -x["ms"])[:5]
# Queries ranked among their most recent matches only (an older dossier ranks them all).
result["common_terms"] = q.get("commonTerms")
def median_ms(args, n):
    runs = []
    for _ in range(n):
        s = time.perf_counter()
        run(args)
        runs.append((time.perf_counter() - s) * 1000)
    return statistics.median(runs)
result["e2e_search_ms"] = median_ms(["search", "玉米", "--json"], 11)
result["e2e_index_ms"] = median_ms(["index"], 5)
try:
    f = json.loads(in_process("freshness", "11", ["index", "--bench-freshness", "11"]))
    result["freshness_ms"] = f["medianMs"]
    result["freshness_work"] = f"{f['foldersChecked']} folders + {f['objectsChecked']} inventories stat'ed, {f['foldersListed']} listed, {f['inventoriesVerified']} hashed, {f['dossiersRead']} read"
except subprocess.CalledProcessError:
    result["freshness_ms"] = None  # an older dossier without --bench-freshness
    result["freshness_work"] = "reads every object's inventory sidecar"
json.dump(result, open(out, "w"))
PY
}

measure "$bin/dossier" "$vault" "$work/ours.json" "$bin/dossier-bench"
# Comparison: SQLite's trigram tokenizer over the same document texts.
trigram="$work/trigram.sqlite"
rm -f "$trigram"
start=$(python3 -c 'import time; print(time.time())')
sqlite3 "$trigram" "ATTACH '$vault/index.sqlite' AS source; CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram'); INSERT INTO t(rowid, body) SELECT id, c3 FROM source.text_content;"
trigram_build=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
trigram_bytes=$(stat -c %s "$trigram")
short_total=0; short_answered=0; short_ours=0
while IFS=$'\t' read -r query _; do
  if python3 -c "import sys; q=sys.argv[1]; sys.exit(0 if len(q) <= 2 and all('\u4e00' <= c <= '\u9fff' for c in q) else 1)" "$query"; then
    short_total=$((short_total + 1))
    n=$(sqlite3 "$trigram" "SELECT count(*) FROM t WHERE t MATCH '\"$query\"'")
    [ "$n" -gt 0 ] && short_answered=$((short_answered + 1))
    ours=$("$bin/dossier" search "$query" --vault "$vault" --json --limit 1 | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
    [ "$ours" -gt 0 ] && short_ours=$((short_ours + 1))
  fi
done <"$work/queries.tsv"

# Last, as hard links change every inventory's ctime (the index of $vault then re-reads them all
# at its next use: the freshness check is conservative).
if [ -n "${BASELINE:-}" ]; then
  rm -rf "$work/Baseline"
  mkdir -p "$work/Baseline"
  cp -al "$vault/store" "$work/Baseline/store"
  cp "$vault/vault.json" "$work/Baseline/vault.json"
  mkdir -p "$work/Baseline/locks" "$work/Baseline/tmp"
  measure "$BASELINE" "$work/Baseline" "$work/baseline.json"
fi

python3 - "$work" "$dossiers" "$(nproc)" "$trigram_build" "$trigram_bytes" "$short_ours" "$short_answered" "$short_total" <<'PY'
import json, os, sys
work, dossiers, cores, trigram_build, trigram_bytes, short_ours, short_answered, short_total = sys.argv[1:9]
ours = json.load(open(f"{work}/ours.json"))
base = json.load(open(f"{work}/baseline.json")) if os.path.exists(f"{work}/baseline.json") else None
mib = lambda b: b / 1048576
def cell(r, key, fmt, scale=1):
    v = r.get(key)
    return "–" if v is None else fmt.format(v * scale)
rows = [
    ("rebuild from store/ (extract PDF/DOCX/text, index)", lambda r: cell(r, "rebuild_s", "{:.1f} s")),
    ("index size", lambda r: f"{mib(r['index_bytes']):.0f} MiB, {r['index_bytes'] / r['documents'] / 1024:.1f} KiB per document"),
    ("100 queries, in-process: median / p95 / max", lambda r: f"{r['median_ms']:.1f} / {r['p95_ms']:.1f} / {r['max_ms']:.1f} ms ({r['hits']} hits)"),
    ("queries ranked among their 1,000 most recent matches (common words)", lambda r: cell(r, "common_terms", "{} of 100")),
    ("one search end to end (process start, freshness check, query), median of 11", lambda r: f"{r['e2e_search_ms']:.0f} ms"),
    ("freshness check alone, in-process, median of 11", lambda r: cell(r, "freshness_ms", "{:.1f} ms")),
    ("`dossier index` end to end, nothing changed, median of 5", lambda r: f"{r['e2e_index_ms']:.0f} ms"),
]
print()
print(f"Index benchmark: {dossiers} dossiers, {ours['documents']} documents, {mib(ours['text_bytes']):.0f} MiB of extracted text ({cores} cores)")
if base:
    print("| what | before (BASELINE) | after (this build) | after ÷ before |")
    print("|---|---|---|---|")
    ratios = {"rebuild_s": "rebuild_s", "median_ms": "median_ms", "p95_ms": "p95_ms", "e2e_search_ms": "e2e_search_ms", "e2e_index_ms": "e2e_index_ms"}
    keys = ["rebuild_s", "index_bytes", "p95_ms", "common_terms", "e2e_search_ms", "freshness_ms", "e2e_index_ms"]
    for (label, fmt), key in zip(rows, keys):
        ratio = f"{ours[key] / base[key]:.2f}" if key in ratios and base.get(key) else "–"
        print(f"| {label} | {fmt(base)} | {fmt(ours)} | {ratio} |")
    print(f"| freshness check does | {base['freshness_work']} | {ours['freshness_work']} | – |")
else:
    print("| what | dossier |")
    print("|---|---|")
    for label, fmt in rows:
        print(f"| {label} | {fmt(ours)} |")
    print(f"| freshness check does | {ours['freshness_work']} |")
print()
print("| what | dossier (unigram + bigram tokenizer) | SQLite trigram (comparison) |")
print("|---|---|---|")
print(f"| index size | {mib(ours['index_bytes']):.0f} MiB | {mib(int(trigram_bytes)):.0f} MiB (ours ÷ trigram = {ours['index_bytes'] / int(trigram_bytes):.2f}); built in {trigram_build} s from texts already extracted |")
print(f"| 1–2-character Chinese queries answered | {short_ours} of {short_total} | {short_answered} of {short_total} |")
print()
print("Slowest queries (this build):", ", ".join(f"{q['query']!r} {q['ms']:.1f} ms" for q in ours["slowest"]))
PY
