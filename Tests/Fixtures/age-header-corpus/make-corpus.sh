#!/usr/bin/env bash
# Writes the seed corpus of the age header fuzzer (scripts/fuzz-age-header.sh): a few small age
# files for the spec's example key (AGE-SECRET-KEY-1GFPYY…, public in the spec), which the
# harness decrypts with, so that inputs reach the payload code as well as the header parser.
# Made with Debian's age and with this package's dossier-age; rerun to refresh.
set -euo pipefail
cd "$(dirname "$0")"
root=../../..
tool="$root/.build/debug/dossier-age"
[ -x "$tool" ] || (cd "$root" && swift build --product dossier-age >/dev/null)
spec=age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj
other=$(age-keygen 2>/dev/null | age-keygen -y)
printf 'hello\n' | age -r "$spec" > age-hello.age
printf '' | age -r "$spec" > age-empty.age
printf '%.0s秘密' $(seq 300) | age -r "$other" -r "$spec" -r "$other" > age-three-recipients.age
head -c 1000 /dev/zero | "$tool" encrypt -r "$spec" > ours-1000-zeros.age
# The spec's own header, alone.
printf 'age-encryption.org/v1\n-> X25519 XEl0dJ6y3C7KZkgmgWUicg63EyXJiwBJW8PdYJ/cYBE\nqRS0AMjdjPvZ/WT08U2KL4G+PIooA3hy38SvLpvaC1E\n--- HK2NmOBN9Dpq0Gw6xMCuhFcQlQLvZ/wQUi/2scLG75s\n' > spec-header.age
# Unknown stanzas around ours: empty body, a full line, odd arguments (the MAC will not match).
{ printf 'age-encryption.org/v1\n-> grease-7 !"# ~\n\n-> x.example/enigma a b\n%s\n\n' "$(head -c 64 /dev/zero | tr '\0' 'A')"
  tail -n +2 age-hello.age; } > grease-stanzas.age
ls -l
