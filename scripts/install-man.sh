#!/usr/bin/env bash
# Installs dossier's man page (English, and Chinese under zh_CN) and its shell completions for
# the current user, from the built binary:
#   man page     swift-argument-parser's GenerateManual plugin (`swift package generate-manual`,
#                from the package mirror), run once per language; into
#                ~/.local/share/man/man1/dossier.1 and ~/.local/share/man/zh_CN/man1/dossier.1
#   completions  `dossier --generate-completion-script bash|zsh|fish`; they call the binary back
#                for kinds, units, types and the vault's dossier ids, into
#                ~/.local/share/bash-completion/completions/dossier, ~/.local/share/zsh/site-functions/_dossier
#                and ~/.config/fish/completions/dossier.fish
# Usage: scripts/install-man.sh [--prefix DIR] (default ~/.local). setup.sh runs it once the
# binary is built. `man dossier`, `LANG=zh_CN.UTF-8 man dossier` then work (MANPATH permitting).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="$HOME/.local"
if [ "${1:-}" = "--prefix" ]; then prefix="$2"; fi
binary=.build/debug/dossier
[ -x "$binary" ] || { echo "install-man: build first (swift build)" >&2; exit 2; }

out=.build/man
rm -rf "$out" && mkdir -p "$out/en" "$out/zh"
for lang in en zh; do
  locale=C.UTF-8; [ "$lang" = zh ] && locale=zh_CN.UTF-8
  # The plugin runs `dossier --experimental-dump-help`; the language is the environment's.
  LANG=$locale LC_ALL=$locale swift package --disable-sandbox generate-manual --configuration debug \
    --authors "dossier maintainers" >/dev/null
  cp .build/plugins/GenerateManual/outputs/dossier/dossier.1 "$out/$lang/dossier.1"
done
install -D -m 644 "$out/en/dossier.1" "$prefix/share/man/man1/dossier.1"
install -D -m 644 "$out/zh/dossier.1" "$prefix/share/man/zh_CN/man1/dossier.1"

"$binary" --generate-completion-script bash >"$out/dossier.bash"
"$binary" --generate-completion-script zsh >"$out/_dossier"
"$binary" --generate-completion-script fish >"$out/dossier.fish"
install -D -m 644 "$out/dossier.bash" "$prefix/share/bash-completion/completions/dossier"
install -D -m 644 "$out/_dossier" "$prefix/share/zsh/site-functions/_dossier"
install -D -m 644 "$out/dossier.fish" "${XDG_CONFIG_HOME:-$HOME/.config}/fish/completions/dossier.fish"
echo "install-man: man pages in $prefix/share/man (man1, zh_CN/man1); completions for bash, zsh and fish" >&2
