#!/usr/bin/env bash
# One dossier of many documents (issue 13: linear in a dossier's size): with the release build,
#   filing   `dossier file BUNDLE`: a folder bundle of N papers of 200 bytes and its filing.json
#            (written beforehand, untimed, as a clerk's scanned papers would be), filed as one
#            version into a vault that has its index — read, hashed, staged, committed, audited,
#            indexed and checked;
#            then one more one-page document with `dossier file` (reads and rewrites the whole
#            inventory and record, holding the dossier's lock);
#   indexing `dossier index --rebuild` (text of every document);
#   verifying `dossier verify` (every inventory, every file hashed).
# Goal: each under 60 s at N = 100,000 on this machine; a quadratic step shows at once.
#   bash scripts/bench-large-dossier.sh [N]      (default 100000; data in /tmp, removed at the end)
#   BENCH_BUILD=debug …                          (the debug build, to check the script quickly)
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8 DOSSIER_USER=bench
count=${1:-100000}
work=$(mktemp -d /tmp/bench-large-dossier.XXXXXX)
trap 'rm -rf "$work"' EXIT
. scripts/build-dossier.sh
vault="$work/Vault"
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; return 1; }; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
"$bin/dossier" init --vault "$vault" >/dev/null
# A bundle of N members is over the default limit (10,000): this vault allows more.
python3 - "$vault/vault.json" "$((count + 10))" <<'PY'
import json, sys
path, members = sys.argv[1], int(sys.argv[2])
settings = json.load(open(path, encoding="utf-8"))
settings.setdefault("limits", {})["members"] = members
json.dump(settings, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY
"$bin/dossier" new BENCH-000000 --vault "$vault" --title 基准大卷宗 --unit imut --type patent --grant ownership --funding fiscal >/dev/null
# A vault in use has its index, which every filing then brings up to date (a new vault has
# none until a command reads it): the filing timed below indexes its 100,000 papers too.
"$bin/dossier" list --vault "$vault" >/dev/null 2>&1
[ -f "$vault/index.sqlite" ] || { echo "bench-large-dossier: no index after dossier list" >&2; exit 1; }
python3 - "$work/bundle" "$count" <<'PY'
import json, os, sys
root, count = sys.argv[1], int(sys.argv[2])
os.makedirs(root)
documents = []
for number in range(count):
    name = f"年度报告{number:06d}.txt"
    text = f"第{number}号 成果转化年度报告：转化收入、分配情况与实施进展。".encode()
    with open(os.path.join(root, name), "wb") as paper:
        paper.write((text + b" " * 200)[:200])
    documents.append({"kind": "annual-report", "file": name,
                      "facts": {"year": 2024, "signedOn": "2025-01-15", "parties": ["内蒙古工业大学"]}})
with open(os.path.join(root, "filing.json"), "w", encoding="utf-8") as out:
    json.dump({"dossier": "BENCH-000000", "message": "基准：一次归档全部文件", "documents": documents}, out, ensure_ascii=False)
PY
sync
generate=$(seconds "$bin/dossier" file "$work/bundle" --vault "$vault")
rm -rf "$work/bundle"
printf 'one more page\n' > "$work/page.txt"
index=$(seconds "$bin/dossier" index --rebuild --no-ocr --vault "$vault")
file=$(seconds "$bin/dossier" file BENCH-000000 --kind annual-report "$work/page.txt" --fact year=2024 --fact signedOn=2025-01-15 --fact 'parties=["内蒙古工业大学"]' --vault "$vault")
verify=$(seconds "$bin/dossier" verify --vault "$vault")
size=$(du -sh "$vault/store" | cut -f1)
met() { awk -v s="$1" 'BEGIN { print (s < 60 ? "yes" : "NO") }'; }
echo "One dossier of $(printf "%'d" "$count") documents of 200 bytes ($size in the store):"
echo
echo "| step | seconds | under 60 s |"
echo "|---|---:|---|"
printf '| dossier file BUNDLE: the %s documents in one filing | %.1f | %s |\n' "$count" "$generate" "$(met "$generate")"
printf '| index --rebuild | %.1f | %s |\n' "$index" "$(met "$index")"
printf '| file one more page (dossier file) | %.1f | %s |\n' "$file" "$(met "$file")"
printf '| verify | %.1f | %s |\n' "$verify" "$(met "$verify")"
