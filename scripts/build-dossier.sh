# Sourced by the benchmark scripts: builds the dossier binary and sets `bin` to its folder —
# the release build, or with BENCH_BUILD=debug the debug build (a quick check of a script
# itself; its figures are not comparable).
if [ "${BENCH_BUILD:-release}" = debug ]; then
  swift build --product dossier >&2
  bin=.build/debug
else
  swift build -c release --product dossier >&2
  bin="$(swift build -c release --show-bin-path)"
fi
