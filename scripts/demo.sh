#!/usr/bin/env bash
# The main job, on the demo vault Vault/: set-up, a release build, then the checks a unit's
# staff, its confidentiality officers and an auditor run. It works on a copy of Vault/ in a
# temporary folder: an index rebuild and an export are themselves recorded in the vault's audit
# log, and the committed demo vault stays as it is.
# `validate` exits 1 because the demo holds findings on purpose; that is shown, not fatal.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
bash scripts/setup.sh
swift build -c release --product dossier >&2
dossier="$(swift build -c release --show-bin-path)/dossier"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r Vault "$work/Vault"
rm -rf "$work/Vault/index.sqlite"* "$work/Vault/locks" "$work/Vault/tmp"
export DOSSIER_VAULT="$work/Vault"
as_of=2026-11-28
# The demo officer's identity: git keeps no file modes, and an identity readable by others is refused.
cp Demo/keys/demo-officer.key "$work/officer.key"
chmod 600 "$work/officer.key"
# The demo vault's seal key (demo-only, Demo/keys/demo-seal.key) where a vault keeps its own, 600;
# its public key Demo/keys/demo-seal.pem is what the demo's "unit" publishes.
mkdir -p "$work/Vault/keys"
chmod 700 "$work/Vault/keys"
cp Demo/keys/demo-seal.key "$work/Vault/keys/seal.key"
chmod 600 "$work/Vault/keys/seal.key"
cp Demo/keys/demo-seal.pem "$work/seal.pem"
age-keygen -o "$work/auditor.key" 2>/dev/null
auditor=$(age-keygen -y "$work/auditor.key")

run() {
  # Shown as a shell would need it typed: arguments with spaces are quoted.
  local shown=""
  for argument in "$@"; do
    case "$argument" in *" "*) shown+=" \"$argument\"" ;; *) shown+=" $argument" ;; esac
  done
  printf '\n$ dossier%s\n' "$shown"
  status=0
  "$dossier" "$@" || status=$?
  [ "$status" -eq 0 ] || printf '(exit status %d)\n' "$status"
  # 1 is "the check found problems": expected here. Anything else is a real failure.
  [ "$status" -le 1 ] || exit "$status"
}

run verify
run seal show
run validate --all --as-of "$as_of"
run flags
run clearance list
# The classified dossier's papers are stored encrypted: reading one takes a cleared identity
# and a reason, and both the refusal and the read are audit lines.
secret=documents/secrecy-approval/涉密成果转化审批.txt
printf '\n$ dossier get IMUT-2022-0015 %s\n' "$secret"
"$dossier" get IMUT-2022-0015 "$secret" || printf '(exit status %d)\n' "$?"
run get IMUT-2022-0015 "$secret" --identity "$work/officer.key" --reason 年度保密审查
run review IMUT-2022-0015 --decision 同意 --note "涉密审批与保密协议齐全，同意对外许可。" --classification-reviewed --by 王保密
run flags
run export IMUT-2022-0015 -o "$work/IMUT-2022-0015.tar" --identity "$work/officer.key" --reason 审计抽查 --to "$auditor"
run verify-bundle --key "$work/seal.pem" "$work/IMUT-2022-0015.tar"
run due --as-of "$as_of"
run show IMUT-2023-0004
run log IMUT-2023-0004
run search 稀土
run search 非国有 --kind transfer-contract --since 2023-01-01
run list --status "pending review"
run report annual --unit imut --year 2023
run export IMUT-2022-0031 --format tar.gz -o "$work/IMUT-2022-0031-v6.tar.gz" --as-of "$as_of"
run verify-bundle --key "$work/seal.pem" "$work/IMUT-2022-0031-v6.tar.gz"
# An auditor's check with stock OpenSSL: the seal over the bag's tag manifest.
mkdir -p "$work/unpacked"
bsdtar -xf "$work/IMUT-2022-0031-v6.tar.gz" -C "$work/unpacked"
printf '\n$ openssl pkeyutl -verify -pubin -inkey seal.pem -rawin -in IMUT-2022-0031-v6/tagmanifest-sha512.txt -sigfile IMUT-2022-0031-v6/tagmanifest-sha512.txt.sig\n'
openssl pkeyutl -verify -pubin -inkey "$work/seal.pem" -rawin -in "$work/unpacked/IMUT-2022-0031-v6/tagmanifest-sha512.txt" -sigfile "$work/unpacked/IMUT-2022-0031-v6/tagmanifest-sha512.txt.sig"
# A unit's year at once: one sealed bag per dossier on imut's 2023 report, and a sealed index.
run export --unit imut --year 2023 -o "$work/imut-2023" --as-of "$as_of"
run verify-bundle --key "$work/seal.pem" "$work/imut-2023"
run audit verify --key "$work/seal.pem"
