#!/usr/bin/env bash
# Installs what dossier needs on a fresh Debian machine with Swift, and nothing when it is
# already there: the C libraries (apt) and, with --validators, the independent validators and
# oracles from PyPI in .venv/ (with Chromium and a CJK font, which print the bag's summary and
# the annual report in the tests); with --bench also what the benchmarks' page renderer needs
# (the WenQuanYi font, Pillow).
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

# openssl is always installed: an auditor's stock tool for the seals, and the demo checks with it.
packages=(libarchive-dev libssl-dev libsqlite3-dev zlib1g-dev pkg-config libarchive-tools poppler-utils libpoppler-glib-dev age openssl
          libcairo2-dev tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng libtesseract-dev libleptonica-dev
          libpng-dev libturbojpeg0-dev libmagic-dev libclamav-dev)
validators=0; bench=0
for argument in "$@"; do
  case "$argument" in
    --validators) validators=1 ;;
    --bench) validators=1; bench=1 ;;
    *) echo "usage: scripts/setup.sh [--validators] [--bench]" >&2; exit 64 ;;
  esac
done
# The tests also run the openssl command (signatures and seals made and checked independently),
# print the bag's summary and the annual report with headless Chromium (a CJK font for them), and
# run ClamAV's clamscan and file(1) (the virus scan and the format identification, each checked
# by its own tool).
if [ "$validators" = 1 ]; then packages+=(chromium fonts-wqy-zenhei clamav file); fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "$validators" = 1 ]; then
  # Pinned: the versions whose behaviour STACK.md describes. pyHanko (PDF signatures) and
  # asn1crypto (the SM2 oracle) check signatures; ofdkit is the OFD text oracle.
  wanted="ocfl-py==2.1.0 bagit==1.9.0 bdbag==1.8.0 check-jsonschema==0.39.0 pyHanko==0.38.0 asn1crypto==1.5.1 ofdkit==0.2.0"
  # The OCR fixtures' and benchmarks' page renderer (Tests/Fixtures/ocr/make-fixtures.py).
  if [ "$bench" = 1 ]; then wanted="$wanted Pillow==13.0.0"; fi
  installed=""
  [ -x .venv/bin/python ] && installed=$(.venv/bin/python -m pip freeze --disable-pip-version-check 2>/dev/null || true)
  missing_validators=0
  for pin in $wanted; do
    # A here-string, not a pipe: `grep -q` closing a pipe early would fail under pipefail.
    grep -qix "$pin" <<<"$installed" || missing_validators=1
  done
  if [ "$missing_validators" -eq 1 ]; then
    echo "setup: installing validators from PyPI into .venv: $wanted" >&2
    if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
      # Debian's own python3 keeps venv in a separate package.
      $sudo_cmd apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-venv >/dev/null
    fi
    python3 -m venv .venv
    .venv/bin/python -m pip install -q --disable-pip-version-check $wanted
  fi
fi

# The man page and shell completions, once the binary is built (a fresh checkout builds after
# set-up; run setup.sh again, or scripts/install-man.sh, to install them).
if [ -x .build/debug/dossier ] && [ "${DOSSIER_NO_MAN:-0}" != 1 ]; then
  scripts/install-man.sh || echo "setup: warning: the man page and completions were not installed" >&2
fi
