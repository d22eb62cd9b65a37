#!/usr/bin/env bash
# The standing fault campaign of issue 13: nothing filed is ever lost or silently changed.
#
#   scripts/campaign.sh [--short|--long] [crash-points|kill|disk-full|concurrent|all]
#
#   crash-points  every DOSSIER_CRASH_AT point of the commit path, one by one, on a new dossier,
#                 a filing, a rename and a classify/declassify rewrite (short: new, file,
#                 classify); after each, the next command recovers and the store and log agree.
#   kill          SIGKILL at random moments of filings, renames, classify/declassify and sealed
#                 zip exports, until 300 kills (short: 24) have landed in a running command; a
#                 command that finished first must have succeeded.
#   disk-full     write failures at every step: the vault on a small tmpfs filled up to a
#                 different point each time (mount as root; else a user namespace with
#                 `unshare -rm`; else skipped, said so).
#   concurrent    N processes × M filings to one dossier → N×M contiguous versions
#                 (long: 8 × 50, short: 4 × 8).
#
# After each fault: `dossier verify` and `dossier audit verify` pass (the store/log
# cross-check included), ocfl-py validates the store (when $DOSSIER_VALIDATORS has it), every
# acknowledged filing is there, and tmp/ holds nothing once the next command ran.
# Exit 0 when every check held; the last line says what ran. Short form: from scripts/test.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8 DOSSIER_USER=campaign DOSSIER_EMAIL=campaign@example.org DOSSIER_LOCK_TIMEOUT=120
form=short
what=all
for arg in "$@"; do
  case "$arg" in
    --short) form=short ;;
    --long) form=long ;;
    crash-points|kill|disk-full|concurrent|all) what=$arg ;;
    *) echo "usage: scripts/campaign.sh [--short|--long] [crash-points|kill|disk-full|concurrent|all]" >&2; exit 64 ;;
  esac
done
bin=${DOSSIER_BIN:-$PWD/.build/debug/dossier}
[ -x "$bin" ] || { echo "campaign: no dossier binary at $bin (swift build, or set DOSSIER_BIN)" >&2; exit 2; }
validators=${DOSSIER_VALIDATORS:-$PWD/.venv/bin}
work=$(mktemp -d "${TMPDIR:-/tmp}/dossier-campaign.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
checks=0
fail() { echo "campaign: FAIL: $*" >&2; failures=$((failures + 1)); }
d() { "$bin" "$@"; }

new_vault() { # DIR
  d init --vault "$1" >/dev/null &&
  d new IMUT-2021-0007 --vault "$1" --title 一种风光互补储能系统的控制方法 --unit imut --type patent --grant ownership \
    --funding fiscal --completer 王芳:60:representative --completer 李强:40 >/dev/null
}

file_one() { # VAULT N [ID]: files report-N.txt (unique content) into ID
  local v=$1 n=$2 id=${3:-IMUT-2021-0007}
  printf 'annual report %s %s\n' "$n" "$RANDOM" > "$work/report-$n.txt"
  d file "$id" --kind annual-report "$work/report-$n.txt" --fact year=2023 \
    --fact signedOn=2024-01-15 --fact 'parties=["内蒙古工业大学"]' --vault "$v" >/dev/null 2>"$work/last.err"
}

head_of() { # VAULT ID → head version number (0 if none)
  d log "$2" --vault "$1" --json 2>/dev/null | python3 -c 'import json,sys
try: print(max(int(v["version"].lstrip("v")) for v in json.load(sys.stdin)))
except Exception: print(0)'
}

check_vault() { # VAULT CONTEXT: the store and the log vouch for each other
  local v=$1 context=$2
  checks=$((checks + 1))
  d verify --vault "$v" >"$work/verify.out" 2>&1 || { fail "$context: verify: $(grep -v '^ *ok' "$work/verify.out" | head -5 | tr '\n' ' ')"; return; }
  d audit verify --vault "$v" >"$work/audit.out" 2>&1 || { fail "$context: audit verify: $(head -5 "$work/audit.out" | tr '\n' ' ')"; return; }
  if [ -x "$validators/ocfl-validate.py" ]; then
    "$validators/ocfl-validate.py" "$v/store" >"$work/ocfl.out" 2>&1 || fail "$context: ocfl-py: $(tail -3 "$work/ocfl.out" | tr '\n' ' ')"
  fi
  if [ -d "$v/tmp" ] && [ -n "$(ls -A "$v/tmp")" ]; then fail "$context: tmp/ not empty: $(ls -A "$v/tmp" | head -3 | tr '\n' ' ')"; fi
}

# ---------------------------------------------------------------------------------------------
crash_points() {
  local points
  points=$(grep -o '= "[a-z.-]*"' Sources/DossierKit/Support/CrashPoint.swift | tr -d '="' | tr -d ' ')
  local reached=0 total=0
  age-keygen -o "$work/officer.key" 2>/dev/null
  local recipient
  recipient=$(age-keygen -y "$work/officer.key")
  for point in $points; do
    total=$((total + 1))
    local v="$work/cp-$total" hit=""
    new_vault "$v" || { fail "crash $point: set-up"; continue; }
    d clearance add 秘密 保密办公室 "$recipient" --vault "$v" >/dev/null
    file_one "$v" 1
    # A new dossier, a filing, a rename, a classify and a declassify, each armed.
    local ops=(
      "new IMUT-2022-0001 --title 测试 --unit imut --type patent --grant ownership --funding fiscal --completer 王芳:100:representative"
      "file"
      "rename IMUT-2021-0007 documents/annual-report/report-1.txt renamed-1.txt"
      "classify IMUT-2021-0007 --level 秘密 --until 2040-01-01"
      "declassify IMUT-2021-0007 --identity $work/officer.key --reason campaign"
    )
    # The short form: a new dossier, a filing and a classify (every point is on one of them).
    [ $form = short ] && ops=("${ops[0]}" "${ops[1]}" "${ops[3]}")
    for op in "${ops[@]}"; do
      local before status
      before=$(head_of "$v" IMUT-2021-0007)
      if [ "$op" = file ]; then
        printf 'armed %s\n' "$point" > "$work/armed-$total.txt"
        # (In a subshell whose stderr is dropped: bash reports a child killed by a signal.)
        status=$( (DOSSIER_CRASH_AT=$point "$bin" file IMUT-2021-0007 --kind annual-report "$work/armed-$total.txt" \
          --fact year=2024 --fact signedOn=2025-01-15 --fact 'parties=["内蒙古工业大学"]' --vault "$v" >/dev/null 2>&1; echo $?) 2>/dev/null)
      else
        # shellcheck disable=SC2086
        status=$( (DOSSIER_CRASH_AT=$point "$bin" $op --vault "$v" >/dev/null 2>&1; echo $?) 2>/dev/null)
      fi
      if [ $status -eq 137 ]; then hit="$hit ${op%% *}"; fi
      # The next writer recovers; then both checks must pass and the killed change is either
      # wholly there (rolled forward, its line marked recovery) or wholly absent.
      file_one "$v" "r$total$RANDOM" || fail "crash $point during ${op%% *}: the next filing failed: $(cat "$work/last.err")"
      check_vault "$v" "crash $point during ${op%% *}"
      local after
      after=$(head_of "$v" IMUT-2021-0007)
      [ "$after" -gt "$before" ] || fail "crash $point during ${op%% *}: head went from v$before to v$after"
    done
    if [ -n "$hit" ]; then reached=$((reached + 1)); echo "crash point $point: killed during$hit; recovered, checks pass"; else echo "crash point $point: not on these paths"; fi
  done
  echo "crash points: $reached of $total reached and recovered"
  summary+=("crash points: $reached/$total reached")
}

# ---------------------------------------------------------------------------------------------
kill_vault() { # VAULT: a new vault for the kill loop, its officer's key in $work/kill.key
  new_vault "$1"
  [ -f "$work/kill.key" ] || age-keygen -o "$work/kill.key" 2>/dev/null
  d clearance add 秘密 保密办公室 "$(age-keygen -y "$work/kill.key")" --vault "$1" >/dev/null
  d seal init --vault "$1" >/dev/null 2>&1
  file_one "$1" 0
  printf 'renamed back and forth\n' > "$work/rename-0.txt"
  d file IMUT-2021-0007 --kind annual-report "$work/rename-0.txt" --fact year=2022 --fact signedOn=2023-01-15 \
    --fact 'parties=["内蒙古工业大学"]' --vault "$1" >/dev/null
}

kill_loop() {
  # Runs until this many SIGKILLs have landed in a running command (a command that finished
  # first is checked too, but does not count), at most three times as many runs.
  local kills=24
  [ $form = long ] && kills=300
  # Every run adds about two versions, and the checks after it (ocfl-py above all) read every
  # version's inventory: a new vault every 50 runs, so the last run is checked as fast as the
  # first (one growing dossier had slowed to 1.7 runs a minute by run 149).
  local per_vault=50
  local v acked=0 killed=0 n=0 window auditor
  local -a present
  while [ $killed -lt $kills ] && [ $n -lt $((kills * 3)) ]; do
    n=$((n + 1))
    if [ $(((n - 1) % per_vault)) = 0 ]; then
      v="$work/kill-$(((n - 1) / per_vault + 1))"
      kill_vault "$v"
      auditor=$(age-keygen -y "$work/kill.key")
      # Acknowledged documents (a rename's, whether killed or not, is checked by content: one
      # rename-*.txt must be there, under its old name or its new one).
      present=("documents/annual-report/report-0.txt")
      [ $n = 1 ] || { rm -rf "$work/kill-$(((n - 1) / per_vault))"; echo "kill: run $((n - 1)), $killed SIGKILLs so far; a new vault" >&2; }
      # The random moment falls within the command's usual run: twice a filing's time here
      # (about 60 ms for the release build, 250 for the debug one).
      local t0 t1
      t0=$(date +%s%N); file_one "$v" "timing-$n"; t1=$(date +%s%N)
      present+=("documents/annual-report/report-timing-$n.txt")
      window=$(( (t1 - t0) / 500000 )); [ "$window" -ge 40 ] || window=40; [ "$window" -le 999 ] || window=999
    fi
    local kind=$((n % 5)) pid status classified
    case $kind in
      0|1) printf 'annual report %s %s\n' "$n" "$RANDOM" > "$work/k-$n.txt"
           "$bin" file IMUT-2021-0007 --kind annual-report "$work/k-$n.txt" --fact year=2023 \
             --fact signedOn=2024-01-15 --fact 'parties=["内蒙古工业大学"]' --vault "$v" >/dev/null 2>"$work/cmd.err" & ;;
      2) local current
         current=$(d show IMUT-2021-0007 --vault "$v" --json 2>/dev/null | grep -o 'documents/annual-report/rename-[0-9]*\.txt' | head -1)
         "$bin" rename IMUT-2021-0007 "$current" "rename-$n.txt" --vault "$v" >/dev/null 2>"$work/cmd.err" & ;;
      3) # Classify the dossier in the clear, declassify the classified one (whichever the last
         # run, killed or not, left).
         classified=$(d show IMUT-2021-0007 --vault "$v" --json 2>/dev/null | grep -o '"classification" *: *"[a-z-]*"' | head -1)
         if [[ $classified == *'"none"' ]]; then "$bin" classify IMUT-2021-0007 --level 秘密 --until 2040-01-01 --vault "$v" >/dev/null 2>"$work/cmd.err" &
         else "$bin" declassify IMUT-2021-0007 --identity "$work/kill.key" --reason campaign --vault "$v" >/dev/null 2>"$work/cmd.err" & fi ;;
      4) # Sealed; a classified dossier's papers encrypted again for the receiving auditor.
         "$bin" export IMUT-2021-0007 -o "$work/export-$n.zip" --format zip --identity "$work/kill.key" --reason campaign \
           --to "$auditor" --vault "$v" >/dev/null 2>"$work/cmd.err" & ;;
    esac
    pid=$!
    sleep "0.$(printf '%03d' $((RANDOM % window)))"
    kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
    wait "$pid" 2>/dev/null; status=$?
    if [ $status -eq 0 ]; then
      acked=$((acked + 1))
      case $kind in 0|1) present+=("documents/annual-report/k-$n.txt") ;; esac
    elif [ $status -ne 137 ]; then
      # Not killed, and it failed: every command here is one that should succeed.
      fail "kill $n (kind $kind): the command exited $status unkilled: $(head -2 "$work/cmd.err" | tr '\n' ' ')"
    fi
    # Recovery by the next writer, then the checks; every acknowledged document is still there.
    file_one "$v" "after-$n" || fail "kill $n: the next filing failed: $(cat "$work/last.err")"
    present+=("documents/annual-report/report-after-$n.txt")
    check_vault "$v" "kill $n (kind $kind, exit $status)"
    local listing
    listing=$(d show IMUT-2021-0007 --vault "$v" --json 2>/dev/null)
    for path in "${present[@]}"; do
      grep -qF "\"$path\"" <<<"$listing" || fail "kill $n: acknowledged $path missing"
    done
    [ "$(grep -o 'documents/annual-report/rename-[0-9]*\.txt' <<<"$listing" | sort -u | wc -l)" = 1 ] || fail "kill $n: the renamed document is not there exactly once"
    rm -f "$work"/export-*.zip "$work"/export-*.partial
  done
  [ $killed -ge $kills ] || fail "kill: only $killed SIGKILLs landed in $n runs (wanted $kills)"
  echo "kill: $killed SIGKILLs landed in $n runs ($acked commands finished first, each checked too); every check passed unless FAIL is above"
  summary+=("kill: $killed SIGKILLs/$n runs")
}

# ---------------------------------------------------------------------------------------------
disk_full() {
  local mount_as=""
  local mnt="$work/tmpfs"
  mkdir -p "$mnt"
  if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=4m tmpfs "$mnt" 2>/dev/null; then
    mount_as=root
  elif unshare -rm true 2>/dev/null; then
    mount_as=userns
  else
    echo "disk-full: skipped: neither root nor user namespaces (unshare -rm) can mount a tmpfs here"
    summary+=("disk-full: skipped (no tmpfs)")
    return
  fi
  local steps=12
  [ $form = long ] && steps=60
  local big="$work/big.bin"
  head -c 900000 /dev/urandom > "$big"
  local step
  local script="$work/disk-step.sh"
  cat > "$script" <<'STEP'
#!/usr/bin/env bash
# Inside the tmpfs: a vault with one filing, then the disk filled to leave FREE bytes, then a filing of BIG.
set -u
bin=$1 mnt=$2 big=$3 free=$4 out=$5
[ "$(id -u)" = 0 ] && [ -n "${IN_NS:-}" ] && mount -t tmpfs -o size=4m tmpfs "$mnt"
rm -rf "$mnt"/*
v="$mnt/v"
"$bin" init --vault "$v" >/dev/null
"$bin" new IMUT-2021-0007 --vault "$v" --title 一种风光互补储能系统的控制方法 --unit imut --type patent --grant ownership \
  --funding fiscal --completer 王芳:100:representative >/dev/null
avail=$(( $(stat -f -c '%a*%S' "$mnt") ))
fill=$((avail - free))
[ $fill -gt 0 ] && head -c $fill /dev/zero > "$mnt/fill" 2>/dev/null
"$bin" file IMUT-2021-0007 --kind annual-report "$big" --fact year=2023 --fact signedOn=2024-01-15 \
  --fact 'parties=["内蒙古工业大学"]' --vault "$v" >/dev/null 2>"$out.err"
echo $? > "$out.status"
rm -f "$mnt/fill"
# With room again: the next writer recovers; then the checks.
printf 'after\n' > "$mnt/after.txt"
"$bin" file IMUT-2021-0007 --kind annual-report "$mnt/after.txt" --fact year=2024 --fact signedOn=2025-01-15 \
  --fact 'parties=["内蒙古工业大学"]' --vault "$v" >/dev/null 2>>"$out.err" || echo "next filing failed" >> "$out.problems"
"$bin" verify --vault "$v" >/dev/null 2>&1 || echo "verify: $("$bin" verify --vault "$v" 2>&1 | grep -v '^ *ok' | head -3 | tr '\n' ' ')" >> "$out.problems"
"$bin" audit verify --vault "$v" >/dev/null 2>&1 || echo "audit verify: $("$bin" audit verify --vault "$v" 2>&1 | head -3 | tr '\n' ' ')" >> "$out.problems"
status=$(cat "$out.status")
shown=$("$bin" show IMUT-2021-0007 --vault "$v" --json 2>/dev/null)
if [ "$status" = 0 ]; then grep -q '"documents/annual-report/big.bin"' <<<"$shown" || echo "acknowledged filing missing" >> "$out.problems"; fi
[ -z "$(ls -A "$v/tmp" 2>/dev/null)" ] || echo "tmp not empty" >> "$out.problems"
cp -r "$v" "$out.vault" 2>/dev/null
STEP
  chmod +x "$script"
  local refused=0 filed=0
  for step in $(seq 0 $((steps - 1))); do
    # From no room at all to room for everything, in even steps.
    local free=$((step * 1100000 / (steps - 1)))
    local out="$work/df-$step"
    rm -f "$out".*
    if [ $mount_as = root ]; then
      bash "$script" "$bin" "$mnt" "$big" "$free" "$out"
    else
      IN_NS=1 unshare -rm bash "$script" "$bin" "$mnt" "$big" "$free" "$out"
    fi
    local status
    status=$(cat "$out.status" 2>/dev/null || echo "?")
    case $status in 0) filed=$((filed + 1)) ;; 2) refused=$((refused + 1)) ;; *) fail "disk-full step $step (free $free): exit $status: $(head -2 "$out.err")" ;; esac
    if [ -s "$out.problems" ]; then fail "disk-full step $step (free $free, exit $status): $(tr '\n' ' ' < "$out.problems")"; fi
    checks=$((checks + 1))
    if [ -x "$validators/ocfl-validate.py" ] && [ -d "$out.vault" ]; then
      "$validators/ocfl-validate.py" "$out.vault/store" >/dev/null 2>&1 || fail "disk-full step $step: ocfl-py"
    fi
  done
  [ $mount_as = root ] && umount "$mnt"
  echo "disk-full ($mount_as tmpfs of 4 MiB): $steps fill levels, $refused refused (exit 2), $filed filed (exit 0); checks pass unless FAIL is above"
  summary+=("disk-full ($mount_as): $steps levels")
}

# ---------------------------------------------------------------------------------------------
concurrent() {
  local procs=4 each=8
  [ $form = long ] && procs=8 each=50
  local v="$work/concurrent"
  new_vault "$v"
  local p pids=()
  for p in $(seq 1 $procs); do
    (
      for i in $(seq 1 $each); do
        printf 'process %s filing %s\n' "$p" "$i" > "$work/c-$p-$i.txt"
        "$bin" file IMUT-2021-0007 --kind annual-report "$work/c-$p-$i.txt" --fact year=2023 \
          --fact signedOn=2024-01-15 --fact 'parties=["内蒙古工业大学"]' --vault "$v" >/dev/null 2>"$work/c-$p.err" || echo "$p $i: $(cat "$work/c-$p.err")" >> "$work/c-failed"
      done
    ) &
    pids+=($!)
  done
  wait "${pids[@]}"
  [ -s "$work/c-failed" ] && fail "concurrent: filings failed: $(head -3 "$work/c-failed" | tr '\n' ' ')"
  local want=$((procs * each + 1)) head
  head=$(head_of "$v" IMUT-2021-0007)
  local versions
  versions=$(d log IMUT-2021-0007 --vault "$v" --json | python3 -c 'import json,sys; print(" ".join(sorted(v["version"] for v in json.load(sys.stdin))))' | wc -w)
  [ "$head" = "$want" ] && [ "$versions" = "$want" ] || fail "concurrent: head v$head, $versions versions; want v$want contiguous"
  check_vault "$v" "concurrent"
  echo "concurrent: $procs processes × $each filings → v1…v$head"
  summary+=("concurrent: $procs×$each → v$head")
}

summary=()
start=$(date +%s)
case $what in
  crash-points) crash_points ;;
  kill) kill_loop ;;
  disk-full) disk_full ;;
  concurrent) concurrent ;;
  all) crash_points; kill_loop; disk_full; concurrent ;;
esac
echo "campaign ($form, $what, $(git rev-parse --short HEAD 2>/dev/null)): ${summary[*]}; $checks checks, $failures failures, $(( $(date +%s) - start )) s"
[ $failures = 0 ]
