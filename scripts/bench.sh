#!/usr/bin/env bash
# One command for every benchmark: runs each scripts/bench-*.sh in turn (any added later is
# picked up without editing this file) and writes BENCHMARKS.md with the machine, the commit,
# each script's own output (its tables and ratios, against the tools users would compare
# with) and how to rerun it.
#
#   scripts/bench.sh [-o FILE] [NAME[=ARGS]…]
#
# NAME selects scripts by the part after bench- (e.g. `rules`, `export`); none: all of them.
# NAME=ARGS passes ARGS (split on spaces) to that script, e.g. `rules=500` for a short run.
# The file is rewritten after each script (a stopped run leaves those done, marked partial).
# A script that fails is reported as failed (its output kept) and the others still run;
# the exit status is 1 when one failed. Release builds are made by the scripts that need them.
# Takes hours in full on the project's 2-core machine; run it alone.
set -uo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
out=BENCHMARKS.md
declare -A args=()
selected=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *=*) selected+=("${1%%=*}"); args[${1%%=*}]=${1#*=}; shift ;;
    *) selected+=("$1"); shift ;;
  esac
done
scripts=()
for script in scripts/bench-*.sh; do
  name=$(basename "$script" .sh); name=${name#bench-}
  if [ ${#selected[@]} -gt 0 ]; then
    printf '%s\n' "${selected[@]}" | grep -qx "$name" || continue
  fi
  scripts+=("$script")
done
[ ${#scripts[@]} -gt 0 ] || { echo "bench: no scripts/bench-*.sh matches ${selected[*]}" >&2; exit 64; }

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain 2>/dev/null | grep -qv '^??' && echo " (with uncommitted changes)" || true)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  echo "# Benchmarks"
  echo
  echo "Written by \`scripts/bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at commit \`$commit\`$dirty."
  echo "Rerun everything with \`scripts/bench.sh\` (hours; alone on the machine), one script with"
  echo "\`scripts/bench.sh NAME\` or \`bash scripts/bench-NAME.sh\`. Each section is that script's own output."
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| CPU | $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores |"
  echo "| memory | $(free -g 2>/dev/null | awk '/^Mem:/ { print $2 " GiB" }') |"
  echo "| system | $(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-?}"), Linux $(uname -r) |"
  echo "| Swift | $(swift --version 2>/dev/null | head -1) |"
  echo "| file system of /tmp | $(df -T /tmp 2>/dev/null | awk 'NR == 2 { print $2 }') |"
  echo "| load when started | $(cut -d' ' -f1-3 /proc/loadavg) |"
} > "$tmp/head.md"
failed=0
: > "$tmp/body.md"
# Figures not produced by a benchmark script (the fault and fuzz campaigns, earlier measurements
# by hand) are kept from the previous file: everything from "## Campaigns" on.
if [ -f "$out" ] && grep -q '^## Campaigns' "$out"; then
  { echo; sed -n '/^## Campaigns/,$p' "$out"; } > "$tmp/kept.md"
else
  : > "$tmp/kept.md"
fi
done_count=0
# The file is written after each script, so a run stopped half way leaves what it measured.
write_out() {
  local progress=""
  [ "$done_count" -lt ${#scripts[@]} ] && progress="**Partial: $done_count of ${#scripts[@]} scripts so far** (the run goes on, or was stopped)."
  { cat "$tmp/head.md"; [ -z "$progress" ] || { echo; echo "$progress"; }; cat "$tmp/body.md" "$tmp/kept.md"; } > "$out.partial" && mv "$out.partial" "$out"
}
for script in "${scripts[@]}"; do
  name=$(basename "$script" .sh); name=${name#bench-}
  # shellcheck disable=SC2206
  extra=(${args[$name]:-})
  echo "bench: $script ${extra[*]}" >&2
  start=$(date +%s)
  bash "$script" "${extra[@]}" > "$tmp/$name.out" 2> "$tmp/$name.err"
  status=$?
  took=$(( $(date +%s) - start ))
  {
    echo
    echo "## $name"
    echo
    # The script's opening comment says what it compares.
    sed -n '2,/^[^#]/p' "$script" | grep '^#' | sed 's/^# \{0,1\}//' | sed 's/^/> /'
    echo
    echo "\`bash $script${extra[*]:+ ${extra[*]}}\` — $took s, exit $status$([ $status = 0 ] || echo " (FAILED)")"
    echo
    if grep -q '^|' "$tmp/$name.out"; then
      cat "$tmp/$name.out"
    else
      echo '```'; cat "$tmp/$name.out"; echo '```'
    fi
    if [ $status != 0 ]; then
      echo; echo "stderr (last lines):"; echo; echo '```'; tail -15 "$tmp/$name.err"; echo '```'
    fi
  } >> "$tmp/body.md"
  [ $status = 0 ] || failed=1
  done_count=$((done_count + 1))
  write_out
done
echo "bench: wrote $out (${#scripts[@]} scripts$([ $failed = 0 ] || echo ", some FAILED"))" >&2
[ $failed = 0 ]
