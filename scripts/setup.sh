#!/usr/bin/env bash
# Installs what dossier needs on a fresh Debian machine with Swift, and nothing when it is
# already there: the C libraries (apt) and, with --validators, the independent validators
# from PyPI in .venv/. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libarchive-dev libssl-dev libsqlite3-dev pkg-config libarchive-tools poppler-utils libpoppler-glib-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--validators" ]; then
  # Pinned: the versions whose behaviour STACK.md describes.
  wanted="ocfl-py==2.1.0 bagit==1.9.0 bdbag==1.8.0 check-jsonschema==0.39.0"
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -m pip freeze 2>/dev/null | grep -q '^ocfl-py==2.1.0$' \
     || ! .venv/bin/python -m pip freeze 2>/dev/null | grep -q '^bdbag==1.8.0$' \
     || ! .venv/bin/python -m pip freeze 2>/dev/null | grep -q '^check-jsonschema==0.39.0$'; then
    echo "setup: installing validators from PyPI into .venv: $wanted" >&2
    python3 -m venv .venv
    .venv/bin/python -m pip install -q --disable-pip-version-check $wanted
  fi
fi
